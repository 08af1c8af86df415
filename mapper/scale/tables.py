"""The extraction dataset on disk: one GeoParquet file of incidents per partition, beside it the
partition's articles and the articles that failed, each with the reason.

    OUT/dataset.json                 what this directory is (ingest recognises it by this file)
    OUT/incidents/<partition>.parquet   GeoParquet 1.1: one row per incident, Point geometry (WGS 84)
    OUT/articles/<partition>.parquet    one row per article extracted (text included: ingest stores it)
    OUT/errors/<partition>.parquet      one row per record that gave no incidents list, with the reason

Every file is written to a temporary name and renamed, the incidents file last: a partition whose
incidents file exists is complete, and a crashed run leaves nothing that looks complete.
Columns have fixed types (not inferred), so the partitions read as one dataset.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.errors import IncidentMapError
from mapper.records import INCIDENT_PROPERTIES, Article, Incident

FORMAT = "incident-map-geoparquet"
FORMAT_VERSION = 1
MANIFEST = "dataset.json"
TABLES = ("incidents", "articles", "errors")

# Incident properties stored as JSON text: `sources` is a list of dicts (each with its trace).
_JSON_COLUMNS = ("sources",)
# Where an incident came from in the run: its partition, the article's place in it, its own place in the article.
_ORDER_COLUMNS = ("partition", "article_index", "incident_index")


@dataclass(slots=True)
class PartitionResult:
    """What one partition gave: incidents per article (in article order) and the failures."""

    name: str
    articles: list[tuple[Article, list[Incident]]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # article_index, article_id, origin, reason, detail

    def summary(self) -> dict[str, Any]:
        return {"partition": self.name, "articles": len(self.articles),
                "incidents": sum(len(found) for _, found in self.articles), "errors": len(self.errors)}


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s, i32, i64, d = pa.string(), pa.int32(), pa.int64(), pa.date32()
    incident_types = {
        "id": s, "event_date": d, "event_date_end": d, "time_precision": i32, "event_type": s,
        "sub_event_type": s, "actor1": s, "actor2": s, "fatalities": i64, "injured": i64, "location": s,
        "mention": s, "country": s, "admin1": s, "admin1_code": s, "geonameid": i64, "geo_precision": i32,
        "attribution": s, "quote": s, "source": s, "source_url": s, "published": d, "article_id": s,
        "casualty_note": s, "historical": pa.bool_(), "sources": s,
    }
    assert set(incident_types) == set(INCIDENT_PROPERTIES), "every DESIGN.md property has a column"
    order = [pa.field("partition", s), pa.field("article_index", i32)]
    return {
        "incidents": pa.schema([*order, pa.field("incident_index", i32),
                                *(pa.field(n, incident_types[n]) for n in INCIDENT_PROPERTIES),
                                pa.field("geometry", pa.binary())]),
        "articles": pa.schema([*order, pa.field("article_id", s), pa.field("url", s), pa.field("title", s),
                               pa.field("source", s), pa.field("published", d), pa.field("origin", s),
                               pa.field("text", s), pa.field("incidents", i32)]),
        "errors": pa.schema([*order, pa.field("article_id", s), pa.field("origin", s), pa.field("reason", s),
                             pa.field("detail", s)]),
    }


def start(out: Path) -> None:
    """Creates `out` as a dataset directory, or checks that it is one (a re-run resumes it)."""
    manifest = out / MANIFEST
    if manifest.exists():
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise IncidentMapError(f"{manifest}: unreadable ({err})") from err
        if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
            raise IncidentMapError(f"{out} holds a dataset of another format ({meta.get('format')} "
                                   f"{meta.get('version')}): choose another output directory")
        return
    if out.exists() and any(out.iterdir()):
        raise IncidentMapError(f"{out} is not empty and is not an extraction dataset: choose another output directory")
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
    _atomic_write(manifest, json.dumps({"format": FORMAT, "version": FORMAT_VERSION}).encode("utf-8"))


def is_dataset(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def done(out: Path, name: str) -> bool:
    """True when partition `name` was written whole (its incidents file is renamed into place last)."""
    return (out / "incidents" / f"{name}.parquet").is_file()


def write(out: Path, result: PartitionResult) -> None:
    """Writes one partition's three files, each atomically, the incidents file last."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    schemas = _schemas()
    name = result.name
    articles, incident_rows = [], []
    lons, lats = [], []
    for index, (article, found) in enumerate(result.articles):
        articles.append({"partition": name, "article_index": index, "article_id": article.id, "url": article.url,
                         "title": article.title, "source": article.source, "published": article.published,
                         "origin": article.origin, "text": article.text, "incidents": len(found)})
        for k, incident in enumerate(found):
            row: dict[str, Any] = {"partition": name, "article_index": index, "incident_index": k}
            for prop in INCIDENT_PROPERTIES:
                value = getattr(incident, prop)
                row[prop] = json.dumps(value, ensure_ascii=False, default=str) if prop in _JSON_COLUMNS else value
            incident_rows.append(row)
            lons.append(incident.lon)
            lats.append(incident.lat)
    geometry = shapely.to_wkb(shapely.points(lons, lats)) if lons else []
    for row, wkb in zip(incident_rows, geometry):
        row["geometry"] = bytes(wkb)
    error_rows = [{"partition": name, **e} for e in result.errors]
    tables = {
        "articles": pa.Table.from_pylist(articles, schema=schemas["articles"]),
        "errors": pa.Table.from_pylist(error_rows, schema=schemas["errors"]),
    }
    incidents = pa.Table.from_pylist(incident_rows, schema=schemas["incidents"])
    tables["incidents"] = incidents.replace_schema_metadata({b"geo": json.dumps(_geo_metadata(lons, lats)).encode()})
    for table in ("articles", "errors", "incidents"):  # incidents last: it marks the partition done
        target = out / table / f"{name}.parquet"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(tables[table], tmp, compression="zstd")
        os.replace(tmp, target)


