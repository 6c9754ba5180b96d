"""What request handlers share: one typed object built in the app's lifespan, and the one way to get it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request

from cwkg.config import Settings
from cwkg.queries import Catalogue
from cwkg.server.auth import require_update_rights
from cwkg.server.cache import Results, StoreIdentity
from cwkg.server.errors import Forbidden
from cwkg.server.jobs import Job, Output, StatsJob
from cwkg.server.pages.state import PagesState
from cwkg.server.pool import Pool
from cwkg.server.streaming import run_watched

__all__ = ["ServerState", "get_state", "write"]


@dataclass
class ServerState:
    """The settings (read once), the canned queries, the worker pools, the result cache and the pages' state."""

    settings: Settings
    catalogue: Catalogue
    reads: Pool
    results: Results
    pages: PagesState
    identity: StoreIdentity
    writer: Pool | None = None
    _counts: tuple[int, dict[str, Any]] | None = field(default=None, repr=False)

    def require_writer(self) -> Pool:
        """The write worker; Forbidden when updates are off."""
        if self.writer is None:
            raise Forbidden("this server is read-only: updates are off (CWKG_ALLOW_UPDATE)")
        return self.writer

    def follow_rebuild(self) -> None:
        """Make the store process reopen the store if it was rebuilt (a new identity) since last seen."""
        if self.identity.moved():
            self.reads.rebuilt()

    def version(self) -> str:
        """The version of the data served now: what cached answers and validators are valid for."""
        return self.results.version(self.identity.value, self.reads.generation)

    def modified(self) -> datetime:
        """When the data now served was made."""
        return self.pages.modified(self.reads.generation)

    async def counts(self) -> dict[str, Any]:
        """Triples per named graph and in all (asked of a read worker once per data generation)."""
        self.follow_rebuild()
        generation = self.reads.generation
        if self._counts is None or self._counts[0] != generation:
            reply = await self.reads.run(StatsJob())
            await reply.close()
            self._counts = (generation, reply.output.info)
        return self._counts[1]


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
