"""Parameters bound into query text as RDF terms, the one way both backends and the pages bind them."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from cwkg.errors import QuerySyntaxError

__all__ = ["bind_values"]


def bind_values(
    sparql: str,
    substitutions: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal],
    *,
    style: str = "values",
) -> str:
    """Bind variables to RDF terms by a VALUES block opening the first WHERE group (or, with
    `style="bind"`, one BIND per variable there, for a store that does not join VALUES in).

    Each term is serialised by pyoxigraph (`str(term)` is N-Triples syntax, escapes included),
    so a parameter's text can never become SPARQL syntax. Both backends bind this way: a remote
    store has no other way, and pyoxigraph 0.5.13's own `substitutions` joins the values only
    after evaluation (BOUND() is false inside the query, OPTIONAL and BIND do not see them).

    >>> print(bind_values("SELECT ?x WHERE { ?x ?p ?_v }", {"_v": ox.Literal('a "b"')}))
    SELECT ?x WHERE { VALUES (?_v) { ("a \\"b\\"") }  ?x ?p ?_v }
    """
    match = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE)
    if match is None:
        raise QuerySyntaxError("a query with parameters needs a WHERE { ... } group")
    if style == "bind":
        block = " " + " ".join(f"BIND({term} AS ?{name})" for name, term in substitutions.items()) + " "
    else:
        names = " ".join(f"?{name}" for name in substitutions)
        row = " ".join(str(term) for term in substitutions.values())
        block = f" VALUES ({names}) {{ ({row}) }} "
    return sparql[: match.end()] + block + sparql[match.end() :]
