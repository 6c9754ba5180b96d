"""The home page: what the graph holds (counts per kind and per named graph) and where to go next;
it links the VoID/DCAT description (also as a Link header, and by a 303 for RDF clients)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from cwkg.server.description import TITLE
from cwkg.server.negotiation import HTML, negotiate
from cwkg.server.pages.browse import kinds
from cwkg.server.pages.queries import load_index
from cwkg.server.pages.templating import render
from cwkg.server.state import get_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request) -> Response:
    """HTML for browsers; RDF clients are sent to the dataset description (303)."""
    link = '</.well-known/void>; rel="describedby"; type="text/turtle"'
    wanted = negotiate("description", request.headers.get("accept"), request.query_params.get("format"))
    accept = request.headers.get("accept") or ""
    if wanted not in (HTML, None) and "html" not in accept:
        return RedirectResponse(
            "/.well-known/void", status_code=303, headers={"link": link, "vary": "Accept"}
        )
    index = await load_index(request)
    counts = await get_state(request).counts()
    return render(
        "home.html",
        links=get_state(request).pages.links,
        title=TITLE,
        kinds=kinds(request, index),
        graphs=counts["graphs"],
        total=counts["total"],
        headers={"link": link, "vary": "Accept"},
    )
