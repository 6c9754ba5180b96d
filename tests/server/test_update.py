"""Updates and the Graph Store Protocol on a real server: refusal, rights, atomicity, persistence."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.server.conftest import G_SOURCE, TIMEOUT, TOKEN, TOTAL, LiveServer, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers

EX = "http://example.org/"
NEW = f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "new" }} }}'
ASK_NEW = f'ASK {{ <{EX}a> <{EX}p> "new" }}'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ask(server: LiveServer, query: str) -> bool:
    """An ASK query's answer from a server."""
    r = httpx.get(server.url + "/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def count(server: LiveServer) -> int:
    """How many triples the union default graph has."""
    r = httpx.get(server.url + "/sparql", params={"query": COUNT})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- refused ---------------------------------------------------------------------------------------


def test_read_only_server_refuses_updates(client: httpx.Client) -> None:
    for r in [
        client.post("/update", data={"update": NEW}, headers={"Authorization": f"Bearer {TOKEN}"}),
        client.post("/update", content=NEW, headers={"Content-Type": "application/sparql-update"}),
        client.put("/store?graph=" + EX + "g", content=b"", headers={"Content-Type": "text/turtle"}),
        client.delete("/store", params={"graph": G_SOURCE}),
    ]:
        assert r.status_code == 403
        assert "read-only" in r.text
    assert client.get("/sparql", params={"query": ASK_NEW}).json()["boolean"] is False


def test_update_needs_the_token(writable: LiveServer) -> None:
    r = httpx.post(writable.url + "/update", data={"update": NEW})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = httpx.post(writable.url + "/update", data={"update": NEW}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = httpx.post(
        writable.url + "/update", data={"update": NEW}, headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert r.status_code == 401
    assert not ask(writable, ASK_NEW)


def test_updates_on_without_a_token_accept_none(own_store: Path) -> None:
    server = LiveServer(make_settings(own_store, allow_update=True, update_token=None)).start()
    try:
        r = httpx.post(server.url + "/update", data={"update": NEW}, headers={"Authorization": "Bearer x"})
        assert r.status_code == 403 and "CWKG_UPDATE_TOKEN" in r.text
    finally:
        server.stop()


# --- the update operation ---------------------------------------------------------------------------


def test_update_form_and_direct(writable: LiveServer, auth: dict[str, str]) -> None:
    r = httpx.post(writable.url + "/update", data={"update": NEW}, headers=auth)
    assert r.status_code == 204, r.text
    assert ask(writable, ASK_NEW)
    delete = f'DELETE DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "new" }} }}'
    r = httpx.post(
        writable.url + "/update",
        content=delete,
        headers={**auth, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 204
    assert not ask(writable, ASK_NEW)


def test_failing_update_changes_nothing(writable: LiveServer, auth: dict[str, str]) -> None:
    update = (
        f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "new" }} }} ;\n'
        f"DELETE WHERE {{ GRAPH <{G_SOURCE}> {{ ?s ?p ?o }} }} ;\n"
        f"CREATE GRAPH <{G_SOURCE}>"
    )  # fails: the graph exists (its triples are gone by then)
    r = httpx.post(writable.url + "/update", data={"update": update}, headers=auth)
    assert r.status_code == 400
    assert "already exists" in r.text and "nothing was changed" in r.text
    assert not ask(writable, ASK_NEW)
    assert count(writable) == TOTAL


@pytest.mark.parametrize(
    ("update", "status", "text"),
    [
        (f"LOAD <{EX}data.ttl>", 400, "not allowed"),
        ("LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>", 400, "not allowed"),
        (f"PREFIX ex: <{EX}> INSERT DATA {{ <{EX}a> <{EX}p> 1 }} ; LOAD ex:data", 400, "not allowed"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE ?x { ?s ?p ?o } }", 400, "variable"),
        ("INSERT DATA { <http://example.org/a> ", 400, "syntax error"),
        ("SELECT * { ?s ?p ?o }", 400, "query operation"),
    ],
)
def test_bad_updates(writable: LiveServer, auth: dict[str, str], update: str, status: int, text: str) -> None:
    r = httpx.post(writable.url + "/update", data={"update": update}, headers=auth)
    assert r.status_code == status
    assert text in r.text
    assert count(writable) == TOTAL


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content": NEW, "headers": {"Content-Type": "text/plain"}}, 415),
        ({"content": NEW}, 400),
        ({"data": {"update": [NEW, NEW]}}, 400),
        (
            {
                "data": {
                    "update": f"WITH <{G_SOURCE}> INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}",
                    "using-graph-uri": G_SOURCE,
                }
            },
            400,
        ),
        ({"data": {"query": COUNT}}, 400),
    ],
)
def test_update_protocol_errors(
    writable: LiveServer, auth: dict[str, str], kwargs: dict, status: int
) -> None:  # type: ignore[type-arg]
    headers = {**auth, **kwargs.pop("headers", {})}
    r = httpx.post(writable.url + "/update", headers=headers, **kwargs)
    assert r.status_code == status, r.text
    assert not ask(writable, ASK_NEW)


