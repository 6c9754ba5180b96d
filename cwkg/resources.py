"""What the package carries, found with importlib.resources wherever cwkg is installed.

The wheel holds the ontology, the shapes, the canned queries, the server's templates and static files
(with the vendored front-end libraries) and the published graph's dumps. In a checkout they are the
top-level folders themselves: `cwkg/bundled/*` and `cwkg/server` are symbolic links to them, which
setuptools follows when it builds the wheel. Every other module finds these files through here.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from cwkg.buildinfo import read_checksums
from cwkg.errors import ConfigError

__all__ = [
    "bundled_graph_dir",
    "bundled_ontology_dir",
    "bundled_queries_dir",
    "bundled_shapes_dir",
    "bundled_store_dir",
    "static_dir",
    "templates_dir",
]


def _folder(package: str, *parts: str) -> Path:
    """A folder inside an installed package, as a real path (cwkg is never imported from a zip)."""
    found = files(package).joinpath(*parts)
    if not isinstance(found, Path):
        raise ConfigError(f"cwkg must be installed as files, not inside an archive ({found})")
    return found


def bundled_ontology_dir() -> Path:
    """The ontology and schemes the package carries (ontology/ of the checkout)."""
    return _folder("cwkg", "bundled", "ontology")


def bundled_shapes_dir() -> Path:
    """The SHACL shapes the package carries (shapes/ of the checkout)."""
    return _folder("cwkg", "bundled", "shapes")


def bundled_queries_dir() -> Path:
    """The queries the package carries, with canned/ inside (queries/ of the checkout)."""
    return _folder("cwkg", "bundled", "queries")


def bundled_graph_dir() -> Path:
    """The published graph's dumps, SHA256SUMS and build.json the wheel carries (dist/ when it was built)."""
    return _folder("cwkg", "bundled", "graph")


def templates_dir() -> Path:
    """The server's Jinja2 templates."""
    return _folder("cwkg.server", "templates")


def static_dir() -> Path:
    """The server's static files, the vendored front-end libraries in vendor/ among them."""
    return _folder("cwkg.server", "static")


def bundled_store_dir() -> Path:
    """Where the bundled graph is loaded on first start outside a project: one store per published build.

    It is keyed by the checksum of the bundled TriG dump, so installing a newer graph loads it afresh.
    """
    digest = read_checksums(bundled_graph_dir()).get("cwkg.trig", "none")[:16]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "cwkg" / f"store-{digest}"
