"""The union default graph as an RDF merge: each triple once, however many graphs hold it.

Oxigraph 0.5.13 evaluates a union default graph as a bag: a triple stored in two named graphs
matches twice, so solutions repeat and COUNT and SUM grow (oxigraph issue #1919, fixed after the
0.5 releases). The embedded store therefore keeps the merge of its graphs in one hidden named graph,
MERGED, written by `cwkg build` and kept current on every write; a query over the union evaluates
over that one graph (Oxigraph's single-graph path) with the other graphs as its named graphs.

Keeping it current: the server's writes (INSERT DATA, DELETE DATA, DROP/CLEAR GRAPH, the Graph Store's
PUT, POST and DELETE) change MERGED in their own transaction, the update text extended by
cwkg.union_update, at a cost in proportion to the write. Any other update is compared here: before
it, the N-Triples lines of the graphs it changes are read (in Rust, by `Store.dump`); after it, the
lines that appeared are added to MERGED and those that went are taken out unless another graph still
holds them, in transactions of their own (see OxigraphStore._update_then_compare). An update whose
graphs cannot be told from its text (GRAPH ?g in a template, CLEAR ALL, ...) is followed by a full
comparison instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

__all__ = ["MERGED", "Snapshot", "graphs_written", "materialise", "node", "refresh", "snapshot"]

MERGED = ox.NamedNode("urn:x-cwkg:merged-default-graph")

Graph = ox.NamedNode | ox.DefaultGraph
#: The N-Triples lines of some graphs before a write.
Snapshot = dict[Graph, set[bytes]]

_ALL = f"""{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {MERGED}) }}"""


def node(graph: str | None) -> Graph:
    """A graph IRI as a graph name; None is the default graph."""
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def materialise(store: ox.Store) -> None:
    """Write MERGED afresh from every other graph."""
    store.update(
        f"DROP SILENT GRAPH {MERGED} ; INSERT {{ GRAPH {MERGED} {{ ?s ?p ?o }} }} WHERE {{ {_ALL} }}"
    )


def graphs_written(update: str) -> set[str | None] | None:
    """The graphs (None: the default graph) an update may change, or None when that cannot be told."""
    try:
        operations = translateUpdate(parseUpdate(update)).algebra
    except Exception:  # the store reports the syntax error; the full comparison is always right
        return None
    written: set[str | None] = set()
    for op in operations:
        if op.name in ("InsertData", "DeleteData", "DeleteWhere"):
            targets: list[object] = [None] if _field(op, "triples") else []
            targets += list(_field(op, "quads") or {})
        elif op.name == "Modify":
            targets = []
            for clause in (_field(op, "delete"), _field(op, "insert")):
                if clause is not None:
                    targets += [_field(op, "withClause")] if _field(clause, "triples") else []
                    targets += list(_field(clause, "quads") or {})
        elif op.name in ("Clear", "Drop", "Load"):
            targets = [_field(op, "graphiri") or ("DEFAULT" if op.name == "Load" else None)]
        elif op.name in ("Add", "Move", "Copy"):
            targets = list(_field(op, "graph") or [])
        elif op.name == "Create":
            continue
        else:
            return None
        for target in targets:
            if target is None or target == "DEFAULT":
                written.add(None)
            elif isinstance(target, URIRef):
                written.add(str(target))
            else:  # a variable, NAMED or ALL
                return None
    return written


def _field(value: CompValue, key: str) -> Any:
    """A field of rdflib's algebra, or None (CompValue.get answers the key itself when it is missing)."""
    return value[key] if key in value else None


def snapshot(store: ox.Store, graphs: Iterable[str | None]) -> Snapshot:
    """The lines of each graph, to compare with after a write."""
    return {node(g): _lines(store, node(g)) for g in graphs}


def refresh(store: ox.Store, before: Snapshot | None) -> None:
    """Bring MERGED up to date after a write to the graphs of `before` (to any graph when None)."""
    if before is None:
        _compare_all(store)
        return
    added: set[bytes] = set()
    removed: set[bytes] = set()
    for graph, lines in before.items():
        now = _lines(store, graph)
        added |= now - lines
        removed |= lines - now
    store.extend(ox.Quad(t.subject, t.predicate, t.object, MERGED) for t in _triples(added))
    for t in _triples(removed - added):
        held = store.quads_for_pattern(t.subject, t.predicate, t.object, None)
        if not any(q.graph_name != MERGED for q in held):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, MERGED))


def _lines(store: ox.Store, graph: Graph) -> set[bytes]:
    """A graph's N-Triples lines, one a triple, written by Oxigraph."""
    return set((store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"").splitlines())


def _triples(lines: Collection[bytes]) -> list[ox.Quad]:
    """N-Triples lines parsed back (blank nodes keep the store's labels)."""
    return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)) if lines else []


def _compare_all(store: ox.Store) -> None:
    """Add what any graph holds and MERGED lacks; take out what MERGED holds and no other graph does."""
    store.update(
        f"INSERT {{ GRAPH {MERGED} {{ ?s ?p ?o }} }} WHERE {{ {_ALL} FILTER NOT EXISTS {{ GRAPH {MERGED} {{ ?s ?p ?o }} }} }} ;"
        f"DELETE {{ GRAPH {MERGED} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {MERGED} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ {_ALL} }} }}"
    )
