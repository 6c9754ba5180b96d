"""`cwkg diff`: what changed between two versions of the graph, for a changelog (ROBOT's diff, for our model).

Compared are the facts the documents state (the source graphs; a dump without named graphs is taken
whole): statements and observations by their pinned IRIs (added, removed, or changed in a value, a date
or a source; where a fact is quoted, cw:evidence, is not compared), and entities by IRI and preferred
label (added, removed, relabelled). Each change is reported once, as a table, as Markdown, or as RDF in
the Changeset vocabulary (one cs:ChangeSet per change, its subject the statement's IRI, the old values as
cs:removal and the new ones as cs:addition).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwkg import namespaces
from cwkg.namespaces import BASE, CW, ID, PREFIXES
from cwkg.rdf import Term

__all__ = ["CS", "Change", "GraphDiff", "PropertyChange", "diff_graphs"]

CS = "http://purl.org/vocab/changeset/schema#"
RDF = PREFIXES["rdf"]
TYPE = RDF + "type"
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
PREF_LABEL = PREFIXES["skos"] + "prefLabel"
OBSERVATION = PREFIXES["qb"] + "Observation"
SOURCE_GRAPHS = BASE + "graph/source/"
#: Properties that say where a fact is quoted, not what it says.
NOT_COMPARED = {CW + "evidence"}
#: Properties left out of a statement's one-line summary.
NOT_SUMMARISED = {TYPE, CW + "statedIn", CW + "evidence"}
ORDER = {"added": 0, "removed": 1, "changed": 2, "relabelled": 3}

Facts = dict[str, dict[str, frozenset[Term]]]


@dataclass(frozen=True)
class PropertyChange:
    """One property of a changed statement or entity: its values before and after."""

    property: str
    old: tuple[Term, ...]
    new: tuple[Term, ...]


@dataclass(frozen=True)
class Change:
    """One change: a statement, observation or entity added, removed, changed or relabelled."""

    change: str  # added | removed | changed | relabelled
    kind: str  # statement | observation | entity
    iri: str
    classes: tuple[str, ...]
    about: str  # for people: an entity's label, or what a statement links
    properties: tuple[PropertyChange, ...] = ()


@dataclass
class GraphDiff:
    """The changes between two graphs, with the labels to show them by."""

    old: str
    new: str
    changes: list[Change]
    labels: dict[str, str] = field(default_factory=dict)

    def count(self, change: str, kind: str | None = None) -> int:
        """How many changes of one sort (and kind)."""
        return sum(1 for c in self.changes if c.change == change and kind in (None, c.kind))

    def show(self, term: Term | str) -> str:
        """A term for people: an IRI's label (or its id: form), a literal's value."""
        if isinstance(term, ox.Literal):
            return term.value
        iri = term if isinstance(term, str) else term.value if isinstance(term, ox.NamedNode) else str(term)
        return self.labels.get(iri) or curie(iri)

    def values(self, terms: tuple[Term, ...]) -> str:
        """Several values for people, or a dash for none."""
        return ", ".join(sorted(self.show(t) for t in terms)) or "—"

    def summary(self) -> str:
        """One line: how many of each change."""
        plural = {"statement": "statements", "observation": "observations", "entity": "entities"}
        parts = [
            f"{n} {kind if n == 1 else plural[kind]} {change}"
            for kind in ("statement", "observation", "entity")
            for change in ORDER
            if (n := self.count(change, kind))
        ]
        return "; ".join(parts) or "no changes"

    def to_markdown(self) -> str:
        """A changelog section in Markdown (CHANGES.md)."""
        lines = [f"Changes from {self.old} to {self.new}: {self.summary()}.", ""]
        titles = {
            ("added", False): "Statements and observations added",
            ("removed", False): "Statements and observations removed",
            ("changed", False): "Statements and observations changed",
            ("added", True): "Entities added",
            ("removed", True): "Entities removed",
            ("relabelled", True): "Entities relabelled",
        }
        for (change, entity), title in titles.items():
            chosen = [c for c in self.changes if c.change == change and (c.kind == "entity") == entity]
            if not chosen:
                continue
            lines += [f"### {title}", ""]
            for c in chosen:
                line = f"- `{curie(c.iri)}` {c.about}"
                if c.change in ("changed", "relabelled"):
                    line += ": " + "; ".join(self.describe(p) for p in c.properties)
                lines.append(line)
            lines.append("")
        return "\n".join(lines)

    def describe(self, p: PropertyChange) -> str:
        """One property change in words: `places 1500 → 1600`."""
        return f"{self.show(p.property)} {self.values(p.old)} → {self.values(p.new)}"

    def to_rdf(self) -> list[ox.Triple]:
        """Each change as a cs:ChangeSet: subject of change, reason, and its removed and added triples."""
        triples: list[ox.Triple] = []
        for index, c in enumerate(self.changes):
            node = ox.BlankNode(f"change{index}")
            triples += [
                ox.Triple(node, ox.NamedNode(TYPE), ox.NamedNode(CS + "ChangeSet")),
                ox.Triple(node, ox.NamedNode(CS + "subjectOfChange"), ox.NamedNode(c.iri)),
                ox.Triple(
                    node, ox.NamedNode(CS + "changeReason"), ox.Literal(f"{c.kind} {c.change}", language="en")
                ),
            ]
            for p_index, p in enumerate(c.properties):
                for side, values in (("removal", p.old), ("addition", p.new)):
                    for v_index, value in enumerate(values):
                        st = ox.BlankNode(f"change{index}{side}{p_index}x{v_index}")
                        triples += [
                            ox.Triple(node, ox.NamedNode(CS + side), st),
                            ox.Triple(st, ox.NamedNode(TYPE), ox.NamedNode(RDF + "Statement")),
                            ox.Triple(st, ox.NamedNode(RDF + "subject"), ox.NamedNode(c.iri)),
                            ox.Triple(st, ox.NamedNode(RDF + "predicate"), ox.NamedNode(p.property)),
                            ox.Triple(st, ox.NamedNode(RDF + "object"), value),
                        ]
        return triples

    def to_turtle(self) -> str:
        """The RDF of the changes as Turtle: grouped by node, with only the prefixes it uses."""
        triples = sorted(
            self.to_rdf(),
            key=lambda t: (str(t.subject), t.predicate.value != TYPE, str(t.predicate), str(t.object)),
        )
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        names = {**PREFIXES, "cs": CS}
        used = {k: ns for k, ns in sorted(names.items()) if f"<{ns}".encode() in text}
        return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b"").decode()


def curie(iri: str) -> str:
    """An IRI of ours as id:kind/slug, others with the one prefix map (cwkg.namespaces.curie) or in <>."""
    if iri.startswith(ID) and len(iri) > len(ID):
        return "id:" + iri[len(ID) :]
    short = namespaces.curie(iri)
    return f"<{iri}>" if short == iri else short


def _facts(quads: list[ox.Quad]) -> Facts:
    """Subject -> property -> values over the source graphs (every quad, when there are no source graphs)."""
    stated = [
        q
        for q in quads
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(SOURCE_GRAPHS)
    ]
    chosen = stated or quads
    found: dict[str, dict[str, set[Term]]] = defaultdict(lambda: defaultdict(set))
    for q in chosen:
        if (
            isinstance(q.subject, ox.NamedNode)
            and q.subject.value.startswith(ID)
            and not isinstance(q.object, ox.Triple)
        ):
            found[q.subject.value][q.predicate.value].add(q.object)
    return {s: {p: frozenset(v) for p, v in props.items()} for s, props in found.items()}


def _statement_classes(quads: list[ox.Quad]) -> set[str]:
    """cw:Statement and every class below it, as the graph's ontology says."""
    parents: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if (
            q.predicate.value == SUBCLASS
            and isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.NamedNode)
        ):
            parents[q.subject.value].add(q.object.value)
    found = {CW + "Statement"}
    grew = True
    while grew:
        new = {c for c, ps in parents.items() if ps & found} - found
        found |= new
        grew = bool(new)
    return found


