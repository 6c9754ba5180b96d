"""Sentence splitting of normalised text: full stops, question and exclamation marks, plus
hard breaks the caller knows of (headings, table rows, list items).

A full stop ends a sentence when a space and a capital, digit, quote, bracket or pound sign
follow, unless it closes a known abbreviation, a single initial or a numbered paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_END = re.compile(r"[.!?]+[\"'”’)\]*]*\s+(?=[\"'“‘(\[*]*[A-Z0-9£])")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc dr mr mrs ms st prof no nos vs approx fig figs cf al rev sr jr co inc para paras".split()
)
_BEFORE = re.compile(r"(\S+)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a half-open span of the normalised text."""

    start: int
    end: int
    text: str


def _is_boundary(text: str, dot: int) -> bool:
    """Whether the punctuation at `dot` ends a sentence."""
    if text[dot] != ".":
        return True
    window = max(0, dot - 40)
    m = _BEFORE.search(text, window, dot)
    word = m.group(1).lstrip("(\"'“‘*").lower() if m else ""
    if word in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        return False
    # a paragraph number such as "4.3." or "1." at the start of the text or of a list item
    at = m.start() if m else dot
    return not (_NUMBER.fullmatch(word) and (at == 0 or text[at - 2 : at] == "- "))


def split_sentences(text: str, breaks: Iterable[int] = ()) -> list[Sentence]:
    """Split text into sentences, also breaking at each offset in `breaks`.

    >>> [s.text for s in split_sentences("Dr. Smith said so. In 2019, 4.3 per cent left! Why? e.g. this")]
    ['Dr. Smith said so.', 'In 2019, 4.3 per cent left!', 'Why? e.g. this']
    >>> [s.text for s in split_sentences("SOCIAL WORK The number rose", breaks=[12])]
    ['SOCIAL WORK', 'The number rose']
    """
    cuts = {0, len(text)}
    cuts.update(b for b in breaks if 0 < b < len(text))
    for m in _END.finditer(text):
        if _is_boundary(text, m.start()):
            cuts.add(m.end())
    out: list[Sentence] = []
    ordered = sorted(cuts)
    for a, b in zip(ordered, ordered[1:]):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if body:
            out.append(Sentence(a + lead, a + lead + len(body), body))
    return out
