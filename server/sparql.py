"""The SPARQL 1.1 Protocol query operation: GET, POST form and POST direct on /sparql.

https://www.w3.org/TR/sparql11-protocol/#query-operation. Without `default-graph-uri` or
`named-graph-uri` (and without FROM in the query) the default graph is the union of all graphs.
Unknown parameters are ignored; `format` overrides Accept, and one that names no format we serve is a 406.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cwkg.server.answer import answer
from cwkg.server.description import base_url, describe_service
from cwkg.server.errors import NotAcceptable
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import HTML, format_problem, negotiate, negotiate_all
from cwkg.server.pages.sparql import query_page
from cwkg.server.protocol import QUERY, read_operation, require_text
from cwkg.server.state import get_state

__all__ = ["route"]


async def sparql(request: Request) -> Response:
    """The query operation; with no query, the service description."""
    operation = await read_operation(request, QUERY)
    problem = format_problem(operation.fmt)
    if problem is not None:
        raise NotAcceptable(problem)
    if operation.text is None:
        if request.method == "POST":
            require_text(QUERY, operation)
        if negotiate("description", request.headers.get("accept"), operation.fmt) == HTML:
            return await query_page(request)  # a browser: the query editor
        return await describe_service(request, operation.fmt)
    media = negotiate_all(request.headers.get("accept"), operation.fmt)
    if not any(media.values()):
        raise NotAcceptable(
            "no media type in Accept fits a query result; accepted are the SPARQL results "
            "formats (JSON, XML, CSV, TSV) and the RDF formats (Turtle, N-Triples, N-Quads, "
            "TriG, JSON-LD, RDF/XML)"
        )
    job = QueryJob(
        text=operation.text,
        media=media,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        base=base_url(request, get_state(request)) + "/sparql",  # the Protocol's "service-defined BASE URI"
    )
    return await answer(request, job, headers={"vary": "Accept"})


#: A plain Starlette route, matched first: the busiest path skips FastAPI's dependency resolution.
route = Route("/sparql", sparql, methods=["GET", "POST"], include_in_schema=False)
