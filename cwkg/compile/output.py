"""What the compiler produces: quads by named graph, and the counts the build summary reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg.errors import DataError
from cwkg.facts import Record
from cwkg.namespaces import PREFIXES

__all__ = ["Compiled", "Context", "Term", "node"]

Term = ox.NamedNode | ox.Literal
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]


def node(iri: str) -> ox.NamedNode:
    """A named node (short, because the compiler writes many)."""
    return ox.NamedNode(iri)


@dataclass
class Compiled:
    """The compiled graph: quads by named graph, with what the summary reports."""

    quads: dict[str, set[ox.Quad]] = field(default_factory=lambda: defaultdict(set))
    entities_by_class: dict[str, int] = field(default_factory=dict)
    facts_by_source: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The record each entity, statement, observation and annotation comes from: IRI -> record.
    origins: dict[str, Record] = field(default_factory=dict)

    def add(self, graph: str, s: str | ox.NamedNode, p: str, o: Term) -> None:
        """Add one triple to a named graph."""
        subject = s if isinstance(s, ox.NamedNode) else node(s)
        self.quads[graph].add(ox.Quad(subject, node(p), o, node(graph)))

    def sorted_quads(self) -> list[ox.Quad]:
        """Every quad in one deterministic order: graph, subject, predicate, object."""
        return sorted(
            (q for qs in self.quads.values() for q in qs),
            key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
        )


@dataclass
class Context:
    """What every part of the compiler shares: the output and the problems found so far."""

    out: Compiled = field(default_factory=Compiled)
    errors: list[str] = field(default_factory=list)

    def fail(self, record: Record, message: str) -> None:
        """Note a problem with a record; the build fails after collecting them all."""
        self.errors.append(f"{record.where()}: {message}")

    def raise_errors(self) -> None:
        """Raise DataError listing every problem found (the first 50), if any."""
        if self.errors:
            shown = "\n  ".join(self.errors[:50])
            more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
            raise DataError(f"{len(self.errors)} problem(s) in data/:\n  {shown}{more}")
