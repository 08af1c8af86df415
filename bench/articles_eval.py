"""Score the incident builder on news articles against the incidents an analyst would code.

    INCIDENT_MAP_HOME=var .venv/bin/python bench/articles_eval.py [DIR ...] [--split dev] [--json] [--explain]

Reads every NAME.txt with its NAME.json beside it (format: tests/data/articles/heldout3/README.md)
from the folders given, by default tests/data/articles/heldout3 to heldout18 and ../shared/examples, read in
place. `--split` keeps the documents of one split of bench/splits.py (default dev; `all` keeps
every document): a file under tests/data/articles is source "articles" with its path relative to
that folder ("heldout3/gaza_mawasi_tents.txt"), ../shared/examples is source "examples" with the
stem. The extractor is `mapper.nlp.assemble.build_incidents`, one gazetteer and one spaCy
pipeline for the run.

Matching. A produced incident may stand for an expected one only when it lies within the
expected `max_km` (gazetteer.distance). Among those pairs the script takes a maximum-weight
one-to-one assignment (Hungarian algorithm), weighted so that, in this order: more pairs win;
a pair with a right date beats one without; then each count, the type and the violent flag
add when they agree and subtract when they differ (a field the gold does not give is neutral,
so an expected incident with no counts does not attract another's answer); then the nearer.
An `optional` (background) expected incident takes part only with a produced incident whose
date is one of its dates, so a current-dated copy of a background event stays unmatched.

Counts per article and in total:
    expected   the expected incidents that are not optional
    found      of those, matched to a produced incident (placed within max_km)
    right      found and fully right: the produced `event_date` in `dates` (the end of a
               range is not checked: "next week" may be Mon-Fri or Mon-Sun); fatalities and
               injured equal where the gold gives them (a gold null must be null); the violent
               flag equal; `event_type` equal where the gold gives it
    missed     expected - found
    spurious   produced incidents matched to nothing; those within an optional incident's
               radius are also counted as "near background" (often background as news, but
               also any misplaced incident that lands there). A produced incident marked
               `historical` that matches nothing is listed but not counted: the issue allows
               background kept as a historical incident with its own date.
    forbidden  produced incidents inside a forbidden point or box (its `date_prefix` respected)

Violent: false for Diplomacy, Strategic developments, and Protests whose sub-event type is
"Peaceful protest" or empty; true for every other event type (ACLED's political violence plus
riots and protests met with intervention or excessive force).

`--explain` prints, per article, every expected incident that is not fully right (with the
fields that differ), every spurious incident and every forbidden hit. `--json` prints the same
figures as one JSON object.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# bench/gazetteer.py would shadow the gazetteer package: keep this directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from gazetteer.distance import distance_km  # noqa: E402
from mapper.records import Incident  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
EXAMPLES = ROOT.parent / "shared" / "examples"
HELDOUT_DIRS = tuple(ARTICLES / f"heldout{n}" for n in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18))
DEFAULT_DIRS = (*HELDOUT_DIRS, EXAMPLES)
SPLIT_CHOICES = ("train", "dev", "test", "all")
NON_VIOLENT_TYPES = frozenset({"Diplomacy", "Strategic developments"})
PEACEFUL_PROTEST = frozenset({"Peaceful protest", ""})
FIELDS = ("date", "fatalities", "injured", "violent", "event_type")
_UNSET = object()  # a count the gold does not give (not checked), unlike None (must be null)


# --- gold ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """One incident the article reports, as coded by hand."""

    name: str
    lat: float
    lon: float
    max_km: float
    dates: tuple[str, ...]
    violent: bool
    fatalities: Any = _UNSET  # int, None (must be null) or _UNSET (not checked)
    injured: Any = _UNSET
    event_type: str | None = None
    sub_event_type: str | None = None
    optional: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Forbidden:
    """A point (lat, lon, max_km) or a box where no incident may fall, optionally for some dates only."""

    name: str
    lat: float | None = None
    lon: float | None = None
    max_km: float | None = None
    lat_min: float = -90.0
    lat_max: float = 90.0
    lon_min: float = -180.0
    lon_max: float = 180.0
    date_prefix: str | None = None


@dataclass(frozen=True, slots=True)
class Gold:
    published: date
    expected: tuple[Expected, ...]
    forbidden: tuple[Forbidden, ...]


def load_gold(path: Path) -> Gold:
    """The expectations in one NAME.json; a malformed file is a SystemExit naming it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        expected = tuple(_expected(d) for d in raw["incidents"])
        forbidden = tuple(Forbidden(**d) for d in raw.get("forbidden", []))
        return Gold(date.fromisoformat(raw["published"]), expected, forbidden)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SystemExit(f"{path}: bad expectations file: {err}") from err


