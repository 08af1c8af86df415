"""Takes the README's screenshots from a running server (`./dev demo`, then this).

    .venv/bin/python docs/make_screenshots.py http://127.0.0.1:8000

Debian's chromium through Playwright, desktop 1400x900 and phone 390x844; writes
docs/screenshots/{map,dashboard,incident,phone}.png.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def settled(page) -> None:
    """The map with its data, its region outlines and its place names drawn."""
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    page.wait_for_selector(".leaflet-imap-admin-pane path", state="attached", timeout=30000)
    page.wait_for_selector(".imap-label", state="attached", timeout=30000)
    page.wait_for_timeout(800)


def main(base: str) -> int:
    OUT.mkdir(exist_ok=True)
    # For the incident page: the one most sources reported (then the deadliest).
    features = json.loads(urlopen(base + "/api/incidents?limit=1000").read())["features"]
    worst = max(features, key=lambda f: (len(f["properties"]["sources"]), f["properties"]["fatalities"] or 0))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desk = browser.new_page(viewport={"width": 1400, "height": 900})
        desk.goto(base + "/#map=5.5/48.6/33.5")
        settled(desk)
        desk.screenshot(path=str(OUT / "map.png"))
        desk.goto(base + "/dashboard")
        desk.wait_for_selector("#dashboard[data-state=ready]", timeout=30000)
        desk.screenshot(path=str(OUT / "dashboard.png"))
        desk.goto(f"{base}/incidents/{worst['id']}")
        desk.screenshot(path=str(OUT / "incident.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        phone.goto(base + "/#map=6/48.6/34")
        settled(phone)
        phone.screenshot(path=str(OUT / "phone.png"))
        browser.close()
    for name in ("map", "dashboard", "incident", "phone"):
        print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
