"""`incident-map geoparse`: place mentions in a text (JSON).

    incident-map geoparse FILE|-                 -> {"mentions": [Mention, ...]}
    incident-map geoparse --jsonl [FILE|-]       {"id","text"} lines -> {"id","mentions"} lines

Offsets are character offsets into the text as read (UTF-8). In batch mode a bad line gets
``"mentions": []`` and an ``"error"`` message, and the batch goes on. A batch longer than
`POOL_FROM` lines runs on every core (`--workers`): worker processes forked after the gazetteer
and the spaCy pipeline are loaded, so each process has them once and no worker loads them again;
output lines keep the input order.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from typing import IO, Any

# Fewer lines than this run in this process: a worker pool costs more than it saves on a few texts.
POOL_FROM = 16
CHUNK = 4  # lines per task sent to a worker: a news article takes a few tens of milliseconds
_WORKER: dict[str, Any] = {}  # per process: the gazetteer and pipeline `_one_record` uses

from mapper.errors import ArticleError, IncidentMapError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("geoparse", help="find and resolve the place mentions in a text (JSON)")
    p.add_argument("file", nargs="?", default=None, help="a text file, or - for stdin")
    p.add_argument("--jsonl", action="store_true", help='batch: {"id","text"} lines (stdin or FILE)')
    p.add_argument("--explain", action="store_true",
                   help="add each mention's trace: the place model's probability and deciding features, "
                        "the senses ranked with their scores")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"--jsonl: worker processes for batches over {POOL_FROM} lines (default: one per core;"
                        " 1 runs in this process)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import gazetteer

    from mapper.nlp.document import load_nlp
    from mapper.nlp.geoparse import find_mentions

    if not args.jsonl and args.file is None:
        raise ArticleError("give a FILE, - for stdin, or --jsonl")
    if args.workers is not None and args.workers < 1:
        raise ArticleError("--workers must be at least 1")
    gaz, nlp = gazetteer.load(), load_nlp()
    if args.jsonl:
        stream = sys.stdin.buffer if args.file in (None, "-") else _open(args.file)
        _WORKER.update(gazetteer=gaz, nlp=nlp, explain=args.explain)
        workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
        out = sys.stdout
        for line in geoparse_lines(stream, workers=workers):
            out.write(line)
        out.flush()
        return 0
    text = _read_text(args.file)
    mentions = find_mentions(text, gaz, nlp=nlp)
    json.dump({"mentions": [m.to_dict(explain=args.explain) for m in mentions]}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def geoparse_lines(stream: Iterable[bytes], *, workers: int) -> Iterator[str]:
    """The output line of each non-blank input line, in input order, on up to `workers` processes.

    Reads ahead a bounded window, so a batch of any length streams in constant memory.
    """
    numbered = ((n, line) for n, line in enumerate(stream, 1) if line.strip())
    head = list(islice(numbered, POOL_FROM))
    if workers <= 1 or len(head) < POOL_FROM:
        for item in chain(head, numbered):
            yield _one_line(item)
        return
    # Fork where the platform has it: workers inherit the loaded gazetteer and pipeline.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker) as pool:
        window = workers * CHUNK * 8
        pending = chain(head, numbered)
        while True:
            batch = list(islice(pending, window))
            if not batch:
                break
            yield from pool.map(_one_line, batch, chunksize=CHUNK)


def _init_worker() -> None:
    """Load the gazetteer and pipeline in a worker that did not inherit them (spawn platforms)."""
    if "nlp" not in _WORKER:
        import gazetteer

        from mapper.nlp.document import load_nlp

        _WORKER.update(gazetteer=gazetteer.load(), nlp=load_nlp())


def _one_line(item: tuple[int, bytes]) -> str:
    from mapper.nlp.geoparse import find_mentions

    lineno, line = item
    out = _one_record(line, lineno, _WORKER["gazetteer"], _WORKER["nlp"], find_mentions)
    return json.dumps(out, ensure_ascii=False) + "\n"


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
        return {"id": rec_id, "mentions": [m.to_dict(explain=_WORKER.get("explain", False)) for m in mentions]}
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
