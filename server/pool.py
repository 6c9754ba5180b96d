"""The process pool: queries run in worker processes that the parent can kill when they run too long.

A running pyoxigraph query cannot be cancelled from Python, so each query is sent to a worker process
(see server.execute) and the parent waits on the worker's pipe without blocking its event loop. Past
the timeout, or when the client goes away, the worker is killed (freeing its CPU) and a fresh one is
forked from the forkserver, while the other workers keep answering. Workers are forked from a
forkserver that has already imported pyoxigraph and rdflib, so a replacement is ready in milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from cwkg.errors import CwkgError, QueryTimeout, StoreError
from cwkg.server.errors import Busy, WorkerLost, by_name
from cwkg.server.jobs import GraphJob, Job, Output, QueryJob, StatsJob, WorkerConfig
from cwkg.server.store_lock import Gate

__all__ = ["Pool", "Reply", "Worker"]

log = logging.getLogger("cwkg.server.pool")

_START_TIMEOUT = 60.0  # seconds for a new worker to open the store


def _context() -> Any:
    """The multiprocessing context: a forkserver that has pyoxigraph and rdflib loaded."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", "cwkg.server.worker"])  # __main__: imported once, not per worker
    return ctx


def warm_up() -> None:
    """Start the forkserver now, so that its imports run while the app is still being imported."""
    _context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _serve(conn: Any, config: Any) -> None:
    """A worker's main: imported by name in the forkserver, so the parent never loads the SPARQL parser."""
    from cwkg.server.worker import serve

    serve(conn, config)


def _settle(outcome: asyncio.Future[str], what: str) -> None:
    """Settle a race with its first result; later ones are ignored."""
    if not outcome.done():
        outcome.set_result(what)


async def _until(outcome: asyncio.Future[str], deadline: float, gone: asyncio.Future[None] | None) -> str:
    """Await a race settled "ready" by what is awaited, "timeout" at the deadline, or "gone" with the client.

    One future and a timer, not asyncio.wait over tasks: this runs for every query.
    """
    timer = asyncio.get_running_loop().call_later(
        max(deadline - time.monotonic(), 0), _settle, outcome, "timeout"
    )

    def left(_: asyncio.Future[None]) -> None:
        _settle(outcome, "gone")

    if gone is not None:
        gone.add_done_callback(left)
    try:
        return await outcome
    finally:
        timer.cancel()
        if gone is not None:
            gone.remove_done_callback(left)


class ClientGone(Exception):
    """Raised inside the pool when the client disconnected while its query ran."""


@dataclass
class Worker:
    """One worker process and the parent's end of its pipe."""

    process: BaseProcess
    conn: Connection
    pid: int
    busy_since: float | None = None

    def kill(self) -> None:
        """Kill the process at once (SIGKILL) and close the pipe."""
        self.process.kill()
        self.conn.close()


@contextmanager
def _watching(conn: Connection, outcome: asyncio.Future[str]) -> Iterator[None]:
    """Settle `outcome` as "ready" when the pipe has data, while in the block."""
    loop = asyncio.get_running_loop()
    fd = conn.fileno()
    loop.add_reader(fd, _settle, outcome, "ready")
    try:
        yield
    finally:
        loop.remove_reader(fd)


async def _readable(conn: Connection) -> None:
    """Wait until the pipe has data, without blocking the event loop."""
    if conn.poll(0):
        return
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    with _watching(conn, ready):
        await ready


