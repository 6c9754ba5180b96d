"""The Store contract: the same tests against the embedded Oxigraph store and a real `oxigraph serve`.

Every backend gives the same result type for each query form, applies updates and graph replacement,
counts, flushes and closes, and raises cwkg.errors classes (never pyoxigraph's or httpx's).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cwkg.errors import ParseError, QuerySyntaxError, StoreError, UpdateFailed
from cwkg.remote_store import RemoteStore
from cwkg.store import OxigraphStore, Store
from tests.conftest import ROOT
from tests.test_remote import OxigraphServer, free_port

G1, G2 = "urn:x-test:g1", "urn:x-test:g2"
A, B, P, Q = (ox.NamedNode(f"urn:x-test:{n}") for n in ("a", "b", "p", "q"))


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("contract") / "remote")
    server.start()
    yield server
    server.kill()


@pytest.fixture(params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend."""
    opened: Store
    if request.param == "embedded":
        opened = OxigraphStore(tmp_path / "db")
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        opened = RemoteStore(server.url, retries=1, backoff=0.01)
        opened.update("DROP ALL")
    yield opened
    opened.close()


def two_graphs(store: Store) -> None:
    """a p "one" and a q b in G1; a p "one" in G2 as well."""
    store.update(
        f'INSERT DATA {{ GRAPH <{G1}> {{ {A} {P} "one" . {A} {Q} {B} }} GRAPH <{G2}> {{ {A} {P} "one" }} }}'
    )


def test_both_backends_satisfy_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_select_gives_solutions(store: Store) -> None:
    two_graphs(store)
    result = store.query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ {A} ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    assert sorted(str(row["o"]) for row in result) == sorted(['"one"', str(B)])


def test_ask_gives_a_boolean(store: Store) -> None:
    two_graphs(store)
    yes = store.query(f"ASK {{ GRAPH <{G2}> {{ {A} {P} ?o }} }}")
    no = store.query(f"ASK {{ GRAPH <{G2}> {{ {A} {Q} ?o }} }}")
    assert isinstance(yes, ox.QueryBoolean) and isinstance(no, ox.QueryBoolean)
    assert bool(yes) and not bool(no)


def test_construct_and_describe_give_triples(store: Store) -> None:
    two_graphs(store)
    built = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert isinstance(built, ox.QueryTriples)
    assert set(built) == {ox.Triple(A, P, ox.Literal("one")), ox.Triple(A, Q, B)}
    described = store.query(f"DESCRIBE {A}", union_default_graph=True)
    assert isinstance(described, ox.QueryTriples)
    assert ox.Triple(A, Q, B) in set(described)


def test_the_dataset_is_the_union_or_the_graphs_named(store: Store) -> None:
    two_graphs(store)
    query = "SELECT ?p WHERE { ?s ?p ?o }"
    union = store.query(query, union_default_graph=True)
    assert isinstance(union, ox.QuerySolutions)
    assert {row["p"] for row in union} == {P, Q}
    only_g2 = store.query(query, default_graph=[G2], named_graphs=[])
    assert isinstance(only_g2, ox.QuerySolutions)
    assert [row["p"] for row in only_g2] == [P]


def test_substitutions_bind_a_variable(store: Store) -> None:
    two_graphs(store)
    result = store.query(
        "SELECT ?s WHERE { GRAPH ?g { ?s ?_p ?o } }", substitutions={"_p": Q}, union_default_graph=True
    )
    assert isinstance(result, ox.QuerySolutions)
    assert [row["s"] for row in result] == [A]


def test_graphs_counts_and_quads(store: Store) -> None:
    two_graphs(store)
    assert store.graphs() == [G1, G2]
    assert (store.count(G1), store.count(G2)) == (2, 1)
    assert len(store) == 3
    assert {(q.subject, q.predicate, q.object) for q in store.quads(G1)} == {
        (A, P, ox.Literal("one")),
        (A, Q, B),
    }
    assert all(q.graph_name == ox.NamedNode(G2) for q in store.quads(G2))
    assert len(list(store.quads())) == 3


def test_replace_graph_then_drop(store: Store) -> None:
    two_graphs(store)
    store.replace_graph(G1, [ox.Quad(B, P, ox.Literal("two"), ox.NamedNode(G2))])
    assert store.count(G1) == 1
    assert [(q.subject, q.object, q.graph_name) for q in store.quads(G1)] == [
        (B, ox.Literal("two"), ox.NamedNode(G1))
    ]
    assert store.count(G2) == 1  # the quad's own graph name is not where it goes
    store.update(f"DROP GRAPH <{G1}>")
    assert store.graphs() == [G2]


