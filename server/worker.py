"""What runs inside the store process: analyse, evaluate, serialise, and send results back.

One process holds the store, opened once (read-write when updates are on, so that reads see each
committed write at once, each query on its own snapshot; read-only otherwise, reopened when the store
is rebuilt), as `oxigraph serve` does; each of its threads serves one pipe to the parent, so queries
evaluate in parallel (pyoxigraph releases the GIL while it evaluates and serialises) over one block
cache. Results are written by pyoxigraph's Rust writers straight in the format asked, through a writer
that counts rows and stops past CWKG_MAX_ROWS (server.row_limit; through TSV when the bytes cannot tell),
into a Spool (server.spool): a small body goes back inside the reply, a large one is streamed in chunks
when the parent asks. Graphs in other RDF formats than N-Triples are written as N-Triples first, so
that Turtle declares only the prefixes it uses.
"""

from __future__ import annotations

import mmap
import os
import signal
import threading
from collections.abc import Callable
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
from cwkg.server.row_limit import RowCounter, Unsure, counter_for
from cwkg.server.spool import Spool
from cwkg.store import QueryResult, Store, open_store

__all__ = ["CHUNK", "Executor", "SharedStore", "serve"]

CHUNK = 32 * 1024  # bytes per pipe message: under the 64 KiB pipe buffer


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


def _binary(out: Spool | RowCounter) -> IO[bytes]:
    """A writer as pyoxigraph's stubs name it: pyoxigraph only calls write() and flush(), which these have."""
    return cast(IO[bytes], out)


