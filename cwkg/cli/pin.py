"""`cwkg pin`."""

from __future__ import annotations

from typing import Annotated

import typer

from cwkg.cli.console import EXIT_FAILED, EXIT_USAGE, err, fail, load_settings, out
from cwkg.errors import CwkgError


def pin(
    check: Annotated[
        bool, typer.Option("--check", help="Only list unpinned statements; exit 1 if there are any.")
    ] = False,
) -> None:
    """Give every statement in data/facts without an `id` the id of its current content, written into its file."""
    from cwkg.pin import pin_statements, unpinned

    facts = load_settings().data_dir / "facts"
    try:
        pins = unpinned(facts) if check else pin_statements(facts)
    except CwkgError as exc:
        fail(exc, EXIT_USAGE)  # a fact file that cannot be read or written
    for p in pins:
        out.print(f"{p.file}:{p.line}  id: {p.id}", highlight=False, markup=False)
    if check and pins:
        err.print(f"{len(pins)} statement(s) without an id: run `cwkg pin`", highlight=False)
        raise typer.Exit(EXIT_FAILED)
    if not check:
        err.print(f"{len(pins)} statement(s) pinned", highlight=False)
