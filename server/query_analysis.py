"""Query analysis before evaluation: the query form, and refusal of anything that would fetch a URL or file.

SERVICE and LOAD are found by server.sparql_lexer, which reads the text as Oxigraph's parser does
(rdflib's parser does not: it applies `\\u` escapes before parsing, so `"x\\u005C" } ; LOAD <...>`
hid a LOAD that Oxigraph ran). Texts with `\\u` escapes are also read the SPARQL 1.1 way, escapes first,
as a remote store may; a SERVICE or LOAD in either reading counts. One is allowed only for an http(s)
IRI whose host is in CWKG_SERVICE_ALLOWLIST; `SERVICE ?var` never is, nor anything the lexer cannot
pin down (a keyword run into other letters, `service:x {`). The check is linear in the text (one
regular-expression pass when no `(` or the letters occur in code), so a bulk INSERT DATA costs little.
rdflib still parses a query whose form the keyword scan cannot tell, and explains syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias
from urllib.parse import urljoin, urlsplit

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from cwkg.errors import CwkgError, QueryRefused, QuerySyntaxError
from cwkg.server.errors import ProtocolError
from cwkg.server.sparql_lexer import Token, expanded, may_name_service_or_load, tokens
from cwkg.sparql_errors import describe_syntax_error

__all__ = ["Form", "QueryInfo", "analyse_query", "analyse_update", "explain_update_error", "refuse_fetches"]

_LETTERS = re.compile("service|load", re.IGNORECASE | re.ASCII)

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


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UCHARS = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _where(text: str, offset: int) -> str:
    """`line L, column C` of an offset."""
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - text.rfind(chr(10), 0, offset)}"


def _iri(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    """The absolute IRI an IRI or prefixed-name token stands for; None if it cannot be resolved."""
    if token.kind == "IRI":
        value = _UCHARS.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])
        if _SCHEME.match(value):
            return value
        return urljoin(base, value) if base and not value.startswith("//") else None
    if token.kind == "PNAME":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix)
        return None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
    return None


def _check_target(
    what: str,
    text: str,
    toks: Sequence[Token],
    at: int,
    prefixes: dict[str, str],
    base: str | None,
    allowlist: Collection[str],
) -> None:
    """Refuse the SERVICE or LOAD at toks[at] unless its target is an http(s) IRI on an allowed host."""
    where = _where(text, toks[at].start)
    target = at + 1
    if target < len(toks) and toks[target].text.upper() == "SILENT":
        target += 1
    token = toks[target] if target < len(toks) else None
    if token is not None and token.kind == "VAR":
        raise QueryRefused(
            f"{what} with a variable IRI ({token.text}, {where}) is not allowed on this server"
        )
    iri = _iri(token, prefixes, base) if token is not None else None
    if iri is None:
        raise QueryRefused(f"{what} at {where} names no IRI this server can resolve, so it is not allowed")
    parts = urlsplit(iri)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in {h.lower() for h in allowlist}:
        raise QueryRefused(
            f"{what} <{iri}> ({where}) is not allowed: this server does not fetch URLs or files "
            f"(hosts allowed by CWKG_SERVICE_ALLOWLIST: {', '.join(allowlist) or 'none'})"
        )


def _check_reading(text: str, allowlist: Collection[str], base: str | None) -> None:
    """Refuse a SERVICE or LOAD outside the allowlist in one reading of the text (`base`: the service's)."""
    if not may_name_service_or_load(text):
        return
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    depth = 0
    for at, token in enumerate(toks):
        following = toks[at + 1] if at + 1 < len(toks) else None
        previous = toks[at - 1] if at else None
        if token.text in ("{", "}"):
            depth += 1 if token.text == "{" else -1
        elif token.kind == "WORD":
            word = token.text.upper()
            if word == "BASE" and following is not None and following.kind == "IRI":
                base = _iri(following, prefixes, base) or base
            elif word == "PREFIX" and following is not None and following.kind == "PNAME":
                namespace = toks[at + 2] if at + 2 < len(toks) else None
                if namespace is not None and namespace.kind == "IRI":
                    resolved = _iri(namespace, prefixes, base)
                    if resolved is not None:
                        prefixes[following.text[:-1]] = resolved
            elif word in ("SERVICE", "LOAD"):
                _check_target(word, text, toks, at, prefixes, base, allowlist)
            elif _LETTERS.search(word):
                raise QueryRefused(
                    f"{token.text!r} at {_where(text, token.start)} runs a SERVICE or LOAD keyword into "
                    "other letters; this server refuses what it cannot check"
                )
        elif token.kind == "PNAME":
            prefix = token.text.partition(":")[0].lower()
            starts = previous is None or previous.text == ";" or previous.kind in ("IRI", "STRING")
            if ("service" in prefix and following is not None and following.text == "{") or (
                "load" in prefix and depth == 0 and starts
            ):
                raise QueryRefused(
                    f"{token.text!r} at {_where(text, token.start)} reads as a SERVICE or LOAD keyword "
                    "followed by a prefixed name; this server refuses what it cannot check"
                )


def refuse_fetches(text: str, allowlist: Collection[str] = (), *, base: str | None = None) -> None:
    """Raise QueryRefused for a SERVICE or LOAD that is not on an allowed http(s) host, in either reading.

    `base` is the service's base IRI, against which relative IRIs resolve where the text declares none.
    """
    _check_reading(text, allowlist, base)
    if "\\u" in text or "\\U" in text:
        _check_reading(expanded(text), allowlist, base)


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
    """A query's form and dataset from its keywords; None to parse it fully.

    Parsing with rdflib takes 10-20 ms a query, an order of magnitude more than Oxigraph takes to
    answer a lookup, and the form is all the server needs from it (SERVICE is refuse_fetches's).
    Syntax errors are then Oxigraph's.

    >>> _screen("PREFIX cw: <urn:x#> SELECT ?from WHERE { ?s cw:fromRole ?from }")
    QueryInfo(form='SELECT', has_dataset=False)
    >>> _screen("CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o }")
    QueryInfo(form='CONSTRUCT', has_dataset=True)
    """
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
    """Refuse SERVICE outside the allowlist, and tell the query's form (parsing it with rdflib).

    With `screen`, a query whose form its keywords show (see _screen) is not parsed: its syntax is
    then left to Oxigraph (the worker parses it here again for the message if it fails).

    >>> analyse_query("SELECT * { ?s ?p ?o }").form
    'SELECT'
    """
    refuse_fetches(text, allowlist, base=base)
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
    query = parsed[1]
    return QueryInfo(form=_FORMS[query.name], has_dataset="datasetClause" in query)


def analyse_update(text: str, allowlist: Collection[str] = (), *, base: str | None = None) -> None:
    """Refuse LOAD, and SERVICE in WHERE clauses, outside the allowlist; the syntax is Oxigraph's to check."""
    refuse_fetches(text, allowlist, base=base)


#: Updates up to this size are parsed again by rdflib, to tell a query sent as an update.
EXPLAIN_LIMIT = 64 * 1024


def explain_update_error(text: str, exc: QuerySyntaxError) -> CwkgError:
    """The error to report for an update the store could not parse: a query sent as an update, or its own.

    >>> str(explain_update_error("SELECT * { ?s ?p ?o }", QuerySyntaxError("x")))[:25]
    'this is a SPARQL query: s'
    """
    if len(text) > EXPLAIN_LIMIT or _parses_as_update(text):
        return exc
    try:
        parseQuery(text)
    except Exception:
        return exc
    return ProtocolError(
        "this is a SPARQL query: send it to the query operation (/sparql), not to the update operation"
    )
