"""Bad and odd inputs: a clear error or an empty result, never a crash or a hang."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mapper.cli import main
from mapper.errors import ArticleError
from mapper.nlp.geoparse import MAX_CHARS, find_mentions, find_mentions_many

DATA = Path(__file__).parent / "data" / "geoparse"


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u00a0\u2003"])
def test_empty_and_blank_give_no_mentions(gazetteer, nlp, text):
    assert find_mentions(text, gazetteer, nlp=nlp) == []


@pytest.mark.parametrize(
    "text",
    ["\x00\x01\x02PK\x03\x04" * 50, bytes(range(256)).decode("latin-1") * 20, "\x07\x08\x0e\x0f" * 100],
    ids=["zip-header", "all-bytes", "control-chars"],
)
def test_binary_is_a_clear_error(gazetteer, nlp, text):
    with pytest.raises(ArticleError, match="binary"):
        find_mentions(text, gazetteer, nlp=nlp)


def test_a_bad_text_in_a_batch_stops_only_itself(gazetteer, nlp):
    """The NER model reads a batch's texts together; a binary or blank text among them still gets
    its own error or its empty list, and the others the mentions they get alone."""
    texts = ["Shelling hit Kharkiv overnight, the governor said.", "\x00\x01PK\x03\x04" * 50, "  ",
             "Gunmen attacked a checkpoint near Beledweyne in Hiraan region on Tuesday."]
    got = find_mentions_many(texts, gazetteer, nlp=nlp)
    assert isinstance(got[1], ArticleError)
    assert got[2] == []
    for text, mentions in zip([texts[0], texts[3]], [got[0], got[3]], strict=True):
        assert mentions == find_mentions(text, gazetteer, nlp=nlp)
    assert [m.text for m in got[0]] == ["Kharkiv"]
    assert [m.text for m in got[3]] == ["Beledweyne", "Hiraan region"]


def test_not_a_string_is_a_clear_error(gazetteer, nlp):
    with pytest.raises(ArticleError, match="str"):
        find_mentions(b"Kyiv", gazetteer, nlp=nlp)  # type: ignore[arg-type]


def test_five_megabytes_is_refused_fast(gazetteer, nlp):
    text = ("Shelling hit Kharkiv and Odesa overnight, officials said. " * 90_000)[:5_000_000]
    assert len(text) > MAX_CHARS
    t = time.perf_counter()
    with pytest.raises(ArticleError, match="too long"):
        find_mentions(text, gazetteer, nlp=nlp)
    assert time.perf_counter() - t < 2.0


def test_long_article_within_the_limit_finishes(gazetteer, nlp):
    base = (DATA / "front_line_villages.txt").read_text(encoding="utf-8")
    text = "\n\n".join([base] * 60)  # ~60 KB, a very long article
    t = time.perf_counter()
    mentions = find_mentions(text, gazetteer, nlp=nlp)
    assert time.perf_counter() - t < 20.0
    assert len(mentions) >= 60 * 10


def test_punctuation_and_odd_unicode_do_not_crash(gazetteer, nlp):
    for text in ["...", "!!!???", "—", "🙂 Kyiv 🙂", "K", "Kyiv" * 1000, "ООН", "A, B, C in D"]:
        for m in find_mentions(text, gazetteer, nlp=nlp):
            assert text[m.start : m.end] == m.text


# --- CLI -------------------------------------------------------------------------------


def test_cli_file(capsys):
    assert main(["geoparse", str(DATA / "cyrillic_names.txt")]) == 0
    out = json.loads(capsys.readouterr().out)
    texts = [m["text"] for m in out["mentions"]]
    assert "Одеса" in texts and "Belgorod" in texts
    assert all(set(m) == {"text", "start", "end", "place"} for m in out["mentions"])


def test_cli_binary_file_is_an_error(tmp_path, capsys):
    f = tmp_path / "image.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert main(["geoparse", str(f)]) == 1
    assert "geoparse" in capsys.readouterr().err


def test_cli_jsonl_keeps_going_past_bad_lines(tmp_path, capsys, monkeypatch):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Drones were shot down over the Kursk region."}),
        "not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": 42}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["geoparse", "--jsonl", str(f)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", "d"]
    assert rows[0]["mentions"][0]["place"]["country"] == "RU"
    assert rows[1]["mentions"] == [] and "error" in rows[1]
    assert rows[2] == {"id": "c", "mentions": []}


def test_cli_jsonl_large_batch_on_a_pool_keeps_order_and_bad_lines(tmp_path, capsys):
    """A batch past POOL_FROM lines runs on worker processes: same order, same per-line errors."""
    from mapper.cli.parse import POOL_FROM

    texts = ["Shelling hit Kharkiv overnight.", "Talks were held in Geneva on Tuesday.",
             "Drones were shot down over the Kursk region."]
    lines = []
    for i in range(POOL_FROM * 2 + 3):
        if i % 7 == 3:
            lines.append("{not json")
        elif i % 7 == 5:
            lines.append(json.dumps({"id": i, "text": ["not", "text"]}))
        else:
            lines.append(json.dumps({"id": i, "text": texts[i % 3]}))
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["geoparse", "--jsonl", "--workers", "2", str(f)]) == 0
    pooled = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["geoparse", "--jsonl", "--workers", "1", str(f)]) == 0
    single = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert pooled == single
    assert len(pooled) == len(lines)
    for i, row in enumerate(pooled):
        if i % 7 == 3:
            assert row["id"] is None and row["mentions"] == [] and f"line {i + 1}" in row["error"]
        elif i % 7 == 5:
            assert row["id"] == i and row["mentions"] == [] and "string" in row["error"]
        else:
            assert row["id"] == i and "error" not in row and row["mentions"]


def test_cli_workers_must_be_positive(tmp_path, capsys):
    f = tmp_path / "batch.jsonl"
    f.write_text(json.dumps({"id": 1, "text": "Kyiv"}) + "\n", encoding="utf-8")
    assert main(["geoparse", "--jsonl", "--workers", "0", str(f)]) == 1
    assert "--workers" in capsys.readouterr().err
