"""`cwkg release`: build, then write a versioned release with CHANGES.md, DCAT/VoID and CITATION.cff.

Exit codes: 0 written; 1 the build failed; 2 outside a project, no version set, or the release exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cwkg.cli.console import err, fail, load_settings, out
from cwkg.errors import BuildError, CwkgError


def release(
    output: Annotated[Path | None, typer.Option(help="Folder of releases (default: dist/releases).")] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            help="Compare with this (a release folder, dump or git revision), not the last release."
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Where the release's files will be downloaded from (dcat:downloadURL).")
    ] = None,
) -> None:
    """Release the graph: version from cwkg.toml, dumps named after it, CHANGES.md, void.ttl, CITATION.cff."""
    from cwkg.release import make_release

    try:
        settings = load_settings()
        with err.status("releasing") as status:
            done = make_release(
                settings, output=output, previous=previous, base_url=base_url, step=status.update
            )
    except BuildError as exc:
        fail(exc, 1)
    except CwkgError as exc:
        fail(exc, 2)
    against = f"against {done.previous}" if done.previous else "(first release)"
    summary = done.changes.summary() if done.changes else "no release before"
    out.print(f"released {done.version} in {done.folder} {against}: {summary}", highlight=False)
    for name in sorted(done.files):
        out.print(f"  {name}", highlight=False)
