"""The view of one resource, built from its neighbourhood in the graph and the profile: one for every class.

A resource shows its heading (labels, definition, types), its own properties in profile order, its
sources with the quoted passages, the statements about it grouped by statement class (with their
history: dated values in order, ended ones marked), the observations that measure it, the links that
point to it, and its career paths when it has any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cwkg.namespaces import CW, DCTERMS, OA, QB, RDF_TYPE, RDFS, SKOS, XSD
from cwkg.rdf import Term
from cwkg.server.pages.charts import NOTES, PERIOD, UNIT, VALUE, chart_spec
from cwkg.server.pages.profile import HEADING, PROVENANCE, Profile, curie
from cwkg.server.pages.values import Links, Value, sort_key
from cwkg.text import normalise
from cwkg.wording import literal_text, money

__all__ = ["Evidence", "Field", "Labels", "ResourceView", "StatementCard", "build_view", "iris_in"]

#: When a statement holds: the properties that date it, in the order they sort it.
DATES = (CW + "startDate", CW + "pointInTime", CW + "endDate", CW + "refPeriod", CW + "period")
#: The career diagram: (property, direction) whose values lead into a resource or on from it.
CAREER_IN = (
    (CW + "requires", "out"),
    (CW + "targetRole", "in"),
    (CW + "leadsTo", "in"),
    (CW + "progressesTo", "in"),
)
CAREER_OUT = ((CW + "progressesTo", "out"), (CW + "leadsTo", "out"))


def iris_in(triples: list[ox.Triple]) -> set[str]:
    """Every IRI in subject or object position."""
    found = set()
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


class Labels:
    """Best labels and types of the IRIs on a page (skos:prefLabel, then rdfs:label, then the profile)."""

    def __init__(self, graph: ox.Store, profile: Profile) -> None:
        self.graph = graph
        self.profile = profile
        self._cache: dict[str, str] = {}

    def label(self, iri: str) -> str:
        """The best label of an IRI."""
        if iri in self._cache:
            return self._cache[iri]
        node = ox.NamedNode(iri)
        best = None
        for prop in (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title"):
            values = [
                q.object
                for q in self.graph.quads_for_pattern(node, ox.NamedNode(prop), None)
                if isinstance(q.object, Term)
            ]
            english = [v for v in values if isinstance(v, ox.Literal) and v.language in ("en", None)]
            if english or values:
                best = (english or values)[0].value
                break
        if best is None:
            best = (
                self.profile.label(iri) if iri in self.profile.terms else iri.rstrip("/").rsplit("/", 1)[-1]
            )
        self._cache[iri] = best
        return best

    def types(self, iri: str) -> list[str]:
        """The rdf:types of an IRI on this page."""
        return sorted(
            q.object.value
            for q in self.graph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None)
            if isinstance(q.object, ox.NamedNode)
        )


@dataclass
class Field:
    """One property of a node and its values."""

    prop: str
    label: str
    href: str
    values: list[Value]
    definition: str | None = None


@dataclass
class Evidence:
    """A quoted passage of a source document that a fact was read from."""

    source: Value
    quote: str | None
    start: int | None
    end: int | None
    annotation: str


@dataclass
class StatementCard:
    """A statement (or observation) about the resource: its values, dates, status and evidence."""

    iri: str
    href: str
    kind: str
    fields: list[Field]
    evidence: list[Evidence]
    sources: list[Value]
    status: str | None
    when: str


@dataclass
class StatementGroup:
    """The statements of one class in which the resource plays one part."""

    key: str
    label: str
    part: str
    definition: str | None
    cards: list[StatementCard]
    history: bool = False


@dataclass
class ResourceView:
    """Everything the HTML page of a resource shows."""

    iri: str
    href: str
    label: str
    alt_labels: list[str]
    definition: str | None
    types: list[Value]
    fields: list[Field]
    evidence: list[Evidence]
    sources: list[Value]
    groups: list[StatementGroup]
    incoming: list[Field]
    observations: dict[str, Any] | None
    career: dict[str, Any] | None
    jsonld: dict[str, Any]
    related: list[Value] = field(default_factory=list)


class _Builder:
    """Builds a ResourceView; holds the page's graph, labels and links."""

    def __init__(self, iri: str, triples: list[ox.Triple], profile: Profile, links: Links) -> None:
        self.iri = iri
        self.node = ox.NamedNode(iri)
        self.graph = ox.Store()
        self.graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        self.profile = profile
        self.links = links
        self.labels = Labels(self.graph, profile)
        self.currency_props = profile.currency_properties()

    # --- terms ---------------------------------------------------------------------------------

    def objects(self, node: Term, prop: str) -> list[Term]:
        """The values of one property of a node; a literal has none."""
        if isinstance(node, ox.Literal):
            return []
        found = self.graph.quads_for_pattern(node, ox.NamedNode(prop), None)
        return [q.object for q in found if isinstance(q.object, Term)]

    def value(self, term: Term, node: Term | None = None, prop: str | None = None) -> Value:
        """A term as shown; amounts on a node that names a currency become money."""
        if isinstance(term, ox.NamedNode):
            return Value(
                self.labels.label(term.value),
                self.links.href(term.value),
                term.value,
                self.labels.label(term.value),
            )
        if isinstance(term, ox.Literal):
            if (
                node is not None
                and term.datatype.value == XSD + "decimal"
                and prop not in self.currency_props
            ):
                currency = next((o for p in self.currency_props for o in self.objects(node, p)), None)
                if currency is not None:
                    return Value(
                        money(term.value, currency.value), None, curie(term.datatype.value), sort_key(term)
                    )
            title = (
                curie(term.datatype.value)
                if term.language is None and term.datatype.value != XSD + "string"
                else None
            )
            return Value(literal_text(term), None, title, sort_key(term))
        return Value(str(term))

    def fields(self, node: Term, skip: set[str]) -> list[Field]:
        """A node's properties in profile order, each with its values."""
        types = self.labels.types(node.value) if isinstance(node, ox.NamedNode) else []
        order = self.profile.property_order(types)
        by_prop: dict[str, list[Term]] = defaultdict(list)
        found = [] if isinstance(node, ox.Literal) else self.graph.quads_for_pattern(node, None, None)
        for q in found:
            if q.predicate.value not in skip and isinstance(q.object, Term):
                by_prop[q.predicate.value].append(q.object)
        result = []
        for prop in sorted(by_prop, key=lambda p: self.profile.sort_key(order, p)):
            values = sorted(
                (self.value(o, node, prop) for o in by_prop[prop]), key=lambda v: (v.sort, v.text)
            )
            term = self.profile.terms.get(prop)
            result.append(
                Field(
                    prop,
                    self.profile.label(prop),
                    self.links.href(prop),
                    values,
                    term.definition if term else None,
                )
            )
        return result

    def evidence(self, node: Term) -> list[Evidence]:
        """The annotations of a node: source, quoted passage and its offsets."""
        found = []
        for annotation in self.objects(node, CW + "evidence"):
            for target in self.objects(annotation, OA + "hasTarget"):
                source = next(iter(self.objects(target, OA + "hasSource")), None)
                quote, start, end = None, None, None
                for selector in self.objects(target, OA + "hasSelector"):
                    for o in self.objects(selector, OA + "exact"):
                        quote = normalise(o.value).text  # as the document reads once its breaks are mended
                    for o in self.objects(selector, OA + "start"):
                        start = int(o.value)
                    for o in self.objects(selector, OA + "end"):
                        end = int(o.value)
                if source is not None:
                    found.append(Evidence(self.value(source), quote, start, end, annotation.value))
        return sorted(found, key=lambda e: (e.source.text, e.start or 0))

    def sources(self, node: Term) -> list[Value]:
        """The source documents that state a node."""
        return sorted((self.value(o) for o in self.objects(node, CW + "statedIn")), key=lambda v: v.text)

    # --- parts of the page ---------------------------------------------------------------------

    def statement_nodes(self) -> dict[str, list[tuple[str, ox.NamedNode]]]:
        """Statements and observations linked to the resource: node IRI -> [(property, direction)]."""
        found: dict[str, list[tuple[str, ox.NamedNode]]] = defaultdict(list)
        for q in self.graph.quads_for_pattern(None, None, self.node):
            if isinstance(q.subject, ox.NamedNode) and self.profile.is_statement(
                self.labels.types(q.subject.value)
            ):
                found[q.subject.value].append((q.predicate.value, q.subject))
        return found

    def card(self, node: ox.NamedNode, part: set[str]) -> StatementCard:
        """One statement, without the property that links it to the resource."""
        types = self.profile.specific_types(self.labels.types(node.value))
        fields = self.fields(node, set(part) | {RDF_TYPE, *PROVENANCE})
        dates = [sort_key(o) for p in DATES for o in self.objects(node, p)]
        ended = self.objects(node, CW + "endDate")
        status = f"ended {literal_text(ended[0])}" if ended and isinstance(ended[0], ox.Literal) else None
        return StatementCard(
            node.value,
            self.links.href(node.value),
            self.profile.label(types[0]) if types else "",
            fields,
            self.evidence(node),
            self.sources(node),
            status,
            dates[0] if dates else "",
        )

    def groups(self) -> list[StatementGroup]:
        """Statements grouped by class, by the part the resource plays and (attribute statements) by attribute."""
        grouped: dict[tuple[str, str, str], list[StatementCard]] = defaultdict(list)
        for iri, links in self.statement_nodes().items():
            node = ox.NamedNode(iri)
            types = self.profile.specific_types(self.labels.types(iri))
            if QB + "Observation" in self.labels.types(iri):
                continue  # shown as the observations table
            roles = {p for p, _ in links}
            attribute = next((o.value for o in self.objects(node, CW + "attribute")), "")
            grouped[(types[0] if types else "", ",".join(sorted(roles)), attribute)].append(
                self.card(node, roles)
            )
        result = []
        for (cls, parts, attribute), cards in grouped.items():
            cards.sort(key=lambda c: (c.when, c.iri))
            term = self.profile.terms.get(cls)
            label = self.profile.label(cls) + (f": {self.profile.label(attribute)}" if attribute else "")
            part = ", ".join(self.profile.label(p) for p in parts.split(","))
            dated = sum(1 for c in cards if c.when)
            result.append(
                StatementGroup(
                    cls + attribute + parts,
                    label,
                    part,
                    term.definition if term else None,
                    cards,
                    history=dated > 1,
                )
            )
        return sorted(result, key=lambda g: (g.label, g.part))

    def incoming(self) -> list[Field]:
        """Links to the resource from things that are not statements, grouped by property."""
        by_prop: dict[str, list[Value]] = defaultdict(list)
        for q in self.graph.quads_for_pattern(None, None, self.node):
            s = q.subject
            if not isinstance(s, ox.NamedNode) or s == self.node or q.predicate.value == RDF_TYPE:
                continue
            if self.profile.is_statement(self.labels.types(s.value)):
                continue
            by_prop[q.predicate.value].append(self.value(s))
        return [
            Field(p, self.profile.inverse_label(p), self.links.href(p), sorted(set(v), key=lambda x: x.text))
            for p, v in sorted(by_prop.items(), key=lambda kv: self.profile.label(kv[0]))
        ]

    def observations(self) -> dict[str, Any] | None:
        """The observations that measure or belong to the resource, as table rows and a chart spec."""
        nodes = [
            ox.NamedNode(iri)
            for iri in self.statement_nodes()
            if QB + "Observation" in self.labels.types(iri)
        ]
        if not nodes:
            return None
        dims = [d for d in self.profile.dimensions() if any(self.objects(n, d) for n in nodes)]
        rows = [self.observation_row(node, dims) for node in nodes]
        rows.sort(key=lambda r: tuple(r["sort"].get(d, "") for d in dims))
        columns = [(d, self.profile.label(d), self.links.href(d)) for d in dims]
        return {
            "columns": columns,
            "rows": rows,
            "chart": chart_spec(self.profile, self.labels.label(self.iri), dims, rows),
        }

    def observation_row(self, node: ox.NamedNode, dims: list[str]) -> dict[str, Any]:
        """One observation as a table row: its cells along the dimensions and unit, value, notes and sources."""
        row: dict[str, Any] = {"href": self.links.href(node.value), "cells": {}, "sort": {}}
        for d in dims + [UNIT]:
            objs = self.objects(node, d)
            if objs:
                v = self.value(objs[0])
                row["cells"][d] = v
                start = self.objects(objs[0], CW + "startOfPeriod") if d == PERIOD else []
                row["sort"][d] = start[0].value if start else v.text
        value = next(iter(self.objects(node, VALUE)), None)
        row["value"] = self.value(value, node, VALUE) if value is not None else None
        row["number"] = float(value.value) if isinstance(value, ox.Literal) else None
        row["notes"] = "; ".join(o.value for p in NOTES for o in self.objects(node, p))
        row["sources"] = self.sources(node)
        row["evidence"] = self.evidence(node)
        return row

    def career(self) -> dict[str, Any] | None:
        """What leads into the resource and where it leads, for the diagram."""

        def collect(spec: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
            seen: dict[str, dict[str, str]] = {}
            for prop, direction in spec:
                found = (
                    self.graph.quads_for_pattern(self.node, ox.NamedNode(prop), None)
                    if direction == "out"
                    else self.graph.quads_for_pattern(None, ox.NamedNode(prop), self.node)
                )
                for q in found:
                    other = q.object if direction == "out" else q.subject
                    if isinstance(other, ox.NamedNode) and other != self.node and other.value not in seen:
                        kinds = self.profile.specific_types(self.labels.types(other.value))
                        seen[other.value] = {
                            "label": self.labels.label(other.value),
                            "href": self.links.href(other.value),
                            "via": self.profile.label(prop),
                            "kind": self.profile.label(kinds[0]) if kinds else "",
                        }
            return sorted(seen.values(), key=lambda e: (e["via"], e["label"]))

        into, onward = collect(CAREER_IN), collect(CAREER_OUT)
        if not into and not onward:
            return None
        return {"into": into, "onward": onward, "label": self.labels.label(self.iri)}

    def jsonld(self, fields: list[Field]) -> dict[str, Any]:
        """schema.org terms for search engines, from the ontology's alignments."""
        types = self.labels.types(self.iri)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@id": self.iri,
            "@type": self.profile.schema_type(types) or "Thing",
            "name": self.labels.label(self.iri),
        }
        alt = [o.value for o in self.objects(self.node, SKOS + "altLabel")]
        if alt:
            data["alternateName"] = alt
        definition = next((o.value for o in self.objects(self.node, SKOS + "definition")), None)
        if definition:
            data["description"] = definition
        for f in fields:
            name = self.profile.schema_property(f.prop)
            if name and name not in data:
                data[name] = (
                    [v.title if v.href else v.text for v in f.values]
                    if len(f.values) > 1
                    else (f.values[0].title if f.values[0].href else f.values[0].text)
                )
        sources = [o.value for o in self.objects(self.node, CW + "statedIn")]
        if sources:
            data["isBasedOn"] = sources
        return data

    def build(self) -> ResourceView:
        types = self.labels.types(self.iri)
        fields = self.fields(self.node, set(HEADING) | set(PROVENANCE))
        alt = sorted(o.value for o in self.objects(self.node, SKOS + "altLabel"))
        definition = next((o.value for o in self.objects(self.node, SKOS + "definition")), None)
        groups = self.groups()
        incoming = self.incoming()
        related: dict[str, Value] = {}
        for f in [*fields, *incoming, *(f for g in groups for c in g.cards for f in c.fields)]:
            for v in f.values:
                if v.href and v.title and v.title != self.iri and not v.title.startswith(CW):
                    related.setdefault(v.title, v)
        return ResourceView(
            iri=self.iri,
            href=self.links.href(self.iri),
            label=self.labels.label(self.iri),
            alt_labels=alt,
            definition=definition,
            types=[self.value(ox.NamedNode(t)) for t in self.profile.specific_types(types)],
            fields=fields,
            evidence=self.evidence(self.node),
            sources=self.sources(self.node),
            groups=groups,
            incoming=incoming,
            observations=self.observations(),
            career=self.career(),
            jsonld=self.jsonld(fields),
            related=sorted(related.values(), key=lambda v: v.text),
        )


def build_view(iri: str, triples: list[ox.Triple], profile: Profile, links: Links) -> ResourceView:
    """The view of the resource `iri` from its neighbourhood."""
    return _Builder(iri, triples, profile, links).build()
