"""What does keeping the merge graph current cost a write, next to the same write on a bare pyoxigraph Store?

Run: `python bench/merge.py` (after `cwkg build`; `--store DIR`, `--sizes 10000,200000`, `--repeat N`).

Copies the built store twice. On one, each write goes through OxigraphStore.update as the server's write
worker sends it (a Graph Store write names its graph in `writes`), so the merge graph is kept current; on
the other, the same text goes to pyoxigraph's Store.update alone. (Before the merge was kept in the same
transaction, the worker also passed server.sparql_lexer.data_graphs(text) for an update: pass it in
`ours` to time a checkout of then, or its store reads a bulk update's graphs with rdflib.) Writes,
into the build's largest graph (provenance): one triple INSERT DATA then DELETE DATA (median of --repeat),
then for each size an INSERT DATA, a DELETE DATA, a Graph Store PUT (drop, create, insert) and POST
(insert) of that many triples, and a Graph Store DELETE of the graph they went to. Prints seconds and ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.write import triples  # noqa: E402
from cwkg.config import Settings  # noqa: E402
from cwkg.store import OxigraphStore  # noqa: E402

GRAPH = "https://w3id.org/cwkg/graph/provenance"
UPLOAD = "http://bench.example/upload/"
ONE = "<http://b.ex/one> <http://b.ex/p> <http://b.ex/two> ."


def seconds(run: Callable[[], object]) -> float:
    """The wall time of `run`."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def writes(size: int) -> list[tuple[str, str, set[str | None] | None]]:
    """The writes of one size, in order: a name, the update text the server's worker sends the store, and the
    graphs it tells the store that text writes (a Graph Store write's own)."""
    data = triples(size)
    put = f"DROP SILENT GRAPH <{UPLOAD}> ;\nCREATE SILENT GRAPH <{UPLOAD}> ;\nINSERT DATA {{ GRAPH <{UPLOAD}> {{ {data} }} }}"
    post = f"CREATE SILENT GRAPH <{UPLOAD}> ;\nINSERT DATA {{ GRAPH <{UPLOAD}> {{ {data} }} }}"
    return [
        ("INSERT DATA", f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {data} }} }}", None),
        ("DELETE DATA", f"DELETE DATA {{ GRAPH <{GRAPH}> {{ {data} }} }}", None),
        ("GSP PUT", put, {UPLOAD}),
        ("GSP POST", post, {UPLOAD}),
        ("GSP DELETE", f"DROP GRAPH <{UPLOAD}>", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(Settings().store))
    parser.add_argument("--sizes", default="10000,200000")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cwkg-bench-merge-") as folder:
        shutil.copytree(args.store, Path(folder) / "cwkg")
        shutil.copytree(args.store, Path(folder) / "bare")
        cwkg = OxigraphStore(Path(folder) / "cwkg")
        bare = ox.Store(str(Path(folder) / "bare"))

        def ours(text: str, graphs: set[str | None] | None = None) -> None:
            cwkg.update(text, writes=graphs)

        rows: list[tuple[str, float, float]] = []
        insert = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {ONE} }} }}"
        delete = f"DELETE DATA {{ GRAPH <{GRAPH}> {{ {ONE} }} }}"
        times: dict[str, list[float]] = {k: [] for k in ("ci", "cd", "bi", "bd")}
        for _ in range(args.repeat):  # each insert followed by its delete, so that each adds a triple
            times["ci"].append(seconds(lambda: ours(insert)))
            times["cd"].append(seconds(lambda: ours(delete)))
            times["bi"].append(seconds(lambda: bare.update(insert)))
            times["bd"].append(seconds(lambda: bare.update(delete)))
        median = {k: statistics.median(v) for k, v in times.items()}
        rows.append(("1 triple INSERT DATA", median["ci"], median["bi"]))
        rows.append(("1 triple DELETE DATA", median["cd"], median["bd"]))
        for size in (int(s) for s in args.sizes.split(",")):
            for name, text, graphs in writes(size):
                mine = seconds(partial(ours, text, graphs))
                theirs = seconds(partial(bare.update, text))
                rows.append((f"{size:,} {name}", mine, theirs))
        print(f"{'write':<28} {'cwkg s':>9} {'bare s':>9} {'ratio':>7}")
        for name, mine, theirs in rows:
            print(f"{name:<28} {mine:>9.4f} {theirs:>9.4f} {mine / theirs:>7.2f}")
        cwkg.close()


if __name__ == "__main__":
    main()
