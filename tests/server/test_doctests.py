"""The runnable examples in the server's docstrings."""

from __future__ import annotations

import doctest
from types import ModuleType

import cwkg.server.negotiation
import cwkg.server.safety
import pytest


@pytest.mark.parametrize("module", [cwkg.server.negotiation, cwkg.server.safety], ids=lambda m: m.__name__)
def test_doctests(module: ModuleType) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
