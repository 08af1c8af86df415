"""`extract_many`: the parallel batch gives what the pure function gives, in input order."""

from __future__ import annotations

from pathlib import Path

from mapper.articles import read_articles
from mapper.nlp.assemble import build_incidents
from mapper.pipeline import extract_many
from mapper.records import Article

ARTICLES = Path(__file__).parent / "data" / "articles"


def test_two_workers_match_the_serial_result_in_order(gazetteer, nlp):
    files = sorted(p for p in ARTICLES.glob("*.txt"))[:8]
    articles = [a for a in read_articles(files) if isinstance(a, Article)]
    serial = [[i.id for i in build_incidents(a, gazetteer, nlp=nlp)] for a in articles]
    parallel = list(extract_many(articles, workers=2, chunksize=2))
    assert [a.id for a, _ in parallel] == [a.id for a in articles]
    assert [[i.id for i in found] for _, found in parallel] == serial


def test_one_worker_runs_in_process(gazetteer, nlp):
    (article,) = [a for a in read_articles([ARTICLES / "design_example.html"]) if isinstance(a, Article)]
    ((got, incidents),) = list(extract_many([article], workers=1))
    assert got is article and len(incidents) == 5


def test_errors_can_be_yielded_in_place_of_incidents(gazetteer, nlp):
    from mapper.errors import IncidentMapError

    good = Article("In Kherson, a shell hit the city's river port on Saturday, killing a dock worker, "
                   "the regional administration said.", None)
    bad = Article("\x00" * 10)  # the geoparser rejects binary text with an IncidentMapError
    got = list(extract_many([bad, good], workers=1, errors="yield"))
    assert [a for a, _ in got] == [bad, good]
    first, second = got[0][1], got[1][1]
    assert isinstance(first, IncidentMapError) or first == []
    assert isinstance(second, list)
