"""PostGIS clauses for the store: the bbox filter and the merge lookup on `incidents.geom`.

Used only when the store's PostgreSQL database has the `geom` column (migration 0004, where
the postgis extension could be created); SQLite and PostgreSQL without PostGIS keep the plain
lat/lon clauses. Each clause here selects the same rows as the lat/lon one it stands in for, only
through a GiST index: the bbox test is the index's `&&` plus the exact lat/lon bounds, and the
merge lookup narrows the candidates to those `mapper.storage.merge.same_incident` could accept
(the same type, then within a few km, or the same GeoNames place or region), which it then decides.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mapper.records import Incident

# ST_DWithin on geography measures on the WGS 84 spheroid; `same_incident` on a sphere
# (gazetteer.distance). They differ by well under 1%: search a little wider, and let the
# merge decide exactly.
DISTANCE_MARGIN = 1.01
DISTANCE_SLACK_M = 50.0

_GEOM = sa.literal_column("incidents.geom")


def has_geometry(conn: sa.Connection) -> bool:
    """True when the store's incidents have the PostGIS `geom` column (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(sa.text(
        "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('incidents') AND attname = 'geom' "
        "AND NOT attisdropped")).first() is not None


def bbox(minlon: float, minlat: float, maxlon: float, maxlat: float) -> Any:
    """`geom` within the box (edges included), through the GiST index; a box whose west edge is
    east of its east edge crosses the antimeridian and is two boxes."""
    if minlon <= maxlon:
        return _GEOM.op("&&")(_envelope(minlon, minlat, maxlon, maxlat))
    return sa.or_(_GEOM.op("&&")(_envelope(minlon, minlat, 180.0, maxlat)),
                  _GEOM.op("&&")(_envelope(-180.0, minlat, maxlon, maxlat)))


def within_km(lat: float, lon: float, km: float) -> Any:
    """`geom` within `km` of (lat, lon) on the spheroid, through the geography index."""
    point = sa.func.ST_SetSRID(sa.func.ST_MakePoint(lon, lat), 4326)
    return sa.func.ST_DWithin(sa.cast(_GEOM, _Geography()), sa.cast(point, _Geography()),
                              km * 1000.0 * DISTANCE_MARGIN + DISTANCE_SLACK_M)


def merge_arms(*, region: bool, admin1: bool, place: bool, max_km: float, columns: Any) -> list[Any]:
    """Conditions, each served by one index, whose union holds every stored incident that
    `same_incident(stored, incident)` could accept (besides the date window and bounding box
    the caller adds): a town-level report matches a town-level incident within `max_km` or at
    the same GeoNames place; a region-level one, the same region or place, or one within
    `max_km` when neither names its region.

    The shape is the report's (`region`: geo_precision 3, `admin1`: it names its region, `place`:
    it has a GeoNames id); its values are bound parameters (`merge_params`), so one statement
    per shape is built and compiled once and every lookup only executes it."""
    c = columns
    same = [c.event_type == sa.bindparam("event_type", type_=c.event_type.type),
            c.historical == sa.bindparam("historical", type_=c.historical.type)]
    near = within_km(sa.bindparam("point_lat", type_=sa.Float), sa.bindparam("point_lon", type_=sa.Float), max_km)
    arms: list[Any] = []
    if region:
        same.append(c.geo_precision == 3)
        if admin1:
            arms.append(c.admin1_code == sa.bindparam("admin1_code", type_=c.admin1_code.type))
        else:
            arms.append(sa.and_(near, sa.or_(c.admin1_code.is_(None), c.admin1_code == "")))
    else:
        same.append(c.geo_precision != 3)
        arms.append(near)
    if place:
        arms.append(c.geonameid == sa.bindparam("geonameid", type_=c.geonameid.type))
    return [sa.and_(*same, arm) for arm in arms]


def merge_shape(incident: Incident) -> dict[str, bool]:
    """The shape of `incident`'s merge lookup: `merge_arms`'s keyword arguments."""
    return {"region": incident.geo_precision == 3, "admin1": bool(incident.admin1_code),
            "place": incident.geonameid is not None}


def merge_params(incident: Incident) -> dict[str, Any]:
    """The values `merge_arms`'s statement for `incident`'s shape binds."""
    shape = merge_shape(incident)
    out: dict[str, Any] = {"event_type": incident.event_type, "historical": bool(incident.historical)}
    if not (shape["region"] and shape["admin1"]):
        out.update(point_lat=incident.lat, point_lon=incident.lon)
    if shape["region"] and shape["admin1"]:
        out["admin1_code"] = incident.admin1_code
    if shape["place"]:
        out["geonameid"] = incident.geonameid
    return out


def _envelope(minlon: float, minlat: float, maxlon: float, maxlat: float) -> Any:
    return sa.func.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)


class _Geography(sa.types.UserDefinedType):
    """PostGIS `geography`, for casts only (no column of the metadata has this type)."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "geography"
