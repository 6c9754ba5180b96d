"""The index of the graph's resources: IRI, kind, labels and types, made from the rows of QUERY
(cwkg.server.pages.queries loads it through the read workers and keeps it until the data changes).
Browsing, search, the home page's counts and the 404 page's close matches read it; nothing else does.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg.namespaces import ID

__all__ = ["HIDDEN", "QUERY", "Entry", "Index"]

QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?type ?label ?alt WHERE {
  ?s a ?type .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/cwkg/id/") && !STRSTARTS(STR(?s), "https://w3id.org/cwkg/id/annotation/"))
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label }
  OPTIONAL { ?s skos:altLabel ?alt }
}
"""
#: Kinds of IRI that only exist as parts of others: not listed, not searched.
HIDDEN = ("annotation", "dsd")


@dataclass
class Entry:
    """One resource of the graph."""

    iri: str
    kind: str
    slug: str
    label: str = ""
    alt: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)

    def matches(self, words: list[str]) -> int:
        """How well the entry matches a search: 3 exact label or acronym, 2 starts with, 1 contains, 0 not."""
        text = " ".join(words)
        names = [self.label.lower(), *(a.lower() for a in self.alt)]
        if text in names:
            return 3
        if any(n.startswith(text) for n in names):
            return 2
        return 1 if all(any(w in n for n in names) for w in words) else 0


class Index:
    """The resources by IRI and by kind."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self.by_kind: dict[str, list[Entry]] = {}
        for entry in sorted(entries.values(), key=lambda e: e.label.lower()):
            self.by_kind.setdefault(entry.kind, []).append(entry)

    @classmethod
    def from_rows(cls, rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]) -> Index:
        """The index from the rows of QUERY."""
        entries: dict[str, Entry] = {}
        for row in rows:
            iri = row["s"].value
            kind, _, slug = iri[len(ID) :].partition("/")
            entry = entries.setdefault(iri, Entry(iri, kind, slug))
            entry.types.add(row["type"].value)
            label = row.get("label")
            if isinstance(label, ox.Literal) and (not entry.label or label.language == "en"):
                entry.label = label.value
            alt = row.get("alt")
            if isinstance(alt, ox.Literal):
                entry.alt.add(alt.value)
        for entry in entries.values():
            entry.label = entry.label or entry.slug
        return cls(entries)

    def search(self, text: str, kind: str | None = None, limit: int = 50) -> list[Entry]:
        """Entries whose label or alternative labels (acronyms among them) match, best first."""
        words = text.lower().split()
        if not words:
            return []
        scored = [
            (e.matches(words), e)
            for e in self.entries.values()
            if e.kind not in HIDDEN and (kind is None or e.kind == kind) and e.label
        ]
        return [e for score, e in sorted(scored, key=lambda se: (-se[0], se[1].label.lower())) if score > 0][
            :limit
        ]

    def close_matches(self, iri: str, n: int = 8) -> list[Entry]:
        """Entries whose IRI or label is close to an unknown IRI (for the 404 page)."""
        tail = iri[len(ID) :] if iri.startswith(ID) else iri
        kind, _, slug = tail.partition("/")
        candidates = [e for e in self.entries.values() if e.kind not in HIDDEN]
        keys = {f"{e.kind}/{e.slug}": e for e in candidates}
        found = difflib.get_close_matches(tail, list(keys), n=n, cutoff=0.5)
        words = slug.replace("-", " ")
        by_label = {e.label.lower(): e for e in candidates if e.label}
        found_labels = difflib.get_close_matches(words, list(by_label), n=n, cutoff=0.6)
        result = [keys[k] for k in found] + [by_label[k] for k in found_labels]
        result += [e for e in self.search(words, limit=n)]
        return list({e.iri: e for e in result}.values())[:n]
