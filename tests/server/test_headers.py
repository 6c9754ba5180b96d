"""Every response carries `X-Content-Type-Options: nosniff`; a 404 never shows the client's path as markup."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from starlette.types import Message

from cwkg.server.app import App

SCRIPT = "<svg onload=alert(1)>"  # no slash: the name reaches the route that would show it


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/sparql?query=ASK%20%7B%7D", {}, 200),
        ("GET", "/sparql?query=SELEC", {}, 400),
        ("GET", "/healthz", {}, 200),
        ("GET", "/static/missing.css", {}, 404),
        ("GET", "/no/such/route", {}, 404),
        ("GET", "/api/queries", {"Accept": "application/json"}, 200),
        ("POST", "/update", {}, 403),
        ("OPTIONS", "/sparql", {"Origin": "http://x.example", "Access-Control-Request-Method": "POST"}, 200),
        ("GET", "/", {"Accept": "text/html"}, 200),
    ],
)
def test_nosniff_on_every_response(
    client: httpx.Client, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    r = client.request(method, path, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("accept", ["text/plain", "text/turtle", "application/ld+json", "text/html", "*/*"])
@pytest.mark.parametrize(
    "path",
    [f"/id/role/{SCRIPT}", f"/id/x'\"{SCRIPT}", f"/api/queries/{SCRIPT}", f"/dumps/{SCRIPT}"],
)
def test_404_never_shows_the_path_as_markup(client: httpx.Client, path: str, accept: str) -> None:
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 404
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<svg" not in r.text
    if r.headers["content-type"].startswith("text/html"):
        assert "&lt;svg onload=alert(1)&gt;" in r.text  # escaped by the template
    else:
        assert "alert(1)" not in r.text and "%3Csvg%20onload=alert%281%29%3E" in r.text  # percent-encoded


def test_nosniff_on_an_internal_error() -> None:
    """A 500 from Starlette's own error middleware, outside every other middleware, carries it too."""
    app = App()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/boom", "headers": [], "query_string": b""}
    raised: list[BaseException] = []

    def run() -> None:  # a thread of its own: the session may already run an event loop here (Playwright)
        try:
            asyncio.run(app({**scope, "app": app}, receive, send))
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert [str(e) for e in raised] == ["boom"]  # Starlette answers 500, then re-raises for the server to log
    start = sent[0]
    assert start["status"] == 500
    assert (b"x-content-type-options", b"nosniff") in start["headers"]
