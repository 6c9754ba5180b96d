"""Figures as RDF Data Cube: data sets with their structure, and observations that each fill one cell."""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox

from cwkg.compile.citations import Citations, source_iri
from cwkg.compile.output import RDF, RDFS, SKOS, XSD, Context, node
from cwkg.compile.references import OWL, References
from cwkg.compile.values import Values
from cwkg.facts import Record
from cwkg.namespaces import CW, GRAPH_DERIVED, ID, PREFIXES, graph_for_source
from cwkg.ontology import Ontology

__all__ = ["Cube"]

QB = PREFIXES["qb"]
DEFAULT_DIMENSIONS = ("statistic", "refPeriod", "refArea")
ATTRIBUTES = (("unit", True), ("qualifier", False), ("obsNote", False))


def cell_id(dataset: str, dims: tuple[str, ...], record: Record) -> str:
    """An observation's IRI from its data set and dimension values, the cell it fills (Data Cube IC-12:
    one observation per cell), so that correcting its figure, unit or evidence keeps the IRI."""
    cell = [dataset, *(str(record.fields.get(d)) for d in dims)]
    digest = hashlib.sha256(json.dumps(cell).encode()).hexdigest()[:12]
    return f"{ID}observation/{digest}"


class Cube:
    """The data sets (one per table, and one per source for the figures of its prose) and their cells."""

    def __init__(
        self, ctx: Context, ontology: Ontology, refs: References, values: Values, citations: Citations
    ) -> None:
        self.ctx = ctx
        self.ontology = ontology
        self.refs = refs
        self.values = values
        self.citations = citations
        self.dimensions: dict[str, tuple[str, ...]] = {}
        self.default_datasets: dict[str, str] = {}
        self.cells: dict[str, Record] = {}  # observation IRI -> the record that filled that cell

    def dataset(self, record: Record) -> None:
        """A table of a document: its data set and the structure from its `dimensions`."""
        rid = record.fields.get("id")
        if not isinstance(rid, str):
            return
        iri = ID + rid
        extra = record.fields.get("dimensions") or []
        dims = list(DEFAULT_DIMENSIONS)
        for d in extra if isinstance(extra, list) else [extra]:
            try:
                prop = self.ontology.resolve_term(str(d), what="property")
            except KeyError as exc:
                self.ctx.fail(record, str(exc.args[0]))
                continue
            if str(d) not in dims and prop:
                dims.append(str(d))
        self.dimensions[iri] = tuple(dims)
        graphs = self.citations.cite(record, iri, self.citations.evidence(record))
        for g in graphs:
            self.ctx.out.add(g, iri, RDF + "type", node(QB + "DataSet"))
            self.ctx.out.add(g, iri, QB + "structure", node(self.structure(rid.partition("/")[2], dims, g)))
        self.values.write(record, iri, graphs, skip={"dimensions"})
        if isinstance(record.fields.get("label"), str):
            self.ctx.out.add(
                GRAPH_DERIVED, iri, RDFS + "label", ox.Literal(record.fields["label"], language="en")
            )

    def structure(self, slug: str, dims: list[str], graph: str) -> str:
        """Write a data structure definition; components get IRIs, never blank nodes."""
        dsd = f"{ID}dsd/{slug}"
        add = self.ctx.out.add
        add(graph, dsd, RDF + "type", node(QB + "DataStructureDefinition"))
        components: list[tuple[str, str, bool]] = [(d, "dimension", True) for d in dims]
        components.append(("obsValue", "measure", True))
        components.extend((a, "attribute", req) for a, req in ATTRIBUTES)
        for order, (name, role, required) in enumerate(components, start=1):
            comp = f"{dsd}/component/{name}"
            add(graph, dsd, QB + "component", node(comp))
            add(graph, comp, RDF + "type", node(QB + "ComponentSpecification"))
            add(graph, comp, QB + role, node(CW + name))
            add(graph, comp, QB + "order", ox.Literal(str(order), datatype=node(XSD + "integer")))
            if role == "attribute":
                required_literal = ox.Literal("true" if required else "false", datatype=node(XSD + "boolean"))
                add(graph, comp, QB + "componentRequired", required_literal)
                add(graph, comp, QB + "componentAttachment", node(QB + "Observation"))
        return dsd

    def default_dataset(self, source_id: str) -> str:
        """The data set of the figures stated in a source's prose, written the first time it is needed."""
        iri = f"{ID}dataset/{source_id}-figures"
        if iri not in self.default_datasets:
            graph = graph_for_source(source_id)
            self.default_datasets[iri] = graph
            self.dimensions[iri] = DEFAULT_DIMENSIONS
            add = self.ctx.out.add
            label = ox.Literal(f"Figures stated in {self.citations.sources[source_id].title}", language="en")
            add(graph, iri, RDF + "type", node(QB + "DataSet"))
            add(graph, iri, SKOS + "prefLabel", label)
            add(GRAPH_DERIVED, iri, RDFS + "label", label)
            add(graph, iri, CW + "statedIn", node(source_iri(source_id)))
            add(
                graph, iri, QB + "structure", node(self.structure("figures", list(DEFAULT_DIMENSIONS), graph))
            )
        return iri

    def observation(self, record: Record) -> None:
        """One figure: the cell of its data set it fills, with a value for every dimension."""
        evidences = self.citations.evidence(record)
        if not evidences:
            return
        ds = record.fields.get("dataset")
        if ds is None:
            dataset = self.default_dataset(evidences[0].source_id)
        else:
            ref = self.refs.ref(ds, record, "dataset")
            if ref is None:
                return
            dataset = ref.value
        dims = self.dimensions.get(dataset, DEFAULT_DIMENSIONS)
        iri = cell_id(dataset, dims, record)
        first = self.cells.setdefault(iri, record)
        name = dataset.rpartition("/")[2]
        if first is not record:
            self.ctx.fail(
                record,
                f"the same cell of {name} as the observation at "
                f"{first.file}:{first.line}: one figure per data set and dimension values",
            )
            return
        graphs = self.citations.cite(record, iri, evidences)
        for g in graphs:
            self.ctx.out.add(g, iri, RDF + "type", node(QB + "Observation"))
            self.ctx.out.add(g, iri, QB + "dataSet", node(dataset))
            for old in getattr(record.model, "mergedFrom", []):  # a corrected cell's old IRI keeps answering
                self.ctx.out.add(g, ID + old, OWL + "sameAs", node(iri))
        written = self.values.write(record, iri, graphs, skip=set())
        missing = [d for d in dims if CW + d not in written] + [
            a for a in ("obsValue", "unit") if CW + a not in written
        ]
        if missing:
            self.ctx.fail(record, f"an observation of {name} needs `{'`, `'.join(missing)}`")
        for key in record.fields:
            if key.startswith("ref") and key not in dims:
                self.ctx.fail(record, f"`{key}` is not a dimension of {name}")
