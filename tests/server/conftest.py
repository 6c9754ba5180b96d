"""Fixtures for the server tests: a small on-disk store and real uvicorn servers on free ports of 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from cwkg.build import write_dumps, write_search_index
from cwkg.config import Settings
from cwkg.server.app import create_app
from cwkg.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "fixture.trig"
TOKEN = "s3cret-test-token"
G_ONTOLOGY = "https://w3id.org/cwkg/graph/ontology"
G_SOURCE = "https://w3id.org/cwkg/graph/source/fixture-survey"
G_PROVENANCE = "https://w3id.org/cwkg/graph/provenance"
COUNTS = {G_ONTOLOGY: 17, G_SOURCE: 38, G_PROVENANCE: 7}
TOTAL = sum(COUNTS.values())
TIMEOUT = 2.0  # seconds: the query time limit of the test servers
#: Never finishes: a six-way cross product of the 62 fixture triples (5.7e10 rows).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"


def build_store(path: Path) -> Path:
    """An on-disk Oxigraph store holding the fixture."""
    store = OxigraphStore(path)
    store.load(DATA)
    store.flush()
    del store
    return path


def make_settings(store: Path, **overrides: Any) -> Settings:
    """Settings for a test server: small limits, a short timeout, and 127.0.0.1 allowed for SERVICE."""
    values: dict[str, Any] = {
        "store": str(store),
        "host": "127.0.0.1",
        "port": 0,
        "workers": 2,
        "query_timeout": TIMEOUT,
        "max_rows": 50,
        "max_body_bytes": 16_384,
        "max_concurrent_queries": 2,
        "service_allowlist": ["127.0.0.1"],
        "cors_origins": ["*"],
    }
    values.update(overrides)
    return Settings(**values)


class LiveServer:
    """A real uvicorn server running the app in a thread, on a port the OS chose."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # accepted sockets inherit this: without it each kept-alive request waits ~40 ms (Nagle + delayed ACK)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                log_level="warning",
                access_log=False,
                lifespan="on",
                timeout_graceful_shutdown=5,
            )
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        """Start and wait until /healthz answers 200."""
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        assert httpx.get(self.url + "/healthz").status_code == 200
        return self

    def stop(self) -> None:
        """Stop gracefully (workers told to exit, the store flushed)."""
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()

    def workers(self) -> list[dict[str, Any]]:
        """The read workers as /healthz reports them."""
        workers: list[dict[str, Any]] = httpx.get(self.url + "/healthz").json()["workers"]
        return workers

    def wait_idle(self, timeout: float = 10) -> None:
        """Wait until every read worker is up and idle (a killed one replaced)."""
        deadline = time.monotonic() + timeout
        while True:
            workers = self.workers()
            if len(workers) == self.settings.workers and not any(w["busy"] for w in workers):
                return
            assert time.monotonic() < deadline, f"workers not idle: {workers}"
            time.sleep(0.05)


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture store on disk, shared read-only."""
    return build_store(tmp_path_factory.mktemp("server") / "store")


@pytest.fixture(scope="session")
def live(store_path: Path) -> Iterator[LiveServer]:
    """A read-only server over the fixture store, for the whole session."""
    server = LiveServer(make_settings(store_path)).start()
    yield server
    server.stop()


@pytest.fixture
def client(live: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client for the read-only server."""
    with httpx.Client(base_url=live.url, timeout=15) as c:
        yield c


@pytest.fixture
def own_store(store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture store, for a test that writes."""
    target = tmp_path / "store"
    shutil.copytree(store_path, target)
    return target


@pytest.fixture
def writable(own_store: Path) -> Iterator[LiveServer]:
    """A server with updates on (token TOKEN) over a private copy of the store."""
    server = LiveServer(make_settings(own_store, allow_update=True, update_token=TOKEN)).start()
    yield server
    server.stop()


@pytest.fixture
def auth() -> dict[str, str]:
    """The header that carries the update token."""
    return {"Authorization": f"Bearer {TOKEN}"}


def start_project_server(project: tuple, folder: Path, **overrides: object) -> LiveServer:
    """A server over the real project's graph, with the build's dumps in its dist folder."""
    store = OxigraphStore(folder / "store")
    store.extend(project[1])
    store.flush()
    del store
    write_dumps(project[1], folder / "dist")
    write_search_index(folder / "store", folder / "dist" / "search.sqlite")
    settings = make_settings(
        folder / "store",
        dist_dir=folder / "dist",
        max_rows=100_000,
        query_timeout=20,
        max_concurrent_queries=8,
        **overrides,
    )
    return LiveServer(settings).start()


@pytest.fixture(scope="session")
def project_server(project: tuple, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server over the real project's graph, shared by the API and page tests."""
    server = start_project_server(project, tmp_path_factory.mktemp("project"))
    yield server
    server.stop()
