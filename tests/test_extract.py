"""Extraction: offset maps, sentences, sections, mention linking and candidates, as tables."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cwkg.config import Settings
from cwkg.extract.candidates import find_in_sentence
from cwkg.extract.document import Document, prepare, read_document
from cwkg.extract.mentions import Lexicon, find_mentions, mention_quads
from cwkg.extract.sections import find_headings
from cwkg.extract.sentences import split_sentences
from cwkg.namespaces import GRAPH_PROVENANCE
from cwkg.sources import Source, load_manifest
from cwkg.text import match_key


@pytest.fixture(scope="module")
def sources(settings: Settings) -> dict[str, Source]:
    """The real source documents of the manifest."""
    return load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)


@pytest.fixture(scope="module")
def documents(sources: dict[str, Source]) -> dict[str, Document]:
    """Every real source, prepared."""
    return {sid: read_document(s) for sid, s in sources.items()}


# -- offset map on the real sources ----------------------------------------------------------


def test_every_sentence_maps_back_to_the_same_words(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        for s in doc.sentences:
            a, b = doc.raw_span(s.start, s.end)
            assert match_key(doc.raw[a:b])[0] == match_key(s.text)[0], (doc.source_id, s.text)


def test_repaired_words_map_back_to_their_broken_form(documents: dict[str, Document]) -> None:
    doc = documents["cypnow-qtg-2020"]
    i = doc.text.index("qualification alongside a clinical")
    a, b = doc.raw_span(i, i + len("qualification"))
    assert doc.raw[a:b] == "qualifi cation"
    j = doc.text.index("employer-based 14-month")
    a, b = doc.raw_span(j, j + len("employer-based"))
    assert doc.raw[a:b].replace("\n", "") == "employer-based"


def test_offsets_are_monotonic(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        offs = doc.normalised.offsets
        assert all(x <= y for x, y in zip(offs, offs[1:]))


# -- sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "breaks", "expected"),
    [
        ("One. Two.", [], ["One.", "Two."]),
        ("It rose by 16.4 per cent. Then fell.", [], ["It rose by 16.4 per cent.", "Then fell."]),
        ("See e.g. the Act. Dr. Brown agreed.", [], ["See e.g. the Act.", "Dr. Brown agreed."]),
        ("J. Smith spoke. She left.", [], ["J. Smith spoke.", "She left."]),
        ('He said "yes." Then left.', [], ['He said "yes."', "Then left."]),
        ("4.3. At a time of strain. Help.", [], ["4.3. At a time of strain.", "Help."]),
        ("- 1.4 However we know. More.", [], ["- 1.4 However we know.", "More."]),
        ("Why? Because. Wow! Yes", [], ["Why?", "Because.", "Wow!", "Yes"]),
        ("costs £3m. £5m more", [], ["costs £3m.", "£5m more"]),
        ("the end. lower case goes on", [], ["the end. lower case goes on"]),
        ("SOCIAL WORK The number rose", [12], ["SOCIAL WORK", "The number rose"]),
    ],
)
def test_split_sentences(text: str, breaks: list[int], expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text, breaks)] == expected


def test_sentences_do_not_run_across_headings_or_table_rows() -> None:
    doc = prepare(
        "t",
        "Text ends here.\n\nChild protection\nSocial workers lack adequate training.\n"
        "Sector\tSize\tYear\nYouth\t30,542\t2007\n",
    )
    assert [s.text for s in doc.sentences] == [
        "Text ends here.",
        "Child protection",
        "Social workers lack adequate training.",
        "Sector",
        "Size",
        "Year",
        "Youth",
        "30,542",
        "2007",
    ]


# -- sections ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        (
            "cypnow-qtg-2020",
            [
                "SOCIAL WORK",
                "Child protection",
                "Looked-after children",
                "Fostering",
                "Play",
                "Youth work",
                "Youth justice",
                "Secure estate",
                "Community",
                "Education",
                "Early years",
                "Early help",
                "Health",
                "Directors",
                "Commissioning",
            ],
        ),
        ("cypnow-social-work-2019", ["Child protection", "Looked-after children"]),
        (
            "adcs-workforce-2019",
            ["1. Introduction", "2. A national voice", "6. Early help", "12. Recommendations"],
        ),
        (
            "dcsf-workforce-evidence-2008",
            ["Section 1 - Children and Young People", "Section 4 - Challenges for the workforce"],
        ),
        ("cypnow-directors-2021", ["Aspiring directors", "Meeting challenges", "Leadership training"]),
    ],
)
def test_sections_of_each_document(
    documents: dict[str, Document], source_id: str, expected: list[str]
) -> None:
    titles = [s.title.replace("–", "-") for s in documents[source_id].sections]
    missing = [t for t in expected if t not in titles]
    assert not missing, titles
    positions = [titles.index(t) for t in expected]
    assert positions == sorted(positions)


def test_wrapped_sentence_starts_are_not_headings() -> None:
    raw = (
        "were excluded.\n\nThe Assessed and Supported Year in\nEmployment (ASYE) for newly qualified social\n"
        "workers provides access.\n"
    )
    assert find_headings(raw) == []


def test_numbered_documents_open_sections_only_at_numbered_headings() -> None:
    raw = (
        "1. Introduction\nSome text of the paper here.\n\nA box title\nIt says that this is so.\n"
        "2. Voice\nMore text.\n3. Aims\nText.\n"
    )
    doc = prepare("t", raw)
    assert [s.title for s in doc.sections] == ["1. Introduction", "2. Voice", "3. Aims"]


# -- mention linking ---------------------------------------------------------------------------

LEXICON = {
    "id/org/dfe": ["Department for Education", "DfE"],
    "id/org/nya": ["National Youth Agency", "NYA"],
    "id/role/social-worker": ["social worker"],
    "id/role/dcs": ["director of children's services", "DCS"],
    "id/org/csa-centre": ["Centre of Expertise on Child Sexual Abuse", "CSA"],
    "id/programme/csa-fund": ["child sexual abuse fund", "CSA"],
}


def _mentions(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, tuple[str, ...]]]]:
    doc = prepare("s", text)
    found, ambiguous = find_mentions(doc, Lexicon.from_labels(LEXICON))
    return [(m.exact, m.entity) for m in found], [(a.exact, a.entities) for a in ambiguous]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("funded by the DfE.", [("DfE", "id/org/dfe")]),
        ("the DfE's programme", [("DfE's", "id/org/dfe")]),
        ("the NYA’s academy", [("NYA’s", "id/org/nya")]),
        ("the dfe and the nya", []),
        (
            "Social Workers and a social worker",
            [("Social Workers", "id/role/social-worker"), ("social worker", "id/role/social-worker")],
        ),
        (
            "three DCSs and two directors of children’s services",
            [("DCSs", "id/role/dcs"), ("directors of children’s services", "id/role/dcs")],
        ),
        ("the Department for\nEducation said", [("Department for\nEducation", "id/org/dfe")]),
        ("the NATIONAL YOUTH AGENCY", [("NATIONAL YOUTH AGENCY", "id/org/nya")]),
    ],
)
def test_mentions_of_labels_acronyms_plurals_and_case(text: str, expected: list[tuple[str, str]]) -> None:
    assert _mentions(text)[0] == expected


def test_an_ambiguous_acronym_is_reported_not_linked() -> None:
    found, ambiguous = _mentions("trained by the CSA in 2020")
    assert found == []
    assert ambiguous == [("CSA", ("id/org/csa-centre", "id/programme/csa-fund"))]


def test_mention_quads_are_web_annotations_with_iris() -> None:
    doc = prepare("s", "funded by the DfE.")
    found, _ = find_mentions(doc, Lexicon.from_labels({"https://w3id.org/cwkg/id/org/dfe": ["DfE"]}))
    quads = mention_quads(found, {"s": doc.raw})
    assert quads == mention_quads(found, {"s": doc.raw})
    assert all(q.graph_name == ox.NamedNode(GRAPH_PROVENANCE) for q in quads)
    assert all(isinstance(q.subject, ox.NamedNode) and not isinstance(q.object, ox.BlankNode) for q in quads)
    by_p = {q.predicate.value.rpartition("#")[2]: q.object for q in quads}
    assert by_p["motivatedBy"] == ox.NamedNode("http://www.w3.org/ns/oa#identifying")
    assert by_p["hasSource"] == ox.NamedNode("https://w3id.org/cwkg/id/source/s")
    assert (by_p["start"].value, by_p["end"].value, by_p["exact"].value) == ("14", "17", "DfE")
    assert by_p["prefix"].value == "funded by the " and by_p["suffix"].value == "."


def test_real_sources_link_known_acronyms(documents: dict[str, Document]) -> None:
    lex = Lexicon.from_labels({"id/org/basw": ["British Association of Social Workers", "BASW"]})
    found, _ = find_mentions(documents["cypnow-social-work-2019"], lex)
    assert {m.exact for m in found} == {"British Association of Social Workers", "BASW"}


# -- candidates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "bursaries of £3,362.50 (£3,762.50 in London)",
            [("money", "£3,362.50", ("3362.5",)), ("money", "£3,762.50", ("3762.5",))],
        ),
        ("The £6.5m programme", [("money", "£6.5m", ("6500000",))]),
        (
            "a 16.4 per cent vacancy rate in September 2019",
            [("percent", "16.4 per cent", ("16.4",)), ("date", "September 2019", ("2019-09",))],
        ),
        ("Sixty per cent of DCSs", [("percent", "Sixty per cent", ("60",))]),
        ("an employer-based 14-month fast track", [("duration", "14-month", ("P14M",))]),
        ("for 12- to 18-year-olds", []),
        (
            "In 2020/21, 1,500 postgraduates",
            [("date", "2020/21", ("ay2020-21", "fy2020-21")), ("count", "1,500", ("1500",))],
        ),
        (
            "the 2020 Workforce Strategy Expert Group",
            [("organisation", "Workforce Strategy Expert Group", ())],
        ),
        (
            "a Level 3 qualification and Band 3 staff, see table 2.1",
            [("qualification", "Level 3 qualification", ())],
        ),
        ("Telephone 0161 437 9491 or see www.example.org/2020", []),
        ("funded by the Department for Education (DfE)", [("organisation", "Department for Education", ())]),
        (
            "at the University of Bedfordshire and Birkbeck University",
            [("organisation", "University of Bedfordshire", ()), ("organisation", "Birkbeck University", ())],
        ),
        (
            "staff must hold the Level 3 Diploma for Residential Child Care",
            [("qualification", "Level 3 Diploma for Residential Child Care", ())],
        ),
        (
            "earn a postgraduate diploma in social work",
            [("qualification", "postgraduate diploma in social work", ())],
        ),
        (
            "the Frontline fast-track graduate programme aims",
            [("programme", "Frontline fast-track graduate programme", ())],
        ),
        (
            "the Practice Supervisor Development Programme",
            [("programme", "Practice Supervisor Development Programme", ())],
        ),
        (
            "newly qualified social workers and teachers",
            [("role", "newly qualified social workers", ()), ("role", "teachers", ())],
        ),
        ("says social workers do not", [("role", "social workers", ())]),
        ("key workers are overcoming", []),
        ("Cafcass family court advisers (FCAs) work", [("role", "family court advisers", ())]),
        ("says Gavin Moorghen, professional officer", []),
        ("the Children and Young People Now report", []),
    ],
)
def test_find_in_sentence(text: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert [(k, text[a:b], v) for a, b, k, v in find_in_sentence(text)] == expected
