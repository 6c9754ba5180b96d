"""`cwkg build`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cwkg.cli.console import err, fail, out
from cwkg.config import Settings
from cwkg.errors import CwkgError


def build(
    sources: Annotated[Path | None, typer.Option(help="Folder of the source documents.")] = None,
    store: Annotated[str | None, typer.Option(help="Folder of the store to write.")] = None,
    dist: Annotated[Path | None, typer.Option(help="Folder of the dumps.")] = None,
    validate: Annotated[bool, typer.Option(help="Refuse data that breaks the shapes.")] = True,
) -> None:
    """Build the graph from ontology/, data/ and the sources: the store and the dumps in dist/."""
    from cwkg.build import build as run_build  # here, so that `cwkg --help` and `cwkg serve` start fast

    settings = Settings.from_options(sources_dir=sources, store=store, dist_dir=dist)
    try:
        with err.status("building") as status:

            def progress(message: str) -> None:
                status.update(message)
                err.log(message)

            report = run_build(settings, progress, validate=validate)
    except CwkgError as exc:
        fail(exc)
    table = Table(title="Triples per named graph")
    table.add_column("graph")
    table.add_column("triples", justify="right")
    for graph, n in report.triples_by_graph.items():
        table.add_row(graph, str(n))
    table.add_row("[bold]distinct triples[/]", f"[bold]{report.distinct_triples}[/]")
    out.print(table)
    classes = Table(title="Entities per class")
    classes.add_column("class")
    classes.add_column("entities", justify="right")
    for cls, n in report.entities_by_class.items():
        classes.add_row(cls.rpartition("#")[2], str(n))
    out.print(classes)
    facts = Table(title="Statements and observations per source")
    facts.add_column("source")
    facts.add_column("facts", justify="right")
    for src, n in report.facts_by_source.items():
        facts.add_row(src, str(n))
    out.print(facts)
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)
    out.print(f"{len(report.warnings)} warning(s); dumps in {settings.dist_dir}: {', '.join(report.dumps)}")
