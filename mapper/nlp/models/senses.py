"""Which place is meant? A ranker over each name's senses, with "none of these" as a sense.

`mapper.nlp.resolve` gathers, for every distinct name of a document, the senses the gazetteer
offers (ranked with the article's countries and regions as context), the sense its rounds of
rules chose, and the written parent's region when the name has one. This model scores each
of those, and an explicit "none" option, from named features:

- how the name matched (exact, alternate, folded spelling, a parent fallback) and the kind of
  place (country, admin-1, district, town), its population, its rank and score from the
  gazetteer with and without context, how many senses the name has;
- the rules' choice (the rounds of resolve.py: coherence with neighbours, lists of regions,
  counties, datelines) as one feature among the others;
- agreement with a written parent ("Ivanivka, Kharkiv region": inside it or not);
- the article's countries counted by role: named as where things happen ("in Syria") or only
  as an actor or adjective ("U.S.-brokered", "the United States said");
- distance to the article's confident places, and whether the sense is in the article's
  dominant country and regions.

The highest score wins; "none" winning leaves the name unresolved (an incident then falls
back to its parent or drops it), which is better than a namesake 5,000 km away. Scores are
calibrated over the candidates of one name (a softmax of the model's log-odds).

    python -m mapper.train senses [--test]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gazetteer.distance import distance_km
from gazetteer.normalize import normalize_name
from gazetteer.place import Place
from mapper.nlp.models import LinearModel, optional_model

NAME = "senses"
NONE = "none"


def model() -> LinearModel | None:
    """The committed sense ranker, or None before it has been trained (the rules decide then)."""
    return optional_model(NAME)


@dataclass
class NameContext:
    """What the resolver knows about one distinct name of the document when ranking its senses."""

    name: str
    kind: str  # "name" | "region" | "direction"
    town: bool  # written as a settlement ("the village of X", a dateline)
    occurrences: int
    rule_choice: Place | None
    senses: tuple[Place, ...]  # with context, best first (the gazetteer's order after rerank)
    prior: tuple[Place, ...]  # without context
    parent: Place | None = None  # the region written beside it, resolved
    anchors: list[Place] = field(default_factory=list)  # the document's confident places, not this name's
    dominant: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    setting: frozenset[str] = frozenset()  # countries the text names as where things happen
    actor_only: frozenset[str] = frozenset()  # countries named only as actors or adjectives
    named_admin1: frozenset[str] = frozenset()  # regions the text itself names ("Texas", "Kharkiv region")


def _same(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return a.feature == b.feature
    return abs(a.lat - b.lat) < 1e-3 and abs(a.lon - b.lon) < 1e-3 and a.feature == b.feature


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(1 for e in edges if x >= e)


def options(ctx: NameContext) -> list[Place | None]:
    """The senses to choose among: the gazetteer's and the rules' choice; then None,
    unless a sense is a country or a region by one of its names, or a city of 100,000+ by its
    own: those are never dropped for want of local evidence ("Gaza City" in a story about
    Ukraine, "Middle Shabelle"). Beside a world city of the name (1,000,000+), a small
    namesake is a sense only with local evidence (`_local_evidence`)."""
    out: list[Place] = []
    for p in (*ctx.senses, ctx.rule_choice):
        # (a sense of score 0 matched only part of the name: "Iowa" of "Iowa City")
        if p is not None and not any(_same(p, q) for q in out) and (p.score > 0 or p is ctx.rule_choice):
            out.append(p)
    world = max((p.population or 0 for p in out if _world_city(p)), default=0)
    if world:
        out = [p for p in out if not _small_namesake(p, world) or _local_evidence(ctx, p)]
    if any(_famous(p) for p in out) or _only_sense_at_home(ctx, out):
        return out
    return [*out, None]


def _only_sense_at_home(ctx: NameContext, out: list[Place]) -> bool:
    """The name's one sense, a town or district in the story's dominant country by its own name
    or a recorded spelling (the whole name, not a word of a longer one the gazetteer lacks: "Ceel
    Qoxle" is no "Ceel"), and the rules' choice: "Garowe" in a story about Somalia is Garoowe,
    however far it lies from the story's other places ("none" is for namesakes abroad and loose
    spellings)."""
    if len(out) != 1 or not ctx.dominant:
        return False
    p = out[0]
    raw = p.raw or {}
    return (raw.get("key") == normalize_name(ctx.name) and raw.get("match") in ("name", "variant", "alternate", "alias")
            and p.country in ctx.dominant and p.feature in ("city", "locality", "admin2") and _same(p, ctx.rule_choice))


def _world_city(p: Place) -> bool:
    return p.feature in ("city", "locality") and (p.population or 0) >= 1_000_000 and (
        (p.raw or {}).get("match") in ("name", "alias"))


def _small_namesake(p: Place, world: int) -> bool:
    """A town under 3% of the world city's size (Vienna, Virginia; not Edmonton, London)."""
    return p.feature in ("city", "locality") and (p.population or 0) < 0.03 * world


