"""/api: the OpenAPI document of the server as a page for people (every operation, its parameters and a
link to try it with the documented examples), rendered here from /openapi.json with our own templates,
so nothing is fetched from another host; programs asking for JSON are sent to /openapi.json."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from cwkg.server.negotiation import HTML, PLAIN_JSON, Offer, choose
from cwkg.server.pages.templating import render

__all__ = ["API_DOCS", "router"]

#: The OpenAPI document for people, at /api (programs get /openapi.json).
API_DOCS = Offer.of(HTML, "application/vnd.oai.openapi+json", PLAIN_JSON)
router = APIRouter(include_in_schema=False)


def _schema_type(schema: dict[str, Any]) -> str:
    """A parameter's type as a word: its JSON Schema type, an optional one's without the null."""
    options = schema.get("anyOf", [schema])
    return " or ".join(str(o.get("type", "any")) for o in options if o.get("type") != "null")


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of an OpenAPI document, with its parameters and, when it can be, a link to try it."""
    found = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p.get("in", ""),
                    "type": _schema_type(p.get("schema", {})),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                    "example": (p.get("examples") or p.get("schema", {}).get("examples") or [None])[0],
                }
                for p in op.get("parameters", [])
            ]
            query = urlencode({p["name"]: p["example"] for p in parameters if p["example"] is not None})
            tryable = method == "get" and "{" not in path
            found.append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": parameters,
                    "try": (path + (f"?{query}" if query else "")) if tryable else None,
                }
            )
    return found


@router.get("/api")
async def api_docs(request: Request) -> Response:
    """The OpenAPI document as a page; programs asking for JSON are sent to /openapi.json (303)."""
    if choose(request, API_DOCS, "the API description") != HTML:
        return RedirectResponse("/openapi.json", status_code=303, headers={"vary": "Accept"})
    spec = request.app.openapi()
    return render(
        request,
        "openapi.html",
        title="HTTP API",
        spec=spec,
        operations=_operations(spec),
    )
