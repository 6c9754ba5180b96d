"""Answering a query request: 304 when the client has the answer, from the cache when it is there, else from
a read worker (streamed when large).

Every GET answer carries `ETag: W/"<version>-<key>"` and `Cache-Control`; `If-None-Match` with a
matching tag is answered 304 before any evaluation, whether or not the cache is on. The tag is weak
because a query without ORDER BY may list its rows in another order when evaluated again (Oxigraph's
hash tables are seeded per process): the same tag means the same answer, not the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import Request
from starlette.responses import Response

from cwkg.server.cache import Entry, request_key
from cwkg.server.conditional import not_modified
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import with_charset
from cwkg.server.state import get_state
from cwkg.server.streaming import ResultResponse, run_watched

__all__ = ["Transform", "answer"]

#: Turns a SPARQL result into the answer sent (e.g. canned-query rows as plain JSON, or their page).
Transform = Callable[[Entry], Entry]


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
    state.follow_rebuild()
    version = state.version()
    results = state.results
    key = request_key(job, variant)
    common = {**headers, "cache-control": results.cache_control}
    if request.method in ("GET", "HEAD"):
        common["etag"] = etag = f'W/"{version}-{key[:16]}"'
        if not_modified(request, etag):
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
