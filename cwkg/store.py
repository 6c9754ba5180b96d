"""The store: one interface over the embedded Oxigraph store (the default).

Nothing else in cwkg imports pyoxigraph to load or query: errors from the backend are
translated here into cwkg.errors, so callers handle one family of exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, TypeAlias, runtime_checkable

import pyoxigraph as ox

from cwkg.errors import ParseError, QuerySyntaxError, StoreError

__all__ = [
    "FORMATS",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "Term",
    "format_for_path",
    "parse_file",
]

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: The one table of RDF formats: file extension -> pyoxigraph format.
FORMATS: Mapping[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_BULK_THRESHOLD = 100_000  # quads; below this a transactional insert is as fast


def format_for_path(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its extension (a trailing .gz is not supported)."""
    ext = path.suffix.lstrip(".").lower()
    try:
        return FORMATS[ext]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ParseError(f"{path}: unknown RDF file extension {ext!r}; expected one of {known}") from None


def _parse_error(origin: str, exc: SyntaxError) -> ParseError:
    """Name the file, line and column of a parse error."""
    line = exc.lineno if exc.lineno is not None else "?"
    column = exc.offset if exc.offset is not None else "?"
    return ParseError(f"{origin}:{line}:{column}: {exc.msg}")


def parse_file(path: Path, *, graph: str | None = None) -> list[ox.Quad]:
    """The one RDF loader: parse a whole file into quads, so that a syntax error stores nothing.

    Triples go into `graph` (the default graph when None); quads keep their own graph.
    """
    fmt = format_for_path(path)
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        items = ox.parse(path=str(path), format=fmt)
        if fmt.supports_datasets:
            return list(items)
        return [ox.Quad(q.subject, q.predicate, q.object, target) for q in items]
    except SyntaxError as exc:
        raise _parse_error(str(path), exc) from exc
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from exc


@runtime_checkable
class Store(Protocol):
    """What cwkg needs of a store: query, update, load, dump, and the named graphs."""

    def query(
        self,
        sparql: str,
        *,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union_default_graph: bool = False,
        substitutions: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; raise QuerySyntaxError for a query that does not parse."""
        ...

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update atomically; raise QuerySyntaxError if it does not parse."""
        ...

    def load(self, path: Path, *, graph: str | None = None) -> int:
        """Load an RDF file (into `graph` for triple formats); all or nothing."""
        ...

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        ...

    def __len__(self) -> int: ...


class OxigraphStore:
    """The embedded Oxigraph store: in memory when `path` is None, else on disk."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store, for the server's streaming serialisers."""
        return self._store

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
        try:
            return self._store.query(
                sparql,
                default_graph=[ox.NamedNode(g) for g in default_graph] if default_graph else None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None,
                use_default_graph_as_union=union_default_graph and not default_graph,
                substitutions={ox.Variable(k): v for k, v in substitutions.items()}
                if substitutions
                else None,
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
        except (OSError, ValueError, RuntimeError) as exc:
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

    def extend(self, quads: list[ox.Quad], *, progress: Callable[[int], None] | None = None) -> None:
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

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Replace one named graph's content with `quads`."""
        node = ox.NamedNode(graph)
        try:
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
            self._store.add_graph(node)
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"cannot write graph {graph}: {exc}") from exc

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or the quads of one named graph."""
        g = ox.NamedNode(graph) if graph else None
        return iter(self._store.quads_for_pattern(None, None, None, g))

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def clear(self) -> None:
        """Remove everything."""
        self._store.clear()

    def flush(self) -> None:
        """Write buffered changes to disk."""
        self._store.flush()

    def __len__(self) -> int:
        return len(self._store)
