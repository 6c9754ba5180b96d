"""The keys of a record to properties, and its values to RDF terms typed by each property's range."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from cwkg.compile.output import SKOS, Context, Term, node
from cwkg.compile.periods import Period, period_iri
from cwkg.compile.references import References
from cwkg.facts import Record
from cwkg.literals import literal
from cwkg.namespaces import CW
from cwkg.ontology import Ontology

__all__ = ["LABELS", "RESERVED", "Values"]

#: Keys that are not ontology terms: the build reads them itself.
RESERVED = frozenset(
    {
        "id",
        "type",
        "label",
        "altLabel",
        "definition",
        "note",
        "evidence",
        "value",
        "dataset",
        "dimensions",
        "mergedFrom",
    }
)
#: Keys written as SKOS labels and documentation.
LABELS = {
    "label": SKOS + "prefLabel",
    "altLabel": SKOS + "altLabel",
    "definition": SKOS + "definition",
    "note": SKOS + "note",
}


class Values:
    """Resolves keys and types values, collecting the periods the values name."""

    def __init__(self, ctx: Context, ontology: Ontology, refs: References) -> None:
        self.ctx = ctx
        self.ontology = ontology
        self.refs = refs
        self.periods: dict[str, Period] = {}

    def period(self, value: Any, record: Record, key: str) -> ox.NamedNode | None:
        """A period code to its IRI (the period itself is written once, with the derived triples)."""
        try:
            period = Period.parse(str(value))
        except ValueError as exc:
            self.ctx.fail(record, f"`{key}`: {exc}")
            return None
        self.periods[period.code] = period
        return node(period_iri(period.code))

    def literal(self, value: Any, rng: str | None, record: Record, key: str) -> ox.Literal | None:
        """A value typed by a datatype property's range, or None after noting the problem."""
        try:
            return literal(value, rng)
        except ValueError as exc:
            self.ctx.fail(record, f"`{key}`: {exc}")
            return None

    def resolve(self, key: str, raw: Any, record: Record) -> tuple[str, list[Term]] | None:
        """Resolve a key to its property and its raw value(s) to RDF terms."""
        if key in LABELS:
            items = raw if isinstance(raw, list) else [raw]
            if not all(isinstance(i, str) and i.strip() == i and i for i in items):
                self.ctx.fail(record, f"`{key}` must be non-empty text without surrounding spaces")
                return None
            return LABELS[key], [ox.Literal(i, language="en") for i in items]
        try:
            prop = self.ontology.resolve_term(key, what="property")
        except KeyError as exc:
            self.ctx.fail(record, str(exc.args[0]))
            return None
        return prop, self.typed(prop, raw, record, key)

    def typed(self, prop: str, raw: Any, record: Record, key: str) -> list[Term]:
        """The value(s) of one property: literals, periods or references by its kind and range."""
        info = self.ontology.properties[prop]
        items = raw if isinstance(raw, list) else [raw]
        terms: list[Term | None] = []
        for item in items:
            if info.kind == "datatype":
                terms.append(self.literal(item, info.range, record, key))
            elif info.range == CW + "Period":
                terms.append(self.period(item, record, key))
            else:
                terms.append(self.refs.ref(item, record, key))
        return [t for t in terms if t is not None]

    def write(self, record: Record, iri: str, graphs: list[str], skip: set[str]) -> dict[str, list[Term]]:
        """Write a record's fields into its graphs; return what was written by property."""
        written: dict[str, list[Term]] = {}
        for key, raw in record.fields.items():
            if key in skip or (key in RESERVED and key not in LABELS):
                continue
            resolved = self.resolve(key, raw, record)
            if resolved is None:
                continue
            prop, terms = resolved
            written[prop] = terms
            for g in graphs:
                for t in terms:
                    self.ctx.out.add(g, iri, prop, t)
        return written
