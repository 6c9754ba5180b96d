"""The one config object: read once from options and CWKG_* environment variables."""

from __future__ import annotations

import os
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from cwkg import resources
from cwkg.errors import ConfigError
from cwkg.project import Project, find_project, load_project

__all__ = ["RemoteAccess", "Settings", "allowed", "is_remote", "settings_errors"]


#: Folders a project may leave out: the package's own copies stand in for them.
_BUNDLED = {
    "ontology": resources.bundled_ontology_dir,
    "shapes": resources.bundled_shapes_dir,
    "queries": resources.bundled_queries_dir,
}


def _folder(data: dict[str, Any], key: str) -> Path:
    """A folder of the project found (or named by CWKG_PROJECT); outside one, what the package carries."""
    root: Path | None = data.get("project")
    if root is None:
        if key in _BUNDLED:
            return _BUNDLED[key]()
        return resources.bundled_graph_dir() if key == "dist" else Path.cwd() / key
    path = load_project(root).path(key)
    return _BUNDLED[key]() if key in _BUNDLED and not path.is_dir() else path


def _store(data: dict[str, Any]) -> str:
    """The project's dist/store; outside a project, the store the bundled graph is loaded into."""
    if data.get("project") is None:
        return str(resources.bundled_store_dir())
    return str(load_project(data["project"]).path("dist") / "store")


@dataclass(frozen=True)
class RemoteAccess:
    """The CWKG_REMOTE_* settings of a remote SPARQL store (see Settings)."""

    update_url: str | None = None
    graph_store_url: str | None = None
    token: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    union_default: bool = False
    dialect: str | None = None


class Settings(BaseSettings):
    """Every path and limit of cwkg; each field `x` can be set as CWKG_X."""

    model_config = SettingsConfigDict(env_prefix="CWKG_", extra="forbid")

    # where things are: the project found from the working directory (cwkg.project), else the package's copies
    project: Path | None = Field(default_factory=find_project, description="the project folder")
    ontology_dir: Path = Field(default_factory=lambda d: _folder(d, "ontology"))
    shapes_dir: Path = Field(default_factory=lambda d: _folder(d, "shapes"))
    data_dir: Path = Field(default_factory=lambda d: _folder(d, "data"))
    queries_dir: Path = Field(default_factory=lambda d: _folder(d, "queries"))
    sources_dir: Path = Field(default_factory=lambda d: _folder(d, "sources"))
    dist_dir: Path = Field(default_factory=lambda d: _folder(d, "dist"))
    store: str = Field(default_factory=_store)

    # the HTTP service
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # 4 per core, at most 8: a cheap query then rarely waits behind a heavy one (bench/README.md, "load")
    workers: int = Field(
        default_factory=lambda: min(8, 4 * (os.cpu_count() or 1)),
        ge=1,
        description="query threads of the store process",
    )
    # added to the workers' niceness: the process that relays requests and answers then runs before any
    # evaluation, so a cheap query is not kept waiting behind heavy ones (bench/README.md, "load")
    worker_nice: int = Field(
        default=5, ge=0, le=19, description="niceness added to the store process's query threads"
    )
    base_url: str | None = None
    cors_origins: list[str] = ["*"]
    allow_update: bool = False
    update_token: str | None = None

    # a remote SPARQL store (`store` a URL): its other services and credentials
    remote_update_url: str | None = Field(
        default=None, description="default: the query URL's sibling /update (Virtuoso: /sparql-auth)"
    )
    remote_gsp_url: str | None = Field(default=None, description="default: the query URL's sibling /store")
    remote_token: str | None = Field(default=None, description="a bearer token")
    remote_user: str | None = None
    remote_password: str | None = None
    # the store's own default graph is already the union of its named graphs (Oxigraph server with
    # --union-default-graph, Fuseki with unionDefaultGraph): a query over the union then names no graphs
    remote_union_default_graph: bool = False
    # what the store does differently (cwkg.remote): sparql11 or virtuoso; default: read from its Server header
    remote_dialect: str | None = None

    # limits
    query_timeout: float = Field(default=30.0, gt=0, description="seconds")
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    max_rows: int = Field(default=100_000, gt=0)
    max_concurrent_queries: int = Field(default=16, gt=0)
    service_allowlist: list[str] = []

    # caching (server.cache)
    cache_bytes: int = Field(
        default=64 * 2**20, ge=0, description="bytes of query results kept in memory; 0 = off"
    )
    http_max_age: int = Field(
        default=60, ge=0, description="seconds HTTP caches may reuse a result without asking"
    )

    @classmethod
    def from_options(cls, **options: Any) -> Settings:
        """The settings of one command: its options that were given (not None) over the CWKG_* variables."""
        return cls(**{name: value for name, value in options.items() if value is not None})

    def remote(self) -> RemoteAccess:
        """How to reach and sign in to a remote store, in a form that worker processes can be given."""
        return RemoteAccess(
            update_url=self.remote_update_url,
            graph_store_url=self.remote_gsp_url,
            token=self.remote_token,
            user=self.remote_user,
            password=self.remote_password,
            union_default=self.remote_union_default_graph,
            dialect=self.remote_dialect,
        )

    def require_project(self, command: str) -> Project:
        """The project a command works in; a ConfigError saying so when there is none."""
        if self.project is None:
            raise ConfigError(
                f"`{command}` works inside a cwkg project, and {Path.cwd()} is in none: no cwkg.toml and no "
                "data/sources.yaml here or in a folder above; run it in a project or set CWKG_PROJECT"
            )
        return load_project(self.project)

    def require_data(self, command: str) -> Path:
        """data/ with its sources.yaml, for commands that compile or curate it; a ConfigError naming what is missing."""
        manifest = self.data_dir / "sources.yaml"
        if not manifest.is_file():
            if self.project is None and "data_dir" not in self.model_fields_set:
                self.require_project(command)
            raise ConfigError(f"`{command}` needs {manifest}, the manifest of source documents: no such file")
        return self.data_dir

    @property
    def remote_store(self) -> bool:
        """Whether `store` names a remote SPARQL store (a URL) rather than a folder."""
        return is_remote(self.store)


