"""How one RDF term reads on a page: labels, links into this server, dates, amounts and durations.

>>> Links("").href("https://w3id.org/cwkg/id/role/social-worker")
'/id/role/social-worker'
>>> Links("").href("https://w3id.org/cwkg/ontology#Role")
'/ontology#Role'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cwkg.namespaces import BASE, CW
from cwkg.rdf import Term

__all__ = ["Links", "Value", "sort_key"]


@dataclass(frozen=True)
class Value:
    """A term as shown: its text, a link if it has one, and the IRI or datatype as a tooltip."""

    text: str
    href: str | None = None
    title: str | None = None
    sort: str = ""


class Links:
    """Maps the graph's https://w3id.org/cwkg/ IRIs to this server (or to the configured base URL)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")

    def href(self, iri: str) -> str:
        """Where an IRI is served: ours under the prefix (ontology terms on /ontology), others as they are."""
        if iri.startswith(CW):
            return f"{self.prefix}/ontology#{iri[len(CW) :]}"
        if iri.startswith(BASE):
            return f"{self.prefix}/{iri[len(BASE) :]}"
        return iri


def sort_key(term: Term) -> str:
    """A key that orders dates and numbers sensibly."""
    if isinstance(term, ox.Literal):
        try:
            return f"{float(term.value):020.4f}"
        except ValueError:
            return term.value
    return str(term)
