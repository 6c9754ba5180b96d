"""The update operation's dataset: `using-graph-uri` and `using-named-graph-uri` as USING clauses.

https://www.w3.org/TR/sparql11-protocol/#update-dataset. pyoxigraph's `Store.update` takes no
dataset, so the parameters become `USING <g>` and `USING NAMED <g>` clauses placed before the
WHERE of every DELETE/INSERT operation, which SPARQL 1.1 Update defines as the same thing. An
update that names its own USING, USING NAMED or WITH together with the parameters is refused, as
the Protocol asks. The clauses go at brace depth 0, found by the scanner of cwkg.sparql_text, which steps over
strings, IRIs and comments, so a `WHERE` inside a literal or a group is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from cwkg.server.errors import ProtocolError
from cwkg.sparql_text import tokens

__all__ = ["with_using"]


def _top_level_words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, upper-case word) of every keyword-like word at brace depth 0, and "{" where a group opens."""
    for token in tokens(text):
        if token.depth == 0 and token.kind in ("word", "open"):
            yield token.offset, token.text


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
