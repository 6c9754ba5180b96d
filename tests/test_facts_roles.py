"""Role families and what roles require (issue 17): general and specific roles linked by
skos:broader, and the requirements each document gives, checked against values read by hand."""

from __future__ import annotations

import pytest

from cwkg.store import OxigraphStore
from tests.conftest import ask, select

ID = "https://w3id.org/cwkg/id/"


def broader(store: OxigraphStore, role: str) -> set[str]:
    """The roles directly above a role."""
    rows = select(store, f"SELECT ?b WHERE {{ <{ID}{role}> skos:broader ?b }}")
    return {r["b"].removeprefix(ID) for r in rows}


@pytest.mark.parametrize(
    ("specific", "general"),
    [
        # 001: "the regulator for all child, family and adult social workers"; ASYE for newly qualified social workers
        ("role/children-and-family-social-worker", "role/social-worker"),
        ("role/adult-social-worker", "role/social-worker"),
        ("role/newly-qualified-social-worker", "role/social-worker"),
        # 001: FCAs "must be qualified social workers"; associate FCAs are "self-employed social workers"
        ("role/family-court-adviser", "role/social-worker"),
        ("role/associate-family-court-adviser", "role/family-court-adviser"),
        # 003: primary and secondary teacher turnover; 000: Sencos "must be qualified teachers"
        ("role/primary-teacher", "role/teacher"),
        ("role/secondary-teacher", "role/teacher"),
        ("role/special-educational-needs-coordinator", "role/teacher"),
        ("role/higher-level-teaching-assistant", "role/teaching-assistant"),
        # 000: youth support workers (Level 2 and 3) and professional youth workers (Level 6)
        ("role/youth-support-worker", "role/youth-worker"),
        ("role/professional-youth-worker", "role/youth-worker"),
        # 000: Band 3 youth justice workers progress to Band 4 youth justice worker specialist
        ("role/youth-justice-worker-specialist", "role/youth-justice-worker"),
        # 000: family and friends carers get 18 months to meet the foster carer standards
        ("role/family-and-friends-carer", "role/foster-carer"),
        # 000: three roles within the Troubled Families programme
        ("role/troubled-families-keyworker", "role/troubled-families-worker"),
        ("role/troubled-families-coordinator", "role/troubled-families-worker"),
        ("role/troubled-families-employment-adviser", "role/troubled-families-worker"),
        # 001: bursaries for social work students, postgraduates and undergraduates
        ("role/postgraduate-social-work-student", "role/social-work-student"),
        ("role/undergraduate-social-work-student", "role/social-work-student"),
    ],
)
def test_specific_role_sits_under_its_general_role(store: OxigraphStore, specific: str, general: str) -> None:
    assert general in broader(store, specific)


def test_twin_hat_director_is_under_both_directors(store: OxigraphStore) -> None:
    # 000/004: a director of adult services who also takes on children's services
    assert broader(store, "role/twin-hat-director") == {
        "role/director-of-childrens-services",
        "role/director-of-adult-services",
    }


def test_role_hierarchy_has_no_cycle(store: OxigraphStore) -> None:
    assert not ask(store, "ASK { ?r skos:broader+ ?r }")


def test_every_broader_role_is_a_role(store: OxigraphStore) -> None:
    assert not ask(store, "ASK { ?r a cw:Role ; skos:broader ?b FILTER NOT EXISTS { ?b a cw:Role } }")


def requirements(store: OxigraphStore, role: str) -> dict[str, dict[str, str]]:
    """A role's requirements by qualification: obligation and dates."""
    rows = select(
        store,
        f"""SELECT ?q ?ob ?start ?end WHERE {{
          ?r a cw:Requirement ; cw:role <{ID}{role}> ; cw:qualification ?q .
          OPTIONAL {{ ?r cw:obligation ?ob }} OPTIONAL {{ ?r cw:startDate ?start }} OPTIONAL {{ ?r cw:endDate ?end }} }}""",
    )
    return {
        r["q"].removeprefix(ID): {k: str(r[k]).rpartition("#")[2] for k in ("ob", "start", "end") if r.get(k)}
        for r in rows
    }


def test_social_worker_registration_moved_from_hcpc_to_social_work_england(store: OxigraphStore) -> None:
    # 001: HCPC "currently the statutory regulator"; "as with social work, ... a registration requirement";
    # 000: "In December 2019, Social Work England replaced the Health and Care Professions Council"
    req = requirements(store, "role/social-worker")
    assert req["qualification/hcpc-registration"] == {"ob": "Mandatory", "end": "2019-12"}
    assert req["qualification/social-work-england-registration"] == {"ob": "Mandatory", "start": "2019-12"}


def test_social_worker_needs_a_social_work_qualification_reached_by_several_routes(
    store: OxigraphStore,
) -> None:
    assert requirements(store, "role/social-worker")["qualification/social-work-qualification"] == {
        "ob": "Mandatory"
    }
    # 001/000: three-year degree, two-year masters, Step Up's postgraduate diploma
    rows = select(
        store, f"SELECT ?q WHERE {{ ?q skos:broader <{ID}qualification/social-work-qualification> }}"
    )
    assert {r["q"].removeprefix(ID) for r in rows} >= {
        "qualification/social-work-degree",
        "qualification/social-work-masters",
        "qualification/postgraduate-diploma-in-social-work",
    }


def test_family_court_advisers_must_be_qualified_social_workers(store: OxigraphStore) -> None:
    assert requirements(store, "role/family-court-adviser")["qualification/social-work-qualification"] == {
        "ob": "Mandatory"
    }


def test_social_work_routes_reach_the_role_in_one_hop(store: OxigraphStore) -> None:
    # 000: "A second route into social work is employer-based ... Step Up"; "Apprenticeships provide a third route"
    rows = select(
        store,
        f"""SELECT ?from WHERE {{ ?p a cw:Pathway ; cw:pathwayFrom ?from ;
              cw:pathwayTo/skos:broader* <{ID}role/social-worker> }}""",
    )
    assert {r["from"].removeprefix(ID) for r in rows} >= {
        "programme/step-up-to-social-work",
        "apprenticeship/social-work-apprenticeship",
        "qualification/social-work-degree",
        "qualification/social-work-masters",
        "programme/frontline",
    }


def test_social_work_bursaries_reach_social_work_through_its_students(store: OxigraphStore) -> None:
    # 001: 2019/20 bursaries of £3,362.50 for 1,500 postgraduates and £4,862.50 for 2,500 undergraduates
    rows = select(
        store,
        f"""SELECT ?amount ?places WHERE {{
          ?b a cw:Bursary ; cw:period <{ID}period/ay2019-20> ; cw:amount ?amount ; cw:places ?places ;
             cw:recipient/skos:broader ?student .
          ?student cw:progressesTo <{ID}role/social-worker> }}""",
    )
    assert {(float(r["amount"]), int(r["places"])) for r in rows} == {(3362.5, 1500), (4862.5, 2500)}
