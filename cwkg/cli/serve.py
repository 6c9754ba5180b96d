"""`cwkg serve`."""

from __future__ import annotations

from typing import Annotated

import typer

from cwkg.cli.console import err, fail
from cwkg.config import Settings
from cwkg.errors import CwkgError


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    store: Annotated[str | None, typer.Option(help="Folder of the store (built first if missing).")] = None,
    workers: Annotated[int | None, typer.Option(help="Query worker processes.")] = None,
    query_timeout: Annotated[float | None, typer.Option(help="Seconds before a query is stopped.")] = None,
    allow_update: Annotated[
        bool | None, typer.Option(help="Accept SPARQL Update with CWKG_UPDATE_TOKEN.")
    ] = None,
) -> None:
    """Serve the graph over HTTP: SPARQL endpoint, canned queries and pages."""
    settings = Settings.from_options(
        host=host,
        port=port,
        store=store,
        workers=workers,
        query_timeout=query_timeout,
        allow_update=allow_update,
    )
    try:
        from cwkg.server.main import run

        run(settings)
    except CwkgError as exc:
        fail(exc)
    except KeyboardInterrupt:
        err.print("stopped")
