"""The union default graph is a set of triples (an RDF merge), through the store and through HTTP, and
stays one after every kind of write."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cwkg.build import build
from cwkg.errors import QuerySyntaxError, UpdateFailed
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


# --- the server's writes keep the merge in their own transaction (cwkg.union_update) ------------------------

E1, E2 = "urn:x-test:e1", "urn:x-test:e2"
# a triple in G1 and G2 and the default graph, one in G1 only, one with a blank node in G2
SEED = f"""INSERT DATA {{
  GRAPH <{G1}> {{ {TRIPLE} . <urn:x-test:a> <urn:x-test:q> "only in g1"@en }}
  GRAPH <{G2}> {{ {TRIPLE} . _:n <urn:x-test:q> "blank" }}
  {TRIPLE} . <urn:x-test:d> <urn:x-test:p> 7
}}"""
# literals written the ways SPARQL and Turtle both allow: the rows the store reads back must be these triples
FORMS = """PREFIX e: <urn:x-test:> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> BASE <http://base.example/dir/>
"""
FORMS_DATA = r"""e:f e:p "Caf\u00E9 \"quoted\"\t"@EN-gb , 'single' , '''long
line''' , 01 , +1 , 1.0 , 1e3 , true , "x"^^xsd:string , "2020-01-01"^^xsd:date ;
  a e:C ; e:rel <relative> , e:a\-b , <urn:x-test:ü> . # a comment }
