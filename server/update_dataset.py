"""The update operation's dataset: `using-graph-uri` and `using-named-graph-uri` as USING clauses.

https://www.w3.org/TR/sparql11-protocol/#update-dataset. pyoxigraph's `Store.update` takes no
dataset, so the parameters become `USING <g>` and `USING NAMED <g>` clauses placed before the
WHERE of every DELETE/INSERT operation, which SPARQL 1.1 Update defines as the same thing. An
update that names its own USING, USING NAMED or WITH together with the parameters is refused, as
the Protocol asks. The clauses go at brace depth 0, found by a small scanner that steps over
strings, IRIs and comments, so a `WHERE` inside a literal or a group is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from cwkg.server.errors import ProtocolError

__all__ = ["with_using"]

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRINGS = ('"""', "'''", '"', "'")


def _top_level_words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, upper-case word) of every keyword-like word at brace depth 0, and "{" where a group opens."""
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch == "<" and (m := _IRI.match(text, i)):
            i = m.end()
        elif ch in "\"'":
            quote = next(q for q in _STRINGS if text.startswith(q, i))
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif ch == "{":
            if depth == 0:
                yield i, "{"
            depth += 1
            i += 1
        elif ch == "}":
            depth -= 1
            i += 1
        elif (ch.isalpha() or ch == "_") and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
            m = _WORD.match(text, i)
            assert m is not None
            if depth == 0 and text[m.end() : m.end() + 1] != ":":
                yield i, m.group(0).upper()
            i = m.end()
        else:
            i += 1


def with_using(text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update with USING clauses for the Protocol's dataset before each operation's WHERE.

    >>> with_using('INSERT { ?s ?p "WHERE" } WHERE { ?s ?p ?o }', ["http://e/g"], [])
    'INSERT { ?s ?p "WHERE" } USING <http://e/g> WHERE { ?s ?p ?o }'
    """
    if not default_graphs and not named_graphs:
        return text
    clauses = " ".join(
        [
            *(f"USING {ox.NamedNode(g)}" for g in default_graphs),
            *(f"USING NAMED {ox.NamedNode(g)}" for g in named_graphs),
        ]
    )
    words = list(_top_level_words(text))
    if any(word in ("USING", "WITH") for _, word in words):
        raise ProtocolError(
            "the update names its own USING or WITH and the request gives using-graph-uri or "
            "using-named-graph-uri: the SPARQL Protocol allows one or the other"
        )
    out: list[str] = []
    last = 0
    previous = ""
    for offset, word in words:
        if word == "WHERE" and previous not in ("DELETE", "INSERT"):  # not the DELETE WHERE shorthand
            out.append(text[last:offset])
            out.append(clauses + " ")
            last = offset
        previous = word
    out.append(text[last:])
    return "".join(out)
