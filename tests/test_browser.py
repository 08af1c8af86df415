"""The web app in a real browser: Debian's chromium driven by Playwright, against a real
waitress server on 127.0.0.1. Every page a test opens must log no console error and send no
request off the machine (checked when the page closes). Screenshots go to the pytest tmp dir.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest

from mapper.records import Article, Incident
from mapper.storage.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DATA = Path(__file__).parent / "data"
ARTICLES = DATA / "articles"
PHONE = {"width": 390, "height": 844}

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


NEAR_ODESA = Incident(
    id="web-odesa-port-report-2", lat=46.5, lon=30.83, event_date=date(2026, 2, 13),
    event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Odesa", mention="Odesa",
    quote="One person died when a drone hit the Odesa port on Friday, the regional governor said.",
    country="UA", fatalities=1, source="Other Wire", source_url="https://other-wire.test/odesa-port")
FAR_STRIKE = Incident(
    id="web-mykolaiv-strike", lat=46.975, lon=31.995, event_date=date(2026, 2, 14),
    event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack", location="Mykolaiv",
    mention="Mykolaiv", quote="Shelling damaged houses in Mykolaiv on Saturday, officials said.",
    country="UA", fatalities=5, source="Third Wire", source_url="https://third-wire.test/mykolaiv")


def serve_app(url: str):
    from waitress.server import create_server

    from web import create_app

    srv = create_server(create_app({"DATABASE_URL": url}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=srv.run, daemon=True).start()
    return srv


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A waitress server on a free loopback port, holding the hand-written incidents."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'incidents.sqlite'}"
    seed(url)
    srv = serve_app(url)
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()


@pytest.fixture
def editable(tmp_path):
    """A server of its own for tests that change incidents: the seed plus a second report of the
    Odesa strike and a strike in another town a day later."""
    url = f"sqlite:///{tmp_path / 'incidents.sqlite'}"
    seed(url)
    with Store.open(url) as store:
        for i in (FAR_STRIKE, NEAR_ODESA):
            store.ingest(Article(text=i.quote, published=i.event_date, url=i.source_url, source=i.source), [i])
    srv = serve_app(url)
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

    def check_clean(self) -> None:
        assert self.console_errors == []
        assert self.foreign_requests() == []


def watched_page(browser, viewport=None, *, expect_errors: bool = False):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
    return context, Watched(context.new_page())


@pytest.fixture
def page(browser):
    context, watched = watched_page(browser)
    yield watched
    context.close()
    watched.check_clean()


@pytest.fixture
def phone(browser):
    context, watched = watched_page(browser, PHONE)
    yield watched
    context.close()
    watched.check_clean()


def open_map(page, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_selector("#map[data-state=ready]", timeout=20000)


def wait_until(page, expression: str, *, timeout: float = 10) -> None:
    """Polls `expression` from outside the page (wait_for_function would need 'unsafe-eval',
    which the app's Content-Security-Policy rightly refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def markers(page, family: str | None = None) -> int:
    """Drawn markers and cluster icons (of one family)."""
    fam = f".im-fam-{family}" if family else ""
    return page.page.locator(f"path.im-marker{fam}, .im-cluster-icon{fam}").count()


TOP_OF_MARKERS = """() => {
    // For each drawn marker: is it the topmost thing painted at its centre? Outlines, shading and
    // labels do not catch the pointer, so for this check everything on the map is made to.
    const probe = document.createElement('style');
    probe.textContent = '.leaflet-pane, .leaflet-pane * { pointer-events: auto !important; }';
    document.head.appendChild(probe);
    const out = [], m = document.getElementById('map').getBoundingClientRect();
    for (const el of document.querySelectorAll('path.im-marker, .im-cluster-icon')) {
        const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (!r.width || x < m.left || y < m.top || x > m.right || y > m.bottom) continue;  // outside the map's frame
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.leaflet-control-container')) continue;  // under the layer list or legend: UI, not map
        out.push({id: el.getAttribute('data-id') || (el.matches('.im-cluster-icon') ? 'cluster' : 'marker'), top: !!hit && (hit === el || el.contains(hit))});
    }
    probe.remove();
    return out;
}"""


def test_markers_are_on_top_on_every_cold_load(server, browser):
    """Ten fresh browser contexts (no cache): every drawn marker is the topmost element at its
    centre, above the country fill, the region shading and the labels (panes with a fixed order)."""
    for n in range(10):
        path = "/" if n % 2 == 0 else "/?country=UA#map=7/48.9/37"  # a shared filter link too
        context, page = watched_page(browser)
        open_map(page, server + path)
        page.page.wait_for_selector(".leaflet-imap-base-pane path", state="attached", timeout=10000)  # outlines are in
        page.page.wait_for_timeout(300)
        found = page.page.evaluate(TOP_OF_MARKERS)
        context.close()
        assert sum(1 for f in found if f["id"] != "cluster") >= (1 if path == "/" else 2), (n, found)
        assert all(f["top"] for f in found), (n, [f for f in found if not f["top"]])
        page.check_clean()


def test_map_loads_locally_without_errors(server, page, tmp_path):
    open_map(page, server + "/")
    assert markers(page) > 0
    assert page.page.locator("#map").get_attribute("data-count") == "8"
    assert page.page.locator(".leaflet-control-scale").count() == 1
    page.page.wait_for_selector(".imap-label", state="attached", timeout=10000)  # offline place names
    assert "#map=" in page.page.url  # the view is in the URL
    shot = tmp_path / "map.png"
    page.page.screenshot(path=str(shot))
    print("screenshot:", shot)
    assert any("/assets/leaflet/dist/leaflet.js" in u for u in page.requests)
    assert any("/assets/incident-map/incident-map.js" in u for u in page.requests)


def test_counts_are_of_all_matching_incidents(server, page):
    open_map(page, server + "/")
    strikes = page.page.locator('.imap-count[data-family="strikes"]')
    assert strikes.inner_text() == "(3)"  # Odesa, Donetsk region, Izium
    page.page.goto(server + "/?type=strikes")
    page.page.wait_for_selector("#map[data-state=ready]")
    assert page.page.locator('.imap-count[data-family="diplomacy"]').inner_text() == "(0)"


def test_view_and_layers_come_back_from_the_url(server, page):
    open_map(page, server + "/?country=UA#map=7/48.9/35.5&hide=ground&heat=1")
    center = page.page.evaluate("[incidentMap.map.getZoom(), incidentMap.map.getCenter().lat, incidentMap.map.getCenter().lng]")
    assert center[0] == 7 and abs(center[1] - 48.9) < 0.01 and abs(center[2] - 35.5) < 0.01
    assert markers(page, "ground") == 0 and markers(page, "strikes") > 0
    assert page.page.locator(".leaflet-heatmap-layer").count() == 1
    toggle = page.page.locator(".leaflet-control-layers-overlays label", has=page.page.locator("[data-family=ground]"))
    assert not toggle.locator("input").is_checked()


def test_hiding_a_layer_hides_its_markers(server, page):
    open_map(page, server + "/")
    assert markers(page, "strikes") > 0 and markers(page, "diplomacy") > 0
    toggle = page.page.locator(".leaflet-control-layers-overlays label", has=page.page.locator("[data-family=strikes]"))
    page.page.wait_for_selector("path.im-region.im-fam-strikes")  # Donetsk Oblast, located to the region only
    toggle.locator("input").uncheck()
    wait_until(page.page, "!document.querySelector('path.im-marker.im-fam-strikes')")
    assert markers(page, "strikes") == 0
    assert page.page.locator("path.im-region.im-fam-strikes").count() == 0
    assert markers(page, "diplomacy") > 0
    assert "hide=strikes" in page.page.url
    toggle.locator("input").check()
    page.page.wait_for_selector("path.im-region.im-fam-strikes")
    assert markers(page, "strikes") > 0


def test_map_filter_changes_the_url_and_narrows(server, page):
    open_map(page, server + "/")
    page.page.fill("input[name=country]", "Ukraine")
    page.page.click("#filters button[type=submit]")
    page.page.wait_for_selector("#map[data-count='4'][data-state=ready]")
    assert parse_qs(urlsplit(page.page.url).query) == {"country": ["Ukraine"]}
    assert markers(page, "diplomacy") == 0
    assert "country=Ukraine" in page.page.get_attribute("#table-link", "href")
    assert "country=Ukraine" in page.page.get_attribute("#dashboard-link", "href")
    page.page.go_back()
    page.page.wait_for_selector("#map[data-count='8'][data-state=ready]")


def test_an_invalid_filter_clears_the_map(server, browser):
    context, page = watched_page(browser)
    open_map(page, server + "/")
    assert markers(page) > 0
    page.page.evaluate("history.pushState(null, '', '/?min_fatalities=lots'); incidentMap.reload()")
    page.page.wait_for_selector("#map[data-state=error]")
    assert "min_fatalities" in page.page.inner_text("#status")
    assert markers(page) == 0  # no stale markers under the error
    context.close()
    assert page.foreign_requests() == []
    assert all("400" in e for e in page.console_errors)  # the browser logs the 400 answer itself


def test_timeline_brush_changes_the_url_and_the_markers(server, page, tmp_path):
    open_map(page, server + "/")
    chart = page.page.locator("#timeline .imap-tl-chart")
    box = chart.bounding_box()
    assert page.page.locator("#timeline .imap-tl-bar").count() > 10  # days from 2026-01-20 to 02-25
    # Drag over the first third: late January (Kupiansk, El Fasher).
    page.page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, steps=5)
    page.page.mouse.up()
    page.page.wait_for_selector("#map[data-count='2'][data-state=ready]")
    query = parse_qs(urlsplit(page.page.url).query)
    assert query["since"] == ["2026-01-20"] and query["until"][0] < "2026-02-01"
    assert page.page.locator("input[name=since]").input_value() == "2026-01-20"
    assert {page.page.get_attribute(p, "data-id") for p in ["path.im-marker >> nth=0", "path.im-marker >> nth=1"]} == {
        "web-kupiansk-clash", "web-el-fasher-attack"}
    page.page.screenshot(path=str(tmp_path / "brushed.png"))
    page.page.click("#timeline .imap-tl-all")
    page.page.wait_for_selector("#map[data-count='8'][data-state=ready]")
    assert "since" not in page.page.url


