"""The dialects cwkg knows, and the choice of one: by name (CWKG_REMOTE_DIALECT) or by the store's answer."""

from __future__ import annotations

import httpx

from cwkg.errors import ConfigError
from cwkg.remote.dialect import Dialect
from cwkg.remote.virtuoso import Virtuoso

__all__ = ["DIALECTS", "dialect_named", "dialect_of"]

#: Every dialect by the name CWKG_REMOTE_DIALECT gives it.
DIALECTS: dict[str, type[Dialect]] = {Dialect.name: Dialect, Virtuoso.name: Virtuoso}


def dialect_named(name: str) -> Dialect:
    """The dialect CWKG_REMOTE_DIALECT names; a clear error for one that is not known."""
    if name not in DIALECTS:
        raise ConfigError(f"CWKG_REMOTE_DIALECT={name!r} is not known; expected one of {', '.join(DIALECTS)}")
    return DIALECTS[name]()


def dialect_of(response: httpx.Response) -> Dialect:
    """The dialect of the store that sent `response`, from its Server header (Virtuoso names itself)."""
    if response.headers.get("server", "").lower().startswith("virtuoso/"):
        return Virtuoso()
    return Dialect()
