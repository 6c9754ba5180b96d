"""Renderers of a resource's triples, one small class per media type, in a registry.

>>> sorted(SUFFIXES)
['html', 'jsonld', 'nt', 'rdf', 'ttl']
>>> RENDERERS["text/turtle"].suffix
'ttl'
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import pyoxigraph as ox

from cwkg.server.formats import write_rdf
from cwkg.server.negotiation import HTML

__all__ = ["RENDERERS", "SUFFIXES", "Renderer"]


class Renderer(ABC):
    """Serialises triples as one media type."""

    media_type: ClassVar[str]
    suffix: ClassVar[str]
    label: ClassVar[str]

    @abstractmethod
    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        """The triples in this renderer's media type."""


class _Rdf(Renderer):
    """A format the one RDF writer writes (cwkg.server.formats), triples in a stable order."""

    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return write_rdf(ordered, self.media_type, context=context_url) or b""


class Turtle(_Rdf):
    media_type, suffix, label = "text/turtle", "ttl", "Turtle"


class NTriples(_Rdf):
    media_type, suffix, label = "application/n-triples", "nt", "N-Triples"


class RdfXml(_Rdf):
    media_type, suffix, label = "application/rdf+xml", "rdf", "RDF/XML"


class JsonLd(_Rdf):
    """JSON-LD compacted with the published @context, referenced by its URL."""

    media_type, suffix, label = "application/ld+json", "jsonld", "JSON-LD"


class Html(Renderer):
    """Marker: the HTML page is rendered from the view, by the page itself."""

    media_type, suffix, label = HTML, "html", "HTML"

    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        """Never called: pages render HTML from their view, with the templates."""
        raise TypeError("HTML is rendered from the page's view, not from triples")


RENDERERS: dict[str, Renderer] = {r.media_type: r for r in (Turtle(), JsonLd(), NTriples(), RdfXml(), Html())}
#: The file suffixes that choose a representation instead of Accept.
SUFFIXES: dict[str, str] = {r.suffix: r.media_type for r in RENDERERS.values()}
