"""Writes through `cwkg serve --allow-update` against the same writes to `oxigraph serve`, side by side.

Run: `python bench/write.py [--sizes 10000,200000,2000000] [--skip-publish]`. For each size it writes a
deterministic graph of that many triples (IRIs, language-tagged strings with quotes, escapes and
non-ASCII letters, typed literals, prefixed names), starts each server over a fresh empty store, and
times, one request each: `INSERT DATA` of the triples (POST application/sparql-update), `DELETE DATA`
of them, a Graph Store Protocol PUT of them as Turtle into one graph, and a POST into another; then
`cwkg publish` of the project's build (`cwkg build` first if there is none) into each server. Every
answer is checked (status, and the triple count after it). Reported: seconds, and cwkg's as a ratio to
Oxigraph's; JSON to bench/results/write-DATE.json. `--root DIR` serves another checkout's cwkg (for a
before/after comparison).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
TOKEN = "bench-token"
GRAPH = "http://bench.example/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def triples(n: int) -> str:
    """Triples (N-Triples lines, integers bare) in the shape of the project's data, deterministic.

    About 60 bytes each, so that 2,000,000 fit in an update under oxigraph serve's 128 MiB body limit.
    """
    lines = []
    for i in range(n):
        s, k = f"<http://b.ex/e{i // 8}>", i % 8
        if k == 0:
            lines.append(f"{s} a <http://b.ex/C{i % 5}> .")
        elif k in (1, 2):
            lines.append(f'{s} <http://b.ex/l> "E{i} \\"caf\\u00E9\\""@en .')
        elif k == 3:
            lines.append(f"{s} <http://b.ex/n> {i} .")
        elif k == 4:
            lines.append(f"{s} <http://b.ex/r> <http://b.ex/e{(i * 31) % (n // 8 + 1)}> .")
        else:
            lines.append(f'{s} <http://b.ex/d> "line {i}\\nword"@en .')
    return "\n".join(lines) + "\n"


def turtle(nt: str) -> bytes:
    """The triples as Turtle with prefixes (what a publisher PUTs)."""
    parsed = ox.parse(nt.encode(), format=ox.RdfFormat.TURTLE)
    prefixes = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "cw": "https://w3id.org/cwkg/ontology#",
        "b": "http://b.ex/",
    }
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


class Server:
    """One server under test: how to start it, and its endpoints."""

    def __init__(self, name: str, root: Path, folder: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True)
        ox.Store(str(folder)).flush()  # an empty store: cwkg serve needs the folder to exist
        if name == "oxigraph":
            command = [str(BIN / "oxigraph"), "serve", "--location", str(folder)]
            command += ["--bind", f"127.0.0.1:{self.port}"]
            env = dict(os.environ)
            self.query, self.update, self.store = (
                self.url + "/query",
                self.url + "/update",
                self.url + "/store",
            )
        else:
            command = [
                sys.executable,
                "-m",
                "cwkg",
                "serve",
                "--store",
                str(folder),
                "--port",
                str(self.port),
            ]
            command += ["--allow-update", "--workers", "2", "--query-timeout", "3600"]
            env = {
                **os.environ,
                "PYTHONPATH": str(root),
                "CWKG_UPDATE_TOKEN": TOKEN,
                "CWKG_MAX_BODY_BYTES": str(2**31),
                "CWKG_CACHE_BYTES": "0",
            }
            self.query, self.update, self.store = (
                self.url + "/sparql",
                self.url + "/update",
                self.url + "/store",
            )
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.http = httpx.Client(timeout=3600, headers={"Authorization": f"Bearer {TOKEN}"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.http.get(self.query, params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{name} did not start")

    def count(self) -> int:
        """Triples in the named graphs."""
        r = self.http.get(
            self.query, params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
        )
        r.raise_for_status()
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        """Stop the server."""
        self.http.close()
        self.process.terminate()
        self.process.wait(30)


def timed(call: Callable[[], httpx.Response]) -> float:
    """Seconds one request takes; raises unless it succeeded."""
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    if response.status_code >= 300:
        raise RuntimeError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:300]}"
        )
    return elapsed


def writes(server: Server, nt: str, ttl: bytes, n: int) -> dict[str, float]:
    """Time the four writes on one server, checking the count after each."""
    out: dict[str, float] = {}
    update = {"Content-Type": "application/sparql-update"}
    inserted = f"INSERT DATA {{ GRAPH <{GRAPH}u> {{\n{nt}}} }}".encode()
    out["insert_data"] = timed(lambda: server.http.post(server.update, content=inserted, headers=update))
    assert server.count() == n, "INSERT DATA"
    deleted = f"DELETE DATA {{ GRAPH <{GRAPH}u> {{\n{nt}}} }}".encode()
    out["delete_data"] = timed(lambda: server.http.post(server.update, content=deleted, headers=update))
    assert server.count() == 0, "DELETE DATA"
    turtle_type = {"Content-Type": "text/turtle"}
    put = {"graph": GRAPH + "put"}
    out["gsp_put"] = timed(
        lambda: server.http.put(server.store, params=put, content=ttl, headers=turtle_type)
    )
    assert server.count() == n, "PUT"
    post = {"graph": GRAPH + "post"}
    out["gsp_post"] = timed(
        lambda: server.http.post(server.store, params=post, content=ttl, headers=turtle_type)
    )
    assert server.count() == 2 * n, "POST"
    return out


def publish_time(server: Server, root: Path) -> float:
    """Seconds `cwkg publish` of the build takes into a server."""
    command = [sys.executable, "-m", "cwkg", "publish", "--to", server.query]
    env = {**os.environ, "PYTHONPATH": str(root), "CWKG_REMOTE_TOKEN": TOKEN}
    if server.name == "cwkg":
        env["CWKG_REMOTE_UPDATE_URL"], env["CWKG_REMOTE_GSP_URL"] = server.update, server.store
    started = time.perf_counter()
    subprocess.run(command, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    """Measure each size on both servers; print a table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,200000,2000000")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose cwkg is served")
    parser.add_argument("--skip-publish", action="store_true")
    args = parser.parse_args()
    root = args.root.resolve()
    folder = Path(tempfile.mkdtemp(prefix="cwkg-write-bench-"))
    results: dict[str, Any] = {"date": dt.date.today().isoformat(), "root": str(root), "rows": []}
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            nt = triples(n)
            ttl = turtle(nt)
            row: dict[str, Any] = {"triples": n, "insert_bytes": len(nt) + 40, "turtle_bytes": len(ttl)}
            for name in ("oxigraph", "cwkg"):
                server = Server(name, root, folder / f"{name}-{n}")
                try:
                    row[name] = writes(server, nt, ttl, n)
                finally:
                    server.stop()
                print(f"{n} {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in row[name].items()), flush=True)
            row["ratio"] = {k: row["cwkg"][k] / row["oxigraph"][k] for k in row["cwkg"]}
            results["rows"].append(row)
        if not args.skip_publish:
            if not (root / "dist" / "SHA256SUMS").exists():
                subprocess.run(
                    [sys.executable, "-m", "cwkg", "build"],
                    cwd=root,
                    check=True,
                    env={**os.environ, "PYTHONPATH": str(root)},
                )
            publish: dict[str, float] = {}
            for name in ("oxigraph", "cwkg"):
                server = Server(name, root, folder / f"{name}-publish")
                try:
                    publish[name] = publish_time(server, root)
                    publish[f"{name}_triples"] = server.count()
                finally:
                    server.stop()
            publish["ratio"] = publish["cwkg"] / publish["oxigraph"]
            results["publish"] = publish
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("| triples | operation | Oxigraph s | cwkg s | cwkg ÷ Oxigraph |")
    print("|---:|---|---:|---:|---:|")
    for row in results["rows"]:
        for op in row["cwkg"]:
            print(
                f"| {row['triples']:,} | {op} | {row['oxigraph'][op]:.2f} | {row['cwkg'][op]:.2f} | {row['ratio'][op]:.2f} |"
            )
    if "publish" in results:
        p = results["publish"]
        print(
            f"| {p['cwkg_triples']:,} | cwkg publish | {p['oxigraph']:.2f} | {p['cwkg']:.2f} | {p['ratio']:.2f} |"
        )
    out = BENCH / "results" / f"write-{results['date']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
