"""The union default graph is a set of triples (an RDF merge), through the store and through HTTP, and
stays one after every kind of write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cwkg.build import build
from cwkg.store import OxigraphStore
from cwkg.union_graph import MERGED
from tests.server.conftest import LiveServer, make_settings
from tests.test_build import STEP_UP, small_project

W3C = Path(__file__).parent / "w3c" / "exists"
E = "http://www.example.org/"
G1, G2, G3 = "urn:x-test:g1", "urn:x-test:g2", "urn:x-test:g3"
TRIPLE = "<urn:x-test:a> <urn:x-test:p> <urn:x-test:b>"


def union_rows(store: OxigraphStore, query: str = "SELECT * WHERE { ?s ?p ?o }") -> int:
    result = store.query(query, union_default_graph=True)
    assert isinstance(result, ox.QuerySolutions)
    return len(list(result))


@pytest.fixture()
def twice(tmp_path: Path) -> OxigraphStore:
    """One triple in two named graphs, merged."""
    store = OxigraphStore(tmp_path / "db")
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} }}")
    store.materialise_union()
    return store


def test_a_triple_in_two_graphs_is_one_solution(twice: OxigraphStore) -> None:
    assert union_rows(twice) == 1
    count = twice.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union_default_graph=True)
    assert isinstance(count, ox.QuerySolutions)
    assert [row["n"] for row in count] == [ox.Literal(1)]


def test_the_merge_is_hidden(twice: OxigraphStore) -> None:
    assert twice.graphs() == [G1, G2]
    assert len(twice) == 2 and len(list(twice.quads())) == 2
    graphs = twice.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=True)
    assert isinstance(graphs, ox.QuerySolutions)
    assert sorted(row["g"].value for row in graphs if row["g"] is not None) == [G1, G2]
    assert MERGED.value not in twice.graphs()


def test_deleting_from_one_graph_keeps_what_another_holds(twice: OxigraphStore) -> None:
    twice.update(f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }}")
    assert union_rows(twice) == 1
    twice.update(f"DELETE DATA {{ GRAPH <{G2}> {{ {TRIPLE} }} }}")
    assert union_rows(twice) == 0


@pytest.mark.parametrize(
    "update, rows",
    [
        (f"INSERT DATA {{ GRAPH <{G3}> {{ {TRIPLE} . <urn:x-test:a> <urn:x-test:p> _:x }} }}", 2),
        (f"INSERT DATA {{ {TRIPLE} }}", 1),  # the store's own default graph is in the union too
        ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", 0),  # graphs not known
        (f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", 1),
        (f"DROP GRAPH <{G1}> ; MOVE <{G2}> TO <{G3}>", 1),
        ("DROP ALL", 0),
        (f"CLEAR NAMED ; INSERT DATA {{ GRAPH <{G3}> {{ <urn:x-test:c> <urn:x-test:p> 1 }} }}", 1),
    ],
)
def test_every_kind_of_update_keeps_the_merge(twice: OxigraphStore, update: str, rows: int) -> None:
    twice.update(update)
    assert union_rows(twice) == rows
    merged = {
        (q.subject, q.predicate, q.object) for q in twice._store.quads_for_pattern(None, None, None, MERGED)
    }
    assert merged == {(q.subject, q.predicate, q.object) for q in twice.quads()}


def test_graph_writes_keep_the_merge(twice: OxigraphStore) -> None:
    a, p = ox.NamedNode("urn:x-test:a"), ox.NamedNode("urn:x-test:p")
    twice.replace_graph(G1, [ox.Quad(a, p, ox.Literal("new"))])
    assert union_rows(twice) == 2  # the old triple is still in G2
    twice.replace_graph(G2, [])
    assert union_rows(twice) == 1
    twice.extend([ox.Quad(a, p, ox.Literal("new"), ox.NamedNode(G3))])
    assert union_rows(twice) == 1


def test_cwkg_build_writes_the_merge(tmp_path: Path) -> None:
    settings = small_project(tmp_path, STEP_UP.format(quote="bursary of £19,833"))
    build(settings, validate=False)
    store = OxigraphStore(Path(settings.store), read_only=True)
    assert MERGED.value not in store.graphs()
    distinct = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    union = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union_default_graph=True)
    assert isinstance(distinct, ox.QuerySolutions) and isinstance(union, ox.QuerySolutions)
    assert next(iter(union))["n"] == next(iter(distinct))["n"]


# --- the W3C case the issue names: exists-graph-variable, with its data as the manifest gives it -------------


@pytest.fixture()
def w3c_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The test's data file as the default graph (qt:data) and as a named graph (qt:graphData), merged."""
    store = OxigraphStore(tmp_path / "store")
    data = W3C / "exists-graph-variable.ttl"
    iri = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/exists/exists-graph-variable.ttl"
    for graph in (None, iri):
        store._store.load(
            path=data,
            format=ox.RdfFormat.TURTLE,
            base_iri=iri,
            to_graph=ox.NamedNode(graph) if graph else None,
        )
    store.materialise_union()
    store.flush()
    store.close()
    server = LiveServer(make_settings(tmp_path / "store", max_rows=1000)).start()
    yield server
    server.stop()


def test_exists_graph_variable_through_http_over_the_union(w3c_server: LiveServer) -> None:
    query = (W3C / "exists-graph-variable.rq").read_text(encoding="utf-8")
    answer = httpx.post(
        w3c_server.url + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    rows = [b["s"]["value"] for b in answer.json()["results"]["bindings"]]
    expected = ox.parse_query_results(
        path=W3C / "exists-graph-variable.srx", format=ox.QueryResultsFormat.XML
    )
    assert isinstance(expected, ox.QuerySolutions)
    assert rows == [row["s"].value for row in expected] == [E + "s1"]  # type: ignore[union-attr]


def test_updates_through_the_server_keep_the_merge(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }}")
    store.materialise_union()
    store.flush()
    store.close()
    server = LiveServer(make_settings(tmp_path / "store", allow_update=True, update_token="t0ken")).start()
    auth = {"Authorization": "Bearer t0ken"}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def union_count() -> int:
        answer = httpx.post(
            server.url + "/sparql",
            data={"query": count},
            headers={"Accept": "application/sparql-results+json"},
        )
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    try:
        put = httpx.put(
            server.url + "/store",
            params={"graph": G2},
            content=f"{TRIPLE} .\n".encode(),
            headers={**auth, "Content-Type": "application/n-triples"},
        )
        assert put.status_code in (200, 201, 204), put.text
        assert union_count() == 1  # the same triple in G1 and G2
        deleted = httpx.post(server.url + "/update", data={"update": f"DROP GRAPH <{G1}>"}, headers=auth)
        assert deleted.status_code in (200, 204), deleted.text
        assert union_count() == 1  # still in G2
        dropped = httpx.delete(server.url + "/store", params={"graph": G2}, headers=auth)
        assert dropped.status_code in (200, 204), dropped.text
        assert union_count() == 0
    finally:
        server.stop()
