"""`cwkg diff OLD NEW`: statements, observations and entities added, removed, changed or relabelled.

Exit codes: 0 the comparison was made (whatever it found), 2 a side names nothing readable.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cwkg.cli.console import err, fail, load_settings, out
from cwkg.errors import ConfigError, CwkgError

if TYPE_CHECKING:
    from cwkg.diff import GraphDiff, PropertyChange


class DiffFormat(StrEnum):
    """The renderings of a diff."""

    table = "table"
    markdown = "markdown"
    turtle = "turtle"


def diff(
    old: Annotated[
        str, typer.Argument(help="A dump, a build or project folder, or a git revision of data/.")
    ],
    new: Annotated[str, typer.Argument(help="The same kinds; `.` is the project as it is now.")],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="How to print it.")
    ] = DiffFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead.")] = None,
) -> None:
    """Compare two versions of the graph: what a changelog says (see `cwkg release`)."""
    from cwkg.diff import diff_graphs
    from cwkg.snapshot import load_snapshot

    try:
        settings = load_settings()
        with err.status("reading both sides"):
            before, after = load_snapshot(settings, old), load_snapshot(settings, new)
        result = diff_graphs(before.quads, after.quads, old_name=before.origin, new_name=after.origin)
        if output_format == DiffFormat.table:
            text = None
        elif output_format == DiffFormat.markdown:
            text = result.to_markdown()
        else:
            text = result.to_turtle()
        if output is not None:
            try:
                output.write_text(text or result.to_markdown(), encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from exc
    except CwkgError as exc:
        fail(exc, 2)
    if output is not None:
        err.print(f"{result.summary()}; written to {output}", highlight=False)
    elif text is not None:
        typer.echo(text, nl=False)
    else:
        table = Table(title=f"{before.origin} → {after.origin}")
        for column in ("change", "id", "about", "property", "old", "new"):
            table.add_column(column, overflow="fold")
        for c in result.changes:
            shown = c.properties if c.change in ("changed", "relabelled") else ()
            table.add_row(
                c.change, result.show(c.iri), c.about, *(_cells(result, shown[0]) if shown else ("", "", ""))
            )
            for p in shown[1:]:
                table.add_row("", "", "", *_cells(result, p))
        out.print(table)
        err.print(result.summary(), highlight=False)


def _cells(result: GraphDiff, p: PropertyChange) -> tuple[str, str, str]:
    """A property change as the table's property, old and new cells."""
    return result.show(p.property), result.values(p.old), result.values(p.new)
