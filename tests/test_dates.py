"""Dates from the text and the publication day; background from dates and wording.

News-style sentences written for these tests. FRIDAY is the publication date unless a case says.
"""

from __future__ import annotations

from datetime import date

import pytest

from mapper.nlp.background import is_background, is_explicit
from mapper.nlp.dates import background_year, is_future, resolve_date

FRIDAY = date(2026, 2, 13)
SUNDAY = date(2026, 2, 15)
MONDAY = date(2026, 2, 16)


@pytest.mark.parametrize(
    "sentence, published, start, end, precision",
    [
        # overnight, late, night
        ("A drone attack overnight into Sunday hit the refinery.", FRIDAY, "2026-02-08", None, 1),
        ("Overnight from Thursday to Friday a strike killed three brothers.", FRIDAY, "2026-02-13", None, 1),
        ("Drones struck the port overnight, the governor said.", FRIDAY, "2026-02-13", None, 1),
        ("Gunmen attacked the village late Sunday.", FRIDAY, "2026-02-08", None, 1),
        ("The town was shelled on Sunday night.", FRIDAY, "2026-02-08", None, 1),
        ("A mortar round landed near the clinic last night.", FRIDAY, "2026-02-12", None, 1),
        # weekend, week, month
        ("Fighting over the weekend near the river killed five fighters.", FRIDAY, "2026-02-07", "2026-02-08", 2),
        ("Fighting over the weekend near the river killed five fighters.", SUNDAY, "2026-02-14", "2026-02-15", 2),
        ("Fighting over the weekend near the river killed five fighters.", MONDAY, "2026-02-14", "2026-02-15", 2),
        ("Troops fought around the town last week, the command said on Friday.", FRIDAY, "2026-02-02", "2026-02-08", 2),
        ("Militias clashed twice earlier this week.", FRIDAY, "2026-02-09", "2026-02-13", 2),
        ("Three houses were burned earlier this month.", FRIDAY, "2026-02-01", "2026-02-13", 3),
        ("Soldiers raided the camp last month.", FRIDAY, "2026-01-01", "2026-01-31", 3),
        # a weekday: the nearest one, and the publication day itself when it is that weekday
        ("A strike hit the depot on Monday.", FRIDAY, "2026-02-09", None, 1),
        ("A missile struck the city on Friday.", FRIDAY, "2026-02-13", None, 1),
        ("Police said the raid took place on Monday.", MONDAY, "2026-02-16", None, 1),
        ("Officials will meet in Doha on Friday.", FRIDAY, "2026-02-13", None, 1),
        ("The talks are due to resume on Monday.", FRIDAY, "2026-02-16", None, 1),
        ("A drone hit a bus last Friday.", FRIDAY, "2026-02-06", None, 1),
        # ranges and next week
        ("Delegations will meet on Thursday and Friday next week.", FRIDAY, "2026-02-19", "2026-02-20", 1),
        ("Talks will be held in Geneva on Tuesday and Wednesday next week.", FRIDAY, "2026-02-17", "2026-02-18", 1),
        ("The envoy will visit the capital on Tuesday next week.", FRIDAY, "2026-02-17", None, 1),
        # dates written out
        ("On 1 April 2025, four men were abducted from a bus.", FRIDAY, "2025-04-01", None, 1),
        ("The attack on Feb. 3 2023 killed five.", FRIDAY, "2023-02-03", None, 1),
        ("On 19 March 2026, 3 policemen were killed.", date(2026, 3, 20), "2026-03-19", None, 1),
        ("A strike killed one person on Dec. 30.", FRIDAY, "2025-12-30", None, 1),
        ("The missile hit the city on Feb. 3.", FRIDAY, "2026-02-03", None, 1),
        ("Troops withdrew from the area in March 2022.", FRIDAY, "2022-03-01", "2022-03-31", 3),
        # relative days
        ("Shelling yesterday killed two.", FRIDAY, "2026-02-12", None, 1),
        ("Gunmen attacked the village overnight Tuesday.", FRIDAY, "2026-02-10", None, 1),
        ("Three days ago, a drone hit a school.", FRIDAY, "2026-02-10", None, 1),
        # the event's date, not the report's
        ("The ministry said on Thursday that its forces struck the depot on Tuesday.", FRIDAY, "2026-02-10", None, 1),
        # ... also when the parse hangs the report's date on the reported clause
        ("Rebel commanders said on Thursday they had taken the bridge on Tuesday.", FRIDAY, "2026-02-10", None, 1),
        ("Rescuers pulled two bodies out on Friday after Sunday's strike.", FRIDAY, "2026-02-08", None, 1),
        ("On 5 January 2026, residents protested against last month's arrests.", date(2026, 1, 9), "2026-01-05", None, 1),
    ],
)
def test_resolve_date(sentence, published, start, end, precision):
    d = resolve_date(sentence, published)
    assert d is not None
    assert (d.start.isoformat(), d.end.isoformat() if d.end else None, d.precision) == (start, end, precision)
    assert d.explicit


