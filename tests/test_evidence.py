"""Evidence phrases resolve to offsets once, or fail with a message saying why."""

from __future__ import annotations

import pytest

from cwkg.config import Settings
from cwkg.errors import EvidenceError
from cwkg.evidence import resolve
from cwkg.sources import Source, load_manifest


@pytest.fixture(scope="module")
def social_work_2019() -> Source:
    s = Settings()
    return load_manifest(s.data_dir / "sources.yaml", s.sources_dir)["cypnow-social-work-2019"]


def test_phrase_resolves_to_the_exact_text(social_work_2019: Source) -> None:
    ev = resolve(social_work_2019, "bursary of £19,833")
    assert social_work_2019.raw[ev.start : ev.end] == ev.exact == "bursary of £19,833"


def test_phrase_across_a_line_break_and_ligature() -> None:
    s = Settings()
    qtg = load_manifest(s.data_dir / "sources.yaml", s.sources_dir)["cypnow-qtg-2020"]
    ev = resolve(qtg, "required Level 3 qualification has increased eight percentage points")
    assert "qualifi cation" in ev.exact
    assert ev.exact.startswith("required Level 3")


def test_missing_phrase_names_phrase_and_source(social_work_2019: Source) -> None:
    with pytest.raises(
        EvidenceError, match=r"'a bursary of £99' does not occur in source cypnow-social-work-2019"
    ):
        resolve(social_work_2019, "a bursary of £99")


def test_ambiguous_phrase_is_refused(social_work_2019: Source) -> None:
    with pytest.raises(EvidenceError, match=r"occurs \d+ times"):
        resolve(social_work_2019, "social workers")


def test_long_phrase_is_refused(social_work_2019: Source) -> None:
    with pytest.raises(EvidenceError, match="13 words; at most 12"):
        resolve(social_work_2019, " ".join(["word"] * 13))


def test_cli_reports_offsets_and_failures() -> None:
    from typer.testing import CliRunner

    from cwkg.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["evidence", "cypnow-social-work-2019", "bursary of £19,833"])
    assert ok.exit_code == 0 and "ok" in ok.output
    bad = runner.invoke(app, ["evidence", "cypnow-social-work-2019", "bursary of £19,833", "social workers"])
    assert bad.exit_code == 1 and "occurs" in bad.output
    unknown = runner.invoke(app, ["evidence", "no-such-source", "x"])
    assert unknown.exit_code == 1 and "no source 'no-such-source'" in unknown.output
