"""The pages in a real browser: a resource page, the query page, the search box, a chart.

Debian's chromium driven by Playwright against a real uvicorn server over the real project's graph;
Playwright's own browser download is not used. Without chromium (or the playwright package) these tests
skip on a developer's machine and fail under CI (CI=true), so a missing browser never passes unnoticed.
Every page is checked to ask no host but our server, and to raise no script error."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import LiveServer, start_project_server

CHROMIUM = os.environ.get("CWKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where the tests save screenshots of the pages (CWKG_SCREENSHOTS=docs/screenshots refreshes the README's).
SHOTS = os.environ.get("CWKG_SCREENSHOTS")


def _missing(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {why}", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="session")
def chromium_context() -> Iterator[Any]:
    """A headless chromium with a fresh, empty profile."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"no chromium at {CHROMIUM} (apt-get install chromium, or `make test` as root)")
    profile = tempfile.mkdtemp(prefix="cwkg-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1200, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


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
