"""8 readers and 2 writers on one `cwkg serve` for a bounded time: every read sees a consistent snapshot,
none fails, and no acknowledged write is lost.

Each write adds one item typed both `ex:A` and `ex:B` in one INSERT DATA, so in every state the store
is ever in, the items of type A and of type B are as many; a read that saw part of a write would count
them differently. Each reader's counts never go down, and the final count is the writes acknowledged.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import TOKEN
from tests.server.serve_process import ServeProcess

pytestmark = pytest.mark.slow

SECONDS = 20.0
EX = "http://example.org/rw/"
COUNTS = (
    f"SELECT (COUNT(DISTINCT ?a) AS ?na) (COUNT(DISTINCT ?b) AS ?nb) "
    f"WHERE {{ {{ ?a a <{EX}A> }} UNION {{ ?b a <{EX}B> }} }}"
)


@pytest.fixture
def serve(own_store: Path) -> Iterator[ServeProcess]:
    """A `cwkg serve` process with 2 read workers over a private copy of the fixture store."""
    server = ServeProcess(own_store, workers=2, CWKG_CACHE_BYTES="0").start()
    yield server
    server.stop()


def test_readers_see_snapshots_and_no_write_is_lost(serve: ServeProcess) -> None:
    gc.collect()  # earlier tests' pyoxigraph results, collected here rather than in a client thread
    end = time.monotonic() + SECONDS
    acknowledged = [0, 0]
    reads: list[list[tuple[int, int]]] = [[] for _ in range(8)]
    failures: list[str] = []

    def writer(w: int) -> None:
        with httpx.Client(base_url=serve.url, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            k = 0
            while time.monotonic() < end:
                item = f"<{EX}w{w}-{k}>"
                update = f"INSERT DATA {{ {item} a <{EX}A> , <{EX}B> ; <{EX}n> {k} }}"
                r = c.post("/update", data={"update": update})
                if r.status_code == 204:
                    acknowledged[w] += 1
                else:
                    failures.append(f"write {r.status_code}: {r.text[:200]}")
                k += 1

    def reader(i: int) -> None:
        with httpx.Client(base_url=serve.url, timeout=60) as c:
            while time.monotonic() < end:
                r = c.get(
                    "/sparql", params={"query": COUNTS}, headers={"Accept": "application/sparql-results+json"}
                )
                if r.status_code != 200:
                    failures.append(f"read {r.status_code}: {r.text[:200]}")
                    continue
                row = r.json()["results"]["bindings"][0]
                reads[i].append((int(row["na"]["value"]), int(row["nb"]["value"])))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    assert not any(t.is_alive() for t in threads)
    assert failures == []
    assert all(len(r) > 0 for r in reads), [len(r) for r in reads]
    assert sum(acknowledged) >= 10
    for seen in reads:
        assert all(a == b for a, b in seen), [s for s in seen if s[0] != s[1]][:5]  # never half a write
        assert [a for a, _ in seen] == sorted(a for a, _ in seen)  # never a step back
    r = httpx.get(
        serve.url + "/sparql", params={"query": COUNTS}, headers={"Accept": "application/sparql-results+json"}
    )
    row = r.json()["results"]["bindings"][0]
    assert int(row["na"]["value"]) == int(row["nb"]["value"]) == sum(acknowledged)
