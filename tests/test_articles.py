"""Reading articles: formats, headers, encodings, boilerplate, and bad inputs that must not stop a batch."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from mapper.articles import article_from_record, decode, read_article, read_articles
from mapper.errors import ArticleError
from mapper.records import Article

ARTICLES = Path(__file__).parent / "data" / "articles"
STORY = ("A Russian missile hit an industrial site on the outskirts of Mykolaiv on Tuesday, "
         "injuring four workers, the city's mayor said.")


def test_plain_text_with_date_line(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2026-01-20\n\n{STORY}\n", encoding="utf-8")
    a = read_article(f)
    assert a.published == date(2026, 1, 20) and a.text == STORY and a.origin == str(f)


def test_plain_text_with_key_value_header(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"title: Missile hits Mykolaiv\nurl: https://example.test/a\npublished: 2026-01-20\n"
                 f"source: Example Daily\n\n{STORY}\n", encoding="utf-8")
    a = read_article(f)
    assert (a.title, a.url, a.published, a.source, a.text) == (
        "Missile hits Mykolaiv", "https://example.test/a", date(2026, 1, 20), "Example Daily", STORY)


def test_a_source_line_in_the_story_is_not_a_header():
    a = read_article(f"Source: a local official, speaking on condition of anonymity.\n{STORY}")
    assert a.text.startswith("Source: a local official") and a.source is None


def test_published_argument_is_only_a_fallback(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(STORY, encoding="utf-8")
    assert read_article(f, published=date(2026, 1, 21)).published == date(2026, 1, 21)
    f.write_text(f"date 2026-01-20\n{STORY}", encoding="utf-8")
    assert read_article(f, published=date(2026, 1, 21)).published == date(2026, 1, 20)


def test_html_page_main_text_title_date_url_and_no_boilerplate():
    a = read_article(ARTICLES / "design_example.html")
    assert a.published == date(2026, 2, 13)
    assert a.url and a.url.startswith("https://") and a.title
    assert "Russian strike killed three brothers" in a.text
    for furniture in ("newsletter", "Donate", "cookies", "Read more", "Bear, Delaware", "Odessa, Texas"):
        assert furniture.lower() not in a.text.lower(), furniture


def test_boilerplate_only_page_is_rejected():
    with pytest.raises(ArticleError) as err:
        read_article(ARTICLES / "boilerplate_only.html")
    assert "boilerplate_only.html" in str(err.value)


def test_json_and_jsonl_records(tmp_path):
    rec = {"text": STORY, "published": "2026-01-20", "url": "https://example.test/a", "title": "T", "source": "S"}
    (tmp_path / "one.json").write_text(json.dumps(rec), encoding="utf-8")
    a = read_article(tmp_path / "one.json")
    assert (a.text, a.published, a.source) == (STORY, date(2026, 1, 20), "S")
    (tmp_path / "many.jsonl").write_text("\n".join(json.dumps(dict(rec, url=f"u{i}")) for i in range(3)), encoding="utf-8")
    got = list(read_articles([tmp_path / "many.jsonl"]))
    assert [x.url for x in got] == ["u0", "u1", "u2"]
    assert article_from_record(rec) == Article(STORY, date(2026, 1, 20), "https://example.test/a", "T", "S")


def test_records_jsonl_fixture_reads_three_articles():
    got = list(read_articles([ARTICLES / "records.jsonl"]))
    assert len(got) == 3 and all(isinstance(a, Article) for a in got)


@pytest.mark.parametrize(
    "record, reason",
    [({"title": "no text"}, '"text"'), ({"text": ""}, "empty"), ({"text": "Short."}, "not an article"),
     ({"text": STORY, "published": "13/02/2026"}, "YYYY-MM-DD"), (["a", "list"], "object"),
     ({"text": STORY + "\x00\x01\x00"}, "NUL")],
)
def test_bad_records_say_why(record, reason):
    with pytest.raises(ArticleError, match=reason):
        article_from_record(record, origin="rec")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_decoded(encoding):
    text = "Café owners in Kherson said a shell hit the market on Friday, killing two people."
    assert decode(text.encode(encoding)) == text


def test_cp1251_cyrillic_is_detected():
    text = "В Харькове ракетный удар убил двух людей сегодня утром, сообщил губернатор области."
    assert decode(text.encode("cp1251")) == text


def test_cp1252_fixture_reads_curly_quotes():
    a = read_article(ARTICLES / "cp1252_encoded.txt")
    assert "’" in a.text and "Mykolaiv" in a.text


def test_binary_is_rejected_with_name_and_reason(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ArticleError, match="photo.txt: binary"):
        read_article(f)


def test_a_bad_file_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": STORY}) + "\n{broken\n", encoding="utf-8")
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x00")
    items = list(read_articles([tmp_path, tmp_path / "missing.txt"]))
    ok = [i for i in items if isinstance(i, Article)]
    bad = [str(i) for i in items if isinstance(i, ArticleError)]
    assert len(ok) == 2
    assert any("b.txt" in e and "empty" in e for e in bad)
    assert any("c.jsonl:2" in e and "invalid JSON" in e for e in bad)
    assert any("d.json" in e for e in bad)
    assert any("missing.txt" in e and "cannot read" in e for e in bad)


def test_bad_fixture_directory_yields_three_named_errors():
    items = list(read_articles([ARTICLES / "bad"]))
    assert len(items) == 3 and all(isinstance(i, ArticleError) for i in items)


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"date 2026-01-20\n{STORY}".encode())))
    (a,) = list(read_articles(["-"]))
    assert a.origin == "<stdin>" and a.published == date(2026, 1, 20)


def test_text_and_bytes_are_articles_too():
    assert read_article(STORY).text == STORY
    assert read_article(STORY.encode("utf-16")).text == STORY
    assert read_article(STORY).id == read_article(STORY).id


def test_json_list_of_records(tmp_path):
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([{"text": STORY, "url": "a"}, {"title": "no text"}, {"text": STORY, "url": "b"}]), encoding="utf-8")
    items = list(read_articles([f]))
    assert [getattr(i, "url", None) for i in items] == ["a", None, "b"]
    assert isinstance(items[1], ArticleError) and "batch.json#1" in str(items[1])


def test_a_json_list_that_is_not_articles_is_one_clear_error():
    (err,) = list(read_articles([ARTICLES.parent / "expected_incidents.json"]))
    assert isinstance(err, ArticleError) and "none an article record" in str(err)


def test_a_string_is_never_a_file_name(tmp_path):
    """User text must not be able to make the server read a file."""
    secret = tmp_path / "secret.txt"
    secret.write_text(f"date 2026-01-20\n\n{STORY}\n", encoding="utf-8")
    try:
        as_text = read_article(str(secret)).text
    except ArticleError:  # too few words to be news: rejected as text, still nothing was read
        as_text = None
    assert as_text in (None, str(secret))
    assert read_article(secret).text == STORY


# -- hostile feeds (issue 14): each bad record is rejected with a reason, the batch goes on --------


def test_a_lone_surrogate_is_replaced_not_fatal():
    """A title cut mid-emoji arrives as half a UTF-16 pair ("\\ud83d"), which UTF-8 cannot hold."""
    record = json.loads('{"text": "%s \\ud83d", "title": "Strike \\ud83d", "source": "Wire \\udc00"}' % STORY)
    a = article_from_record(record)
    assert a.title == "Strike" and a.source == "Wire" and a.text.endswith("\ufffd")
    assert len(a.id) == 16  # hashable as UTF-8 now
    a.text.encode("utf-8")


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "1066-10-14"])
def test_sentinel_and_implausible_dates_are_refused_with_a_reason(published):
    """Go's zero time and 9999-12-31 mean "unknown"; they must not reach date arithmetic."""
    with pytest.raises(ArticleError, match="out of range"):
        article_from_record({"text": STORY + " It happened last week.", "published": published})