e:g e:p "é" ."""


def merge_of(store: OxigraphStore) -> set[tuple[ox.Term, ...]]:
    """The RDF merge of every graph but MERGED, computed here from the quads: each triple once."""
    return {(q.subject, q.predicate, q.object) for q in store.quads()}


def union_is_the_merge(store: OxigraphStore) -> int:
    """Assert that a query over the union answers each triple of the merge once (a bag would repeat some)
    and nothing else; the number of triples."""
    result = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", union_default_graph=True)
    assert isinstance(result, ox.QuerySolutions)
    answers = [(row["s"], row["p"], row["o"]) for row in result]
    assert len(answers) == len(set(answers))
    assert set(answers) == merge_of(store)
    return len(answers)


@pytest.fixture()
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OxigraphStore:
    """Three graphs sharing a triple, merged; an update that falls back to the comparison fails the test."""
    store = OxigraphStore(tmp_path / "db")
    store.update(SEED)
    store.materialise_union()
    assert union_is_the_merge(store) == 4

    def fallback(*args: object) -> None:
        raise AssertionError("the update was not rewritten: it went the way of the snapshot comparison")

    monkeypatch.setattr(OxigraphStore, "_update_then_compare", fallback)
    return store


@pytest.mark.parametrize(
    "update, held",
    [
        (f"INSERT DATA {{ GRAPH <{E1}> {{ {TRIPLE} . <urn:x-test:n> <urn:x-test:p> 1 }} }}", 5),
        (f"INSERT DATA {{ <urn:x-test:n> <urn:x-test:p> _:b . GRAPH <{E1}> {{ _:b <urn:x-test:p> 2 }} }}", 6),
        (  # prefixed graph names, two operations, a graph twice in one, a `.` after a GRAPH block
            "PREFIX e: <urn:x-test:> BASE <urn:x-test:> INSERT DATA { GRAPH e:e1 { e:n e:p 1 } } ;\n"
            "INSERT DATA { GRAPH <e2> { e:n e:p 1 } GRAPH <e2> { e:n e:p 2 } . e:n e:p 3 }",
            7,
        ),
        (f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }}", 4),  # still in G2 and the default graph
        (f'DELETE DATA {{ GRAPH <{G1}> {{ <urn:x-test:a> <urn:x-test:q> "only in g1"@en }} }}', 3),
        (
            f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} }}",
            4,
        ),  # the default holds it
        (f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} {TRIPLE} }}", 3),
        (f"DELETE DATA {{ {TRIPLE} . <urn:x-test:d> <urn:x-test:p> 7 }}", 3),
        (f"INSERT DATA {{ GRAPH <{E1}> {{ {TRIPLE} }} }} ; DELETE DATA {{ GRAPH <{E1}> {{ {TRIPLE} }} }}", 4),
        (  # out of every graph, then into a new one: in the merge at the end
            f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} {TRIPLE} }} ;"
            f"INSERT DATA {{ GRAPH <{E1}> {{ {TRIPLE} }} }}",
            4,
        ),
        (f"DROP GRAPH <{G1}>", 3),
        (f"CLEAR SILENT GRAPH <{G2}> ; DROP DEFAULT", 2),
        ("DROP SILENT GRAPH <urn:x-test:none> ; CREATE GRAPH <urn:x-test:e1>", 4),
    ],
)
def test_the_servers_kinds_of_update_keep_the_merge_in_one_update(
    seeded: OxigraphStore, update: str, held: int
) -> None:
    seeded.update(update)
    assert union_is_the_merge(seeded) == held


@pytest.mark.parametrize(
    "update, held",
    [
        (f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }}", 1),
        (f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} }}", 0),
        (
            f"INSERT DATA {{ {TRIPLE} }} ; DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} }}",
            1,
        ),
        (f"INSERT DATA {{ {TRIPLE} }} ; DROP GRAPH <{G1}> ; DROP GRAPH <{G2}>", 1),
        (
            f"INSERT DATA {{ {TRIPLE} }} ; DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }} ; DROP GRAPH <{G2}>",
            1,
        ),
    ],
)
def test_an_empty_default_graph_is_looked_at_once_the_update_writes_it(
    twice: OxigraphStore, monkeypatch: pytest.MonkeyPatch, update: str, held: int
) -> None:
    monkeypatch.setattr(OxigraphStore, "_update_then_compare", None)  # the rewritten update, or a TypeError
    twice.update(update)
    assert union_is_the_merge(twice) == held


def test_literals_read_back_as_the_store_holds_them(seeded: OxigraphStore) -> None:
    """Deleting what was inserted in every form both grammars share leaves nothing of it in the merge."""
    inserted = f"{FORMS}INSERT DATA {{ GRAPH <{E1}> {{ {FORMS_DATA} }} GRAPH <{E2}> {{ {FORMS_DATA} }} }}"
    seeded.update(inserted)
    held = union_is_the_merge(seeded)
    assert held > 4 + 10  # the store reads 01 and +1 as one value
    seeded.update(f"{FORMS}DELETE DATA {{ GRAPH <{E1}> {{ {FORMS_DATA} }} }}")
    assert union_is_the_merge(seeded) == held  # all still in E2
    seeded.update(f"{FORMS}DELETE DATA {{ GRAPH <{E2}> {{ {FORMS_DATA} }} }}")
    assert union_is_the_merge(seeded) == 4


def test_graph_store_writes_keep_the_merge_in_one_update(seeded: OxigraphStore) -> None:
    """PUT, POST and DELETE as the server's write worker sends them to the store."""
    from cwkg.server.jobs import DropGraphJob, WorkerConfig, WriteGraphJob
    from cwkg.server.worker import Executor, SharedStore

    path = seeded.path
    assert path is not None
    seeded.flush()
    seeded.close()
    config = WorkerConfig(store=path, writable=True, max_rows=100)
    nt, turtle = "application/n-triples", "text/turtle"
    jobs = [
        (WriteGraphJob(G1, f"{TRIPLE} .\n_:x <urn:x-test:p> _:x .\n".encode(), nt, replace=True), 4),
        (
            WriteGraphJob(
                None, b"<urn:x-test:a> <urn:x-test:q> [ <urn:x-test:p> 1 ] .", turtle, replace=True
            ),
            5,
        ),
        (WriteGraphJob(G2, f"{TRIPLE} .".encode(), nt, replace=False), 5),
        (DropGraphJob(G2), 4),  # its blank node goes; the shared triple stays, G1 holds it
        (DropGraphJob(None), 2),
    ]
    for job, held in jobs:
        worker = Executor(config, SharedStore(config), writable=True)  # closed after, to be read directly
        worker.run(job)
        worker.shared.close()
        store = OxigraphStore(path)
        assert union_is_the_merge(store) == held, job
        store.close()


