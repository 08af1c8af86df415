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


def test_loads_offline_without_errors(page, tmp_path):
    assert page.errors == [] and page.remote == []
    n = page.evaluate("IncidentMap.layers[0].clusters.reduce((n, g) => n + g.getLayers().length, 0)")
    assert n == 3  # Odesa, Geneva, the hostile one; the two region-precision incidents are areas
    assert page.locator(".leaflet-control-layers-overlays label").count() == 6  # 4 families, heat, choropleth
    assert page.locator(".imap-legend").is_visible()
    page.screenshot(path=str(tmp_path / "map.png"))


def test_hiding_a_layer_hides_its_markers(page):
    strikes = page.locator(".leaflet-control-layers-overlays label", has_text="Strikes and shelling")
    # markers are drawn on a canvas: count those of the cluster groups on the map
    on_map = "IncidentMap.layers[0].clusters.filter(c => c._map).reduce((n, c) => n + c.getLayers().length, 0)"
    shown = page.evaluate(on_map)
    assert page.evaluate("IncidentMap.layers[0].clusters[0]._map !== null")
    strikes.locator("input").uncheck()
    assert page.evaluate("!IncidentMap.layers[0].clusters[0]._map")
    # the strikes' markers are gone, the other families' stay (the page keeps working)
    assert 0 < page.evaluate(on_map) < shown
    strikes.locator("input").check()
    assert page.evaluate(on_map) == shown
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


def test_timeline_narrows_the_counts(page):
    label = page.locator('.imap-count[data-family="diplomacy"]')
    assert label.inner_text() == "(1)"
    page.evaluate("""() => {
        const [from, to] = document.querySelectorAll('.imap-timeline input');
        to.value = from.value;  // only the first day: Geneva talks are later
        to.dispatchEvent(new Event('input'));
    }""")
    page.wait_for_function("document.querySelector('.imap-count[data-family=\"diplomacy\"]').textContent === '(0)'")
    assert page.locator('.imap-count[data-family="strikes"]').inner_text() == "(2)"


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
    assert page.evaluate("IncidentMap.layers[0].clusters.reduce((n, g) => n + g.getLayers().length, 0)") == 5
    page.evaluate("IncidentMap.layers[0].openPopup(4)")
    assert "<script>window.__pwned = 1</script>" in page.locator(".leaflet-popup-content").inner_text()
    page.evaluate("IncidentMap.layers[0].openPopup(0)")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")  # old one faded
    assert "{{ 7*7 }} and {% if true %}x{% endif %}" in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("window.__pwned") is None and errors == []
    page.close()
