"""Crash consistency: `cwkg serve` killed by SIGKILL at random points of a large update, a Graph Store PUT
and a `cwkg publish`, then the store read directly: each time it holds all of the operation or none.

Each operation first runs once to the end, which times it; then the server is killed at one point in each
of the next trials' slices of 0-120% of that time (stratified, so early and late kills both happen).
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cwkg.config import Settings
from cwkg.publish import STAGING, publish
from cwkg.remote_store import RemoteStore
from cwkg.store import OxigraphStore
from tests.server.conftest import COUNTS, G_SOURCE, TOKEN, build_store
from tests.server.serve_process import ServeProcess

pytestmark = pytest.mark.slow

#: Trials per operation (the first runs whole): 10 keep the three tests near a minute on an idle machine
TRIALS = int(os.environ.get("CWKG_CRASH_TRIALS", "10"))
BIG = 20_000  # triples an operation writes
G_BIG = "http://example.org/big"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _triples(n: int) -> str:
    """N-Triples of n distinct triples."""
    return "".join(
        f'<http://example.org/s{i}> <http://example.org/p{i % 9}> "v {i}"@en .\n' for i in range(n)
    )


def _counts(store_path: Path) -> dict[str, int]:
    """Triples per named graph, read from the store directly (it must open at once: no process holds it)."""
    store = OxigraphStore(store_path)
    try:
        return {g: store.count(g) for g in store.graphs()}
    finally:
        store.close()


def _attempt(operation: Callable[[ServeProcess], None], server: ServeProcess) -> None:
    """Run an operation whose server is about to be killed under it (its failure is expected)."""
    try:
        operation(server)
    except Exception:
        pass


def _trials(
    fresh: Callable[[Path], None],
    operation: Callable[[ServeProcess], None],
    tmp_path: Path,
    check: Callable[[dict[str, int]], str],
) -> list[str]:
    """Run the operation whole once (timing it), then kill the server at stratified random points."""
    gc.collect()  # earlier tests' pyoxigraph results, collected here rather than in a client thread
    rng = random.Random(23)
    outcomes: list[str] = []
    duration = 0.0
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        fresh(folder)
        server = ServeProcess(folder, workers=1, CWKG_MAX_BODY_BYTES=str(2**26)).start()
        try:
            if trial == 0:
                started = time.perf_counter()
                operation(server)
                duration = time.perf_counter() - started
            else:
                thread = threading.Thread(target=_attempt, args=(operation, server), daemon=True)
                thread.start()
                time.sleep(1.2 * duration * (trial - 1 + rng.random()) / (TRIALS - 1))
                server.kill()
                assert server.survivors(within=2.0) == []
                thread.join(30)
        finally:
            server.stop()
        outcomes.append(check(_counts(folder)))
        shutil.rmtree(folder)
    assert outcomes[0] == "all"
    assert "none" in outcomes, outcomes  # the earliest kills land before the operation commits
    return outcomes


def _fixture_copy(template: Path) -> Callable[[Path], None]:
    """A maker of fresh copies of the fixture store."""
    return lambda folder: shutil.copytree(template, folder)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture store, copied for each trial."""
    return build_store(tmp_path_factory.mktemp("crash") / "store")


def test_a_killed_update_is_all_or_nothing(template: Path, tmp_path: Path) -> None:
    update = f"INSERT DATA {{ GRAPH <{G_BIG}> {{\n{_triples(BIG)}}} }}".encode()

    def operation(server: ServeProcess) -> None:
        headers = {**AUTH, "Content-Type": "application/sparql-update"}
        r = httpx.post(server.url + "/update", content=update, headers=headers, timeout=120)
        assert r.status_code == 204, r.text

    def check(counts: dict[str, int]) -> str:
        if counts.get(G_BIG, 0) == 0:
            assert counts == COUNTS
            return "none"
        assert counts == {**COUNTS, G_BIG: BIG}
        return "all"

    _trials(_fixture_copy(template), operation, tmp_path, check)


def test_a_killed_graph_store_put_is_all_or_nothing(template: Path, tmp_path: Path) -> None:
    body = _triples(BIG).encode()

    def operation(server: ServeProcess) -> None:
        r = httpx.put(
            server.url + "/store",
            params={"graph": G_SOURCE},
            content=body,
            headers={**AUTH, "Content-Type": "application/n-triples"},
            timeout=120,
        )
        assert r.status_code == 204, r.text

    def check(counts: dict[str, int]) -> str:
        if counts[G_SOURCE] == COUNTS[G_SOURCE]:
            assert counts == COUNTS
            return "none"
        assert counts == {**COUNTS, G_SOURCE: BIG}
        return "all"

    _trials(_fixture_copy(template), operation, tmp_path, check)


def test_a_killed_publish_leaves_each_graph_all_or_nothing(tmp_path: Path) -> None:
    """Publish graph by graph into an empty server: each graph (and staging graph) is whole or absent.

    A publish is atomic graph by graph (cwkg.publish: a staging graph, then MOVE), so a kill between
    two graphs leaves some published ("part"); none is ever half written."""
    build = tmp_path / "build"
    local = OxigraphStore(build_store(build / "store"))
    local.extend(
        [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(G_BIG))
            for q in ox.parse(_triples(BIG).encode(), format=ox.RdfFormat.N_TRIPLES)
        ]
    )
    local.flush()
    local.close()
    (build / "SHA256SUMS").write_text("0" * 64 + "  cwkg.nq\n")
    settings = Settings(store=str(build / "store"), dist_dir=build)
    expected = {**COUNTS, G_BIG: BIG}

    def empty(folder: Path) -> None:
        ox.Store(str(folder)).flush()
        for state in build.glob("publish-*.json"):
            state.unlink()  # each trial publishes from the start

    def operation(server: ServeProcess) -> None:
        remote = RemoteStore(server.url + "/sparql", token=TOKEN, timeout=120)
        try:
            publish(settings, remote)
        finally:
            remote.close()

    def check(counts: dict[str, int]) -> str:
        published = {g: n for g, n in counts.items() if not g.startswith(STAGING)}
        staged = [n for g, n in counts.items() if g.startswith(STAGING)]
        assert all(n in expected.values() for n in staged), counts  # a staging graph is written whole
        assert all(n == expected[g] for g, n in published.items()), counts
        if not published:
            return "none"
        return "all" if published == expected else "part"

    _trials(empty, operation, tmp_path, check)
