"""Files users hand on: GeoJSON (RFC 7946), CSV with ACLED-like columns, GeoPackage.

The CSV keeps every report of a merged incident: ``all_sources`` and ``all_quotes`` list them
one per line (same order), besides the first source in ACLED's ``source`` and ``notes``.

`export(incidents, path)` picks the format from the suffix and writes atomically (a failed
or interrupted export never leaves a half-written file under the target name).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mapper.errors import IncidentMapError
from mapper.families import family_of
from mapper.maps.names import place_label
from mapper.records import Incident, feature_collection

# ACLED's column names where the concept is the same (analysts join the two), ours after.
CSV_COLUMNS = (
    "event_id_cnty", "event_date", "event_date_end", "year", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "iso", "country", "country_code", "admin1", "admin1_code",
    "location", "latitude", "longitude", "geo_precision", "geonameid", "source", "source_url", "notes",
    "fatalities", "injured", "casualty_note", "attribution", "mention", "published", "article_id",
    "historical", "family", "n_sources", "place_en", "all_sources", "all_quotes",
)
SOURCE_SEP = "\n"  # between the entries of all_sources / all_quotes (one line each in a spreadsheet cell)
FORMATS = (".geojson", ".csv", ".gpkg")


def export(incidents: Sequence[Incident], path: str | Path) -> Path:
    """Writes `incidents` to `path`; the format follows the suffix (.geojson, .csv, .gpkg)."""
    path = Path(path)
    writers: dict[str, Callable[[Sequence[Incident], Path], None]] = {
        ".geojson": _write_geojson, ".json": _write_geojson, ".csv": _write_csv, ".gpkg": _write_gpkg,
    }
    writer = writers.get(path.suffix.lower())
    if writer is None:
        raise IncidentMapError(f"{path}: unknown export format {path.suffix!r}; use one of {', '.join(FORMATS)}")
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        writer(list(incidents), tmp)
        tmp.replace(path)
    except OSError as err:
        raise IncidentMapError(f"{path}: cannot write: {err.strerror or err}") from err
    finally:
        tmp.unlink(missing_ok=True)
    return path


def geojson_text(incidents: Sequence[Incident]) -> str:
    """RFC 7946 FeatureCollection text: WGS 84 ``[lon, lat]``, no ``crs`` member."""
    return json.dumps(feature_collection(list(incidents)), ensure_ascii=False, separators=(",", ":"),
                      default=_json_default)


def csv_text(incidents: Sequence[Incident]) -> str:
    """CSV with `CSV_COLUMNS` (the web app serves this as /api/export.csv)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_row(i) for i in incidents)
    return buf.getvalue()


def csv_row(i: Incident) -> dict[str, Any]:
    return {
        "event_id_cnty": i.id,
        "event_date": _iso(i.event_date),
        "event_date_end": _iso(i.event_date_end),
        "year": i.event_date.year if i.event_date else "",
        "time_precision": i.time_precision,
        "event_type": i.event_type,
        "sub_event_type": i.sub_event_type,
        "actor1": _cell(i.actor1),
        "actor2": _cell(i.actor2),
        "iso": _iso_numeric(i.country),
        "country": _country_name(i.country),
        "country_code": i.country or "",
        "admin1": _cell(i.admin1),
        "admin1_code": i.admin1_code or "",
        "location": _cell(i.location),
        "latitude": round(i.lat, 6),
        "longitude": round(i.lon, 6),
        "geo_precision": i.geo_precision,
        "geonameid": "" if i.geonameid is None else i.geonameid,
        "source": _cell(i.source),
        "source_url": _cell(i.source_url),
        "notes": _cell(i.quote),
        "fatalities": "" if i.fatalities is None else i.fatalities,
        "injured": "" if i.injured is None else i.injured,
        "casualty_note": _cell(i.casualty_note),
        "attribution": _cell(i.attribution),
        "mention": _cell(i.mention),
        "published": _iso(i.published),
        "article_id": i.article_id or "",
        "historical": int(bool(i.historical)),
        "family": family_of(i.event_type, i.sub_event_type),
        "n_sources": len(i.sources),
        "place_en": _cell(place_label(i.location, i.mention)),
        "all_sources": _cell(SOURCE_SEP.join(_source_line(s) for s in _sources(i))),
        "all_quotes": _cell(SOURCE_SEP.join(" ".join(str(s.get("quote") or "").split()) for s in _sources(i))),
    }


def _sources(i: Incident) -> list[dict[str, Any]]:
    """Every report of the incident; one built from its own fields when none is listed."""
    if i.sources:
        return [s for s in i.sources if isinstance(s, dict)]
    return [{"source": i.source, "source_url": i.source_url, "published": _iso(i.published), "quote": i.quote,
             "article_id": i.article_id}]


def _source_line(s: dict[str, Any]) -> str:
    """``publisher, YYYY-MM-DD, URL (article <id>)`` of one report."""
    published = s.get("published")
    parts = [s.get("source") or "unknown publisher", _iso(published) if hasattr(published, "isoformat") else published,
             s.get("source_url")]
    line = ", ".join(str(p) for p in parts if p)
    return f"{line} (article {s['article_id']})" if s.get("article_id") else line


def _write_geojson(incidents: Sequence[Incident], path: Path) -> None:
    path.write_text(geojson_text(incidents), encoding="utf-8")


def _write_csv(incidents: Sequence[Incident], path: Path) -> None:
    path.write_text(csv_text(incidents), encoding="utf-8", newline="")


def _write_gpkg(incidents: Sequence[Incident], path: Path) -> None:
    import geopandas as gpd

    rows = []
    for i in incidents:
        props = i.properties()
        props["sources"] = json.dumps(props["sources"], ensure_ascii=False, default=_json_default)  # GPKG has no list type
        props["family"] = family_of(i.event_type, i.sub_event_type)
        rows.append(props)
    columns = [*rows[0].keys()] if rows else ["id"]
    frame = gpd.GeoDataFrame(
        rows or None, columns=columns,
        geometry=gpd.points_from_xy([i.lon for i in incidents], [i.lat for i in incidents]), crs="EPSG:4326")
    frame.to_file(path, driver="GPKG", layer="incidents")


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates inside `sources` entries
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _cell(value: str | None) -> str:
    """Text cell; a leading = + - @ would run as a formula in a spreadsheet, so it is quoted."""
    if not value:
        return ""
    return "'" + value if value[0] in "=+-@\t\r" else value


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code) if country else code


def _iso_numeric(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return str(int(country.numeric)) if country else ""


__all__ = ["export", "geojson_text", "csv_text", "csv_row", "CSV_COLUMNS", "FORMATS"]
