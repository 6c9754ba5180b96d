"""The SPARQL 1.1 Service Description (GET /sparql without a query) and the VoID description.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/#well-known.
Triple counts come from the read workers and are cached until the data changes.
"""

from __future__ import annotations

import html
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from cwkg.namespaces import BASE, CW, ID, PREFIXES
from server.deps import ServerState, get_state
from server.errors import NotAcceptable
from server.formats import RDF_FORMATS, RESULT_FORMATS, used_prefixes
from server.jobs import StatsJob
from server.negotiation import HTML, negotiate, offered, with_charset

__all__ = ["describe_service", "router", "service_triples", "void_triples"]

router = APIRouter()

RDF = ox.NamedNode(PREFIXES["rdf"] + "type")
SD = PREFIXES["sd"]
VOID = PREFIXES["void"]
DCTERMS = PREFIXES["dcterms"]
TITLE = "The Children's Workforce Knowledge Graph"


def _n(iri: str) -> ox.NamedNode:
    """A named node."""
    return ox.NamedNode(iri)


def _count(n: int) -> ox.Literal:
    """An xsd:integer literal."""
    return ox.Literal(str(n), datatype=_n(PREFIXES["xsd"] + "integer"))


def base_url(request: Request, state: ServerState) -> str:
    """The public base URL: CWKG_BASE_URL, or the one the request came to."""
    return (state.settings.base_url or str(request.base_url)).rstrip("/")


async def stats(request: Request) -> dict[str, Any]:
    """Triples per named graph (cached until the data changes)."""
    state = get_state(request)
    generation = state.reads.generation
    if state.stats is None or state.stats[0] != generation:
        reply = await state.reads.run(StatsJob())
        await reply.close()
        state.stats = (generation, reply.output.info)
    return state.stats[1]


def service_triples(endpoint: str, counts: dict[str, Any], *, update: bool) -> list[ox.Triple]:
    """The sd:Service description of the endpoint and its default dataset."""
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    t = [
        ox.Triple(service, RDF, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF, _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), _count(counts["total"])),
    ]
    if update:
        t.append(ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    formats = [f.iri for f in RESULT_FORMATS.values()] + [
        "http://www.w3.org/ns/formats/JSON-LD" if f == ox.RdfFormat.JSON_LD else f.iri for f in RDF_FORMATS.values()
    ]
    t += [ox.Triple(service, _n(SD + "resultFormat"), _n(iri)) for iri in formats]
    for index, (graph, n) in enumerate(counts["graphs"].items()):
        named, described = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(graph)),
            ox.Triple(named, _n(SD + "graph"), described),
            ox.Triple(described, RDF, _n(SD + "Graph")),
            ox.Triple(described, _n(VOID + "triples"), _count(n)),
        ]
    return t


def void_triples(base: str, counts: dict[str, Any]) -> list[ox.Triple]:
    """The VoID description: the dataset, its SPARQL endpoint, and one subset per named graph."""
    dataset = _n(base + "/.well-known/void#dataset")
    t = [
        ox.Triple(dataset, RDF, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(DCTERMS + "title"), ox.Literal(TITLE, language="en")),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(base + "/sparql")),
        ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(ID)),
        ox.Triple(dataset, _n(VOID + "vocabulary"), _n(CW)),
        ox.Triple(dataset, _n(VOID + "rootResource"), _n(BASE)),
        ox.Triple(dataset, _n(VOID + "triples"), _count(counts["total"])),
    ]
    for graph, n in counts["graphs"].items():
        t += [
            ox.Triple(dataset, _n(VOID + "subset"), _n(graph)),
            ox.Triple(_n(graph), RDF, _n(VOID + "Dataset")),
            ox.Triple(_n(graph), _n(VOID + "triples"), _count(n)),
        ]
    return t


def _rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    """Triples serialised by pyoxigraph in a negotiated RDF format."""
    fmt = RDF_FORMATS[media_type]
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        prefixes = used_prefixes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return Response(body, media_type=with_charset(media_type), headers={"vary": "Accept"})


def _page(endpoint: str, counts: dict[str, Any]) -> HTMLResponse:
    """A small HTML page for browsers: a query form and the named graphs."""
    rows = "".join(f"<tr><td>{html.escape(g)}</td><td>{n}</td></tr>" for g, n in counts["graphs"].items())
    return HTMLResponse(
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(TITLE)}: SPARQL</title>"
        f"<h1>SPARQL endpoint</h1><p>{html.escape(endpoint)}</p>"
        f"<form method=get action=sparql><textarea name=query rows=8 cols=80>"
        f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10</textarea><br><button>Run</button></form>"
        f"<h2>Named graphs</h2><table><tr><th>graph</th><th>triples</th></tr>{rows}</table></html>",
        headers={"vary": "Accept"},
    )


async def describe_service(request: Request, fmt: str | None) -> Response:
    """The service description, as Turtle (default), another RDF format, or HTML for browsers."""
    state = get_state(request)
    accept = request.headers.get("accept")
    media_type = negotiate("description", accept, fmt)
    if media_type is None:
        raise NotAcceptable(f"the service description is served as {', '.join(offered('description'))}")
    endpoint = base_url(request, state) + "/sparql"
    counts = await stats(request)
    if media_type == HTML:
        return _page(endpoint, counts)
    update = state.settings.allow_update and bool(state.settings.update_token)
    return _rdf_response(service_triples(endpoint, counts, update=update), media_type)


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    """The VoID description of the dataset."""
    media_type = negotiate("graph", request.headers.get("accept"), request.query_params.get("format"))
    if media_type is None:
        raise NotAcceptable(f"the VoID description is served as {', '.join(offered('graph'))}")
    counts = await stats(request)
    return _rdf_response(void_triples(base_url(request, state=get_state(request)), counts), media_type)