def is_remote(location: str) -> bool:
    """Whether a store location is the URL of a remote SPARQL store."""
    return location.startswith(("http://", "https://"))


_TYPE_WORDS = {int: "an integer", float: "a number", bool: "true or false", str: "text", Path: "a path"}


def allowed(field: str) -> str:
    """What a setting accepts, in words: `an integer from 0 to 65535`, `true or false`, ...

    >>> allowed("port"), allowed("query_timeout"), allowed("service_allowlist")
    ('an integer from 0 to 65535', 'a number greater than 0', 'a JSON list of text, such as ["a", "b"]')
    """
    info = Settings.model_fields[field]
    kind: Any = info.annotation
    if get_origin(kind) in (Union, types.UnionType):
        kind = next(a for a in get_args(kind) if a is not type(None))
    if get_origin(kind) is list:
        return f'a JSON list of {_TYPE_WORDS.get(get_args(kind)[0], "values")}, such as ["a", "b"]'
    words = _TYPE_WORDS.get(kind, "a value")
    bounds: dict[str, object] = {}
    for m in info.metadata:
        for name in ("ge", "gt", "le", "lt"):
            if hasattr(m, name):
                bounds[name] = getattr(m, name)
    if "ge" in bounds and "le" in bounds:
        return f"{words} from {bounds['ge']} to {bounds['le']}"
    phrases = {"ge": "of at least", "gt": "greater than", "le": "of at most", "lt": "less than"}
    limits = [f"{phrases[name]} {value}" for name, value in bounds.items()]
    return f"{words} {' and '.join(limits)}" if limits else words


def settings_errors(
    exc: PydanticValidationError | SettingsError, options: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Each bad value as (where, what is wrong): the option (`options` maps field -> option given) or CWKG_
    variable, and the value with what is allowed; for people, in place of pydantic's report.

    >>> try:
    ...     Settings(port=99999)
    ... except PydanticValidationError as exc:
    ...     settings_errors(exc, {"port": "--port"})
    [('--port', '99999 is not an integer from 0 to 65535')]
    """
    if isinstance(exc, SettingsError):  # pydantic-settings could not decode an environment variable
        match = re.search(r'field "(\w+)"', str(exc))
        if match is None or match.group(1) not in Settings.model_fields:
            return [("a CWKG_ environment variable", str(exc))]
        field = match.group(1)
        variable = f"CWKG_{field.upper()}"
        return [(variable, f"{os.environ.get(variable)!r} is not {allowed(field)}")]
    found = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field not in Settings.model_fields:
            found.append((field, "is not a setting"))
            continue
        where = options.get(field, f"CWKG_{field.upper()}")
        value = error.get("input")
        shown = repr(value) if where.startswith("CWKG_") else str(value)
        found.append((where, f"{shown} is not {allowed(field)}"))
    return found
