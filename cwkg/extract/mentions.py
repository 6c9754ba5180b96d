"""Mention linking: every place a source names a known entity, as Web Annotations.

The lexicon holds each entity's `skos:prefLabel` and `skos:altLabel`s, matched in the key of
`cwkg.extract.tokens` (case, apostrophes, hyphens and "&" folded) and in the plural. Acronyms
(one word with two capitals or more: "DfE", "NYA", "FCA") match only as written, with an
optional plural or possessive "s", so that "nya" or "Fca" never link. Matching is
leftmost-longest over the normalised text; a span whose key names two entities or more is an
`Ambiguous` mention, reported and never linked.

Entities are the resources of `id/` with a label in any graph but the derived one, except
periods, units, sectors, schemes, statistics, datasets and the statement machinery, whose labels
are common words ("per cent", "Health") or describe a measure rather than name a thing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg.compile import source_iri
from cwkg.extract.document import Document
from cwkg.extract.tokens import key, plural_keys, tokenise
from cwkg.namespaces import GRAPH_DERIVED, GRAPH_PROVENANCE, ID, PREFIXES
from cwkg.sources import Source

__all__ = ["Ambiguous", "Lexicon", "Mention", "find_mentions", "link_mentions", "mention_quads"]

SKOS = PREFIXES["skos"]
OA = PREFIXES["oa"]
RDF = PREFIXES["rdf"]
XSD = PREFIXES["xsd"]
LABELS = (SKOS + "prefLabel", SKOS + "altLabel")
EXCLUDED_KINDS = frozenset(
    {
        "period",
        "unit",
        "sector",
        "scheme",
        "statistic",
        "dataset",
        "dsd",
        "statement",
        "observation",
        "annotation",
        "mention",
    }
)
_CONTEXT = 32
_GENERIC_TAILS = frozenset({"programme", "programmes", "scheme", "course", "initiative", "project"})


def is_acronym(label: str) -> bool:
    """Whether a label is an acronym, matched only as written.

    >>> is_acronym("DfE"), is_acronym("NAAS"), is_acronym("Ofsted"), is_acronym("CSA Centre")
    (True, True, False, False)
    """
    return " " not in label and sum(c.isupper() for c in label) >= 2


@dataclass
class Lexicon:
    """Labels of the known entities by match key; acronyms kept apart, matched as written."""

    entries: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    acronyms: dict[tuple[str, ...], dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entity: str, label: str) -> None:
        """Add one label of an entity, with its plural."""
        self.labels[entity].append(label)
        k = key(label)
        if not k:
            return
        if is_acronym(label):
            forms = {label, label + "s", label + "es"}
            for kk in (k, (k[0] + "s",), (k[0] + "es",)):
                self.acronyms[kk].setdefault(entity, set()).update(forms)
            return
        for kk in (k, *plural_keys(k)):
            self.entries[kk].add(entity)

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Lexicon:
        """The lexicon of every labelled entity in compiled quads."""
        lex = cls()
        seen: set[tuple[str, str]] = set()
        for q in quads:
            if q.predicate.value not in LABELS or not isinstance(q.object, ox.Literal):
                continue
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == GRAPH_DERIVED:
                continue
            if isinstance(q.subject, ox.Triple):
                continue  # a quoted triple (RDF-star) has no label
            subject = q.subject.value
            if not subject.startswith(ID) or subject[len(ID) :].partition("/")[0] in EXCLUDED_KINDS:
                continue
            if (subject, q.object.value) not in seen:
                seen.add((subject, q.object.value))
                lex.add(subject, q.object.value)
        return lex

    @classmethod
    def from_labels(cls, labels: dict[str, list[str]]) -> Lexicon:
        """A lexicon from entity IRIs and their labels (tests and small examples)."""
        lex = cls()
        for entity, names in labels.items():
            for name in names:
                lex.add(entity, name)
        return lex

    def lookup(self, k: tuple[str, ...], surface: str) -> set[str]:
        """The entities a key names, given the words as written (for acronyms)."""
        found = set(self.entries.get(k, ()))
        written = surface.replace("'", "").replace("’", "")
        for entity, forms in self.acronyms.get(k, {}).items():
            if written in forms:
                found.add(entity)
        return found

    def covers(self, text: str) -> bool:
        """Whether a phrase is a label of a known entity: folded, in the plural, with or without a
        leading "the", and a name followed by "programme" or "scheme" as the name alone."""
        k = key(text)
        written = text.strip().removeprefix("the ").removeprefix("The ")
        keys = [k, ("the", *k)]
        if k[:1] in (("the",), ("a",), ("an",)) and len(k) > 1:
            keys.append(k[1:])
        if len(k) > 1 and k[-1] in _GENERIC_TAILS:
            keys += [k[:-1], ("the", *k[:-1])]
        return any(self.lookup(kk, written) for kk in keys)

    def max_len(self) -> int:
        """The number of words of the longest key."""
        return max((len(k) for k in (*self.entries, *self.acronyms)), default=0)


@dataclass(frozen=True, order=True)
class Mention:
    """A span of a source that names one known entity."""

    source_id: str
    raw_start: int
    raw_end: int
    entity: str
    start: int
    end: int
    exact: str


@dataclass(frozen=True, order=True)
class Ambiguous:
    """A span of a source whose words name two entities or more: reported, not linked."""

    source_id: str
    raw_start: int
    raw_end: int
    exact: str
    entities: tuple[str, ...]


def find_mentions(doc: Document, lexicon: Lexicon) -> tuple[list[Mention], list[Ambiguous]]:
    """Every mention of a known entity in a document, leftmost-longest, and the ambiguous ones."""
    tokens = tokenise(doc.text)
    norms = [t.norm for t in tokens]
    firsts = {k[0] for k in lexicon.entries} | {k[0] for k in lexicon.acronyms}
    longest = lexicon.max_len()
    mentions: list[Mention] = []
    ambiguous: list[Ambiguous] = []
    i = 0
    while i < len(tokens):
        if norms[i] not in firsts:
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            k = tuple(norms[i : i + n])
            start, end = tokens[i].start, tokens[i + n - 1].end
            entities = lexicon.lookup(k, doc.text[start:end])
            if not entities:
                continue
            raw_start, raw_end = doc.raw_span(start, end)
            exact = doc.raw[raw_start:raw_end]
            if len(entities) == 1:
                mentions.append(
                    Mention(doc.source_id, raw_start, raw_end, next(iter(entities)), start, end, exact)
                )
            else:
                ambiguous.append(Ambiguous(doc.source_id, raw_start, raw_end, exact, tuple(sorted(entities))))
            i += n
            break
        else:
            i += 1
    return mentions, ambiguous


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def mention_quads(mentions: Iterable[Mention], raw_texts: dict[str, str] | None = None) -> list[ox.Quad]:
    """Web Annotations (motivation oa:identifying) of mentions, in the provenance graph, sorted.

    Every node has an IRI derived from entity, source and offsets, so a rebuild gives the same
    quads. With `raw_texts` (source id -> original text) each quote selector also carries an
    `oa:prefix` and `oa:suffix` of up to 32 characters.

    >>> m = Mention("s1", 4, 7, "https://w3id.org/cwkg/id/org/dfe", 4, 7, "DfE")
    >>> qs = mention_quads([m])
    >>> len(qs), qs[0].graph_name.value
    (13, 'https://w3id.org/cwkg/graph/provenance')
    """
    g = _n(GRAPH_PROVENANCE)
    out: set[ox.Quad] = set()
    for m in mentions:
        digest = hashlib.sha256(f"{m.entity} {m.source_id} {m.raw_start} {m.raw_end}".encode()).hexdigest()[
            :16
        ]
        ann = f"{ID}mention/{digest}"
        target, pos, quote = ann + "/target", ann + "/position", ann + "/quote"

        def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
            out.add(ox.Quad(_n(s), _n(p), o, g))

        add(ann, RDF + "type", _n(OA + "Annotation"))
        add(ann, OA + "motivatedBy", _n(OA + "identifying"))
        add(ann, OA + "hasBody", _n(m.entity))
        add(ann, OA + "hasTarget", _n(target))
        add(target, RDF + "type", _n(OA + "SpecificResource"))
        add(target, OA + "hasSource", _n(source_iri(m.source_id)))
        add(target, OA + "hasSelector", _n(pos))
        add(target, OA + "hasSelector", _n(quote))
        add(pos, RDF + "type", _n(OA + "TextPositionSelector"))
        add(pos, OA + "start", ox.Literal(str(m.raw_start), datatype=_n(XSD + "nonNegativeInteger")))
        add(pos, OA + "end", ox.Literal(str(m.raw_end), datatype=_n(XSD + "nonNegativeInteger")))
        add(quote, RDF + "type", _n(OA + "TextQuoteSelector"))
        add(quote, OA + "exact", ox.Literal(m.exact))
        raw = (raw_texts or {}).get(m.source_id)
        if raw is not None:
            add(quote, OA + "prefix", ox.Literal(raw[max(0, m.raw_start - _CONTEXT) : m.raw_start]))
            add(quote, OA + "suffix", ox.Literal(raw[m.raw_end : m.raw_end + _CONTEXT]))
    return sorted(out, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def link_mentions(sources: Iterable[Source], quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The mention annotations of every source against the entities of compiled quads.

    This is the one call for the build: `compiled.quads[GRAPH_PROVENANCE].update(link_mentions(
    sources.values(), compiled.sorted_quads()))`.
    """
    from cwkg.extract.document import read_document

    lexicon = Lexicon.from_quads(quads)
    mentions: list[Mention] = []
    raw: dict[str, str] = {}
    for source in sources:
        doc = read_document(source)
        raw[source.id] = doc.raw
        mentions.extend(find_mentions(doc, lexicon)[0])
    return mention_quads(mentions, raw)
