"""cwkg.server.jsonld: compacted JSON-LD reads back as the same graph, for every kind of term."""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from cwkg.namespaces import CW, PREFIXES
from cwkg.server.jsonld import CONTEXT, compact, jsonld

XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
ROLE = ox.NamedNode("https://w3id.org/cwkg/id/role/social-worker")
TRIPLES = [
    ox.Triple(ROLE, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(CW + "Role")),
    ox.Triple(ROLE, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("social worker", language="en")),
    ox.Triple(ROLE, ox.NamedNode(SKOS + "altLabel"), ox.Literal("SW")),
    ox.Triple(ROLE, ox.NamedNode(SKOS + "altLabel"), ox.Literal("social workers")),
    ox.Triple(
        ROLE, ox.NamedNode(CW + "startDate"), ox.Literal("2019-12", datatype=ox.NamedNode(XSD + "gYearMonth"))
    ),
    ox.Triple(ROLE, ox.NamedNode(CW + "count"), ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))),
    ox.Triple(ROLE, ox.NamedNode(CW + "flag"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
    ox.Triple(ROLE, ox.NamedNode("http://example.org/no-prefix"), ox.NamedNode("http://example.org/other")),
    ox.Triple(ROLE, ox.NamedNode(PREFIXES["rdfs"] + "isDefinedBy"), ox.NamedNode(CW)),  # a namespace itself
    ox.Triple(ROLE, ox.NamedNode(CW + "evidence"), ox.BlankNode("e1")),
    ox.Triple(ox.BlankNode("e1"), ox.NamedNode(PREFIXES["oa"] + "exact"), ox.Literal('a "quoted" passage')),
]


def graph_of(triples: list[ox.Triple]) -> rdflib.Graph:
    return rdflib.Graph().parse(
        data=(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode(), format="nt"
    )


def test_compacted_json_ld_reads_back_as_the_same_graph() -> None:
    body = jsonld(TRIPLES)
    back = rdflib.Graph().parse(data=body.decode(), format="json-ld")
    assert len(back) == len(TRIPLES)
    assert isomorphic(back, graph_of(TRIPLES))


def test_terms_are_compacted_with_the_one_prefix_map() -> None:
    doc = json.loads(jsonld(TRIPLES))
    assert doc["@context"] == dict(CONTEXT)
    role = next(n for n in doc["@graph"] if n.get("id") == ROLE.value)
    assert role["rdf:type"] == {"id": "cw:Role"}
    assert role["skos:prefLabel"] == {"@language": "en", "@value": "social worker"}
    assert sorted(role["skos:altLabel"]) == ["SW", "social workers"]  # plain strings, an array of two
    assert role["cw:startDate"] == {"@value": "2019-12", "type": "xsd:gYearMonth"}
    assert role["http://example.org/no-prefix"] == {"id": "http://example.org/other"}  # no prefix: as it is
    assert role["rdfs:isDefinedBy"] == {"id": CW}  # a namespace as a value stays an IRI


def test_one_node_is_the_document_itself_and_a_context_can_be_named_by_url() -> None:
    doc = compact(
        [{"@id": ROLE.value, SKOS + "prefLabel": [{"@value": "x"}]}], "http://127.0.0.1/context.jsonld"
    )
    assert doc == {"@context": "http://127.0.0.1/context.jsonld", "id": ROLE.value, "skos:prefLabel": "x"}
