"""The results of a SHACL validation: one Result per sh:ValidationResult, read from pySHACL's graph.

Terms are shown as CURIEs where a prefix fits and SHACL property paths as SPARQL path text, so
a result reads the same in every rendering of the report (`cwkg.validation_report`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import TypeAlias

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from cwkg.errors import ConfigError
from cwkg.namespaces import BASE, PREFIXES

__all__ = ["SEVERITIES", "SH", "SHAPES", "Result", "Severity", "read_results", "shape_names", "threshold"]

#: The namespace of the shapes (`cwsh:`); candidate for cwkg.namespaces.PREFIXES.
SHAPES = BASE + "shapes#"

Severity: TypeAlias = TypingLiteral["Violation", "Warning", "Info"]

#: Severities, worst first.
SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")

SH = Namespace(PREFIXES["sh"])
#: The prefixes a result's terms are shortened with (and a Turtle report binds).
NAMES = {**PREFIXES, "cwsh": SHAPES, "id": BASE + "id/"}
RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _short(term: Node | str | None) -> str:
    """A term as a CURIE when a prefix fits, else in N-Triples form."""
    if term is None:
        return ""
    if isinstance(term, URIRef | str) and not isinstance(term, Literal | BNode):
        iri = str(term)
        best = max((ns for ns in NAMES.values() if iri.startswith(ns)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in NAMES.items() if ns == best)
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
            RANK[self.severity],
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


def threshold(fail_on: str) -> int:
    """The rank of a --fail-on level."""
    level = fail_on.capitalize()
    if level not in RANK:
        raise ConfigError(f"unknown severity {fail_on!r}; use violation, warning or info")
    return RANK[level]


def shape_names(shapes: Graph) -> list[str]:
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


def read_results(report_graph: Graph, shapes: Graph) -> list[Result]:
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
                severity=severity if severity in RANK else "Violation",
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
