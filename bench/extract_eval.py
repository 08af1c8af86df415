"""Incident extraction scored on ACLED's Somalia event notes: one note, one event.

Each note (``On 1 April 2025, Al Shabaab ambushed ... near Afgooye town (Afgooye, Lower
Shabelle). ... killed more than 10 soldiers ...``) goes through `build_incidents` as an
article published on the event's date. Of the incidents it gives, the one that gets most
fields right is compared with ACLED's coding:

    placed      within 25 km of ACLED's point
    fatalities  equal to ACLED's figure (a null count counts as 0, as ACLED codes "none reported")
    type        ACLED's event_type   (sub: its sub_event_type, printed for information)
    all         placed, fatalities and type right on the same incident
    none        no incident at all

Printed per version side by side in one run (`--compare DIR`, see bench/versions.py), on the
dev split by default (bench/splits.py); `--split test` is for the end of a piece of work.

    python bench/extract_eval.py [--split dev] [--limit N] [--compare /work/base] [--errors 30]

`--notes FILE` scores another CSV in ACLED's columns instead: our own notes from other
countries (tests/data/notes/five_countries.csv), split by note id.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.append(str(Path(__file__).resolve().parent))

from gazetteer.distance import distance_km  # noqa: E402
from splits import SPLITS, acled_rows  # noqa: E402
from versions import run_version  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KM = 25.0


def judge(row: dict[str, str], features: list[dict]) -> dict[str, bool | dict | None]:
    """The fields right on the best of `features` for one ACLED row."""
    lat, lon, fat = float(row["latitude"]), float(row["longitude"]), int(row["fatalities"] or 0)
    best, best_key = None, (-1, -1, -1, -1)
    for f in features:
        p = f["properties"]
        flon, flat = f["geometry"]["coordinates"][:2]
        placed = distance_km(lat, lon, flat, flon) <= KM
        typed = p.get("event_type") == row["event_type"]
        counted = (p.get("fatalities") or 0) == fat
        key = (placed + typed + counted, placed, typed, counted)
        if key > best_key:
            best, best_key = f, key
    if best is None:
        return {"none": True, "placed": False, "fatalities": False, "type": False, "sub": False, "all": False,
                "best": None}
    p = best["properties"]
    _, placed, typed, counted = best_key
    return {"none": False, "placed": bool(placed), "fatalities": bool(counted), "type": bool(typed),
            "sub": p.get("sub_event_type") == row["sub_event_type"], "all": bool(placed and typed and counted),
            "best": best}


FIELDS = ("placed", "fatalities", "type", "sub", "all", "none")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=(*SPLITS, "all"))
    ap.add_argument("--limit", type=int, default=None, help="a fixed random sample of N notes")
    ap.add_argument("--compare", type=Path, action="append", default=[], help="another checkout to score beside")
    ap.add_argument("--errors", type=int, default=0, help="print N wrong notes of this version (for train/dev only)")
    ap.add_argument("--changed", action="store_true",
                    help="print the notes whose verdict differs from the first --compare (train/dev only)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--notes", type=Path, default=None, help="an ACLED-style CSV of our own instead of ACLED Somalia")
    args = ap.parse_args(argv)

    splits = SPLITS if args.split == "all" else args.split
    rows = list(acled_rows(splits, path=args.notes) if args.notes else acled_rows(splits))
    if args.limit:
        rows = random.Random(7).sample(rows, min(args.limit, len(rows)))
    items = [{"text": r["notes"], "published": r["event_date"]} for r in rows]
    title = f"notes of {args.notes.name}" if args.notes else "ACLED Somalia"
    print(f"{title}, split {args.split}: {len(rows)} notes; within {KM:.0f} km; one run, versions in turn")
    print(f"  {'version':<28}" + "".join(f"{f:>11}" for f in FIELDS) + f"{'inc/note':>10}{'notes/s':>9}")
    results = {}
    for tree in [REPO, *args.compare]:
        t = time.perf_counter()
        out = run_version(tree, "incidents", items, workers=args.workers)
        rate = len(items) / (time.perf_counter() - t)
        crashes = sum(1 for o in out if isinstance(o, dict))
        feats = [o if isinstance(o, list) else [] for o in out]
        verdicts = [judge(r, f) for r, f in zip(rows, feats, strict=True)]
        results[tree] = (verdicts, feats)
        shares = {f: sum(v[f] for v in verdicts) / len(verdicts) for f in FIELDS}
        label = "this checkout" if tree == REPO else str(tree)
        print(f"  {label:<28}" + "".join(f"{shares[f]:>11.3f}" for f in FIELDS)
              + f"{sum(map(len, feats)) / len(feats):>10.2f}{rate:>9.1f}" + (f"  ({crashes} crashed)" if crashes else ""))
    verdicts, feats = results[REPO]
    by_type: dict[str, Counter] = {}
    for r, v in zip(rows, verdicts):
        c = by_type.setdefault(r["event_type"], Counter())
        c["n"] += 1
        for f in FIELDS:
            c[f] += v[f]
    print("\n  this checkout by ACLED event type:")
    for et, c in sorted(by_type.items(), key=lambda x: -x[1]["n"]):
        print(f"  {et:<28}" + "".join(f"{c[f] / c['n']:>11.3f}" for f in FIELDS) + f"{c['n']:>10}")
    countries = sorted({r["country"] for r in rows})
    if len(countries) > 1:
        print("\n  this checkout by country:")
        for country in countries:
            vs = [v for r, v in zip(rows, verdicts) if r["country"] == country]
            print(f"  {country:<28}" + "".join(f"{sum(v[f] for v in vs) / len(vs):>11.3f}" for f in FIELDS)
                  + f"{len(vs):>10}")
    if args.errors and args.split != "test":
        wrong = [(r, v) for r, v in zip(rows, verdicts) if not v["all"]]
        for r, v in random.Random(3).sample(wrong, min(args.errors, len(wrong))):
            _show(r, [v])
    if args.changed and args.compare and args.split != "test":
        other = results[args.compare[0]][0]
        for r, v, o in zip(rows, verdicts, other, strict=True):
            if any(v[f] != o[f] for f in FIELDS):
                _show(r, [v, o])
    return 0


def _show(r: dict[str, str], verdicts: list[dict]) -> None:
    """One note and what each version made of it (this checkout first)."""
    print(f"\n[{r['id']}] {r['event_type']} / {r['sub_event_type']}  {r['location']} ({r['admin1']}) "
          f"prec {r['geo_precision']}  fatalities {r['fatalities']}")
    print("  " + r["notes"][:600])
    for v in verdicts:
        b = v["best"]
        if b is None:
            print("  -> no incident")
            continue
        p = b["properties"]
        km = distance_km(float(r["latitude"]), float(r["longitude"]), b["geometry"]["coordinates"][1],
                         b["geometry"]["coordinates"][0])
        print(f"  -> {p['event_type']} / {p['sub_event_type']}  {p['location']} ({p.get('admin1')}) "
              f"{km:.0f} km  prec {p['geo_precision']}  fatalities {p['fatalities']}  "
              f"[{'placed ' if v['placed'] else ''}{'type ' if v['type'] else ''}{'fat' if v['fatalities'] else ''}]")


if __name__ == "__main__":
    raise SystemExit(main())
