"""The display profile of the pages, read once from the ontology and the shapes: no template per kind.

Which properties a page shows and in which order comes from the SHACL shapes (the `sh:path`s of the
shapes of a resource's classes, in the order the shapes file gives them), then from the ontology (its
properties in the order it declares them); labels and definitions come from the ontology; which nodes
are statements shown inline (subclasses of cw:Statement, and qb:Observation), which values are money
(properties under schema:currency), which properties are dimensions of a data cube, how a class maps to
schema.org (rdfs:subClassOf / rdfs:subPropertyOf a schema: term) and which IRI kind a class has
(cw:slugKind): all of it is read from the ontology's own triples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cwkg.namespaces import CW, ONTOLOGY_IRI, OWL, QB, RDF, RDFS, SCHEMA, SH, SKOS, curie
from cwkg.rdf import Term as RdfTerm

__all__ = ["Profile", "Term", "curie"]

TYPE = RDF + "type"

#: Shown in a page's heading rather than among its properties.
HEADING = (SKOS + "prefLabel", RDFS + "label", SKOS + "altLabel", SKOS + "definition", TYPE)
#: Shown as the sources and quoted passages of a resource or statement.
PROVENANCE = (CW + "statedIn", CW + "evidence")


@dataclass
class Term:
    """A class or property of the ontology (or one it declares from elsewhere)."""

    iri: str
    label: str
    kinds: list[str] = field(default_factory=list)  # owl:Class, owl:ObjectProperty, ...
    definition: str | None = None
    inverse_label: str | None = None  # cw:inverseLabel: how the property reads from its object's side
    parents: list[str] = field(default_factory=list)  # rdfs:subClassOf / rdfs:subPropertyOf
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    matches: list[tuple[str, str]] = field(default_factory=list)  # (skos:closeMatch etc., IRI)
    notes: list[tuple[str, str]] = field(default_factory=list)  # other annotations: (property, value)
    local: bool = True  # defined by this ontology, not only declared for alignment

    @property
    def curie(self) -> str:
        """prefix:local."""
        return curie(self.iri)

    @property
    def anchor(self) -> str:
        """The fragment of this term on /ontology."""
        return self.iri.rpartition("#")[2] if self.iri.startswith(CW) else curie(self.iri).replace(":", "_")

    @property
    def is_class(self) -> bool:
        """An owl:Class (or rdfs:Class)."""
        return OWL + "Class" in self.kinds or RDFS + "Class" in self.kinds


class Profile:
    """The ontology and shapes as the pages use them."""

    def __init__(self, ontology: list[ox.Triple], shapes: list[ox.Triple]) -> None:
        self.graph = ox.Store()
        self.graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology)
        self.terms: dict[str, Term] = {}
        self.order: dict[str, int] = {}
        self.ontology_meta: list[tuple[str, RdfTerm]] = []
        self._read_ontology(ontology)
        self.shape_paths = self._read_shapes(shapes)

    @classmethod
    def load(cls, ontology_dir: Path, shapes_dir: Path) -> Profile:
        """Read every .ttl of the ontology and shapes folders (in document order)."""

        def read(folder: Path) -> list[ox.Triple]:
            return [
                q.triple
                for p in sorted(folder.glob("*.ttl"))
                for q in ox.parse(path=p, format=ox.RdfFormat.TURTLE)
            ]

        return cls(read(ontology_dir), read(shapes_dir))

    # --- reading ------------------------------------------------------------------------------------

    def _read_ontology(self, triples: list[ox.Triple]) -> None:
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode) or isinstance(t.object, ox.Triple):
                continue
            s, p, o = t.subject.value, t.predicate.value, t.object
            if s == ONTOLOGY_IRI:
                self.ontology_meta.append((p, o))
                continue
            if (
                p == TYPE
                and isinstance(o, ox.NamedNode)
                and o.value.startswith(OWL)
                and o.value != OWL + "NamedIndividual"
            ):
                term = self.terms.setdefault(s, Term(s, curie(s), local=s.startswith(CW)))
                term.kinds.append(o.value)
                self.order.setdefault(s, len(self.order))
        for t in triples:
            described = self.terms.get(t.subject.value) if isinstance(t.subject, ox.NamedNode) else None
            if described is None or isinstance(t.object, ox.Triple):
                continue
            term, p, o = described, t.predicate.value, t.object
            if p in (RDFS + "label",) and isinstance(o, ox.Literal):
                term.label = o.value
            elif p == SKOS + "definition" and isinstance(o, ox.Literal):
                term.definition = o.value
            elif p == CW + "inverseLabel" and isinstance(o, ox.Literal):
                term.inverse_label = o.value
            elif p in (RDFS + "subClassOf", RDFS + "subPropertyOf") and isinstance(o, ox.NamedNode):
                term.parents.append(o.value)
            elif p == RDFS + "domain" and isinstance(o, ox.NamedNode):
                term.domains.append(o.value)
            elif p in (RDFS + "range", CW + "datatype") and isinstance(o, ox.NamedNode):
                term.ranges.append(o.value)
            elif p in (SKOS + "closeMatch", SKOS + "exactMatch", OWL + "equivalentClass", OWL + "inverseOf"):
                term.matches.append((p, o.value))
            elif p not in (TYPE, RDFS + "isDefinedBy"):
                term.notes.append((p, o.value))

    def _read_shapes(self, triples: list[ox.Triple]) -> dict[str, list[tuple[str, bool]]]:
        """Class -> the (property, inverse?) paths its shapes constrain, in document order."""
        target: dict[RdfTerm, str] = {}
        props: dict[RdfTerm, list[RdfTerm]] = {}
        paths: dict[RdfTerm, RdfTerm] = {}
        inverse: dict[RdfTerm, str] = {}
        for t in triples:
            if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
                continue  # shapes quote no triples
            p = t.predicate.value
            if p == SH + "targetClass":
                target[t.subject] = t.object.value
            elif p == SH + "property":
                props.setdefault(t.subject, []).append(t.object)
            elif p == SH + "path":
                paths[t.subject] = t.object
            elif p == SH + "inversePath":
                inverse[t.subject] = t.object.value
        result: dict[str, list[tuple[str, bool]]] = {}
        for shape, cls in target.items():
            for prop in props.get(shape, []):
                path = paths.get(prop)
                if isinstance(path, ox.NamedNode):
                    result.setdefault(cls, []).append((path.value, False))
                elif path is not None and path in inverse:
                    result.setdefault(cls, []).append((inverse[path], True))
        return result

    # --- questions the pages ask --------------------------------------------------------------------

    def label(self, iri: str) -> str:
        """The ontology's label of a term, or its CURIE."""
        term = self.terms.get(iri)
        return term.label if term else curie(iri)

    def inverse_label(self, iri: str) -> str:
        """How a property reads from its object's side: "regulated by" for cw:regulates, else "sector of"."""
        term = self.terms.get(iri)
        return (term.inverse_label if term else None) or f"{self.label(iri)} of"

    def ancestors(self, iri: str) -> list[str]:
        """The term and all its super-terms, nearest first."""
        seen: list[str] = []
        todo = [iri]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.append(current)
            term = self.terms.get(current)
            if term:
                todo.extend(term.parents)
        return seen

    def is_a(self, types: Iterable[str], cls: str) -> bool:
        """Whether any of the types is `cls` or a subclass of it."""
        return any(cls in self.ancestors(t) for t in types)

    def is_statement(self, types: Iterable[str]) -> bool:
        """Statements and observations: nodes shown inline on the pages of what they are about."""
        return self.is_a(types, CW + "Statement") or self.is_a(types, QB + "Observation")

    def property_order(self, types: Iterable[str]) -> dict[str, int]:
        """Property -> position for a resource of these types: shape paths first, then ontology order."""
        order: dict[str, int] = {}
        for t in types:
            for cls in reversed(self.ancestors(t)):
                for path, _ in self.shape_paths.get(cls, []):
                    order.setdefault(path, len(order))
        base = len(order)
        for prop, index in self.order.items():
            order.setdefault(prop, base + index)
        return order

    def sort_key(self, order: dict[str, int], prop: str) -> tuple[int, str]:
        """Sort properties by the profile order, unknown ones last by label."""
        return (order.get(prop, 10_000), self.label(prop))

    def specific_types(self, types: Iterable[str]) -> list[str]:
        """The types that no other of the given types specialises."""
        ts = [t for t in types if t.startswith(CW) or t in self.terms]
        return [t for t in ts if not any(t != o and t in self.ancestors(o) for o in ts)] or list(types)

    def currency_properties(self) -> set[str]:
        """Properties whose value is a currency code (under schema:currency)."""
        return {iri for iri in self.terms if SCHEMA + "currency" in self.ancestors(iri)}

    def of_kind(self, kind: str) -> list[str]:
        """The properties typed with an owl:/qb: kind, e.g. qb DimensionProperty, in ontology order."""
        return [iri for iri, term in self.terms.items() if kind in term.kinds]

    def dimensions(self) -> list[str]:
        """The data cube dimension properties, in ontology order."""
        typed = self.graph.quads_for_pattern(None, ox.NamedNode(TYPE), ox.NamedNode(QB + "DimensionProperty"))
        found = [q.subject.value for q in typed if isinstance(q.subject, ox.NamedNode)]
        return sorted(set(found), key=lambda p: self.order.get(p, 0))

    def schema_type(self, types: Iterable[str]) -> str | None:
        """The nearest schema.org class of these types (via rdfs:subClassOf)."""
        for t in self.specific_types(types):
            for a in self.ancestors(t):
                if a.startswith(SCHEMA):
                    return a[len(SCHEMA) :]
        return None

    def schema_property(self, prop: str) -> str | None:
        """The schema.org property a property specialises, if any."""
        for a in self.ancestors(prop):
            if a.startswith(SCHEMA):
                return a[len(SCHEMA) :]
        return None

    def kinds(self) -> dict[str, str]:
        """IRI kind (cw:slugKind) -> class."""
        found = self.graph.quads_for_pattern(None, ox.NamedNode(CW + "slugKind"), None)
        return {
            q.object.value: q.subject.value
            for q in found
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
        }

    def classes(self) -> list[Term]:
        """The classes, in ontology order."""
        return [t for t in self.terms.values() if t.is_class]

    def properties(self) -> list[Term]:
        """The properties, in ontology order."""
        return [t for t in self.terms.values() if not t.is_class]

    def children(self, iri: str) -> list[Term]:
        """The direct subclasses or subproperties of a term."""
        return [t for t in self.terms.values() if iri in t.parents]
