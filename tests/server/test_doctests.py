"""The runnable examples in the server's docstrings."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import cwkg.server.negotiation
import cwkg.server.query_analysis


@pytest.mark.parametrize(
    "module", [cwkg.server.negotiation, cwkg.server.query_analysis], ids=lambda m: m.__name__
)
def test_doctests(module: ModuleType) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
