"""Linked-data pages: every https://w3id.org/cwkg/id/... IRI answers on /id/... of this server.

One handler for every kind of resource. Content negotiation by Accept (with q-values) or by a
suffix (.html, .ttl, .jsonld, .nt, .rdf): HTML for browsers, Turtle, JSON-LD (compacted with the
published context at /context.jsonld), N-Triples and RDF/XML for programs. Responses carry
Vary: Accept, a strong ETag and Last-Modified, and answer conditional requests with 304. An IRI the
graph does not know is a 404 whose page suggests close matches. An IRI merged into another (it has
only `owl:sameAs` the other) is a 301 redirect to the other's page, so no published link breaks.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from cwkg.namespaces import ID
from cwkg.server.conditional import conditional
from cwkg.server.description import base_url
from cwkg.server.jsonld import CONTEXT
from cwkg.server.negotiation import HTML, Offer, choose
from cwkg.server.pages.queries import construct, load_index
from cwkg.server.pages.render import RENDERERS, SUFFIXES
from cwkg.server.pages.sources import is_source, own_description, stated_in
from cwkg.server.pages.summary import summarise
from cwkg.server.pages.templating import STATIC, render, render_text
from cwkg.server.pages.view import build_view
from cwkg.server.state import get_state

__all__ = ["RESOURCE", "describe", "negotiated", "router", "static_files"]

router = APIRouter(include_in_schema=False)

NEIGHBOURHOOD = """
PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?s ?p ?o .
  ?a oa:hasTarget ?t . ?t oa:hasSource ?src . ?t oa:hasSelector ?sel . ?sel ?sp ?so .
} WHERE {
  { $r ?p ?o . BIND($r AS ?s) }
  UNION { ?s ?p $r . FILTER(?p != oa:hasBody) BIND($r AS ?o) }
  UNION {
    ?s ?x $r . FILTER(?x != oa:hasBody)
    ?s a/rdfs:subClassOf* ?c . FILTER(?c IN (cw:Statement, qb:Observation))
    ?s ?p ?o .
  }
  UNION { $r cw:evidence ?a . ?a oa:hasTarget ?t . ?t oa:hasSource ?src ; oa:hasSelector ?sel . ?sel ?sp ?so . }
  UNION {
    ?n ?x $r . FILTER(?x != oa:hasBody)
    ?n a/rdfs:subClassOf* ?c . FILTER(?c IN (cw:Statement, qb:Observation))
    ?n cw:evidence ?a . ?a oa:hasTarget ?t . ?t oa:hasSource ?src ; oa:hasSelector ?sel . ?sel ?sp ?so .
  }
}
"""
MERGED_INTO = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { $r owl:sameAs ?new } WHERE { $r owl:sameAs ?new . FILTER NOT EXISTS { $r a ?type } }
"""
LABELS = """
PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?x ?lp ?l } WHERE {
  { SELECT DISTINCT ?x WHERE {
    { $r ?p ?x }
    UNION { ?x ?p $r . FILTER(?p != oa:hasBody) }
    UNION {
      ?s ?p0 $r . FILTER(?p0 != oa:hasBody)
      ?s a/rdfs:subClassOf* ?c . FILTER(?c IN (cw:Statement, qb:Observation))
      ?s ?p ?x .
    }
    UNION { $r cw:evidence/oa:hasTarget/oa:hasSource ?x }
    FILTER(isIRI(?x) && ?x != $r)
  } }
  VALUES ?lp { <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> skos:prefLabel rdfs:label dcterms:title cw:startOfPeriod }
  ?x ?lp ?l .
}
"""


async def describe(request: Request, iri: str) -> list[ox.Triple]:
    """A resource's neighbourhood (its triples, links to it, its statements with their evidence), plus
    the labels and types of everything it names. The IRI is checked and written by pyoxigraph."""
    node = str(ox.NamedNode(iri))
    triples = await construct(request, NEIGHBOURHOOD.replace("$r", node))
    if not triples:
        return []
    return triples + await construct(request, LABELS.replace("$r", node))