def test_extend_and_load(store: Store, tmp_path: Path) -> None:
    store.extend([ox.Quad(A, P, B, ox.NamedNode(G1)), ox.Quad(B, P, A, ox.NamedNode(G2))])
    assert (store.count(G1), store.count(G2)) == (1, 1)
    file = tmp_path / "more.ttl"
    file.write_text(f"{A} {Q} {B} .\n{B} {Q} {A} .\n", encoding="utf-8")
    assert store.load(file, graph=G2) == 2
    assert store.count(G2) == 3


def test_a_file_that_does_not_parse_stores_nothing(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "bad.ttl"
    file.write_text(f"{A} {Q} {B} .\n{B} {Q} .\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad\.ttl:2"):
        store.load(file, graph=G1)
    assert len(store) == 0


def test_syntax_errors_are_ours(store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { <urn:x-test:a> }")


def test_an_update_that_cannot_apply_changes_nothing(store: Store) -> None:
    two_graphs(store)
    with pytest.raises(UpdateFailed):
        store.update(f"CREATE GRAPH <{G1}>")
    assert store.count(G1) == 2


def test_flush_then_close(store: Store) -> None:
    two_graphs(store)
    store.flush()
    store.close()
    with pytest.raises(StoreError):
        store.query("ASK { ?s ?p ?o }")


def test_an_embedded_store_flushed_keeps_its_data(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    two_graphs(store)
    store.flush()
    store.close()
    assert OxigraphStore(tmp_path / "db", read_only=True).count(G1) == 2


# --- an update through `cwkg serve --store URL --allow-update` ------------------------------------


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until `url` answers 200, or fail when the process has died or a minute has passed."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cwkg serve exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def test_an_update_through_cwkg_serve_over_a_remote_store(oxigraph_server: OxigraphServer) -> None:
    remote = RemoteStore(oxigraph_server.url)
    remote.update("DROP ALL")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CWKG_UPDATE_TOKEN": "s3cret", "CWKG_CACHE_BYTES": "0"}
    command = [sys.executable, "-m", "cwkg", "serve", "--store", oxigraph_server.url, "--allow-update"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", server)
        update = f"INSERT DATA {{ GRAPH <{G1}> {{ {A} {P} {B} }} }}"
        answer = httpx.post(
            base + "/update", data={"update": update}, headers={"Authorization": "Bearer s3cret"}, timeout=30
        )
        assert answer.status_code in (200, 204), answer.text
        ask = httpx.post(
            base + "/sparql",
            data={"query": f"ASK {{ {A} {P} {B} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        assert remote.count(G1) == 1  # applied in the remote store itself
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()
        remote.close()


# --- the union is the RDF merge of the graphs after every kind of write --------------------------------------

G3 = "urn:x-test:g3"
WRITES = [  # what the server sends a store: updates of DATA and DROP, and the Graph Store's PUT, POST and DELETE
    f'INSERT DATA {{ GRAPH <{G3}> {{ {A} {P} "one" . {B} {Q} _:x . _:x {P} {A} }} }}',
    f'DELETE DATA {{ GRAPH <{G1}> {{ {A} {P} "one" }} }}',  # still in G2 and G3
    f"DROP SILENT GRAPH <{G2}> ;\nCREATE SILENT GRAPH <{G2}> ;\nINSERT DATA {{ GRAPH <{G2}> {{ {B} {P} {B} }} }}",
    f"CREATE SILENT GRAPH <{G1}> ;\nINSERT DATA {{ GRAPH <{G1}> {{ {B} {P} {B} . {A} {Q} {B} }} }}",
    f'DELETE DATA {{ GRAPH <{G3}> {{ {A} {P} "one" }} GRAPH <{G1}> {{ {A} {Q} {B} }} }}',  # out of every graph
    f"DROP GRAPH <{G3}>",
]


def test_the_union_is_the_merge_after_every_kind_of_write(store: Store) -> None:
    """Over the named graphs (a remote store's union leaves out its own default graph)."""
    two_graphs(store)
    if isinstance(store, OxigraphStore):
        store.materialise_union()
    for write in WRITES:
        store.update(write)
        result = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", union_default_graph=True)
        assert isinstance(result, ox.QuerySolutions)
        answers = [(row["s"], row["p"], row["o"]) for row in result]
        merge = {(q.subject, q.predicate, q.object) for q in store.quads()}
        assert set(answers) == merge, write
        if isinstance(store, OxigraphStore):  # each triple once; `oxigraph serve` repeats one in two graphs
            assert len(answers) == len(merge), write  # (its union is a bag, oxigraph#1919)
