"""`Context`: what else an article talks about, to choose between places of the same name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .place import Place


@dataclass(frozen=True)
class Context:
    """Evidence from the same article. Every field only *boosts*; none filters.

    - `countries`: ISO2 codes named or implied (country mentions, demonyms: "Russian strike"
      -> RU). A candidate in one of them gains +0.35 strength (see `gazetteer.ranking`);
      enough to put Pokrovsk (Donetsk Oblast) first with {"UA"} and Odessa (Texas) with {"US"},
      not enough to beat a much better name match elsewhere. Pass the countries the article is
      about, not every country it mentions once.
    - `admin1`: GeoNames admin-1 codes ("UA.05") of regions named in the article or given as a
      parent ("Pokrovsk, Donetsk Oblast"); a candidate inside one gains +0.45.
    - `places`: places already resolved in the article; a candidate gains up to +0.35, decaying
      with distance to the nearest of them (exp(-km / 250)), so a village near the other
      places of a story beats a namesake 1,000 km away.

    The `country=` argument of `candidates()` is stronger: candidates elsewhere lose 1.2, so
    they come last but are not dropped.
    """

    countries: frozenset[str] = field(default_factory=frozenset)
    admin1: frozenset[str] = field(default_factory=frozenset)
    places: tuple[Place, ...] = ()

    @classmethod
    def of(cls, *, countries: Iterable[str] = (), admin1: Iterable[str] = (),
           places: Iterable[Place] = ()) -> Context:
        """Build a context from any iterables; places also contribute their country and region."""
        places = tuple(p for p in places if p is not None)
        cs = {c.upper() for c in countries if c}
        a1 = {a for a in admin1 if a}
        return cls(frozenset(cs), frozenset(a1), places)

    def with_place(self, place: Place) -> Context:
        return Context(self.countries, self.admin1, self.places + (place,))

    def __bool__(self) -> bool:
        return bool(self.countries or self.admin1 or self.places)

    @cached_property
    def _key(self) -> tuple:
        return (self.countries, self.admin1, tuple((p.lat, p.lon) for p in self.places))

    def key(self) -> tuple:
        """Hashable identity for caching (computed once per context)."""
        return self._key
