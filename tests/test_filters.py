"""Filters: untrusted strings in, typed values or a clear FilterError out."""

from __future__ import annotations

from datetime import date

import pytest

from mapper.errors import FilterError
from mapper.filters import Filters
from mapper.records import Incident


def _incident(**kw) -> Incident:
    base = dict(id="x", lat=46.48, lon=30.72, event_date=date(2026, 2, 13),
                event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                location="Odesa", mention="Odesa", quote="A Russian strike hit the port of Odesa.",
                country="UA", actor1="Russian armed forces", fatalities=1, injured=6)
    base.update(kw)
    return Incident(**base)


def test_empty_params_mean_no_filter():
    assert Filters.from_params({}) == Filters()
    assert Filters.from_params({"since": "", "country": "  ", "q": None}) == Filters()


def test_parses_every_filter():
    f = Filters.from_params({
        "since": "2026-02-01", "until": "2026-02-28", "type": "air/drone strike", "actor": " Russian  forces ",
        "country": "ua", "min_fatalities": "2", "q": "port", "bbox": "22,44,40.5,52.4",
        "limit": "50", "offset": "100",
    })
    assert f == Filters(since=date(2026, 2, 1), until=date(2026, 2, 28), type="Air/drone strike",
                        actor="Russian forces", country="UA", min_fatalities=2, q="port",
                        bbox=(22.0, 44.0, 40.5, 52.4), limit=50, offset=100)
    assert Filters.from_params(f.to_params()) == f


@pytest.mark.parametrize("value, expected", [
    ("Battles", "Battles"), ("battles", "Battles"), ("Disrupted weapons use", "Disrupted weapons use"),
    ("strikes", "strikes"), ("Drones and missiles shot down", "shot_down"), ("DIPLOMACY", "diplomacy"),
    ("Visit", "Visit"),
])
def test_type_accepts_event_types_sub_types_and_families(value, expected):
    assert Filters.from_params({"type": value}).type == expected


@pytest.mark.parametrize("params, message", [
    ({"since": "13/02/2026"}, "since: expected a date YYYY-MM-DD"),
    ({"until": "2026-02-30"}, "not a calendar date"),
    ({"since": "2026-03-01", "until": "2026-02-01"}, "is after until"),
    ({"type": "explosions"}, "unknown event type"),
    ({"country": "Narnia"}, "no country called 'Narnia'"),
    ({"country": "QQ"}, "not an ISO 3166-1 alpha-2 country code"),
    ({"min_fatalities": "-1"}, "between 0 and"),
    ({"min_fatalities": "two"}, "expected a whole number"),
    ({"limit": "0"}, "limit: must be between 1"),
    ({"offset": "1.5"}, "expected a whole number"),
    ({"bbox": "1,2,3"}, "4 numbers"),
    ({"bbox": "a,b,c,d"}, "expected 4 numbers"),
    ({"bbox": "0,60,10,50"}, "minlat 60.0 is greater than maxlat"),
    ({"bbox": "0,0,200,10"}, "outside -180..180"),
    ({"bbox": "0,nan,10,10"}, "outside -90..90"),
    ({"q": "x" * 201}, "longer than 200"),
])
def test_bad_values_raise_a_clear_filter_error(params, message):
    with pytest.raises(FilterError, match=message.replace(".", r"\.").replace("(", r"\(")):
        Filters.from_params(params)


def test_strict_rejects_unknown_keys_lenient_ignores_them():
    with pytest.raises(FilterError, match="unknown filter 'contry'"):
        Filters.from_params({"contry": "UA"}, strict=True)
    assert Filters.from_params({"sort": "date"}) == Filters()


def test_filter_error_is_a_value_error():
    with pytest.raises(ValueError):
        Filters.from_params({"limit": "x"})


@pytest.mark.parametrize("params, hit", [
    ({"since": "2026-02-13"}, True), ({"since": "2026-02-14"}, False), ({"until": "2026-02-12"}, False),
    ({"type": "strikes"}, True), ({"type": "Battles"}, False), ({"type": "Air/drone strike"}, True),
    ({"actor": "russian"}, True), ({"actor": "ukrainian"}, False),
    ({"country": "UA"}, True), ({"country": "RU"}, False),
    ({"min_fatalities": "1"}, True), ({"min_fatalities": "2"}, False),
    ({"q": "PORT of"}, True), ({"q": "Kharkiv"}, False),
    ({"bbox": "30,46,31,47"}, True), ({"bbox": "31,46,32,47"}, False),
    ({"bbox": "170,40,35,50"}, True),  # crosses the antimeridian, wraps round to 35E
])
def test_matches(params, hit):
    assert Filters.from_params(params).matches(_incident()) is hit


def test_event_range_overlaps_since():
    talks = _incident(event_date=date(2026, 2, 17), event_date_end=date(2026, 2, 18),
                      event_type="Diplomacy", sub_event_type="Negotiations")
    assert Filters.from_params({"since": "2026-02-18"}).matches(talks)
    assert not Filters.from_params({"since": "2026-02-19"}).matches(talks)


@pytest.mark.parametrize("given, code", [("UA", "UA"), ("ua", "UA"), ("UKR", "UA"), ("Ukraine", "UA"),
                                         ("russia", "RU"), ("Russian Federation", "RU"), ("Lebanon", "LB")])
def test_country_by_code_or_name(given, code):
    assert Filters.from_params({"country": given}).country == code
