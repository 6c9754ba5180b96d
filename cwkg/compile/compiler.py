"""The compiler: entities and statements, with the parts for references, values, citations, Data Cube
and derivation; `compile_facts` runs the passes in order."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pyoxigraph as ox

from cwkg.compile.citations import Citations
from cwkg.compile.cube import Cube
from cwkg.compile.derive import Derivation, Written
from cwkg.compile.output import RDF, RDFS, Compiled, Context, node
from cwkg.compile.references import References
from cwkg.compile.values import Values
from cwkg.evidence import Evidence
from cwkg.facts import FactFile, Record
from cwkg.namespaces import CW, GRAPH_DERIVED, ID
from cwkg.ontology import Ontology
from cwkg.sources import Source

__all__ = ["compile_facts", "content_iri"]


def content_iri(record: Record) -> str:
    """The IRI of a statement without an `id`, from what it says (evidence, notes and wording aside).

    `cwkg pin` writes it into the fact file as the statement's `id`, so that a later correction of what
    the statement says keeps its IRI.
    """
    body = {
        k: v
        for k, v in record.fields.items()
        if k not in ("evidence", "note", "definition", "condition", "mergedFrom")
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return f"{ID}statement/{digest}"


class _Compiler:
    """Turns records into quads, collecting every error before failing."""

    def __init__(self, ontology: Ontology, sources: dict[str, Source]) -> None:
        self.ontology = ontology
        self.ctx = Context()
        self.refs = References(self.ctx, ontology)
        self.values = Values(self.ctx, ontology, self.refs)
        self.citations = Citations(self.ctx, sources)
        self.cube = Cube(self.ctx, ontology, self.refs, self.values, self.citations)
        self.derivation = Derivation(self.ctx, ontology, sources)

    def entity(self, record: Record) -> None:
        """A thing of the world: its types, labels and values, in the graph of the first source citing it."""
        rid = record.fields.get("id")
        if not isinstance(rid, str):
            return
        iri = ID + rid
        types = self.refs.types(record)
        kind = rid.partition("/")[0]
        allowed = set().union(*(self.ontology.slug_kinds(t) for t in types)) if types else set()
        if types and kind not in allowed:
            self.ctx.fail(record, f"id kind {kind!r} does not fit its types; use one of {sorted(allowed)}")
        graphs = self.citations.cite(record, iri, self.citations.evidence(record))
        out = self.ctx.out
        for g in graphs:
            for t in types:
                out.add(g, iri, RDF + "type", node(t))
        self.values.write(record, iri, graphs, skip=set())
        self.refs.same_as(iri, graphs)
        if isinstance(record.fields.get("label"), str):
            out.add(GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(record.fields["label"], language="en"))
        for t in types:
            out.entities_by_class[t] = out.entities_by_class.get(t, 0) + 1

    def statement(self, record: Record) -> None:
        """A fact as a node with its values, dates and evidence; the derivation gets the current ones."""
        types = self.refs.types(record)
        if not types:
            return
        if not all(self.ontology.is_subclass(t, CW + "Statement") for t in types):
            self.ctx.fail(record, f"type {record.fields['type']!r} is not a kind of Statement")
            return
        rid = record.fields.get("id")
        iri = ID + rid if isinstance(rid, str) else content_iri(record)
        evidences = self.citations.evidence(record)
        graphs = self.citations.cite(record, iri, evidences)
        out = self.ctx.out
        for g in graphs:
            for t in types:
                out.add(g, iri, RDF + "type", node(t))
        written = self.values.write(record, iri, graphs, skip={"attribute"})
        self.refs.same_as(iri, graphs)
        is_funding = any(self.ontology.is_subclass(t, CW + "Funding") for t in types)
        has_amount = CW + "amount" in written or CW + "londonAmount" in written
        if is_funding and has_amount and CW + "currency" not in written:
            for g in graphs:
                out.add(g, iri, CW + "currency", ox.Literal("GBP"))
        if CW + "AttributeStatement" in types:
            self.attribute(record, iri, graphs, written, evidences)
        elif not any(self.ontology.is_subclass(t, CW + "Claim") for t in types):
            self.derivation.statement(types, written, evidences)

    def attribute(
        self, record: Record, iri: str, graphs: list[str], written: Written, evidences: list[Evidence]
    ) -> None:
        """An attribute statement: the value under its attribute's own property, on the statement."""
        name: Any = record.fields["attribute"]  # the fact schema (cwkg.facts) checked it is there
        try:
            prop = self.ontology.resolve_term(str(name), what="property")
        except KeyError as exc:
            self.ctx.fail(record, str(exc.args[0]))
            return
        values = self.values.typed(prop, record.fields["value"], record, "value")
        for g in graphs:
            self.ctx.out.add(g, iri, CW + "attribute", node(prop))
            for v in values:
                self.ctx.out.add(g, iri, prop, v)
        self.derivation.attribute(prop, values, written, evidences)


def compile_facts(ontology: Ontology, sources: dict[str, Source], files: list[FactFile]) -> Compiled:
    """Compile every fact file; raise DataError listing every problem found."""
    c = _Compiler(ontology, sources)
    c.refs.register(files)
    records = [r for f in files for r in f.records]
    for r in records:
        if r.section == "entities":
            c.entity(r)
    for r in records:
        if r.section == "datasets":
            c.cube.dataset(r)
    for r in records:
        if r.section == "statements":
            c.statement(r)
        elif r.section == "observations":
            c.cube.observation(r)
    c.citations.describe_sources(c.refs)
    c.derivation.derive(c.values.periods)
    c.ctx.raise_errors()
    return c.ctx.out
