"""Counts and relations stated in prose (issue 17): numbers of days, standards, routes, cohorts,
outcomes, consultations and recommendations, and who developed, hosts, endorses or sets pay for
what, as values rather than text; each checked against the figure or body read by hand."""

from __future__ import annotations

import pytest

from cwkg.store import OxigraphStore
from tests.conftest import ask, select

ID = "https://w3id.org/cwkg/id/"


@pytest.mark.parametrize(
    ("about", "count", "value"),
    [
        ("programme/practice-supervisor-development-programme", "numberOfDays", 5),  # 001 "five days"
        ("org/centre-for-systemic-social-work", "numberOfCourses", 3),  # 001 "three courses"
        ("programme/social-work-practice-learning", "numberOfPlacements", 2),  # 000 "two placements"
        ("role/social-worker", "numberOfRoutes", 3),  # 000 "a third route"
        ("qualification/early-years-teacher-status", "numberOfRoutes", 3),  # 000 "three routes into EYTS"
        ("framework/hlta-standards", "numberOfStandards", 33),  # 000 "a set of 33 standards"
        ("qualification/foundation-degree-in-youth-justice", "numberOfModules", 4),  # 000 "four modules"
        ("programme/troubled-families", "numberOfRoles", 3),  # 000 "three roles within the programme"
        ("framework/every-child-matters-outcomes", "numberOfOutcomes", 5),  # 003 "the five outcomes"
        ("framework/workforce-the-young-voice", "numberOfConsultations", 140),  # 003 "nearly 140"
        ("framework/eyps-national-professional-standards", "numberOfStandards", 39),  # 003 "39 ... standards"
        (
            "framework/building-a-workforce-that-works-for-all-children",
            "numberOfRecommendations",
            7,
        ),  # 002 section 12
    ],
)
def test_count_stated_in_prose_is_a_value(store: OxigraphStore, about: str, count: str, value: int) -> None:
    assert ask(store, f"ASK {{ <{ID}{about}> cw:{count} {value} }}")


def test_firstline_ran_one_cohort_in_2020(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?v ?p WHERE {{ ?s a cw:AttributeStatement ; cw:about <{ID}programme/firstline> ;
              cw:numberOfCohorts ?v ; cw:period ?p }}""",
    )
    assert [(int(r["v"]), r["p"].removeprefix(ID)) for r in rows] == [(1, "period/2020")]


@pytest.mark.parametrize(
    ("subject", "relation", "objects"),
    [
        # 000: "SWORD was developed by academics at the University of Bedfordshire and Birkbeck ... with Research in Practice"
        (
            "framework/sword",
            "developedBy",
            {"org/university-of-bedfordshire", "org/birkbeck-university", "org/research-in-practice"},
        ),
        ("org/whole-school-send-consortium", "hostedBy", {"org/nasen"}),  # 000 "hosted by Nasen"
        ("qualification/yjepc", "endorsedBy", {"org/skills-for-justice-awards", "org/yjb"}),
        ("qualification/level-2-3-youth-work-practice", "endorsedBy", {"org/jnc"}),  # 000 "The JNC endorses"
        # 000: the JNC "sets the national framework used to grade and pay youth work jobs"
        (
            "org/jnc",
            "setsPayFor",
            {"role/youth-worker", "role/youth-support-worker", "role/professional-youth-worker"},
        ),
        ("org/practice-supervisor-development-programme-consortium", "ledBy", {"org/research-in-practice"}),
        ("programme/the-skills-to-foster", "developedBy", {"org/fostering-network"}),
        (
            "programme/ipc-pgcert-strategic-operational-leadership",
            "deliveredFor",
            {"org/social-care-wales"},
        ),  # 004
        ("framework/narey-review-of-residential-care", "developedBy", {"person/martin-narey"}),  # 001
    ],
)
def test_relation_stated_in_prose_is_a_link(
    store: OxigraphStore, subject: str, relation: str, objects: set[str]
) -> None:
    rows = select(store, f"SELECT ?o WHERE {{ <{ID}{subject}> cw:{relation} ?o }}")
    assert {r["o"].removeprefix(ID) for r in rows} == objects


def test_missing_entities_exist_with_their_names(store: OxigraphStore) -> None:
    for iri, label in [
        ("org/social-care-wales", "Social Care Wales"),
        ("framework/workforce-the-young-voice", "Workforce: The Young Voice"),
        ("group/children-with-send", "children with SEND"),
    ]:
        assert ask(store, f'ASK {{ <{ID}{iri}> skos:prefLabel "{label}"@en }}')
