"""`OfflineGeocoder`: the gazetteer behind geopy's `Geocoder` interface.

    >>> from gazetteer import OfflineGeocoder
    >>> loc = OfflineGeocoder().geocode("Odesa")          # doctest: +SKIP
    >>> loc.raw.country, loc.latitude                     # doctest: +SKIP
    ('UA', 46.48572)

`geocode()` returns `geopy.location.Location` objects whose `raw` is the `Place`. An online
fallback (any geopy geocoder, e.g. `Nominatim(user_agent=...)`) may be passed: it is asked
only when the offline index has no answer. It is off by default and never used in tests.
"""

from __future__ import annotations

from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from .context import Context
from .place import Place


class OfflineGeocoder(Geocoder):
    """A geopy geocoder over `gazetteer.load()` (or the `gazetteer` you pass)."""

    def __init__(self, gazetteer: Any = None, *, fallback: Geocoder | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._gazetteer = gazetteer
        self.fallback = fallback

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from . import load

            self._gazetteer = load()
        return self._gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True, country: str | None = None,
                context: Context | None = None, limit: int = 10, timeout: Any = None,
                **_ignored: Any) -> Location | list[Location] | None:
        """Like every geopy geocoder: one `Location` (or a list with `exactly_one=False`) or None."""
        places = self.gazetteer.candidates(query, country=country, context=context,
                                           limit=1 if exactly_one else limit)
        if not places and self.fallback is not None:
            return self.fallback.geocode(query, exactly_one=exactly_one, timeout=timeout)
        locations = [to_location(p) for p in places]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None


def to_location(place: Place) -> Location:
    """A geopy `Location` for a `Place` (address = name, admin-1, country)."""
    address = ", ".join(x for x in (place.name, place.admin1, place.country) if x)
    return Location(address, Point(place.lat, place.lon), place)