def _labels(quads: list[ox.Quad]) -> dict[str, str]:
    """Preferred labels, English first."""
    labels: dict[str, str] = {}
    for q in quads:
        if (
            q.predicate.value == PREF_LABEL
            and isinstance(q.object, ox.Literal)
            and isinstance(q.subject, ox.NamedNode)
        ):
            if q.object.language in (None, "en") or q.subject.value not in labels:
                labels[q.subject.value] = q.object.value
    return labels


def _kind(props: dict[str, frozenset[Term]], statements: set[str]) -> str | None:
    types = {t.value for t in props.get(TYPE, frozenset())}
    if OBSERVATION in types:
        return "observation"
    if types & statements:
        return "statement"
    if PREF_LABEL in props:
        return "entity"
    return None


def _classes(props: dict[str, frozenset[Term]]) -> tuple[str, ...]:
    return tuple(sorted(t.value.rpartition("#")[2] for t in props.get(TYPE, frozenset())))


def _sorted(terms: frozenset[Term]) -> tuple[Term, ...]:
    return tuple(sorted(terms, key=str))


def _about(kind: str, props: dict[str, frozenset[Term]], labels: dict[str, str]) -> str:
    """An entity's label and classes, or a statement's classes and the labels of what it links."""
    classes = ", ".join(_classes(props))
    if kind == "entity":
        return f"{' / '.join(sorted(t.value for t in props.get(PREF_LABEL, frozenset())))} ({classes})"
    linked = sorted(
        labels.get(o.value) or curie(o.value)
        for p, values in props.items()
        if p not in NOT_SUMMARISED
        for o in values
        if isinstance(o, ox.NamedNode)
    )
    return f"{classes} ({', '.join(linked)})" if linked else classes


