"""What every build records beside its dumps (dist/build.json): the graph's version, the build date, the
commit of data/ and the code's version; and the checksums file (SHA256SUMS) the build writes.

The dumps themselves carry none of this, so building the same data twice still gives byte-identical dumps.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cwkg.errors import ConfigError

__all__ = [
    "BUILD_FILE",
    "BuildInfo",
    "build_date",
    "code_version",
    "data_commit",
    "read_build_info",
    "read_checksums",
]

BUILD_FILE = "build.json"


@dataclass(frozen=True)
class BuildInfo:
    """The record of one build."""

    version: str  # the graph's version (cwkg.toml [graph] version), not the code's
    built: str  # ISO 8601, UTC, to the second
    licence: str
    data_commit: str | None  # the last commit that touched data/, None outside git
    data_modified: bool  # data/ had changes not yet committed
    code_version: str

    def to_json(self) -> str:
        """The build.json text (sorted keys, so two records of the same build are the same bytes)."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @property
    def date(self) -> str:
        """The build date alone (YYYY-MM-DD)."""
        return self.built[:10]


def read_build_info(dist: Path) -> BuildInfo | None:
    """The build.json of a build folder; None when the build predates it."""
    path = dist / BUILD_FILE
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return BuildInfo(**doc)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not a build record: {exc}") from exc


def read_checksums(dist: Path) -> dict[str, str]:
    """SHA256SUMS of a build folder as file name -> hex digest; empty when there is none."""
    path = dist / "SHA256SUMS"
    if not path.is_file():
        return {}
    pairs = (line.split(None, 1) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {name.strip().lstrip("*"): digest for digest, name in pairs}


def build_date() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def code_version() -> str:
    """The installed cwkg's version."""
    try:
        return version("cwkg")
    except PackageNotFoundError:
        return "unknown"


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def data_commit(data_dir: Path) -> tuple[str | None, bool]:
    """The last commit that touched `data_dir`, and whether it has uncommitted changes; (None, False) outside git."""
    if not data_dir.is_dir():
        return None, False
    commit = _git(data_dir, "log", "-1", "--format=%H", "--", ".")
    if not commit:
        return None, False
    status = _git(data_dir, "status", "--porcelain", "--", ".")
    return commit, bool(status)
