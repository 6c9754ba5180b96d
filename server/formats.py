"""The one table from media type to pyoxigraph format (query results, RDF, Graph Store uploads), and the one
writer of RDF in those formats."""

from __future__ import annotations

import mmap
from collections.abc import Iterable, Mapping
from typing import IO

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES
from cwkg.server.jsonld import CONTEXT, jsonld

__all__ = ["RDF_FORMATS", "RESULT_FORMATS", "UPLOAD_EXTENSIONS", "used_prefixes", "write_rdf"]

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


def write_rdf(
    triples: Iterable[ox.Triple],
    media_type: str,
    output: IO[bytes] | None = None,
    *,
    ntriples: bytes | mmap.mmap | None = None,
    context: str | Mapping[str, str] = CONTEXT,
) -> bytes | None:
    """Triples in a served RDF format: Turtle and TriG declaring the prefixes they use (found in `ntriples`,
    the same triples as N-Triples, when given), JSON-LD compacted with `context` (cwkg.server.jsonld).
    Returns the bytes, or None when written to `output`."""
    fmt = RDF_FORMATS[media_type]
    if fmt == ox.RdfFormat.JSON_LD:
        body = jsonld(triples, context)
        if output is None:
            return body
        output.write(body)
        return None
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        if ntriples is None:
            triples = list(triples)
            ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        prefixes = used_prefixes(ntriples)
    return ox.serialize(triples, output, fmt, prefixes=prefixes)
