"""HEAD answered wherever GET is (RFC 9110 9.3.2): the GET route runs, and only its headers are sent.

FastAPI routes answer only the methods they declare, so a HEAD to a GET route would be a 405; this
middleware routes it as GET, marks the scope (so a streamed result is not read from its worker for
nothing) and drops the body, keeping the Content-Length the GET would have.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet", "is_head"]

_MARK = "cwkg.head"


def is_head(scope: Scope) -> bool:
    """Whether the request is a HEAD (answered by its GET route)."""
    return scope.get("method") == "HEAD" or bool(scope.get(_MARK))


class HeadAsGet:
    """ASGI middleware: a HEAD request runs as GET and its response body is left out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route a HEAD as GET; send the response start as it is and every body message empty."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", _MARK: True}, receive, headers_only)
