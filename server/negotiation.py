"""Content negotiation: an Accept header (with q-values) and an optional `format` parameter -> one media type.

Pure functions, table-tested. Written here rather than taken from python-mimeparse because the SPARQL
aliases (`json` means results JSON for SELECT but JSON-LD for CONSTRUCT) depend on the kind of result.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "KINDS",
    "Kind",
    "MediaRange",
    "format_problem",
    "negotiate",
    "negotiate_all",
    "offered",
    "parse_accept",
    "with_charset",
]

Kind: TypeAlias = Literal["solutions", "boolean", "graph", "description"]

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"
TRIG = "application/trig"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

_RESULTS: dict[str, str] = {  # accepted media type -> the one served; first is the default
    JSON: JSON,
    XML: XML,
    CSV: CSV,
    TSV: TSV,
    "application/json": JSON,
    "application/xml": XML,
    "text/xml": XML,
}
_GRAPH: dict[str, str] = {
    TURTLE: TURTLE,
    NTRIPLES: NTRIPLES,
    NQUADS: NQUADS,
    TRIG: TRIG,
    JSONLD: JSONLD,
    RDFXML: RDFXML,
    "application/x-turtle": TURTLE,
    "text/plain": NTRIPLES,
    "application/json": JSONLD,
    "application/xml": RDFXML,
    "text/xml": RDFXML,
    "text/n3": TURTLE,
}

#: What each kind of result can be served as: accepted media type -> served media type, in preference order.
KINDS: Mapping[Kind, Mapping[str, str]] = {
    "solutions": _RESULTS,
    "boolean": _RESULTS,
    "graph": _GRAPH,
    "description": {**_GRAPH, HTML: HTML, "application/xhtml+xml": HTML},
}

_FORMAT_NAMES: dict[str, tuple[str, str]] = {  # `format=` value -> (for results, for graphs)
    "json": (JSON, JSONLD),
    "xml": (XML, RDFXML),
    "csv": (CSV, ""),
    "tsv": (TSV, ""),
    "turtle": ("", TURTLE),
    "ttl": ("", TURTLE),
    "n3": ("", TURTLE),
    "ntriples": ("", NTRIPLES),
    "nt": ("", NTRIPLES),
    "nquads": ("", NQUADS),
    "nq": ("", NQUADS),
    "trig": ("", TRIG),
    "jsonld": ("", JSONLD),
    "json-ld": ("", JSONLD),
    "rdfxml": ("", RDFXML),
    "rdf+xml": ("", RDFXML),
    "rdf": ("", RDFXML),
    "html": ("", ""),
}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: `type/subtype` (either may be `*`), its q-value and position."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """How specifically this range matches `media_type`: 2 exact, 1 `type/*`, 0 `*/*`, -1 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/csv;q=0.5, application/*")]
    [('text', 'csv', 0.5), ('application', '*', 1.0)]
    """
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for position, item in enumerate(header.split(",")):
        name, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = name.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q, position))
    return ranges


def _quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int, int]:
    """(q, specificity, -position) of the most specific range matching `media_type`; q 0 if none."""
    best: tuple[float, int, int] = (0.0, -1, 0)
    best_specificity = -1
    for r in ranges:
        s = r.specificity(media_type)
        if s > best_specificity:
            best_specificity = s
            best = (r.q, s, -r.position)
    return best


def offered(kind: Kind) -> list[str]:
    """The media types a kind of result is served as, default first."""
    return list(dict.fromkeys(KINDS[kind].values()))


def format_problem(fmt: str | None) -> str | None:
    """What is wrong with a `format` parameter that names no format we serve (None when it names one).

    >>> format_problem("csv") is None, format_problem("text/turtle") is None
    (True, True)
    >>> format_problem("bogus")[:40]
    "format='bogus' names no format served he"
    """
    if not fmt:
        return None
    value = fmt.strip().lower()
    if value in _FORMAT_NAMES or any(value in table for table in KINDS.values()):
        return None
    return (
        f"format={fmt!r} names no format served here; use one of {', '.join(_FORMAT_NAMES)}, "
        "or a media type such as text/turtle (or leave it out and send Accept)"
    )


def _from_format(kind: Kind, fmt: str | None) -> str | None:
    """The media type a `format` parameter names for this kind, if it names one."""
    if not fmt:
        return None
    value = fmt.strip().lower()
    table = KINDS[kind]
    if value in table:
        return table[value]
    pair = _FORMAT_NAMES.get(value)
    if pair is None:
        return None
    if value == "html":
        return HTML if kind == "description" else None
    chosen = pair[1] if kind in ("graph", "description") else pair[0]
    return chosen or None


@functools.lru_cache(maxsize=512)  # clients send the same few Accept headers again and again
def negotiate(kind: Kind, accept: str | None, fmt: str | None = None) -> str | None:
    """The media type to serve a kind of result as, or None when nothing acceptable is offered.

    A `format` parameter naming a format this kind can take overrides Accept; ties in q are broken by
    specificity, then by the client's order, then by ours.

    >>> negotiate("solutions", "text/csv;q=0.4, application/sparql-results+xml;q=0.8")
    'application/sparql-results+xml'
    >>> negotiate("graph", "text/html", "json")
    'application/ld+json'
    >>> negotiate("graph", "application/sparql-results+json") is None
    True
    """
    forced = _from_format(kind, fmt)
    if forced is not None:
        return forced
    ranges = parse_accept(accept)
    table = KINDS[kind]
    order = list(table)
    best: tuple[tuple[float, int, int, int], str] | None = None
    for index, candidate in enumerate(order):
        q, specificity, position = _quality(ranges, candidate)
        if q <= 0:
            continue
        key = (q, specificity, position, -index)
        if best is None or key > best[0]:
            best = (key, table[candidate])
    return None if best is None else best[1]


def negotiate_all(accept: str | None, fmt: str | None = None) -> dict[Kind, str | None]:
    """The media type for every kind of query result, decided before the query form is known."""
    return {kind: negotiate(kind, accept, fmt) for kind in ("solutions", "boolean", "graph")}


def with_charset(media_type: str) -> str:
    """The Content-Type header value: text types and JSON get `charset=utf-8`."""
    if media_type.startswith("text/") or media_type.endswith("json"):
        return f"{media_type}; charset=utf-8"
    return media_type
