"""Parameters bound on the token stream (cwkg.sparql_text): each case runs on a real store and its rows
are checked, so a binding in the wrong place (a comment, a literal, an IRI, outside a subquery) fails."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from cwkg.cli import app
from cwkg.errors import QuerySyntaxError
from cwkg.queries import Catalogue, plain_rows
from cwkg.sparql_text import bind_values
from cwkg.store import OxigraphStore

X = "http://example.org/test/"
DATA = f"""
<{X}a> <{X}p> <{X}b> . <{X}a> <{X}label> "A" .
<{X}c> <{X}p> <{X}d> . <{X}c> <{X}label> "C" .
<{X}e> <{X}p> <{X}b> .
"""
B = ox.NamedNode(X + "b")


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    held = OxigraphStore()
    held.extend(
        [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(X + "g"))
            for t in ox.parse(DATA, format=ox.RdfFormat.TURTLE)
        ]
    )
    return held


def subjects(store: OxigraphStore, sparql: str, **bindings: ox.NamedNode | ox.Literal) -> list[str]:
    """The ?s of every row, with the parameters bound."""
    result = store.query(sparql, union_default_graph=True, substitutions=bindings)
    assert isinstance(result, ox.QuerySolutions)
    return sorted(str(row["s"].value) for row in result if row["s"] is not None)


def test_where_in_a_comment_is_not_the_group(store: OxigraphStore) -> None:
    query = (
        f"#+ description: the subjects where {{ they point at a value }}\nSELECT ?s WHERE {{ ?s <{X}p> ?_v }}"
    )
    assert subjects(store, query, _v=B) == [X + "a", X + "e"]


def test_where_in_a_string_literal_is_not_the_group(store: OxigraphStore) -> None:
    query = f'SELECT ?s (" where {{ " AS ?note) WHERE {{ ?s <{X}p> ?_v }}'
    assert subjects(store, query, _v=B) == [X + "a", X + "e"]


def test_where_in_an_iri_is_not_the_keyword(store: OxigraphStore) -> None:
    # an IRI cannot hold "{", so the IRI's "where" comes before the group, as does a prefix named where
    query = f"PREFIX where: <{X}> SELECT ?s FROM <{X}where> FROM <{X}g> WHERE {{ ?s where:p ?_v }}"
    assert subjects(store, query, _v=B) == [X + "a", X + "e"]


def test_a_parameter_inside_a_subquery(store: OxigraphStore) -> None:
    query = f"""SELECT ?s ?label WHERE {{
      ?s <{X}label> ?label
      {{ SELECT ?s WHERE {{ ?s <{X}p> ?_v }} }}
    }}"""
    assert subjects(store, query, _v=B) == [X + "a"]  # e points at b but has no label


def test_a_parameter_inside_optional(store: OxigraphStore) -> None:
    query = f"SELECT ?s ?hit WHERE {{ ?s <{X}p> ?o OPTIONAL {{ ?s <{X}label> ?_label BIND(true AS ?hit) }} }}"
    result = store.query(query, union_default_graph=True, substitutions={"_label": ox.Literal("C")})
    assert isinstance(result, ox.QuerySolutions)
    hits = {str(row["s"].value): row["hit"] is not None for row in result if row["s"] is not None}
    assert hits == {X + "a": False, X + "c": True, X + "e": False}


def test_a_parameter_inside_a_filter(store: OxigraphStore) -> None:
    query = f"SELECT ?s WHERE {{ ?s <{X}p> ?o FILTER(?o != ?_v && BOUND(?_v)) }}"
    assert subjects(store, query, _v=B) == [X + "c"]


def test_construct_binds_in_its_where_not_its_template(store: OxigraphStore) -> None:
    query = f"CONSTRUCT {{ ?s <{X}q> ?_v }} WHERE {{ ?s <{X}p> ?_v }}"
    result = store.query(query, union_default_graph=True, substitutions={"_v": B})
    assert isinstance(result, ox.QueryTriples)
    assert {t.subject.value for t in result} == {X + "a", X + "e"}  # type: ignore[union-attr]


def test_the_construct_short_form_cannot_be_bound() -> None:
    with pytest.raises(QuerySyntaxError, match="short form"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?_v }", {"_v": B})


def test_a_query_without_a_group_is_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="WHERE"):
        bind_values("DESCRIBE ?_v", {"_v": B})


HEADED = f"""#+ summary: Subjects of a value
#+ description: >
#+   The subjects where {{ ?s p ?value }} holds.
#+ tags: [test]
#+ examples:
#+   value: {X}b
SELECT ?s WHERE {{ ?s <{X}p> ?_value_iri }}
"""


@pytest.fixture()
def headed(tmp_path: Path, store: OxigraphStore) -> Path:
    """A queries folder with one canned query whose header says "where {", and an on-disk store."""
    (tmp_path / "queries" / "canned").mkdir(parents=True)
    (tmp_path / "queries" / "canned" / "subjects.rq").write_text(HEADED, encoding="utf-8")
    disk = OxigraphStore(tmp_path / "store")
    disk.extend(list(store.quads()))
    disk.flush()
    disk.close()
    return tmp_path


def test_a_canned_query_whose_header_says_where(headed: Path, store: OxigraphStore) -> None:
    canned = Catalogue.load(headed / "queries" / "canned").get("subjects")
    _, rows = plain_rows(canned.run(store, {"value": X + "b"}))
    assert sorted(r["s"] for r in rows) == [X + "a", X + "e"]


def test_the_cli_binds_the_same_way(headed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CWKG_QUERIES_DIR", str(headed / "queries"))
    result = CliRunner().invoke(
        app, ["query", "subjects", "-p", f"value={X}b", "--format", "json", "--store", str(headed / "store")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(r["s"] for r in json.loads(result.stdout)["rows"]) == [X + "a", X + "e"]
