"""Run another version of the code (a checkout in DIR) on the same inputs, for side-by-side figures.

The other version runs in a child process with DIR first on its import path and its own
gazetteer index (``DIR/var``, built there by ``python -m gazetteer.build``), so two versions
never share a module. Inputs go in and results come out as JSON lines; the parent scores both
with the same code. Old and new module paths are both tried (mapper.incidents before the
restructure, mapper.nlp.assemble after).

    git worktree add /tmp/before <commit>           # the version to compare with
    (cd /tmp/before && ln -s $PWD/node_modules . ; INCIDENT_MAP_HOME=var python -m gazetteer.build)
    python bench/extract_eval.py --compare /tmp/before
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

_CHILD = r'''
import json, sys, multiprocessing as mp
from datetime import date
import gazetteer
try:
    from mapper.nlp.document import load_nlp
except ImportError:
    from mapper.nlp import load_nlp
try:
    from mapper.nlp.assemble import build_incidents
except ImportError:
    from mapper.incidents import build_incidents
try:
    from mapper.nlp.geoparse import find_mentions
except ImportError:
    from mapper.geoparse import find_mentions
from mapper.records import Article

KIND = sys.argv[1]
G, N = gazetteer.load(), load_nlp()

def one(line):
    item = json.loads(line)
    try:
        if KIND == "mentions":
            ms = find_mentions(item["text"], G, nlp=N)
            return [{"start": m.start, "end": m.end, "place": None if m.place is None else
                     {"lat": m.place.lat, "lon": m.place.lon, "feature": m.place.feature,
                      "country": m.place.country, "admin1_code": m.place.admin1_code}} for m in ms]
        art = Article(text=item["text"], published=date.fromisoformat(item["published"]), title=item.get("title"))
        return [inc.to_feature() for inc in build_incidents(art, G, nlp=N)]
    except Exception as err:  # a crash of the other version is a result to report, not ours to fix
        return {"error": f"{type(err).__name__}: {err}"}

lines = sys.stdin.read().splitlines()
with mp.get_context("fork").Pool(int(sys.argv[2])) as pool:
    for out in pool.imap(one, lines, chunksize=8):
        sys.stdout.write(json.dumps(out) + "\n")
'''


def run_version(tree: Path, kind: str, items: Sequence[dict], *, workers: int = 2) -> list:
    """Results of the code in `tree` for each item: "mentions" ({"text"}) -> list of mention dicts;
    "incidents" ({"text", "published"}) -> list of GeoJSON features; {"error"} on a crash."""
    tree = tree.resolve()
    env = {**os.environ, "PYTHONPATH": str(tree), "INCIDENT_MAP_HOME": str(tree / "var")}
    proc = subprocess.run([sys.executable, "-c", _CHILD, kind, str(workers)], cwd=tree, env=env,
                          input="\n".join(json.dumps(i) for i in items), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the version in {tree} failed:\n{proc.stderr[-3000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines()]
