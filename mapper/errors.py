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


class ExtractionError(ArticleError):
    """Extraction gave up on one article: it ran past the time budget, or the extractor failed
    on it (`detail` keeps the worker's traceback for the log). The rest of a batch goes on."""

    def __init__(self, message: str, *, source: str | None = None, detail: str | None = None):
        self.detail = detail
        super().__init__(message, source=source)


class ExtractionTimeout(ExtractionError):
    """An article took longer than the per-article time budget; its worker was stopped."""


class FilterError(IncidentMapError, ValueError):
    """A query filter (date, bbox, type, ...) was malformed or unknown."""


class StoreError(IncidentMapError):
    """The incident store could not be opened, migrated, read or written."""


class StoreUnavailableError(StoreError):
    """The store refuses every write, not just this one (read-only, disk full, connection lost):
    trying the next article will not help."""


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
    "ExtractionError",
    "ExtractionTimeout",
    "FilterError",
    "StoreError",
    "StoreUnavailableError",
    "NotFoundError",
    "AssetError",
]