def test_timeline_plays_through_the_dates(server, page):
    open_map(page, server + "/")
    page.page.click("#timeline .imap-tl-play")
    wait_until(page.page, "new URLSearchParams(location.search).get('since') > '2026-01-21'", timeout=15)
    page.page.click("#timeline .imap-tl-play")  # pause
    assert page.page.locator("#timeline[data-playing], #timeline .imap-timeline[data-playing]").count() == 0


def test_chart_page_renders_with_the_current_filter(server, page, tmp_path):
    open_map(page, server + "/?country=UA")
    page.page.click("#dashboard-link")
    page.page.wait_for_selector("#dashboard[data-state=ready]", timeout=15000)
    assert page.page.locator("#dashboard").get_attribute("data-total") == "4"
    assert "4 incidents, 8 people killed" in page.page.inner_text("#totals")
    drawn = page.page.evaluate("""[...document.querySelectorAll('#dashboard canvas')].map(c => {
        const chart = Chart.getChart(c);
        return chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1; })""")
    assert len(drawn) == 4 and all(n > 0 for n in drawn)
    labels = page.page.evaluate("Chart.getChart(document.getElementById('chart-regions')).data.labels")
    assert labels and all("(UA)" in label for label in labels)
    assert page.page.locator("input[name=country]").input_value() == "UA"
    page.page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert any("/assets/chart.js/dist/chart.umd.js" in u for u in page.requests)


