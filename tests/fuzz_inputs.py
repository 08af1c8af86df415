"""Hypothesis strategies for the fuzz tests (tests/test_fuzz_*.py): what hostile users and careless
feeds send. Mostly garbage, some of it almost right, some of it real news prose, so that every
path (refused early, refused late, extracted and stored) is exercised.

The profile is bounded and derandomized: the same examples every run, under a minute in all.
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz", derandomize=True, deadline=None, print_blob=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")

# Words and phrases of our own news style, places included, so some inputs read as articles.
PHRASES = (
    "A Russian drone struck", "a residential building in Kharkiv", "overnight,", "killing two people",
    "and injuring five,", "the regional governor said on Friday.", "Shelling hit Nikopol on Tuesday.",
    "In Odesa, a missile damaged the port", "last week", "next week", "on Monday", "according to officials.",
    "Talks will be held in Geneva", "Ukraine's air force said it shot down 40 drones", "near Kupiansk",
    "Sudanese paramilitary fighters attacked El Fasher", "dozens were wounded", "\n\n", "—", "«Харків»",
)
NASTY = (
    "\x00", "\ud83d", "\udc00", "\u202e", "\u2066", "\x1b[31m", "\r\n", "\ufeff", "\u00a0", "=" * 300, "!?" * 50,
    "(" * 100, "\U0001F600" * 40, "%s%n", "'; DROP TABLE incidents; --", "<script>alert(1)</script>", "\\", "\t",
    "9" * 40, "0001-01-01", "9999-12-31", "2026-13-45", "2026-02-30", "NaN", "-0", "1e309",
)

chars = st.characters(categories=["L", "N", "P", "S", "Z", "Cc", "Cs", "Cf"])
nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(chars, max_size=20)), max_size=6).map("".join)
prose = st.lists(st.sampled_from(PHRASES), min_size=4, max_size=16).map(" ".join)
text = st.one_of(nasty_text, prose, st.tuples(prose, nasty_text, prose).map(" ".join))

iso_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
date_values = st.one_of(iso_dates, nasty_text, st.integers(), st.none(), st.sampled_from(["2026-02-13", "2026-02-13T05:00:00Z"]))

json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(chars, max_size=30))
json_values = st.recursive(json_leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)

records = st.fixed_dictionaries({}, optional={
    "text": st.one_of(text, json_values),
    "html": st.one_of(text.map(lambda t: f"<html><body><article><p>{t}</p></article></body></html>"), json_values),
    "published": date_values, "date": date_values,
    "url": st.one_of(nasty_text, st.just("https://example-wire.test/a"), json_values),
    "title": st.one_of(nasty_text, prose, json_values), "source": st.one_of(nasty_text, json_values),
})


# Almost right: real prose with hostile trimmings, a date that is usually plausible.
likely_dates = st.one_of(st.sampled_from(["2026-02-13", "2026-02-20", "2025-12-31"]), date_values)
articles_ish = st.fixed_dictionaries(
    {"text": st.one_of(prose, st.tuples(prose, nasty_text, prose).map(" ".join))},
    optional={"published": likely_dates, "title": nasty_text, "source": nasty_text,
              "url": st.one_of(nasty_text, st.just("https://example-wire.test/a"))},
)


def deep(n: int) -> str:
    return "[" * n + "]" * n


def dumps(value: object) -> str:
    """JSON as a feed would write it: surrogates escaped (json.dumps does), NaN as the bare word."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True)


json_documents = st.one_of(
    records.map(dumps),
    json_values.map(dumps),
    st.integers(1_000, 200_000).map(deep),
    st.lists(records, max_size=3).map(dumps),
    nasty_text,
)

# Query strings for the filters: known keys with hostile values, and unknown keys.
FILTER_KEYS = ("since", "until", "type", "actor", "country", "min_fatalities", "q", "bbox", "limit", "offset",
               "page", "sort", "dir", "focus", "view", "download", "contry")
filter_values = st.one_of(
    nasty_text, iso_dates, st.integers(-10**30, 10**30).map(str),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=3, max_size=5).map(lambda v: ",".join(map(str, v))),
    st.sampled_from(["strikes", "Battles", "UA", "ua", "Russia", "30,45,40,52", "-180,-90,180,90", "1e400"]),
)
query_params = st.dictionaries(st.sampled_from(FILTER_KEYS), filter_values, max_size=4)
