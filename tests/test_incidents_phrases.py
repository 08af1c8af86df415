"""Phrase-level parts of the incident builder: casualties, dates, event types, actors, attribution,
sentence splitting and merging. Inline sentences in news style, written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from gazetteer.place import Place
from mapper.nlp.actors import find_actors
from mapper.nlp.attribution import find_attribution
from mapper.nlp.counts import parse_casualties
from mapper.nlp.dates import resolve_date
from mapper.nlp.events import classify
from mapper.storage.merge import merge_incidents, merge_into, same_incident
from mapper.records import Incident
from mapper.nlp.text import clauses, is_boilerplate, parse_number, split_sentences

FRIDAY = date(2026, 2, 13)


@pytest.mark.parametrize(
    "sentence, fatalities, injured",
    [
        ("Two sisters aged 7 and 12 were killed in the strike.", 2, None),
        ("A woman died and four more people were hurt.", 1, 4),
        ("Five people, among them a nine-year-old girl, were wounded.", None, 5),
        ("Her husband and son survived with shrapnel wounds.", None, 2),
        ("The shelling killed at least 10 people.", 10, None),
        ("A Russian strike killed three brothers aged 8 to 19 overnight.", 3, None),
        ("The strike killed three brothers, the youngest of them eight years old and the eldest 19, while their "
         "mother and grandmother were injured, the prosecutor's office said.", 3, 2),
        ("One person was killed and six others were injured in the port city.", 1, 6),
        ("Falling debris injured three people, among them a 12-year-old boy.", None, 3),
        ("The attack killed a woman and injured her two daughters.", 1, 2),
        ("Two soldiers and a civilian were killed.", 3, None),
        ("The attack killed two people and three were injured.", 2, 3),
        ("No one was hurt, the governor said.", 0, 0),
        ("Nobody was killed but five were injured.", 0, 5),
        ("Three dead and five injured after a shell hit the market.", 3, 5),
        ("The strike left 7 dead and 21 wounded.", 7, 21),
        ("More than 20 civilians were killed in the airstrike.", 20, None),
        ("A drone hit a bus, killing one passenger and wounding 12 others.", 1, 12),
        ("The missile hit a residential district, injuring nine people, two of them children.", None, 9),
        ("Seven people were hospitalised.", None, 7),
        ("Gunmen killed twenty-three villagers.", 23, None),
        ("There were no immediate reports of casualties.", None, None),
        ("Russia said it shot down 58 Ukrainian drones over several regions.", None, None),
    ],
)
def test_casualties(sentence, fatalities, injured):
    c = parse_casualties(sentence)
    assert (c.fatalities, c.injured) == (fatalities, injured)


def test_vague_figures_are_null_with_the_phrase_kept():
    c = parse_casualties("Dozens of people were injured and at least 10 were killed.")
    assert c.injured is None and c.injured_note == "dozens"
    assert c.fatalities == 10 and c.fatalities_note == "at least 10"
    assert c.note == "at least 10 killed; dozens injured"


@pytest.mark.parametrize(
    "sentence, fatalities",
    [
        ("The death toll rose to 12 from an earlier 9, officials said.", 12),
        ("Rescuers found two more bodies, raising the toll from Sunday's missile strike on the city from 5 to 7.", 7),
        ("The number of dead has been revised to eight.", 8),
    ],
)
def test_corrections_replace_an_earlier_toll(sentence, fatalities):
    c = parse_casualties(sentence)
    assert c.correction and c.fatalities == fatalities


def test_a_superseded_figure_is_not_counted():
    assert not parse_casualties("An earlier version of this story said five people were killed.").found


@pytest.mark.parametrize(
    "sentence, start, end, precision",
    [
        ("Overnight from Thursday to Friday a strike killed three brothers.", "2026-02-13", None, 1),
        ("A drone attack overnight into Sunday hit the refinery.", "2026-02-08", None, 1),
        ("A missile struck the city on Monday.", "2026-02-09", None, 1),
        ("Talks will be held in Geneva on Tuesday and Wednesday next week.", "2026-02-17", "2026-02-18", 1),
        ("Delegations will meet on Thursday and Friday next week.", "2026-02-19", "2026-02-20", 1),
        ("The talks are due on Monday.", "2026-02-16", None, 1),
        ("The attack on Feb. 3 2023 killed five.", "2023-02-03", None, 1),
        ("The missile hit the city on Feb. 3.", "2026-02-03", None, 1),
        ("A strike killed one person on Dec. 30.", "2025-12-30", None, 1),
        ("Fighting intensified around the town last week.", "2026-02-02", "2026-02-08", 2),
        ("Shelling yesterday killed two.", "2026-02-12", None, 1),
        ("The ministry said on Thursday that its forces struck the depot on Tuesday.", "2026-02-10", None, 1),
        ("Rescuers pulled two bodies out on Friday after Sunday's strike.", "2026-02-08", None, 1),
        ("Troops fought around the town last week, the command said on Friday.", "2026-02-02", "2026-02-08", 2),
    ],
)
def test_dates(sentence, start, end, precision):
    d = resolve_date(sentence, FRIDAY)
    assert d is not None
    assert d.start.isoformat() == start
    assert (d.end.isoformat() if d.end else None) == end
    assert d.precision == precision


def test_no_date_said_is_none():
    assert resolve_date("The strike destroyed a warehouse.", FRIDAY) is None


@pytest.mark.parametrize(
    "sentence, event_type, sub_event_type",
    [
        ("A Russian strike killed three brothers.", "Explosions/Remote violence", "Air/drone strike"),
        ("Russia said it shot down 58 Ukrainian drones over several regions.", "Strategic developments", "Disrupted weapons use"),
        ("It said 29 of them were downed over the Rostov region.", "Strategic developments", "Disrupted weapons use"),
        ("Talks will be held in Geneva on Tuesday.", "Diplomacy", "Negotiations"),
        ("The president visited a drone maker in Munich on Friday.", "Diplomacy", "Visit"),
        ("Russian forces shelled the village overnight.", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("A ballistic missile hit the city centre.", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("A guided aerial bomb struck a farm.", "Explosions/Remote violence", "Air/drone strike"),
        ("A tractor hit an anti-tank mine in a field.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Rebels clashed with the army near the town.", "Battles", "Armed clash"),
        ("Gunmen killed 14 villagers.", "Violence against civilians", "Attack"),
        ("Thousands marched in the capital to protest against the government.", "Protests", "Peaceful protest"),
        ("Police used water cannon to disperse protesters outside parliament.", "Protests", "Protest with intervention"),
        ("Fighters attacked the village at dawn and burned homes.", "Violence against civilians", "Attack"),
    ],
)
def test_event_types(sentence, event_type, sub_event_type):
    kind = classify(sentence)
    assert kind is not None
    assert (kind.event_type, kind.sub_event_type) == (event_type, sub_event_type)


@pytest.mark.parametrize("sentence", [
    "Neither government has the political room to concede.",
    "A Chapin man died after his car struck a tree on the highway.",
    "The photos show necklaces of ocean shells made by the Adena people.",
    "He was charged with assault causing harm.",
])
def test_sentences_without_a_conflict_event(sentence):
    assert classify(sentence) is None or classify(sentence).strength == 0


@pytest.mark.parametrize(
    "sentence, sub, country, actor1, actor2",
    [
        ("A Russian strike killed three brothers.", "Air/drone strike", "UA", "Russian forces", None),
        ("Russia said it shot down 58 Ukrainian drones over the Volgograd region.", "Disrupted weapons use", "RU",
         "Ukrainian forces", "Russian forces"),
        ("A swarm of Shahed-type drones attacked the city overnight.", "Air/drone strike", "UA", "Russian forces", None),
        ("The RSF shelled the town, a rights group said.", "Shelling/artillery/missile attack", "SD",
         "Rapid Support Forces", None),
        ("Russia's Defence Ministry said its forces had struck a depot.", "Air/drone strike", "UA", "Russian forces", None),
    ],
)
def test_actors(sentence, sub, country, actor1, actor2):
    assert find_actors(sentence, sub_event_type=sub, location_country=country) == (actor1, actor2)


@pytest.mark.parametrize(
    "sentence, who, region",
    [
        ("Two people were injured in northern Ukraine, the Sumy regional military administration said.",
         "Sumy regional military administration", "Sumy"),
        ("The boys were killed (source: the Donetsk regional prosecutor's office).",
         "Donetsk regional prosecutor's office", "Donetsk"),
        ("Talks will be held next week, according to officials on both sides.", "officials on both sides", None),
        ("A drone hit a car, killing the driver, the governor of the Kursk region said.", "governor of the Kursk region", "Kursk"),
        ("Ukrainian officials said the missile hit a residential district.", "Ukrainian officials", None),
    ],
)
def test_attribution(sentence, who, region):
    a = find_attribution(sentence)
    assert a is not None and a.who == who and a.region == region
    assert sentence[a.start:a.end] == who


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = 'KYIV, Feb. 13 - A strike hit Mr. Ivanov\'s house. "We are safe." The U.S. envoy spoke.\nNext line'
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "KYIV, Feb. 13 - A strike hit Mr. Ivanov's house.", '"We are safe."', "The U.S. envoy spoke.", "Next line"]
    assert all(text[s.start:s.end] == s.text for s in sents)
    line = "In Kharkiv two were hurt; in Sumy one died."
    assert [c.text for c in clauses(line, split_sentences(line)[0])] == ["In Kharkiv two were hurt", "in Sumy one died."]


def test_a_capital_letter_after_a_lower_case_word_ends_a_sentence_but_initials_do_not():
    text = "Six were killed, the governor wrote on X. Police said George W. Bush Road was shut. It was J. R. Ward."
    assert [s.text for s in split_sentences(text)] == [
        "Six were killed, the governor wrote on X.", "Police said George W. Bush Road was shut.", "It was J. R. Ward."]


@pytest.mark.parametrize("line", ["Read more: Russia pounds Kharkiv", "Support our journalism. Donate now.",
                                  "Sign up for our daily newsletter", "We use cookies to improve your experience. Accept all"])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


def test_story_sentences_are_not_boilerplate():
    assert not is_boilerplate("A Russian strike killed three people in Kharkiv on Friday, the governor said.")


@pytest.mark.parametrize("word, value", [("twenty-three", 23), ("1,200", 1200), ("a hundred", 100), ("eleven", 11)])
def test_number_words(word, value):
    assert parse_number(word) == value


# --- merge ---------------------------------------------------------------------------------------

KHARKIV = Place("Kharkiv", 49.98, 36.25, "UA", "Kharkiv Oblast", "UA.07", "city", 706483, 1_400_000)


def _incident(article_id: str, *, lat=49.98, lon=36.25, day=20, injured=11, published=20, **kw) -> Incident:
    inc = Incident(id=f"id-{article_id}", lat=lat, lon=lon, event_date=date(2026, 2, day),
                   event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Kharkiv",
                   mention="Kharkiv", quote=f"quote {article_id}", injured=injured, fatalities=2, geonameid=706483,
                   country="UA", admin1_code="UA.07", article_id=article_id, published=date(2026, 2, published), **kw)
    inc.sources = [{"article_id": article_id, "source": None, "source_url": None, "published": None, "quote": inc.quote}]
    return inc


def test_same_place_day_and_type_merge_with_both_sources():
    a, b = _incident("a", injured=11), _incident("b", lat=49.99, lon=36.27, injured=12, published=21)
    assert same_incident(a, b)
    merged = merge_into(a, b)
    assert merged.id == "id-a"
    assert merged.injured == 12  # the later report updates the toll
    assert [s["article_id"] for s in merged.sources] == ["a", "b"]
    assert merge_incidents([a, b]) == [merged]


@pytest.mark.parametrize(
    "change",
    [dict(day=21), dict(lat=50.5, lon=36.25, geonameid=None), dict(event_type="Battles", sub_event_type="Armed clash")],
)
def test_different_day_place_or_type_do_not_merge(change):
    a = _incident("a")
    b = _incident("b")
    for k, v in change.items():
        if k != "day":
            setattr(b, k, v)
    if "day" in change:
        b.event_date = date(2026, 2, change["day"])
    assert not same_incident(a, b)
    assert len(merge_incidents([a, b])) == 2
