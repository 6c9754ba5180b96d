"""Social work, child protection, looked-after children, Cafcass and fostering (issue 4):
facts checked through SPARQL against values read by hand from documents 001 (2019) and 000 (2020)."""

from __future__ import annotations

from decimal import Decimal

from cwkg.store import OxigraphStore
from tests.conftest import ask, select
from tests.facts import direct, figures, statements, values

SW2019 = "cypnow-social-work-2019"
QTG2020 = "cypnow-qtg-2020"


def test_hcpc_regulated_social_workers_until_december_2019(store: OxigraphStore) -> None:
    rows = statements(store, "Regulation", regulator="org/hcpc", regulatedRole="role/social-worker")
    assert [r.get("endDate") for r in rows] == ["2019-12"]
    assert "startDate" not in rows[0]


def test_social_work_england_regulates_from_december_2019(store: OxigraphStore) -> None:
    rows = statements(
        store, "Regulation", regulator="org/social-work-england", regulatedRole="role/social-worker"
    )
    assert [r.get("startDate") for r in rows] == ["2019-12"]
    assert "endDate" not in rows[0]


def test_direct_triple_carries_only_the_current_regulator(store: OxigraphStore) -> None:
    assert direct(store, "org/social-work-england", "cw:regulates", "role/social-worker")
    assert not direct(store, "org/hcpc", "cw:regulates", "role/social-worker")


