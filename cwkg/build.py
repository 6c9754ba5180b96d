"""`cwkg build`: ontology + data/ + sources -> the store and deterministic dumps in dist/."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from cwkg.compile import Compiled, compile_facts
from cwkg.config import Settings
from cwkg.errors import BuildError
from cwkg.extract.mentions import link_mentions
from cwkg.facts import load_fact_files
from cwkg.namespaces import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, PREFIXES
from cwkg.ontology import Ontology
from cwkg.sources import load_manifest
from cwkg.store import OxigraphStore, parse_file
from cwkg.titles import titles

if TYPE_CHECKING:
    from cwkg.validate import Result

__all__ = ["DUMPS", "BuildReport", "Note", "build", "compile_project", "write_dumps"]

#: The one table of dumps: file name -> serialisation.
DUMPS: dict[str, ox.RdfFormat] = {
    "cwkg.ttl": ox.RdfFormat.TURTLE,
    "cwkg.trig": ox.RdfFormat.TRIG,
    "cwkg.nt": ox.RdfFormat.N_TRIPLES,
}

Step = Callable[[str], None]


@dataclass(frozen=True)
class Note:
    """A finding of the build that does not stop it: its severity in one word, and what and where it is."""

    severity: str  # "warning" or "info"
    text: str


@dataclass
class BuildReport:
    """What a build produced, for the summary."""

    triples_by_graph: dict[str, int] = field(default_factory=dict)
    entities_by_class: dict[str, int] = field(default_factory=dict)
    facts_by_source: dict[str, int] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    dumps: dict[str, str] = field(default_factory=dict)
    distinct_triples: int = 0

    def count(self, severity: str) -> int:
        """How many notes have this severity."""
        return sum(1 for n in self.notes if n.severity == severity)


def _located(result: Result, compiled: Compiled) -> str:
    """A shape result with the fact file and line its focus node is written at, when it comes from data/."""
    focus = result.terms.get("focus")
    record = compiled.origins.get(str(focus)) if focus is not None else None
    where = f" {result.path}" if result.path else ""
    text = f"{result.focus}{where}: {result.message.strip()} [{result.shape}]"
    if record is None:
        return text
    file = record.file.relative_to(Path.cwd()) if record.file.is_relative_to(Path.cwd()) else record.file
    return f"{file}:{record.line}: {text}"


def _ontology_quads(settings: Settings) -> list[ox.Quad]:
    return [
        q
        for path in sorted(settings.ontology_dir.glob("*.ttl"))
        for q in parse_file(path, graph=GRAPH_ONTOLOGY)
    ]


def compile_project(settings: Settings, step: Step = lambda _: None) -> tuple[Compiled, list[ox.Quad]]:
    """Compile the project into quads (nothing written): the compiled facts and all quads sorted."""
    step("reading the ontology")
    ontology = Ontology.from_dir(settings.ontology_dir)
    step("checking the sources")
    sources = load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)
    for source in sources.values():
        _ = source.raw  # checks the sha256 of every source before anything else
    step("reading data/facts")
    files = load_fact_files(settings.data_dir / "facts")
    step("resolving evidence and compiling facts")
    compiled = compile_facts(ontology, sources, files)
    for q in _ontology_quads(settings):
        compiled.quads[GRAPH_ONTOLOGY].add(q)
    step("linking mentions of known entities in the sources")
    known = [q for quads in compiled.quads.values() for q in quads]  # order does not matter to the lexicon
    compiled.quads[GRAPH_PROVENANCE].update(link_mentions(sources.values(), known))
    step("titling statements and observations")
    compiled.quads[GRAPH_DERIVED].update(titles(known))
    return compiled, compiled.sorted_quads()


def _write(path: Path, data: bytes) -> str:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return hashlib.sha256(data).hexdigest()


def write_dumps(quads: list[ox.Quad], dist: Path) -> dict[str, str]:
    """Write the dumps (sorted, so byte-identical for the same graph), gzipped copies (mtime 0) and SHA256SUMS."""
    dist.mkdir(parents=True, exist_ok=True)
    triples = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    sums: dict[str, str] = {}
    for name, fmt in DUMPS.items():
        data = ox.serialize(
            quads if fmt.supports_datasets else triples,
            format=fmt,
            prefixes=None if fmt == ox.RdfFormat.N_TRIPLES else PREFIXES,
        )
        assert data is not None
        sums[name] = _write(dist / name, data)
        sums[name + ".gz"] = _write(dist / (name + ".gz"), gzip.compress(data, compresslevel=9, mtime=0))
    _write(dist / "SHA256SUMS", "".join(f"{h}  {n}\n" for n, h in sums.items()).encode())
    return sums


def _write_store(quads: list[ox.Quad], target: Path, step: Step) -> None:
    """Load into a fresh store beside the target, then swap it in: all or nothing."""
    fresh = target.with_name(target.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    store = OxigraphStore(fresh)
    step(f"loading {len(quads)} quads into the store")
    store.extend(quads)
    step("merging the graphs into the union default graph")
    store.materialise_union()
    store.flush()
    store.close()
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.replace(old)
    fresh.replace(target)
    if old.exists():
        shutil.rmtree(old)


def build(settings: Settings, step: Step = lambda _: None, *, validate: bool = True) -> BuildReport:
    """Build the store and dumps; nothing is written unless everything succeeds."""
    compiled, quads = compile_project(settings, step)
    report = BuildReport(
        entities_by_class=dict(sorted(compiled.entities_by_class.items())),
        facts_by_source=dict(sorted(compiled.facts_by_source.items())),
        notes=[Note("warning", w) for w in compiled.warnings],
    )
    for graph, qs in sorted(compiled.quads.items()):
        report.triples_by_graph[graph] = len(qs)
    report.distinct_triples = len({(q.subject, q.predicate, q.object) for q in quads})
    if validate:
        from cwkg.validate import validate_quads

        step("validating against the SHACL shapes")
        result = validate_quads(settings, quads)
        report.notes.extend(
            Note(r.severity.lower(), _located(r, compiled))
            for r in result.results
            if r.severity != "Violation"
        )
        if not result.conforms:
            raise BuildError(
                f"the graph breaks the shapes with {result.violations} violation(s); nothing written:\n  "
                + "\n  ".join(_located(r, compiled) for r in result.results if r.severity == "Violation")
            )
    store_path = Path(settings.store)
    if settings.remote_store:
        raise BuildError("cwkg build writes the embedded store; give --store a directory")
    _write_store(quads, store_path, step)
    step("writing dumps")
    report.dumps = write_dumps(quads, settings.dist_dir)
    step("writing the search index")
    write_search_index(store_path, settings.dist_dir / "search.sqlite")
    return report


def write_search_index(store: Path, target: Path) -> None:
    """The pages' search index, from the store just written (the server rebuilds it after an update)."""
    from cwkg.queries import solution_rows
    from cwkg.search import QUERY, SearchIndex, records_from_rows

    results = OxigraphStore(store, read_only=True).query(QUERY, union_default_graph=True)
    assert isinstance(results, ox.QuerySolutions)
    SearchIndex.from_records(records_from_rows(solution_rows(results)[1])).save(target)
