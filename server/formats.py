"""The one table from media type to pyoxigraph format: query results, RDF, and Graph Store uploads."""

from __future__ import annotations

import mmap

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES

__all__ = ["RDF_FORMATS", "RESULT_FORMATS", "UPLOAD_EXTENSIONS", "used_prefixes"]

#: SELECT and ASK results: served media type -> pyoxigraph results format.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: CONSTRUCT and DESCRIBE results, graphs and descriptions: served media type -> pyoxigraph RDF format.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: Request bodies the Graph Store Protocol takes: media type -> file extension known to cwkg.store.
UPLOAD_EXTENSIONS: dict[str, str] = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/n-quads": "nq",
    "application/trig": "trig",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}


def used_prefixes(data: bytes | mmap.mmap) -> dict[str, str]:
    """The prefixes of cwkg.namespaces whose namespace occurs as an IRI in N-Triples `data`."""
    return {prefix: ns for prefix, ns in PREFIXES.items() if data.find(f"<{ns}".encode()) >= 0}
