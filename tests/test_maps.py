"""build_map: layers per family with counts, region shapes, choropleth, escaping, offline assets."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

import folium
import pytest

from mapper.maps import assets
from mapper.families import FAMILIES
from mapper.maps.build import build_map, to_html
from mapper.records import Incident

HOSTILE_QUOTE = 'Officials said <script>window.__pwned = 1</script> "nothing" happened & more.'
HOSTILE_PLACE = '<img src=x onerror="window.__pwned = 2">'


def make(**kw) -> Incident:
    base = dict(id="odesa-1", lat=46.4825, lon=30.7233, event_date=date(2026, 2, 13),
                event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Odesa",
                mention="Odesa", quote="A Russian strike on the port of Odesa killed one person.",
                country="UA", admin1="Odesa", admin1_code="UA.17", fatalities=1, injured=6,
                attribution="regional governor", source="Example Wire", source_url="https://news.example/odesa")
    base.update(kw)
    return Incident(**base)


def sample() -> list[Incident]:
    return [
        make(),
        make(id="donetsk-1", lat=48.0159, lon=37.8028, location="Donetsk Oblast", mention="eastern Ukraine",
             admin1="Donetsk", admin1_code="UA.05", geo_precision=3, fatalities=3, injured=2,
             event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack"),
        make(id="volgograd-1", lat=49.5, lon=44.5, location="Volgograd Oblast", mention="Volgograd region",
             country="RU", admin1="Volgograd", admin1_code="RU.84", geo_precision=3, fatalities=None, injured=3,
             event_type="Strategic developments", sub_event_type="Disrupted weapons use"),
        make(id="geneva-1", lat=46.2022, lon=6.1457, event_date=date(2026, 2, 17), event_date_end=date(2026, 2, 18),
             event_type="Diplomacy", sub_event_type="Negotiations", location="Geneva", mention="Geneva",
             country="CH", admin1="Geneva", admin1_code="CH.GE", fatalities=None, injured=None),
        make(id="hostile-1", lat=50.45, lon=30.52, location=HOSTILE_PLACE, mention=HOSTILE_PLACE,
             quote=HOSTILE_QUOTE, attribution="<b>bold</b>", source_url="javascript:alert(3)",
             event_type="Violence against civilians", sub_event_type="Attack", admin1_code="UA.12"),
    ]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(f"{tag}[{name}]={value}")

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def external_refs(html: str) -> list[str]:
    """Every reference the page would load: src/href attributes and CSS url()."""
    parser = _Refs()
    parser.feed(html)
    urls = [r for r in parser.refs]
    for css in parser.styles:
        urls += [f"url({u})" for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
                 if not u.startswith(("data:", "#"))]  # inline data and same-document fragments
    return urls


def test_one_client_with_families_and_data():
    html = to_html(build_map(sample()))
    options, data = _options(html), _data(html)
    assert [f["key"] for f in options["families"]] == [f.key for f in FAMILIES]
    assert options["steps"][0] == {"low": 1, "color": "#fed976", "label": "1–4"}
    keys = [options["families"][k]["key"] for k in data["fam"]]
    assert keys == ["strikes", "strikes", "shot_down", "diplomacy", "civilians"]
    assert html.count("= IncidentMap.mount(") == 1
    assert options["timeline"] is True and options["tiles"] is None


def test_article_text_is_escaped_everywhere():
    html = to_html(build_map(sample()))
    assert "<script>window.__pwned" not in html
    assert "<img src=x onerror" not in html
    assert "<b>bold</b>" not in html
    assert "javascript:alert(3)" not in html
    data = _data(html)
    strings = data["s"]
    assert data["q"][4] == "Officials said &lt;script&gt;window.__pwned = 1&lt;/script&gt; &quot;nothing&quot; happened &amp; more."
    assert "&lt;b&gt;bold&lt;/b&gt;" in strings


def test_standalone_html_references_no_external_url():
    html = to_html(build_map(sample()))
    assert not [r for r in external_refs(html) if re.search(r"https?://|//", r)]
    assert external_refs(html) == []  # nothing to load at all: every asset is inline
    assert "<script src=" not in html and 'rel="stylesheet"' not in html
    assert "file://" not in html


def test_server_html_links_whitelisted_assets():
    html = to_html(build_map(sample()), assets_url="/assets/")
    refs = [r.split("=", 1)[1] for r in external_refs(html)]
    assert refs and all(r.startswith("/assets/") for r in refs)
    for ref in refs:
        assert assets.resolve(ref[len("/assets/"):]) is not None, ref


@pytest.mark.parametrize("relpath, ok", [
    ("leaflet/dist/leaflet.js", True), ("leaflet/dist/images/layers.png", True),
    ("leaflet.markercluster/dist/MarkerCluster.css", True), ("incident-map/incident-map.js", True),
    ("leaflet/package.json", False), ("../pyproject.toml", False), ("leaflet/dist/../../jquery/package.json", False),
    ("/etc/passwd", False), ("incident-map/../store.py", False), ("leaflet/dist/leaflet.js.map", False), ("", False),
])
def test_asset_whitelist(relpath, ok):
    assert (assets.resolve(relpath) is not None) is ok


def _options(html: str) -> dict:
    # IncidentMap.mount(map, Object.assign(OPTIONS, {data: DATA}))
    body = html[html.index("IncidentMap.mount("):]
    return json.JSONDecoder().raw_decode(body[body.index("Object.assign(") + len("Object.assign("):])[0]


def _data(html: str) -> dict:
    body = html[html.index("IncidentMap.mount("):]
    return json.JSONDecoder().raw_decode(body[body.index("{data: ") + len("{data: "):])[0]


def test_incidents_embedded_once_as_columns():
    incidents = sample()
    data = _data(to_html(build_map(incidents)))
    assert data["n"] == len(incidents)
    assert data["lat"][0] == 46.4825 and data["lon"][0] == 30.7233
    assert data["s"][data["loc"][4]] == "&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;"
    assert data["s"][data["url"][4]] == ""  # javascript: URL dropped
    assert data["s"][data["url"][0]] == "https://news.example/odesa"


def test_base_map_regions_and_labels_come_along(gazetteer):
    options = _options(to_html(build_map(sample(), gazetteer=gazetteer)))
    codes = {f["properties"]["admin1_code"] for f in options["admin1"]["features"]}
    assert {"UA.05", "UA.17", "RU.84", "CH.GE"} <= codes  # region shading and the choropleth use these
    assert not any(code.startswith("FR.") for code in codes)  # only the countries with incidents
    assert len(options["countries"]["features"]) > 150
    names = {(row[4], row[3]): row for row in options["labels"]}  # (name, kind: 0 country, 1 region, 2 town)
    assert ("Ukraine", 0) in names and ("Kyiv", 2) in names and ("Donetsk Oblast", 1) in names
    assert names[("Kyiv", 2)][2] < names[("Chernihiv", 2)][2]  # the capital shows at a lower zoom
    assert ("Lima", 2) not in names  # only around the incidents


def test_places_in_english_with_the_name_as_written():
    data = _data(to_html(build_map([make(location="Khān Yūnis", mention="Khan Younis", admin1="Gaza Strip"),
                                    make(id="d", location="Donetsk Oblast", mention="eastern Ukraine")])))
    assert [data["s"][k] for k in data["loc"]] == ["Khan Yunis", "Donetsk Oblast"]
    assert [data["s"][k] for k in data["wr"]] == ["Khan Younis", "eastern Ukraine"]


def test_offline_base_map_and_optional_tiles(gazetteer):
    m = build_map(sample(), gazetteer=gazetteer)
    assert not any(isinstance(c, folium.TileLayer) for c in m._children.values())
    html = to_html(m)
    assert "Natural Earth" in html and "GeoNames (CC BY 4.0)" in html
    assert "openstreetmap" not in html  # not even the opt-in layer's address
    assert _options(to_html(build_map(sample(), online_tiles=True)))["tiles"].startswith("https://")


def test_empty_map_renders():
    html = to_html(build_map([]))
    assert '"n":0' in html


@pytest.mark.parametrize("compress_above", [5000, 0])
def test_template_syntax_in_articles_stays_text(compress_above):
    """branca compiles rendered scripts as Jinja again: article text must not become template code."""
    quote = "Officials wrote {{ 7*7 }} and {% if true %}x{% endif %} {# note #} {{ self.__init__ }}."
    html = to_html(build_map([make(quote=quote, location="{{ config }}")], compress_above=compress_above))
    if compress_above:
        data = _data(html)
        assert data["q"] == [quote]  # nothing special to escape for HTML but the braces survive
        assert data["s"][data["loc"][0]] == "{{ config }}"
    else:
        assert '"b85":"' in html and "{{" not in html.split("{data: ")[1]
