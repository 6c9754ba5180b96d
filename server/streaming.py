"""Running a job for one request, and streaming its reply, both stopped when the client goes away."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import anyio
from fastapi import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from cwkg.server.head import is_head
from cwkg.server.jobs import Job
from cwkg.server.negotiation import with_charset
from cwkg.server.pool import Pool, Reply

__all__ = ["ResultResponse", "run_watched"]


async def _until_disconnect(receive: Receive) -> None:
    """Return when the client has disconnected (the request body must have been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def run_watched(request: Request, pool: Pool, job: Job) -> Reply:
    """Run a job on the pool; if the client disconnects meanwhile, its worker is killed."""
    gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def watch() -> None:
        try:
            await _until_disconnect(request.receive)
        except Exception:  # e.g. an unread body over the size limit: give up on this client too
            pass
        if not gone.done():
            gone.set_result(None)

    watcher = asyncio.create_task(watch())
    try:
        return await pool.run(job, gone)
    finally:
        watcher.cancel()


class ResultResponse(Response):
    """A worker's serialised result, streamed chunk by chunk with its exact Content-Length."""

    def __init__(
        self, reply: Reply, *, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        self.reply = reply
        output = reply.output
        extra = dict(headers or {})
        extra["content-length"] = str(output.size)
        if output.rows is not None:
            extra["x-cwkg-rows"] = str(output.rows)
        super().__init__(
            status_code=status_code,
            headers=extra,
            media_type=with_charset(output.media_type) if output.media_type else None,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the headers, then the chunks; a disconnect stops the stream and kills the worker."""
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            if is_head(scope):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            async with anyio.create_task_group() as group:

                async def watch() -> None:
                    await _until_disconnect(receive)
                    group.cancel_scope.cancel()

                group.start_soon(watch)
                async for chunk in self.reply.chunks():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                group.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await self.reply.close()
