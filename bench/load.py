"""How fast is `cwkg serve` under load, next to `oxigraph serve-read-only` on the same data?

Run: `python bench/load.py` (defaults: 100,000 and 1,000,000 triples, 20 s per phase), or
`python bench/load.py --triples 100000 --duration 10 --quick` for a short run. Needs the `bench`
extra (`pip install -e '.[bench]'`: psutil, rdflib-endpoint, py-spy) and the `oxigraph` server
binary of the `dev` extra.

For each size: writes a synthetic workforce graph (bench/generate.py) and loads it into one on-disk
store (dist/bench/), then starts each system on its own port, timing the cold start to the first
answer: `cwkg serve` with the result cache off, `cwkg serve` with it on, `oxigraph serve-read-only
--union-default-graph` over the same store, and `rdflib-endpoint serve` over the same triples (only up
to --rdflib-max triples: it holds the graph in Python objects). Then, for 1 and 8 clients, the systems
take turns: a warm-up, then a closed loop (each client sends its next query when the last answer is
read) over the query mix below for --duration seconds. Each client draws its queries from its own
seeded generator, so every system is asked the same sequence. Parameters come from a hot set of
HOT values per query, as the pages and canned queries of a public site are.

Reported per system and phase: throughput, latency p50/p90/p99, errors, CPU seconds per request
(psutil, user + system over the server's process tree, workers included), peak RSS of the tree, the
throughput and median latency of the cheap lookups within the mix, and ratios to Oxigraph. Last, a
memory check: `cwkg serve` (cache off) under 8 clients for --soak seconds, its tree's RSS sampled
every second. Results go to bench/results/load-<date>-<triples>.json and a table to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil
import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from generate import generate, scale  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "dist" / "bench"
RESULTS = BENCH / "results"
HOT = 100  # distinct parameter values per query
CHEAP = ("label", "two-hop", "describe")

PREFIXES = """PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""
RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
ID = "https://w3id.org/cwkg/id/"

# ---------------------------------------------------------------------------------------------- the mix


def _mix(entities: int) -> list[tuple[str, Callable[[random.Random], str], str]]:
    """The query mix: (name, query from a generator, Accept), about ten realistic questions."""
    hot = [(i * 7919) % entities for i in range(HOT)]

    def pick(rng: random.Random) -> int:
        return rng.choice(hot)

    return [
        (
            "label",
            lambda r: (
                f'SELECT ?s ?class WHERE {{ ?s skos:prefLabel "Synthetic Role {pick(r)}"@en ; a ?class }}'
            ),
            RESULTS_JSON,
        ),
        (
            "search",
            lambda r: (
                "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label "
                f'FILTER(CONTAINS(LCASE(STR(?label)), "programme {pick(r)}")) }} ORDER BY ?label LIMIT 50'
            ),
            RESULTS_JSON,
        ),
        (
            "two-hop",
            lambda r: (
                "SELECT ?q ?label ?level WHERE { ?req a cw:Requirement ; "
                f"cw:role <{ID}role/synthetic-role-{pick(r)}> ; cw:qualification ?q . ?q skos:prefLabel ?label "
                "OPTIONAL { ?q cw:level ?level } }"
            ),
            RESULTS_JSON,
        ),
        (
            "funders",
            lambda r: (
                "SELECT DISTINCT ?funder ?name WHERE { ?d cw:provider "
                f"<{ID}org/synthetic-org-{pick(r)}> ; cw:deliveredProgramme ?p . ?f cw:fundedProgramme ?p ; "
                "cw:funder ?funder . ?funder skos:prefLabel ?name }"
            ),
            RESULTS_JSON,
        ),
        (
            "count-by-class",
            lambda r: (
                "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"
            ),
            RESULTS_JSON,
        ),
        (
            "funding-by-funder",
            lambda r: (
                "SELECT ?funder (SUM(?amount) AS ?total) (COUNT(?f) AS ?n) WHERE { "
                "?f a cw:Funding ; cw:funder ?funder ; cw:amount ?amount } GROUP BY ?funder ORDER BY DESC(?total) LIMIT 20"
            ),
            RESULTS_JSON,
        ),
        (
            "career-path",
            lambda r: (
                "SELECT DISTINCT ?to WHERE { "
                f"<{ID}role/synthetic-role-{pick(r)}> (^cw:fromRole/cw:toRole)+ ?to }} LIMIT 100"
            ),
            RESULTS_JSON,
        ),
        (
            "evidence",
            lambda r: (
                "SELECT ?s ?quote WHERE { ?s a cw:Membership ; cw:evidence ?a . "
                f"?a oa:hasTarget/oa:hasSelector/oa:exact ?quote }} LIMIT 100 OFFSET {pick(r) % 10}"
            ),
            RESULTS_JSON,
        ),
        ("describe", lambda r: f"DESCRIBE <{ID}org/synthetic-org-{pick(r)}>", TURTLE),
        ("10k-rows", lambda r: "SELECT ?s ?a WHERE { ?s cw:evidence ?a } LIMIT 10000", RESULTS_JSON),
    ]


