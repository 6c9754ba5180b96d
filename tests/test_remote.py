"""The remote store and `cwkg publish` against a real second store: `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import cwkg.remote_store as store_module
from cwkg.build import build
from cwkg.config import Settings
from cwkg.errors import QuerySyntaxError, StoreError
from cwkg.publish import STAGING, publish
from cwkg.queries import Catalogue, plain_rows
from cwkg.store import OxigraphStore, RemoteStore, open_store
from tests.conftest import ROOT
from tests.test_build import STEP_UP, small_project

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve` over a folder, started and stopped by the test."""

    def __init__(self, location: Path, *options: str) -> None:
        self.location = location
        self.options = options
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self) -> None:
        assert OXIGRAPH, "the oxigraph server (PyPI package oxigraph) is not installed"
        self.process = subprocess.Popen(
            [
                OXIGRAPH,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url, params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start")

    def kill(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()


#: The remote stores a test opened, closed after it (an open HTTP pool is a ResourceWarning, an error here).
OPENED: list[RemoteStore] = []


def opened(url: str, *, retries: int = 3, backoff: float = 0.5) -> RemoteStore:
    """A RemoteStore closed at the end of the test."""
    store = RemoteStore(url, retries=retries, backoff=backoff)
    OPENED.append(store)
    return store


@pytest.fixture(autouse=True)
def close_remote_stores() -> Iterator[None]:
    """Close every remote store the test opened."""
    yield
    while OPENED:
        OPENED.pop().close()


@pytest.fixture()
def remote_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "remote")
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = small_project(tmp_path_factory.mktemp("pub"), STEP_UP.format(quote="bursary of £19,833"))
    build(settings, validate=False)
    return settings


def test_open_store_selects_the_backend(tmp_path: Path) -> None:
    assert isinstance(open_store("http://127.0.0.1:1/query"), RemoteStore)
    assert isinstance(open_store(str(tmp_path / "db")), OxigraphStore)


def test_publish_then_query_gives_the_same_answers_as_the_embedded_store(
    built: Settings, remote_server: OxigraphServer
) -> None:
    remote = opened(remote_server.url)
    report = publish(built, remote)
    local = OxigraphStore(Path(built.store), read_only=True)
    assert report.published == {g: len(list(local.quads(g))) for g in local.graphs()}
    assert remote.graphs() == local.graphs()
    canned = Catalogue.load(ROOT / "queries" / "canned").get("search")
    _, here = plain_rows(canned.run(local, {"text": "Step Up"}))
    _, there = plain_rows(canned.run(remote, {"text": "Step Up"}))
    assert here and sorted(map(str, here)) == sorted(map(str, there))
    # publishing again finds everything in place and only checks it
    again = publish(built, remote)
    assert again.published == {} and set(again.skipped) == set(local.graphs())


def test_a_store_whose_default_graph_is_the_union_is_queried_without_naming_graphs(
    built: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    union = OxigraphServer(tmp_path / "union", "--union-default-graph")
    union.start()
    try:
        publish(built, opened(union.url))
        monkeypatch.setenv("CWKG_REMOTE_UNION_DEFAULT_GRAPH", "true")
        remote = RemoteStore.configured(union.url, Settings().remote())
        OPENED.append(remote)
        assert remote.union_default
        canned = Catalogue.load(ROOT / "queries" / "canned").get("search")
        local = OxigraphStore(Path(built.store), read_only=True)
        _, here = plain_rows(canned.run(local, {"text": "Step Up"}))
        _, there = plain_rows(canned.run(remote, {"text": "Step Up"}))
        assert here and sorted(map(str, here)) == sorted(map(str, there))
        sent: list[httpx.Request] = []
        remote._http.event_hooks["request"].append(sent.append)
        canned.run(remote, {"text": "Step Up"})
        assert sent and all(b"default-graph-uri" not in r.content for r in sent)
    finally:
        union.kill()


def test_the_union_of_a_remote_store_follows_graphs_published_later(
    built: Settings, remote_server: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = opened(remote_server.url)
    assert not remote.query("ASK { ?s ?p ?o }", union_default_graph=True)  # an empty store: nothing to union
    publish(built, opened(remote_server.url))
    assert not remote.query(
        "ASK { ?s ?p ?o }", union_default_graph=True
    )  # its list of graphs is still trusted
    monkeypatch.setattr(store_module, "UNION_TTL", 0.0)
    assert remote.query("ASK { ?s ?p ?o }", union_default_graph=True)  # asked again: the new graphs are seen


def test_remote_errors_are_translated(remote_server: OxigraphServer) -> None:
    remote = opened(remote_server.url)
    with pytest.raises(QuerySyntaxError, match="refused the request"):
        remote.query("SELECT * WHERE { ?s ?p }")
    dead = opened(f"http://127.0.0.1:{free_port()}/query", retries=1, backoff=0.01)
    with pytest.raises(StoreError, match="cannot reach the store"):
        dead.graphs()


def test_a_parameter_cannot_become_syntax_on_the_remote_store(
    built: Settings, remote_server: OxigraphServer
) -> None:
    remote = opened(remote_server.url)
    publish(built, remote)
    canned = Catalogue.load(ROOT / "queries" / "canned").get("search")
    _, rows = plain_rows(canned.run(remote, {"text": '") } UNION { ?resource ?p ?matched } #'}))
    assert rows == []


def test_a_publish_killed_midway_resumes_and_leaves_no_partial_graph(
    built: Settings, remote_server: OxigraphServer
) -> None:
    remote = opened(remote_server.url, retries=1, backoff=0.01)
    local = OxigraphStore(Path(built.store), read_only=True)
    graphs = local.graphs()
    seen: list[str] = []

    def kill_after_two(graph: str, n: int) -> None:
        seen.append(graph)
        if len(seen) == 2:
            remote_server.kill()

    with pytest.raises(StoreError):
        publish(built, remote, on_graph=kill_after_two)
    remote_server.start()
    remote = opened(remote_server.url)
    # what is there is whole: each published graph has exactly its local triples
    for g in remote.graphs():
        if not g.startswith(STAGING):
            assert remote.count(g) == len(list(local.quads(g))), g
    report = publish(built, remote)
    assert set(report.skipped) >= set(seen[:2])
    assert remote.graphs() == graphs
    assert not any(g.startswith(STAGING) for g in remote.graphs())
    for g in graphs:
        assert remote.count(g) == len(list(local.quads(g)))


def test_cwkg_serves_over_the_remote_store_with_the_same_answers(
    built: Settings, remote_server: OxigraphServer
) -> None:
    from tests.server.conftest import LiveServer, make_settings

    publish(built, opened(remote_server.url))
    local = LiveServer(make_settings(Path(built.store), max_rows=1000)).start()
    remote = LiveServer(make_settings(remote_server.url, max_rows=1000)).start()  # type: ignore[arg-type]
    try:
        for server in (local, remote):
            assert httpx.get(server.url + "/healthz").status_code == 200
        canned = "/api/queries/search"
        answers = [
            httpx.get(s.url + canned, params={"text": "Step Up"}).json()["rows"] for s in (local, remote)
        ]
        assert answers[0] and sorted(map(str, answers[0])) == sorted(map(str, answers[1]))
        query = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?s ?l"
        csv = [
            httpx.get(s.url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}).text
            for s in (local, remote)
        ]
        assert csv[0] == csv[1] and csv[0].count("\n") > 3
        # the safety layer still holds in front of the remote store
        refused = httpx.get(
            remote.url + "/sparql",
            params={"query": "SELECT * WHERE { SERVICE <http://not-allowed.invalid/sparql> { ?s ?p ?o } }"},
        )
        assert refused.status_code == 400 and "SERVICE" in refused.text
        load = httpx.post(remote.url + "/update", data={"update": "LOAD <http://127.0.0.1:1/x.ttl>"})
        assert load.status_code in (400, 403)
    finally:
        local.stop()
        remote.stop()


def _canonical(row: dict) -> str:  # type: ignore[type-arg]
    """A row with GROUP_CONCAT lists in sorted order (SPARQL leaves their order to the store)."""

    def value(v: object) -> object:
        if isinstance(v, str) and ("; " in v or v.startswith("http") and " " in v):
            return sorted(v.replace("; ", " ").split(" ") if v.startswith("http") else v.split("; "))
        return v

    return str(sorted((k, str(value(v))) for k, v in row.items()))


def test_every_canned_query_answers_the_same_over_the_remote_store(
    project: tuple, tmp_path: Path, remote_server: OxigraphServer
) -> None:
    """The real graph, published to `oxigraph serve`: each canned query's example answer through
    `cwkg serve --store URL` equals its answer through `cwkg serve` over the embedded store."""
    from tests.server.conftest import LiveServer, make_settings, start_project_server

    local = start_project_server(project, tmp_path)
    remote: LiveServer | None = None
    try:
        publish(
            Settings(store=str(tmp_path / "store"), dist_dir=tmp_path / "dist"),
            opened(remote_server.url),
        )
        remote = LiveServer(make_settings(remote_server.url, max_rows=10_000, query_timeout=30)).start()  # type: ignore[arg-type]
        for q in Catalogue.load(ROOT / "queries" / "canned"):
            params = {p.name: p.example for p in q.parameters if p.example}
            answers = [
                httpx.get(f"{s.url}/api/queries/{q.name}", params=params, timeout=60).json()["rows"]
                for s in (local, remote)
            ]
            assert sorted(map(_canonical, answers[0])) == sorted(map(_canonical, answers[1])), q.name
            assert answers[0] or q.name == "disagreeing-figures", q.name
    finally:
        local.stop()
        if remote is not None:
            remote.stop()
