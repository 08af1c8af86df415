"""mapper.nlp.sanitize: pathological punctuation runs are cut without moving any character offset."""

from __future__ import annotations

import time

import pytest

from mapper.nlp.sanitize import MAX_RUN, neutralise_runs

LEDE = "A drone hit Kharkiv on Friday, killing two people, the governor said.\n\n"


@pytest.mark.parametrize("run", ["=" * 20_000, "(" * 5000, "!?" * 3000, "_" * 4000, "\U0001F600" * 3000, "%" * 999])
def test_long_runs_keep_their_length_and_lose_their_bulk(run):
    text = LEDE + run + "\n\nMore to follow."
    out = neutralise_runs(text)
    assert len(out) == len(text)
    assert out.startswith(LEDE) and out.endswith("\n\nMore to follow.")
    middle = out[len(LEDE):len(LEDE) + len(run)]
    assert middle[:MAX_RUN] == run[:MAX_RUN] and middle[MAX_RUN:].strip() == ""


@pytest.mark.parametrize("text", [
    LEDE, "Wait -- what?!", "----------------", "Odesa/Kyiv, 13-14 Feb. (UPDATE 2)", "x" * 5000, "«Харків» — 5 %",
    "https://example.test/a/b?c=d&e=f#g", "user_name__with__underscores",
])
def test_prose_is_left_alone(text):
    assert neutralise_runs(text) == text


def test_mention_offsets_survive_a_pathological_article(gazetteer, nlp):
    from mapper.nlp.geoparse import find_mentions

    text = LEDE + "=" * 20_000 + "\n\nLater, shelling was reported in Kupiansk."
    t0 = time.perf_counter()
    mentions = find_mentions(text, gazetteer, nlp=nlp)
    assert time.perf_counter() - t0 < 10  # was over a minute: quadratic in the run's length
    assert {m.text for m in mentions} >= {"Kharkiv", "Kupiansk"}
    assert all(text[m.start:m.end] == m.text for m in mentions)