def _geo_metadata(lons: list[float], lats: list[float]) -> dict[str, Any]:
    """GeoParquet 1.1 file metadata: WKB points; no `crs` key means OGC:CRS84 (lon/lat, WGS 84)."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if lons:
        column["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# -- reading back ---------------------------------------------------------------------------

def partitions(out: Path) -> list[str]:
    """Names of the complete partitions in the dataset `out`, sorted."""
    return sorted(p.stem for p in (out / "incidents").glob("*.parquet") if not p.name.startswith("."))


def read_incidents(out: Path, name: str) -> list[tuple[int, Incident]]:
    """(article index, incident) of one partition, in the order they were extracted."""
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(out / "incidents" / f"{name}.parquet").sort_by(
        [("article_index", "ascending"), ("incident_index", "ascending")])
    points = shapely.from_wkb(table.column("geometry").to_pylist()) if table.num_rows else []
    out_rows = []
    for row, point in zip(table.drop_columns(["geometry"]).to_pylist(), points):
        props = {k: v for k, v in row.items() if k not in _ORDER_COLUMNS}
        for column in _JSON_COLUMNS:
            props[column] = json.loads(props[column]) if props[column] else []
        out_rows.append((row["article_index"], Incident(lat=point.y, lon=point.x, **props)))
    return out_rows


def read_partition(out: Path, name: str) -> Iterator[tuple[Article, list[Incident]]]:
    """(article, its incidents) of one written partition, in extraction order."""
    import pyarrow.parquet as pq

    by_article: dict[int, list[Incident]] = {}
    for index, incident in read_incidents(out, name):
        by_article.setdefault(index, []).append(incident)
    table = pq.read_table(out / "articles" / f"{name}.parquet").sort_by("article_index")
    for row in table.to_pylist():
        article = Article(text=row["text"], published=row["published"], url=row["url"], title=row["title"],
                          source=row["source"], origin=row["origin"])
        found = by_article.get(row["article_index"], [])
        if article.id != row["article_id"] or len(found) != row["incidents"]:
            raise IncidentMapError(f"{out}: partition {name} is inconsistent (article {row['article_id']}): "
                                   "delete its three files and run the extraction again")
        yield article, found


def read_errors(out: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = out / "errors" / f"{name}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []
