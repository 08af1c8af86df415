"""Who may write. Reads are open; writes need INCIDENT_MAP_TOKEN when it is set.

The API takes `Authorization: Bearer <token>` (and is exempt from CSRF, since a browser never
sends that header by itself); pages take the token once on the sign-in form and keep it in the
signed session, and every form carries a CSRF token. Without a configured token the server is
meant for one person on their own machine, and writes are open. Whoever may write, a request
must name one of the server's own host names (ALLOWED_HOSTS): a page elsewhere cannot reach a
local server by rebinding its own DNS name to 127.0.0.1.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for


def configured_token() -> str | None:
    return current_app.config.get("INCIDENT_MAP_TOKEN") or None


def token_matches(given: str | bytes | None) -> bool:
    """`given` (text from a form, or the raw bytes of a header) is the configured token."""
    token = configured_token()
    if token is None:
        return True
    if given is None:
        return False
    raw = given if isinstance(given, bytes) else given.encode("utf-8")
    return hmac.compare_digest(raw, token.encode("utf-8"))


def bearer_token() -> bytes | None:
    """The token of an `Authorization: Bearer` header, as the bytes the client sent.

    WSGI hands header values over as Latin-1 text; re-encoding gives back the client's bytes,
    which clients (curl, requests, browsers) send as UTF-8, so a non-ASCII token compares as UTF-8.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    try:
        return value.strip().encode("latin-1")
    except UnicodeEncodeError:  # not from a real wire (a test client given text): as UTF-8
        return value.strip().encode("utf-8")


def check_host() -> None:
    """Refuses (400) a request whose Host header is not one of ALLOWED_HOSTS, when that is set."""
    allowed = current_app.config.get("ALLOWED_HOSTS")
    if not allowed:
        return
    name = host_name(request.headers.get("Host", ""))
    if not any(name == a or (a.startswith(".") and (name == a[1:] or name.endswith(a))) for a in allowed):
        abort(400, description=f"this server does not answer to the host name {name[:100]!r} "
                               "(see ALLOWED_HOSTS / INCIDENT_MAP_ALLOWED_HOSTS)")


def host_name(host: str) -> str:
    """The name in a Host header: lower case, without the port, IPv6 without brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    name, _, port = host.rpartition(":")
    return (name if name and port.isdigit() else host).rstrip(".")


def api_writer(view: Callable[..., Any]) -> Callable[..., Any]:
    """API write endpoints: 401 unless the bearer token matches (when one is configured)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not token_matches(bearer_token()):
            abort(401, description="this server needs `Authorization: Bearer <token>` (INCIDENT_MAP_TOKEN) for writes")
        return view(*args, **kwargs)

    return wrapped


def can_write() -> bool:
    """Pages: signed in with the token, or no token configured."""
    return configured_token() is None or bool(session.get("writer"))


def page_writer(view: Callable[..., Any]) -> Callable[..., Any]:
    """Page write endpoints: send the user to sign in first (GET), refuse with 403 (POST)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if can_write():
            return view(*args, **kwargs)
        if request.method == "GET":
            return redirect(url_for("pages.login", next=request.full_path))
        abort(403, description="sign in with the server's token to make changes")

    return wrapped


def current_user() -> str:
    """The name recorded in the audit trail."""
    return session.get("who") or "anonymous"


def sign_in(token: str | None, who: str | None) -> bool:
    if not token_matches(token):
        return False
    session.clear()
    session["writer"] = True
    session["who"] = (who or "").strip()[:100] or "anonymous"
    return True


def sign_out() -> None:
    session.clear()


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot be used as an open redirect."""
    return target if target and is_local_path(target) else url_for("pages.map_page")


def is_local_path(target: str) -> bool:
    """A path on this site as a browser will read it. Browsers drop tabs and newlines anywhere
    in a URL and read a backslash as a slash, so ``/%09/evil.example`` (a tab once decoded) is
    ``//evil.example`` to them: any control character or backslash disqualifies a target."""
    if any(ch < " " or ch == "\x7f" or ch == "\\" for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