def test_the_date_range_is_wide_enough_for_real_archives():
    assert article_from_record({"text": STORY, "published": "1914-07-28"}).published == date(1914, 7, 28)
    assert article_from_record({"text": STORY, "published": "2099-12-31"}).published == date(2099, 12, 31)


def test_an_out_of_range_date_in_a_text_header_is_refused(tmp_path):
    f = tmp_path / "zero.txt"
    f.write_text(f"published: 0001-01-01\n\n{STORY}\n", encoding="utf-8")
    (err,) = list(read_articles([f]))
    assert isinstance(err, ArticleError) and "zero.txt" in str(err) and "out of range" in str(err)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


@pytest.mark.parametrize("name, body", [
    ("deep.json", _deep(100_000)),
    ("deep_object.json", '{"text": ' * 50_000 + '"x"' + "}" * 50_000),
])
def test_json_nested_100000_deep_is_one_clear_error(tmp_path, name, body):
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    (err,) = list(read_articles([f]))
    assert isinstance(err, ArticleError) and "nested too deeply" in str(err)
    with pytest.raises(ArticleError, match="nested too deeply"):
        read_article(body)


def test_a_deep_jsonl_line_costs_only_itself(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join([json.dumps({"text": STORY, "url": "a"}), _deep(100_000),
                            json.dumps({"text": STORY, "url": "b"})]), encoding="utf-8")
    items = list(read_articles([f]))
    assert [getattr(i, "url", None) for i in items] == ["a", None, "b"]
    assert "feed.jsonl:2" in str(items[1]) and "nested too deeply" in str(items[1])


def test_an_article_over_the_length_limit_is_refused_before_extraction():
    from mapper.articles import MAX_ARTICLE_CHARS

    long = (STORY + " ") * (MAX_ARTICLE_CHARS // len(STORY) + 2)
    with pytest.raises(ArticleError, match="too long"):
        article_from_record({"text": long})
    fits = (STORY + " ") * ((MAX_ARTICLE_CHARS - 10) // (len(STORY) + 1))
    assert len(article_from_record({"text": fits}).text) <= MAX_ARTICLE_CHARS


@pytest.mark.parametrize("field", ["title", "source"])
def test_control_and_bidi_override_characters_are_dropped_from_titles_and_sources(field):
    value = "Example\x07 \u202eWire\u202c\x1b[31m\u2066x\u2069\nDaily"
    a = article_from_record({"text": STORY, field: value})
    cleaned = getattr(a, field)
    assert cleaned == "Example Wire[31mx Daily"
    assert Article(STORY, title=value).title == "Example Wire[31mx Daily"  # every path: the record type itself


def test_an_article_keeps_its_paragraphs_and_right_to_left_text():
    text = "مراسلنا في غزة: قُتل شخصان في قصف على حي الزيتون صباح اليوم، وفق الدفاع المدني.\n\n" + STORY
    a = Article(text, title="غزة \u200f(تحديث)")
    assert a.text == text and a.title == "غزة \u200f(تحديث)"  # marks that only set direction stay
