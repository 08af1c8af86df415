"""End-to-end extraction speed: articles/s on 1,000 articles built from the test articles.

Each benchmark article joins the paragraphs of two test articles (a different pair and
publication date each time), so no two are identical and nothing is served from a cache.
Prints articles/s and words/s with 1 process and with `--workers` processes (default 2),
process start-up and model loading included. `--stages` prints instead what each stage of one
process costs per article (models loaded first, not counted).

    INCIDENT_MAP_HOME=var .venv/bin/python bench/extract.py [--n 1000] [--workers 2] [--repeat 3]
    INCIDENT_MAP_HOME=var .venv/bin/python bench/extract.py --stages [--n 300]
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


def stages(articles: list[Article]) -> None:
    """Milliseconds per article of each stage, in one process: the stages are timed by wrapping
    the functions that do them (the wrappers cost well under 1%)."""
    from collections import Counter

    from mapper import pipeline
    from mapper.nlp import assemble, document, geoparse, resolve

    spent: Counter[str] = Counter()

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t
        setattr(owner, name, wrapper)

    list(extract_many(articles[:5], workers=1))  # load the models and the gazetteer
    timed(pipeline, "extract_batch", "total")
    timed(geoparse, "find_mentions_many", "geoparse")
    timed(geoparse, "_ner_many", "geoparse: NER around uncertain names")
    timed(geoparse, "judge_places", "geoparse: place model")
    timed(resolve, "resolve_all", "geoparse: senses (resolve)")
    timed(assemble, "classify", "events: trigger rules")
    timed(assemble, "_model_event", "events: classifier (no trigger)")
    parser = document.load_parser()
    inner_pipe = parser.pipe

    def pipe(texts, **kwargs):
        t = time.perf_counter()
        docs = list(inner_pipe(texts, **kwargs))
        spent["clause parse (spaCy: tags, dependency parse)"] += time.perf_counter() - t
        return iter(docs)
    parser.pipe = pipe
    rest = articles[5:]
    list(extract_many(rest, workers=1))
    n = len(rest)
    own = spent["total"] - spent["geoparse"] - spent["clause parse (spaCy: tags, dependency parse)"]
    own -= spent["events: trigger rules"] + spent["events: classifier (no trigger)"]
    spent["assembly: counts, dates, actors, linking"] = own
    print(f"{n} articles in one process: {spent['total']:.2f} s, {n / spent['total']:.1f} articles/s")
    for label, seconds in spent.items():
        if label != "total":
            print(f"  {label:45s} {1000 * seconds / n:6.1f} ms/article  {100 * seconds / spent['total']:4.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the best is printed (default 1)")
    parser.add_argument("--stages", action="store_true", help="print what each stage costs per article (1 process)")
    args = parser.parse_args()
    articles = corpus(args.n)
    if args.stages:
        stages(articles)
        return
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
