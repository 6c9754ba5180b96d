"""Apache Jena (Debian's libapache-jena-java 4.5) as the second opinion on what cwkg publishes: RIOT parses every
dump and page format, Jena SHACL judges the graph and every fixture as pySHACL does, and Jena's OWL reasoner
finds the ontology consistent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from cwkg.build import write_dumps
from cwkg.config import Settings
from cwkg.validate import Report, load_shapes, validate_files, validate_quads
from tests.conftest import ROOT
from tests.jena import CHECK, classpath, missing, run
from tests.server.conftest import LiveServer, start_project_server
from tests.virtuoso import under_ci

pytestmark = pytest.mark.slow

FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
VALID = FIXTURES / "valid.ttl"
INVALID = sorted(p.stem for p in FIXTURES.glob("*.ttl") if p != VALID)


@pytest.fixture(scope="session")
def jena(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Jena's class path; skipped when Jena is not installed, except under CI=true where that fails."""
    if problem := missing():
        (pytest.fail if under_ci() else pytest.skip)(problem)
    return classpath(tmp_path_factory.mktemp("jena-classpath"))


def problems(output: str) -> list[str]:
    """RIOT's warnings and errors (slf4j-simple writes them as `[main] WARN ...`, `[main] ERROR ...`)."""
    return [line for line in output.splitlines() if " WARN " in line or " ERROR " in line]


# -- RIOT ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dumps(project: tuple, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jena-dumps")
    write_dumps(project[1], folder)
    return folder


def test_every_dump_parses_with_riot_without_error_or_warning(jena: str, dumps: Path) -> None:
    names = [line.split()[1] for line in (dumps / "SHA256SUMS").read_text().splitlines()]
    assert {"cwkg.ttl", "cwkg.trig", "cwkg.nt"} <= set(names)
    done = run(jena, "riotcmd.riot", "--validate", *(str(dumps / n) for n in names))
    assert done.returncode == 0 and not problems(done.stdout + done.stderr), done.stdout + done.stderr
    counted = run(jena, "riotcmd.riot", "--count", str(dumps / "cwkg.nt"))
    assert (
        f"Triples = {len({(q.subject, q.predicate, q.object) for q in ox.parse(path=str(dumps / 'cwkg.nt'))}):,}"
        in (counted.stdout + counted.stderr)
    )


def test_riot_reports_what_it_finds(jena: str, tmp_path: Path) -> None:
    """The check can fail: an invalid xsd:duration (weeks, as the facts once wrote them) is a warning."""
    bad = tmp_path / "weeks.nt"
    bad.write_text(
        '<http://example.org/a> <http://example.org/d> "P3W"^^<http://www.w3.org/2001/XMLSchema#duration> .\n'
    )
    done = run(jena, "riotcmd.riot", "--validate", str(bad))
    assert any("Lexical form 'P3W' not valid for datatype XSD duration" in p for p in problems(done.stderr))


@pytest.fixture(scope="module")
def site(project: tuple, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_project_server(project, tmp_path_factory.mktemp("jena-site"))
    yield server
    server.stop()


PAGES = [
    "/id/role/social-worker.jsonld",
    "/id/role/social-worker.rdf",
    "/id/programme/asye.jsonld",
    "/id/programme/asye.rdf",
    "/id/dataset/dcsf-2008-vacancy-rates.jsonld",
    "/id/dataset/dcsf-2008-vacancy-rates.rdf",
    "/ontology.jsonld",
    "/ontology.rdf",
]


@pytest.fixture(scope="module")
def riot_pages(jena: str, site: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """RIOT's count of each page's triples, or its complaint: one JVM per syntax, JSON-LD read as Jena
    reads it (fetching its @context from the server, on 127.0.0.1)."""
    folder = tmp_path_factory.mktemp("jena-pages")
    files: dict[str, Path] = {}
    for path in PAGES:
        page = httpx.get(site.url + path, timeout=30)
        assert page.status_code == 200, path
        files[path] = folder / path.strip("/").replace("/", "-")
        files[path].write_bytes(page.content)
    said: dict[str, str] = {}
    for syntax, suffix in (("jsonld10", ".jsonld"), ("rdfxml", ".rdf")):
        chosen = [p for p in PAGES if p.endswith(suffix)]
        done = run(jena, "riotcmd.riot", "--count", f"--syntax={syntax}", *(str(files[p]) for p in chosen))
        assert done.returncode == 0 and not problems(done.stdout + done.stderr), done.stdout + done.stderr
        for p in chosen:
            output = (done.stdout + done.stderr).splitlines()
            line = next((x for x in output if x.startswith(f"file://{files[p]} :")), "")
            said[p] = line.rpartition("Triples = ")[2]
    return said


@pytest.mark.parametrize("path", PAGES)
def test_the_json_ld_and_rdf_xml_the_pages_serve_parse_with_riot(
    riot_pages: dict[str, str], site: LiveServer, path: str
) -> None:
    """Without an error or warning, giving the triples the same page gives as Turtle."""
    turtle = httpx.get(site.url + path.rsplit(".", 1)[0] + ".ttl", timeout=30)
    expected = len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE, base_iri=site.url)))
    assert riot_pages[path] == f"{expected:,}" and expected > 5


# -- SHACL -----------------------------------------------------------------------------------------

Key = tuple[str, str, str, str, str]  # severity, focus, owner shape, path, component