def _write(
    result: ox.QuerySolutions | ox.QueryTriples,
    out: Spool | RowCounter,
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


class SharedStore:
    """The store this process holds, opened once and shared by its threads.

    An embedded store is one object for every thread (one block cache), opened again when the parent
    says the store was rebuilt (a new epoch): the new files open beside the old until its last query ends. A remote store is one client per
    thread (each with its own connections).
    """

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.remote = isinstance(config.store, str)
        self.epoch = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._held: Store | None = None if self.remote else self._open()

    def _open(self) -> Store:
        """Open the store: read-write when updates are on, else read-only; or a client of the remote store."""
        return open_store(
            str(self.config.store),
            read_only=not self.config.writable,
            timeout=self.config.timeout,
            remote=self.config.remote,
        )

    def get(self, epoch: int) -> Store:
        """The store as of `epoch` (reopened if the store was rebuilt since)."""
        if self.remote:
            held: Store | None = getattr(self._local, "store", None)
            if held is None:
                held = self._local.store = self._open()
            return held
        with self._lock:
            if epoch > self.epoch:  # the old store is not closed: a query of another thread may still use it
                self._held, self.epoch = self._open(), epoch
            assert self._held is not None
            return self._held

    def close(self) -> None:
        """Close the embedded store (at exit)."""
        with self._lock:
            if self._held is not None:
                self._held.close()
            self._held = None


class Executor:
    """Runs one thread's jobs against the process's store."""

    def __init__(self, config: WorkerConfig, shared: SharedStore, *, writable: bool) -> None:
        self.config = config
        self.shared = shared
        self.writable = writable
        self.epoch = 0
        self.unsent: Spool | None = None  # a body too large for the reply, streamed after it

    @property
    def store(self) -> Store:
        """The store as of the job at hand."""
        return self.shared.get(self.epoch)

    def run(self, job: Job) -> Output:
        """Do one job."""
        if isinstance(job, QueryJob | GraphJob | StatsJob):
            self.epoch = max(self.epoch, job.epoch)
            if isinstance(job, QueryJob):
                return self._query(job)
            if isinstance(job, GraphJob):
                return self._get_graph(job)
            return self._stats()
        if not self.writable:
            raise StoreError("this thread does not write: updates go to the writing thread")
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

        def evaluate() -> QueryResult:
            return self.store.query(
                job.text,
                default_graph=list(job.default_graphs) if protocol_dataset else None,
                named_graphs=list(job.named_graphs) if protocol_dataset else None,
                union_default_graph=union,
                substitutions=dict(job.bindings) or None,
                base_iri=job.base,
            )

        return self._serialise(evaluate, media_type)

    def _serialise(self, evaluate: Callable[[], QueryResult], media_type: str) -> Output:
        """Serialise a result in `media_type`, counting rows on the way; a large body waits in self.unsent.

        `evaluate` gives the result: called again, for TSV, when the rows cannot be told from the bytes.
        """
        result = evaluate()
        body = Spool()
        rows: int | None = None
        try:
            if isinstance(result, ox.QueryBoolean):
                result.serialize(_binary(body), RESULT_FORMATS[media_type])
            elif isinstance(result, ox.QuerySolutions):
                try:
                    rows = self._solutions(result, RESULT_FORMATS[media_type], body)
                except Unsure:
                    body.close()
                    body = Spool()
                    rows = self._through_tsv(evaluate(), media_type, body)
            else:
                rows = self._triples(result, media_type, body)
        except BaseException:
            body.close()
            raise
        inline = body.inline()
        if inline is None:
            self.unsent = body
        else:
            body.close()
        return Output(media_type=media_type, body=inline, size=body.size, rows=rows)

    def _solutions(self, result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, out: Spool) -> int:
        """Solutions written straight in `fmt`, rows counted from its bytes (Unsure when they cannot be)."""
        counter = counter_for(fmt, out, self.config.max_rows)
        result.serialize(_binary(counter), fmt)
        return counter.total()

    def _through_tsv(self, result: QueryResult, media_type: str, out: Spool) -> int:
        """Solutions written as TSV (one line a row, counted exactly), then converted to `media_type`."""
        assert isinstance(result, ox.QuerySolutions)
        first = Spool()
        try:
            rows = self._solutions(result, ox.QueryResultsFormat.TSV, first)
            converted = ox.parse_query_results(first.reader(), format=ox.QueryResultsFormat.TSV)
            converted.serialize(_binary(out), RESULT_FORMATS[media_type])
            return rows
        finally:
            first.close()

    def _triples(self, result: ox.QueryTriples, media_type: str, out: Spool) -> int:
        """Triples as N-Triples (one line each, counted), converted when another format is asked."""
        if media_type == ox.RdfFormat.N_TRIPLES.media_type:
            counter = RowCounter(out, self.config.max_rows)
            _write(result, counter, ox.RdfFormat.N_TRIPLES)
            return counter.total()
        first = Spool()
        try:
            counter = RowCounter(first, self.config.max_rows)
            _write(result, counter, ox.RdfFormat.N_TRIPLES)
            _convert_triples(first, media_type, out)
            return counter.total()
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
        return self._serialise(lambda: result, job.media_type)

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


def _answer(conn: Connection, executor: Executor) -> None:
    """One thread's loop: say ready, then answer jobs from one pipe until told to stop or the pipe breaks."""
    try:
        conn.send(("ready", os.getpid(), threading.get_native_id()))
    except OSError:
        return  # the parent gave up on this process while it started
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
        try:
            conn.send(reply)
            unsent, executor.unsent = executor.unsent, None
            if unsent is not None:
                _send_spool(conn, unsent)
        except OSError:
            break


def serve(slots: list[tuple[Connection, bool]], config: WorkerConfig) -> None:
    """The store process's main: open the store, then answer each pipe in a thread of its own.

    `slots`: each pipe, and whether its thread writes (one does, when updates are on). The writing
    thread starts before the process is made nicer, so it keeps the server's priority: a write holds
    no reader back (each query reads its own snapshot), and runs at the speed the publisher waits for.
    """
    if config.server_pid:
        lifeline.hold(config.server_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        shared = SharedStore(config)
    except BaseException as exc:
        for conn, _ in slots:
            conn.send(_error_reply(exc))
        return
    threads = []

    def start(index: int, conn: Connection, writable: bool) -> None:
        executor = Executor(config, shared, writable=writable)
        name = "cwkg-writer" if writable else f"cwkg-reader-{index}"
        thread = threading.Thread(target=_answer, args=(conn, executor), name=name, daemon=True)
        thread.start()  # a thread takes the niceness of the thread that starts it
        threads.append(thread)

    for index, (conn, writable) in enumerate(slots):
        if writable:
            start(index, conn, writable)
    os.nice(config.nice)  # the readers below the parent: relaying requests and answers goes first
    for index, (conn, writable) in enumerate(slots):
        if not writable:
            start(index, conn, writable)
    for thread in threads:
        thread.join()
    shared.close()
