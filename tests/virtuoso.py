"""A real OpenLink Virtuoso 7 (Debian's virtuoso-opensource) on 127.0.0.1, for the tests and bench/remote.py.

Each instance gets a fresh database folder, a generated virtuoso.ini with free SQL and HTTP ports,
and a user `cwkg` allowed SPARQL updates: this instance exists only for a test, so granting
SPARQL_UPDATE to a user of its own (reached through Digest on /sparql-auth) is what a deployment
would do too, and nothing grants updates to the anonymous SPARQL user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
USER, PASSWORD = "cwkg", "virtuoso-test-secret"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
HTTPLogFile = {db}/http.log

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def missing() -> str | None:
    """What is missing to run Virtuoso, or None."""
    if not (VIRTUOSO and ISQL):
        return "virtuoso-opensource is not installed (apt-get install virtuoso-opensource)"
    return None


class VirtuosoServer:
    """`virtuoso-t` in the foreground over its own folder; started, killed and restarted by the caller."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(INI.format(db=folder, sql=self.sql_port, http=self.http_port))
        self.process: subprocess.Popen[bytes] | None = None
        self._user_made = False

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def requests(self) -> list[str]:
        """The lines of Virtuoso's log of HTTP requests (it names the file by the date: httpDDMMYYYY.log)."""
        return [
            line for log in sorted(self.folder.glob("http*.log")) for line in log.read_text().splitlines()
        ]

    def start(self) -> VirtuosoServer:
        """Start (a new database takes about 2 s) and wait until SPARQL answers; make the user once."""
        assert VIRTUOSO, missing()
        with (self.folder / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(
                [VIRTUOSO, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"virtuoso did not start: {(self.folder / 'virtuoso.log').read_text()[-2000:]}"
                )
            time.sleep(0.1)
        if not self._user_made:
            self.sql(f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";")
            self._user_made = True
        return self

    def sql(self, statements: str) -> str:
        """Run SQL as dba through isql (a new database's dba password is dba)."""
        assert ISQL, missing()
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def env(self) -> dict[str, str]:
        """The environment `cwkg publish` and `cwkg serve --store` read their credentials from."""
        return {"CWKG_REMOTE_USER": USER, "CWKG_REMOTE_PASSWORD": PASSWORD}

    def kill(self) -> None:
        """Kill at once, as a crash would (the transaction log makes the restart whole)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        """Kill and remove the database."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def under_ci() -> bool:
    """Whether a missing tool must fail the tests rather than skip them."""
    return os.environ.get("CI", "").lower() == "true"