def diff_graphs(
    old: list[ox.Quad], new: list[ox.Quad], *, old_name: str = "old", new_name: str = "new"
) -> GraphDiff:
    """Compare two graphs: statements and observations by IRI and content, entities by IRI and label."""
    statements = _statement_classes(old) | _statement_classes(new)
    labels = {**_labels(old), **_labels(new)}
    before, after = _facts(old), _facts(new)
    changes: list[Change] = []
    for iri in sorted(before.keys() | after.keys()):
        a, b = before.get(iri), after.get(iri)
        was = _kind(a, statements) if a else None
        now = _kind(b, statements) if b else None
        if was is None and now is None:
            continue
        if was is None:
            assert b is not None and now is not None
            changes.append(Change("added", now, iri, _classes(b), _about(now, b, labels), _all(b)))
        elif now is None:
            assert a is not None
            changes.append(
                Change("removed", was, iri, _classes(a), _about(was, a, labels), _all(a, removed=True))
            )
        else:
            assert a is not None and b is not None
            compared = {PREF_LABEL} if now == "entity" else (a.keys() | b.keys()) - NOT_COMPARED
            props = tuple(
                PropertyChange(p, _sorted(a.get(p, frozenset())), _sorted(b.get(p, frozenset())))
                for p in sorted(compared)
                if a.get(p) != b.get(p)
            )
            if props:
                change = "relabelled" if now == "entity" else "changed"
                changes.append(Change(change, now, iri, _classes(b), _about(now, b, labels), props))
    changes.sort(key=lambda c: (c.kind == "entity", ORDER[c.change], c.iri))
    return GraphDiff(old_name, new_name, changes, labels)


def _all(props: dict[str, frozenset[Term]], *, removed: bool = False) -> tuple[PropertyChange, ...]:
    """Every compared property of an added (or removed) node, as changes from (or to) nothing."""
    return tuple(
        PropertyChange(p, _sorted(v), ()) if removed else PropertyChange(p, (), _sorted(v))
        for p, v in sorted(props.items())
        if p not in NOT_COMPARED
    )
