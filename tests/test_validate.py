"""SHACL validation: the shapes are valid SHACL, each rule catches its fixture, the CLI keeps its exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pyoxigraph as ox
import pytest
from pyshacl import validate as shacl_validate
from rdflib import OWL, RDF, Graph, Namespace, URIRef
from typer.testing import CliRunner

from cwkg.cli import app
from cwkg.compile import Compiled
from cwkg.config import Settings
from cwkg.errors import ConfigError, ParseError
from cwkg.namespaces import CW
from cwkg.store import OxigraphStore, parse_file
from cwkg.validate import SHAPES, Report, load_shapes, validate_files, validate_quads
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
VALID = FIXTURES / "valid.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")

# fixture file -> the results it must produce: (severity, shape, focus node, path)
EXPECTED: dict[str, set[tuple[str, str, str, str | None]]] = {
    "missing-label": {
        ("Violation", "cwsh:RoleShape", "id:role/unlabelled", "skos:prefLabel"),
        ("Warning", "cwsh:RoleShape", "id:role/unlabelled", "cw:sector"),
    },
    "role-without-sector": {("Warning", "cwsh:RoleShape", "id:role/unplaced-worker", "cw:sector")},
    "two-labels": {("Violation", "cwsh:RoleShape", "id:role/test-worker", "skos:prefLabel")},
    "bad-iri": {("Violation", "cwsh:OrganisationShape", "id:organisation/bad-kind", None)},
    "negative-amount": {("Violation", "cwsh:FundingShape", "id:statement/negative-amount", "cw:amount")},
    "funding-without-currency": {
        ("Violation", "cwsh:FundingShape", "id:statement/no-currency", "cw:currency")
    },
    "funding-without-funder": {("Violation", "cwsh:FundingShape", "id:statement/no-funder", None)},
    "requirement-without-qualification": {
        ("Violation", "cwsh:RequirementShape", "id:statement/no-qualification", "cw:qualification")
    },
    "level-not-a-level": {("Violation", "cwsh:LevelValueShape", "id:qualification/misleveled", "cw:level")},
    "bad-date": {("Violation", "cwsh:DateValueShape", "id:statement/bad-date", "cw:startDate")},
    "bad-duration": {("Violation", "cwsh:DurationValueShape", "id:programme/test-programme", "cw:duration")},
    "end-before-start": {
        ("Violation", "cwsh:EndAfterStartShape", "id:statement/end-before-start", "cw:startDate")
    },
    "duplicate-label": {
        ("Warning", "cwsh:DuplicateLabelShape", "id:org/test-publisher", "skos:prefLabel|skos:altLabel"),
        (
            "Warning",
            "cwsh:DuplicateLabelShape",
            "id:org/test-publisher-again",
            "skos:prefLabel|skos:altLabel",
        ),
    },
    "fact-after-document": {
        ("Violation", "cwsh:FactDateShape", "id:statement/from-the-future", "cw:statedIn")
    },
    "statement-without-evidence": {
        ("Violation", "cwsh:StatementShape", "id:statement/no-evidence", "cw:evidence")
    },
    "annotation-without-position": {
        ("Violation", "cwsh:AnnotationShape", "id:annotation/a2", "oa:hasTarget/oa:hasSelector/oa:start")
    },
    "position-start-after-end": {
        ("Violation", "cwsh:TextPositionSelectorShape", "id:annotation/a3/position", "oa:start")
    },
    "empty-quote": {("Violation", "cwsh:TextQuoteSelectorShape", "id:annotation/a4/quote", "oa:exact")},
    "observation-without-dataset": {
        ("Violation", "cwsh:ObservationShape", "id:observation/no-dataset", "qb:dataSet")
    },
    "observation-missing-dimension": {
        ("Violation", "cwsh:DimensionValuesShape", "id:observation/no-sector", "qb:dataSet")
    },
    "attribute-without-value": {
        ("Violation", "cwsh:AttributeValueShape", "id:statement/no-value", "cw:attribute")
    },
    "membership-without-member": {
        ("Violation", "cwsh:MembershipShape", "id:statement/no-member", "org:member")
    },
    "funder-without-funding": {("Info", "cwsh:FunderShape", "id:org/idle-funder", "^cw:funder")},
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """The project's shapes graph."""
    return load_shapes(Settings())


