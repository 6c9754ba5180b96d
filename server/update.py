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
from cwkg.server.jobs import UpdateJob
from cwkg.server.protocol import UPDATE, read_operation, require_text
from cwkg.server.state import get_state, write
from cwkg.server.update_dataset import with_using

__all__ = ["read_update_request", "router"]

router = APIRouter()


async def read_update_request(request: Request) -> str:
    """The update text of a POST form or POST direct request, with the Protocol's USING dataset applied."""
    operation = await read_operation(request, UPDATE)
    return with_using(require_text(UPDATE, operation), operation.default_graphs, operation.named_graphs)


@router.post("/update")
async def update(request: Request) -> Response:
    """Apply a SPARQL Update atomically; 204 when done."""
    state = get_state(request)
    require_update_rights(request, state.settings)
    state.require_writer()
    text = await read_update_request(request)
    await write(request, UpdateJob(text, base=base_url(request, state) + "/update"))
    return Response(status_code=204)
