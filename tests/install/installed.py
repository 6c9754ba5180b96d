"""cwkg as users install it (helpers of test_installed.py): the wheel `python -m build` makes, in a new venv.

Nothing downloads: the wheel's dependencies come from a wheelhouse packed from this venv's own installed
distributions (tests/install/wheelhouse.py), and pip runs with PIP_NO_INDEX. The wheel is built as
`make wheel` builds it: `cwkg build` (so the wheel carries the graph), then `python -m build --wheel`,
in a copy of the checkout (the files git knows, plus the front-end files `make install` vendored).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

VENDOR = Path("server") / "static" / "vendor"


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run a command; fail the test with its output when it fails."""
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_checkout(target: Path) -> Path:
    """The checkout's files (tracked or new, not ignored), symbolic links kept, and the vendored front end."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_symlink() and not source.exists():
            continue  # deleted in the work tree, not yet committed
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)
    vendor = ROOT / VENDOR
    assert (vendor / "VERSIONS.json").is_file(), "no front-end files: run `make install` (npm ci in web/)"
    shutil.copytree(vendor, target / VENDOR)
    return target


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that points at the checkout, its venv or pip's settings."""
    drop = ("CWKG_", "PIP_", "PYTHON", "VIRTUAL_ENV", "PRE_COMMIT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(extra)
    return env


@dataclass(frozen=True)
class Installed:
    """A venv outside the checkout with the cwkg wheel installed, and an environment to use it as a user."""

    venv: Path
    home: Path
    wheelhouse: Path
    source: Path  # the copy of the checkout the wheel was built from (a git repository, tag v0.1.0)

    def env(self, **extra: str) -> dict[str, str]:
        """The user's environment: the venv first on PATH, a home of their own, pip offline."""
        user = dict(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            PATH=f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            PIP_CONFIG_FILE=os.devnull,
            PIP_NO_INDEX="1",
            PIP_FIND_LINKS=str(self.wheelhouse),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            GIT_AUTHOR_NAME="cwkg test",
            GIT_AUTHOR_EMAIL="test@example.org",
            GIT_COMMITTER_NAME="cwkg test",
            GIT_COMMITTER_EMAIL="test@example.org",
        )
        return clean_env(**{**user, **extra})

    def cwkg(self, *args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the installed `cwkg` in `cwd` as the user would."""
        return subprocess.run(
            [str(self.venv / "bin" / "cwkg"), *args],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
