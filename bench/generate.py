"""A synthetic workforce graph in the shape `cwkg build` writes, of about N triples, deterministic by seed.

Run: `python bench/generate.py --triples 100000 --out dist/bench/workforce-100000.nq` (bench/load.py calls
`generate()` itself). The graph is bench/validate.py's `Synthetic` (roles, organisations, qualifications,
programmes and statistics, labelled, defined and cited; requirement, funding, delivery, pathway,
progression, attribute and membership statements; Data Cube observations; a Web Annotation with a
text-position and a text-quote selector as evidence for each), plus the ontology, so class labels resolve.
Labels are `Synthetic <Class> <i>`@en, which the query mix of bench/load.py looks up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from validate import Synthetic  # noqa: E402

from cwkg.namespaces import GRAPH_ONTOLOGY  # noqa: E402
from cwkg.store import parse_file  # noqa: E402

ONTOLOGY = BENCH.parent / "ontology" / "cwkg.ttl"

__all__ = ["generate", "scale"]


def scale(triples: int) -> int:
    """How many entities of each of the four main classes the graph has (4 per 2,000 triples)."""
    return 4 * max(1, triples // 2_000)


def generate(triples: int, out: Path, seed: int = 5) -> int:
    """Write about `triples` triples as N-Quads to `out`; returns the number of quads written."""
    quads = Synthetic(seed).build(triples)
    graph = ox.NamedNode(GRAPH_ONTOLOGY)
    quads += [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parse_file(ONTOLOGY)]
    out.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(quads, str(out), ox.RdfFormat.N_QUADS)
    return len(quads)


def main() -> None:
    """Write one synthetic graph."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    n = generate(args.triples, args.out, args.seed)
    print(f"{n} quads -> {args.out}")


if __name__ == "__main__":
    main()
