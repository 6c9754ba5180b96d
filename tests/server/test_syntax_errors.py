"""SPARQL syntax errors name the line and column of the author's own text and say what was expected, in
words: through the real endpoint (query and update) and through the command line (issue 24)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cwkg.cli.console import EXIT_USAGE
from tests.server.conftest import LiveServer
from tests.test_cli_errors import cwkg

# (query, the position a person counts in it, what the message must say there)
CASES = [
    ("SELEC *", "line 1, column 1", "expected SELECT, CONSTRUCT, DESCRIBE or ASK"),
    ("ASK {?s ?p ?o", "line 1, column 14", "ends before the `{` at line 1, column 5 is closed"),
    (
        "PREFIX cw: <https://w3id.org/cwkg/ontology#>\nSELECT ?x WHERE {\n  ?x a cw:Role ;\n     cw:label ?l ?m .\n}",
        "line 4, column 18",
        "found `?m`",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o } LIMT 5",
        "line 1, column 29",
        "expected the end of the query, found `LIMT`",
    ),
    (
        "SELECT ?s WHERE { ?s a cw:Role }",
        "line 1, column 24",
        "undeclared prefix `cw:`; declare it with PREFIX cw: <https://w3id.org/cwkg/ontology#>",
    ),
    (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n# cw:Role in a comment\n"
        'SELECT ?s WHERE {\n  ?s skos:note "x:y" ;\n     ex:p ?o }',
        "line 5, column 6",
        "undeclared prefix `ex:`; declare it with PREFIX ex: <namespace IRI>, or use one of the prefixes "
        "declared: skos",
    ),
]


@pytest.mark.parametrize(("query", "where", "says"), CASES, ids=[c[1] + " " + c[2][:20] for c in CASES])
def test_endpoint_names_the_authors_line_and_column(
    client: httpx.Client, query: str, where: str, says: str
) -> None:
    for r in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert r.status_code == 400
        assert f"SPARQL query syntax error at {where}" in r.text, r.text
        assert says in r.text
        assert "'\\u{" not in r.text and "..=" not in r.text  # no dump of the parser's character ranges


def test_a_relative_iri_still_resolves_against_the_endpoint(client: httpx.Client, live: LiveServer) -> None:
    """The service's base IRI now goes beside the text, not before it: relative IRIs still resolve."""
    r = client.get(
        "/sparql",
        params={"query": "SELECT (<x> AS ?iri) {}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["iri"]["value"] == f"{live.url}/x"


def test_update_syntax_error_position(writable: LiveServer, auth: dict[str, str]) -> None:
    with httpx.Client(base_url=writable.url, timeout=15) as c:
        r = c.post(
            "/update",
            content="INSERT DATA {\n  <http://e/a> <http://e/p> ex:o }",
            headers={**auth, "Content-Type": "application/sparql-update"},
        )
    assert r.status_code == 400
    assert "SPARQL update syntax error at line 2, column 29: undeclared prefix `ex:`" in r.text


def test_command_line_names_the_line_and_column_of_the_query_file(tmp_path: Path, store_path: Path) -> None:
    """A canned query that does not parse, run by `cwkg query`: the .rq file's own line and column."""
    canned = tmp_path / "canned"
    canned.mkdir()
    header = "#+ summary: broken\n#+ description: a query with a mistake\n#+ tags: [test]\n"
    (canned / "later.rq").write_text(header + "SELECT ?s WHERE {\n  ?s ?p ?o ;\n     ?q }\n")
    (canned / "first.rq").write_text(header + "SELEC ?s WHERE { ?s ?p ?o }\n")
    (canned / "prefix.rq").write_text(header + "SELECT ?s WHERE { ?s a cw:Role }\n")
    expected = {
        "later": "line 6, column 6: found `?q`",
        "first": "line 4, column 1: expected SELECT, CONSTRUCT, DESCRIBE or ASK",
        "prefix": "line 4, column 24: undeclared prefix `cw:`",
    }
    for name, says in expected.items():
        result = cwkg("query", name, "--store", str(store_path), env={"CWKG_QUERIES_DIR": str(tmp_path)})
        assert result.returncode == EXIT_USAGE, result.stderr
        assert f"SPARQL query syntax error at {says}" in result.stderr
        assert "Traceback" not in result.stderr
