"""Renamed places come from the data: GeoNames' alternate names carry Ukraine's 2016 renamings.

The alias table keeps rows only for what the data does not do (see gazetteer/data/aliases.tsv);
these old names must answer the renamed town from GeoNames alone, so a row for them would be
redundant, and removing one from the data would show here.
"""

from __future__ import annotations

import pytest

from gazetteer.distance import distance_km

# (old name, current name): decommunisation renamings of 2016 and two of 2024.
CARRIED = [
    ("Artemivsk", "Bakhmut"), ("Artyomovsk", "Bakhmut"), ("Dnipropetrovsk", "Dnipro"),
    ("Kirovohrad", "Kropyvnytskyi"), ("Kirovograd", "Kropyvnytskyi"), ("Krasnoarmiisk", "Pokrovsk"),
    ("Dymytrov", "Myrnohrad"), ("Illichivsk", "Chornomorsk"), ("Kuznetsovsk", "Varash"),
    ("Stakhanov", "Kadiivka"), ("Novohrad-Volynskyi", "Zviahel"), ("Chervonohrad", "Sheptytskyi"),
    ("Yuzhnoukrainsk", "Pivdennoukrainsk"),
]
# Old names that need our alias row: a namesake elsewhere wins on the data alone.
BY_ROW = [("Dzerzhynsk", "Toretsk"), ("Kotovsk", "Podilsk"), ("Komsomolsk", "Horishni Plavni"),
          ("Ordzhonikidze", "Pokrov"), ("Tsiurupynsk", "Oleshky")]


@pytest.mark.parametrize("old,new", CARRIED)
def test_old_name_is_carried_by_geonames(gazetteer, old, new):
    from gazetteer import aliases

    rows = [r for r in aliases.read_all() if r.feature == "alias"]
    assert not any(old.lower() in (n.lower() for n in r.names) for r in rows), f"{old}: the data carries it, no row"
    place, target = gazetteer.geocode(old), gazetteer.geocode(new, country="UA")
    assert place is not None and place.country == "UA"
    assert distance_km(place.lat, place.lon, target.lat, target.lon) < 5
    assert place.raw["match"] != "alias"


@pytest.mark.parametrize("old,new", BY_ROW)
def test_old_name_with_a_row(gazetteer, old, new):
    place, target = gazetteer.geocode(old), gazetteer.geocode(new, country="UA")
    assert place is not None and distance_km(place.lat, place.lon, target.lat, target.lon) < 5