def keys(report: Report) -> set[tuple[str, str, str, str | None]]:
    """What identifies each result: severity, shape, focus node, path."""
    return {(r.severity, r.shape, r.focus, r.path) for r in report.results}


def with_valid(tmp_path: Path, turtle: str) -> Report:
    """Validate the valid fixture plus some Turtle (prefixes of the fixtures given)."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(VALID.read_text().split("\n\n")[0] + "\n\n" + turtle)
    return validate_files(Settings(), [VALID, extra])


# -- the shapes themselves --------------------------------------------------------------------


def test_shapes_pass_shacl_for_shacl(shapes: Graph) -> None:
    """The shapes graph is valid SHACL: pySHACL's meta-SHACL check raises otherwise."""
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_one_node_shape_per_class(shapes: Graph) -> None:
    """Every class of the ontology has a NodeShape named <Class>Shape that targets it."""
    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path)
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(CW))
    assert len(classes) >= 45
    for cls in classes:
        shape = URIRef(SHAPES + str(cls).removeprefix(CW) + "Shape")
        assert (shape, RDF.type, SH.NodeShape) in shapes, f"no {shape}"
        assert (shape, SH.targetClass, cls) in shapes, f"{shape} does not target {cls}"


def test_every_constraint_has_message_and_severity(shapes: Graph) -> None:
    """Each property shape, and each node shape with node-level constraints, says how bad and how to fix."""
    node_level = [SH.pattern, SH.nodeKind, SH["or"], SH["not"], SH["in"], SH.datatype, SH["class"]]
    checked = 0
    for ps in set(shapes.objects(None, SH.property)):
        assert shapes.value(ps, SH.severity) is not None, f"property shape on {shapes.value(ps, SH.path)}"
        sparql = shapes.value(ps, SH.sparql)
        owner = sparql if sparql is not None else ps
        assert shapes.value(owner, SH.message) is not None, f"property shape on {shapes.value(ps, SH.path)}"
        checked += 1
    for ns in shapes.subjects(RDF.type, SH.NodeShape):
        if any(shapes.value(ns, p) is not None for p in node_level) and shapes.value(ns, SH.targetClass):
            assert shapes.value(ns, SH.severity) is not None, ns
            assert shapes.value(ns, SH.message) is not None, ns
            checked += 1
    assert checked > 100


# -- fixtures: one per rule -------------------------------------------------------------------


def test_valid_fixture_conforms() -> None:
    """The valid fixture produces no result at all, not even an Info."""
    report = validate_files(Settings(), [VALID])
    assert report.results == [], report.render("text")
    assert report.conforms


def test_every_fixture_has_an_expectation() -> None:
    """The glob and the table agree, so no fixture is silently skipped."""
    files = sorted(p.stem for p in FIXTURES.glob("*.ttl") if p != VALID)
    assert files == sorted(EXPECTED)
    assert len(files) == 23


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_is_reported(name: str) -> None:
    """Each fixture, added to the valid graph, yields exactly its expected results."""
    report = validate_files(Settings(), [VALID, FIXTURES / f"{name}.ttl"])
    assert keys(report) == EXPECTED[name], report.render("text")
    assert all(r.message and "{?" not in r.message and "{$" not in r.message for r in report.results)
    severities = {s for s, *_ in EXPECTED[name]}
    assert report.conforms is ("Violation" not in severities)


