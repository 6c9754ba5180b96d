"""The rest of the 2020 guide and the 2021 directors guide (issue 10): facts checked through
SPARQL against values read by hand from documents 000 (autumn 2020) and 004 (September 2021)."""

from __future__ import annotations

from decimal import Decimal

from cwkg.store import OxigraphStore
from tests.conftest import ask, select
from tests.facts import ID, direct, figures, values

QTG2020 = "cypnow-qtg-2020"
DIRECTORS2021 = "cypnow-directors-2021"


def by_period(store: OxigraphStore, statistic: str) -> dict[str, set[Decimal]]:
    """Values of a statistic by period code."""
    rows = select(
        store,
        f"""SELECT ?p ?v WHERE {{ ?o cw:statistic <{ID}{statistic}> ; cw:refPeriod ?p ; cw:obsValue ?v }}""",
    )
    out: dict[str, set[Decimal]] = {}
    for r in rows:
        out.setdefault(r["p"].rpartition("/")[2], set()).add(Decimal(r["v"]))
    return out


# --- youth work ------------------------------------------------------------------------


def test_professional_youth_workers_are_level_6_and_above(store: OxigraphStore) -> None:
    assert ask(store, f"ASK {{ <{ID}role/professional-youth-worker> cw:minimumLevel <{ID}level/6> }}")


def test_youth_support_worker_progresses_to_professional_youth_worker(store: OxigraphStore) -> None:
    assert direct(store, "role/youth-support-worker", "cw:progressesTo", "role/professional-youth-worker")


def test_jnc_has_a_staff_side_and_an_employer_side(store: OxigraphStore) -> None:
    members = {
        r["m"]
        for r in select(
            store,
            f"""SELECT ?m WHERE {{ ?s a cw:Membership ;
        org:organization <{ID}org/jnc> ; org:member ?m }}""",
        )
    }
    assert {ID + "org/jnc-staff-side", ID + "org/jnc-employer-side"} <= members


def test_jnc_pay_ranges(store: OxigraphStore) -> None:
    assert values(store, "statistic/jnc-youth-support-worker-pay-minimum") == {Decimal(18117)}
    assert values(store, "statistic/jnc-youth-support-worker-pay-maximum") == {Decimal(28017)}
    assert values(store, "statistic/jnc-professional-youth-worker-pay-minimum") == {Decimal(24636)}
    assert values(store, "statistic/jnc-professional-youth-worker-pay-maximum") == {Decimal(41575)}


