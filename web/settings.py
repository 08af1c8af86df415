"""The app's settings, declared as data: name, default, and what it is for.

`create_app(config)` starts from these defaults, reads the ones marked `env` from the
environment, then applies the mapping it was given. `tests/test_web.py` checks that each one is
documented (README.md or docs/operations.md).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SECRET_KEY_FILE = "secret_key"  # in INCIDENT_MAP_HOME


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    env: str | None = None  # environment variable read when the mapping does not set it


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL of the incident store (default: INCIDENT_MAP_DB, else the SQLite file in the data dir).",
            env="INCIDENT_MAP_DB"),
    Setting("INCIDENT_MAP_TOKEN", None,
            "When set, every write (ingest, correction, merge, POST /api/articles) needs this token: "
            "`Authorization: Bearer <token>` on the API, the sign-in form on the pages.",
            env="INCIDENT_MAP_TOKEN"),
    Setting("MAX_CONTENT_LENGTH", 5 * 1024 * 1024,
            "Largest request body in bytes (uploads, JSON articles); larger bodies get 413."),
    Setting("SECRET_KEY", None,
            "Signs the session and CSRF tokens. Unset: a random key made once and kept in "
            "`$INCIDENT_MAP_HOME/secret_key` (mode 0600), shared by every worker and restart.",
            env="INCIDENT_MAP_SECRET_KEY"),
    Setting("ALLOWED_HOSTS", None,
            "Host names (comma-separated; `.example.org` for a domain and its subdomains) the server answers "
            "to; others get 400, which defeats DNS rebinding. Unset: any (`incident-map serve` defaults it "
            "to the address it listens on).",
            env="INCIDENT_MAP_ALLOWED_HOSTS"),
    Setting("EXTRACT_TIME_BUDGET", 60.0,
            "Seconds one article may take to extract; past it the worker is stopped and the write gets 422."),
    Setting("EXTRACT_WORKERS", 1,
            "Extraction processes per server process (articles are parsed there, never on the threads serving reads)."),
    Setting("MAX_PENDING_WRITES", 4,
            "Writes (article posts, ingest previews) that may wait for extraction at once per server process; "
            "more get 503 with Retry-After, so reads always have threads left."),
    Setting("API_DEFAULT_LIMIT", 1000,
            "Features returned by GET /api/incidents when the request gives no `limit`."),
    Setting("API_MAX_LIMIT", 10000,
            "Largest `limit` accepted by GET /api/incidents (exports are not limited)."),
    Setting("TABLE_PAGE_SIZE", 50, "Rows per page of the incident table."),
    Setting("ASSETS_URL", "/assets/", "URL prefix under which the pinned npm map assets are served."),
)


def resolve(config: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then `config`; the shared SECRET_KEY if none is given."""
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for s in SETTINGS:
        out[s.name] = environ.get(s.env, s.default) if s.env else s.default
    # Cookies: not readable by scripts, not sent on cross-site subrequests or form posts.
    out.setdefault("SESSION_COOKIE_HTTPONLY", True)
    out.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    out.update(config or {})
    if not out.get("SECRET_KEY"):
        out["SECRET_KEY"] = shared_secret_key()
    if out.get("INCIDENT_MAP_TOKEN") == "":
        out["INCIDENT_MAP_TOKEN"] = None
    out["ALLOWED_HOSTS"] = host_names(out.get("ALLOWED_HOSTS"))
    return out


def host_names(value: Any) -> tuple[str, ...] | None:
    """ALLOWED_HOSTS as lower-case names (IPv6 without brackets); None (or `*`) means any host."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    names = tuple(dict.fromkeys(str(i).strip().lower().strip("[]").rstrip(".") for i in items if str(i).strip()))
    return None if not names or "*" in names else names


def shared_secret_key(home: Path | None = None) -> str:
    """The key in `home`/secret_key (INCIDENT_MAP_HOME by default), made on first use.

    Every server process (`serve --workers N`) and every restart must sign with the same key,
    or sessions and CSRF tokens made by one are refused by another. The file is written whole
    under a temporary name and then linked into place, so processes starting at once all end up
    reading the one key that won; it is readable by its owner only. When the data directory
    cannot be written, a random key for this process is the fallback (with a warning).
    """
    if home is None:
        from gazetteer.paths import data_home

        home = data_home()
    path = home / SECRET_KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError as err:
        log.warning("cannot read %s (%s): using a key for this process only", path, err.strerror or err)
        return secrets.token_hex(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        tmp = home / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)  # fails if another process got there first: then theirs is the key
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
        return _read_key(path)
    except OSError as err:
        log.warning("cannot keep a secret key in %s (%s): sign-ins and forms will not survive a restart "
                    "and not work across workers; set INCIDENT_MAP_SECRET_KEY", path, err.strerror or err)
        return secrets.token_hex(32)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise OSError(f"{path} holds no usable key (fewer than 32 characters)")
    return key
