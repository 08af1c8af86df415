"""The heavy objects behind the app: one store, gazetteer and NLP pipeline per app.

Built lazily on first use (so `create_app` stays fast and tests that never extract never load
spaCy) and then shared by every request and thread; never one per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from mapper.errors import GazetteerError

if TYPE_CHECKING:
    from mapper.records import Article, Incident
    from mapper.storage.store import Store


MAP_CACHE_SIZE = 8  # rendered maps kept (a 10,000-incident map is a few MB of HTML)


class Services:
    """Lazily built, thread-safe holders for the store, the gazetteer and the NLP pipeline."""

    def __init__(self, *, database_url: str | None):
        self.database_url = database_url
        self._lock = threading.Lock()
        # spaCy pipelines are not documented as thread-safe; extraction is rare (writes), so serialise it.
        self._extract_lock = threading.Lock()
        self._store: Store | None = None
        self._gazetteer: Any = None
        self._nlp: Any = None
        self._countries: dict[str, Any] | None = None
        self._maps: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def _once(self, attr: str, make: Callable[[], Any]) -> Any:
        """The value in `attr`, made by `make()` on first use (once, whichever thread asks first)."""
        value = getattr(self, attr)
        if value is None:
            with self._lock:
                value = getattr(self, attr)
                if value is None:
                    value = make()
                    setattr(self, attr, value)
        return value

    @property
    def store(self) -> Store:
        def make() -> Store:
            from mapper.storage.store import Store

            return Store.open(self.database_url)

        return self._once("_store", make)

    @property
    def gazetteer(self) -> Any:
        def make() -> Any:
            import gazetteer

            return gazetteer.load()

        return self._once("_gazetteer", make)

    @property
    def nlp(self) -> Any:
        def make() -> Any:
            from mapper.nlp.document import load_nlp

            return load_nlp()

        return self._once("_nlp", make)

    def countries_geojson(self) -> dict[str, Any]:
        """Country outlines (built once); an empty collection when the gazetteer has none to give."""
        if self._countries is None:
            try:
                data = self.gazetteer.countries_geojson()
            except (AttributeError, GazetteerError):
                # An outline-less map still works; the markers are what matter.
                data = None
            self._countries = data or {"type": "FeatureCollection", "features": []}
        return self._countries

    def rendered_map(self, key: tuple[Any, ...], build: Any) -> str:
        """A rendered folium map from the small cache, built with `build()` on a miss.

        The key includes the store's version, so any write (here or from the CLI) makes old
        entries unreachable; the cache keeps the few most recent.
        """
        with self._lock:
            if key in self._maps:
                self._maps.move_to_end(key)
                return self._maps[key]
        html = build()
        with self._lock:
            self._maps[key] = html
            while len(self._maps) > MAP_CACHE_SIZE:
                self._maps.popitem(last=False)
        return html

    def extract(self, article: Article) -> list[Incident]:
        """The incidents an article reports (pure extraction; nothing is saved)."""
        from mapper.nlp.assemble import build_incidents

        gaz, nlp = self.gazetteer, self.nlp
        with self._extract_lock:
            return build_incidents(article, gaz, nlp=nlp)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def init_app(app: Flask) -> Services:
    services = Services(database_url=app.config.get("DATABASE_URL"))
    app.extensions["incident_map"] = services
    return services


def services() -> Services:
    """The current app's services."""
    return current_app.extensions["incident_map"]
