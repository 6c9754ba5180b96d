"""The SPARQL 1.1 Protocol query operation against a real server: requests, datasets, formats, errors."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.server.conftest import COUNTS, DATA, G_ONTOLOGY, G_PROVENANCE, G_SOURCE, TOTAL

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ROLES = """PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?role ?label WHERE { ?role a cw:Role ; rdfs:label ?label } ORDER BY ?label"""
SOURCE_GRAPH = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G_SOURCE}> {{ ?s ?p ?o }} }}"
JSON = "application/sparql-results+json"


def count(response: httpx.Response) -> int:
    """The ?n of a one-row JSON result."""
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def expected_graph(graph: str) -> rdflib.Graph:
    """The triples of one named graph of the fixture, read by rdflib."""
    dataset = rdflib.Dataset()
    dataset.parse(DATA, format="trig")
    result = rdflib.Graph()
    for triple in dataset.graph(rdflib.URIRef(graph)):
        result.add(triple)
    return result


# --- the three ways to send a query ---------------------------------------------------------------


def test_get(client: httpx.Client) -> None:
    assert count(client.get("/sparql", params={"query": COUNT})) == TOTAL


def test_post_form(client: httpx.Client) -> None:
    assert count(client.post("/sparql", data={"query": COUNT})) == TOTAL


def test_post_direct(client: httpx.Client) -> None:
    r = client.post("/sparql", content=COUNT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert count(r) == TOTAL


def test_post_direct_with_charset_and_non_ascii(client: httpx.Client) -> None:
    query = 'SELECT ("Café – ü" AS ?n) {}'
    r = client.post(
        "/sparql",
        content=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "Café – ü"


def test_post_direct_in_another_charset_is_refused(client: httpx.Client) -> None:
    query = 'SELECT ("Café" AS ?n) {}'
    r = client.post(
        "/sparql",
        content=query.encode("latin-1"),
        headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"},
    )
    assert r.status_code == 415 and "UTF-8 only" in r.text
    ok = client.post(
        "/sparql",
        content=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    assert ok.json()["results"]["bindings"][0]["n"]["value"] == "Café"


def test_unknown_parameters_are_ignored(client: httpx.Client) -> None:
    r = client.get(
        "/sparql", params={"query": COUNT, "output": "xml", "results": "xml", "timeout": "0", "whatever": "1"}
    )
    assert r.headers["content-type"].startswith(JSON)
    assert count(r) == TOTAL


def test_long_get_with_many_prefixes(client: httpx.Client) -> None:
    prefixes = "".join(
        f"PREFIX p{i}: <http://example.org/some/rather/long/namespace/number/{i}#>\n" for i in range(25)
    )
    query = prefixes + "# " + "padding " * 60 + "\n" + COUNT
    url = "/sparql?query=" + quote(query)
    assert len(url) > 2000
    assert count(client.get(url)) == TOTAL


# --- the dataset -------------------------------------------------------------------------------------


def test_default_graph_is_the_union(client: httpx.Client) -> None:
    r = client.get(
        "/sparql", params={"query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"}
    )
    found = {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}
    assert found == COUNTS


def test_default_graph_uri(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": COUNT, "default-graph-uri": G_ONTOLOGY})
    assert count(r) == COUNTS[G_ONTOLOGY]


def test_default_graph_uri_repeated_merges(client: httpx.Client) -> None:
    r = client.get(
        "/sparql",
        params=[("query", COUNT), ("default-graph-uri", G_ONTOLOGY), ("default-graph-uri", G_PROVENANCE)],
    )
    assert count(r) == COUNTS[G_ONTOLOGY] + COUNTS[G_PROVENANCE]


def test_named_graph_uri(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    r = client.post("/sparql", data={"query": query, "named-graph-uri": [G_SOURCE, G_PROVENANCE]})
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {G_SOURCE, G_PROVENANCE}


def test_dataset_params_with_post_direct(client: httpx.Client) -> None:
    r = client.post(
        f"/sparql?default-graph-uri={quote(G_PROVENANCE)}",
        content=COUNT,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert count(r) == COUNTS[G_PROVENANCE]


def test_from_in_the_query_is_not_overridden_by_the_union(client: httpx.Client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{G_PROVENANCE}> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", params={"query": query})) == COUNTS[G_PROVENANCE]


def test_bad_graph_iri(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert "default-graph-uri" in r.text


# --- result formats, each parsed back ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_select_formats(client: httpx.Client, accept: str, fmt: ox.QueryResultsFormat) -> None:
    r = client.get("/sparql", params={"query": ROLES}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    assert int(r.headers["content-length"]) == len(r.content)
    assert r.headers["x-cwkg-rows"] == "5"
    parsed = ox.parse_query_results(r.content, fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    rows = [(s["role"].value, s["label"].value, s["label"].language) for s in parsed]
    assert rows[0] == ("https://w3id.org/cwkg/id/role/childminder", "Childminder", "en")
    assert len(rows) == 5


def test_select_csv(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": ROLES}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["label"] for row in rows] == [
        "Childminder",
        "Foster carer",
        "Play worker",
        "Social worker",
        "Youth worker",
    ]


def test_tricky_literal_survives_every_results_format(client: httpx.Client) -> None:
    query = "SELECT ?note { ?s <http://www.w3.org/2004/02/skos/core#note> ?note }"
    for accept, fmt in [
        (JSON, ox.QueryResultsFormat.JSON),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ]:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        [solution] = list(ox.parse_query_results(r.content, fmt))  # type: ignore[arg-type]
        assert solution["note"].value == 'Line one\nline two\twith a tab and "quotes"'


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ],
)
def test_ask(client: httpx.Client, accept: str, fmt: ox.QueryResultsFormat) -> None:
    for query, answer in [
        ("ASK { ?s a <https://w3id.org/cwkg/ontology#Role> }", True),
        ("ASK { ?s a <https://w3id.org/cwkg/ontology#Nothing> }", False),
    ]:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.headers["content-type"].split(";")[0] == accept
        assert bool(ox.parse_query_results(r.content, fmt)) is answer


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client: httpx.Client, accept: str, rdflib_format: str) -> None:
    r = client.get("/sparql", params={"query": SOURCE_GRAPH}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    assert r.headers["x-cwkg-rows"] == str(COUNTS[G_SOURCE])
    if rdflib_format in ("nquads", "trig"):
        got = rdflib.Dataset()
        got.parse(data=r.content, format=rdflib_format)
        graph = rdflib.Graph()
        for s, p, o, _ in got.quads():
            graph.add((s, p, o))
    else:
        graph = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert isomorphic(graph, expected_graph(G_SOURCE))


def test_turtle_uses_only_the_prefixes_it_needs(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": SOURCE_GRAPH}, headers={"Accept": "text/turtle"})
    assert "@prefix cw: <https://w3id.org/cwkg/ontology#>" in r.text
    assert "@prefix sh:" not in r.text


def test_describe(client: httpx.Client) -> None:
    r = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://w3id.org/cwkg/id/role/social-worker>"},
        headers={"Accept": "application/n-triples"},
    )
    graph = rdflib.Graph().parse(data=r.content, format="nt")
    assert (
        rdflib.URIRef("https://w3id.org/cwkg/id/role/social-worker"),
        rdflib.RDFS.label,
        rdflib.Literal("Social worker", lang="en"),
    ) in graph


@pytest.mark.parametrize(
    ("fmt", "query", "media_type"),
    [
        ("csv", ROLES, "text/csv"),
        ("tsv", ROLES, "text/tab-separated-values"),
        ("xml", ROLES, "application/sparql-results+xml"),
        ("json", ROLES, JSON),
        ("xml", SOURCE_GRAPH, "application/rdf+xml"),
        ("json", SOURCE_GRAPH, "application/ld+json"),
        ("ntriples", SOURCE_GRAPH, "application/n-triples"),
        ("application/trig", SOURCE_GRAPH, "application/trig"),
    ],
)
def test_format_parameter_overrides_accept(
    client: httpx.Client, fmt: str, query: str, media_type: str
) -> None:
    r = client.get("/sparql", params={"query": query, "format": fmt}, headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("query", [ROLES, None])
def test_unknown_format_parameter_is_refused_with_the_formats_there_are(
    client: httpx.Client, query: str | None
) -> None:
    """format=bogus is a 406 naming the formats (issue 24: it answered 200 JSON), with or without a query."""
    params = {"format": "bogus", **({"query": query} if query else {})}
    r = client.get("/sparql", params=params, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    assert "format='bogus'" in r.text and "json, xml, csv, tsv, turtle" in r.text


@pytest.mark.parametrize("path", ["/.well-known/void", "/api/queries"])
def test_unknown_format_parameter_is_refused_on_every_negotiated_route(
    client: httpx.Client, path: str
) -> None:
    r = client.get(path, params={"format": "bogus"})
    assert r.status_code == 406
    assert "format='bogus' names no format served here" in r.text
    assert client.get(path, params={"format": "json"}).status_code == 200


def test_q_values(client: httpx.Client) -> None:
    r = client.get(
        "/sparql",
        params={"query": ROLES},
        headers={"Accept": "text/csv;q=0.2, application/sparql-results+xml;q=0.9, */*;q=0.1"},
    )
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (ROLES, "image/png"),
        (ROLES, "text/turtle"),
        (SOURCE_GRAPH, "text/csv"),
        ("ASK {}", "application/ld+json"),
    ],
)
def test_not_acceptable(client: httpx.Client, query: str, accept: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406
    assert "accept" in r.text.lower()


# --- errors the Protocol names ------------------------------------------------------------------------


def test_syntax_error_gives_message_and_position(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "syntax error at line 3, column" in r.text


def test_two_query_parameters(client: httpx.Client) -> None:
    r = client.get("/sparql", params=[("query", COUNT), ("query", COUNT)])
    assert r.status_code == 400
    assert "exactly one" in r.text


def test_query_in_url_and_in_body(client: httpx.Client) -> None:
    r = client.post(
        "/sparql",
        params={"query": COUNT},
        content=COUNT,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400


def test_unsupported_content_type(client: httpx.Client) -> None:
    r = client.post("/sparql", content=COUNT, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text


def test_missing_content_type(client: httpx.Client) -> None:
    r = client.post("/sparql", content=COUNT)
    assert r.status_code == 400
    assert "Content-Type" in r.text


def test_body_not_utf8(client: httpx.Client) -> None:
    r = client.post(
        "/sparql",
        content=b'SELECT ("\xff\xfe" AS ?x) {}',
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400
    assert "utf-8" in r.text.lower()


def test_form_not_utf8(client: httpx.Client) -> None:
    r = client.post(
        "/sparql",
        content=b"query=SELECT%20%22%FF%22%20{}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400
    assert "UTF-8" in r.text


def test_query_string_not_utf8(client: httpx.Client) -> None:
    r = client.get("/sparql?query=SELECT%20%22%FF%22%20%7B%7D")
    assert r.status_code == 400


@pytest.mark.parametrize(
    "how", ["get-update-param", "form-update-param", "direct-update-type", "update-as-query"]
)
def test_update_sent_to_query_operation(client: httpx.Client, how: str) -> None:
    update = "INSERT DATA { <http://a.example/> <http://b.example/> 1 }"
    if how == "get-update-param":
        r = client.get("/sparql", params={"update": update})
    elif how == "form-update-param":
        r = client.post("/sparql", data={"update": update})
    elif how == "direct-update-type":
        r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    else:
        r = client.get("/sparql", params={"query": update})
    assert r.status_code == 400
    assert "update" in r.text.lower()
    assert count(client.get("/sparql", params={"query": COUNT})) == TOTAL


def test_post_without_query(client: httpx.Client) -> None:
    r = client.post("/sparql", data={"format": "json"})
    assert r.status_code == 400


def test_a_protocol_dataset_has_only_the_graphs_it_names(client: httpx.Client) -> None:
    """default-graph-uri alone: the dataset has no named graphs (SPARQL 1.1 Protocol, 2.1.4)."""
    ask = "ASK { GRAPH ?g { ?s ?p ?o } }"
    alone = client.get(
        "/sparql",
        params={"query": ask, "default-graph-uri": "urn:nothing"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert alone.json()["boolean"] is False
    named = client.get(
        "/sparql",
        params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": G_SOURCE},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert named.json()["boolean"] is False
