"""Who may write. Reads are open; writes need INCIDENT_MAP_TOKEN when it is set.

The API takes `Authorization: Bearer <token>` (and is exempt from CSRF, since a browser never
sends that header by itself); pages take the token once on the sign-in form and keep it in the
signed session, and every form carries a CSRF token. Without a configured token the server is
meant for one person on their own machine, and writes are open.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, request, session, url_for


def configured_token() -> str | None:
    return current_app.config.get("INCIDENT_MAP_TOKEN") or None


def token_matches(given: str | None) -> bool:
    token = configured_token()
    if token is None:
        return True
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


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
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.map_page")
