"""The SPARQL 1.1 Service Description (GET /sparql without a query) and the VoID description.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/#well-known.
Triple counts come from the read workers and are cached until the data changes.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import Response

from cwkg.namespaces import BASE, CW, DCAT, DCTERMS, ID, PREFIXES, SD, VOID
from cwkg.server.dumps import Dump, list_dumps
from cwkg.server.errors import NotAcceptable
from cwkg.server.formats import RDF_FORMATS, RESULT_FORMATS, write_rdf
from cwkg.server.negotiation import HTML, KINDS, choose, negotiate, offered, with_charset
from cwkg.server.pages.render import RENDERERS
from cwkg.server.pages.templating import render
from cwkg.server.state import ServerState, get_state

__all__ = ["dcat_triples", "describe_service", "router", "service_triples", "void_triples"]

router = APIRouter()

RDF = ox.NamedNode(PREFIXES["rdf"] + "type")
TITLE = "The Children's Workforce Knowledge Graph"
DESCRIPTION = (
    "Roles, qualifications, programmes, organisations and figures of the UK children's workforce, each "
    "fact citing the passage of the published document it was read from."
)


def _n(iri: str) -> ox.NamedNode:
    """A named node."""
    return ox.NamedNode(iri)


def _count(n: int) -> ox.Literal:
    """An xsd:integer literal."""
    return ox.Literal(str(n), datatype=_n(PREFIXES["xsd"] + "integer"))


def base_url(request: Request, state: ServerState) -> str:
    """The public base URL: CWKG_BASE_URL, or the one the request came to."""
    return (state.settings.base_url or str(request.base_url)).rstrip("/")


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
        "http://www.w3.org/ns/formats/JSON-LD" if f == ox.RdfFormat.JSON_LD else f.iri
        for f in RDF_FORMATS.values()
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


FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
#: Resources that show what the dataset holds (void:exampleResource).
EXAMPLES = (
    "role/social-worker",
    "programme/asye",
    "programme/step-up-to-social-work",
    "dataset/dcsf-2008-regional-turnover-rates",
)
CONTENTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (COUNT(*) AS ?t) WHERE { ?s a ?class ; ?p ?o } GROUP BY ?class
"""
GRAPH_ENTITIES = "SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def dcat_triples(
    base: str,
    classes: dict[str, tuple[int, int]],
    sources: list[str],
    dumps: list[Dump],
    graph_entities: dict[str, int] | None = None,
) -> list[ox.Triple]:
    """DCAT and more VoID about the dataset: licence, publisher, sources, entities per class (void:classPartition),
    example resources, the SPARQL endpoint as a data service, and one distribution per dump with its media
    type, byte size and SHA-256."""
    dataset = _n(base + "/.well-known/void#dataset")
    publisher = _n(base + "/.well-known/void#publisher")
    service = _n(base + "/.well-known/void#sparql")
    t = [
        ox.Triple(dataset, RDF, _n(DCAT + "Dataset")),
        ox.Triple(dataset, _n(DCTERMS + "license"), _n(LICENCE)),
        ox.Triple(dataset, _n(DCTERMS + "publisher"), publisher),
        ox.Triple(publisher, RDF, _n(FOAF + "Agent")),
        ox.Triple(publisher, _n(FOAF + "name"), ox.Literal("cwkg maintainers")),
        ox.Triple(
            dataset,
            _n(DCTERMS + "description"),
            ox.Literal(DESCRIPTION, language="en"),
        ),
        ox.Triple(dataset, _n(DCAT + "landingPage"), _n(base + "/")),
        ox.Triple(dataset, _n(VOID + "entities"), _count(sum(n for n, _ in classes.values()))),
        ox.Triple(dataset, _n(DCAT + "accessService"), service),
        ox.Triple(service, RDF, _n(DCAT + "DataService")),
        ox.Triple(service, _n(DCAT + "endpointURL"), _n(base + "/sparql")),
        ox.Triple(service, _n(DCAT + "servesDataset"), dataset),
    ]
    t += [ox.Triple(dataset, _n(VOID + "exampleResource"), _n(ID + e)) for e in EXAMPLES]
    t += [ox.Triple(dataset, _n(DCTERMS + "source"), _n(s)) for s in sources]
    t += [ox.Triple(dataset, _n(PREFIXES["prov"] + "wasDerivedFrom"), _n(s)) for s in sources]
    for index, (cls, (n, triples)) in enumerate(sorted(classes.items())):
        part = _n(f"{base}/.well-known/void#class{index}")
        t += [
            ox.Triple(dataset, _n(VOID + "classPartition"), part),
            ox.Triple(part, _n(VOID + "class"), _n(cls)),
            ox.Triple(part, _n(VOID + "entities"), _count(n)),
            ox.Triple(part, _n(VOID + "triples"), _count(triples)),
        ]
    for graph, n in sorted((graph_entities or {}).items()):
        t.append(ox.Triple(_n(graph), _n(VOID + "entities"), _count(n)))
    for dump in dumps:
        dist = _n(f"{base}/dumps/{dump.name}")
        checksum = _n(f"{base}/dumps/{dump.name}#sha256")
        t += [
            ox.Triple(dataset, _n(DCAT + "distribution"), dist),
            ox.Triple(dataset, _n(VOID + "dataDump"), dist),
            ox.Triple(dist, RDF, _n(DCAT + "Distribution")),
            ox.Triple(dist, _n(DCTERMS + "title"), ox.Literal(dump.description, language="en")),
            ox.Triple(dist, _n(DCAT + "downloadURL"), dist),
            ox.Triple(
                dist,
                _n(DCAT + "mediaType"),
                _n("https://www.iana.org/assignments/media-types/" + dump.media_type),
            ),
            ox.Triple(
                dist,
                _n(DCAT + "byteSize"),
                ox.Literal(str(dump.size), datatype=_n(PREFIXES["xsd"] + "nonNegativeInteger")),
            ),
            ox.Triple(dist, _n(DCTERMS + "license"), _n(LICENCE)),
            ox.Triple(dist, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, RDF, _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(
                checksum,
                _n(SPDX + "checksumValue"),
                ox.Literal(dump.sha256, datatype=_n(PREFIXES["xsd"] + "hexBinary")),
            ),
        ]
        if dump.encoding == "gzip":
            t.append(
                ox.Triple(
                    dist,
                    _n(DCAT + "compressFormat"),
                    _n("https://www.iana.org/assignments/media-types/application/gzip"),
                )
            )
    return t


async def contents(request: Request) -> tuple[dict[str, tuple[int, int]], list[str], dict[str, int]]:
    """Entities and triples per class, the source documents, and entities per named graph (read workers)."""
    from cwkg.server.pages.queries import select

    classes: dict[str, tuple[int, int]] = {}
    sources: list[str] = []
    for row in await select(request, CONTENTS):
        classes[row["class"].value] = (int(row["n"].value), int(row["t"].value))
    graphs = {row["g"].value: int(row["n"].value) for row in await select(request, GRAPH_ENTITIES)}
    for row in await select(
        request, "SELECT ?s WHERE { ?s a <https://w3id.org/cwkg/ontology#SourceDocument> }"
    ):
        sources.append(row["s"].value)
    return classes, sorted(sources), graphs


def _rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    """Triples in a negotiated RDF format."""
    return Response(
        write_rdf(triples, media_type), media_type=with_charset(media_type), headers={"vary": "Accept"}
    )


async def describe_service(request: Request, fmt: str | None) -> Response:
    """The service description in a negotiated RDF format, Turtle by default (a browser gets the query page)."""
    state = get_state(request)
    media_type = negotiate("graph", request.headers.get("accept"), fmt)
    if media_type is None:
        raise NotAcceptable(f"the service description is served as {', '.join(offered('graph'))}")
    endpoint = base_url(request, state) + "/sparql"
    counts = await state.counts()
    update = state.settings.allow_update and bool(state.settings.update_token)
    return _rdf_response(service_triples(endpoint, counts, update=update), media_type)


#: What the VoID description offers: every RDF format, and a page for people.
VOID_OFFER = KINDS["description"]


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    """The VoID and DCAT description of the dataset, as RDF or as a page."""
    media_type = choose(request, VOID_OFFER, "the VoID description")
    state = get_state(request)
    counts = await state.counts()
    base = base_url(request, state)
    classes, sources, graphs = await contents(request)
    dumps = list_dumps(state.settings.dist_dir)
    if media_type == HTML:
        return _void_page(request, base, counts, classes, sources, dumps, graphs)
    return _rdf_response(
        void_triples(base, counts) + dcat_triples(base, classes, sources, dumps, graphs), media_type
    )


def _void_page(
    request: Request,
    base: str,
    counts: dict[str, Any],
    classes: dict[str, tuple[int, int]],
    sources: list[str],
    dumps: list[Dump],
    graphs: dict[str, int],
) -> Response:
    """The description as a page: what the RDF says, with links."""
    pages = get_state(request).pages
    profile, links = pages.profile, pages.links
    return render(
        request,
        "void.html",
        title=TITLE,
        description=DESCRIPTION,
        endpoint=base + "/sparql",
        licence=LICENCE,
        uri_space=ID,
        total=counts["total"],
        entities=sum(n for n, _ in classes.values()),
        graphs=counts["graphs"],
        graph_entities=graphs,
        classes=[
            {"iri": c, "label": profile.label(c), "href": links.href(c), "entities": n, "triples": t}
            for c, (n, t) in sorted(classes.items(), key=lambda item: (-item[1][0], item[0]))
        ],
        sources=[{"text": s.rsplit("/", 1)[-1], "href": links.href(s)} for s in sources],
        examples=[{"text": e, "href": links.href(ID + e)} for e in EXAMPLES],
        dumps=dumps,
        formats=[(r.label, r.suffix, r.media_type) for r in RENDERERS.values() if r.media_type != HTML],
        headers={"vary": "Accept"},
    )
