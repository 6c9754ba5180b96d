"""SPARQL syntax errors for people: the line and column in the text as its author wrote it, and what was
expected there in words.

Oxigraph's messages list the parser's character ranges (`['A' ..= 'Z' | ...]`) and rdflib's name grammar
rules (`Expected SelectQuery`); neither says "undeclared prefix". The text is parsed again here with rdflib
(only once it has failed, so the cost is paid by broken queries alone) and the failure described: a query
form missing, text after the end, a bracket never closed, a prefix never declared; Oxigraph's own list of
expected tokens is kept, without the character ranges, when both parsers stop at the same place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from cwkg.namespaces import PREFIXES

__all__ = ["describe_syntax_error"]

Kind = Literal["query", "update"]

_OXIGRAPH = re.compile(r"error at (\d+):(\d+): expected one of (.*)", re.DOTALL)
_FORMS = "SELECT, CONSTRUCT, DESCRIBE or ASK"
_OPEN, _CLOSE = "{([", "})]"


def _position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of a line and column (both from 1)."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _code(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of the text outside comments, strings and IRIs."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i) + 1
        else:
            yield i, c
            i += 1


def _unclosed(text: str) -> int | None:
    """The offset of the first bracket that is never closed, if any."""
    stack: list[int] = []
    for offset, c in _code(text):
        if c in _OPEN:
            stack.append(offset)
        elif c in _CLOSE and stack:
            stack.pop()
    return stack[0] if stack else None


def _found(text: str, offset: int) -> str:
    """What stands at the offset, for the message."""
    rest = text[offset:].strip()
    if not rest:
        return "the end of the text"
    word = rest.split()[0]
    return f"`{word[:30]}`"


def _expected_tokens(message: str, line: int, column: int) -> str | None:
    """Oxigraph's expected tokens, without character ranges, if it stopped at this line and column."""
    match = _OXIGRAPH.search(message)
    if match is None or (int(match.group(1)), int(match.group(2))) != (line, column):
        return None
    listing = re.sub(r"\[[^\]]*\]", "", match.group(3).replace("\n", " "))
    tokens = [t.strip() for t in listing.split(",") if t.strip() and t.strip() != "|"]
    tokens = [t for t in tokens if not t.startswith(("'", "|")) and "Prefix not found" not in t]
    return ", ".join(tokens[:12]) if tokens else None


def _nodes(node: Any) -> Iterator[Any]:
    """Every CompValue of an rdflib parse tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _nodes(value)


def _undeclared_prefix(text: str, tree: Any, kind: Kind) -> str | None:
    """The message for the first prefixed name whose prefix the text never declares, if there is one."""
    # CompValue.get answers the key itself when it is missing (the default prefix `:`): test membership
    declared = {str(n["prefix"] if "prefix" in n else "") for n in _nodes(tree) if n.name == "PrefixDecl"}
    used = [str(n["prefix"] if "prefix" in n else "") for n in _nodes(tree) if n.name == "pname"]
    missing = next((p for p in used if p not in declared), None)
    if missing is None:
        return None
    code = "".join(c for _, c in _code(text))
    offsets = [o for o, _ in _code(text)]
    pattern = re.compile(rf"(?<![\w.\-:?$]){re.escape(missing)}:")
    match = pattern.search(code)
    where = ""
    if match is not None:
        line, column = _position(text, offsets[match.start()])
        where = f" at line {line}, column {column}"
    if missing in PREFIXES:
        how = f"declare it with PREFIX {missing}: <{PREFIXES[missing]}>"
    else:
        how = f"declare it with PREFIX {missing}: <namespace IRI>"
    others = sorted(declared - {""}) or sorted(PREFIXES)
    which = "declared" if declared - {""} else "known to this graph"
    return (
        f"SPARQL {kind} syntax error{where}: undeclared prefix `{missing}:`; {how}, "
        f"or use one of the prefixes {which}: {', '.join(others)}"
    )


def describe_syntax_error(text: str, kind: Kind = "query", parser_message: str = "") -> str:
    """A syntax error of `text` in words, at its line and column in `text` itself.

    `parser_message` is what Oxigraph said, used when rdflib finds nothing wrong.

    >>> describe_syntax_error("SELEC *")
    'SPARQL query syntax error at line 1, column 1: expected SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX and BASE lines), found `SELEC`'
    >>> describe_syntax_error("SELECT * WHERE { ?s cw:role ?o }").split(";")[0]
    'SPARQL query syntax error at line 1, column 21: undeclared prefix `cw:`'
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text) if kind == "query" else parseUpdate(text)
    except ParseException as exc:
        line, column = exc.lineno, exc.col
        offset = _offset(text, line, column)
        found = _found(text, offset)
        unclosed = _unclosed(text)
        if "end of text" in exc.msg:
            what = f"expected the end of the {kind}, found {found}"
        elif kind == "query" and "SelectQuery |" in exc.msg:
            what = f"expected {_FORMS} (after any PREFIX and BASE lines), found {found}"
        elif unclosed is not None and not text[offset:].strip():
            at_line, at_column = _position(text, unclosed)
            what = f"the {kind} ends before the `{text[unclosed]}` at line {at_line}, column {at_column} is closed"
        else:
            what = f"found {found}, which does not fit here"
            tokens = _expected_tokens(parser_message, line, column)
            if tokens:
                what += f"; expected one of: {tokens}"
        if unclosed is not None and "is closed" not in what:
            at_line, at_column = _position(text, unclosed)
            what += f" (the `{text[unclosed]}` at line {at_line}, column {at_column} is never closed)"
        return f"SPARQL {kind} syntax error at line {line}, column {column}: {what}"
    except Exception as exc:  # rdflib's parser raises little else; say what it said
        return f"SPARQL {kind} syntax error: {exc}"
    undeclared = _undeclared_prefix(text, tree, kind)
    if undeclared is not None:
        return undeclared
    match = _OXIGRAPH.search(parser_message)
    if match is not None:
        line, column = int(match.group(1)), int(match.group(2))
        tokens = _expected_tokens(parser_message, line, column)
        found = _found(text, _offset(text, line, column)) if line <= text.count("\n") + 1 else "the end"
        what = f"found {found}" + (f"; expected one of: {tokens}" if tokens else ", which does not fit here")
        return f"SPARQL {kind} syntax error at line {line}, column {column}: {what}"
    return (
        f"SPARQL {kind} syntax error: {parser_message}" if parser_message else f"SPARQL {kind} syntax error"
    )
