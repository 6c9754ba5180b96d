"""The ADCS position paper (002, 2019) and the DCSF evidence base (003, 2008), issue 11: facts checked
through SPARQL against values read by hand, every table cell an observation, and the Data Cube
integrity constraints of the W3C recommendation as SPARQL ASK queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cwkg.config import Settings
from cwkg.store import OxigraphStore
from tests.conftest import ask, select
from tests.facts import ID, values

ADCS = "adcs-workforce-2019"
DCSF = "dcsf-workforce-evidence-2008"
TABLES = {
    "dataset/dcsf-2008-workforce-by-sector": "Sector of the Children's & Young People's Workforce",
    "dataset/dcsf-2008-vacancy-rates": "Vacancy rates",
    "dataset/dcsf-2008-regional-turnover-rates": "Turnover Rates (%)",
}


def table_cells(header_start: str) -> int:
    """Count the number cells of a tab-separated table of 003, leaving out its year columns."""
    text = (Settings().sources_dir / "003_214f805d395c7d87.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith(header_start))
    header = text[start].split("\t")
    year_columns = {i for i, h in enumerate(header) if h.strip().lower().startswith("year")}
    cells = 0
    for line in text[start + 1 :]:
        if "\t" not in line:
            break
        cells += sum(
            1
            for i, cell in enumerate(line.split("\t")[1:], start=1)
            if i not in year_columns and re.search(r"\d", cell)
        )
    return cells


@pytest.mark.parametrize("dataset", sorted(TABLES))
def test_every_table_cell_is_an_observation(store: OxigraphStore, dataset: str) -> None:
    rows = select(store, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o qb:dataSet <{ID}{dataset}> }}")
    assert int(rows[0]["n"]) == table_cells(TABLES[dataset]) > 0


def test_the_table_counts_are_those_read_by_hand() -> None:
    assert [table_cells(h) for h in TABLES.values()] == [9, 9, 45]


def sector_size(store: OxigraphStore, sector: str) -> tuple[Decimal, str]:
    rows = select(
        store,
        f"""SELECT ?v ?p WHERE {{ ?o qb:dataSet <{ID}dataset/dcsf-2008-workforce-by-sector> ;
        cw:refSector <{ID}{sector}> ; cw:obsValue ?v ; cw:refPeriod ?p }}""",
    )
    assert len(rows) == 1, rows
    return Decimal(rows[0]["v"]), rows[0]["p"].rpartition("/")[2]


def test_workforce_size_by_sector_with_year_of_estimate(store: OxigraphStore) -> None:
    assert sector_size(store, "sector/education") == (Decimal(1103200), "2008")
    assert sector_size(store, "sector/youth") == (Decimal(30542), "2007")
    assert sector_size(store, "sector/justice") == (Decimal(18013), "2006")
    assert sector_size(store, "sector/health") == (Decimal(117000), "fy2006-07")


def test_leisure_and_sport_footnote_marker_is_a_note_not_part_of_the_number(store: OxigraphStore) -> None:
    value, year = sector_size(store, "sector/sport-culture")
    assert (value, year) == (Decimal(754500), "2005")
    notes = select(
        store,
        f"""SELECT ?n WHERE {{ ?o qb:dataSet <{ID}dataset/dcsf-2008-workforce-by-sector> ;
        cw:refSector <{ID}sector/sport-culture> ; cw:obsNote ?n }}""",
    )
    assert notes and all(
        "*" not in n["n"] or "footnote" in n["n"].lower() or "asterisk" in n["n"].lower() for n in notes
    )


def test_totals_row_equals_the_sum_of_its_rows(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?s ?v WHERE {{ ?o qb:dataSet <{ID}dataset/dcsf-2008-workforce-by-sector> ;
        cw:refSector ?s ; cw:obsValue ?v }}""",
    )
    by_sector = {r["s"].rpartition("/")[2]: Decimal(r["v"]) for r in rows}
    total = by_sector.pop("all-sectors")
    assert total == Decimal(2654631) == sum(by_sector.values())