class Reply:
    """A worker's answer: the Output facts and the body, inside them or streamed from the worker after them."""

    def __init__(self, pool: Pool, worker: Worker | None, output: Output) -> None:
        self.pool = pool
        self.worker = worker  # held only while a streamed body is still to come
        self.output = output
        self._started = False

    async def read(self) -> bytes:
        """The whole body (for answers known to be small enough to hold), the worker given back."""
        try:
            return b"".join([chunk async for chunk in self.chunks()])
        finally:
            await self.close()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The serialised result, chunk by chunk.

        A streamed body's worker is given back as soon as the last byte has arrived, before that chunk
        is passed on.
        """
        assert not self._started
        self._started = True
        if self.output.body is not None:
            if self.output.body:
                yield self.output.body
            return
        worker = self.worker
        size = self.output.size
        if worker is None:
            return
        worker.conn.send("send")
        received = 0
        while received < size:
            await _readable(worker.conn)
            try:
                chunk = worker.conn.recv_bytes()
            except (EOFError, OSError) as exc:
                raise WorkerLost("the query worker died while sending the result") from exc
            received += len(chunk)
            if received >= size:
                self.worker = None
                self.pool._release(worker)
            yield chunk

    async def close(self) -> None:
        """Give the worker back: tell it to drop an unsent body, or kill it if it was cut off mid-stream."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        if self._started:
            await self.pool._replace(worker, "the client stopped reading the result")
            return
        worker.conn.send("drop")
        self.pool._release(worker)


