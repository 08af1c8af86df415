"""Map build benchmark: our data-driven map vs naive folium (one Marker per incident).

Prints build time (build_map + render to standalone HTML), HTML size and page-ready time in
headless Chromium (navigation start -> all markers loaded and clustered) for synthetic
incidents. Usage::

    INCIDENT_MAP_HOME=var .venv/bin/python bench/map_build.py [--sizes 1000 10000 100000]
        [--naive-max 100000] [--timeout 180] [--gazetteer]
"""

from __future__ import annotations

import argparse
import html
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import folium

from mapper.maps import assets
from mapper.maps.build import build_map, to_html
from mapper.records import Incident

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TYPES = [
    ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Strategic developments", "Disrupted weapons use"), ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"), ("Diplomacy", "Negotiations"), ("Diplomacy", "Visit"),
]

def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    weights = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0, 1.0, 1.5,
               2.0, 0.8, 0.1, 0.2, 0.2, 0.1]
    return ["".join(rng.choices(letters, weights, k=rng.randint(2, 10))) for _ in range(size)]


def _quote(rng: random.Random, vocab: list[str], zipf: list[float]) -> str:
    """A sentence with English-like statistics (Zipf word frequencies), so that compression
    ratios are realistic (~3x for gzip), unlike a sentence from a dozen repeated words."""
    words = rng.choices(vocab, zipf, k=rng.randint(18, 40))
    return " ".join(words).capitalize() + "."


def synthetic(n: int, *, seed: int = 7) -> list[Incident]:
    """n incidents over Ukraine and western Russia, a year of dates, 500 place names, 30 sources."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    zipf = [1 / (r + 1) for r in range(len(vocab))]
    places = [(f"Place {k}", rng.uniform(44.5, 52.5), rng.uniform(22.5, 45.0)) for k in range(500)]
    out = []
    for k in range(n):
        name, lat, lon = rng.choice(places)
        et, st = rng.choice(TYPES)
        quote = _quote(rng, vocab, zipf)
        out.append(Incident(
            id=f"syn{k:07d}", lat=lat + rng.gauss(0, 0.05), lon=lon + rng.gauss(0, 0.05),
            event_date=date(2025, 3, 1) + timedelta(days=rng.randrange(365)), event_type=et, sub_event_type=st,
            location=name, mention=name, quote=quote, country="UA" if lon < 40 else "RU",
            fatalities=rng.choice([None, 0, 0, 1, 2, 3, 5, 12]), injured=rng.choice([None, 0, 1, 4, 9]),
            attribution=f"Regional administration {k % 40}", source=f"Wire {k % 30}",
            source_url=f"https://news{k % 30}.example/story/{k // 3}", geo_precision=rng.choice([1, 1, 1, 2]),
        ))
    return out


def naive_map(incidents: list[Incident]) -> folium.Map:
    """The reference: folium as documented, one Marker (with the same popup facts) per incident."""
    m = folium.Map(location=[48.5, 33], zoom_start=5, tiles=None)
    m.default_js = [("leaflet", assets.file_url(assets.LEAFLET_JS))]
    m.default_css = [("leaflet_css", assets.file_url(assets.LEAFLET_CSS))]
    for i in incidents:
        body = (f"<b>{i.event_date}</b><br>{html.escape(i.event_type)} · {html.escape(i.sub_event_type)}<br>"
                f"{i.fatalities} killed, {i.injured} injured<br>{html.escape(i.location)} (precision {i.geo_precision})"
                f"<br>According to {html.escape(i.attribution or '')}<br><i>{html.escape(i.quote)}</i><br>"
                f'<a href="{html.escape(i.source_url or "")}">{html.escape(i.source or "")}</a>')
        folium.Marker([i.lat, i.lon], popup=folium.Popup(body, max_width=320)).add_to(m)
    return m


def page_ready(browser, path: Path, *, ours: bool, timeout: float) -> tuple[float | None, float | None]:
    """Seconds from navigation start until the markers are drawn, and then for a zoom-in by two
    levels to be drawn (how interactive the page is); None on timeout."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=timeout * 1000)
        if ours:
            page.wait_for_function("window.incidentMapReadyAt != null", timeout=timeout * 1000)
            ready = page.evaluate("window.incidentMapReadyAt") / 1000
        else:
            # the markers exist once the inline script has run; wait until a frame is painted
            ready = page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))") / 1000
        zoom = page.evaluate("""() => new Promise(resolve => {
            const map = window[Object.keys(window).find(k => /^map_[0-9a-f]{32}$/.test(k))];
            const t0 = performance.now();
            map.once('zoomend', () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)));
            map.setZoom(map.getZoom() + 2, {animate: false});
        })""", ) / 1000
        return ready, zoom
    except Exception as err:  # a timeout or a crashed tab is a result here, not a bug
        print(f"    page did not get ready: {type(err).__name__}", file=sys.stderr)
        return None, None
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--naive-max", type=int, default=100000, help="skip naive above this size")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--gazetteer", action="store_true", help="our map with the offline base map (outlines)")
    args = parser.parse_args()
    gz = None
    if args.gazetteer:
        import gazetteer

        gz = gazetteer.load()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            incidents = synthetic(n)
            for name in ("ours", "naive"):
                if name == "naive" and n > args.naive_max:
                    continue
                t0 = time.perf_counter()
                m = build_map(incidents, gazetteer=gz) if name == "ours" else naive_map(incidents)
                text = to_html(m)
                build = time.perf_counter() - t0
                path = Path(tmp) / f"{name}-{n}.html"
                path.write_text(text, encoding="utf-8")
                del m, text
                ready, zoom = page_ready(browser, path, ours=name == "ours", timeout=args.timeout)
                rows.append((n, name, build, path.stat().st_size / 1e6, ready))
                print(f"{n:>7} {name:<6} build {build:7.2f} s  html {rows[-1][3]:8.1f} MB  ready "
                      + (f"{ready:6.2f} s" if ready is not None else f"> {args.timeout:.0f} s")
                      # naive DOM markers move inside the zoom call itself, before anything is painted,
                      # so its figure would not be comparable: zoom is reported for ours only
                      + (f"  zoom-in drawn {zoom:5.2f} s" if zoom is not None and name == "ours" else ""),
                      flush=True)
        browser.close()
    print("\nsize    ratio naive/ours: build   html   ready")
    for n in args.sizes:
        ours = next((r for r in rows if r[0] == n and r[1] == "ours"), None)
        naive = next((r for r in rows if r[0] == n and r[1] == "naive"), None)
        if ours and naive:
            ready = f"{naive[4] / ours[4]:5.1f}x" if naive[4] and ours[4] else "  n/a"
            print(f"{n:>7}              {naive[2] / ours[2]:6.1f}x {naive[3] / ours[3]:5.1f}x {ready}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
