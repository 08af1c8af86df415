"""End-to-end extraction speed: articles/s on 1,000 articles built from the test articles.

Each benchmark article joins the paragraphs of two test articles (a different pair and
publication date each time), so no two are identical and nothing is served from a cache.
Prints articles/s and words/s with 1 process and with `--workers` processes (default 2),
process start-up and model loading included.

    INCIDENT_MAP_HOME=var .venv/bin/python bench/extract.py [--n 1000] [--workers 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

# bench/gazetteer.py would shadow the gazetteer package: keep this directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from mapper.articles import read_articles
from mapper.pipeline import extract_many
from mapper.records import Article

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"


def corpus(n: int) -> list[Article]:
    """`n` distinct articles from pairs of the test articles."""
    files = sorted(p for p in ARTICLES.iterdir() if p.is_file())
    base = [a for a in read_articles(files) if isinstance(a, Article)]
    if not base:
        raise SystemExit(f"no articles in {ARTICLES}")
    out = []
    for i in range(n):
        a, b = base[i % len(base)], base[(i * 7 + 3) % len(base)]
        text = a.text if a is b else f"{a.text}\n\n{b.text}"
        published = (a.published or date(2026, 2, 13)) + timedelta(days=i // len(base) % 5)
        out.append(Article(text=text, published=published, url=f"https://bench.test/{i}", title=a.title,
                           source=a.source, origin=f"bench-{i}"))
    return out


def run(articles: list[Article], workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    count = sum(len(incidents) for _, incidents in extract_many(articles, workers=workers))
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the best is printed (default 1)")
    args = parser.parse_args()
    articles = corpus(args.n)
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words} words ({words / len(articles):.0f} per article)")
    # Other processes on the machine skew a single run: print the load, keep the best of --repeat.
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for workers in (1, args.workers):
        seconds, count = min(run(articles, workers) for _ in range(max(1, args.repeat)))
        print(f"workers={workers}: {seconds:.2f} s, {len(articles) / seconds:.1f} articles/s, "
              f"{words / seconds:.0f} words/s, {count} incidents")


if __name__ == "__main__":
    main()
