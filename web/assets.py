"""`/assets/<path>`: the pinned npm map assets (Leaflet and plugins), served from node_modules, or
from the copies an installed wheel carries (no Node needed).

Only whitelisted files are served (`mapper.maps.assets.resolve` decides which, and where from);
nothing else in node_modules is reachable. Pinned versions never change under a URL, so they are cached for a day.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from mapper.maps import assets

bp = Blueprint("assets", __name__)


@bp.get("/assets/<path:relpath>")
def asset(relpath: str):
    path = assets.resolve(relpath)
    if path is None:
        abort(404, description=f"no asset {relpath!r}")
    return send_file(path, max_age=86400)