def _local_evidence(ctx: NameContext, p: Place) -> bool:
    """What lets a small town displace a world city of its name: its region named in the text,
    a written parent holding it, or neighbours: two places of the article within 80 km, or one
    that is itself a small town (a national capital nearby is no evidence: "talks in Vienna"
    beside "Washington" is Austria's)."""
    if p.admin1_code and p.admin1_code in ctx.named_admin1:
        return True
    if ctx.parent is not None and ctx.parent.admin1_code and p.admin1_code == ctx.parent.admin1_code:
        return True
    near = [a for a in ctx.anchors if distance_km(a.lat, a.lon, p.lat, p.lon) <= 80]
    return len(near) >= 2 or any((a.population or 0) < 500_000 and a.feature != "admin1" for a in near)


def _famous(p: Place) -> bool:
    """A country or region by any of its names (a folded spelling of a long one too: "Middle
    Shabelle"), a part of one ("Western Pennsylvania"), a US county from the county table, or a
    city of 100,000+ by one of its names ("Gaza City")."""
    match = (p.raw or {}).get("match")
    if match in ("direction", "county"):
        return True
    if p.feature in ("country", "admin1"):
        return match in ("name", "alias", "code", "alternate", "variant") or (
            match == "folded" and len((p.raw or {}).get("key") or p.name) >= 6)
    return match in ("name", "alias", "code", "variant", "alternate") and (p.population or 0) >= 100_000


