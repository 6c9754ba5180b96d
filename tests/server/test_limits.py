"""Safety and limits on a real server: timeout, disconnects, SERVICE, rows, body size, concurrency; CORS, logs."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.server.conftest import RUNAWAY, TIMEOUT, TOTAL, LiveServer

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of a live process, in clock ticks; None once it has gone (or is a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[11]) + int(fields[12])


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> object:
    """Poll until `condition()` is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
    return value


def busy_pids(live: LiveServer) -> list[int]:
    """The pids of the read workers that are running a job."""
    return [w["pid"] for w in live.workers() if w["busy"]]


def in_background(live: LiveServer, query: str) -> tuple[threading.Thread, dict[str, httpx.Response]]:
    """Send a query from another thread; its response lands in the dict under 'r'."""
    out: dict[str, httpx.Response] = {}

    def send() -> None:
        out["r"] = httpx.get(live.url + "/sparql", params={"query": query}, timeout=30)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, out


def test_runaway_query_is_killed_while_others_are_answered(live: LiveServer, client: httpx.Client) -> None:
    live.wait_idle()
    start = time.monotonic()
    thread, out = in_background(live, RUNAWAY)
    [pid] = wait_for(lambda: busy_pids(live))  # type: ignore[misc]
    first = cpu_ticks(pid)
    quick_start = time.monotonic()
    r = client.get("/sparql", params={"query": COUNT})
    assert r.status_code == 200 and time.monotonic() - quick_start < TIMEOUT / 2
    assert thread.is_alive()
    time.sleep(0.3)
    burning = cpu_ticks(pid)
    assert first is not None and burning is not None and burning > first  # the runaway is using CPU
    thread.join(15)
    elapsed = time.monotonic() - start
    runaway = out["r"]
    assert runaway.status_code == 503
    assert f"stopped after {TIMEOUT:g} s" in runaway.text
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5
    before = cpu_ticks(pid)
    time.sleep(0.3)
    assert before is None or cpu_ticks(pid) in (None, before)  # its CPU time no longer grows
    live.wait_idle()
    assert pid not in [w["pid"] for w in live.workers()]
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200


def test_client_that_disconnects_has_its_query_killed(live: LiveServer) -> None:
    live.wait_idle()
    sock = socket.create_connection(("127.0.0.1", live.port))
    start = time.monotonic()
    sock.sendall(f"GET /sparql?query={quote(RUNAWAY)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    [pid] = wait_for(lambda: busy_pids(live))  # type: ignore[misc]
    sock.close()
    wait_for(lambda: cpu_ticks(pid) is None, timeout=TIMEOUT)
    assert time.monotonic() - start < TIMEOUT  # killed for the disconnect, not by the timeout
    live.wait_idle()


def test_too_many_concurrent_queries(live: LiveServer, client: httpx.Client) -> None:
    live.wait_idle()
    runs = [in_background(live, RUNAWAY) for _ in range(live.settings.max_concurrent_queries)]
    wait_for(lambda: len(busy_pids(live)) == live.settings.workers)
    r = client.get("/sparql", params={"query": COUNT + " # not in the result cache"})
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert "CWKG_MAX_CONCURRENT_QUERIES" in r.text
    for thread, out in runs:
        thread.join(15)
        assert out["r"].status_code == 503 and "stopped after" in out["r"].text
    live.wait_idle()
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://localhost:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    ],
)
def test_service_refused(client: httpx.Client, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400
    assert "not allowed" in r.text


def test_service_to_an_allowed_host_runs(live: LiveServer, client: httpx.Client) -> None:
    query = (
        f"SELECT ?role WHERE {{ SERVICE <{live.url}/sparql> "
        "{ ?role a <https://w3id.org/cwkg/ontology#Role> } }"
    )
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]["bindings"]) == 5


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "text/tab-separated-values"),
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle"),
    ],
)
def test_row_limit_is_an_error_not_a_cut(client: httpx.Client, query: str, accept: str) -> None:
    assert TOTAL > 50
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 422
    assert "more than 50 rows" in r.text and "CWKG_MAX_ROWS" in r.text


def test_row_limit_allows_exactly_the_limit(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 50
    assert r.headers["x-cwkg-rows"] == "50"


def test_body_over_the_limit_declared(client: httpx.Client, live: LiveServer) -> None:
    big = COUNT + "\n#" + "x" * live.settings.max_body_bytes
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "CWKG_MAX_BODY_BYTES" in r.text


def test_body_over_the_limit_streamed(live: LiveServer) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield COUNT.encode() + b"\n#"
        for _ in range(40):
            yield b"x" * 1024

    with httpx.Client(base_url=live.url, timeout=15) as c:
        r = c.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert "content-length" not in r.request.headers
    assert r.status_code == 413


def test_body_under_the_limit(client: httpx.Client) -> None:
    r = client.post(
        "/sparql", content=COUNT + "\n#" + "x" * 8000, headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200


def test_healthz(client: httpx.Client, live: LiveServer) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["writer"] is None
    assert len(body["workers"]) == live.settings.workers
    assert all(cpu_ticks(w["pid"]) is not None for w in body["workers"])


def test_workers_run_nicer_than_the_server(client: httpx.Client, live: LiveServer) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)  # the test server runs in this process
    pids = [w["pid"] for w in client.get("/healthz").json()["workers"]]
    assert pids and {os.getpriority(os.PRIO_PROCESS, pid) for pid in pids} == {
        min(own + live.settings.worker_nice, 19)
    }


def test_cors_preflight(client: httpx.Client) -> None:
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    methods = r.headers["access-control-allow-methods"]
    assert "POST" in methods and "PUT" not in methods


def test_cors_on_a_query(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Origin": "https://app.example"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_one_access_log_line_per_request(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cwkg.server.access")
    r = client.get("/sparql", params={"query": COUNT, "marker": "1"}, headers={"Accept": "text/csv"})

    def lines() -> list[str]:
        return [rec.getMessage() for rec in caplog.records if rec.name == "cwkg.server.access"]

    wait_for(lines)
    [line] = lines()
    assert '"GET /sparql" 200 ' in line
    assert line.endswith(f" {len(r.content)}B")
    assert "ms " in line
