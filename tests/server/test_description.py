"""The Service Description at /sparql (no query) and the VoID description at /.well-known/void."""

from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, VOID

from tests.server.conftest import COUNTS, TOTAL, LiveServer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_service_description_is_turtle_by_default(client: httpx.Client, live: LiveServer) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert g.value(service, SD.endpoint) == rdflib.URIRef(live.url + "/sparql")
    assert SD.SPARQL11Query in set(g.objects(service, SD.supportedLanguage))
    assert SD.SPARQL11Update not in set(g.objects(service, SD.supportedLanguage))
    formats = {str(f) for f in g.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    assert len(formats) == 10
    dataset = g.value(service, SD.defaultDataset)
    named = {
        str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), VOID.triples))  # type: ignore[arg-type]
        for n in g.objects(dataset, SD.namedGraph)
    }
    assert named == COUNTS
    assert int(g.value(g.value(dataset, SD.defaultGraph), VOID.triples)) == TOTAL  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("application/n-triples", "nt")],
)
def test_service_description_formats(client: httpx.Client, accept: str, rdflib_format: str) -> None:
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.headers["content-type"].split(";")[0] == accept
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert (None, RDF.type, SD.Service) in g


def test_service_description_for_a_browser_is_a_page(client: httpx.Client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html")
    assert "<form" in r.text and "fixture-survey" in r.text


def test_service_description_not_acceptable(client: httpx.Client) -> None:
    assert client.get("/sparql", headers={"Accept": "image/png"}).status_code == 406


def test_void(client: httpx.Client, live: LiveServer) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    dataset = g.value(predicate=RDF.type, object=VOID.Dataset, any=True)
    datasets = [d for d in g.subjects(RDF.type, VOID.Dataset) if (d, VOID.sparqlEndpoint, None) in g]
    assert len(datasets) == 1 and dataset is not None
    root = datasets[0]
    assert g.value(root, VOID.sparqlEndpoint) == rdflib.URIRef(live.url + "/sparql")
    assert int(g.value(root, VOID.triples)) == TOTAL  # type: ignore[arg-type]
    subsets = {str(s): int(g.value(s, VOID.triples)) for s in g.objects(root, VOID.subset)}  # type: ignore[arg-type]
    assert subsets == COUNTS


def test_void_as_json_ld(client: httpx.Client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    g = rdflib.Graph().parse(data=r.content, format="json-ld")
    assert len(list(g.subjects(VOID.sparqlEndpoint, None))) == 1