def features(ctx: NameContext, cand: Place | None) -> dict[str, float]:
    """Named features of one option (None: "none of these") for one name."""
    n = len(ctx.senses)
    f: dict[str, float] = {f"senses={_bucket(n, (1, 2, 4, 10))}": 1.0, f"kind={ctx.kind}": 1.0}
    if ctx.town:
        f["written_as_town"] = 1.0
    if cand is None:
        f = {f"none&{k}": v for k, v in f.items()}
        f["none"] = 1.0
        if ctx.rule_choice is None:
            f["none&rules_none"] = 1.0
        matches = {(s.raw or {}).get("match") for s in ctx.senses}
        if matches and matches <= {"folded"}:
            f["none&only_folded"] = 1.0
        far = outside = False
        if ctx.senses and ctx.anchors:
            d = min(distance_km(a.lat, a.lon, s.lat, s.lon) for a in ctx.anchors for s in ctx.senses[:5])
            f[f"none&nearest_sense_km={_bucket(d, (50, 150, 500, 1500))}"] = 1.0
            far = d >= 500
        if ctx.senses and ctx.dominant and not any(s.country in ctx.dominant for s in ctx.senses):
            f["none&no_sense_in_dominant"] = 1.0
            outside = True
        if ctx.parent is not None:
            f["none&has_parent"] = 1.0
        if ctx.anchors and any((o.raw or {}).get("match") == "folded" and o.country in ctx.dominant and min(
                distance_km(a.lat, a.lon, o.lat, o.lon) for a in ctx.anchors) <= 500 for o in ctx.senses[:5]):
            f["none&folded_sense_near"] = 1.0
        if ctx.senses:  # what "none" is up against: a city of millions by its own name, or a folded village
            top = ctx.senses[0]
            match = (top.raw or {}).get("match") or "other"
            big = "big" if (top.population or 0) >= 100_000 or top.feature in ("country", "admin1") else "small"
            f[f"none&top_match={match}"] = 1.0
            f[f"none&top_feat={top.feature}"] = 1.0
            f[f"none&top_pop={_bucket(math.log10((top.population or 0) + 1), (2, 3, 4, 5, 6))}"] = 1.0
            # Far away and abroad means something else for a folded village than for a capital.
            if far:
                f[f"none&far&{match}&{big}"] = 1.0
            if outside:
                f[f"none&abroad&{match}&{big}"] = 1.0
        return f
    raw = cand.raw or {}
    match = raw.get("match") or "other"
    f[f"match={match}"] = 1.0
    f[f"feat={cand.feature}"] = 1.0
    f[f"{cand.feature}&{match}"] = 1.0
    f[f"pop={_bucket(math.log10((cand.population or 0) + 1), (2, 3, 4, 5, 6))}"] = 1.0
    if _same(cand, ctx.rule_choice):
        f["rules_choice"] = 1.0
    rank = next((i for i, s in enumerate(ctx.senses) if _same(s, cand)), None)
    f[f"rank={min(rank, 3) if rank is not None else 'none'}"] = 1.0
    if rank is not None:
        top = max((s.score for s in ctx.senses), default=0.0) or 1.0
        f["score"] = cand.score
        f["score_share"] = cand.score / top
    prior_rank = next((i for i, s in enumerate(ctx.prior) if _same(s, cand)), None)
    f[f"prior_rank={min(prior_rank, 3) if prior_rank is not None else 'none'}"] = 1.0
    if ctx.dominant:
        f["in_dominant" if cand.country in ctx.dominant else "not_in_dominant"] = 1.0
    if ctx.admin1 and cand.admin1_code:
        f["in_article_admin1" if cand.admin1_code in ctx.admin1 else "other_admin1"] = 1.0
    if cand.country in ctx.setting:
        f["country_setting"] = 1.0
    elif cand.country in ctx.actor_only:
        f["country_actor_only"] = 1.0
    elif ctx.setting or ctx.actor_only:
        f["country_unnamed"] = 1.0
    # A world city against a small namesake: the namesake needs local evidence (its own region
    # named in the text), not just its country's capital nearby ("talks in Vienna" with
    # "Washington" named is still Austria).
    world = [o for o in ctx.senses if o.feature in ("city", "locality") and (o.population or 0) >= 1_000_000
             and (o.raw or {}).get("match") in ("name", "alias")]
    if world:
        if any(_same(cand, o) for o in world):
            f["world_city"] = 1.0
        elif cand.feature in ("city", "locality") and (cand.population or 0) < 100_000:
            f["namesake_of_world_city"] = 1.0
            if cand.admin1_code and cand.admin1_code in ctx.named_admin1:
                f["namesake_of_world_city&region_named"] = 1.0
    if cand.admin1_code and cand.admin1_code in ctx.named_admin1 and cand.feature != "admin1":
        f["in_named_region"] = 1.0
    if ctx.parent is not None:
        if _same(cand, ctx.parent):
            f["is_parent"] = 1.0
        elif ctx.parent.feature in ("admin1", "admin2") and cand.admin1_code == ctx.parent.admin1_code:
            f["inside_parent"] = 1.0
        elif cand.country == ctx.parent.country:
            f["parent_country_only"] = 1.0
        else:
            f["outside_parent"] = 1.0
    if ctx.anchors:
        d = min(distance_km(a.lat, a.lon, cand.lat, cand.lon) for a in ctx.anchors)
        f[f"anchor_km={_bucket(d, (50, 150, 500, 1500))}"] = 1.0
    else:
        f["no_anchor"] = 1.0
    if match == "folded":
        f[f"folded&{'in' if cand.country in ctx.dominant else 'out'}"] = 1.0
        if ctx.anchors and cand.country in ctx.dominant and min(
                distance_km(a.lat, a.lon, cand.lat, cand.lon) for a in ctx.anchors) <= 500:
            f["folded&in&near"] = 1.0  # "Ras al-Ain" (Ra's al 'Ayn) in a story about northeast Syria
    return f


