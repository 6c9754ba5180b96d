"""The app factory: routes, middleware, worker pools in the lifespan, and errors mapped to HTTP in one table."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp

from cwkg import __version__
from cwkg.config import Settings
from cwkg.errors import (
    CwkgError,
    NotFound,
    ParseError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnreachable,
)
from cwkg.queries import Catalogue, ParameterError, UnknownQuery
from cwkg.server import api, description, dumps, graphstore, sparql, update
from cwkg.server.accesslog import AccessLog
from cwkg.server.body_limit import BodyLimit
from cwkg.server.cache import Results, StoreIdentity
from cwkg.server.errors import (
    BodyTooLarge,
    Busy,
    Forbidden,
    GraphNotFound,
    NotAcceptable,
    ProtocolError,
    RowLimitExceeded,
    Unauthorized,
    UnsupportedMediaType,
    UpdateFailed,
)
from cwkg.server.head import HeadAsGet
from cwkg.server.headers import NoSniff
from cwkg.server.jobs import WorkerConfig
from cwkg.server.pages import browse, home, ontology, openapi, routes
from cwkg.server.pages.state import PagesState
from cwkg.server.pool import ClientGone, Pool
from cwkg.server.state import ServerState, get_state

__all__ = ["STATUS", "create_app", "status_for"]

#: The one table from error to HTTP status; the first class the error is an instance of wins.
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UnsupportedMediaType, 415),
    (NotAcceptable, 406),
    (BodyTooLarge, 413),
    (ProtocolError, 400),
    (ParameterError, 400),
    (UnknownQuery, 404),
    (NotFound, 404),
    (QuerySyntaxError, 400),
    (QueryRefused, 400),
    (ParseError, 400),
    (UpdateFailed, 400),
    (Unauthorized, 401),
    (Forbidden, 403),
    (GraphNotFound, 404),
    (RowLimitExceeded, 422),
    (Busy, 503),
    (QueryTimeout, 503),
    (StoreUnreachable, 502),
    (StoreError, 500),
    (CwkgError, 500),
)


def status_for(exc: Exception) -> int:
    """The HTTP status of an error."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


async def _error(request: Request, exc: Exception) -> Response:
    """An error as a plain-text response with its status (and Retry-After / WWW-Authenticate)."""
    headers: dict[str, str] = {}
    if isinstance(exc, Busy):
        headers["retry-after"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["www-authenticate"] = 'Bearer realm="cwkg update"'
    return PlainTextResponse(f"{exc}\n", status_code=status_for(exc), headers=headers)


async def _gone(request: Request, exc: Exception) -> Response:
    """The client disconnected while its query ran: nothing to send (logged as 499)."""
    return Response(status_code=499)


def _pool(settings: Settings) -> Pool:
    """The store process's threads: reads, and one for writes when updates are on."""
    store: Path | str = settings.store if settings.remote_store else Path(settings.store)
    config = WorkerConfig(
        store,
        writable=settings.allow_update,
        max_rows=settings.max_rows,
        allowlist=tuple(settings.service_allowlist),
        timeout=settings.query_timeout,
        nice=settings.worker_nice,
        remote=settings.remote(),
        server_pid=os.getpid(),
    )
    return Pool(
        config,
        settings.workers,
        timeout=settings.query_timeout,
        max_pending=settings.max_concurrent_queries,
    )


class App(FastAPI):
    """The FastAPI app, with NoSniff outside Starlette's error middleware, so that a 500 carries it too."""

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack, wrapped."""
        return NoSniff(super().build_middleware_stack())


def _state(settings: Settings, catalogue: Catalogue, reads: Pool, writer: Pool | None) -> ServerState:
    """The one server state, made when the pools are up."""
    # over a remote store the data can change underneath: no result cache, no validators that could go stale
    results = Results(
        max_bytes=0 if settings.remote_store else settings.cache_bytes,
        max_age=settings.http_max_age,
        updates=settings.allow_update or settings.remote_store,
        volatile=settings.remote_store,
    )
    return ServerState(
        settings=settings,
        catalogue=catalogue,
        reads=reads,
        writer=writer,
        results=results,
        pages=PagesState.load(settings),
        identity=StoreIdentity(Path(settings.store)),
    )


def create_app(settings: Settings) -> FastAPI:
    """The HTTP service over the on-disk store named by settings.store."""

    catalogue = Catalogue.load(settings.queries_dir / "canned")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not settings.remote_store and not Path(settings.store).is_dir():
            raise StoreError(f"no store at {settings.store}; run `cwkg build --store {settings.store}` first")
        pool = _pool(settings)
        try:
            await pool.start()
            app.state.cwkg = _state(settings, catalogue, pool, pool if settings.allow_update else None)
            yield
        finally:
            await pool.close()

    app = App(
        title="cwkg: the Children's Workforce Knowledge Graph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.router.routes.append(sparql.route)  # first, so the busiest path is matched at once
    app.include_router(api.create_router(catalogue))
    app.include_router(openapi.router)
    app.add_exception_handler(RequestValidationError, api.invalid_parameters)
    app.include_router(update.router)
    app.include_router(graphstore.router)
    app.include_router(description.router)
    app.include_router(home.router)
    app.include_router(ontology.router)
    app.include_router(browse.router)
    app.include_router(dumps.router)
    app.include_router(routes.router)
    app.mount("/static", routes.static_files(), name="static")

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        """200 once the workers are up, with each worker's pid and whether it is busy."""
        state = get_state(request)
        workers = state.reads.status()
        ok = bool(workers)
        return JSONResponse(
            {
                "status": "ok" if ok else "starting",
                "generation": state.reads.generation,
                "workers": workers,
                "writer": state.writer.status(writes=True) if state.writer else None,
            },
            status_code=200 if ok else 503,
        )

    app.add_exception_handler(CwkgError, _error)
    app.add_exception_handler(ClientGone, _gone)
    methods = ["GET", "POST", "HEAD", "OPTIONS"] + (["PUT", "DELETE"] if settings.allow_update else [])
    app.add_middleware(HeadAsGet)  # innermost: the access log still says HEAD
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=methods,
        allow_headers=["*"],
        expose_headers=["Content-Length", "Retry-After", "X-CWKG-Rows", "ETag", "X-CWKG-Cache"],
        max_age=600,
    )
    app.add_middleware(AccessLog)
    return app
