"""The app's settings, declared as data: name, default, and what it is for.

`create_app(config)` starts from these defaults, reads the ones marked `env` from the
environment, then applies the mapping it was given. `tests/test_web_settings.py` checks that
each one is documented in the README section.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
            "Signs the session and CSRF tokens; random per process when unset (sign-ins end on restart).",
            env="INCIDENT_MAP_SECRET_KEY"),
    Setting("API_DEFAULT_LIMIT", 1000,
            "Features returned by GET /api/incidents when the request gives no `limit`."),
    Setting("API_MAX_LIMIT", 10000,
            "Largest `limit` accepted by GET /api/incidents (exports are not limited)."),
    Setting("TABLE_PAGE_SIZE", 50, "Rows per page of the incident table."),
    Setting("ASSETS_URL", "/assets/", "URL prefix under which the pinned npm map assets are served."),
)


def resolve(config: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then `config`; fills a random SECRET_KEY if none is given."""
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for s in SETTINGS:
        out[s.name] = environ.get(s.env, s.default) if s.env else s.default
    # Cookies: not readable by scripts, not sent on cross-site subrequests or form posts.
    out.setdefault("SESSION_COOKIE_HTTPONLY", True)
    out.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    out.update(config or {})
    if not out.get("SECRET_KEY"):
        out["SECRET_KEY"] = secrets.token_hex(32)
    if out.get("INCIDENT_MAP_TOKEN") == "":
        out["INCIDENT_MAP_TOKEN"] = None
    return out
