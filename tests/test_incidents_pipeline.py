"""`extract_many` and `Extractor`: what the pure function gives, in input order, one article's
trouble (an error, a crash, a time-out) costing only that article."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from mapper.articles import read_articles
from mapper.errors import ArticleError, ExtractionError, ExtractionTimeout
from mapper.nlp.assemble import build_incidents
from mapper.pipeline import Extractor, extract_many
from mapper.records import Article

ARTICLES = Path(__file__).parent / "data" / "articles"
GOOD = Article("In Kherson, a shell hit the city's river port on Saturday, killing a dock worker, "
               "the regional administration said.", date(2026, 2, 14), origin="good")


@pytest.fixture(scope="module")
def good(gazetteer, nlp) -> list[str]:
    """What the pure function makes of GOOD, in this process: what every worker must answer too."""
    found = [i.id for i in build_incidents(GOOD, gazetteer, nlp=nlp)]
    assert found, "the good article reports an incident"
    return found
# Go's zero time as the publication date plus a relative date: date arithmetic overflows in the
# NLP (the readers refuse such dates; a caller building Articles itself can still send one).
OVERFLOW = Article("A Russian missile hit an industrial site in Mykolaiv last week, injuring four workers, "
                   "the mayor said on Monday.", date(1, 1, 1), origin="zero-time")
# spaCy-safe but slow: the sentence splitter's regex backtracks on a long "!?!?" run.
SLOW = Article("A drone hit Kharkiv on Friday, killing two people, officials said.\n\n" + "!?" * 40_000
               + "\n\nMore later.", date(2026, 2, 13), origin="slow")


def test_two_workers_match_the_serial_result_in_order(gazetteer, nlp):
    files = sorted(p for p in ARTICLES.glob("*.txt"))[:8]
    articles = [a for a in read_articles(files) if isinstance(a, Article)]
    serial = [[i.id for i in build_incidents(a, gazetteer, nlp=nlp)] for a in articles]
    parallel = list(extract_many(articles, workers=2))
    assert [a for a, _ in parallel] == articles
    assert [[i.id for i in found] for _, found in parallel] == serial
    assert sum(map(len, serial)) > len(articles)  # real incidents, not empty lists


def test_one_worker_runs_in_process(gazetteer, nlp):
    (article,) = [a for a in read_articles([ARTICLES / "design_example.html"]) if isinstance(a, Article)]
    ((got, incidents),) = list(extract_many([article], workers=1))
    assert got is article and len(incidents) == 5


@pytest.mark.parametrize("workers, budget", [(1, None), (2, 60)], ids=["in-process", "worker-processes"])
def test_errors_and_crashes_are_yielded_in_place_of_incidents(good, workers, budget):
    bad = Article("\x00" * 10, origin="nul")  # the geoparser refuses binary text with an ArticleError
    got = list(extract_many([bad, OVERFLOW, GOOD], workers=workers, errors="yield", time_budget=budget))
    assert [a for a, _ in got] == [bad, OVERFLOW, GOOD]
    (_, first), (_, second), (_, third) = got
    assert isinstance(first, ArticleError) and "binary" in str(first)
    assert isinstance(second, ExtractionError) and "OverflowError" in str(second) and "zero-time" in str(second)
    assert "Traceback" in second.detail and "Traceback" not in str(second)
    assert [i.id for i in third] == good


def test_errors_raise_by_default(gazetteer, nlp):
    with pytest.raises(ExtractionError, match="OverflowError"):
        list(extract_many([OVERFLOW, GOOD], workers=1))


def test_an_article_past_the_time_budget_is_stopped_and_the_batch_goes_on(good):
    t0 = time.perf_counter()
    # (5 s, not less: a good article must finish within it on a loaded machine)
    got = list(extract_many([GOOD, SLOW, GOOD], workers=1, errors="yield", time_budget=5.0))
    elapsed = time.perf_counter() - t0
    (_, first), (_, second), (_, third) = got
    assert isinstance(second, ExtractionTimeout) and "time budget of 5 s" in str(second) and "slow" in str(second)
    assert [i.id for i in first] == [i.id for i in third] == good  # a fresh worker took over
    assert elapsed < 60  # the slow article alone takes minutes


def test_the_extractor_serves_threads_and_survives_a_time_out(good):
    from concurrent.futures import ThreadPoolExecutor

    with Extractor(workers=1, time_budget=5.0) as extractor:  # (5 s: a good article fits it on a loaded machine)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda a: _try(extractor, a), [GOOD, SLOW, GOOD, GOOD]))
    assert isinstance(answers[1], ExtractionTimeout)
    assert [[i.id for i in a] for a in (answers[0], answers[2], answers[3])] == [good] * 3


def _try(extractor, article):
    try:
        return extractor.extract(article)
    except ExtractionError as err:
        return err