@pytest.mark.parametrize(
    ("start", "end", "wrong"),
    [
        ('"2019"^^xsd:gYear', '"2019-06"^^xsd:gYearMonth', False),
        ('"2019-06-15"^^xsd:date', '"2019-06"^^xsd:gYearMonth', False),
        ('"2019-06"^^xsd:gYearMonth', '"2019"^^xsd:gYear', False),
        ('"2019-06-15"^^xsd:date', '"2019-06-15"^^xsd:date', False),
        ('"2019-06"^^xsd:gYearMonth', '"2019-05-31"^^xsd:date', True),
        ('"2020"^^xsd:gYear', '"2019-12-31"^^xsd:date', True),
        ('"2019-06-30"^^xsd:date', '"2019-06-01"^^xsd:date', True),
        ('"2019-01"^^xsd:gYearMonth', '"2018"^^xsd:gYear', True),
    ],
)
def test_end_after_start_at_mixed_precision(tmp_path: Path, start: str, end: str, wrong: bool) -> None:
    """Start and end are compared at the coarser of their precisions."""
    report = with_valid(
        tmp_path,
        f"""<statement/dated> a cw:Progression ;
        cw:fromRole <role/test-worker> ; cw:toRole <role/test-manager> ;
        cw:startDate {start} ; cw:endDate {end} ;
        cw:statedIn <source/test-doc> ; cw:evidence <annotation/a1> .""",
    )
    expected = (
        {("Violation", "cwsh:EndAfterStartShape", "id:statement/dated", "cw:startDate")} if wrong else set()
    )
    assert keys(report) == expected


@pytest.mark.parametrize(
    ("issued", "when", "wrong"),
    [
        ('"2020"^^xsd:gYear', '"2020-09"^^xsd:gYearMonth', False),
        ('"2020"^^xsd:gYear', '"2020-12-31"^^xsd:date', False),
        ('"2020"^^xsd:gYear', '"2021"^^xsd:gYear', True),
        ('"2020-09"^^xsd:gYearMonth', '"2020-09-30"^^xsd:date', False),
        ('"2020-09"^^xsd:gYearMonth', '"2020-10"^^xsd:gYearMonth', True),
        ('"2020-09-15"^^xsd:date', '"2020-09"^^xsd:gYearMonth', False),
        ('"2020-09-15"^^xsd:date', '"2020-09-16"^^xsd:date', True),
        ('"2020-09-15"^^xsd:date', '"2020"^^xsd:gYear', False),
    ],
)
def test_fact_not_after_document_at_its_precision(
    tmp_path: Path, issued: str, when: str, wrong: bool
) -> None:
    """A fact's date is compared with its document's issued date at the document's precision."""
    report = with_valid(
        tmp_path,
        f"""<source/other-doc> a cw:SourceDocument ;
        <http://purl.org/dc/terms/title> "Another document"@en ;
        <http://purl.org/dc/terms/issued> {issued} ;
        cw:sha256 "1111111111111111111111111111111111111111111111111111111111111111" ;
        cw:fileName "other.txt" .
    <statement/dated> a cw:Progression ;
        cw:fromRole <role/test-worker> ; cw:toRole <role/test-manager> ;
        cw:pointInTime {when} ;
        cw:statedIn <source/other-doc> ; cw:evidence <annotation/a1> .""",
    )
    expected = {("Violation", "cwsh:FactDateShape", "id:statement/dated", "cw:statedIn")} if wrong else set()
    assert keys(report) == expected


def test_planned_fact_may_follow_its_document(tmp_path: Path) -> None:
    """A fact marked cw:planned states a plan, so it may be dated after its document."""
    report = with_valid(
        tmp_path,
        """<statement/plan> a cw:Progression ;
        cw:fromRole <role/test-worker> ; cw:toRole <role/test-manager> ;
        cw:startDate "2022"^^xsd:gYear ; cw:planned true ;
        cw:statedIn <source/test-doc> ; cw:evidence <annotation/a1> .""",
    )
    assert keys(report) == set()


def test_observation_period_after_document(tmp_path: Path) -> None:
    """An observation's reference period counts from its first day."""
    report = with_valid(
        tmp_path,
        """<period/2021> a cw:Period ; skos:prefLabel "2021"@en ;
        cw:startOfPeriod "2021-01-01"^^xsd:date ; cw:endOfPeriod "2021-12-31"^^xsd:date .
    <observation/late> a qb:Observation ; qb:dataSet <dataset/test-figures> ;
        cw:statistic <statistic/test-rate> ; cw:refPeriod <period/2021> ; cw:refArea <area/england> ;
        cw:obsValue "1"^^xsd:decimal ; cw:unit <unit/percent> ;
        cw:statedIn <source/test-doc> ; cw:evidence <annotation/a1> .""",
    )
    assert keys(report) == {("Violation", "cwsh:FactDateShape", "id:observation/late", "cw:statedIn")}


