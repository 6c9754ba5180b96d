"""SHACL validation of the graph (pySHACL) -> one Report, rendered as text, Turtle, JSON or JUnit.

The shapes are `shapes/*.ttl`; the data graph is every named graph merged into one, with the
ontology (`ontology/*.ttl`) merged in for the class hierarchy, because SHACL's targets and
sh:class follow rdfs:subClassOf in the data graph. No RDFS inference is run: inferring types
from rdfs:domain and rdfs:range would make a missing rdf:type pass every sh:class check.

>>> from cwkg.config import Settings
>>> report = validate_quads(Settings(), [])
>>> report.conforms, report.violations
(True, 0)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias
from typing import Literal as TypingLiteral
from xml.etree import ElementTree as ET

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from cwkg.config import Settings
from cwkg.errors import ConfigError
from cwkg.namespaces import BASE, PREFIXES
from cwkg.store import parse_file

__all__ = [
    "FORMATS",
    "SEVERITIES",
    "DataGraph",
    "SHAPES",
    "Format",
    "Report",
    "Result",
    "Severity",
    "load_shapes",
    "quads_to_graph",
    "validate_files",
    "validate_graph",
    "validate_quads",
]

#: The namespace of the shapes (`cwsh:`); candidate for cwkg.namespaces.PREFIXES.
SHAPES = BASE + "shapes#"

Severity: TypeAlias = TypingLiteral["Violation", "Warning", "Info"]
Format: TypeAlias = TypingLiteral["text", "turtle", "json", "junit"]

#: Severities, worst first.
SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")
FORMATS: tuple[Format, ...] = ("text", "turtle", "json", "junit")

SH = Namespace(PREFIXES["sh"])
_NAMES = {**PREFIXES, "cwsh": SHAPES, "id": BASE + "id/"}
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _short(term: Node | str | None) -> str:
    """A term as a CURIE when a prefix fits, else in N-Triples form."""
    if term is None:
        return ""
    if isinstance(term, URIRef | str) and not isinstance(term, Literal | BNode):
        iri = str(term)
        best = max((ns for ns in _NAMES.values() if iri.startswith(ns)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in _NAMES.items() if ns == best)
            local = iri[len(best) :]
            if local and all(c.isalnum() or c in "-_./" for c in local):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        return str(term.n3())
    return f"_:{term}"


def _path(graph: Graph, node: Node | None) -> str | None:
    """A SHACL property path as SPARQL property path text (oa:hasTarget/oa:hasSelector)."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _short(node)
    if (node, RDF.first, None) in graph:
        return "/".join(_group(graph, n) for n in Collection(graph, node))
    for prop, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(node, prop)
        if inner is not None:
            return fmt.format(_group(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_group(graph, n) for n in Collection(graph, alternatives))
    return _short(node)


def _group(graph: Graph, node: Node) -> str:
    """A path in parentheses unless it is a single IRI."""
    text = _path(graph, node) or ""
    return text if isinstance(node, URIRef) else f"({text})"


@dataclass(frozen=True)
class Result:
    """One validation result: what is wrong, where, which shape says so, and how to fix it."""

    severity: Severity
    focus: str
    path: str | None
    shape: str
    component: str
    message: str
    value: str | None = None
    source_shape: str = ""
    terms: dict[str, Node] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        """Severity (worst first), focus node, path, shape, then the rest for a total order."""
        return (
            _RANK[self.severity],
            self.focus,
            self.path or "",
            self.shape,
            self.component,
            self.value or "",
            self.message,
        )

    def summary(self) -> str:
        """One line for a log: severity, focus node, path, message."""
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message} [{self.shape}]"

    def as_dict(self) -> dict[str, str | None]:
        """The result as plain JSON-ready data."""
        return {
            "severity": self.severity,
            "focusNode": self.focus,
            "resultPath": self.path,
            "value": self.value,
            "shape": self.shape,
            "sourceShape": self.source_shape,
            "sourceConstraintComponent": self.component,
            "message": self.message,
        }


