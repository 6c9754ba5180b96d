"""Every command driven as a user drives it (a subprocess): bad input ends in a clear message and the exit
code of the one table (cwkg.cli.console), never a traceback; the cases that work still work (issue 24)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cwkg.cli.console import EXIT_CANNOT_START, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tests.conftest import ROOT

COMMANDS = ["build", "diff", "evidence", "extract", "pin", "publish", "query", "release", "serve", "validate"]
VALID = ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"


def cwkg(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m cwkg ARGS` with this checkout first on the path, no CWKG_* from outside."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CWKG_")}
    clean.update(PYTHONPATH=str(ROOT), COLUMNS="100", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "cwkg", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real store on disk (the shapes fixture), for commands that need one."""
    from cwkg.build import write_dumps
    from cwkg.store import OxigraphStore, parse_file

    folder = tmp_path_factory.mktemp("store") / "store"
    store = OxigraphStore(folder)
    quads = parse_file(VALID, graph="https://w3id.org/cwkg/graph/source/fixture")
    store.extend(quads)
    store.flush()
    del store
    write_dumps(list(quads), folder.parent / "dist")  # a build beside it, for the commands that read one
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_store(tmp_path_factory)


# (arguments, environment, exit code, what stderr must say)
BAD: list[tuple[list[str], dict[str, str], int, str]] = [
    (["serve", "--port", "99999"], {}, EXIT_USAGE, "'--port': 99999 is not an integer from 0 to 65535"),
    (["serve", "--port", "-5"], {}, EXIT_USAGE, "'--port': -5 is not an integer from 0 to 65535"),
    (["serve", "--workers", "0"], {}, EXIT_USAGE, "'--workers': 0 is not an integer of at least 1"),
    (
        ["serve", "--query-timeout", "-1"],
        {},
        EXIT_USAGE,
        "'--query-timeout': -1.0 is not a number greater than 0",
    ),
    (["serve"], {"CWKG_WORKERS": "0"}, EXIT_USAGE, "CWKG_WORKERS: '0' is not an integer of at least 1"),
    (
        ["serve"],
        {"CWKG_SERVICE_ALLOWLIST": "x.org"},
        EXIT_USAGE,
        "CWKG_SERVICE_ALLOWLIST: 'x.org' is not a JSON list",
    ),
    (["query"], {"CWKG_PORT": "abc"}, EXIT_USAGE, "CWKG_PORT: 'abc' is not an integer from 0 to 65535"),
    (
        ["validate", "f.ttl"],
        {"CWKG_QUERY_TIMEOUT": "x"},
        EXIT_USAGE,
        "CWKG_QUERY_TIMEOUT: 'x' is not a number",
    ),
    (
        ["build"],
        {"CWKG_ALLOW_UPDATE": "maybe"},
        EXIT_USAGE,
        "CWKG_ALLOW_UPDATE: 'maybe' is not true or false",
    ),
    (["validate", "--store", "/does/not/exist"], {}, EXIT_USAGE, "--store /does/not/exist: no store there"),
    (["validate", "data"], {}, EXIT_USAGE, "data is a folder"),
    (
        ["validate", "--format", "xml"],
        {},
        EXIT_USAGE,
        "'xml' is not one of 'text', 'turtle', 'json', 'junit'",
    ),
    (["validate", "no/such/file.ttl"], {}, EXIT_USAGE, "no/such/file.ttl"),
    (["query", "--format", "xml"], {}, EXIT_USAGE, "'xml' is not one of 'table', 'json', 'sparql'"),
    (["query", "nope"], {}, EXIT_FAILED, "no canned query named 'nope'; there are: apprenticeship-standards"),
    (["query", "search", "-p", "text=a", "-p", "text=b"], {}, EXIT_USAGE, "parameter 'text' is given twice"),
    (["query", "search", "-p", "text"], {}, EXIT_USAGE, "parameter 'text' must be name=value"),
    (["query", "role-requirements"], {}, EXIT_USAGE, "missing required parameter(s) role"),
    (
        ["query", "search", "-p", "text=a", "--store", "/does/not/exist"],
        {},
        EXIT_USAGE,
        "no store at /does/not/exist",
    ),
    (["query", "--format", "sparql"], {}, EXIT_USAGE, "--format sparql prints one query"),
    (["publish", "--to", "not-a-url"], {}, EXIT_USAGE, "--to not-a-url: give the http(s) URL"),
    (
        ["publish", "--to", "http://127.0.0.1:9/query", "--store", "/nope"],
        {},
        EXIT_USAGE,
        "no store at /nope",
    ),
    (["publish"], {}, EXIT_USAGE, "Missing option '--to'"),
    (
        ["publish", "--to", "http://127.0.0.1:9/query"],
        {"CWKG_STORE": "/nope"},
        EXIT_USAGE,
        "run `cwkg build` first",
    ),
    (
        ["query", "search", "-p", "text=a"],
        {"CWKG_STORE": "/nope"},
        EXIT_USAGE,
        "no store at /nope: run `cwkg build`",
    ),
    (["build", "--sources", "/does/not/exist"], {}, EXIT_USAGE, "cannot read /does/not/exist/"),
    (["evidence", "no-such-source", "x"], {}, EXIT_FAILED, "no source 'no-such-source' in data/sources.yaml"),
    (["extract", "no-such-source"], {}, EXIT_FAILED, "unknown source id(s) no-such-source"),
    (["extract", "--format", "xml"], {}, EXIT_USAGE, "'xml' is not one of 'table', 'json'"),
    (["extract", "--show", "some"], {}, EXIT_USAGE, "'some' is not one of 'uncovered', 'all', 'none'"),
    (["pin", "--bogus"], {}, EXIT_USAGE, "No such option: --bogus"),
    (
        ["diff", "dist", "."],
        {"CWKG_MAX_ROWS": "-1"},
        EXIT_USAGE,
        "CWKG_MAX_ROWS: '-1' is not an integer greater than 0",
    ),
    (["release"], {"CWKG_PORT": "abc"}, EXIT_USAGE, "CWKG_PORT: 'abc' is not an integer from 0 to 65535"),
    (["nosuchcommand"], {}, EXIT_USAGE, "No such command 'nosuchcommand'"),
]


