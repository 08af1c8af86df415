"""`incident-map build` and `export`: standalone offline HTML and files, with the shared filters."""

from __future__ import annotations

import re
from datetime import date

import geopandas as gpd
import pytest

from mapper.cli import main
from mapper.records import Article
from mapper.storage.store import Store

from test_maps import _data, external_refs, sample


@pytest.fixture
def filled(db_url):
    with Store.open(db_url) as store:
        for n, incident in enumerate(sample()):
            article = Article(text=f"Article {n}: {incident.quote}", published=date(2026, 2, 13),
                              url=f"https://news.example/{n}", source="Example Wire")
            store.ingest(article, [incident])
    return db_url


def test_build_writes_a_standalone_map(filled, tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["build", "--db", filled, "-o", str(out)]) == 0
    assert "5 incidents" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert external_refs(html) == []  # no http(s)://, no file://: nothing outside the file
    # the same by regex, outside script bodies (inlined Leaflet's JS mentions leafletjs.com in a string)
    markup = re.sub(r"<script>.*?</script>", "<script></script>", html, flags=re.S)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|file:)?//""", markup)
    assert not re.search(r"url\(\s*['\"]?(?:https?:|file:)?//", markup)
    assert _data(html)["n"] == 5


@pytest.mark.parametrize("args, n", [
    (["--country", "CH"], 1), (["--type", "strikes"], 2), (["--since", "2026-02-17"], 1),
    (["--min-fatalities", "3"], 1), (["-q", "GENEVA"], 1), (["--bbox", "29,45,40,49"], 2),
])
def test_build_filters(filled, tmp_path, args, n):
    out = tmp_path / "map.html"
    assert main(["build", "--db", filled, "-o", str(out), *args]) == 0
    assert _data(out.read_text(encoding="utf-8"))["n"] == n


def test_bad_filter_is_a_clear_error(filled, tmp_path, capsys):
    assert main(["build", "--db", filled, "-o", str(tmp_path / "m.html"), "--type", "bombing"]) == 1
    assert "type: unknown event type 'bombing'" in capsys.readouterr().err
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_export_with_filters(filled, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    assert main(["export", "--db", filled, "-o", str(out), "--country", "UA"]) == 0
    if suffix == ".csv":
        assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 3
    else:
        frame = gpd.read_file(out)
        assert len(frame) == 3 and set(frame["country"]) == {"UA"}
