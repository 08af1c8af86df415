"""`incident-map geocode`: the offline gazetteer from the command line (owner: gazetteer work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("geocode", help="resolve a place name to ranked places (JSON)")
    p.add_argument("name", nargs="?", help="the place name; omit with --jsonl")
    p.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 country to prefer")
    p.add_argument("--limit", type=int, default=5, metavar="N", help="at most N results (default 5)")
    p.add_argument("--jsonl", action="store_true", help='batch: {"id","query"} lines on stdin')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("geocode: being written")
