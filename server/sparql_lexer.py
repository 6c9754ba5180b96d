"""SPARQL text read as Oxigraph's parser reads it: where strings, IRIs and comments are, and the tokens between.

Oxigraph parses SPARQL without a separate tokenizer, so two things a regular lexer gets wrong matter
here. Keywords need no word boundary (`?o.SERVICE:x{}` and `trueSERVICE:x{}` are SERVICE patterns,
`service:x {}` is `SERVICE :x {}`), and `<` opens an IRI only where a term may start: after an operand
inside an expression it is the less-than operator, so in `FILTER(?a<'>') ...` the `'` opens a string,
not `<'>` an IRI. The lexer tracks that one piece of context (whether the innermost bracket holds an
expression) and reports tokens with their offsets; `\\u` escapes count only inside strings and IRIs,
as in Oxigraph 0.5 (`expanded` gives the SPARQL 1.1 reading, where they apply before parsing).

`skeleton` is the fast path: the same string, IRI and comment patterns removed by one C-level pass,
which is exact when no `(` is left in code (then no expression can hold a `<` operator).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "IRIREF",
    "STRING",
    "Token",
    "data_graphs",
    "expanded",
    "may_name_service_or_load",
    "skeleton",
    "tokens",
]

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ESC = f"(?:{_ECHAR}|{_UCHAR})"
# loops unrolled (a run of plain characters, then an escape and another run), which Python's re runs
# several times faster than an alternation per character; each matches what Oxigraph's rule matches
IRIREF = f'<[^\\x00-\\x20<>"{{}}|^`\\\\]*(?:(?:{_UCHAR})[^\\x00-\\x20<>"{{}}|^`\\\\]*)*>'
_STRINGS = (
    f"'''[^'\\\\]*(?:(?:'{{1,2}}(?!')|{_ESC})[^'\\\\]*)*'''",
    f'"""[^"\\\\]*(?:(?:"{{1,2}}(?!")|{_ESC})[^"\\\\]*)*"""',
    f"'[^'\\\\\\n\\r]*(?:{_ESC}[^'\\\\\\n\\r]*)*'",
    f'"[^"\\\\\\n\\r]*(?:{_ESC}[^"\\\\\\n\\r]*)*"',
)
#: Any of the four string forms (long forms first).
STRING = "|".join(_STRINGS)
_COMMENT = r"#[^\n\r]*"
_ESCAPE = r"\\."  # in code only a prefixed name's escape (`ex:a\'b`); any other is a syntax error

_REGION = re.compile("|".join([IRIREF, *_STRINGS, _COMMENT, _ESCAPE]), re.DOTALL)
_TOKEN = re.compile(
    "|".join(
        [
            f"(?P<STRING>{'|'.join(_STRINGS)})",
            f"(?P<COMMENT>{_COMMENT})",
            r"(?P<WS>[ \t\r\n]+)",
            f"(?P<VAR>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            f"(?P<BNODE>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
            f"(?P<PNAME>(?:{_PREFIX})?:(?:{_LOCAL})?)",
            r"(?P<LANGTAG>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<NUMBER>[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]+)",
            r"(?P<WORD>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<PUNCT>\^\^|&&|\|\||<=|>=|!=|>>|\\.|.)",
        ]
    ),
    re.DOTALL,
)
_IRI = re.compile(IRIREF)
_ESCAPES = re.compile(_UCHAR)
_LETTERS = re.compile("service|load", re.IGNORECASE | re.ASCII)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

#: Tokens after which `<` in an expression is the less-than operator.
_OPERANDS = frozenset({"VAR", "IRI", "PNAME", "STRING", "NUMBER", "LANGTAG", "BNODE"})


@dataclass(frozen=True)
class Token:
    """One token: its kind (IRI, PNAME, VAR, STRING, NUMBER, WORD, LANGTAG, BNODE, PUNCT), text, offset."""

    kind: str
    text: str
    start: int


def expanded(text: str) -> str:
    """The text with every `\\u`/`\\U` escape replaced before parsing, as SPARQL 1.1 (and rdflib) read it."""
    return _ESCAPES.sub(lambda m: chr(int(m.group(0)[2:], 16)), text)


def skeleton(text: str) -> str:
    """The code between strings, IRIs and comments (exact when no `(` is in it; see the module doc)."""
    return _REGION.sub(" ", text)


def may_name_service_or_load(text: str) -> bool:
    """Whether code outside strings, IRIs and comments holds a bracket or the letters SERVICE or LOAD."""
    code = skeleton(text)
    return "(" in code or _LETTERS.search(code) is not None


def _operand(token: Token | None) -> bool:
    """Whether a token ends an operand (so that a `<` after it, in an expression, compares)."""
    if token is None:
        return False
    if token.kind in _OPERANDS:
        return True
    if token.kind == "WORD":
        return token.text.lower() in ("true", "false")
    return token.text in (")", "]", ">>")


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a text as Oxigraph reads it, without whitespace and comments."""
    stack: list[str] = []  # innermost bracket last: "pattern", "expr", "data" or "triple" (<< >>)
    prev: Token | None = None
    before: Token | None = None
    values = False  # after VALUES: the next ( and { hold data
    clause = False  # after SELECT, GROUP, ORDER, HAVING: a ( holds an expression
    i, n = 0, len(text)
    while i < n:
        kind = stack[-1] if stack else "top"
        token: Token | None = None
        if text[i] == "<":
            if kind == "expr" and _operand(prev):
                length = 2 if text.startswith("<=", i) else 1
                token = Token("PUNCT", text[i : i + length], i)
            elif m := _IRI.match(text, i):
                token = Token("IRI", m.group(0), i)
            elif text.startswith("<<", i):
                token = Token("PUNCT", "<<", i)
                stack.append("triple")
            else:
                token = Token("PUNCT", "<", i)
            i += len(token.text)
        else:
            m = _TOKEN.match(text, i)
            assert m is not None  # the last alternative matches any character
            i = m.end()
            if m.lastgroup in ("WS", "COMMENT"):
                continue
            token = Token(m.lastgroup or "PUNCT", m.group(0), m.start())
        word = token.text.upper() if token.kind == "WORD" else ""
        if word == "VALUES":
            values = True
        elif word in ("SELECT", "GROUP", "ORDER", "HAVING"):
            clause = True
        elif word in ("WHERE", "LIMIT", "OFFSET"):
            clause = False
        elif token.text == "(":
            stack.append(_paren(kind, prev, before, values, clause))
        elif token.text == "{":
            stack.append("data" if values else "pattern")
            values = clause = False
        elif token.text == "[":
            stack.append("pattern")
        elif token.text in (")", "]", "}", ">>"):
            if token.text == "}":
                clause = False
            if stack and (token.text == ">>") == (stack[-1] == "triple"):
                stack.pop()
        before, prev = prev, token
        yield token


