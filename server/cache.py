"""The result cache and HTTP validators: repeated queries answered without evaluating them again.

The data only changes with an update (through /update or /store) or a rebuild, so a result is a
function of the request and the dataset's version, as in QLever. The **dataset version** is
`<identity>-<generation>`:

* `identity` is the store's RocksDB `IDENTITY` file, a UUID written when the database is created.
  `cwkg build` loads a fresh store beside the old one and renames it into place, so every rebuild
  gives a new identity; an update leaves it alone. The file is `stat`-ed on each request (one system
  call) and read again only when its inode or mtime moved. When the identity changes under a running
  server, the read workers are told to reopen the store, so a rebuild is served without a restart.
* `generation` is the read pool's counter, raised after every update (cwkg.server.state.write).

The cache (`ResultCache`) is an LRU bounded in bytes (CWKG_CACHE_BYTES, 0 = off); its key is a hash of
the query text, the Protocol dataset, the bound parameters, the negotiated media types and the
rendering (SPARQL results or canned-query rows). It holds entries of one dataset version only and
empties itself when the version moves on. One entry may take up to an eighth of the budget; larger
results stream from the worker as before and are never buffered.

Every GET answer carries `ETag: W/"<version>-<key>"` and `Cache-Control`; `If-None-Match` with a
matching tag is answered 304 before any evaluation, whether or not the cache is on. The tag is weak
because a query without ORDER BY may list its rows in another order when evaluated again (Oxigraph's
hash tables are seeded per process): the same tag means the same answer, not the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from starlette.responses import Response

from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import with_charset
from cwkg.server.state import ServerState, get_state
from cwkg.server.streaming import ResultResponse, run_watched

__all__ = ["Entry", "ResultCache", "Results", "StoreIdentity", "answer", "etag_matches", "request_key"]


@dataclass(frozen=True)
class Entry:
    """A finished answer: its body, media type and row count."""

    body: bytes
    media_type: str | None
    rows: int | None = None


#: Turns a SPARQL result into the answer sent (e.g. canned-query rows as plain JSON).
Transform = Callable[[Entry], Entry]


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
    """The cache, the store identity and the Cache-Control header of one app."""

    def __init__(
        self, store: Path, *, max_bytes: int, max_age: int, updates: bool, volatile: bool = False
    ) -> None:
        self.volatile = (
            volatile  # a remote store: its data can change without our knowing, so no version holds
        )
        self.cache = ResultCache(max_bytes)
        self.identity = StoreIdentity(store)
        self._seen: str | None = None
        self.cache_control = "public, no-cache" if updates else f"public, max-age={max_age}"

    def version(self, state: ServerState) -> str:
        """The dataset version; a new store identity (a rebuild) makes the read workers reopen the store."""
        if self.volatile:
            return f"volatile-{time.monotonic_ns()}"
        identity = self.identity.current()
        if self._seen is not None and identity != self._seen:
            state.reads.changed()
        self._seen = identity
        return f"{identity}-{state.reads.generation}"


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


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this tag (weak comparison, RFC 9110 13.1.2).

    >>> etag_matches('"x", W/"abc"', 'W/"abc"'), etag_matches('*', 'W/"abc"'), etag_matches(None, 'W/"a"')
    (True, True, False)
    """
    if header is None:
        return False
    opaque = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == opaque for tag in header.split(","))


def _response(entry: Entry, headers: dict[str, str], status: str) -> Response:
    """A cached or just-buffered answer."""
    extra = {**headers, "x-cwkg-cache": status}
    if entry.rows is not None:
        extra["x-cwkg-rows"] = str(entry.rows)
    media_type = with_charset(entry.media_type) if entry.media_type else None
    return Response(entry.body, headers=extra, media_type=media_type)


async def answer(
    request: Request,
    job: QueryJob,
    *,
    headers: Mapping[str, str],
    variant: str = "",
    transform: Transform | None = None,
) -> Response:
    """Answer a query: 304 if the client has it, from the cache if it is there, else from a worker."""
    state = get_state(request)
    results: Results = request.app.state.results
    version = results.version(state)
    key = request_key(job, variant)
    common = {**headers, "cache-control": results.cache_control}
    if request.method in ("GET", "HEAD"):
        common["etag"] = etag = f'W/"{version}-{key[:16]}"'
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=common)
    entry = results.cache.get(key, version)
    if entry is not None:
        return _response(entry, common, "hit")
    reply = await run_watched(request, state.reads, job)
    if reply.output.streamed and transform is None and not results.cache.fits(reply.output.size):
        return ResultResponse(reply, headers={**common, "x-cwkg-cache": "miss"})
    entry = Entry(await reply.read(), reply.output.media_type, reply.output.rows)
    if transform is not None:
        entry = transform(entry)
    results.cache.put(key, version, entry)
    return _response(entry, common, "miss")
