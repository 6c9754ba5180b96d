"""The source manifest: which documents the graph is read from, checked by their sha256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from cwkg.errors import SourceError
from cwkg.text import NormalisedText, match_key, normalise

__all__ = ["Source", "load_manifest"]


@dataclass(frozen=True)
class Source:
    """One source document: its manifest entry and, read lazily, its text."""

    id: str
    path: Path
    sha256: str
    title: str
    publisher: str
    date: str
    author: str | None = None
    creator: tuple[str, ...] = ()
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def raw(self) -> str:
        """The file's text, after checking it is the file the manifest names."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"source {self.id}: cannot read {self.path}: {exc.strerror}") from exc
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise SourceError(
                f"source {self.id}: {self.path} has sha256 {digest}, but data/sources.yaml "
                f"expects {self.sha256}; the file changed, so its evidence offsets cannot be "
                "trusted. Restore the file, or re-check every phrase of this source and update "
                "the manifest."
            )
        return data.decode("utf-8")

    @cached_property
    def normalised(self) -> NormalisedText:
        """The text with wrapped lines joined and hyphenation and ligature breaks undone."""
        return normalise(self.raw)

    @cached_property
    def key(self) -> tuple[str, list[int]]:
        """The letters-and-digits form that evidence phrases are matched in."""
        return match_key(self.raw)


def load_manifest(manifest: Path, sources_dir: Path) -> dict[str, Source]:
    """Read `data/sources.yaml` into Source objects keyed by id, in manifest order."""
    try:
        entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["sources"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise SourceError(f"{manifest}: not a readable source manifest: {exc}") from exc
    sources: dict[str, Source] = {}
    for entry in entries:
        try:
            source = Source(
                id=entry["id"],
                path=sources_dir / entry["file"],
                sha256=entry["sha256"],
                title=entry["title"],
                publisher=entry["publisher"],
                date=str(entry["date"]),
                author=entry.get("author"),
                creator=tuple(entry.get("creator") or ()),
            )
        except KeyError as exc:
            raise SourceError(f"{manifest}: source entry {entry!r} lacks {exc}") from exc
        if source.id in sources:
            raise SourceError(f"{manifest}: source id {source.id} is listed twice")
        sources[source.id] = source
    return sources
