"""When an event happened, from what the sentence says and the day the article was published.

"overnight into Sunday", "on Monday", "Thursday and Friday next week" (a range), "Feb. 3 2023",
"yesterday", "last week" (time_precision 2, ACLED), "earlier this month" (3). Weekdays resolve
to the past for past-tense sentences and to the future for "will be held" ones.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved date: `start`, optional `end`, ACLED `precision` (1 day, 2 week, 3 month)."""

    start: date
    end: date | None = None
    precision: int = 1
    explicit: bool = True  # False when nothing in the text said when: the publication date


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_MDY = re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?")
_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?")
_MONTH_YEAR = re.compile(rf"\b(?:in\s+|since\s+|of\s+)?{_MON}\s+(?P<y>(?:19|20)\d\d)\b")
_OVERNIGHT = re.compile(rf"\bovernight\s+(?:from\s+|on\s+)?(?:{_WD}\s+)?(?:to|into|on)\s+{_WD}\b|\b(?:on\s+)?{_WD}\s+night\s+(?:into|to)\s+{_WD}\b")
_OVERNIGHT_ON = re.compile(rf"\b(?:overnight\s+on\s+|on\s+){_WD}\s+night\b|\bovernight\s+on\s+{_WD}\b")
_PAIR = re.compile(rf"\b(?:on\s+|from\s+|between\s+)?{_WD}\s+(?:and|to|through|-)\s+{_WD}(?P<next>\s+(?:of\s+)?next\s+week)?\b")
_NEXT_WD = re.compile(rf"\b(?:next|this\s+coming|coming)\s+{_WD}\b|\b{_WD}\s+(?:of\s+)?next\s+week\b")
_LAST_WD = re.compile(rf"\blast\s+{_WD}\b")
_WD_ANY = re.compile(rf"\b{_WD}\b")
_DAYS_AGO = re.compile(r"\b(?P<n>\d+|two|three|four|five|six|seven|ten)\s+days\s+ago\b")
_REL = re.compile(
    r"\b(?P<w>yesterday|the\s+day\s+before|today|this\s+morning|this\s+afternoon|this\s+evening|tonight|"
    r"earlier\s+today|overnight|tomorrow|last\s+night|last\s+week|this\s+week|earlier\s+this\s+week|"
    r"next\s+week|last\s+month|earlier\s+this\s+month|this\s+month|next\s+month|last\s+weekend|this\s+weekend)\b"
)
FUTURE = re.compile(
    r"\b(will|shall|'ll|is\s+due|are\s+due|due\s+to|is\s+set\s+to|are\s+set\s+to|scheduled|"
    r"is\s+expected\s+to|are\s+expected\s+to|plans?\s+to|planned\s+for|upcoming|to\s+be\s+held|"
    r"would\s+be\s+held|is\s+to\s+(?:be|take|visit|hold|meet)|are\s+to\s+(?:be|take|hold|meet)|next\s+week|next\s+month)\b",
    re.I,
)
_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def is_future(text: str) -> bool:
    """True when the sentence speaks of something still to come ("talks will be held")."""
    return bool(FUTURE.search(text))


def resolve_date(text: str, published: date | None, *, future: bool | None = None) -> DateSpan | None:
    """The date span a sentence gives, resolved against `published` (None: nothing said).

    Relative expressions need `published`; explicit dates ("Feb. 3 2023") do not.
    """
    s = text.lower().replace("–", "-").replace("’", "'")
    fut = is_future(text) if future is None else future

    m = _ISO.search(s)
    if m:
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return DateSpan(d)
    for rx in (_MDY, _DMY):
        m = rx.search(s)
        if m:
            d = _month_day(m, published, fut)
            if d:
                return DateSpan(d)
    m = _MONTH_YEAR.search(s)
    if m:
        return DateSpan(date(int(m["y"]), MONTHS[m["mon"]], 1), precision=3)
    if published is None:
        return None

    m = _OVERNIGHT.search(s)
    if m:
        target = m.group(2) or m.group(4)
        return DateSpan(_weekday(published, target, future=fut))
    m = _OVERNIGHT_ON.search(s)
    if m:
        target = next(g for g in m.groups() if g)
        return DateSpan(_weekday(published, target, future=fut))
    m = _PAIR.search(s)
    if m:
        first, second = m.group(1), m.group(2)
        if m.group("next"):
            a = _next_week(published, first)
            b = _next_week(published, second)
        else:
            a = _weekday(published, first, future=fut)
            b = a + timedelta(days=(WEEKDAYS.index(second) - WEEKDAYS.index(first)) % 7)
        return DateSpan(a, b if b != a else None)
    m = _NEXT_WD.search(s)
    if m:
        wd = m.group(1) or m.group(2)
        if m.group(2):  # "Tuesday next week"
            return DateSpan(_next_week(published, wd))
        return DateSpan(_weekday(published, wd, future=True))
    m = _LAST_WD.search(s)
    if m:
        return DateSpan(_weekday(published, m.group(1), future=False, strict=True))
    m = _DAYS_AGO.search(s)
    if m:
        n = int(m["n"]) if m["n"].isdigit() else _NUM[m["n"]]
        return DateSpan(published - timedelta(days=n))
    wd, reporting = _event_weekday(s)
    rel = _REL.search(s)
    if wd and not (reporting and rel):
        return DateSpan(_weekday(published, wd, future=fut))
    if rel:
        return _relative(re.sub(r"\s+", " ", rel["w"]), published)
    return None


