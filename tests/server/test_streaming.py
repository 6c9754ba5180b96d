"""Large results on a real server: streamed from the worker whole, and the worker replaced when a client stops reading."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from cwkg.server.spool import INLINE
from tests.server.conftest import TOTAL, LiveServer, make_settings

#: Every pair of the fixture's triples: TOTAL² rows, several hundred kilobytes in any results format.
PAIRS = "SELECT ?s ?p ?o ?s2 ?p2 ?o2 WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 }"
#: Ten thousand rows of four triples each: about 20 MB as XML, more than the sockets between server and a
#: client that does not read can hold (4 MB of send buffer at most here, and the client's kept small).
QUADRUPLETS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } LIMIT 10000"


@pytest.fixture(scope="module")
def big(store_path: Path) -> Iterator[LiveServer]:
    """A read-only server over the fixture whose row limit lets the large results through."""
    server = LiveServer(make_settings(store_path, max_rows=10_000)).start()
    yield server
    server.stop()


def rows(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple[str, ...]]:
    """The solutions of a results document, each a tuple of its terms in variable order, sorted."""
    parsed = ox.parse_query_results(body, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return sorted(tuple(str(s[n]) for n in names) for s in parsed)


@pytest.mark.parametrize(
    "accept, fmt",
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ],
)
def test_a_large_result_arrives_whole(
    big: LiveServer, store_path: Path, accept: str, fmt: ox.QueryResultsFormat
) -> None:
    r = httpx.get(big.url + "/sparql", params={"query": PAIRS}, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200
    assert len(r.content) > INLINE  # so it was streamed from the worker, not sent inside its reply
    assert int(r.headers["content-length"]) == len(r.content)
    assert int(r.headers["x-cwkg-rows"]) == TOTAL * TOTAL
    direct = ox.Store.read_only(str(store_path)).query(PAIRS, use_default_graph_as_union=True)
    assert isinstance(direct, ox.QuerySolutions)
    want = sorted(tuple(str(s[v.value]) for v in direct.variables) for s in direct)
    assert rows(r.content, fmt) == want


def test_a_client_that_stops_reading_frees_its_worker(big: LiveServer) -> None:
    big.wait_idle()
    before = {w["pid"] for w in big.workers()}
    assert any(w["busy"] for w in big.workers()) is False
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: no growing buffer
    sock.connect(("127.0.0.1", big.port))
    sock.sendall(
        f"GET /sparql?query={quote(QUADRUPLETS)} HTTP/1.1\r\nHost: x\r\n"
        "Accept: application/sparql-results+xml\r\n\r\n".encode()
    )
    head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200")
    time.sleep(0.5)  # the server fills the socket's buffers and waits for this client to read
    sock.close()
    big.wait_idle()  # the rest of the body was read and dropped: the thread is free again
    assert {w["pid"] for w in big.workers()} == before  # without stopping the store process
    r = httpx.get(big.url + "/sparql", params={"query": PAIRS}, timeout=30)
    assert r.status_code == 200 and int(r.headers["x-cwkg-rows"]) == TOTAL * TOTAL


def test_a_large_graph_result_is_converted_from_disk(big: LiveServer, store_path: Path) -> None:
    construct = "CONSTRUCT { ?s ?p ?o2 } WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 }"  # thousands of distinct triples
    r = httpx.get(
        big.url + "/sparql", params={"query": construct}, headers={"Accept": "text/turtle"}, timeout=30
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    direct = ox.Store.read_only(str(store_path)).query(construct, use_default_graph_as_union=True)
    want = {(t.subject, t.predicate, t.object) for t in direct}  # type: ignore[union-attr]
    assert got == want
    as_lines = ox.serialize([ox.Triple(*t) for t in want], format=ox.RdfFormat.N_TRIPLES)
    assert len(as_lines) > INLINE  # so the N-Triples stage spilled to disk before the conversion
    assert b"@prefix" in r.content  # with the prefixes found in the spooled triples
