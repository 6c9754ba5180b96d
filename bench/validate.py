"""How long does SHACL validation take: on the built graph, and on 100,000 synthetic triples?

Run: `python bench/validate.py` (add `--profile` for the 25 slowest calls of the synthetic run,
`--triples N` for another size). Prints seconds and triples per second; results in bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cwkg.build import compile_project
from cwkg.config import Settings
from cwkg.errors import CwkgError
from cwkg.namespaces import (
    CW,
    DCTERMS,
    GRAPH_PROVENANCE,
    ID,
    OA,
    ORG,
    QB,
    RDF_TYPE,
    SKOS,
    XSD,
    graph_for_source,
)
from cwkg.validate import Report, validate_quads


class Synthetic:
    """A graph in the shape the build writes: entities, statements, figures, evidence."""

    def __init__(self, seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.quads: list[ox.Quad] = []
        self.graph = ox.NamedNode(graph_for_source("synthetic"))
        self.prov = ox.NamedNode(GRAPH_PROVENANCE)
        self.doc = ID + "source/synthetic"
        self.annotations = 0

    def add(
        self, s: str, p: str, o: ox.NamedNode | ox.Literal | str, graph: ox.NamedNode | None = None
    ) -> None:
        """Add one quad; a str object is an IRI."""
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, graph or self.graph))

    @staticmethod
    def lit(value: str, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
        """A literal."""
        if lang:
            return ox.Literal(value, language=lang)
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(value)

    def cite(self, iri: str) -> None:
        """Evidence for a resource: statedIn, an annotation, its target and two selectors."""
        self.annotations += 1
        ann = f"{ID}annotation/{self.annotations:016x}"
        p = self.prov
        self.add(ann, RDF_TYPE, OA + "Annotation", p)
        self.add(ann, OA + "motivatedBy", OA + "describing", p)
        self.add(ann, OA + "hasBody", iri, p)
        self.add(ann, OA + "hasTarget", ann + "/target", p)
        self.add(ann + "/target", RDF_TYPE, OA + "SpecificResource", p)
        self.add(ann + "/target", OA + "hasSource", self.doc, p)
        self.add(ann + "/target", OA + "hasSelector", ann + "/position", p)
        self.add(ann + "/target", OA + "hasSelector", ann + "/quote", p)
        start = self.rng.randrange(0, 90_000)
        self.add(ann + "/position", RDF_TYPE, OA + "TextPositionSelector", p)
        self.add(ann + "/position", OA + "start", self.lit(str(start), "nonNegativeInteger"), p)
        self.add(ann + "/position", OA + "end", self.lit(str(start + 60), "nonNegativeInteger"), p)
        self.add(ann + "/quote", RDF_TYPE, OA + "TextQuoteSelector", p)
        self.add(ann + "/quote", OA + "exact", self.lit(f"a quoted phrase number {self.annotations}"), p)
        self.add(iri, CW + "statedIn", self.doc)
        self.add(iri, CW + "evidence", ann)

    def entity(self, kind: str, cls: str, n: int) -> list[str]:
        """n entities of a class, labelled, defined and cited."""
        out = []
        for i in range(n):
            iri = f"{ID}{kind}/synthetic-{kind}-{i}"
            self.add(iri, RDF_TYPE, CW + cls)
            self.add(iri, SKOS + "prefLabel", self.lit(f"Synthetic {cls} {i}", lang="en"))
            self.add(iri, SKOS + "definition", self.lit(f"The {i}th synthetic {cls}.", lang="en"))
            self.cite(iri)
            out.append(iri)
        return out

    def statement(self, cls: str, values: dict[str, ox.NamedNode | ox.Literal | str]) -> None:
        """One statement node of a class with its values, cited."""
        iri = f"{ID}statement/{len(self.quads):012x}"
        self.add(iri, RDF_TYPE, CW + cls)
        for p, o in values.items():
            self.add(iri, p, o)
        self.cite(iri)

    def build(self, target: int) -> list[ox.Quad]:
        """Grow the graph to about `target` triples."""
        self.add(self.doc, RDF_TYPE, CW + "SourceDocument", self.prov)
        self.add(self.doc, DCTERMS + "title", self.lit("A synthetic document", lang="en"), self.prov)
        self.add(self.doc, DCTERMS + "issued", self.lit("2020-09", "gYearMonth"), self.prov)
        self.add(self.doc, CW + "sha256", self.lit("0" * 64), self.prov)
        self.add(self.doc, CW + "fileName", self.lit("synthetic.txt"), self.prov)
        scale = max(1, target // 2_000)
        roles = self.entity("role", "Role", 4 * scale)
        orgs = self.entity("org", "Organisation", 4 * scale)
        quals = self.entity("qualification", "Diploma", 4 * scale)
        progs = self.entity("programme", "TrainingProgramme", 4 * scale)
        stats = self.entity("statistic", "Statistic", scale)
        for q in quals:
            self.add(q, CW + "level", f"{ID}level/{self.rng.randrange(1, 8)}")
        dataset = ID + "dataset/synthetic-figures"
        dsd = ID + "dsd/synthetic-figures"
        self.add(dataset, RDF_TYPE, QB + "DataSet")
        self.add(dataset, SKOS + "prefLabel", self.lit("Synthetic figures", lang="en"))
        self.add(dataset, QB + "structure", dsd)
        self.add(dataset, CW + "statedIn", self.doc)
        self.add(dsd, RDF_TYPE, QB + "DataStructureDefinition")
        for dim in ("statistic", "refPeriod", "refArea"):
            self.add(dsd, QB + "component", f"{dsd}/component/{dim}")
            self.add(f"{dsd}/component/{dim}", QB + "dimension", CW + dim)
        period = ID + "period/2019"
        self.add(period, RDF_TYPE, CW + "Period")
        self.add(period, SKOS + "prefLabel", self.lit("2019", lang="en"))
        self.add(period, CW + "startOfPeriod", self.lit("2019-01-01", "date"))
        self.add(period, CW + "endOfPeriod", self.lit("2019-12-31", "date"))
        pick = self.rng.choice
        year = lambda: self.lit(str(self.rng.randrange(2000, 2019)), "gYear")  # noqa: E731
        while len(self.quads) < target:
            kind = self.rng.randrange(8)
            if kind == 0:
                self.statement(
                    "Requirement",
                    {
                        CW + "role": pick(roles),
                        CW + "qualification": pick(quals),
                        CW + "obligation": CW + "Mandatory",
                        CW + "startDate": year(),
                    },
                )
            elif kind == 1:
                self.statement(
                    "Funding",
                    {
                        CW + "funder": pick(orgs),
                        CW + "fundedProgramme": pick(progs),
                        CW + "amount": self.lit(str(self.rng.randrange(100, 9999)), "decimal"),
                        CW + "currency": self.lit("GBP"),
                    },
                )
            elif kind == 2:
                self.statement(
                    "Delivery",
                    {
                        CW + "provider": pick(orgs),
                        CW + "deliveredProgramme": pick(progs),
                        CW + "startDate": self.lit("1999-01", "gYearMonth"),
                        CW + "endDate": year(),
                    },
                )
            elif kind == 3:
                self.statement("Pathway", {CW + "pathwayFrom": pick(progs), CW + "pathwayTo": pick(quals)})
            elif kind == 4:
                self.statement("Progression", {CW + "fromRole": pick(roles), CW + "toRole": pick(roles)})
            elif kind == 5:
                self.statement(
                    "AttributeStatement",
                    {
                        CW + "about": pick(progs),
                        CW + "attribute": CW + "duration",
                        CW + "duration": self.lit("P1Y", "duration"),
                        CW + "pointInTime": year(),
                    },
                )
            elif kind == 6:
                self.statement("Membership", {ORG + "organization": pick(orgs), ORG + "member": pick(orgs)})
            else:
                obs = f"{ID}observation/{len(self.quads):012x}"
                self.add(obs, RDF_TYPE, QB + "Observation")
                self.add(obs, QB + "dataSet", dataset)
                self.add(obs, CW + "statistic", pick(stats))
                self.add(obs, CW + "refPeriod", period)
                self.add(obs, CW + "refArea", ID + "area/england")
                self.add(obs, CW + "obsValue", self.lit(str(self.rng.randrange(0, 100)), "decimal"))
                self.add(obs, CW + "unit", ID + "unit/percent")
                self.cite(obs)
        return self.quads


def timed(label: str, quads: list[ox.Quad], run: Callable[[list[ox.Quad]], Report]) -> Report:
    """Validate and print the time, the rate and the counts."""
    started = time.perf_counter()
    report = run(quads)
    seconds = time.perf_counter() - started
    print(
        f"{label}: {report.triples} triples (with the ontology) in {seconds:.2f} s = "
        f"{report.triples / seconds:,.0f} triples/s; {report.violations} violation(s), "
        f"{report.warnings} warning(s), {report.infos} info(s)"
    )
    return report


def main() -> None:
    """Time the built graph and a synthetic one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic graph")
    parser.add_argument("--profile", action="store_true", help="profile the synthetic run")
    args = parser.parse_args()
    settings = Settings()

    def run(quads: list[ox.Quad]) -> Report:
        return validate_quads(settings, quads)

    try:
        _, built = compile_project(settings)
        timed("built graph", built, run)
    except CwkgError as exc:
        print(f"built graph: cannot compile data/ ({str(exc).splitlines()[0]})")
    quads = Synthetic().build(args.triples)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        timed("synthetic graph", quads, run)
        profiler.disable()
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(25)
        print(buffer.getvalue())
    else:
        report = timed("synthetic graph", quads, run)
        if report.results:
            print(report.render("text")[:2000])


if __name__ == "__main__":
    main()
