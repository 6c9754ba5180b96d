"""`cwkg build`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cwkg.cli.console import default_of, err, fail, load_settings, out
from cwkg.cli.tables import print_table
from cwkg.errors import CwkgError


def build(
    sources: Annotated[
        Path | None,
        typer.Option(help="Folder of the source documents.", show_default=default_of("sources_dir")),
    ] = None,
    store: Annotated[
        str | None, typer.Option(help="Folder of the store to write.", show_default=default_of("store"))
    ] = None,
    dist: Annotated[
        Path | None, typer.Option(help="Folder of the dumps.", show_default=default_of("dist_dir"))
    ] = None,
    validate: Annotated[bool, typer.Option(help="Refuse data that breaks the shapes.")] = True,
) -> None:
    """Build the graph from ontology/, data/ and the sources: the store and the dumps in dist/."""
    from cwkg.build import build as run_build  # here, so that `cwkg --help` and `cwkg serve` start fast

    settings = load_settings(sources=sources, store=store, dist=dist)
    try:
        with err.status("building") as status:

            def step(message: str) -> None:
                status.update(message)
                err.log(message)

            report = run_build(settings, step, validate=validate)
    except CwkgError as exc:
        fail(exc)
    graphs = [[graph, str(n)] for graph, n in report.triples_by_graph.items()]
    graphs.append(["distinct triples", str(report.distinct_triples)])
    print_table(out, "Triples per named graph", ["graph", "triples"], graphs)
    classes = [[cls.rpartition("#")[2], str(n)] for cls, n in report.entities_by_class.items()]
    print_table(out, "Entities per class", ["class", "entities"], classes)
    per_source = [[src, str(n)] for src, n in report.facts_by_source.items()]
    print_table(out, "Statements and observations per source", ["source", "facts"], per_source)
    for note in report.notes:
        colour = "yellow" if note.severity == "warning" else "cyan"
        err.print(f"[{colour}]{note.severity}:[/] {note.text}", highlight=False, soft_wrap=True)
    out.print(
        f"{report.count('warning')} warning(s), {report.count('info')} info(s); "
        f"dumps in {settings.dist_dir}: {', '.join(report.dumps)}",
        highlight=False,
        soft_wrap=True,
    )
