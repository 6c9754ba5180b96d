"""Real SPARQL clients against a real server, unchanged: SPARQLWrapper, rdflib's SPARQLStore, Jena's GET."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

from tests.server.conftest import COUNTS, G_SOURCE, TOTAL, LiveServer

pytestmark = [  # deprecations inside rdflib's and SPARQLWrapper's own code
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:SPARQLWrapper"),
]

ROLES = """PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?role ?label WHERE { ?role a cw:Role ; rdfs:label ?label } ORDER BY ?label"""
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G_SOURCE}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(live: LiveServer, method: str) -> None:
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setMethod(method)
    sparql.setQuery(ROLES)
    sparql.setReturnFormat(JSON)
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    assert [b["label"]["value"] for b in result["results"]["bindings"]][:2] == ["Childminder", "Foster carer"]


def test_sparqlwrapper_select_xml_csv_tsv(live: LiveServer) -> None:
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery(ROLES)
    sparql.setReturnFormat(XML)
    xml = sparql.queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 5  # type: ignore[union-attr]
    for fmt, sep in [(CSV, ","), (TSV, "\t")]:
        sparql.setReturnFormat(fmt)
        text = sparql.queryAndConvert()
        assert isinstance(text, bytes)
        assert text.decode().splitlines()[0].replace("?", "") == f"role{sep}label"


def test_sparqlwrapper_ask(live: LiveServer) -> None:
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery("ASK { ?s a <https://w3id.org/cwkg/ontology#Role> }")
    sparql.setReturnFormat(JSON)
    assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")  # SPARQLWrapper on JSON CONSTRUCT
@pytest.mark.parametrize("fmt", [TURTLE, XML, N3, JSON])
def test_sparqlwrapper_construct(live: LiveServer, fmt: str) -> None:
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery(CONSTRUCT)
    sparql.setReturnFormat(fmt)
    result = sparql.queryAndConvert()
    if isinstance(result, rdflib.Graph):
        graph = result
    elif fmt == JSON:
        graph = rdflib.Graph().parse(data=json.dumps(result), format="json-ld")
    else:
        graph = rdflib.Graph().parse(data=result, format="turtle")  # type: ignore[arg-type]
    assert len(graph) == COUNTS[G_SOURCE]


def test_sparqlwrapper_sees_errors(live: LiveServer) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match="syntax error"):
        sparql.query()


def test_rdflib_sparqlstore(live: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(live.url + "/sparql"))
    bound = list(graph.namespaces())
    assert len(bound) >= 25  # rdflib sends one PREFIX line for each: a long GET URL
    rows = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0][0]) == TOTAL  # type: ignore[index]
    labels = sorted(str(o) for o in graph.objects(None, rdflib.RDFS.label))
    assert "Social worker" in labels
    assert (
        rdflib.URIRef("https://w3id.org/cwkg/id/role/childminder"),
        rdflib.RDF.type,
        rdflib.URIRef("https://w3id.org/cwkg/ontology#Role"),
    ) in graph


def test_rdflib_sparqlstore_construct_and_ask(live: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(live.url + "/sparql"))
    assert graph.query("ASK { ?s a <https://w3id.org/cwkg/ontology#Role> }").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) == COUNTS[G_SOURCE]


def test_jena_style_get_with_content_length_and_h2c_upgrade(live: LiveServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.request(
        "GET",
        "/sparql?query=" + quote(ROLES),
        headers={
            "Accept": "application/sparql-results+json, application/sparql-results+xml;q=0.9, */*;q=0.1",
            "Content-Length": "0",
            "Connection": "Upgrade, HTTP2-Settings",
            "Upgrade": "h2c",
            "HTTP2-Settings": "AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA",
        },
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 5
