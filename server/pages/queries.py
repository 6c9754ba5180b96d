"""The pages' queries: run in the read workers like every other query, results parsed in the parent.

A page's queries are small (one resource's neighbourhood, the index of labelled resources), so their
results are read whole: SELECT as SPARQL JSON, CONSTRUCT as N-Triples, parsed with pyoxigraph.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import Request

from cwkg.rdf import Term
from cwkg.server.jobs import QueryJob
from cwkg.server.state import get_state
from cwkg.server.streaming import run_watched

__all__ = ["construct", "select"]

_MEDIA: dict[Any, str | None] = {
    "solutions": "application/sparql-results+json",
    "boolean": "application/sparql-results+json",
    "graph": "application/n-triples",
}


async def _run(request: Request, text: str, bindings: dict[str, Term]) -> bytes:
    """Run a query in a read worker (killed if the client leaves) and read its whole result."""
    job = QueryJob(text=text, media=dict(_MEDIA), bindings=tuple(bindings.items()))
    reply = await run_watched(request, get_state(request).reads, job)
    return await reply.read()


async def select(request: Request, text: str, **bindings: Term) -> list[dict[str, Term]]:
    """The rows of a SELECT, each {variable: term} without the unbound ones."""
    body = await _run(request, text, bindings)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [{n: v for n in names if isinstance(v := s[n], Term)} for s in parsed]


async def construct(request: Request, text: str, **bindings: Term) -> list[ox.Triple]:
    """The triples of a CONSTRUCT."""
    body = await _run(request, text, bindings)
    return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)] if body else []
