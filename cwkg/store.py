"""The store: one interface, two backends: the embedded Oxigraph store (the default) and a
remote SPARQL 1.1 store reached through the standard protocols.

Nothing else in cwkg imports pyoxigraph to load or query: errors from the backend are
translated here into cwkg.errors, so callers handle one family of exceptions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

import pyoxigraph as ox

from cwkg.binding import bind_values
from cwkg.config import is_remote
from cwkg.errors import ConfigError, ParseError, QuerySyntaxError, StoreError

if TYPE_CHECKING:
    import httpx

    from cwkg.remote import Dialect

__all__ = [
    "FORMATS",
    "OxigraphStore",
    "QueryResult",
    "RemoteStore",
    "Store",
    "Term",
    "format_for_path",
    "bind_values",
    "open_store",
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
        """Evaluate a SPARQL query; raise QuerySyntaxError for a query that does not parse.

        `default_graph` and `named_graphs` given (even empty) make the dataset exactly those
        graphs, as the SPARQL Protocol's default-graph-uri and named-graph-uri do; None leaves the
        store's own (the union of all graphs when `union_default_graph`).
        """
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


UNION_TTL = 60.0  # seconds a remote store's list of named graphs is trusted


class RemoteStore:
    """A SPARQL 1.1 store elsewhere (Fuseki, GraphDB, QLever, Oxigraph server, Virtuoso ...), reached only
    through the standard protocols: Query and Update, and the Graph Store HTTP Protocol.

    What a store does differently is its dialect's business (`cwkg.remote`), chosen by `dialect` or,
    when None, from the Server header of the store's first answer.
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        union_default: bool = False,
        dialect: str | None = None,
    ) -> None:
        import httpx

        from cwkg.remote import ChallengeAuth, dialect_named

        self.query_url = query_url
        self.timeout = timeout
        self._dialect = dialect_named(dialect) if dialect else None
        # the store's own default graph is already the union of its named graphs (Oxigraph server with
        # --union-default-graph, Fuseki with unionDefaultGraph): a query over the union then names no
        # graphs, which Oxigraph evaluated 3.8x faster than a default graph given as a list of IRIs
        # (bench/remote.py)
        self.union_default = union_default
        self._update_url = update_url
        self._graph_store_url = graph_store_url
        self._authenticated = bool(token or user)
        self.retries = retries
        self.backoff = backoff
        headers = {"User-Agent": "cwkg"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = ChallengeAuth(user, password or "") if user else None
        self._http = httpx.Client(
            headers=headers,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
        )
        self._union: list[str] | None = None
        self._union_at = 0.0

    @classmethod
    def from_env(cls, url: str, *, timeout: float = 30.0) -> RemoteStore:
        """Configure from the URL and CWKG_REMOTE_* variables (TOKEN, USER, PASSWORD, UPDATE_URL, GSP_URL,
        UNION_DEFAULT_GRAPH)."""
        env = os.environ.get
        return cls(
            url,
            update_url=env("CWKG_REMOTE_UPDATE_URL"),
            graph_store_url=env("CWKG_REMOTE_GSP_URL"),
            token=env("CWKG_REMOTE_TOKEN"),
            user=env("CWKG_REMOTE_USER"),
            password=env("CWKG_REMOTE_PASSWORD"),
            timeout=timeout,
            union_default=env("CWKG_REMOTE_UNION_DEFAULT_GRAPH", "").strip().lower() in ("1", "true", "yes"),
            dialect=env("CWKG_REMOTE_DIALECT") or None,
        )

    @property
    def dialect(self) -> Dialect:
        """The store's dialect: as configured, else read from the Server header of an `ASK {}`."""
        if self._dialect is None:
            from cwkg.remote import dialect_of

            self._dialect = dialect_of(
                self._send("GET", self.query_url, params={"query": "ASK {}"}, raw=True)
            )
            if self.union_default and not self._dialect.union_default_allowed:
                raise ConfigError(
                    f"CWKG_REMOTE_UNION_DEFAULT_GRAPH is set, but the default graph of {self._dialect.name} "
                    f"at {self.query_url} also holds the store's own graphs: unset it"
                )
        return self._dialect

    @property
    def update_url(self) -> str:
        """Where updates go: CWKG_REMOTE_UPDATE_URL, else the dialect's place beside the query URL."""
        return self._update_url or self.dialect.update_url(self.query_url, authenticated=self._authenticated)

    @property
    def graph_store_url(self) -> str:
        """Where Graph Store Protocol requests go: CWKG_REMOTE_GSP_URL, else the dialect's place."""
        return self._graph_store_url or self.dialect.graph_store_url(
            self.query_url, authenticated=self._authenticated
        )

    # -- transport -------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, raw: bool = False, **kwargs: Any) -> httpx.Response:
        """One request, retried with exponential back-off on connection errors and on a 5xx the dialect
        calls transient; `raw` returns any answer as it came (the probe that finds the dialect)."""
        import httpx

        for attempt in range(self.retries + 1):
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                from cwkg.errors import QueryTimeout

                raise QueryTimeout(f"{url} did not answer within the timeout") from exc
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise StoreError(f"cannot reach the store at {url}: {exc}") from exc
            else:
                if raw:
                    return response
                if (
                    response.status_code < 500
                    or attempt == self.retries
                    or not self.dialect.transient(response)
                ):
                    break
            time.sleep(self.backoff * 2**attempt)
        if response.status_code >= 300:
            raise self.dialect.error(url, response)
        self.dialect.check(response)
        return response

    # -- Store -----------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union_default_graph: bool = False,
        substitutions: Mapping[str, Term] | None = None,
    ) -> QueryResult | list[ox.Triple]:
        """Evaluate a query remotely and parse the answer into pyoxigraph results."""
        dialect = self.dialect
        if substitutions:
            sparql = dialect.bind(sparql, substitutions)
        defaults = list(default_graph or [])
        if union_default_graph and not defaults and not self.union_default:
            defaults = self._union_graphs()
        extra, accept = dialect.request(sparql, self.timeout)
        data: dict[str, str | list[str]] = {"query": sparql, **extra}
        if defaults:
            data["default-graph-uri"] = defaults
        if named_graphs:
            data["named-graph-uri"] = list(named_graphs)
        response = self._send("POST", self.query_url, data=data, headers={"Accept": accept})
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/sparql-results+json":
            body = dialect.results(sparql, response.content)
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        fmt = ox.RdfFormat.from_media_type(kind)
        if fmt is None:
            raise StoreError(f"the store at {self.query_url} answered with unexpected media type {kind!r}")
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]

    def update(self, sparql: str) -> None:
        """Send a SPARQL update; the remote store applies it atomically or not at all."""
        self._send("POST", self.update_url, data={"update": sparql})
        self._union = None

    def load(self, path: Path, *, graph: str | None = None) -> int:
        """Add the triples of a file to a graph with the Graph Store Protocol (POST)."""
        quads = parse_file(path, graph=graph)
        by_graph: dict[str | None, list[ox.Quad]] = {}
        for q in quads:
            key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            by_graph.setdefault(key, []).append(q)
        for g, items in by_graph.items():
            self._put_or_post("POST", g, items)
        self._union = None
        return len(quads)

    def _put_or_post(self, method: str, graph: str | None, quads: list[ox.Quad]) -> None:
        body = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
        )
        params = {"graph": graph} if graph else {"default": ""}
        self._send(
            method,
            self.graph_store_url,
            params=params,
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )

    def put_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Replace one graph's content with the Graph Store Protocol (PUT)."""
        self._put_or_post("PUT", graph, quads)
        self._union = None

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        result = self.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ox.NamedNode(graph).value}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted, without the store's own (the dialect knows them)."""
        # GROUP BY rather than DISTINCT: on one Virtuoso 7.2.5 database (64k triples) `SELECT DISTINCT ?g`
        # ran past 30 s, its plan depending on the statistics, where GROUP BY answered in 30 ms
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(result, ox.QuerySolutions)
        own = self.dialect.own_graph
        return sorted(
            s["g"].value for s in result if isinstance(s["g"], ox.NamedNode) and not own(s["g"].value)
        )

    def _union_graphs(self) -> list[str]:
        """The named graphs that make the union default graph, asked again after UNION_TTL seconds, since
        others may publish to the store meanwhile."""
        if self._union is None or time.monotonic() - self._union_at > UNION_TTL:
            self._union, self._union_at = self.graphs(), time.monotonic()
        return self._union

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()


def open_store(
    location: str, *, read_only: bool = False, timeout: float = 30.0
) -> OxigraphStore | RemoteStore:
    """The one selector of backends: a URL is a remote SPARQL store, anything else a folder."""
    if is_remote(location):
        return RemoteStore.from_env(location, timeout=timeout)
    return OxigraphStore(Path(location), read_only=read_only)
