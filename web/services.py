"""The heavy objects behind the app: one store, gazetteer and extractor per app.

Built lazily on first use (so `create_app` stays fast and tests that never extract never load
spaCy) and then shared by every request and thread; never one per request. Extraction runs in
worker processes (`mapper.pipeline.Extractor`), never on the threads that serve reads: spaCy
holds the GIL while it parses, and an article past its time budget is stopped there.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from mapper.errors import GazetteerError

if TYPE_CHECKING:
    from mapper.pipeline import Extractor
    from mapper.records import Article, Incident
    from mapper.storage.store import Store


MAP_CACHE_SIZE = 8  # rendered maps kept (a 10,000-incident map is a few MB of HTML)
BUSY_RETRY_AFTER = 10  # seconds a client is asked to wait when every extraction slot is taken


class Services:
    """Lazily built, thread-safe holders for the store, the gazetteer and the extractor."""

    def __init__(self, *, database_url: str | None, extract_workers: int = 1, time_budget: float | None = 60.0,
                 max_pending_writes: int = 4):
        self.database_url = database_url
        self.extract_workers = extract_workers
        self.time_budget = time_budget
        self._lock = threading.Lock()
        # Writes waiting for extraction hold a server thread each: beyond this many, answer 503
        # at once, so the threads that serve reads are never all waiting on spaCy.
        self._write_slots = threading.BoundedSemaphore(max(1, max_pending_writes))
        self._store: Store | None = None
        self._gazetteer: Any = None
        self._extractor: Extractor | None = None
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
    def extractor(self) -> Extractor:
        def make() -> Extractor:
            from mapper.pipeline import Extractor

            extractor = Extractor(workers=self.extract_workers, time_budget=self.time_budget)
            weakref.finalize(self, extractor.close)  # an app dropped without close() leaves no worker behind
            return extractor

        return self._once("_extractor", make)

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
        """The incidents an article reports (pure extraction; nothing is saved), from a worker
        process. Raises `ExtractionTimeout` past the time budget, 503 when too many writes wait."""
        if not self._write_slots.acquire(blocking=False):
            raise ServiceUnavailable(description="the server is busy extracting other articles; try again shortly",
                                     retry_after=BUSY_RETRY_AFTER)
        try:
            return self.extractor.extract(article)
        finally:
            self._write_slots.release()

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
            if self._extractor is not None:
                self._extractor.close()
                self._extractor = None


def init_app(app: Flask) -> Services:
    budget = app.config.get("EXTRACT_TIME_BUDGET")
    services = Services(database_url=app.config.get("DATABASE_URL"),
                        extract_workers=int(app.config.get("EXTRACT_WORKERS") or 1),
                        time_budget=float(budget) if budget else None,
                        max_pending_writes=int(app.config.get("MAX_PENDING_WRITES") or 1))
    app.extensions["incident_map"] = services
    return services


def services() -> Services:
    """The current app's services."""
    return current_app.extensions["incident_map"]