# ---------------------------------------------------------------------------------------------- systems


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class System:
    """A server under test: how to start it and where it answers queries."""

    name: str
    argv: list[str]
    path: str  # the query endpoint
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    cold_start: float | None = None

    def start(self, probe: str) -> None:
        """Start the server and time it to its first answer of `probe`."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [a.replace("{port}", str(self.port)) for a in self.argv],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = started + 900
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                status, _ = request(self.port, self.path, probe, RESULTS_JSON, timeout=5)
                if status == 200:
                    self.cold_start = time.perf_counter() - started
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} did not answer")

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the server's processes are idle (cwkg starts most workers after its first answer),
        so that the next system's cold start is timed on a quiet machine."""
        deadline = time.perf_counter() + timeout
        before = self.cpu()
        while time.perf_counter() < deadline:
            time.sleep(0.5)
            now = self.cpu()
            if now - before < 0.05:
                return
            before = now

    def tree(self) -> list[psutil.Process]:
        """The server process and all its descendants."""
        assert self.process is not None
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def cpu(self) -> float:
        """CPU seconds (user + system) of the tree so far."""
        total = 0.0
        for p in self.tree():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def rss(self) -> int:
        """Resident bytes of the tree (shared pages counted once per process)."""
        total = 0
        for p in self.tree():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            for p in reversed(self.tree()):
                p.kill()
            self.process.wait(5)


def systems(store: Path, triples_file: Path, triples: int, args: argparse.Namespace) -> list[System]:
    """The systems to compare over one store."""
    cwkg = [str(BIN / "cwkg"), "serve", "--store", str(store), "--port", "{port}"]
    if args.workers:
        cwkg += ["--workers", str(args.workers)]
    found = [
        System("cwkg (cache off)", cwkg, "/sparql", {"CWKG_CACHE_BYTES": "0"}),
        System("cwkg (cache on)", cwkg, "/sparql", {"CWKG_CACHE_BYTES": str(256 * 2**20)}),
        System(
            "oxigraph",
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(store),
                "--bind",
                "127.0.0.1:{port}",
                "--union-default-graph",
            ],
            "/query",
        ),
    ]
    if triples <= args.rdflib_max and shutil.which("rdflib-endpoint", path=str(BIN)):
        found.append(
            System(
                "rdflib-endpoint",
                [
                    str(BIN / "rdflib-endpoint"),
                    "serve",
                    str(triples_file),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "{port}",
                ],
                "/",
            )
        )
    for s in found:
        s.port = _free_port()
    return found


# ---------------------------------------------------------------------------------------------- client

_connections = threading.local()


