"""Precision and recall of the candidate finder on a hand-labelled sample of paragraphs.

The sample (`tests/fixtures/extraction/sample.yaml`) names each paragraph by the source and
two short phrases, where it starts and where it ends (located like evidence phrases, so no
source text is copied), and lists the spans a person labelled in it as `[kind, text]`; a text
that occurs twice in the paragraph is listed twice. Two measures are given:

* **lenient**: a found span matches a labelled one when they overlap and are both entities
  or both figures;
* **strict**: the same text (as a match key) and the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from cwkg.errors import DataError, EvidenceError
from cwkg.evidence import resolve
from cwkg.extract.candidates import FIGURE_KINDS, Candidate, find_candidates
from cwkg.extract.document import read_document
from cwkg.sources import Source
from cwkg.text import match_key

__all__ = ["Score", "evaluate"]


@dataclass(frozen=True)
class Score:
    """Counts and ratios of one measure."""

    true_positives: int
    found: int
    expected: int

    @property
    def precision(self) -> float:
        """The share of found spans that were labelled."""
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """The share of labelled spans that were found."""
        return self.true_positives / self.expected if self.expected else 1.0


@dataclass(frozen=True)
class Gold:
    """One labelled span."""

    kind: str
    start: int
    end: int
    text: str


def _locate(source: Source, text: str, start: int, end: int, nth: int) -> tuple[int, int]:
    """The raw span of the nth occurrence of a labelled text inside a paragraph."""
    needle, _ = match_key(text)
    hay, offsets = match_key(source.raw[start:end])
    pos = -1
    for _ in range(nth + 1):
        pos = hay.find(needle, pos + 1)
        if pos < 0:
            raise DataError(f"labelled text {text!r} (occurrence {nth + 1}) is not in its paragraph")
    return start + offsets[pos], start + offsets[pos + len(needle) - 1] + 1


def _gold(source: Source, para: dict[str, object]) -> tuple[tuple[int, int], list[Gold]]:
    try:
        a = resolve(source, str(para["start"]))
        b = resolve(source, str(para["end"]))
    except (EvidenceError, KeyError) as exc:
        raise DataError(f"sample paragraph of {source.id}: {exc}") from exc
    seen: dict[str, int] = {}
    out: list[Gold] = []
    for kind, text in para.get("expected") or []:  # type: ignore[attr-defined]
        nth = seen.get(text, 0)
        seen[text] = nth + 1
        s, e = _locate(source, str(text), a.start, b.end, nth)
        out.append(Gold(str(kind), s, e, str(text)))
    return (a.start, b.end), out


def _group(kind: str) -> str:
    return "figure" if kind in FIGURE_KINDS else "entity"


def evaluate(sample: Path, sources: dict[str, Source]) -> dict[str, Score]:
    """Score the finder on the sample: {"lenient": Score, "strict": Score}."""
    doc = yaml.safe_load(sample.read_text(encoding="utf-8"))
    found_all: list[Candidate] = []
    gold_all: list[Gold] = []
    cache: dict[str, list[Candidate]] = {}
    for para in doc["paragraphs"]:
        source = sources[para["source"]]
        (a, b), gold = _gold(source, para)
        if source.id not in cache:
            cache[source.id] = find_candidates(read_document(source))
        found_all.extend(c for c in cache[source.id] if a <= c.raw_start and c.raw_end <= b)
        gold_all.extend(gold)
    return {
        "lenient": _score(found_all, gold_all, strict=False),
        "strict": _score(found_all, gold_all, strict=True),
    }


def _score(found: list[Candidate], gold: list[Gold], *, strict: bool) -> Score:
    used: set[int] = set()
    tp = 0
    for c in found:
        for i, g in enumerate(gold):
            if i in used:
                continue
            if strict:
                ok = (
                    g.kind == c.kind
                    and match_key(g.text)[0] == match_key(c.text)[0]
                    and c.raw_start < g.end
                    and g.start < c.raw_end
                )
            else:
                ok = _group(g.kind) == _group(c.kind) and c.raw_start < g.end and g.start < c.raw_end
            if ok:
                used.add(i)
                tp += 1
                break
    return Score(tp, len(found), len(gold))
