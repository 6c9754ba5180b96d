"""The one normaliser of source text: joins hard-wrapped lines, undoes end-of-line
hyphenation and ligature breaks, and keeps a map back to the original offsets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NormalisedText", "match_key", "normalise"]

# A PDF ligature (fi, fl, ff, ffi, ffl) extracted as its own glyph leaves a space after it:
# "qualifi cation", "fl exibility", "eff ectively". These words genuinely end in one.
_LIGATURE_WORDS = frozenset(
    "staff off stuff cliff chief sheriff tariff bluff buff cuff scoff sniff stiff "
    "tariff cardiff wifi hifi scifi cuff riff".split()
)
_LIGATURE_BREAK = re.compile(r"\b(\w*?(?:ffi|ffl|ff|fi|fl)) ([a-z]+)")
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2022": "*",
    }
)


@dataclass(frozen=True)
class NormalisedText:
    """Normalised text with, for each of its characters, the offset in the original."""

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if start >= end:
            raise ValueError(f"empty span {start}:{end}")
        return self.offsets[start], self.offsets[end - 1] + 1


def _edit(
    text: str,
    offsets: list[int],
    pattern: re.Pattern[str],
    repl: str,
    keep: Callable[[re.Match[str]], bool] | None = None,
) -> tuple[str, list[int]]:
    """Apply a regex substitution while carrying the offset of each kept character."""
    out: list[str] = []
    out_offsets: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        if keep is not None and not keep(m):
            continue
        out.append(text[last : m.start()])
        out_offsets.extend(offsets[last : m.start()])
        # repl is built from groups; map each group's characters to their own offsets
        for part in repl.split("|"):
            if part.startswith("\\"):
                g = int(part[1:])
                out.append(m.group(g))
                out_offsets.extend(offsets[m.start(g) : m.end(g)])
            else:
                out.append(part)
                out_offsets.extend([offsets[m.start()]] * len(part))
        last = m.end()
    out.append(text[last:])
    out_offsets.extend(offsets[last:])
    return "".join(out), out_offsets


def normalise(raw: str) -> NormalisedText:
    """Join wrapped lines into single-spaced text, undoing hyphenation and ligature breaks.

    >>> n = normalise("the qualifi cation of fast-\\ntrack\\nstaff  must")
    >>> n.text
    'the qualification of fast-track staff must'
    >>> n.original_span(4, 17)
    (4, 18)
    """
    text = unicodedata.normalize("NFC", raw).translate(_FOLD)
    offsets = list(range(len(text)))
    # Keep the hyphen: the sources break compounds ("fast-track") far more often than words.
    text, offsets = _edit(text, offsets, _HYPHEN_BREAK, "\\1|-|\\2")
    text, offsets = _edit(text, offsets, _SPACE, " ")
    text, offsets = _edit(
        text,
        offsets,
        _LIGATURE_BREAK,
        "\\1|\\2",
        keep=lambda m: m.group(1).lower() not in _LIGATURE_WORDS,
    )
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return NormalisedText(text, tuple(offsets[lead : lead + len(text)]))


def match_key(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, case-folded, with the offset of each kept character.

    Evidence phrases are matched in this form so that line breaks, hyphenation, ligature
    breaks, quotes and punctuation in the damaged sources do not matter.
    """
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for folded in unicodedata.normalize("NFKC", ch).casefold():
            if folded.isalnum():
                chars.append(folded)
                offsets.append(i)
    return "".join(chars), offsets
