"""Finding the project a command runs in, as ruff, dbt and mkdocs find theirs: from the working directory up.

A project is the nearest folder, from the working directory upward, that holds `cwkg.toml` or
`data/sources.yaml`. Its `cwkg.toml` (optional) gives the graph's own version and licence, separate from
the code's version, and may move the folders:

    [graph]
    version = "1.1.0"
    licence = "https://creativecommons.org/licenses/by/4.0/"

    [paths]            # relative to the project folder
    sources = "../shared/sources"

Outside any project, commands that read only the ontology, the shapes, the queries or the published graph
use the copies the package carries (cwkg.resources); the others say that they need a project.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cwkg.errors import ConfigError

__all__ = ["PROJECT_FILE", "Project", "find_project", "load_project"]

PROJECT_FILE = "cwkg.toml"
#: The [paths] keys of cwkg.toml and the folder each one defaults to, relative to the project folder.
PATHS: dict[str, str] = {
    "ontology": "ontology",
    "shapes": "shapes",
    "queries": "queries",
    "data": "data",
    "dist": "dist",
    "sources": "../shared/sources",
}
DEFAULT_VERSION = "0.0.0"
DEFAULT_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Project:
    """A project folder and what its cwkg.toml says (defaults when it has none)."""

    root: Path
    version: str = DEFAULT_VERSION
    licence: str = DEFAULT_LICENCE
    paths: dict[str, Path] = field(default_factory=dict)

    def path(self, key: str) -> Path:
        """A folder of the project: the one cwkg.toml names, else the default beside the project file."""
        return self.paths.get(key, (self.root / PATHS[key]).resolve())


def find_project(start: Path | None = None) -> Path | None:
    """The nearest folder from `start` (the working directory) upward with cwkg.toml or data/sources.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file() or (folder / "data" / "sources.yaml").is_file():
            return folder
    return None


def load_project(root: Path) -> Project:
    """The project at `root`, with its cwkg.toml read (cached per file and modification time)."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(f"CWKG_PROJECT={root}: no such folder")
    file = root / PROJECT_FILE
    stamp = file.stat().st_mtime_ns if file.is_file() else 0
    return _load(root, stamp)


@lru_cache(maxsize=8)
def _load(root: Path, stamp: int) -> Project:
    file = root / PROJECT_FILE
    if not stamp:
        return Project(root)
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
    unknown = sorted(set(doc) - {"graph", "paths"})
    if unknown:
        raise ConfigError(f"{file}: unknown table(s) {', '.join(unknown)}; expected [graph] and [paths]")
    graph, paths = doc.get("graph", {}), doc.get("paths", {})
    bad = sorted(set(graph) - {"version", "licence"}) + sorted(f"paths.{k}" for k in set(paths) - set(PATHS))
    if bad:
        raise ConfigError(
            f"{file}: unknown key(s) {', '.join(bad)}; [graph] has version and licence, "
            f"[paths] has {', '.join(PATHS)}"
        )
    for key, value in [*graph.items(), *paths.items()]:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{file}: {key} must be a non-empty string, not {value!r}")
    return Project(
        root,
        version=graph.get("version", DEFAULT_VERSION),
        licence=graph.get("licence", DEFAULT_LICENCE),
        paths={k: (root / v).resolve() for k, v in paths.items()},
    )
