"""The clause parser: the attribute ruler's lookup gives the same matches as its Matcher."""

from pathlib import Path

import pytest

from mapper.articles import read_articles
from mapper.nlp.document import load_parser
from mapper.records import Article

ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture(scope="module")
def parser():
    return load_parser()


def _sentences() -> list[str]:
    files = sorted(p for p in ARTICLES.iterdir() if p.suffix == ".txt")
    texts = [a.text for a in read_articles(files) if isinstance(a, Article)]
    # White space, contractions and the ruler's word exceptions, beside real news sentences.
    extra = ["  Two  soldiers\n\nwere killed\t overnight.", "He's gotten what he got; they'd nothin' left.",
             "But that was not all, but the army said it would n't comment."]
    return [s for text in texts for s in text.split("\n") if s.strip()] + extra


def test_lookup_finds_the_matches_of_the_attribute_rulers_matcher(parser):
    ruler = parser.get_pipe("attribute_ruler")
    matcher_match = type(ruler).match  # the class's own method: the ruler's Matcher
    sentences = _sentences()
    assert len(sentences) > 50
    with parser.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(parser.pipe(sentences))
    total = 0
    for doc in docs:
        expected = matcher_match(ruler, doc)
        assert ruler.match(doc) == expected, doc.text
        total += len(expected)
    assert total > sum(len(d) for d in docs) // 2  # nearly every token gets its POS from the ruler


def test_parsed_clause_has_the_rulers_parts_of_speech_and_lemmas(parser):
    doc = parser("The men that were wounded got to hospital, but one has died.")
    by_text = {t.text: t for t in doc}
    assert by_text["that"].pos_ == "PRON"  # WDT "that": a relative pronoun (an exception pattern)
    assert by_text["got"].lemma_ == "get"
    assert by_text["wounded"].pos_ == "VERB" and by_text["men"].lemma_ == "man"
    assert not doc.has_annotation("ENT_IOB")  # the clause parse runs no NER
