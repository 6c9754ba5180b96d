"""The store: one protocol, two backends: the embedded Oxigraph store (the default, here) and a
remote SPARQL 1.1 store reached through the standard protocols (cwkg.remote_store).

Nothing else in cwkg imports pyoxigraph to load or query: errors from the backend are
translated into cwkg.errors by each backend, so callers handle one family of exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import pyoxigraph as ox

from cwkg.config import RemoteAccess, is_remote
from cwkg.errors import QuerySyntaxError, StoreError, UpdateFailed
from cwkg.rdf import FORMATS, QueryResult, Term, format_for_path, parse_file
from cwkg.remote_store import RemoteStore
from cwkg.server.sparql_lexer import data_graphs
from cwkg.sparql_text import bind_values
from cwkg.union_graph import MERGED, Snapshot, graphs_written, materialise, refresh, snapshot
from cwkg.union_update import plan

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


def syntax_error(text: str, kind: Literal["query", "update"], exc: SyntaxError) -> QuerySyntaxError:
    """Oxigraph's syntax error described in words, at its position in the text as its author wrote it."""
    from cwkg.sparql_errors import describe_syntax_error  # rdflib's parser: loaded only for broken text

    return QuerySyntaxError(describe_syntax_error(text, kind, str(exc)))


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
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; raise QuerySyntaxError for a query that does not parse.

        `default_graph` and `named_graphs` given (even empty) make the dataset exactly those
        graphs, as the SPARQL Protocol's default-graph-uri and named-graph-uri do; None leaves the
        store's own (the union of all graphs when `union_default_graph`). `substitutions` bind
        variables to terms (cwkg.sparql_text.bind_values). `base_iri` resolves relative IRIs where
        the text declares no BASE (kept apart from the text, so that error positions are the author's).
        """
        ...

    def update(
        self, sparql: str, *, base_iri: str | None = None, writes: Collection[str | None] | None = None
    ) -> None:
        """Apply a SPARQL update atomically; QuerySyntaxError if it does not parse, UpdateFailed if it
        parses but cannot be applied. `base_iri` resolves relative IRIs where the text declares no BASE;
        `writes`: the graphs it changes (None: the default graph), when the caller knows them."""
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
    """The embedded Oxigraph store: in memory when `path` is None, else on disk.

    Its union default graph is a set of triples when the store holds the merge (cwkg.union_graph,
    written by `materialise_union`, as `cwkg build` does): the merge is then hidden from graphs(),
    quads(), counts and GRAPH ?g, and every write through this class keeps it current.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._held: ox.Store | None
        self._visible: list[ox.NamedNode] | None = None  # the named graphs but the merge, while unchanged
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

    def _named(self) -> list[ox.NamedNode]:
        """The named graphs but the merge (asked again after each write)."""
        if self._visible is None:
            found = self._store.named_graphs()
            self._visible = sorted((g for g in found if isinstance(g, ox.NamedNode) and g != MERGED), key=str)
        return self._visible

    def _default_empty(self) -> bool:
        """Whether the store's own default graph holds no triple."""
        return next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None

    def _merged(self) -> bool:
        """Whether the store holds the merge of its graphs."""
        return self._store.contains_named_graph(MERGED)

    def materialise_union(self) -> None:
        """Write the merge of every graph, so that the union default graph is a set of triples."""
        self._store.update(f"DROP SILENT GRAPH {MERGED}")  # first, so the merge is not merged into itself
        materialise(self._store)
        self._visible = None

    def query(
        self,
        sparql: str,
        *,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union_default_graph: bool = False,
        substitutions: Mapping[str, Term] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query with pyoxigraph.

        >>> store = OxigraphStore()
        >>> bool(store.query("ASK { ?s ?p ?o }"))
        False
        """
        text = bind_values(sparql, substitutions) if substitutions else sparql
        defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named: list[ox.NamedNode | ox.BlankNode] | None = None
        if default_graph is not None:
            defaults = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            named = [ox.NamedNode(g) for g in named_graphs]
        union = union_default_graph and defaults is None
        if union and self._merged():
            defaults, union = [MERGED], False
            named = list(self._named()) if named is None else named
        try:
            return self._store.query(
                text,
                base_iri=base_iri,
                default_graph=defaults,
                named_graphs=named,
                use_default_graph_as_union=union,
            )
        except SyntaxError as exc:
            raise syntax_error(sparql, "query", exc) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def update(
        self, sparql: str, *, base_iri: str | None = None, writes: Collection[str | None] | None = None
    ) -> None:
        """Apply a SPARQL update in one transaction, the merge kept current in the same one where the update
        is the server's kind of write (cwkg.union_update); else kept as `_update_then_compare` says."""
        merged = self._merged()
        planned = plan(sparql, base_iri, default_empty=self._default_empty()) if merged else None
        if planned is None:
            if merged:
                self._update_then_compare(sparql, base_iri, writes)
            else:
                self._apply(sparql, base_iri)
            return
        try:
            self._store.update(planned, base_iri=base_iri)
        except (SyntaxError, RuntimeError, ValueError):
            self._original_alone(sparql, base_iri)  # the author's own error, from the author's own text
        except OSError as exc:
            raise StoreError(f"update failed, nothing was changed: {exc}") from exc
        finally:
            self._visible = None

    def _apply(self, sparql: str, base_iri: str | None) -> None:
        """Run an update as given, its errors translated."""
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise syntax_error(sparql, "update", exc) from exc
        except RuntimeError as exc:  # pyoxigraph: the update parses but does not apply
            raise UpdateFailed(f"the update cannot be applied, nothing was changed: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed, nothing was changed: {exc}") from exc
        finally:
            self._visible = None

    def _original_alone(self, sparql: str, base_iri: str | None) -> None:
        """After the planned text failed: the original, to raise its error; if it applies after all (the
        plan was wrong), the merge is compared whole."""
        self._apply(sparql, base_iri)
        self._keep_merge(None)

    def _update_then_compare(
        self, sparql: str, base_iri: str | None, writes: Collection[str | None] | None
    ) -> None:
        """Any other update: the graphs it writes read before it and after it, and MERGED brought up to date.

        Not atomic: the difference exists only once the update has committed, and pyoxigraph runs no code
        of ours inside its transaction (nor can a VALUES row carry a stored blank node), so MERGED is
        written in transactions of its own after the update's; a crash between them leaves it stale until
        `materialise_union`. `writes` None: the graphs are found here (all of them compared if they cannot be).
        """
        if writes is None:
            found = data_graphs(sparql)  # one pass; rdflib's parse only where it cannot tell
            writes = found if found is not None else graphs_written(sparql)
        before = snapshot(self._store, writes) if writes is not None else None
        self._apply(sparql, base_iri)
        self._keep_merge(before)

    def _keep_merge(self, before: Snapshot | None) -> None:
        """Bring the merge up to date after a write (wholly when the update dropped it)."""
        try:
            if self._merged():
                refresh(self._store, before)
            else:
                materialise(self._store)
        except OSError as exc:
            raise StoreError(f"cannot write the merged default graph: {exc}") from exc

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
        merged = _in_graph(MERGED.value, quads) if self._merged() else []
        try:
            if len(quads) < _BULK_THRESHOLD:
                self._store.extend([*quads, *merged])  # one transaction: the merge with the quads
                if progress:
                    progress(len(quads))
            else:  # the bulk loader is not atomic anyway (a crash leaves part of the batch)
                for start in range(0, len(quads), _BULK_THRESHOLD):
                    chunk = quads[start : start + _BULK_THRESHOLD]
                    self._store.bulk_extend(chunk)
                    if progress:
                        progress(len(chunk))
                if merged:
                    self._store.extend(merged)
        except OSError as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc
        finally:
            self._visible = None

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        """Replace one named graph's content with the triples of `quads`."""
        node = ox.NamedNode(graph)
        before = snapshot(self._store, [graph]) if self._merged() else None
        try:
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
            self._store.add_graph(node)
            self._store.extend(_in_graph(graph, quads))
        except OSError as exc:
            raise StoreError(f"cannot write graph {graph}: {exc}") from exc
        finally:
            self._visible = None
        if before is not None:
            self._keep_merge(before)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or the quads of one named graph (never those of the merge)."""
        g = ox.NamedNode(graph) if graph else None
        found = self._store.quads_for_pattern(None, None, None, g)
        return iter(found) if g is not None else (q for q in found if q.graph_name != MERGED)

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._named())

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        assert isinstance(result, ox.QuerySolutions)
        n = next(iter(result))["n"]
        assert isinstance(n, ox.Literal)
        return int(n.value)

    def clear(self) -> None:
        """Remove everything."""
        self._store.clear()
        self._visible = None

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
        """The number of quads, the merge's aside."""
        return len(self._store) - (self.count(MERGED.value) if self._merged() else 0)


def open_store(
    location: str, *, read_only: bool = False, timeout: float = 30.0, remote: RemoteAccess | None = None
) -> Store:
    """The one selector of backends: a URL is a remote SPARQL store (reached as `remote` says), anything
    else a folder."""
    if is_remote(location):
        return RemoteStore.configured(location, remote or RemoteAccess(), timeout=timeout)
    return OxigraphStore(Path(location), read_only=read_only)