def _expected(d: dict[str, Any]) -> Expected:
    return Expected(
        name=d["name"], lat=float(d["lat"]), lon=float(d["lon"]), max_km=float(d["max_km"]),
        dates=tuple(d["dates"]), violent=bool(d["violent"]),
        fatalities=d.get("fatalities", _UNSET), injured=d.get("injured", _UNSET),
        event_type=d.get("event_type"), sub_event_type=d.get("sub_event_type"),
        optional=bool(d.get("optional", False)), tags=tuple(d.get("tags", ())),
    )


# --- one pair --------------------------------------------------------------------------------


def is_violent(event_type: str | None, sub_event_type: str | None) -> bool:
    """The violent flag an incident's type implies (module docstring)."""
    if event_type in NON_VIOLENT_TYPES:
        return False
    if event_type == "Protests":
        return (sub_event_type or "") not in PEACEFUL_PROTEST
    return True


def date_in(day: date | None, dates: Iterable[str]) -> bool:
    """True when `day` is one of `dates`; an entry "YYYY" or "YYYY-MM" stands for any day in it."""
    if day is None:
        return False
    iso = day.isoformat()
    return any(iso == d if len(d) == 10 else iso.startswith(d + "-") for d in dates)


def date_ok(exp: Expected, inc: Incident) -> bool:
    """The produced date (the start of its range) is a defensible date."""
    return date_in(inc.event_date, exp.dates)


def distance(exp: Expected, inc: Incident) -> float:
    return distance_km(exp.lat, exp.lon, inc.lat, inc.lon)


def checks(exp: Expected, inc: Incident) -> dict[str, bool]:
    """Field by field, whether `inc` agrees with `exp` (a field the gold does not give agrees)."""
    return {
        "place": distance(exp, inc) <= exp.max_km,
        "date": date_ok(exp, inc),
        "fatalities": exp.fatalities is _UNSET or inc.fatalities == exp.fatalities,
        "injured": exp.injured is _UNSET or inc.injured == exp.injured,
        "violent": is_violent(inc.event_type, inc.sub_event_type) == exp.violent,
        "event_type": exp.event_type is None or inc.event_type == exp.event_type,
    }


def pair_weight(exp: Expected, inc: Incident) -> float:
    """How good `inc` is as the answer for `exp`; 0 when it cannot be (too far, or background misdated).

    Every allowed pair weighs between 890 and 1411, so the assignment first maximises the
    number of pairs (two pairs always outweigh one). A background pair (1150 + nearness) beats
    a current pair with a wrong date (at most 1111) and loses to one with a right date (at
    least 1190).
    """
    d = distance(exp, inc)
    if d > exp.max_km:
        return 0.0
    nearness = 1.0 - d / exp.max_km if exp.max_km else 1.0
    ok = checks(exp, inc)
    if exp.optional:
        return 1150.0 + nearness if ok["date"] else 0.0

    def vote(given: bool, agrees: bool) -> int:  # +1 agrees, -1 differs, 0 not given
        return (1 if agrees else -1) if given else 0

    return (1000.0 + 300 * ok["date"] + nearness + 10 * vote(True, ok["violent"])
            + 40 * vote(exp.fatalities is not _UNSET, ok["fatalities"])
            + 40 * vote(exp.injured is not _UNSET, ok["injured"])
            + 20 * vote(exp.event_type is not None, ok["event_type"]))


