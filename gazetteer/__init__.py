"""Offline gazetteer: place names -> places. Knows nothing of articles or maps.

    >>> import gazetteer
    >>> gz = gazetteer.load()                      # doctest: +SKIP
    >>> gz.geocode("Pokrovsk, Donetsk Oblast").country   # doctest: +SKIP
    'UA'

`load()` maps the index built by `python -m gazetteer.build` (see `gazetteer.store`); it is
cached per process. `normalize.normalize_name` gives the keys `Gazetteer.has_name` /
`Gazetteer.name_info` accept. `OfflineGeocoder` wraps it as a geopy geocoder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .context import Context
from .errors import GazetteerError, IndexMissingError, QueryError
from .gazetteer import Gazetteer, NameInfo
from .normalize import normalize_name
from .place import Place

__all__ = [
    "Context", "Gazetteer", "GazetteerError", "IndexMissingError", "NameInfo", "OfflineGeocoder",
    "Place", "QueryError", "load", "normalize_name",
]

_loaded: dict[tuple, Gazetteer] = {}
_lock = threading.Lock()


def load(path: str | Path | None = None, *, aliases: tuple[str | Path, ...] = ()) -> Gazetteer:
    """The gazetteer over the index at `path` (default `paths.index_dir()`), once per process.

    `aliases`: extra alias files (as `$INCIDENT_MAP_ALIASES`). Raises `IndexMissingError`
    when the index has not been built.
    """
    from . import aliases as aliases_mod
    from .paths import index_dir

    directory = Path(path) if path is not None else index_dir()
    files = tuple(str(p) for p in aliases_mod.user_files(tuple(aliases)))
    key = (str(directory.resolve()), files)
    with _lock:
        gz = _loaded.get(key)
        if gz is None:
            gz = _loaded[key] = Gazetteer(directory, aliases=tuple(aliases))
        return gz


def __getattr__(name: str):
    # geopy is imported only by those who ask for the geocoder.
    if name == "OfflineGeocoder":
        from .geocoder import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
