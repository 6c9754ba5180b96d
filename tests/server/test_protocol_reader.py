"""cwkg.server.protocol as a table: one reader for the query and the update operation, each request read
from a real ASGI request (method, query string, Content-Type, body) into its text and dataset, or refused."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.requests import Request

from cwkg.server.errors import ProtocolError, UnsupportedMediaType
from cwkg.server.protocol import QUERY, UPDATE, Operation, OperationRequest, read_operation

ASK = "ASK {}"
INSERT = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
G = "http://example.org/g"


def read(
    operation: Operation, method: str, query: str = "", content_type: str | None = None, body: str = ""
) -> OperationRequest:
    """Read a request as the server receives it."""
    headers = [(b"content-type", content_type.encode())] if content_type else []
    scope = {
        "type": "http",
        "method": method,
        "query_string": query.encode(),
        "headers": headers,
        "path": "/",
    }
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body.encode(), "more_body": False}

    async def reading() -> OperationRequest:
        return await read_operation(Request(scope, receive), operation)

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever loop the test session runs
        return thread.submit(asyncio.run, reading()).result()


READ = [
    # operation, method, query string, content type, body, text, default graphs, named graphs
    (QUERY, "GET", "query=ASK+%7B%7D", None, "", ASK, (), ()),
    (QUERY, "GET", f"query=ASK+%7B%7D&default-graph-uri={G}&named-graph-uri={G}", None, "", ASK, (G,), (G,)),
    (QUERY, "POST", "", "application/x-www-form-urlencoded", "query=ASK+%7B%7D", ASK, (), ()),
    (QUERY, "POST", f"default-graph-uri={G}", "application/sparql-query", ASK, ASK, (G,), ()),
    (QUERY, "GET", "", None, "", None, (), ()),
    (UPDATE, "POST", "", "application/sparql-update", INSERT, INSERT, (), ()),
    (
        UPDATE,
        "POST",
        f"using-graph-uri={G}",
        "application/x-www-form-urlencoded",
        "update=CLEAR+ALL",
        "CLEAR ALL",
        (G,),
        (),
    ),
    (
        UPDATE,
        "POST",
        f"using-named-graph-uri={G}",
        "application/sparql-update; charset=utf-8",
        INSERT,
        INSERT,
        (),
        (G,),
    ),
]


@pytest.mark.parametrize(
    ("operation", "method", "query", "content_type", "body", "text", "default", "named"), READ
)
def test_read(
    operation: Operation,
    method: str,
    query: str,
    content_type: str | None,
    body: str,
    text: str | None,
    default: tuple[str, ...],
    named: tuple[str, ...],
) -> None:
    given = read(operation, method, query, content_type, body)
    assert (given.text, given.default_graphs, given.named_graphs) == (text, default, named)


REFUSED = [
    # operation, method, query string, content type, body, error, words of the message
    (
        QUERY,
        "POST",
        "",
        "application/sparql-update",
        INSERT,
        ProtocolError,
        "send it to the update operation (/update)",
    ),
    (
        UPDATE,
        "POST",
        "",
        "application/sparql-query",
        ASK,
        ProtocolError,
        "send it to the query operation (/sparql)",
    ),
    (
        UPDATE,
        "POST",
        "",
        "application/x-www-form-urlencoded",
        "query=ASK+%7B%7D",
        ProtocolError,
        "query operation (/sparql)",
    ),
    (QUERY, "GET", "update=CLEAR+ALL", None, "", ProtocolError, "update operation (/update)"),
    (
        QUERY,
        "POST",
        "query=ASK+%7B%7D",
        "application/sparql-query",
        ASK,
        ProtocolError,
        "the query is both in the URL and in the request body",
    ),
    (
        UPDATE,
        "POST",
        "update=CLEAR+ALL",
        "application/sparql-update",
        INSERT,
        ProtocolError,
        "the update is both in the URL",
    ),
    (QUERY, "GET", "query=ASK+%7B%7D&query=ASK+%7B%7D", None, "", ProtocolError, "2 `query` parameters"),
    (
        UPDATE,
        "POST",
        "",
        "application/x-www-form-urlencoded",
        "update=CLEAR+ALL&update=CLEAR+ALL",
        ProtocolError,
        "2 `update` parameters",
    ),
    (QUERY, "POST", "", None, ASK, ProtocolError, "needs Content-Type"),
    (
        UPDATE,
        "POST",
        "",
        "text/plain",
        INSERT,
        UnsupportedMediaType,
        "takes application/x-www-form-urlencoded or application/sparql-update, not text/plain",
    ),
    (
        UPDATE,
        "POST",
        "",
        "application/sparql-update; charset=latin-1",
        INSERT,
        UnsupportedMediaType,
        "UTF-8 only",
    ),
    (
        QUERY,
        "GET",
        "query=ASK+%7B%7D&default-graph-uri=not+an+iri",
        None,
        "",
        ProtocolError,
        "default-graph-uri must be an absolute IRI",
    ),
    (
        UPDATE,
        "POST",
        "using-named-graph-uri=g",
        "application/sparql-update",
        INSERT,
        ProtocolError,
        "using-named-graph-uri must be an absolute IRI",
    ),
]


@pytest.mark.parametrize(("operation", "method", "query", "content_type", "body", "error", "words"), REFUSED)
def test_refused(
    operation: Operation,
    method: str,
    query: str,
    content_type: str | None,
    body: str,
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=None) as raised:
        read(operation, method, query, content_type, body)
    assert type(raised.value) is error and words in str(raised.value)
