"""`incident-map geocode`: the offline gazetteer from the command line (owner: gazetteer work).

    incident-map geocode NAME [--country CC] [--limit N]   -> {"query", "results": [Place, ...]}
    incident-map geocode --jsonl < {"id","query"} lines    -> {"id","query","results"} lines

A single query without a result prints a message on stderr and exits 1. In batch mode every
input line gives one output line, in order: no result is ``"results": []``, a line that is
not a usable query gives an ``"error"`` field; the exit status stays 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from gazetteer.errors import QueryError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("geocode", help="resolve a place name to ranked places (JSON)")
    p.add_argument("name", nargs="?", help="the place name; omit with --jsonl")
    p.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 country to prefer")
    p.add_argument("--limit", type=int, default=5, metavar="N", help="at most N results (default 5)")
    p.add_argument("--jsonl", action="store_true", help='batch: {"id","query"} lines on stdin')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import gazetteer

    if args.limit < 1:
        raise QueryError("--limit must be at least 1")
    if args.jsonl:
        if args.name:
            raise QueryError("give either NAME or --jsonl, not both")
        return run_batch(gazetteer.load(), sys.stdin, sys.stdout, country=args.country, limit=args.limit)
    if args.name is None:
        raise QueryError("a place name is required (or --jsonl to read queries from stdin)")
    gz = gazetteer.load()
    results = gz.candidates(args.name, country=args.country, limit=args.limit)
    if not results:
        print(f"incident-map geocode: no place found for {args.name!r}", file=sys.stderr)
        return 1
    json.dump({"query": args.name, "results": [p.to_dict() for p in results]}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


# Answers kept per distinct (query, country) in a batch, as the JSON text of their results list:
# batches repeat names, and serialising Places cost more than looking them up.
BATCH_CACHE = 65_536
_FLUSH_LINES = 2_048
_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False) builds one per call


def run_batch(gz: Any, lines: TextIO, out: TextIO, *, country: str | None, limit: int) -> int:
    """One JSON result line per input line; bad lines become error lines, never a crash.

    Each line is written as `json.dumps(record, ensure_ascii=False)` would write it; the results
    of a query already answered in this batch are reused as text, not serialised again.
    """
    cache: dict[tuple[str, str | None], str] = {}
    pending: list[str] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending.append(_answer_line(gz, line, lineno, cache, country=country, limit=limit))
        if len(pending) >= _FLUSH_LINES:
            out.write("".join(pending))
            pending.clear()
    out.write("".join(pending))
    out.flush()
    return 0


def _answer_line(gz: Any, line: str, lineno: int, cache: dict[tuple[str, str | None], str], *,
                 country: str | None, limit: int) -> str:
    """The output line (with its newline) for one input line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return _encode({"id": None, "query": None, "results": [], "error": f"line {lineno}: not JSON ({err.msg})"}) + "\n"
    if not isinstance(record, dict):
        return _encode({"id": None, "query": None, "results": [], "error": f"line {lineno}: expected a JSON object"}) + "\n"
    rid, query = record.get("id"), record.get("query")
    cc = record.get("country") or country
    key = (query, cc) if type(query) is str and (cc is None or type(cc) is str) else None
    results = cache.get(key) if key is not None else None
    if results is None:
        try:
            places = gz.candidates(query, country=cc, limit=limit)
        except QueryError as err:
            return _encode({"id": rid, "query": query, "results": [], "error": str(err)}) + "\n"
        results = _encode([p.to_dict() for p in places])
        if key is not None:
            if len(cache) >= BATCH_CACHE:
                cache.clear()
            cache[key] = results
    return f'{{"id": {_encode(rid)}, "query": {_encode(query)}, "results": {results}}}\n'
