"""What runs inside a worker process: analyse, evaluate, serialise, and send the result back.

A read worker holds the store opened read-only (reopened when the parent says the data changed);
the one write worker holds it read-write and applies updates, each in one transaction. Results are
serialised by pyoxigraph's Rust writers into a Spool (server.spool), first in a line-per-row format (TSV
or N-Triples) through a writer that counts rows and stops the serialiser past CWKG_MAX_ROWS, then, if the
client asked for another format, converted by pyoxigraph again, so no result is held in Python objects.
A small body goes back inside the reply; a large one is streamed in chunks when the parent asks.
"""

from __future__ import annotations

import gc
import mmap
import os
import signal
from multiprocessing.connection import Connection
from typing import IO, Any, cast

import pyoxigraph as ox

from cwkg.errors import CwkgError, QuerySyntaxError, StoreError
from cwkg.rdf import FORMATS, as_ntriples
from cwkg.server import lifeline
from cwkg.server.errors import (
    GraphNotFound,
    NotAcceptable,
    ProtocolError,
    RowLimitExceeded,
    UnsupportedMediaType,
)
from cwkg.server.formats import RESULT_FORMATS, UPLOAD_EXTENSIONS, write_rdf
from cwkg.server.jobs import (
    DropGraphJob,
    GraphJob,
    Job,
    Output,
    QueryJob,
    StatsJob,
    UpdateJob,
    WorkerConfig,
    WriteGraphJob,
)
from cwkg.server.negotiation import Kind, offered
from cwkg.server.query_analysis import analyse_query, analyse_update, explain_update_error
from cwkg.server.spool import Spool
from cwkg.store import QueryResult, Store, open_store

__all__ = ["CHUNK", "Executor", "serve"]

CHUNK = 32 * 1024  # bytes per pipe message: under the 64 KiB pipe buffer


class _RowCounter:
    """A binary writer for line-per-row formats that counts rows and stops the serialiser past a limit."""

    def __init__(self, out: Spool, limit: int, header_lines: int) -> None:
        self.out = out
        self.limit = limit
        self.lines = -header_lines

    def write(self, data: bytes) -> int:
        """Write a chunk, or raise RowLimitExceeded once the rows pass the limit."""
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise RowLimitExceeded(
                f"the result has more than {self.limit} rows, the limit of this server (CWKG_MAX_ROWS); "
                "add LIMIT and OFFSET to the query to page through it"
            )
        self.out.write(data)
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def _convert_triples(ntriples: Spool, media_type: str, out: Spool) -> None:
    """Spooled N-Triples written in another RDF format (the spool mapped, not read, to find its prefixes)."""
    triples = ox.parse(ntriples.reader(), format=ox.RdfFormat.N_TRIPLES)
    held = ntriples.inline()
    if held is not None or ntriples.size == 0:
        write_rdf(triples, media_type, _binary(out), ntriples=held or b"")
        return
    file = ntriples.reader()
    with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        write_rdf(triples, media_type, _binary(out), ntriples=data)


def _binary(out: Spool | _RowCounter) -> IO[bytes]:
    """A writer as pyoxigraph's stubs name it: pyoxigraph only calls write() and flush(), which these have."""
    return cast(IO[bytes], out)


def _write(
    result: ox.QuerySolutions | ox.QueryTriples,
    out: Spool | _RowCounter,
    fmt: ox.QueryResultsFormat | ox.RdfFormat,
) -> None:
    """Serialise solutions (in a results format) or triples (in an RDF format)."""
    if isinstance(result, ox.QuerySolutions):
        assert isinstance(fmt, ox.QueryResultsFormat)
        result.serialize(_binary(out), fmt)
    else:
        assert isinstance(fmt, ox.RdfFormat)
        result.serialize(_binary(out), fmt)


def _graph_node(graph: str) -> ox.NamedNode:
    """A graph IRI checked by pyoxigraph."""
    try:
        return ox.NamedNode(graph)
    except ValueError as exc:
        raise ProtocolError(f"not a valid graph IRI: {graph!r} ({exc})") from None


