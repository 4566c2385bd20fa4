"""The web application in a real browser: Debian's Chromium driven by Playwright, against a
live ``oncokg serve``. Screenshots of every page go to ``build/screenshots/``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from oncokg.api import OncoKG

from .conftest import REPO, Serving
from .test_catalogue import expected_rows

SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, headless, from ``scripts/install-peer-tools``; closed afterwards."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is missing: run scripts/install-peer-tools"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, web: Serving) -> Iterator[Any]:
    context = browser.new_context(base_url=web.url, viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def section(page: Any, heading: str) -> Any:
    """The section of a page under the ``h2`` with this id."""
    return page.locator("section", has=page.locator(f"h2#{heading}"))


def test_drug_page_and_a_fact_followed_to_its_source(page: Any) -> None:
    page.goto("/resource/sotorasib")
    assert page.title() == "sotorasib · OncoKG"
    assert page.locator("h1").inner_text() == "sotorasib"
    assert page.get_by_text("洛滿舒膜衣錠").count() >= 1  # the Chinese brand name
    shoot(page, "drug-sotorasib")
    page.screenshot(path=str(SCREENSHOTS / "drug-sotorasib-top.png"))  # the README's picture
    claim = (
        section(page, "targets").locator("a[href^='/resource/s000-']").first
    )  # the claim of a target row
    target = claim.get_attribute("href")
    assert target is not None
    claim.click()
    page.wait_for_url("**" + target)
    provenance = section(page, "provenance").inner_text()
    with OncoKG.open() as kg:
        (row,) = kg.query("claim-provenance", claim="okr:" + target.rsplit("/", 1)[1])
    quote = str(row["quotes"]).split(" | ")[0]
    assert re.search(r"[\u4e00-\u9fff]", quote) and quote[:40] in provenance  # verbatim
    shoot(page, "claim")
    page.locator("a[href='/resource/src-000']").first.click()
    page.wait_for_load_state()
    assert "monograph" in page.locator("h1").inner_text()
    shoot(page, "source-monograph")


def test_variant_page(page: Any) -> None:
    with OncoKG.open() as kg:
        (variant,) = kg.resolve("KIT T670I", "genotype")
    page.goto(variant.replace("https://w3id.org/oncokg", ""))
    assert "T670I" in page.locator("h1").inner_text()
    assert section(page, "sensitivity-and-resistance-evidence").locator("tbody tr").count() >= 1
    shoot(page, "variant-kit-t670i")


def test_trial_page_forest_plot_shows_imforte_hazard_ratios(page: Any) -> None:
    page.goto("/resource/trial-002-imforte")
    assert page.locator("h1").inner_text().startswith("IMforte")
    plot = page.locator("svg.plot").first
    assert plot.is_visible()
    text = plot.text_content()
    assert "HR 0.73 (95% CI 0.57-0.95), p = 0.0174" in text
    assert "HR 0.54, p < 0.0001" in text
    box = plot.bounding_box()
    assert box is not None and box["width"] > 400
    shoot(page, "trial-imforte")
    page.locator("section.plot-block").first.screenshot(
        path=str(SCREENSHOTS / "forest-imforte.png")
    )
    page.goto("/plots/forest?endpoint=OS")
    assert "HR 0.73 (95% CI 0.57-0.95)" in page.locator("svg.plot").text_content()
    page.locator("svg.plot").screenshot(path=str(SCREENSHOTS / "forest-plot-os.png"))
    shoot(page, "forest-os")


def test_source_page(page: Any) -> None:
    page.goto("/resource/src-002")
    assert "IMforte" in page.locator("h1").inner_text()
    assert section(page, "referred-to-by").locator("tbody tr").count() >= 20
    shoot(page, "source-imforte")


def test_typing_a_chinese_name_suggests_the_drug(page: Any) -> None:
    page.goto("/")
    page.locator("#search-box").press_sequentially("舒尼替尼", delay=30)
    suggestion = page.locator("#suggestions a").first
    suggestion.wait_for(timeout=10_000)
    assert suggestion.inner_text().startswith("sunitinib")
    shoot(page, "search-suggestions")
    suggestion.click()
    page.wait_for_url("**/resource/sunitinib")
    assert page.locator("h1").inner_text() == "sunitinib"


def test_query_page_runs_a_catalogue_example(page: Any) -> None:
    page.goto("/sparql")
    page.get_by_role("link", name="Trial results of a drug").click()
    page.wait_for_load_state()
    assert "VALUES" in page.locator("#query").input_value()
    assert (
        section(page, "results").locator("tbody tr").count()
        == len(expected_rows("trial-outcomes")[2])
        == 8
    )
    page.locator("#query").fill("SELECT ?d WHERE { ?d a okg:Drug } ORDER BY ?d LIMIT 2")
    page.get_by_role("button", name="Run").click()
    page.wait_for_load_state()
    rows = section(page, "results").locator("tbody tr")
    assert rows.count() == 2
    link = rows.first.locator("a")
    target = link.get_attribute("href")
    assert target is not None and target.startswith("/resource/")
    link.click()
    page.wait_for_url("**" + target)
    assert page.locator("h1").count() == 1 and page.locator("h2#statements").count() == 1
    shoot(page, "query-result-followed")
