"""Headers every response carries, and the one way a response shows a path or name the client sent.

`X-Content-Type-Options: nosniff` keeps browsers from reading a plain-text or JSON answer as HTML.
It is added outside Starlette's error middleware too (see server.app.App), so a 500 carries it.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["NoSniff", "shown"]

# what may stay as it is in an IRI or a path; everything else (<, >, quotes, spaces, non-ASCII) is %-encoded
_SAFE = "/:?#[]@!$&()*+,;=%-._~"


def shown(text: str) -> str:
    """A client's path or name as a response may show it: percent-encoded, never markup.

    >>> shown("id/x<script>alert('1')</script>")
    'id/x%3Cscript%3Ealert%28%271%27%29%3C/script%3E'
    """
    return quote(text, safe=_SAFE.replace("(", "").replace(")", ""))


class NoSniff:
    """ASGI middleware: `X-Content-Type-Options: nosniff` on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the header to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-content-type-options", b"nosniff")]
            await send(message)

        await self.app(scope, receive, sending)
