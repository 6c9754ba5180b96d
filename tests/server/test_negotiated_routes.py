"""Every route a person may land on, asked by a browser and by programs: HTML for the one, the machine
types for the others, decided by q-values; HEAD wherever GET is. Against a real uvicorn server over
the real project's graph."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from cwkg.server.app import create_app
from tests.server.conftest import LiveServer

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
#: Read in documents 001 and 000: the HCPC regulated social workers until December 2019, Social Work England since.
REGULATORS = ("Health and Care Professions Council", "Social Work England")
#: (path, status of a GET without Accept): every GET route a person or program may land on.
PATHS = [
    ("/", 303),
    ("/browse", 200),
    ("/browse/role", 200),
    ("/search?q=social+worker", 200),
    ("/dumps/", 200),
    ("/dumps", 200),
    ("/dumps/SHA256SUMS", 200),
    ("/.well-known/void", 200),
    ("/api", 200),
    ("/api/queries", 200),
    ("/api/queries/regulator-history?role=role/social-worker", 200),
    ("/api/queries/search.rq", 200),
    ("/openapi.json", 200),
    ("/sparql", 200),
    ("/sparql?query=ASK+%7B%7D", 200),
    ("/id/role/social-worker", 200),
    ("/id/role/no-such-role", 404),
    ("/id/role/", 303),
    ("/ontology", 200),
    ("/context.jsonld", 200),
    ("/healthz", 200),
    ("/store?graph=https://w3id.org/cwkg/graph/ontology", 200),
    ("/static/cwkg.css", 200),
]


class _Text(HTMLParser):
    """The text and the <h1> of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._in_h1:
            self.h1.append(data)


