"""`cwkg extract` through CliRunner: one test per documented exit code, and coverage rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from cwkg.cli import app
from cwkg.errors import DataError
from cwkg.extract.candidates import find_candidates
from cwkg.extract.coverage import GraphIndex, IgnoreList, judge
from cwkg.extract.document import prepare

PROJECT = Path(__file__).parent / "fixtures" / "extraction" / "project"
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the tiny fixture project that a test may change."""
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def _args(project: Path, *extra: str) -> list[str]:
    return ["extract", "--data", str(project / "data"), "--sources-dir", str(project / "sources"), *extra]


def test_check_exits_0_when_every_candidate_is_covered_or_ignored(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, _args(project, "--check", "--json", str(out)))
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    doc = report["documents"][0]
    assert (doc["candidates"], doc["covered"], doc["ignored"], doc["uncovered"]) == (4, 2, 2, 0)
    assert doc["mentions"] == 2


def test_check_exits_1_when_a_candidate_is_uncovered(project: Path) -> None:
    (project / "data" / "extraction-ignore").unlink()
    result = runner.invoke(app, _args(project, "--check", "--format", "json"))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["uncovered"] == 2
    assert "uncovered candidate" in result.stderr


def test_without_check_uncovered_candidates_exit_0(project: Path) -> None:
    (project / "data" / "extraction-ignore").unlink()
    assert runner.invoke(app, _args(project)).exit_code == 0


def test_an_unknown_source_id_exits_1(project: Path) -> None:
    """The thing asked for does not exist: exit 1, as for an unknown canned query (cwkg.cli.console)."""
    result = runner.invoke(app, _args(project, "no-such-source"))
    assert result.exit_code == 1
    assert "unknown source id" in result.stderr


def test_a_bad_ignore_line_exits_2(project: Path) -> None:
    (project / "data" / "extraction-ignore").write_text("tiny\tonly two fields\n")
    result = runner.invoke(app, _args(project))
    assert result.exit_code == 2
    assert "extraction-ignore:1" in result.stderr


def test_ignore_list_format(tmp_path: Path) -> None:
    path = tmp_path / "ignore"
    path.write_text("# comment\n\n*\tThe Council\tgeneric\nsrc\t£5m\tan advertisement\n")
    entries = IgnoreList.load(path).entries
    assert [(e.source_id, e.text, e.reason, e.line) for e in entries] == [
        ("*", "The Council", "generic", 3),
        ("src", "£5m", "an advertisement", 4),
    ]
    path.write_text("src\tno reason\t\n")
    with pytest.raises(DataError):
        IgnoreList.load(path)


def _quads(start: int, end: int, value: str, datatype: str) -> list[ox.Quad]:
    """An observation with one value and its evidence at raw offsets of source `s`."""
    oa, g = "http://www.w3.org/ns/oa#", ox.NamedNode("https://w3id.org/cwkg/graph/provenance")
    src = ox.NamedNode("https://w3id.org/cwkg/graph/source/s")
    obs, ann = (
        ox.NamedNode("https://w3id.org/cwkg/id/observation/1"),
        ox.NamedNode("https://w3id.org/cwkg/id/annotation/1"),
    )
    tgt, pos = ox.NamedNode(ann.value + "/target"), ox.NamedNode(ann.value + "/position")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    return [
        ox.Quad(
            obs,
            ox.NamedNode("https://w3id.org/cwkg/ontology#obsValue"),
            ox.Literal(value, datatype=ox.NamedNode(xsd + datatype)),
            src,
        ),
        ox.Quad(ann, ox.NamedNode(oa + "hasBody"), obs, g),
        ox.Quad(ann, ox.NamedNode(oa + "hasTarget"), tgt, g),
        ox.Quad(tgt, ox.NamedNode(oa + "hasSource"), ox.NamedNode("https://w3id.org/cwkg/id/source/s"), g),
        ox.Quad(tgt, ox.NamedNode(oa + "hasSelector"), pos, g),
        ox.Quad(
            pos, ox.NamedNode(oa + "start"), ox.Literal(str(start), datatype=ox.NamedNode(xsd + "integer")), g
        ),
        ox.Quad(
            pos, ox.NamedNode(oa + "end"), ox.Literal(str(end), datatype=ox.NamedNode(xsd + "integer")), g
        ),
    ]


@pytest.mark.parametrize(
    ("evidence", "value", "datatype", "state"),
    [
        ((0, 10), "16.4", "decimal", "covered"),  # evidence in the same sentence
        ((0, 10), "16.5", "decimal", "uncovered"),  # another value
        ((40, 50), "16.4", "decimal", "uncovered"),  # evidence in another sentence
    ],
)
def test_a_figure_is_covered_by_a_value_with_evidence_in_its_sentence(
    evidence: tuple[int, int], value: str, datatype: str, state: str
) -> None:
    doc = prepare("s", "The rate was 16.4 per cent in all.\nNext, another sentence follows here.")
    index = GraphIndex.from_quads(_quads(*evidence, value, datatype))
    statuses = judge(doc, [c for c in find_candidates(doc) if c.kind == "percent"], index, IgnoreList())
    assert [s.state for s in statuses] == [state]
