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

# Subcommands that read the gazetteer: on first use its index is built from the pinned
# packages (about a minute) rather than failing; `./dev setup` builds it ahead of time.
NEEDS_GAZETTEER = frozenset({"geocode", "geoparse", "extract", "ingest", "build", "serve"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-map",
        description="Turn news articles about armed conflict into a map of the incidents they report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.register(subparsers)
    return parser


def version() -> str:
    """The installed distribution's version (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("incident-map")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in NEEDS_GAZETTEER:
            ensure_gazetteer_index()
        return int(args.func(args) or 0)
    except IncidentMapError as err:
        print(f"incident-map {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"incident-map {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def ensure_gazetteer_index() -> None:
    """Build the default gazetteer index when there is none yet (first run after install)."""
    from gazetteer.paths import index_dir

    directory = index_dir()
    if (directory / "meta.json").exists():
        return  # present; a stale one is reported by gazetteer.load() with the command to rebuild
    from gazetteer import build

    print(f"incident-map: building the offline gazetteer index in {directory} "
          "(first use, about a minute)", file=sys.stderr)
    build.build(directory, log=lambda message: print(f"  {message}", file=sys.stderr))
