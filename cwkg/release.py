"""`cwkg release`: a versioned release of the graph for publishers (ESCO's versioned releases, ROBOT's workflow).

It builds the project, then writes `dist/releases/VERSION/` (VERSION from cwkg.toml, [graph] version):
the dumps named `cwkg-VERSION.*` with their SHA256SUMS and build.json, `CHANGES.md` (`cwkg diff` against
the release before, above that release's own CHANGES.md), `void.ttl` (DCAT and VoID: dcat:version,
dct:issued, dct:modified, prov:wasRevisionOf the release before, licence, one distribution per dump with
its checksum) and `CITATION.cff`. A release is never overwritten: raise the version to make another.
The folder is written beside its place and renamed into it, so a failed release leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cwkg.buildinfo import BUILD_FILE, BuildInfo, read_build_info
from cwkg.config import Settings
from cwkg.dataset import (
    DATASET,
    DUMP_KINDS,
    LICENCES,
    TITLE,
    Distribution,
    distribution_triples,
    dump_kind,
    licence_name,
    version_iri,
    version_triples,
)
from cwkg.diff import GraphDiff, diff_graphs
from cwkg.errors import ConfigError
from cwkg.namespaces import PREFIXES
from cwkg.project import DEFAULT_VERSION
from cwkg.rdf import parse_file

__all__ = ["Release", "make_release", "previous_release"]

Step = Callable[[str], None]


@dataclass(frozen=True)
class Release:
    """What `cwkg release` wrote."""

    version: str
    folder: Path
    previous: str | None
    changes: GraphDiff | None
    files: dict[str, str]  # name -> SHA-256


def _key(version: str) -> tuple[tuple[int, str], ...]:
    """A version for ordering: numbers as numbers (1.10.0 after 1.9.0)."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def previous_release(releases: Path, version: str) -> Path | None:
    """The newest release folder in `releases` older than `version`."""
    if not releases.is_dir():
        return None
    older = [f for f in releases.iterdir() if (f / BUILD_FILE).is_file() and _key(f.name) < _key(version)]
    return max(older, key=lambda f: _key(f.name), default=None)


def _void(
    info: BuildInfo, previous: str | None, files: dict[str, tuple[int, str]], base_url: str | None
) -> str:
    """DCAT and VoID of one release, as Turtle."""
    node = version_iri(info.version)
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    t = [
        ox.Triple(ox.NamedNode(node), rdf_type, ox.NamedNode(PREFIXES["dcat"] + "Dataset")),
        ox.Triple(ox.NamedNode(node), rdf_type, ox.NamedNode(PREFIXES["void"] + "Dataset")),
        ox.Triple(
            ox.NamedNode(node),
            ox.NamedNode(PREFIXES["dcterms"] + "title"),
            ox.Literal(f"{TITLE}, version {info.version}", language="en"),
        ),
        ox.Triple(
            ox.NamedNode(node), ox.NamedNode(PREFIXES["dcterms"] + "license"), ox.NamedNode(info.licence)
        ),
        *version_triples(node, info, issued=info.date, previous=previous),
    ]
    for name, (size, digest) in sorted(files.items()):
        kind = dump_kind(name)
        assert kind is not None, name  # the release names every file after a suffix of DUMP_KINDS
        url = f"{base_url.rstrip('/')}/{name}" if base_url else None
        dist = Distribution(f"{node}/{name}", url, kind.title, kind.media_type, kind.encoding, size, digest)
        t += distribution_triples(node, dist, info.licence)
    used = {k: v for k, v in PREFIXES.items() if k in ("dcat", "dcterms", "prov", "rdf", "void", "xsd")}
    t.sort(key=lambda x: (str(x.subject), x.predicate != rdf_type, str(x.predicate), str(x.object)))
    text = ox.serialize(
        t, format=ox.RdfFormat.TURTLE, prefixes={**used, "spdx": "http://spdx.org/rdf/terms#"}
    )
    return (text or b"").decode()