def request(port: int, path: str, query: str, accept: str, timeout: float = 120) -> tuple[int, int]:
    """GET a query on a kept-alive connection of this thread; (status, body bytes)."""
    conns: dict[int, http.client.HTTPConnection] = _connections.__dict__.setdefault("by_port", {})
    conn = conns.get(port)
    if conn is None:
        conn = conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", f"{path}?{urlencode({'query': PREFIXES + query})}", headers={"Accept": accept})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        del conns[port]
        raise
    return response.status, len(body)


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_phase(
    system: System, mix: list[Any], clients: int, duration: float, seed: int, sample_memory: bool = False
) -> dict[str, Any]:
    """A closed loop of `clients` threads over the mix for `duration` seconds; the phase's figures."""
    samples: list[list[Sample]] = [[] for _ in range(clients)]
    memory: list[tuple[float, int]] = []
    stop = threading.Event()
    end = time.perf_counter() + duration

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        out = samples[index]
        while time.perf_counter() < end:
            name, make, accept = rng.choice(mix)
            query = make(rng)
            t = time.perf_counter()
            try:
                status, _ = request(system.port, system.path, query, accept)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            out.append(Sample(name, time.perf_counter() - t, ok))

    def monitor() -> None:
        start = time.perf_counter()
        while not stop.wait(1.0 if sample_memory else 0.5):
            memory.append((round(time.perf_counter() - start, 1), system.rss()))

    cpu0 = system.cpu()
    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    cpu = system.cpu() - cpu0
    flat = [s for group in samples for s in group]
    ok = [s.seconds for s in flat if s.ok]
    cheap = [s.seconds for s in flat if s.ok and s.name in CHEAP]
    by_query = {}
    for name in dict.fromkeys(s.name for s in flat):
        times = [s.seconds for s in flat if s.name == name and s.ok]
        by_query[name] = {
            "n": len(times),
            "p50_ms": round(_percentile(times, 0.5) * 1000, 2),
            "p99_ms": round(_percentile(times, 0.99) * 1000, 2),
        }
    return {
        "system": system.name,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(flat),
        "errors": len(flat) - len(ok),
        "throughput": len(ok) / elapsed,
        "p50_ms": _percentile(ok, 0.5) * 1000,
        "p90_ms": _percentile(ok, 0.9) * 1000,
        "p99_ms": _percentile(ok, 0.99) * 1000,
        "cheap_throughput": len(cheap) / elapsed,
        "cheap_p50_ms": _percentile(cheap, 0.5) * 1000,
        "cpu_ms_per_request": cpu / max(len(flat), 1) * 1000,
        "rss_mb": max((m for _, m in memory), default=system.rss()) / 2**20,
        "memory": [(t, round(m / 2**20, 1)) for t, m in memory] if sample_memory else None,
        "by_query": by_query,
    }


# ---------------------------------------------------------------------------------------------- report

COLUMNS = (
    "throughput",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "cpu_ms_per_request",
    "rss_mb",
    "cheap_throughput",
    "cheap_p50_ms",
)


