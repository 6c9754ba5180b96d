"""`cwkg publish`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress

from cwkg.cli.console import default_of, err, existing_store, fail, load_settings, out
from cwkg.config import is_remote
from cwkg.errors import ConfigError, CwkgError
from cwkg.publish import publish as run_publish
from cwkg.remote_store import RemoteStore
from cwkg.store import OxigraphStore


def publish(
    to: Annotated[str, typer.Option("--to", help="SPARQL query endpoint URL of the remote store.")],
    store: Annotated[
        str | None, typer.Option(help="Folder of the local build's store.", show_default=default_of("store"))
    ] = None,
) -> None:
    """Load the build, every named graph, into a remote SPARQL 1.1 store; resumable."""
    settings = load_settings(store=store)
    try:
        if not is_remote(to):
            raise ConfigError(f"--to {to}: give the http(s) URL of the remote store's SPARQL query endpoint")
        local = existing_store(settings, store is not None)
        remote = RemoteStore.configured(to, settings.remote(), timeout=settings.query_timeout)
        total = len(OxigraphStore(local, read_only=True).graphs())
        with Progress(console=err) as progress:
            task = progress.add_task("publishing graphs", total=total)
            report = run_publish(settings, remote, on_graph=lambda g, n: progress.advance(task))
    except CwkgError as exc:
        fail(exc)
    for g, n in report.published.items():
        out.print(f"published {g} ({n} triples)", highlight=False, soft_wrap=True)
    for g, n in report.skipped.items():
        out.print(f"already there {g} ({n} triples)", highlight=False, soft_wrap=True)
    out.print(f"{len(report.published)} published, {len(report.skipped)} resumed, triple counts match")
