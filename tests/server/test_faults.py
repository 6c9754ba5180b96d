"""Faults of a real `cwkg serve` process: killed by SIGKILL mid-query and mid-update, nothing of it remains."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cwkg.store import OxigraphStore
from tests.server.conftest import RUNAWAY, TOKEN, TOTAL
from tests.server.serve_process import ServeProcess

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: An update that runs for minutes on the fixture: a count over a six-way cross product of the graphs.
RUNAWAY_UPDATE = (
    "INSERT { <http://example.org/a> <http://example.org/p> ?n } WHERE { { SELECT (COUNT(*) AS ?n) { "
    + " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(6))
    + " } } }"
)


@pytest.fixture
def serve(own_store: Path) -> Iterator[ServeProcess]:
    """A `cwkg serve` process over a private copy of the fixture store."""
    server = ServeProcess(own_store).start()
    yield server
    server.stop()


def _send_in_background(request: dict[str, object]) -> None:
    """Start a request that will not be answered (its server is about to die)."""

    def send() -> None:
        try:
            httpx.request(**request, timeout=60)  # type: ignore[arg-type]
        except httpx.HTTPError:
            pass

    threading.Thread(target=send, daemon=True).start()


def _wait_busy(server: ServeProcess, kind: str) -> None:
    """Wait until a read worker (kind "workers") or the writer ("writer") is evaluating."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(w["busy"] for w in httpx.get(server.url + "/healthz").json()[kind] or []):
            return
        time.sleep(0.05)
    raise AssertionError(f"no {kind} became busy")


@pytest.mark.parametrize(
    ("request_", "busy"),
    [
        ({"method": "GET", "url": "/sparql", "params": {"query": RUNAWAY}}, "workers"),
        ({"method": "POST", "url": "/update", "data": {"update": RUNAWAY_UPDATE}, "headers": AUTH}, "writer"),
    ],
    ids=["mid-query", "mid-update"],
)
def test_nothing_outlives_a_killed_server(
    serve: ServeProcess, own_store: Path, request_: dict[str, object], busy: str
) -> None:
    assert (
        len(serve.tree) >= 3
    )  # resource tracker, forkserver, the store process (its threads read and write)
    gc.collect()  # earlier tests' pyoxigraph results, collected here rather than in a client thread
    _send_in_background({**request_, "url": serve.url + str(request_["url"])})
    _wait_busy(serve, busy)
    serve.kill()
    assert serve.survivors(within=2.0) == []
    store = OxigraphStore(own_store)  # opens at once: no process holds the lock
    assert len(store) == TOTAL  # the interrupted update wrote nothing
