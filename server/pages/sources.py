"""A source document's page stays small: its own description, then what it states, a page at a time.

A document is cited by hundreds of statements and thousands of annotations; listing them all made its page
over a megabyte. The page shows the facts read from it in pages of PAGE_SIZE, each titled by what it says.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request

from cwkg.namespaces import ID
from cwkg.server.pages.queries import construct, select
from cwkg.server.pages.values import Links

__all__ = ["PAGE_SIZE", "Facts", "is_source", "own_description", "stated_in"]

PAGE_SIZE = 50

OWN = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { $r ?p ?o . ?o ?lp ?l } WHERE {
  $r ?p ?o .
  OPTIONAL { VALUES ?lp { skos:prefLabel rdfs:label } ?o ?lp ?l }
}
"""
COUNT = """
PREFIX cw: <https://w3id.org/cwkg/ontology#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s cw:statedIn $r }
"""
PAGE = """
PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label ?kind WHERE {
  { SELECT DISTINCT ?s WHERE { ?s cw:statedIn $r } ORDER BY ?s LIMIT $limit OFFSET $offset }
  OPTIONAL { ?s rdfs:label|skos:prefLabel ?label }
  OPTIONAL { ?s a ?type . ?type rdfs:label ?kind }
}
"""


@dataclass
class Facts:
    """One page of the facts a document states: (href, title, kind) rows and where the page is."""

    rows: list[tuple[str, str, str]]
    total: int
    page: int
    pages: int


def is_source(iri: str) -> bool:
    """Whether an IRI names one of the source documents."""
    return iri.startswith(ID + "source/")


async def own_description(request: Request, iri: str) -> list[ox.Triple]:
    """The document's own triples and the labels of what they name, without the thousands pointing to it."""
    return await construct(request, OWN.replace("$r", str(ox.NamedNode(iri))))


async def stated_in(request: Request, iri: str, page: int, links: Links) -> Facts:
    """The facts read from a document, one page of them, titled by what they say."""
    node = str(ox.NamedNode(iri))
    counted = await select(request, COUNT.replace("$r", node))
    total = int(counted[0]["n"].value) if counted else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    query = PAGE.replace("$r", node).replace("$limit", str(PAGE_SIZE))
    found = await select(request, query.replace("$offset", str((page - 1) * PAGE_SIZE)))
    rows: dict[str, tuple[str, str, str]] = {}
    for row in found:
        s = row["s"].value
        label = row["label"].value if "label" in row else s.rsplit("/", 1)[-1]
        kind = row["kind"].value if "kind" in row else ""
        if s not in rows or (kind and not rows[s][2]):
            rows[s] = (links.href(s), label, kind)
    ordered = sorted(rows.values(), key=lambda r: (r[2], r[1].lower()))
    return Facts(ordered, total, page, pages)
