"""SPARQL text as tokens, and parameters bound into it as VALUES blocks.

The scanner steps over comments, string literals and IRIs, so a `WHERE {` inside a `#+` header, a
literal or an IRI is never taken for syntax. A full parser is not needed for what is done with the
tokens (find each query's group; find the top-level words of an update), and rdflib's parse tree
keeps no offsets to splice at.

Why VALUES: pyoxigraph 0.5.13's own `substitutions` joins the values only after evaluation (BOUND()
is false inside the query, OPTIONAL and BIND do not see them), and a remote store has no other way.
Each term is written by pyoxigraph (`str(term)` is N-Triples syntax, escapes included), so a
parameter's text can never become SPARQL syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import pyoxigraph as ox

from cwkg.errors import QuerySyntaxError

__all__ = ["Token", "bind_values", "tokens"]

Kind: TypeAlias = Literal["word", "var", "open", "close"]

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")
_STRINGS = ('"""', "'''", '"', "'")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    """A keyword-like word (upper-cased), a variable (its name), or a brace, with its offset and the brace
    depth it stands at (an opening brace at the depth outside it)."""

    offset: int
    kind: Kind
    text: str
    depth: int


def tokens(text: str) -> Iterator[Token]:
    """The words, variables and braces of SPARQL text, outside comments, strings and IRIs.

    >>> [(t.kind, t.text, t.depth) for t in tokens('ASK { ?s <urn:where> "{" } # WHERE {')]
    [('word', 'ASK', 0), ('open', '{', 0), ('var', 's', 1), ('close', '}', 0)]
    """
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
            yield Token(i, "open", "{", depth)
            depth += 1
            i += 1
        elif ch == "}":
            depth -= 1
            yield Token(i, "close", "}", depth)
            i += 1
        elif ch in "?$" and (m := _VAR.match(text, i)):
            yield Token(i, "var", m.group(1), depth)
            i = m.end()
        elif (ch.isalpha() or ch == "_") and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
            m = _WORD.match(text, i)
            assert m is not None
            if text[m.end() : m.end() + 1] != ":":  # not the prefix of a prefixed name
                yield Token(i, "word", m.group(0).upper(), depth)
            i = m.end()
        else:
            i += 1


def _groups(found: list[Token]) -> Iterator[tuple[int, int, bool]]:
    """(index of the opening brace, index of its closing brace, outermost?) of the WHERE group of every
    query and subquery; a CONSTRUCT's template is stepped over."""
    for index, token in enumerate(found):
        if token.kind != "word" or token.text not in _FORMS:
            continue
        opening = _next_open(found, index, token.depth)
        if opening is None:
            continue
        if token.text == "CONSTRUCT":
            if any(t.kind == "word" and t.text == "WHERE" for t in found[index + 1 : opening]):
                raise QuerySyntaxError(
                    "parameters cannot be bound in the CONSTRUCT WHERE { ... } short form: "
                    "write CONSTRUCT { template } WHERE { pattern }"
                )
            opening = _next_open(found, _closing(found, opening), token.depth)
            if opening is None:
                continue
        yield opening, _closing(found, opening), token.depth == 0


def _next_open(found: list[Token], start: int, depth: int) -> int | None:
    """The index of the next opening brace at `depth` after `start`, unless the query ends first."""
    for index in range(start + 1, len(found)):
        token = found[index]
        if token.kind == "open" and token.depth == depth:
            return index
        if token.kind == "close" and token.depth < depth:
            return None
    return None


def _closing(found: list[Token], opening: int) -> int:
    """The index of the brace that closes the one at `opening`."""
    depth = found[opening].depth
    for index in range(opening + 1, len(found)):
        if found[index].kind == "close" and found[index].depth == depth:
            return index
    raise QuerySyntaxError(f"the group opened at offset {found[opening].offset} is never closed")


def bind_values(
    sparql: str,
    substitutions: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal],
    *,
    style: str = "values",
) -> str:
    """Bind variables to RDF terms by a VALUES block opening the WHERE group of the query, and of each
    subquery that mentions them (or, with `style="bind"`, one BIND per variable there, for a store that
    does not join a VALUES block into the group: Virtuoso 7, cwkg.remote.virtuoso).

    >>> print(bind_values("SELECT ?x WHERE { ?x ?p ?_v }", {"_v": ox.Literal('a "b"')}))
    SELECT ?x WHERE { VALUES (?_v) { ("a \\"b\\"") } ?x ?p ?_v }
    """
    found = list(tokens(sparql))
    groups = list(_groups(found))
    if not any(outermost for _, _, outermost in groups):
        raise QuerySyntaxError("a query with parameters needs a WHERE { ... } group")
    inserts: list[tuple[int, str]] = []
    for opening, closing, outermost in groups:
        mentioned = {t.text for t in found[opening:closing] if t.kind == "var"}
        names = [name for name in substitutions if outermost or name in mentioned]
        if names:
            variables = " ".join(f"?{name}" for name in names)
            row = " ".join(str(substitutions[name]) for name in names)
            if style == "bind":
                block = "".join(f" BIND({substitutions[name]} AS ?{name})" for name in names)
            else:
                block = f" VALUES ({variables}) {{ ({row}) }}"
            inserts.append((found[opening].offset + 1, block))
    out: list[str] = []
    last = 0
    for offset, block in sorted(inserts):
        out += [sparql[last:offset], block]
        last = offset
    out.append(sparql[last:])
    return "".join(out)
