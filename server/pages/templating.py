"""The one Jinja2 environment of the HTML pages (server/templates), with HTML autoescaping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cwkg.server.state import get_state

__all__ = ["TEMPLATES", "render", "script_json"]

TEMPLATES = Path(__file__).parent.parent / "templates"
STATIC = Path(__file__).parent.parent / "static"


def script_json(data: Any) -> Markup:
    """JSON safe to embed in a <script> element (no `</script>` can close it early)."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["script_json"] = script_json


def render(
    request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """A template rendered as an HTML response (Vary: Accept, since every page is one representation of several)."""
    return HTMLResponse(
        render_text(request, name, **context),
        status_code=status_code,
        headers={"vary": "Accept", **(headers or {})},
    )


def render_text(request: Request, name: str, **context: Any) -> str:
    """A template rendered as text, with the links of this server (every page's header needs them)."""
    return _env.get_template(name).render(links=get_state(request).pages.links, **context)
