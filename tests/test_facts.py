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
        'entities:\n  - id: org/dcms\n    altLabel: ["DCMS", "Department for Digital, Culture, Media and Sport"]\n',
    )
    assert fields["altLabel"] == ["DCMS", "Department for Digital, Culture, Media and Sport"]


def test_a_block_list_keeps_commas_in_names(tmp_path: Path) -> None:
    fields = _load(
        tmp_path,
        "entities:\n  - id: org/ofsted\n    altLabel:\n"
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
        "entities:\n  - id: org/swe\n    altLabel: [SWE]\n    sector: [sector/social-care, sector/youth]\n",
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
