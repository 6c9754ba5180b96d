"""Coverage: which candidates the graph already holds, which are ignored, which are missing.

* An entity candidate is **covered** when its words are a label or alternative label of an
  entity of the graph (folded as in `cwkg.extract.tokens`, in the plural, with or without a
  leading "the").
* A figure is **covered** when one of its values is a value (observation value, amount,
  count, duration, date or period) of a fact whose evidence, in the same source, overlaps the
  figure's sentence; the evidence offsets are read from the provenance graph.
* Otherwise it is **ignored** when `data/extraction-ignore` lists it, or else **uncovered**.

`data/extraction-ignore` holds one candidate a line, three fields separated by tabs:
`source-id<TAB>candidate text<TAB>reason`; `*` as source id stands for every source, and
`source-id@offset` pins the one occurrence that starts at that offset of the source file (for a common
text such as "2020" that must stay visible elsewhere); blank lines and lines starting with `#`
are skipped. The text is compared as a match key, so case,
punctuation and line breaks do not matter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cwkg.errors import DataError
from cwkg.extract.candidates import Candidate
from cwkg.extract.document import Document
from cwkg.extract.mentions import Lexicon
from cwkg.extract.tokens import key
from cwkg.namespaces import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, ID, PREFIXES

__all__ = ["GraphIndex", "IgnoreEntry", "IgnoreList", "Status", "judge"]

OA = PREFIXES["oa"]
XSD = PREFIXES["xsd"]
_SOURCE = ID + "source/"
_PERIOD = ID + "period/"
_NUMERIC = {XSD + "decimal", XSD + "integer", XSD + "nonNegativeInteger", XSD + "double"}
_TEMPORAL = {XSD + "date", XSD + "gYear", XSD + "gYearMonth"}


def _temporal_values(text: str) -> set[str]:
    """A date and the coarser dates it falls in: 2019-09-30 -> also 2019-09 and 2019."""
    out = {text}
    if len(text) >= 7:
        out.add(text[:7])
    out.add(text[:4])
    return out


def _literal_values(lit: ox.Literal) -> set[str]:
    """The comparable values of a literal of the graph."""
    dt = lit.datatype.value
    if dt in _NUMERIC:
        from decimal import Decimal, InvalidOperation

        try:
            return {format(Decimal(lit.value).normalize(), "f")}
        except InvalidOperation:
            return set()
    if dt in _TEMPORAL:
        return _temporal_values(lit.value)
    if dt == XSD + "duration":
        return {lit.value}
    return set()


def _period_values(iri: str) -> set[str]:
    """The comparable values of a period IRI: its code and, for a month or day, the coarser ones."""
    code = iri[len(_PERIOD) :]
    if code[:2] in ("ay", "fy"):
        return {code}
    return _temporal_values(code)


@dataclass
class GraphIndex:
    """What coverage needs of the graph: the label lexicon and the figures each source states."""

    lexicon: Lexicon
    figures: dict[str, list[tuple[int, int, frozenset[str]]]] = field(default_factory=dict)

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> GraphIndex:
        """Index compiled quads."""
        quads = list(quads)
        body: dict[str, str] = {}
        target: dict[str, str] = {}
        source: dict[str, str] = {}
        selectors: dict[str, list[str]] = defaultdict(list)
        start: dict[str, int] = {}
        end: dict[str, int] = {}
        values: dict[str, set[str]] = defaultdict(set)
        skip = {GRAPH_DERIVED, GRAPH_ONTOLOGY}
        for q in quads:
            if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
                continue  # a quoted triple (RDF-star) states no annotation and no figure
            s, p, o = q.subject.value, q.predicate.value, q.object
            graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            if graph == GRAPH_PROVENANCE:
                if p == OA + "hasBody":
                    body[s] = o.value
                elif p == OA + "hasTarget":
                    target[s] = o.value
                elif p == OA + "hasSource":
                    source[s] = o.value
                elif p == OA + "hasSelector":
                    selectors[s].append(o.value)
                elif p == OA + "start":
                    start[s] = int(o.value)
                elif p == OA + "end":
                    end[s] = int(o.value)
            elif graph not in skip:
                if isinstance(o, ox.Literal):
                    values[s] |= _literal_values(o)
                elif isinstance(o, ox.NamedNode) and o.value.startswith(_PERIOD):
                    values[s] |= _period_values(o.value)
        figures: dict[str, list[tuple[int, int, frozenset[str]]]] = defaultdict(list)
        for ann, b in body.items():
            vals = values.get(b)
            t = target.get(ann)
            if not vals or t is None or not source.get(t, "").startswith(_SOURCE):
                continue
            for sel in selectors.get(t, []):
                if sel in start and sel in end:
                    figures[source[t][len(_SOURCE) :]].append((start[sel], end[sel], frozenset(vals)))
        return cls(Lexicon.from_quads(quads), dict(figures))

    def covers(self, doc: Document, candidate: Candidate) -> bool:
        """Whether the graph holds a candidate (see the module docstring)."""
        if not candidate.is_figure:
            return self.lexicon.covers(candidate.text)
        sentence = doc.sentences[candidate.sentence]
        s_start, s_end = doc.raw_span(sentence.start, sentence.end)
        wanted = set(candidate.values)
        return any(
            a < s_end and s_start < b and wanted & vals for a, b, vals in self.figures.get(doc.source_id, [])
        )


@dataclass(frozen=True)
class IgnoreEntry:
    """One line of the ignore list."""

    source_id: str
    text: str
    reason: str
    line: int


@dataclass
class IgnoreList:
    """Candidates judged not to belong in the graph, each with a reason."""

    entries: list[IgnoreEntry] = field(default_factory=list)
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> IgnoreList:
        """Read the ignore list; a missing file is an empty list, a bad line a DataError."""
        if not path.exists():
            return cls([], path)
        entries: list[IgnoreEntry] = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                raise DataError(f"{path}:{n}: expected source-id<TAB>candidate text<TAB>reason, got {line!r}")
            entries.append(IgnoreEntry(parts[0].strip(), parts[1].strip(), parts[2].strip(), n))
        return cls(entries, path)

    def match(self, candidate: Candidate) -> IgnoreEntry | None:
        """The entry that ignores a candidate, if any."""
        k = key(candidate.text)
        pinned = f"{candidate.source_id}@{candidate.raw_start}"
        for e in self.entries:
            if e.source_id in ("*", candidate.source_id, pinned) and key(e.text) == k:
                return e
        return None


@dataclass(frozen=True)
class Status:
    """A candidate with its verdict: covered, ignored (with the reason) or uncovered."""

    candidate: Candidate
    state: str
    reason: str = ""


def judge(
    doc: Document, candidates: Iterable[Candidate], index: GraphIndex, ignore: IgnoreList
) -> list[Status]:
    """The verdict on each candidate of a document.

    Entity candidates are judged once per section and kind (their first occurrence); figures
    each time they occur, since each occurrence is its own statement.
    """
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out: list[Status] = []
    for c in candidates:
        if not c.is_figure:
            k = (c.section, c.kind, key(c.text))
            if k in seen:
                continue
            seen.add(k)
        if index.covers(doc, c):
            out.append(Status(c, "covered"))
        elif (entry := ignore.match(c)) is not None:
            out.append(Status(c, "ignored", entry.reason))
        else:
            out.append(Status(c, "uncovered"))
    return out
