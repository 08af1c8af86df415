"""One incident, many reports: merging the same event told by several articles (or twice in one).

Two incidents are the same when they are of the same event type, on the same day (or
overlapping date ranges) and at the same place: within `MAX_KM` for towns, the same admin-1
region for region-level ones. The merged incident keeps the first id (ids stay stable), the
more precise location, the figures of the latest report (a later toll corrects an earlier
one) and every source.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from gazetteer.distance import distance_km
from mapper.records import Incident

MAX_KM = 5.0


def same_incident(a: Incident, b: Incident) -> bool:
    """Same event type, same date (ranges overlap), same place (a few km, or same region)."""
    if a.event_type != b.event_type:
        return False
    if _family(a) != _family(b):
        return False
    if a.historical != b.historical:
        return False
    if not _dates_overlap(a, b):
        return False
    if a.geo_precision == 3 or b.geo_precision == 3:
        if a.geo_precision == 3 and b.geo_precision == 3:
            return bool(a.admin1_code) and a.admin1_code == b.admin1_code or (
                a.geonameid is not None and a.geonameid == b.geonameid) or (
                not a.admin1_code and not b.admin1_code and distance_km(a.lat, a.lon, b.lat, b.lon) < MAX_KM)
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= MAX_KM


def merge_into(kept: Incident, other: Incident) -> Incident:
    """`kept` with `other`'s report folded in (a new object; `kept.id` is kept)."""
    newer = _published(other) > _published(kept)
    changes: dict = {}
    for name in ("fatalities", "injured"):
        mine, theirs = getattr(kept, name), getattr(other, name)
        if theirs is not None and (mine is None or (newer and other.article_id != kept.article_id)):
            changes[name] = theirs
        elif theirs is not None and mine is not None and other.article_id == kept.article_id:
            changes[name] = max(mine, theirs)  # the lede's summary vs the paragraph's detail
    if other.casualty_note and other.casualty_note != kept.casualty_note:
        changes["casualty_note"] = "; ".join(x for x in (kept.casualty_note, other.casualty_note) if x)
    if other.geo_precision < kept.geo_precision:
        for name in ("lat", "lon", "location", "mention", "country", "admin1", "admin1_code", "geonameid", "geo_precision"):
            changes[name] = getattr(other, name)
    for name in ("actor1", "actor2", "attribution", "event_date_end"):
        if getattr(kept, name) is None and getattr(other, name) is not None:
            changes[name] = getattr(other, name)
    if kept.time_precision > other.time_precision:
        changes.update(event_date=other.event_date, event_date_end=other.event_date_end,
                       time_precision=other.time_precision)
    sources = list(kept.sources)
    seen = {s.get("article_id") for s in sources}
    for s in other.sources:
        if s.get("article_id") not in seen:
            sources.append(s)
            seen.add(s.get("article_id"))
        elif s.get("article_id") == kept.article_id and other.quote and other.quote not in kept.quote:
            # The same article telling it twice: one source entry, both sentences quoted.
            changes["quote"] = f"{changes.get('quote', kept.quote)} {other.quote}"
            for entry in sources:
                if entry.get("article_id") == kept.article_id:
                    entry = dict(entry, quote=changes["quote"])
                    sources = [entry if e.get("article_id") == kept.article_id else e for e in sources]
                    break
    changes["sources"] = sources
    return replace(kept, **changes)


def merge_incidents(incidents: list[Incident]) -> list[Incident]:
    """Fold duplicates together, first occurrence first (order and ids otherwise unchanged)."""
    out: list[Incident] = []
    for inc in incidents:
        for i, kept in enumerate(out):
            if same_incident(kept, inc):
                out[i] = merge_into(kept, inc)
                break
        else:
            out.append(inc)
    return out


def _dates_overlap(a: Incident, b: Incident) -> bool:
    if a.event_date is None or b.event_date is None:
        return False
    a_end = a.event_date_end or a.event_date
    b_end = b.event_date_end or b.event_date
    return a.event_date <= b_end and b.event_date <= a_end


def _family(i: Incident) -> str:
    # Disrupted weapons (drones shot down) and the strikes they were part of are different events.
    return i.sub_event_type if i.sub_event_type == "Disrupted weapons use" or i.event_type == "Diplomacy" else i.event_type


def _published(i: Incident) -> date:
    return i.published or date.min
