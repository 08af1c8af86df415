"""`incident-map geocode`: single queries and the --jsonl batch mode, as DESIGN.md specifies."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from mapper.cli import main


def run_cli(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_single_query(gazetteer, capsys):
    code, out, err = run_cli(["geocode", "Odessa", "--limit", "3"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["query"] == "Odessa"
    assert 1 <= len(doc["results"]) <= 3
    best = doc["results"][0]
    assert (best["name"], best["country"], best["admin1_code"], best["feature"]) == ("Odesa", "UA", "UA.17", "city")
    assert set(best) == {"name", "lat", "lon", "country", "admin1", "admin1_code", "feature", "geonameid",
                         "population", "score"}


def test_country_option(gazetteer, capsys):
    code, out, _ = run_cli(["geocode", "Odessa", "--country", "US", "--limit", "1"], capsys)
    assert code == 0
    assert json.loads(out)["results"][0]["admin1_code"] == "US.TX"


def test_region_phrase(gazetteer, capsys):
    code, out, _ = run_cli(["geocode", "Volgograd region"], capsys)
    best = json.loads(out)["results"][0]
    assert (best["feature"], best["admin1_code"]) == ("admin1", "RU.84")


def test_no_result_is_exit_1_with_message(gazetteer, capsys):
    code, out, err = run_cli(["geocode", "Qwzxvbnmk"], capsys)
    assert code == 1
    assert out == ""
    assert "no place found" in err and "Qwzxvbnmk" in err


@pytest.mark.parametrize("argv", [["geocode", ""], ["geocode"], ["geocode", "Kyiv", "--limit", "0"],
                                  ["geocode", "Kyiv", "--country", "Ukraine"], ["geocode", "x" * 10_000]])
def test_bad_single_queries_are_clear_errors(gazetteer, capsys, argv):
    code, out, err = run_cli(argv, capsys)
    assert code == 1
    assert out == ""
    assert err.startswith("incident-map geocode: ")


def test_jsonl_batch(gazetteer, capsys, monkeypatch):
    lines = "\n".join([
        json.dumps({"id": "a", "query": "Kyiv"}),
        json.dumps({"id": "b", "query": "Qwzxvbnmk"}),
        "this is not json",
        json.dumps({"id": "c", "query": ""}),
        json.dumps({"id": "d", "query": 42}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": 7, "query": "Pokrovsk, Donetsk Oblast"}),
        json.dumps({"id": "e", "query": "Odessa", "country": "US"}),
    ]) + "\n"
    code, out, err = run_cli(["geocode", "--jsonl", "--limit", "2"], capsys, stdin=lines, monkeypatch=monkeypatch)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 8  # the blank line gives nothing, every other line one answer
    by_id = {r["id"]: r for r in rows if r["id"] is not None}
    assert by_id["a"]["results"][0]["name"] == "Kyiv" and "error" not in by_id["a"]
    assert by_id["b"]["results"] == [] and "error" not in by_id["b"]
    assert by_id["c"]["results"] == [] and "empty" in by_id["c"]["error"]
    assert by_id["d"]["results"] == [] and "text" in by_id["d"]["error"]
    assert by_id[7]["results"][0]["admin1_code"] == "UA.05"
    assert by_id["e"]["results"][0]["country"] == "US"
    errors = [r for r in rows if r["id"] is None]
    assert len(errors) == 2 and all(r["results"] == [] and r["error"] for r in errors)
    assert [r["query"] for r in rows][:2] == ["Kyiv", "Qwzxvbnmk"]  # order kept


def test_console_script_end_to_end(gazetteer):
    """The installed entry point, in a real process: JSON on stdout, exit codes."""
    exe = os.path.join(os.path.dirname(sys.executable), "incident-map")
    ok = subprocess.run([exe, "geocode", "Kharkiv", "--limit", "1"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["results"][0]["admin1_code"] == "UA.07"
    miss = subprocess.run([exe, "geocode", "Qwzxvbnmk"], capture_output=True, text=True, timeout=60)
    assert miss.returncode == 1 and miss.stdout == "" and "no place found" in miss.stderr


def test_jsonl_batch_repeats_are_the_same_answer_as_json_dumps_writes_it(gazetteer, capsys, monkeypatch):
    """Answers reused within a batch are the text json.dumps gives for a fresh answer."""
    queries = [("a", "Odesa", None), ("b", "Odesa", None), ("c", "Odesa", "US"), ("d", "Одеса", None),
               ("é", "Qarabagh district, Ghazni", None), ("f", "Odesa", None)]
    lines = "".join(json.dumps({"id": i, "query": q, **({"country": c} if c else {})}) + "\n" for i, q, c in queries)
    code, out, _ = run_cli(["geocode", "--jsonl", "--limit", "3"], capsys, stdin=lines, monkeypatch=monkeypatch)
    assert code == 0
    expected = [json.dumps({"id": i, "query": q, "results": [p.to_dict() for p in
                                                           gazetteer.candidates(q, country=c, limit=3)]},
                           ensure_ascii=False) for i, q, c in queries]
    assert out.splitlines() == expected
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[2]["results"][0]["country"] == "US" and rows[0]["results"][0]["country"] == "UA"
    assert rows[4]["results"][0]["feature"] == "admin2"
