"""How long does `cwkg extract` take on the five documents?

Run: `python bench/extract.py` (or `--data DIR` for another data folder). Compiles the graph
once (timed apart, it is the build's cost), then times each document end to end: reading and
checking the file, normalising, sections, sentences, candidates, mention linking and coverage.
Prints seconds per document and the total; results in bench/README.md under "extract".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cwkg.build import compile_project
from cwkg.config import Settings
from cwkg.extract.coverage import IgnoreList
from cwkg.extract.mentions import mention_quads
from cwkg.extract.report import run
from cwkg.sources import load_manifest


def main() -> int:
    """Time the extraction of every source and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: the project's)")
    args = parser.parse_args()
    settings = Settings(**({"data_dir": args.data} if args.data else {}))
    t0 = time.perf_counter()
    _, quads = compile_project(settings)
    compiled = time.perf_counter() - t0
    sources = list(load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir).values())
    ignore = IgnoreList.load(settings.data_dir / "extraction-ignore")
    t1 = time.perf_counter()
    report = run(sources, quads, ignore)
    annotations = mention_quads([m for d in report.documents for m in d.mentions])
    total = time.perf_counter() - t1
    print(f"{'source':32} {'chars':>7} {'sentences':>9} {'candidates':>10} {'mentions':>8} {'seconds':>8}")
    for source, d in zip(sources, report.documents):
        print(
            f"{d.source_id:32} {len(source.raw):7d} {d.sentences:9d} {d.candidates:10d} "
            f"{len(d.mentions):8d} {d.seconds:8.3f}"
        )
    print(f"{'total (index + 5 documents + mention quads)':52} {len(annotations):>8} quads {total:8.3f}")
    print(f"compiling the graph (the build's cost, not extraction): {compiled:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
