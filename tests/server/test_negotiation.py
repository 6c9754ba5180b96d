"""cwkg.server.negotiation as a table: Accept (+ format) and kind -> media type, or None for 406."""

from __future__ import annotations

import pytest

from cwkg.server.negotiation import negotiate, negotiate_all, parse_accept, with_charset

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TTL = "text/turtle"
NT = "application/n-triples"
NQ = "application/n-quads"
TRIG = "application/trig"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
JENA = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1"
)
SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"

ROWS = [
    # kind, Accept, format, expected
    ("solutions", None, None, JSON),
    ("solutions", "", None, JSON),
    ("solutions", "*/*", None, JSON),
    ("solutions", "application/*", None, JSON),
    ("solutions", "text/*", None, CSV),
    ("solutions", CSV, None, CSV),
    ("solutions", TSV, None, TSV),
    ("solutions", XML, None, XML),
    ("solutions", "application/json", None, JSON),
    ("solutions", "text/xml", None, XML),
    ("solutions", "text/csv;q=0.4, application/sparql-results+xml;q=0.8", None, XML),
    ("solutions", "text/csv, text/tab-separated-values", None, CSV),
    ("solutions", "text/tab-separated-values, text/csv", None, TSV),
    ("solutions", "text/*;q=0.9, text/csv;q=0.1", None, TSV),
    ("solutions", "*/*;q=0.5, text/csv;q=0", None, JSON),
    ("solutions", "text/csv;q=0", None, None),
    ("solutions", JENA, None, JSON),
    ("solutions", SPARQLWRAPPER_JSON, None, JSON),
    ("solutions", BROWSER, None, XML),
    ("solutions", "image/png", None, None),
    ("solutions", TTL, None, None),
    ("solutions", "text/csv; charset=utf-8", None, CSV),
    ("solutions", "TEXT/CSV", None, CSV),
    ("solutions", "not a media type, text/csv;q=0.3", None, CSV),
    ("solutions", "text/csv;q=abc, application/sparql-results+xml;q=0.1", None, XML),
    ("boolean", XML, None, XML),
    ("graph", None, None, TTL),
    ("graph", "*/*", None, TTL),
    ("graph", NT, None, NT),
    ("graph", "text/plain", None, NT),
    ("graph", NQ, None, NQ),
    ("graph", TRIG, None, TRIG),
    ("graph", JSONLD, None, JSONLD),
    ("graph", "application/json", None, JSONLD),
    ("graph", RDFXML, None, RDFXML),
    ("graph", "application/xml", None, RDFXML),
    ("graph", "application/rdf+xml, text/turtle;q=0.5", None, RDFXML),
    ("graph", "text/turtle;q=0.5, application/n-triples;q=0.6", None, NT),
    ("graph", JSON, None, None),
    ("graph", BROWSER, None, RDFXML),
    ("description", BROWSER, None, HTML),
    ("description", None, None, TTL),
    ("description", "text/html;q=0.1, text/turtle", None, TTL),
    # `format` overrides Accept when it names a format of this kind
    ("solutions", "text/csv", "json", JSON),
    ("solutions", None, "xml", XML),
    ("solutions", None, "csv", CSV),
    ("solutions", None, "tsv", TSV),
    ("solutions", "image/png", "json", JSON),
    ("solutions", None, "text/tab-separated-values", TSV),
    ("solutions", "text/csv", "turtle", CSV),
    ("solutions", "text/csv", "nonsense", CSV),
    ("graph", None, "json", JSONLD),
    ("graph", None, "xml", RDFXML),
    ("graph", None, "turtle", TTL),
    ("graph", None, "ntriples", NT),
    ("graph", None, "nquads", NQ),
    ("graph", None, "trig", TRIG),
    ("graph", None, "jsonld", JSONLD),
    ("graph", None, "rdfxml", RDFXML),
    ("graph", None, "application/n-triples", NT),
    ("graph", "text/turtle", "csv", TTL),
    ("description", None, "html", HTML),
    ("description", BROWSER, "turtle", TTL),
]


@pytest.mark.parametrize(("kind", "accept", "fmt", "expected"), ROWS)
def test_negotiate(kind: str, accept: str | None, fmt: str | None, expected: str | None) -> None:
    assert negotiate(kind, accept, fmt) == expected  # type: ignore[arg-type]


def test_table_size() -> None:
    assert len(ROWS) == 63


def test_parse_accept_reads_q_and_order() -> None:
    ranges = parse_accept("text/csv;q=0.5, application/*;level=1, */*;q=2")
    assert [(r.type, r.subtype, r.q, r.position) for r in ranges] == [
        ("text", "csv", 0.5, 0),
        ("application", "*", 1.0, 1),
        ("*", "*", 1.0, 2),
    ]


def test_negotiate_all_decides_every_kind_at_once() -> None:
    assert negotiate_all("text/turtle, text/csv;q=0.5") == {"solutions": CSV, "boolean": CSV, "graph": TTL}
    assert negotiate_all("image/png") == {"solutions": None, "boolean": None, "graph": None}


@pytest.mark.parametrize(
    ("media_type", "header"),
    [(CSV, "text/csv; charset=utf-8"), (JSON, JSON + "; charset=utf-8"), (RDFXML, RDFXML), (NT, NT)],
)
def test_with_charset(media_type: str, header: str) -> None:
    assert with_charset(media_type) == header
