"""The embedded Oxigraph store: one loader for every format, all-or-nothing loads, errors named."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cwkg.errors import ParseError, QuerySyntaxError, StoreError
from cwkg.store import FORMATS, OxigraphStore, Store, parse_file

TRIPLE = ox.Triple(
    ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x")
)
G = "http://example.org/g"


@pytest.mark.parametrize("ext", sorted(set(FORMATS) - {"owl", "xml", "n3"}))
def test_loads_every_format_into_a_graph(tmp_path: Path, ext: str) -> None:
    fmt = FORMATS[ext]
    path = tmp_path / f"data.{ext}"
    if fmt.supports_datasets:
        ox.serialize([ox.Quad(TRIPLE.subject, TRIPLE.predicate, TRIPLE.object, ox.NamedNode(G))], path, fmt)
    else:
        ox.serialize([TRIPLE], path, fmt)
    store = OxigraphStore()
    assert store.load(path, graph=None if fmt.supports_datasets else G) == 1
    assert store.graphs() == [G]
    assert isinstance(store, Store)


def test_parse_error_names_file_line_and_column_and_stores_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<http://e/a> <http://e/p> 1 .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '<http://e/a> <http://e/p> 1 .\n<http://e/b> <http://e/p> 2 .\n<http://e/c> <http://e/p> "x\n'
    )
    store = OxigraphStore()
    store.load(good, graph=G)
    with pytest.raises(ParseError, match=r"bad\.ttl:3:\d+: "):
        store.load(bad, graph=G)
    assert len(store) == 1


def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(ParseError, match="unknown RDF file extension 'csv'"):
        parse_file(path)


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path / "absent.ttl")


def test_query_syntax_error_is_translated() -> None:
    with pytest.raises(QuerySyntaxError, match="syntax error at line 1, column 18"):
        OxigraphStore().query("SELECT * WHERE { ?s ?p }")


def test_failed_update_changes_nothing() -> None:
    store = OxigraphStore()
    store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }")
    with pytest.raises(StoreError):
        store.update(
            "INSERT DATA { GRAPH <http://e/g> { <http://e/b> <http://e/p> 2 } } ; CREATE GRAPH <http://e/g>"
        )
    assert len(store) == 1


def test_on_disk_store_survives_reopening(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }")
    store.flush()
    del store
    again = OxigraphStore(tmp_path / "db", read_only=True)
    assert len(again) == 1


def test_union_default_graph_sees_named_graphs() -> None:
    store = OxigraphStore()
    store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }")
    assert not store.query("ASK { ?s ?p ?o }")
    assert store.query("ASK { ?s ?p ?o }", union_default_graph=True)