def test_update_runs_past_the_timeout_and_changes_nothing(writable: LiveServer, auth: dict[str, str]) -> None:
    product = " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(6))  # updates see no union
    update = f"INSERT {{ <{EX}a> <{EX}p> ?n }} WHERE {{ {{ SELECT (COUNT(*) AS ?n) {{ {product} }} }} }}"
    r = httpx.post(writable.url + "/update", data={"update": update}, headers=auth, timeout=30)
    assert r.status_code == 503 and f"after {TIMEOUT:g} s" in r.text
    assert count(writable) == TOTAL
    assert httpx.post(writable.url + "/update", data={"update": NEW}, headers=auth).status_code == 204
    assert ask(writable, ASK_NEW)


def test_update_survives_a_restart(own_store: Path, auth: dict[str, str]) -> None:
    settings = make_settings(own_store, allow_update=True, update_token=TOKEN)
    first = LiveServer(settings).start()
    try:
        assert httpx.post(first.url + "/update", data={"update": NEW}, headers=auth).status_code == 204
    finally:
        first.stop()
    second = LiveServer(make_settings(own_store)).start()
    try:
        assert ask(second, ASK_NEW)
        assert count(second) == TOTAL + 1
    finally:
        second.stop()


# --- the Graph Store HTTP Protocol ------------------------------------------------------------------

TURTLE = f"""@prefix ex: <{EX}> .
ex:a ex:p "one" ; ex:q [ ex:r 1 ] .
"""
MORE = f'<{EX}b> <{EX}p> "two" .\n'


