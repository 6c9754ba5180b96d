"""cwkg: the Children's Workforce Knowledge Graph, as a library.

>>> import cwkg
>>> store = cwkg.OxigraphStore()
>>> bool(store.query("ASK { ?s ?p ?o }"))
False
"""

from importlib import import_module
from typing import Any

#: Where each public name lives; imported on first use, so `import cwkg.store` stays light.
_HOMES = {
    "BuildReport": "cwkg.build",
    "compile_project": "cwkg.build",
    "Settings": "cwkg.config",
    "BuildError": "cwkg.errors",
    "ConfigError": "cwkg.errors",
    "CwkgError": "cwkg.errors",
    "DataError": "cwkg.errors",
    "EvidenceError": "cwkg.errors",
    "NotFound": "cwkg.errors",
    "ParseError": "cwkg.errors",
    "QueryRefused": "cwkg.errors",
    "QuerySyntaxError": "cwkg.errors",
    "QueryTimeout": "cwkg.errors",
    "SourceError": "cwkg.errors",
    "StoreError": "cwkg.errors",
    "StoreUnreachable": "cwkg.errors",
    "UpdateFailed": "cwkg.errors",
    "ValidationError": "cwkg.errors",
    "Catalogue": "cwkg.queries",
    "ParameterError": "cwkg.queries",
    "UnknownQuery": "cwkg.queries",
    "OxigraphStore": "cwkg.store",
    "RemoteStore": "cwkg.remote_store",
    "Store": "cwkg.store",
    "open_store": "cwkg.store",
    "parse_file": "cwkg.rdf",
    "validate_files": "cwkg.validate",
    "validate_quads": "cwkg.validate",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'cwkg' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "BuildReport",
    "Catalogue",
    "ConfigError",
    "CwkgError",
    "DataError",
    "EvidenceError",
    "NotFound",
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
    "StoreUnreachable",
    "UnknownQuery",
    "UpdateFailed",
    "ValidationError",
    "compile_project",
    "open_store",
    "parse_file",
    "validate_files",
    "validate_quads",
]