def page(response: httpx.Response) -> _Text:
    """A page's text, checked to be the HTML of our templates."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "accept" in response.headers["vary"].lower()
    parsed = _Text()
    parsed.feed(response.text)
    return parsed


@pytest.fixture
def web(project_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server.url, timeout=30) as c:
        yield c


@pytest.mark.parametrize(("path", "status"), PATHS, ids=[p for p, _ in PATHS])
def test_head_is_answered_wherever_get_is(web: httpx.Client, path: str, status: int) -> None:
    got = web.get(path)
    head = web.head(path)
    assert got.status_code == status
    assert head.status_code == status
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    if "content-length" in got.headers and status == 200:
        assert head.headers["content-length"] == got.headers["content-length"]


def _routes(routes: list[Any]) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, those of included routers too (FastAPI keeps them per router)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                yield context.path, set(context.methods or ())
        else:
            yield str(getattr(route, "path", "")), set(getattr(route, "methods", None) or ())


def test_every_get_route_of_the_app_is_probed(project_server: LiveServer) -> None:
    app = create_app(project_server.settings)
    declared = {path for path, methods in _routes(app.routes) if "GET" in methods}
    probes = {  # a route with a parameter -> the path of PATHS that reaches it
        "/browse/{kind}": "/browse/role",
        "/id/{path:path}": "/id/role/social-worker",
        "/id/{kind}/": "/id/role/",
        "/ontology{suffix:path}": "/ontology",
        "/dumps/{name}": "/dumps/SHA256SUMS",
        "/api/queries/{name}.rq": "/api/queries/search.rq",
        "/api/queries/{name}": "/api/queries/regulator-history",
    }
    probed = {path.partition("?")[0] for path, _ in PATHS}
    # each canned query's route is the same handler as the one probed
    routes = {p for p in declared if not p.startswith("/api/queries/") or "{" in p}
    assert "/api/queries/regulator-history" in declared
    assert {p for p in routes if probes.get(p, p) not in probed} == set()


def test_the_void_description_is_a_page_for_a_browser(web: httpx.Client) -> None:
    text = page(web.get("/.well-known/void", headers={"Accept": BROWSER}))
    assert "".join(text.h1) == "The Children's Workforce Knowledge Graph"
    words = " ".join(text.parts)
    assert "Named graphs" in words and "https://w3id.org/cwkg/graph/ontology" in words
    assert "cwkg.ttl.gz" in words  # the dumps, as in DCAT


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_the_void_description_is_rdf_for_programs(web: httpx.Client, accept: str, fmt: str) -> None:
    response = web.get("/.well-known/void", headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.text, format=fmt)
    assert (None, rdflib.RDF.type, VOID.Dataset) in graph and (None, DCAT.distribution, None) in graph


def test_q_values_decide_not_substrings(web: httpx.Client) -> None:
    # the header names HTML, but prefers Turtle: the home page sends an RDF client to the description
    home = web.get("/", headers={"Accept": "text/html;q=0.1, text/turtle"}, follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/.well-known/void"
    # JSON named, HTML preferred: a page
    assert (
        web.get("/dumps/", headers={"Accept": "application/json;q=0.2, text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )
    assert web.get("/dumps/", headers={"Accept": "text/html;q=0.2, application/json"}).json()["dumps"]
    assert web.get("/browse", headers={"Accept": "image/png"}).status_code == 406


def test_the_catalogue_is_a_page_for_a_browser_and_json_for_programs(web: httpx.Client) -> None:
    text = page(web.get("/api/queries", headers={"Accept": BROWSER}))
    assert "".join(text.h1) == "Canned queries"
    words = " ".join(text.parts)
    names = {q["name"] for q in web.get("/api/queries").json()["queries"]}
    assert all(name in words for name in names)
    assert web.get("/api/queries", headers={"Accept": "application/json"}).json()["queries"]


def test_a_canned_query_is_a_page_with_its_answer(web: httpx.Client) -> None:
    response = web.get(
        "/api/queries/regulator-history", params={"role": "role/social-worker"}, headers={"Accept": BROWSER}
    )
    text = page(response)
    words = " ".join(text.parts)
    assert all(name in words for name in REGULATORS)
    assert 'value="role/social-worker"' in response.text  # the parameter, ready to change
    rows = web.get("/api/queries/regulator-history", params={"role": "role/social-worker"}).json()["rows"]
    assert {r["regulatorLabel"] for r in rows} >= set(REGULATORS)  # the same answer as JSON rows


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("text/csv", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        (BROWSER, "text/html"),
    ],
)
def test_a_canned_query_by_accept(web: httpx.Client, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = web.get(
        "/api/queries/regulator-history", params={"role": "role/social-worker"}, headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(expected)
    if expected == "text/csv":
        assert {r["regulatorLabel"] for r in csv.DictReader(io.StringIO(response.text))} >= set(REGULATORS)


def test_a_format_parameter_names_the_media_type_on_a_page_link(web: httpx.Client) -> None:
    response = web.get(
        "/api/queries/regulator-history",
        params={"role": "role/social-worker", "format": "text/tab-separated-values"},
        headers={"Accept": BROWSER},
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_the_openapi_document_has_a_page(web: httpx.Client) -> None:
    spec = web.get("/openapi.json").json()
    response = web.get("/api", headers={"Accept": BROWSER})
    text = page(response)
    words = " ".join(text.parts)
    for path, methods in spec["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in words
    assert "/static/vendor" not in response.text and "cdn" not in response.text.lower()  # nothing fetched
    (year,) = spec["paths"]["/api/queries/bursaries"]["get"]["parameters"]
    example = year["schema"]["examples"][0]
    assert f'href="/api/queries/bursaries?year={example}"' in response.text  # the documented example, to try
    redirect = web.get("/api", headers={"Accept": "application/json"}, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/openapi.json"


def test_json_ld_is_compacted_the_same_way_on_pages_and_from_sparql(web: httpx.Client) -> None:
    iri = "https://w3id.org/cwkg/id/role/social-worker"
    from_page = web.get("/id/role/social-worker.jsonld").json()
    from_sparql = web.get(
        "/sparql",
        params={"query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"},
        headers={"Accept": "application/ld+json"},
    ).json()
    context = web.get("/context.jsonld").json()["@context"]
    assert from_sparql["@context"] == context  # inline there, by URL on the page: the same context
    (node,) = [n for n in from_page["@graph"] if n["id"] == iri]  # the page holds the neighbourhood too
    assert from_sparql["id"] == iri
    assert "skos:prefLabel" in node and node["skos:prefLabel"] == from_sparql["skos:prefLabel"]
    assert node["rdf:type"] == from_sparql["rdf:type"]
    graph = rdflib.Graph().parse(data=json.dumps(from_sparql), format="json-ld")
    direct = web.get(
        "/sparql",
        params={"query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"},
        headers={"Accept": "application/n-triples"},
    )
    assert isomorphic(graph, rdflib.Graph().parse(data=direct.text, format="nt")) and len(graph) > 5
