"""The W3C SPARQL 1.1 Protocol tests (sparql11/protocol/manifest.ttl), each run as HTTP exchanges.

The manifest describes each test as HTTP requests (ht:Request) with their expected responses. Every
request path starts with `/sparql/`, which the manifest says to replace with the service's own paths:
here `/sparql` for queries and `/update` for updates. The server has updates on, with a token that every
update request carries, so that the tests of bad updates fail for the reason they test and not for want
of rights. Before each test that has ut:graphData, the store is emptied and those graphs loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from cwkg.store import OxigraphStore
from tests.server.conftest import TOKEN, LiveServer, make_settings

HERE = Path(__file__).resolve().parent / "protocol"
MANIFEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
EXPECTED_CASES = 34
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOOLEAN_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
TABULAR = {*BOOLEAN_FORMATS, "text/csv", "text/tab-separated-values"}
#: What the test allows for a graph result: RDF/XML, Turtle, N-Triples, RDFa.
RDF_FORMATS = {
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str  # the manifest's ht:absolutePath, starting with /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]  # the allowed first digits of the status code: "2", "3", "4"
    boolean: bool | None
    fmt: str | None  # "boolean", "tabular" or "RDF"

    @property
    def is_update(self) -> bool:
        """Whether this is an update request: a SPARQL Update body, or an `update` parameter."""
        content_type = dict(self.headers).get("content-type", "")
        if content_type.startswith("application/sparql-update"):
            return True
        query = urlsplit(self.path).query
        body = self.body.decode("utf-8", "replace") if self.body else ""
        return any(key == "update" for text in (query, body) for key, _ in parse_qsl(text))

    @property
    def target(self) -> str:
        """The path on this server: `/sparql/?x` becomes `/sparql?x`, or `/update?x` for an update."""
        assert self.path.startswith("/sparql/"), self.path
        return ("/update" if self.is_update else "/sparql") + self.path.removeprefix("/sparql/")


@dataclass(frozen=True)
class Case:
    """One protocol test: the graphs to load first, then the exchanges in order."""

    id: str
    name: str
    graphs: tuple[tuple[str, Path], ...]  # (graph IRI, file)
    exchanges: tuple[Exchange, ...]


def _items(graph: rdflib.Graph, head: rdflib.term.Node | None) -> list[rdflib.term.Node]:
    """An RDF list's members."""
    return [] if head is None else list(Collection(graph, head))


def _exchange(graph: rdflib.Graph, request: rdflib.term.Node) -> Exchange:
    """One ht:Request with its ht:resp."""
    headers = tuple(
        (str(graph.value(h, HT.fieldName)).lower(), str(graph.value(h, HT.fieldValue)))
        for h in _items(graph, graph.value(request, HT.headers))
    )
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = frozenset(str(s).removeprefix(HTS)[0] for s in graph.objects(response, MF.expectedStatus))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return Exchange(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        boolean=None if boolean is None else bool(boolean.toPython()),
        fmt=None if fmt is None else str(fmt),
    )


def load_cases() -> list[Case]:
    """The tests of the manifest, in its order."""
    graph = rdflib.Graph().parse(HERE / "manifest.ttl", format="turtle", publicID=MANIFEST)
    cases = []
    for entry in _items(graph, graph.value(rdflib.URIRef(MANIFEST), MF.entries)):
        graphs = tuple(
            sorted(
                (str(graph.value(d, RDFS.label)), HERE / str(graph.value(d, UT.graph)).rpartition("/")[2])
                for d in graph.objects(entry, UT.graphData)
            )
        )
        action = graph.value(entry, MF.action)
        exchanges = tuple(_exchange(graph, r) for r in _items(graph, graph.value(action, HT.requests)))
        assert graph.value(entry, RDF.type) == MF.ProtocolTest and exchanges
        cases.append(
            Case(
                id=str(entry).rpartition("#")[2],
                name=str(graph.value(entry, MF.name)),
                graphs=graphs,
                exchanges=exchanges,
            )
        )
    return cases


CASES = load_cases()

#: Tests this server fails, with the reason (strict: each must fail).
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with updates on over an empty store of its own."""
    store = tmp_path_factory.mktemp("w3c-protocol") / "store"
    OxigraphStore(store).flush()
    live = LiveServer(make_settings(store, allow_update=True, update_token=TOKEN)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """One client for all the exchanges."""
    # No keep-alive: on a kept-alive connection every answer of this server waits ~40 ms (delayed ACK).
    with httpx.Client(
        base_url=server.url,
        timeout=30,
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    ) as c:
        yield c


def reset(client: httpx.Client, case: Case) -> None:
    """For a test with ut:graphData: empty the store and load its graphs, in one update."""
    if not case.graphs:
        return
    data = " ".join(f"GRAPH <{iri}> {{ {file.read_text(encoding='utf-8')} }}" for iri, file in case.graphs)
    r = client.post(
        "/update",
        content=f"DROP ALL ; INSERT DATA {{ {data} }}".encode(),
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )
    assert r.status_code == 204, r.text


def check(response: httpx.Response, exchange: Exchange) -> None:
    """The response is what the manifest expects: status class, result format and boolean."""
    where = f"{exchange.method} {exchange.target}: {response.status_code} {response.text[:300]}"
    assert str(response.status_code)[0] in exchange.statuses, where
    if exchange.fmt is None:
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if exchange.fmt == "boolean":
        assert media_type in BOOLEAN_FORMATS, where
        result = ox.parse_query_results(response.content, format=BOOLEAN_FORMATS[media_type])
        assert isinstance(result, ox.QueryBoolean), where
        if exchange.boolean is not None:
            assert bool(result) is exchange.boolean, where
    elif exchange.fmt == "tabular":
        assert media_type in TABULAR, where
    else:
        assert exchange.fmt == "RDF", exchange.fmt
        assert media_type in RDF_FORMATS, where
        list(ox.parse(response.content, format=RDF_FORMATS[media_type]))  # it parses


def test_case_count() -> None:
    assert len(CASES) == EXPECTED_CASES
    assert len({case.id for case in CASES}) == EXPECTED_CASES


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.id,
            marks=[pytest.mark.xfail(reason=KNOWN_FAILURES[c.id], strict=True)]
            if c.id in KNOWN_FAILURES
            else [],
        )
        for c in CASES
    ],
)
def test_protocol(case: Case, client: httpx.Client) -> None:
    reset(client, case)
    for exchange in case.exchanges:
        headers = dict(exchange.headers)
        if exchange.is_update:
            headers.update(AUTH)
        response = client.request(exchange.method, exchange.target, content=exchange.body, headers=headers)
        check(response, exchange)
