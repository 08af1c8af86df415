"""`incident-map extract`: articles in, a GeoJSON FeatureCollection of incidents out."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="print the incidents in articles as GeoJSON")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt .html .json .jsonl) or -")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date when the article has none")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("extract: being written")
