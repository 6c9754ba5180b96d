"""The store process and its threads: queries run where the parent can stop them when they run too long.

A running pyoxigraph query cannot be cancelled from Python, so the store is held by a child process
(server.worker) whose threads each serve one pipe, and the parent waits on the pipes without blocking
its event loop. Past the timeout, or when the client goes away, the process is killed (freeing its CPU)
and a fresh one started from the forkserver, which has pyoxigraph and rdflib imported already. The
queries that were evaluating beside the stopped one are read-only, so they are sent again to the new
process, unnoticed by their clients; a write in progress is let finish first (the kill waits for it),
so that no acknowledged write is lost and no write is cut off for another's fault.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from cwkg.errors import QueryTimeout, StoreError
from cwkg.server.errors import Busy, WorkerLost, by_name
from cwkg.server.jobs import GraphJob, Job, Output, QueryJob, StatsJob, WorkerConfig

__all__ = ["Pool", "Reply", "Worker"]

log = logging.getLogger("cwkg.server.pool")

_START_TIMEOUT = 60.0  # seconds for a new store process to open the store
_ATTEMPTS = 3  # a read is sent again at most this often when stopped for another job's fault


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


def _serve(slots: Any, config: Any) -> None:
    """The store process's main: imported by name in the forkserver, so the parent never loads the SPARQL parser."""
    from cwkg.server.worker import serve

    serve(slots, config)


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


@dataclass(eq=False)
class Home:
    """One store process: its threads' pipes, and why it is being stopped (once it is)."""

    process: BaseProcess
    pid: int
    slots: list[Worker] = field(default_factory=list)
    stopping: str | None = None  # why the process is killed, once it is decided
    culprit: Worker | None = None  # the thread whose job caused it (None: none of them)
    deferred: Worker | None = None  # a job past its time, waiting for a write to finish before the kill

    def writing(self) -> bool:
        """Whether a write is in progress in this process."""
        return any(w.writes and w.busy_since is not None for w in self.slots)


@dataclass(eq=False)
class Worker:
    """One thread of the store process: the parent's end of its pipe."""

    home: Home
    conn: Connection
    writes: bool
    thread: int = 0  # the thread's id in the kernel (its niceness is its own)
    busy_since: float | None = None

    @property
    def pid(self) -> int:
        """The store process's pid."""
        return self.home.pid


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
        os.set_blocking(
            fd, True
        )  # uvloop makes a watched descriptor non-blocking; Connection needs it blocking


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
        self._left = 0  # bytes of a streamed body not yet read from the worker

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
        self._left = size
        while received < size:
            await _readable(worker.conn)
            try:
                chunk = worker.conn.recv_bytes()
            except (EOFError, OSError) as exc:
                raise WorkerLost("the query worker died while sending the result") from exc
            received += len(chunk)
            self._left = size - received
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
            self.pool._drain(worker, self._left)
            return
        worker.conn.send("drop")
        self.pool._release(worker)


