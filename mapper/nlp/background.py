"""News or background: does a sentence report something that just happened?

"The fighting that began in 2014", "the first talks, held in Turkey in 2022", "is attacked almost
every night", "which seized El Fasher in October": history and habit, not a new incident. An
older event told with its full date is not background: it is kept as a historical incident.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mapper.nlp.dates import DateSpan, background_year

HISTORICAL_DAYS = 60  # an event dated further back than this is history, not news

_HABIT = re.compile(
    r"\b(?:regularly|usually|routinely|frequently|often|typically|every\s+(?:day|night|week)|daily|have\s+been|has\s+been|"
    r"had\s+been\s+reduced|years\s+of|months\s+of|since\s+the\s+(?:start|beginning)|before\s+the\s+war|pre-war|"
    r"(?:last|previous)\s+year|in\s+recent\s+(?:days|weeks|months|years)|kept\s+up|"
    r"(?:\w+\s+)?(?:days?|a\s+week|weeks|months?|years?)\s+(?:after|since)|"
    r"so\s+far\s+this\s+year|since\s+(?:January|February|March|April|May|June|July|August|September|October|November|December))\b",
)  # case-sensitive: "Example Daily" is a newspaper, not a habit

_IN_MONTH = re.compile(r"\b(?:in|since|during|until)\s+(?:early\s+|late\s+|mid-)?(January|February|March|April|May|June|July|"
                       r"August|September|October|November|December)\b(?!\s+\d)")


def _past_month(text: str, published: date) -> bool:
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    return any(months.index(m.group(1)) + 1 != published.month for m in _IN_MONTH.finditer(text))


def is_explicit(text: str) -> bool:
    """True when the sentence itself says when (a weekday, "yesterday", "Feb. 3"), not just the story."""
    return bool(re.search(
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|tonight|overnight|"
        r"last\s+(?:night|week|month)|this\s+(?:morning|week|month)|next\s+week|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3}|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{4}-\d\d-\d\d|days?\s+ago)\b",
        text, re.I))


def is_background(text: str, when: DateSpan | None, published: date | None) -> bool:
    """True when the sentence is history or habit rather than news (a dated old event is not)."""
    told = when is not None and when.explicit
    if when is not None and published and when.start < published - timedelta(days=HISTORICAL_DAYS):
        return when.precision != 1  # "On Feb. 3 2023, ...": history kept as such; "in March 2022": background
    if background_year(text, published) is not None and not told:
        return True
    if _HABIT.search(text) and not told:
        return True
    return bool(published and not told and _past_month(text, published))
