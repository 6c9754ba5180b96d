"""The public surface: `cwkg.__all__` is sorted, complete and importable; every error is a CwkgError."""

from __future__ import annotations

import inspect

import cwkg
import cwkg.errors


def test_all_is_sorted_and_every_name_exists() -> None:
    assert cwkg.__all__ == sorted(cwkg.__all__)
    for name in cwkg.__all__:
        assert hasattr(cwkg, name), name


def test_every_public_name_of_the_package_is_listed() -> None:
    assert set(cwkg._HOMES) == set(cwkg.__all__)
    for name in cwkg.__all__:
        assert getattr(cwkg, name).__module__ == cwkg._HOMES[name], name


def test_every_error_is_listed_and_rooted_in_cwkg_error() -> None:
    errors = {n for n, v in vars(cwkg.errors).items() if inspect.isclass(v) and issubclass(v, Exception)}
    assert errors == set(cwkg.errors.__all__)
    assert all(issubclass(getattr(cwkg.errors, n), cwkg.CwkgError) for n in errors)
    assert errors <= set(cwkg.__all__)
