"""`cwkg release` twice on a small real project: versioned dumps, CHANGES.md from the diff, DCAT/VoID, CITATION.cff."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from cwkg.cli import app
from cwkg.config import Settings
from tests.conftest import ROOT

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.DCTERMS
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
CC_BY = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")


def make_project(folder: Path, version: str) -> Path:
    """The real manifest and organisations.yaml, with a cwkg.toml naming the graph's version."""
    (folder / "data" / "facts").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sources.yaml", folder / "data" / "sources.yaml")
    shutil.copy(
        ROOT / "data" / "facts" / "organisations.yaml", folder / "data" / "facts" / "organisations.yaml"
    )
    set_version(folder, version)
    return folder


def set_version(folder: Path, version: str) -> None:
    (folder / "cwkg.toml").write_text(
        f'[graph]\nversion = "{version}"\n\n[paths]\nsources = "{Settings().sources_dir}"\n', encoding="utf-8"
    )


def release(project: Path) -> object:
    return CliRunner().invoke(app, ["release"], env={"CWKG_PROJECT": str(project)})


@pytest.mark.slow
def test_two_releases_carry_versions_changes_and_descriptions(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", "1.0.0")
    first = release(project)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    one = project / "dist" / "releases" / "1.0.0"
    assert "First release" in (one / "CHANGES.md").read_text()

    orgs = project / "data" / "facts" / "organisations.yaml"
    orgs.write_text(orgs.read_text().replace("    label: Ofsted\n", "    label: OFSTED\n", 1))
    set_version(project, "1.1.0")
    second = release(project)
    assert second.exit_code == 0, second.output  # type: ignore[attr-defined]
    two = project / "dist" / "releases" / "1.1.0"

    sums = dict(reversed(line.split("  ")) for line in (two / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {f"cwkg-1.1.0.{ext}" for ext in ("ttl", "trig", "nt", "ttl.gz", "trig.gz", "nt.gz")}
    for name, digest in sums.items():
        assert hashlib.sha256((two / name).read_bytes()).hexdigest() == digest

    changes = (two / "CHANGES.md").read_text()
    assert changes.startswith("# Changes\n\n## 1.1.0 (")
    assert changes.count("`id:org/ofsted`") == 1 and "Ofsted → OFSTED" in changes
    assert changes.index("## 1.1.0") < changes.index("## 1.0.0") and "First release" in changes

    void = rdflib.Graph().parse(two / "void.ttl", format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/cwkg/dataset/1.1.0")
    assert str(void.value(dataset, DCAT.version)) == "1.1.0"
    assert void.value(dataset, PROV.wasRevisionOf) == rdflib.URIRef("https://w3id.org/cwkg/dataset/1.0.0")
    assert void.value(dataset, DCT.issued) is not None and void.value(dataset, DCT.modified) is not None
    assert void.value(dataset, DCT.license) == CC_BY
    distributions = list(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == 6
    for dist in distributions:
        name = str(dist).rsplit("/", 1)[1]
        assert str(void.value(void.value(dist, SPDX.checksum), SPDX.checksumValue)) == sums[name]
        assert int(void.value(dist, DCAT.byteSize)) == (two / name).stat().st_size  # type: ignore[arg-type]

    citation = (two / "CITATION.cff").read_text()
    assert 'version: "1.1.0"' in citation and "license: CC-BY-4.0" in citation and "type: dataset" in citation

    again = release(project)
    assert again.exit_code == 2 and "already exists" in again.stderr  # type: ignore[attr-defined]


def test_release_outside_a_project_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["release"])
    assert result.exit_code == 2 and "works inside a cwkg project" in result.stderr
