"""SHACL validation of the graph (pySHACL) -> one Report (`cwkg.validation_report`), rendered many ways.

The shapes are `shapes/*.ttl`; the data graph is every named graph merged into one, with the
ontology (`ontology/*.ttl`) merged in for the class hierarchy, because SHACL's targets and
sh:class follow rdfs:subClassOf in the data graph. No RDFS inference is run: inferring types
from rdfs:domain and rdfs:range would make a missing rdf:type pass every sh:class check.

>>> from cwkg.config import Settings
>>> report = validate_quads(Settings(), [])
>>> report.conforms, report.violations
(True, 0)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from cwkg.config import Settings
from cwkg.errors import ConfigError
from cwkg.namespaces import PREFIXES
from cwkg.rdf import parse_file
from cwkg.validation_report import FORMATS, Format, Report
from cwkg.validation_results import SEVERITIES, SHAPES, Result, Severity, read_results, shape_names

__all__ = [
    "FORMATS",
    "SEVERITIES",
    "DataGraph",
    "SHAPES",
    "Format",
    "Report",
    "Result",
    "Severity",
    "load_shapes",
    "quads_to_graph",
    "validate_files",
    "validate_graph",
    "validate_quads",
]

#: The namespace of the shapes (`cwsh:`); candidate for cwkg.namespaces.PREFIXES.
# -- loading --------------------------------------------------------------------------------


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's log lines for ill-typed literals: the shapes report them properly."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    """A SPARQL query parsed and translated once: pySHACL sends the same text per focus node."""
    return prepareQuery(text)


class DataGraph(Graph):
    """An rdflib graph that parses each SPARQL text once.

    pySHACL evaluates a SPARQL constraint once per focus node and hands rdflib the query text
    each time; rdflib's pyparsing-based parser then dominates the run (about 0.1 s a parse),
    so cached parsing makes SHACL-SPARQL cost what the evaluation costs.
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Node] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Evaluate a query, reusing the parse of a text seen before."""
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,  # type: ignore[arg-type]
            use_store_provided,
            **kwargs,
        )


class _Terms:
    """Converts pyoxigraph terms to rdflib terms, sharing IRIs."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.types: dict[str, URIRef | None] = {PREFIXES["xsd"] + "string": None}

    def iri(self, value: str) -> URIRef:
        """One URIRef per IRI."""
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = URIRef(value)
        return node

    def term(self, t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
        """An rdflib term for a pyoxigraph term."""
        if isinstance(t, ox.NamedNode):
            return self.iri(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            dt = t.datatype.value
            if dt not in self.types:
                self.types[dt] = URIRef(dt)
            return Literal(t.value, datatype=self.types[dt])
        raise ConfigError(f"cannot validate the term {t}: RDF-star triples are not supported")


def quads_to_graph(quads: Iterable[ox.Quad], graph: Graph | None = None) -> Graph:
    """Merge quads of every named graph into one rdflib graph (the data graph)."""
    g = graph if graph is not None else DataGraph()
    conv = _Terms()
    term = conv.term
    with _quiet_rdflib():
        for q in quads:
            g.add((term(q.subject), term(q.predicate), term(q.object)))
    return g


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """The Turtle files of a folder with their sizes and times, to know when to reload."""
    return tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(Path(directory).glob("*.ttl"))
    )


@lru_cache(maxsize=4)
def _parse_shapes(files: tuple[tuple[str, int, int], ...]) -> Graph:
    """Parse the shapes files once per version of them."""
    g = Graph()
    for name, _, _ in files:
        try:
            g.parse(name, format="turtle")
        except Exception as exc:  # rdflib raises many unrelated types for bad Turtle
            raise ConfigError(f"{name}: the shapes do not parse: {exc}") from exc
    return g


def load_shapes(settings: Settings) -> Graph:
    """The shapes graph: every Turtle file of the shapes folder."""
    files = _fingerprint(settings.shapes_dir)
    if not files:
        raise ConfigError(f"{settings.shapes_dir}: no shapes (*.ttl) found; set --shapes or CWKG_SHAPES_DIR")
    shapes = Graph()
    shapes += _parse_shapes(files)  # a copy: pySHACL adds a few triples to the graph it is given
    return shapes


@lru_cache(maxsize=4)
def _parse_ontology(files: tuple[tuple[str, int, int], ...]) -> tuple[ox.Quad, ...]:
    """Parse the ontology files (cached by name, size and time)."""
    return tuple(q for name, _, _ in files for q in parse_file(Path(name)))


def _ontology_quads(settings: Settings) -> tuple[ox.Quad, ...]:
    """The ontology and reference schemes, for the class hierarchy."""
    return _parse_ontology(_fingerprint(settings.ontology_dir))


# -- entry points -----------------------------------------------------------------------------


def validate_graph(settings: Settings, data: Graph, *, shapes: Graph | None = None) -> Report:
    """Validate an rdflib graph in place (the ontology must already be in it)."""
    shapes_graph = shapes if shapes is not None else load_shapes(settings)
    try:
        with _quiet_rdflib():
            _, results_graph, _ = shacl_validate(
                data,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=True,  # SHACL-AF: the SPARQL target of DuplicateLabelShape
                inplace=True,
                allow_warnings=True,
                allow_infos=True,
            )
    except ReportableRuntimeError as exc:
        raise ConfigError(f"the shapes cannot be used: {exc.message}") from exc
    assert isinstance(results_graph, Graph)
    support = results_graph + shapes_graph
    return Report(
        read_results(results_graph, shapes_graph),
        shapes=shape_names(shapes_graph),
        triples=len(data),
        support=support,
    )


def validate_quads(settings: Settings, quads: Iterable[ox.Quad]) -> Report:
    """Validate quads (all named graphs merged into one data graph, with the ontology)."""
    data = quads_to_graph(quads)
    quads_to_graph(_ontology_quads(settings), data)
    return validate_graph(settings, data)


def validate_files(settings: Settings, paths: Sequence[Path]) -> Report:
    """Validate RDF files of any format cwkg reads (Turtle, TriG, N-Quads, ...) as one graph."""
    quads: list[ox.Quad] = []
    for path in paths:
        quads.extend(parse_file(Path(path)))
    return validate_quads(settings, quads)
