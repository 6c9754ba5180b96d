"""One access-log line per request: client, method, path, status, duration and response size."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog"]

log = logging.getLogger("cwkg.server.access")


class AccessLog:
    """ASGI middleware that logs each HTTP request once, after its response has been sent (or failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and count the body bytes sent."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        size = 0

        async def counting(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            client = scope.get("client")
            log.info(
                '%s "%s %s" %d %.1fms %dB',
                f"{client[0]}:{client[1]}" if client else "-",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - start) * 1000,
                size,
            )
