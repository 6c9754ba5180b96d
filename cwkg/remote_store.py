"""A remote SPARQL 1.1 store (Fuseki, GraphDB, QLever, Oxigraph server ...) behind the Store protocol,
reached only through the standard protocols; httpx errors become cwkg.errors here."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from cwkg.config import RemoteAccess
from cwkg.errors import QuerySyntaxError, QueryTimeout, StoreError, StoreUnreachable, UpdateFailed
from cwkg.rdf import QueryResult, Term, parse_file
from cwkg.sparql_text import bind_values

if TYPE_CHECKING:
    import httpx

__all__ = ["UNION_TTL", "RemoteStore"]

UNION_TTL = 60.0  # seconds a remote store's list of named graphs is trusted


class RemoteStore:
    """A SPARQL 1.1 store elsewhere (Fuseki, GraphDB, QLever, Oxigraph server ...), reached only
    through the standard protocols: Query and Update, and the Graph Store HTTP Protocol.

    Substitutions are bound as for the embedded store, by `cwkg.sparql_text.bind_values`.
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
    ) -> None:
        import httpx

        self.query_url = query_url
        # the store's own default graph is already the union of its named graphs (Oxigraph server with
        # --union-default-graph, Fuseki with unionDefaultGraph): a query over the union then names no
        # graphs, which Oxigraph evaluated 3.8x faster than a default graph given as a list of IRIs
        # (bench/remote.py)
        self.union_default = union_default
        self.update_url = update_url or _sibling(query_url, "update")
        self.graph_store_url = graph_store_url or _sibling(query_url, "store")
        self.retries = retries
        self.backoff = backoff
        headers = {"User-Agent": "cwkg"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = httpx.BasicAuth(user, password or "") if user else None
        self._http = httpx.Client(
            headers=headers,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
        )
        self._union: list[str] | None = None
        self._union_at = 0.0
        self._closed = False

    @classmethod
    def configured(cls, url: str, access: RemoteAccess, *, timeout: float = 30.0) -> RemoteStore:
        """The store at `url`, reached as the CWKG_REMOTE_* settings say (Settings.remote())."""
        return cls(
            url,
            update_url=access.update_url,
            graph_store_url=access.graph_store_url,
            token=access.token,
            user=access.user,
            password=access.password,
            timeout=timeout,
            union_default=access.union_default,
        )

    # -- transport -------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, changes: bool = False, **kwargs: Any) -> httpx.Response:
        """One request, retried with exponential back-off on connection errors and 5xx.

        A request that `changes` the store is sent again only when it never reached the store (it may
        not be idempotent), and its 500 means the store could not apply it (UpdateFailed).
        """
        import httpx

        if self._closed:
            raise StoreError(f"the connection to the store at {self.query_url} is closed")
        response: httpx.Response | None = None
        for attempt in range(self.retries + 1):
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                raise QueryTimeout(f"{url} did not answer within the timeout") from exc
            except httpx.HTTPError as exc:
                if attempt == self.retries or (changes and not isinstance(exc, httpx.ConnectError)):
                    raise StoreUnreachable(f"cannot reach the store at {url}: {exc}") from exc
            else:
                if response.status_code < 500 or attempt == self.retries or changes:
                    break
            time.sleep(self.backoff * 2**attempt)
        assert response is not None  # the last attempt either answered or raised
        said = response.text.strip()[:500]
        if response.status_code == 400:
            raise QuerySyntaxError(f"the store at {url} refused the request: {said}")
        if changes and response.status_code == 500:
            raise UpdateFailed(f"the store at {url} could not apply the change, nothing was changed: {said}")
        if response.status_code >= 300:
            raise StoreError(f"the store at {url} answered {response.status_code}: {said}")
        return response

    def _select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of a SELECT this class writes itself."""
        result = self.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        return result

    # -- Store -----------------------------------------------------------------------------

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
        """Evaluate a query remotely; the answer is parsed into the embedded store's result types (a graph
        through an in-memory store, whose CONSTRUCT gives the same ox.QueryTriples)."""
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        if base_iri:  # the Protocol has no base parameter: the remote store gets it in the text
            sparql = f"BASE <{base_iri}> {sparql}"
        defaults = list(default_graph or [])
        named = list(named_graphs or [])
        if union_default_graph and default_graph is None and not self.union_default:
            # a default-graph-uri alone would leave no named graphs (SPARQL Protocol 2.1.4): name them too
            defaults = self._union_graphs()
            named = named if named_graphs is not None else defaults
        data: dict[str, str | list[str]] = {"query": sparql}
        if defaults:
            data["default-graph-uri"] = defaults
        if named:
            data["named-graph-uri"] = named
        response = self._send(
            "POST",
            self.query_url,
            data=data,
            headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
        )
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if kind == "application/sparql-results+json":
                return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
            fmt = ox.RdfFormat.from_media_type(kind)
            if fmt is None:
                raise StoreError(
                    f"the store at {self.query_url} answered with unexpected media type {kind!r}"
                )
            held = ox.Store()
            held.load(response.content, format=fmt)
            return held.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise StoreError(
                f"the store at {self.query_url} sent an answer that does not parse: {exc}"
            ) from exc

    def update(
        self, sparql: str, *, base_iri: str | None = None, writes: Collection[str | None] | None = None
    ) -> None:
        """Send a SPARQL update; the remote store applies it atomically or not at all (`writes` is not needed)."""
        text = f"BASE <{base_iri}> {sparql}" if base_iri else sparql
        self._send("POST", self.update_url, changes=True, data={"update": text})
        self._union = None

    def load(self, path: Path, *, graph: str | None = None) -> int:
        """Add the triples of a file to a graph with the Graph Store Protocol (POST)."""
        quads = parse_file(path, graph=graph)
        self.extend(quads)
        return len(quads)

    def extend(self, quads: Sequence[ox.Quad]) -> None:
        """Add quads with the Graph Store Protocol (POST), one request per graph."""
        by_graph: dict[str | None, list[ox.Quad]] = {}
        for q in quads:
            key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            by_graph.setdefault(key, []).append(q)
        for g, items in by_graph.items():
            self._put_or_post("POST", g, items)
        self._union = None

    def _put_or_post(self, method: str, graph: str | None, quads: Sequence[ox.Quad]) -> None:
        body = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
        )
        params = {"graph": graph} if graph else {"default": ""}
        self._send(
            method,
            self.graph_store_url,
            changes=True,
            params=params,
            content=body or b"",
            headers={"Content-Type": "application/n-triples"},
        )

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        """Replace one graph's content with the Graph Store Protocol (PUT)."""
        self._put_or_post("PUT", graph, quads)
        self._union = None

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (default graph included), or the quads of one named graph."""
        if graph is not None:
            node = ox.NamedNode(graph)
            found = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
            return iter([_quad(row, node) for row in found])
        rows = self._select("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return iter([_quad(row, row["g"]) for row in rows])

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        result = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
        )
        return _number(next(iter(result))["n"])

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        result = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(s["g"].value for s in result if isinstance(s["g"], ox.NamedNode))

    def _union_graphs(self) -> list[str]:
        """The named graphs that make the union default graph, asked again after UNION_TTL seconds, since
        others may publish to the store meanwhile."""
        if self._union is None or time.monotonic() - self._union_at > UNION_TTL:
            self._union, self._union_at = self.graphs(), time.monotonic()
        return self._union

    def flush(self) -> None:
        """Nothing to do: the remote store has applied each request before it answered."""

    def __len__(self) -> int:
        result = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        return _number(next(iter(result))["n"])

    def close(self) -> None:
        """Close the pooled connections."""
        self._closed = True
        self._http.close()


def _quad(row: ox.QuerySolution, graph: object) -> ox.Quad:
    """A quad from a ?s ?p ?o row, in `graph` (the default graph when not a named node)."""
    s, p, o = row["s"], row["p"], row["o"]
    if not isinstance(s, ox.NamedNode | ox.BlankNode) or not isinstance(p, ox.NamedNode) or o is None:
        raise StoreError(f"the remote store answered a row that is not a triple: {row}")
    return ox.Quad(s, p, o, graph if isinstance(graph, ox.NamedNode) else ox.DefaultGraph())


def _number(term: object) -> int:
    """An integer a COUNT answered."""
    if not isinstance(term, ox.Literal):
        raise StoreError(f"the remote store answered a count that is not a number: {term}")
    return int(term.value)


def _sibling(url: str, name: str) -> str:
    """The URL of a sibling service: .../query or .../sparql -> .../update, .../store."""
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{name}" if last in ("query", "sparql") else f"{url.rstrip('/')}/{name}"
