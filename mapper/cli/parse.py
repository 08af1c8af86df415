"""`incident-map geoparse`: place mentions in a text (owner: geoparser work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("geoparse", help="find and resolve the place mentions in a text (JSON)")
    p.add_argument("file", nargs="?", default=None, help="a text file, or - for stdin")
    p.add_argument("--jsonl", action="store_true", help='batch: {"id","text"} lines on stdin')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("geoparse: being written")
