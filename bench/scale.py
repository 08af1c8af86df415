"""Extraction past one machine: articles/s with 1 process, the process pool and a Dask LocalCluster, side by side.

    INCIDENT_MAP_HOME=var .venv/bin/python bench/scale.py [--n 10000] [--workers 2] [--partitions 20]

The articles are bench/extract.py's (pairs of the test articles, each one different). In one run:

- 1 process: `extract_many(workers=1)`, in this process;
- the process pool: `extract_many(workers=N)` (mapper.pipeline, a fork server's workers);
- Dask: a `LocalCluster` of N single-threaded worker processes, the articles written first as
  `--partitions` JSONL files, `extract_dataset` writing GeoParquet (reading and writing included).

Each figure includes its own start-up (process start, loading the gazetteer and spaCy); the Dask
start-up (cluster, then every worker's plugin loading) is printed apart, and so is the rate
after it, which is what more machines multiply. The projection to M machines of C cores
assumes each core extracts at the measured per-worker rate (Dask's scheduler is far from
busy at one task per partition of hundreds of articles).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# bench/gazetteer.py would shadow the gazetteer package: keep this directory off the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from mapper.pipeline import extract_many
from mapper.records import Article


def corpus(n: int) -> list[Article]:
    """bench/extract.py's articles (loaded by path: this directory is not importable as a package)."""
    spec = importlib.util.spec_from_file_location("bench_extract", HERE / "extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.corpus(n)


def pool(articles: list[Article], workers: int) -> float:
    started = time.perf_counter()
    for _article, _found in extract_many(articles, workers=workers, errors="yield"):
        pass
    return time.perf_counter() - started


def dask(articles: list[Article], workers: int, partitions: int, directory: Path):
    from mapper.scale.cluster import extract_dataset

    size = -(-len(articles) // partitions)
    inputs = []
    for k in range(partitions):
        path = directory / f"articles-{k:03d}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for a in articles[k * size:(k + 1) * size]:
                f.write(json.dumps({"text": a.text, "published": a.published.isoformat() if a.published else None,
                                    "url": a.url, "title": a.title, "source": a.source}, ensure_ascii=False) + "\n")
        inputs.append(path)
    return extract_dataset(inputs, directory / "out", workers=workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--workers", type=int, default=2, help="pool processes and Dask workers (default 2)")
    parser.add_argument("--partitions", type=int, default=20, help="JSONL partitions for Dask (default 20)")
    parser.add_argument("--skip-single", action="store_true", help="leave out the 1-process run (the slowest)")
    args = parser.parse_args()
    articles = corpus(args.n)
    print(f"{len(articles)} articles; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rates = {}
    if not args.skip_single:
        seconds = pool(articles, 1)
        rates["1 process"] = len(articles) / seconds
        print(f"1 process:            {seconds:7.1f} s  {rates['1 process']:6.1f} articles/s", flush=True)
    seconds = pool(articles, args.workers)
    rates["pool"] = len(articles) / seconds
    print(f"process pool ({args.workers}):     {seconds:7.1f} s  {rates['pool']:6.1f} articles/s", flush=True)
    with tempfile.TemporaryDirectory(prefix="im-bench-scale-") as tmp:
        summary = dask(articles, args.workers, args.partitions, Path(tmp))
    if summary.failed or summary.articles != len(articles):
        raise SystemExit(f"the Dask run lost articles: {summary.to_dict()}")
    rates["dask"] = len(articles) / summary.seconds
    after = len(articles) / (summary.seconds - summary.startup_seconds)
    print(f"Dask LocalCluster ({args.workers}): {summary.seconds:7.1f} s  {rates['dask']:6.1f} articles/s "
          f"({rates['dask'] / rates['pool']:.2f}x the pool); start-up {summary.startup_seconds:.1f} s "
          f"(cluster + each worker loading, in parallel), then {after:.1f} articles/s", flush=True)
    loads = ", ".join(f"{s:.1f}" for s in summary.worker_load_seconds)
    print(f"per-worker start-up: loading the gazetteer and spaCy took {loads} s (each worker, in its plugin)")
    per_worker = after / args.workers
    print(f"per Dask worker (one core): {per_worker:.1f} articles/s after start-up")
    for machines, cores in ((1, 2), (4, 8), (16, 16), (64, 16)):
        rate = machines * cores * per_worker
        print(f"  projected {machines:3d} machines x {cores:2d} cores: {rate:8.0f} articles/s, "
              f"1,000,000 articles in {1_000_000 / rate / 3600:5.2f} h (+ {summary.startup_seconds:.0f} s start-up)")


if __name__ == "__main__":
    main()
