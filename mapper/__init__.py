"""Articles -> mentions -> incidents; storage; folium maps; export; the CLI.

The public API, imported lazily so that ``import mapper`` stays cheap (no folium, spaCy or
SQLAlchemy until a name is used)::

    from mapper import build_map, load_incidents, save_html

    incidents = load_incidents(since="2026-02-01", country="UA")
    save_html(build_map(incidents), "map.html")  # standalone: assets inlined
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_API = {
    "build_map": "mapper.maps.build",
    "to_html": "mapper.maps.build",
    "save_html": "mapper.maps.build",
    "load_incidents": "mapper.storage.store",
    "Store": "mapper.storage.store",
    "Filters": "mapper.filters",
    "build_incidents": "mapper.nlp.assemble",
    "find_mentions": "mapper.nlp.geoparse",
    "read_article": "mapper.articles",
    "read_articles": "mapper.articles",
    "export": "mapper.maps.export",
    "Article": "mapper.records",
    "Incident": "mapper.records",
    "Mention": "mapper.records",
}

__all__ = sorted(_API)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from mapper.articles import read_article, read_articles
    from mapper.maps.export import export
    from mapper.filters import Filters
    from mapper.nlp.geoparse import find_mentions
    from mapper.nlp.assemble import build_incidents
    from mapper.maps.build import build_map, save_html, to_html
    from mapper.records import Article, Incident, Mention
    from mapper.storage.store import Store, load_incidents


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # next time without __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
