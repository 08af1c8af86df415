"""Which stored incidents may be the same event as this one, best first, and why.

Candidates share the incident's map family and lie within a few days and `MAX_KM`. Each gets
named features (same sub-type, days apart, distance, agreeing or conflicting tolls, same
article) whose weights add up to a score; the reasons are shown beside the merge button, so a
reader sees why an incident is offered before merging it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gazetteer.distance import distance_km
from mapper.families import BY_KEY, family_of
from mapper.filters import Filters
from mapper.records import Incident

MAX_DAYS = 3
MAX_KM = 150.0
CANDIDATES = 200  # read at most this many nearby incidents before ranking
# feature -> weight; a distance or day gap is scored by the first band it falls in
WEIGHTS = {"same_subtype": 1.0, "same_place": 3.0, "same_article": -2.0, "toll_agrees": 1.0, "toll_conflicts": -1.5}
KM_BANDS = ((5.0, 3.0), (25.0, 2.0), (75.0, 1.0), (MAX_KM, 0.0))
DAY_BANDS = ((0, 2.0), (1, 1.0), (MAX_DAYS, 0.0))


@dataclass(frozen=True, slots=True)
class Suggestion:
    incident: Incident
    score: float
    km: float
    reasons: tuple[str, ...]


def _band(value: float, bands: tuple[tuple[float, float], ...]) -> float:
    for limit, weight in bands:
        if value <= limit:
            return weight
    return 0.0


def _gap(a: Incident, b: Incident) -> int:
    a0, a1 = a.event_date, a.event_date_end or a.event_date
    b0, b1 = b.event_date, b.event_date_end or b.event_date
    if a0 <= b1 and b0 <= a1:
        return 0
    return min(abs((b0 - a1).days), abs((a0 - b1).days))


def score(found: Incident, other: Incident) -> Suggestion:
    """`other` scored as a duplicate of `found` (same family assumed), with its reasons."""
    reasons = [f"same kind ({BY_KEY[family_of(found.event_type, found.sub_event_type)].label.lower()})"]
    total = 0.0
    if other.sub_event_type == found.sub_event_type:
        total += WEIGHTS["same_subtype"]
        reasons.append(f"same sub-type ({other.sub_event_type})")
    else:
        reasons.append(f"other sub-type ({other.sub_event_type})")
    gap = _gap(found, other)
    total += _band(gap, DAY_BANDS)
    reasons.append("same day" if gap == 0 else f"{gap} day{'s' if gap > 1 else ''} apart")
    km = distance_km(found.lat, found.lon, other.lat, other.lon)
    if found.geonameid is not None and found.geonameid == other.geonameid:
        total += WEIGHTS["same_place"]
        reasons.append("same place")
    else:
        total += _band(km, KM_BANDS)
        reasons.append(f"{km:.0f} km apart" if km >= 1 else "less than 1 km apart")
    for name, word in (("fatalities", "killed"), ("injured", "injured")):
        mine, theirs = getattr(found, name), getattr(other, name)
        if mine is None or theirs is None:
            continue
        if mine == theirs:
            total += WEIGHTS["toll_agrees"]
            reasons.append(f"same toll ({mine} {word})")
        else:
            total += WEIGHTS["toll_conflicts"]
            reasons.append(f"different toll ({mine} vs {theirs} {word})")
    mine_articles = {s.get("article_id") for s in found.sources} | {found.article_id}
    if any(a and a in mine_articles for a in ({s.get("article_id") for s in other.sources} | {other.article_id})):
        total += WEIGHTS["same_article"]
        reasons.append("told in the same article (often two events)")
    return Suggestion(other, round(total, 2), km, tuple(reasons))


def suggest(store: Any, found: Incident, *, limit: int = 5) -> list[Suggestion]:
    """Up to `limit` stored incidents that may report the same event as `found`, best first."""
    if found.event_date is None:
        return []
    window = timedelta(days=MAX_DAYS)
    dlat = MAX_KM / 111.0
    dlon = min(180.0, MAX_KM / (111.0 * max(0.05, math.cos(math.radians(found.lat)))))
    bbox = (max(-180.0, found.lon - dlon), max(-90.0, found.lat - dlat),
            min(180.0, found.lon + dlon), min(90.0, found.lat + dlat))
    nearby = Filters(since=found.event_date - window, until=(found.event_date_end or found.event_date) + window,
                     type=family_of(found.event_type, found.sub_event_type), bbox=bbox, limit=CANDIDATES)
    ranked = [score(found, other) for other in store.query(nearby)
              if other.id != found.id and other.event_date is not None]
    ranked = [s for s in ranked if s.km <= MAX_KM]
    ranked.sort(key=lambda s: (-s.score, s.km, s.incident.id))
    return ranked[:limit]


__all__ = ["suggest", "score", "Suggestion", "WEIGHTS", "MAX_DAYS", "MAX_KM"]
