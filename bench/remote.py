"""The cost of cwkg's layer over a remote store: the canned-query mix through `cwkg serve --store URL`
against the same queries sent to that store directly, for Oxigraph server and for Virtuoso 7.

Run: `python bench/remote.py [--duration S] [--clients 1,8] [--stores oxigraph,virtuoso]` after
`cwkg build`. For Oxigraph it starts
`oxigraph serve` over a fresh folder, publishes the build into it with `cwkg publish`, starts
`cwkg serve --store http://.../query` with the result cache off, and runs a closed loop over the
canned queries (queries/canned, each with its example parameters bound by `cwkg.sparql_text.bind_values`,
so both sides get the same text). Oxigraph is asked directly with `union-default-graph`; cwkg is
measured twice: naming every graph as a `default-graph-uri` (the standard way, what it does by
default), then over an Oxigraph started with `--union-default-graph` and with
CWKG_REMOTE_UNION_DEFAULT_GRAPH set, so that it names none. Reported: requests per second and p50/p99
latency of each, and cwkg's as a ratio to Oxigraph's; JSON to bench/results/.

For Virtuoso (Debian's virtuoso-opensource, started over a fresh database as the tests start it,
tests/virtuoso.py), the build is published with Digest credentials and cwkg serves over /sparql; the
parameters are bound by BIND (as cwkg's Virtuoso dialect binds them) and Virtuoso is asked directly
with what cwkg sends it: the same text, every cwkg graph as default-graph-uri and named-graph-uri,
and the time limit. Its default graph also holds Virtuoso's own graphs, so there is no union mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT)]

from cwkg.config import Settings  # noqa: E402
from cwkg.publish import publish  # noqa: E402
from cwkg.queries import Catalogue  # noqa: E402
from cwkg.remote_store import RemoteStore  # noqa: E402
from cwkg.sparql_text import bind_values  # noqa: E402

BIN = Path(sys.executable).parent
JSON = "application/sparql-results+json"


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mix(style: str = "values") -> list[tuple[str, str]]:
    """(name, SPARQL text) of every canned query with its examples bound (by VALUES, or BIND)."""
    out = []
    for q in Catalogue.load(ROOT / "queries" / "canned"):
        values = {p.name: p.example for p in q.parameters if p.example}
        text = bind_values(q.sparql, q.bindings(values), style=style) if values else q.sparql
        out.append((q.name, text))
    return out


_local = threading.local()


def get(port: int, path: str) -> int:
    """GET on a kept-alive connection of this thread; the status."""
    conn = getattr(_local, "conns", {}).get(port)
    if conn is None:
        _local.conns = {
            **getattr(_local, "conns", {}),
            port: http.client.HTTPConnection("127.0.0.1", port, timeout=60),
        }
        conn = _local.conns[port]
    try:
        conn.request("GET", path, headers={"Accept": JSON})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        del _local.conns[port]
        return 0


def loop(
    port: int, make_path, queries: list[tuple[str, str]], clients: int, duration: float
) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """A closed loop of `clients` threads for `duration` seconds: throughput and latencies."""
    times: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    end = time.perf_counter() + duration

    def client(i: int) -> None:
        rng = random.Random(i)
        while time.perf_counter() < end:
            _, text = rng.choice(queries)
            t = time.perf_counter()
            if get(port, make_path(text)) == 200:
                times[i].append(time.perf_counter() - t)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for group in times for x in group)
    return {
        "throughput": len(flat) / elapsed,
        "p50_ms": flat[len(flat) // 2] * 1000 if flat else float("nan"),
        "p99_ms": flat[int(len(flat) * 0.99)] * 1000 if flat else float("nan"),
        "errors": sum(errors),
    }


def wait(port: int, path: str) -> None:
    """Wait until a server answers 200 on `path`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if get(port, path) == 200:
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


