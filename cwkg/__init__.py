"""cwkg: the Children's Workforce Knowledge Graph, as a library.

>>> import cwkg
>>> store = cwkg.OxigraphStore()
>>> bool(store.query("ASK { ?s ?p ?o }"))
False
"""

from cwkg.build import BuildReport, build, compile_project
from cwkg.config import Settings
from cwkg.errors import (
    BuildError,
    ConfigError,
    CwkgError,
    DataError,
    EvidenceError,
    ParseError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    SourceError,
    StoreError,
    ValidationError,
)
from cwkg.publish import publish
from cwkg.queries import Catalogue, ParameterError, UnknownQuery
from cwkg.store import OxigraphStore, RemoteStore, Store, open_store, parse_file
from cwkg.validate import validate_files, validate_quads

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "BuildReport",
    "Catalogue",
    "ConfigError",
    "CwkgError",
    "DataError",
    "EvidenceError",
    "OxigraphStore",
    "ParameterError",
    "ParseError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "RemoteStore",
    "Settings",
    "SourceError",
    "Store",
    "StoreError",
    "UnknownQuery",
    "ValidationError",
    "build",
    "compile_project",
    "open_store",
    "parse_file",
    "publish",
    "validate_files",
    "validate_quads",
]
