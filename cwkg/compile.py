"""Curated facts + ontology + sources -> RDF quads, one named graph per source.

Each statement becomes a node carrying its values, dates and evidence (as in Wikidata), and
the direct "truthy" triples are derived from the current statements into their own graph.
Each evidence phrase becomes a Web Annotation with text position and text quote selectors.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from cwkg.errors import DataError, EvidenceError
from cwkg.evidence import Evidence, resolve
from cwkg.facts import FactFile, Record
from cwkg.namespaces import (
    CW,
    GRAPH_DERIVED,
    GRAPH_PROVENANCE,
    ID,
    PREFIXES,
    graph_for_source,
)
from cwkg.ontology import Ontology
from cwkg.sources import Source

__all__ = ["Compiled", "compile_facts", "content_iri", "period_iri", "source_iri"]

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]
OA = PREFIXES["oa"]
QB = PREFIXES["qb"]
DCTERMS = PREFIXES["dcterms"]

_RESERVED = {
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
}
_LABELS = {
    "label": SKOS + "prefLabel",
    "altLabel": SKOS + "altLabel",
    "definition": SKOS + "definition",
    "note": SKOS + "note",
}
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ACADEMIC = re.compile(r"^(?:ay)?(\d{4})[-/](\d{2})$")
_FINANCIAL = re.compile(r"^fy(\d{4})[-/](\d{2})$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DEFAULT_DIMENSIONS = ("statistic", "refPeriod", "refArea")
_ATTRIBUTES = (("unit", True), ("qualifier", False), ("obsNote", False))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def source_iri(source_id: str) -> str:
    """The IRI of a source document."""
    return f"{ID}source/{source_id}"


def period_iri(code: str) -> str:
    """The IRI of a period from its canonical code (2019, 2019-09, 2019-09-30, ay2019-20, fy2020-21)."""
    return f"{ID}period/{code}"


@dataclass(frozen=True)
class Period:
    """A period with its first and last day and a label, parsed from a code."""

    code: str
    label: str
    first: str
    last: str

    @classmethod
    def parse(cls, code: str) -> Period:
        """Parse a period code; raise ValueError for anything else.

        `2019/20` (or `2019-20`, whose second part cannot be a month) is the academic year
        September 2019 to August 2020; `fy2020/21` the financial year April 2020 to March 2021.

        >>> Period.parse("2019/20").code, Period.parse("2019-09").last
        ('ay2019-20', '2019-09-30')
        """
        if m := _FINANCIAL.match(code):
            y = cls._consecutive(code, m)
            return cls(
                f"fy{y}-{m.group(2)}", f"financial year {y}/{m.group(2)}", f"{y}-04-01", f"{y + 1}-03-31"
            )
        if (m := _ACADEMIC.match(code)) and ("/" in code or code.startswith("ay") or int(m.group(2)) > 12):
            y = cls._consecutive(code, m)
            return cls(
                f"ay{y}-{m.group(2)}", f"academic year {y}/{m.group(2)}", f"{y}-09-01", f"{y + 1}-08-31"
            )
        if m := _DATE.match(code):
            year, mo, d = m.group(1), m.group(2), m.group(3)
            if d:
                _check_date(code)
                return cls(code, code, code, code)
            if mo:
                if not 1 <= int(mo) <= 12:
                    raise ValueError(f"month {mo} of {code!r} does not exist")
                days = calendar.monthrange(int(year), int(mo))[1]
                return cls(
                    code,
                    f"{calendar.month_name[int(mo)]} {year}",
                    f"{year}-{mo}-01",
                    f"{year}-{mo}-{days:02d}",
                )
            return cls(code, year, f"{year}-01-01", f"{year}-12-31")
        raise ValueError(
            f"{code!r} is not a period code: use 2019, 2019-09, 2019-09-30, 2019/20 (academic "
            "year) or fy2020/21 (financial year)"
        )

    @staticmethod
    def _consecutive(code: str, m: re.Match[str]) -> int:
        y = int(m.group(1))
        if int(m.group(2)) != (y + 1) % 100:
            raise ValueError(f"{code!r} must span two consecutive years, such as 2019/20")
        return y


def _check_date(value: str) -> None:
    y, mo, d = (int(x) for x in value.split("-"))
    if not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(y, mo)[1]:
        raise ValueError(f"{value!r} is not a valid date")


def _temporal(value: Any) -> ox.Literal:
    """A date at the precision written: xsd:gYear, xsd:gYearMonth or xsd:date."""
    text = str(value)
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"{value!r} is not a date: write 2015, 2015-01 or 2015-01-31")
    if m.group(3):
        _check_date(text)
        return ox.Literal(text, datatype=_n(XSD + "date"))
    if m.group(2):
        if not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"month of {value!r} does not exist")
        return ox.Literal(text, datatype=_n(XSD + "gYearMonth"))
    return ox.Literal(text, datatype=_n(XSD + "gYear"))


def _start_of(literal: ox.Literal) -> str:
    """The first day a temporal literal covers, for ordering values of mixed precision."""
    text = literal.value
    return (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]


@dataclass
class Compiled:
    """The compiled graph: quads by named graph, with what the summary reports."""

    quads: dict[str, set[ox.Quad]] = field(default_factory=lambda: defaultdict(set))
    entities_by_class: dict[str, int] = field(default_factory=dict)
    facts_by_source: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, graph: str, s: str | ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        """Add one triple to a named graph."""
        subject = s if isinstance(s, ox.NamedNode) else _n(s)
        self.quads[graph].add(ox.Quad(subject, _n(p), o, _n(graph)))

    def sorted_quads(self) -> list[ox.Quad]:
        """Every quad in one deterministic order: graph, subject, predicate, object."""
        return sorted(
            (q for qs in self.quads.values() for q in qs),
            key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
        )


def content_iri(record: Record) -> str:
    """The IRI of a statement without an `id`, from what it says (evidence, notes and wording aside).

    `cwkg pin` writes it into the fact file as the statement's `id`, so that a later correction of what
    the statement says keeps its IRI.
    """
    body = {
        k: v for k, v in record.fields.items() if k not in ("evidence", "note", "definition", "condition")
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return f"{ID}statement/{digest}"


class _Compiler:
    """Turns records into quads, collecting every error before failing."""

    def __init__(self, ontology: Ontology, sources: dict[str, Source]) -> None:
        self.ontology = ontology
        self.sources = sources
        self.out = Compiled()
        self.errors: list[str] = []
        self.known: set[str] = {str(s) for s in ontology.graph.subjects()}
        self.defined: dict[str, Record] = {}
        self.periods: dict[str, Period] = {}
        self.dimensions: dict[str, tuple[str, ...]] = {}
        self.default_datasets: dict[str, str] = {}
        self.cells: dict[str, Record] = {}  # observation IRI -> the record that filled that cell
        self.direct_candidates: list[tuple[Record, str, dict[str, list[ox.NamedNode | ox.Literal]]]] = []
        self.attribute_values: dict[
            tuple[str, str], list[tuple[str | None, ox.NamedNode | ox.Literal, str]]
        ] = defaultdict(list)

    # -- errors ---------------------------------------------------------------------------

    def fail(self, record: Record, message: str) -> None:
        self.errors.append(f"{record.where()}: {message}")

    # -- references and values -------------------------------------------------------------

    def ref(self, value: Any, record: Record, key: str) -> ox.NamedNode | None:
        if not isinstance(value, str):
            self.fail(record, f"`{key}` must be a reference such as org/dfe or cw:Mandatory, got {value!r}")
            return None
        if ":" in value and not value.startswith("http"):
            prefix, _, local = value.partition(":")
            if prefix not in PREFIXES:
                self.fail(record, f"`{key}`: unknown prefix {prefix!r} in {value!r}")
                return None
            iri = PREFIXES[prefix] + local
        else:
            iri = ID + value
        if iri not in self.known and iri not in self.defined:
            self.fail(record, f"`{key}` refers to {value!r}, which is not defined in data/ or the ontology")
            return None
        return _n(iri)

    def period(self, value: Any, record: Record, key: str) -> ox.NamedNode | None:
        try:
            period = Period.parse(str(value))
        except ValueError as exc:
            self.fail(record, f"`{key}`: {exc}")
            return None
        self.periods[period.code] = period
        return _n(period_iri(period.code))

    def literal(self, value: Any, rng: str | None, record: Record, key: str) -> ox.Literal | None:
        try:
            if rng == XSD + "decimal":
                if isinstance(value, bool) or not isinstance(value, int | Decimal):
                    raise ValueError(f"expected a number, got {value!r}")
                text = format(Decimal(value).normalize(), "f")
                return ox.Literal(text, datatype=_n(XSD + "decimal"))
            if rng == XSD + "integer":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"expected a whole number, got {value!r}")
                return ox.Literal(str(value), datatype=_n(XSD + "integer"))
            if rng == XSD + "duration":
                if not isinstance(value, str) or not _DURATION.match(value):
                    raise ValueError(f"expected an ISO 8601 duration such as P14M, got {value!r}")
                return ox.Literal(value, datatype=_n(XSD + "duration"))
            if rng == XSD + "boolean":
                if not isinstance(value, bool):
                    raise ValueError(f"expected true or false, got {value!r}")
                return ox.Literal("true" if value else "false", datatype=_n(XSD + "boolean"))
            if rng == XSD + "date":
                _check_date(str(value))
                return ox.Literal(str(value), datatype=_n(XSD + "date"))
            if rng is None:
                return _temporal(value)
            if rng == XSD + "string":
                if not isinstance(value, str):
                    raise ValueError(f"expected text, got {value!r}")
                return ox.Literal(value)
            if not isinstance(value, str):
                raise ValueError(f"expected text, got {value!r}")
            return ox.Literal(value, language="en")
        except ValueError as exc:
            self.fail(record, f"`{key}`: {exc}")
            return None

    def values(
        self, key: str, raw: Any, record: Record
    ) -> tuple[str, list[ox.NamedNode | ox.Literal]] | None:
        """Resolve a key to its property and its raw value(s) to RDF terms."""
        if key in _LABELS:
            items = raw if isinstance(raw, list) else [raw]
            if not all(isinstance(i, str) and i.strip() == i and i for i in items):
                self.fail(record, f"`{key}` must be non-empty text without surrounding spaces")
                return None
            return _LABELS[key], [ox.Literal(i, language="en") for i in items]
        try:
            prop = self.ontology.resolve_term(key, what="property")
        except KeyError as exc:
            self.fail(record, str(exc.args[0]))
            return None
        return prop, self.typed(prop, raw, record, key)

    def typed(self, prop: str, raw: Any, record: Record, key: str) -> list[ox.NamedNode | ox.Literal]:
        info = self.ontology.properties[prop]
        items = raw if isinstance(raw, list) else [raw]
        terms: list[ox.NamedNode | ox.Literal | None] = []
        for item in items:
            if info.kind == "datatype":
                terms.append(self.literal(item, info.range, record, key))
            elif info.range == CW + "Period":
                terms.append(self.period(item, record, key))
            else:
                terms.append(self.ref(item, record, key))
        return [t for t in terms if t is not None]

    # -- evidence --------------------------------------------------------------------------

    def evidence(self, record: Record) -> list[Evidence]:
        raw = record.fields.get("evidence")
        if not raw:
            self.fail(record, "has no evidence: give a phrase of at most 12 words from its source")
            return []
        found: list[Evidence] = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, str):
                source_id, phrase = record.default_source, item
            elif isinstance(item, dict) and set(item) == {"source", "quote"}:
                source_id, phrase = item["source"], item["quote"]
            else:
                self.fail(record, f"evidence {item!r} must be a phrase or {{source: ..., quote: ...}}")
                continue
            if source_id is None:
                self.fail(record, f"evidence {phrase!r} names no source and the file has no `source:`")
                continue
            if source_id not in self.sources:
                self.fail(record, f"evidence names source {source_id!r}, which is not in data/sources.yaml")
                continue
            try:
                found.append(resolve(self.sources[source_id], str(phrase)))
            except EvidenceError as exc:
                self.fail(record, str(exc))
        return found

    def cite(self, record: Record, iri: str, evidences: list[Evidence]) -> list[str]:
        """Write the annotations of a record; return the graph its own triples belong in.

        Each source that states the record gets its cw:statedIn and cw:evidence triples in
        that source's graph; the record's own triples go only into the graph of the first
        source, so that the union of the graphs holds each triple once.
        """
        graphs: list[str] = []
        for ev in evidences:
            graph = graph_for_source(ev.source_id)
            if graph not in graphs:
                graphs.append(graph)
                if record.section in ("statements", "observations"):
                    counts = self.out.facts_by_source
                    counts[ev.source_id] = counts.get(ev.source_id, 0) + 1
            digest = hashlib.sha256(f"{iri} {ev.source_id} {ev.start} {ev.end}".encode()).hexdigest()[:16]
            ann = f"{ID}annotation/{digest}"
            target, pos, quote = ann + "/target", ann + "/position", ann + "/quote"
            p = GRAPH_PROVENANCE
            add = self.out.add
            add(p, ann, RDF + "type", _n(OA + "Annotation"))
            add(p, ann, OA + "motivatedBy", _n(OA + "describing"))
            add(p, ann, OA + "hasBody", _n(iri))
            add(p, ann, OA + "hasTarget", _n(target))
            add(p, target, RDF + "type", _n(OA + "SpecificResource"))
            add(p, target, OA + "hasSource", _n(source_iri(ev.source_id)))
            add(p, target, OA + "hasSelector", _n(pos))
            add(p, target, OA + "hasSelector", _n(quote))
            add(p, pos, RDF + "type", _n(OA + "TextPositionSelector"))
            add(p, pos, OA + "start", ox.Literal(str(ev.start), datatype=_n(XSD + "nonNegativeInteger")))
            add(p, pos, OA + "end", ox.Literal(str(ev.end), datatype=_n(XSD + "nonNegativeInteger")))
            add(p, quote, RDF + "type", _n(OA + "TextQuoteSelector"))
            add(p, quote, OA + "exact", ox.Literal(ev.exact))
            add(graph, iri, CW + "statedIn", _n(source_iri(ev.source_id)))
            add(graph, iri, CW + "evidence", _n(ann))
        return graphs[:1]

    # -- records ---------------------------------------------------------------------------

    def register(self, files: list[FactFile]) -> None:
        """First pass: every defined id, so that references may point forwards."""
        for f in files:
            for r in f.records:
                if r.section not in ("entities", "datasets"):
                    continue
                rid = r.fields.get("id")
                if not isinstance(rid, str) or "/" not in rid:
                    self.fail(r, "needs an `id` of the form kind/slug, such as org/dfe")
                    continue
                kind, _, slug = rid.partition("/")
                if not _SLUG.match(slug):
                    self.fail(r, f"slug {slug!r} must be lowercase letters and digits joined by hyphens")
                iri = ID + rid
                if iri in self.defined:
                    first = self.defined[iri]
                    self.fail(
                        r, f"id {rid} is already defined at {first.file}:{first.line}; define each thing once"
                    )
                    continue
                self.defined[iri] = r

    def types(self, record: Record, *, default: list[str] | None = None) -> list[str]:
        raw = record.fields.get("type", default)
        if raw is None:
            self.fail(record, "needs a `type` (an ontology class)")
            return []
        out = []
        for name in raw if isinstance(raw, list) else [raw]:
            try:
                out.append(self.ontology.resolve_term(str(name), what="class"))
            except KeyError as exc:
                self.fail(record, str(exc.args[0]))
        return out

    def fields(
        self, record: Record, iri: str, graphs: list[str], skip: set[str]
    ) -> dict[str, list[ox.NamedNode | ox.Literal]]:
        written: dict[str, list[ox.NamedNode | ox.Literal]] = {}
        for key, raw in record.fields.items():
            if key in skip or (key in _RESERVED and key not in _LABELS):
                continue
            resolved = self.values(key, raw, record)
            if resolved is None:
                continue
            prop, terms = resolved
            written[prop] = terms
            for g in graphs:
                for t in terms:
                    self.out.add(g, iri, prop, t)
        return written

    def entity(self, record: Record) -> None:
        rid = record.fields.get("id")
        if not isinstance(rid, str):
            return
        iri = ID + rid
        types = self.types(record)
        kind = rid.partition("/")[0]
        allowed = set().union(*(self.ontology.slug_kinds(t) for t in types)) if types else set()
        if types and kind not in allowed:
            self.fail(record, f"id kind {kind!r} does not fit its types; use one of {sorted(allowed)}")
        if "label" not in record.fields:
            self.fail(record, "needs a `label`")
        elif isinstance(record.fields["label"], list):
            self.fail(record, "has more than one `label`; put the others in `altLabel`")
        graphs = self.cite(record, iri, self.evidence(record))
        for g in graphs:
            for t in types:
                self.out.add(g, iri, RDF + "type", _n(t))
        self.fields(record, iri, graphs, skip=set())
        if "label" in record.fields and isinstance(record.fields["label"], str):
            self.out.add(
                GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(record.fields["label"], language="en")
            )
        for t in types:
            self.out.entities_by_class[t] = self.out.entities_by_class.get(t, 0) + 1

    def dataset(self, record: Record) -> None:
        rid = record.fields.get("id")
        if not isinstance(rid, str):
            return
        iri = ID + rid
        if not rid.startswith("dataset/"):
            self.fail(record, "a dataset id must start with dataset/")
        extra = record.fields.get("dimensions") or []
        dims = list(_DEFAULT_DIMENSIONS)
        for d in extra if isinstance(extra, list) else [extra]:
            try:
                prop = self.ontology.resolve_term(str(d), what="property")
            except KeyError as exc:
                self.fail(record, str(exc.args[0]))
                continue
            if str(d) not in dims and prop:
                dims.append(str(d))
        self.dimensions[iri] = tuple(dims)
        graphs = self.cite(record, iri, self.evidence(record))
        for g in graphs:
            self.out.add(g, iri, RDF + "type", _n(QB + "DataSet"))
            self.out.add(g, iri, QB + "structure", _n(self.structure(rid.partition("/")[2], dims, g)))
        self.fields(record, iri, graphs, skip={"dimensions"})
        if isinstance(record.fields.get("label"), str):
            self.out.add(
                GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(record.fields["label"], language="en")
            )

    def structure(self, slug: str, dims: list[str], graph: str) -> str:
        """Write a data structure definition; components get IRIs, never blank nodes."""
        dsd = f"{ID}dsd/{slug}"
        add = self.out.add
        add(graph, dsd, RDF + "type", _n(QB + "DataStructureDefinition"))
        components: list[tuple[str, str, bool]] = [(d, "dimension", True) for d in dims]
        components.append(("obsValue", "measure", True))
        components.extend((a, "attribute", req) for a, req in _ATTRIBUTES)
        for order, (name, role, required) in enumerate(components, start=1):
            comp = f"{dsd}/component/{name}"
            add(graph, dsd, QB + "component", _n(comp))
            add(graph, comp, RDF + "type", _n(QB + "ComponentSpecification"))
            add(graph, comp, QB + role, _n(CW + name))
            add(graph, comp, QB + "order", ox.Literal(str(order), datatype=_n(XSD + "integer")))
            if role == "attribute":
                add(
                    graph,
                    comp,
                    QB + "componentRequired",
                    ox.Literal("true" if required else "false", datatype=_n(XSD + "boolean")),
                )
                add(graph, comp, QB + "componentAttachment", _n(QB + "Observation"))
        return dsd

    def default_dataset(self, source_id: str) -> str:
        iri = f"{ID}dataset/{source_id}-figures"
        if iri not in self.default_datasets:
            graph = graph_for_source(source_id)
            self.default_datasets[iri] = graph
            self.dimensions[iri] = _DEFAULT_DIMENSIONS
            add = self.out.add
            add(graph, iri, RDF + "type", _n(QB + "DataSet"))
            add(
                graph,
                iri,
                SKOS + "prefLabel",
                ox.Literal(f"Figures stated in {self.sources[source_id].title}", language="en"),
            )
            add(
                GRAPH_DERIVED,
                iri,
                RDFS + "label",
                ox.Literal(f"Figures stated in {self.sources[source_id].title}", language="en"),
            )
            add(graph, iri, CW + "statedIn", _n(source_iri(source_id)))
            add(graph, iri, QB + "structure", _n(self.structure("figures", list(_DEFAULT_DIMENSIONS), graph)))
        return iri

    def statement(self, record: Record) -> None:
        types = self.types(record)
        if not types:
            return
        if not all(self.ontology.is_subclass(t, CW + "Statement") for t in types):
            self.fail(record, f"type {record.fields['type']!r} is not a kind of Statement")
            return
        rid = record.fields.get("id")
        iri = ID + rid if isinstance(rid, str) else content_iri(record)
        if isinstance(rid, str) and not rid.startswith("statement/"):
            self.fail(record, "a statement id must start with statement/")
        evidences = self.evidence(record)
        graphs = self.cite(record, iri, evidences)
        for g in graphs:
            for t in types:
                self.out.add(g, iri, RDF + "type", _n(t))
        written = self.fields(record, iri, graphs, skip={"attribute"})
        is_funding = any(self.ontology.is_subclass(t, CW + "Funding") for t in types)
        if (
            is_funding
            and (CW + "amount" in written or CW + "londonAmount" in written)
            and CW + "currency" not in written
        ):
            for g in graphs:
                self.out.add(g, iri, CW + "currency", ox.Literal("GBP"))
        if CW + "AttributeStatement" in types:
            self.attribute(record, iri, graphs, written)
            return
        if any(self.ontology.is_subclass(t, CW + "Claim") for t in types):
            return
        for t in types:
            direct = self.ontology.direct(t)
            if direct is None:
                continue
            prop, s_field, o_field = direct
            # a statement without both ends yields no direct triple; the shapes say which links it needs
            if CW + "endDate" in written or s_field not in written or o_field not in written:
                continue
            for s in written[s_field]:
                for o in written[o_field]:
                    if isinstance(s, ox.NamedNode):
                        self.out.add(GRAPH_DERIVED, s, prop, o)

    def attribute(self, record: Record, iri: str, graphs: list[str], written: dict[str, list[Any]]) -> None:
        name = record.fields.get("attribute")
        if "about" not in record.fields or name is None or "value" not in record.fields:
            self.fail(record, "an AttributeStatement needs `about`, `attribute` and `value`")
            return
        try:
            prop = self.ontology.resolve_term(str(name), what="property")
        except KeyError as exc:
            self.fail(record, str(exc.args[0]))
            return
        values = self.typed(prop, record.fields["value"], record, "value")
        for g in graphs:
            self.out.add(g, iri, CW + "attribute", _n(prop))
            for v in values:
                self.out.add(g, iri, prop, v)
        if CW + "endDate" in written:
            return
        when = written.get(CW + "pointInTime")
        for about in written.get(CW + "about", []):
            for v in values:
                key = _start_of(when[0]) if when else None
                self.attribute_values[(about.value, prop)].append((key, v, iri))

    @staticmethod
    def cell_id(dataset: str, dims: tuple[str, ...], record: Record) -> str:
        """An observation's IRI from its data set and dimension values, the cell it fills (Data Cube IC-12:
        one observation per cell), so that correcting its figure, unit or evidence keeps the IRI."""
        cell = [dataset, *(str(record.fields.get(d)) for d in dims)]
        digest = hashlib.sha256(json.dumps(cell).encode()).hexdigest()[:12]
        return f"{ID}observation/{digest}"

    def observation(self, record: Record) -> None:
        evidences = self.evidence(record)
        if not evidences:
            return
        ds = record.fields.get("dataset")
        if ds is None:
            dataset = self.default_dataset(evidences[0].source_id)
        else:
            ref = self.ref(ds, record, "dataset")
            if ref is None:
                return
            dataset = ref.value
        iri = self.cell_id(dataset, self.dimensions.get(dataset, _DEFAULT_DIMENSIONS), record)
        first = self.cells.setdefault(iri, record)
        if first is not record:
            self.fail(
                record,
                f"the same cell of {dataset.rpartition('/')[2]} as the observation at "
                f"{first.file}:{first.line}: one figure per data set and dimension values",
            )
            return
        graphs = self.cite(record, iri, evidences)
        for g in graphs:
            self.out.add(g, iri, RDF + "type", _n(QB + "Observation"))
            self.out.add(g, iri, QB + "dataSet", _n(dataset))
        written = self.fields(record, iri, graphs, skip=set())
        dims = self.dimensions.get(dataset, _DEFAULT_DIMENSIONS)
        missing = [d for d in dims if CW + d not in written] + [
            a for a in ("obsValue", "unit") if CW + a not in written
        ]
        if missing:
            self.fail(
                record, f"an observation of {dataset.rpartition('/')[2]} needs `{'`, `'.join(missing)}`"
            )
        for key in record.fields:
            if key.startswith("ref") and key not in dims:
                self.fail(record, f"`{key}` is not a dimension of {dataset.rpartition('/')[2]}")

    # -- derived ---------------------------------------------------------------------------

    def derive(self) -> None:
        for (about, prop), values in sorted(self.attribute_values.items()):
            latest = max((when for when, _, _ in values if when is not None), default=None)
            for when, term, _ in values:
                if when == latest:
                    self.out.add(GRAPH_DERIVED, about, prop, term)
        for code, period in sorted(self.periods.items()):
            iri = period_iri(code)
            add = self.out.add
            add(GRAPH_DERIVED, iri, RDF + "type", _n(CW + "Period"))
            add(GRAPH_DERIVED, iri, SKOS + "prefLabel", ox.Literal(period.label, language="en"))
            add(GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(period.label, language="en"))
            add(GRAPH_DERIVED, iri, CW + "startOfPeriod", ox.Literal(period.first, datatype=_n(XSD + "date")))
            add(GRAPH_DERIVED, iri, CW + "endOfPeriod", ox.Literal(period.last, datatype=_n(XSD + "date")))

    def describe_sources(self) -> None:
        p = GRAPH_PROVENANCE
        for source in self.sources.values():
            iri = source_iri(source.id)
            self.out.add(p, iri, RDF + "type", _n(CW + "SourceDocument"))
            self.out.add(p, iri, DCTERMS + "title", ox.Literal(source.title, language="en"))
            self.out.add(GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(source.title, language="en"))
            self.out.add(p, iri, DCTERMS + "identifier", ox.Literal(source.id))
            self.out.add(p, iri, DCTERMS + "issued", _temporal(source.date))
            self.out.add(p, iri, CW + "sha256", ox.Literal(source.sha256))
            self.out.add(p, iri, CW + "fileName", ox.Literal(source.path.name))
            if source.author:
                self.out.add(p, iri, DCTERMS + "creator", ox.Literal(source.author))
            publisher = ID + source.publisher
            if publisher not in self.defined:
                self.errors.append(
                    f"data/sources.yaml: source {source.id} names publisher {source.publisher}, "
                    "which is not defined in data/facts"
                )
            self.out.add(p, iri, DCTERMS + "publisher", _n(publisher))


def compile_facts(ontology: Ontology, sources: dict[str, Source], files: list[FactFile]) -> Compiled:
    """Compile every fact file; raise DataError listing every problem found."""
    c = _Compiler(ontology, sources)
    c.register(files)
    records = [r for f in files for r in f.records]
    for r in records:
        if r.section == "entities":
            c.entity(r)
    for r in records:
        if r.section == "datasets":
            c.dataset(r)
    for r in records:
        if r.section == "statements":
            c.statement(r)
        elif r.section == "observations":
            c.observation(r)
    c.describe_sources()
    c.derive()
    if c.errors:
        shown = "\n  ".join(c.errors[:50])
        more = f"\n  ... and {len(c.errors) - 50} more" if len(c.errors) > 50 else ""
        raise DataError(f"{len(c.errors)} problem(s) in data/:\n  {shown}{more}")
    return c.out
