"""Copy the W3C SPARQL 1.1 tests this folder needs out of a git clone of w3c/rdf-tests.

Run by hand, never by the tests: ``python tests/w3c/vendor.py GIT_DIR [COMMIT]``. It copies the Protocol
manifest with its data, and for each query directory the manifest and every file that a query evaluation
test names (query, data, graph data, expected result); nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import RDF

HERE = Path(__file__).resolve().parent
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
PROTOCOL = ("manifest.ttl", "data1.nt", "data2.nt", "data3.nt")
#: The query directories of manifest-sparql11-query.ttl with evaluation tests, and the two results formats.
QUERY_DIRS = (
    "aggregates",
    "bind",
    "bindings",
    "cast",
    "construct",
    "exists",
    "functions",
    "grouping",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
    "json-res",
    "csv-tsv-res",
)


def show(git_dir: str, commit: str, path: str) -> bytes:
    """One file of the commit."""
    return subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def needed(manifest: bytes, base: str) -> set[str]:
    """The file names (relative to the directory) the evaluation tests of a manifest use."""
    graph = rdflib.Graph().parse(data=manifest, format="turtle", publicID=base + "manifest.ttl")
    names: set[str] = set()
    for test in graph.subjects(RDF.type, MF.QueryEvaluationTest):
        action = graph.value(test, MF.action)
        files = [
            graph.value(test, MF.result),
            *graph.objects(action, QT.query),
            *graph.objects(action, QT.data),
            *graph.objects(action, QT.graphData),
        ]
        names.update(str(f).removeprefix(base) for f in files if isinstance(f, rdflib.URIRef))
    for test in graph.subjects(RDF.type, MF.CSVResultFormatTest):
        action = graph.value(test, MF.action)
        files = [
            graph.value(test, MF.result),
            *graph.objects(action, QT.query),
            *graph.objects(action, QT.data),
        ]
        names.update(str(f).removeprefix(base) for f in files if isinstance(f, rdflib.URIRef))
    return names


def main(git_dir: str, commit: str = "HEAD") -> None:
    """Copy the files into this folder."""
    for name in PROTOCOL:
        target = HERE / "protocol" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(show(git_dir, commit, f"sparql/sparql11/protocol/{name}"))
    for folder in QUERY_DIRS:
        manifest = show(git_dir, commit, f"sparql/sparql11/{folder}/manifest.ttl")
        (HERE / folder).mkdir(exist_ok=True)
        (HERE / folder / "manifest.ttl").write_bytes(manifest)
        for name in sorted(needed(manifest, f"{BASE}{folder}/")):
            assert "/" not in name, name
            (HERE / folder / name).write_bytes(show(git_dir, commit, f"sparql/sparql11/{folder}/{name}"))


if __name__ == "__main__":
    main(*sys.argv[1:])