def rank(ctx: NameContext, m: LinearModel) -> tuple[Place | None, dict]:
    """The chosen sense (None for "none of these") and its trace."""
    opts = options(ctx)
    feats = [features(ctx, o) for o in opts]
    logits = []
    for fs in feats:
        p = m.scores(fs)["right"]
        p = min(max(p, 1e-9), 1 - 1e-9)
        logits.append(math.log(p / (1 - p)))
    top = max(logits)
    es = [math.exp(z - top) for z in logits]
    total = sum(es)
    probs = [e / total for e in es]
    order = sorted(range(len(opts)), key=lambda i: -probs[i])
    best = order[0]
    choice = opts[best]
    trace = {
        "resolved_by": "sense ranker",
        "score": round(probs[best], 3),
        "rules_chose": _label(ctx.rule_choice),
        "why": m.explain(feats[best], "right", top=4),
        "senses": [{"place": _label(opts[i]), "score": round(probs[i], 3)} for i in order[:4]],
    }
    if choice is not None:
        choice = _with_score(choice, probs[best])
    return choice, trace


def _label(p: Place | None) -> str:
    if p is None:
        return NONE
    where = ", ".join(x for x in (p.admin1, p.country) if x)
    return f"{p.name} ({where}; {p.feature})" if where else f"{p.name} ({p.feature})"


def _with_score(p: Place, score: float) -> Place:
    from dataclasses import replace

    return replace(p, score=round(score, 4))


# --- training ------------------------------------------------------------------------------


def _labelled(split) -> list[tuple[list[dict[str, float]], list[int], str]]:
    """Per name with a gold point: the features of each option and which are right."""
    return [([features(ctx, o) for o in options(ctx)], ys, source) for ctx, ys, source in contexts(split)]


