"""The installed wheel, used outside the checkout as the README says: validate, pre-commit, CI, serve.

The README's pre-commit and CI examples are read from the README itself and run here, with the
repository's address replaced by the local git copy the wheel was built from.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cwkg.config import Settings
from tests.conftest import ROOT
from tests.install.installed import Installed, clean_env, copy_checkout, run
from tests.install.wheelhouse import make_wheelhouse

FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPOSITORY = "https://github.com/<owner>/cwkg"
CI = "# .github/workflows/validate.yml in a publisher's repository"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built as `make wheel` builds it, from a copy of the checkout that then becomes a git repo."""
    base = tmp_path_factory.mktemp("package")
    source = copy_checkout(base / "cwkg")
    env = clean_env(PYTHONPATH=str(source))
    sources = Settings().sources_dir  # the documents beside the checkout
    run([sys.executable, "-m", "cwkg", "build", "--sources", str(sources)], cwd=source, env=env)
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(base / "wheel")],
        cwd=source,
        env=env,
    )
    shutil.rmtree(source / "build", ignore_errors=True)
    (found,) = (base / "wheel").glob("cwkg-*.whl")
    git = clean_env(
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e"
    )
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "cwkg"], ["tag", "v0.1.0"]):
        run(["git", *args], cwd=source, env=git)
    return found


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """A new venv outside the checkout with the wheel installed from the local wheelhouse only."""
    base = tmp_path_factory.mktemp("user")
    wheelhouse = base / "wheelhouse"
    make_wheelhouse(wheelhouse, wheel)
    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    home = base / "home"
    home.mkdir()
    user = Installed(venv, home, wheelhouse, wheel.parent.parent / "cwkg")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet"]
    run([*pip, str(wheel)], cwd=base, env=user.env())
    yield user


def readme_block(first_line: str) -> str:
    """The README's fenced block that starts with `first_line`."""
    match = re.search(rf"```\w*\n({re.escape(first_line)}\n.*?)```", README, re.S)
    assert match, f"no block starting {first_line!r} in the README"
    return match.group(1)


def test_the_wheel_holds_the_package_data_and_no_top_level_server(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if not n.startswith(("cwkg/", "cwkg-"))], "only cwkg/ and its dist-info"
    for expected in (
        "cwkg/server/app.py",
        "cwkg/server/templates/sparql.html",
        "cwkg/server/static/vendor/yasgui/yasgui.min.js",
        "cwkg/bundled/ontology/cwkg.ttl",
        "cwkg/bundled/shapes/cwkg-shapes.ttl",
        "cwkg/bundled/queries/canned/search.rq",
        "cwkg/bundled/graph/cwkg.trig",
        "cwkg/bundled/graph/SHA256SUMS",
        "cwkg/bundled/graph/build.json",
    ):
        assert expected in names


