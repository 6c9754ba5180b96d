"""Tables for people (cwkg.cli.tables) and cells as people write them (cwkg.cli.query.cell)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rich.console import Console

from cwkg.cli.query import cell
from cwkg.cli.tables import print_table

IRI = "qualification/level-5-diploma-leadership-management-residential-child-care"


def printed(width: int, columns: list[str], rows: list[list[str]]) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    print_table(console, "Title", columns, rows)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_a_table_that_fits_keeps_headers_and_words_whole() -> None:
    rows = [["role/social-worker", "Social worker, registered with Social Work England since 2019", "true"]]
    text = printed(60, ["role", "description of the role", "current"], rows)
    assert "role/social-worker" in text and "description of the role" in text
    assert "│" in text and all(len(line) <= 60 for line in text.splitlines())
    words = {w.strip("│ ") for line in text.splitlines() for w in line.split()}
    assert {"registered", "England", "current"} <= words  # wrapped at spaces, no word folded


def test_a_table_that_cannot_fit_prints_one_block_per_row() -> None:
    rows = [[IRI, "Level 5 Diploma", "mandatory"], [IRI, "Level 5 Diploma", "desirable"]]
    text = printed(60, ["qualification", "label", "obligation"], rows)
    assert "│" not in text
    assert f"qualification: {IRI}" in text  # the IRI whole, on its line
    assert text.count("obligation: ") == 2


@pytest.mark.parametrize(
    ("term", "shown"),
    [
        (ox.NamedNode("https://w3id.org/cwkg/id/role/social-worker"), "role/social-worker"),
        (ox.NamedNode("https://w3id.org/cwkg/ontology#Role"), "cw:Role"),
        (ox.NamedNode("http://example.org/x"), "http://example.org/x"),
        (ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")), "true"),
        (
            ox.Literal("19833.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            "19833.50",
        ),
        (
            ox.Literal("2019-12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
            "2019-12",
        ),
        (None, ""),
    ],
)
def test_cells_are_written_as_people_write_them(term: ox.NamedNode | ox.Literal | None, shown: str) -> None:
    assert cell(term) == shown
