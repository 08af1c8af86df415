"""The built map in headless Chromium: loads offline, layers toggle, popups stay inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.maps.build import build_map, save_html

from test_maps import sample

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def map_file(tmp_path_factory, gazetteer):
    return save_html(build_map(sample(), gazetteer=gazetteer), tmp_path_factory.mktemp("map") / "map.html")


@pytest.fixture
def page(browser, map_file):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.errors, page.remote = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else page.remote.append(r.url))
    page.goto(map_file.as_uri())
    page.wait_for_function("window.incidentMapReady === true", timeout=15000)
    yield page
    page.close()


DRAWN = "IncidentMap.layers[0].clusters.getLayers().length"


def test_loads_offline_without_errors(page, tmp_path):
    assert page.errors == [] and page.remote == []
    assert page.evaluate(DRAWN) == 3  # Odesa, Geneva, the hostile one; the two region-precision incidents are areas
    assert page.locator("path.im-region").count() == 2
    labels = page.locator(".leaflet-control-layers-overlays label")
    assert labels.count() == 10  # 6 families, heat, fatalities by region, region outlines, place names
    assert page.locator(".imap-legend").is_visible() and page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".imap-timeline .imap-tl-bar").count() >= 2
    assert page.locator(".imap-label").count() > 5  # offline place names
    page.screenshot(path=str(tmp_path / "map.png"))


def test_markers_are_drawn_above_the_base_map(page):
    from test_browser import TOP_OF_MARKERS

    page.evaluate("IncidentMap.layers[0].map.setView([48.5, 33], 6, {animate: false})")
    page.wait_for_timeout(300)
    found = page.evaluate(TOP_OF_MARKERS.replace("document.getElementById('map')", "IncidentMap.layers[0].map.getContainer()"))
    assert len([f for f in found if f["id"] != "cluster"]) >= 2 and all(f["top"] for f in found), found


def test_hiding_a_layer_hides_its_markers(page):
    strikes = page.locator(".leaflet-control-layers-overlays label", has_text="Strikes and shelling")
    assert page.locator("path.im-marker.im-fam-strikes").count() == 1
    strikes.locator("input").uncheck()
    assert page.evaluate(DRAWN) == 2
    assert page.locator("path.im-marker.im-fam-strikes, path.im-region.im-fam-strikes").count() == 0
    assert "hide=strikes" in page.url
    assert page.errors == []


def test_popup_shows_hostile_text_as_text(page):
    assert page.evaluate("IncidentMap.layers[0].openPopup(4)")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert popup.locator("img, script").count() == 0
    assert "<b>bold</b>" in text  # the attribution, shown as typed
    assert popup.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []


def test_timeline_narrows_the_counts_and_the_url(page):
    label = page.locator('.imap-count[data-family="diplomacy"]')
    assert label.inner_text() == "(1)"
    day = "Math.round(Date.parse('2026-02-13') / 86400000)"
    page.evaluate(f"IncidentMap.layers[0].setRange({day}, {day}, true)")  # only the 13th: Geneva talks are later
    assert label.inner_text() == "(0)"
    assert page.locator('.imap-count[data-family="strikes"]').inner_text() == "(2)"
    assert "since=2026-02-13" in page.url and "until=2026-02-13" in page.url
    page.reload()
    page.wait_for_function("window.incidentMapReady === true", timeout=15000)
    assert page.locator('.imap-count[data-family="diplomacy"]').inner_text() == "(0)"  # the range came back


def test_compressed_data_block_draws_the_same(browser, tmp_path):
    """Large maps embed gzip+base85 columns; the browser inflates them to the same map."""
    incidents = sample()
    incidents[0].quote = "Officials wrote {{ 7*7 }} and {% if true %}x{% endif %}."
    path = save_html(build_map(incidents, compress_above=0), tmp_path / "packed.html")
    assert '"b85":"' in path.read_text(encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("window.incidentMapReady === true", timeout=15000)
    assert page.evaluate(DRAWN) == 5  # no gazetteer: no region shapes, every incident is a point
    page.evaluate("IncidentMap.layers[0].openPopup(4)")
    assert "<script>window.__pwned = 1</script>" in page.locator(".leaflet-popup-content").inner_text()
    page.evaluate("IncidentMap.layers[0].openPopup(0)")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")  # old one faded
    assert "{{ 7*7 }} and {% if true %}x{% endif %}" in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("window.__pwned") is None and errors == []
    page.close()