def test_table_filter_narrows_and_leads_to_the_marker(server, page, tmp_path):
    page.page.goto(server + "/incidents")
    assert page.page.locator("tr[data-id]").count() == 8
    page.page.fill("input[name=q]", "drone")
    page.page.click("#filters button[type=submit]")
    page.page.wait_for_url("**/incidents?*q=drone*")
    rows = page.page.locator("tr[data-id]")
    assert 0 < rows.count() < 8
    page.page.locator("tr[data-id=web-munich-visit] a.marker-link").click()
    page.page.wait_for_selector(".leaflet-popup-content .imap-popup", timeout=15000)
    assert "Munich" in page.page.inner_text(".leaflet-popup-content")
    # The zoomed map says where it is (the names arrive in their own request, after the markers).
    page.page.wait_for_selector(".imap-label", state="attached", timeout=15000)


def test_article_markup_never_runs(server, page, tmp_path):
    open_map(page, server + "/?focus=web-hostile-izium")
    page.page.wait_for_selector(".leaflet-popup-content .imap-popup", timeout=15000)
    popup = page.page.inner_text(".leaflet-popup-content")
    assert "<script>alert(1)</script>" in popup and "<img src=x onerror=alert(1)>" in popup
    assert page.page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
    page.page.click(".leaflet-popup-close-button")
    page.page.locator("path.im-marker[data-id='web-hostile-izium']").click()
    page.page.wait_for_selector(".leaflet-popup-content .imap-popup", timeout=15000)
    assert "<script>alert(1)</script>" in page.page.inner_text(".leaflet-popup-content")
    page.page.goto(server + "/incidents?q=izium")
    assert "<img src=x onerror=alert(1)>" in page.page.inner_text("#incident-table")
    page.page.goto(server + "/incidents/web-hostile-izium")
    assert "<script>alert(1)</script>" in page.page.inner_text("main")
    assert page.dialogs == []
    assert page.page.evaluate("document.querySelectorAll('main img, main script').length") == 0


