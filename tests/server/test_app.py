"""The app's one error table, and the tables that must agree with each other."""

from __future__ import annotations

import inspect

import pytest

import cwkg.errors
import cwkg.server.errors
from cwkg.server.app import status_for
from cwkg.server.errors import by_name
from cwkg.server.formats import RDF_FORMATS, RESULT_FORMATS
from cwkg.server.negotiation import offered

EXPECTED = {
    "ProtocolError": 400,
    "UnsupportedMediaType": 415,
    "NotAcceptable": 406,
    "BodyTooLarge": 413,
    "Unauthorized": 401,
    "Forbidden": 403,
    "GraphNotFound": 404,
    "UpdateFailed": 400,
    "RowLimitExceeded": 422,
    "Busy": 503,
    "WorkerLost": 500,
    "QuerySyntaxError": 400,
    "QueryRefused": 400,
    "QueryTimeout": 503,
    "ParseError": 400,
    "StoreUnreachable": 502,
    "NotFound": 404,
    "StoreError": 500,
    "CwkgError": 500,
    "ConfigError": 500,
    "SourceError": 500,
    "DataError": 500,
    "EvidenceError": 500,
    "BuildError": 500,
    "ValidationError": 500,
}


def error_classes() -> list[type[Exception]]:
    """Every exception class of cwkg.errors and server.errors."""
    return [
        cls
        for module in (cwkg.errors, cwkg.server.errors)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == module.__name__
    ]


def test_every_error_has_its_status() -> None:
    classes = error_classes()
    assert {cls.__name__ for cls in classes} == set(EXPECTED)
    assert {cls.__name__: status_for(cls("x")) for cls in classes} == EXPECTED


@pytest.mark.parametrize(
    "name",
    [
        "ProtocolError",
        "UnsupportedMediaType",
        "NotAcceptable",
        "GraphNotFound",
        "RowLimitExceeded",
        "UpdateFailed",
        "ParseError",
        "QuerySyntaxError",
        "QueryRefused",
        "StoreError",
    ],
)
def test_errors_a_worker_raises_cross_the_pipe(name: str) -> None:
    assert by_name(name).__name__ == name


def test_unknown_worker_error_is_a_store_error() -> None:
    assert by_name("KeyboardInterrupt") is cwkg.errors.StoreError


def test_every_offered_media_type_has_a_serialiser() -> None:
    assert set(offered("solutions")) == set(RESULT_FORMATS)
    assert set(offered("boolean")) == set(RESULT_FORMATS)
    assert set(offered("graph")) == set(RDF_FORMATS)
    assert set(offered("description")) == set(RDF_FORMATS) | {"text/html"}
