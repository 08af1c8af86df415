"""The project's exception tree, rooted here because `gazetteer` imports nothing else of ours.

`mapper.errors` re-exports these and adds the article, store and filter errors, so the
whole tree is still one import away: ``from mapper.errors import IncidentMapError``.
"""


class IncidentMapError(Exception):
    """Base of every error this project raises on purpose."""


class GazetteerError(IncidentMapError):
    """The gazetteer could not be built, loaded or queried."""


class QueryError(GazetteerError, ValueError):
    """A place-name query was unusable (empty, too long, not text)."""


class IndexMissingError(GazetteerError):
    """The built gazetteer index is absent or stale; run ``incident-map setup`` / ``python -m gazetteer.build``."""
