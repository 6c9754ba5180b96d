"""What does the merged union default graph cost, next to Oxigraph's own (bag) union on the same store?

Run: `python bench/union.py` (after `cwkg build`; `--store DIR` for another store, `--repeat N`).

Copies the store, then times every canned query (queries/canned, with its example parameters bound)
two ways in the same run: over Oxigraph's own union default graph (pyoxigraph's
use_default_graph_as_union, which repeats a triple stored in two graphs) and over the merge that
`cwkg build` writes (OxigraphStore with union_default_graph, cwkg.union_graph). Reported per query:
the median of --repeat runs each way, their ratio, and the rows each gives (fewer with the merge when
duplicates were dropped). Then the write side: an INSERT DATA of one triple into a source graph, and a
DELETE DATA of it, with and without the merge kept current, each the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cwkg.config import Settings  # noqa: E402
from cwkg.queries import Catalogue  # noqa: E402
from cwkg.sparql_text import bind_values  # noqa: E402
from cwkg.store import OxigraphStore  # noqa: E402
from cwkg.union_graph import MERGED  # noqa: E402


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """The median wall time of `run`, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rows(result: object) -> int:
    """How many solutions (or triples) a result holds."""
    return sum(1 for _ in result)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(Settings().store))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cwkg-bench-union-") as folder:
        # two copies: the store with the merge, and the store as it was before it (the merge dropped), for
        # Oxigraph's own union over the same graphs
        shutil.copytree(args.store, Path(folder) / "merged")
        shutil.copytree(args.store, Path(folder) / "bag")
        store = OxigraphStore(Path(folder) / "merged")
        store.materialise_union()
        raw = ox.Store(str(Path(folder) / "bag"))
        raw.update(f"DROP SILENT GRAPH {MERGED}")
        print(f"{'query':32} {'bag ms':>8} {'merge ms':>9} {'ratio':>6} {'bag rows':>9} {'merge rows':>10}")
        total_bag = total_merge = 0.0
        for canned in Catalogue.load(ROOT / "queries" / "canned"):
            values = {p.name: p.example for p in canned.parameters if p.example is not None}
            text = bind_values(canned.sparql, canned.bindings(values)) if values else canned.sparql

            def bag(text: str = text) -> object:
                return rows(raw.query(text, use_default_graph_as_union=True))

            def merge(text: str = text) -> object:
                return rows(store.query(text, union_default_graph=True))

            bag_ms, merge_ms = median_ms(bag, args.repeat), median_ms(merge, args.repeat)
            total_bag, total_merge = total_bag + bag_ms, total_merge + merge_ms
            print(
                f"{canned.name:32} {bag_ms:8.2f} {merge_ms:9.2f} {merge_ms / bag_ms:6.2f} {bag():>9} {merge():>10}"
            )
        print(f"{'all canned queries':32} {total_bag:8.2f} {total_merge:9.2f} {total_merge / total_bag:6.2f}")
        graph = next(g for g in store.graphs() if "/graph/source/" in g)
        triple = "<urn:x-bench:s> <urn:x-bench:p> <urn:x-bench:o>"
        for label, target in (("with the merge kept", store), ("without (raw store)", None)):

            def write(target: OxigraphStore | None = target) -> None:
                for verb in ("INSERT", "DELETE"):
                    text = f"{verb} DATA {{ GRAPH <{graph}> {{ {triple} }} }}"
                    if target is None:
                        raw.update(text)
                    else:
                        target.update(text)

            print(
                f"INSERT + DELETE DATA into {graph.rsplit('/', 1)[-1]}, {label}: {median_ms(write, args.repeat):.1f} ms"
            )
        store.close()


if __name__ == "__main__":
    main()