class Pool:
    """A fixed number of worker processes over one store, with a timeout and a cap on waiting jobs."""

    def __init__(
        self, config: WorkerConfig, size: int, *, timeout: float, max_pending: int, gate: Gate
    ) -> None:
        self.config = config
        self.gate = gate
        self.size = size
        self.timeout = timeout
        self.max_pending = max_pending
        self.generation = 0
        self.pending = 0
        self._ctx = _context()
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: dict[int, Worker] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        """Start one worker and wait until it is ready; the others join as each comes up.

        The first answer then waits for one process to start, not for all of them.
        """
        self._idle.put_nowait(await self._spawn())
        if self.size > 1:
            task = asyncio.create_task(self._spawn_rest(self.size - 1))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _spawn_rest(self, count: int) -> None:
        """Start more workers in the background, each put to work as soon as it is ready."""
        for started in asyncio.as_completed([self._spawn() for _ in range(count)]):
            try:
                worker = await started
            except CwkgError as exc:
                log.error("a query worker did not start: %s", exc)
                continue
            self._release(worker)

    async def _spawn(self) -> Worker:
        """Start one worker process and wait for its `ready`."""
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(child, self.config), daemon=True, name="cwkg-worker")
        await asyncio.to_thread(process.start)
        child.close()
        try:
            await asyncio.wait_for(_readable(parent), _START_TIMEOUT)
            message = parent.recv()
        except (TimeoutError, EOFError, OSError) as exc:
            process.kill()
            raise StoreError(f"a query worker did not start: {exc or 'no answer'}") from exc
        if message[0] != "ready":
            await asyncio.to_thread(process.join, 5)
            raise by_name(message[1])(message[2])
        worker = Worker(process=process, conn=parent, pid=message[1])
        self._workers[worker.pid] = worker
        return worker

    def _release(self, worker: Worker) -> None:
        """Put a worker back in the idle queue (or tell it to exit if the pool is closing)."""
        worker.busy_since = None
        if self._closed:
            worker.conn.send(None)
            return
        self._idle.put_nowait(worker)

    async def _replace(self, worker: Worker, why: str) -> None:
        """Kill a worker and start another in its place, in the background."""
        log.warning("killing worker %d: %s", worker.pid, why)
        self._workers.pop(worker.pid, None)
        worker.kill()
        await asyncio.to_thread(worker.process.join, 5)
        if self._closed:
            return
        task = asyncio.create_task(self._respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self) -> None:
        """Start a replacement worker, retrying until one starts or the pool closes."""
        while not self._closed:
            try:
                worker = await self._spawn()
            except Exception:
                log.exception("cannot start a replacement worker; retrying")
                await asyncio.sleep(1)
                continue
            self._release(worker)
            return

    def changed(self) -> None:
        """Note that the data changed: each read worker reopens its store before its next job."""
        self.generation += 1

    def status(self) -> list[dict[str, Any]]:
        """Each worker's pid and how long it has been busy, for /healthz."""
        now = time.monotonic()
        return [
            {
                "pid": w.pid,
                "busy": w.busy_since is not None,
                "seconds": round(now - w.busy_since, 3) if w.busy_since is not None else 0.0,
            }
            for w in self._workers.values()
        ]

    async def run(self, job: Job, gone: asyncio.Future[None] | None = None) -> Reply:
        """Run a job within the timeout, holding the store gate while it evaluates; the caller closes the Reply.

        `gone` is settled when the client disconnects: the job is then given up and its worker killed.
        """
        if self.pending >= self.max_pending:
            raise Busy(
                f"{self.pending} queries are already running or waiting, the limit of this server "
                "(CWKG_MAX_CONCURRENT_QUERIES); try again shortly"
            )
        if isinstance(job, QueryJob | GraphJob | StatsJob):
            job = replace(job, generation=self.generation)
        self.pending += 1
        try:
            deadline = time.monotonic() + self.timeout
            hold = self.gate.exclusive() if self.config.writable else self.gate.shared()
            try:
                async with asyncio.timeout(max(deadline - time.monotonic(), 0)):
                    await hold.__aenter__()
            except TimeoutError:
                raise Busy(
                    f"the store was busy for {self.timeout:g} s (an update, or queries before it); "
                    "try again shortly"
                ) from None
            try:
                return await self._run(job, deadline, gone)
            finally:
                await hold.__aexit__(None, None, None)
        finally:
            self.pending -= 1

    async def _run(self, job: Job, deadline: float, gone: asyncio.Future[None] | None) -> Reply:
        """Run a job on a free worker: its evaluation, up to the Reply (a large body streams later)."""
        worker = await self._free_worker(deadline, gone)
        worker.busy_since = time.monotonic()
        deadline = worker.busy_since + self.timeout  # the time limit counts from the start of the job
        try:
            worker.conn.send(job)
            answered: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            with _watching(worker.conn, answered):
                outcome = await _until(answered, deadline, gone)
            if outcome == "timeout":
                await self._replace(worker, f"its job ran past {self.timeout:g} s")
                raise QueryTimeout(
                    f"the query was stopped after {self.timeout:g} s, the time limit of "
                    "this server (CWKG_QUERY_TIMEOUT)"
                )
            if outcome == "gone":
                await self._replace(worker, "its client disconnected")
                raise ClientGone
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            await self._replace(worker, f"it died ({exc})")
            raise WorkerLost(
                "the query worker died while evaluating; the query may use too much memory"
            ) from exc
        if message[0] == "error":
            self._release(worker)
            raise by_name(message[1])(message[2])
        output: Output = message[1]
        if output.streamed:
            return Reply(self, worker, output)
        self._release(worker)
        return Reply(self, None, output)

    async def _free_worker(self, deadline: float, gone: asyncio.Future[None] | None) -> Worker:
        """An idle worker: at once if there is one, else the first to come free before the deadline."""
        if not self._idle.empty():
            return self._idle.get_nowait()
        freed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        getter = asyncio.ensure_future(self._idle.get())
        getter.add_done_callback(lambda _: _settle(freed, "ready"))
        outcome = "cancelled"
        try:
            outcome = await _until(freed, deadline, gone)
        finally:
            if outcome != "ready" and not getter.cancel() and not getter.cancelled():
                self._release(getter.result())  # a worker came free just as we gave up on it
        if outcome == "ready":
            return getter.result()
        if outcome == "gone":
            raise ClientGone
        raise Busy(f"no query worker became free within {self.timeout:g} s; try again shortly")

    async def close(self) -> None:
        """Stop every worker: idle ones are told to exit, busy ones are killed (a write is then undone)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        idle: set[int] = set()
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            idle.add(worker.pid)
            try:
                worker.conn.send(None)
            except OSError:
                worker.kill()
        for worker in list(self._workers.values()):
            if worker.pid not in idle:
                worker.kill()
            await asyncio.to_thread(worker.process.join, 5)
            if worker.process.is_alive():
                worker.kill()
                await asyncio.to_thread(worker.process.join, 5)
        self._workers.clear()
