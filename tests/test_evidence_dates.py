"""Every dated fact cites a phrase that contains or sits beside its date (issue 17).

A date sits beside a phrase when, within 60 characters of it, the text gives the year, or a date
relative to the document ("this year", "last year", "in June", "this autumn"), or when the date is
the year of the document itself (a fact stated in the present tense, or no longer so by then).
"""

from __future__ import annotations

import re

from cwkg.config import Settings
from cwkg.sources import load_manifest
from cwkg.store import OxigraphStore
from tests.conftest import select

WINDOW = 60
RELATIVE = re.compile(
    r"\b(this|last|next|earlier this|later this) (year|autumn|spring|summer|winter|month)\b|"
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"\b(spring|autumn|summer|winter)\b|\bno longer\b",
    re.IGNORECASE,
)


def test_every_dated_statement_and_entity_cites_its_date(store: OxigraphStore) -> None:
    settings = Settings()
    sources = {
        f"https://w3id.org/cwkg/id/source/{k}": v
        for k, v in load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir).items()
    }
    rows = select(
        store,
        """
        SELECT ?f ?p ?d ?src ?start ?end WHERE {
          ?f ?p ?d ; cw:evidence ?a .
          FILTER(?p IN (cw:startDate, cw:endDate, cw:pointInTime, cw:launchDate, cw:closureDate))
          FILTER NOT EXISTS { GRAPH <https://w3id.org/cwkg/graph/derived> { ?f ?p ?d } }
          ?a oa:hasTarget ?t . ?t oa:hasSource ?src ; oa:hasSelector ?sel .
          ?sel oa:start ?start ; oa:end ?end .
        }""",
    )
    assert len(rows) > 150
    facts: dict[tuple[str, str, str], list[tuple[str, int, int]]] = {}
    for r in rows:
        facts.setdefault((r["f"], r["p"], r["d"]), []).append((r["src"], int(r["start"]), int(r["end"])))
    undated = []
    for (fact, prop, date), evidences in sorted(facts.items()):
        year = date[:4]
        if any(sources[s].date[:4] == year for s, _, _ in evidences):
            continue
        windows = [sources[s].raw[max(0, a - WINDOW) : b + WINDOW] for s, a, b in evidences]
        if not any(year in w or RELATIVE.search(w) for w in windows):
            undated.append(f"{fact} {prop.rpartition('#')[2]} {date}")
    assert undated == []
