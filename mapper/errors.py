"""The exception tree: one place to look for every error the tool raises on purpose.

The CLI turns these into a message on stderr and a non-zero exit; the web layer into
``{"error": message}`` with a 4xx status.
"""

from gazetteer.errors import GazetteerError, IncidentMapError, IndexMissingError, QueryError


class ArticleError(IncidentMapError):
    """An input could not be read as an article (encoding, format, empty, not an article)."""

    def __init__(self, message: str, *, source: str | None = None):
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class FilterError(IncidentMapError, ValueError):
    """A query filter (date, bbox, type, ...) was malformed or unknown."""


class StoreError(IncidentMapError):
    """The incident store could not be opened, migrated, read or written."""


class NotFoundError(StoreError, LookupError):
    """An incident or article id does not exist in the store."""


class AssetError(IncidentMapError):
    """A map asset (JS/CSS from npm) is not installed (run `npm ci`) or not on the whitelist."""


__all__ = [
    "IncidentMapError",
    "GazetteerError",
    "QueryError",
    "IndexMissingError",
    "ArticleError",
    "FilterError",
    "StoreError",
    "NotFoundError",
    "AssetError",
]
