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