def measure(
    settings: Settings, queries: list[tuple[str, str]], union: bool, args: argparse.Namespace
) -> list[dict]:  # type: ignore[type-arg]
    """Publish into a fresh `oxigraph serve`, serve over it, and measure both at each number of clients.

    With `union`, Oxigraph runs with --union-default-graph and cwkg with CWKG_REMOTE_UNION_DEFAULT_GRAPH,
    so a query over the union names no graphs; without, cwkg names every graph as a default-graph-uri.
    """
    folder = Path(tempfile.mkdtemp(prefix="cwkg-remote-bench-"))
    ox_port, cw_port = free_port(), free_port()
    oxigraph = subprocess.Popen(
        [
            str(BIN / "oxigraph"),
            "serve",
            "--location",
            str(folder),
            "--bind",
            f"127.0.0.1:{ox_port}",
            *(["--union-default-graph"] if union else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cwkg = None
    try:
        wait(ox_port, "/query?" + urlencode({"query": "ASK {}"}))
        publish(settings, RemoteStore(f"http://127.0.0.1:{ox_port}/query"))
        env = {
            **os.environ,
            "CWKG_CACHE_BYTES": "0",
            "CWKG_REMOTE_UNION_DEFAULT_GRAPH": "true" if union else "false",
        }
        cwkg = subprocess.Popen(
            [
                str(BIN / "cwkg"),
                "serve",
                "--port",
                str(cw_port),
                "--store",
                f"http://127.0.0.1:{ox_port}/query",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait(cw_port, "/sparql?" + urlencode({"query": "ASK {}"}))
        direct = lambda text: "/query?" + urlencode({"query": text, "union-default-graph": ""})  # noqa: E731
        layered = lambda text: "/sparql?" + urlencode({"query": text})  # noqa: E731
        for text in (q for _, q in queries):  # warm both
            get(ox_port, direct(text))
            get(cw_port, layered(text))
        return compare("oxigraph", union, (ox_port, direct), (cw_port, layered), queries, args)
    finally:
        for p in (cwkg, oxigraph):
            if p is not None:
                p.terminate()
                p.wait(15)
        shutil.rmtree(folder, ignore_errors=True)


def compare(
    store: str,
    union: bool,
    direct: tuple[int, Callable[[str], str]],
    layered: tuple[int, Callable[[str], str]],
    queries: list[tuple[str, str]],
    args: argparse.Namespace,
) -> list[dict]:  # type: ignore[type-arg]
    """Warm both, then a closed loop on the store directly and through cwkg at each number of clients."""
    for text in (q for _, q in queries):
        get(direct[0], direct[1](text))
        get(layered[0], layered[1](text))
    rows = []
    for clients in (int(c) for c in args.clients.split(",")):
        d = loop(direct[0], direct[1], queries, clients, args.duration)
        c = loop(layered[0], layered[1], queries, clients, args.duration)
        rows.append(
            {
                "store": store,
                "union_default_graph": union,
                "clients": clients,
                "direct": d,
                "cwkg": c,
                "throughput_ratio": c["throughput"] / d["throughput"],
                "p50_ratio": c["p50_ms"] / d["p50_ms"],
                "p99_ratio": c["p99_ms"] / d["p99_ms"],
            }
        )
    return rows


def measure_virtuoso(settings: Settings, args: argparse.Namespace) -> list[dict]:  # type: ignore[type-arg]
    """Publish into a fresh Virtuoso, serve over it, and measure both at each number of clients."""
    from cwkg.store import OxigraphStore
    from tests.virtuoso import PASSWORD, USER, VirtuosoServer, missing

    if problem := missing():
        raise SystemExit(problem)
    server = VirtuosoServer(Path(tempfile.mkdtemp(prefix="cwkg-virtuoso-bench-"))).start()
    cw_port = free_port()
    cwkg = None
    try:
        remote = RemoteStore(server.url, user=USER, password=PASSWORD)
        publish(settings, remote)
        remote.close()
        graphs = OxigraphStore(Path(settings.store), read_only=True).graphs()
        env = {**os.environ, "CWKG_CACHE_BYTES": "0", "CWKG_REMOTE_UNION_DEFAULT_GRAPH": "false"}
        cwkg = subprocess.Popen(
            [str(BIN / "cwkg"), "serve", "--port", str(cw_port), "--store", server.url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait(cw_port, "/sparql?" + urlencode({"query": "ASK {}"}))
        dataset = [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        limit = [("timeout", str(int(Settings().query_timeout * 1000)))]
        direct = lambda text: "/sparql?" + urlencode([("query", text), *dataset, *limit])  # noqa: E731
        layered = lambda text: "/sparql?" + urlencode({"query": text})  # noqa: E731
        return compare("virtuoso", False, (server.http_port, direct), (cw_port, layered), mix("bind"), args)
    finally:
        if cwkg is not None:
            cwkg.terminate()
            cwkg.wait(15)
        server.stop()


def main() -> None:
    """Measure with the graphs named, then with the store's union default graph; report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    args = parser.parse_args()
    stores = args.stores.split(",")
    settings = Settings()
    if not Path(settings.store).exists():
        raise SystemExit("no build: run `cwkg build` first")
    queries = mix()
    rows = []
    if "oxigraph" in stores:
        rows += measure(settings, queries, False, args) + measure(settings, queries, True, args)
    if "virtuoso" in stores:
        rows += measure_virtuoso(settings, args)
    print(f"{len(queries)} canned queries, {args.duration:g} s per phase")
    print(
        "| store | default graph of a union query | clients | store req/s | cwkg req/s | cwkg ÷ store | "
        "p50 ms store / cwkg | p99 ms store / cwkg | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        o, c = r["direct"], r["cwkg"]
        mode = (
            "the store's (CWKG_REMOTE_UNION_DEFAULT_GRAPH)"
            if r["union_default_graph"]
            else "every graph named"
        )
        print(
            f"| {r['store']} | {mode} | {r['clients']} | {o['throughput']:.1f} | {c['throughput']:.1f} | "
            f"{r['throughput_ratio']:.2f} | {o['p50_ms']:.1f} / {c['p50_ms']:.1f} | "
            f"{o['p99_ms']:.1f} / {c['p99_ms']:.1f} | {o['errors'] + c['errors']} |"
        )
    out = BENCH / "results" / f"remote-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"queries": len(queries), "duration": args.duration, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
