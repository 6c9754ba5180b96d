"""The result cache and HTTP validators: repeated queries answered without evaluating them again.

The data only changes with an update (through /update or /store) or a rebuild, so a result is a
function of the request and the dataset's version, as in QLever. The **dataset version** is
`<identity>-<generation>`:

* `identity` is the store's RocksDB `IDENTITY` file, a UUID written when the database is created.
  `cwkg build` loads a fresh store beside the old one and renames it into place, so every rebuild
  gives a new identity; an update leaves it alone. The file is `stat`-ed before each read (one system
  call) and read again only when its inode or mtime moved. When the identity changes under a running
  server, the server state tells the read workers to reopen the store (cwkg.server.state), so a rebuild
  is served without a restart.
* `generation` is the read pool's counter, raised after every update (cwkg.server.state.write).

The cache (`ResultCache`) is an LRU bounded in bytes (CWKG_CACHE_BYTES, 0 = off); its key is a hash of
the query text, the Protocol dataset, the bound parameters, the negotiated media types and the
rendering (SPARQL results, canned-query rows or their page). It holds entries of one dataset version
only and empties itself when the version moves on. One entry may take up to an eighth of the budget;
larger results stream from the worker as before and are never buffered. cwkg.server.answer uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from cwkg.server.jobs import QueryJob

__all__ = ["Entry", "ResultCache", "Results", "StoreIdentity", "request_key"]


@dataclass(frozen=True)
class Entry:
    """A finished answer: its body, media type and row count."""

    body: bytes
    media_type: str | None
    rows: int | None = None


class ResultCache:
    """An LRU of answers of one dataset version, bounded by the bytes of their bodies.

    >>> cache = ResultCache(100)
    >>> cache.put("k", "v1", Entry(b"abc", "text/csv"))
    >>> cache.get("k", "v1").body, cache.get("k", "v2"), cache.size
    (b'abc', None, 0)
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 8
        self.size = 0
        self.version: str | None = None
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def fits(self, size: int) -> bool:
        """Whether an answer of this many bytes may be kept."""
        return size <= self.max_entry and self.max_bytes > 0

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
        self.size = 0

    def _at(self, version: str) -> None:
        """Move to a dataset version, dropping the entries of any other."""
        if version != self.version:
            self.clear()
            self.version = version

    def get(self, key: str, version: str) -> Entry | None:
        """The entry for a key at this version, marked as recently used; None if absent."""
        self._at(version)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, version: str, entry: Entry) -> None:
        """Keep an entry (if it fits), evicting the least recently used ones over the budget."""
        if not self.fits(len(entry.body)):
            return
        self._at(version)
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self._entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted.body)


class StoreIdentity:
    """The identity of the store on disk: its RocksDB IDENTITY, re-read only when the file changed."""

    def __init__(self, store: Path) -> None:
        self.path = store / "IDENTITY"
        self._stamp: tuple[int, int] | None = None
        self.value = "none"
        self._seen: str | None = None

    def moved(self) -> bool:
        """Whether the identity differs from the one seen at the last call (never at the first)."""
        current = self.current()
        moved = self._seen is not None and current != self._seen
        self._seen = current
        return moved

    def current(self) -> str:
        """The identity now (the last one seen while the store is being swapped and the file is missing)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return self.value
        stamp = (info.st_ino, info.st_mtime_ns)
        if stamp != self._stamp:
            try:
                self.value = self.path.read_text().strip()[:8] or "none"
            except OSError:
                return self.value
            self._stamp = stamp
        return self.value


class Results:
    """The cache and the Cache-Control header of one app."""

    def __init__(self, *, max_bytes: int, max_age: int, updates: bool, volatile: bool = False) -> None:
        self.volatile = (
            volatile  # a remote store: its data can change without our knowing, so no version holds
        )
        self.cache = ResultCache(max_bytes)
        self.cache_control = "public, no-cache" if updates else f"public, max-age={max_age}"

    def version(self, identity: str, generation: int) -> str:
        """The dataset version of a store identity and a read generation (never the same twice when volatile).

        >>> Results(max_bytes=0, max_age=60, updates=False).version("1a2b3c4d", 2)
        '1a2b3c4d-2'
        """
        if self.volatile:
            return f"volatile-{time.monotonic_ns()}"
        return f"{identity}-{generation}"


def request_key(job: QueryJob, variant: str = "") -> str:
    """A hash of everything that decides a query's answer, other than the data."""
    parts = [
        variant,
        job.text,
        job.base,
        list(job.default_graphs),
        list(job.named_graphs),
        sorted(job.media.items()),
        [(name, str(term)) for name, term in job.bindings],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
