"""Named people and the posts they hold (issue 17): Persons, Appointments and what the build
derives from them, checked against names, posts, bodies and dates read by hand."""

from __future__ import annotations

import pytest

from cwkg.store import OxigraphStore
from tests.conftest import ask, select

ID = "https://w3id.org/cwkg/id/"


def appointments(store: OxigraphStore, person: str) -> set[tuple[str, str, str | None]]:
    """(organisation, post, start date) of every appointment of a person."""
    rows = select(
        store,
        f"""SELECT ?org ?post ?start WHERE {{ ?a a cw:Appointment ; org:member <{ID}{person}> ;
              org:organization ?org ; org:role ?post . OPTIONAL {{ ?a cw:startDate ?start }} }}""",
    )
    return {(r["org"].removeprefix(ID), r["post"].removeprefix(ID), r.get("start")) for r in rows}


def test_jacky_tiotto_appointed_chief_executive_of_cafcass_in_2019(store: OxigraphStore) -> None:
    # 001: "In May, Bexley's director of children's services, Jacky Tiotto, was appointed chief executive"
    assert appointments(store, "person/jacky-tiotto") == {
        ("org/cafcass", "post/chief-executive", "2019"),
        ("org/bexley-council", "post/director-of-childrens-services", None),
    }
    assert ask(store, f"ASK {{ <{ID}person/jacky-tiotto> org:headOf <{ID}org/cafcass> }}")
    # a director of children's services heads the service, not the council
    assert not ask(store, f"ASK {{ <{ID}person/jacky-tiotto> org:headOf <{ID}org/bexley-council> }}")


def test_jo_davidson_principal_of_the_staff_college_in_both_guides(store: OxigraphStore) -> None:
    # 000 and 004: "says Jo Davidson, principal at The Staff College"
    assert appointments(store, "person/jo-davidson") == {("org/staff-college", "post/principal", None)}
    rows = select(
        store,
        f"""SELECT ?src WHERE {{ ?a a cw:Appointment ; org:member <{ID}person/jo-davidson> ; cw:statedIn ?src }}""",
    )
    assert {r["src"].rpartition("/")[2] for r in rows} == {"cypnow-qtg-2020", "cypnow-directors-2021"}
    assert ask(store, f"ASK {{ <{ID}person/jo-davidson> org:headOf <{ID}org/staff-college> }}")


def test_a_chair_is_a_member_not_the_head(store: OxigraphStore) -> None:
    # 001: "In 2018, the government appointed Sir Alan Wood chair of a Residential Care Leadership Board"
    assert appointments(store, "person/alan-wood") == {
        ("org/residential-care-leadership-board", "post/chair", "2018")
    }
    assert ask(
        store, f"ASK {{ <{ID}person/alan-wood> org:memberOf <{ID}org/residential-care-leadership-board> }}"
    )
    assert not ask(store, f"ASK {{ <{ID}person/alan-wood> org:headOf ?o }}")


def test_jonathan_stanley_held_a_post_at_icha_then_ncercc(store: OxigraphStore) -> None:
    # 001: "chief executive emeritus of the Independent Children's Homes Association"; 000: "principal partner" at NCERCC
    assert appointments(store, "person/jonathan-stanley") == {
        ("org/icha", "post/chief-executive-emeritus", None),
        ("org/ncercc", "post/principal-partner", None),
    }


@pytest.mark.parametrize(
    ("person", "label", "organisation"),
    [
        ("person/gavin-moorghen", "Gavin Moorghen", "org/basw"),
        ("person/hannah-brown", "Hannah Brown", "org/social-work-england"),
        ("person/sarah-parsons", "Sarah Parsons", "org/cafcass"),
        ("person/abbee-mclatchie", "Abbee McLatchie", "org/nya"),
        ("person/patrick-mitchell", "Patrick Mitchell", "org/hee"),
        ("person/fiona-richardson", "Fiona Richardson", "org/ipc"),
    ],
)
def test_quoted_officers_are_people_with_their_bodies(
    store: OxigraphStore, person: str, label: str, organisation: str
) -> None:
    assert ask(store, f'ASK {{ <{ID}{person}> a <https://schema.org/Person> ; skos:prefLabel "{label}"@en }}')
    assert ask(store, f"ASK {{ <{ID}{person}> org:memberOf <{ID}{organisation}> }}")


def test_the_guides_author_is_a_person(store: OxigraphStore) -> None:
    # 001 "By Charlotte Goddard"; 004 "Charlotte Goddard, Wednesday, September 1, 2021"
    rows = select(store, f"SELECT ?src WHERE {{ ?src dcterms:creator <{ID}person/charlotte-goddard> }}")
    assert {r["src"].rpartition("/")[2] for r in rows} == {"cypnow-social-work-2019", "cypnow-directors-2021"}
