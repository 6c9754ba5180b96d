"""Query analysis before evaluation: the query form, and refusal of anything that would fetch a URL or file.

SERVICE and LOAD are found in rdflib's parse tree (never by matching text), so comments, `\\u` escapes,
prefixed names and BASE-relative IRIs are seen exactly as a SPARQL parser sees them. A SERVICE or LOAD
is allowed only for an http(s) IRI whose host is in CWKG_SERVICE_ALLOWLIST; `SERVICE ?var` never is.
A query rdflib cannot parse is not evaluated at all (a syntax error, described by cwkg.sparql_errors).
The service's base IRI comes apart from the text (`base`), so that positions are those of the author's text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias
from urllib.parse import urlsplit

from pyparsing import ParseResults
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue
from rdflib.term import URIRef, Variable

from cwkg.errors import QueryRefused, QuerySyntaxError
from cwkg.server.errors import ProtocolError
from cwkg.sparql_errors import describe_syntax_error

__all__ = ["Form", "QueryInfo", "analyse_query", "analyse_update"]

Form: TypeAlias = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

_FORMS: dict[str, Form] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class QueryInfo:
    """What the analysis learnt of a query: its form and whether it names its own dataset (FROM)."""

    form: Form
    has_dataset: bool


def _nodes(node: Any) -> Iterator[CompValue]:
    """Every CompValue in a parse tree, depth first."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _nodes(value)


def _resolve(term: Any, prologue: Prologue) -> URIRef | Variable | None:
    """The IRI a parsed term stands for (prefixes and BASE applied); None if it cannot be resolved."""
    if isinstance(term, Variable):
        return term
    try:
        resolved = prologue.absolutize(term)
    except Exception:
        return None
    return resolved if isinstance(resolved, URIRef) else None


def _check_iri(what: str, term: Any, prologue: Prologue, allowlist: Collection[str]) -> None:
    """Refuse a SERVICE or LOAD target unless it is an http(s) IRI on an allowed host."""
    iri = _resolve(term, prologue)
    if isinstance(iri, Variable):
        raise QueryRefused(f"{what} with a variable IRI (?{iri}) is not allowed on this server")
    if iri is None:
        raise QueryRefused(f"{what} with an IRI that cannot be resolved is not allowed on this server")
    parts = urlsplit(str(iri))
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in {h.lower() for h in allowlist}:
        raise QueryRefused(
            f"{what} <{iri}> is not allowed: this server does not fetch URLs or files "
            f"(hosts allowed by CWKG_SERVICE_ALLOWLIST: {', '.join(allowlist) or 'none'})"
        )


def _syntax_error(text: str, kind: Literal["query", "update"]) -> QuerySyntaxError:
    """A syntax error naming line and column in the author's text, in words (cwkg.sparql_errors)."""
    return QuerySyntaxError(describe_syntax_error(text, kind))


def _parses_as_update(text: str) -> bool:
    """Whether the text is a SPARQL Update."""
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


_IRI_FORBIDDEN = frozenset('<>"{}|^`\\')


def _keywords(text: str) -> list[str] | None:
    """The bare words of a query (keywords, upper-cased), skipping IRIs, strings, names and comments.

    None when the text has a backslash (escapes may spell any keyword) or a string that does not end.
    """
    if "\\" in text:
        return None
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == "<":
            j = i + 1
            while j < n and text[j] > " " and text[j] not in _IRI_FORBIDDEN:
                j += 1
            i = j + 1 if j < n and text[j] == ">" else i + 1  # an IRI, or the operator < or <=
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            end = text.find(quote, i + len(quote))
            if end < 0 or (len(quote) == 1 and "\n" in text[i:end]):
                return None
            i = end + len(quote)
        elif c.isalnum() or c in "_?$:":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_-.:%?$"):
                j += 1
            token = text[i:j].rstrip(".")
            if token.isalpha():
                words.append(token.upper())
            i = i + len(token) if token else j
        else:
            i += 1
    return words


