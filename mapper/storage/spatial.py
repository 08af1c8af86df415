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


def merge_arms(incident: Incident, max_km: float, columns: Any) -> list[Any]:
    """Conditions, each served by one index, whose union holds every stored incident that
    `same_incident(stored, incident)` could accept (besides the date window and bounding box
    the caller adds): a town-level report matches a town-level incident within `max_km` or at
    the same GeoNames place; a region-level one, the same region or place, or one within
    `max_km` when neither names its region."""
    c = columns
    same = [c.event_type == incident.event_type, c.historical == bool(incident.historical)]
    arms: list[Any] = []
    if incident.geo_precision == 3:
        same.append(c.geo_precision == 3)
        if incident.admin1_code:
            arms.append(c.admin1_code == incident.admin1_code)
        else:
            arms.append(sa.and_(within_km(incident.lat, incident.lon, max_km),
                                sa.or_(c.admin1_code.is_(None), c.admin1_code == "")))
    else:
        same.append(c.geo_precision != 3)
        arms.append(within_km(incident.lat, incident.lon, max_km))
    if incident.geonameid is not None:
        arms.append(c.geonameid == incident.geonameid)
    return [sa.and_(*same, arm) for arm in arms]


def _envelope(minlon: float, minlat: float, maxlon: float, maxlat: float) -> Any:
    return sa.func.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)


class _Geography(sa.types.UserDefinedType):
    """PostGIS `geography`, for casts only (no column of the metadata has this type)."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "geography"
