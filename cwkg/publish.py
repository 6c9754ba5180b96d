"""`cwkg publish`: load the build into a remote SPARQL 1.1 store, graph by graph.

Each named graph is written to a staging graph with the Graph Store Protocol (PUT) and then
swapped in with one SPARQL Update `MOVE`, which a transactional store applies all at once: a
published graph is always either the old one or the new one, never half of each. A state file
beside the dumps records the graphs already published for this build, so a publish that
failed half-way resumes where it stopped; staging graphs left by a failure are dropped first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cwkg.config import Settings
from cwkg.errors import BuildError, StoreError
from cwkg.namespaces import BASE
from cwkg.remote_store import RemoteStore
from cwkg.store import OxigraphStore

__all__ = ["STAGING", "PublishReport", "publish"]

STAGING = BASE + "graph/staging/"


@dataclass
class PublishReport:
    """What a publish did, graph by graph."""

    published: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    dropped_staging: list[str] = field(default_factory=list)


def _build_id(settings: Settings) -> str:
    sums = settings.dist_dir / "SHA256SUMS"
    if not sums.exists():
        raise BuildError(f"no build in {settings.dist_dir}: run `cwkg build` first")
    return hashlib.sha256(sums.read_bytes()).hexdigest()[:16]


def _state_path(settings: Settings, remote: RemoteStore) -> Path:
    key = hashlib.sha256(remote.query_url.encode()).hexdigest()[:12]
    return settings.dist_dir / f"publish-{key}.json"


def publish(
    settings: Settings,
    remote: RemoteStore,
    *,
    on_graph: Callable[[str, int], None] = lambda graph, n: None,
) -> PublishReport:
    """Publish every named graph of the local build; raise StoreError if counts do not match."""
    build_id = _build_id(settings)
    local = OxigraphStore(Path(settings.store), read_only=True)
    state_path = _state_path(settings, remote)
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    done: dict[str, int] = state.get("done", {}) if state.get("build") == build_id else {}
    report = PublishReport()
    for g in remote.graphs():
        if g.startswith(STAGING):
            remote.update(f"DROP SILENT GRAPH <{g}>")
            report.dropped_staging.append(g)
    for graph in local.graphs():
        quads = list(local.quads(graph))
        if done.get(graph) == len(quads) and remote.count(graph) == len(quads):
            report.skipped[graph] = len(quads)
            on_graph(graph, len(quads))
            continue
        staging = STAGING + build_id + "/" + hashlib.sha256(graph.encode()).hexdigest()[:16]
        remote.replace_graph(staging, quads)
        remote.update(f"MOVE SILENT <{staging}> TO <{graph}>")
        done[graph] = len(quads)
        state_path.write_text(
            json.dumps({"build": build_id, "url": remote.query_url, "done": done}, indent=1)
        )
        report.published[graph] = len(quads)
        on_graph(graph, len(quads))
    mismatches = [
        f"{g}: local {n}, remote {remote.count(g)}" for g, n in done.items() if remote.count(g) != n
    ]
    if mismatches:
        raise StoreError("the remote store does not hold what was published: " + "; ".join(mismatches))
    return report
