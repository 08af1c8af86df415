"""Time to extract incidents from articles built to be slow: long runs of punctuation, symbols
and emoji (spaCy's tokenizer is quadratic on them).

    INCIDENT_MAP_HOME=var .venv/bin/python bench/pathological.py [--run 20000]

Prints one line per article: characters, seconds, incidents found (the lede's strike: 1), and a
plain news article of the same shape as the baseline. Target (issue 14): the 20,000 `=` article
under 2 s. The `!?` run is slow in the sentence splitter, not in spaCy: the time budget stops it.
"""

from __future__ import annotations

import argparse
import sys
import time


def cases(run: int) -> dict[str, str]:
    lede = ("KHARKIV, Feb 13 - A Russian drone struck a residential building in Kharkiv overnight, "
            "killing two people and injuring five, the regional governor said on Friday.\n\n")
    tail = "\n\nRescue workers were still searching the rubble on Friday morning, officials said."
    return {
        "baseline (plain article)": lede + tail,
        f"{run:,} '='": lede + "=" * run + tail,
        f"{run:,} '('": lede + "(" * run + tail,
        f"{run:,} '%'": lede + "%" * run + tail,
        f"{run:,} '_'": lede + "_" * run + tail,
        f"{run // 2:,} '!?'": lede + "!?" * (run // 2) + tail,
        f"{run:,} emoji": lede + "\U0001F600" * run + tail,
        f"{run:,} '=' + x + {run:,} '='": lede + "=" * run + "x" + "=" * run + tail,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=int, default=20_000, help="length of each pathological run")
    args = parser.parse_args()

    from datetime import date

    import gazetteer
    from mapper.nlp.assemble import build_incidents
    from mapper.nlp.document import load_nlp
    from mapper.records import Article

    gaz, nlp = gazetteer.load(), load_nlp()
    published = date(2026, 2, 13)  # the lede's strike is then an incident: the article is still read
    build_incidents(Article(next(iter(cases(10).values())), published), gaz, nlp=nlp)  # warm up
    for name, text in cases(args.run).items():
        t0 = time.perf_counter()
        found = build_incidents(Article(text, published), gaz, nlp=nlp)
        print(f"{name:<34} {len(text):>8,} chars  {time.perf_counter() - t0:6.2f} s  {len(found)} incidents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
