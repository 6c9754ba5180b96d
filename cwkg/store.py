"""The store: one protocol, two backends: the embedded Oxigraph store (the default, here) and a
remote SPARQL 1.1 store reached through the standard protocols (cwkg.remote_store).

Nothing else in cwkg imports pyoxigraph to load or query: errors from the backend are
translated into cwkg.errors by each backend, so callers handle one family of exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from cwkg.config import RemoteAccess, is_remote
from cwkg.errors import QuerySyntaxError, StoreError, UpdateFailed
from cwkg.rdf import FORMATS, QueryResult, Term, format_for_path, parse_file
from cwkg.remote_store import RemoteStore
from cwkg.sparql_text import bind_values

__all__ = [
    "FORMATS",
    "OxigraphStore",
    "QueryResult",
    "RemoteStore",
    "Store",
    "Term",
    "format_for_path",
    "open_store",
    "parse_file",
]

_BULK_THRESHOLD = 100_000  # quads; below this a transactional insert is as fast


@runtime_checkable
class Store(Protocol):
    """What cwkg needs of a store, whichever the backend: query, update, graphs, counts, flush, close.

    Each query form has one result type from every backend: SELECT gives ox.QuerySolutions, ASK
    ox.QueryBoolean, CONSTRUCT and DESCRIBE ox.QueryTriples. Every failure is a cwkg.errors class.
    """

    def query(
        self,
        sparql: str,
        *,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union_default_graph: bool = False,
        substitutions: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; raise QuerySyntaxError for a query that does not parse.

        `default_graph` and `named_graphs` given (even empty) make the dataset exactly those
        graphs, as the SPARQL Protocol's default-graph-uri and named-graph-uri do; None leaves the
        store's own (the union of all graphs when `union_default_graph`). `substitutions` bind
        variables to terms (cwkg.sparql_text.bind_values).
        """
        ...

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update atomically; QuerySyntaxError if it does not parse, UpdateFailed if it
        parses but cannot be applied."""
        ...

    def load(self, path: Path, *, graph: str | None = None) -> int:
        """Load an RDF file (into `graph` for triple formats); all or nothing. Returns the quads read."""
        ...

    def extend(self, quads: Sequence[ox.Quad]) -> None:
        """Add quads, each to its own graph."""
        ...

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        """Make one named graph hold exactly the triples of `quads` (their own graph names are ignored)."""
        ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or the quads of one named graph."""
        ...

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        ...

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        ...

    def flush(self) -> None:
        """Make every applied change durable."""
        ...

    def close(self) -> None:
        """Release the store (files, connections); it cannot be used afterwards."""
        ...

    def __len__(self) -> int:
        """The number of quads in every graph."""
        ...


def _in_graph(graph: str, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The triples of `quads` as quads of one graph."""
    node = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, node) for q in quads]


class OxigraphStore:
    """The embedded Oxigraph store: in memory when `path` is None, else on disk."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self._held: ox.Store | None
        try:
            if path is None:
                self._held = ox.Store()
            elif read_only:
                self._held = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._held = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @property
    def _store(self) -> ox.Store:
        if self._held is None:
            raise StoreError(f"the store at {self.path or 'memory'} is closed")
        return self._held

    def query(
        self,
        sparql: str,
        *,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union_default_graph: bool = False,
        substitutions: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query with pyoxigraph.

        >>> store = OxigraphStore()
        >>> bool(store.query("ASK { ?s ?p ?o }"))
        False
        """
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        try:
            return self._store.query(
                sparql,
                default_graph=None if default_graph is None else [ox.NamedNode(g) for g in default_graph],
                named_graphs=None if named_graphs is None else [ox.NamedNode(g) for g in named_graphs],
                use_default_graph_as_union=union_default_graph and default_graph is None,
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update in one transaction."""
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except RuntimeError as exc:  # pyoxigraph: the update parses but does not apply
            raise UpdateFailed(f"the update cannot be applied, nothing was changed: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed, nothing was changed: {exc}") from exc

    def load(
        self,
        path: Path,
        *,
        graph: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Load an RDF file; all or nothing. Returns the number of quads read.

        Large files go through Oxigraph's bulk loader after the whole file has parsed.
        """
        quads = parse_file(path, graph=graph)
        self.extend(quads, progress=progress)
        return len(quads)

    def extend(self, quads: Sequence[ox.Quad], *, progress: Callable[[int], None] | None = None) -> None:
        """Add quads: in one transaction, or with the bulk loader for large batches."""
        try:
            if len(quads) < _BULK_THRESHOLD:
                self._store.extend(quads)
                if progress:
                    progress(len(quads))
            else:
                for start in range(0, len(quads), _BULK_THRESHOLD):
                    chunk = quads[start : start + _BULK_THRESHOLD]
                    self._store.bulk_extend(chunk)
                    if progress:
                        progress(len(chunk))
        except OSError as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        """Replace one named graph's content with the triples of `quads`."""
        node = ox.NamedNode(graph)
        try:
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
            self._store.add_graph(node)
            self._store.extend(_in_graph(graph, quads))
        except OSError as exc:
            raise StoreError(f"cannot write graph {graph}: {exc}") from exc

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or the quads of one named graph."""
        g = ox.NamedNode(graph) if graph else None
        return iter(self._store.quads_for_pattern(None, None, None, g))

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def clear(self) -> None:
        """Remove everything."""
        self._store.clear()

    def flush(self) -> None:
        """Write buffered changes to disk."""
        try:
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def close(self) -> None:
        """Drop the handle: RocksDB closes its files once the last reference (a live result) is gone."""
        self._held = None

    def __len__(self) -> int:
        return len(self._store)


def open_store(
    location: str, *, read_only: bool = False, timeout: float = 30.0, remote: RemoteAccess | None = None
) -> Store:
    """The one selector of backends: a URL is a remote SPARQL store (reached as `remote` says), anything
    else a folder."""
    if is_remote(location):
        return RemoteStore.configured(location, remote or RemoteAccess(), timeout=timeout)
    return OxigraphStore(Path(location), read_only=read_only)
