"""Who produced each figure and what it counts (issue 17): prov:wasAttributedTo on statistics
(and on an observation whose producer differs), and cw:concerns on every statistic, checked
against the bodies the documents name, read by hand."""

from __future__ import annotations

import pytest

from cwkg.store import OxigraphStore
from tests.conftest import ask, select

ID = "https://w3id.org/cwkg/id/"
BY = "<http://www.w3.org/ns/prov#wasAttributedTo>"


def producers(store: OxigraphStore, statistic: str) -> set[str]:
    rows = select(store, f"SELECT ?o WHERE {{ <{ID}{statistic}> {BY} ?o }}")
    return {r["o"].removeprefix(ID) for r in rows}


@pytest.mark.parametrize(
    ("statistic", "producer"),
    [
        # 002 section 4.5: "(NAO, 2018)", "(LGA, 2018)", "(Action for Children, 2018)"
        ("statistic/la-budget-real-terms-cut", "org/national-audit-office"),
        ("statistic/childrens-services-funding-gap", "org/lga"),
        ("statistic/early-help-funding-change", "org/action-for-children"),
        # 002 section 4.6: "(Child Poverty Action Group, 2018)", "(Institute for Fiscal Studies (IFS), 2017)"
        ("statistic/children-in-poverty", "org/cpag"),
        ("statistic/children-in-poverty-projection", "org/ifs"),
        # 002 section 9: "the National Youth Agency (NYA) estimates ... around 3,000"
        ("statistic/unqualified-youth-workers", "org/nya"),
        ("statistic/youth-services-spending-cut", "org/dfe"),
        # 000: "according to the NMC", "according to HEE", "according to Ofsted", "(RCPCH) suggests"
        ("statistic/nmc-register-annual-change", "org/nmc"),
        ("statistic/nursing-degree-applications-change", "org/hee"),
        ("statistic/childrens-homes-with-new-managers", "org/ofsted"),
        ("statistic/childrens-palliative-care-consultants-recommended", "org/rcpch"),
        # 000 chart sources: Ceeda's survey, the ONS, the Ministry of Justice
        ("statistic/early-years-staff-vacancies", "org/ceeda"),
        ("statistic/fte-teaching-assistants", "org/ons"),
        ("statistic/youth-custody-staff", "org/ministry-of-justice"),
        # 000 and 004: DCS appointments "according to the Association of Directors of Children's Services"
        ("statistic/dcs-new-permanent-appointments", "org/adcs"),
        # 003: "A study by LGAR found", "estimated by Fostering Network", "conducted by CWDC"
        ("statistic/la-field-social-worker-recruitment-difficulty-share", "org/lgar"),
        ("statistic/foster-carer-shortage", "org/fostering-network"),
        ("statistic/la-integrated-working-progress-share", "org/cwdc"),
        # 000: "Source: Children and family social work workforce in England, Department for Education"
        ("statistic/la-children-social-worker-vacancy-rate", "org/dfe"),
    ],
)
def test_statistic_names_the_body_whose_figure_it_is(
    store: OxigraphStore, statistic: str, producer: str
) -> None:
    assert producer in producers(store, statistic)


def test_overspend_figure_has_both_reporters(store: OxigraphStore) -> None:
    # 002: "(Guardian and LGA, 2019)"
    assert producers(store, "statistic/la-childrens-social-care-overspend-share") == {
        "org/the-guardian",
        "org/lga",
    }


def test_producer_is_not_the_citing_document_publisher(store: OxigraphStore) -> None:
    # the ADCS paper cites the NAO, LGA, CPAG and IFS: those figures are not ADCS's
    for statistic in ("statistic/la-budget-real-terms-cut", "statistic/children-in-poverty"):
        assert "org/adcs" not in producers(store, statistic)


def test_approved_programmes_counted_by_the_regulator_of_their_year(store: OxigraphStore) -> None:
    # 001 (2019): "256 HCPC-approved programmes"; 000 (2020): "313 Social Work England-approved programmes"
    rows = select(
        store,
        f"""SELECT ?v (COALESCE(?own, ?stat) AS ?by) WHERE {{
          ?o cw:statistic <{ID}statistic/approved-social-work-programmes> ; cw:obsValue ?v .
          <{ID}statistic/approved-social-work-programmes> {BY} ?stat .
          OPTIONAL {{ ?o {BY} ?own }} }}""",
    )
    assert {(int(float(r["v"])), r["by"].removeprefix(ID)) for r in rows} == {
        (256, "org/hcpc"),
        (313, "org/social-work-england"),
    }


def test_older_vacancy_rates_come_from_the_lgar_survey(store: OxigraphStore) -> None:
    # 003 fig 4.1 and footnote 6: social worker vacancy rates 2004-2006 from the social care workforce survey
    rows = select(
        store,
        f"""SELECT ?v WHERE {{ ?o cw:statistic <{ID}statistic/la-children-social-worker-vacancy-rate> ;
              cw:obsValue ?v ; {BY} <{ID}org/lgar> }}""",
    )
    assert {float(r["v"]) for r in rows} == {11.4, 11.8, 9.5}


def test_every_statistic_says_what_it_counts(store: OxigraphStore) -> None:
    assert not ask(store, "ASK { ?s a cw:Statistic FILTER NOT EXISTS { ?s cw:concerns ?x } }")


def test_send_is_a_concept_figures_concern(store: OxigraphStore) -> None:
    # 000: "35 new special free schools ... to up to 3,000 children with SEND"
    rows = select(store, f"SELECT ?s WHERE {{ ?s cw:concerns <{ID}group/children-with-send> }}")
    assert {r["s"].removeprefix(ID) for r in rows} >= {
        "statistic/new-special-free-schools",
        "statistic/new-special-free-school-pupils",
    }
    assert ask(store, f'ASK {{ <{ID}group/children-with-send> skos:altLabel "SEND"@en }}')