def test_graph_store_round_trip(writable: LiveServer, auth: dict[str, str]) -> None:
    url = writable.url + "/store"
    graph = {"graph": EX + "g"}
    assert httpx.get(url, params=graph).status_code == 404
    r = httpx.put(url, params=graph, content=TURTLE, headers={**auth, "Content-Type": "text/turtle"})
    assert r.status_code == 201, r.text
    r = httpx.get(url, params=graph, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert isomorphic(
        rdflib.Graph().parse(data=r.text, format="turtle"), rdflib.Graph().parse(data=TURTLE, format="turtle")
    )
    head = httpx.head(url, params=graph, headers={"Accept": "application/n-triples"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(
        httpx.get(url, params=graph, headers={"Accept": "application/n-triples"}).content
    )
    r = httpx.post(url, params=graph, content=MORE, headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 204
    got = rdflib.Graph().parse(
        data=httpx.get(url, params=graph, headers={"Accept": "application/ld+json"}).content, format="json-ld"
    )
    assert len(got) == 4
    r = httpx.put(url, params=graph, content=MORE, headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 204
    got = rdflib.Graph().parse(
        data=httpx.get(url, params=graph, headers={"Accept": "application/rdf+xml"}).content, format="xml"
    )
    assert len(got) == 1
    assert ask(writable, f'ASK {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> "two" }} }}')
    assert httpx.delete(url, params=graph, headers=auth).status_code == 204
    assert httpx.get(url, params=graph).status_code == 404
    assert httpx.delete(url, params=graph, headers=auth).status_code == 404
    assert count(writable) == TOTAL


def test_graph_store_default_graph(writable: LiveServer, auth: dict[str, str]) -> None:
    url = writable.url + "/store?default"
    assert httpx.get(url).text.strip() == ""
    r = httpx.put(url, content=MORE, headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 204
    assert rdflib.Graph().parse(data=httpx.get(url).text, format="turtle").value(
        rdflib.URIRef(EX + "b"), rdflib.URIRef(EX + "p")
    ) == rdflib.Literal("two")
    assert httpx.delete(url, headers=auth).status_code == 204
    assert count(writable) == TOTAL


def test_graph_store_get_existing_graph(client: httpx.Client) -> None:
    r = client.get("/store", params={"graph": G_SOURCE}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len(rdflib.Graph().parse(data=r.text, format="nt")) == 38


@pytest.mark.parametrize(
    ("params", "headers", "body", "status"),
    [
        ({}, {"Content-Type": "text/turtle"}, TURTLE, 400),
        ({"graph": EX + "g", "default": ""}, {"Content-Type": "text/turtle"}, TURTLE, 400),
        ({"graph": "not an iri"}, {"Content-Type": "text/turtle"}, TURTLE, 400),
        ({"graph": EX + "g"}, {"Content-Type": "image/png"}, TURTLE, 415),
        ({"graph": EX + "g"}, {}, TURTLE, 415),
        ({"graph": EX + "g"}, {"Content-Type": "text/turtle"}, TURTLE + "ex:broken", 400),
    ],
)
def test_graph_store_errors(
    writable: LiveServer,
    auth: dict[str, str],
    params: dict[str, str],
    headers: dict[str, str],
    body: str,
    status: int,
) -> None:
    r = httpx.put(writable.url + "/store", params=params, content=body, headers={**auth, **headers})
    assert r.status_code == status, r.text
    assert count(writable) == TOTAL


def test_graph_store_write_needs_the_token(writable: LiveServer) -> None:
    r = httpx.put(
        writable.url + "/store",
        params={"graph": EX + "g"},
        content=TURTLE,
        headers={"Content-Type": "text/turtle"},
    )
    assert r.status_code == 401
    assert httpx.delete(writable.url + "/store", params={"graph": G_SOURCE}).status_code == 401
    assert count(writable) == TOTAL


def test_service_description_names_update_when_on(writable: LiveServer) -> None:
    g = rdflib.Graph().parse(data=httpx.get(writable.url + "/sparql").text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) in g


def test_description_counts_follow_updates(writable: LiveServer, auth: dict[str, str]) -> None:
    before = httpx.get(writable.url + "/.well-known/void", headers={"Accept": "application/n-triples"}).text
    assert f"<{EX}g>" not in before
    assert httpx.post(writable.url + "/update", data={"update": NEW}, headers=auth).status_code == 204
    after = httpx.get(writable.url + "/.well-known/void", headers={"Accept": "application/n-triples"}).text
    assert f'<{EX}g> <http://rdfs.org/ns/void#triples> "1"' in after


def test_an_update_does_not_wait_for_running_queries(writable: LiveServer, auth: dict[str, str]) -> None:
    """Each query reads its own snapshot, so a write goes ahead at once; stopping the query keeps the write."""
    from tests.server.conftest import RUNAWAY
    from tests.server.test_limits import busy_pids, in_background, wait_for

    start = time.monotonic()
    thread, out = in_background(writable, RUNAWAY)
    wait_for(lambda: busy_pids(writable))
    r = httpx.post(writable.url + "/update", data={"update": NEW}, headers=auth, timeout=30)
    assert r.status_code == 204
    assert time.monotonic() - start < TIMEOUT  # applied while the query still ran
    assert ask(writable, ASK_NEW)
    thread.join(10)
    assert out["r"].status_code == 503
    writable.wait_idle()
    assert ask(writable, ASK_NEW)  # the store process stopped for the query still has the write


def test_the_writer_is_not_nicer_than_the_server(writable: LiveServer) -> None:
    """The writing thread keeps the server's priority (writes at store speed); the reading threads are nicer."""
    own = os.getpriority(os.PRIO_PROCESS, 0)  # the test server runs in this process
    writer = httpx.get(writable.url + "/healthz").json()["writer"]
    assert [os.getpriority(os.PRIO_PROCESS, w["thread"]) for w in writer] == [own]
    readers = httpx.get(writable.url + "/healthz").json()["workers"]
    assert {os.getpriority(os.PRIO_PROCESS, w["thread"]) for w in readers} == {min(own + 5, 19)}
