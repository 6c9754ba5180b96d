"""`cwkg extract`: candidates, mentions and coverage of the source documents.

Exit codes (cwkg.cli.console): 0 done (with --check: every candidate covered or ignored); 1 with
--check when an uncovered, unignored candidate remains, or an unknown source id; 2 a bad option,
an unreadable source, fact file or ignore list.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cwkg.cli.console import EXIT_FAILED, EXIT_USAGE, default_of, err, fail, load_settings, out
from cwkg.errors import CwkgError, NotFound
from cwkg.sources import load_manifest

if TYPE_CHECKING:
    from cwkg.extract.evaluate import Score
    from cwkg.extract.report import ExtractionReport


class ExtractFormat(StrEnum):
    """What `cwkg extract` prints."""

    table = "table"
    json = "json"


class Show(StrEnum):
    """Which candidates `cwkg extract` lists."""

    uncovered = "uncovered"
    all = "all"
    none = "none"


SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "extraction" / "sample.yaml"


def extract(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source ids; default: every source of the manifest.")
    ] = None,
    check: Annotated[
        bool, typer.Option(help="Exit 1 when an uncovered, unignored candidate remains.")
    ] = False,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON to this file.")
    ] = None,
    output: Annotated[
        ExtractFormat, typer.Option("--format", help="table or json (to standard output).")
    ] = ExtractFormat.table,
    show: Annotated[
        Show, typer.Option(help="Which candidates to list: uncovered, all or none.")
    ] = Show.uncovered,
    run_evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate", help="Print the finder's precision and recall on the hand-labelled sample."
        ),
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            help="Folder of sources.yaml, facts/ and extraction-ignore.", show_default=default_of("data_dir")
        ),
    ] = None,
    sources_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of the source documents.", show_default=default_of("sources_dir")),
    ] = None,
) -> None:
    """Find candidate entities and figures in the sources, link mentions, and report coverage."""
    from cwkg.build import compile_project
    from cwkg.extract.coverage import IgnoreList
    from cwkg.extract.evaluate import evaluate
    from cwkg.extract.report import run

    settings = load_settings(data=data, sources_dir=sources_dir)
    try:
        manifest = load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)
        unknown = [s for s in sources or [] if s not in manifest]
        if unknown:
            raise NotFound(f"unknown source id(s) {', '.join(unknown)}; known: {', '.join(manifest)}")
        if run_evaluate:
            _print_scores(evaluate(SAMPLE, manifest))
            return
        chosen = [manifest[s] for s in sources] if sources else list(manifest.values())
        ignore = IgnoreList.load(settings.data_dir / "extraction-ignore")
        with err.status("compiling the graph"):
            _, quads = compile_project(settings)
        report = run(chosen, quads, ignore)
    except CwkgError as exc:  # here the fact files and ignore list are input: unreadable is exit 2
        fail(exc, None if isinstance(exc, NotFound) else EXIT_USAGE)
    data_out = report.to_json()
    if json_file is not None:
        json_file.write_text(json.dumps(data_out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if output == "json":
        print(json.dumps(data_out, indent=2, ensure_ascii=False))
    else:
        _print_report(report, show)
    if check and report.uncovered:
        err.print(
            f"[bold red]{report.uncovered} uncovered candidate(s)[/]: add them to data/facts or, "
            "if they do not belong in the graph, to data/extraction-ignore with a reason",
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_FAILED)


def _print_scores(scores: Mapping[str, Score]) -> None:
    table = Table(title="Candidate finder on the hand-labelled sample")
    for col in ("measure", "precision", "recall", "matched", "found", "labelled"):
        table.add_column(col, justify="right" if col != "measure" else "left")
    for name, s in scores.items():
        table.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            str(s.true_positives),
            str(s.found),
            str(s.expected),
        )
    out.print(table)


def _print_report(report: ExtractionReport, show: str) -> None:
    table = Table(title="Coverage of candidates by the graph")
    for col in ("source", "section", "candidates", "covered", "ignored", "uncovered"):
        table.add_column(
            col, justify="right" if col not in ("source", "section") else "left", overflow="fold"
        )
    for d in report.documents:
        for s in d.sections:
            table.add_row(
                d.source_id,
                s.title,
                str(len(s.statuses)),
                str(s.count("covered")),
                str(s.count("ignored")),
                str(s.count("uncovered")),
            )
        table.add_row(
            f"[bold]{d.source_id}[/]",
            "[bold]all[/]",
            f"[bold]{d.candidates}[/]",
            f"[bold]{d.count('covered')}[/]",
            f"[bold]{d.count('ignored')}[/]",
            f"[bold]{d.count('uncovered')}[/]",
            end_section=True,
        )
    out.print(table)
    if show != "none":
        listing = Table(title="Uncovered candidates" if show == "uncovered" else "Candidates")
        for col in ("source", "section", "kind", "candidate", "state"):
            listing.add_column(col, overflow="fold")
        for d in report.documents:
            for s in d.sections:
                for st in s.statuses:
                    if show == "all" or st.state == "uncovered":
                        listing.add_row(d.source_id, s.title, st.candidate.kind, st.candidate.text, st.state)
        out.print(listing)
    mentions = Table(title="Mentions of known entities")
    for col in ("source", "mentions", "ambiguous"):
        mentions.add_column(col, justify="left" if col == "source" else "right")
    for d in report.documents:
        mentions.add_row(d.source_id, str(len(d.mentions)), str(len(d.ambiguous)))
    out.print(mentions)
    for d in report.documents:
        for a in d.ambiguous:
            err.print(
                f"[yellow]ambiguous:[/] {d.source_id} {a.raw_start}:{a.raw_end} {a.exact!r} names "
                f"{', '.join(a.entities)}",
                highlight=False,
                soft_wrap=True,
            )
    for line in report.unused_ignores:
        err.print(f"[yellow]unused ignore line:[/] {line}", highlight=False, soft_wrap=True)
    out.print(f"{report.uncovered} uncovered candidate(s) in {len(report.documents)} document(s)")
