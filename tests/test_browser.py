"""The web app in a real browser: Debian's chromium driven by Playwright, against a real
waitress server on 127.0.0.1. Screenshots go to the pytest tmp dir (path printed) to look at.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mapper.records import Article, Incident
from mapper.storage.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DATA = Path(__file__).parent / "data"
ARTICLES = DATA / "articles"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def seed(url: str) -> None:
    features = json.loads((DATA / "web_incidents.geojson").read_text(encoding="utf-8"))["features"]
    with Store.open(url) as store:
        for f in features:
            i = Incident.from_feature(f)
            store.ingest(Article(text=i.quote, published=i.published, url=i.source_url, source=i.source), [i])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A waitress server on a free loopback port, holding the hand-written incidents."""
    from waitress.server import create_server

    from web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'incidents.sqlite'}"
    seed(url)
    app = create_app({"DATABASE_URL": url})
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page plus what it did: console errors, page errors, requests, dialogs."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname not in ("127.0.0.1",) and not u.startswith("data:")]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watched = Watched(context.new_page())
    yield watched
    context.close()


def open_map(page, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_selector("#map[data-state=ready]", timeout=15000)


def markers(page, family: str | None = None) -> int:
    """Visible markers and cluster icons (of one family)."""
    fam = f".im-fam-{family}" if family else ""
    return page.page.locator(f"path.im-marker{fam}, .im-cluster-icon{fam}").count()


def test_map_loads_locally_without_errors(server, page, tmp_path):
    open_map(page, server + "/")
    assert markers(page) > 0
    assert page.page.locator("#map").get_attribute("data-count") == "8"
    shot = tmp_path / "map.png"
    page.page.screenshot(path=str(shot))
    print("screenshot:", shot)
    assert page.console_errors == []
    assert page.foreign_requests() == []
    assert any("/assets/leaflet/dist/leaflet.js" in u for u in page.requests)


def test_hiding_a_layer_hides_its_markers(server, page):
    open_map(page, server + "/")
    assert markers(page, "strikes") > 0 and markers(page, "diplomacy") > 0
    toggle = page.page.locator(".leaflet-control-layers-overlays label", has=page.page.locator("[data-family=strikes]"))
    page.page.wait_for_selector("path.im-region.im-fam-strikes")  # Donetsk Oblast, located to the region only
    toggle.locator("input").uncheck()
    assert markers(page, "strikes") == 0
    assert page.page.locator("path.im-region.im-fam-strikes").count() == 0
    assert markers(page, "diplomacy") > 0
    toggle.locator("input").check()
    assert markers(page, "strikes") > 0


def test_map_filter_changes_the_url_and_narrows(server, page):
    open_map(page, server + "/")
    page.page.fill("input[name=country]", "UA")
    page.page.click("#filters button[type=submit]")
    page.page.wait_for_selector("#map[data-count='4'][data-state=ready]")
    assert parse_qs(urlsplit(page.page.url).query) == {"country": ["UA"]}
    assert markers(page, "diplomacy") == 0
    assert "country=UA" in page.page.get_attribute("#table-link", "href")
    page.page.go_back()
    page.page.wait_for_selector("#map[data-count='8'][data-state=ready]")


def test_table_filter_narrows_and_changes_the_url(server, page, tmp_path):
    page.page.goto(server + "/incidents")
    assert page.page.locator("tr[data-id]").count() == 8
    page.page.fill("input[name=q]", "drone")
    page.page.click("#filters button[type=submit]")
    page.page.wait_for_url("**/incidents?*q=drone*")
    rows = page.page.locator("tr[data-id]")
    assert 0 < rows.count() < 8
    page.page.screenshot(path=str(tmp_path / "table.png"), full_page=True)
    # A row leads to its marker, popup open.
    page.page.locator("tr[data-id=web-munich-visit] a.marker-link").click()
    page.page.wait_for_selector(".leaflet-popup-content .im-popup", timeout=15000)
    assert "Munich" in page.page.inner_text(".leaflet-popup-content")
    assert page.console_errors == []


def test_article_markup_never_runs(server, page, tmp_path):
    # The map popup of the hostile incident (its place name is an <img onerror>, its quote has a <script>).
    open_map(page, server + "/?focus=web-hostile-izium")
    page.page.wait_for_selector(".leaflet-popup-content .im-popup", timeout=15000)
    popup = page.page.inner_text(".leaflet-popup-content")
    assert "<script>alert(1)</script>" in popup and "<img src=x onerror=alert(1)>" in popup
    assert page.page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
    page.page.screenshot(path=str(tmp_path / "hostile-popup.png"))
    # The same popup opened the user's way, by clicking the marker.
    page.page.click(".leaflet-popup-close-button")
    page.page.locator("path.im-marker[data-id='web-hostile-izium']").click()
    page.page.wait_for_selector(".leaflet-popup-content .im-popup", timeout=15000)
    assert "<script>alert(1)</script>" in page.page.inner_text(".leaflet-popup-content")
    # The table and the incident page.
    page.page.goto(server + "/incidents?q=izium")
    assert "<img src=x onerror=alert(1)>" in page.page.inner_text("#incident-table")
    page.page.goto(server + "/incidents/web-hostile-izium")
    assert "<script>alert(1)</script>" in page.page.inner_text("main")
    page.page.screenshot(path=str(tmp_path / "hostile-incident.png"), full_page=True)
    assert page.dialogs == []
    assert page.page.evaluate("document.querySelectorAll('main img, main script').length") == 0


def test_ingest_through_the_form_adds_a_marker(server, page, gazetteer, nlp, tmp_path):
    page.page.goto(server + "/ingest")
    page.page.fill("textarea[name=text]", (ARTICLES / "hostile.txt").read_text(encoding="utf-8"))
    page.page.click("#ingest-form [type=submit]")
    page.page.wait_for_selector("#preview")
    page.page.screenshot(path=str(tmp_path / "ingest-preview.png"), full_page=True)
    found = page.page.locator("#preview tbody tr").count()
    assert found >= 1 and "No incident found" not in page.page.inner_text("#preview")
    page.page.click("#save-form [type=submit]")
    page.page.wait_for_selector("#map[data-state=ready]", timeout=15000)
    page.page.wait_for_selector(".leaflet-popup-content .im-popup", timeout=15000)
    assert int(page.page.locator("#map").get_attribute("data-count")) > 8
    page.page.screenshot(path=str(tmp_path / "ingest-saved.png"))
    assert page.dialogs == []
    assert page.console_errors == []


def test_analysis_map_loads_locally_without_errors(server, page, gazetteer, tmp_path):
    page.page.goto(server + "/map.html")
    page.page.wait_for_selector(".leaflet-control-layers", timeout=15000)
    page.page.wait_for_timeout(500)
    page.page.screenshot(path=str(tmp_path / "analysis-map.png"))
    assert page.console_errors == []
    assert page.foreign_requests() == []