def test_merge_asks_first_and_can_be_undone(editable, page, tmp_path):
    p = page.page
    p.goto(editable + "/incidents/web-odesa-port")
    rows = p.locator("#duplicates tbody tr[data-id]")
    # The second report of the same strike ranks above a strike in another town a day later.
    assert [rows.nth(k).get_attribute("data-id") for k in range(rows.count())][:2] == [
        "web-odesa-port-report-2", "web-mykolaiv-strike"]
    assert "same day" in rows.nth(0).inner_text() and "same toll (1 killed)" in rows.nth(0).inner_text()
    rows.nth(0).locator("a.compare").click()
    # Both side by side before anything changes.
    p.wait_for_selector("#compare")
    head = p.inner_text("#compare thead")
    assert "web-odesa-port" in head and "web-odesa-port-report-2" in head
    assert urlopen(editable + "/api/incidents/web-odesa-port-report-2").status == 200
    p.screenshot(path=str(tmp_path / "merge-confirm.png"), full_page=True)
    p.click("#confirm-merge button[type=submit]")
    p.wait_for_selector("#unmerge-form")
    assert "Merged web-odesa-port-report-2" in p.inner_text(".flashes")
    assert "Sources (2)" in p.inner_text("main")
    # The audit trail is a field-level diff, not two dumps of the incident.
    merge_entry = p.locator(".audit-entry[data-action=merge]")
    assert "sources" in merge_entry.inner_text() and "Other Wire" in merge_entry.inner_text()
    assert p.locator(".audit-entry pre").count() == 0
    assert p.locator(".audit-entry[data-action=merge] table.diff tbody tr").count() <= 6
    gone = json.loads(urlopen(editable + "/api/incidents/web-odesa-port-report-2").read())  # redirected
    assert gone["id"] == "web-odesa-port"
    # Undo: both come back, each with its own sources.
    p.click("#unmerge-form button[type=submit]")
    p.wait_for_selector(".flashes")
    assert "is back as its own incident" in p.inner_text(".flashes")
    kept = json.loads(urlopen(editable + "/api/incidents/web-odesa-port").read())["properties"]
    back = json.loads(urlopen(editable + "/api/incidents/web-odesa-port-report-2").read())
    assert [s["source"] for s in kept["sources"]] == ["Example Wire"]
    assert back["id"] == "web-odesa-port-report-2" and [s["source"] for s in back["properties"]["sources"]] == ["Other Wire"]
    assert back["geometry"]["coordinates"] == [30.83, 46.5]
    assert p.locator(".audit-entry[data-action=unmerge]").count() == 1
    p.screenshot(path=str(tmp_path / "after-undo.png"), full_page=True)


def test_ingest_through_the_form_adds_a_marker(server, page, gazetteer, nlp, tmp_path):
    page.page.goto(server + "/ingest")
    page.page.fill("textarea[name=text]", (ARTICLES / "hostile.txt").read_text(encoding="utf-8"))
    page.page.click("#ingest-form [type=submit]")
    page.page.wait_for_selector("#preview")
    found = page.page.locator("#preview tbody tr").count()
    assert found >= 1 and "No incident found" not in page.page.inner_text("#preview")
    page.page.click("#save-form [type=submit]")
    page.page.wait_for_selector("#map[data-state=ready]", timeout=15000)
    page.page.wait_for_selector(".leaflet-popup-content .imap-popup", timeout=15000)
    assert int(page.page.locator("#map").get_attribute("data-count")) > 8
    assert page.dialogs == []


