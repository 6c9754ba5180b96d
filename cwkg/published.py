"""The published graph the package carries, loaded into an embedded store on first start.

`pip install cwkg && cwkg serve` in any folder serves the graph the wheel was built with: its TriG dump
(cwkg.resources.bundled_graph_dir) is checked against its SHA-256 and bulk-loaded, with a progress bar,
into a fresh store beside the target, which then takes the target's place, so a stopped load leaves nothing
half-written. Inside a project the store is built from data/ instead (cwkg.build).
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from cwkg.buildinfo import read_checksums
from cwkg.config import Settings
from cwkg.errors import ConfigError, StoreError
from cwkg.resources import bundled_graph_dir

__all__ = ["DUMP", "ensure_store", "load_published"]

log = logging.getLogger("cwkg")

DUMP = "cwkg.trig"


class _Counting(io.RawIOBase):
    """A binary reader that reports the bytes read and hashes them on the way."""

    def __init__(self, raw: BinaryIO, advance: Callable[[int], None]) -> None:
        super().__init__()
        self.raw, self.advance, self.sha256 = raw, advance, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.raw.read(len(buffer))
        self.sha256.update(chunk)
        self.advance(len(chunk))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def load_published(target: Path, advance: Callable[[int], None] = lambda _: None) -> int:
    """Load the bundled graph into a new store at `target`; returns the number of quads."""
    source = bundled_graph_dir() / DUMP
    expected = read_checksums(bundled_graph_dir()).get(DUMP)
    if not source.is_file() or expected is None:
        raise ConfigError(
            f"this installation of cwkg carries no published graph ({source} is missing): install a wheel "
            "built by `make wheel`, or run inside a project so that `cwkg build` can make the store"
        )
    fresh = target.with_name(target.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(fresh))
        with source.open("rb") as raw:
            reader = _Counting(raw, advance)
            store.bulk_load(io.BufferedReader(reader), format=ox.RdfFormat.TRIG)
        if reader.sha256.hexdigest() != expected:
            raise StoreError(f"{source}: its SHA-256 is not the one in SHA256SUMS; reinstall cwkg")
        store.flush()
        count = len(store)
        del store
    except (OSError, SyntaxError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError(f"cannot load the published graph into {fresh}: {exc}") from exc
    except StoreError:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    fresh.replace(target)
    return count


def ensure_store(settings: Settings) -> None:
    """Make the embedded store exist: built from data/ inside a project, else loaded from the bundled graph."""
    if settings.remote_store or Path(settings.store).exists():
        return
    if settings.project is not None or "data_dir" in settings.model_fields_set:
        from cwkg.build import build

        log.warning("no store at %s: building it first", settings.store)
        build(settings, log.info)
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    size = (bundled_graph_dir() / DUMP).stat().st_size if (bundled_graph_dir() / DUMP).is_file() else 0
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("loading the published graph", total=size)
        count = load_published(Path(settings.store), lambda n: progress.advance(task, n))
    log.warning("loaded the published graph (%d quads) into %s", count, settings.store)
