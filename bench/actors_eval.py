"""How often actor1 agrees with ACLED's on the ACLED Somalia notes, beside the regex actors of before.

    python bench/actors_eval.py [--splits train dev] [--baseline REF] [--top N]

Each note's first sentence goes through `find_actors` with the event type our rules give it
(`events.classify`) and the note's country, as the incident builder would call it. Our actor
is turned into ACLED's name through the conflict files' `acled` column (generic actors get the
country filled in: "Protesters (Somalia)"); ACLED's own name loses its period ("(2022-)").
Printed per split and per system: exact (the same ACLED actor), family (one name is the other
plus a unit: "Military Forces of Somalia" for "... Puntland Dervish Force"), none (no actor1),
and notes per second. The baseline is `mapper/nlp/actors.py` as it was at REF (default: the
last commit with the regex tables), loaded from git; its names map to ACLED's the same way.
Only the train and dev splits are read (bench/splits.py); the test split is never looked at.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

# Run as a script, bench/ is first on sys.path and bench/gazetteer.py would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.splits import acled_rows  # noqa: E402
from mapper.nlp import actors, conflicts  # noqa: E402
from mapper.nlp.events import classify  # noqa: E402
from mapper.nlp.text import split_sentences  # noqa: E402

BASELINE = "0a19314"  # the last commit whose actors.py held the actors as regexes
ROOT = Path(__file__).resolve().parents[1]
COUNTRY = "SO"
_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")

Finder = Callable[..., tuple[str | None, str | None]]


def acled_gold(name: str) -> str:
    """ACLED's name without the government's period: "Military Forces of Somalia (2022-) Special Forces"
    -> "Military Forces of Somalia Special Forces"."""
    return " ".join(_PERIOD.sub("", name).split())


def to_acled(name: str | None, reg: conflicts.Conflicts) -> str | None:
    """ACLED's name of one of our actor names (or of any phrase that names one actor)."""
    if not name:
        return None
    actor = reg.actors.get(name)
    if actor is None:
        found = [m for m in reg.find(name, country=COUNTRY) if m.start == 0 and m.end == len(name)]
        actor = found[0].actor if found else None
    if actor is None:
        return None
    actor = reg.specific(actor, COUNTRY)
    return actor.acled_name(reg.country_name(COUNTRY))


def baseline_module(ref: str) -> ModuleType:
    """`mapper/nlp/actors.py` as it was at `ref`, imported under another name."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:mapper/nlp/actors.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("actors_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{ref}:mapper/nlp/actors.py", "exec"), module.__dict__)  # noqa: S102 - our own file at a commit
    return module


def first_sentence(note: str) -> str:
    spans = split_sentences(note)
    return spans[0].text if spans else note


def score(rows: list[dict[str, str]], finder: Finder, reg: conflicts.Conflicts) -> tuple[Counter, list[tuple[str, str | None]], float]:
    counts: Counter = Counter()
    pairs = []
    t0 = time.perf_counter()
    for row in rows:
        text = first_sentence(row["notes"])
        kind = classify(text)
        a1, _ = finder(text, sub_event_type=kind.sub_event_type if kind else None, location_country=COUNTRY)
        pairs.append((acled_gold(row["actor1"]), to_acled(a1, reg)))
    elapsed = time.perf_counter() - t0
    for gold, ours in pairs:
        counts["n"] += 1
        if ours is None:
            counts["none"] += 1
        elif ours == gold:
            counts["exact"] += 1
            counts["family"] += 1
        elif gold.startswith(ours) or ours.startswith(gold):
            counts["family"] += 1
    return counts, pairs, len(rows) / elapsed if elapsed else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", nargs="+", default=["train", "dev"], choices=["train", "dev"])
    ap.add_argument("--baseline", default=BASELINE, help="git ref of the baseline actors.py")
    ap.add_argument("--top", type=int, default=12, help="ACLED actors to break down (dev)")
    args = ap.parse_args(argv)
    reg = conflicts.load()
    base = baseline_module(args.baseline)
    systems: dict[str, Finder] = {f"baseline {args.baseline}": base.find_actors, "conflict files": actors.find_actors}
    print(f"{'split':6} {'system':22} {'notes':>6} {'exact':>7} {'family':>7} {'none':>7} {'notes/s':>8}")
    breakdown: dict[str, list[tuple[str, str | None]]] = {}
    for split in args.splits:
        rows = list(acled_rows(split))
        for name, finder in systems.items():
            c, pairs, rate = score(rows, finder, reg)
            n = c["n"] or 1
            print(f"{split:6} {name:22} {c['n']:6d} {c['exact'] / n:7.3f} {c['family'] / n:7.3f} {c['none'] / n:7.3f} {rate:8.0f}")
            if split == args.splits[-1]:
                breakdown[name] = pairs
    print(f"\nexact agreement by ACLED actor1 ({args.splits[-1]}, most frequent first)")
    names = list(breakdown)
    gold_counts = Counter(g for g, _ in breakdown[names[0]])
    print(f"{'ACLED actor1':62} {'notes':>5} " + " ".join(f"{n[:14]:>14}" for n in names))
    for gold, k in gold_counts.most_common(args.top):
        hits = [sum(1 for g, o in breakdown[n] if g == gold and o == gold) / k for n in names]
        print(f"{gold[:62]:62} {k:5d} " + " ".join(f"{h:14.2f}" for h in hits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
