"""What the live map and the dashboard read: the map client's columns, the summary of all
matching incidents, admin-1 outlines, offline place labels, and the GeoPackage export.

The live map runs the same client as `incident-map build` (`mapper/maps/static/incident-map.js`);
these answers are what the standalone map has embedded, cut to the filters in the URL.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request

from mapper.errors import FilterError

from . import params
from .services import services

bp = Blueprint("mapdata", __name__)

MAP_LIMIT = 5000  # incidents the live map draws at once; beyond that it loads what is in view
LABELS_MAX = 600
COUNTRIES = re.compile(r"^[A-Z]{2}(,[A-Z]{2}){0,99}$")


def _filters(*, paged: bool = False) -> Any:
    filter_params, _ = params.split(request.args, page_keys=())
    if paged:
        limit = min(MAP_LIMIT, current_app.config["API_MAX_LIMIT"])
        return params.parse_filters(filter_params, default_limit=limit, max_limit=limit)
    filter_params.pop("limit", None)
    filter_params.pop("offset", None)
    return params.parse_filters(filter_params)


def _cached(response: Response, seconds: int = 3600) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    return response


@bp.get("/api/map/data")
def map_data():
    """The matching incidents as the map client's columns (`incident_columns`); ``truncated``
    says the server's limit cut them, so the map loads what is in view as the user zooms."""
    from mapper.maps.layers import incident_columns

    filters = _filters(paged=True)
    found = services().store.query(dataclasses.replace(filters, limit=filters.limit + 1))
    truncated = len(found) > filters.limit
    body = incident_columns(found[:filters.limit], ids=True)
    body["truncated"] = truncated
    body["limit"] = filters.limit
    return jsonify(body)


def summary_of(filters: Any) -> dict[str, Any]:
    """`mapper.maps.summary.summarize` of the incidents matching `filters` (its timeline: the
    same filters without the date range)."""
    from mapper.maps.summary import FIELDS, Row, summarize

    store = services().store
    rows = [Row(*r) for r in store.columns(filters, FIELDS)]
    timeline = None
    if filters.since or filters.until:
        timeline = [Row(*r) for r in store.columns(dataclasses.replace(filters, since=None, until=None), FIELDS)]
    return summarize(rows, timeline=timeline)


@bp.get("/api/summary")
def summary():
    """Counts per family, fatalities per region, top actors and per-day figures of every
    incident matching the filters (not only those the map draws)."""
    return jsonify(summary_of(_filters()))


@bp.get("/api/basemap/admin1.geojson")
def admin1():
    """Admin-1 outlines of some countries (``?countries=UA,RU``), for outlines and shading."""
    codes = request.args.get("countries", "").upper().replace(" ", "")
    if codes and not COUNTRIES.match(codes):
        abort(400, description="countries: ISO 3166-1 alpha-2 codes separated by commas, e.g. UA,RU")
    from mapper.maps.build import _simplify

    features = []
    for cc in dict.fromkeys(c for c in codes.split(",") if c):
        for f in (services().gazetteer.admin1_geojson(cc) or {}).get("features", []):
            if f.get("geometry"):
                props = f.get("properties") or {}
                features.append({"type": "Feature", "properties": {"admin1_code": props.get("admin1_code"),
                                                                   "name": props.get("name")},
                                 "geometry": _simplify(f["geometry"])})
    response = jsonify(type="FeatureCollection", features=features)
    response.mimetype = "application/geo+json"
    return _cached(response)


@bp.get("/api/labels.json")
def labels():
    """Place labels in a box (``?bbox=minlon,minlat,maxlon,maxlat&zoom=Z``), most important first."""
    from mapper.filters import Filters
    from mapper.maps.labels import within, world_labels

    try:
        zoom = int(request.args.get("zoom", "5"))
    except ValueError as err:
        raise FilterError("zoom: expected a whole number") from err
    bbox = Filters.from_params({"bbox": request.args.get("bbox")}).bbox
    ext = current_app.extensions
    if "incident_map_labels" not in ext:  # every label of the world: read once per app
        ext["incident_map_labels"] = world_labels(services().gazetteer)
    found = within(ext["incident_map_labels"], bbox, max_zoom=max(0, min(zoom, 18)), limit=LABELS_MAX)
    return _cached(jsonify(labels=[lb.row() for lb in found]))


@bp.get("/api/export.gpkg")
def export_gpkg():
    """The matching incidents as a GeoPackage (layer ``incidents``, EPSG:4326)."""
    from mapper.maps.export import export

    from .api import export_name

    found = services().store.query(_filters())
    fd, name = tempfile.mkstemp(suffix=".gpkg")
    os.close(fd)
    path = Path(name)
    path.unlink()  # the GPKG driver creates the file itself
    try:
        export(found, path)
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    return Response(data, mimetype="application/geopackage+sqlite3",
                    headers={"Content-Disposition": f'attachment; filename="{export_name("gpkg")}"'})
