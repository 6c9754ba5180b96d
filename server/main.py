"""`cwkg serve`: make the store if it is missing (cwkg.published), then run uvicorn over the app."""

from __future__ import annotations

import logging

import uvicorn

from cwkg.config import Settings
from cwkg.errors import StoreError
from cwkg.published import ensure_store

__all__ = ["run", "server"]

log = logging.getLogger("cwkg.server")


def server(settings: Settings) -> uvicorn.Server:
    """A uvicorn server for the app (one process; queries run in the app's own worker processes)."""
    from cwkg.server.pool import warm_up

    warm_up()  # the forkserver boots on the other core while the app's modules load here
    from cwkg.server.app import create_app

    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # server.accesslog writes one line per request instead
        log_level="info",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


def run(settings: Settings) -> None:
    """Serve the graph on settings.host:settings.port until stopped; build the store first if missing."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ensure_store(settings)
    instance = server(settings)
    instance.run()
    if not instance.started:
        raise StoreError("the server did not start; see the log above")
