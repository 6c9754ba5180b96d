"""Section headings of a source document, found line by line in its raw text.

The documents mark their sections in two ways, and each document is read in the way it uses:

* **numbered** (002, 003): a line "4. The challenges and current context" or
  "Section 2 – The Children & Young People's Workforce". A document with at least three such
  lines is read this way, and only those lines open sections.
* **title lines** (000, 001, 004): a short line standing alone as a title: at most six words
  and fifty characters, starting with a capital, without digits or closing punctuation, and
  followed by a line of prose (four words or more, two of them lower-case, starting with a
  capital or a quote). It has no comma, digit or markup, does not start with an article
  nor end with a function word, and its brackets balance, so that the first words of a hard-wrapped sentence ("The Assessed and Supported Year in") do
  not pass for one; in the hard-wrapped 000 a title must also follow the end of a sentence,
  a blank line or a page break (a line that starts with a space). Consecutive upper-case
  title lines ("NEW TOOL TO PROMOTE BEST" / "PRACTICE IN SOCIAL WORK") join into one.

Title lines of a numbered document are still headings (they end sentences), only not sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["OPENING", "Heading", "find_headings"]

OPENING = "(opening)"

_NUMBERED = re.compile(r"^\s*(?:Section\s+\d{1,2}\s*[-–:]\s*|\d{1,2}\.\s+)[A-Z][^.!?]*$")
_TITLE_BAD = re.compile(r"[\d@£|•*,\[\]<>=/\\]|www|https?:")
_SENTENCE_END = re.compile(r"[.!?:\"”’)]\s*$")
_SENTENCE_START = re.compile(r"^\s*[\"“‘'(]?[A-Z]")
_ARTICLES = frozenset({"The", "A", "An"})
_FUNCTION_WORDS = frozenset(
    "a an the of for in on to and or with by at from as is are was were its their our that which who".split()
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: its title and the half-open span of its line(s) in the raw text."""

    title: str
    start: int
    end: int
    numbered: bool


def _lines(raw: str) -> list[tuple[int, str]]:
    """Each line of the raw text with the offset where it starts."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in raw.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _is_title(line: str) -> bool:
    """Whether a line, on its own, looks like a title."""
    body = line.strip()
    words = body.split()
    return (
        0 < len(words) <= 6
        and len(body) <= 50
        and body[0].isupper()
        and body[-1] not in ".,;:!?-–"
        and not _TITLE_BAD.search(body)
        and words[0] not in _ARTICLES
        and words[-1].lower() not in _FUNCTION_WORDS
        and body.count("(") == body.count(")")
    )


def find_headings(raw: str) -> list[Heading]:
    """Every heading of a document, in order.

    >>> [h.title for h in find_headings("Intro text.\\n\\nChild protection\\nSocial workers lack adequate training.\\n")]
    ['Child protection']
    >>> [h.title for h in find_headings("1. Introduction\\nText.\\n2. A national voice\\nText.\\n3. Aims\\nMore.")]
    ['1. Introduction', '2. A national voice', '3. Aims']
    """
    lines = _lines(raw)
    numbered = [i for i, (_, line) in enumerate(lines) if _NUMBERED.match(line) and len(line.split()) <= 16]
    use_numbers = len(numbered) >= 3
    heads: list[Heading] = []
    numbered_set = set(numbered) if use_numbers else set()
    prev_text = ""  # the last non-blank line before the current one
    prev_blank = True
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        if pending:
            start = pending[0][0] + (len(pending[0][1]) - len(pending[0][1].lstrip()))
            last_pos, last = pending[-1]
            title = " ".join(" ".join(p[1].split()) for p in pending)
            heads.append(Heading(title, start, last_pos + len(last.rstrip()), False))
            pending.clear()

    for i, (pos, line) in enumerate(lines):
        if not line.strip():
            flush()
            prev_blank = True
            continue
        if i in numbered_set:
            flush()
            body = line.strip()
            heads.append(
                Heading(" ".join(body.split()), pos + line.index(body[0]), pos + len(line.rstrip()), True)
            )
        elif pending and pending[-1][1].isupper() and line.isupper() and _is_title(line):
            pending.append((pos, line))
        elif (
            _is_title(line)
            and _follows_break(prev_text, prev_blank, line, bool(pending))
            and _next_starts(lines, i)
        ):
            if pending and not (pending[-1][1].isupper() and line.isupper()):
                flush()
            pending.append((pos, line))
        else:
            flush()
        prev_text, prev_blank = line, False
    flush()
    return heads


def _follows_break(prev: str, prev_blank: bool, line: str, in_heading: bool) -> bool:
    """Whether a line stands where a title can: after a sentence, a blank line or a page break."""
    return in_heading or prev_blank or line.startswith(" ") or bool(_SENTENCE_END.search(prev))


def _next_starts(lines: list[tuple[int, str]], i: int) -> bool:
    """Whether the next non-blank line is prose that starts a sentence, or continues an upper-case title."""
    for _, line in lines[i + 1 :]:
        if line.strip():
            if line.isupper() and lines[i][1].isupper() and _is_title(line):
                return True
            words = line.split()
            return (
                bool(_SENTENCE_START.match(line))
                and len(words) >= 4
                and sum(w[0].islower() for w in words) >= 2
            )
    return False
