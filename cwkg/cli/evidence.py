"""`cwkg evidence`."""

from __future__ import annotations

from typing import Annotated

import typer

from cwkg.cli.console import EXIT_FAILED, fail, load_settings, out
from cwkg.errors import CwkgError, EvidenceError, NotFound
from cwkg.evidence import resolve
from cwkg.sources import load_manifest


def evidence(
    source: Annotated[
        str, typer.Argument(help="The source id, as in data/sources.yaml.", show_default=False)
    ],
    phrases: Annotated[
        list[str], typer.Argument(help="Phrases to look for, each at most 12 words.", show_default=False)
    ],
) -> None:
    """Check evidence phrases before writing them into data/: where each occurs, or why it fails."""
    settings = load_settings()
    try:
        sources = load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)
        if source not in sources:
            raise NotFound(f"no source {source!r} in data/sources.yaml; there are: {', '.join(sources)}")
        failed = 0
        for phrase in phrases:
            try:
                ev = resolve(sources[source], phrase)
                out.print(f"ok    {ev.start}:{ev.end}  {phrase!r}", highlight=False, markup=False)
            except EvidenceError as exc:
                failed += 1
                out.print(f"FAIL  {exc}", highlight=False, markup=False, soft_wrap=True)
    except CwkgError as exc:
        fail(exc)
    if failed:
        raise typer.Exit(EXIT_FAILED)
