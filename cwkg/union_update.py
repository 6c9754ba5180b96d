"""The server's writes extended so that the one transaction that applies them also keeps the merge current.

The merge graph (cwkg.union_graph.MERGED) must change with every write, in the same transaction, at a
cost in proportion to the write. `plan` reads an update made only of INSERT DATA, DELETE DATA,
DROP/CLEAR (GRAPH <g> | DEFAULT) and CREATE GRAPH operations (what the server's SPARQL Update and Graph
Store writes are) in one linear pass, and returns the same text with operations added:

- INSERT DATA: its triples again, as `GRAPH MERGED { ... }` blocks inside the same operation (so that
  a blank node label names the same new node in both places; a `[]` or `( )` would not, and is refused);
- DELETE DATA: before it, a `DELETE { GRAPH MERGED {...} } WHERE { VALUES ... FILTER NOT EXISTS ... }`
  that takes out the triples no other graph holds (the rows are the operation's triples, parsed by
  pyoxigraph's TriG parser and written as N-Triples). With one graph in the operation the check runs
  before the delete, excluding that graph (the transaction has written nothing yet, so reads are
  cheap); with several, after it, over what the graphs then hold;
- DROP/CLEAR of a graph: before it, the same check over that graph's triples, from the store.

Anything else (a variable, a template, CLEAR ALL, ADD, ...) gives None and the caller's slower way.
The text read is the original; the additions use only absolute IRIs, so a syntax or apply error in
the plan is the original's error (the caller then runs the original alone to report it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg.server.sparql_lexer import IRIREF, STRING
from cwkg.union_graph import MERGED

__all__ = ["plan"]

_M = str(MERGED)
_COMMENT = r"#[^\n\r]*+(?=[\n\r])"  # a comment ends before a line end (one cut off by an end is no comment)
_PLX = r"\\[_~.\-!$&'()*+,;=/?#@%]"
#: Code up to the next brace, strings, IRIs and comments whole; it stops before anything that makes a
#: blank node or is no data ( `(`, `[`, `~`, a `<` that opens no IRI, a lone quote or backslash).
_BODY = re.compile(f"(?:[^{{}}\"'#<\\\\(\\[~]++|{IRIREF}|{STRING}|{_COMMENT}|{_PLX})*+", re.DOTALL)
_WORDS = re.compile(f"(?P<iri>{IRIREF})|#[^\\n\\r]*|;|[^\\s;<#]+")
_BLANK = re.compile(r"(?:\s++|#[^\n\r]*+|\.)*+")
_LEADING_DOT = re.compile(r"(?:\s++|#[^\n\r]*+)*+\.")
_GRAPH = re.compile(f"(?i:GRAPH)\\s*+({IRIREF}|[^\\s<>{{}}]+)\\s*+\\Z")
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass
class _Op:
    """One operation: its kind, where it starts, the prologue then in scope, and what it writes."""

    kind: str  # INSERT, DELETE (DATA), DROP (also CLEAR), CREATE
    start: int
    prologue: tuple[str, ...]
    graph: str | None = None  # DROP/CREATE: the graph's IRI, None for DEFAULT
    segments: list[tuple[int, int, str | None]] = field(default_factory=list)  # DATA: start, end, graph IRI
    close: int = 0  # DATA: the offset of its closing brace


class _Refused(Exception):
    """The text is not one this module rewrites."""


def plan(text: str, base_iri: str | None = None, *, default_empty: bool = False) -> str | None:
    """`text` with the operations that keep the merge current added, or None when it cannot be told.

    `default_empty`: the store's default graph holds nothing, so a check need not look there unless
    the update itself writes to it."""
    try:
        ops = _Reader(text, base_iri).read()
        default = not default_empty or any(
            op.kind == "INSERT" and g is None and not _BLANK.fullmatch(text, a, b)
            for op in ops
            for a, b, g in op.segments
        )
        added: list[tuple[int, str]] = []
        for op in ops:
            added += _additions(text, op, base_iri, default)
    except _Refused:
        return None
    pieces, last = [], 0
    for at, extra in sorted(added, key=lambda a: a[0]):
        pieces += [text[last:at], extra]
        last = at
    pieces.append(text[last:])
    return "".join(pieces)


class _Reader:
    """Reads the operations of an update in one pass (refusing what it does not know)."""

    def __init__(self, text: str, base_iri: str | None) -> None:
        self.text, self.base = text, base_iri
        self.prologue: list[str] = []
        self.ops: list[_Op] = []

    def read(self) -> list[_Op]:
        """The operations, in order."""
        text, pos, n = self.text, 0, len(self.text)
        while True:
            end = _code_end(text, pos)
            if end < n and text[end] == "#" and "\n" not in text[end:] and "\r" not in text[end:]:
                end = n  # a comment to the end of the text
            elif end < n and text[end] != "{":
                raise _Refused
            op = self._operations(pos, end)
            if end == n:
                if op is not None:
                    raise _Refused  # INSERT DATA with no data
                return self.ops
            if op is None:
                raise _Refused
            pos = self._data(op, end + 1)

    def _operations(self, start: int, end: int) -> _Op | None:
        """The prologue declarations and brace-less operations of a stretch, and the DATA operation it opens."""
        words = [(m.group(0), m.start()) for m in _WORDS.finditer(self.text, start, end)]
        words = [(w, at) for w, at in words if not w.startswith("#") and w != ";"]
        i = 0
        while i < len(words):
            word, at = words[i][0].upper(), words[i][1]
            following = [w for w, _ in words[i + 1 : i + 5]]
            if word == "PREFIX" and len(following) >= 2 and following[0].endswith(":") and _iri(following[1]):
                self.prologue.append(f"PREFIX {following[0]} {following[1]}")
                i += 3
            elif word == "BASE" and following and _iri(following[0]):
                self.prologue.append(f"BASE {following[0]}")
                i += 2
            elif word in ("INSERT", "DELETE") and following[:1] and following[0].upper() == "DATA":
                if i + 2 != len(words):
                    raise _Refused  # a DATA keyword pair with no brace after it
                return _Op(word, at, tuple(self.prologue))
            elif word in ("DROP", "CLEAR", "CREATE"):
                rest = following[1:] if following[:1] and following[0].upper() == "SILENT" else following
                if rest[:1] and rest[0].upper() == "DEFAULT" and word != "CREATE":
                    graph, used = None, 1
                elif len(rest) >= 2 and rest[0].upper() == "GRAPH":
                    graph, used = self._graph(rest[1]), 2
                else:
                    raise _Refused  # NAMED, ALL
                self.ops.append(
                    _Op("CREATE" if word == "CREATE" else "DROP", at, tuple(self.prologue), graph)
                )
                i += 1 + (len(following) - len(rest)) + used
            else:
                raise _Refused
        return None

    def _data(self, op: _Op, pos: int) -> int:
        """Read a DATA block from just inside its brace; the offset after its closing brace."""
        text, n = self.text, len(self.text)
        while True:
            end = _code_end(text, pos)
            if end >= n:
                raise _Refused
            if text[end] == "}":
                op.segments.append((pos, end, None))
                op.close = end
                self.ops.append(op)
                return end + 1
            found = _GRAPH.search(text, max(pos, end - 4096), end)
            if found is None or _code_end(text, pos, found.start()) != found.start():
                raise _Refused  # GRAPH inside a comment, or no GRAPH before a brace
            if found.start() > pos and not (
                text[found.start() - 1].isspace() or text[found.start() - 1] in "{}"
            ):
                raise _Refused  # `ex:aGRAPH` is a name, not the keyword
            graph = self._graph(found.group(1))
            op.segments.append((pos, found.start(), None))
            inner = _code_end(text, end + 1)
            if inner >= n or text[inner] != "}":
                raise _Refused
            op.segments.append((end + 1, inner, graph))
            pos = inner + 1

    def _graph(self, token: str) -> str:
        """A graph name's IRI as the store will read it (a prefixed or relative name resolved); never MERGED."""
        if _ABSOLUTE.match(token) and "\\" not in token:
            iri = token[1:-1]
        else:
            snippet = "\n".join([*self.prologue, f"GRAPH {token} {{ {_M} {_M} {_M} }}"])
            try:
                quads = list(ox.parse(snippet.encode(), format=ox.RdfFormat.TRIG, base_iri=self.base))
            except (SyntaxError, ValueError):
                raise _Refused from None
            name = quads[0].graph_name if len(quads) == 1 else None
            if not isinstance(name, ox.NamedNode):
                raise _Refused
            iri = name.value
        if iri == MERGED.value:
            raise _Refused  # a write to the merge itself: the caller compares everything
        return iri


