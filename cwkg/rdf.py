"""The RDF terms and query results cwkg passes around (pyoxigraph's types), and the one RDF file loader."""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox

from cwkg.errors import ParseError

__all__ = ["FORMATS", "QueryResult", "Term", "as_ntriples", "format_for_path", "parse_file"]

#: A term a variable is bound to, or a page shows (quoted triples aside).
Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
#: The result of every query form, from every backend: SELECT, ASK, CONSTRUCT/DESCRIBE.
QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: The one table of RDF formats: file extension -> pyoxigraph format.
FORMATS: Mapping[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}


def format_for_path(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its extension (before a trailing .gz)."""
    ext = (path.with_suffix("") if path.suffix.lower() == ".gz" else path).suffix.lstrip(".").lower()
    try:
        return FORMATS[ext]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ParseError(f"{path}: unknown RDF file extension {ext!r}; expected one of {known}") from None


def _parse_error(origin: str, exc: SyntaxError) -> ParseError:
    """Name the file, line and column of a parse error."""
    line = exc.lineno if exc.lineno is not None else "?"
    column = exc.offset if exc.offset is not None else "?"
    return ParseError(f"{origin}:{line}:{column}: {exc.msg}")


def parse_file(path: Path, *, graph: str | None = None) -> list[ox.Quad]:
    """The one RDF loader: parse a whole file into quads, so that a syntax error stores nothing.

    Triples go into `graph` (the default graph when None); quads keep their own graph.
    """
    fmt = format_for_path(path)
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as unzipped:
                items = ox.parse(unzipped.read(), format=fmt)
        else:
            items = ox.parse(path=str(path), format=fmt)
        if fmt.supports_datasets:
            return list(items)
        return [ox.Quad(q.subject, q.predicate, q.object, target) for q in items]
    except SyntaxError as exc:
        raise _parse_error(str(path), exc) from exc
    except (OSError, EOFError) as exc:  # gzip raises BadGzipFile (an OSError) or EOFError
        raise ParseError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc


def as_ntriples(data: bytes, fmt: ox.RdfFormat, origin: str) -> bytes:
    """The triples of an RDF document as N-Triples (a dataset's graph names dropped), or ParseError.

    Streamed from pyoxigraph's parser to its serialiser: building a Python object per triple first
    took four times as long for a 200,000-triple Graph Store upload (bench/README.md, "write").

    >>> as_ntriples(b"@prefix e: <http://e.example/> . e:a e:b 1 .", ox.RdfFormat.TURTLE, "body")
    b'<http://e.example/a> <http://e.example/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n'
    """
    try:
        items = ox.parse(data, format=fmt)
        if fmt.supports_datasets:
            return (
                ox.serialize(
                    (ox.Triple(q.subject, q.predicate, q.object) for q in items),
                    format=ox.RdfFormat.N_TRIPLES,
                )
                or b""
            )
        return ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        raise _parse_error(origin, exc) from exc
