"""The canned-query catalogue: headers, typed parameters bound as RDF terms, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cwkg.errors import DataError
from cwkg.queries import Catalogue, ParameterError, UnknownQuery, plain_rows
from cwkg.store import OxigraphStore
from tests.conftest import ROOT

CANNED = ROOT / "queries" / "canned"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(CANNED)


def test_catalogue_has_at_least_fifteen_documented_questions(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 15
    for q in catalogue:
        entry = q.describe()
        assert entry["title"] and entry["description"] and entry["tags"], q.name
        for p in entry["parameters"]:
            assert set(p) == {"name", "type", "required", "example"} and p["example"], q.name


def test_every_query_runs_with_its_examples(catalogue: Catalogue, store: OxigraphStore) -> None:
    empty = []
    for q in catalogue:
        result = q.run(store, {p.name: p.example for p in q.parameters if p.example})
        assert isinstance(result, ox.QuerySolutions)
        names, rows = plain_rows(result)
        assert not any(n.startswith("_") for n in names)
        if not rows:
            empty.append(q.name)
    # disagreeing-figures may honestly be empty; every other example must answer something
    assert set(empty) <= {"disagreeing-figures"}, empty


def test_sparql_in_a_literal_parameter_is_only_a_value(catalogue: Catalogue, store: OxigraphStore) -> None:
    search = catalogue.get("search")
    attack = '") || true) } UNION { ?resource ?p ?matched . FILTER(true'
    names, rows = plain_rows(search.run(store, {"text": attack}))
    assert rows == []
    _, asye = plain_rows(search.run(store, {"text": "ASYE"}))
    assert any(r["matched"] == "ASYE" for r in asye)


def test_sparql_in_an_iri_parameter_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ParameterError, match="parameter 'role' expects iri"):
        catalogue.get("role-requirements").bindings({"role": "role/x> } UNION { ?s ?p ?o"})


def test_missing_and_unknown_parameters_list_what_is_expected(catalogue: Catalogue) -> None:
    q = catalogue.get("role-requirements")
    with pytest.raises(ParameterError) as info:
        q.bindings({"rol": "role/social-worker"})
    message = str(info.value)
    assert "unknown parameter(s) rol" in message
    assert "missing required parameter(s) role" in message
    assert "role (iri, required, e.g. role/social-worker)" in message


def test_ill_typed_parameter(catalogue: Catalogue) -> None:
    with pytest.raises(ParameterError, match="parameter 'year' expects integer: 'twenty' is not valid"):
        catalogue.get("bursaries").bindings({"year": "twenty"})


def test_unknown_query_lists_the_names(catalogue: Catalogue) -> None:
    with pytest.raises(
        UnknownQuery, match="no canned query named 'nope'; there are: apprenticeship-standards"
    ):
        catalogue.get("nope")


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("#+ summary: x\n#+ tags: [a]\n", "needs `description`"),
        ("#+ summary: x\n#+ description: y\n#+ tags: [a]\n", r"give an example for parameter\(s\) role"),
        ("#+ summary: x\n#+ description: y\n#+ tags: [a]\n#+ colour: red\n", "unknown header keys"),
        ("#+ summary: [x\n", "not valid YAML"),
    ],
)
def test_a_bad_header_fails_loudly(tmp_path: Path, header: str, problem: str) -> None:
    (tmp_path / "bad.rq").write_text(header + "SELECT ?_role_iri ?x WHERE { ?x ?p ?_role_iri }\n")
    with pytest.raises(DataError, match=problem):
        Catalogue.load(tmp_path)


def test_an_optional_parameter_filters_and_its_absence_does_not(
    catalogue: Catalogue, store: OxigraphStore
) -> None:
    bursaries = catalogue.get("bursaries")
    _, all_years = plain_rows(bursaries.run(store, {}))
    _, only_2020 = plain_rows(bursaries.run(store, {"year": "2020"}))
    assert only_2020 and len(only_2020) < len(all_years)
    assert {r["period"] for r in only_2020} == {"academic year 2020/21"}
