"""What the build needs to know about the ontology: its classes, properties and ranges."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from cwkg.errors import BuildError
from cwkg.namespaces import CW, expand_reference

__all__ = ["Ontology", "PropertyInfo"]

_DIRECT = URIRef(CW + "directProperty")
_DIRECT_SUBJECT = URIRef(CW + "directSubject")
_DIRECT_OBJECT = URIRef(CW + "directObject")
_SLUG_KIND = URIRef(CW + "slugKind")
_DATATYPE = URIRef(CW + "datatype")
_OBLIGATION_PROPERTY = URIRef(CW + "obligationProperty")
_HEAD_POST = URIRef(CW + "headPost")


@dataclass(frozen=True)
class PropertyInfo:
    """A declared property: its kind (object, datatype, annotation) and range."""

    iri: str
    kind: str
    range: str | None


class Ontology:
    """The ontology and its reference schemes, read from `ontology/*.ttl`."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.graph = Graph()
        for path in files:
            try:
                self.graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises many unrelated types for bad Turtle
                raise BuildError(f"{path}: the ontology does not parse: {exc}") from exc

    @classmethod
    def from_dir(cls, directory: Path) -> Ontology:
        """Load every Turtle file of the ontology folder, in name order."""
        return cls(sorted(directory.glob("*.ttl")))

    @cached_property
    def classes(self) -> frozenset[str]:
        """Every class the ontology declares (its own and the aligned ones)."""
        return frozenset(str(c) for c in self.graph.subjects(RDF.type, OWL.Class))

    @cached_property
    def properties(self) -> dict[str, PropertyInfo]:
        """Every declared property by IRI."""
        kinds = {
            OWL.ObjectProperty: "object",
            OWL.DatatypeProperty: "datatype",
            OWL.AnnotationProperty: "annotation",
        }
        out: dict[str, PropertyInfo] = {}
        for owl_kind, kind in kinds.items():
            for p in self.graph.subjects(RDF.type, owl_kind):
                rng = self.graph.value(p, RDFS.range) or self.graph.value(p, _DATATYPE)
                out[str(p)] = PropertyInfo(str(p), kind, str(rng) if rng is not None else None)
        return out

    def superclasses(self, cls: str) -> list[str]:
        """The class and all its superclasses, nearest first."""
        seen: list[str] = []
        todo = [URIRef(cls)]
        while todo:
            c = todo.pop(0)
            if str(c) in seen:
                continue
            seen.append(str(c))
            todo.extend(o for o in self.graph.objects(c, RDFS.subClassOf) if isinstance(o, URIRef))
        return seen

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        """Whether `cls` is `ancestor` or below it."""
        return ancestor in self.superclasses(cls)

    def slug_kinds(self, cls: str) -> set[str]:
        """The IRI kinds allowed for members of a class (from it and its superclasses)."""
        return {str(k) for c in self.superclasses(cls) for k in self.graph.objects(URIRef(c), _SLUG_KIND)}

    def direct(self, cls: str) -> tuple[str, str, str] | None:
        """For a statement class: (direct property, subject field, object field), inherited."""
        for c in self.superclasses(cls):
            p = self.graph.value(URIRef(c), _DIRECT)
            if p is not None:
                s = self.graph.value(URIRef(c), _DIRECT_SUBJECT)
                o = self.graph.value(URIRef(c), _DIRECT_OBJECT)
                return str(p), str(s), str(o)
        return None

    def obligation_property(self, obligation: str) -> str | None:
        """The direct property a current requirement of this obligation yields, if any."""
        p = self.graph.value(URIRef(obligation), _OBLIGATION_PROPERTY)
        return str(p) if p is not None else None

    def is_head_post(self, post: str) -> bool:
        """Whether the holder of a post heads the organisation (cw:headPost true)."""
        return any(
            isinstance(o, Literal) and o.toPython() is True
            for o in self.graph.objects(URIRef(post), _HEAD_POST)
        )

    def resolve_term(self, name: str, *, what: str) -> str:
        """A local name (`regulator`) or CURIE (`org:member`) to a declared IRI."""
        if ":" in name:
            try:
                iri = expand_reference(name)
            except ValueError as exc:
                raise KeyError(f"{what} {name!r}: {exc}") from exc
        else:
            iri = CW + name
        declared = self.classes if what == "class" else self.properties
        if iri not in declared:
            raise KeyError(f"{what} {name!r} is not declared in the ontology")
        return iri
