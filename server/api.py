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

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from cwkg.queries import CannedQuery, Catalogue, ParameterError, plain
from cwkg.server.cache import Entry, answer
from cwkg.server.errors import NotAcceptable
from cwkg.server.headers import shown
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import negotiate_all

__all__ = ["create_router", "invalid_parameters"]

_JSON_ROWS = "application/json"
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
    import pyoxigraph as ox

    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return {"boolean": bool(parsed)}
    names = [v.value for v in parsed.variables if not v.value.startswith("_")]
    return {"variables": names, "rows": [{n: plain(s[n]) for n in names} for s in parsed]}


async def _answer(request: Request, canned: CannedQuery, values: dict[str, str]) -> Response:
    """Evaluate a canned query in a worker and answer in the negotiated format."""
    bindings = tuple(canned.bindings(values).items())
    accept = request.headers.get("accept") or _JSON_ROWS
    wants_rows = accept.split(",")[0].split(";")[0].strip() in (_JSON_ROWS, "*/*", "")
    media = negotiate_all("application/sparql-results+json" if wants_rows else accept, None)
    if media["solutions"] is None:
        raise NotAcceptable(
            "canned queries answer as application/json (rows), application/sparql-results+json, "
            "application/sparql-results+xml, text/csv or text/tab-separated-values"
        )
    job = QueryJob(text=canned.sparql, media=media, bindings=bindings)
    if not wants_rows:
        return await answer(request, job, headers={"vary": "Accept"})

    def rows(result: Entry) -> Entry:
        payload = {"query": canned.name, "parameters": values, **_rows(result.body)}
        return Entry(bytes(JSONResponse(payload).body), _JSON_ROWS, result.rows)

    return await answer(
        request,
        job,
        headers={"vary": "Accept"},
        variant=json.dumps(["rows", canned.name, values]),
        transform=rows,
    )


def _operation(canned: CannedQuery):  # type: ignore[no-untyped-def]
    """A handler whose signature declares the query's typed parameters, for validation and OpenAPI."""

    async def handler(request: Request, **params: Any) -> Response:
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
    async def list_queries() -> JSONResponse:
        """Each query's name, title, description, tags and typed parameters."""
        return JSONResponse({"queries": [q.describe() for q in catalogue]})

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
        catalogue.get(shown(name))
        raise AssertionError("unreachable: known names have their own route")

    return router


async def invalid_parameters(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 for a missing or ill-typed parameter, as a 400 that lists what is expected."""
    name = request.url.path.rstrip("/").rpartition("/")[2]
    catalogue: Catalogue = request.app.state.catalogue
    try:
        catalogue.get(name).bindings(dict(request.query_params))
    except ParameterError as problem:
        return PlainTextResponse(f"{problem}\n", status_code=400)
    return PlainTextResponse(f"invalid request: {exc}\n", status_code=400)
