"""Finding the project from the working directory, its cwkg.toml, and the package's copies outside one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwkg import resources
from cwkg.config import Settings
from cwkg.errors import ConfigError
from cwkg.project import find_project, load_project
from tests.conftest import ROOT


def test_the_nearest_folder_up_with_a_manifest_or_a_project_file(tmp_path: Path) -> None:
    (tmp_path / "outer" / "data").mkdir(parents=True)
    (tmp_path / "outer" / "data" / "sources.yaml").write_text("sources: []\n")
    deep = tmp_path / "outer" / "data" / "facts" / "deeper"
    deep.mkdir(parents=True)
    assert find_project(deep) == tmp_path / "outer"
    (tmp_path / "outer" / "inner").mkdir()
    (tmp_path / "outer" / "inner" / "cwkg.toml").write_text('[graph]\nversion = "2.0.0"\n')
    assert find_project(tmp_path / "outer" / "inner") == tmp_path / "outer" / "inner"
    assert find_project(tmp_path) is None
    assert find_project(ROOT / "cwkg" / "cli") == ROOT


def test_settings_follow_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "mine"
    (project / "data").mkdir(parents=True)
    (project / "data" / "sources.yaml").write_text("sources: []\n")
    (project / "shapes").mkdir()
    (project / "cwkg.toml").write_text('[graph]\nversion = "3.1.0"\n[paths]\nsources = "docs"\n')
    monkeypatch.chdir(project / "data")
    inside = Settings()
    assert inside.project == project and inside.data_dir == project / "data"
    assert inside.shapes_dir == project / "shapes"  # its own
    assert inside.ontology_dir == resources.bundled_ontology_dir()  # it has none: the package's
    assert inside.sources_dir == project / "docs" and Path(inside.store) == project / "dist" / "store"
    assert load_project(project).version == "3.1.0"
    monkeypatch.chdir(tmp_path)
    outside = Settings()
    assert outside.project is None
    assert outside.shapes_dir == resources.bundled_shapes_dir()
    assert (outside.shapes_dir / "cwkg-shapes.ttl").is_file()
    assert outside.dist_dir == resources.bundled_graph_dir()
    with pytest.raises(ConfigError, match="works inside a cwkg project"):
        outside.require_data("cwkg build")
    monkeypatch.setenv("CWKG_PROJECT", str(project))
    assert Settings().project == project


def test_a_bad_project_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "cwkg.toml").write_text('[graph]\nversoin = "1.0.0"\n')
    with pytest.raises(ConfigError, match=r"cwkg.toml: unknown key\(s\) versoin"):
        load_project(tmp_path)
    (tmp_path / "cwkg.toml").write_text("[graph\n")
    with pytest.raises(ConfigError, match="cwkg.toml: not valid TOML"):
        load_project(tmp_path)