def test_jnc_staff_side_asked_for_10_per_cent_in_april_2020(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?text ?when WHERE {{ ?c a cw:Claim ; cw:claimedBy <{ID}org/jnc-staff-side> ;
        cw:claimText ?text . OPTIONAL {{ ?c cw:pointInTime|cw:startDate ?when }} }}""",
    )
    assert any("10 per cent" in r["text"] or "10%" in r["text"] for r in rows)
    assert "2020-04" in {r["when"] for r in rows}


def test_youth_worker_bursary_fund_of_500000_for_500_bursaries(store: OxigraphStore) -> None:
    assert ask(store, 'ASK { ?f a cw:Funding ; cw:amount 500000.0 ; cw:currency "GBP" }')
    assert ask(store, "ASK { { ?f cw:places 500 } UNION { ?o cw:obsValue 500.0 ; cw:unit ?u } }")


# --- youth justice ----------------------------------------------------------------------


def test_youth_justice_board_oversees_england_and_wales(store: OxigraphStore) -> None:
    assert ask(
        store,
        f"""ASK {{ <{ID}org/yjb> skos:altLabel "YJB"@en .
        {{ <{ID}org/yjb> cw:appliesIn <{ID}area/england-and-wales> }} UNION
        {{ ?s cw:appliesIn <{ID}area/england-and-wales> ; ?p <{ID}org/yjb> }} }}""",
    )


def test_youth_justice_institute_launched_in_autumn_2019(store: OxigraphStore) -> None:
    assert ask(
        store,
        f"ASK {{ <{ID}org/youth-justice-institute> cw:launchDate ?d FILTER(STR(?d) = '2019' || STRSTARTS(STR(?d), '2019-')) }}",
    )


def test_learning_hub_offers_15_courses_including_13_effective_practice_awards(store: OxigraphStore) -> None:
    assert values(store, "statistic/yj-learning-hub-courses") == {Decimal(15)}
    assert values(store, "statistic/yj-learning-hub-effective-practice-awards") == {Decimal(13)}


# --- play -------------------------------------------------------------------------------


def test_play_wales_level_2_and_3_playwork_qualifications(store: OxigraphStore) -> None:
    for level in (2, 3):
        q = f"{ID}qualification/play-wales-level-{level}-playwork-qualification"
        assert ask(store, f"ASK {{ <{q}> cw:level <{ID}level/{level}> ; cw:awardedBy <{ID}org/play-wales> }}")


def test_cache_playwork_qualifications_at_their_levels(store: OxigraphStore) -> None:
    assert ask(store, f"ASK {{ <{ID}qualification/level-5-diploma-in-playwork> cw:level <{ID}level/5> }}")
    assert ask(store, f"ASK {{ <{ID}qualification/level-3-certificate-in-playwork> cw:level <{ID}level/3> }}")


# --- early years ------------------------------------------------------------------------


def test_early_years_teacher_status_introduced_in_2013(store: OxigraphStore) -> None:
    assert ask(
        store,
        f"""ASK {{ <{ID}qualification/early-years-teacher-status> a cw:ProfessionalStatus .
        {{ <{ID}qualification/early-years-teacher-status> cw:launchDate ?d }} UNION
        {{ ?s cw:about <{ID}qualification/early-years-teacher-status> ; cw:launchDate ?d }}
        FILTER(STR(?d) = "2013") }}""",
    )


def test_early_years_trainees_fell_from_574_to_352(store: OxigraphStore) -> None:
    series = by_period(store, "statistic/early-years-initial-teacher-training-entrants")
    assert series.get("ay2016-17") == {Decimal(574)}
    assert series.get("ay2019-20") == {Decimal(352)}


def test_eyts_routes_2_309_and_43_trainees(store: OxigraphStore) -> None:
    assert values(store, "statistic/eyts-undergraduate-route-trainees") == {Decimal(2)}
    assert values(store, "statistic/eyts-postgraduate-employment-based-route-trainees") == {Decimal(309)}
    assert values(store, "statistic/eyts-graduate-entry-route-trainees") == {Decimal(43)}


# --- health -----------------------------------------------------------------------------


def test_school_nurses_employed_by_nhs_trusts_in_april_2020(store: OxigraphStore) -> None:
    assert figures(store, "statistic/nhs-trust-school-nurses", "2020-04") == {Decimal(2020)}
    before = select(
        store,
        f"""SELECT ?v ?q ?p WHERE {{ ?o cw:statistic <{ID}statistic/nhs-trust-school-nurses> ;
        cw:obsValue ?v ; cw:qualifier ?q ; cw:refPeriod ?p }}""",
    )
    assert (Decimal(3000), "more than") in {(Decimal(r["v"]), r["q"]) for r in before}
    assert any(r["p"].endswith("/2010") or "2010-" in r["p"] for r in before)


def test_health_visitors_6693_down_35_per_cent_since_2015(store: OxigraphStore) -> None:
    assert Decimal(6693) in values(store, "statistic/nhs-trust-health-visitors")
    assert {abs(v) for v in values(store, "statistic/nhs-trust-health-visitors-change-since-2015")} == {
        Decimal(35)
    }


# --- directors and commissioning (000) and the directors guide (004) --------------------


def test_new_permanent_dcs_appointments_24_in_2019_20_and_12_in_2020_21(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?v ?src WHERE {{ ?o cw:statistic <{ID}statistic/dcs-new-permanent-appointments> ;
        cw:obsValue ?v ; cw:statedIn ?src }}""",
    )
    got = {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in rows}
    assert {(Decimal(24), QTG2020), (Decimal(12), DIRECTORS2021)} <= got


