"""The store gate: queries share the on-disk store, a write has it alone.

RocksDB lets read-only instances open beside a read-write one, but the writer's flushes and
compactions delete files that a read-only instance may still need. So a write waits until no query
is evaluating and holds new ones back; the writer opens the store, applies the change, flushes and
closes it; then every read worker reopens its read-only store before its next job.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["Gate"]


class Gate:
    """A readers-writer lock between processes' use of the store, held in the parent; writers go first.

    The event loop runs one coroutine at a time, so the counts need no lock: a query takes the gate
    without suspending when no write is pending, the common case.
    """

    def __init__(self) -> None:
        self._readers = 0
        self._writing = False
        self._no_readers = asyncio.Event()
        self._no_readers.set()
        self._no_writer = asyncio.Event()
        self._no_writer.set()

    @property
    def readers(self) -> int:
        """How many jobs hold the store shared."""
        return self._readers

    async def _writer_gone(self) -> None:
        """Wait until no write is pending or running."""
        while self._writing:
            await self._no_writer.wait()

    @asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        """Hold the store with other queries (waits while a write is pending or running)."""
        await self._writer_gone()
        self._readers += 1
        self._no_readers.clear()
        try:
            yield
        finally:
            self._readers -= 1
            if self._readers == 0:
                self._no_readers.set()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold the store alone: new queries wait, running ones finish (or time out) first."""
        await self._writer_gone()
        self._writing = True
        self._no_writer.clear()
        try:
            while self._readers:
                await self._no_readers.wait()
            yield
        finally:
            self._writing = False
            self._no_writer.set()
