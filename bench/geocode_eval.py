"""Place descriptions through the gazetteer alone, scored on ACLED Somalia's coordinates.

    INCIDENT_MAP_HOME=var .venv/bin/python bench/geocode_eval.py [--split train,dev | --split test]
        [--compare DIR]   # DIR holds another version's gazetteer/ (git archive main gazetteer | tar -x -C DIR)
                          # and its index in DIR/var/gazetteer

Each ACLED event (of the chosen splits; bench/splits.py: tune on train and dev, score test once)
becomes two queries, "location, admin1" as analysts write a place ("Balade, Bari") and the plain
"location". An answer is right when within 25 km of ACLED's point; "none" is the share with no
answer at all; "parent" the share answered by the written parent itself (the region: right only
when the region's point is within 25 km). Figures count events (a place named by many events
weighs more, as it does in the data) and, after the slash, distinct queries. With --compare the
other version answers the same queries in the same run, each in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ is first on sys.path: only splits.py is wanted from it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
KM = 25.0
FORMS = ("{location}, {admin1}", "{location}")


def answers(queries: list[str]) -> list[dict | None]:
    """The best place for each query, as plain dicts (run by this version or, via --worker, another)."""
    import gazetteer

    gz = gazetteer.load()
    out = []
    for q in queries:
        p = gz.geocode(q)
        out.append(None if p is None else {"lat": p.lat, "lon": p.lon, "country": p.country, "feature": p.feature,
                                           "match": p.raw.get("match")})
    return out


def answers_of(code_dir: Path, queries: list[str]) -> list[dict | None]:
    env = dict(os.environ, PYTHONPATH=str(code_dir))
    if (code_dir / "var" / "gazetteer" / "meta.json").exists():
        env["INCIDENT_MAP_HOME"] = str(code_dir / "var")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker"], input=json.dumps(queries),
                          capture_output=True, text=True, env=env, cwd=code_dir, check=False)
    if proc.returncode:
        raise SystemExit(f"--compare {code_dir}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def score(rows: list[dict], form: str, found: dict[str, dict | None]) -> dict[str, float]:
    from gazetteer.distance import distance_km

    n = ok = none = parent = other_country = 0
    distinct: Counter = Counter()
    seen = set()
    for r in rows:
        q = form.format(**r)
        a = found[q]
        n += 1
        right = a is not None and distance_km(a["lat"], a["lon"], float(r["latitude"]), float(r["longitude"])) <= KM
        ok += right
        none += a is None
        parent += a is not None and a["match"] == "parent"
        other_country += a is not None and a["country"] != "SO"
        if q not in seen:
            seen.add(q)
            distinct["n"] += 1
            distinct["ok"] += right
            distinct["none"] += a is None
    return {"right": ok / n, "none": none / n, "parent": parent / n, "abroad": other_country / n,
            "right_d": distinct["ok"] / distinct["n"], "none_d": distinct["none"] / distinct["n"], "n": n,
            "n_d": distinct["n"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="train,dev", help="comma-separated splits (default train,dev)")
    ap.add_argument("--compare", type=Path, metavar="DIR", help="another version's code (and DIR/var index)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        json.dump(answers(json.load(sys.stdin)), sys.stdout)
        return 0
    sys.path.insert(0, str(ROOT))
    from bench.splits import acled_rows

    rows = list(acled_rows(tuple(args.split.split(","))))
    queries = sorted({form.format(**r) for r in rows for form in FORMS})
    systems = [("this", dict(zip(queries, answers(queries))))]
    if args.compare:
        systems.append((str(args.compare), dict(zip(queries, answers_of(args.compare, queries)))))
    print(f"ACLED Somalia, split {args.split}: {len(rows)} events; share within {KM:.0f} km of ACLED's point"
          f" (events / distinct queries), share with no answer, answered by the parent, answered outside Somalia")
    for form in FORMS:
        print(f"  query \"{form}\"")
        for name, found in systems:
            s = score(rows, form, found)
            print(f"    {name:<22} right {s['right']:.3f} / {s['right_d']:.3f}   none {s['none']:.3f} / {s['none_d']:.3f}"
                  f"   parent {s['parent']:.3f}   abroad {s['abroad']:.3f}   ({s['n']} events, {s['n_d']} queries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
