"""bench/articles_eval.py: the matching and counting on synthetic incidents, and the gold files' integrity."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import bench_scripts
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.records import Incident

HELDOUT3 = Path(__file__).parent / "data" / "articles" / "heldout3"


ae = bench_scripts.load("articles_eval")

KHAR = (34.7236, 71.5206)
PUB = "2026-04-07"


def inc(lat, lon, day, *, end=None, event_type="Explosions/Remote violence", sub="Air/drone strike",
        fatalities=None, injured=None, historical=False, location="x") -> Incident:
    return Incident(id=f"{lat},{lon},{day}", lat=lat, lon=lon, event_date=date.fromisoformat(day) if day else None,
                    event_date_end=date.fromisoformat(end) if end else None, event_type=event_type,
                    sub_event_type=sub, location=location, mention=location, quote="", fatalities=fatalities,
                    injured=injured, historical=historical)


def gold(incidents, forbidden=()):
    return ae.Gold(date.fromisoformat(PUB), tuple(ae._expected(d) for d in incidents),
                   tuple(ae.Forbidden(**f) for f in forbidden))


def exp(name, lat, lon, dates, **kw):
    d = {"name": name, "lat": lat, "lon": lon, "max_km": kw.pop("max_km", 25), "dates": dates,
         "violent": kw.pop("violent", True)}
    d.update(kw)
    return d


# --- the assignment --------------------------------------------------------------------------


def _best_total(weights):
    """Brute force: the best total over every partial one-to-one map of rows to columns."""
    cols = len(weights[0]) if weights else 0
    best = 0.0
    for choice in itertools.product([None, *range(cols)], repeat=len(weights)):
        taken = [j for j in choice if j is not None]
        if len(taken) == len(set(taken)):
            best = max(best, sum(weights[i][j] for i, j in enumerate(choice) if j is not None))
    return best


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 4).flatmap(lambda r: st.integers(0, 5).flatmap(
    lambda c: st.lists(st.lists(st.sampled_from([0.0, 0.0, 1.0, 3.5, 1000.0, 1200.5, 1150.25]), min_size=c, max_size=c),
                       min_size=r, max_size=r))))
def test_assign_is_one_to_one_and_maximal(weights):
    pairs = ae.assign(weights)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(weights[i][j] > 0 for i, j in pairs)
    assert sum(weights[i][j] for i, j in pairs) == pytest.approx(_best_total(weights))


def test_assign_prefers_two_pairs_to_one_greedy_best():
    # Greedy would take (0, 0) = 1300 and leave row 1 without a partner.
    assert ae.assign([[1300.0, 1001.0], [1002.0, 0.0]]) == [(0, 1), (1, 0)]


# --- one article -----------------------------------------------------------------------------


def test_two_incidents_in_one_town_are_told_apart_by_date_and_count():
    g = gold([exp("Bajaur last week", *KHAR, ["2026-03-30", "2026-04-05"], fatalities=17),
              exp("Khar blast Monday", *KHAR, ["2026-04-06"], injured=12)])
    produced = [inc(*KHAR, "2026-04-06", injured=12), inc(KHAR[0] + 0.05, KHAR[1], "2026-04-05", fatalities=17)]
    s = ae.score_article(g, produced)
    assert (s.expected, s.found, s.right, s.missed, s.spurious) == (2, 2, 2, 0, 0)


def test_an_expected_incident_without_counts_does_not_take_a_neighbours_answer():
    # The checkpoint attack (1 killed, 2 wounded) and arrests 3 km away (no counts), same day:
    # the one produced incident, a wrongly typed attack with 2 wounded, answers the attack.
    g = gold([exp("Huwara attack", 32.1524, 35.2566, ["2026-04-13"], max_km=5, fatalities=1, injured=2, event_type="Battles"),
              exp("Beita arrests", 32.1436, 35.2897, ["2026-04-13", "2026-04-14"], max_km=4, violent=False,
                  event_type="Strategic developments")])
    s = ae.score_article(g, [inc(32.152, 35.257, "2026-04-13", event_type="Violence against civilians", sub="Attack", injured=2)])
    assert (s.found, s.right) == (1, 0)
    assert s.notes[0].startswith("WRONG   Huwara attack")
    assert s.notes[1].startswith("MISSED  Beita arrests")


def test_too_far_is_missed_and_spurious():
    g = gold([exp("Kohat", 33.582, 71.4493, ["2026-04-05"])])
    s = ae.score_article(g, [inc(33.7215, 73.0433, "2026-04-05")])  # Islamabad, ~150 km away
    assert (s.found, s.missed, s.spurious) == (0, 1, 1)
    assert s.notes[0].startswith("MISSED")


def test_found_but_wrong_names_the_fields_that_differ():
    g = gold([exp("sit-in", 2.78, 45.5, ["2026-05-13"], violent=False, fatalities=None,
                  event_type="Protests")])
    s = ae.score_article(g, [inc(2.78, 45.5, "2026-05-12", event_type="Protests", sub="Peaceful protest", fatalities=3)])
    assert (s.found, s.right) == (1, 0)
    assert s.wrong_fields == {"date": 1, "fatalities": 1}


def test_a_count_the_gold_does_not_give_is_not_checked():
    g = gold([exp("raid", 4.7358, 45.2036, ["2026-05-12"])])
    s = ae.score_article(g, [inc(4.7358, 45.2036, "2026-05-12", fatalities=99, injured=4)])
    assert s.right == 1


def test_event_type_and_violent_flag_are_checked():
    g = gold([exp("checkpoint", 33.582, 71.4493, ["2026-04-05"], event_type="Battles")])
    vac = inc(33.582, 71.4493, "2026-04-05", event_type="Violence against civilians", sub="Attack")
    s = ae.score_article(g, [vac])
    assert s.wrong_fields == {"event_type": 1}
    talks = gold([exp("Doha talks", 25.2854, 51.531, ["2026-04-10"], violent=False)])
    s = ae.score_article(talks, [inc(25.2854, 51.531, "2026-04-10", event_type="Battles", sub="Armed clash")])
    assert s.wrong_fields == {"violent": 1}


def test_background_kept_with_its_own_date_is_fine_and_misdated_is_spurious():
    g = gold([exp("raid now", 4.7358, 45.2036, ["2026-05-12"]),
              exp("old raid", 4.7358, 45.2036, ["2021-06"], optional=True)])
    old = inc(4.7358, 45.2036, "2021-06-04", fatalities=2)
    s = ae.score_article(g, [inc(4.7358, 45.2036, "2026-05-12"), old])
    assert (s.expected, s.right, s.spurious, s.near_background) == (1, 1, 0, 0)
    copy = inc(4.7358, 45.2036, "2026-05-14", fatalities=2)
    s = ae.score_article(g, [inc(4.7358, 45.2036, "2026-05-12"), copy])
    assert (s.right, s.spurious, s.near_background) == (1, 1, 1)


def test_the_background_pair_does_not_steal_the_current_answer():
    g = gold([exp("handover now", 22.9, 96.5, ["2026-03-18"], violent=False),
              exp("taken in 2024", 22.9, 96.5, ["2024-07"], optional=True)])
    s = ae.score_article(g, [inc(22.9, 96.5, "2026-03-18", event_type="Strategic developments", sub="Non-violent transfer of territory")])
    assert (s.found, s.right, s.spurious) == (1, 1, 0)


def test_unmatched_historical_incidents_are_listed_not_counted():
    g = gold([])
    s = ae.score_article(g, [inc(16.77, -3.0, "2012-04-01", historical=True)])
    assert (s.spurious, s.historical_unmatched) == (0, 1)


def test_forbidden_points_respect_the_date_prefix_and_boxes_hold():
    zones = [{"name": "Mogadishu dateline", "lat": 2.0371, "lon": 45.3438, "max_km": 15, "date_prefix": "2026"},
             {"name": "the Americas", "lon_min": -170, "lon_max": -30}]
    g = gold([], zones)
    s = ae.score_article(g, [inc(2.04, 45.34, "2026-05-13"), inc(2.04, 45.34, "2011-08-06"),
                             inc(31.85, -102.37, "2026-05-13"), inc(3.11, 43.65, "2026-05-13")])
    assert s.forbidden == 2
    assert s.spurious == 4


def test_tags_count_right_over_expected():
    g = gold([exp("a", 1.0, 1.0, ["2026-04-06"], tags=["nextsent", "numwords"]),
              exp("b", 5.0, 5.0, ["2026-04-06"], tags=["numwords"])])
    s = ae.score_article(g, [inc(1.0, 1.0, "2026-04-06")])
    assert s.tags == {"nextsent": [1, 1], "numwords": [1, 2]}


# --- pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("event_type", "sub", "violent"), [
    ("Diplomacy", "Negotiations", False),
    ("Strategic developments", "Arrests", False),
    ("Protests", "Peaceful protest", False),
    ("Protests", "", False),
    ("Protests", "Protest with intervention", True),
    ("Protests", "Excessive force against protesters", True),
    ("Riots", "Mob violence", True),
    ("Battles", "Armed clash", True),
    ("Violence against civilians", "Abduction/forced disappearance", True),
])
def test_violent_rule(event_type, sub, violent):
    assert ae.is_violent(event_type, sub) is violent


def test_dates_with_a_month_or_year_and_ranges():
    assert ae.date_in(date(2026, 2, 14), ["2026-02"])
    assert not ae.date_in(date(2026, 3, 1), ["2026-02"])
    assert ae.date_in(date(2011, 9, 1), ["2011"])
    assert not ae.date_in(date(2012, 1, 1), ["201"])  # a prefix is a whole year or month, not any string
    e = ae._expected(exp("weekend", 0, 0, ["2026-05-16", "2026-05-17"]))
    assert ae.date_ok(e, inc(0, 0, "2026-05-16", end="2026-05-17"))
    assert ae.date_ok(e, inc(0, 0, "2026-05-17", end="2026-05-18"))  # the start decides; the end is not checked
    assert not ae.date_ok(e, inc(0, 0, "2026-05-15", end="2026-05-17"))
    assert not ae.date_ok(e, inc(0, 0, None))


# --- the gold files --------------------------------------------------------------------------


def _gold_files():
    return sorted(HELDOUT3.glob("*.json"))


def test_heldout3_has_an_expectation_file_for_every_article():
    stems = {p.stem for p in HELDOUT3.glob("*.txt")}
    assert len(stems) >= 36
    assert stems == {p.stem for p in _gold_files()}


@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.stem)
def test_heldout3_gold_is_well_formed(path):
    g = ae.load_gold(path)
    header = path.with_suffix(".txt").read_text(encoding="utf-8").splitlines()[:3]
    assert f"published: {g.published.isoformat()}" in header
    raw = json.loads(path.read_text(encoding="utf-8"))
    for e, d in zip(g.expected, raw["incidents"]):
        assert e.violent == ae.is_violent(e.event_type, e.sub_event_type) or e.event_type is None, e.name
        assert e.dates and all(len(x) in (4, 7, 10) for x in e.dates), e.name
        assert not any(ae.in_forbidden(z, inc(e.lat, e.lon, _a_day(e))) for z in g.forbidden), e.name
        assert set(d) <= {"name", "lat", "lon", "max_km", "fatalities", "injured", "dates", "violent",
                          "event_type", "sub_event_type", "optional", "tags"}, e.name


def _a_day(e) -> str:
    d = e.dates[0]
    return d if len(d) == 10 else (d + "-01-01")[:10]
