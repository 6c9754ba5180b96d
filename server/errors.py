"""The server's own errors, rooted in cwkg.errors so that one table in server.app maps them all to HTTP.

CwkgError
├── ProtocolError              a request breaks the SPARQL 1.1 Protocol or Graph Store Protocol (400)
│   ├── UnsupportedMediaType   the request body has a content type the operation does not take (415)
│   ├── NotAcceptable          no media type in Accept (or `format`) fits the result (406)
│   └── BodyTooLarge           the request body is over CWKG_MAX_BODY_BYTES (413)
├── Unauthorized               an update came without a bearer token (401)
├── Forbidden                  updates are off, or the token is wrong (403)
└── StoreError (cwkg.errors)
    ├── GraphNotFound          the Graph Store Protocol names a graph that does not exist (404)
    ├── UpdateFailed           (cwkg.errors) an update cannot be applied; nothing changed (400)
    ├── RowLimitExceeded       a result has more rows than CWKG_MAX_ROWS (422)
    ├── Busy                   too many queries at once, or no worker free in time (503 + Retry-After)
    └── WorkerLost             a worker process died while answering (500)
"""

from __future__ import annotations

from cwkg.errors import (
    CwkgError,
    ParseError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnreachable,
    UpdateFailed,
)

__all__ = [
    "BodyTooLarge",
    "Busy",
    "Forbidden",
    "GraphNotFound",
    "NotAcceptable",
    "ProtocolError",
    "RowLimitExceeded",
    "Unauthorized",
    "UnsupportedMediaType",
    "UpdateFailed",
    "WorkerLost",
    "by_name",
]


class ProtocolError(CwkgError):
    """Raised when a request breaks the SPARQL 1.1 Protocol or the Graph Store HTTP Protocol."""


class UnsupportedMediaType(ProtocolError):
    """Raised when a request body's content type is not one the operation accepts."""


class NotAcceptable(ProtocolError):
    """Raised when no media type the client accepts can carry the result."""


class BodyTooLarge(ProtocolError):
    """Raised when a request body is larger than CWKG_MAX_BODY_BYTES."""


class Unauthorized(CwkgError):
    """Raised when an update arrives without a bearer token."""


class Forbidden(CwkgError):
    """Raised when updates are disabled, or the bearer token is not CWKG_UPDATE_TOKEN."""


class GraphNotFound(StoreError):
    """Raised when the Graph Store Protocol names a graph the store does not hold."""


class RowLimitExceeded(StoreError):
    """Raised when a result has more rows (or triples) than CWKG_MAX_ROWS; nothing is cut silently."""


class Busy(StoreError):
    """Raised when too many queries run at once, or no worker becomes free in time."""

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WorkerLost(StoreError):
    """Raised when a worker process dies while answering."""


_PORTABLE: tuple[type[CwkgError], ...] = (
    ProtocolError,
    UnsupportedMediaType,
    NotAcceptable,
    BodyTooLarge,
    GraphNotFound,
    RowLimitExceeded,
    UpdateFailed,
    ParseError,
    QuerySyntaxError,
    QueryRefused,
    QueryTimeout,
    StoreUnreachable,
    StoreError,
    CwkgError,
)


def by_name(name: str) -> type[CwkgError]:
    """The error class a worker process reported by name (StoreError for an unknown name)."""
    for cls in _PORTABLE:
        if cls.__name__ == name:
            return cls
    return StoreError
