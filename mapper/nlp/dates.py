"""When an event happened, from the date expressions of its sentence and the publication date.

Expressions are found by Matcher patterns kept as data (`data/date_patterns.json`: weekdays,
"overnight into Sunday", "over the weekend", "last week", "19 March 2026", ...). spaCy's DATE
entities are not used: the clause parse runs no NER (it was 46% of its cost), and on the
benchmarks the entities the patterns missed were almost all noise ("annual", "daily", village
names). The one that dates the event is chosen from the parse: a date of the report ("the
ministry said on Thursday") last; before the rest a full date ("On 5 January 2026"), then a
possessive on an event ("Sunday's strike"), then the most precise, then the first. It is resolved by `dateparser` with the publication date as its
base, past dates preferred unless its clause speaks of the future ("will", "due to", "next
week"). The fixes news needs sit on top, as named resolvers:

- a week is a Monday-Sunday range, "over the weekend" a Saturday-Sunday range (time_precision 2);
  "earlier this month" runs from the 1st to the publication day (3);
- "overnight into Sunday", "late Sunday", "Sunday night" are Sunday; "Thursday and Friday next
  week" is a range;
- a weekday equal to the publication's weekday is that very day: a Monday story saying "on
  Monday" means today, whatever the tense (dateparser alone would go back or forward a week);
- "Feb. 3" without a year is this year's unless that is more than a week after publication
  (then last year's; the other way round for future clauses); so are the fixed holidays
  ("on New Year's Eve", "on Christmas Day").

An absurd publication date (0001-01-01, 9999-12-31) never raises: what cannot be resolved is None.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mapper.errors import IncidentMapError
from mapper.nlp.document import load_parser, parsed
from mapper.nlp.patterns import GatedMatcher, load_patterns, words_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

PATTERNS = "date_patterns"  # mapper/nlp/data/date_patterns.json
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY, WEEK, MONTH, YEAR = 1, 2, 3, 4  # how fine a date is; ACLED's time_precision stops at 3


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved date: `start`, optional `end`, ACLED `precision` (1 day, 2 week, 3 month)."""

    start: date
    end: date | None = None
    precision: int = 1
    explicit: bool = True  # False when nothing in the text said when: the publication date
    trace: str | None = field(default=None, compare=False)  # which expression and rule dated it
    # the clause dates only the report ("On Tuesday it said 11 had been killed"); the same day either way
    reported: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A stretch of text that says when, and the pattern that found it."""

    span: Span
    rule: str
    resolver: str


def resolve_date(source: str | Doc | Span, published: date | None, *, future: bool | None = None,
                 event: Token | None = None) -> DateSpan | None:
    """The date span a sentence gives its event, resolved against `published` (None: nothing said).

    `source` is a str (parsed once) or a Span/Doc of a parsed document (not parsed again).
    Relative expressions need `published`; full dates ("Feb. 3 2023") do not. `future` forces
    the tense; by default each expression's own clause decides. A date in a relative clause
    that does not hold the `event` word dates it only when nothing else does.
    """
    if isinstance(source, str):
        words = tokens(source)
        if not _rules(words.vocab).may_date(words):
            return None  # no number and no date word: no need to parse
    doc = parsed(source, copy=False)
    rules = _rules(doc.vocab)
    sentence_future = is_future(doc) if future is None else future
    best: tuple[tuple[int, ...], DateSpan] | None = None
    for expr in find_expressions(doc):
        fut = future if future is not None else rules.tense(expr.span, default=sentence_future)
        when = _resolve(expr, published, fut)
        if when is None:
            continue
        grain = YEAR if expr.resolver == "year" else when.precision
        full = grain == DAY and any(t.shape_ == "dddd" for t in expr.span)  # "On 5 January 2026"
        key = (1 if in_relative_clause(expr.span, event) else 0, 1 if rules.reporting(expr.span) else 0, 0 if full else 1,
               0 if rules.possessive(expr.span) else 1, grain, expr.span.start)
        if best is None or key < best[0]:
            best = (key, when)
    if best is not None and best[0][1]:
        return replace(best[1], reported=True)
    return best[1] if best else None


def find_expressions(source: str | Doc | Span) -> list[DateExpression]:
    """Date expressions in text order, found by the data patterns (a tokenizer is enough)."""
    if isinstance(source, str):
        return _find_expressions(source)
    return list(_find_expressions_cached(source))


@lru_cache(maxsize=16)  # one clause asks several times (its date, "explicit?", background): match once
def _find_expressions_cached(source: Doc | Span) -> tuple[DateExpression, ...]:
    return tuple(_find_expressions(source))


def _find_expressions(source: str | Doc | Span) -> list[DateExpression]:
    from spacy.util import filter_spans

    doc = tokens(source)
    rules = _rules(doc.vocab)
    if not rules.may_date(doc):
        return []
    by_span: dict[tuple[int, int], tuple[int, str, Span]] = {}  # keyed by offsets in the whole Doc
    for key, start, end in rules.matcher(doc):
        rule, found = doc.vocab.strings[key], doc[start:end]
        where = (found.start, found.end)
        if where not in by_span or rules.order[rule] < by_span[where][0]:
            by_span[where] = (rules.order[rule], rule, found)
    spans = filter_spans([found for _, _, found in by_span.values()])
    return [DateExpression(s, by_span[(s.start, s.end)][1], rules.resolver[by_span[(s.start, s.end)][1]]) for s in spans]


def is_future(source: str | Doc | Span, *, event: Token | None = None) -> bool:
    """True when the sentence speaks of something still to come ("talks will be held", "due on Monday").

    With the `event` word of a parsed clause, a future said only inside a relative or adverbial
    clause that does not hold it is about something else ("signed an agreement under which
    fighters would withdraw", "defused a bomb shortly before a convoy was due to pass")."""
    if isinstance(source, str):
        return _is_future(source)
    if event is None or not source.doc.has_annotation("DEP"):
        return _is_future_cached(source)
    if any(c.dep_ == "amod" and c.lower_ in _PLANNED for t in (event, *event.ancestors) for c in t.children):
        return True  # "to join the planned offensive operations": the event is one still to come
    doc = tokens(source)
    for _, start, _end in _rules(doc.vocab).future(doc):
        tok = doc[start]
        sub = next((a for a in (tok, *tok.ancestors) if a.dep_ in _SUBORDINATE or _wh_clause(a)), None)
        if sub is None or sub.left_edge.i <= event.i <= sub.right_edge.i:
            return True
    return False


_PLANNED = frozenset({"planned", "proposed", "upcoming", "forthcoming"})  # an event noun they modify is still to come
_SUBORDINATE = frozenset({"relcl", "acl", "advcl"})  # clauses that tell of a noun or of the time around the event


def _wh_clause(verb: Token) -> bool:
    """A clause opened by "under which", "by which", "whereby" that the parse did not hang as relative
    ("signed an agreement in Pasto under which 150 fighters will gather")."""
    return verb.pos_ in ("VERB", "AUX") and any(
        w.lower_ in ("which", "whereby") and w.i < verb.i and (w.dep_ == "pobj" or w.lower_ == "whereby") for w in verb.subtree)


def _is_future(source: str | Doc | Span) -> bool:
    doc = tokens(source)
    return bool(_rules(doc.vocab).future(doc))


@lru_cache(maxsize=16)
def _is_future_cached(source: Doc | Span) -> bool:
    return _is_future(source)


def in_relative_clause(span: Span, event: Token | None = None) -> bool:
    """The words belong to a relative clause ("a siege of the town that began in December 2024",
    "the clinic, where families had been staying") that does not hold the `event` word: they
    tell about a noun, not when the clause's own event happened, nor that it is history ("an
    area where the army has fought for two years" holds its event). False without a parse."""
    if not span.doc.has_annotation("DEP"):
        return False
    t = span[0]
    rel = next((a for a in (t, *t.ancestors) if a.dep_ == "relcl"), None)
    return rel is not None and (event is None or event.doc is not rel.doc or not (
        rel.left_edge.i <= event.i <= rel.right_edge.i or _tells_onset(rel, event)))


_ONSET = frozenset("break erupt begin start flare rage last continue go".split())


def _tells_onset(rel: Token, event: Token) -> bool:
    """"fighting in the city of Zawiya that broke out late on Monday": a clause on when the event
    noun began or lasted, whichever noun of its phrase the parse hung it on."""
    if rel.lemma_.lower() not in _ONSET or event.pos_ != "NOUN" or rel.lemma_.lower() in ("go", "break") and not any(
            c.dep_ == "prt" and c.lower_ in ("on", "out") for c in rel.children):
        return False
    head = rel.head
    while head.i != event.i and head.dep_ in ("pobj", "prep") and head.head.i != head.i:
        head = head.head
    return head.i == event.i


def token_at(source: Doc | Span, offset: int | None) -> Token | None:
    """The token of a parsed clause at character `offset` of its text (None when none)."""
    if offset is None:
        return None
    at = offset + (source[0].idx if len(source) else 0)
    return next((t for t in source if t.idx <= at < t.idx + len(t.text)), None)


def background_year(source: str | Doc | Span, published: date | None, event: Token | None = None) -> int | None:
    """A past year the sentence places itself in ("began in 2014", "held in Turkey in 2022", "last year")."""
    for expr in find_expressions(source):
        if expr.resolver != "year" and expr.rule != "month_year" or in_relative_clause(expr.span, event):
            continue
        year = _year_of(expr.span, published)
        if year is not None and (published is None or year < published.year):
            return year
    return None


# --- resolvers: one per kind of expression ------------------------------------------------------


def _resolve(expr: DateExpression, published: date | None, future: bool) -> DateSpan | None:
    try:
        when = _RESOLVERS[expr.resolver](expr.span, published, future)
    except (OverflowError, ValueError):
        return None  # an absurd publication date (year 1 or 9999) leaves nothing to count from
    if when is None:
        return None
    trace = f"{expr.rule}: {expr.span.text!r} ({'future' if future else 'past'})"
    return DateSpan(when.start, when.end, when.precision, True, trace)


def _by_dateparser(span: Span, published: date | None, future: bool) -> DateSpan | None:
    text = _clean(span)
    if published is None and not any(t.shape_ == "dddd" for t in span):
        return None  # relative to nothing: never to the clock
    found = _dateparser(text, published, "future" if future else "past")
    if found is None:
        return None
    day, period = found
    if period == "week":
        return _week_of(day)
    if period == "month":
        return _month_of(day)
    if period == "year":
        return DateSpan(date(day.year, 1, 1), date(day.year, 12, 31), precision=3)
    return DateSpan(day)


def _month_day(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"Feb. 3", "3 March": this year's, unless more than a week after publication (last year's)."""
    if published is None:
        return None
    found = _dateparser(_clean(span), published, "current_period")
    if found is None:
        return None
    day = found[0].replace(year=published.year)
    if not future and day > published + timedelta(days=7):
        day = day.replace(year=published.year - 1)
    elif future and day < published - timedelta(days=7):
        day = day.replace(year=published.year + 1)
    return DateSpan(day)


# Holidays on a fixed day of the year, by the words of their name
_HOLIDAYS = {("new", "day"): (1, 1), ("new", "eve"): (12, 31), ("christmas", "day"): (12, 25),
             ("christmas", "eve"): (12, 24), ("christmas", None): (12, 25), ("boxing", "day"): (12, 26),
             ("international", "day"): (3, 8)}


def _holiday(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"on New Year's Eve", "on Christmas Day": the nearest such day (within a week ahead of the
    report it is this year's, as for "Feb. 3"), across the turn of the year."""
    words = [t.lower_ for t in span if t.lower_ not in ("on", "over", "at", "during")]
    month_day = _HOLIDAYS.get((words[0], words[-1] if words[-1] in ("day", "eve") else None))
    if published is None or month_day is None:
        return None
    day = date(published.year, *month_day)
    if not future and day > published + timedelta(days=7):
        day = day.replace(year=published.year - 1)
    elif future and day < published - timedelta(days=7):
        day = day.replace(year=published.year + 1)
    return DateSpan(day)


def _weekday(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"on Monday", "late Sunday", "Sunday night": the nearest such day, today if it is today."""
    names = _weekdays(span)
    if published is None or not names:
        return None
    if published.weekday() == names[-1]:
        return DateSpan(published)  # a Monday story saying "on Monday" means that day
    found = _dateparser(WEEKDAYS[names[-1]], published, "future" if future else "past")
    return DateSpan(found[0]) if found else None


def _night_into(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"overnight into Sunday", "Saturday night into Sunday": the morning it ended."""
    return _weekday(span, published, future)


def _last_weekday(span: Span, published: date | None, future: bool) -> DateSpan | None:
    names = _weekdays(span)
    if published is None or not names:
        return None
    return DateSpan(published - timedelta(days=(published.weekday() - names[-1]) % 7 or 7))


def _next_weekday(span: Span, published: date | None, future: bool) -> DateSpan | None:
    names = _weekdays(span)
    if published is None or not names:
        return None
    return DateSpan(published + timedelta(days=(names[-1] - published.weekday()) % 7 or 7))


def _weekday_next_week(span: Span, published: date | None, future: bool) -> DateSpan | None:
    names = _weekdays(span)
    if published is None or not names:
        return None
    return DateSpan(_monday(published) + timedelta(days=7 + names[0]))


def _weekday_range(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"on Tuesday and Wednesday next week", "Thursday to Saturday": a range of days."""
    names = _weekdays(span)
    if published is None or len(names) < 2:
        return None
    if any(t.lower_ == "next" for t in span):
        first = _monday(published) + timedelta(days=7 + names[0])
    else:
        one = _weekday(span[:1], published, future)
        if one is None:
            return None
        first = one.start
    last = first + timedelta(days=(names[-1] - names[0]) % 7)
    return DateSpan(first, last if last != first else None)


def _weekend(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"over the weekend": the Saturday and Sunday of the weekend told (time_precision 2)."""
    if published is None:
        return None
    words = {t.lower_ for t in span}
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)  # the last Saturday, today included
    if words & {"last", "past", "previous"}:
        if published.weekday() >= 5:
            saturday -= timedelta(days=7)
    elif words & {"next", "coming"} or future:
        saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        if words & {"next"} and published.weekday() >= 5:
            saturday += timedelta(days=7)
    return DateSpan(saturday, saturday + timedelta(days=1), precision=2)


def _week(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"last week" (the Monday-Sunday before), "earlier this week" (Monday to today), "next week"."""
    if published is None:
        return None
    words = {t.lower_ for t in span}
    if "past" in words:
        return DateSpan(published - timedelta(days=7), published, precision=2)
    if "this" in words:
        monday = _monday(published)
        if "earlier" in words:
            return DateSpan(monday, published, precision=2)
        if "later" in words:
            return DateSpan(published, monday + timedelta(days=6), precision=2)
        return DateSpan(monday, monday + timedelta(days=6), precision=2)
    found = _dateparser(_clean(span).replace("previous", "last"), published, "future" if future else "past")
    return _week_of(found[0]) if found else None


def _month(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"last month", "earlier this month" (the 1st to today), "next month": time_precision 3."""
    if published is None:
        return None
    words = {t.lower_ for t in span}
    if "this" in words:
        whole = _month_of(published)
        if "earlier" in words:
            return DateSpan(whole.start, published, precision=3)
        return whole
    if "past" in words:
        return DateSpan(published - timedelta(days=30), published, precision=3)
    found = _dateparser(_clean(span).replace("previous", "last"), published, "future" if future else "past")
    return _month_of(found[0]) if found else None


def _month_name(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"in October": the nearest such month, before publication for past clauses."""
    if published is None:
        return None
    month = next((t.lower_ for t in span if t.lower_ in _MONTHS), None)
    if month is None:
        return None
    found = _dateparser(month, published, "future" if future else "past")
    return _month_of(found[0]) if found else None


def _year(span: Span, published: date | None, future: bool) -> DateSpan | None:
    year = _year_of(span, published)
    if year is None:
        return None
    return DateSpan(date(year, 1, 1), date(year, 12, 31), precision=3)


def _today(span: Span, published: date | None, future: bool) -> DateSpan | None:
    return DateSpan(published) if published else None


def _days_before(span: Span, published: date | None, future: bool) -> DateSpan | None:
    """"last night", "the day before": the day before publication ("the day before yesterday": two)."""
    if published is None:
        return None
    return DateSpan(published - timedelta(days=2 if any(t.lower_ == "yesterday" for t in span) else 1))


_RESOLVERS: dict[str, Callable[[Any, date | None, bool], DateSpan | None]] = {
    "dateparser": _by_dateparser, "month_day": _month_day, "weekday": _weekday, "night_into": _night_into,
    "last_weekday": _last_weekday, "next_weekday": _next_weekday, "weekday_next_week": _weekday_next_week,
    "weekday_range": _weekday_range, "weekend": _weekend, "week": _week, "month": _month,
    "month_name": _month_name, "year": _year, "today": _today, "days_before": _days_before, "holiday": _holiday,
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


# --- helpers -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _dateparser(text: str, published: date | None, prefer: str) -> tuple[date, str] | None:
    """dateparser's reading of `text` against `published`: the day and its period (day, week, month, year).

    Memoised: a pure function of its arguments, and a day's stories repeat "on Monday" and "last week"."""
    parser = _date_parser(published, prefer)
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=64)
def _date_parser(published: date | None, prefer: str) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first",
                                "RETURN_TIME_AS_PERIOD": True, "REQUIRE_PARTS": []}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    return DateDataParser(languages=["en"], settings=settings)


def _clean(span: Span) -> str:
    """The expression as dateparser reads it: no leading preposition, no "late"/"overnight"."""
    words = [t.text for t in span if t.lower_ not in _NOISE]
    return " ".join(words).replace(" ,", ",")


_NOISE = frozenset({"on", "in", "at", "the", "of", "since", "during", "until", "till", "by", "from", "before",
                    "after", "throughout", "late", "early", "mid", "mid-", "overnight", "over"})


def _weekdays(span: Span) -> list[int]:
    return [i for t in span for i, name in enumerate(WEEKDAYS) if len(t.lower_) >= 3 and name.startswith(t.lower_.rstrip("."))]


def _year_of(span: Span, published: date | None) -> int | None:
    for t in span:
        if t.shape_ == "dddd" and t.text.isdigit() and 1800 <= int(t.text) < 2200:  # not "of 1500 soldiers"
            return int(t.text)
    if any(t.lower_ == "year" for t in span) and published is not None:
        return published.year - 1  # "last year"
    return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_of(day: date) -> DateSpan:
    monday = _monday(day)
    return DateSpan(monday, monday + timedelta(days=6), precision=2)


def _month_of(day: date) -> DateSpan:
    first = day.replace(day=1)
    return DateSpan(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]), precision=3)