def table(phases: list[dict[str, Any]]) -> str:
    """A markdown table of the phases, with ratios to Oxigraph at the same number of clients."""
    lines = [
        "| system | clients | req/s | p50 ms | p90 ms | p99 ms | CPU ms/req | RSS MB | cheap req/s | "
        "cheap p50 ms | errors | req/s ÷ ox | p99 ÷ ox | CPU ÷ ox | RSS ÷ ox | cheap req/s ÷ ox | "
        "cheap p50 ÷ ox |",
        "|---|---:" + "|---:" * 16 + "|",
    ]
    for p in phases:
        ox_ = next((o for o in phases if o["system"] == "oxigraph" and o["clients"] == p["clients"]), None)

        def ratio(key: str, p: dict = p, ox_: dict | None = ox_) -> str:
            return f"{p[key] / ox_[key]:.2f}" if ox_ and ox_[key] else "-"

        lines.append(
            f"| {p['system']} | {p['clients']} | {p['throughput']:.1f} | {p['p50_ms']:.1f} | {p['p90_ms']:.1f} | "
            f"{p['p99_ms']:.1f} | {p['cpu_ms_per_request']:.2f} | {p['rss_mb']:.0f} | {p['cheap_throughput']:.1f} | "
            f"{p['cheap_p50_ms']:.1f} | {p['errors']} | {ratio('throughput')} | {ratio('p99_ms')} | "
            f"{ratio('cpu_ms_per_request')} | {ratio('rss_mb')} | {ratio('cheap_throughput')} | "
            f"{ratio('cheap_p50_ms')} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- main


def prepare(triples: int) -> tuple[Path, Path]:
    """The synthetic graph as N-Quads and N-Triples, and an on-disk store of it (reused when present)."""
    WORK.mkdir(parents=True, exist_ok=True)
    nquads, ntriples, store = (
        WORK / f"workforce-{triples}.nq",
        WORK / f"workforce-{triples}.nt",
        WORK / f"store-{triples}",
    )
    if not store.is_dir():
        t = time.perf_counter()
        n = generate(triples, nquads)
        quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in quads),
            str(ntriples),
            ox.RdfFormat.N_TRIPLES,
        )
        fresh = store.with_name(store.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        db = ox.Store(str(fresh))
        db.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        db.optimize()
        del db
        fresh.replace(store)
        print(f"{n} quads generated and loaded in {time.perf_counter() - t:.1f} s", flush=True)
    return store, ntriples


def bench_size(triples: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every system at one size."""
    store, ntriples = prepare(triples)
    mix = _mix(scale(triples))
    probe = mix[0][1](random.Random(0))
    found = [s for s in systems(store, ntriples, triples, args) if not args.only or s.name in args.only]
    phases: list[dict[str, Any]] = []
    soak: dict[str, Any] | None = None
    try:
        for s in found:
            s.start(probe)
            s.settle()
            print(
                f"{s.name}: first answer {s.cold_start:.2f} s after start, RSS {s.rss() / 2**20:.0f} MB",
                flush=True,
            )
        for s in found:  # warm-up: caches of the OS, of RocksDB, of our result cache
            run_phase(s, mix, 2, args.warmup, seed=99)
        for clients in args.clients:
            for s in found:
                phase = run_phase(s, mix, clients, args.duration, seed=clients)
                phases.append(phase)
                print(
                    f"{s.name} x{clients}: {phase['throughput']:.1f} req/s, p50 {phase['p50_ms']:.1f} ms, "
                    f"p99 {phase['p99_ms']:.1f} ms, {phase['errors']} errors",
                    flush=True,
                )
        if args.soak:
            subject = found[0]
            soak = run_phase(subject, mix, 8, args.soak, seed=7, sample_memory=True)
            soak["system"] = subject.name
            mem = [m for _, m in soak["memory"]]
            after_warmup = mem[len(mem) // 5 :]
            soak["rss_mb_after_warmup_first"] = after_warmup[0] if after_warmup else None
            soak["rss_mb_last"] = mem[-1] if mem else None
            soak["rss_mb_max_after_warmup"] = max(after_warmup) if after_warmup else None
            print(
                f"soak {subject.name} x8 {args.soak:.0f} s: RSS {soak['rss_mb_after_warmup_first']} MB after "
                f"warm-up -> {soak['rss_mb_last']} MB at the end (max {soak['rss_mb_max_after_warmup']})",
                flush=True,
            )
    finally:
        for s in found:
            s.stop()
    return {
        "triples": triples,
        "cold_start_s": {s.name: s.cold_start for s in found},
        "phases": phases,
        "soak": soak,
    }


def main() -> None:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", default="100000,1000000", help="comma-separated sizes")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measured phase")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per system")
    parser.add_argument("--soak", type=float, default=60.0, help="seconds of the memory check (0: none)")
    parser.add_argument("--clients", default="1,8", help="comma-separated numbers of concurrent clients")
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=1_000_000,
        help="largest size to run rdflib-endpoint at (it loads 1,000,000 triples in about a minute)",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="query worker processes of cwkg (0: its default)"
    )
    parser.add_argument("--only", default="", help="comma-separated system names to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="100,000 triples, 5 s phases, no soak")
    args = parser.parse_args()
    if args.quick:
        args.triples, args.duration, args.warmup, args.soak = "100000", 5.0, 2.0, 0.0
    args.clients = [int(c) for c in args.clients.split(",")]
    args.only = [name for name in args.only.split(",") if name]
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%d")
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }
    for triples in (int(t) for t in args.triples.split(",")):
        print(f"== {triples} triples", flush=True)
        result = bench_size(triples, args)
        result.update(
            {
                "date": stamp,
                "machine": machine,
                "duration": args.duration,
                "warmup": args.warmup,
                "hot_values": HOT,
                "cwkg_workers": args.workers or "default",
                "command": " ".join(sys.argv),
            }
        )
        tag = f"-workers{args.workers}" if args.workers else ""
        out = RESULTS / f"load-{stamp}-{triples}{tag}.json"
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(table(result["phases"]))
        print(f"cold start: {result['cold_start_s']}\n-> {out}", flush=True)


if __name__ == "__main__":
    main()