# -- the report --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed() -> Report:
    """A report with violations and warnings from several fixtures."""
    names = ["missing-label", "negative-amount", "duplicate-label", "annotation-without-position"]
    return validate_files(Settings(), [VALID, *(FIXTURES / f"{n}.ttl" for n in names)])


def test_results_are_sorted(mixed: Report) -> None:
    """Results come worst first, then by focus node, path and shape."""
    assert [r.sort_key for r in mixed.results] == sorted(r.sort_key for r in mixed.results)
    assert mixed.results[0].severity == "Violation" and mixed.results[-1].severity == "Warning"
    assert (mixed.violations, mixed.warnings, mixed.infos) == (3, 3, 0)
    assert not mixed.conforms
    assert mixed.failed("violation") and len(mixed.failing("warning")) == 6


def test_text_groups_by_focus_node(mixed: Report) -> None:
    """The text report names each focus node once, with its results under it."""
    text = mixed.render("text")
    assert text.startswith("cwkg validate: 3 violation(s), 3 warning(s), 0 info(s)")
    assert text.count("\nid:org/test-publisher\n") == 1
    assert "cwsh:FundingShape" in text and 'value: "-500"' in text
    assert text == mixed.render("text")


def test_turtle_is_a_validation_report(mixed: Report) -> None:
    """The Turtle rendering parses into a standard sh:ValidationReport."""
    g = Graph().parse(data=mixed.render("turtle"), format="turtle")
    report = g.value(None, RDF.type, SH.ValidationReport)
    assert report is not None
    assert g.value(report, SH.conforms).toPython() is False  # type: ignore[union-attr]
    results = list(g.objects(report, SH.result))
    assert len(results) == 6
    for r in results:
        assert g.value(r, SH.focusNode) is not None and g.value(r, SH.sourceShape) is not None
    paths = {g.value(r, SH.resultPath) for r in results}
    assert URIRef("http://www.w3.org/2004/02/skos/core#prefLabel") in paths


def test_json_report(mixed: Report) -> None:
    """The JSON rendering carries the verdict, counts and results in order."""
    data = json.loads(mixed.render("json"))
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 3, "Warning": 3, "Info": 0}
    assert [r["focusNode"] for r in data["results"]] == [r.focus for r in mixed.results]
    assert data["results"][0]["shape"].startswith("cwsh:")


def test_junit_report(mixed: Report) -> None:
    """JUnit XML: a failing testcase per result at the threshold, a passing one per clean shape."""
    root = ET.fromstring(mixed.render("junit"))
    cases = root.findall(".//testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert len(failures) == 3 == int(root.attrib["failures"])
    assert {f.attrib["classname"] for f in failures} >= {"cwsh:RoleShape", "cwsh:FundingShape"}
    assert any(c.attrib["name"] == "cwsh:StatementShape conforms" for c in cases)
    strict = ET.fromstring(mixed.render("junit", fail_on="warning"))
    assert int(strict.attrib["failures"]) == 6


def test_unknown_format_and_level_are_config_errors(mixed: Report) -> None:
    """A bad format or severity name is a ConfigError, not a crash."""
    with pytest.raises(ConfigError):
        mixed.render("yaml")
    with pytest.raises(ConfigError):
        mixed.failing("fatal")


def test_validate_quads_merges_named_graphs() -> None:
    """Triples spread over named graphs are validated as one graph."""
    quads = parse_file(VALID)
    spread = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"urn:g{i % 3}")) for i, q in enumerate(quads)
    ]
    assert validate_quads(Settings(), spread).results == []


