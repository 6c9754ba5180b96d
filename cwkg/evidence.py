"""Evidence: a short phrase of a source, resolved to the character offsets it occupies."""

from __future__ import annotations

from dataclasses import dataclass

from cwkg.errors import EvidenceError
from cwkg.sources import Source
from cwkg.text import match_key

__all__ = ["MAX_WORDS", "Evidence", "resolve"]

MAX_WORDS = 12


@dataclass(frozen=True, order=True)
class Evidence:
    """A located passage: the source, the offsets in its file, and the exact text there."""

    source_id: str
    start: int
    end: int
    exact: str
    phrase: str


def resolve(source: Source, phrase: str) -> Evidence:
    """Find a phrase once in a source, comparing letters and digits only.

    Raises EvidenceError when the phrase is too long, absent, or occurs more than once.
    """
    words = phrase.split()
    if not words:
        raise EvidenceError("the evidence phrase is empty")
    if len(words) > MAX_WORDS:
        raise EvidenceError(f"the phrase {phrase!r} has {len(words)} words; at most {MAX_WORDS} are allowed")
    needle, _ = match_key(phrase)
    if not needle:
        raise EvidenceError(f"the phrase {phrase!r} has no letters or digits")
    haystack, offsets = source.key
    first = haystack.find(needle)
    if first < 0:
        raise EvidenceError(f"the phrase {phrase!r} does not occur in source {source.id}")
    second = haystack.find(needle, first + 1)
    if second >= 0:
        count = haystack.count(needle)
        raise EvidenceError(
            f"the phrase {phrase!r} occurs {count} times in source {source.id}; "
            "lengthen it so that it occurs once"
        )
    start = offsets[first]
    end = offsets[first + len(needle) - 1] + 1
    return Evidence(source.id, start, end, source.raw[start:end], phrase)