def _citation(info: BuildInfo, base_url: str | None) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset of this release."""
    lines = [
        "# Citation File Format 1.2.0 (https://citation-file-format.github.io/), written by `cwkg release`",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f'title: "{TITLE}"',
        f'version: "{info.version}"',
        f"date-released: {info.date}",
        "authors:",
        '  - name: "cwkg maintainers"',
        f'url: "{base_url or DATASET}"',
        f'identifiers:\n  - type: url\n    value: "{version_iri(info.version)}"\n    description: "this release"',
    ]
    spdx = LICENCES.get(info.licence, ("", ""))[1]
    lines.append(f"license: {spdx}" if spdx else f'license-url: "{info.licence}"')
    if info.data_commit:
        lines.append(f'commit: "{info.data_commit}"')
    lines.append('keywords: ["children\'s workforce", "knowledge graph", "linked data", "qualifications"]')
    return "\n".join(lines) + "\n"


def _changes(info: BuildInfo, diff: GraphDiff | None, previous_folder: Path | None, counts: str) -> str:
    """CHANGES.md: this release's section above the history of the release before."""
    section = [f"## {info.version} ({info.date})", ""]
    section += [diff.to_markdown().rstrip(), ""] if diff is not None else [f"First release: {counts}.", ""]
    history = ""
    if previous_folder is not None and (previous_folder / "CHANGES.md").is_file():
        history = (previous_folder / "CHANGES.md").read_text(encoding="utf-8").split("\n", 2)[-1].lstrip("\n")
    return "# Changes\n\n" + "\n".join(section) + ("\n" + history if history else "")


def make_release(
    settings: Settings,
    *,
    output: Path | None = None,
    previous: str | None = None,
    base_url: str | None = None,
    step: Step = lambda _: None,
) -> Release:
    """Build the project and write a release of it (see the module docstring)."""
    from cwkg.build import build
    from cwkg.snapshot import load_snapshot

    project = settings.require_project("cwkg release")
    if project.version == DEFAULT_VERSION:
        raise ConfigError(
            f"{project.root / 'cwkg.toml'}: set [graph] version, the version this release will have"
        )
    releases = output or settings.dist_dir / "releases"
    folder = releases / project.version
    if folder.exists():
        raise ConfigError(
            f"release {project.version} already exists in {folder}: raise [graph] version in cwkg.toml"
        )
    build(settings, step)
    info = read_build_info(settings.dist_dir)
    assert info is not None  # the build just wrote it
    step("comparing with the release before")
    before_folder = previous_release(releases, project.version)
    spec = previous or (str(before_folder) if before_folder else None)
    quads = parse_file(settings.dist_dir / "cwkg.trig")
    diff, before_version = None, None
    if spec is not None:
        before = load_snapshot(settings, spec)
        before_info = read_build_info(Path(spec)) if Path(spec).is_dir() else None
        before_version = before_info.version if before_info else None
        diff = diff_graphs(
            before.quads, quads, old_name=before_version or before.origin, new_name=project.version
        )
    step(f"writing release {project.version}")
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        files: dict[str, tuple[int, str]] = {}
        for suffix in DUMP_KINDS:
            name = f"cwkg-{project.version}{suffix}"
            data = (settings.dist_dir / f"cwkg{suffix}").read_bytes()
            (fresh / name).write_bytes(data)
            files[name] = (len(data), hashlib.sha256(data).hexdigest())
        (fresh / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, (_, h) in sorted(files.items())))
        shutil.copy(settings.dist_dir / BUILD_FILE, fresh / BUILD_FILE)
        (fresh / "void.ttl").write_text(_void(info, before_version, files, base_url), encoding="utf-8")
        (fresh / "CITATION.cff").write_text(_citation(info, base_url), encoding="utf-8")
        counts = f"{len(quads)} quads, licence {licence_name(info.licence)}"
        (fresh / "CHANGES.md").write_text(_changes(info, diff, before_folder, counts), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise ConfigError(f"cannot write the release into {fresh}: {exc}") from exc
    fresh.replace(folder)
    return Release(project.version, folder, before_version, diff, {n: h for n, (_, h) in files.items()})
