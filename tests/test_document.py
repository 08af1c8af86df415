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


def test_gated_matcher_gives_the_matches_of_one_matcher_of_all_its_patterns(parser):
    """Dates, counts' non-count contexts and background wording run only around their rarest
    words: on real news sentences (and their sub-spans) that gives exactly the plain Matcher's matches."""
    from spacy.matcher import Matcher

    from mapper.nlp.patterns import GatedMatcher, load_patterns

    dates = load_patterns("date_patterns", words="words")
    counts = load_patterns("count_patterns", words="lexicon")
    background = load_patterns("background_patterns", words="words")
    groups = [[(e["id"], [e["pattern"]]) for e in dates["expressions"]], [("future", dates["future"])],
              [(c["id"], [c["pattern"]]) for c in counts["non_count_contexts"]],
              [("background", background["background"])]]
    docs = list(parser.pipe(_sentences()))
    found = 0
    for adds in groups:
        plain, gated = Matcher(parser.vocab, validate=True), GatedMatcher(parser.vocab)
        for key, patterns in adds:
            plain.add(key, patterns)
            gated.add(key, patterns)
        assert len(gated.groups) > 1  # the patterns are filed under several gates
        for doc in docs:
            for part in (doc, doc[1:], doc[: len(doc) // 2]):
                expected = sorted(set(plain(part)), key=lambda m: (m[1], m[2], m[0]))
                assert gated(part) == expected, part.text
                found += len(expected)
    assert found > 300


def test_count_links_match_as_one_dependency_matcher_of_all_patterns(parser):
    """The count patterns run only where their trigger word is: on real news sentences that gives
    exactly the matches of one DependencyMatcher of all of them."""
    from spacy.matcher import DependencyMatcher

    from mapper.nlp.counts import PATTERNS, _rules
    from mapper.nlp.patterns import load_patterns

    plain = DependencyMatcher(parser.vocab, validate=True)
    for link in load_patterns(PATTERNS, words="lexicon")["links"]:
        plain.add(link["id"], [link["pattern"]])
    gated = _rules(parser.vocab).links
    assert len(gated.groups) > 5
    found = 0
    for doc in parser.pipe(_sentences()):
        expected = sorted((k, list(ids)) for k, ids in plain(doc))
        assert sorted((k, list(ids)) for k, ids in gated(doc)) == expected, doc.text
        found += len(expected)
    assert found > 50


def test_gated_matcher_windows_reach_a_whole_pattern(parser):
    """A match may lie on either side of its gate word and at the text's edges."""
    from mapper.nlp.patterns import GatedMatcher

    gated = GatedMatcher(parser.vocab)
    gated.add("ago", [[{"LIKE_NUM": True}, {"LOWER": {"IN": ["days", "weeks"]}}, {"LOWER": "ago"}]])
    gated.add("on_day", [[{"LOWER": "on"}, {"LOWER": {"IN": ["monday", "tuesday"]}}, {"LOWER": "night", "OP": "?"}]])
    doc = parser.make_doc("three weeks ago and then on Monday night it began again on Tuesday")
    got = [(parser.vocab.strings[k], doc[s:e].text) for k, s, e in gated(doc)]
    assert got == [("ago", "three weeks ago"), ("on_day", "on Monday"), ("on_day", "on Monday night"),
                   ("on_day", "on Tuesday")]