def test_vacancy_rates_2004_to_2006(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?role ?p ?v WHERE {{ ?o qb:dataSet <{ID}dataset/dcsf-2008-vacancy-rates> ;
        cw:refRole ?role ; cw:refPeriod ?p ; cw:obsValue ?v }}""",
    )
    got = {(r["role"].rpartition("/")[2], r["p"].rpartition("/")[2], Decimal(r["v"])) for r in rows}
    social = {(p, v) for role, p, v in got if "social-worker" in role}
    assert social == {("2004", Decimal("11.4")), ("2005", Decimal("11.8")), ("2006", Decimal("9.5"))}
    youth = {(p, v) for role, p, v in got if "youth" in role}
    assert youth == {("2004", Decimal(4)), ("2005", Decimal(5)), ("2006", Decimal(5))}


def test_social_worker_vacancy_rate_compares_across_documents(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?start ?v ?src WHERE {{ ?o cw:statistic <{ID}statistic/la-children-social-worker-vacancy-rate> ;
        cw:refPeriod/cw:startOfPeriod ?start ; cw:obsValue ?v ; cw:statedIn ?src }} ORDER BY ?start""",
    )
    series = [(r["start"][:7], Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in rows]
    assert series == [
        ("2004-01", Decimal("11.4"), DCSF),
        ("2005-01", Decimal("11.8"), DCSF),
        ("2006-01", Decimal("9.5"), DCSF),
        ("2018-09", Decimal(16), "cypnow-social-work-2019"),
        ("2019-09", Decimal("16.4"), "cypnow-qtg-2020"),
    ]


def test_regional_turnover_london_and_south_west(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?area ?role ?v WHERE {{ ?o qb:dataSet <{ID}dataset/dcsf-2008-regional-turnover-rates> ;
        cw:refArea ?area ; cw:refRole ?role ; cw:obsValue ?v }}""",
    )
    got = {(r["area"].rpartition("/")[2], r["role"].rpartition("/")[2], Decimal(r["v"])) for r in rows}
    assert ("london", "field-social-worker", Decimal("12.4")) in got
    assert any(a == "south-west" and v == Decimal("50.7") for a, _, v in got)
    assert any(a == "east-midlands" and v == Decimal("25.4") for a, _, v in got)


def test_2008_bodies_are_in_the_graph(store: OxigraphStore) -> None:
    for label in ("CWDC", "TDA", "NCSL"):
        assert ask(store, f'ASK {{ ?o a/rdfs:subClassOf* cw:Organisation ; skos:altLabel "{label}"@en }}'), (
            label
        )
    assert ask(
        store, 'ASK { ?f a cw:Framework ; skos:prefLabel ?l FILTER(CONTAINS(LCASE(?l), "common core")) }'
    )
    assert ask(store, 'ASK { ?q skos:prefLabel|skos:altLabel "Early Years Professional Status"@en }')


def test_adcs_recommendations_are_claims_of_adcs(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?text WHERE {{ ?c a cw:Claim ; cw:claimedBy <{ID}org/adcs> ; cw:claimText ?text ;
        cw:statedIn <{ID}source/{ADCS}> }}""",
    )
    texts = " ".join(r["text"].lower() for r in rows)
    assert len(rows) >= 5
    assert "workforce lead" in texts and "department for education" in texts or "dfe" in texts
    assert "working group" in texts
    assert "common core" in texts


def test_adcs_figures(store: OxigraphStore) -> None:
    assert Decimal(49) in {abs(v) for v in values(store, "statistic/la-budget-real-terms-cut")}
    assert Decimal(3000000000) in {abs(v) for v in values(store, "statistic/childrens-services-funding-gap")}
    assert Decimal(8) in {abs(v) for v in values(store, "statistic/school-funding-real-terms-cut")}
    assert Decimal(95) in {abs(v) for v in values(store, "statistic/youth-budget-spent-on-ncs-share")}
    assert Decimal(12) in {abs(v) for v in values(store, "statistic/ncs-participation-share")}
    assert Decimal(98000) in {abs(v) for v in values(store, "statistic/ncs-participants")}


def test_naas_investment_of_23_million(store: OxigraphStore) -> None:
    assert ask(
        store,
        f"""ASK {{ {{ ?f a cw:Funding ; cw:fundedProgramme <{ID}programme/naas> ; cw:amount 23000000.0 }}
        UNION {{ ?o cw:obsValue 23000000.0 }} }}""",
    )


def test_departments_holding_parts_of_the_workforce(store: OxigraphStore) -> None:
    assert ask(store, f'ASK {{ <{ID}org/dcms> a cw:GovernmentDepartment ; skos:altLabel "DCMS"@en }}')
    assert ask(store, f"ASK {{ <{ID}org/mhclg> a cw:GovernmentDepartment }}")


# --- Data Cube integrity constraints (https://www.w3.org/TR/vocab-data-cube/#wf-rules) -------

IC = {
    "IC-1 unique dataset": "ASK { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?ds1 . } } ",
    "IC-1 one dataset": "ASK { ?obs a qb:Observation ; qb:dataSet ?a, ?b . FILTER(?a != ?b) }",
    "IC-2 unique DSD": "ASK { ?ds a qb:DataSet . FILTER NOT EXISTS { ?ds qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } }",
    "IC-2 one DSD": "ASK { ?ds a qb:DataSet ; qb:structure ?a, ?b . FILTER(?a != ?b) }",
    "IC-3 DSD includes a measure": "ASK { ?dsd a qb:DataStructureDefinition . FILTER NOT EXISTS { ?dsd qb:component/qb:measure ?p } }",
    "IC-4 dimensions have range": "ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }",
    "IC-5 concept dimensions have code list": "ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }",
    "IC-6 only attributes may be optional": "ASK { ?dsd qb:component ?c . ?c qb:componentRequired false ; qb:componentProperty|qb:dimension|qb:measure ?p . FILTER NOT EXISTS { ?p a qb:AttributeProperty } FILTER NOT EXISTS { ?c qb:attribute ?p } }",
    "IC-11 all dimensions required": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
        FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12 no duplicate observations": """ASK { ?obs1 qb:dataSet ?ds . ?obs2 qb:dataSet ?ds . FILTER(?obs1 != ?obs2)
        FILTER NOT EXISTS { ?ds qb:structure/qb:component/qb:dimension ?dim .
          ?obs1 ?dim ?v1 . ?obs2 ?dim ?v2 . FILTER(?v1 != ?v2) } }""",
    "IC-13 required attributes": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?c . ?c qb:componentRequired true ;
        qb:attribute ?attr . FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14 all measures present": """ASK { ?obs qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        ?dsd qb:component/qb:measure ?measure . FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-15/16 measureType consistency": "ASK { ?obs qb:measureType ?m }",
}


@pytest.mark.parametrize("name", sorted(IC))
def test_data_cube_integrity_constraint(store: OxigraphStore, name: str) -> None:
    assert not ask(store, IC[name]), name
