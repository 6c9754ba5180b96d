"""The pages in a real browser: a resource page, the query page, the search box, a chart.

Debian's chromium driven by Playwright against a real uvicorn server over the real project's graph;
Playwright's own browser download is not used. Without chromium (or the playwright package) these tests
skip on a developer's machine and fail under CI (CI=true), so a missing browser never passes unnoticed.
Every page is checked to ask no host but our server, and to raise no script error."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import _missing
from tests.server.conftest import LiveServer, start_project_server

#: Where the tests save screenshots of the pages (CWKG_SCREENSHOTS=docs/screenshots refreshes the README's).
SHOTS = os.environ.get("CWKG_SCREENSHOTS")


@pytest.fixture(scope="session")
def site(project: tuple, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server over the project's graph, its dumps in its dist folder."""
    server = start_project_server(project, tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture
def page(chromium_context: Any, site: LiveServer) -> Iterator[Any]:
    """A new tab; fails the test if the page asks any host but our server."""
    tab = chromium_context.new_page()
    elsewhere: list[str] = []
    tab.on(
        "request",
        lambda r: None if r.url.startswith((site.url, "data:", "blob:")) else elsewhere.append(r.url),
    )
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    tab.close()
    assert not elsewhere, f"the page asked other hosts: {elsewhere}"
    assert not errors, f"script errors: {errors}"


def screenshot(tab: Any, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot when CWKG_SCREENSHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


pytestmark = pytest.mark.browser


def test_resource_page_renders_statements_and_sources_and_its_links_work(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/id/role/social-worker")
    assert page.locator("h1").inner_text() == "social worker"
    regulation = page.locator("section.statements", has_text="Regulation")
    assert regulation.locator("li.card").count() >= 2
    assert regulation.locator("blockquote").count() >= 2  # the quoted passages
    assert page.locator("#career svg.career").is_visible()
    screenshot(page, "resource", full_page=True)
    regulation.get_by_role("link", name="Social Work England").first.click()
    page.wait_for_url(f"{site.url}/id/org/social-work-england")
    assert page.locator("h1").inner_text() == "Social Work England"
    page.get_by_role("link", name="Turtle", exact=True).first.wait_for()


def test_query_page_runs_a_canned_example_and_shows_rows(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/sparql")
    page.wait_for_function("window.cwkgYasgui !== undefined")
    page.select_option("#examples", label="Search labels and acronyms")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=15_000)
    assert rows.count() >= 1
    assert "ASYE" in page.locator(".yasr").inner_text()
    screenshot(page, "sparql")


def test_search_box_finds_asye_by_acronym(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/")
    box = page.get_by_role("searchbox", name="Search the graph")
    box.fill("ASYE")
    box.press("Enter")
    page.wait_for_url("**/search?q=ASYE")
    first = page.locator("#search-results li a").first
    assert "/id/programme/asye" in first.get_attribute("href")
    first.click()
    page.wait_for_url(f"{site.url}/id/programme/asye")
    assert "ASYE" in page.locator("header.resource").inner_text()


def test_dataset_chart_is_drawn_from_our_own_libraries(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/id/dataset/dcsf-2008-regional-turnover-rates")
    page.locator(".chart svg .mark-rect").first.wait_for(timeout=15_000)
    assert page.locator("table.observations tbody tr").count() == 45
    box = page.locator(".chart svg.marks").bounding_box()
    assert box is not None and box["width"] > 600  # drawn across the page, not squeezed
    page.evaluate("document.querySelector('#observations').scrollIntoView()")
    screenshot(page, "dataset")


def test_home_ontology_and_browse_pages(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/")
    screenshot(page, "home")
    page.goto(f"{site.url}/ontology#Role")
    assert page.locator("#Role h3").is_visible()
    screenshot(page, "ontology")
    page.goto(f"{site.url}/browse/role")
    assert page.locator("ul.results li").count() == 50
    screenshot(page, "browse")


#: One page of every kind a person may land on.
PHONE_PAGES = (
    "/",
    "/browse",
    "/browse/role",
    "/search?q=social+worker",
    "/search",
    "/id/role/social-worker",
    "/id/org/ofsted",
    "/id/programme/step-up-to-social-work",
    "/id/qualification/social-work-degree",
    "/id/dataset/dcsf-2008-regional-turnover-rates",
    "/id/statistic/la-children-social-worker-vacancy-rate",
    "/id/source/cypnow-social-work-2019",
    "/id/statement/9ebc46a1f084",
    "/id/observation/c1acc2da0450",
    "/id/person/jacky-tiotto",
    "/.well-known/void",
    "/api/queries",
    "/api/queries/role-requirements?role=https://w3id.org/cwkg/id/role/social-worker",
    "/api",
    "/ontology",
    "/dumps/",
    "/sparql",
)
WIDEST = """() => {
  const w = document.documentElement.clientWidth;
  const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
      && !e.closest('.table-wrap, table, pre, .chart, .yasr, .yasqe, .CodeMirror, details:not([open])'));
  return {scroll: document.documentElement.scrollWidth, width: w,
          over: over.slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))};
}"""


@pytest.fixture
def phone(chromium_context: Any, site: LiveServer) -> Iterator[Any]:
    """A tab 390 px wide, the width of a phone."""
    tab = chromium_context.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    yield tab
    tab.close()


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Any, site: LiveServer, path: str) -> None:
    response = phone.goto(f"{site.url}{path}")
    assert response is not None and response.ok, path
    phone.wait_for_load_state("networkidle")
    seen = phone.evaluate(WIDEST)
    assert seen["scroll"] <= seen["width"], f"{path} scrolls sideways at 390 px: {seen}"


def test_query_results_do_not_scroll_the_page_sideways_on_a_phone(phone: Any, site: LiveServer) -> None:
    phone.goto(f"{site.url}/sparql")
    phone.wait_for_function("window.cwkgYasgui !== undefined")
    phone.select_option("#examples", label="Search labels and acronyms")
    phone.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    seen = phone.evaluate(WIDEST)
    assert seen["scroll"] <= seen["width"], f"the query page scrolls sideways at 390 px: {seen}"


def test_figures_over_time_are_drawn_on_a_time_axis(page: Any, site: LiveServer) -> None:
    # 002 gives the vacancy rate for 2004-2006 (fig. 4.1) and 000/001 for September 2018 and 2019
    page.goto(f"{site.url}/id/statistic/la-children-social-worker-vacancy-rate")
    points = page.locator(".chart svg .mark-symbol path")
    points.first.wait_for(timeout=15_000)
    xs = sorted({round(p.bounding_box()["x"]) for p in points.all()})
    assert len(xs) >= 4
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    # one year apart (2004, 2005, 2006) is much narrower than the twelve years to 2018
    assert max(gaps) > 5 * min(gaps), f"points are not spaced as years: {xs}"
    assert page.locator("figure.chart-figure figcaption").inner_text().startswith("Line chart over time")
    assert page.locator(".chart svg .role-title-text").text_content()


#: axe-core, pinned in web/package-lock.json beside the libraries the pages serve (installed by `make install`).
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_page_has_a_serious_accessibility_violation(page: Any, site: LiveServer, path: str) -> None:
    if not AXE.exists():
        _missing(f"axe-core is not installed at {AXE} (make install runs npm ci in web/)")
    page.goto(f"{site.url}{path}")
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{path}: " + "; ".join(serious)


def test_query_results_show_labels_beside_iris_and_numbers_as_numbers(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/sparql")
    page.wait_for_function("window.cwkgYasgui !== undefined")
    tab = "window.cwkgYasgui.getTab()"
    page.evaluate(
        f"""{tab}.setQuery('PREFIX cw: <https://w3id.org/cwkg/ontology#> SELECT ?o ?value WHERE {{ '
        + '?o cw:statistic <https://w3id.org/cwkg/id/statistic/la-children-social-worker-vacancy-rate> ; '
        + 'cw:obsValue ?value }} ORDER BY ?value'); {tab}.getYasqe().query();"""
    )
    page.locator(".yasr .iri-label").first.wait_for(timeout=15_000)
    labels = page.locator(".yasr .iri-label").all_inner_texts()
    # 000: "a 16.4 per cent vacancy rate in September 2019"
    assert any(label.endswith("September 2019: 16.4 per cent") for label in labels), labels
    numbers = page.locator(".yasr span.number").all_inner_texts()
    assert "16.4" in numbers and not any("^^" in n for n in numbers)


# --- three journeys, each from the home page ---------------------------------------------------------

JOURNEY_SHOTS = Path(SHOTS) if SHOTS else None


def shoot(tab: Any, name: str) -> None:
    """A screenshot at the desktop size and at 390 px, when CWKG_SCREENSHOTS names a folder."""
    if JOURNEY_SHOTS is None:
        return
    JOURNEY_SHOTS.mkdir(parents=True, exist_ok=True)
    size = tab.viewport_size
    tab.screenshot(path=str(JOURNEY_SHOTS / f"{name}-desktop.png"))
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.screenshot(path=str(JOURNEY_SHOTS / f"{name}-phone.png"))
    tab.set_viewport_size(size)


def on_first_screen(tab: Any, locator: Any) -> bool:
    """Whether an element is in view without scrolling (its bottom above the fold)."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= tab.viewport_size["height"]


def test_an_analyst_finds_what_a_social_worker_needs_who_regulates_them_and_the_bursaries(
    page: Any, site: LiveServer
) -> None:
    # 000: "In December 2019, Social Work England replaced the Health and Care Professions Council";
    # 001: the bursary for postgraduate students is £3,362.50 in 2019/20
    page.goto(f"{site.url}/")
    page.get_by_role(
        "link", name="What qualification does a social worker need, and who regulates them?"
    ).click()
    page.wait_for_url(f"{site.url}/id/role/social-worker")  # one click
    regulators = page.locator("#summary-regulated")
    assert "Social Work England" in regulators.inner_text() and on_first_screen(page, regulators)
    requires = page.locator("#summary-requires")
    assert on_first_screen(page, requires)
    needs = [t.lower() for t in requires.locator("li").all_inner_texts()]
    assert any("qualification" in t or "degree" in t for t in needs) and any("regist" in t for t in needs), (
        needs
    )
    shoot(page, "journey-analyst-role")
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="What bursaries are there for social work students?").click()
    page.locator("#search-results a", has_text="social work bursar").first.click()  # two clicks
    funding = page.locator("#summary-funding")
    assert "£3,362.50" in funding.inner_text() and "2019/20" in funding.inner_text()
    assert on_first_screen(page, funding)
    shoot(page, "journey-analyst-bursaries")


def test_a_developer_reaches_the_vocabulary_and_a_working_example_query(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="The vocabulary (ontology)").click()  # one click
    assert page.locator("#Role h3").is_visible()
    shoot(page, "journey-developer-vocabulary")
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="SPARQL query editor").click()  # one click
    page.wait_for_function("window.cwkgYasgui !== undefined")
    page.select_option("#examples", label="Search labels and acronyms")  # two
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=15_000)
    shoot(page, "journey-developer-query")


def test_a_publisher_reaches_the_licence_version_and_checksums_in_one_click(
    page: Any, site: LiveServer
) -> None:
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="Downloads", exact=True).first.click()  # one click
    text = page.locator("main").inner_text()
    assert "SHA-256" in text and re.search(r"\b[0-9a-f]{64}\b", text)
    assert "licen" in text.lower() and "version" in text.lower()
    shoot(page, "journey-publisher")


FITS = """() => [...document.querySelectorAll('svg.career text.label')].map(t => {
  const rect = t.parentElement.querySelector('rect');
  const box = t.getBBox(), r = rect.getBBox();
  return {text: t.textContent, fits: box.x >= r.x - 1 && box.x + box.width <= r.x + r.width + 1};
})"""


def test_career_diagram_labels_are_names_that_fit_their_boxes(page: Any, site: LiveServer) -> None:
    page.goto(f"{site.url}/id/role/social-worker")
    labels = page.evaluate(FITS)
    assert len(labels) >= 3
    assert not [x["text"] for x in labels if not x["fits"]], labels
    assert not [x["text"] for x in labels if re.fullmatch(r"[0-9a-f]{12}", x["text"].strip())]
    assert page.locator("svg.career a title").count() >= 2  # the whole name as a tooltip
