"""The SPARQL 1.1 Protocol query operation: GET, POST form and POST direct on /sparql.

https://www.w3.org/TR/sparql11-protocol/#query-operation. Without `default-graph-uri` or
`named-graph-uri` (and without FROM in the query) the default graph is the union of all graphs.
Unknown parameters are ignored; `format` overrides Accept, and one that names no format we serve is a 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cwkg.server.cache import answer
from cwkg.server.description import base_url, describe_service
from cwkg.server.errors import NotAcceptable, ProtocolError, UnsupportedMediaType
from cwkg.server.jobs import QueryJob
from cwkg.server.negotiation import HTML, format_problem, negotiate, negotiate_all
from cwkg.server.pages.sparql import query_page
from cwkg.server.state import get_state

__all__ = [
    "QueryRequest",
    "checked_iris",
    "decode_body",
    "media_type_of",
    "pairs",
    "read_query_request",
    "route",
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    """A query operation as the Protocol defines it: the query, its dataset and a format override."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    fmt: str | None = None


def pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Decode `application/x-www-form-urlencoded` bytes strictly as UTF-8."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(f"the {where} is not UTF-8 (percent-encoded UTF-8 is required)") from None


def media_type_of(request: Request) -> tuple[str | None, str]:
    """The request's media type (lower case, no parameters) and its charset (utf-8 if none)."""
    header = request.headers.get("content-type")
    if header is None or not header.strip():
        return None, "utf-8"
    name, *params = (part.strip() for part in header.split(";"))
    charset = "utf-8"
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return name.lower(), charset


def decode_body(body: bytes, charset: str) -> str:
    """A request body as text: the Protocol's query and update bodies are UTF-8, and nothing else."""
    if charset.replace("-", "").replace("_", "") not in ("utf8",):
        raise UnsupportedMediaType(
            f"the request body is declared as {charset!r}; the SPARQL Protocol takes "
            "query and update bodies in UTF-8 only"
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the request body is not valid UTF-8 (byte {exc.start})") from None


def checked_iris(values: Sequence[str], name: str) -> tuple[str, ...]:
    """Graph IRIs given as parameters, each checked to be an absolute IRI."""
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise ProtocolError(f"{name} must be an absolute IRI, not {value!r}") from None
    return tuple(values)


async def read_query_request(request: Request) -> QueryRequest:
    """Read the query operation from a GET or POST request, as the Protocol allows it."""
    given = pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "POST":
        media_type, charset = media_type_of(request)
        body = await request.body()
        if media_type == FORM:
            given += pairs(body, "request body")
        elif media_type == SPARQL_QUERY:
            if any(key == "query" for key, _ in given):
                raise ProtocolError("the query is both in the URL and in the request body; send it once")
            given.append(("query", decode_body(body, charset)))
        elif media_type == SPARQL_UPDATE:
            raise ProtocolError("this is a SPARQL Update: send it to the update operation (/update)")
        elif media_type is None:
            raise ProtocolError(f"a POST to the query operation needs Content-Type {FORM} or {SPARQL_QUERY}")
        else:
            raise UnsupportedMediaType(
                f"a POST to the query operation takes {FORM} or {SPARQL_QUERY}, not {media_type}"
            )
    queries = [value for key, value in given if key == "query"]
    if len(queries) > 1:
        raise ProtocolError(
            f"the request has {len(queries)} `query` parameters; the Protocol allows exactly one"
        )
    if not queries and any(key == "update" for key, _ in given):
        raise ProtocolError("this is a SPARQL Update: send it to the update operation (/update)")
    formats = [value for key, value in given if key == "format"]
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=checked_iris([v for k, v in given if k == "default-graph-uri"], "default-graph-uri"),
        named_graphs=checked_iris([v for k, v in given if k == "named-graph-uri"], "named-graph-uri"),
        fmt=formats[0] if formats else None,
    )


async def sparql(request: Request) -> Response:
    """The query operation; with no query, the service description."""
    operation = await read_query_request(request)
    problem = format_problem(operation.fmt)
    if problem is not None:
        raise NotAcceptable(problem)
    if operation.query is None:
        if request.method == "POST":
            raise ProtocolError("the request has no `query` parameter")
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
        text=operation.query,
        media=media,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        base=base_url(request, get_state(request)) + "/sparql",  # the Protocol's "service-defined BASE URI"
    )
    return await answer(request, job, headers={"vary": "Accept"})


#: A plain Starlette route, matched first: the busiest path skips FastAPI's dependency resolution.
route = Route("/sparql", sparql, methods=["GET", "POST"], include_in_schema=False)
