"""Who may change the data: a bearer token equal to CWKG_UPDATE_TOKEN, and only when updates are on."""

from __future__ import annotations

import hmac

from fastapi import Request

from cwkg.config import Settings
from cwkg.server.errors import Forbidden, Unauthorized

__all__ = ["require_update_rights"]


def require_update_rights(request: Request, settings: Settings) -> None:
    """Raise Forbidden or Unauthorized unless this request may update the store."""
    if not settings.allow_update:
        raise Forbidden("this server is read-only: updates are off (CWKG_ALLOW_UPDATE)")
    if not settings.update_token:
        raise Forbidden("updates are on but no CWKG_UPDATE_TOKEN is set, so no update is accepted")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("an update needs the header 'Authorization: Bearer <CWKG_UPDATE_TOKEN>'")
    if not hmac.compare_digest(token.strip().encode(), settings.update_token.encode()):
        raise Forbidden("the bearer token is not this server's update token")
