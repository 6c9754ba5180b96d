"""What a remote SPARQL store does differently from SPARQL 1.1, kept apart from `RemoteStore`'s transport.

`dialect.Dialect` is the standard behaviour; `virtuoso.Virtuoso` overrides what OpenLink Virtuoso 7 does
differently. `auth.ChallengeAuth` answers a store's HTTP authentication challenge, Basic or Digest. The
dialects are chosen here, by name or by the store's own Server header.
"""

from __future__ import annotations

import httpx

from cwkg.errors import ConfigError
from cwkg.remote.auth import ChallengeAuth
from cwkg.remote.dialect import Dialect
from cwkg.remote.virtuoso import Virtuoso

__all__ = ["DIALECTS", "ChallengeAuth", "Dialect", "dialect_named", "dialect_of"]

_KNOWN: dict[str, type[Dialect]] = {Dialect.name: Dialect, Virtuoso.name: Virtuoso}
DIALECTS = tuple(_KNOWN)


def dialect_named(name: str) -> Dialect:
    """The dialect CWKG_REMOTE_DIALECT names; a clear error for one that is not known."""
    if name not in _KNOWN:
        raise ConfigError(f"CWKG_REMOTE_DIALECT={name!r} is not known; expected one of {', '.join(_KNOWN)}")
    return _KNOWN[name]()


def dialect_of(response: httpx.Response) -> Dialect:
    """The dialect of the store that sent `response`, from its Server header (Virtuoso names itself)."""
    if response.headers.get("server", "").lower().startswith("virtuoso/"):
        return Virtuoso()
    return Dialect()