def _owner(shapes: Graph, shape: object) -> object:
    while isinstance(shape, BNode) and (up := shapes.value(None, SH.property, shape)) is not None:
        shape = up
    return shape


def _path(shapes: Graph, path: object) -> str:
    """A SHACL path as JenaCheck.java renders Jena's: IRI, ^inverse, a/b/c, (a|b|c)."""
    if path is None:
        return ""
    if isinstance(path, BNode):
        if (inverse := shapes.value(path, SH.inversePath)) is not None:
            return "^" + _path(shapes, inverse)
        if (alternatives := shapes.value(path, SH.alternativePath)) is not None:
            return "(" + "|".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
        if shapes.value(path, RDF.first) is not None:
            return "/".join(_path(shapes, p) for p in Collection(shapes, path))
    return str(path)


def pyshacl_keys(report: Report, shapes: Graph) -> set[Key]:
    """pySHACL's results (through cwkg.validate), as Jena's are printed by JenaCheck.java."""
    out = set()
    for r in report.results:
        focus = r.terms.get("focus")
        out.add(
            (
                r.severity,
                "_:" if isinstance(focus, BNode) else str(focus),
                str(_owner(shapes, r.terms.get("shape"))),
                _path(shapes, r.terms.get("path")),
                str(r.terms.get("component")),
            )
        )
    return out


@pytest.fixture(scope="module")
def cases(project: tuple, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Report]]:
    """Each case as one N-Triples data file (data, with the ontology merged in as cwkg.validate does) and
    pySHACL's report on it: the built graph, the valid fixture, and the valid fixture with each invalid one."""
    folder = tmp_path_factory.mktemp("jena-shacl")
    settings = Settings()
    built = validate_quads(settings, project[1])
    out: dict[str, tuple[Path, Report]] = {
        "built graph": (_data_file(folder / "built.nt", project[1]), built)
    }
    for name in ["valid", *INVALID]:
        files = [VALID] if name == "valid" else [VALID, FIXTURES / f"{name}.ttl"]
        quads = [q for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
        out[name] = (_data_file(folder / f"{name}.nt", quads), validate_files(settings, files))
    return out


def _data_file(path: Path, quads: list[ox.Quad]) -> Path:
    from cwkg.validate import _ontology_quads

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in [*quads, *_ontology_quads(Settings())]}
    path.write_bytes(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES))
    return path


@pytest.fixture(scope="module")
def jena_reports(
    jena: str, cases: dict[str, tuple[Path, Report]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[bool, set[Key]]]:
    """Jena SHACL's results on every case, from one JVM."""
    shapes = ROOT / "shapes" / "cwkg-shapes.ttl"
    done = run(jena, str(CHECK), "shacl", str(shapes), *(str(path) for path, _ in cases.values()))
    # stderr may hold warnings on the fixtures' own ill-typed literals (bad-date's "2019-13"): the data's, not ours
    assert done.returncode == 0, done.stderr
    by_file: dict[str, tuple[bool, set[Key]]] = {}
    current = ""
    keys: set[Key] = set()
    for line in done.stdout.splitlines():
        if line.startswith("# "):
            current, keys = line[2:], set()
        elif line in ("conforms", "does not conform"):
            by_file[current] = (line == "conforms", keys)
        else:
            severity, focus, owner, path, component = line.split("\t")
            keys.add((severity, focus, owner, path, component))
    return {name: by_file[str(path)] for name, (path, _) in cases.items()}


@pytest.mark.parametrize("case", ["built graph", "valid", *INVALID])
def test_jena_shacl_agrees_with_pyshacl(
    case: str, cases: dict[str, tuple[Path, Report]], jena_reports: dict[str, tuple[bool, set[Key]]]
) -> None:
    """Same conformance, same focus nodes and shapes (and severities, paths, components).

    One legitimate difference, by definition: Jena's sh:conforms is false for any result at all, as the
    SHACL recommendation defines it, while cwkg runs pySHACL with allow_warnings and allow_infos, so that
    only a Violation fails (`cwkg validate --fail-on violation`). Conformance is compared both ways."""
    shapes = load_shapes(Settings())
    _, report = cases[case]
    conforms, jena_keys = jena_reports[case]
    assert conforms == (not jena_keys)  # the recommendation's conformance, Jena's
    assert report.conforms == (not any(severity == "Violation" for severity, *_ in jena_keys))  # cwkg's
    assert jena_keys == pyshacl_keys(report, shapes)
    assert jena_keys or case in ("built graph", "valid")  # an invalid fixture is found invalid by both


def test_the_cases_are_all_there() -> None:
    """A glob-built suite with a count, so a filter can never shrink it unnoticed."""
    assert len(INVALID) == 24


# -- OWL -------------------------------------------------------------------------------------------


def test_the_ontology_is_consistent_in_jenas_owl_reasoner(jena: str, tmp_path: Path) -> None:
    files = sorted((ROOT / "ontology").glob("*.ttl"))
    assert {f.name for f in files} >= {"cwkg.ttl", "schemes.ttl"}
    done = run(jena, str(CHECK), "owl", *map(str, files))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "valid" and not [line for line in lines if line.startswith("error")], done.stdout
    # and the reasoner does report an inconsistency when there is one: an amount that is not a decimal
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '<https://w3id.org/cwkg/id/test/funding> <https://w3id.org/cwkg/ontology#amount> "lots" .\n'
    )
    done = run(jena, str(CHECK), "owl", *map(str, files), str(broken))
    assert done.stdout.splitlines()[-1] == "invalid", done.stdout
