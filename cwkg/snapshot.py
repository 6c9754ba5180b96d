"""One side of `cwkg diff`: the graph of a dump, a build, a project, or a git revision of data/, as quads.

A spec names a file (`.trig`, `.nq`, `.ttl`, `.nt`, each possibly gzipped), a folder (a build or release
folder with a TriG dump; a project folder, which is compiled), or, failing those, a git revision of the
project (`v1.0.0`, `HEAD~1`), whose `data/` (and `ontology/`, when the revision has one) is compiled
against the same source documents.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cwkg.config import Settings
from cwkg.errors import ConfigError
from cwkg.rdf import parse_file

__all__ = ["Snapshot", "load_snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """A graph to compare and where it came from, in words."""

    origin: str
    quads: list[ox.Quad]


def _dump_in(folder: Path) -> Path | None:
    """The TriG dump of a build or release folder (cwkg.trig, or cwkg-VERSION.trig), gzipped or not."""
    for pattern in ("cwkg.trig", "cwkg.trig.gz", "cwkg-*.trig", "cwkg-*.trig.gz"):
        found = sorted(folder.glob(pattern))
        if found:
            return found[-1]
    return None


def _compile(settings: Settings) -> list[ox.Quad]:
    from cwkg.build import compile_project

    return compile_project(settings)[1]


def _revision(settings: Settings, spec: str) -> Snapshot | None:
    """The graph of data/ at a git revision of the project; None when `spec` is no revision."""
    project = settings.project
    if project is None:
        return None
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    commit = done.stdout.strip()
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()
    root = Path(top).resolve()
    data_rel = settings.data_dir.resolve().relative_to(root).as_posix()
    folders = [data_rel]
    ontology = settings.ontology_dir.resolve()
    if ontology.is_relative_to(root):  # the ontology of that revision too, when it had one there
        onto_rel = ontology.relative_to(root).as_posix()
        there = subprocess.run(
            ["git", "cat-file", "-e", f"{commit}:{onto_rel}"], cwd=top, capture_output=True
        )
        if there.returncode == 0:
            folders.append(onto_rel)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "--", *folders], cwd=top, capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise ConfigError(
            f"revision {spec} ({commit[:12]}) has no {data_rel}/: {archive.stderr.decode().strip()}"
        )
    with tempfile.TemporaryDirectory(prefix="cwkg-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        overrides: dict[str, Path] = {"data_dir": Path(tmp) / data_rel}
        if len(folders) > 1:
            overrides["ontology_dir"] = Path(tmp) / folders[1]
        quads = _compile(settings.model_copy(update=overrides))
    return Snapshot(f"{spec} ({commit[:12]})", quads)


def load_snapshot(settings: Settings, spec: str) -> Snapshot:
    """The graph a spec names (see the module docstring); a ConfigError when it names nothing."""
    path = Path(spec)
    if path.is_file():
        return Snapshot(str(path), parse_file(path))
    if path.is_dir():
        dump = _dump_in(path)
        if dump is not None:
            return Snapshot(str(dump), parse_file(dump))
        if (path / "data" / "sources.yaml").is_file():
            return Snapshot(f"{path} (data/ as it is now)", _compile(Settings(project=path.resolve())))
        raise ConfigError(f"{path}: neither a build (no cwkg.trig) nor a project (no data/sources.yaml)")
    found = _revision(settings, spec)
    if found is None:
        where = f" of the project at {settings.project}" if settings.project else " (and no project here)"
        raise ConfigError(f"{spec!r} is neither a file, a folder, nor a git revision{where}")
    return found
