"""The one prefix map and the base IRIs of the graph, its named graphs and its ontology."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "BASE",
    "CW",
    "DCAT",
    "DCTERMS",
    "GRAPH_DERIVED",
    "GRAPH_ONTOLOGY",
    "GRAPH_PROVENANCE",
    "ID",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "QB",
    "RDF",
    "RDFS",
    "RDF_TYPE",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "VOID",
    "XSD",
    "curie",
    "expand",
    "expand_reference",
    "graph_for_source",
]

BASE: Final = "https://w3id.org/cwkg/"
CW: Final = BASE + "ontology#"
ID: Final = BASE + "id/"
ONTOLOGY_IRI: Final = BASE + "ontology"

GRAPH_ONTOLOGY: Final = BASE + "graph/ontology"
GRAPH_PROVENANCE: Final = BASE + "graph/provenance"
GRAPH_DERIVED: Final = BASE + "graph/derived"


def graph_for_source(source_id: str) -> str:
    """The named graph that holds the facts stated in one source document."""
    return f"{BASE}graph/source/{source_id}"


PREFIXES: Final[dict[str, str]] = {
    "cw": CW,
    "cwsh": BASE + "shapes#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: The namespaces code names most, each the IRI of its prefix in PREFIXES.
DCAT: Final = PREFIXES["dcat"]
DCTERMS: Final = PREFIXES["dcterms"]
OA: Final = PREFIXES["oa"]
ORG: Final = PREFIXES["org"]
OWL: Final = PREFIXES["owl"]
QB: Final = PREFIXES["qb"]
RDF: Final = PREFIXES["rdf"]
RDFS: Final = PREFIXES["rdfs"]
SCHEMA: Final = PREFIXES["schema"]
SD: Final = PREFIXES["sd"]
SH: Final = PREFIXES["sh"]
SKOS: Final = PREFIXES["skos"]
VOID: Final = PREFIXES["void"]
XSD: Final = PREFIXES["xsd"]
RDF_TYPE: Final = RDF + "type"


def expand(curie: str) -> str:
    """Expand a CURIE with the prefix map; raise KeyError for an unknown prefix.

    >>> expand("cw:Role")
    'https://w3id.org/cwkg/ontology#Role'
    """
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def curie(iri: str) -> str:
    """An IRI as prefix:local with the one prefix map (the longest namespace that fits), or the IRI itself.

    >>> curie("https://w3id.org/cwkg/ontology#Role")
    'cw:Role'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if not best:
        return iri
    return f"{best}:{iri[len(PREFIXES[best]) :]}"


_SLUG_PATH = re.compile(r"^[a-z]+(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+$")


def expand_reference(value: str) -> str:
    """The one expansion of references: `kind/slug` to our IRI, a CURIE with the prefix map, an
    absolute IRI as it is; raise ValueError saying which form was expected.

    >>> expand_reference("role/social-worker"), expand_reference("cw:Mandatory")
    ('https://w3id.org/cwkg/id/role/social-worker', 'https://w3id.org/cwkg/ontology#Mandatory')
    """
    if "://" in value:
        return value
    prefix, sep, local = value.partition(":")
    if sep:
        if prefix not in PREFIXES:
            raise ValueError(f"unknown prefix {prefix!r} in {value!r}")
        return PREFIXES[prefix] + local
    if _SLUG_PATH.match(value):
        return ID + value
    raise ValueError(
        f"{value!r} is not a reference: write an absolute IRI, a CURIE such as cw:Role, "
        "or kind/slug such as role/social-worker"
    )
