"""`incident-map extract FILE... [--published]`: a GeoJSON FeatureCollection on stdout, bad files named on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapper.cli import main
from mapper.records import Incident

ARTICLES = Path(__file__).parent / "data" / "articles"
STORY = ("In Kherson, a shell hit the city's river port on Saturday, killing a dock worker, "
         "the regional administration said.")


@pytest.fixture(autouse=True)
def _warm(gazetteer, nlp):
    """The CLI loads the same cached gazetteer and pipeline: build them once for the session."""


def _run(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_design_example_is_five_features(capsys):
    code, fc, err = _run(capsys, str(ARTICLES / "design_example.html"))
    assert code == 0 and err == ""
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 5
    for feature in fc["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert not (-170 < lon < -30), feature["properties"]["location"]  # nothing in the Americas
        assert Incident.from_feature(feature).to_feature() == feature
    assert {f["properties"]["sub_event_type"] for f in fc["features"]} == {
        "Air/drone strike", "Disrupted weapons use", "Negotiations", "Visit"}


def test_published_option_dates_an_undated_article(capsys, tmp_path):
    f = tmp_path / "kherson.txt"
    f.write_text(STORY, encoding="utf-8")
    code, fc, _ = _run(capsys, str(f), "--published", "2026-02-22")
    assert code == 0
    (feature,) = fc["features"]
    props = feature["properties"]
    assert props["event_date"] == "2026-02-21" and props["published"] == "2026-02-22"
    assert props["location"] == "Kherson" and props["fatalities"] == 1 and props["geo_precision"] == 1


def test_bad_files_are_named_and_the_rest_still_processed(capsys, tmp_path):
    good = tmp_path / "kherson.txt"
    good.write_text(f"date 2026-02-22\n\n{STORY}", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, fc, err = _run(capsys, str(empty), str(good), str(tmp_path / "missing.txt"))
    assert code == 1
    assert len(fc["features"]) == 1
    assert "empty.txt" in err and "missing.txt" in err


def test_same_story_from_two_files_is_one_incident_with_two_sources(capsys):
    code, fc, _ = _run(capsys, str(ARTICLES / "merge_kharkiv_a.txt"), str(ARTICLES / "merge_kharkiv_b.json"))
    assert code == 0
    kharkiv = [f for f in fc["features"] if f["properties"]["location"] == "Kharkiv"]
    assert len(kharkiv) == 1 and len(kharkiv[0]["properties"]["sources"]) == 2


def test_bad_published_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(ARTICLES / "design_example.html"), "--published", "13/02/2026"])
    assert exc.value.code == 2


def test_explain_adds_each_sources_trace(capsys, tmp_path):
    path = tmp_path / "kherson.txt"
    path.write_text(STORY, encoding="utf-8")
    _code, plain, _err = _run(capsys, str(path), "--published", "2026-02-23")
    _code, explained, _err = _run(capsys, str(path), "--published", "2026-02-23", "--explain")
    assert "trace" not in plain["features"][0]["properties"]["sources"][0]
    trace = explained["features"][0]["properties"]["sources"][0]["trace"]
    assert trace["place"]["mention"] == "Kherson" and trace["counts"]["fatalities"] == 1
    assert trace["sentence"].startswith("In Kherson, a shell hit")


def test_geoparse_explain_says_why_each_place(capsys, tmp_path):
    path = tmp_path / "kherson.txt"
    path.write_text(STORY, encoding="utf-8")
    assert main(["geoparse", str(path), "--explain"]) == 0
    (m,) = [m for m in json.loads(capsys.readouterr().out)["mentions"] if m["text"] == "Kherson"]
    assert m["place"]["country"] == "UA"
    assert m["trace"]["resolved"]["resolved_by"] == "sense ranker" and m["trace"]["resolved"]["senses"]
