"""The request body limit: 413 for a body over CWKG_MAX_BODY_BYTES, declared or streamed."""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cwkg.server.errors import BodyTooLarge

__all__ = ["BodyLimit"]


class BodyLimit:
    """ASGI middleware: refuse a too-large Content-Length at once, and stop a too-long streamed body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        """The refusal text."""
        return f"the request body is larger than {self.max_bytes} bytes, the limit of this server (CWKG_MAX_BODY_BYTES)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count the bytes as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                response = PlainTextResponse(
                    self._message(), status_code=413, headers={"connection": "close"}
                )
                await response(scope, receive, send)
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self._message())
            return message

        await self.app(scope, limited, send)
