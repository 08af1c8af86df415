"""`incident-map ingest | build | export`: the store, the map and the files users hand on."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ingest, build and export (being written)."""