def in_forbidden(zone: Forbidden, inc: Incident) -> bool:
    """True when `inc` falls in `zone` (and its date starts with the zone's `date_prefix`, if any)."""
    if zone.date_prefix is not None:
        if inc.event_date is None or not inc.event_date.isoformat().startswith(zone.date_prefix):
            return False
    if zone.max_km is not None:
        return distance_km(zone.lat, zone.lon, inc.lat, inc.lon) <= zone.max_km
    return zone.lat_min <= inc.lat <= zone.lat_max and zone.lon_min <= inc.lon <= zone.lon_max


# --- assignment ------------------------------------------------------------------------------


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """A maximum-weight one-to-one assignment of rows to columns; weight 0 means "no pair".

    The Hungarian algorithm (Kuhn-Munkres with potentials, O(n^3)) on the square matrix of
    costs ``max_weight - weight``, padded with rows/columns of weight 0. Returns (row, column)
    pairs of positive weight.
    """
    rows = len(weights)
    cols = max((len(r) for r in weights), default=0)
    size = max(rows, cols)
    if size == 0:
        return []
    top = max((w for r in weights for w in r), default=0.0)

    def cost(i: int, j: int) -> float:
        w = weights[i][j] if i < rows and j < len(weights[i]) else 0.0
        return top - w

    inf = float("inf")
    u = [0.0] * (size + 1)
    v = [0.0] * (size + 1)
    owner = [0] * (size + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    way = [0] * (size + 1)
    for i in range(1, size + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, size + 1):
                if not used[j]:
                    cur = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(size + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = []
    for j in range(1, size + 1):
        i = owner[j] - 1
        if 0 <= i < rows and j - 1 < len(weights[i]) and weights[i][j - 1] > 0:
            pairs.append((i, j - 1))
    return sorted(pairs)


# --- one article -----------------------------------------------------------------------------


@dataclass(slots=True)
class ArticleScore:
    """The figures for one article, and what went wrong (for --explain)."""

    name: str
    split: str
    expected: int = 0
    found: int = 0
    right: int = 0
    spurious: int = 0
    near_background: int = 0
    forbidden: int = 0
    historical_unmatched: int = 0
    sub_event_agree: int = 0
    sub_event_given: int = 0
    wrong_fields: Counter = field(default_factory=Counter)  # field -> found-but-wrong incidents
    tags: dict[str, list[int]] = field(default_factory=dict)  # tag -> [right, expected]
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def missed(self) -> int:
        return self.expected - self.found

    def figures(self) -> dict[str, int]:
        return {"expected": self.expected, "found": self.found, "right": self.right, "missed": self.missed,
                "spurious": self.spurious, "near_background": self.near_background,
                "forbidden": self.forbidden, "historical_unmatched": self.historical_unmatched}


def score_article(gold: Gold, incidents: Sequence[Incident], *, name: str = "", split: str = "") -> ArticleScore:
    """Match `incidents` to `gold` one-to-one and count (pure; see the module docstring)."""
    score = ArticleScore(name=name, split=split)
    exp = list(gold.expected)
    weights = [[pair_weight(e, inc) for inc in incidents] for e in exp]
    pairs = dict(assign(weights))  # expected index -> produced index
    matched = set(pairs.values())
    for i, e in enumerate(exp):
        if e.optional:
            continue
        score.expected += 1
        hit = pairs.get(i)
        ok = checks(e, incidents[hit]) if hit is not None else None
        good = ok is not None and all(ok.values())
        for tag in e.tags:
            score.tags.setdefault(tag, [0, 0])[1] += 1
            score.tags[tag][0] += good
        if hit is None:
            score.notes.append(f"MISSED  {e.name}")
            continue
        inc = incidents[hit]
        score.found += 1
        if e.sub_event_type is not None:
            score.sub_event_given += 1
            score.sub_event_agree += inc.sub_event_type == e.sub_event_type
        if good:
            score.right += 1
            continue
        bad = [f for f in FIELDS if not ok[f]]
        score.wrong_fields.update(bad)
        score.notes.append(f"WRONG   {e.name}\n          got {describe(inc)}\n          differs: "
                           + ", ".join(_difference(f, e, inc) for f in bad))
    for j, inc in enumerate(incidents):
        zones = [z.name for z in gold.forbidden if in_forbidden(z, inc)]
        if zones:
            score.forbidden += 1
            score.notes.append(f"FORBID  {describe(inc)}  in {'; '.join(zones)}")
        if j in matched:
            continue
        if inc.historical:
            score.historical_unmatched += 1
            score.notes.append(f"HIST    {describe(inc)}  (historical, not counted)")
            continue
        score.spurious += 1
        background = [e.name for e in exp if e.optional and distance(e, inc) <= e.max_km]
        if background:
            score.near_background += 1
            score.notes.append(f"SPUR    {describe(inc)}  near background: {background[0]}")
        else:
            score.notes.append(f"SPUR    {describe(inc)}")
    return score


def describe(inc: Incident) -> str:
    when = inc.event_date.isoformat() if inc.event_date else "no date"
    if inc.event_date_end:
        when += f"..{inc.event_date_end.isoformat()}"
    return (f"{inc.location or inc.mention} ({inc.lat:.3f},{inc.lon:.3f}) {when} {inc.event_type}/{inc.sub_event_type}"
            f" killed={inc.fatalities} injured={inc.injured}" + (" [historical]" if inc.historical else ""))


def _difference(name: str, e: Expected, inc: Incident) -> str:
    if name == "date":
        return f"date not in {list(e.dates)[:8]}"
    if name == "violent":
        return f"violent {not e.violent} for {e.violent}"
    want = getattr(e, name)
    return f"{name} {getattr(inc, name)!r} for {want!r}"


# --- the run ---------------------------------------------------------------------------------


@functools.cache
def _splits_module():
    spec = importlib.util.spec_from_file_location("bench_splits", Path(__file__).resolve().parent / "splits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def doc_split(path: Path) -> str:
    """The split of one article file (bench/splits.py: source and document id)."""
    split_of = _splits_module().split_of
    path = path.resolve()
    if path.is_relative_to(ARTICLES.resolve()):
        return split_of("articles", path.relative_to(ARTICLES.resolve()).as_posix())
    if path.parent == EXAMPLES.resolve():
        return split_of("examples", path.stem)
    return split_of("articles", f"{path.parent.name}/{path.name}")


def article_files(folders: Iterable[Path], split: str) -> list[tuple[Path, str]]:
    """The NAME.txt files that have a NAME.json, with their split, keeping `split` ("all": every one)."""
    out = []
    for folder in folders:
        if not folder.is_dir():
            raise SystemExit(f"{folder}: no such folder")
        for txt in sorted(folder.glob("*.txt")):
            if not txt.with_suffix(".json").exists():
                continue
            s = doc_split(txt)
            if split in ("all", s):
                out.append((txt, s))
    return out


def run(files: Sequence[tuple[Path, str]]) -> list[ArticleScore]:
    """Extract every article with the current code and score it."""
    import gazetteer
    from mapper.articles import read_article
    from mapper.errors import IncidentMapError
    from mapper.nlp.assemble import build_incidents
    from mapper.nlp.document import load_nlp

    gz, nlp = gazetteer.load(), load_nlp()
    scores = []
    for txt, split in files:
        gold = load_gold(txt.with_suffix(".json"))
        name = f"{txt.parent.name}/{txt.stem}"
        try:
            article = read_article(txt)
            incidents = build_incidents(article, gz, nlp=nlp)
        except IncidentMapError as err:  # one bad article is reported and scored as all missed
            score = score_article(gold, [], name=name, split=split)
            score.error = f"{type(err).__name__}: {err}"
            scores.append(score)
            continue
        score = score_article(gold, incidents, name=name, split=split)
        if article.published != gold.published:
            score.notes.insert(0, f"NOTE    article published {article.published}, gold says {gold.published}")
        scores.append(score)
    return scores


def totals(scores: Sequence[ArticleScore]) -> dict[str, Any]:
    """Sums over articles: figures, wrong fields, tags and sub-event agreement."""
    figures = Counter()
    fields_ = Counter()
    tags: dict[str, list[int]] = {}
    sub = [0, 0]
    for s in scores:
        figures.update(s.figures())
        fields_.update(s.wrong_fields)
        for tag, (r, n) in s.tags.items():
            t = tags.setdefault(tag, [0, 0])
            t[0] += r
            t[1] += n
        sub[0] += s.sub_event_agree
        sub[1] += s.sub_event_given
    names = ArticleScore(name="", split="").figures()
    return {"articles": len(scores), **{k: figures[k] for k in names},
            "wrong_fields": {f: fields_[f] for f in FIELDS},
            "tags": {t: {"right": r, "expected": n} for t, (r, n) in sorted(tags.items())},
            "sub_event_type": {"agree": sub[0], "given": sub[1]},
            "errors": sum(1 for s in scores if s.error)}


FLOORS_SPLITS = ("train", "dev")  # never the test split: its errors are not for tuning, nor for tests


def floors(scores: Sequence[ArticleScore]) -> dict[str, dict[str, int]]:
    """Per train or dev article, what it scores now: incidents fully right and forbidden hits."""
    return {s.name: {"right": s.right, "forbidden": s.forbidden} for s in scores if s.split in FLOORS_SPLITS}


def print_text(scores: Sequence[ArticleScore], *, explain: bool) -> None:
    width = max((len(s.name) for s in scores), default=10)
    head = f"{'article':{width}}  split  exp found right missed spur forbid"
    print(head)
    print("-" * len(head))
    for s in scores:
        print(f"{s.name:{width}}  {s.split:5}  {s.expected:3} {s.found:5} {s.right:5} {s.missed:6} {s.spurious:4} {s.forbidden:6}"
              + (f"  ERROR {s.error}" if s.error else ""))
        if explain:
            for note in s.notes:
                print(f"    {note}")
    if not scores:
        print("no articles")
        return
    t = totals(scores)
    print("-" * len(head))
    share = t["right"] / t["expected"] if t["expected"] else 0.0
    print(f"{'total':{width}}  {'':5}  {t['expected']:3} {t['found']:5} {t['right']:5} {t['missed']:6} {t['spurious']:4} {t['forbidden']:6}")
    print(f"\n{t['articles']} articles: fully right {t['right']}/{t['expected']} ({share:.0%}), found {t['found']},"
          f" missed {t['missed']}, spurious {t['spurious']} ({t['near_background']} near a background event),"
          f" forbidden hits {t['forbidden']}, historical unmatched {t['historical_unmatched']}, errors {t['errors']}")
    print("found but wrong, by field: " + ", ".join(f"{f} {n}" for f, n in t["wrong_fields"].items()))
    sub = t["sub_event_type"]
    print(f"sub_event_type agrees on {sub['agree']} of {sub['given']} found incidents that give one")
    print("fully right by tag: " + ", ".join(f"{tag} {v['right']}/{v['expected']}" for tag, v in t["tags"].items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path,
                        help="folders of NAME.txt + NAME.json (default: heldout3 to heldout18 and ../shared/examples)")
    parser.add_argument("--split", choices=SPLIT_CHOICES, default="dev", help="documents of one split, or all (default dev)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--explain", action="store_true", help="print each mismatch, spurious incident and forbidden hit")
    parser.add_argument("--floors", action="store_true",
                        help=f"print the floors tests/test_heldout_articles.py holds the code to ({FLOORS_SPLITS} articles)")
    args = parser.parse_args(argv)
    if args.floors:
        print(json.dumps(floors(run(article_files(args.dirs or HELDOUT_DIRS, "all"))), indent=1))
        return 0
    scores = run(article_files(args.dirs or DEFAULT_DIRS, args.split))
    if args.json:
        out = {"split": args.split, "total": totals(scores),
               "per_article": [{"article": s.name, "split": s.split, **s.figures(), "error": s.error,
                                **({"notes": s.notes} if args.explain else {})} for s in scores]}
        print(json.dumps(out, indent=1))
    else:
        print_text(scores, explain=args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
