"""`/assets/<path>`: the pinned npm map assets (Leaflet and plugins), served from node_modules.

Only whitelisted files are served (mapper.assets decides which); nothing else in node_modules
is reachable. Pinned versions never change under a URL, so they are cached for a day.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_file

bp = Blueprint("assets", __name__)

# Used until/unless mapper.assets offers `resolve`: the files the web map itself loads.
FALLBACK_PREFIXES = (
    "leaflet/dist/",
    "leaflet.markercluster/dist/",
)
FALLBACK_SUFFIXES = (".js", ".css", ".png", ".svg")


def resolve(relpath: str) -> Path | None:
    """The file behind an asset URL, or None when it is not one we serve."""
    try:
        from mapper import assets
    except ImportError:
        assets = None
    if assets is not None and hasattr(assets, "resolve"):
        return assets.resolve(relpath)
    from gazetteer.paths import node_modules

    if ".." in relpath.split("/") or not relpath.startswith(FALLBACK_PREFIXES) or not relpath.endswith(FALLBACK_SUFFIXES):
        return None
    root = node_modules().resolve()
    path = (root / relpath).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


@bp.get("/assets/<path:relpath>")
def asset(relpath: str):
    path = resolve(relpath)
    if path is None:
        abort(404, description=f"no asset {relpath!r}")
    return send_file(path, max_age=86400)
