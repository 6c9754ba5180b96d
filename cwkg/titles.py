"""Titles for the nodes people would otherwise see as hex ids: each statement and observation is labelled by
what it says ("Social Work England regulates social worker, since December 2019"; "local authority child and
family social worker vacancy rate, England, September 2019: 16.4 per cent"), in the derived graph.

The words come from the graph itself: the labels of the things a statement links, the label of its class's
direct property (`cw:directProperty`), and its dates, amounts and values as `cwkg.wording` writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from cwkg.namespaces import CW, GRAPH_DERIVED, ID, PREFIXES
from cwkg.rdf import Term
from cwkg.wording import literal_text, money

__all__ = ["titles"]

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
PREF_LABEL = PREFIXES["skos"] + "prefLabel"
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
QB = PREFIXES["qb"]
QB_OBSERVATION = QB + "Observation"
#: How a statement's dates read after what it says.
DATES = (("startDate", "since"), ("endDate", "until"), ("pointInTime", "in"), ("launchDate", "launched"))


class _Graph:
    """The compiled quads indexed by subject, for reading values and labels."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.values: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for q in quads:
            if isinstance(q.subject, ox.NamedNode) and not isinstance(q.object, ox.Triple):
                self.values[q.subject.value][q.predicate.value].append(q.object)

    def first(self, iri: str, prop: str) -> Term | None:
        found = self.values.get(iri, {}).get(prop)
        return sorted(found, key=str)[0] if found else None

    def label(self, term: Term | None) -> str | None:
        if isinstance(term, ox.Literal):
            return literal_text(term)
        if not isinstance(term, ox.NamedNode):
            return None
        props = self.values.get(term.value, {})
        for prop in (PREF_LABEL, RDFS_LABEL):
            english = [
                v for v in props.get(prop, []) if isinstance(v, ox.Literal) and v.language in ("en", None)
            ]
            if english:
                return sorted(english, key=str)[0].value
        return None

    def classes(self, iri: str) -> set[str]:
        """The classes of a node and all their superclasses."""
        todo = [t.value for t in self.values.get(iri, {}).get(RDF_TYPE, []) if isinstance(t, ox.NamedNode)]
        seen: set[str] = set()
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo += [
                    s.value for s in self.values.get(c, {}).get(SUBCLASS, []) if isinstance(s, ox.NamedNode)
                ]
        return seen


def _statement_title(g: _Graph, iri: str) -> str | None:
    """What a statement says: subject, direct property and object, then its conditions and dates."""
    cls = next((c for c in sorted(g.classes(iri)) if g.first(c, CW + "directProperty")), None)
    parts: list[str] = []
    if cls is not None:
        prop = g.first(cls, CW + "directProperty")
        subject = g.first(iri, str(getattr(g.first(cls, CW + "directSubject"), "value", "")))
        obj = g.first(iri, str(getattr(g.first(cls, CW + "directObject"), "value", "")))
        words = [g.label(subject), g.label(prop), g.label(obj)]
        if words[0] is None and words[2] is not None:  # the document does not say who: name the kind of fact
            words = [words[2] + ":", (g.label(ox.NamedNode(cls)) or "").lower(), ""]
        if None in words:
            return None
        parts.append(" ".join(w for w in words if w))
    elif (about := g.first(iri, CW + "about")) is not None:
        attribute = g.first(iri, CW + "attribute")
        claimant = g.first(iri, CW + "claimedBy")
        if claimant is not None:
            parts.append(f"claim by {g.label(claimant)} about {g.label(about)}")
        elif isinstance(attribute, ox.NamedNode):
            value = g.first(iri, str(attribute.value)) or g.first(iri, CW + "value")
            shown = _short(g.label(value))
            parts.append(f"{g.label(about)}: {g.label(attribute)}" + (f" {shown}" if shown else ""))
        else:
            return None
    else:
        return None
    if g.first(iri, CW + "obligation") == ox.NamedNode(CW + "Desirable"):
        parts[0] += " (desirable)"
    if (recipient := g.label(g.first(iri, CW + "recipient"))) is not None:
        parts[0] += f" for {recipient}"
    amount = g.first(iri, CW + "amount")
    if isinstance(amount, ox.Literal):
        currency = g.first(iri, CW + "currency")
        per = g.first(iri, CW + "per")
        parts.append(
            money(amount.value, currency.value if currency else "GBP") + (f" per {per.value}" if per else "")
        )
    if (period := g.label(g.first(iri, CW + "period"))) is not None:
        parts.append(period)
    for name, word in DATES:
        value = g.first(iri, CW + name)
        if isinstance(value, ox.Literal) and not (cls is None and name == "launchDate"):
            parts.append(f"{word} {literal_text(value)}")
    if g.first(iri, CW + "planned") == ox.Literal("true", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")):
        parts.append("planned")
    return ", ".join(parts)


def _short(text: str | None, limit: int = 80) -> str | None:
    """A long text value cut at a word, so a title stays a title."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _observation_title(g: _Graph, iri: str) -> str | None:
    """What a figure is: statistic, area and period, then its value and unit."""
    statistic = g.label(g.first(iri, CW + "statistic"))
    value = g.first(iri, CW + "obsValue")
    if statistic is None or not isinstance(value, ox.Literal):
        return None
    where = [w for w in (g.label(g.first(iri, CW + p)) for p in ("refRole", "refArea", "refPeriod")) if w]
    where = [w for w in where if w.lower() not in statistic.lower()]
    unit = g.first(iri, CW + "unit")
    if unit == ox.NamedNode(ID + "unit/gbp"):
        shown = money(value.value, "GBP")
    else:
        shown = literal_text(value) + (f" {g.label(unit)}" if g.label(unit) else "")
    return ", ".join([statistic, *where]) + f": {shown}"


def _structure_titles(g: _Graph) -> dict[str, str]:
    """A data set's structure and its components named after the data set: "structure of <data set>"."""
    named: dict[str, str] = {}
    for dataset in sorted(g.values):
        structure = g.first(dataset, QB + "structure")
        label = g.label(ox.NamedNode(dataset))
        if not isinstance(structure, ox.NamedNode) or label is None:
            continue
        named[structure.value] = f"structure of {label}"
        for component in g.values.get(structure.value, {}).get(QB + "component", []):
            prop = next(
                (
                    g.first(component.value, QB + k)
                    for k in ("dimension", "measure", "attribute")
                    if isinstance(component, ox.NamedNode) and g.first(component.value, QB + k)
                ),
                None,
            )
            if isinstance(component, ox.NamedNode) and prop is not None:
                named[component.value] = f"{g.label(prop) or prop.value} in the structure of {label}"
    return named


def titles(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """An rdfs:label in the derived graph for every statement, observation and data structure that has none."""
    g = _Graph(quads)
    out = []
    structures = _structure_titles(g)
    for iri in sorted(g.values):
        if not iri.startswith(ID) or g.label(ox.NamedNode(iri)) is not None:
            continue
        kind = iri[len(ID) :].partition("/")[0]
        classes = g.classes(iri)
        if iri in structures:
            title: str | None = structures[iri]
        elif kind == "statement" or CW + "Statement" in classes:
            title = _statement_title(g, iri)
        elif kind == "observation" or QB_OBSERVATION in classes:
            title = _observation_title(g, iri)
        else:
            continue
        if title:
            out.append(
                ox.Quad(
                    ox.NamedNode(iri),
                    ox.NamedNode(RDFS_LABEL),
                    ox.Literal(title, language="en"),
                    ox.NamedNode(GRAPH_DERIVED),
                )
            )
    return out
