"""`incident-map serve`: the web app under waitress (a production WSGI server, not Flask's)."""

from __future__ import annotations

import argparse
import sys

DEFAULT_THREADS = 8


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the map and the API (waitress)")
    p.add_argument("--db", metavar="URL", help="database URL (default: INCIDENT_MAP_DB or the SQLite file in the data dir)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS, help=f"worker threads (default {DEFAULT_THREADS})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitress import serve

    from web import create_app

    config = {"DATABASE_URL": args.db} if args.db else {}
    app = create_app(config)
    # Open the store now: a bad --db fails here with a message, not on the first request.
    store = app.extensions["incident_map"].store
    token = app.config.get("INCIDENT_MAP_TOKEN")
    print(f"incident-map: serving {store.url} on http://{args.host}:{args.port}/", file=sys.stderr)
    if not token and args.host not in ("127.0.0.1", "localhost", "::1"):
        print("incident-map: WARNING: INCIDENT_MAP_TOKEN is not set, so anyone who can reach this "
              "server can add and change incidents", file=sys.stderr)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="incident-map",
          # Our own limit (MAX_CONTENT_LENGTH) answers 413 with a JSON message; waitress's is a backstop.
          max_request_body_size=max(int(app.config["MAX_CONTENT_LENGTH"]) * 2, 1 << 20),
          clear_untrusted_proxy_headers=True)
    return 0
