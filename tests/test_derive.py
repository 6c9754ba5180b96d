"""Derived direct triples are true: only current, stated, mandatory statements yield them (issue 17).

Each derived property is built through the real compiler from statements of each kind: current,
ended (an end date), planned (`planned: true`, or a start date after the document's date) and,
for requirements, desirable. The source is cypnow-social-work-2019, dated 2019-08-27.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from cwkg.compile import compile_facts
from cwkg.config import Settings
from cwkg.facts import load_fact_files
from cwkg.namespaces import CW, GRAPH_DERIVED, ID, PREFIXES
from cwkg.ontology import Ontology
from cwkg.sources import load_manifest
from cwkg.store import OxigraphStore
from tests.conftest import ROOT, select

ORG = PREFIXES["org"]
SKOS = PREFIXES["skos"]
PHRASE = "Social Work England will take over responsibility"

ENTITIES = f"""
source: cypnow-social-work-2019
entities:
  - {{id: role/t-general, type: [Role], label: t general, evidence: "{PHRASE}"}}
  - {{id: role/t-a, type: [Role], label: t a, evidence: "{PHRASE}", skos:broader: [role/t-general]}}
  - {{id: role/t-b, type: [Role], label: t b, evidence: "{PHRASE}", skos:broader: [role/t-general]}}
  - {{id: qualification/t-q, type: [Qualification], label: t q, evidence: "{PHRASE}"}}
  - {{id: programme/t-p, type: [Programme], label: t p, evidence: "{PHRASE}"}}
  - {{id: programme/t-p2, type: [Programme], label: t p2, evidence: "{PHRASE}"}}
  - {{id: org/t-o, type: [Regulator, Funder, TrainingProvider], label: t o, evidence: "{PHRASE}"}}
  - {{id: org/t-partnership, type: [Partnership], label: t partnership, evidence: "{PHRASE}"}}
  - {{id: person/t-x, type: ["schema:Person"], label: T X, evidence: "{PHRASE}"}}
"""

#: statement type -> (its fields, the derived (subject, property, object) a current one yields)
KINDS: dict[str, tuple[str, tuple[str, str, str]]] = {
    "Requirement": (
        "role: role/t-a, qualification: qualification/t-q, obligation: cw:Mandatory",
        ("role/t-a", CW + "requires", "qualification/t-q"),
    ),
    "Regulation": ("regulator: org/t-o, regulatedRole: role/t-a", ("org/t-o", CW + "regulates", "role/t-a")),
    "Funding": (
        "funder: org/t-o, fundedProgramme: programme/t-p",
        ("org/t-o", CW + "funds", "programme/t-p"),
    ),
    "Bursary": (
        "funder: org/t-o, fundedProgramme: programme/t-p",
        ("org/t-o", CW + "funds", "programme/t-p"),
    ),
    "Membership": (
        "org:organization: org/t-partnership, org:member: org/t-o",
        ("org/t-partnership", ORG + "hasMember", "org/t-o"),
    ),
    "Progression": ("fromRole: role/t-a, toRole: role/t-b", ("role/t-a", CW + "progressesTo", "role/t-b")),
    "Pathway": (
        "pathwayFrom: programme/t-p, pathwayTo: programme/t-p2",
        ("programme/t-p", CW + "leadsTo", "programme/t-p2"),
    ),
    "Delivery": (
        "provider: org/t-o, deliveredProgramme: programme/t-p",
        ("org/t-o", CW + "delivers", "programme/t-p"),
    ),
    "Appointment": (
        "org:member: person/t-x, org:organization: org/t-o, org:role: post/chief-executive",
        ("person/t-x", ORG + "memberOf", "org/t-o"),
    ),
}

#: kind of statement -> the extra fields that make it that kind, and whether it yields the triple
VARIANTS: dict[str, tuple[str, bool]] = {
    "current": ("", True),
    "current-dated": (", startDate: 2019-08", True),
    "ended": (", endDate: 2019-06", False),
    "planned": (", planned: true", False),
    "starts-after-the-document": (", startDate: 2019-09", False),
}


def _compile(tmp_path: Path, statements: str) -> set[tuple[str, str, str]]:
    """Compile the test entities and statements with the real ontology and sources; the derived triples."""
    facts = tmp_path / "facts"
    facts.mkdir()
    shutil.copy(ROOT / "data" / "facts" / "organisations.yaml", facts / "organisations.yaml")
    (facts / "test.yaml").write_text(ENTITIES + "statements:\n" + statements)
    settings = Settings()
    ontology = Ontology.from_dir(settings.ontology_dir)
    sources = load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)
    compiled = compile_facts(ontology, sources, load_fact_files(facts))
    return {
        (_text(q.subject).removeprefix(ID), q.predicate.value, _text(q.object).removeprefix(ID))
        for q in compiled.quads[GRAPH_DERIVED]
    }


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term's text: derived triples never hold quoted triples."""
    assert not isinstance(term, ox.Triple)
    return term.value


