"""Fuzzing the article readers (text, HTML, JSON, JSONL, bytes, files): an input is an `Article`
fit to store, or an `ArticleError` saying why not. Nothing else escapes, and a batch goes on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuzz_inputs import FUZZ, json_documents, records, text
from mapper.articles import EARLIEST, LATEST, MAX_ARTICLE_CHARS, article_from_record, read_article, read_articles
from mapper.errors import ArticleError
from mapper.records import Article


def check(article: Article) -> None:
    """What every article the readers return must be: storable, bounded, dated plausibly."""
    article.text.encode("utf-8")  # no lone surrogates
    assert article.text.strip() and len(article.text) <= MAX_ARTICLE_CHARS
    assert article.published is None or EARLIEST <= article.published <= LATEST
    for value in (article.title, article.source, article.url):
        assert value is None or (value.strip() == value and "\n" not in value and "\u202e" not in value)
        if value is not None:
            value.encode("utf-8")
    assert len(article.id) == 16


def read(thunk) -> None:
    try:
        result = thunk()
    except ArticleError as err:
        assert str(err)  # a reason, always
        return
    check(result)


@FUZZ
@given(record=records)
def test_any_json_record(record):
    read(lambda: article_from_record(record, origin="fuzz"))


@FUZZ
@given(document=json_documents)
def test_any_json_document_as_text(document):
    read(lambda: read_article(document))


@FUZZ
@given(body=st.one_of(text, text.map(lambda t: f"date 2026-02-13\n\n{t}"),
                      text.map(lambda t: f"title: {t[:40]}\npublished: {t[-12:]}\n\n{t}"),
                      text.map(lambda t: f"<html><head><title>{t[:30]}</title></head><body><p>{t}</p></body></html>")))
def test_any_text_or_page(body):
    read(lambda: read_article(body))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      text.map(lambda t: t.encode("utf-16", "surrogatepass")),
                      text.map(lambda t: t.encode("cp1252", "replace"))))
def test_any_bytes(data):
    read(lambda: read_article(data))


@FUZZ
@given(files=st.lists(st.tuples(st.sampled_from([".txt", ".html", ".json", ".jsonl", ".md"]),
                                st.one_of(json_documents, text, st.lists(json_documents, max_size=3).map("\n".join))),
                      min_size=1, max_size=4))
def test_a_batch_of_files_always_finishes(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("feed")
    for n, (suffix, content) in enumerate(files):
        (folder / f"{n}{suffix}").write_bytes(content.encode("utf-8", "surrogatepass"))
    items = list(read_articles([folder, folder / "missing.txt"]))  # never raises: errors are items
    assert isinstance(items[-1], ArticleError) and "missing.txt" in str(items[-1])
    for item in items:
        if isinstance(item, Article):
            check(item)
        else:
            assert isinstance(item, ArticleError) and str(item)


def test_the_fuzz_inputs_include_real_articles():
    """The strategies are not all garbage: some records read as articles (else the suite proves little)."""
    from hypothesis import find

    def reads(record) -> bool:
        try:
            article_from_record(record)
        except ArticleError:
            return False
        return True

    found = find(records, reads, settings=FUZZ)
    assert check(article_from_record(found)) is None
