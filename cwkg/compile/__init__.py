"""Curated facts + ontology + sources -> RDF quads, one named graph per source.

Each statement becomes a node carrying its values, dates and evidence (as in Wikidata), and
the direct "truthy" triples are derived from the current statements into their own graph.
Each evidence phrase becomes a Web Annotation with text position and text quote selectors.

The package by concept: `references` (ids, references, merged ids), `values` (keys to properties,
values typed by range, with `cwkg.literals`), `periods`, `citations` (evidence and source documents),
`cube` (Data Cube data sets and observations), `derive` (direct triples, narrower roles, periods),
`compiler` (entities and statements, and the passes), `output` (the compiled quads).
"""

from cwkg.compile.citations import source_iri
from cwkg.compile.compiler import compile_facts, content_iri
from cwkg.compile.output import Compiled
from cwkg.compile.periods import Period, period_iri

__all__ = ["Compiled", "Period", "compile_facts", "content_iri", "period_iri", "source_iri"]
