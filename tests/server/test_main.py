"""`cwkg serve` end to end: with no store it builds one with cwkg.build, then serves it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT


def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.slow
def test_serve_builds_a_missing_store_then_serves(tmp_path: Path) -> None:
    store = tmp_path / "store"
    data = tmp_path / "data"  # the real ontology, no sources and no facts: a quick real build
    (data / "facts").mkdir(parents=True)
    (data / "sources.yaml").write_text("sources: []\n")
    port = free_port()
    env = {
        **os.environ,
        "CWKG_STORE": str(store),
        "CWKG_DIST_DIR": str(tmp_path / "dist"),
        "CWKG_DATA_DIR": str(data),
        "CWKG_PORT": str(port),
        "CWKG_WORKERS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from cwkg.cli import main; main()", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        assert store.is_dir() and (tmp_path / "dist" / "cwkg.nt").is_file()
        r = httpx.get(
            f"http://127.0.0.1:{port}/sparql",
            params={
                "query": "ASK { GRAPH <https://w3id.org/cwkg/graph/ontology> "
                "{ <https://w3id.org/cwkg/ontology#Role> ?p ?o } }"
            },
        )
        assert r.json()["boolean"] is True
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "building it first" in output
    assert '"GET /sparql" 200' in output
