"""Credentials for a remote store, given in the scheme its challenge asks for."""

from __future__ import annotations

from collections.abc import Generator

import httpx

__all__ = ["ChallengeAuth"]


class ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the store's `WWW-Authenticate` challenge names (Virtuoso's
    /sparql-auth asks for Digest, Fuseki and GraphDB for Basic); once known, the scheme is used up front
    and no more requests are refused first. Nothing is sent before the store has asked, so a password
    never goes out as Basic to a store that wanted Digest."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send with the known scheme, or learn it from the first refusal and send again."""
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        schemes = [h.split(" ", 1)[0].lower() for h in response.headers.get_list("www-authenticate")]
        if "digest" in schemes:
            self.scheme = "digest"
            yield from self._digest.auth_flow(request)
        elif "basic" in schemes:
            self.scheme = "basic"
            yield from self._basic.auth_flow(request)