@pytest.mark.parametrize(("args", "env", "code", "says"), BAD, ids=[" ".join(b[0]) + str(b[1]) for b in BAD])
def test_bad_input_is_one_clear_message(args: list[str], env: dict[str, str], code: int, says: str) -> None:
    result = cwkg(*args, env=env)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "ValidationError" not in result.stderr  # pydantic's report never reaches a person


def test_a_remote_store_that_does_not_answer_is_exit_3(store: Path) -> None:
    result = cwkg(
        "publish",
        "--to",
        f"http://127.0.0.1:{closed_port()}/query",
        "--store",
        str(store),
        env={"CWKG_DIST_DIR": str(store.parent / "dist")},
    )
    assert result.returncode == EXIT_CANNOT_START, result.stderr
    assert "cannot reach the store at http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_server_that_cannot_listen_is_exit_3(store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cwkg("serve", "--port", str(port), "--store", str(store), "--workers", "1", timeout=120)
    assert result.returncode == EXIT_CANNOT_START, result.stderr[-2000:]
    assert "address already in use" in result.stderr and "the server did not start" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_the_defaults(command: str) -> None:
    result = cwkg(command, "--help")
    assert result.returncode == EXIT_OK, result.stderr
    assert "Usage: cwkg " + command in result.stdout
    if command in ("build", "query", "serve", "validate", "publish"):
        assert "[default: (dist/store; CWKG_STORE)]" in " ".join(result.stdout.split())


def test_cases_that_work_still_work(store: Path) -> None:
    listing = cwkg("query")
    assert listing.returncode == EXIT_OK and "role-requirements" in listing.stdout
    assert cwkg("evidence", "cypnow-social-work-2019", "bursary of £19,833").returncode == EXIT_OK
    phrase = cwkg("evidence", "cypnow-social-work-2019", "social workers")  # occurs more than once
    assert phrase.returncode == EXIT_FAILED and "FAIL" in phrase.stdout
    checked = cwkg("validate", str(VALID))
    assert checked.returncode == EXIT_OK and checked.stdout.startswith("cwkg validate: 0 violation(s)")
    broken = cwkg("validate", str(VALID), str(ROOT / "tests" / "fixtures" / "shapes" / "negative-amount.ttl"))
    assert broken.returncode == EXIT_FAILED and "not conformant" in broken.stdout
    assert "violation(s)" not in broken.stderr  # the one summary is the report's first line
    text = cwkg("query", "search", "--format", "sparql")
    assert (
        text.returncode == EXIT_OK and text.stdout == (ROOT / "queries" / "canned" / "search.rq").read_text()
    )