#: What a resource (and the ontology) is served as, by Accept: Turtle for `*/*`, HTML for browsers.
RESOURCE = Offer.of(*RENDERERS)


def negotiated(request: Request, suffix: str | None) -> str:
    """The media type asked for: by suffix, else by Accept (q-values) and `format` among what is offered."""
    if suffix is not None:
        return SUFFIXES[suffix]
    return choose(request, RESOURCE, "this resource")


def split_suffix(path: str) -> tuple[str, str | None]:
    """`role/social-worker.ttl` -> (`role/social-worker`, `ttl`); no known suffix -> (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in SUFFIXES and "/" not in ext:
        return stem, ext
    return path, None


async def not_found(request: Request, iri: str, media_type: str) -> Response:
    """404: the IRI is not in the graph; the page suggests close matches."""
    index = await load_index(request)
    matches = index.close_matches(iri)
    pages = get_state(request).pages
    if media_type == HTML:
        return render(
            request,
            "not_found.html",
            status_code=404,
            headers={"vary": "Accept"},
            iri=iri,
            matches=matches,
            title="Not found",
        )
    lines = "".join(f"  {pages.links.href(m.iri)}  {m.label}\n" for m in matches)
    text = f"{iri} is not in the graph.\n" + (f"Close matches:\n{lines}" if lines else "")
    return Response(text, status_code=404, media_type="text/plain; charset=utf-8", headers={"vary": "Accept"})


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"])
async def resource(request: Request, path: str) -> Response:
    """The resource https://w3id.org/cwkg/id/{path}, as HTML or RDF."""
    stem, suffix = split_suffix(path)
    media_type = negotiated(request, suffix)
    iri = ID + stem
    try:
        ox.NamedNode(iri)
    except ValueError:
        return await not_found(request, iri, media_type)
    pages = get_state(request).pages
    merged = await construct(request, MERGED_INTO.replace("$r", str(ox.NamedNode(iri))))
    if merged and isinstance(new := merged[0].object, ox.NamedNode):
        target = pages.links.href(new.value) + (f".{suffix}" if suffix else "")
        return RedirectResponse(target, status_code=301, headers={"vary": "Accept"})
    facts = None
    if media_type == HTML and is_source(iri):  # a document's page lists what it states a page at a time
        triples = await own_description(request, iri)
        page = request.query_params.get("page", "1")
        facts = await stated_in(request, iri, int(page) if page.isdigit() else 1, pages.links)
    else:
        triples = await describe(request, iri)
    if not triples:
        return await not_found(request, iri, media_type)
    context_url = base_url(request, get_state(request)) + "/context.jsonld"
    headers = {
        "link": f'<{iri}>; rel="canonical"',
        "content-location": f"{pages.links.href(iri)}.{RENDERERS[media_type].suffix}",
    }
    if media_type == HTML:
        view = build_view(iri, triples, pages.profile, pages.links)
        body = render_text(
            request,
            "resource.html",
            view=view,
            summary=await summarise(request, iri, pages.links),
            facts=facts,
            title=view.label,
            downloads=[(r.label, r.suffix) for r in RENDERERS.values() if r.media_type != HTML],
        ).encode()
    else:
        body = RENDERERS[media_type].render(triples, context_url=context_url)
    return conditional(request, body, media_type, get_state(request).modified(), headers=headers)


@router.get("/context.jsonld")
async def context(request: Request) -> Response:
    """The JSON-LD context the resources' JSON-LD refers to."""
    body = json.dumps({"@context": CONTEXT}, indent=2).encode()
    return conditional(
        request,
        body,
        "application/ld+json",
        get_state(request).modified(),
        headers={"access-control-allow-origin": "*"},
    )


def static_files() -> StaticFiles:
    """server/static: the stylesheet, the page scripts and the vendored libraries (served by us only)."""
    return StaticFiles(directory=STATIC, check_dir=False)
