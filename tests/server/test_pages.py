"""The linked-data pages over HTTP: content negotiation, suffixes, 404, cache headers, the ontology,
browsing and search, the dumps and the VoID/DCAT description, against a real uvicorn server over the
real project's graph."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from collections.abc import Iterator

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from cwkg.server.pages.values import Links
from tests.server.conftest import LiveServer

SOCIAL_WORKER = "https://w3id.org/cwkg/id/role/social-worker"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SUFFIXES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "html": "text/html",
}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
CW = rdflib.Namespace("https://w3id.org/cwkg/ontology#")


@pytest.fixture
def site(project_server: LiveServer) -> LiveServer:
    """The shared server over the real project's graph."""
    return project_server


@pytest.fixture
def web(site: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


def count_roles(web: httpx.Client) -> int:
    """The number of roles, asked of the SPARQL endpoint."""
    query = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/cwkg/ontology#Role> }"
    body = web.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()
    return int(body["results"]["bindings"][0]["n"]["value"])


def parse(response: httpx.Response, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=fmt, publicID=SOCIAL_WORKER)


# --- resources: content negotiation, suffixes, 404, cache headers ---------------------------------


@pytest.mark.parametrize("accept", list(RDF_TYPES))
def test_every_rdf_type_by_accept_parses_and_describes_the_resource(web: httpx.Client, accept: str) -> None:
    response = web.get("/id/role/social-worker", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    graph = parse(response, RDF_TYPES[accept])
    me = rdflib.URIRef(SOCIAL_WORKER)
    assert (me, rdflib.RDF.type, CW.Role) in graph
    assert (
        me,
        rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
        rdflib.Literal("social worker", lang="en"),
    ) in graph
    # statements pointing to it come along, with their evidence
    assert any(graph.triples((None, CW.regulatedRole, me)))
    assert any(graph.triples((None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"), None)))


def test_browsers_get_html_and_q_values_choose(web: httpx.Client) -> None:
    assert (
        web.get("/id/role/social-worker", headers={"Accept": BROWSER})
        .headers["content-type"]
        .startswith("text/html")
    )
    chosen = web.get(
        "/id/role/social-worker", headers={"Accept": "text/turtle;q=0.5, application/ld+json;q=0.9"}
    )
    assert chosen.headers["content-type"].startswith("application/ld+json")
    chosen = web.get("/id/role/social-worker", headers={"Accept": "text/html;q=0.2, application/n-triples"})
    assert chosen.headers["content-type"].startswith("application/n-triples")
    assert web.get("/id/role/social-worker", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("suffix", list(SUFFIXES))
def test_a_suffix_overrides_accept(web: httpx.Client, suffix: str) -> None:
    response = web.get(f"/id/role/social-worker.{suffix}", headers={"Accept": "application/rdf+xml;q=0.1"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(SUFFIXES[suffix])


def test_json_ld_uses_the_published_context_and_parses(web: httpx.Client, site: LiveServer) -> None:
    response = web.get("/id/role/social-worker.jsonld")
    data = response.json()
    assert data["@context"] == f"{site.url}/context.jsonld"
    context = web.get("/context.jsonld").json()["@context"]
    assert context["cw"] == str(CW) and context["skos"] == "http://www.w3.org/2004/02/skos/core#"
    from_jsonld = rdflib.Graph().parse(
        data=response.text, format="json-ld"
    )  # fetches the context from the server
    from_turtle = parse(web.get("/id/role/social-worker.ttl"), "turtle")
    assert len(from_jsonld) == len(from_turtle) > 50
    assert isomorphic(from_jsonld, from_turtle)


def test_unknown_iri_is_404_with_close_matches(web: httpx.Client) -> None:
    page = web.get("/id/role/social-workr", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'href="/id/role/social-worker"' in page.text
    text = web.get("/id/role/social-workr", headers={"Accept": "text/turtle"})
    assert text.status_code == 404 and "/id/role/social-worker" in text.text
    assert web.get("/id/nothing/at-all.ttl").status_code == 404


def test_a_corrected_figure_keeps_its_old_iri_answering(web: httpx.Client) -> None:
    """000 gives the share of hospice nursing posts vacant three months or more (67 per cent) without an
    area; it was first filed under the United Kingdom, a cell with another IRI, which now redirects."""
    page = web.get("/id/observation/1a61018c83a7", headers={"Accept": BROWSER})
    assert page.status_code == 301 and page.headers["location"] == "/id/observation/8124a600c149"
    now = web.get("/id/observation/8124a600c149.nt").text
    assert "<https://w3id.org/cwkg/id/area/not-stated>" in now and "67" in now


def test_a_merged_iri_redirects_to_the_thing_it_was_merged_into(web: httpx.Client) -> None:
    """The Level 2 and Level 3 youth work practice qualifications were merged (issue 17): the old IRIs
    answer with a permanent redirect, keeping the suffix, and the graph says owl:sameAs."""
    merged = "/id/qualification/level-2-3-youth-work-practice"
    for old in ("level-2-youth-work-practice", "level-3-youth-work-practice"):
        page = web.get(f"/id/qualification/{old}", headers={"Accept": BROWSER})
        assert page.status_code == 301 and page.headers["location"] == merged
        turtle = web.get(f"/id/qualification/{old}.ttl")
        assert turtle.status_code == 301 and turtle.headers["location"] == merged + ".ttl"
    followed = web.get("/id/qualification/level-3-youth-work-practice.ttl", follow_redirects=True)
    assert followed.status_code == 200
    graph = parse(followed, "turtle")
    old_iri = rdflib.URIRef("https://w3id.org/cwkg/id/qualification/level-3-youth-work-practice")
    assert (old_iri, rdflib.OWL.sameAs, rdflib.URIRef("https://w3id.org/cwkg/id" + merged[3:])) in graph
    assert web.get("/id/role/social-worker", headers={"Accept": BROWSER}).status_code == 200


def test_etag_and_last_modified_make_conditional_requests_work(web: httpx.Client) -> None:
    first = web.get("/id/role/social-worker.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and re.match(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", modified)
    again = web.get("/id/role/social-worker.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert web.get("/id/role/social-worker.ttl", headers={"If-Modified-Since": modified}).status_code == 304
    assert web.get("/id/role/social-worker.ttl", headers={"If-None-Match": '"other"'}).status_code == 200
    assert web.get("/id/role/social-worker.jsonld").headers["etag"] != etag  # one tag per representation
    html = web.get("/id/role/social-worker", headers={"Accept": BROWSER})
    assert html.headers["etag"] != etag and "Accept" in html.headers["vary"]


def test_links_map_graph_iris_to_this_server_or_the_configured_base() -> None:
    assert Links("").href(SOCIAL_WORKER) == "/id/role/social-worker"
    assert (
        Links("https://cwkg.example.org/").href(SOCIAL_WORKER)
        == "https://cwkg.example.org/id/role/social-worker"
    )
    assert Links("").href("https://w3id.org/cwkg/ontology#Role") == "/ontology#Role"
    assert Links("").href("https://schema.org/Occupation") == "https://schema.org/Occupation"


# --- the HTML page of a resource ------------------------------------------------------------------


def test_resource_page_shows_statements_sources_history_and_links(web: httpx.Client) -> None:
    page = web.get("/id/role/social-worker", headers={"Accept": BROWSER}).text
    assert "<h1>social worker</h1>" in page
    assert "A registered professional who supports children" in page  # definition
    assert 'href="/ontology#Role"' in page  # its type, linked to the ontology
    # the regulation statements with their history: HCPC ended in December 2019, Social Work England current
    assert 'href="/id/org/hcpc"' in page and 'href="/id/org/social-work-england"' in page
    assert "ended December 2019" in page and ">current<" in page
    # each with its source and the quoted passage
    assert "<blockquote>“the statutory regulator for social workers in England”</blockquote>" in page
    assert 'href="/id/source/cypnow-qtg-2020"' in page
    # incoming links, downloads, the career diagram
    assert (
        "programmes and standards for it" in page
        and "target role of" not in page
        and 'href="/id/role/social-worker.ttl"' in page
    )
    assert '<svg class="career"' in page and 'href="/id/programme/frontline"' in page
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded is not None
    data = json.loads(embedded.group(1))
    assert (
        data["@context"] == "https://schema.org"
        and data["@type"] == "Occupation"
        and data["name"] == "social worker"
    )


def test_every_link_on_a_resource_page_answers(web: httpx.Client) -> None:
    page = web.get("/id/programme/asye", headers={"Accept": BROWSER}).text
    hrefs = sorted(set(re.findall(r'href="(/id/[^"#]+)"', page)))
    assert len(hrefs) > 5
    for href in hrefs[:: max(1, len(hrefs) // 12)]:  # a dozen of them, spread over the page
        assert web.get(href, headers={"Accept": "text/turtle"}).status_code == 200, href


def test_amounts_read_as_money_and_levels_by_name(web: httpx.Client) -> None:
    page = web.get("/id/programme/social-work-bursary", headers={"Accept": BROWSER}).text
    assert "£3,362.50" in page and "£4,862.50" in page  # the 2019/20 bursaries, and their London rates
    assert "£3,762.50" in page
    level = web.get(
        "/id/qualification/level-5-diploma-in-advanced-playwork", headers={"Accept": BROWSER}
    ).text
    assert re.search(r'href="/id/level/5"[^>]*>Level 5<', level, re.I)


def test_dataset_page_has_table_and_chart(web: httpx.Client) -> None:
    page = web.get("/id/dataset/dcsf-2008-regional-turnover-rates", headers={"Accept": BROWSER}).text
    assert '<table class="observations">' in page and "East Midlands" in page
    spec = json.loads(
        re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', page, re.S).group(1)
    )
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["field"] == "reference area"
    assert spec["encoding"]["color"]["field"] == "reference role" and len(spec["data"]["values"]) == 45
    vacancies = web.get("/id/dataset/dcsf-2008-vacancy-rates", headers={"Accept": BROWSER}).text
    spec = json.loads(
        re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', vacancies, re.S).group(1)
    )
    assert spec["mark"]["type"] == "line" and spec["encoding"]["x"]["title"] == "reference period"
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["x"]["field"] == "start"
    assert "/static/vendor/vega-lite/vega-lite.min.js" in page


# --- the ontology ---------------------------------------------------------------------------------


def test_ontology_html_has_an_anchor_per_term_and_turtle_by_negotiation(web: httpx.Client) -> None:
    page = web.get("/ontology", headers={"Accept": BROWSER})
    assert page.status_code == 200
    for anchor in ("Role", "Requirement", "regulatedRole", "obsValue", "schema_Occupation"):
        assert f'id="{anchor}"' in page.text, anchor
    assert 'href="#Organisation"' in page.text and "close match" in page.text.lower()
    turtle = web.get("/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (CW.Role, rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert web.get("/ontology.jsonld").headers["content-type"].startswith("application/ld+json")


# --- browse and search ------------------------------------------------------------------------------


def test_browse_lists_kinds_with_counts_and_pages_a_kind(web: httpx.Client) -> None:
    kinds = web.get("/browse").text
    for kind in ("role", "qualification", "programme", "org", "source"):
        assert f'href="/browse/{kind}"' in kinds
    roles = count_roles(web)
    first = web.get("/browse/role", params={"format": "json"}).json()
    assert first["total"] == roles and first["pages"] == -(-roles // 50) and len(first["items"]) == 50
    second = web.get("/browse/role", params={"format": "json", "page": 2}).json()
    assert not {i["iri"] for i in first["items"]} & {i["iri"] for i in second["items"]}
    backwards = web.get("/browse/role", params={"format": "json", "sort": "-label"}).json()["items"]
    labels = [i["label"].lower() for i in backwards]
    assert labels == sorted(labels, reverse=True)
    html = web.get("/browse/org", params={"class": str(CW.Regulator)}).text
    assert 'href="/id/org/social-work-england"' in html and "page 1 of" not in html
    assert web.get("/id/role/", follow_redirects=False).headers["location"] == "/browse/role"


def test_search_finds_asye_by_acronym(web: httpx.Client) -> None:
    found = web.get("/search", params={"q": "ASYE", "format": "json"}).json()["items"]
    assert found[0]["iri"] == "https://w3id.org/cwkg/id/programme/asye"
    page = web.get("/search", params={"q": "asye"}).text
    assert 'href="/id/programme/asye"' in page


def found(web: httpx.Client, q: str, **params: str) -> dict:
    """The search's JSON answer."""
    return web.get("/search", params={"q": q, "format": "json", **params}).json()


def test_search_forgives_plurals_and_misspellings(web: httpx.Client) -> None:
    # 001 and 002 name the social work bursary, Ofsted and social workers
    assert any("bursar" in i["label"].lower() for i in found(web, "bursaries")["items"])
    ofsted = found(web, "ofstead")
    assert ofsted["corrected"] == "ofsted"
    assert ofsted["items"][0]["iri"] == "https://w3id.org/cwkg/id/org/ofsted"
    worker = found(web, "socail wroker")
    assert worker["corrected"] == "social worker"
    assert worker["items"][0]["iri"] == "https://w3id.org/cwkg/id/role/social-worker"


def test_search_by_kind_lists_things_of_that_kind(web: httpx.Client) -> None:
    # 001: Social Work England took over from the HCPC as the regulator of social workers
    regulators = {i["iri"] for i in found(web, "regulator")["items"]}
    assert {
        "https://w3id.org/cwkg/id/org/social-work-england",
        "https://w3id.org/cwkg/id/org/hcpc",
    } <= regulators
    apprenticeships = found(web, "apprenticeship", kind="apprenticeship")["items"]
    assert apprenticeships and all(i["kind"] == "apprenticeship" for i in apprenticeships)


def test_search_suggests_on_no_result_and_helps_when_empty(web: httpx.Client) -> None:
    none = found(web, "social wrk engalnd qqqq")
    assert none["items"] == [] and "Social Work England" in none["suggestions"]
    page = web.get("/search").text
    assert 'href="/browse/role"' in page and "misspellings are forgiven" in page
    assert "Did you mean" in web.get("/search", params={"q": "social wrk engalnd qqqq"}).text


def test_search_without_a_built_index_reads_the_store(client: httpx.Client) -> None:
    # the fixture server has no dist/search.sqlite: its index is made from the data it serves
    items = client.get("/search", params={"q": "youth workers", "format": "json"}).json()["items"]
    assert items[0]["label"] == "Youth worker"


def summary_of(web: httpx.Client, path: str) -> str:
    """The text of a page's first section, the questions it answers before the full statements."""
    page = web.get(path, headers={"Accept": "text/html"}).text
    summary = re.search(r'<section class="summary".*?</section>', page, re.S)
    assert summary is not None, f"{path} has no summary"
    assert page.index('class="summary"') < page.index('class="statements"'), "the summary comes first"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0))))


def test_a_role_page_answers_who_regulates_it_first(web: httpx.Client) -> None:
    # 000: "In December 2019, Social Work England replaced the Health and Care Professions Council"
    text = summary_of(web, "/id/role/social-worker")
    for question in (
        "What it requires",
        "Who regulates and represents it",
        "How to get in",
        "Latest figures",
    ):
        assert question in text
    assert "Social Work England : regulator, England, since December 2019" in text
    assert "Health and Care Professions Council : regulator, England, until December 2019 ended" in text
    assert "Frontline programme" in text


def test_organisation_and_qualification_pages_answer_their_questions_first(web: httpx.Client) -> None:
    assert "social worker : regulates, since December 2019" in summary_of(web, "/id/org/social-work-england")
    assert "Which roles need it" in summary_of(web, "/id/qualification/social-work-degree")
    assert "Who funds it, how much" in summary_of(web, "/id/programme/step-up-to-social-work")


def test_statement_pages_are_titled_by_what_they_say(web: httpx.Client) -> None:
    rows = web.get(
        "/sparql",
        params={
            "query": "PREFIX cw: <https://w3id.org/cwkg/ontology#> SELECT ?s WHERE { ?s a cw:Regulation ; "
            "cw:regulator <https://w3id.org/cwkg/id/org/social-work-england> }"
        },
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    page = web.get(Links("").href(rows[0]["s"]["value"]), headers={"Accept": "text/html"}).text
    title = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert title is not None
    assert html.unescape(title.group(1)) == "Social Work England regulates social worker, since December 2019"


def test_a_source_page_is_small_and_lists_what_the_document_states_in_pages(web: httpx.Client) -> None:
    first = web.get("/id/source/cypnow-qtg-2020", headers={"Accept": "text/html"})
    assert first.status_code == 200 and len(first.content) < 200_000
    assert "What this document states" in first.text and 'rel="next"' in first.text
    second = web.get("/id/source/cypnow-qtg-2020", params={"page": 2}, headers={"Accept": "text/html"}).text
    listed = set(re.findall(r'<li><a href="(/id/[^"]+)"', first.text))
    assert listed and listed.isdisjoint(re.findall(r'<li><a href="(/id/[^"]+)"', second))
    # the RDF description is still whole: every statement stated in the document
    turtle = web.get("/id/source/cypnow-qtg-2020.nt").text
    assert turtle.count("<https://w3id.org/cwkg/ontology#statedIn>") > 200


def test_quotes_read_as_the_document_does_once_its_breaks_are_mended(web: httpx.Client) -> None:
    # 000 prints "Family Practitioner is a Level 4 qualifi cation" with a broken ligature
    page = web.get(
        "/id/apprenticeship/children-young-people-family-practitioner", headers={"Accept": "text/html"}
    )
    assert "Level 4 qualification" in page.text and "qualifi cation" not in page.text


# --- dumps and the dataset description ------------------------------------------------------------


def test_dumps_are_listed_and_their_checksums_match(web: httpx.Client) -> None:
    listed = web.get("/dumps/", headers={"Accept": "application/json"}).json()["dumps"]
    names = {d["name"] for d in listed}
    assert {"cwkg.ttl", "cwkg.trig", "cwkg.nt", "cwkg.ttl.gz", "cwkg.trig.gz", "cwkg.nt.gz"} <= names
    sums = dict(line.split("  ")[::-1] for line in web.get("/dumps/SHA256SUMS").text.splitlines())
    plain = {}
    for dump in listed:
        body = web.get(f"/dumps/{dump['name']}").content
        assert hashlib.sha256(body).hexdigest() == dump["sha256"] == sums[dump["name"]]
        assert len(body) == dump["bytes"]
        plain[dump["name"]] = body
    assert gzip.decompress(plain["cwkg.nt.gz"]) == plain["cwkg.nt"]
    assert "cwkg.ttl" in web.get("/dumps/", headers={"Accept": BROWSER}).text


def test_dumps_answer_range_and_conditional_requests(web: httpx.Client) -> None:
    full = web.get("/dumps/cwkg.nt")
    assert full.headers["content-type"].startswith("application/n-triples")
    assert full.headers["etag"] == f'"{hashlib.sha256(full.content).hexdigest()}"'
    part = web.get("/dumps/cwkg.nt", headers={"Range": "bytes=10-99"})
    assert part.status_code == 206 and part.content == full.content[10:100]
    assert web.get("/dumps/cwkg.nt", headers={"If-None-Match": full.headers["etag"]}).status_code == 304
    assert web.get("/dumps/cwkg.nt.gz").headers["content-type"] == "application/gzip"
    assert web.get("/dumps/nothing.ttl").status_code == 404


def test_void_and_dcat_describe_the_dataset(web: httpx.Client, site: LiveServer) -> None:
    response = web.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/cwkg/dataset")  # the same on any host
    assert (dataset, rdflib.RDF.type, DCAT.Dataset) in graph
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef(f"{site.url}/sparql")) in graph
    assert (
        dataset,
        rdflib.DCTERMS.license,
        rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in graph
    assert len(list(graph.objects(dataset, rdflib.DCTERMS.source))) == 5
    assert (dataset, VOID.exampleResource, rdflib.URIRef(SOCIAL_WORKER)) in graph
    roles = [p for p in graph.objects(dataset, VOID.classPartition) if (p, VOID["class"], CW.Role) in graph]
    assert [int(graph.value(p, VOID.entities)) for p in roles] == [count_roles(web)]
    assert int(graph.value(roles[0], VOID.triples)) > count_roles(web)
    provenance = rdflib.URIRef("https://w3id.org/cwkg/graph/provenance")
    assert (
        int(graph.value(provenance, VOID.entities)) > 1000
        and int(graph.value(provenance, VOID.triples)) > 10_000
    )
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 6
    listed = {
        d["name"]: d for d in web.get("/dumps/", headers={"Accept": "application/json"}).json()["dumps"]
    }
    for dist in distributions:
        name = str(dist).rsplit("/", 1)[1]
        assert int(graph.value(dist, DCAT.byteSize)) == listed[name]["bytes"]
        checksum = graph.value(dist, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == listed[name]["sha256"]
        assert graph.value(dist, DCAT.mediaType) is not None
    home = web.get("/", headers={"Accept": BROWSER})
    assert "/.well-known/void" in home.text and "describedby" in home.headers["link"]
    assert web.get("/", headers={"Accept": "text/turtle"}, follow_redirects=False).status_code == 303


# --- the query page -------------------------------------------------------------------------------


def test_sparql_in_a_browser_is_the_query_editor_and_programs_still_get_the_description(
    web: httpx.Client,
) -> None:
    page = web.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "/static/vendor/yasgui/yasgui.min.js" in page.text
    config = json.loads(re.search(r'id="sparql-config">(.*?)</script>', page.text, re.S).group(1))
    assert {"role-requirements", "search", "bursaries"} <= {e["name"] for e in config["examples"]}
    search = next(e for e in config["examples"] if e["name"] == "search")
    assert '"ASYE"' in search["query"]  # the documented example value is bound
    assert (
        web.get("/sparql", headers={"Accept": "text/turtle"})
        .headers["content-type"]
        .startswith("text/turtle")
    )
    assert web.get("/static/sparql.js").status_code == 200


@pytest.mark.parametrize("name", ["cwkg.server.pages.values", "cwkg.server.pages.render", "cwkg.namespaces"])
def test_the_examples_in_the_docstrings_run(name: str) -> None:
    """(profile's curie example moved with curie to cwkg.namespaces, the one copy.)"""
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0 and failures == 0
