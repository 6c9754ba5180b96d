"""The SPARQL 1.1 Protocol update operation on /update: POST form (`update=`) or POST direct.

https://www.w3.org/TR/sparql11-protocol/#update-operation. Off unless CWKG_ALLOW_UPDATE and a bearer
token equal to CWKG_UPDATE_TOKEN. The update runs in the write worker in one transaction, so a
failing update changes nothing; the read workers then reopen the store to see the change.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cwkg.server.auth import require_update_rights
from cwkg.server.description import base_url
from cwkg.server.errors import ProtocolError, UnsupportedMediaType
from cwkg.server.jobs import UpdateJob
from cwkg.server.sparql import (
    FORM,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    checked_iris,
    decode_body,
    media_type_of,
    pairs,
)
from cwkg.server.state import get_state, write
from cwkg.server.update_dataset import with_using

__all__ = ["read_update_request", "router"]

router = APIRouter()


async def read_update_request(request: Request) -> str:
    """The update text of a POST form or POST direct request, with the Protocol's USING dataset applied."""
    media_type, charset = media_type_of(request)
    given = pairs(request.scope.get("query_string", b""), "query string")
    body = await request.body()
    if media_type == FORM:
        given += pairs(body, "request body")
    elif media_type == SPARQL_UPDATE:
        if any(key == "update" for key, _ in given):
            raise ProtocolError("the update is both in the URL and in the request body; send it once")
        given.append(("update", decode_body(body, charset)))
    elif media_type == SPARQL_QUERY:
        raise ProtocolError("this is a SPARQL query: send it to the query operation (/sparql)")
    elif media_type is None:
        raise ProtocolError(f"an update needs Content-Type {FORM} or {SPARQL_UPDATE}")
    else:
        raise UnsupportedMediaType(f"the update operation takes {FORM} or {SPARQL_UPDATE}, not {media_type}")
    updates = [value for key, value in given if key == "update"]
    if not updates:
        if any(key == "query" for key, _ in given):
            raise ProtocolError("this is a SPARQL query: send it to the query operation (/sparql)")
        raise ProtocolError("the request has no `update` parameter")
    if len(updates) > 1:
        raise ProtocolError(f"the request has {len(updates)} `update` parameters; the Protocol allows one")
    using = checked_iris([v for k, v in given if k == "using-graph-uri"], "using-graph-uri")
    using_named = checked_iris([v for k, v in given if k == "using-named-graph-uri"], "using-named-graph-uri")
    return with_using(updates[0], using, using_named)


@router.post("/update")
async def update(request: Request) -> Response:
    """Apply a SPARQL Update atomically; 204 when done."""
    state = get_state(request)
    require_update_rights(request, state.settings)
    state.require_writer()
    text = await read_update_request(request)
    await write(request, UpdateJob(text, base=base_url(request, state) + "/update"))
    return Response(status_code=204)