def tokens(source: str | Doc | Span) -> Doc | Span:
    """Tokens for token patterns: a str is only tokenized (no model runs); a Doc or Span is read as it is."""
    if isinstance(source, str):
        return load_parser().make_doc(source)
    return source


# --- the rules, loaded from data ---------------------------------------------------------------


# Verbs that revise a figure and the figures they revise ("raised the death toll to 14 on Thursday").
_REVISING = frozenset("raise revise lower update put bring".split())
_TOLLS = frozenset("toll count number figure tally".split())


class _Rules:
    """date_patterns.json compiled for one vocabulary."""

    def __init__(self, data: dict[str, Any], vocab: Vocab):
        self.order: dict[str, int] = {}
        self.resolver: dict[str, str] = {}
        # Each pattern runs only around its rarest word ("Monday", "ago", a number): see GatedMatcher.
        self.matcher = GatedMatcher(vocab)
        for n, expr in enumerate(data["expressions"]):
            if expr["resolve"] not in _RESOLVERS:
                raise IncidentMapError(f"{PATTERNS}.json: {expr['id']!r} names no resolver: {expr['resolve']!r}")
            self.matcher.add(expr["id"], [expr["pattern"]])
            self.order[expr["id"]] = n
            self.resolver[expr["id"]] = expr["resolve"]
        self.gate = frozenset(w for expr in data["expressions"] for node in expr["pattern"]
                              for w in words_of(node.get("LOWER")))
        self.future = GatedMatcher(vocab)
        self.future.add("future", data["future"])
        self.reporting_verbs = frozenset(data["reporting"])
        self.future_heads = frozenset(data["future_heads"])

    def may_date(self, doc: Doc) -> bool:
        """False when no token could be part of a date (no number, no date word): the patterns need not run."""
        return any(t.lower_ in self.gate or t.is_digit or t.like_num for t in doc)

    def possessive(self, span: Span) -> bool:
        """"Sunday's strike": the date of the event itself."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].tag_ == "POS" or span[-1].lower_.endswith("'s")

    def governor(self, span: Span) -> Token | None:
        t = span.root
        while t.head.i != t.i:
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
        return t if t.pos_ in ("VERB", "AUX") else None

    def reporting(self, span: Span) -> bool:
        """"the ministry said on Thursday that ...": the date of the report, not of the event.

        By the parse, or by the words when the parse hangs the date on the reported clause
        ("forces said on Thursday they had taken the town on Wednesday")."""
        verb = self.governor(span)
        if verb is not None and verb.lemma_.lower() in self.reporting_verbs:
            return True
        possessive = self.possessive(span)  # "Sunday's strike": the event's own date
        if verb is not None and not possessive and verb.lemma_.lower() in _REVISING and any(
                c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in _TOLLS for c in verb.children):
            return True  # "raised the death toll to 14 on Thursday": the day of the figure, not of the fighting
        doc, i = span.doc, span.start - 1
        if i >= 0 and doc[i].lower_ == "by" and not possessive:
            return True  # "By Monday evening, 13 bodies had been recovered": the count as of then (not "by Monday's strike")
        while i >= 0 and doc[i].lower_ in ("on", "late", "early"):
            i -= 1
        return i >= 0 and doc[i].pos_ in ("VERB", "AUX") and doc[i].lemma_.lower() in self.reporting_verbs

    def tense(self, span: Span, *, default: bool) -> bool:
        """True when the expression's clause speaks of the future ("will meet on Monday")."""
        words = {t.lower_ for t in span}
        if words & {"next", "coming", "tomorrow"}:
            return True
        if words & {"last", "yesterday", "ago", "previous", "past", "earlier"}:
            return False
        verb = self.governor(span)
        if verb is None:
            return default
        chain = [verb, *list(verb.ancestors)[:2]]
        if any(c.lower_ in ("will", "shall", "'ll", "wo") for v in chain for c in v.children) or any(
                v.lemma_.lower() in self.future_heads and not _past_act(v) for v in chain):
            return True
        if verb.tag_ == "VBD" or any(c.lemma_.lower() in ("have", "do") and c.dep_ == "aux" for c in verb.children):
            return False
        return default


def _past_act(verb: Token) -> bool:
    """A word that heads plans ("set to meet", "agreed to hold") told as a past act with no
    infinitive after it: "rebels set fire to a school", "drones had set fuel tanks ablaze" happened."""
    past = verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
    return past and not any(c.dep_ == "xcomp" for c in verb.children)


@lru_cache(maxsize=4)
def _rules(vocab: Vocab) -> _Rules:
    """The patterns compiled for `vocab` (one per pipeline; built once)."""
    return _Rules(load_patterns(PATTERNS, words="words"), vocab)

