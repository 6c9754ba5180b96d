"""The one exception hierarchy of cwkg.

    CwkgError                      anything cwkg raises on purpose
    ├── ConfigError                a bad option, setting or argument
    ├── NotFound                   the thing asked for by name does not exist (a source id, a query)
    ├── SourceError                a source document is missing, changed or unreadable
    ├── DataError                  a curated fact file is wrong (names file, fact and key)
    │   └── EvidenceError          an evidence phrase is missing, ambiguous or too long
    ├── BuildError                 the build cannot produce a consistent graph
    ├── ValidationError            the graph breaks the SHACL shapes
    └── StoreError                 the store cannot do what was asked
        ├── ParseError             an RDF file does not parse (names file, line, column)
        ├── QuerySyntaxError       a SPARQL query or update does not parse
        ├── UpdateFailed           an update parses but cannot be applied; nothing changed
        ├── QueryRefused           a query asks for something the server will not do
        ├── QueryTimeout           a query ran past its time limit
        └── StoreUnreachable       a remote store does not answer at all

Errors from pyoxigraph, rdflib and httpx are translated into these at the store boundary.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "ConfigError",
    "CwkgError",
    "DataError",
    "EvidenceError",
    "NotFound",
    "ParseError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "SourceError",
    "StoreError",
    "StoreUnreachable",
    "UpdateFailed",
    "ValidationError",
]


class CwkgError(Exception):
    """Base of every error cwkg raises on purpose; its message is meant for a person."""


class ConfigError(CwkgError):
    """Raised for a bad option, environment variable or argument."""


class NotFound(CwkgError):
    """Raised when the thing asked for by name, such as a source id or a canned query, does not exist."""


class SourceError(CwkgError):
    """Raised when a source document is missing, unreadable or not the file the manifest names."""


class DataError(CwkgError):
    """Raised when a curated fact file is wrong; the message names the file, the fact and the key."""


class EvidenceError(DataError):
    """Raised when an evidence phrase is not found, is found more than once, or is too long."""


class BuildError(CwkgError):
    """Raised when the build cannot produce a consistent graph."""


class ValidationError(CwkgError):
    """Raised when data breaks the SHACL shapes with violations."""


class StoreError(CwkgError):
    """Raised when the store cannot do what was asked."""


class ParseError(StoreError):
    """Raised when an RDF file does not parse; the message names the file, line and column."""


class QuerySyntaxError(StoreError):
    """Raised when a SPARQL query or update does not parse; the message gives the position."""


class UpdateFailed(StoreError):
    """Raised when an update parses but cannot be applied, such as CREATE of an existing graph; nothing changed."""


class QueryRefused(StoreError):
    """Raised when a query asks for something the server refuses, such as SERVICE or LOAD."""


class QueryTimeout(StoreError):
    """Raised when a query runs past its time limit and is stopped."""


class StoreUnreachable(StoreError):
    """Raised when a remote store cannot be reached (no connection after the retries)."""
