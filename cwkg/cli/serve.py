"""`cwkg serve`."""

from __future__ import annotations

from typing import Annotated

import typer

from cwkg.cli.console import EXIT_CANNOT_START, default_of, err, exit_code, fail, load_settings
from cwkg.errors import CwkgError, StoreError


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on.", show_default=default_of("host"))
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on.", show_default=default_of("port"))
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="Folder of the store (built first if missing), or the URL of a SPARQL store.",
            show_default=default_of("store"),
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Query threads of the store process.", show_default=default_of("workers")),
    ] = None,
    query_timeout: Annotated[
        float | None,
        typer.Option(help="Seconds before a query is stopped.", show_default=default_of("query_timeout")),
    ] = None,
    allow_update: Annotated[
        bool | None,
        typer.Option(
            help="Accept SPARQL Update with CWKG_UPDATE_TOKEN.", show_default=default_of("allow_update")
        ),
    ] = None,
) -> None:
    """Serve the graph over HTTP: SPARQL endpoint, canned queries and pages."""
    settings = load_settings(
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
    except StoreError as exc:  # the store cannot be opened or built, or the port cannot be bound
        fail(exc, EXIT_CANNOT_START if exit_code(exc) == 1 else None)
    except CwkgError as exc:
        fail(exc)
    except SystemExit as exc:  # uvicorn exits when it cannot listen, after logging why
        fail(StoreError("the server did not start; see the log above"), EXIT_CANNOT_START if exc.code else 0)
    except KeyboardInterrupt:
        err.print("stopped")
