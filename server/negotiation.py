"""Content negotiation, decided here once: an Accept header (with q-values) and an optional `format`
parameter -> one media type among those a route offers.

Every route declares an Offer (the media types it serves, in its order of preference) and calls
`choose` (or `negotiate`, for the kinds of query result); no route reads the Accept header itself.
Pure functions, table-tested. Written here rather than taken from python-mimeparse because the SPARQL
aliases (`json` means results JSON for SELECT but JSON-LD for CONSTRUCT) depend on what is offered.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from starlette.requests import Request

from cwkg.server.errors import NotAcceptable

__all__ = [
    "KINDS",
    "PAGE_OR_JSON",
    "Kind",
    "MediaRange",
    "Offer",
    "choose",
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
PLAIN_JSON = "application/json"

#: Other names clients send for media types we serve: accepted -> candidates, the first one offered wins.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "application/json": (JSON, JSONLD),
    "application/xml": (XML, RDFXML),
    "text/xml": (XML, RDFXML),
    "application/x-turtle": (TURTLE,),
    "text/plain": (NTRIPLES,),
    "text/n3": (TURTLE,),
    "application/xhtml+xml": (HTML,),
}

#: `format=` value -> the media types it may name, the first the offer serves wins.
_FORMAT_NAMES: Mapping[str, tuple[str, ...]] = {
    "json": (JSON, JSONLD, PLAIN_JSON),
    "xml": (XML, RDFXML),
    "csv": (CSV,),
    "tsv": (TSV,),
    "turtle": (TURTLE,),
    "ttl": (TURTLE,),
    "n3": (TURTLE,),
    "ntriples": (NTRIPLES,),
    "nt": (NTRIPLES,),
    "nquads": (NQUADS,),
    "nq": (NQUADS,),
    "trig": (TRIG,),
    "jsonld": (JSONLD,),
    "json-ld": (JSONLD,),
    "rdfxml": (RDFXML,),
    "rdf+xml": (RDFXML,),
    "rdf": (RDFXML,),
    "html": (HTML,),
}


@dataclass(frozen=True)
class Offer:
    """What one route serves: (accepted media type, media type served) pairs in our order of preference.

    The first served type is the default, for `*/*` or no Accept at all.

    >>> offer = Offer.of(HTML, PLAIN_JSON)
    >>> offer.served(), dict(offer.pairs)["application/xhtml+xml"]
    (('text/html', 'application/json'), 'text/html')
    """

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, *served: str) -> Offer:
        """An offer of these media types, in this order, and of the aliases that name one of them."""
        pairs = [(media_type, media_type) for media_type in served]
        for alias, candidates in ALIASES.items():
            target = next((c for c in candidates if c in served), None)
            if target is not None and alias not in served:
                pairs.append((alias, target))
        return cls(tuple(pairs))

    def served(self) -> tuple[str, ...]:
        """The media types served, default first."""
        return tuple(dict.fromkeys(target for _, target in self.pairs))

    def __add__(self, other: Offer) -> Offer:
        """This offer, then what the other serves besides."""
        known = {accepted for accepted, _ in self.pairs}
        return Offer(self.pairs + tuple(p for p in other.pairs if p[0] not in known))


_RESULTS = Offer.of(JSON, XML, CSV, TSV)
_GRAPH = Offer.of(TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)

#: A page for people, JSON for programs: browsing, search, the list of dumps.
PAGE_OR_JSON = Offer.of(HTML, PLAIN_JSON)

#: What each kind of query result can be served as.
KINDS: Mapping[Kind, Offer] = {
    "solutions": _RESULTS,
    "boolean": _RESULTS,
    "graph": _GRAPH,
    "description": _GRAPH + Offer.of(HTML),
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


def _offer(offer: Offer | Kind) -> Offer:
    return offer if isinstance(offer, Offer) else KINDS[offer]


def offered(offer: Offer | Kind) -> list[str]:
    """The media types an offer (or a kind of result) is served as, default first."""
    return list(_offer(offer).served())


def format_problem(fmt: str | None) -> str | None:
    """What is wrong with a `format` parameter that names no format served anywhere here (None if it names one).

    >>> format_problem("csv") is None, format_problem("text/turtle") is None
    (True, True)
    >>> format_problem("bogus")[:40]
    "format='bogus' names no format served he"
    """
    if not fmt:
        return None
    value = fmt.strip().lower()
    if value in _FORMAT_NAMES or any(value in dict(offer.pairs) for offer in (*KINDS.values(), PAGE_OR_JSON)):
        return None
    return (
        f"format={fmt!r} names no format served here; use one of {', '.join(_FORMAT_NAMES)}, "
        "or a media type such as text/turtle (or leave it out and send Accept)"
    )


def _from_format(offer: Offer, fmt: str | None) -> str | None:
    """The media type a `format` parameter names among those offered, if it names one."""
    if not fmt:
        return None
    value = fmt.strip().lower()
    table = dict(offer.pairs)
    if value in table:
        return table[value]
    served = offer.served()
    return next((m for m in _FORMAT_NAMES.get(value, ()) if m in served), None)


@functools.lru_cache(maxsize=512)  # clients send the same few Accept headers again and again
def negotiate(offer: Offer | Kind, accept: str | None, fmt: str | None = None) -> str | None:
    """The media type to serve an offer (or a kind of result) as, or None when nothing acceptable is offered.

    A `format` parameter naming a format on offer overrides Accept; ties in q are broken by
    specificity, then by the client's order, then by ours.

    >>> negotiate("solutions", "text/csv;q=0.4, application/sparql-results+xml;q=0.8")
    'application/sparql-results+xml'
    >>> negotiate("graph", "text/html", "json")
    'application/ld+json'
    >>> negotiate("graph", "application/sparql-results+json") is None
    True
    """
    table = _offer(offer)
    forced = _from_format(table, fmt)
    if forced is not None:
        return forced
    ranges = parse_accept(accept)
    best: tuple[tuple[float, int, int, int], str] | None = None
    for index, (candidate, served) in enumerate(table.pairs):
        q, specificity, position = _quality(ranges, candidate)
        if q <= 0:
            continue
        key = (q, specificity, position, -index)
        if best is None or key > best[0]:
            best = (key, served)
    return None if best is None else best[1]


def choose(request: Request, offer: Offer, what: str) -> str:
    """The media type a request gets from a route's offer (by its Accept and `format`); NotAcceptable if none,
    or if `format` names no format at all."""
    fmt = request.query_params.get("format")
    problem = format_problem(fmt)
    if problem is not None:
        raise NotAcceptable(problem)
    media_type = negotiate(offer, request.headers.get("accept"), fmt)
    if media_type is None:
        raise NotAcceptable(
            f"{what} is served as {', '.join(offer.served())}; the request accepts none of them"
        )
    return media_type


def negotiate_all(accept: str | None, fmt: str | None = None) -> dict[Kind, str | None]:
    """The media type for every kind of query result, decided before the query form is known."""
    return {kind: negotiate(kind, accept, fmt) for kind in ("solutions", "boolean", "graph")}


def with_charset(media_type: str) -> str:
    """The Content-Type header value: text types and JSON get `charset=utf-8`."""
    if media_type.startswith("text/") or media_type.endswith("json"):
        return f"{media_type}; charset=utf-8"
    return media_type
