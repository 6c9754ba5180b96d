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
    """A readers-writer lock between processes' use of the store, held in the parent; writers go first."""

    def __init__(self) -> None:
        self._condition = asyncio.Condition()
        self._readers = 0
        self._writing = False

    @property
    def readers(self) -> int:
        """How many jobs hold the store shared."""
        return self._readers

    @asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        """Hold the store with other queries (waits while a write is pending or running)."""
        async with self._condition:
            await self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            async with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold the store alone: new queries wait, running ones finish (or time out) first."""
        async with self._condition:
            await self._condition.wait_for(lambda: not self._writing)
            self._writing = True
            try:
                await self._condition.wait_for(lambda: self._readers == 0)
            except BaseException:
                self._writing = False
                self._condition.notify_all()
                raise
        try:
            yield
        finally:
            async with self._condition:
                self._writing = False
                self._condition.notify_all()
