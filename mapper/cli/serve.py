"""`incident-map serve`: the web app under waitress."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the map and the API (waitress)")
    p.add_argument("--db", metavar="URL", help="database URL (default: INCIDENT_MAP_DB or the SQLite file in the data dir)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("serve: being written")
