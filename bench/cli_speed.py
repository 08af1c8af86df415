"""Speed of the two batch commands through the real console script, beside a reference in one run.

    INCIDENT_MAP_HOME=var .venv/bin/python bench/cli_speed.py geocode [--lines 200000] [--compare DIR]
    INCIDENT_MAP_HOME=var .venv/bin/python bench/cli_speed.py geoparse [--corpus PATH] [--compare DIR]

geocode: `incident-map geocode --jsonl` over a 200,000-line batch of names sampled from the index
(half drawn uniformly, half from a heavy-tailed draw, so names repeat as in a news feed), in
queries per second of wall-clock time and per CPU-second of the child process. With `--compare
DIR` the same batch runs through another version of the code (DIR holds its `gazetteer/` and
`mapper/`, e.g. `git archive main gazetteer mapper | tar -x -C DIR`, and its own index in
DIR/var/gazetteer when the format differs), alternating runs so both see the same machine load;
the outputs are compared line by line.

geoparse: `incident-map geoparse --jsonl` over the TR-News articles (issue 11's acceptance: at
least 60 documents/s and 1.5x bare spaCy NER), beside bare spaCy NER (`nlp.pipe`, two processes)
timed in the same run, and the reference code with `--compare DIR`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TR_NEWS = ROOT.parent / "shared" / "benchmarks" / "geoparsing" / "TR-News.xml"
RUNS = 3


def geocode_batch(n: int, seed: int = 5) -> list[str]:
    """`n` {"id","query"} lines: names of random index places, half of them repeating."""
    sys.path.insert(0, str(ROOT))
    import gazetteer

    ix = gazetteer.load()._ix  # the bench may peek: it samples real names from the index
    rng = random.Random(seed)
    pool = []
    for _ in range(30_000):
        pid = rng.randrange(len(ix.feat))
        pool.append(bytes(ix.names[ix.name_off[pid]:ix.name_off[pid + 1]]).decode("utf-8"))
    lines = []
    for i in range(n):
        if i % 2:
            name = pool[min(int(rng.paretovariate(1.0)) - 1, len(pool) - 1)]
        else:
            name = pool[rng.randrange(len(pool))]
        lines.append(json.dumps({"id": i, "query": name}, ensure_ascii=False))
    return lines


def tr_news_batch(path: Path) -> list[str]:
    return [json.dumps({"id": a.get("docid", ""), "text": a.findtext("text") or ""}, ensure_ascii=False)
            for a in ET.parse(path).getroot().iter("article")]


def run_cli(code_dir: Path | None, argv: list[str], data: Path) -> tuple[float, float, bytes, float]:
    """(wall seconds, child CPU seconds, stdout, seconds from the first output line to the last) of
    `incident-map ARGV < data` run from `code_dir` (None: this tree) with that tree's index when it
    has one. The last figure leaves out start-up and model loading."""
    env = dict(os.environ)
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
        if (code_dir / "var" / "gazetteer" / "meta.json").exists():
            env["INCIDENT_MAP_HOME"] = str(code_dir / "var")
        cwd = code_dir
    else:
        cwd = ROOT
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    lines = []
    first = last = None
    with open(data, "rb") as stdin, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from mapper.cli import main; sys.exit(main())",
                                 *argv], stdin=stdin, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd)
        for line in proc.stdout:
            last = time.perf_counter()
            first = first or last
            lines.append(line)
        code = proc.wait()
        wall = time.perf_counter() - t
        if code:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed ({code_dir or 'this tree'}): {err.read().decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, b"".join(lines), (last - first) if first is not None else 0.0


def side_by_side(argv: list[str], data: Path, n: int, unit: str, compare: Path | None) -> dict[str, list]:
    systems = [("this", None)] + ([(str(compare), compare)] if compare else [])
    times: dict[str, list] = {name: [] for name, _ in systems}
    outputs: dict[str, bytes] = {}
    for _ in range(RUNS):
        for name, code_dir in systems:
            wall, cpu, out, span = run_cli(code_dir, argv, data)
            times[name].append((wall, cpu, span))
            outputs[name] = out
    for name, _ in systems:
        wall = min(w for w, _, _ in times[name])
        cpu = min(c for _, c, _ in times[name])
        span = min(s for _, _, s in times[name])
        print(f"  {name:<24} {n / wall:>10,.0f} {unit}/s wall (best of {RUNS}: {wall:.2f} s)   "
              f"{n / cpu:>10,.0f} {unit} per CPU-second (all processes)   "
              f"{(n - 1) / max(span, 1e-9):>10,.0f} {unit}/s from the first answer to the last")
    if compare:
        a, b = outputs["this"].splitlines(), outputs[str(compare)].splitlines()
        differ = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
        print(f"  speed-up {min(t[0] for t in times[str(compare)]) / min(t[0] for t in times['this']):.2f}x wall;"
              f" {differ:,} of {len(a):,} output lines differ")
    return times


def bare_ner_rate(texts: list[str]) -> float:
    """Documents/s of spaCy NER alone: `nlp.pipe` with two processes, load time excluded."""
    sys.path.insert(0, str(ROOT))
    from mapper.nlp.document import load_nlp

    nlp = load_nlp()
    t = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2, batch_size=16):
        pass
    return len(texts) / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("geocode", "geoparse"))
    ap.add_argument("--lines", type=int, default=200_000, help="geocode batch size (default 200,000)")
    ap.add_argument("--corpus", type=Path, default=TR_NEWS, help="geoparse: a corpus XML (default TR-News)")
    ap.add_argument("--compare", type=Path, metavar="DIR", help="another version's code (and DIR/var index)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "batch.jsonl"
        if args.command == "geocode":
            lines = geocode_batch(args.lines)
            data.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"incident-map geocode --jsonl, {len(lines):,} lines ({len({json.loads(x)['query'] for x in lines}):,} distinct "
                  f"queries), {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
            side_by_side(["geocode", "--jsonl"], data, len(lines), "queries", args.compare)
        else:
            lines = tr_news_batch(args.corpus)
            data.write_text("\n".join(lines) + "\n", encoding="utf-8")
            texts = [json.loads(line)["text"] for line in lines]
            print(f"incident-map geoparse --jsonl, {args.corpus.name}: {len(lines)} documents, {os.cpu_count()} cores,"
                  f" load average {os.getloadavg()[0]:.1f} (wall-clock includes start-up and model loading)")
            times = side_by_side(["geoparse", "--jsonl"], data, len(lines), "docs", args.compare)
            ner = bare_ner_rate(texts)
            ours = len(lines) / min(t[0] for t in times["this"])
            steady = (len(lines) - 1) / max(min(t[2] for t in times["this"]), 1e-9)
            print(f"  bare spaCy NER (nlp.pipe, 2 processes, model load excluded, its process start-up in):"
                  f" {ner:,.1f} docs/s; this / bare NER = {ours / ner:.2f}x with start-up and loading,"
                  f" {steady / ner:.2f}x first answer to last")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
