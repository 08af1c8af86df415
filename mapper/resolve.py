"""Choose each place name's sense with the whole document as context.

Signals, strongest first: a parent written next to the name ("Pokrovsk, Donetsk Oblast",
"Alexandria, Louisiana", "X in Y"); the countries and regions the article names or implies
(demonyms: "Russian" -> RU); the other places already resolved (local news stays local).
One sense per name per document: every occurrence of a name gets the same place.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.place import Place

LIMIT = 25  # senses considered per name
BIG = frozenset({"country", "admin1", "region"})


@dataclass(frozen=True, slots=True)
class Prior:
    """What a name most likely is with no context: its top sense's kind and the largest population."""

    feature: str
    population: int
    top: Place


def prior(gazetteer, name: str, base: str | None = None) -> Prior | None:
    return _prior(gazetteer, name) or (_prior(gazetteer, base) if base and base != name else None)


@lru_cache(maxsize=200_000)
def _prior(gazetteer, name: str) -> Prior | None:
    cands = gazetteer.candidates(name, limit=LIMIT)
    if not cands:
        return None
    feature = "admin1" if any(c.feature in BIG for c in cands[:1]) else cands[0].feature
    return Prior(feature=cands[0].feature if cands[0].feature else feature,
                 population=max(c.population or 0 for c in cands), top=cands[0])


def _candidates(gazetteer, name: str, context) -> tuple[Place, ...]:
    return tuple(gazetteer.candidates(name, context=context, limit=LIMIT))


def resolve_all(found: list[tuple[str, str, str, int, int]], gazetteer, *, text: str,
                demonyms: dict[str, int]) -> list[Place | None]:
    """Places for (name, base, kind, start, end) mentions of one text, in the same order."""
    import gazetteer as gz

    keys = [_key(name) for name, *_ in found]
    # Pass 1: big places (countries, regions) set the scene.
    countries: Counter[str] = Counter(demonyms)
    admin1: Counter[str] = Counter()
    chosen: dict[str, Place | None] = {}
    for (name, base, kind, *_), key in zip(found, keys):
        if key in chosen:
            continue
        p = prior(gazetteer, name, base)
        if p and p.feature in BIG:
            place = p.top
            chosen[key] = place
    for key, place in chosen.items():
        if place is not None:
            n = keys.count(key)
            if place.country:
                countries[place.country] += n * 2
            if place.feature == "admin1" and place.admin1_code:
                admin1[place.admin1_code] += n * 2
    parents = _parents(found, text, chosen, keys)
    # Pass 2: everything else, with the document's countries / regions and written parents.
    context = gz.Context(countries=frozenset(countries), admin1=frozenset(admin1))
    for (name, base, kind, *_), key in zip(found, keys):
        if key in chosen:
            continue
        par = parents.get(key)
        if par is not None:
            ctx = gz.Context(countries=frozenset({par.country}),
                             admin1=frozenset({par.admin1_code} if par.feature == "admin1" else set()))
        else:
            ctx = context
        cands = _candidates(gazetteer, name, ctx) or (
            _candidates(gazetteer, base, ctx) if base != name else ()
        )
        if par is not None:
            inside = [c for c in cands if c.country == par.country and (
                par.feature != "admin1" or c.admin1_code == par.admin1_code)]
            cands = tuple(inside) or cands
        chosen[key] = cands[0] if cands else None
    return [chosen[k] for k in keys]


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _parents(found, text: str, chosen: dict, keys: list[str]) -> dict[str, Place]:
    """"X, Y" and "X in Y" where Y is a country or region: Y is X's parent."""
    out: dict[str, Place] = {}
    for i in range(len(found) - 1):
        _, _, _, s1, e1 = found[i]
        _, _, _, s2, e2 = found[i + 1]
        gap = text[e1:s2]
        if gap.strip() not in {",", "in", "of"} or len(gap) > 5:
            continue
        parent = chosen.get(keys[i + 1])
        if parent is not None and parent.feature in {"country", "admin1"} and keys[i] not in out:
            if keys[i] not in chosen or chosen[keys[i]] is None or chosen[keys[i]].feature not in BIG:
                out[keys[i]] = parent
    return out


def km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
