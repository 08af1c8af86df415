"""Fuzzing the command line: `ingest`, `extract` and `export` on hostile files and filter values.

Whatever the input: an exit status (0, 1, or 2 for usage errors), a message and no traceback,
and `ingest` stores exactly the articles its summary counts, each one whole.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz_inputs import FUZZ, articles_ish, dumps, filter_values, json_documents, text
from mapper.cli import main
from mapper.storage.store import Store


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse refusing a value: a usage error, not a crash
        code = stop.code
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), code
    assert "Traceback" not in err, err
    return code, out, err


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('fuzz-cli') / 'incidents.sqlite'}"


@settings(FUZZ, max_examples=25)
@given(files=st.lists(st.tuples(st.sampled_from([".txt", ".html", ".json", ".jsonl"]),
                                st.one_of(articles_ish.map(dumps), json_documents, text,
                                          st.lists(articles_ish.map(dumps), min_size=1, max_size=3).map("\n".join))),
                      min_size=1, max_size=3))
def test_ingest_any_files(tmp_path_factory, capsys, store_url, files):
    folder = tmp_path_factory.mktemp("feed")
    for n, (suffix, content) in enumerate(files):
        (folder / f"{n}{suffix}").write_bytes(content.encode("utf-8", "surrogatepass"))
    with Store.open(store_url) as store:
        before = store.stats()["articles"]
    # in this process (no time budget, no worker start per example): the same reading and storing
    code, out, err = run(capsys, ["ingest", str(folder), "--db", store_url, "--json", "--quiet",
                                  "--workers", "1", "--time-budget", "0"])
    summary = json.loads(out)
    assert code == (1 if summary["rejected"] and not summary["articles_read"] else 0)
    with Store.open(store_url) as store:
        assert store.stats()["articles"] == before + summary["ingested"]


@settings(FUZZ, max_examples=15)
@given(content=st.one_of(articles_ish.map(dumps), json_documents, text))
def test_extract_any_file(tmp_path_factory, capsys, content):
    path = tmp_path_factory.mktemp("extract") / "article.json"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    code, out, _ = run(capsys, ["extract", str(path)])
    if code == 0:
        assert json.loads(out)["type"] == "FeatureCollection"


@FUZZ
@given(options=st.dictionaries(st.sampled_from(["--since", "--until", "--type", "--actor", "--country",
                                                "--min-fatalities", "-q", "--bbox", "--limit"]),
                               filter_values, max_size=3))
def test_export_any_filters(tmp_path_factory, capsys, store_url, options):
    out = tmp_path_factory.mktemp("export") / "out.geojson"
    argv = ["export", "--db", store_url, "-o", str(out)]
    for flag, value in options.items():
        argv.append(f"{flag}={value.encode('utf-8', 'surrogatepass').decode('utf-8', 'replace')}")
    code, _, err = run(capsys, argv)
    if code == 0:
        assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    else:
        assert err.strip()
