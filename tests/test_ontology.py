"""The ontology: OWL 2 DL consistent under HermiT, OWL 2 RL closure clean, every term documented,
and every term used in data/, shapes/ and queries/ declared."""

from __future__ import annotations

import re
from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from cwkg.config import Settings
from cwkg.namespaces import CW, PREFIXES
from cwkg.ontology import Ontology
from tests.conftest import ROOT

ONTOLOGY_FILES = sorted((ROOT / "ontology").glob("*.ttl"))


def ontology_graph(extra: str = "") -> rdflib.Graph:
    g = rdflib.Graph()
    for path in ONTOLOGY_FILES:
        g.parse(path, format="turtle")
    if extra:
        g.parse(data=extra, format="turtle")
    return g


def hermit(graph: rdflib.Graph, tmp_path: Path) -> list[str]:
    """Classify with HermiT (owlready2, on the machine's Java); the unsatisfiable classes."""
    path = tmp_path / "ontology.nt"
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)


def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    assert hermit(ontology_graph(), tmp_path) == []


def test_hermit_reports_an_unsatisfiable_class(tmp_path: Path) -> None:
    bad = f"""
    <{CW}Role> <{OWL.disjointWith}> <{CW}Qualification> .
    <{CW}RoleQualification> a <{OWL.Class}> ; <{RDFS.subClassOf}> <{CW}Role>, <{CW}Qualification> .
    """
    assert hermit(ontology_graph(bad), tmp_path) == [CW + "RoleQualification"]


def test_hermit_rejects_an_inconsistent_ontology(tmp_path: Path) -> None:
    bad = f"""
    <{CW}Role> <{OWL.disjointWith}> <{CW}Qualification> .
    <https://w3id.org/cwkg/id/role/x> a <{CW}Role>, <{CW}Qualification> .
    """
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(ontology_graph(bad), tmp_path)


def test_owl_rl_closure_has_no_inconsistency() -> None:
    import owlrl

    g = ontology_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    # OWL 2 RL signals an inconsistency by typing something owl:Nothing
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []


def test_ontology_metadata() -> None:
    g = ontology_graph()
    onto = URIRef("https://w3id.org/cwkg/ontology")
    for p in (
        OWL.versionIRI,
        OWL.versionInfo,
        URIRef(PREFIXES["dcterms"] + "license"),
        URIRef(PREFIXES["dcterms"] + "title"),
        URIRef(PREFIXES["dcterms"] + "description"),
        URIRef(PREFIXES["vann"] + "preferredNamespacePrefix"),
    ):
        assert g.value(onto, p) is not None, p


def test_every_own_term_has_one_label_a_definition_and_is_defined_by() -> None:
    g = ontology_graph()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(CW)}
    assert len(terms) > 80
    problems = []
    for t in sorted(terms):
        labels = list(g.objects(t, RDFS.label))
        if len(labels) != 1:
            problems.append(f"{t}: {len(labels)} labels")
        if g.value(t, SKOS.definition) is None:
            problems.append(f"{t}: no definition")
        if g.value(t, RDFS.isDefinedBy) is None:
            problems.append(f"{t}: no rdfs:isDefinedBy")
    assert problems == []


def test_schema_org_alignment_lets_consumers_query_without_cw() -> None:
    g = ontology_graph()
    expected = {
        "Role": "https://schema.org/Occupation",
        "Qualification": "https://schema.org/EducationalOccupationalCredential",
        "Organisation": "https://schema.org/Organization",
        "GovernmentDepartment": "https://schema.org/GovernmentOrganization",
        "Funding": "https://schema.org/MonetaryGrant",
        "Membership": "http://www.w3.org/ns/org#Membership",
    }
    for local, parent in expected.items():
        assert (URIRef(CW + local), RDFS.subClassOf, URIRef(parent)) in g, local


_IRI = re.compile(r"<(https?://[^>\s]+)>")
_CURIE = re.compile(r"(?<![\w/#<])(cw|schema|org|prov|oa|qb|skos|dcterms|dcat|void|sd):([A-Za-z][\w-]*)")


def _used_terms(text: str) -> set[str]:
    terms = {PREFIXES[p] + local for p, local in _CURIE.findall(text)}
    terms |= {iri for iri in _IRI.findall(text) if iri.startswith(CW)}
    return terms


def test_every_term_used_in_shapes_and_queries_is_declared() -> None:
    ontology = Ontology.from_dir(ROOT / "ontology")
    declared = ontology.classes | set(ontology.properties) | {str(s) for s in ontology.graph.subjects()}
    known_vocabularies = tuple(
        PREFIXES[p]
        for p in (
            "sh",
            "dcat",
            "void",
            "sd",
            "rdf",
            "rdfs",
            "owl",
            "xsd",
            "dcterms",
            "prov",
            "oa",
            "qb",
            "schema",
            "skos",
            "org",
        )
    )
    undeclared: set[str] = set()
    files = [*sorted((ROOT / "shapes").glob("**/*.ttl")), *sorted((ROOT / "queries").glob("**/*.rq"))]
    for path in files:
        for term in _used_terms(path.read_text(encoding="utf-8")) - {CW}:
            if term.startswith(CW) and term not in declared:
                undeclared.add(f"{path.relative_to(ROOT)}: {term}")
            elif not term.startswith(CW) and not term.startswith(known_vocabularies):
                undeclared.add(f"{path.relative_to(ROOT)}: {term}")
    assert sorted(undeclared) == []


def test_every_term_used_in_the_built_graph_is_declared(project: tuple) -> None:
    """The compiler already refuses undeclared keys; this checks what it writes, too."""
    ontology = Ontology.from_dir(Settings().ontology_dir)
    declared = ontology.classes | set(ontology.properties) | {str(s) for s in ontology.graph.subjects()}
    _, quads = project
    used = {q.predicate.value for q in quads} | {
        q.object.value for q in quads if q.predicate.value == str(RDF.type)
    }
    own = {t for t in used if t.startswith(CW)}
    assert sorted(own - declared) == []
