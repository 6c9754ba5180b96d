"""JSON-LD as this server writes it everywhere (pages, /sparql, descriptions): pyoxigraph's expanded JSON-LD
compacted with the one prefix map of cwkg.namespaces (and `id`/`type` for `@id`/`@type`).

Compaction is written here rather than taken from rdflib or PyLD: with a context of prefixes only, it is
one pass over the expanded document (JSON-LD 1.1 API, IRI compaction, compact IRIs and keyword aliases,
arrays of one value made single), and rdflib's takes some fifty times longer than pyoxigraph's writer
on a large CONSTRUCT result.

>>> doc = compact([{"@id": "https://w3id.org/cwkg/id/role/a",
...     "http://www.w3.org/2004/02/skos/core#prefLabel": [{"@value": "A", "@language": "en"}],
...     "http://www.w3.org/2004/02/skos/core#notation": [{"@value": "a"}]}], "https://example.org/c.jsonld")
>>> doc["@context"], doc["id"], doc["skos:prefLabel"], doc["skos:notation"]
('https://example.org/c.jsonld', 'https://w3id.org/cwkg/id/role/a', {'@value': 'A', '@language': 'en'}, 'a')
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES

__all__ = ["CONTEXT", "compact", "jsonld"]

#: The published JSON-LD @context (served at /context.jsonld).
CONTEXT: Mapping[str, str] = {"id": "@id", "type": "@type", **PREFIXES}
_ALIASES = {"@id": "id", "@type": "type"}


@functools.lru_cache(maxsize=65536)  # a document names the same predicates, classes and nodes again and again
def _iri(iri: str, *, vocab: bool) -> str:
    """An IRI compacted: the shortest compact IRI (then the least), a prefix's own name for its namespace
    in vocabulary position, else the IRI as it is."""
    best: str | None = None
    for prefix, namespace in PREFIXES.items():
        if iri == namespace:
            if vocab:
                return prefix
            continue
        suffix = iri[len(namespace) :]
        if iri.startswith(namespace) and not suffix.startswith("//"):
            candidate = f"{prefix}:{suffix}"
            if best is None or (len(candidate), candidate) < (len(best), best):
                best = candidate
    return best or iri


def _value(value: Any) -> Any:
    """A value object or node reference compacted."""
    if not isinstance(value, dict):
        return value
    if set(value) == {"@id"}:
        return {"id": _iri(value["@id"], vocab=False)}
    if "@value" in value:
        if set(value) == {"@value"} and isinstance(value["@value"], str):
            return value["@value"]
        return {
            _ALIASES.get(key, key): _iri(v, vocab=True) if key == "@type" else v for key, v in value.items()
        }
    return _node(value)


def _one(values: list[Any]) -> Any:
    """A single value unwrapped from its array."""
    return values[0] if len(values) == 1 else values


def _node(node: Mapping[str, Any]) -> dict[str, Any]:
    """A node object compacted."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@id":
            out["id"] = _iri(value, vocab=False)
        elif key == "@type":
            out["type"] = _one([_iri(v, vocab=True) for v in value])
        elif key == "@graph":
            out["@graph"] = [_node(n) for n in value]
        else:
            out[_iri(key, vocab=True)] = _one([_value(v) for v in value])
    return out


def compact(expanded: list[dict[str, Any]], context: str | Mapping[str, str]) -> dict[str, Any]:
    """An expanded JSON-LD document compacted with CONTEXT, which the result names (by URL) or holds."""
    nodes = [_node(n) for n in expanded]
    doc: dict[str, Any] = {"@context": context}
    if len(nodes) == 1:
        doc.update(nodes[0])
    else:
        doc["@graph"] = nodes
    return doc


def jsonld(triples: Iterable[ox.Triple], context: str | Mapping[str, str] = CONTEXT) -> bytes:
    """Triples as compacted JSON-LD on one line, keys sorted; the context by URL, or inline by default."""
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    return json.dumps(compact(expanded, context), ensure_ascii=False, sort_keys=True).encode()
