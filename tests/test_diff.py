"""`cwkg diff` on two real builds that differ by a corrected value, a removed statement, an added entity
and a relabelling: each reported once, and nothing else.

The second build is the real data/ with four edits: the 2019/20 postgraduate bursary's places (1,500 in
the social work guide of 2019) corrected to 1,600, the 2019/20 undergraduate bursary removed, a charity
added (its evidence a phrase of the same guide), and Skills for Care relabelled.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from cwkg.build import compile_project, write_dumps
from cwkg.cli import app
from cwkg.compile import Compiled
from cwkg.config import Settings
from cwkg.diff import CS, diff_graphs
from cwkg.namespaces import CW, ID
from tests.conftest import ROOT

PLACES = "statement/0012507a07a5"  # postgraduate bursary 2019/20, places: 1500
REMOVED = "statement/0c721ea98bf3"  # undergraduate bursary 2019/20
ADDED = "org/test-added-charity"
RELABELLED = "org/skills-for-care"
NEW_ENTITY = f"""
  - id: {ADDED}
    type: [Charity]
    label: Test Added Charity
    definition: A charity added to test cwkg diff.
    evidence: the government has frozen the number and value of bursaries
"""


def edited_data(target: Path) -> Path:
    """A copy of data/ with the four edits of the module docstring."""
    shutil.copytree(ROOT / "data", target)
    social = target / "facts" / "social-work.yaml"
    text = social.read_text(encoding="utf-8")
    start = text.index(f"  - id: {PLACES}\n")
    places = text.index("    places: 1500\n", start)
    text = text[:places] + "    places: 1600\n" + text[places + len("    places: 1500\n") :]
    start = text.index(f"  - id: {REMOVED}\n")
    end = text.index("\n  - ", start + 1)
    text = text[:start] + text[end + 1 :]
    social.write_text(text, encoding="utf-8")
    orgs = target / "facts" / "organisations.yaml"
    text = orgs.read_text(encoding="utf-8")
    assert "    label: Skills for Care\n" in text
    text = text.replace("    label: Skills for Care\n", "    label: Skills for Care (England)\n", 1)
    text = text.replace("\nentities:\n", "\nentities:\n" + NEW_ENTITY, 1)
    orgs.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def edited(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    """The graph of the edited data/."""
    data = edited_data(tmp_path_factory.mktemp("edited") / "data")
    return compile_project(settings.model_copy(update={"data_dir": data}))[1]


def test_each_difference_is_reported_once_and_nothing_else(
    project: tuple[Compiled, list[ox.Quad]], edited: list[ox.Quad]
) -> None:
    diff = diff_graphs(project[1], edited)
    found = sorted((c.change, c.kind, c.iri.removeprefix(ID)) for c in diff.changes)
    assert found == sorted(
        [
            ("changed", "statement", PLACES),
            ("removed", "statement", REMOVED),
            ("added", "entity", ADDED),
            ("relabelled", "entity", RELABELLED),
        ]
    )
    changed = next(c for c in diff.changes if c.change == "changed")
    assert [(p.property, [t.value for t in p.old], [t.value for t in p.new]) for p in changed.properties] == [
        (CW + "places", ["1500"], ["1600"])
    ]
    relabel = next(c for c in diff.changes if c.change == "relabelled")
    assert [t.value for t in relabel.properties[0].new] == ["Skills for Care (England)"]


def test_markdown_and_rdf_name_each_change(
    project: tuple[Compiled, list[ox.Quad]], edited: list[ox.Quad]
) -> None:
    diff = diff_graphs(project[1], edited, old_name="1.0.0", new_name="1.1.0")
    markdown = diff.to_markdown()
    for iri in (PLACES, REMOVED, ADDED, RELABELLED):
        assert markdown.count(f"`id:{iri}`") == 1, iri
    assert "places 1500 → 1600" in markdown
    assert (
        '"Skills for Care" → "Skills for Care (England)"' in markdown
        or "Skills for Care → Skills for Care (England)" in markdown
    )
    graph = ox.Store()
    graph.load(diff.to_turtle().encode(), format=ox.RdfFormat.TURTLE)
    rows = list(
        graph.query(
            f"""PREFIX cs: <{CS}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            SELECT ?old ?new WHERE {{
              ?c a cs:ChangeSet ; cs:subjectOfChange <{ID}{PLACES}> ;
                 cs:removal [ rdf:predicate <{CW}places> ; rdf:object ?old ] ;
                 cs:addition [ rdf:predicate <{CW}places> ; rdf:object ?new ] }}"""
        )
    )
    assert [(r["old"].value, r["new"].value) for r in rows] == [("1500", "1600")]
    sets = graph.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{CS}ChangeSet> }}")
    assert int(next(iter(sets))["n"].value) == 4


def test_cli_diffs_two_builds_as_markdown(
    project: tuple[Compiled, list[ox.Quad]], edited: list[ox.Quad], tmp_path: Path
) -> None:
    write_dumps(project[1], tmp_path / "old")
    write_dumps(edited, tmp_path / "new")
    result = CliRunner().invoke(
        app, ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    for iri in (PLACES, REMOVED, ADDED, RELABELLED):
        assert result.stdout.count(f"`id:{iri}`") == 1, iri
    table = CliRunner().invoke(app, ["diff", str(tmp_path / "old" / "cwkg.trig.gz"), str(tmp_path / "new")])
    assert table.exit_code == 0, table.output
    assert "1500" in table.stdout and "1600" in table.stdout


def test_cli_diffs_a_git_revision_of_data_against_the_work_tree(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "data" / "facts").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sources.yaml", project / "data" / "sources.yaml")
    shutil.copy(
        ROOT / "data" / "facts" / "organisations.yaml", project / "data" / "facts" / "organisations.yaml"
    )
    (project / "cwkg.toml").write_text(f'[paths]\nsources = "{Settings().sources_dir}"\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], cwd=project, check=True)
    orgs = project / "data" / "facts" / "organisations.yaml"
    orgs.write_text(orgs.read_text().replace("    label: Ofsted\n", "    label: OFSTED\n", 1))
    result = CliRunner().invoke(
        app, ["diff", "HEAD", str(project), "--format", "markdown"], env={"CWKG_PROJECT": str(project)}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("`id:org/ofsted`") == 1
    assert "Entities relabelled" in result.stdout and "1 entity relabelled" in result.stdout


def test_a_spec_that_names_nothing_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "nothing.trig"), "no-such-revision-xyz"])
    assert result.exit_code == 2
    assert "nothing.trig" in result.stderr