@dataclass
class Report:
    """Every result of one validation, sorted; conforming means no result of severity Violation."""

    results: list[Result]
    shapes: list[str] = field(default_factory=list)
    triples: int = 0
    support: Graph = field(default_factory=Graph, repr=False)

    def __post_init__(self) -> None:
        self.results = sorted(self.results, key=lambda r: r.sort_key)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos are reported, not failed)."""
        return self.violations == 0

    def count(self, severity: Severity) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        """The number of Violation results."""
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        """The number of Warning results."""
        return self.count("Warning")

    @property
    def infos(self) -> int:
        """The number of Info results."""
        return self.count("Info")

    def failing(self, fail_on: str = "violation") -> list[Result]:
        """The results at or above a threshold severity (violation, warning or info)."""
        limit = _threshold(fail_on)
        return [r for r in self.results if _RANK[r.severity] <= limit]

    def failed(self, fail_on: str = "violation") -> bool:
        """Whether any result is at or above the threshold severity."""
        return bool(self.failing(fail_on))

    def summary(self, fail_on: str = "violation") -> str:
        """The counts and the verdict at a threshold, in one line."""
        return _headline(self, fail_on)

    def render(self, fmt: str = "text", *, fail_on: str = "violation") -> str:
        """The report as text, turtle, json or junit."""
        renderers = {
            "text": _render_text,
            "turtle": _render_turtle,
            "json": _render_json,
            "junit": _render_junit,
        }
        if fmt not in renderers:
            raise ConfigError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
        return renderers[fmt](self, fail_on)


def _threshold(fail_on: str) -> int:
    """The rank of a --fail-on level."""
    level = fail_on.capitalize()
    if level not in _RANK:
        raise ConfigError(f"unknown severity {fail_on!r}; use violation, warning or info")
    return _RANK[level]


# -- renderers ----------------------------------------------------------------------------


def _headline(report: Report, fail_on: str = "violation") -> str:
    """One line with the counts and the verdict at the --fail-on threshold: the run's one summary."""
    failing = report.failing(fail_on)
    verdict = f"not conformant, {len(failing)} at or above {fail_on}" if failing else "conforms"
    return (
        f"{report.violations} violation(s), {report.warnings} warning(s), {report.infos} info(s) "
        f"in {report.triples} triples: {verdict}"
    )


def _render_text(report: Report, fail_on: str) -> str:
    """Results grouped by focus node, worst first: readable in a CI log."""
    lines = [f"cwkg validate: {_headline(report, fail_on)}"]
    groups: dict[str, list[Result]] = {}
    for r in report.results:
        groups.setdefault(r.focus, []).append(r)
    for focus, results in groups.items():
        lines.append("")
        lines.append(focus)
        for r in results:
            where = r.path or "(node)"
            lines.append(f"  {r.severity:<9} {where}  [{r.shape}]")
            lines.append(f"            {r.message}")
            if r.value is not None:
                lines.append(f"            value: {r.value}")
    return "\n".join(lines) + "\n"


def _copy_description(source: Graph, target: Graph, node: Node) -> None:
    """Copy the triples that describe a blank node (recursively) into another graph."""
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if n in seen or not isinstance(n, BNode):
            continue
        seen.add(n)
        for p, o in source.predicate_objects(n):
            target.add((n, p, o))
            todo.append(o)


def _report_graph(report: Report) -> Graph:
    """The standard sh:ValidationReport graph of a report."""
    g = Graph()
    for prefix, ns in _NAMES.items():
        g.bind(prefix, ns)
    root = BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    for i, r in enumerate(report.results):
        node = BNode(f"result{i:05d}")
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        g.add((node, SH.resultMessage, Literal(r.message)))
        for key, prop in (
            ("focus", SH.focusNode),
            ("path", SH.resultPath),
            ("value", SH.value),
            ("shape", SH.sourceShape),
            ("component", SH.sourceConstraintComponent),
            ("constraint", SH.sourceConstraint),
        ):
            term = r.terms.get(key)
            if term is not None:
                g.add((node, prop, term))
                _copy_description(report.support, g, term)
    return g


def _render_turtle(report: Report, fail_on: str) -> str:
    """The report as a Turtle sh:ValidationReport."""
    return _report_graph(report).serialize(format="turtle")


