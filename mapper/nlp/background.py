"""News or background: does a sentence report something that just happened?

"The fighting that began in 2014", "the first talks, held in Turkey in 2022", "is attacked almost
every night", "which seized El Fasher in October", "a year ago", "on the anniversary of": history
and habit, not a new incident. Two signals: the date the sentence gives, when it lies more than
`HISTORICAL_DAYS` before publication, and wording kept as Matcher patterns in
`data/background_patterns.json`. An older event told with its full date ("On Feb. 3 2023, ...") is
not background: the builder keeps it as a historical incident with its own date, never as today's.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from mapper.nlp.dates import DateSpan, background_year, find_expressions, in_relative_clause, tokens
from mapper.nlp.patterns import GatedMatcher, load_patterns

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

HISTORICAL_DAYS = 60  # an event dated further back than this is history, not news
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def is_explicit(source: str | Doc | Span) -> bool:
    """True when the sentence itself says when at the grain of a day or a week ("on Monday",
    "yesterday", "Feb. 3", "last week", "earlier this month"), not only a month or a year."""
    return any(e.resolver not in ("year", "month_name") and e.rule != "month_year" for e in find_expressions(source))


def is_background(source: str | Doc | Span, when: DateSpan | None, published: date | None,
                  event: Token | None = None) -> bool:
    """True when the sentence is history or habit rather than news (a fully dated old event is not)."""
    told = when is not None and when.explicit
    if when is not None and published is not None and _long_before(when.start, published):
        return when.precision != 1  # "On Feb. 3 2023, ...": history kept as such; "in March 2022": background
    if told:
        return False
    if background_year(source, published, event) is not None:
        return True
    doc = tokens(source)
    if any(not in_relative_clause(doc[start:end], event) for _key, start, end in _wording(doc.vocab)(doc)):
        return True
    return published is not None and _other_month(doc, published, event)


def _long_before(day: date, published: date) -> bool:
    try:
        return day < published - timedelta(days=HISTORICAL_DAYS)
    except OverflowError:
        return False  # a publication date in year 1: nothing lies before it


def _other_month(doc: Doc, published: date, event: Token | None = None) -> bool:
    """"which seized El Fasher in October" in a February story: another month is history."""
    for expr in find_expressions(doc):
        if expr.rule == "month_only" and not in_relative_clause(expr.span, event):
            names = [t.lower_ for t in expr.span if t.lower_ in _MONTHS]
            if names and _MONTHS.index(names[0]) + 1 != published.month:
                return True
    return False


@lru_cache(maxsize=4)
def _wording(vocab: Vocab) -> GatedMatcher:
    matcher = GatedMatcher(vocab)
    matcher.add("background", load_patterns("background_patterns", words="words")["background"])
    return matcher