def _screen(text: str) -> QueryInfo | None:
    """A query's form and dataset from its keywords, when it cannot hold SERVICE; None to parse it fully.

    Parsing with rdflib takes 10-20 ms a query, an order of magnitude more than Oxigraph takes to
    answer a lookup; most queries have no SERVICE, which this shows without parsing. The check for
    SERVICE does not depend on the scan: the text must not contain the letters at all, in any case
    (nor a backslash, through which `\\u0053ERVICE` could spell it). Syntax errors are then Oxigraph's.

    >>> _screen("PREFIX cw: <urn:x#> SELECT ?from WHERE { ?s cw:fromRole ?from }")
    QueryInfo(form='SELECT', has_dataset=False)
    >>> _screen("CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o }")
    QueryInfo(form='CONSTRUCT', has_dataset=True)
    >>> _screen("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }") is None
    True
    """
    if "service" in text.lower():
        return None
    words = _keywords(text)
    if words is None:
        return None
    for at, word in enumerate(words):
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return QueryInfo(form=word, has_dataset="FROM" in words[at + 1 :])  # type: ignore[arg-type]
        if word not in ("PREFIX", "BASE"):
            return None  # an update, or something to report precisely
    return None


def analyse_query(
    text: str, allowlist: Collection[str] = (), *, screen: bool = False, base: str | None = None
) -> QueryInfo:
    """Parse a query, refuse SERVICE outside the allowlist, and tell its form.

    With `screen`, a query that cannot hold SERVICE is only scanned (see _screen), not parsed: its
    syntax is then left to Oxigraph (server.execute parses it here again for the message if it fails).

    >>> analyse_query("SELECT * { ?s ?p ?o }").form
    'SELECT'
    """
    screened = _screen(text) if screen else None
    if screened is not None:
        return screened
    try:
        parsed = parseQuery(text)
    except Exception:
        if _parses_as_update(text):
            raise ProtocolError(
                "this is a SPARQL Update: send it to the update operation (/update), "
                "not to the query operation"
            ) from None
        raise _syntax_error(text, "query") from None
    prologue = translatePrologue(parsed[0], base)
    query = parsed[1]
    for node in _nodes(parsed):
        if node.name == "ServiceGraphPattern":
            _check_iri("SERVICE", node.get("term"), prologue, allowlist)
    has_dataset = "datasetClause" in query
    return QueryInfo(form=_FORMS[query.name], has_dataset=has_dataset)


def analyse_update(text: str, allowlist: Collection[str] = (), *, base: str | None = None) -> None:
    """Parse an update and refuse LOAD, and SERVICE in its WHERE clauses, outside the allowlist."""
    try:
        parsed = parseUpdate(text)
    except Exception:
        try:
            parseQuery(text)
        except Exception:
            raise _syntax_error(text, "update") from None
        raise ProtocolError(
            "this is a SPARQL query: send it to the query operation (/sparql), not to the update operation"
        ) from None
    # CompValue.get(key) answers the key itself when it is missing, so membership is tested first
    prologues: list[ParseResults] = list(parsed["prologue"]) if "prologue" in parsed else []
    operations = parsed["request"] if "request" in parsed else []
    prologue: Prologue | None = None
    checked = 0
    for index, operation in enumerate(operations):
        decls = prologues[index] if index < len(prologues) else ParseResults([])
        prologue = translatePrologue(decls, base if prologue is None else None, None, prologue)
        for node in _nodes(operation):
            if node.name == "Load":
                _check_iri("LOAD", node.get("iri"), prologue, allowlist)
                checked += 1
            elif node.name == "ServiceGraphPattern":
                _check_iri("SERVICE", node.get("term"), prologue, allowlist)
                checked += 1
    if checked != sum(node.name in ("Load", "ServiceGraphPattern") for node in _nodes(parsed)):
        raise QueryRefused("the update has a LOAD or SERVICE this server could not check, so it is refused")