class Executor:
    """Runs jobs against the store: a read worker keeps it open read-only, the write worker opens it per job."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.generation = 0
        self.unsent: Spool | None = None  # a body too large for the reply, streamed after it
        self._held: Store | None = None if config.writable else self._open()

    @property
    def store(self) -> Store:
        """The store this process has open."""
        if self._held is None:
            self._held = self._open()
        return self._held

    def _open(self) -> Store:
        """Open the store: read-write for the write worker, read-only for the others; or the remote store."""
        return open_store(
            str(self.config.store),
            read_only=not self.config.writable,
            timeout=self.config.timeout,
            remote=self.config.remote,
        )

    def close(self) -> None:
        """Close the store (the write worker does after each job, so that readers may open it safely)."""
        if self._held is not None:
            self._held.close()
        self._held = None
        gc.collect()  # drop any last reference, so RocksDB has closed before the parent hears back

    def _refresh(self, generation: int) -> None:
        """Reopen a read-only store when the data has changed since it was opened."""
        if generation != self.generation:
            self.close()
            self._held = self._open()
            self.generation = generation

    def run(self, job: Job) -> Output:
        """Do one job."""
        if isinstance(job, QueryJob | GraphJob | StatsJob):
            if not self.config.writable:
                self._refresh(job.generation)
            if isinstance(job, QueryJob):
                return self._query(job)
            if isinstance(job, GraphJob):
                return self._get_graph(job)
            return self._stats()
        if not self.config.writable:
            raise StoreError("this worker holds a read-only store")
        info: dict[str, Any] = {}
        if isinstance(job, UpdateJob):
            analyse_update(job.text, self.config.allowlist, base=job.base)
            try:
                self.store.update(job.text, base_iri=job.base)  # the store reads which graphs it writes
            except QuerySyntaxError as exc:
                raise explain_update_error(job.text, exc) from None
        elif isinstance(job, WriteGraphJob):
            info["created"] = self._write_graph(job)
        else:
            self._drop_graph(job)
        self.store.flush()
        return Output(info=info)

    def _query(self, job: QueryJob) -> Output:
        """Analyse (refusing SERVICE), then evaluate and serialise a query."""
        info = analyse_query(job.text, self.config.allowlist, screen=True, base=job.base)
        kind: Kind = {"SELECT": "solutions", "ASK": "boolean"}.get(info.form, "graph")  # type: ignore[assignment]
        media_type = job.media[kind]
        if media_type is None:
            raise NotAcceptable(
                f"a {info.form} result can be served as {', '.join(offered(kind))}; "
                "the request accepts none of them"
            )
        protocol_dataset = bool(job.default_graphs or job.named_graphs)
        union = not info.has_dataset and not protocol_dataset
        # a syntax error is described at its place in job.text, the author's own (cwkg.sparql_errors)
        result = self.store.query(
            job.text,
            default_graph=list(job.default_graphs) if protocol_dataset else None,
            named_graphs=list(job.named_graphs) if protocol_dataset else None,
            union_default_graph=union,
            substitutions=dict(job.bindings) or None,
            base_iri=job.base,
        )
        return self._serialise(result, media_type)

    def _serialise(self, result: QueryResult, media_type: str) -> Output:
        """Serialise a result in `media_type`, counting rows on the way; a large body waits in self.unsent."""
        body = Spool()
        rows: int | None = None
        try:
            if isinstance(result, ox.QueryBoolean):
                result.serialize(_binary(body), RESULT_FORMATS[media_type])
            elif isinstance(result, ox.QuerySolutions):
                rows = self._lines(result, ox.QueryResultsFormat.TSV, media_type, body)
            else:
                rows = self._lines(result, ox.RdfFormat.N_TRIPLES, media_type, body)
        except BaseException:
            body.close()
            raise
        inline = body.inline()
        if inline is None:
            self.unsent = body
        else:
            body.close()
        return Output(media_type=media_type, body=inline, size=body.size, rows=rows)

    def _lines(
        self,
        result: ox.QuerySolutions | ox.QueryTriples,
        line_format: ox.QueryResultsFormat | ox.RdfFormat,
        media_type: str,
        out: Spool,
    ) -> int:
        """Serialise in a line-per-row format with the row limit; convert to the format asked if another."""
        solutions = isinstance(result, ox.QuerySolutions)
        if media_type == line_format.media_type:
            counter = _RowCounter(out, self.config.max_rows, 1 if solutions else 0)
            _write(result, counter, line_format)
            return counter.lines
        first = Spool()
        try:
            counter = _RowCounter(first, self.config.max_rows, 1 if solutions else 0)
            _write(result, counter, line_format)
            if solutions:
                converted = ox.parse_query_results(first.reader(), format=ox.QueryResultsFormat.TSV)
                converted.serialize(_binary(out), RESULT_FORMATS[media_type])
            else:
                _convert_triples(first, media_type, out)
            return counter.lines
        finally:
            first.close()

    def _get_graph(self, job: GraphJob) -> Output:
        """Graph Store GET: the triples of one graph."""
        if job.graph is None:
            result = self.store.query("CONSTRUCT WHERE { ?s ?p ?o }")
        else:
            node = _graph_node(job.graph)
            if job.graph not in self.store.graphs():
                raise GraphNotFound(f"the store has no graph <{job.graph}>")
            result = self.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
        assert isinstance(result, ox.QueryTriples)
        return self._serialise(result, job.media_type)

    def _stats(self) -> Output:
        """Triples in each named graph and in the default graph."""
        graphs: dict[str, int] = {}
        counted = self.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union_default_graph=True
        )
        assert isinstance(counted, ox.QuerySolutions)
        for row in counted:
            graph, n = row["g"], row["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(n, ox.Literal):
                graphs[graph.value] = int(n.value)
        for graph in self.store.graphs():
            graphs.setdefault(graph, 0)
        total = len(self.store)
        return Output(
            info={
                "graphs": dict(sorted(graphs.items())),
                "default": total - sum(graphs.values()),
                "total": total,
            }
        )

    def _write_graph(self, job: WriteGraphJob) -> bool:
        """Graph Store PUT/POST: parse the whole document, then replace or add in one update; True if new."""
        ext = UPLOAD_EXTENSIONS.get(job.media_type)
        if ext is None:
            raise UnsupportedMediaType(
                f"cannot read RDF sent as {job.media_type!r}; send one of "
                f"{', '.join(sorted(UPLOAD_EXTENSIONS))}"
            )
        target = str(_graph_node(job.graph)) if job.graph is not None else None
        triples = as_ntriples(job.data, FORMATS[ext], "the request body")
        body = triples.decode()
        data = f"GRAPH {target} {{ {body} }}" if target else body
        clear = (
            (f"DROP SILENT GRAPH {target} ;\n" if target else "DROP SILENT DEFAULT ;\n")
            if job.replace
            else ""
        )
        create = f"CREATE SILENT GRAPH {target} ;\n" if target else ""
        created = job.graph is not None and job.graph not in self.store.graphs()
        self.store.update(f"{clear}{create}INSERT DATA {{ {data} }}", writes={job.graph})
        return created

    def _drop_graph(self, job: DropGraphJob) -> None:
        """Graph Store DELETE."""
        if job.graph is None:
            self.store.update("DROP DEFAULT")
            return
        node = _graph_node(job.graph)
        if job.graph not in self.store.graphs():
            raise GraphNotFound(f"the store has no graph <{job.graph}>")
        self.store.update(f"DROP GRAPH {node}")


def _error_reply(exc: BaseException) -> tuple[str, str, str]:
    """An error for the parent: class name and message."""
    if isinstance(exc, CwkgError):
        return ("error", type(exc).__name__, str(exc))
    return ("error", "StoreError", f"{type(exc).__name__}: {exc}")


def _send_spool(conn: Connection, body: Spool) -> None:
    """Wait for the parent's go-ahead, then stream a large body in chunks (the parent knows its size)."""
    try:
        if conn.recv() != "send":
            return
        for chunk in body.chunks(CHUNK):
            conn.send_bytes(chunk)
    finally:
        body.close()


def serve(conn: Connection, config: WorkerConfig) -> None:
    """A worker process's main loop: open the store, say ready, then answer jobs until told to stop."""
    if config.server_pid:
        lifeline.hold(config.server_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.nice(config.nice)  # below the parent: relaying requests and answers goes before evaluating
    try:
        executor = Executor(config)
    except BaseException as exc:
        conn.send(_error_reply(exc))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        reply: tuple[Any, ...]
        try:
            reply = ("ok", executor.run(job))
        except BaseException as exc:
            reply = _error_reply(exc)
        if config.writable:
            executor.close()  # before the parent hears back and lets readers reopen
        conn.send(reply)
        unsent, executor.unsent = executor.unsent, None
        if unsent is not None:
            _send_spool(conn, unsent)
