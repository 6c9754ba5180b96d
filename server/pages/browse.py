"""Browsing and search: the index of each kind of resource with counts, sorting, paging and a filter by
class; and a search over labels and acronyms (skos:altLabel). Kinds are data: the {kind} segment of
the IRIs, named by the class whose cw:slugKind it is.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from cwkg.server.errors import GraphNotFound
from cwkg.server.negotiation import PAGE_OR_JSON, PLAIN_JSON, choose
from cwkg.server.pages.index import HIDDEN, Entry, Index
from cwkg.server.pages.queries import load_index
from cwkg.server.pages.templating import render
from cwkg.server.state import get_state

__all__ = ["PAGE_SIZE", "kinds", "router"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
SORTS = {"label": "A to Z", "-label": "Z to A", "type": "by class"}
#: The kinds a person usually comes for, offered when a search is empty.
ENTRY_KINDS = ("role", "qualification", "programme", "org", "apprenticeship", "statistic")


def kinds(request: Request, index: Index) -> list[dict[str, object]]:
    """Each kind of resource with its class, definition and count, largest first."""
    profile = get_state(request).pages.profile
    classes = profile.kinds()
    result = []
    for kind, entries in index.by_kind.items():
        if kind in HIDDEN:
            continue
        cls = classes.get(kind)
        term = profile.terms.get(cls) if cls else None
        label = term.label if term else kind.replace("-", " ").capitalize()
        result.append(
            {
                "kind": kind,
                "label": label,
                "count": len(entries),
                "class": cls,
                "definition": term.definition if term else None,
            }
        )
    return sorted(result, key=lambda k: (-int(k["count"]), str(k["label"])))  # type: ignore[call-overload]


def _wants_json(request: Request, what: str) -> bool:
    """Whether the request is answered with JSON rather than a page."""
    return choose(request, PAGE_OR_JSON, what) == PLAIN_JSON


def _entry(request: Request, e: Entry) -> dict[str, object]:
    links = get_state(request).pages.links
    return {
        "iri": e.iri,
        "href": links.href(e.iri),
        "label": e.label,
        "altLabels": sorted(e.alt),
        "kind": e.kind,
    }


@router.get("/browse")
async def browse(request: Request) -> Response:
    """Every kind of resource with its count."""
    json_wanted = _wants_json(request, "the list of kinds")
    index = await load_index(request)
    if json_wanted:
        return JSONResponse({"kinds": kinds(request, index)}, headers={"vary": "Accept"})
    return render(request, "browse.html", title="Browse", kinds=kinds(request, index))


@router.get("/id/{kind}/")
async def container(kind: str) -> Response:
    """/id/{kind}/ lists the kind."""
    return RedirectResponse(f"/browse/{kind}", status_code=303)


@router.get("/browse/{kind}")
async def listing(
    request: Request,
    kind: str,
    sort: str = "label",
    page: int = Query(1, ge=1),
    cls: str | None = Query(None, alias="class"),
) -> Response:
    """The resources of one kind: sorted, paged, optionally only those of one class."""
    json_wanted = _wants_json(request, "a list of resources")
    index = await load_index(request)
    entries = index.by_kind.get(kind)
    if entries is None or kind in HIDDEN:
        raise GraphNotFound(f"the graph has no resources of kind {kind!r}; see /browse")
    profile = get_state(request).pages.profile
    classes = Counter(t for e in entries for t in profile.specific_types(e.types))
    chosen = [e for e in entries if cls is None or cls in e.types]
    if sort == "-label":
        chosen = list(reversed(chosen))
    elif sort == "type":
        chosen = sorted(
            chosen, key=lambda e: (profile.label(profile.specific_types(e.types)[0]), e.label.lower())
        )
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(page, pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if json_wanted:
        return JSONResponse(
            {
                "kind": kind,
                "total": len(chosen),
                "page": page,
                "pages": pages,
                "items": [_entry(request, e) for e in shown],
            },
            headers={"vary": "Accept"},
        )
    info = next((k for k in kinds(request, index) if k["kind"] == kind), {"label": kind})
    rows = [(e, [profile.label(t) for t in profile.specific_types(e.types)]) for e in shown]
    facets = sorted(((profile.label(t), t, n) for t, n in classes.items()), key=lambda f: -f[2])
    return render(
        request,
        "listing.html",
        title=str(info["label"]),
        info=info,
        kind=kind,
        rows=rows,
        total=len(chosen),
        page=page,
        pages=pages,
        sort=sort,
        sorts=SORTS,
        facets=facets,
        cls=cls,
        page_size=PAGE_SIZE,
    )


@router.get("/search")
async def search(request: Request, q: str = "", kind: str | None = None) -> Response:
    """Resources whose name, acronym, kind or definition matches, forgiving plurals and misspellings."""
    json_wanted = _wants_json(request, "a search")
    index = await load_index(request)
    found, result = index.search(q, kind=kind) if q.strip() else ([], None)
    if json_wanted:
        return JSONResponse(
            {
                "query": q,
                "corrected": result.corrected if result else None,
                "suggestions": result.suggestions if result else [],
                "items": [_entry(request, e) for e in found],
            },
            headers={"vary": "Accept"},
        )
    profile = get_state(request).pages.profile
    rows = [(e, [profile.label(t) for t in profile.specific_types(e.types)]) for e in found]
    return render(
        request,
        "search.html",
        title=f"Search: {q}" if q else "Search",
        query=q,
        rows=rows,
        result=result,
        kinds=[k for k in kinds(request, index) if k["kind"] in ENTRY_KINDS],
    )
