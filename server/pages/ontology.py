"""/ontology: the ontology documented in HTML (classes with their hierarchy, properties with domains and
ranges, alignments; each term under an anchor named by its local name, so that cw:Role, i.e.
https://w3id.org/cwkg/ontology#Role, lands on it), or its triples by content negotiation or suffix."""

from __future__ import annotations

from typing import TypeAlias

from fastapi import APIRouter, Request
from starlette.responses import Response

from cwkg.namespaces import CW, GRAPH_ONTOLOGY, ONTOLOGY_IRI
from cwkg.server.conditional import conditional
from cwkg.server.description import base_url
from cwkg.server.negotiation import HTML
from cwkg.server.pages.profile import Term, curie
from cwkg.server.pages.queries import construct, load_index
from cwkg.server.pages.render import RENDERERS
from cwkg.server.pages.routes import negotiated, split_suffix
from cwkg.server.pages.templating import render_text
from cwkg.server.state import get_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s ?p ?o }} }}"

Tree: TypeAlias = list[tuple[Term, "Tree"]]


def _tree(children: dict[str, list[Term]], roots: list[Term]) -> Tree:
    """The class hierarchy as nested (term, children) pairs."""
    return [(t, _tree(children, children.get(t.iri, []))) for t in roots]


@router.api_route("/ontology{suffix:path}", methods=["GET", "HEAD"])
async def ontology(request: Request, suffix: str) -> Response:
    """The ontology: HTML documentation, or Turtle, JSON-LD, N-Triples, RDF/XML."""
    stem, ext = split_suffix("ontology" + suffix)
    if stem != "ontology":
        return Response("not found\n", status_code=404, media_type="text/plain")
    media_type = negotiated(request, ext)
    pages = get_state(request).pages
    headers = {"link": f'<{ONTOLOGY_IRI}>; rel="canonical"'}
    if media_type != HTML:
        triples = await construct(request, ONTOLOGY)
        context_url = base_url(request, get_state(request)) + "/context.jsonld"
        return conditional(
            request,
            RENDERERS[media_type].render(triples, context_url=context_url),
            media_type,
            get_state(request).modified(),
            headers=headers,
        )
    profile = pages.profile
    index = await load_index(request)
    counts: dict[str, int] = {}
    for entry in index.entries.values():
        for t in entry.types:
            counts[t] = counts.get(t, 0) + 1
    local = [t for t in profile.terms.values() if t.local]
    classes = [t for t in local if t.is_class]
    children: dict[str, list[Term]] = {}
    for c in classes:
        for parent in c.parents:
            if parent.startswith(CW):
                children.setdefault(parent, []).append(c)
    roots = [c for c in classes if not any(p.startswith(CW) for p in c.parents)]
    properties = [t for t in local if not t.is_class]
    external = [t for t in profile.terms.values() if not t.local]
    by_domain: dict[str, list[Term]] = {}
    for p in properties:
        for d in p.domains:
            by_domain.setdefault(d, []).append(p)
    kinds = {cls: kind for kind, cls in profile.kinds().items()}
    meta = [(profile.label(p) if p in profile.terms else curie(p), o) for p, o in profile.ontology_meta]
    body = render_text(
        request,
        "ontology.html",
        title="Ontology",
        profile=profile,
        meta=meta,
        tree=_tree(children, roots),
        classes=classes,
        properties=properties,
        external=external,
        by_domain=by_domain,
        children=children,
        kinds=kinds,
        counts=counts,
        curie=curie,
        ontology_iri=ONTOLOGY_IRI,
    ).encode()
    return conditional(request, body, HTML, get_state(request).modified(), headers=headers)
