"""The index of the graph's resources: IRI, kind, labels and types, made from the rows of QUERY
(cwkg.server.pages.queries loads it through the read workers and keeps it until the data changes).
Browsing, search, the home page's counts and the 404 page's close matches read it; nothing else does.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg.namespaces import ID
from cwkg.rdf import Term
from cwkg.search import Result, SearchIndex

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


class Index:
    """The resources by IRI and by kind."""

    def __init__(self, entries: dict[str, Entry], finder: SearchIndex) -> None:
        self.entries = entries
        self.finder = finder
        self.by_kind: dict[str, list[Entry]] = {}
        for entry in sorted(entries.values(), key=lambda e: e.label.lower()):
            self.by_kind.setdefault(entry.kind, []).append(entry)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Term]], finder: SearchIndex) -> Index:
        """The index from the rows of QUERY, with the search index that finds its entries."""
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
        return cls(entries, finder)

    def search(self, text: str, kind: str | None = None, limit: int = 50) -> tuple[list[Entry], Result]:
        """Entries matching a text (stemmed, misspellings corrected), best first, and the search's result."""
        result = self.finder.search(text, kind=kind, limit=limit)
        return [self.entries[h.iri] for h in result.hits if h.iri in self.entries], result

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
        result += self.search(words, limit=n)[0]
        return list({e.iri: e for e in result}.values())[:n]
