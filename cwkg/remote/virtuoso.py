"""OpenLink Virtuoso 7 as a remote store: everything it does differently from SPARQL 1.1, in one place.

Found by running cwkg against Debian's virtuoso-opensource 7.2.5 (tests/test_virtuoso.py has a test for
each; the README's "other stores" section lists them):

- updates and Graph Store writes go to `/sparql-auth` and `/sparql-graph-crud-auth`, behind Digest
  authentication (`cwkg.remote.auth`), not to siblings named `update` and `store`;
- the store holds graphs of its own (`virtrdf#`, its service description, LDP), which are not cwkg's
  and are left out of the named graphs, so its default graph is not the union of cwkg's graphs;
- a VALUES block opening the WHERE group is not joined into property paths or FILTERs (a canned
  query's parameter is silently ignored), so parameters are bound by BIND instead;
- a query past its time limit runs on after the client has gone, and with a `timeout` it answers 200
  with partial results (`X-SQL-State: S1TAT`): the limit is sent, and a partial answer is a timeout;
- errors come as text naming a Virtuoso code (`SP030` for syntax), with the query echoed after it;
  evaluation errors (division by zero, ...) answer 500 and are not worth asking again;
- it does not honour q-values in Accept and answers ASK as a one-row SELECT of `__ASK_RETVAL`,
  CONSTRUCT as a SELECT of ?s ?p ?o (with numbers unquoted): the Accept names the one format wanted;
- xsd:duration values come back as a number (months for a year-month duration, seconds as a
  double for a day-time one) and stored xsd:boolean values as 0 and 1; both are turned back into
  xsd lexical forms (the canonical one: P14M reads P1Y2M, PT315H keeps its value only, as P13DT3H);
- a boolean-valued expression (BIND(!BOUND(?x) AS ?y), comparisons, `true`) answers xsd:integer 0/1;
  a GROUP_CONCAT over nothing but unbound values answers "" where SPARQL 1.1 leaves it unbound
  (an error): the variables the query binds so are found in its parse tree and repaired.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import httpx

from cwkg.errors import QuerySyntaxError, QueryTimeout, StoreError
from cwkg.remote.dialect import Dialect, Term, sibling
from cwkg.sparql_text import bind_values

__all__ = ["SYSTEM_GRAPHS", "QueryShape", "Virtuoso", "duration_from_number", "query_shape"]

XSD = "http://www.w3.org/2001/XMLSchema#"
#: The graphs a new Virtuoso database already holds: its RDF views, service description and LDP terms.
SYSTEM_GRAPHS = frozenset(
    {
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://localuriqaserver/sparql",
        "http://www.w3.org/ns/ldp#",
    }
)
_ERROR = re.compile(r"Virtuoso (\w+) Error (\w+):\s*(.*)", re.S)
_BOOLEAN_CALLS = {
    "UnaryNot",
    "Builtin_BOUND",
    "Builtin_isIRI",
    "Builtin_isURI",
    "Builtin_isBLANK",
    "Builtin_isLITERAL",
    "Builtin_isNUMERIC",
    "Builtin_REGEX",
    "Builtin_CONTAINS",
    "Builtin_STRSTARTS",
    "Builtin_STRENDS",
    "Builtin_sameTerm",
    "Builtin_LANGMATCHES",
    "Builtin_EXISTS",
    "Builtin_NOTEXISTS",
}
_WRAPPERS = {
    "ConditionalOrExpression",
    "ConditionalAndExpression",
    "RelationalExpression",
    "AdditiveExpression",
    "MultiplicativeExpression",
}


@dataclass(frozen=True)
class QueryShape:
    """What the repairs need to know of a query: its form and the variables bound by boolean
    expressions and by GROUP_CONCAT."""

    form: str
    booleans: frozenset[str]
    concatenations: frozenset[str]


def _nodes(node: Any) -> Iterator[Any]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _nodes(value)


def _unwrap(expr: Any) -> Any:
    """The expression inside rdflib's one-operand wrappers (an OR of one term is that term)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    while isinstance(expr, CompValue) and expr.name in _WRAPPERS and set(expr) == {"expr"}:
        expr = expr["expr"]
    return expr


def _is_boolean(expr: Any) -> bool:
    from rdflib import Literal
    from rdflib.plugins.sparql.parserutils import CompValue

    expr = _unwrap(expr)
    if isinstance(expr, Literal):
        return expr.datatype is not None and str(expr.datatype) == XSD + "boolean"
    if not isinstance(expr, CompValue):
        return False
    if expr.name in _BOOLEAN_CALLS or expr.name in _WRAPPERS:  # a wrapper left has an operator
        return True
    return expr.name == "Builtin_IF" and _is_boolean(expr["arg2"]) and _is_boolean(expr["arg3"])


