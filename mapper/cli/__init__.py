"""The `incident-map` console script: thin subcommands over library functions.

JSON goes to stdout, diagnostics to stderr; an `IncidentMapError` becomes a one-line message
and exit status 1 (2 for usage errors, as argparse does).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mapper.errors import IncidentMapError

from . import extract, geo, parse, serve, store

# Each module adds its subcommands with register(subparsers); a subcommand sets `func`.
MODULES = (geo, parse, extract, store, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-map",
        description="Turn news articles about armed conflict into a map of the incidents they report.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except IncidentMapError as err:
        print(f"incident-map {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"incident-map {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
