"""The result cache and HTTP validators (server.cache): same bytes, invalidation, 304, off by setting."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cwkg.server.cache import Entry, ResultCache
from cwkg.store import OxigraphStore
from tests.server.conftest import DATA, G_SOURCE, LiveServer, make_settings

ORDERED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 40"
MARKER = "SELECT ?o WHERE { <http://example.org/marker> <http://example.org/p> ?o }"
JSON = {"Accept": "application/sparql-results+json"}


def get(client: httpx.Client, query: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """GET a query."""
    return client.get("/sparql", params={"query": query}, headers=headers or JSON)


@pytest.fixture(scope="module")
def uncached(store_path: Path) -> Iterator[httpx.Client]:
    """A client of a server over the fixture store with the result cache off."""
    server = LiveServer(make_settings(store_path, cache_bytes=0)).start()
    with httpx.Client(base_url=server.url, timeout=15) as c:
        yield c
    server.stop()


def test_cache_returns_the_bytes_of_a_fresh_evaluation(client: httpx.Client, uncached: httpx.Client) -> None:
    query = ORDERED + " # test_cache_returns_the_bytes"
    first, second, fresh = get(client, query), get(client, query), get(uncached, query)
    assert [r.status_code for r in (first, second, fresh)] == [200, 200, 200]
    assert (first.headers["x-cwkg-cache"], second.headers["x-cwkg-cache"]) == ("miss", "hit")
    assert first.content == second.content == fresh.content
    assert second.headers["content-type"] == fresh.headers["content-type"]
    assert second.headers["x-cwkg-rows"] == fresh.headers["x-cwkg-rows"] == "40"


def test_canned_rows_are_cached_as_served(client: httpx.Client, uncached: httpx.Client) -> None:
    params = {"text": "social"}
    first, second = (client.get("/api/queries/search", params=params) for _ in range(2))
    fresh = uncached.get("/api/queries/search", params=params)
    assert second.headers["x-cwkg-cache"] == "hit"
    assert first.content == second.content == fresh.content
    assert second.json()["query"] == "search"


def test_other_format_is_another_entry(client: httpx.Client) -> None:
    query = ORDERED + " # test_other_format"
    as_json = get(client, query)
    as_csv = get(client, query, {"Accept": "text/csv"})
    assert as_csv.headers["x-cwkg-cache"] == "miss"
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_json.headers["etag"] != as_csv.headers["etag"]


def test_matching_etag_is_answered_304(client: httpx.Client) -> None:
    first = get(client, ORDERED)
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "public, max-age=60"
    again = get(client, ORDERED, {**JSON, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "Accept" in again.headers["vary"]
    other = get(client, ORDERED, {**JSON, "If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_canned_query_has_an_etag(client: httpx.Client) -> None:
    first = client.get("/api/queries/search", params={"text": "social"})
    again = client.get(
        "/api/queries/search", params={"text": "social"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    other = client.get("/api/queries/search", params={"text": "work"})
    assert other.headers["etag"] != first.headers["etag"]


def test_post_is_cached_but_not_conditional(client: httpx.Client) -> None:
    query = ORDERED + " # test_post"
    posts = [client.post("/sparql", data={"query": query}, headers=JSON) for _ in range(2)]
    assert [r.headers["x-cwkg-cache"] for r in posts] == ["miss", "hit"]
    assert "etag" not in posts[0].headers


def test_cache_off_by_setting(uncached: httpx.Client) -> None:
    first, second = get(uncached, ORDERED), get(uncached, ORDERED)
    assert (first.headers["x-cwkg-cache"], second.headers["x-cwkg-cache"]) == ("miss", "miss")
    assert get(uncached, ORDERED, {**JSON, "If-None-Match": first.headers["etag"]}).status_code == 304


def test_update_invalidates(writable: LiveServer, auth: dict[str, str]) -> None:
    with httpx.Client(base_url=writable.url, timeout=15) as client:
        before = get(client, MARKER)
        assert get(client, MARKER).headers["x-cwkg-cache"] == "hit"
        assert before.headers["cache-control"] == "public, no-cache"  # data may change at any time
        r = client.post(
            "/update",
            data={"update": "INSERT DATA { <http://example.org/marker> <http://example.org/p> 'after' }"},
            headers=auth,
        )
        assert r.status_code == 204
        after = get(client, MARKER, {**JSON, "If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert after.headers["x-cwkg-cache"] == "miss"
        assert after.headers["etag"] != before.headers["etag"]
        assert [b["o"]["value"] for b in after.json()["results"]["bindings"]] == ["after"]


def rebuild(store: Path, extra: str) -> None:
    """Rebuild the store as `cwkg build` does: load a fresh one beside it and rename it into place."""
    fresh, old = store.with_name("store.new"), store.with_name("store.old")
    built = OxigraphStore(fresh)
    built.load(DATA)
    built.update(f"INSERT DATA {{ GRAPH <{G_SOURCE}> {{ {extra} }} }}")
    built.flush()
    del built
    store.replace(old)
    fresh.replace(store)
    shutil.rmtree(old)


def test_rebuild_invalidates(own_store: Path) -> None:
    server = LiveServer(make_settings(own_store)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=15) as client:
            before = get(client, MARKER)
            assert before.json()["results"]["bindings"] == []
            assert get(client, MARKER).headers["x-cwkg-cache"] == "hit"
            rebuild(own_store, "<http://example.org/marker> <http://example.org/p> 'rebuilt'")
            after = get(client, MARKER, {**JSON, "If-None-Match": before.headers["etag"]})
            assert after.status_code == 200
            assert after.headers["x-cwkg-cache"] == "miss"
            assert [b["o"]["value"] for b in after.json()["results"]["bindings"]] == ["rebuilt"]
    finally:
        server.stop()


def test_pages_follow_a_rebuild_too(own_store: Path) -> None:
    # no query goes through /sparql here: the pages' own reads notice the new store
    role = "https://w3id.org/cwkg/id/role/rebuilt-marker"
    server = LiveServer(make_settings(own_store)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=15) as client:
            assert client.get("/id/role/rebuilt-marker.ttl").status_code == 404
            rebuild(own_store, f"<{role}> <http://www.w3.org/2004/02/skos/core#prefLabel> 'rebuilt marker'")
            after = client.get("/id/role/rebuilt-marker.ttl")
            assert after.status_code == 200 and "rebuilt marker" in after.text
    finally:
        server.stop()


def test_cache_is_bounded_in_bytes() -> None:
    cache = ResultCache(800)  # entries of at most 100 bytes
    for i in range(10):
        cache.put(str(i), "v", Entry(b"x" * 100, "text/csv"))
    assert cache.size == 800
    assert cache.get("0", "v") is None and cache.get("1", "v") is None and cache.get("9", "v") is not None
    cache.put("big", "v", Entry(b"x" * 101, "text/csv"))
    assert cache.get("big", "v") is None
