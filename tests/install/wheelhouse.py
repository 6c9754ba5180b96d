"""A local wheelhouse made from the dev venv's installed distributions, so installs at test time never download.

pip cannot turn an installed distribution back into a wheel, so each one is packed here from the files
its RECORD lists (a wheel is a zip of exactly those, with its dist-info). Only what installing cwkg from
its wheel or its source needs goes in: cwkg's runtime requirements, followed transitively, setuptools
(pip builds cwkg from source in an isolated environment, as pre-commit does for a hook), and pip itself
(a CI runner's pip is recent; the one ensurepip bundles with Python 3.11 rejects `git+file:///` URLs).
"""

from __future__ import annotations

import base64
import email
import hashlib
import zipfile
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

__all__ = ["make_wheelhouse", "requirements_closure", "wheel_requires"]

#: dist-info files that describe one installation, not the distribution.
_LOCAL = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def requirements_closure(requires: list[str]) -> list[Distribution]:
    """The installed distributions that `requires` needs, following requirements, extras and markers."""
    seen: dict[str, Distribution] = {}
    done: set[tuple[str, str]] = set()
    env = {**default_environment(), "extra": ""}
    todo = [r for r in map(Requirement, requires) if r.marker is None or r.marker.evaluate(env)]
    while todo:
        req = todo.pop()
        key = canonicalize_name(req.name)
        try:
            dist = seen.get(key) or distribution(req.name)
        except PackageNotFoundError:
            continue  # not installed here, so no requirement of cwkg's needs it
        seen[key] = dist
        for extra in ("", *sorted(req.extras)):
            if (key, extra) not in done:
                done.add((key, extra))
                todo += [Requirement(r) for r in _requires(dist, extra)]
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _requires(dist: Distribution, extra: str) -> list[str]:
    """The requirements of `dist` that apply here with `extra` (the base ones when it is empty)."""
    env = {**default_environment(), "extra": extra}
    return [
        text
        for text in dist.requires or []
        if (m := Requirement(text).marker) is None and not extra or m is not None and m.evaluate(env)
    ]


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def pack(dist: Distribution, folder: Path) -> Path:
    """Pack one installed distribution into a wheel in `folder`."""
    info = next(f for f in dist.files or [] if f.name == "WHEEL" and f.parent.name.endswith(".dist-info"))
    info_dir = info.parent.as_posix()
    wheel_text = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel_text.splitlines() if line.startswith("Tag:")]
    pythons = sorted({t.split("-")[0] for t in tags})
    abis = sorted({t.split("-")[1] for t in tags})
    platforms = sorted({t.split("-")[2] for t in tags})
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    target = folder / f"{name}-{dist.version}-{'.'.join(pythons)}-{'.'.join(abis)}-{'.'.join(platforms)}.whl"
    records = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zf:
        for file in dist.files or []:
            posix = file.as_posix()
            if posix.startswith("..") or "__pycache__" in posix or posix.endswith(".pyc"):
                continue  # console scripts are made again from entry_points.txt; bytecode is compiled again
            if file.parent.as_posix() == info_dir and file.name in _LOCAL:
                continue
            path = Path(str(dist.locate_file(file)))
            if not path.is_file():
                continue
            data = path.read_bytes()
            zf.writestr(posix, data)
            records.append(_record_line(posix, data))
        records.append(f"{info_dir}/RECORD,,")
        zf.writestr(f"{info_dir}/RECORD", "\n".join(records) + "\n")
    return target


def wheel_requires(wheel: Path) -> list[str]:
    """The Requires-Dist lines of a wheel's METADATA (the wheel's own, not an older installed cwkg's)."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(zf.read(name))
    return metadata.get_all("Requires-Dist") or []


def make_wheelhouse(folder: Path, wheel: Path) -> list[Path]:
    """Wheels of everything installing `wheel` needs (its requirements, setuptools and pip), packed into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    dists = [*requirements_closure(wheel_requires(wheel)), distribution("setuptools"), distribution("pip")]
    return [pack(d, folder) for d in dists]
