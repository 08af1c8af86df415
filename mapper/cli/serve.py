"""`incident-map serve`: the web app under waitress (a production WSGI server, not Flask's).

Waitress runs one process with a pool of threads. Python runs one thread at a time per
process, so on a multi-core machine `--workers N` forks N server processes that accept on
the same listening socket (each with its own app, store connection and caches), the way
gunicorn does; SQLite in WAL mode lets them all read while one writes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import socket
import sys
from typing import Any

DEFAULT_THREADS = 8


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the map and the API (waitress)")
    p.add_argument("--db", metavar="URL", help="database URL (default: INCIDENT_MAP_DB or the SQLite file in the data dir)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS, help=f"threads per process (default {DEFAULT_THREADS})")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the port (default 1; use the number of cores under load)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from web import create_app

    if args.workers < 1 or args.threads < 1:
        print("incident-map serve: --workers and --threads must be at least 1", file=sys.stderr)
        return 2
    config = {"DATABASE_URL": args.db} if args.db else {}
    # Open (and migrate) the store once before serving: a bad --db fails here with a message.
    probe = create_app(config)
    services = probe.extensions["incident_map"]
    url = services.store.url
    services.close()
    token = probe.config.get("INCIDENT_MAP_TOKEN")
    if not token and args.host not in ("127.0.0.1", "localhost", "::1"):
        print("incident-map: WARNING: INCIDENT_MAP_TOKEN is not set, so anyone who can reach this "
              "server can add and change incidents", file=sys.stderr)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.create_server((args.host, args.port), family=family, backlog=1024)
    print(f"incident-map: serving {url} on http://{args.host}:{args.port}/ "
          f"({args.workers} process{'es' if args.workers > 1 else ''} x {args.threads} threads)", file=sys.stderr)
    if args.workers == 1:
        _serve(config, sock, args.threads)
        return 0
    return _supervise(config, sock, args)


def _serve(config: dict[str, Any], sock: socket.socket, threads: int) -> None:
    from waitress import serve

    from web import create_app

    app = create_app(config)
    serve(app, sockets=[sock], threads=threads, ident="incident-map",
          # Our own limit (MAX_CONTENT_LENGTH) answers 413 with a JSON message; waitress's is a backstop.
          max_request_body_size=max(int(app.config["MAX_CONTENT_LENGTH"]) * 2, 1 << 20),
          clear_untrusted_proxy_headers=True)


def _worker(config: dict[str, Any], sock: socket.socket, threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _serve(config, sock, threads)


def _supervise(config: dict[str, Any], sock: socket.socket, args: argparse.Namespace) -> int:
    """Forks the workers (each builds its own app after the fork) and waits; stops them all on
    Ctrl-C or SIGTERM, or when one dies."""
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_worker, args=(config, sock, args.threads), daemon=True, name=f"serve-{n}")
               for n in range(args.workers)]
    for w in workers:
        w.start()
    sock.close()  # the workers hold it now
    stopping = False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True
        for w in workers:
            if w.is_alive():
                w.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        from multiprocessing.connection import wait

        wait([w.sentinel for w in workers])  # returns as soon as any worker exits
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for w in workers:
            w.join(timeout=10)
    failed = [w for w in workers if w.exitcode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        print(f"incident-map serve: worker {failed[0].name} exited with status {failed[0].exitcode}", file=sys.stderr)
        return 1
    return 0
