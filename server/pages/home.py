"""The home page: what the graph holds (counts per kind and per named graph) and where to go next;
it links the VoID/DCAT description (also as a Link header, and by a 303 for RDF clients)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from cwkg.server.description import TITLE, VOID_OFFER
from cwkg.server.negotiation import HTML, choose
from cwkg.server.pages.browse import kinds
from cwkg.server.pages.queries import load_index
from cwkg.server.pages.templating import render
from cwkg.server.state import get_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: The kinds people come for, in the order they lead the home page, each with what it answers.
PRIMARY = (
    ("role", "What a job involves, what it requires, who regulates it and how to get in."),
    (
        "qualification",
        "Degrees, diplomas and certificates: their level, duration and the roles that need them.",
    ),
    ("apprenticeship", "Apprenticeship standards and the roles they train for."),
    (
        "programme",
        "Training, recruitment and leadership programmes, bursaries and funds: who funds them, how much.",
    ),
    (
        "org",
        "Regulators, inspectorates, funders, employers and professional bodies: what each does, who leads it.",
    ),
    (
        "statistic",
        "Figures: vacancy and turnover rates, headcounts and spending, with period, area and producer.",
    ),
)
#: Questions people ask, each linked to the page or search that answers it.
QUESTIONS = (
    ("What qualification does a social worker need, and who regulates them?", "/id/role/social-worker"),
    ("What bursaries are there for social work students?", "/search?q=bursary"),
    (
        "How do you become a social worker through Step Up or Frontline?",
        "/id/programme/step-up-to-social-work",
    ),
    ("What does a children's home worker need?", "/search?q=children%27s+home+worker"),
    ("Who inspects children's services?", "/id/org/ofsted"),
    ("What is the vacancy rate of child and family social workers?", "/search?q=vacancy+rate"),
)


@router.get("/")
async def home(request: Request) -> Response:
    """HTML for browsers; RDF clients are sent to the dataset description (303), which offers the same."""
    link = '</.well-known/void>; rel="describedby"; type="text/turtle"'
    if choose(request, VOID_OFFER, "the home page") != HTML:
        return RedirectResponse(
            "/.well-known/void", status_code=303, headers={"link": link, "vary": "Accept"}
        )
    index = await load_index(request)
    counts = await get_state(request).counts()
    return render(
        request,
        "home.html",
        title=TITLE,
        kinds=kinds(request, index),
        primary=PRIMARY,
        primary_names=[name for name, _ in PRIMARY],
        questions=QUESTIONS,
        graphs=counts["graphs"],
        total=counts["total"],
        headers={"link": link, "vary": "Accept"},
    )
