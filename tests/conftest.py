"""Shared fixtures: the project compiled once per session into a real in-memory Oxigraph store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from cwkg.build import compile_project
from cwkg.compile import Compiled
from cwkg.config import Settings
from cwkg.queries import solution_rows
from cwkg.store import OxigraphStore

PREFIXES = """
PREFIX cw: <https://w3id.org/cwkg/ontology#>
PREFIX id: <https://w3id.org/cwkg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's settings, writing into a temporary folder."""
    out = tmp_path_factory.mktemp("cwkg")
    return Settings(dist_dir=out / "dist", store=str(out / "store"))


@pytest.fixture(scope="session")
def project(settings: Settings) -> tuple[Compiled, list[ox.Quad]]:
    """The real project compiled once: ontology, data/ and the sources."""
    return compile_project(settings)


@pytest.fixture(scope="session")
def store(project: tuple[Compiled, list[ox.Quad]]) -> OxigraphStore:
    """A real in-memory Oxigraph store holding the compiled graph."""
    s = OxigraphStore()
    s.extend(project[1])
    return s


def select(store: OxigraphStore, query: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run a SELECT over the union of graphs; rows as {var: python value or IRI string}."""
    subs = {k: v if isinstance(v, ox.NamedNode | ox.Literal) else ox.Literal(v) for k, v in bindings.items()}
    result = store.query(PREFIXES + query, union_default_graph=True, substitutions=subs)
    assert isinstance(result, ox.QuerySolutions)
    names, rows = solution_rows(result)
    return [{name: row[name].value if name in row else None for name in names} for row in rows]


def ask(store: OxigraphStore, query: str) -> bool:
    """Run an ASK over the union of graphs."""
    return bool(store.query(PREFIXES + query, union_default_graph=True))


ROOT = Path(__file__).resolve().parent.parent
