"""Search that forgives: SQLite FTS5 with the Porter stemmer over labels, acronyms, kinds and definitions,
and RapidFuzz for the words nobody spelled right. Built at build time into dist/search.sqlite and again in
memory by the server whenever its data changes.

>>> index = SearchIndex.from_records([
...     Record("https://w3id.org/cwkg/id/org/ofsted", "org", "Ofsted", ("Office for Standards in Education",),
...            ("Inspectorate",), "The inspectorate of schools and children's services in England."),
...     Record("https://w3id.org/cwkg/id/programme/social-work-bursary", "programme", "social work bursary",
...            (), ("Scheme",), "A bursary for students of social work."),
... ])
>>> [hit.label for hit in index.search("bursaries").hits]
['social work bursary']
>>> result = index.search("ofstead")
>>> result.corrected, [hit.label for hit in result.hits]
('ofsted', ['Ofsted'])
>>> [hit.label for hit in index.search("inspectorate").hits]
['Ofsted']
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process, utils

__all__ = ["QUERY", "Hit", "Record", "Result", "SearchIndex", "records_from_rows"]

#: The resources a search can find, with what it matches on; run over the union of the graphs. Statements,
#: observations and mentions are found through what they are about, not by themselves.
QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label ?alt ?classLabel ?definition WHERE {
  ?s a ?type .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/cwkg/id/"))
  FILTER(!REGEX(STR(?s), "^https://w3id.org/cwkg/id/(annotation|dsd|mention|statement|observation)/"))
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label }
  OPTIONAL { ?s skos:altLabel ?alt }
  OPTIONAL { ?type (rdfs:subClassOf*)/(skos:prefLabel|rdfs:label) ?classLabel }
  OPTIONAL { ?s skos:definition ?definition }
}
"""
#: How much a match in each column counts (bm25 weights, in the column order of the table).
WEIGHTS = (10.0, 8.0, 4.0, 1.0)
WORD = re.compile(r"\w+", re.UNICODE)
ID = "https://w3id.org/cwkg/id/"


@dataclass(frozen=True)
class Record:
    """What a search knows of one resource."""

    iri: str
    kind: str
    label: str
    alt: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    definition: str = ""


@dataclass(frozen=True)
class Hit:
    """One resource found."""

    iri: str
    kind: str
    label: str


@dataclass
class Result:
    """The hits, the query as corrected (None when every word was found), and close labels when nothing was."""

    hits: list[Hit]
    corrected: str | None = None
    suggestions: list[str] = field(default_factory=list)


def records_from_rows(rows: Iterable[Mapping[str, object]]) -> list[Record]:
    """Records from the rows of QUERY (any term type with a `.value`), one per resource."""
    acc: dict[str, dict[str, set[str] | str]] = {}
    for row in rows:
        iri = _value(row.get("s"))
        if not iri:
            continue
        rec = acc.setdefault(iri, {"label": "", "alt": set(), "classes": set(), "definition": ""})
        label, alt = _value(row.get("label")), _value(row.get("alt"))
        cls, definition = _value(row.get("classLabel")), _value(row.get("definition"))
        if label and (not rec["label"] or _language(row.get("label")) == "en"):
            rec["label"] = label
        for key, value in (("alt", alt), ("classes", cls)):
            if value:
                rec[key].add(value)  # type: ignore[union-attr]
        if definition and not rec["definition"]:
            rec["definition"] = definition
    records = []
    for iri, rec in sorted(acc.items()):
        kind, _, slug = iri[len(ID) :].partition("/")
        records.append(
            Record(
                iri,
                kind,
                str(rec["label"]) or slug.replace("-", " "),
                tuple(sorted(rec["alt"])),
                tuple(sorted(rec["classes"])),
                str(rec["definition"]),
            )
        )
    return records


def _value(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def _language(term: object) -> str | None:
    return getattr(term, "language", None)


class SearchIndex:
    """An FTS5 table of records, and the words of their names for correcting misspellings."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.words = sorted({w for (text,) in db.execute("SELECT names FROM words") for w in text.split()})
        self.labels = [label for (label,) in db.execute("SELECT label FROM docs ORDER BY label")]

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> SearchIndex:
        """An index in memory."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.executescript(
            "CREATE VIRTUAL TABLE docs USING fts5(label, alt, classes, definition, iri UNINDEXED, kind UNINDEXED,"
            " tokenize='porter unicode61 remove_diacritics 2');"
            "CREATE TABLE words(names TEXT);"
        )
        rows = [
            (r.label, " ; ".join(r.alt), " ; ".join(r.classes), r.definition, r.iri, r.kind) for r in records
        ]
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
        names = {
            w.lower() for r in records for text in (r.label, *r.alt, *r.classes) for w in WORD.findall(text)
        }
        db.executemany("INSERT INTO words VALUES (?)", [(w,) for w in sorted(names)])
        db.commit()
        return cls(db)

    @classmethod
    def load(cls, path: Path) -> SearchIndex:
        """An index read from a file written by `save`, copied into memory."""
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(db)
        source.close()
        return cls(db)

    def save(self, path: Path) -> None:
        """Write the index to a file, whole or not at all."""
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.unlink(missing_ok=True)
        target = sqlite3.connect(tmp)
        self.db.backup(target)
        target.close()
        tmp.replace(path)

    def search(self, text: str, *, kind: str | None = None, limit: int = 50) -> Result:
        """The best matches for a text: stemmed words first, then the same with misspelt words corrected."""
        words = [w.lower() for w in WORD.findall(text)]
        if not words:
            return Result([])
        hits = self._match(words, kind, limit)
        if hits:
            return Result(hits)
        fixed = [self._correct(w) for w in words]
        if fixed != words:
            hits = self._match(fixed, kind, limit)
            if hits:
                return Result(hits, corrected=" ".join(fixed))
        close = process.extract(
            " ".join(words),
            self.labels,
            scorer=fuzz.token_ratio,
            processor=utils.default_process,
            limit=5,
            score_cutoff=60,
        )
        return Result([], suggestions=[label for label, _, _ in close])

    def _match(self, words: list[str], kind: str | None, limit: int) -> list[Hit]:
        # every word must match, the last one also as a prefix of a longer word ("soc" finds "social")
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        # a label or acronym that is the query, then a label that starts with it, then bm25 over the columns
        sql = (
            "SELECT iri, kind, label FROM docs WHERE docs MATCH ? AND (? IS NULL OR kind = ?)"
            " ORDER BY (lower(label) = ? OR lower(' ; ' || alt || ' ; ') LIKE ?) DESC, lower(label) LIKE ? DESC,"
            f" bm25(docs, {', '.join(map(str, WEIGHTS))}), label LIMIT ?"
        )
        phrase = " ".join(words)
        args = (" AND ".join(terms), kind, kind, phrase, f"% ; {phrase} ; %", phrase + "%", limit)
        rows = self.db.execute(sql, args).fetchall()
        return [Hit(iri, k, label) for iri, k, label in rows]

    def _correct(self, word: str) -> str:
        if len(word) < 4 or any(w.startswith(word) for w in self.words):
            return word
        best = process.extractOne(word, self.words, scorer=fuzz.ratio, score_cutoff=75)
        return str(best[0]) if best else word
