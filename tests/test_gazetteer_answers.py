"""The gazetteer's short cuts give exactly the answers of its general ranking path.

`Gazetteer.geocode()` answers plain names and "<name> region" from answers stored at build time
(`gazetteer.answers`) and ranks "Town, Province" / `country=` lookups as lists; here each is
checked against the general path (short cuts switched off) on our table of places, phrases
built on them and a fixed sample of the index's own names.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gazetteer import phrases
from gazetteer.normalize import normalize_name

SHORT_CUTS = ("_rank_static", "_rank_region", "_rank_postings")
FIXED = [
    "Kyiv", "Kiev", "Lviv", "Sumy", "Gaza", "Ky", "Rome", "Odesa", "Odessa", "Одеса", "Kharkov", "Avdiyivka",
    "Volgograd region", "Kursk Oblast", "Donetsk oblast", "Krasnodar Krai", "the Odesa regional administration",
    "Kyiv region", "Kiev Oblast", "Crimea region", "Donbas region", "Moscow Oblast", "New York State",
    "Pokrovsk, Donetsk Oblast", "Kostiantynivka, Donetska oblast", "Geneva, NY", "Geneva, Switzerland",
    "Odessa, Texas", "Arlington, Virginia", "Krynky, Kherson Oblast", "Springfield, US", "Paris, France",
    "Qwzxvbnmk", "Qwzxvbnmk region", "Qwzxvbnmk, Ukraine", "eastern Ukraine", "city of Kharkiv",
]


def _sample(gz, n: int = 600, seed: int = 3) -> list[str]:
    """Names of random index places, as they are and in the phrase forms the short cuts serve."""
    rng = random.Random(seed)
    ix = gz._ix
    out = []
    for _ in range(n):
        pid = rng.randrange(len(ix.feat))
        name = bytes(ix.names[ix.name_off[pid]:ix.name_off[pid + 1]]).decode("utf-8")
        a1 = ix.a1[pid]
        parent = gz._admin1_names[a1] if a1 != 0xFFFFFFFF and gz._admin1_names[a1] else gz._countries[ix.cc[pid]]
        out += [name, f"{name} region", f"{name} Oblast", f"{name}, {parent}", name[:4]]
    return out


def _answers(gz, queries, **options):
    gz._cache.clear()
    out = []
    for q in queries:
        one = gz.geocode(q, **options)
        many = gz.candidates(q, limit=3, **options)
        out.append((q, one and (one.to_dict(), one.raw), [(p.to_dict(), p.raw) for p in many]))
    gz._cache.clear()
    return out


@pytest.fixture(scope="module")
def queries(gazetteer):
    table = (Path(__file__).parent / "data" / "places.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t")[0] for line in table.splitlines() if line.strip() and not line.startswith("#")]
    return FIXED + rows + _sample(gazetteer)


@pytest.mark.parametrize("options", [{}, {"country": "UA"}, {"country": "US"}])
def test_short_cuts_answer_as_the_general_path(gazetteer, queries, monkeypatch, options):
    fast = _answers(gazetteer, queries, **options)
    for name in SHORT_CUTS:
        monkeypatch.setattr(gazetteer, name, lambda *args: None)
    general = _answers(gazetteer, queries, **options)
    assert [a for a, b in zip(fast, general) if a != b] == []


def test_region_short_cut_is_taken(gazetteer, monkeypatch):
    """The stored "<name> region" answer is used when it applies (else this is all slow)."""
    used = []
    real = type(gazetteer)._rank_region

    def spy(self, phrase):
        found = real(self, phrase)
        used.append(found is not None)
        return found

    monkeypatch.setattr(type(gazetteer), "_rank_region", spy)
    gazetteer._cache.clear()
    for q in ("Volgograd region", "Kursk Oblast", "Kherson region"):
        gazetteer.geocode(q)
    gazetteer._cache.clear()
    assert used and any(used)


@pytest.mark.parametrize("key", [
    "kyiv", "new york", "the hague", "kursk region", "the odesa regional administration", "republic of crimea",
    "city of kharkiv", "kharkiv city", "eastern ukraine", "north east syria", "south of france", "port of spain",
    "rio de janeiro", "sankt peterburg", "the", "", "region", "oblast of kherson",
])
def test_is_plain_agrees_with_parse_key(key):
    assert phrases.is_plain(key) == (phrases.parse_key(key) == phrases.Phrase(key, key)), key


def test_is_plain_on_sample(gazetteer):
    for name in _sample(gazetteer, 300, seed=5):
        key = normalize_name(name)
        if key:
            assert phrases.is_plain(key) == (phrases.parse_key(key) == phrases.Phrase(key, key)), key


def test_top_score_is_the_first_of_scores():
    from gazetteer.ranking import scores, top_score

    rng = random.Random(11)
    for _ in range(20000):
        n = rng.choice([1, 2, 3, 5, 24])
        values = sorted((round(rng.uniform(-0.5, 3.0), rng.choice([1, 2, 7])) for _ in range(n)), reverse=True)
        assert top_score(values) == scores(values, 1)[0], values