class Pool:
    """The store process's threads: `size` for reads and, when updates are on, one for writes.

    A timeout, a cap on waiting jobs, and the jobs of a stopped process sent again, are kept here.
    """

    def __init__(self, config: WorkerConfig, size: int, *, timeout: float, max_pending: int) -> None:
        self.config = config
        self.size = size
        self.timeout = timeout
        self.max_pending = max_pending
        self.generation = 0  # the data as changed this many times (writes, rebuilds): for caches
        self.epoch = 0  # the store as rebuilt this many times: the store process reopens it
        self.pending = 0
        self._ctx = _context()
        self._reads: asyncio.Queue[Worker] = asyncio.Queue()
        self._writes: asyncio.Queue[Worker] = asyncio.Queue()
        self._home: Home | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def writable(self) -> bool:
        """Whether this pool has a thread for writes."""
        return self.config.writable

    async def start(self) -> None:
        """Start the store process and wait until it has opened the store."""
        self._adopt(await self._spawn())

    def _adopt(self, home: Home) -> None:
        """Put a new process's threads to work."""
        self._home = home
        for worker in home.slots:
            self._release(worker)

    async def _spawn(self) -> Home:
        """Start one store process and wait for each of its threads' `ready`."""
        count = self.size + (1 if self.config.writable else 0)
        pipes = [self._ctx.Pipe(duplex=True) for _ in range(count)]
        kinds = [False] * self.size + [True] * (count - self.size)
        slots = [(child, writes) for (_, child), writes in zip(pipes, kinds, strict=True)]
        process = self._ctx.Process(target=_serve, args=(slots, self.config), daemon=True, name="cwkg-store")
        await asyncio.to_thread(process.start)
        assert process.pid is not None
        home = Home(process=process, pid=process.pid)
        for (child, _), (parent, _), writes in zip(slots, pipes, kinds, strict=True):
            child.close()
            try:
                await asyncio.wait_for(_readable(parent), _START_TIMEOUT)
                message = parent.recv()
            except (TimeoutError, EOFError, OSError) as exc:
                process.kill()
                raise StoreError(f"the store process did not start: {exc or 'no answer'}") from exc
            if message[0] != "ready":
                await asyncio.to_thread(process.join, 5)
                raise by_name(message[1])(message[2])
            home.slots.append(Worker(home=home, conn=parent, writes=writes, thread=message[2]))
        return home

    def _release(self, worker: Worker) -> None:
        """Put a thread back in its idle queue (or tell it to end if the pool is closing)."""
        worker.busy_since = None
        home = worker.home
        if home.stopping is not None:
            return
        if self._closed:
            worker.conn.send(None)
            return
        if worker.writes and home.deferred is not None:
            self._stop(home, home.deferred, "a job ran past its time (stopped once the write finished)")
            return
        (self._writes if worker.writes else self._reads).put_nowait(worker)

    def _drain(self, worker: Worker, left: int) -> None:
        """Read and drop the rest of a streamed body whose client stopped reading, then free the thread."""

        async def drain() -> None:
            remaining = left
            try:
                while remaining > 0:
                    await _readable(worker.conn)
                    remaining -= len(worker.conn.recv_bytes())
            except (EOFError, OSError):
                return
            self._release(worker)

        self._background(drain())

    def _background(self, coroutine: Any) -> None:
        """Run a coroutine as a task the pool keeps until it ends."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _stop(self, home: Home, culprit: Worker | None, why: str) -> None:
        """Kill a store process now and start another in its place, in the background."""
        if home.stopping is not None:
            return
        home.stopping, home.culprit = why, culprit
        log.warning("stopping the store process %d: %s", home.pid, why)
        home.process.kill()
        for worker in home.slots:
            worker.conn.close()
        self._background(self._respawn(home))

    def _abandon(self, worker: Worker, why: str) -> None:
        """Give up on a thread's job: stop its process, or, while a write runs there, once it has finished."""
        home = worker.home
        if home.writing() and not worker.writes:
            if home.deferred is None:
                home.deferred = worker
                log.warning("a job of the store process %d %s; it is stopped after the write", home.pid, why)
            return
        self._stop(home, worker, f"a job {why}")

    async def _respawn(self, home: Home) -> None:
        """Wait for a killed process to end, then start a replacement, retrying until one starts."""
        await asyncio.to_thread(home.process.join, 5)
        while not self._closed:
            try:
                fresh = await self._spawn()
            except Exception:
                log.exception("cannot start a new store process; retrying")
                await asyncio.sleep(1)
                continue
            if self._closed:
                fresh.process.kill()
                return
            self._adopt(fresh)
            return

    def changed(self) -> None:
        """Note that the data changed (a write): cached answers and validators are stale."""
        self.generation += 1

    def rebuilt(self) -> None:
        """Note that the store was rebuilt on disk: the store process opens it again before its next job."""
        self.epoch += 1
        self.generation += 1

    def status(self, *, writes: bool = False) -> list[dict[str, Any]]:
        """Each read (or write) thread's process and how long it has been busy, for /healthz."""
        now = time.monotonic()
        home = self._home
        if home is None or home.stopping is not None:
            return []
        return [
            {
                "pid": w.pid,
                "thread": w.thread,
                "busy": w.busy_since is not None,
                "seconds": round(now - w.busy_since, 3) if w.busy_since is not None else 0.0,
            }
            for w in home.slots
            if w.writes == writes
        ]

    async def run(self, job: Job, gone: asyncio.Future[None] | None = None) -> Reply:
        """Run a job within the timeout; the caller closes the Reply.

        `gone` is settled when the client disconnects: the job is then given up and its process stopped.
        """
        if self.pending >= self.max_pending:
            raise Busy(
                f"{self.pending} queries are already running or waiting, the limit of this server "
                "(CWKG_MAX_CONCURRENT_QUERIES); try again shortly"
            )
        reads = isinstance(job, QueryJob | GraphJob | StatsJob)
        if isinstance(job, QueryJob | GraphJob | StatsJob):
            job = replace(job, epoch=self.epoch)
        elif not self.writable:
            raise StoreError("this store is read-only: updates are off")
        self.pending += 1
        try:
            deadline = time.monotonic() + self.timeout
            attempt = 1
            while True:
                try:
                    return await self._run(job, deadline, gone, writes=not reads)
                except _Innocent:
                    if not reads or attempt == _ATTEMPTS:
                        raise WorkerLost(
                            "the store process was stopped for another job while this one ran; try again"
                        ) from None
                    attempt += 1
                    log.info("sending a read again after its store process was stopped for another job")
        finally:
            self.pending -= 1

    async def _run(
        self, job: Job, deadline: float, gone: asyncio.Future[None] | None, *, writes: bool
    ) -> Reply:
        """Run a job on a free thread: its evaluation, up to the Reply (a large body streams later)."""
        worker = await self._free_worker(deadline, gone, writes=writes)
        worker.busy_since = time.monotonic()
        deadline = worker.busy_since + self.timeout  # the time limit counts from the start of the job
        try:
            worker.conn.send(job)
            answered: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            with _watching(worker.conn, answered):
                outcome = await _until(answered, deadline, gone)
            if outcome == "timeout":
                self._abandon(worker, f"ran past {self.timeout:g} s")
                raise QueryTimeout(
                    f"the query was stopped after {self.timeout:g} s, the time limit of "
                    "this server (CWKG_QUERY_TIMEOUT)"
                )
            if outcome == "gone":
                self._abandon(worker, "lost its client")
                raise ClientGone
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            home = worker.home
            if home.stopping is not None and home.culprit is not worker:
                raise _Innocent from exc
            self._stop(home, worker, f"it died ({exc})")
            raise WorkerLost(
                "the store process died while evaluating; the query may use too much memory"
            ) from exc
        if message[0] == "error":
            self._release(worker)
            raise by_name(message[1])(message[2])
        output: Output = message[1]
        if output.streamed:
            return Reply(self, worker, output)
        self._release(worker)
        return Reply(self, None, output)

    async def _free_worker(
        self, deadline: float, gone: asyncio.Future[None] | None, *, writes: bool
    ) -> Worker:
        """An idle thread: at once if there is one, else the first to come free before the deadline."""
        idle = self._writes if writes else self._reads
        while not idle.empty():
            worker = idle.get_nowait()
            if worker.home.stopping is None:
                return worker
        freed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        getter = asyncio.ensure_future(self._fresh(idle))
        getter.add_done_callback(lambda _: _settle(freed, "ready"))
        outcome = "cancelled"
        try:
            outcome = await _until(freed, deadline, gone)
        finally:
            if outcome != "ready" and not getter.cancel() and not getter.cancelled():
                self._release(getter.result())  # a thread came free just as we gave up on it
        if outcome == "ready":
            return getter.result()
        if outcome == "gone":
            raise ClientGone
        raise Busy(f"no query worker became free within {self.timeout:g} s; try again shortly")

    @staticmethod
    async def _fresh(idle: asyncio.Queue[Worker]) -> Worker:
        """The next idle thread of a process that is not being stopped."""
        while True:
            worker = await idle.get()
            if worker.home.stopping is None:
                return worker

    async def close(self) -> None:
        """Stop the store process: idle threads are told to end, then it is killed if still running.

        A write cut off by the kill is undone by the store (each write is one transaction).
        """
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        home = self._home
        if home is None:
            return
        for worker in home.slots:
            if worker.busy_since is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        if any(w.busy_since is not None for w in home.slots):
            home.process.kill()
        await asyncio.to_thread(home.process.join, 5)
        if home.process.is_alive():
            home.process.kill()
            await asyncio.to_thread(home.process.join, 5)
        for worker in home.slots:
            worker.conn.close()


class _Innocent(Exception):
    """Raised when a job's process was stopped for another job's fault: a read may be sent again."""
