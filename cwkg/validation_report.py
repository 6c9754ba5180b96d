"""The report of a SHACL validation: its Results, sorted, rendered as text, Turtle, JSON or JUnit.

One report, many renderings (as pySHACL does): the text for a CI log, a standard
sh:ValidationReport in Turtle, JSON for programs, JUnit XML for CI test views.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import TypeAlias
from xml.etree import ElementTree as ET

from rdflib import RDF, BNode, Graph, Literal
from rdflib.term import Node

from cwkg.errors import ConfigError
from cwkg.validation_results import NAMES, RANK, SH, Result, Severity, threshold

__all__ = ["FORMATS", "Format", "Report"]

Format: TypeAlias = TypingLiteral["text", "turtle", "json", "junit"]
FORMATS: tuple[Format, ...] = ("text", "turtle", "json", "junit")


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
        limit = threshold(fail_on)
        return [r for r in self.results if RANK[r.severity] <= limit]

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
    for prefix, ns in NAMES.items():
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
    limit = threshold(fail_on)
    failing = [r for r in report.results if RANK[r.severity] <= limit]
    below = [r for r in report.results if RANK[r.severity] > limit]
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
        if RANK[r.severity] <= limit:
            failure = ET.SubElement(case, "failure", message=r.message, type=r.severity)
            failure.text = detail
        else:
            out = ET.SubElement(case, "system-out")
            out.text = f"{r.severity} (below --fail-on {fail_on}):\n{detail}"
    for shape in clean:
        ET.SubElement(suite, "testcase", classname=shape, name=f"{shape} conforms")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