@pytest.mark.parametrize(
    "sentence",
    [
        "The strike destroyed a warehouse.",
        "The ceasefire held for three days.",
        "A 12-year-old boy was among the wounded.",
    ],
)
def test_no_date_said_is_none(sentence):
    assert resolve_date(sentence, FRIDAY) is None


def test_the_trace_names_the_expression_and_its_rule():
    d = resolve_date("Fighting over the weekend near the river killed five fighters.", FRIDAY)
    assert d.trace.startswith("weekend: 'over the weekend'")


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31), date(1, 1, 3)])
@pytest.mark.parametrize(
    "sentence",
    [
        "A strike hit the depot on Monday.",
        "Shelling yesterday killed two.",
        "Troops fought around the town last week.",
        "Talks will be held next week.",
        "Fighting over the weekend killed five.",
        "A strike killed one person on Dec. 30.",
        "Three houses were burned earlier this month.",
        "The fighting began in 2014.",
    ],
)
def test_absurd_publication_dates_never_raise(sentence, published):
    d = resolve_date(sentence, published)
    assert d is None or isinstance(d.start, date)
    assert is_background(sentence, d, published) in (True, False)


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31), None])
def test_a_full_date_needs_no_publication_date(published):
    assert resolve_date("On 1 April 2025, four men were abducted.", published).start == date(2025, 4, 1)


def test_relative_dates_need_a_publication_date():
    assert resolve_date("A strike hit the depot on Monday.", None) is None


@pytest.mark.parametrize(
    "sentence, future",
    [
        ("Talks will be held next week.", True),
        ("Russia could strike the capital again next week, the ministry warned.", True),
        ("The talks are due on Monday.", True),
        ("Officials are set to meet in Doha.", True),
        ("A strike hit the depot on Monday.", False),
        ("The ministry said it had shot down 40 drones.", False),
    ],
)
def test_is_future(sentence, future):
    assert is_future(sentence) is future


@pytest.mark.parametrize(
    "sentence, published, background",
    [
        ("The fighting that began in 2014 was never truly frozen.", FRIDAY, True),
        ("The first talks, held in Turkey in 2022, produced a draft.", FRIDAY, True),
        ("A year ago, the same market was hit by a rocket.", FRIDAY, True),
        ("Last year, militants overran the base.", FRIDAY, True),
        ("Residents gathered on the anniversary of the massacre.", FRIDAY, True),
        ("The city is attacked almost every night.", FRIDAY, True),
        ("Since the start of the war, the town has lost half its people.", FRIDAY, True),
        ("The militia, which seized the city in October, has blocked the road.", FRIDAY, True),
        ("In March 2022, troops withdrew from the area.", FRIDAY, True),
        ("Gunmen attacked a bus on Monday.", FRIDAY, False),
        ("A drone hit a school in the city.", FRIDAY, False),
        # an old event told with its full date is history kept as such, not background
        ("On Feb. 3 2023, a missile slammed into an apartment block, killing four.", date(2026, 2, 3), False),
    ],
)
def test_background(sentence, published, background):
    assert is_background(sentence, resolve_date(sentence, published), published) is background


@pytest.mark.parametrize(
    "sentence, year",
    [
        ("The first talks, held in Turkey in 2022, produced a draft.", 2022),
        ("The war began in early 2014.", 2014),
        ("Last year, militants overran the base.", 2025),
        ("In 2026 the front barely moved.", None),
        ("A drone hit a school.", None),
    ],
)
def test_background_year(sentence, year):
    assert background_year(sentence, FRIDAY) == year


@pytest.mark.parametrize(
    "sentence, explicit",
    [
        ("A strike hit the depot on Monday.", True),
        ("Shelling yesterday killed two.", True),
        ("The missile hit the city on Feb. 3.", True),
        ("Fighting intensified last week.", True),
        ("Troops withdrew from the area in March 2022.", False),
        ("The war began in 2014.", False),
        ("The strike destroyed a warehouse.", False),
    ],
)
def test_is_explicit(sentence, explicit):
    assert is_explicit(sentence) is explicit


def test_a_span_of_a_parsed_document_is_not_parsed_again(parse_then_forbid):
    doc = parse_then_forbid("The ministry spoke on Friday. A drone hit a bus on Tuesday, killing two.")
    second = list(doc.sents)[1]
    assert resolve_date(second, FRIDAY).start == date(2026, 2, 10)
    assert is_future(second) is False and is_explicit(second) is True
