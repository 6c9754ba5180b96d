"""`cwkg serve` as a real child process (its own session), for tests that kill it and look at what is left."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from tests.server.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeProcess:
    """`python -m cwkg serve --allow-update` over a store folder, on a free port of 127.0.0.1."""

    def __init__(self, store: Path, *, workers: int = 2, timeout: float = 60, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "cwkg", "serve", "--store", str(store), "--port", str(self.port)]
        command += ["--allow-update", "--workers", str(workers), "--query-timeout", str(timeout)]
        environment = {**os.environ, "CWKG_UPDATE_TOKEN": TOKEN, "PYTHONPATH": str(ROOT), **env}
        self.process = subprocess.Popen(
            command,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.tree: list[psutil.Process] = []

    def start(self) -> ServeProcess:
        """Wait until /healthz answers 200 and the worker processes are up; remember the process tree."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "cwkg serve exited"
            try:
                health = httpx.get(self.url + "/healthz", timeout=2)
                if health.status_code == 200 and all(not w["busy"] for w in health.json()["workers"]):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        else:
            raise RuntimeError("cwkg serve did not start")
        self.tree = psutil.Process(self.process.pid).children(recursive=True)
        return self

    def kill(self) -> None:
        """SIGKILL the server process alone (not its children)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def survivors(self, within: float) -> list[psutil.Process]:
        """The processes of the server's tree still running after `within` seconds at most."""
        deadline = time.monotonic() + within
        while True:
            alive = [p for p in self.tree if _running(p)]
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.05)

    def stop(self) -> None:
        """End the server and anything left of its tree (a test that failed may leave some)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for p in self.survivors(2):
            p.kill()


def _running(process: psutil.Process) -> bool:
    """Whether a process still runs (a zombie waiting for its reaper does not)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
