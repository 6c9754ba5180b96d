"""`cwkg validate`: check the built graph, or RDF files, against the SHACL shapes.

Exit codes: 0 conforms (nothing at or above --fail-on), 1 does not conform, 2 unreadable input
or bad arguments. The report goes to stdout (or --output); diagnostics go to stderr, and the one-line
summary too unless the text report, which starts with it, went to stdout.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cwkg.cli.console import EXIT_USAGE, default_of, err, fail, load_settings
from cwkg.config import Settings
from cwkg.errors import ConfigError, CwkgError
from cwkg.store import OxigraphStore, parse_file

if TYPE_CHECKING:
    from cwkg.validate import Report

#: Exit codes, as documented above and in `cwkg validate --help` (cwkg.cli.console holds the table).
EXIT_CONFORMS, EXIT_NONCONFORMANT, EXIT_ERROR = 0, 1, EXIT_USAGE


class OutputFormat(StrEnum):
    """The renderings of a report."""

    text = "text"
    turtle = "turtle"
    json = "json"
    junit = "junit"


class FailOn(StrEnum):
    """The least severity that fails the run."""

    violation = "violation"
    warning = "warning"
    info = "info"


def _validate_built(settings: Settings, store_given: bool) -> Report:
    """Validate the store at settings.store, else (unless --store named it) dist/cwkg.trig."""
    from cwkg.validate import validate_quads

    if settings.remote_store:
        raise ConfigError(
            f"cwkg validate reads the embedded store; {settings.store} is remote: "
            "dump it to a file and pass the file"
        )
    store_dir = Path(settings.store)
    if store_dir.is_dir() and any(store_dir.iterdir()):
        store = OxigraphStore(store_dir, read_only=True)
        return validate_quads(settings, store.quads())
    if store_given:
        raise ConfigError(
            f"--store {store_dir}: no store there; give the folder of a built store "
            f"(`cwkg build --store {store_dir}` makes one)"
        )
    dump = settings.dist_dir / "cwkg.trig"
    if dump.is_file():
        return validate_quads(settings, parse_file(dump))
    raise ConfigError(
        f"no built graph: neither a store at {store_dir} nor {dump}; run `cwkg build` or pass RDF files"
    )


def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files to validate as one graph (.ttl, .trig, .nq, .nt, .jsonld, .rdf); "
            "default: the built graph.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a result is at least this severe.")
    ] = FailOn.violation,
    store: Annotated[
        str | None,
        typer.Option(help="Folder of the built store to validate.", show_default=default_of("store")),
    ] = None,
    dist: Annotated[
        Path | None,
        typer.Option(
            help="Folder of the dumps (cwkg.trig is used without a store).",
            show_default=default_of("dist_dir"),
        ),
    ] = None,
    shapes: Annotated[
        Path | None,
        typer.Option(help="Folder of the SHACL shapes (*.ttl).", show_default=default_of("shapes_dir")),
    ] = None,
) -> None:
    """Validate the graph against the SHACL shapes: exit 0 conforms, 1 does not, 2 cannot read input."""
    from cwkg.validate import validate_files

    settings = load_settings(store=store, dist=dist, shapes=shapes)
    try:
        for path in files or []:
            if path.is_dir():
                raise ConfigError(f"{path} is a folder: give the RDF files in it, such as {path}/*.ttl")
        report = validate_files(settings, files) if files else _validate_built(settings, store is not None)
        text = report.render(output_format.value, fail_on=fail_on.value)
        if output is not None:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot write the report to {output}: {exc.strerror or exc}") from exc
        else:
            typer.echo(text, nl=False)
    except CwkgError as exc:
        fail(exc, EXIT_ERROR)
    failing = report.failing(fail_on.value)
    if output is not None or output_format is not OutputFormat.text:  # else stdout starts with it
        colour = "bold red" if failing else "green"
        err.print(f"[{colour}]{report.summary(fail_on.value)}[/]", highlight=False, soft_wrap=True)
    if failing:
        raise typer.Exit(EXIT_NONCONFORMANT)
