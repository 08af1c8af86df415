"""`incident-map geoparse`: place mentions in a text (JSON).

    incident-map geoparse FILE|-                 -> {"mentions": [Mention, ...]}
    incident-map geoparse --jsonl [FILE|-]       {"id","text"} lines -> {"id","mentions"} lines

Offsets are character offsets into the text as read (UTF-8). In batch mode a bad line gets
``"mentions": []`` and an ``"error"`` message, and the batch goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO

from mapper.errors import ArticleError, IncidentMapError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("geoparse", help="find and resolve the place mentions in a text (JSON)")
    p.add_argument("file", nargs="?", default=None, help="a text file, or - for stdin")
    p.add_argument("--jsonl", action="store_true", help='batch: {"id","text"} lines (stdin or FILE)')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import gazetteer

    from mapper.nlp.geoparse import find_mentions
    from mapper.nlp.document import load_nlp

    if not args.jsonl and args.file is None:
        raise ArticleError("give a FILE, - for stdin, or --jsonl")
    gaz, nlp = gazetteer.load(), load_nlp()
    if args.jsonl:
        stream = sys.stdin.buffer if args.file in (None, "-") else _open(args.file)
        for lineno, line in enumerate(stream, 1):
            if line.strip():
                out = _one_record(line, lineno, gaz, nlp, find_mentions)
                sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return 0
    text = _read_text(args.file)
    mentions = find_mentions(text, gaz, nlp=nlp)
    json.dump({"mentions": [m.to_dict() for m in mentions]}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _one_record(line: bytes, lineno: int, gaz, nlp, find_mentions) -> dict:
    rec_id = None
    try:
        rec = json.loads(line.decode("utf-8-sig"))
        if not isinstance(rec, dict):
            raise ArticleError('expected a JSON object {"id", "text"}')
        rec_id = rec.get("id")
        if not isinstance(rec.get("text"), str):
            raise ArticleError('"text" must be a string')
        mentions = find_mentions(rec["text"], gaz, nlp=nlp)
        return {"id": rec_id, "mentions": [m.to_dict() for m in mentions]}
    except (ValueError, IncidentMapError) as err:
        msg = f"line {lineno}: {err}"
        print(f"incident-map geoparse: {msg}", file=sys.stderr)
        return {"id": rec_id, "mentions": [], "error": msg}


def _open(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as err:
        raise ArticleError(f"cannot read: {err.strerror}", source=path) from err


def _read_text(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as err:
        raise ArticleError(f"cannot read: {err.strerror}", source=path) from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError("not UTF-8 text (binary file?)", source=path) from err
