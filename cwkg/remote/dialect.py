"""The standard SPARQL 1.1 behaviour of a remote store, which a store's own dialect overrides where it differs."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pyoxigraph as ox

from cwkg.errors import QuerySyntaxError, StoreError
from cwkg.sparql_text import bind_values

__all__ = ["Dialect", "Term", "sibling"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


class Dialect:
    """SPARQL 1.1 Protocol, Update and Graph Store Protocol as the recommendations define them
    (Oxigraph server, Fuseki, GraphDB, QLever)."""

    name = "sparql11"
    #: whether the store's own default graph may stand for the union of cwkg's graphs
    union_default_allowed = True

    def update_url(self, query_url: str, *, authenticated: bool) -> str:
        """Where updates go when CWKG_REMOTE_UPDATE_URL is not set: the query URL's sibling `update`."""
        return sibling(query_url, "update")

    def graph_store_url(self, query_url: str, *, authenticated: bool) -> str:
        """Where Graph Store Protocol requests go when CWKG_REMOTE_GSP_URL is not set: the sibling `store`."""
        return sibling(query_url, "store")

    def bind(self, sparql: str, substitutions: Mapping[str, Term]) -> str:
        """The query with its parameters bound, by a VALUES block as the embedded store binds them."""
        return bind_values(sparql, substitutions)

    def request(self, sparql: str, timeout: float) -> tuple[dict[str, str], str]:
        """Extra form fields and the Accept header of a query request."""
        return {}, ACCEPT

    def check(self, response: httpx.Response) -> None:
        """Raise for an answer that is successful by its status but not a whole answer."""

    def error(self, url: str, response: httpx.Response) -> StoreError:
        """The error for a refused request: 400 is the request's fault, anything else the store's."""
        text = response.text.strip()[:500]
        if response.status_code == 400:
            return QuerySyntaxError(f"the store at {url} refused the request: {text}")
        return StoreError(f"the store at {url} answered {response.status_code}: {text}")

    def transient(self, response: httpx.Response) -> bool:
        """Whether a 5xx answer may go away if asked again (a restart, an overload)."""
        return response.status_code >= 500

    def results(self, sparql: str, body: bytes) -> bytes:
        """A SPARQL JSON results document as the recommendation defines it; the standard needs no repair."""
        return body

    def own_graph(self, graph: str) -> bool:
        """Whether a named graph belongs to the store itself rather than to what was published into it."""
        return False


def sibling(url: str, name: str) -> str:
    """The URL of a sibling service: .../query or .../sparql -> .../update, .../store."""
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{name}" if last in ("query", "sparql") else f"{url.rstrip('/')}/{name}"