def test_twin_hat_directors_31_then_26(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?v ?src WHERE {{ ?o cw:statistic <{ID}statistic/twin-hat-directors> ;
        cw:obsValue ?v ; cw:statedIn ?src }}""",
    )
    got = {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in rows}
    assert {(Decimal(31), QTG2020), (Decimal(26), DIRECTORS2021)} <= got


def test_dcs_appointments_19_promoted_from_assistant_director(store: OxigraphStore) -> None:
    assert Decimal(19) in values(store, "statistic/dcs-appointments-promoted-from-assistant-director")


def test_sixty_per_cent_of_dcss_are_female(store: OxigraphStore) -> None:
    assert Decimal(60) in values(store, "statistic/dcs-female-share")
    assert Decimal(84) in values(store, "statistic/dcs-white-british-share")


def _upon(store: OxigraphStore) -> str:
    rows = select(
        store,
        """SELECT ?p WHERE { ?p a/rdfs:subClassOf* cw:Programme ;
        skos:prefLabel|skos:altLabel ?l FILTER(LCASE(STR(?l)) = "upon") }""",
    )
    assert len(rows) == 1, rows
    return str(rows[0]["p"])


def test_upon_members_of_the_consortium(store: OxigraphStore) -> None:
    members = {
        r["m"].rpartition("/")[2]
        for r in select(
            store,
            f"""SELECT ?m WHERE {{
        ?s a cw:Membership ; org:organization <{ID}org/childrens-services-leadership-consortium> ; org:member ?m }}""",
        )
    }
    assert {"staff-college", "ipc", "skills-for-care"} <= members
    _upon(store)


def test_upon_three_year_3m_dfe_grant(store: OxigraphStore) -> None:
    upon = _upon(store)
    assert ask(
        store,
        f"""ASK {{ ?f a cw:Funding ; cw:funder <{ID}org/dfe> ; cw:fundedProgramme <{upon}> ;
        cw:amount 3000000.0 ; cw:currency "GBP" }}""",
    )


def test_upon_around_50_aspirant_directors(store: OxigraphStore) -> None:
    rows = select(
        store,
        f"""SELECT ?v ?q WHERE {{ ?o cw:statistic <{ID}statistic/upon-aspirant-directors> ;
        cw:obsValue ?v ; cw:qualifier ?q }}""",
    )
    assert (Decimal(50), "around") in {(Decimal(r["v"]), r["q"]) for r in rows}


def test_upon_runs_until_march_2022(store: OxigraphStore) -> None:
    upon = _upon(store)
    assert ask(
        store,
        f"""ASK {{ {{ <{upon}> cw:closureDate ?d }} UNION {{ ?s cw:about <{upon}> ; ?p ?d }}
        UNION {{ ?s cw:deliveredProgramme <{upon}> ; cw:endDate ?d }} FILTER(STR(?d) = "2022-03") }}""",
    )


def test_senior_leader_progresses_to_director(store: OxigraphStore) -> None:
    assert ask(store, f"""ASK {{ ?from cw:progressesTo <{ID}role/director-of-childrens-services> }}""")


def test_lga_runs_leadership_essentials(store: OxigraphStore) -> None:
    assert direct(store, "org/lga", "cw:delivers", "programme/leadership-essentials-childrens-services")


def test_ipc_postgraduate_certificate_for_social_care_wales(store: OxigraphStore) -> None:
    assert direct(store, "org/ipc", "cw:delivers", "programme/ipc-pgcert-strategic-operational-leadership")


def test_guide_facts_exclude_advertisers_claims(store: OxigraphStore) -> None:
    """A query of the guide's facts leaves out claims: no claim is typed as another statement kind."""
    assert not ask(
        store,
        """ASK { ?c a cw:Claim , ?other . ?other rdfs:subClassOf cw:Statement
                                   FILTER(?other != cw:Claim) }""",
    )


def test_roles_of_every_sector_are_linked_to_it(store: OxigraphStore) -> None:
    unlinked = select(store, "SELECT ?r WHERE { ?r a cw:Role FILTER NOT EXISTS { ?r cw:sector ?s } }")
    assert unlinked == []
