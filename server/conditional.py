"""Conditional GET (RFC 9110 13): whether the client's copy is current, and responses that say so with 304."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from cwkg.server.negotiation import with_charset

__all__ = ["conditional", "etag_matches", "not_modified"]


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this tag (weak comparison, RFC 9110 13.1.2).

    >>> etag_matches('"x", W/"abc"', 'W/"abc"'), etag_matches('*', 'W/"abc"'), etag_matches(None, 'W/"a"')
    (True, True, False)
    >>> etag_matches('W/"abc"', '"abc"')
    True
    """
    if header is None:
        return False
    opaque = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == opaque for tag in header.split(","))


def not_modified(request: Request, etag: str, modified: datetime | None = None) -> bool:
    """Whether the client's copy is current: If-None-Match when sent, else If-Modified-Since (RFC 9110 13.2.2)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def conditional(
    request: Request,
    body: bytes,
    media_type: str,
    modified: datetime,
    headers: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """A response with a strong ETag of its bytes, Last-Modified and Vary: Accept; 304 if the client has it."""
    etag = '"' + hashlib.sha256(body + media_type.encode()).hexdigest()[:32] + '"'
    extra = {
        "etag": etag,
        "last-modified": format_datetime(modified.astimezone(UTC), usegmt=True),
        "vary": "Accept",
        "cache-control": "public, max-age=300",
        **(headers or {}),
    }
    if status_code == 200 and not_modified(request, etag, modified):
        return Response(status_code=304, headers=extra)
    return Response(body, status_code=status_code, media_type=with_charset(media_type), headers=extra)
