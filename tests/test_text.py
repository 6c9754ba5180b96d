"""The normaliser of source text and the evidence match key, as tables."""

from __future__ import annotations

import pytest

from cwkg.text import match_key, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\ntwo", "one two"),
        ("  lead and trail \n", "lead and trail"),
        ("qualifi cation", "qualification"),
        ("fl exibility and fi nal", "flexibility and final"),
        ("eff ectively", "effectively"),
        ("staff  must", "staff must"),
        ("fast-\ntrack", "fast-track"),
        ("\u201cquoted\u201d children\u2019s \u2013 dash", '"quoted" children\'s - dash'),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_offsets_map_back_to_the_original() -> None:
    raw = "The qualifi \ncation of\n  staff"
    n = normalise(raw)
    start = n.text.index("qualification")
    a, b = n.original_span(start, start + len("qualification"))
    assert raw[a:b] == "qualifi \ncation"
    s = n.text.index("staff")
    assert raw[slice(*n.original_span(s, s + 5))] == "staff"


def test_match_key_keeps_letters_and_digits_with_offsets() -> None:
    key, offsets = match_key("£3,362.50 (£3,762.50 in London)")
    assert key == "33625037625 0inlondon".replace(" ", "")
    assert offsets[0] == 1


def test_match_key_folds_case_and_ligature_glyphs() -> None:
    assert match_key("Qualiﬁcation")[0] == "qualification"
