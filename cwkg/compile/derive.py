"""Derived triples: the direct ("truthy") triples of current statements, narrower roles, and periods.

A statement yields its direct triple only when it is current at the date of the latest document that
states it: not ended (an end date), not planned (`planned: true`, or a start date after that date),
and, for a requirement, with the direct property of its obligation (mandatory: cw:requires; desirable:
cw:desirableQualification). Of several current values of one attribute, the latest is the direct one.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from cwkg.compile.output import RDF, RDFS, SKOS, XSD, Context, Term, node
from cwkg.compile.periods import Period, period_iri
from cwkg.evidence import Evidence
from cwkg.literals import start_of
from cwkg.namespaces import BASE, CW, GRAPH_DERIVED, PREFIXES
from cwkg.ontology import Ontology
from cwkg.sources import Source

__all__ = ["Derivation"]

ORG = PREFIXES["org"]
Written = dict[str, list[Term]]


class Derivation:
    """Collects what current statements yield and writes the derived graph."""

    def __init__(self, ctx: Context, ontology: Ontology, sources: dict[str, Source]) -> None:
        self.ctx = ctx
        self.ontology = ontology
        self.sources = sources
        self.attribute_values: dict[tuple[str, str], list[tuple[str | None, Term]]] = defaultdict(list)

    def is_current(self, written: Written, evidences: list[Evidence]) -> bool:
        """Whether a statement holds at the date of the latest document stating it: not ended, not planned."""
        if CW + "endDate" in written:
            return False
        if any(isinstance(v, ox.Literal) and v.value == "true" for v in written.get(CW + "planned", [])):
            return False
        dates = [Period.parse(self.sources[ev.source_id].date).last for ev in evidences]
        starts = [start_of(v) for v in written.get(CW + "startDate", []) if isinstance(v, ox.Literal)]
        return not (dates and starts and min(starts) > max(dates))

    def direct_properties(self, prop: str, written: Written) -> list[str]:
        """The direct properties a current statement yields: its obligation's in place of its class's
        (desirable is not required), and org:headOf beside org:memberOf for a head post."""
        obligations = written.get(CW + "obligation")
        if obligations:
            return [p for o in obligations if (p := self.ontology.obligation_property(o.value)) is not None]
        if prop == ORG + "memberOf" and any(
            self.ontology.is_head_post(p.value) for p in written.get(ORG + "role", [])
        ):
            return [prop, ORG + "headOf"]
        return [prop]

    def statement(self, types: list[str], written: Written, evidences: list[Evidence]) -> None:
        """The direct triples of a current statement of a class with a cw:directProperty."""
        if not self.is_current(written, evidences):
            return
        for t in types:
            direct = self.ontology.direct(t)
            if direct is None:
                continue
            prop, s_field, o_field = direct
            # a statement without both ends yields no direct triple; the shapes say which links it needs
            if s_field not in written or o_field not in written:
                continue
            props = self.direct_properties(prop, written)
            for s in written[s_field]:
                for o in written[o_field]:
                    if isinstance(s, ox.NamedNode):
                        for p in props:
                            self.ctx.out.add(GRAPH_DERIVED, s, p, o)

    def attribute(self, prop: str, values: list[Term], written: Written, evidences: list[Evidence]) -> None:
        """Note the values of a current attribute statement; the latest becomes the direct triple."""
        if not self.is_current(written, evidences):
            return
        when = written.get(CW + "pointInTime")
        for about in written.get(CW + "about", []):
            for v in values:
                key = start_of(when[0]) if when and isinstance(when[0], ox.Literal) else None
                self.attribute_values[(about.value, prop)].append((key, v))

    def derive(self, periods: dict[str, Period]) -> None:
        """Write the derived graph: latest attribute values, narrower roles, and every period named."""
        add = self.ctx.out.add
        for graph, quads in sorted(self.ctx.out.quads.items()):
            if graph.startswith(BASE + "graph/source/"):
                for q in quads:
                    if q.predicate.value == SKOS + "broader" and isinstance(q.object, ox.NamedNode):
                        if isinstance(q.subject, ox.NamedNode):
                            add(GRAPH_DERIVED, q.object, SKOS + "narrower", q.subject)
        for (about, prop), values in sorted(self.attribute_values.items(), key=lambda kv: kv[0]):
            dated = [when for when, _ in values if when is not None]
            latest = max(dated) if dated else None
            for when, term in values:
                if when == latest:
                    add(GRAPH_DERIVED, about, prop, term)
        for code, period in sorted(periods.items()):
            iri = period_iri(code)
            add(GRAPH_DERIVED, iri, RDF + "type", node(CW + "Period"))
            add(GRAPH_DERIVED, iri, SKOS + "prefLabel", ox.Literal(period.label, language="en"))
            add(GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(period.label, language="en"))
            add(
                GRAPH_DERIVED,
                iri,
                CW + "startOfPeriod",
                ox.Literal(period.first, datatype=node(XSD + "date")),
            )
            add(GRAPH_DERIVED, iri, CW + "endOfPeriod", ox.Literal(period.last, datatype=node(XSD + "date")))
