"""The query page: /sparql opened in a browser gives YASGUI (served from /static/vendor, no other host)
over this endpoint, with the canned queries as ready examples (their parameters bound to the examples
they document) and downloads of the result in every format the endpoint serves."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from cwkg.namespaces import PREFIXES
from cwkg.queries import Catalogue
from cwkg.server.pages.templating import render
from cwkg.server.state import get_state
from cwkg.sparql_text import bind_values

__all__ = ["examples", "query_page"]

#: The download links under the editor: label -> `format` value the endpoint understands.
DOWNLOADS = {
    "JSON": "json",
    "XML": "xml",
    "CSV": "csv",
    "TSV": "tsv",
    "Turtle": "turtle",
    "N-Triples": "nt",
    "JSON-LD": "jsonld",
    "RDF/XML": "rdfxml",
}


def examples(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each canned query as an example: name, title, and its SPARQL with the documented example values bound."""
    found = []
    for canned in catalogue:
        values = {p.name: p.example for p in canned.parameters if p.example is not None}
        try:
            text = bind_values(canned.sparql, canned.bindings(values)) if values else canned.sparql
        except Exception:  # an example that does not bind: offer the query as written
            text = canned.sparql
        found.append({"name": canned.name, "title": canned.title, "query": text})
    return found


async def query_page(request: Request) -> Response:
    """The YASGUI page."""
    catalogue: Catalogue = get_state(request).catalogue
    prefixes = {p: PREFIXES[p] for p in ("cw", "rdf", "rdfs", "skos", "org", "qb", "oa", "xsd", "dcterms")}
    first = examples(catalogue)
    start = next(
        (e["query"] for e in first if e["name"] == "role-requirements"), first[0]["query"] if first else ""
    )
    counts = await get_state(request).counts()
    return render(
        request,
        "sparql.html",
        title="SPARQL query editor",
        graphs=counts["graphs"],
        config={"examples": first, "prefixes": prefixes, "start": start, "downloads": DOWNLOADS},
        headers={"vary": "Accept"},
    )