def test_an_update_that_fails_changes_nothing_and_reports_the_authors_text(seeded: OxigraphStore) -> None:
    before = merge_of(seeded)
    with pytest.raises(QuerySyntaxError, match="line 2"):
        seeded.update(f"INSERT DATA {{ GRAPH <{E1}> {{ {TRIPLE} }} }} ;\nINSERT DATA {{ <urn:x-test:a> }}")
    with pytest.raises(UpdateFailed):
        seeded.update(f"DELETE DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} }} ; DROP GRAPH <urn:x-test:none>")
    union_is_the_merge(seeded)
    assert merge_of(seeded) == before


# --- a write killed midway leaves the merge equal to the merge of the graphs ---------------------------------

KILLED_WRITE = """
import sys
import time
from pathlib import Path
from cwkg.server.jobs import UpdateJob, WorkerConfig, WriteGraphJob
from cwkg.server.worker import Executor, SharedStore

store, kind, data = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]).read_text(encoding="utf-8")
job = UpdateJob(data) if kind != "put" else WriteGraphJob(sys.argv[4], data.encode(), "application/n-triples", True)
print("go", flush=True)
start = time.perf_counter()
config = WorkerConfig(store=store, writable=True, max_rows=1)
Executor(config, SharedStore(config), writable=True).run(job)
print("done", time.perf_counter() - start, flush=True)
"""
BULK = 20_000


def bulk_lines(n: int, tag: str) -> str:
    """n N-Triples lines, a tenth of them the seed's shared triple's kind (held in other graphs too)."""
    return "".join(
        f"{TRIPLE} .\n"
        if i % 10 == 0
        else f'<urn:x-test:{tag}{i // 4}> <urn:x-test:p{i % 4}> "{tag} {i}"@en .\n'
        for i in range(n)
    )


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, and BULK triples in G1, merged and closed."""
    path = tmp_path_factory.mktemp("bulk") / "db"
    store = OxigraphStore(path)
    store.update(SEED)
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {bulk_lines(BULK, 'old')} }} }}")
    store.materialise_union()
    store.flush()
    store.close()
    return path


def test_a_write_killed_midway_leaves_the_merge_whole(bulk_store: Path, tmp_path: Path) -> None:
    new = bulk_lines(BULK * 2, "new")
    distinct_new = len(set(new.splitlines()))
    writes = {  # each: the text or body, and the triples in G1 and E1 once it has applied
        "insert": (f"INSERT DATA {{ GRAPH <{E1}> {{ {new} }} }}", (BULK // 10 * 9 + 2, distinct_new)),
        "delete": (f"DELETE DATA {{ GRAPH <{G1}> {{ {bulk_lines(BULK, 'old')} }} }}", (1, 0)),
        "put": (new, (distinct_new, 0)),
    }
    killed = 0
    for kind, (data, applied) in writes.items():
        took = 0.0
        for share in (None, 0.3, 0.8):  # as the server's write worker runs it: to the end, then killed
            store = tmp_path / f"{kind}-{share}"
            shutil.copytree(bulk_store, store)
            (tmp_path / "data").write_text(data, encoding="utf-8")
            with subprocess.Popen(
                [sys.executable, "-c", KILLED_WRITE, str(store), kind, str(tmp_path / "data"), G1],
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
            ) as child:
                assert child.stdout is not None
                assert child.stdout.readline() == b"go\n"
                if share is not None:
                    time.sleep(share * took)
                    child.send_signal(signal.SIGKILL)
                said = child.stdout.read().split()
                assert child.wait(timeout=120) == (0 if share is None else -signal.SIGKILL) or said
            if share is None:
                took = float(said[1])
            killed += not said
            reopened = OxigraphStore(store)
            union_is_the_merge(reopened)
            counts = (reopened.count(G1), reopened.count(E1))
            assert counts in ((BULK // 10 * 9 + 2, 0), applied), (kind, share, counts)  # all of it or none
            assert share is not None or counts == applied
            reopened.close()
    assert killed, "every write finished before its kill: make BULK larger"
