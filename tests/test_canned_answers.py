"""Each canned query answers its question with what the documents say (values read by hand)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import pytest

from cwkg.queries import Catalogue, plain_rows
from cwkg.store import OxigraphStore
from tests.conftest import ROOT

ID = "https://w3id.org/cwkg/id/"


@pytest.fixture(scope="module")
def run(store: OxigraphStore):  # type: ignore[no-untyped-def]
    catalogue = Catalogue.load(ROOT / "queries" / "canned")

    def answer(name: str, **params: str) -> list[dict[str, Any]]:
        _, rows = plain_rows(catalogue.get(name).run(store, params))
        return rows

    answer.catalogue = catalogue  # type: ignore[attr-defined]
    return answer


def test_every_canned_query_has_an_answer_test(run) -> None:  # type: ignore[no-untyped-def]
    names = {q.name for q in run.catalogue}
    tested = {n.removeprefix("test_").replace("_", "-") for n in globals() if n.startswith("test_")}
    assert names <= tested, names - tested


def test_role_requirements(run, store: OxigraphStore) -> None:  # type: ignore[no-untyped-def]
    # 000: managers of children's homes must hold the Level 5 diploma, with up to three years to gain it
    rows = run("role-requirements", role="role/childrens-home-manager")
    assert ("requirement", "Level 5", "mandatory", "2015-01", "P3Y") in {
        (r["kind"], r["level"], r["obligation"], r["since"], r["within"]) for r in rows
    }
    # 001: Social Work England takes over from the HCPC as the regulator in December 2019; Frontline
    # brings graduates into social work; 000: the social work apprenticeship
    rows = run("role-requirements", role="role/social-worker")
    seen = {(r["roleLabel"], r["kind"], r["itemLabel"], r["since"], r["until"]) for r in rows}
    assert {
        ("social worker", "registered with", "Social Work England", "2019-12", None),
        ("social worker", "registered with", "Health and Care Professions Council", None, "2019-12"),
        ("social worker", "route in", "Frontline programme", None, None),
        ("social worker", "route in", "social work apprenticeship", None, None),
    } <= seen
    # what is stated of a narrower role is reached, and says which role it is about: 001, the degree
    # is a route into child and family social work
    skos = "http://www.w3.org/2004/02/skos/core#"
    general, specific = (
        ox.NamedNode(ID + "role/social-worker"),
        ox.NamedNode(ID + "role/children-and-family-social-worker"),
    )
    scratch = OxigraphStore()
    scratch.extend(
        [
            *store.quads(),
            ox.Quad(general, ox.NamedNode(skos + "narrower"), specific, ox.NamedNode("urn:test")),
        ]
    )
    _, rows = plain_rows(run.catalogue.get("role-requirements").run(scratch, {"role": "role/social-worker"}))
    narrower = {(r["role"], r["roleLabel"], r["kind"], r["item"]) for r in rows if r["role"] != general.value}
    assert (
        specific.value,
        "child and family social worker",
        "route in",
        ID + "qualification/social-work-degree",
    ) in narrower


def test_regulator_history(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("regulator-history", role="role/social-worker")
    assert {(r["regulatorLabel"], r["from"], r["to"]) for r in rows} == {
        ("Health and Care Professions Council", None, "2019-12"),
        ("Social Work England", "2019-12", None),
    }


def test_programmes_into_role(run) -> None:  # type: ignore[no-untyped-def]
    # 001/000: Frontline participants qualify as social workers in their first year; DfE funds it
    rows = {r["programmeLabel"]: r for r in run("programmes-into-role", role="role/social-worker")}
    frontline = next(v for k, v in rows.items() if k.startswith("Frontline"))
    assert (
        "Lancaster University" in frontline["providers"]
        and "Department for Education" in frontline["funders"]
    )


def test_bursaries(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("bursaries", year="2020")
    assert {(r["amount"], r["londonAmount"], r["places"]) for r in rows} >= {
        (3362.5, 3762.5, 1500),
        (4862.5, 5262.5, 2500),
    }


def test_career_progression(run) -> None:  # type: ignore[no-untyped-def]
    # 001: "FCAs can become practice supervisors"
    assert ("practice supervisor", 1) in {
        (r["nextLabel"], r["steps"]) for r in run("career-progression", role="role/family-court-adviser")
    }


def test_qualifications_at_level(run) -> None:  # type: ignore[no-untyped-def]
    labels = {r["label"] for r in run("qualifications-at-level", level="level/3")}
    assert "Level 3 Diploma for Residential Child Care" in labels
    assert any("Playwork" in label for label in labels)


def test_funder_funding(run) -> None:  # type: ignore[no-untyped-def]
    # 004: Upon is funded by a three-year £3m DfE grant; 000: the £6.5m social workers in schools pilot
    amounts = {r["amount"] for r in run("funder-funding", funder="org/dfe")}
    assert {3000000.0, 6500000.0} <= amounts


def test_sector_statistics(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("sector-statistics", sector="sector/social-care")
    assert ("September 2019", 16.4) in {(r["period"], r["value"]) for r in rows}


def test_statistic_series(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("statistic-series", statistic="statistic/la-children-social-worker-vacancy-rate")
    assert [r["value"] for r in rows] == [11.4, 11.8, 9.5, 16.0, 16.4]


def test_source_statements(run) -> None:  # type: ignore[no-untyped-def]
    rows = run(
        "source-statements", entity="programme/step-up-to-social-work", source="source/cypnow-qtg-2020"
    )
    assert any("£19,833" in r["quote"] and r["kind"] == "Bursary" for r in rows)
    text = (ROOT.parent / "shared" / "sources" / "000_346b2b8018f38fc4.txt").read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["quote"] for r in rows)


def test_disagreeing_figures(run, store: OxigraphStore) -> None:  # type: ignore[no-untyped-def]
    # The documents give no two values for one statistic, period and area: every repeated figure
    # (bursaries, Step Up, vacancy rates) either agrees or belongs to another period. What users mean
    # is found: 001 counts 256 HCPC-approved programmes (2019), 000 says 313 (2020).
    rows = run("disagreeing-figures")
    assert not [r for r in rows if r["kind"] == "same period, different values"]
    assert ("different periods", "2019", 256, "2020", 313) in {
        (r["kind"], r["period1"], r["value1"], r["period2"], r["value2"]) for r in rows
    }
    # a second source that disagrees is found
    obs = ox.NamedNode(ID + "observation/test-disagreement")
    g = ox.NamedNode("urn:test")
    first = store.query(
        f"""SELECT ?s ?p ?a WHERE {{ ?o <https://w3id.org/cwkg/ontology#statistic>
        <{ID}statistic/la-children-social-worker-vacancy-rate> ; <https://w3id.org/cwkg/ontology#refPeriod>
        <{ID}period/2019-09> ; <https://w3id.org/cwkg/ontology#refArea> ?a ; ?p ?x . BIND(?o AS ?s) }} LIMIT 1""",
        union_default_graph=True,
    )
    area = next(iter(first))["a"]
    cw = "https://w3id.org/cwkg/ontology#"
    quads = [
        ox.Quad(
            obs,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://purl.org/linked-data/cube#Observation"),
            g,
        ),
        ox.Quad(
            obs,
            ox.NamedNode(cw + "statistic"),
            ox.NamedNode(ID + "statistic/la-children-social-worker-vacancy-rate"),
            g,
        ),
        ox.Quad(obs, ox.NamedNode(cw + "refPeriod"), ox.NamedNode(ID + "period/2019-09"), g),
        ox.Quad(obs, ox.NamedNode(cw + "refArea"), area, g),
        ox.Quad(obs, ox.NamedNode(cw + "unit"), ox.NamedNode(ID + "unit/percent"), g),
        ox.Quad(
            obs,
            ox.NamedNode(cw + "obsValue"),
            ox.Literal("17", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            g,
        ),
        ox.Quad(obs, ox.NamedNode(cw + "statedIn"), ox.NamedNode(ID + "source/cypnow-social-work-2019"), g),
    ]
    scratch = OxigraphStore()
    scratch.extend([*store.quads(), *quads])
    _, rows = plain_rows(
        Catalogue.load(ROOT / "queries" / "canned").get("disagreeing-figures").run(scratch, {})
    )
    same = [(r["value1"], r["value2"]) for r in rows if r["kind"] == "same period, different values"]
    assert same == [(16.4, 17.0)]


def test_apprenticeship_standards(run) -> None:  # type: ignore[no-untyped-def]
    # 001: Children, Young People and Family Practitioner is a Level 4 apprenticeship
    labels = {r["label"] for r in run("apprenticeship-standards", level="level/4")}
    assert any(label.startswith("Children, Young People and Family Practitioner") for label in labels)
    assert all(r["levelLabel"] == "Level 4" for r in run("apprenticeship-standards", level="level/4"))


def test_search(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("search", text="ASYE")
    assert rows[0]["matched"] == "ASYE" and rows[0]["label"] == "Assessed and Supported Year in Employment"


def test_partnership_members(run) -> None:  # type: ignore[no-untyped-def]
    # 004: the consortium is made up of The Staff College, IPC, Skills for Care and others
    members = {
        r["memberLabel"]
        for r in run("partnership-members", partnership="org/childrens-services-leadership-consortium")
    }
    assert {"The Staff College", "Skills for Care"} <= members and any("Public Care" in m for m in members)


def test_programme_details(run) -> None:  # type: ignore[no-untyped-def]
    rows = run("programme-details", programme="programme/frontline")
    assert ("delivered by", "Lancaster University", "2020") in {
        (r["aspect"], r["value"], r["when"]) for r in rows
    }
    assert {Decimal(str(r["value"])) for r in rows if "qualify" in r["aspect"]} == {Decimal(92)}


def test_claims_by_organisation(run) -> None:  # type: ignore[no-untyped-def]
    texts = " ".join(r["text"].lower() for r in run("claims-by-organisation", organisation="org/adcs"))
    assert "workforce lead" in texts and "working group" in texts


def test_role_sector(run) -> None:  # type: ignore[no-untyped-def]
    rows = {r["label"]: r for r in run("role-sector", sector="sector/youth")}
    assert rows["professional youth worker"]["minimumLevel"] == "Level 6"
    assert rows["youth support worker"]["progressesTo"] == "professional youth worker"


@pytest.mark.parametrize("name", sorted(q.name for q in Catalogue.load(ROOT / "queries" / "canned")))
def test_every_canned_query_returns_rows_for_its_examples(run, name: str) -> None:  # type: ignore[no-untyped-def]
    query = run.catalogue.get(name)
    rows = run(name, **{p.name: p.example for p in query.parameters if p.example is not None})
    assert rows, f"{name} with its examples returns no rows"
