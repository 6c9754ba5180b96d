"""Provenance: each evidence phrase as a Web Annotation locating its passage, and the source documents."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from cwkg.compile.output import RDF, RDFS, XSD, Context, node
from cwkg.compile.references import References
from cwkg.errors import EvidenceError
from cwkg.evidence import Evidence, resolve
from cwkg.facts import Quote, Record
from cwkg.literals import temporal
from cwkg.namespaces import CW, GRAPH_DERIVED, GRAPH_PROVENANCE, ID, PREFIXES, graph_for_source
from cwkg.sources import Source

__all__ = ["Citations", "source_iri"]

OA = PREFIXES["oa"]
DCTERMS = PREFIXES["dcterms"]


def source_iri(source_id: str) -> str:
    """The IRI of a source document."""
    return f"{ID}source/{source_id}"


class Citations:
    """Resolves evidence phrases in their sources and writes where each fact is stated."""

    def __init__(self, ctx: Context, sources: dict[str, Source]) -> None:
        self.ctx = ctx
        self.sources = sources

    def evidence(self, record: Record) -> list[Evidence]:
        """The passages a record cites, each found exactly once in its source."""
        found: list[Evidence] = []
        for item in record.model.evidence:
            source_id: str | None
            if isinstance(item, Quote):
                source_id, phrase = item.source, item.quote
            else:
                source_id, phrase = record.default_source, item
            if source_id is None:
                self.ctx.fail(record, f"evidence {phrase!r} names no source and the file has no `source:`")
                continue
            if source_id not in self.sources:
                self.ctx.fail(
                    record, f"evidence names source {source_id!r}, which is not in data/sources.yaml"
                )
                continue
            try:
                found.append(resolve(self.sources[source_id], str(phrase)))
            except EvidenceError as exc:
                self.ctx.fail(record, str(exc))
        return found

    def cite(self, record: Record, iri: str, evidences: list[Evidence]) -> list[str]:
        """Write the annotations of a record; return the graph its own triples belong in.

        Each source that states the record gets its cw:statedIn and cw:evidence triples in
        that source's graph; the record's own triples go only into the graph of the first
        source, so that the union of the graphs holds each triple once.
        """
        graphs: list[str] = []
        add = self.ctx.out.add
        self.ctx.out.origins.setdefault(iri, record)
        for ev in evidences:
            graph = graph_for_source(ev.source_id)
            if graph not in graphs:
                graphs.append(graph)
                if record.section in ("statements", "observations"):
                    counts = self.ctx.out.facts_by_source
                    counts[ev.source_id] = counts.get(ev.source_id, 0) + 1
            digest = hashlib.sha256(f"{iri} {ev.source_id} {ev.start} {ev.end}".encode()).hexdigest()[:16]
            ann = f"{ID}annotation/{digest}"
            target, pos, quote = ann + "/target", ann + "/position", ann + "/quote"
            for named in (ann, target, pos, quote):
                self.ctx.out.origins.setdefault(named, record)
            p = GRAPH_PROVENANCE
            add(p, ann, RDF + "type", node(OA + "Annotation"))
            add(p, ann, OA + "motivatedBy", node(OA + "describing"))
            add(p, ann, OA + "hasBody", node(iri))
            add(p, ann, OA + "hasTarget", node(target))
            add(p, target, RDF + "type", node(OA + "SpecificResource"))
            add(p, target, OA + "hasSource", node(source_iri(ev.source_id)))
            add(p, target, OA + "hasSelector", node(pos))
            add(p, target, OA + "hasSelector", node(quote))
            add(p, pos, RDF + "type", node(OA + "TextPositionSelector"))
            add(p, pos, OA + "start", ox.Literal(str(ev.start), datatype=node(XSD + "nonNegativeInteger")))
            add(p, pos, OA + "end", ox.Literal(str(ev.end), datatype=node(XSD + "nonNegativeInteger")))
            add(p, quote, RDF + "type", node(OA + "TextQuoteSelector"))
            add(p, quote, OA + "exact", ox.Literal(ev.exact))
            add(graph, iri, CW + "statedIn", node(source_iri(ev.source_id)))
            add(graph, iri, CW + "evidence", node(ann))
        return graphs[:1]

    def describe_sources(self, refs: References) -> None:
        """The source documents: title, date, checksum, file, publisher and authors."""
        p = GRAPH_PROVENANCE
        add = self.ctx.out.add
        for source in self.sources.values():
            iri = source_iri(source.id)
            add(p, iri, RDF + "type", node(CW + "SourceDocument"))
            add(p, iri, DCTERMS + "title", ox.Literal(source.title, language="en"))
            add(GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(source.title, language="en"))
            add(p, iri, DCTERMS + "identifier", ox.Literal(source.id))
            add(p, iri, DCTERMS + "issued", temporal(source.date))
            add(p, iri, CW + "sha256", ox.Literal(source.sha256))
            add(p, iri, CW + "fileName", ox.Literal(source.path.name))
            for creator in source.creator:
                if ID + creator not in refs.defined:
                    self.ctx.errors.append(
                        f"data/sources.yaml: source {source.id} names creator {creator}, "
                        "which is not defined in data/facts"
                    )
                add(p, iri, DCTERMS + "creator", node(ID + creator))
            if source.author and not source.creator:
                add(p, iri, DCTERMS + "creator", ox.Literal(source.author))
            publisher = ID + source.publisher
            if publisher not in refs.defined:
                self.ctx.errors.append(
                    f"data/sources.yaml: source {source.id} names publisher {source.publisher}, "
                    "which is not defined in data/facts"
                )
            add(p, iri, DCTERMS + "publisher", node(publisher))