@lru_cache(maxsize=512)
def query_shape(sparql: str) -> QueryShape:
    """Parse a query (rdflib's SPARQL parser) for its form and the variables needing repair."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(sparql)
    except ParseException as exc:
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.column}: {exc.msg}") from exc
    booleans: set[str] = set()
    concatenations: set[str] = set()
    for node in _nodes(parsed):
        if node.name == "Bind":
            var, expr = node["var"], node["expr"]
        elif node.name == "vars" and "evar" in node:
            var, expr = node["evar"], node["expr"]
        else:
            continue
        if _is_boolean(expr):
            booleans.add(str(var))
        if getattr(_unwrap(expr), "name", None) == "Aggregate_GroupConcat":
            concatenations.add(str(var))
    form = parsed[1].name.removesuffix("Query").upper()
    return QueryShape(form, frozenset(booleans), frozenset(concatenations))


def _message(text: str) -> str:
    """The first line of a Virtuoso error: `Virtuoso STATE Error CODE: message`."""
    page = re.search(r"Error (\w+)</h3>\s*<xmp>(.*?)</xmp>", text, re.S)
    if page:  # the Graph Store endpoint's HTML error page
        return f"Virtuoso {page[1]} Error {page[2].strip()}"
    return text.strip().split("\n\nSPARQL query:", 1)[0].strip()


def duration_from_number(value: str) -> str:
    """Virtuoso's number for an xsd:duration -> the canonical lexical form: a whole number is months
    (P2Y came back as 24), a double is seconds (PT2H came back as 7200.0).

    >>> duration_from_number("24"), duration_from_number("14"), duration_from_number("1.134e+06")
    ('P2Y', 'P1Y2M', 'P13DT3H')
    """
    number = Decimal(value)
    sign, number = ("-", -number) if number < 0 else ("", number)
    if re.fullmatch(r"-?\d+", value):
        years, months = divmod(int(number), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return f"{sign}P{text}"
    days, rest = divmod(number, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = ((hours, "H"), (minutes, "M"), (seconds, "S"))
    clock = "".join(f"{format(n.normalize(), 'f')}{unit}" for n, unit in parts if n)
    text = (f"{int(days)}D" if days else "") + (f"T{clock}" if clock else "")
    return f"{sign}P{text or 'T0S'}"


class Virtuoso(Dialect):
    """OpenLink Virtuoso 7 (the module docstring lists what differs and why)."""

    name = "virtuoso"
    # its default graph also holds SYSTEM_GRAPHS, whose triples would join every union query
    union_default_allowed = False

    def update_url(self, query_url: str, *, authenticated: bool) -> str:
        """Virtuoso's SPARQL endpoint that accepts updates: /sparql-auth, behind Digest authentication."""
        return sibling(query_url, "sparql-auth" if authenticated else "sparql")

    def graph_store_url(self, query_url: str, *, authenticated: bool) -> str:
        """Virtuoso's Graph Store Protocol endpoint: /sparql-graph-crud-auth (or /sparql-graph-crud)."""
        return sibling(query_url, "sparql-graph-crud-auth" if authenticated else "sparql-graph-crud")

    def bind(self, sparql: str, substitutions: Mapping[str, Term]) -> str:
        """Bind parameters by BIND opening the WHERE group: Virtuoso ignores a VALUES block there."""
        return bind_values(sparql, substitutions, style="bind")

    def request(self, sparql: str, timeout: float) -> tuple[dict[str, str], str]:
        """The time limit in milliseconds, so that Virtuoso stops too; one Accept per query form."""
        form = query_shape(sparql).form
        accept = (
            "application/n-triples"
            if form in ("CONSTRUCT", "DESCRIBE")
            else "application/sparql-results+json"
        )
        return {"timeout": str(max(1, int(timeout * 1000)))}, accept

    def check(self, response: httpx.Response) -> None:
        """A partial answer cut off by Virtuoso's time limit is a timeout, not a result."""
        if response.headers.get("x-sql-state") == "S1TAT":
            raise QueryTimeout(
                f"{response.request.url.copy_with(query=None)} stopped the query at its time limit"
            )

    def error(self, url: str, response: httpx.Response) -> StoreError:
        """Virtuoso's error without the query it echoes (or the HTML page the Graph Store endpoint wraps it
        in); its SPxxx codes and state 37000 are the query's fault, anything else the store's."""
        first = _message(response.text)
        match = _ERROR.match(first)
        if not match:
            return super().error(url, response)
        state, code, message = match.groups()
        said = f"Virtuoso {code}: {message.strip()[:500]}"
        if code.startswith("SP") or state == "37000":
            return QuerySyntaxError(f"the store at {url} refused the request: {said}")
        return StoreError(f"the store at {url} answered {response.status_code}: {said}")

    def transient(self, response: httpx.Response) -> bool:
        """A 500 naming a Virtuoso error is the query's evaluation failing: asking again fails again."""
        return super().transient(response) and not _ERROR.match(_message(response.text))

    def results(self, sparql: str, body: bytes) -> bytes:
        """Repair booleans, durations, ASK answers and empty GROUP_CONCATs (the module docstring)."""
        document = json.loads(body)
        names = document.get("head", {}).get("vars", [])
        rows = document.get("results", {}).get("bindings", [])
        if names == ["__ASK_RETVAL"]:
            value = rows[0]["__ASK_RETVAL"]["value"] if rows else "0"
            return json.dumps({"head": {}, "boolean": value in ("1", "true")}).encode()
        shape = query_shape(sparql)
        for row in rows:
            for name in list(row):
                term = row[name]
                kind = term.get("datatype")
                if name in shape.concatenations and term["value"] == "" and not kind:
                    del row[name]
                elif kind == XSD + "boolean" and term["value"] in ("0", "1"):
                    term["value"] = "true" if term["value"] == "1" else "false"
                elif kind == XSD + "integer" and name in shape.booleans and term["value"] in ("0", "1"):
                    term.update(datatype=XSD + "boolean", value="true" if term["value"] == "1" else "false")
                elif kind == XSD + "duration" and re.fullmatch(r"-?[\d.]+(e[+-]?\d+)?", term["value"]):
                    term["value"] = duration_from_number(term["value"])
        return json.dumps(document).encode()

    def own_graph(self, graph: str) -> bool:
        """Virtuoso's own graphs, which every new database holds."""
        return graph in SYSTEM_GRAPHS
