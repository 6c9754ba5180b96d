"""Renderers of a resource's triples, one small class per media type, in a registry.

>>> sorted(SUFFIXES)
['html', 'jsonld', 'nt', 'rdf', 'ttl']
>>> RENDERERS["text/turtle"].suffix
'ttl'
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES
from cwkg.server.formats import used_prefixes
from cwkg.server.negotiation import HTML

__all__ = ["RENDERERS", "SUFFIXES", "Renderer", "jsonld_context"]


def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD @context: the one prefix map, and `id`/`type` for `@id`/`@type`."""
    return {"@context": {"id": "@id", "type": "@type", **PREFIXES}}


class Renderer(ABC):
    """Serialises triples as one media type."""

    media_type: ClassVar[str]
    suffix: ClassVar[str]
    label: ClassVar[str]

    @abstractmethod
    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        """The triples in this renderer's media type."""


class _Oxigraph(Renderer):
    """A format pyoxigraph writes."""

    format: ClassVar[ox.RdfFormat]

    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        prefixes = None
        if self.format == ox.RdfFormat.TURTLE:
            prefixes = used_prefixes(ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES) or b"")
        return ox.serialize(ordered, format=self.format, prefixes=prefixes) or b""


class Turtle(_Oxigraph):
    media_type, suffix, label, format = "text/turtle", "ttl", "Turtle", ox.RdfFormat.TURTLE


class NTriples(_Oxigraph):
    media_type, suffix, label, format = "application/n-triples", "nt", "N-Triples", ox.RdfFormat.N_TRIPLES


class RdfXml(_Oxigraph):
    media_type, suffix, label, format = "application/rdf+xml", "rdf", "RDF/XML", ox.RdfFormat.RDF_XML


class JsonLd(Renderer):
    """JSON-LD compacted with the published @context, referenced by its URL."""

    media_type, suffix, label = "application/ld+json", "jsonld", "JSON-LD"

    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        import rdflib

        nt = ox.serialize(sorted(set(triples), key=str), format=ox.RdfFormat.N_TRIPLES) or b""
        graph = rdflib.Graph().parse(data=nt.decode(), format="nt")
        context = jsonld_context()["@context"]
        data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        data["@context"] = context_url
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode()


class Html(Renderer):
    """Marker: the HTML page is rendered from the view, by the page itself."""

    media_type, suffix, label = HTML, "html", "HTML"

    def render(self, triples: list[ox.Triple], *, context_url: str) -> bytes:
        """Never called: pages render HTML from their view, with the templates."""
        raise TypeError("HTML is rendered from the page's view, not from triples")


RENDERERS: dict[str, Renderer] = {r.media_type: r for r in (Turtle(), JsonLd(), NTriples(), RdfXml(), Html())}
#: The file suffixes that choose a representation instead of Accept.
SUFFIXES: dict[str, str] = {r.suffix: r.media_type for r in RENDERERS.values()}
