"""Counts and dates on the ACLED Somalia notes, this tree beside a baseline (default: branch main).

    INCIDENT_MAP_HOME=var .venv/bin/python bench/counts_eval.py [--split dev] [--baseline main] [--show 20]

For each note of the split: fatalities as `parse_casualties` reads the whole note (null counts
as 0) against ACLED's `fatalities`, and the date `resolve_date` gives (its start) against
`event_date`, with the publication date set to event_date + 0..7 days (fixed per note) so that
relative expressions are exercised. Prints the share of notes right on each, beside the
baseline's share on the same notes in the same run, and the time per note of each step (the parse is done once and shared by counts and dates;
the baseline reads strings and parses nothing). The baseline's
`mapper` is exported from git (`git archive REF mapper gazetteer`) into a temporary directory and
run in a child process with it first on the path. The notes are read in place, never copied.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

# Run as a script, bench/ is first on sys.path: keep it off so bench files never shadow packages.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
ROOT = HERE.parent


def _splits():
    spec = importlib.util.spec_from_file_location("bench_splits", HERE / "splits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def published_for(row: dict[str, str]) -> date:
    """The event date plus 0..7 days, fixed per note."""
    offset = int(hashlib.sha1(row["id"].encode()).hexdigest()[:4], 16) % 8
    return date.fromisoformat(row["event_date"]) + timedelta(days=offset)


def evaluate(notes: list[dict], *, parse_first: bool) -> tuple[list[dict], dict[str, float]]:
    """Fatalities and date per note with the `mapper` on the path; seconds per note for each step."""
    from mapper.nlp.counts import parse_casualties
    from mapper.nlp.dates import resolve_date

    parse = None
    if parse_first:
        from mapper.nlp.document import load_parser

        parse = load_parser()
        parse("warm up")
    out = []
    seconds = {"parse": 0.0, "counts": 0.0, "dates": 0.0}
    for note in notes:
        published = date.fromisoformat(note["published"])
        t0 = time.perf_counter()
        source = parse(note["text"]) if parse else note["text"]
        t1 = time.perf_counter()
        cas = parse_casualties(source)
        t2 = time.perf_counter()
        when = resolve_date(source, published)
        t3 = time.perf_counter()
        seconds["parse"] += t1 - t0
        seconds["counts"] += t2 - t1
        seconds["dates"] += t3 - t2
        out.append({"fatalities": cas.fatalities, "note": cas.fatalities_note,
                    "date": when.start.isoformat() if when else None,
                    "trace": [str(link) for link in getattr(cas, "trace", ())]})
    return out, {k: v / max(len(notes), 1) for k, v in seconds.items()}


def baseline(notes: list[dict], ref: str) -> tuple[list[dict], dict[str, float]]:
    """`evaluate` with the `mapper` of git `ref`, in a child process."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "mapper", "gazetteer"],
                             check=True, capture_output=True).stdout
    with tempfile.TemporaryDirectory(prefix="counts-baseline-") as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = dict(os.environ, PYTHONPATH=tmp)
        child = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps(notes),
                               capture_output=True, text=True, env=env, check=False)
        if child.returncode:
            raise SystemExit(f"baseline {ref} failed:\n{child.stderr[-2000:]}")
        answer = json.loads(child.stdout)
        if not answer["mapper"].startswith(tmp):
            raise SystemExit(f"baseline imported {answer['mapper']}, not the {ref} export")
        return answer["results"], answer["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--baseline", default="main", help="git ref of the baseline (default main)")
    parser.add_argument("--limit", type=int, default=0, help="first N notes only")
    parser.add_argument("--show", type=int, default=0, help="print N notes where the fatalities differ")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import mapper

        notes = json.load(sys.stdin)
        results, seconds = evaluate(notes, parse_first=False)
        json.dump({"mapper": mapper.__file__, "results": results, "seconds": seconds}, sys.stdout)
        return 0

    rows = list(_splits().acled_rows(args.split))
    if args.limit:
        rows = rows[:args.limit]
    notes = [{"id": r["id"], "text": r["notes"], "published": published_for(r).isoformat()} for r in rows]
    gold = [(int(r["fatalities"] or 0), r["event_date"]) for r in rows]
    ours, our_time = evaluate(notes, parse_first=True)
    theirs, their_time = baseline(notes, args.baseline)

    def score(results: list[dict]) -> tuple[float, float, float]:
        fat = [(r["fatalities"] or 0) == g[0] for r, g in zip(results, gold)]
        day = [r["date"] == g[1] for r, g in zip(results, gold)]
        n = max(len(results), 1)
        return sum(fat) / n, sum(day) / n, sum(f and d for f, d in zip(fat, day)) / n

    print(f"ACLED Somalia {args.split}: {len(rows)} notes (published = event_date + 0..7 days)")
    print(f"{'':22}{'fatalities':>11}{'date':>8}{'both':>8}   ms/note: parse  counts  dates")
    for name, results, seconds in (("this tree", ours, our_time), (f"baseline ({args.baseline})", theirs, their_time)):
        fat, day, both = score(results)
        print(f"{name:22}{fat:11.3f}{day:8.3f}{both:8.3f}{seconds['parse'] * 1000:16.2f}"
              f"{seconds['counts'] * 1000:8.2f}{seconds['dates'] * 1000:7.2f}")
    shown = 0
    for row, mine, old, (fat, _) in zip(rows, ours, theirs, gold):
        if shown >= args.show or (mine["fatalities"] or 0) == fat:
            continue
        shown += 1
        print(f"\n{row['id']} gold {fat} | ours {mine['fatalities']} ({mine['note']}) | baseline {old['fatalities']}")
        print(f"  {row['notes']}")
        for link in mine["trace"]:
            print(f"    {link}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
