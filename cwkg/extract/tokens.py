"""Word tokens and the match key that labels and text are compared in.

A key is a tuple of case-folded words: apostrophes are dropped ("Children's" -> "childrens"),
hyphens and punctuation separate words ("looked-after" -> "looked", "after") and "&" reads
as "and", so the same name written in either way meets the same key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "key", "plural_keys", "tokenise"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its characters, its span and its case-folded form."""

    text: str
    start: int
    end: int
    norm: str


def _norm(word: str) -> str:
    """The case-folded form of a word without apostrophes; "&" becomes "and"."""
    return "and" if word == "&" else word.casefold().replace("'", "").replace("’", "")


def tokenise(text: str) -> list[Token]:
    """Split text into word tokens with their offsets.

    >>> [t.norm for t in tokenise("Children’s Homes & looked-after")]
    ['childrens', 'homes', 'and', 'looked', 'after']
    """
    return [Token(m.group(), m.start(), m.end(), _norm(m.group())) for m in _WORD.finditer(text)]


def key(text: str) -> tuple[str, ...]:
    """The match key of a phrase.

    >>> key("The Children's Society")
    ('the', 'childrens', 'society')
    """
    return tuple(t.norm for t in tokenise(text))


def _plural(word: str) -> list[str]:
    """English plural forms of one case-folded word."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es", word]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if word.endswith("fe"):
        return [word[:-2] + "ves", word + "s"]
    if word.endswith("man"):
        return [word[:-3] + "men"]
    return [word + "s"]


_HEADS_BEFORE = frozenset({"of", "for", "in", "on", "with", "at", "to", "from"})


def plural_keys(k: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Keys of the plural of a phrase: its head word pluralised.

    The head is the last word, or the word before a preposition ("directors of children's
    services", "diplomas in playwork").

    >>> plural_keys(("director", "of", "childrens", "services"))
    [('directors', 'of', 'childrens', 'services')]
    >>> plural_keys(("social", "worker"))
    [('social', 'workers')]
    """
    if not k:
        return []
    head = len(k) - 1
    for i, word in enumerate(k[1:], start=1):
        if word in _HEADS_BEFORE:
            head = i - 1
            break
    return [k[:head] + (p,) + k[head + 1 :] for p in _plural(k[head]) if p != k[head]]
