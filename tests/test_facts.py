"""Reading fact files: names keep their commas, and bad files name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwkg.errors import DataError
from cwkg.facts import load_fact_files
from tests.conftest import ROOT


def _load(tmp_path: Path, text: str) -> dict[str, object]:
    (tmp_path / "test.yaml").write_text(text)
    return load_fact_files(tmp_path)[0].records[0].fields


def test_a_quoted_name_with_commas_stays_one_name(tmp_path: Path) -> None:
    fields = _load(
        tmp_path,
        "entities:\n  - id: org/dcms\n    type: GovernmentDepartment\n    label: DCMS\n    evidence: p\n"
        '    altLabel: ["DCMS", "Department for Digital, Culture, Media and Sport"]\n',
    )
    assert fields["altLabel"] == ["DCMS", "Department for Digital, Culture, Media and Sport"]


def test_a_block_list_keeps_commas_in_names(tmp_path: Path) -> None:
    fields = _load(
        tmp_path,
        "entities:\n  - id: org/ofsted\n    type: Inspectorate\n    label: Ofsted\n    evidence: p\n    altLabel:\n"
        "      - Office for Standards in Education, Children's Services and Skills\n      - Ofsted\n",
    )
    assert fields["altLabel"] == [
        "Office for Standards in Education, Children's Services and Skills",
        "Ofsted",
    ]


def test_an_unquoted_flow_list_of_names_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        _load(
            tmp_path,
            "entities:\n  - id: org/dcms\n    label: DCMS\n"
            "    altLabel: [Department for Digital, Culture, Media and Sport]\n",
        )
    message = str(err.value)
    assert "test.yaml" in message and "line 4" in message
    assert "'Culture'" in message and "quote each name" in message


def test_one_unquoted_name_and_references_are_allowed(tmp_path: Path) -> None:
    fields = _load(
        tmp_path,
        "entities:\n  - id: org/swe\n    type: Regulator\n    label: Social Work England\n    evidence: p\n"
        "    altLabel: [SWE]\n    sector: [sector/social-care, sector/youth]\n",
    )
    assert fields["altLabel"] == ["SWE"]
    assert fields["sector"] == ["sector/social-care", "sector/youth"]


def test_the_project_names_that_had_commas_are_whole() -> None:
    """The names the loader used to split (issue 17) read as one name each."""
    names: dict[str, list[str]] = {}
    for f in load_fact_files(ROOT / "data" / "facts"):
        for r in f.records:
            if isinstance(r.fields.get("altLabel"), list):
                names[str(r.fields.get("id"))] = r.fields["altLabel"]
    assert "Department for Digital, Culture, Media and Sport" in names["org/dcms"]
    assert "Culture" not in names["org/dcms"]
    assert "Office for Standards in Education, Children's Services and Skills" in names["org/ofsted"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("entities:\n  - id: org/x\n    type: [Charity]\n    evidence: a phrase\n", 2, "needs a `label`"),
        (
            "entities:\n  - id: org/x\n    type: Charity\n    label:\n      - X\n      - Y\n    evidence: a phrase\n",
            2,
            "has more than one `label`; put the others in `altLabel`",
        ),
        ("entities:\n  - id: org/x\n    type: Charity\n    label: X\n", 2, "has no evidence"),
        (
            "entities:\n  - id: org/Bad_Slug\n    type: Charity\n    label: X\n    evidence: p\n",
            2,
            "slug 'Bad_Slug' must be lowercase letters and digits joined by hyphens",
        ),
        (
            "statements:\n  - id: stmt/abc\n    type: Regulation\n    evidence: p\n",
            2,
            "an id here starts with statement/",
        ),
        (
            "statements:\n  - type: AttributeStatement\n    about: org/x\n    attribute: duration\n"
            "    evidence: p\n",
            2,
            "an AttributeStatement needs `about`, `attribute` and `value`",
        ),
        (
            "observations:\n  - statistic: statistic/x\n    evidence: {source: s, phrase: p}\n",
            2,
            "`evidence",
        ),
    ],
)
def test_the_fact_schema_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    with pytest.raises(DataError) as err:
        _load(tmp_path, text)
    assert f"test.yaml:{line} (" in str(err.value) and problem in str(err.value)


def test_records_carry_their_typed_model(tmp_path: Path) -> None:
    (tmp_path / "test.yaml").write_text(
        "source: cypnow-qtg-2020\nstatements:\n  - type: Regulation\n    regulator: org/hcpc\n"
        "    evidence: [one phrase, {source: cypnow-social-work-2019, quote: another}]\n"
    )
    record = load_fact_files(tmp_path)[0].records[0]
    assert record.model.type == ["Regulation"]  # type: ignore[attr-defined]
    assert record.model.evidence[0] == "one phrase"
    assert record.model.evidence[1].source == "cypnow-social-work-2019"  # type: ignore[union-attr]
    assert record.fields["regulator"] == "org/hcpc" and record.line == 3
