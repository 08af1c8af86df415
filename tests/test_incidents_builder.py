"""build_incidents on short inline stories: where it happened, background, attribution, ids."""

from __future__ import annotations

from datetime import date

import pytest

from mapper.nlp.assemble import build_incidents
from mapper.records import Article

SUNDAY = date(2026, 2, 22)


def _build(text: str, gazetteer, nlp, published: date | None = SUNDAY):
    return build_incidents(Article(text, published, url="https://example.test/a", source="Example"), gazetteer, nlp=nlp)


@pytest.mark.parametrize(
    "text, location_contains, admin1_code, precision",
    [
        ("In Kherson, a shell hit the city's river port on Saturday, killing a dock worker, the regional "
         "administration said.", "Kherson", "UA.08", 1),
        ("A Russian guided bomb struck a farm in northern Ukraine overnight into Sunday, wounding a tractor driver, "
         "the Sumy regional military administration said.", "Sumy", "UA.21", 3),
        ("Russia's Defence Ministry said its air defences destroyed 40 Ukrainian drones overnight. It said 29 of them "
         "were downed over the Rostov region.", "Rostov", "RU.61", 3),
    ],
)
def test_location_is_where_it_happened(text, location_contains, admin1_code, precision, gazetteer, nlp):
    (inc,) = _build(text, gazetteer, nlp)
    assert location_contains in inc.location
    assert inc.admin1_code == admin1_code and inc.geo_precision == precision


def test_sumy_incident_fields(gazetteer, nlp):
    (inc,) = _build("A Russian guided bomb struck a farm in northern Ukraine overnight into Sunday, wounding a tractor "
                    "driver, the Sumy regional military administration said.", gazetteer, nlp)
    assert inc.mention == "northern Ukraine"
    assert inc.attribution == "Sumy regional military administration"
    assert (inc.event_date, inc.injured, inc.actor1) == (SUNDAY, 1, "Russian forces")
    assert (inc.source, inc.source_url, inc.published) == ("Example", "https://example.test/a", SUNDAY)


@pytest.mark.parametrize(
    "text",
    [
        "The fighting that began in 2014, when Moscow seized Crimea, was never truly frozen.",
        "The first talks, held in Turkey in 2022, produced a draft framework that both sides later disowned.",
        "Today a front line more than 1,000 km long runs from the Kharkiv region to the mouth of the Dnipro.",
        "Kharkiv, Ukraine's second-largest city, lies about 30 km from the Russian border and is attacked almost every night.",
        "Russia could strike Kyiv again next week, the ministry warned.",
    ],
)
def test_background_is_not_news(text, gazetteer, nlp):
    assert _build(text, gazetteer, nlp) == []


def test_a_dated_old_event_is_historical(gazetteer, nlp):
    (inc,) = _build("On Feb. 3 2023, a Russian missile slammed into an apartment block in the centre of Kramatorsk, "
                    "killing four residents and wounding 18.", gazetteer, nlp, published=date(2026, 2, 3))
    assert inc.historical and inc.event_date == date(2023, 2, 3) and (inc.fatalities, inc.injured) == (4, 18)


def test_a_follow_up_sentence_adds_to_the_incident(gazetteer, nlp):
    (inc,) = _build("In Robotyne, Zaporizhzhia Oblast, a Russian drone hit a house on Saturday evening, killing a "
                    "61-year-old woman. Her husband and son survived with shrapnel wounds, the regional military "
                    "administration said.", gazetteer, nlp)
    assert (inc.fatalities, inc.injured) == (1, 2)
    assert inc.attribution == "regional military administration"
    assert inc.quote.count(".") == 2 and inc.event_date == date(2026, 2, 21)


def test_no_places_from_people_or_metaphors(gazetteer, nlp):
    incs = _build('"The Russian bear is testing, once again, whether the world is still watching," a senior official '
                  "said. In the southern port city of Odessa, one person was killed and six others were injured when a "
                  "Russian strike hit port facilities, regional officials said.", gazetteer, nlp)
    assert [(i.country, i.location) for i in incs] == [("UA", "Odesa")]


def test_ids_are_stable_and_distinct(gazetteer, nlp):
    text = ("In Kherson, a shell hit the river port on Saturday, killing a dock worker. In the nearby town of "
            "Bilozerka, a woman died when a Russian drone dropped explosives on a bus stop on Saturday.")
    first = [i.id for i in _build(text, gazetteer, nlp)]
    assert first == [i.id for i in _build(text, gazetteer, nlp)]
    assert len(first) == len(set(first)) == 2


def test_undated_article_with_no_date_in_text_gives_nothing_rather_than_a_guess(gazetteer, nlp):
    assert _build("In Kherson, a shell hit the river port, killing a dock worker.", gazetteer, nlp, published=None) == []


def test_two_acts_in_one_sentence_are_two_incidents_quoting_the_sentence(gazetteer, nlp):
    text = ("Russian drones hit Kharkiv on Saturday, injuring three people, and a missile struck Dnipro, "
            "killing two, officials said.")
    incs = _build(text, gazetteer, nlp)
    got = {i.location: (i.sub_event_type, i.fatalities, i.injured, i.attribution) for i in incs}
    assert got == {"Kharkiv": ("Air/drone strike", None, 3, "officials"),
                   "Dnipro": ("Shelling/artillery/missile attack", 2, None, "officials")}
    assert all(i.quote == text for i in incs)


def test_counts_per_place(gazetteer, nlp):
    incs = _build("Russian shelling killed two people in Kherson and one in Beryslav on Saturday.", gazetteer, nlp)
    assert {i.location: i.fatalities for i in incs} == {"Kherson": 2, "Beryslav": 1}


def test_the_headline_places_a_lede_that_names_no_place(gazetteer, nlp):
    article = Article("A Russian drone struck a minibus carrying commuters on Friday morning, killing the driver and "
                      "injuring five passengers, the city military administration said.", date(2026, 2, 27),
                      title="Drone hits minibus in Kherson, killing driver")
    (inc,) = build_incidents(article, gazetteer, nlp=nlp)
    assert (inc.location, inc.geo_precision, inc.fatalities, inc.injured) == ("Kherson", 1, 1, 5)
