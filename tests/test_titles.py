"""Statements and observations are titled by what they say, never by their hex ids."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from cwkg.store import OxigraphStore
from cwkg.titles import titles
from tests.conftest import select

STATEMENTS_AND_OBSERVATIONS = """
SELECT ?s ?label WHERE {
  { ?s a/rdfs:subClassOf* cw:Statement } UNION { ?s a qb:Observation }
  OPTIONAL { ?s rdfs:label ?label }
}
"""


def test_every_statement_and_observation_has_a_title(store: OxigraphStore) -> None:
    rows = select(store, STATEMENTS_AND_OBSERVATIONS)
    assert len(rows) > 700
    untitled = [r["s"] for r in rows if not r["label"]]
    assert not untitled, f"{len(untitled)} without a title, e.g. {untitled[:3]}"
    assert not [r for r in rows if r["label"] and r["s"].rsplit("/", 1)[-1] in r["label"]]


def test_a_regulation_reads_as_a_sentence_with_its_date(store: OxigraphStore) -> None:
    # 000: "In December 2019, Social Work England replaced the Health and Care Professions Council"
    rows = select(
        store,
        """SELECT ?label WHERE { ?s a cw:Regulation ; cw:regulator id:org\\/social-work-england ;
           cw:regulatedRole id:role\\/social-worker ; rdfs:label ?label }""",
    )
    assert [r["label"] for r in rows] == ["Social Work England regulates social worker, since December 2019"]


def test_a_figure_reads_with_its_area_period_value_and_unit(store: OxigraphStore) -> None:
    # 000: local authorities "had a 16.4 per cent vacancy rate in September 2019"
    rows = select(
        store,
        """SELECT ?label WHERE { ?o cw:statistic id:statistic\\/la-children-social-worker-vacancy-rate ;
           cw:obsValue 16.4 ; rdfs:label ?label }""",
    )
    labels = {r["label"] for r in rows}
    assert (
        "local authority child and family social worker vacancy rate, England, September 2019: 16.4 per cent"
        in labels
    )


def quad(s: str, p: str, o: Any) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.DefaultGraph())


def test_a_node_that_already_has_a_label_keeps_it() -> None:
    cw, rdfs = "https://w3id.org/cwkg/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    s = "https://w3id.org/cwkg/id/statement/abc"
    quads = [
        quad(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(cw + "Claim")),
        quad(s, rdfs + "label", ox.Literal("named by hand", language="en")),
    ]
    assert titles(quads) == []


def test_a_data_structure_and_its_components_are_named_after_their_data_set(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT ?label ?component WHERE { ?d qb:structure ?s . ?s rdfs:label ?label ;
           qb:component/rdfs:label ?component . FILTER(?d = id:dataset\\/dcsf-2008-vacancy-rates) }""",
    )
    assert rows and all(r["label"].startswith("structure of ") for r in rows)
    assert any(r["component"].startswith("reference area in the structure of") for r in rows)
