"""The canned queries as REST operations: one typed, documented operation per `.rq` file.

`GET /api/queries` is the catalogue; `GET /api/queries/{name}?param=value` answers one
question (JSON rows by default; CSV, TSV and SPARQL JSON/XML by Accept); `GET
/api/queries/{name}.rq` is its SPARQL text, ready to paste elsewhere. Parameters are bound as
RDF terms by pyoxigraph substitutions in the worker, never pasted into the query.
"""

from __future__ import annotations

import inspect
import json
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from cwkg.queries import CannedQuery, Catalogue, ParameterError, parse_values, plain_rows, solution_rows
from cwkg.rdf import Term
from cwkg.server.answer import answer
from cwkg.server.cache import Entry
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import CSV, HTML, JSON, PLAIN_JSON, TSV, XML, Kind, Offer, choose
from cwkg.server.pages.profile import curie
from cwkg.server.pages.templating import render, render_text
from cwkg.server.pages.values import Links
from cwkg.server.state import get_state
from cwkg.wording import literal_text

__all__ = ["create_router", "invalid_parameters"]

#: A canned query's answer: rows as plain JSON by default, SPARQL results, CSV, TSV, or a page for people.
CANNED = Offer.of(PLAIN_JSON, JSON, XML, CSV, TSV, HTML)
#: The catalogue: JSON for programs, a page for people.
CATALOGUE = Offer.of(PLAIN_JSON, HTML)
#: The other formats a canned query's page links to: label -> media type.
FORMATS = (("JSON rows", PLAIN_JSON), ("SPARQL JSON", JSON), ("SPARQL XML", XML), ("CSV", CSV), ("TSV", TSV))
_TYPES: dict[str, type] = {
    "iri": str,
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": str,
}


def _rows(body: bytes) -> dict[str, Any]:
    """SPARQL JSON results -> {"variables": [...], "rows": [{var: plain value}]}, dropping `_` parameters."""
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return {"boolean": bool(parsed)}
    names, rows = plain_rows(parsed)
    return {"variables": names, "rows": rows}


def _cell(term: Term, links: Links) -> dict[str, str | None]:
    """A term as a table cell of the page: IRIs linked (to our pages where ours), literals readable."""
    if isinstance(term, ox.NamedNode):
        return {"text": curie(term.value), "href": links.href(term.value), "title": term.value}
    if isinstance(term, ox.Literal):
        return {"text": literal_text(term), "href": None, "title": None}
    return {"text": str(term), "href": None, "title": None}


def _page(request: Request, canned: CannedQuery, values: dict[str, str], body: bytes) -> bytes:
    """The answer as a page: the question, its parameters in a form, the rows, and the other formats."""
    links = get_state(request).pages.links
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    boolean = bool(parsed) if isinstance(parsed, ox.QueryBoolean) else None
    names, rows = ([], []) if isinstance(parsed, ox.QueryBoolean) else solution_rows(parsed, parameters=False)
    return render_text(
        request,
        "query.html",
        title=canned.title,
        canned=canned,
        values=values,
        boolean=boolean,
        variables=names,
        rows=[{n: _cell(t, links) for n, t in row.items()} for row in rows],
        query_string=urlencode(values),
        formats=FORMATS,
    ).encode()


async def _answer(request: Request, canned: CannedQuery, values: dict[str, str]) -> Response:
    """Evaluate a canned query in a worker and answer in the negotiated format."""
    bindings = tuple(canned.bindings(values).items())
    media_type = choose(request, CANNED, f"the canned query {canned.name!r}")
    if media_type not in (PLAIN_JSON, HTML):
        media: dict[Kind, str | None] = {"solutions": media_type, "boolean": media_type, "graph": None}
        job = QueryJob(text=canned.sparql, media=media, bindings=bindings)
        return await answer(request, job, headers={"vary": "Accept"})
    job = QueryJob(
        text=canned.sparql, media={"solutions": JSON, "boolean": JSON, "graph": None}, bindings=bindings
    )

    def rendered(result: Entry) -> Entry:
        if media_type == HTML:
            return Entry(_page(request, canned, values, result.body), HTML, result.rows)
        payload = {"query": canned.name, "parameters": values, **_rows(result.body)}
        return Entry(bytes(JSONResponse(payload).body), PLAIN_JSON, result.rows)

    return await answer(
        request,
        job,
        headers={"vary": "Accept"},
        variant=json.dumps([media_type, canned.name, values]),
        transform=rendered,
    )


def _operation(canned: CannedQuery):  # type: ignore[no-untyped-def]
    """A handler whose signature declares the query's typed parameters, for validation and OpenAPI."""

    names = {p.name for p in canned.parameters}

    async def handler(request: Request, **params: Any) -> Response:
        # a parameter given twice is an error, as on the command line (FastAPI would keep the last)
        parse_values([f"{k}={v}" for k, v in request.query_params.multi_items() if k in names])
        given = {
            k: ("true" if v is True else "false" if v is False else str(v))
            for k, v in params.items()
            if v is not None
        }
        return await _answer(request, canned, given)

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for p in canned.parameters:
        default = Query(
            ... if p.required else None, description=f"{p.type}, e.g. {p.example}", examples=[p.example]
        )
        annotation = _TYPES[p.type] if p.required else _TYPES[p.type] | None
        parameters.append(
            inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        )
    handler.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    handler.__name__ = canned.name.replace("-", "_")
    handler.__doc__ = canned.description
    return handler


def create_router(catalogue: Catalogue) -> APIRouter:
    """The REST routes of every canned query in the catalogue."""
    router = APIRouter(prefix="/api/queries", tags=["canned queries"])

    @router.get("", summary="The catalogue of canned queries")
    async def list_queries(request: Request) -> Response:
        """Each query's name, title, description, tags and typed parameters (a page in a browser)."""
        if choose(request, CATALOGUE, "the catalogue of canned queries") == PLAIN_JSON:
            return JSONResponse({"queries": [q.describe() for q in catalogue]}, headers={"vary": "Accept"})
        queries = [
            {**q.describe(), "example": urlencode({p.name: p.example for p in q.parameters if p.example})}
            for q in catalogue
        ]
        return render(request, "queries.html", title="Canned queries", queries=queries)

    @router.get("/{name}.rq", summary="The SPARQL text of a canned query", response_class=PlainTextResponse)
    async def query_text(name: str) -> PlainTextResponse:
        """The query file, header included, ready to paste into any SPARQL client."""
        canned = catalogue.get(name)
        return PlainTextResponse(
            canned.sparql,
            media_type="application/sparql-query",
            headers={"content-disposition": f'inline; filename="{canned.name}.rq"'},
        )

    for canned in catalogue:
        router.add_api_route(
            f"/{canned.name}",
            _operation(canned),
            methods=["GET"],
            summary=canned.title,
            description=canned.description,
            tags=list(canned.tags),
            response_class=JSONResponse,
        )

    @router.get("/{name}", include_in_schema=False)
    async def unknown(name: str) -> Response:
        """A name that is not in the catalogue: 404 listing the names there are."""
        catalogue.get(name)
        raise AssertionError("unreachable: known names have their own route")

    return router


async def invalid_parameters(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 for a missing or ill-typed parameter, as a 400 that lists what is expected."""
    name = request.url.path.rstrip("/").rpartition("/")[2]
    catalogue = get_state(request).catalogue
    try:
        catalogue.get(name).bindings(dict(request.query_params))
    except ParameterError as problem:
        return PlainTextResponse(f"{problem}\n", status_code=400)
    return PlainTextResponse(f"invalid request: {exc}\n", status_code=400)
