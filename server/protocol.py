"""Reading a SPARQL 1.1 Protocol request: the query or the update operation, with its dataset.

https://www.w3.org/TR/sparql11-protocol/#query-operation and #update-operation. Both operations are read
by one function; what differs between them (names, media type, dataset parameters, methods, the other
operation a misdirected request is sent to) is data, in QUERY and UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request

from cwkg.server.errors import ProtocolError, UnsupportedMediaType

__all__ = [
    "FORM",
    "QUERY",
    "SPARQL_QUERY",
    "SPARQL_UPDATE",
    "UPDATE",
    "Operation",
    "OperationRequest",
    "checked_iris",
    "decode_body",
    "media_type_of",
    "pairs",
    "read_operation",
    "require_text",
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Operation:
    """One operation of the Protocol: its parameter, its direct media type, its dataset parameters and path."""

    parameter: str  # "query" or "update": the form parameter, and the operation's name in messages
    title: str  # how messages name a request of this kind ("SPARQL query", "SPARQL Update")
    media_type: str
    default_graphs: str  # the parameter naming the default graph(s): default-graph-uri or using-graph-uri
    named_graphs: str
    path: str


QUERY = Operation("query", "SPARQL query", SPARQL_QUERY, "default-graph-uri", "named-graph-uri", "/sparql")
UPDATE = Operation(
    "update", "SPARQL Update", SPARQL_UPDATE, "using-graph-uri", "using-named-graph-uri", "/update"
)


@dataclass(frozen=True)
class OperationRequest:
    """An operation as the Protocol defines it: its text (None when absent), its dataset and a format override."""

    text: str | None
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


def _misdirected(other: Operation) -> ProtocolError:
    """The error for a request of the other operation."""
    return ProtocolError(
        f"this is a {other.title}: send it to the {other.parameter} operation ({other.path})"
    )


async def read_operation(request: Request, operation: Operation) -> OperationRequest:
    """Read a query or update operation from a GET or POST request, as the Protocol allows it."""
    other = UPDATE if operation is QUERY else QUERY
    name = operation.parameter
    given = pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "POST":
        media_type, charset = media_type_of(request)
        body = await request.body()
        if media_type == FORM:
            given += pairs(body, "request body")
        elif media_type == operation.media_type:
            if any(key == name for key, _ in given):
                raise ProtocolError(f"the {name} is both in the URL and in the request body; send it once")
            given.append((name, decode_body(body, charset)))
        elif media_type == other.media_type:
            raise _misdirected(other)
        elif media_type is None:
            raise ProtocolError(
                f"a POST to the {name} operation needs Content-Type {FORM} or {operation.media_type}"
            )
        else:
            raise UnsupportedMediaType(
                f"a POST to the {name} operation takes {FORM} or {operation.media_type}, not {media_type}"
            )
    texts = [value for key, value in given if key == name]
    if len(texts) > 1:
        raise ProtocolError(
            f"the request has {len(texts)} `{name}` parameters; the Protocol allows exactly one"
        )
    if not texts and any(key == other.parameter for key, _ in given):
        raise _misdirected(other)
    formats = [value for key, value in given if key == "format"]
    return OperationRequest(
        text=texts[0] if texts else None,
        default_graphs=checked_iris(
            [v for k, v in given if k == operation.default_graphs], operation.default_graphs
        ),
        named_graphs=checked_iris(
            [v for k, v in given if k == operation.named_graphs], operation.named_graphs
        ),
        fmt=formats[0] if formats else None,
    )


def require_text(operation: Operation, given: OperationRequest) -> str:
    """The operation's text; ProtocolError when the request has none."""
    if given.text is None:
        raise ProtocolError(f"the request has no `{operation.parameter}` parameter")
    return given.text
