"""Query strings -> `mapper.filters.Filters`, shared by the API, the map and the table.

The filter keys are the ones `build` / `export` take (DESIGN.md); pages add a few keys of
their own (sort order, page, focused incident) that are split off before validation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from mapper.errors import FilterError

FILTER_KEYS = ("since", "until", "type", "actor", "country", "min_fatalities", "q", "bbox", "limit", "offset")
PAGE_KEYS = ("sort", "dir", "page", "focus", "view", "download")


def split(args: Mapping[str, str], *, page_keys: tuple[str, ...] = PAGE_KEYS) -> tuple[dict[str, str], dict[str, str]]:
    """(filter params, page params); blank values are dropped (an empty form field means "any")."""
    filters: dict[str, str] = {}
    page: dict[str, str] = {}
    for key in args:
        value = args.get(key)
        if value is None or str(value).strip() == "":
            continue
        (page if key in page_keys else filters)[key] = str(value).strip()
    return filters, page


def parse_filters(params: Mapping[str, str], *, default_limit: int | None = None, max_limit: int | None = None,
                  strict: bool = True) -> Any:
    """Validated Filters (raises `FilterError` -> 400), with the server's default and maximum limit."""
    from mapper.filters import Filters

    params = dict(params)
    if "limit" in params and max_limit is not None:
        try:
            limit = int(params["limit"])
        except ValueError as err:
            raise FilterError(f"limit must be a whole number, not {params['limit'][:40]!r}") from err
        if limit > max_limit:
            raise FilterError(f"limit must be at most {max_limit}")
    filters = Filters.from_params(params, strict=strict)
    if "limit" not in params and default_limit is not None:
        filters = dataclasses.replace(filters, limit=default_limit)
    return filters


def without_paging(filters: Any) -> Any:
    return dataclasses.replace(filters, limit=None, offset=0)