def test_unreadable_file_is_a_parse_error(tmp_path: Path) -> None:
    """A file that does not parse raises ParseError naming it."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(ParseError, match="bad.ttl"):
        validate_files(Settings(), [bad])


# -- the command line ----------------------------------------------------------------------------


runner = CliRunner()


def test_cli_exit_0_when_conforming() -> None:
    """A conforming file: exit 0, the report on stdout starting with the one summary of the run."""
    result = runner.invoke(app, ["validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("cwkg validate: 0 violation(s)")
    assert result.stdout.splitlines()[0].endswith("conforms")
    assert "violation(s)" not in result.stderr


def test_cli_exit_1_when_not_conforming() -> None:
    """A violation: exit 1, the report still written."""
    result = runner.invoke(app, ["validate", str(VALID), str(FIXTURES / "negative-amount.ttl")])
    assert result.exit_code == 1
    assert "cwsh:FundingShape" in result.stdout
    assert "not conformant, 1 at or above violation" in result.stdout.splitlines()[0]
    assert "not conformant" not in result.stderr


def test_cli_summary_on_stderr_when_the_report_goes_elsewhere(tmp_path: Path) -> None:
    """With --output or a machine format, the one summary is on stderr (and only there)."""
    result = runner.invoke(app, ["validate", str(VALID), str(FIXTURES / "negative-amount.ttl"), "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.count("not conformant") == 1 and "not conformant" not in result.stdout


def test_cli_fail_on_warning() -> None:
    """Warnings pass by default and fail with --fail-on warning; infos need --fail-on info."""
    files = [str(VALID), str(FIXTURES / "duplicate-label.ttl")]
    assert runner.invoke(app, ["validate", *files]).exit_code == 0
    assert runner.invoke(app, ["validate", *files, "--fail-on", "warning"]).exit_code == 1
    info = [str(VALID), str(FIXTURES / "funder-without-funding.ttl")]
    assert runner.invoke(app, ["validate", *info, "--fail-on", "warning"]).exit_code == 0
    assert runner.invoke(app, ["validate", *info, "--fail-on", "info"]).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "no/such/file.ttl"],
        ["validate", "--format", "yaml"],
        ["validate", "--fail-on", "never"],
    ],
)
def test_cli_exit_2_for_bad_input(args: list[str]) -> None:
    """Unreadable input or bad arguments: exit 2 with a message on stderr."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip()


def test_cli_exit_2_for_unparseable_file(tmp_path: Path) -> None:
    """A file that does not parse: exit 2, the file named on stderr, nothing on stdout."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl" in result.stderr and result.stdout == ""


def test_cli_exit_2_without_a_built_graph(tmp_path: Path) -> None:
    """No files and nothing built: exit 2 telling the user to build."""
    result = runner.invoke(app, ["validate", "--store", str(tmp_path / "store"), "--dist", str(tmp_path)])
    assert result.exit_code == 2
    assert "cwkg build" in result.stderr


def test_cli_validates_the_built_dump(tmp_path: Path) -> None:
    """Without files and without a store (CWKG_STORE names none), dist/cwkg.trig is validated."""
    shutil.copy(VALID, tmp_path / "cwkg.trig")
    env = {"CWKG_STORE": str(tmp_path / "none")}
    result = runner.invoke(app, ["validate", "--dist", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output


def test_cli_a_store_named_by_option_must_exist(tmp_path: Path) -> None:
    """--store naming no store is an error (exit 2), even when a dump is there to fall back on."""
    shutil.copy(VALID, tmp_path / "cwkg.trig")
    result = runner.invoke(app, ["validate", "--store", str(tmp_path / "none"), "--dist", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--store {tmp_path / 'none'}: no store there" in result.stderr


def test_cli_validates_the_store(tmp_path: Path) -> None:
    """Without files, the store at --store is validated."""
    store = OxigraphStore(tmp_path / "store")
    store.extend(parse_file(VALID, graph="urn:x"))
    store.flush()
    del store
    result = runner.invoke(app, ["validate", "--store", str(tmp_path / "store"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conforms"] is True


@pytest.mark.parametrize("fmt", ["text", "turtle", "json", "junit"])
def test_cli_output_file(tmp_path: Path, fmt: str) -> None:
    """--output writes the report to a file and nothing to stdout."""
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(
        app, ["validate", str(VALID), str(FIXTURES / "bad-iri.ttl"), "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "organisation/bad-kind" in out.read_text()


# -- the real data -----------------------------------------------------------------------------


def test_real_data_conforms(project: tuple[Compiled, list[ox.Quad]]) -> None:
    """The graph built from data/ has no violations."""
    report = validate_quads(Settings(), project[1])
    assert report.conforms, report.render("text")
