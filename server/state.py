"""What request handlers share: the settings and the worker pools, kept on the app's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from cwkg.config import Settings
from cwkg.server.auth import require_update_rights
from cwkg.server.errors import Forbidden
from cwkg.server.jobs import Job, Output
from cwkg.server.pool import Pool
from cwkg.server.streaming import run_watched

__all__ = ["ServerState", "get_state", "write"]


@dataclass
class ServerState:
    """The settings (read once), the read pool, the write worker (when updates are on), cached stats."""

    settings: Settings
    reads: Pool
    writer: Pool | None = None
    stats: tuple[int, dict[str, Any]] | None = field(default=None)

    def require_writer(self) -> Pool:
        """The write worker; Forbidden when updates are off."""
        if self.writer is None:
            raise Forbidden("this server is read-only: updates are off (CWKG_ALLOW_UPDATE)")
        return self.writer


def get_state(request: Request) -> ServerState:
    """The server state of the app that received `request`."""
    state: ServerState = request.app.state.cwkg
    return state


async def write(request: Request, job: Job) -> Output:
    """Check update rights, run a job in the write worker, and make the read workers see the result."""
    state = get_state(request)
    require_update_rights(request, state.settings)
    writer = state.require_writer()
    try:
        reply = await run_watched(request, writer, job)
        await reply.close()
    finally:
        state.reads.changed()  # even if the client left: the transaction may have committed
    return reply.output
