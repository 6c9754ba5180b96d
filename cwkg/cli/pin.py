"""`cwkg pin`."""

from __future__ import annotations

from typing import Annotated

import typer

from cwkg.cli.console import err, fail, out
from cwkg.config import Settings
from cwkg.errors import CwkgError


def pin(
    check: Annotated[
        bool, typer.Option("--check", help="Only list unpinned statements; exit 1 if there are any.")
    ] = False,
) -> None:
    """Give every statement in data/facts without an `id` the id of its current content, written into its file."""
    from cwkg.pin import pin_statements, unpinned

    try:
        facts = Settings().require_data("cwkg pin") / "facts"
        pins = unpinned(facts) if check else pin_statements(facts)
    except CwkgError as exc:
        fail(exc, 2)
    for p in pins:
        out.print(f"{p.file}:{p.line}  id: {p.id}", highlight=False, markup=False)
    if check and pins:
        err.print(f"{len(pins)} statement(s) without an id: run `cwkg pin`", highlight=False)
        raise typer.Exit(1)
    if not check:
        err.print(f"{len(pins)} statement(s) pinned", highlight=False)
