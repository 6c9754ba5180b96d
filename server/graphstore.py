"""The SPARQL 1.1 Graph Store HTTP Protocol on /store, with indirect graph identification.

https://www.w3.org/TR/sparql11-http-rdf-update/. `?graph=IRI` names a graph, `?default` the store's
own default graph (not the union that queries see). GET and HEAD are open like queries; PUT, POST and
DELETE need update rights and each runs as one transaction in the write worker.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cwkg.server.auth import require_update_rights
from cwkg.server.errors import ProtocolError, UnsupportedMediaType
from cwkg.server.formats import UPLOAD_EXTENSIONS
from cwkg.server.jobs import DropGraphJob, GraphJob, WriteGraphJob
from cwkg.server.negotiation import KINDS, choose
from cwkg.server.protocol import checked_iris, media_type_of, pairs
from cwkg.server.state import get_state, write
from cwkg.server.streaming import ResultResponse, run_watched

__all__ = ["router", "target_graph"]

router = APIRouter()


def target_graph(request: Request) -> str | None:
    """The graph a request names: its `graph` IRI, or None for `default`; exactly one must be given."""
    given = pairs(request.scope.get("query_string", b""), "query string")
    graphs = [value for key, value in given if key == "graph"]
    default = any(key == "default" for key, _ in given)
    if len(graphs) + default != 1:
        raise ProtocolError("name exactly one graph: ?graph=<IRI> or ?default")
    return checked_iris(graphs, "graph")[0] if graphs else None


@router.api_route("/store", methods=["GET", "HEAD"], include_in_schema=False)
async def get_graph(request: Request) -> Response:
    """GET or HEAD one graph, in a negotiated RDF format."""
    state = get_state(request)
    graph = target_graph(request)
    media_type = choose(request, KINDS["graph"], "a graph")
    reply = await run_watched(request, state.reads, GraphJob(graph, media_type))
    return ResultResponse(reply, headers={"vary": "Accept"})


async def _write(request: Request, *, replace: bool) -> Response:
    """PUT (replace) or POST (merge) an RDF document into one graph: 201 if it created the graph, else 204."""
    state = get_state(request)
    require_update_rights(request, state.settings)
    state.require_writer()
    graph = target_graph(request)
    media_type, _ = media_type_of(request)
    if media_type not in UPLOAD_EXTENSIONS:
        raise UnsupportedMediaType(
            f"send the graph as one of {', '.join(sorted(UPLOAD_EXTENSIONS))}, "
            f"not {media_type or 'no Content-Type'}"
        )
    body = await request.body()
    output = await write(request, WriteGraphJob(graph, body, media_type, replace))
    return Response(status_code=201 if output.info.get("created") else 204)


@router.put("/store")
async def put_graph(request: Request) -> Response:
    """Replace a graph's content."""
    return await _write(request, replace=True)


@router.post("/store")
async def post_graph(request: Request) -> Response:
    """Add to a graph's content."""
    return await _write(request, replace=False)


@router.delete("/store")
async def delete_graph(request: Request) -> Response:
    """Delete a graph: 204, or 404 if the store has no such graph."""
    state = get_state(request)
    require_update_rights(request, state.settings)
    state.require_writer()
    graph = target_graph(request)
    await write(request, DropGraphJob(graph))
    return Response(status_code=204)
