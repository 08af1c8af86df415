"""What the map's counts, timeline, region shading and the dashboard charts show, in one pass.

`summarize` reads a few fields of every matching incident (not only the page the map loaded),
so the layer counts, the fatalities per region and the charts describe all of them. The same
function serves the web API (`/api/summary`) and the tests; the standalone map computes the
same figures in the browser from its embedded data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from mapper.families import FAMILIES, family_of
from mapper.maps.names import english_name

# The fields `summarize` reads, in this order (a store selects just these columns).
FIELDS = ("event_type", "sub_event_type", "event_date", "fatalities", "injured", "country", "admin1_code",
          "admin1", "actor1", "actor2")
TOP_ACTORS = 10
TOP_REGIONS = 500


class Row(NamedTuple):
    event_type: str
    sub_event_type: str
    event_date: date | str | None
    fatalities: int | None
    injured: int | None
    country: str | None
    admin1_code: str | None
    admin1: str | None
    actor1: str | None
    actor2: str | None


def rows_of(incidents: Iterable[Any]) -> list[Row]:
    """`Row`s of `Incident`s (what a store's column query returns directly)."""
    return [Row(*(getattr(i, f) for f in FIELDS)) for i in incidents]


def _iso(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def days(rows: Iterable[Row]) -> list[list[Any]]:
    """``[[YYYY-MM-DD, family, incidents, fatalities], ...]`` by day and family, oldest first;
    incidents without a date are left out (a range counts on its first day)."""
    by: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        day = _iso(r.event_date)
        if day is None:
            continue
        cell = by[(day, family_of(r.event_type, r.sub_event_type))]
        cell[0] += 1
        cell[1] += r.fatalities or 0
    order = {f.key: n for n, f in enumerate(FAMILIES)}
    return [[d, fam, n, fat] for (d, fam), (n, fat) in sorted(by.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))]


def summarize(rows: Iterable[Row], *, timeline: Iterable[Row] | None = None) -> dict[str, Any]:
    """Counts per family, fatalities per admin-1 region, top actors and per-day figures.

    `timeline` (default: `rows`) are the rows the date histogram is drawn from: the same
    filters without the date range, so a brushed range can be widened again.
    """
    rows = list(rows)
    families = {f.key: {"incidents": 0, "fatalities": 0} for f in FAMILIES}
    regions: dict[str, dict[str, Any]] = {}
    actors: Counter[str] = Counter()
    actor_deaths: Counter[str] = Counter()
    countries: set[str] = set()
    fatalities = injured = 0
    for r in rows:
        fam = families[family_of(r.event_type, r.sub_event_type)]
        fam["incidents"] += 1
        fam["fatalities"] += r.fatalities or 0
        fatalities += r.fatalities or 0
        injured += r.injured or 0
        if r.country:
            countries.add(r.country)
        if r.admin1_code:
            reg = regions.setdefault(r.admin1_code, {"code": r.admin1_code, "name": english_name(r.admin1) or r.admin1_code,
                                                     "country": r.country, "incidents": 0, "fatalities": 0})
            reg["incidents"] += 1
            reg["fatalities"] += r.fatalities or 0
        for actor in {a.strip() for a in (r.actor1, r.actor2) if a and a.strip()}:
            actors[actor] += 1
            actor_deaths[actor] += r.fatalities or 0
    top_regions = sorted(regions.values(), key=lambda g: (-g["fatalities"], -g["incidents"], g["code"]))
    return {
        "total": len(rows),
        "fatalities": fatalities,
        "injured": injured,
        "families": families,
        "countries": sorted(countries),
        "regions": top_regions[:TOP_REGIONS],
        "actors": [{"name": a, "incidents": n, "fatalities": actor_deaths[a]}
                   for a, n in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ACTORS]],
        "days": days(rows if timeline is None else timeline),
    }


__all__ = ["summarize", "days", "rows_of", "Row", "FIELDS"]
