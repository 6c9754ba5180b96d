"""`cwkg query NAME --format sparql` prints text that runs as printed: every canned query, with its example
values bound, sent as printed to /sparql gives the rows the canned operation gives (issue 24)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from cwkg.cli import app
from cwkg.queries import Catalogue, plain_rows
from tests.conftest import ROOT
from tests.server.conftest import LiveServer

CATALOGUE = Catalogue.load(ROOT / "queries" / "canned")
runner = CliRunner()


@pytest.fixture(scope="module")
def api(project_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE], ids=str)
def test_printed_text_runs_as_printed(api: httpx.Client, name: str) -> None:
    canned = CATALOGUE.get(name)
    examples = {p.name: p.example for p in canned.parameters if p.example}
    args = [arg for k, v in examples.items() for arg in ("-p", f"{k}={v}")]
    printed = runner.invoke(app, ["query", name, "--format", "sparql", *args])
    assert printed.exit_code == 0, printed.output
    comments = [line for line in canned.path.read_text().splitlines() if line.startswith("#")]
    assert set(comments) <= set(printed.stdout.splitlines())  # the header as written, not re-wrapped
    r = api.post(
        "/sparql",
        content=printed.stdout.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    result = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    _, rows = plain_rows(result)
    expected = api.get(f"/api/queries/{name}", params=examples).json()["rows"]
    assert sorted(map(repr, rows)) == sorted(map(repr, expected))
    if name != "disagreeing-figures":  # may honestly be empty (tests/test_queries.py)
        assert rows


def test_the_text_without_values_is_the_file() -> None:
    printed = runner.invoke(app, ["query", "role-requirements", "--format", "sparql"])
    assert printed.exit_code == 0
    assert printed.stdout == (ROOT / "queries" / "canned" / "role-requirements.rq").read_text()