def _paren(kind: str, prev: Token | None, before: Token | None, values: bool, clause: bool) -> str:
    """What a `(` opens: an expression, or a collection or path group (pattern), or a VALUES row (data)."""
    if kind in ("expr", "data"):
        return kind
    if values:
        return "data"
    if kind == "top" or clause:
        return "expr"
    if prev is not None and prev.kind == "WORD":
        return "pattern" if prev.text == "a" else "expr"
    if prev is not None and prev.kind in ("IRI", "PNAME") and before is not None:
        if before.kind == "WORD" and before.text.upper() == "FILTER":
            return "expr"  # FILTER <function>(...)
    return "pattern"


_KEEP_IRIS = re.compile("|".join([f"(?P<iri>{IRIREF})", *_STRINGS, _COMMENT, _ESCAPE]), re.DOTALL)
_BRACE = re.compile("[{}]")


def data_graphs(text: str) -> set[str | None] | None:
    """The graphs (None: the default graph) an update of only INSERT DATA and DELETE DATA writes, from
    its IRIs and keywords in one pass; None for anything else (prefixed graph names, other operations).

    The store reads from this the graphs to compare (cwkg.union_graph) for an update cwkg.union_update does
    not rewrite (a `[]` in its data, say); reading a bulk INSERT DATA's graphs with rdflib took as long as
    the issue's whole minute.

    >>> sorted(data_graphs('INSERT DATA { GRAPH <http://g/> { <a:s> <a:p> "}" } } ; DELETE DATA { <a:s> <a:p> 1 }'), key=str)
    [None, 'http://g/']
    >>> data_graphs("PREFIX e: <http://e/> INSERT DATA { e:s e:p e:o }")
    {None}
    >>> data_graphs("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }") is None
    True
    """
    code = _KEEP_IRIS.sub(lambda m: m.group("iri") or " ", text)  # IRIs stay, strings and comments go
    if "(" in code:
        return None
    written: set[str | None] = set()
    depth, start = 0, 0
    for m in _BRACE.finditer(code):
        words = code[start : m.start()].replace(";", " ; ").split()
        start = m.end()
        if depth == 0:  # a prologue and `;`, then INSERT DATA or DELETE DATA before the `{`
            if m.group(0) == "}" or not _data_operation(words):
                return None
            depth = 1
        elif depth == 1:
            if m.group(0) == "{":  # triples of the default graph, then GRAPH <iri>
                if len(words) < 2 or words[-2].upper() != "GRAPH" or not _SCHEME.match(words[-1][1:]):
                    return None  # GRAPH ?g, a prefixed or relative name: left to the full parser
                if not words[-1].startswith("<"):
                    return None
                written.add(words[-1][1:-1])
                words = words[:-2]
                depth = 2
            else:
                depth = 0
            if words:
                written.add(None)
        elif m.group(0) == "{":
            return None  # no braces inside a graph's triples
        else:
            depth = 1
    tail = code[start:].replace(";", " ; ").split()
    return written if depth == 0 and all(w == ";" for w in tail) else None


def _data_operation(words: list[str]) -> bool:
    """Whether the words before a `{` at depth 0 are `;`, prologue declarations, then INSERT/DELETE DATA."""
    if len(words) < 2 or words[-1].upper() != "DATA" or words[-2].upper() not in ("INSERT", "DELETE"):
        return False
    rest = [w for w in words[:-2] if w != ";"]
    while rest:
        if rest[0].upper() == "BASE" and len(rest) >= 2:
            rest = rest[2:]
        elif rest[0].upper() == "PREFIX" and len(rest) >= 3:
            rest = rest[3:]
        else:
            return False
    return True
