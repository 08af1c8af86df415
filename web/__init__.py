"""The Flask app: pages and a JSON/GeoJSON API over mapper's store.

    from web import create_app
    app = create_app({"DATABASE_URL": "sqlite:///incidents.sqlite", "INCIDENT_MAP_TOKEN": "s3cret"})

Settings are listed in `web.settings`. The store, the gazetteer and the NLP pipeline are built
once per app, on first use (`web.services`), never per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A configured app; `config` overrides the defaults and the environment (see `web.settings`)."""
    from . import api, assets, auth, errors, mapdata, pages, services, settings

    app = Flask(__name__)
    app.config.from_mapping(settings.resolve(config))
    # Keep GeoJSON properties in DESIGN.md's order (and skip the sort: the bbox API is hot).
    app.json.sort_keys = False
    # The JSON API authenticates with a bearer token, which a cross-site form cannot send.
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)
    csrf.exempt(mapdata.bp)

    # Before anything else, including CSRF: a request for another host name is not ours to answer.
    app.before_request_funcs.setdefault(None, []).insert(0, auth.check_host)

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(mapdata.bp)
    app.register_blueprint(assets.bp)
    errors.register(app)
    services.init_app(app)
    app.add_template_filter(web_href, "web_href")

    @app.after_request
    def security_headers(response):
        # Everything the pages load is ours and local: say so to the browser.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: https://*.tile.openstreetmap.org; "
            "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def web_href(url: object) -> str | None:
    """A link target from article data, only when it is http(s): never `javascript:` or `data:`."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None
