"""Exports read back with standard tools: geopandas for GeoJSON and GeoPackage, csv for CSV."""

from __future__ import annotations

import csv
import json
from datetime import date

import geopandas as gpd
import pytest

from mapper.errors import IncidentMapError
from mapper.maps.export import CSV_COLUMNS, export
from mapper.records import Incident

INCIDENTS = [
    Incident(id="odesa-1", lat=46.4825, lon=30.7233, event_date=date(2026, 2, 13),
             event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Odesa",
             mention="Odesa", quote='One killed, six injured, "a massive attack", officials said.',
             country="UA", admin1="Odesa", admin1_code="UA.17", fatalities=1, injured=6,
             source="Example Wire", source_url="https://news.example/odesa",
             sources=[{"article_id": "a1", "source": "Example Wire", "quote": "One killed"}]),
    Incident(id="geneva-1", lat=46.2022, lon=6.1457, event_date=date(2026, 2, 17),
             event_date_end=date(2026, 2, 18), event_type="Diplomacy", sub_event_type="Negotiations",
             location="Geneva", mention="Geneva", quote="=HYPERLINK(\"http://evil.example\") talks in Geneva",
             country="CH"),
]


def test_geojson_is_rfc7946_and_reads_back(tmp_path):
    path = export(INCIDENTS, tmp_path / "out.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["features"][0]["geometry"] == {"type": "Point", "coordinates": [30.7233, 46.4825]}
    frame = gpd.read_file(path)
    assert len(frame) == 2 and frame.crs.to_epsg() == 4326
    assert list(frame["location"]) == ["Odesa", "Geneva"]
    assert frame.geometry.iloc[0].x == pytest.approx(30.7233)


def test_csv_has_acled_like_columns(tmp_path):
    path = export(INCIDENTS, tmp_path / "out.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    odesa, geneva = rows
    assert (odesa["event_id_cnty"], odesa["country"], odesa["iso"], odesa["year"]) == ("odesa-1", "Ukraine", "804", "2026")
    assert (odesa["latitude"], odesa["longitude"], odesa["fatalities"], odesa["injured"]) == ("46.4825", "30.7233", "1", "6")
    assert odesa["notes"] == INCIDENTS[0].quote  # commas and quotes survive
    assert geneva["fatalities"] == "" and geneva["event_date_end"] == "2026-02-18"
    assert geneva["notes"].startswith("'=HYPERLINK")  # not a live spreadsheet formula


def test_gpkg_reads_back(tmp_path):
    path = export(INCIDENTS, tmp_path / "out.gpkg")
    frame = gpd.read_file(path, layer="incidents")
    assert sorted(frame["id"]) == ["geneva-1", "odesa-1"]
    assert frame.crs.to_epsg() == 4326
    assert json.loads(frame.set_index("id").loc["odesa-1", "sources"])[0]["article_id"] == "a1"


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(IncidentMapError, match="unknown export format '.xlsx'"):
        export(INCIDENTS, tmp_path / "out.xlsx")
    assert not list(tmp_path.iterdir())


def test_empty_export_is_valid(tmp_path):
    assert json.loads(export([], tmp_path / "e.geojson").read_text()) == {"type": "FeatureCollection", "features": []}
    assert (tmp_path / "e.csv").exists() is False
    export([], tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_text().strip() == ",".join(CSV_COLUMNS)
