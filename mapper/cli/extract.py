"""`incident-map extract`: articles in, a GeoJSON FeatureCollection of incidents out."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from mapper.errors import ArticleError
from mapper.records import Article, feature_collection


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="print the incidents in articles as GeoJSON")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt .html .json .jsonl), directories, or -")
    p.add_argument("--published", metavar="YYYY-MM-DD", type=_iso_date,
                   help="publication date when the article has none")
    p.add_argument("--explain", action="store_true",
                   help="add each source's trace: the sentence, trigger, event-type scores and the rule "
                        "behind each count, date and place")
    p.add_argument("--workers", type=int, default=None,
                   help="processes to use (default: 2 for 50 or more articles, else 1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print one FeatureCollection of every file's incidents; name each bad file on stderr.

    The good files are still processed; the exit status is 1 if any input failed.
    """
    from mapper.articles import read_articles
    from mapper.storage.merge import merge_incidents
    from mapper.pipeline import extract_many

    failed = 0
    articles: list[Article] = []
    for item in read_articles(args.files, published=args.published):
        if isinstance(item, ArticleError):
            failed += 1
            print(f"incident-map extract: {item}", file=sys.stderr)
        else:
            if item.published is None:
                print(f"incident-map extract: {item.origin}: no publication date; events dated only relatively "
                      "(\"on Monday\") are skipped — pass --published YYYY-MM-DD", file=sys.stderr)
            articles.append(item)
    incidents = []
    workers = args.workers if args.workers is not None else (2 if len(articles) >= 50 else 1)
    for _article, found in extract_many(articles, workers=workers):
        incidents.extend(found)
    json.dump(feature_collection(merge_incidents(incidents), explain=args.explain), sys.stdout, ensure_ascii=False,
              indent=1)
    sys.stdout.write("\n")
    return 1 if failed else 0


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from err