_REPORTED_ON = re.compile(
    r"\b(?:said|says|reported|announced|added|wrote|posted|stated|confirmed|told\s+[\w\s]{1,30}?|statement|"
    r"update|briefing|pulled|recovered)\s+(?:[\w\s]{0,25}?\s)?(?:late\s+|early\s+)?on\s+$"
)


def _event_weekday(s: str) -> tuple[str | None, bool]:
    """The weekday of the event, not of the reporting: "said on Wednesday that ... on Tuesday"
    is Tuesday, "Sunday's strike" is Sunday. The flag says only a reporting day was found."""
    found = list(_WD_ANY.finditer(s))
    if not found:
        return None, False
    for m in found:
        if s[m.end():m.end() + 2] == "'s":
            return m.group(1), False
    for m in found:
        if not _REPORTED_ON.search(s[max(0, m.start() - 60):m.start()]):
            return m.group(1), False
    return found[-1].group(1), True


def background_year(text: str, published: date | None) -> int | None:
    """A past year the sentence places itself in ("began in 2014", "held in Turkey in 2022")."""
    ref = published.year if published else None
    for m in re.finditer(r"\b(?:in|since|of|from|during|until|by)\s+(?:early\s+|late\s+|mid-?)?(?:\w+\s+)?((?:19|20)\d\d)\b", text):
        year = int(m.group(1))
        if ref is None or year < ref:
            return year
    return None


def _month_day(m: re.Match, published: date | None, future: bool) -> date | None:
    month = MONTHS[m["mon"]]
    day = int(m["d"])
    if m["y"]:
        return _safe_date(int(m["y"]), month, day)
    if published is None:
        return None
    d = _safe_date(published.year, month, day)
    if d is None:
        return None
    # "on Dec. 30" in a January story is last year; "on Jan. 3" in December is next year if ahead.
    if not future and d > published + timedelta(days=7):
        d = _safe_date(published.year - 1, month, day)
    elif future and d < published - timedelta(days=7):
        d = _safe_date(published.year + 1, month, day)
    return d


def _weekday(published: date, name: str, *, future: bool, strict: bool = False) -> date:
    """The `name` weekday nearest `published`: on/before it (past) or on/after it (future)."""
    target = WEEKDAYS.index(name)
    if future:
        delta = (target - published.weekday()) % 7
        return published + timedelta(days=delta or (7 if strict else 0))
    delta = (published.weekday() - target) % 7
    if strict and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _next_week(published: date, name: str) -> date:
    monday = published - timedelta(days=published.weekday()) + timedelta(days=7)
    return monday + timedelta(days=WEEKDAYS.index(name))


def _relative(w: str, published: date) -> DateSpan:
    monday = published - timedelta(days=published.weekday())
    if w in ("yesterday", "the day before", "last night"):
        return DateSpan(published - timedelta(days=1))
    if w == "tomorrow":
        return DateSpan(published + timedelta(days=1))
    if w == "last week":
        return DateSpan(monday - timedelta(days=7), monday - timedelta(days=1), precision=2)
    if w in ("this week", "earlier this week"):
        return DateSpan(monday, published if w.startswith("earlier") else monday + timedelta(days=6), precision=2)
    if w == "next week":
        return DateSpan(monday + timedelta(days=7), monday + timedelta(days=13), precision=2)
    if w in ("last weekend",):
        sat = monday - timedelta(days=2)
        return DateSpan(sat, sat + timedelta(days=1))
    if w == "this weekend":
        sat = monday + timedelta(days=5)
        return DateSpan(sat, sat + timedelta(days=1))
    if w == "last month":
        first = (published.replace(day=1) - timedelta(days=1)).replace(day=1)
        return DateSpan(first, _month_end(first), precision=3)
    if w in ("this month", "earlier this month"):
        first = published.replace(day=1)
        return DateSpan(first, published if w.startswith("earlier") else _month_end(first), precision=3)
    if w == "next month":
        first = (published.replace(day=28) + timedelta(days=4)).replace(day=1)
        return DateSpan(first, _month_end(first), precision=3)
    return DateSpan(published)  # today, this morning, overnight, tonight


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
