"""References between records: ids defined once, references resolved to IRIs, merged ids kept answering."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from cwkg.compile.output import Context, node
from cwkg.facts import FactFile, Record
from cwkg.namespaces import ID, PREFIXES, expand_reference
from cwkg.ontology import Ontology

__all__ = ["References"]

OWL = PREFIXES["owl"]


class References:
    """Every id defined in data/ and the ontology, and the ids merged into others (`mergedFrom`)."""

    def __init__(self, ctx: Context, ontology: Ontology) -> None:
        self.ctx = ctx
        self.ontology = ontology
        self.known: set[str] = {str(s) for s in ontology.graph.subjects()}
        self.defined: dict[str, Record] = {}
        self.merged: dict[str, str] = {}  # the IRI of a thing merged into another -> the one it now is

    def register(self, files: list[FactFile]) -> None:
        """First pass: every defined id, so that references may point forwards."""
        for f in files:
            for r in f.records:
                if r.section not in ("entities", "datasets"):
                    continue
                rid = r.fields["id"]  # the fact schema (cwkg.facts) checked its form
                iri = ID + rid
                if iri in self.defined:
                    first = self.defined[iri]
                    self.ctx.fail(
                        r, f"id {rid} is already defined at {first.file}:{first.line}; define each thing once"
                    )
                    continue
                self.defined[iri] = r
        for f in files:
            for r in f.records:
                if isinstance(rid := r.fields.get("id"), str):
                    self._register_merged(r, ID + rid)

    def _register_merged(self, record: Record, iri: str) -> None:
        """Note the ids a record's thing was merged from (`mergedFrom`), which must not be defined."""
        kind = iri.removeprefix(ID).partition("/")[0]
        for old in getattr(record.model, "mergedFrom", []):
            if old.partition("/")[0] != kind:
                self.ctx.fail(
                    record, f"`mergedFrom` must list former ids of the same kind ({kind}/<slug>), got {old!r}"
                )
            elif ID + old in self.defined:
                self.ctx.fail(
                    record, f"`mergedFrom` names {old}, which is still defined; remove its definition"
                )
            elif ID + old in self.merged:
                self.ctx.fail(
                    record, f"`mergedFrom` names {old}, already merged into {self.merged[ID + old]}"
                )
            else:
                self.merged[ID + old] = iri

    def ref(self, value: Any, record: Record, key: str) -> ox.NamedNode | None:
        """A reference (kind/slug or CURIE) to a defined thing, or None after noting the problem."""
        if not isinstance(value, str):
            self.ctx.fail(
                record, f"`{key}` must be a reference such as org/dfe or cw:Mandatory, got {value!r}"
            )
            return None
        try:
            iri = expand_reference(value)
        except ValueError as exc:
            self.ctx.fail(record, f"`{key}`: {exc}")
            return None
        if iri in self.merged:
            new = self.merged[iri].removeprefix(ID)
            self.ctx.fail(record, f"`{key}` refers to {value!r}, which was merged into {new}: refer to {new}")
            return None
        if iri not in self.known and iri not in self.defined:
            self.ctx.fail(
                record, f"`{key}` refers to {value!r}, which is not defined in data/ or the ontology"
            )
            return None
        return node(iri)

    def same_as(self, iri: str, graphs: list[str]) -> None:
        """A merged IRI keeps answering: `old owl:sameAs new`, in the graph of the thing's own triples."""
        for old, new in self.merged.items():
            if new == iri:
                for g in graphs:
                    self.ctx.out.add(g, old, OWL + "sameAs", node(iri))

    def types(self, record: Record) -> list[str]:
        """The classes a record names in `type`, each declared in the ontology."""
        out = []
        for name in getattr(record.model, "type", []):
            try:
                out.append(self.ontology.resolve_term(str(name), what="class"))
            except KeyError as exc:
                self.ctx.fail(record, str(exc.args[0]))
        return out