PHONE_PAGES = ["/", "/incidents", "/incidents/web-donetsk-region", "/ingest", "/dashboard", "/login",
               "/incidents/web-odesa-port/merge?other_id=web-kupiansk-clash", "/incidents/nope"]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_horizontal_overflow_on_a_phone(server, browser, path, tmp_path):
    context, page = watched_page(browser, PHONE)
    page.page.goto(server + path)
    if path == "/":
        page.page.wait_for_selector("#map[data-state=ready]", timeout=20000)
    elif path.startswith("/dashboard"):
        page.page.wait_for_selector("#dashboard[data-state=ready]", timeout=20000)
    page.page.wait_for_timeout(200)
    width = page.page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    page.page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    context.close()
    assert width <= PHONE["width"], f"{path}: {width} px wide"
    assert page.foreign_requests() == []
    assert all("404" in e for e in page.console_errors) and (path == "/incidents/nope" or not page.console_errors)


def test_phone_map_keeps_the_map_free(server, phone, tmp_path):
    open_map(phone, server + "/")
    p = phone.page
    assert p.locator(".leaflet-control-layers-expanded").count() == 0  # the layer list is a button
    assert not p.locator(".imap-legend details").evaluate("d => d.open")  # the legend too
    covered = p.evaluate("""() => {
        const map = document.getElementById('map').getBoundingClientRect();
        let area = 0;
        for (const c of document.querySelectorAll('.leaflet-control-layers, .imap-legend')) {
            const r = c.getBoundingClientRect(); area += r.width * r.height; }
        return area / (map.width * map.height); }""")
    assert covered < 0.05, covered
    p.evaluate("incidentMap.focus('web-kupiansk-clash')")
    p.wait_for_selector(".leaflet-popup-content .imap-popup")
    popup = p.locator(".leaflet-popup").bounding_box()
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= PHONE["width"]
    p.screenshot(path=str(tmp_path / "phone-map.png"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_workers(tmp_path):
    """`incident-map serve --workers 2`, as `./dev demo` runs it."""
    url = f"sqlite:///{tmp_path / 'incidents.sqlite'}"
    seed(url)
    port = free_port()
    env = {**os.environ}
    env.pop("INCIDENT_MAP_TOKEN", None)
    # One key for both processes, as a deployment sets it; issue 14 makes the server share one
    # on its own (a key file under INCIDENT_MAP_HOME).
    env.setdefault("INCIDENT_MAP_SECRET_KEY", "browser-test-shared-key")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "incident-map"), "serve", "--db", url, "--port", str(port),
                             "--workers", "2", "--threads", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"serve did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=15)


def test_twenty_form_posts_in_a_row_on_two_workers(two_workers, browser):
    """Each form is fetched in one browser context and posted from another with the same cookies
    (its own connections), so a worker is often asked to accept a token the other one made."""
    url = two_workers + "/incidents/web-odesa-port"
    for n in range(20):
        form_ctx, form_page = watched_page(browser)
        form_page.page.goto(url)
        html = form_page.page.content()
        post_ctx, post_page = watched_page(browser)
        post_ctx.add_cookies(form_ctx.cookies())
        # the same form, shown without asking the server again; only the post goes out
        post_page.page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        post_page.page.goto(url)
        post_page.page.unroute(url)
        post_page.page.fill("#correct-form input[name=lat]", f"{46.48 + n / 1000:.4f}")
        post_page.page.click("#correct-form [type=submit]")
        post_page.page.wait_for_load_state()
        body = post_page.page.inner_text("body")
        form_ctx.close()
        post_ctx.close()
        assert "security token" not in body, f"post {n + 1}: {body[:300]}"
        assert "Moved to" in body, f"post {n + 1}: {body[:300]}"
    trail = json.loads(urlopen(two_workers + "/api/incidents/web-odesa-port/audit").read())["audit"]
    assert len(trail) == 20
