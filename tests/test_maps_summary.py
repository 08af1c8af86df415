"""What the map's counts, timeline, shading and charts read; place labels; English place names."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from mapper.maps import labels, names
from mapper.maps.summary import rows_of, summarize

from test_maps import make, sample


def test_summary_counts_every_family_region_actor_and_day():
    incidents = sample()
    incidents[0].actor1, incidents[0].actor2 = "Russia", "Ukraine"
    incidents[1].actor1 = "Russia"
    s = summarize(rows_of(incidents))
    assert s["total"] == 5 and s["fatalities"] == 5 and s["injured"] == 17
    assert s["families"]["strikes"] == {"incidents": 2, "fatalities": 4}
    assert s["families"]["ground"] == {"incidents": 0, "fatalities": 0}
    assert s["countries"] == ["CH", "RU", "UA"]
    assert [r["code"] for r in s["regions"]] == ["UA.05", "UA.12", "UA.17", "CH.GE", "RU.84"]  # most killed first
    assert s["regions"][0] == {"code": "UA.05", "name": "Donetsk", "country": "UA", "incidents": 1, "fatalities": 3}
    assert s["actors"][0] == {"name": "Russia", "incidents": 2, "fatalities": 4}
    assert ["2026-02-13", "strikes", 2, 4] in s["days"] and ["2026-02-17", "diplomacy", 1, 0] in s["days"]
    assert sum(row[2] for row in s["days"]) == 5


def test_the_timeline_keeps_the_days_outside_the_chosen_range():
    rows = rows_of(sample())
    chosen = [r for r in rows if r.event_date == date(2026, 2, 17)]
    s = summarize(chosen, timeline=rows)
    assert s["total"] == 1 and {row[0] for row in s["days"]} == {"2026-02-13", "2026-02-17"}


def test_undated_incidents_count_but_have_no_day():
    s = summarize(rows_of([make(event_date=None)]))
    assert s["total"] == 1 and s["days"] == []


@pytest.mark.parametrize("population, zoom", [(3_000_000, 4), (600_000, 5), (200_000, 6), (60_000, 7),
                                              (20_000, 8), (10_000, None)])
def test_bigger_towns_are_labelled_from_lower_zooms(population, zoom):
    assert labels.city_zoom(population) == zoom


def test_labels_thin_out_by_zoom_and_box(gazetteer):
    every = labels.world_labels(gazetteer, countries=["UA"])
    ukraine = (22.0, 44.0, 40.5, 52.5)
    far = labels.within(every, ukraine, max_zoom=4)
    near = labels.within(every, ukraine, max_zoom=8)
    assert {lb.name for lb in far} >= {"Ukraine", "Kyiv"} and "Zhytomyr" not in {lb.name for lb in far}
    assert len(near) > 10 * len(far) and "Zhytomyr" in {lb.name for lb in near}
    assert all(ukraine[1] <= lb.lat <= ukraine[3] for lb in near)
    assert [lb.zoom for lb in near] == sorted(lb.zoom for lb in near)  # most important first
    crossing = labels.within(every, (170.0, -60.0, -170.0, 80.0), max_zoom=8)  # across the antimeridian
    assert crossing and all(lb.lon >= 170 or lb.lon <= -170 for lb in crossing)


def test_names_doctests():
    assert doctest.testmod(names).failed == 0


@pytest.mark.parametrize("location, mention, shown", [
    ("Khān Yūnis", "Khan Younis", "Khan Yunis (as written: “Khan Younis”)"),
    ("Nabatîyé et Tahta", "Nabatieh", "Nabatiye et Tahta (as written: “Nabatieh”)"),
    ("Odesa", "Odesa", "Odesa"),
    ("Kraków", "Krakow", "Krakow"),
    ("Donetsk Oblast", "eastern Ukraine", "Donetsk Oblast (as written: “eastern Ukraine”)"),
    ("Zürich", None, "Zurich"),
])
def test_place_label(location, mention, shown):
    assert names.place_label(location, mention) == shown
