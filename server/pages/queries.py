"""The pages' queries: run in the read workers like every other query, results parsed in the parent.

A page's queries are small (one resource's neighbourhood, the index of labelled resources), so their
results are read whole: SELECT as SPARQL JSON, CONSTRUCT as N-Triples, parsed with pyoxigraph.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request

from cwkg.queries import solution_rows
from cwkg.rdf import Term
from cwkg.search import QUERY as SEARCH_QUERY
from cwkg.search import SearchIndex, records_from_rows
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import JSON, NTRIPLES, Kind
from cwkg.server.pages.index import QUERY, Index
from cwkg.server.state import get_state
from cwkg.server.streaming import run_watched

__all__ = ["construct", "load_index", "select"]

_MEDIA: dict[Kind, str | None] = {"solutions": JSON, "boolean": JSON, "graph": NTRIPLES}


async def _run(request: Request, text: str, bindings: dict[str, Term]) -> bytes:
    """Run a query in a read worker (killed if the client leaves) and read its whole result."""
    state = get_state(request)
    state.follow_rebuild()
    job = QueryJob(text=text, media=dict(_MEDIA), bindings=tuple(bindings.items()))
    reply = await run_watched(request, state.reads, job)
    return await reply.read()


async def select(request: Request, text: str, **bindings: Term) -> list[dict[str, Term]]:
    """The rows of a SELECT, each {variable: term} without the unbound ones."""
    parsed = ox.parse_query_results(await _run(request, text, bindings), format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return solution_rows(parsed)[1]


async def construct(request: Request, text: str, **bindings: Term) -> list[ox.Triple]:
    """The triples of a CONSTRUCT."""
    body = await _run(request, text, bindings)
    return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)] if body else []


async def load_index(request: Request) -> Index:
    """The index of the graph's resources, loaded again when the data has changed."""
    state = get_state(request)
    state.follow_rebuild()
    cached = state.pages.index
    if cached is None or cached[0] != state.reads.generation:
        generation = state.reads.generation
        rows = await select(request, QUERY)
        cached = (generation, Index.from_rows(rows, await _finder(request, generation)))
        state.pages.index = cached
    return cached[1]


async def _finder(request: Request, generation: int) -> SearchIndex:
    """The build's search index while the data is the build's own; made from the data after any update."""
    settings = get_state(request).settings
    built = settings.dist_dir / "search.sqlite"
    if generation == 0 and not settings.remote_store and built.exists():
        return SearchIndex.load(built)
    return SearchIndex.from_records(records_from_rows(await select(request, SEARCH_QUERY)))