def _statement(kind: str, variant: str, extra: str = "") -> str:
    fields, _ = KINDS[kind]
    return f'  - {{id: statement/t-{variant}, type: {kind}, {fields}{extra}, evidence: "{PHRASE}"}}\n'


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_only_a_current_statement_yields_its_direct_triple(tmp_path: Path, kind: str, variant: str) -> None:
    extra, yields = VARIANTS[variant]
    derived = _compile(tmp_path, _statement(kind, variant, extra))
    assert (KINDS[kind][1] in derived) is yields


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_desirable_requirement_yields_desirable_qualification_never_requires(
    tmp_path: Path, variant: str
) -> None:
    extra, current = VARIANTS[variant]
    statement = _statement("Requirement", variant, extra).replace("cw:Mandatory", "cw:Desirable")
    derived = _compile(tmp_path, statement)
    assert ("role/t-a", CW + "requires", "qualification/t-q") not in derived
    assert (("role/t-a", CW + "desirableQualification", "qualification/t-q") in derived) is current


def test_an_appointment_to_a_head_post_yields_head_of(tmp_path: Path) -> None:
    head = _statement("Appointment", "head")
    chair = _statement("Appointment", "chair").replace("post/chief-executive", "post/chair")
    chair = chair.replace("org/t-o", "org/t-partnership")
    derived = _compile(tmp_path, head + chair)
    assert ("person/t-x", ORG + "headOf", "org/t-o") in derived
    assert ("person/t-x", ORG + "memberOf", "org/t-partnership") in derived
    assert ("person/t-x", ORG + "headOf", "org/t-partnership") not in derived


def test_an_ended_appointment_yields_no_head_of(tmp_path: Path) -> None:
    derived = _compile(tmp_path, _statement("Appointment", "ended", ", endDate: 2019-06"))
    assert not {t for t in derived if t[0] == "person/t-x" and t[1].startswith(ORG)}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_an_attribute_statement_is_current_by_the_same_rule(tmp_path: Path, variant: str) -> None:
    extra, yields = VARIANTS[variant]
    statement = (
        f"  - {{id: statement/t-{variant}, type: AttributeStatement, about: programme/t-p, "
        f'attribute: numberOfModules, value: 7{extra}, evidence: "{PHRASE}"}}\n'
    )
    derived = _compile(tmp_path, statement)
    assert (("programme/t-p", CW + "numberOfModules", "7") in derived) is yields


def test_broader_roles_get_their_narrower_roles(tmp_path: Path) -> None:
    derived = _compile(tmp_path, "")
    assert ("role/t-general", SKOS + "narrower", "role/t-a") in derived
    assert ("role/t-general", SKOS + "narrower", "role/t-b") in derived
    # organisations.yaml, copied in, has real role families of its own: look at the test roles only
    test_roles = {t for t in derived if t[1] == SKOS + "narrower" and t[0].startswith("role/t-")}
    assert not {t for t in test_roles if t[0] != "role/t-general"}


# -- the project's own build -----------------------------------------------------------------


def _not_current(row: dict[str, str | None], issued: dict[str, str]) -> str | None:
    """Why a statement yields no direct triple (an independent reading of the rule), or None."""
    if row["end"] is not None:
        return "ended"
    if row["planned"] == "true":
        return "planned"
    start = row["start"]
    if start is not None and (start + "-01-01")[:10] > max(issued[s] for s in str(row["sources"]).split()):
        return "starts after its document"
    return None


def test_no_direct_triple_of_the_build_comes_only_from_a_desirable_planned_or_ended_statement(
    store: OxigraphStore,
) -> None:
    issued = {
        r["s"]: (r["d"] + "-12-31")[:10] if len(r["d"]) == 4 else (r["d"] + "-31")[:10]
        for r in select(store, "SELECT ?s ?d WHERE { ?s a cw:SourceDocument ; dcterms:issued ?d }")
    }
    rows = select(
        store,
        """
        SELECT ?st ?s ?p ?o (SAMPLE(?e) AS ?end) (SAMPLE(?pl) AS ?planned) (SAMPLE(?ob) AS ?obligation)
               (MIN(STR(?sd)) AS ?start) (GROUP_CONCAT(DISTINCT STR(?src)) AS ?sources) WHERE {
          ?class cw:directProperty ?p ; cw:directSubject ?sp ; cw:directObject ?op .
          ?st a ?class ; ?sp ?s ; ?op ?o ; cw:statedIn ?src .
          OPTIONAL { ?st cw:endDate ?e } OPTIONAL { ?st cw:planned ?pl }
          OPTIONAL { ?st cw:obligation ?ob } OPTIONAL { ?st cw:startDate ?sd }
        } GROUP BY ?st ?s ?p ?o""",
    )
    assert len(rows) > 150
    supported: dict[tuple[str, str, str], list[str | None]] = {}
    for r in rows:
        why = _not_current(r, issued)
        if r["obligation"] == CW + "Desirable":
            supported.setdefault((r["s"], CW + "desirableQualification", r["o"]), []).append(why)
            why = "desirable"
        supported.setdefault((r["s"], r["p"], r["o"]), []).append(why)
    derived = {
        (r["s"], r["p"], r["o"])
        for r in select(
            store, "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/cwkg/graph/derived> { ?s ?p ?o } }"
        )
    }
    wrong = sorted(t for t, why in supported.items() if t in derived and None not in why)
    assert wrong == []
    missing = sorted(t for t, why in supported.items() if t not in derived and None in why)
    assert missing == []
