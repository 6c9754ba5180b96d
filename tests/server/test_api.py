"""The canned queries over HTTP: catalogue, typed operations in OpenAPI, formats and errors,
against a real uvicorn server over the real project's graph."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from tests.server.conftest import LiveServer

SOCIAL_WORKER = "https://w3id.org/cwkg/id/role/social-worker"


@pytest.fixture
def api(project_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server.url, timeout=30) as c:
        yield c


def test_catalogue_lists_every_query_with_typed_parameters(api: httpx.Client) -> None:
    body = api.get("/api/queries").json()
    names = {q["name"] for q in body["queries"]}
    assert {"role-requirements", "regulator-history", "bursaries", "search"} <= names
    search = next(q for q in body["queries"] if q["name"] == "search")
    assert search["parameters"] == [{"name": "text", "type": "string", "required": True, "example": "ASYE"}]


def test_regulator_history_of_social_workers_as_json_rows(api: httpx.Client) -> None:
    body = api.get("/api/queries/regulator-history", params={"role": "role/social-worker"}).json()
    assert "_role_iri" not in body["variables"]
    history = {(r["regulatorLabel"], r["from"], r["to"], r["current"]) for r in body["rows"]}
    # read in document 001 and 000: HCPC until December 2019, Social Work England from then on
    assert ("Health and Care Professions Council", None, "2019-12", False) in history
    assert ("Social Work England", "2019-12", None, True) in history


def test_full_iri_parameters_work_too(api: httpx.Client) -> None:
    short = api.get("/api/queries/regulator-history", params={"role": "role/social-worker"}).json()["rows"]
    full = api.get("/api/queries/regulator-history", params={"role": SOCIAL_WORKER}).json()["rows"]
    assert short == full


def test_bursaries_of_2019_20_with_london_rates(api: httpx.Client) -> None:
    rows = api.get("/api/queries/bursaries", params={"year": 2019}).json()["rows"]
    amounts = {(r["amount"], r["londonAmount"], r["places"]) for r in rows}
    assert (3362.5, 3762.5, 1500) in amounts and (4862.5, 5262.5, 2500) in amounts
    assert all(r["period"] == "academic year 2019/20" for r in rows)


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("text/csv", lambda b: list(csv.DictReader(io.StringIO(b.decode())))),
        ("text/tab-separated-values", lambda b: b.decode().splitlines()[1:]),
        (
            "application/sparql-results+json",
            lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.JSON)),
        ),
        (
            "application/sparql-results+xml",
            lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.XML)),
        ),
    ],
)
def test_other_formats_by_accept(api: httpx.Client, accept: str, parse) -> None:  # type: ignore[no-untyped-def]
    response = api.get("/api/queries/search", params={"text": "ASYE"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert len(parse(response.content)) >= 1


def test_sparql_in_a_parameter_is_a_plain_value(api: httpx.Client) -> None:
    rows = api.get(
        "/api/queries/search", params={"text": '") || true) } UNION { ?resource ?p ?matched } #'}
    ).json()["rows"]
    assert rows == []


def test_missing_parameter_is_400_listing_what_is_expected(api: httpx.Client) -> None:
    response = api.get("/api/queries/regulator-history")
    assert response.status_code == 400
    assert "missing required parameter(s) role" in response.text
    assert "role (iri, required, e.g. role/social-worker)" in response.text


def test_ill_typed_parameter_is_400(api: httpx.Client) -> None:
    response = api.get("/api/queries/bursaries", params={"year": "twenty"})
    assert response.status_code == 400
    assert "year" in response.text and "integer" in response.text


def test_unknown_query_is_404_listing_the_names(api: httpx.Client) -> None:
    response = api.get("/api/queries/no-such-question")
    assert response.status_code == 404
    assert (
        "no canned query named 'no-such-question'" in response.text and "role-requirements" in response.text
    )


def test_sparql_text_is_downloadable(api: httpx.Client) -> None:
    response = api.get("/api/queries/search.rq")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-query")
    assert response.text == (Path(__file__).parents[2] / "queries" / "canned" / "search.rq").read_text()


def test_openapi_documents_each_query_with_typed_parameters(project_server: LiveServer) -> None:
    spec = httpx.get(project_server.url + "/openapi.json").json()
    op = spec["paths"]["/api/queries/bursaries"]["get"]
    assert op["summary"] == "Bursaries and their amounts by programme and year"
    (year,) = [p for p in op["parameters"] if p["name"] == "year"]
    assert year["required"] is False and "integer" in str(year["schema"])
    (role,) = spec["paths"]["/api/queries/role-requirements"]["get"]["parameters"]
    assert role["required"] is True and role["schema"]["type"] == "string"


def test_a_parameter_given_twice_is_refused(api: httpx.Client) -> None:
    """As on the command line: two values for one parameter are a 400, never a silent choice (issue 24)."""
    r = api.get("/api/queries/search", params=[("text", "ASYE"), ("text", "social")])
    assert r.status_code == 400
    assert "parameter 'text' is given twice ('ASYE' and 'social'); give it once" in r.text