def contexts(split) -> list[tuple[NameContext, list[int], str]]:
    """Per name with a gold point: its context and which of its options are right."""
    import json

    import gazetteer as gz
    from gazetteer.areas import AreaTest
    from mapper.nlp import resolve
    from mapper.nlp.document import load_nlp
    from mapper.nlp.geoparse import find_mentions
    from mapper.train import REPO, splits

    sp = splits()
    gaz, nlp = gz.load(), load_nlp()
    out: list[tuple[NameContext, list[int], str]] = []
    inside = AreaTest(gaz)

    def right(o: Place | None, lat: float, lon: float, km: float, kind: str) -> int:
        # Gold points of countries and regions are GeoNames' own (Russia at 60N 100E), ours are
        # label points: when the gold is a country or a region, the one containing its point is
        # right. A town's gold point inside a region does not make the region right.
        if o is None:
            return 0
        if kind == o.feature == "country" and inside(o.country, lat, lon):
            return 1
        if kind == o.feature == "admin1" and o.admin1_code and inside(o.admin1_code, lat, lon):
            return 1
        if kind == "point" and o.feature in ("country", "admin1", "region"):
            return 0  # a town's gold is not met by its region, however near the region's label point
        return int(distance_km(lat, lon, o.lat, o.lon) <= km)

    def collect(text: str, gold: list[tuple[int, int, float, float, str]], km: float, source: str) -> None:
        seen: dict[str, NameContext] = {}

        def ranker(ctx: NameContext, spans: list[tuple[int, int]]):
            for s, e, lat, lon, kind in gold:
                if any(a < e and s < b for a, b in spans):
                    opts = options(ctx)
                    ys = [right(o, lat, lon, km, kind) for o in opts]
                    if opts[-1] is None:
                        ys[-1] = int(not any(ys[:-1]))
                    out.append((ctx, ys, source))
                    break
            seen[ctx.name] = ctx
            return ctx.rule_choice, None

        with resolve.ranking(ranker):
            find_mentions(text, gaz, nlp=nlp)

    for source, text, toponyms in sp.geoparsing_articles(split):
        gold = []
        for start, end, top in toponyms:
            tag = top.find("gaztag")
            if tag is None or tag.findtext("lat") in (None, ""):
                continue
            fcode = tag.findtext("fcode") or ""
            kind = ("country" if fcode.startswith("PCL") else "admin1" if fcode == "ADM1" else
                    "point" if fcode.startswith("PPL") else "other")
            gold.append((start, end, float(tag.findtext("lat")), float(tag.findtext("lon")), kind))
        collect(text, gold, 161.0, source)
    for row in sp.acled_rows(split):
        text, loc = row["notes"], row["location"]
        i = text.lower().find(loc.lower())
        if i >= 0:
            kind = "admin1" if row["geo_precision"] == "3" else "point"
            # ACLED's region-level events name the region in its own spelling ("Hiraan"): kept
            # apart, they would teach that a region's alternate name beats a town's own name.
            collect(text, [(i, i + len(loc), float(row["latitude"]), float(row["longitude"]), kind)], 25.0,
                    "acled-region" if kind == "admin1" else "acled")
    geo = REPO / "tests" / "data" / "geoparse"
    expected = json.loads((geo / "expected.json").read_text(encoding="utf-8"))
    for name, exp in expected.items():
        if name.startswith("_") or sp.split_of("articles", f"geoparse/{name}") not in split:
            continue
        text = (geo / name).read_text(encoding="utf-8")
        gold = []
        for item in exp.get("places", []):
            if isinstance(item, dict) and item.get("near"):
                lat, lon, km = item["near"]
                j = text.find(item["text"])
                while j >= 0:
                    gold.append((j, j + len(item["text"]), lat, lon, item.get("feature") or "point"))
                    j = text.find(item["text"], j + 1)
        collect(text, gold, 161.0, "articles")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(prog="python -m mapper.train senses", description="train the sense ranker")
    ap.add_argument("--test", action="store_true", help="also score the test split (once, at the end of a piece of work)")
    ap.add_argument("--C", type=float, default=0.5, help="inverse L2 regularisation")
    ap.add_argument("--acled-weight", type=float, default=0.3, help="weight of an ACLED name against LGL/TR-News ones")
    ap.add_argument("--dry-run", action="store_true", help="score, but do not write the weights")
    args = ap.parse_args(argv)

    train = [t for t in _labelled(("train",)) if t[2] != "acled-region"]
    rows = [(f, y, s) for fs, ys, s in train for f, y in zip(fs, ys)]
    vec = DictVectorizer()
    x = vec.fit_transform([f for f, _y, _s in rows])
    clf = LogisticRegression(C=args.C, max_iter=3000)
    clf.fit(x, [y for _f, y, _s in rows], sample_weight=[args.acled_weight if s == "acled" else 1.0 for *_x, s in rows])
    weights = {str(n): float(w) for n, w in zip(vec.get_feature_names_out(), clf.coef_[0])}
    m = LinearModel(name=NAME, classes=("wrong", "right"), weights=(weights,), intercepts=(float(clf.intercept_[0]),),
                    meta={"C": args.C, "acled_weight": args.acled_weight, "train_names": len(train),
                          "train_sources": dict(Counter(s for *_x, s in train))})
    print(f"trained on {len(train)} names ({len(rows)} options) {dict(Counter(s for *_x, s in train))}, "
          f"{len(weights)} features")
    for split in ("dev", "test") if args.test else ("dev",):
        named = _labelled((split,))
        print(f"\n{split}: names whose chosen option is right (model vs the rules' choice)")
        for source in sorted({s for *_x, s in named}):
            sub = [(fs, ys) for fs, ys, s in named if s == source]
            right_model = right_rules = 0
            for fs, ys in sub:
                logits = [m.scores(f)["right"] for f in fs]
                right_model += ys[max(range(len(fs)), key=lambda i: logits[i])]
                rule = next((i for i, f in enumerate(fs) if f.get("rules_choice")), None)
                if rule is None:  # the rules chose nothing: right only if "none" is offered and right
                    right_rules += ys[-1] if fs[-1].get("none") else 0
                    continue
                right_rules += ys[rule]
            print(f"  {source:<9} n={len(sub):<6} model {right_model / max(1, len(sub)):.3f}   "
                  f"rules {right_rules / max(1, len(sub)):.3f}")
    if not args.dry_run:
        print(f"\nwrote {m.save()}")
    return 0