def test_both_documents_state_the_change_of_regulator(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?src WHERE {
        ?s a cw:Regulation ; cw:regulator <https://w3id.org/cwkg/id/org/social-work-england> ; cw:statedIn ?src }""",
    )
    assert {r["src"].rpartition("/")[2] for r in rows} == {SW2019, QTG2020}


def test_vacancy_rate_september_2018_and_2019_side_by_side(store: OxigraphStore) -> None:
    assert figures(store, "statistic/la-children-social-worker-vacancy-rate", "2018-09", SW2019) == {
        Decimal("16")
    }
    assert figures(store, "statistic/la-children-social-worker-vacancy-rate", "2019-09", QTG2020) == {
        Decimal("16.4")
    }


def test_approved_programmes_and_providers_2019_and_2020(store: OxigraphStore) -> None:
    programmes = select(
        store,
        """SELECT ?v ?src WHERE {
        ?o cw:statistic <https://w3id.org/cwkg/id/statistic/approved-social-work-programmes> ; cw:obsValue ?v ; cw:statedIn ?src }""",
    )
    providers = select(
        store,
        """SELECT ?v ?src WHERE {
        ?o cw:statistic <https://w3id.org/cwkg/id/statistic/approved-social-work-programme-providers> ; cw:obsValue ?v ; cw:statedIn ?src }""",
    )
    assert {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in programmes} == {
        (256, SW2019),
        (313, QTG2020),
    }
    assert {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in providers} == {
        (79, SW2019),
        (83, QTG2020),
    }


def _bursaries(store: OxigraphStore, period: str) -> dict[str, tuple[Decimal, Decimal, int]]:
    rows = select(
        store,
        f"""SELECT ?recipient ?amount ?london ?places WHERE {{
        ?b a cw:Bursary ; cw:period <https://w3id.org/cwkg/id/period/{period}> ; cw:recipient/skos:prefLabel ?recipient ;
           cw:amount ?amount ; cw:londonAmount ?london ; cw:places ?places ; cw:currency "GBP" }}""",
    )
    return {r["recipient"]: (Decimal(r["amount"]), Decimal(r["london"]), int(r["places"])) for r in rows}


def test_social_work_bursaries_2019_20(store: OxigraphStore) -> None:
    values = set(_bursaries(store, "ay2019-20").values())
    assert (Decimal("3362.50"), Decimal("3762.50"), 1500) in values
    assert (Decimal("4862.50"), Decimal("5262.50"), 2500) in values


def test_social_work_bursaries_2020_21(store: OxigraphStore) -> None:
    values = set(_bursaries(store, "ay2020-21").values())
    assert (Decimal("3362.50"), Decimal("3762.50"), 1500) in values
    assert (Decimal("4862.50"), Decimal("5262.50"), 2500) in values


def test_postgraduate_tuition_fee_contribution(store: OxigraphStore) -> None:
    assert ask(store, 'ASK { ?f a cw:Funding ; cw:amount 4052.0 ; cw:currency "GBP" }')


def test_step_up_is_a_14_month_employer_based_programme(store: OxigraphStore) -> None:
    rows = select(
        store,
        "SELECT ?d WHERE { <https://w3id.org/cwkg/id/programme/step-up-to-social-work> cw:duration ?d }",
    )
    # Oxigraph writes durations canonically: 14 months is P1Y2M
    assert [r["d"] for r in rows] == ["P1Y2M"]


def test_step_up_bursary_of_19833(store: OxigraphStore) -> None:
    assert ask(
        store,
        """ASK { ?b a cw:Bursary ; cw:fundedProgramme <https://w3id.org/cwkg/id/programme/step-up-to-social-work> ;
                                  cw:amount 19833.0 ; cw:currency "GBP" }""",
    )


def test_step_up_partnerships_and_local_authorities(store: OxigraphStore) -> None:
    assert Decimal(22) in {
        Decimal(r["v"])
        for r in select(
            store,
            """SELECT ?v WHERE {
        ?o cw:statistic <https://w3id.org/cwkg/id/statistic/step-up-regional-partnerships> ; cw:obsValue ?v }""",
        )
    }
    rows = select(
        store,
        """SELECT ?v ?q WHERE {
        ?o cw:statistic <https://w3id.org/cwkg/id/statistic/step-up-local-authorities> ; cw:obsValue ?v ; cw:qualifier ?q }""",
    )
    assert (Decimal(100), "more than") in {(Decimal(r["v"]), r["q"]) for r in rows}


def test_step_up_leads_to_a_postgraduate_diploma(store: OxigraphStore) -> None:
    assert direct(
        store,
        "programme/step-up-to-social-work",
        "cw:leadsTo",
        "qualification/postgraduate-diploma-in-social-work",
    )


def test_asye_run_by_skills_for_care_on_behalf_of_dfe(store: OxigraphStore) -> None:
    assert direct(store, "org/skills-for-care", "cw:delivers", "programme/asye")
    assert ask(store, "ASK { <https://w3id.org/cwkg/id/programme/asye> skos:altLabel 'ASYE'@en }")


def test_asye_supported_more_than_10000_with_more_than_20m(store: OxigraphStore) -> None:
    supported = select(
        store,
        """SELECT ?v ?q WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/asye-social-workers-supported> ;
                                 cw:obsValue ?v ; cw:qualifier ?q }""",
    )
    assert (Decimal(10000), "more than") in {(Decimal(r["v"]), r["q"]) for r in supported}
    invested = select(
        store,
        "SELECT ?v WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/asye-investment> ; cw:obsValue ?v }",
    )
    assert Decimal(20000000) in {Decimal(r["v"]) for r in invested}


def test_naas_sites_56_in_2019_and_68_in_2020(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT ?v ?src WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/naas-early-adopter-sites> ;
                            cw:obsValue ?v ; cw:statedIn ?src }""",
    )
    assert {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in rows} >= {(56, SW2019), (68, QTG2020)}


def test_teaching_partnerships_2019(store: OxigraphStore) -> None:
    assert Decimal(23) in values(store, "statistic/social-work-teaching-partnerships")
    assert Decimal(19) in values(store, "statistic/dfe-funded-social-work-teaching-partnerships")
    assert Decimal(113) in values(store, "statistic/social-work-teaching-partnership-local-authorities")
    assert Decimal(54) in values(
        store, "statistic/social-work-teaching-partnership-higher-education-institutions"
    )
    assert Decimal(32) in values(store, "statistic/social-work-teaching-partnership-pvi-partners")


def test_practice_supervisor_programme_funded_by_dfe(store: OxigraphStore) -> None:
    assert direct(store, "org/dfe", "cw:funds", "programme/practice-supervisor-development-programme")


def test_frontline_five_week_residential_and_partners(store: OxigraphStore) -> None:
    text = select(
        store,
        "SELECT ?m WHERE { <https://w3id.org/cwkg/id/programme/frontline> ?p ?m . FILTER(isLiteral(?m)) }",
    )
    assert any("five-week" in r["m"] or "five week" in r["m"] for r in text) or ask(
        store,
        "ASK { <https://w3id.org/cwkg/id/programme/frontline-summer-institute> cw:duration 'P35D'^^xsd:duration }",
    )
    partners = select(
        store,
        """SELECT ?u ?from ?to WHERE {
        ?s cw:deliveredProgramme|org:organization|cw:about ?f ; ?role ?u .
        FILTER(?f IN (<https://w3id.org/cwkg/id/programme/frontline>, <https://w3id.org/cwkg/id/qualification/frontline-masters>))
        ?u a cw:University .
        OPTIONAL { ?s cw:startDate ?from } OPTIONAL { ?s cw:endDate ?to } }""",
    )
    by_uni = {r["u"].rpartition("/")[2]: (r["from"], r["to"]) for r in partners}
    assert by_uni.get("lancaster-university", (None, None))[0] == "2020"
    assert by_uni.get("university-of-bedfordshire", (None, None))[1] == "2020"


def test_frontline_outcome_percentages(store: OxigraphStore) -> None:
    percent = "unit/percent"
    assert values(store, "statistic/frontline-qualification-rate", unit=percent) == {Decimal(92)}
    assert values(store, "statistic/frontline-programme-completion-rate", unit=percent) == {Decimal(85)}
    assert values(store, "statistic/frontline-masters-completion-rate", unit=percent) == {Decimal(75)}


def test_firstline_is_a_10_month_programme_with_71_completers_in_july_2020(store: OxigraphStore) -> None:
    assert ask(
        store, "ASK { <https://w3id.org/cwkg/id/programme/firstline> cw:duration 'P10M'^^xsd:duration }"
    )
    assert Decimal(71) in figures(store, "statistic/firstline-cohort-completers", "2020-07")


def test_level_3_diploma_required_of_childrens_home_staff_since_january_2015(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT ?since ?obl WHERE { ?r a cw:Requirement ;
        cw:qualification <https://w3id.org/cwkg/id/qualification/level-3-diploma-residential-child-care> ;
        cw:startDate ?since ; cw:obligation ?obl }""",
    )
    assert {(r["since"], r["obl"].rpartition("#")[2]) for r in rows} == {("2015-01", "Mandatory")}


def test_level_5_diploma_for_managers_within_three_years(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT ?within ?level WHERE { ?r a cw:Requirement ;
        cw:qualification ?q ; cw:withinDuration ?within . ?q cw:level ?level }""",
    )
    assert ("P3Y", "https://w3id.org/cwkg/id/level/5") in {(r["within"], r["level"]) for r in rows}


def test_share_of_childrens_home_staff_with_level_3_and_managers_with_level_5(store: OxigraphStore) -> None:
    assert values(store, "statistic/childrens-home-staff-with-level-3-qualification") == {Decimal(61)}
    assert values(store, "statistic/childrens-home-staff-undertaking-level-3-qualification") == {Decimal(21)}
    assert values(store, "statistic/childrens-home-managers-with-level-5-diploma") == {Decimal(51)}


def test_family_practitioner_apprenticeship_is_level_4(store: OxigraphStore) -> None:
    assert ask(
        store,
        "ASK { <https://w3id.org/cwkg/id/apprenticeship/children-young-people-family-practitioner> a cw:ApprenticeshipStandard ; cw:level <https://w3id.org/cwkg/id/level/4> }",
    )


def test_nipe_created_2014_230_social_workers_75_per_cent_retention(store: OxigraphStore) -> None:
    rows = select(
        store,
        "SELECT ?v ?q WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/nipe-participants> ; cw:obsValue ?v ; cw:qualifier ?q }",
    )
    assert (Decimal(230), "around") in {(Decimal(r["v"]), r["q"]) for r in rows}
    assert {
        Decimal(r["v"])
        for r in select(
            store,
            "SELECT ?v WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/nipe-retention-rate> ; cw:obsValue ?v }",
        )
    } == {Decimal(75)}


def test_associate_family_court_advisers_124_in_2019_and_133_in_2020(store: OxigraphStore) -> None:
    rows = select(
        store,
        """SELECT ?v ?src WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/cafcass-associate-family-court-advisers> ;
                            cw:obsValue ?v ; cw:statedIn ?src }""",
    )
    assert {(Decimal(r["v"]), r["src"].rpartition("/")[2]) for r in rows} == {(124, SW2019), (133, QTG2020)}


def test_family_court_adviser_progresses_to_practice_supervisor(store: OxigraphStore) -> None:
    assert direct(store, "role/family-court-adviser", "cw:progressesTo", "role/practice-supervisor")


def test_social_workers_in_schools_pilot(store: OxigraphStore) -> None:
    assert Decimal(80) in {
        Decimal(r["v"])
        for r in select(
            store,
            "SELECT ?v WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/social-workers-in-schools-pilot-schools> ; cw:obsValue ?v }",
        )
    }
    assert ask(
        store,
        "ASK { ?f a cw:Funding ; cw:fundedProgramme <https://w3id.org/cwkg/id/programme/social-workers-in-schools-pilot> ; cw:amount 6500000.0 ; cw:funder <https://w3id.org/cwkg/id/org/dfe> }",
    )


def test_temporary_register_of_around_8000_in_march_2020(store: OxigraphStore) -> None:
    rows = select(
        store,
        "SELECT ?v ?q WHERE { ?o cw:statistic <https://w3id.org/cwkg/id/statistic/social-work-england-temporary-register-size> ; cw:obsValue ?v ; cw:qualifier ?q ; cw:refPeriod <https://w3id.org/cwkg/id/period/2020-03> }",
    )
    assert (Decimal(8000), "around") in {(Decimal(r["v"]), r["q"]) for r in rows}


def test_every_statement_and_observation_cites_a_passage(store: OxigraphStore) -> None:
    assert not ask(
        store,
        """ASK { { ?s a/rdfs:subClassOf* cw:Statement } UNION { ?s a qb:Observation }
                                   FILTER NOT EXISTS { ?s cw:evidence ?a ; cw:statedIn ?src } }""",
    )


def test_advertisements_yield_no_direct_triples(store: OxigraphStore) -> None:
    assert not ask(
        store,
        """ASK { ?c a cw:Claim ; cw:about ?x . GRAPH <https://w3id.org/cwkg/graph/derived> { ?x ?p ?o }
                                   ?c ?p ?o }""",
    )
