"""/dumps/: the deterministic dumps of the build (Turtle, TriG, N-Triples, each also gzipped) and
SHA256SUMS, served from settings.dist_dir with their checksums, a strong ETag (the SHA-256) and Range
requests (starlette's FileResponse).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, JSONResponse, Response

from cwkg.server.conditional import not_modified
from cwkg.server.errors import GraphNotFound
from cwkg.server.negotiation import PAGE_OR_JSON, PLAIN_JSON, choose
from cwkg.server.pages.templating import render
from cwkg.server.state import get_state

__all__ = ["Dump", "list_dumps", "router"]

router = APIRouter(include_in_schema=False)

#: File suffix -> (media type, encoding, description).
KINDS: dict[str, tuple[str, str | None, str]] = {
    ".ttl": ("text/turtle", None, "Turtle: every triple, in the union of the graphs"),
    ".trig": ("application/trig", None, "TriG: every quad, with its named graph"),
    ".nt": ("application/n-triples", None, "N-Triples: one triple a line"),
    ".ttl.gz": ("text/turtle", "gzip", "Turtle, gzipped"),
    ".trig.gz": ("application/trig", "gzip", "TriG, gzipped"),
    ".nt.gz": ("application/n-triples", "gzip", "N-Triples, gzipped"),
}


@dataclass(frozen=True)
class Dump:
    """One file of the build with its checksum."""

    name: str
    path: Path
    media_type: str
    encoding: str | None
    description: str
    size: int
    sha256: str
    modified: float


def _sums(dist: Path) -> dict[str, str]:
    """SHA256SUMS as name -> hex digest."""
    path = dist / "SHA256SUMS"
    if not path.exists():
        return {}
    pairs = (line.split(None, 1) for line in path.read_text().splitlines() if line.strip())
    return {name.strip().lstrip("*"): digest for digest, name in pairs}


def list_dumps(dist: Path) -> list[Dump]:
    """The dumps listed in SHA256SUMS that exist, with size and checksum (the sums are the build's own)."""
    found = []
    for name, digest in sorted(_sums(dist).items()):
        kind = next((KINDS[s] for s in sorted(KINDS, key=len, reverse=True) if name.endswith(s)), None)
        path = dist / name
        if kind is None or not path.is_file():
            continue
        stat = path.stat()
        found.append(Dump(name, path, kind[0], kind[1], kind[2], stat.st_size, digest, stat.st_mtime))
    return found


@router.get("/dumps/")
@router.get("/dumps", include_in_schema=False)
async def index(request: Request) -> Response:
    """The list of dumps: HTML for browsers, JSON for programs."""
    dumps = list_dumps(get_state(request).settings.dist_dir)
    if choose(request, PAGE_OR_JSON, "the list of dumps") == PLAIN_JSON:
        return JSONResponse(
            {
                "dumps": [
                    {
                        "name": d.name,
                        "mediaType": d.media_type,
                        "encoding": d.encoding,
                        "bytes": d.size,
                        "sha256": d.sha256,
                        "url": f"/dumps/{d.name}",
                    }
                    for d in dumps
                ]
            },
            headers={"vary": "Accept"},
        )
    return render(
        request,
        "dumps.html",
        title="Downloads",
        dumps=dumps,
        headers={"vary": "Accept"},
    )


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"])
async def dump(request: Request, name: str) -> Response:
    """One dump or SHA256SUMS, with ETag (its SHA-256), Last-Modified and Range support."""
    dist = get_state(request).settings.dist_dir
    if name == "SHA256SUMS" and (dist / name).is_file():
        return FileResponse(dist / name, media_type="text/plain; charset=utf-8")
    found = next((d for d in list_dumps(dist) if d.name == name), None)
    if found is None:
        raise GraphNotFound(f"no dump named {name!r}; see /dumps/")
    headers = {
        "etag": f'"{found.sha256}"',
        "digest": f"sha-256={found.sha256}",
        "content-disposition": f'attachment; filename="{found.name}"',
    }
    if found.encoding:  # served as the gzip file it is, not as a transfer encoding of the RDF
        media_type = "application/gzip"
        headers["x-content-media-type"] = found.media_type
    else:
        media_type = found.media_type
    if not_modified(request, headers["etag"]):
        return Response(status_code=304, headers={"etag": headers["etag"]})
    return FileResponse(found.path, media_type=media_type, headers=headers, stat_result=os.stat(found.path))