def _render_json(report: Report, fail_on: str) -> str:
    """The report as JSON: verdict, counts and the sorted results."""
    data = {
        "conforms": report.conforms,
        "triples": report.triples,
        "counts": {"Violation": report.violations, "Warning": report.warnings, "Info": report.infos},
        "results": [r.as_dict() for r in report.results],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _render_junit(report: Report, fail_on: str) -> str:
    """JUnit XML: a failing testcase per result at or above `fail_on`, a passing one per clean shape."""
    limit = _threshold(fail_on)
    failing = [r for r in report.results if _RANK[r.severity] <= limit]
    below = [r for r in report.results if _RANK[r.severity] > limit]
    with_results = {r.shape for r in report.results}
    clean = [s for s in report.shapes if s not in with_results]
    total = len(failing) + len(below) + len(clean)
    suites = ET.Element("testsuites", name="cwkg validate", tests=str(total), failures=str(len(failing)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="shapes",
        tests=str(total),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    for r in failing + below:
        case = ET.SubElement(
            suite, "testcase", classname=r.shape, name=f"{r.focus} {r.path or '(node)'} {r.component}"
        )
        detail = "\n".join(f"{k}: {v}" for k, v in r.as_dict().items() if v is not None)
        if _RANK[r.severity] <= limit:
            failure = ET.SubElement(case, "failure", message=r.message, type=r.severity)
            failure.text = detail
        else:
            out = ET.SubElement(case, "system-out")
            out.text = f"{r.severity} (below --fail-on {fail_on}):\n{detail}"
    for shape in clean:
        ET.SubElement(suite, "testcase", classname=shape, name=f"{shape} conforms")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# -- loading --------------------------------------------------------------------------------


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's log lines for ill-typed literals: the shapes report them properly."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    """A SPARQL query parsed and translated once: pySHACL sends the same text per focus node."""
    return prepareQuery(text)


class DataGraph(Graph):
    """An rdflib graph that parses each SPARQL text once.

    pySHACL evaluates a SPARQL constraint once per focus node and hands rdflib the query text
    each time; rdflib's pyparsing-based parser then dominates the run (about 0.1 s a parse),
    so cached parsing makes SHACL-SPARQL cost what the evaluation costs.
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Node] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Evaluate a query, reusing the parse of a text seen before."""
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,  # type: ignore[arg-type]
            use_store_provided,
            **kwargs,
        )


class _Terms:
    """Converts pyoxigraph terms to rdflib terms, sharing IRIs."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.types: dict[str, URIRef | None] = {PREFIXES["xsd"] + "string": None}

    def iri(self, value: str) -> URIRef:
        """One URIRef per IRI."""
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = URIRef(value)
        return node

    def term(self, t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
        """An rdflib term for a pyoxigraph term."""
        if isinstance(t, ox.NamedNode):
            return self.iri(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            dt = t.datatype.value
            if dt not in self.types:
                self.types[dt] = URIRef(dt)
            return Literal(t.value, datatype=self.types[dt])
        raise ConfigError(f"cannot validate the term {t}: RDF-star triples are not supported")


def quads_to_graph(quads: Iterable[ox.Quad], graph: Graph | None = None) -> Graph:
    """Merge quads of every named graph into one rdflib graph (the data graph)."""
    g = graph if graph is not None else DataGraph()
    conv = _Terms()
    term = conv.term
    with _quiet_rdflib():
        for q in quads:
            g.add((term(q.subject), term(q.predicate), term(q.object)))
    return g


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """The Turtle files of a folder with their sizes and times, to know when to reload."""
    return tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(Path(directory).glob("*.ttl"))
    )


@lru_cache(maxsize=4)
def _parse_shapes(files: tuple[tuple[str, int, int], ...]) -> Graph:
    """Parse the shapes files once per version of them."""
    g = Graph()
    for name, _, _ in files:
        try:
            g.parse(name, format="turtle")
        except Exception as exc:  # rdflib raises many unrelated types for bad Turtle
            raise ConfigError(f"{name}: the shapes do not parse: {exc}") from exc
    return g


def load_shapes(settings: Settings) -> Graph:
    """The shapes graph: every Turtle file of the shapes folder."""
    files = _fingerprint(settings.shapes_dir)
    if not files:
        raise ConfigError(f"{settings.shapes_dir}: no shapes (*.ttl) found; set --shapes or CWKG_SHAPES_DIR")
    shapes = Graph()
    shapes += _parse_shapes(files)  # a copy: pySHACL adds a few triples to the graph it is given
    return shapes


@lru_cache(maxsize=4)
def _parse_ontology(files: tuple[tuple[str, int, int], ...]) -> tuple[ox.Quad, ...]:
    """Parse the ontology files (cached by name, size and time)."""
    return tuple(q for name, _, _ in files for q in parse_file(Path(name)))


def _ontology_quads(settings: Settings) -> tuple[ox.Quad, ...]:
    """The ontology and reference schemes, for the class hierarchy."""
    return _parse_ontology(_fingerprint(settings.ontology_dir))


def _shape_names(shapes: Graph) -> list[str]:
    """Every named shape (the testcases of a JUnit report)."""
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    return sorted(_short(s) for s in named)


def _owner(shapes: Graph, shape: Node) -> Node:
    """The named shape a blank property shape belongs to (itself when named)."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
        if parent is None:
            break
        shape = parent
    return shape


def _results(report_graph: Graph, shapes: Graph) -> list[Result]:
    """Read pySHACL's sh:ValidationResult nodes into Results."""
    out = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        g = report_graph
        severity = str(g.value(node, SH.resultSeverity)).rpartition("#")[2]
        source = g.value(node, SH.sourceShape)
        focus = g.value(node, SH.focusNode)
        path = g.value(node, SH.resultPath)
        value = g.value(node, SH.value)
        component = g.value(node, SH.sourceConstraintComponent)
        constraint = g.value(node, SH.sourceConstraint)
        messages = sorted(str(m) for m in g.objects(node, SH.resultMessage))
        owner = _owner(shapes, source) if source is not None else None
        terms = {
            k: v
            for k, v in {
                "focus": focus,
                "path": path,
                "value": value,
                "shape": source,
                "component": component,
                "constraint": constraint,
            }.items()
            if v is not None
        }
        out.append(
            Result(
                severity=severity if severity in _RANK else "Violation",
                focus=_short(focus),
                path=_path(g, path),
                shape=_short(owner),
                component=_short(component).removeprefix("sh:").removesuffix("ConstraintComponent"),
                message=messages[0] if messages else "",
                value=_short(value) if value is not None else None,
                source_shape=_short(source),
                terms=terms,
            )
        )
    return out


# -- entry points -----------------------------------------------------------------------------


def validate_graph(settings: Settings, data: Graph, *, shapes: Graph | None = None) -> Report:
    """Validate an rdflib graph in place (the ontology must already be in it)."""
    shapes_graph = shapes if shapes is not None else load_shapes(settings)
    try:
        with _quiet_rdflib():
            _, results_graph, _ = shacl_validate(
                data,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=True,  # SHACL-AF: the SPARQL target of DuplicateLabelShape
                inplace=True,
                allow_warnings=True,
                allow_infos=True,
            )
    except ReportableRuntimeError as exc:
        raise ConfigError(f"the shapes cannot be used: {exc.message}") from exc
    assert isinstance(results_graph, Graph)
    support = results_graph + shapes_graph
    return Report(
        _results(results_graph, shapes_graph),
        shapes=_shape_names(shapes_graph),
        triples=len(data),
        support=support,
    )


def validate_quads(settings: Settings, quads: Iterable[ox.Quad]) -> Report:
    """Validate quads (all named graphs merged into one data graph, with the ontology)."""
    data = quads_to_graph(quads)
    quads_to_graph(_ontology_quads(settings), data)
    return validate_graph(settings, data)


def validate_files(settings: Settings, paths: Sequence[Path]) -> Report:
    """Validate RDF files of any format cwkg reads (Turtle, TriG, N-Quads, ...) as one graph."""
    quads: list[ox.Quad] = []
    for path in paths:
        quads.extend(parse_file(Path(path)))
    return validate_quads(settings, quads)