def test_validate_outside_a_project_exits_0_1_2(installed: Installed, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "valid.ttl", tmp_path / "good.ttl")
    shutil.copy(FIXTURES / "missing-label.ttl", tmp_path / "bad.ttl")
    (tmp_path / "broken.ttl").write_text("<a> <b> .\n", encoding="utf-8")

    good = installed.cwkg("validate", "good.ttl", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "conforms" in good.stdout  # the text report starts with its verdict

    bad = installed.cwkg("validate", "bad.ttl", cwd=tmp_path)
    assert bad.returncode == 1, bad.stderr
    assert "RoleShape" in bad.stdout and "Violation" in bad.stdout

    broken = installed.cwkg("validate", "broken.ttl", cwd=tmp_path)
    assert broken.returncode == 2
    assert "broken.ttl:1" in broken.stderr


def test_a_command_that_needs_a_project_says_so_outside_one(installed: Installed, tmp_path: Path) -> None:
    done = installed.cwkg("build", cwd=tmp_path)
    assert done.returncode != 0
    assert "works inside a cwkg project" in done.stderr and str(tmp_path) in done.stderr.replace("\n", "")


def test_query_outside_a_project_loads_the_published_graph_first(
    installed: Installed, tmp_path: Path
) -> None:
    home = tmp_path / "home"  # a user who never ran cwkg: nothing loaded yet
    done = subprocess.run(
        [str(installed.venv / "bin" / "cwkg"), "query", "search", "-p", "text=ASYE", "--format", "json"],
        cwd=tmp_path,
        env=installed.env(HOME=str(home), XDG_DATA_HOME=str(home / "data")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "loading the published graph" in done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert any("Assessed and Supported Year in Employment" in str(row.values()) for row in rows), rows
    assert list((home / "data" / "cwkg").glob("store-*"))


def test_pre_commit_refuses_a_commit_with_turtle_breaking_the_shapes(
    installed: Installed, tmp_path: Path
) -> None:
    repo = tmp_path / "publisher"
    repo.mkdir()
    env = installed.env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    config = readme_block("# .pre-commit-config.yaml in a publisher's repository")
    assert REPOSITORY in config
    (repo / ".pre-commit-config.yaml").write_text(config.replace(REPOSITORY, str(installed.source)))
    shutil.copy(FIXTURES / "missing-label.ttl", repo / "roles.ttl")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    run(["git", "init", "-q"], cwd=repo, env=env)
    run([*pre_commit, "install"], cwd=repo, env=env)
    run(["git", "add", "-A"], cwd=repo, env=env)
    commit = subprocess.run(
        ["git", "commit", "-m", "add roles"], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    assert "cwkg validate (SHACL)" in output and "Failed" in output, output
    assert "RoleShape" in output, output
    no_head = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=repo, env=env, capture_output=True)
    assert no_head.returncode != 0, "the commit went in"


def test_the_readme_ci_steps_install_from_git_and_validate(installed: Installed, tmp_path: Path) -> None:
    steps = [line.split("- run: ", 1)[1] for line in readme_block(CI).splitlines() if "- run: " in line]
    assert steps and REPOSITORY in steps[0]
    venv = tmp_path / "ci-venv"  # a runner's Python with its own, recent pip
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "pip"],
        cwd=tmp_path,
        env=installed.env(),
    )
    shutil.copy(FIXTURES / "valid.ttl", tmp_path / "my-data.ttl")
    env = installed.env(PATH=f"{venv / 'bin'}:/usr/bin:/bin")
    for step in steps:
        run(["bash", "-c", step.replace(REPOSITORY, f"file://{installed.source}")], cwd=tmp_path, env=env)
    report = (tmp_path / "validation.xml").read_text(encoding="utf-8")
    assert "<testsuite" in report and 'failures="0"' in report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_from_the_wheel_loads_the_published_graph_and_the_query_editor_loads(
    installed: Installed, tmp_path: Path, chromium_context: Any
) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(installed.venv / "bin" / "cwkg"), "serve", "--port", str(port), "--workers", "1"],
            cwd=tmp_path,
            env=installed.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up:\n" + log.read_text()
            time.sleep(0.3)
        assert "loading the published graph" in log.read_text()
        answer = httpx.post(
            f"{url}/sparql",
            data={"query": "ASK { <https://w3id.org/cwkg/id/role/social-worker> ?p ?o }"},
            headers={"accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True

        built = json.loads((installed.source / "dist" / "build.json").read_text())
        version = tomllib.loads((installed.source / "cwkg.toml").read_text())["graph"]["version"]
        assert built["version"] == version
        for path in ("/", "/dumps/"):
            text = httpx.get(url + path, headers={"accept": "text/html"}).text
            assert f"Graph version <strong>{version}</strong>, built {built['built'][:10]}" in text, path
            assert ">CC BY 4.0</a>" in text, path
        for host in ("127.0.0.1", "cwkg.example.org"):  # the dataset's IRI is the same whatever host is asked
            void = httpx.get(
                f"{url}/.well-known/void", headers={"accept": "application/n-triples", "host": host}
            ).text
            dataset = "<https://w3id.org/cwkg/dataset>"
            assert f'{dataset} <http://www.w3.org/ns/dcat#version> "{version}" .' in void
            assert f"{dataset} <http://www.w3.org/ns/dcat#landingPage> <http://{host}/> ." in void

        page = chromium_context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/sparql")
        page.wait_for_function("window.cwkgYasgui !== undefined", timeout=20_000)
        assert page.locator(".yasqe .CodeMirror").count() >= 1  # the editor itself
        page.close()
        assert not errors, errors
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