def _code_end(text: str, start: int, end: int | None = None) -> int:
    """Where the code from `start` stops: at a brace, at anything refused, or at `end`."""
    found = _BODY.match(text, start, len(text) if end is None else end)
    assert found is not None  # the pattern matches the empty string
    return found.end()


def _iri(word: str) -> bool:
    """Whether a word is an IRI reference."""
    return word.startswith("<") and word.endswith(">")


def _holders(graph: str | None, default: bool) -> str:
    """The filter that keeps a triple ?s ?p ?o that no named graph but `graph` and MERGED holds, nor the
    default graph when `default` (it may hold triples, and is not the graph written)."""
    left_out = f" && ?h != <{graph}>" if graph is not None else ""
    named = f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {_M}{left_out}) }}"
    return named + (" FILTER NOT EXISTS { ?s ?p ?o }" if default else "")


def _unheld(pattern: str, holders: str) -> str:
    """An operation taking out of MERGED the triples of `pattern` that `holders` keeps."""
    return f"DELETE {{ GRAPH {_M} {{ ?s ?p ?o }} }} WHERE {{ {pattern} {holders} }}"


def _additions(text: str, op: _Op, base_iri: str | None, default: bool) -> list[tuple[int, str]]:
    """What to add to the text for one operation: (offset, text) pairs; `default`: whether the default
    graph may hold triples while the update runs."""
    if op.kind == "CREATE":
        return []
    if op.kind == "DROP":
        if op.graph is None:
            return [(op.start, _unheld("?s ?p ?o", _holders(None, False)) + " ;\n")]
        pattern = f"GRAPH <{op.graph}> {{ ?s ?p ?o }}"
        return [(op.start, _unheld(pattern, _holders(op.graph, default)) + " ;\n")]
    segments = [(_after_dot(text, a, b), b, g) for a, b, g in op.segments]
    segments = [(a, b, g) for a, b, g in segments if not _BLANK.fullmatch(text, a, b)]
    if not segments:
        return []
    if op.kind == "INSERT":
        copies = "".join(f"GRAPH {_M} {{ {text[a:b]}\n}}\n" for a, b, _ in segments)
        return [(op.close, "\n" + copies)]
    values = f"VALUES (?s ?p ?o) {{ {_rows(text, op.prologue, segments, base_iri)} }}"
    graphs = {g for _, _, g in segments}
    if len(graphs) == 1:  # one graph: before the delete, that graph left out
        graph = graphs.pop()
        return [(op.start, _unheld(values, _holders(graph, default and graph is not None)) + " ;\n")]
    return [(op.close + 1, " ;\n" + _unheld(values, _holders(None, default)) + "\n")]


def _after_dot(text: str, start: int, end: int) -> int:
    """Where a stretch of triples begins once the `.` SPARQL allows after a GRAPH block is passed."""
    found = _LEADING_DOT.match(text, start, end)
    return found.end() if found else start


def _rows(
    text: str, prologue: tuple[str, ...], segments: list[tuple[int, int, str | None]], base: str | None
) -> str:
    """The triples of DELETE DATA stretches as VALUES rows, read by pyoxigraph's TriG parser."""
    trig = "\n".join([*prologue, *(f"{{ {text[a:b]}\n}}" for a, b, _ in segments)])
    try:
        lines = ox.serialize(
            ox.parse(trig.encode(), format=ox.RdfFormat.TRIG, base_iri=base), format=ox.RdfFormat.N_TRIPLES
        )
    except (SyntaxError, ValueError):
        raise _Refused from None  # not Turtle (`TRUE`, ...): the caller's way
    nt = (lines or b"").decode()
    if not nt or "_:" in nt:
        raise _Refused  # blank nodes cannot be deleted by DELETE DATA, nor be VALUES
    return "(" + nt.replace(" .\n", ")\n(")[:-1]
