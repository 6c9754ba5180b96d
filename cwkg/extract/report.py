"""The extraction run and its one report: mentions, candidates and coverage per document and
section, rendered as a rich table by the CLI and as JSON here."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cwkg.extract.candidates import find_candidates
from cwkg.extract.coverage import GraphIndex, IgnoreList, Status, judge
from cwkg.extract.document import Document, read_document
from cwkg.extract.mentions import Ambiguous, Mention, find_mentions
from cwkg.sources import Source

__all__ = ["DocumentReport", "ExtractionReport", "SectionReport", "run"]


@dataclass
class SectionReport:
    """The verdicts on the candidates of one section."""

    title: str
    statuses: list[Status] = field(default_factory=list)

    def count(self, state: str) -> int:
        """How many candidates have a verdict."""
        return sum(s.state == state for s in self.statuses)


@dataclass
class DocumentReport:
    """One document: its sections, mentions and ambiguous mentions."""

    source_id: str
    sections: list[SectionReport]
    mentions: list[Mention]
    ambiguous: list[Ambiguous]
    seconds: float
    sentences: int

    def count(self, state: str) -> int:
        """How many candidates of the document have a verdict."""
        return sum(s.count(state) for s in self.sections)

    @property
    def candidates(self) -> int:
        """How many candidates were judged."""
        return sum(len(s.statuses) for s in self.sections)


@dataclass
class ExtractionReport:
    """The whole run."""

    documents: list[DocumentReport]
    unused_ignores: list[str]

    @property
    def uncovered(self) -> int:
        """Uncovered candidates that the ignore list does not account for, over all documents."""
        return sum(d.count("uncovered") for d in self.documents)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "uncovered": self.uncovered,
            "unused_ignore_lines": self.unused_ignores,
            "documents": [
                {
                    "source": d.source_id,
                    "sentences": d.sentences,
                    "seconds": round(d.seconds, 3),
                    "candidates": d.candidates,
                    "covered": d.count("covered"),
                    "ignored": d.count("ignored"),
                    "uncovered": d.count("uncovered"),
                    "mentions": len(d.mentions),
                    "ambiguous_mentions": [
                        {
                            "start": a.raw_start,
                            "end": a.raw_end,
                            "text": a.exact,
                            "entities": list(a.entities),
                        }
                        for a in d.ambiguous
                    ],
                    "sections": [
                        {
                            "title": s.title,
                            "candidates": len(s.statuses),
                            "covered": s.count("covered"),
                            "ignored": s.count("ignored"),
                            "uncovered": s.count("uncovered"),
                            "items": [_item(x) for x in s.statuses],
                        }
                        for s in d.sections
                    ],
                }
                for d in self.documents
            ],
        }


def _item(status: Status) -> dict[str, Any]:
    c = status.candidate
    item: dict[str, Any] = {
        "kind": c.kind,
        "text": c.text,
        "start": c.raw_start,
        "end": c.raw_end,
        "state": status.state,
    }
    if c.values:
        item["values"] = list(c.values)
    if status.reason:
        item["reason"] = status.reason
    return item


def _document(doc: Document, index: GraphIndex, ignore: IgnoreList, started: float) -> DocumentReport:
    candidates = find_candidates(doc)
    statuses = judge(doc, candidates, index, ignore)
    sections = [SectionReport(s.title) for s in doc.sections]
    by_title_start = {s.start: i for i, s in enumerate(doc.sections)}
    starts = sorted(by_title_start)
    for st in statuses:
        pos = max((a for a in starts if a <= st.candidate.start), default=starts[0])
        sections[by_title_start[pos]].statuses.append(st)
    mentions, ambiguous = find_mentions(doc, index.lexicon)
    return DocumentReport(
        doc.source_id,
        [s for s in sections if s.statuses],
        mentions,
        ambiguous,
        time.perf_counter() - started,
        len(doc.sentences),
    )


def run(sources: Iterable[Source], quads: Iterable[ox.Quad], ignore: IgnoreList) -> ExtractionReport:
    """Extract, link and judge every given source against the compiled graph."""
    index = GraphIndex.from_quads(quads)
    reports = []
    used: set[int] = set()
    sources = list(sources)
    ran = {"*"} | {s.id for s in sources}
    for source in sources:
        started = time.perf_counter()
        doc = read_document(source)
        report = _document(doc, index, ignore, started)
        reports.append(report)
        for sec in report.sections:
            for st in sec.statuses:
                if st.state == "ignored" and (entry := ignore.match(st.candidate)) is not None:
                    used.add(entry.line)
    unused = [
        f"{ignore.path}:{e.line}: {e.source_id}\t{e.text}"
        for e in ignore.entries
        if e.line not in used and e.source_id.partition("@")[0] in ran
    ]
    return ExtractionReport(reports, unused)
