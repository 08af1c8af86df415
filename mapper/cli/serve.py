"""`incident-map serve`: the web app under waitress (a production WSGI server, not Flask's).

Waitress runs one process with a pool of threads. Python runs one thread at a time per
process, so on a multi-core machine `--workers N` forks N server processes that accept on
the same listening socket (each with its own app, store connection and caches), the way
gunicorn does; SQLite in WAL mode lets them all read while one writes. Articles are parsed in
separate extraction processes (`mapper.pipeline`), so reads never wait for spaCy.

Limits that keep one client from starving the others (docs/operations.md): at most
`--connection-limit` open connections per process, idle ones closed after `--channel-timeout`
seconds, requests only for the host names in ALLOWED_HOSTS (by default the address bound).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import sys
from typing import Any

DEFAULT_THREADS = 8
DEFAULT_CONNECTION_LIMIT = 1000  # per process; waitress's own default (100) is easily used up by idle clients
DEFAULT_CHANNEL_TIMEOUT = 30  # seconds an idle connection stays open (waitress: 120)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the map and the API (waitress)")
    p.add_argument("--db", metavar="URL", help="database URL (default: INCIDENT_MAP_DB or the SQLite file in the data dir)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS, help=f"threads per process (default {DEFAULT_THREADS})")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the port (default 1; use the number of cores under load)")
    p.add_argument("--allowed-hosts", metavar="NAMES",
                   help="host names the server answers to, comma-separated (default: INCIDENT_MAP_ALLOWED_HOSTS, "
                        "else the --host address; any when listening on all addresses)")
    p.add_argument("--time-budget", type=float, metavar="SECONDS",
                   help="longest extraction of one article before it is stopped (default 60)")
    p.add_argument("--connection-limit", type=int, default=DEFAULT_CONNECTION_LIMIT, metavar="N",
                   help=f"open connections per process (default {DEFAULT_CONNECTION_LIMIT})")
    p.add_argument("--channel-timeout", type=int, default=DEFAULT_CHANNEL_TIMEOUT, metavar="SECONDS",
                   help=f"close connections idle this long (default {DEFAULT_CHANNEL_TIMEOUT})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from web import create_app

    if args.workers < 1 or args.threads < 1 or args.connection_limit < 1 or args.channel_timeout < 1:
        print("incident-map serve: --workers, --threads, --connection-limit and --channel-timeout must be at least 1",
              file=sys.stderr)
        return 2
    config: dict[str, Any] = {"DATABASE_URL": args.db} if args.db else {}
    if args.time_budget is not None:
        config["EXTRACT_TIME_BUDGET"] = args.time_budget
    if args.allowed_hosts is not None:
        config["ALLOWED_HOSTS"] = args.allowed_hosts
    elif not os.environ.get("INCIDENT_MAP_ALLOWED_HOSTS"):
        config["ALLOWED_HOSTS"] = default_allowed_hosts(args.host)
    # Open (and migrate) the store once before serving: a bad --db fails here with a message.
    probe = create_app(config)
    services = probe.extensions["incident_map"]
    store = services.store
    url, read_only = store.url, store.read_only
    services.close()
    # Every worker signs sessions and forms with this one key, wherever it came from.
    config["SECRET_KEY"] = probe.config["SECRET_KEY"]
    allowed = probe.config["ALLOWED_HOSTS"]

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    try:
        sock = socket.create_server((args.host, args.port), family=family, backlog=1024)
    except OSError as err:
        print(f"incident-map serve: cannot listen on {args.host}:{args.port}: {err.strerror or err}", file=sys.stderr)
        return 1
    _raise_file_limit(args.connection_limit + 64)
    print(f"incident-map: serving {url} on http://{_url_host(args.host)}:{args.port}/ "
          f"({args.workers} process{'es' if args.workers > 1 else ''} x {args.threads} threads)", file=sys.stderr)
    print(f"incident-map: answering to host names: {', '.join(allowed) if allowed else 'any'}", file=sys.stderr)
    token = probe.config.get("INCIDENT_MAP_TOKEN")
    if read_only:
        print("incident-map: the store is read-only: serving reads; writes get 503", file=sys.stderr)
    elif not token:
        loud = "WARNING: " if args.host not in LOOPBACK else ""
        print(f"incident-map: {loud}writes are open: INCIDENT_MAP_TOKEN is not set, so anyone who can reach "
              "this server can add and change incidents", file=sys.stderr)
    limits = {"threads": args.threads, "connection_limit": args.connection_limit,
              "channel_timeout": args.channel_timeout}
    if args.workers == 1:
        _serve(config, sock, limits)
        return 0
    return _supervise(config, sock, args, limits)


def default_allowed_hosts(host: str) -> str | None:
    """The names a browser uses to reach `host`: the address itself (and `localhost` for loopback);
    any name when listening on every address (set ALLOWED_HOSTS then, see docs/operations.md)."""
    if host in WILDCARD:
        return None
    if host in LOOPBACK:
        return "127.0.0.1,localhost,::1"
    return host


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _raise_file_limit(needed: int) -> None:
    """Each connection is a file descriptor: lift the soft limit (often 1024) towards what the
    connection limit needs, as far as the hard limit allows."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < needed:
            target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):
        pass  # not POSIX, or not allowed: waitress still stops accepting at the limit


def _serve(config: dict[str, Any], sock: socket.socket, limits: dict[str, int]) -> None:
    from waitress import serve

    from web import create_app

    app = create_app(config)
    try:
        serve(app, sockets=[sock], ident="incident-map",
              # Our own limit (MAX_CONTENT_LENGTH) answers 413 with a JSON message; waitress's is a backstop.
              max_request_body_size=max(int(app.config["MAX_CONTENT_LENGTH"]) * 2, 1 << 20),
              clear_untrusted_proxy_headers=True,
              # poll(), not select(): select() cannot watch descriptors past 1024
              asyncore_use_poll=True, cleanup_interval=max(1, min(10, limits["channel_timeout"] // 2)),
              **limits)
    finally:
        app.extensions["incident_map"].close()  # stop the extraction workers


def _worker(config: dict[str, Any], sock: socket.socket, limits: dict[str, int], parent: int) -> None:
    from mapper.pipeline import exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # A supervisor killed with SIGKILL cannot stop us: go with it, so the port is free again.
    exit_with_parent(parent, kernel_signal=signal.SIGTERM)
    _serve(config, sock, limits)


def _supervise(config: dict[str, Any], sock: socket.socket, args: argparse.Namespace, limits: dict[str, int]) -> int:
    """Forks the workers (each builds its own app after the fork) and waits; stops them all on
    Ctrl-C or SIGTERM, or when one dies."""
    ctx = multiprocessing.get_context("fork")
    # Not daemonic: a worker starts extraction processes of its own; we stop workers ourselves.
    workers = [ctx.Process(target=_worker, args=(config, sock, limits, os.getpid()), name=f"serve-{n}")
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
            if w.is_alive():
                w.kill()
                w.join(timeout=5)
    failed = [w for w in workers if w.exitcode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        print(f"incident-map serve: worker {failed[0].name} exited with status {failed[0].exitcode}", file=sys.stderr)
        return 1
    return 0
