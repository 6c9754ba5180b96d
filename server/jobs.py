"""The jobs the parent sends to the store process, and the Output they send back (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from cwkg.config import RemoteAccess
from cwkg.server.negotiation import Kind

__all__ = [
    "DropGraphJob",
    "GraphJob",
    "Job",
    "Output",
    "QueryJob",
    "StatsJob",
    "UpdateJob",
    "WorkerConfig",
    "WriteGraphJob",
]


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to know, fixed for its life."""

    store: Path | str  # a folder of the embedded store, or the URL of a remote SPARQL store
    writable: bool  # open the store read-write, with one thread for writes (updates are on)
    max_rows: int
    allowlist: tuple[str, ...] = ()
    timeout: float = 30.0
    nice: int = 0  # added to the worker's niceness when it starts
    remote: RemoteAccess = RemoteAccess()  # how to reach `store` when it is a URL
    server_pid: int = 0  # the server process: the worker ends when it does (server.lifeline); 0 = no watch


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query with its Protocol dataset and the media type chosen for each kind of result."""

    text: str
    media: dict[Kind, str | None]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    epoch: int = 0  # the store as rebuilt this many times: the store process reopens it when behind
    #: Variables bound to RDF terms (canned-query parameters): (variable, term) pairs.
    bindings: tuple[tuple[str, Any], ...] = ()
    #: The service's base IRI, for relative IRIs (kept apart from `text`, so that error positions are the
    #: author's own).
    base: str | None = None


@dataclass(frozen=True)
class GraphJob:
    """Graph Store GET: one named graph (or the store's default graph when None), serialised."""

    graph: str | None
    media_type: str
    epoch: int = 0  # the store as rebuilt this many times: the store process reopens it when behind


@dataclass(frozen=True)
class StatsJob:
    """Triples per named graph, for the service description and VoID."""

    epoch: int = 0  # the store as rebuilt this many times: the store process reopens it when behind


@dataclass(frozen=True)
class UpdateJob:
    """A SPARQL Update, applied in one transaction."""

    text: str
    base: str | None = None


@dataclass(frozen=True)
class WriteGraphJob:
    """Graph Store PUT (replace=True) or POST (merge): an RDF document into one graph."""

    graph: str | None
    data: bytes
    media_type: str
    replace: bool


@dataclass(frozen=True)
class DropGraphJob:
    """Graph Store DELETE of one graph."""

    graph: str | None


Job: TypeAlias = QueryJob | GraphJob | StatsJob | UpdateJob | WriteGraphJob | DropGraphJob


@dataclass
class Output:
    """A job's answer: facts about its serialised body, and the body itself when it is small.

    A body larger than server.spool.INLINE is not in `body`: the worker streams it when asked (`streamed`).
    """

    media_type: str | None = None
    body: bytes | None = None
    size: int = 0
    rows: int | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def streamed(self) -> bool:
        """Whether the body follows the reply in chunks."""
        return self.body is None and self.media_type is not None
