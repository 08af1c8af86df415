"""The web app through Flask's test client: API answers, errors, auth, CSRF, pages, escaping."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from mapper.records import Article, Incident
from mapper.storage.store import Store
from web import create_app

DATA = Path(__file__).parent / "data"
SEED = DATA / "web_incidents.geojson"
ARTICLES = DATA / "articles"
TOKEN = "test-token-9f2c"


def seed(url: str) -> list[Incident]:
    """Stores the hand-written incidents of web_incidents.geojson, one article each."""
    features = json.loads(SEED.read_text(encoding="utf-8"))["features"]
    incidents = [Incident.from_feature(f) for f in features]
    with Store.open(url) as store:
        for i in incidents:
            article = Article(text=i.quote, published=i.published, url=i.source_url, source=i.source,
                              title=f"{i.sub_event_type} in {i.location}")
            store.ingest(article, [i])
    return incidents


@pytest.fixture
def seeded(db_url: str) -> list[Incident]:
    return seed(db_url)


@pytest.fixture
def app(db_url: str, seeded):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    yield app
    app.extensions["incident_map"].close()  # stops its extraction worker, if one was started


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def locked(db_url: str, seeded):
    """An app with a write token set, as on a shared server."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "INCIDENT_MAP_TOKEN": TOKEN})
    yield app
    app.extensions["incident_map"].close()


def csrf_from(html: bytes) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return (match.group(1) or match.group(2)).decode()


def ids(body: dict) -> set[str]:
    return {f["properties"]["id"] for f in body["features"]}


# -- API: reads ------------------------------------------------------------------------------


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "articles": 8, "incidents": 8}


def test_incidents_is_a_feature_collection(client, seeded):
    body = client.get("/api/incidents").get_json()
    assert body["type"] == "FeatureCollection"
    assert ids(body) == {i.id for i in seeded}
    odesa = next(f for f in body["features"] if f["id"] == "web-odesa-port")
    assert odesa["geometry"] == {"type": "Point", "coordinates": [30.7233, 46.4825]}  # [lon, lat]
    assert odesa["properties"]["fatalities"] == 1 and odesa["properties"]["injured"] == 6


@pytest.mark.parametrize(("query", "expected"), [
    ("type=strikes", {"web-odesa-port", "web-donetsk-region", "web-hostile-izium"}),
    ("type=Disrupted weapons use", {"web-volgograd-drones"}),
    ("type=diplomacy", {"web-geneva-talks", "web-munich-visit"}),
    ("country=ru", {"web-volgograd-drones"}),
    ("since=2026-02-14", {"web-geneva-talks", "web-hostile-izium"}),
    ("since=2026-01-01&until=2026-01-31", {"web-kupiansk-clash", "web-el-fasher-attack"}),
    ("min_fatalities=4", {"web-kupiansk-clash", "web-el-fasher-attack"}),
    ("actor=rapid support", {"web-el-fasher-attack"}),
    ("q=drone factory", {"web-munich-visit"}),
    ("bbox=29,45,32,48", {"web-odesa-port"}),
    ("bbox=36,47,39,50&type=strikes", {"web-donetsk-region", "web-hostile-izium"}),
])
def test_filters_narrow_the_api(client, query, expected):
    r = client.get(f"/api/incidents?{query}")
    assert r.status_code == 200, r.get_json()
    assert ids(r.get_json()) == expected


def test_paging(client):
    first = client.get("/api/incidents?limit=3").get_json()
    rest = client.get("/api/incidents?limit=10&offset=3").get_json()
    assert len(first["features"]) == 3 and first["limit"] == 3
    assert len(rest["features"]) == 5
    assert not ids(first) & ids(rest)


@pytest.mark.parametrize("query", [
    "bbox=1,2,3", "bbox=a,b,c,d", "bbox=0,50,10,40", "bbox=0,0,200,10",
    "since=2026-13-01", "since=yesterday", "since=2026-03-01&until=2026-02-01",
    "type=picnic", "country=ZZ", "country=Narnia", "min_fatalities=-1", "min_fatalities=lots",
    "limit=0", "limit=1000000", "offset=-5", "contry=UA",
])
def test_bad_filters_are_400_json(client, query):
    r = client.get(f"/api/incidents?{query}")
    assert r.status_code == 400
    assert r.is_json and r.get_json()["error"]


def test_one_incident_and_404(client):
    r = client.get("/api/incidents/web-geneva-talks")
    assert r.status_code == 200
    assert r.get_json()["properties"]["event_date_end"] == "2026-02-18"
    r = client.get("/api/incidents/no-such-id")
    assert r.status_code == 404 and "no-such-id" in r.get_json()["error"]
    assert client.get("/api/nothing-here").get_json()["error"]


def test_export_geojson_respects_filters(client):
    r = client.get("/api/export.geojson?country=UA")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    body = json.loads(r.data)
    assert {f["properties"]["country"] for f in body["features"]} == {"UA"}
    assert len(body["features"]) == 4


def test_export_csv_respects_filters(client):
    r = client.get("/api/export.csv?type=diplomacy")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert {row["location"] for row in rows} == {"Geneva", "Munich"}


def test_audit_trail_endpoint(client):
    assert client.get("/api/incidents/web-odesa-port/audit").get_json() == {"audit": []}
    assert client.get("/api/incidents/nope/audit").status_code == 404


# -- API: writes -------------------------------------------------------------------------------


def test_post_article_rejects_malformed_json(client):
    r = client.post("/api/articles", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]
    r = client.post("/api/articles", json=["a", "list"])
    assert r.status_code == 400
    r = client.post("/api/articles", json={"title": "no text"})
    assert r.status_code == 400 and "text" in r.get_json()["error"]


def test_oversized_body_is_413(db_url, seeded):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "MAX_CONTENT_LENGTH": 1000})
    r = app.test_client().post("/api/articles", json={"text": "x" * 5000})
    assert r.status_code == 413 and r.get_json()["error"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_writes_need_the_token(locked, header):
    headers = {"Authorization": header} if header else {}
    r = locked.test_client().post("/api/articles", json={"text": "A strike hit Odesa."}, headers=headers)
    assert r.status_code == 401 and "token" in r.get_json()["error"].lower()


def test_reads_stay_open_with_a_token(locked):
    assert locked.test_client().get("/api/incidents").status_code == 200


def test_post_article_extracts_and_stores(locked, gazetteer, nlp):
    record = {"text": (ARTICLES / "rostov_drones_downed.txt").read_text(encoding="utf-8"),
              "published": "2026-02-20", "url": "https://example-wire.test/rostov", "source": "Example Wire"}
    c = locked.test_client()
    r = c.post("/api/articles", json=record, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["type"] == "FeatureCollection" and body["features"]
    assert body["result"]["new"] + body["result"]["merged"] == len(body["features"])
    stored = c.get(f"/api/incidents/{body['result']['ids'][0]}")
    assert stored.status_code == 200
    # Idempotent: the same article again is recognised by its content hash.
    again = c.post("/api/articles", json=record, headers={"Authorization": f"Bearer {TOKEN}"}).get_json()
    assert again["result"]["skipped"] is True


# -- pages -------------------------------------------------------------------------------------


def test_map_page_is_a_small_local_shell(client):
    r = client.get("/?country=UA&type=strikes&focus=web-odesa-port")
    assert r.status_code == 200
    html = r.data.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the page must load nothing from elsewhere"
    config = json.loads(re.search(r"data-config='([^']*)'", html).group(1))
    assert config["api"]["data"] == "/api/map/data" and config["api"]["summary"] == "/api/summary"
    assert '<option value="strikes" selected>' in html
    assert config["focus"] == "web-odesa-port"
    assert [f["key"] for f in config["families"]][:2] == ["strikes", "shot_down"]
    assert 'value="UA"' in html  # the form shows the state of the URL
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]


def test_map_page_with_bad_filters_says_why(client):
    r = client.get("/?since=not-a-date")
    assert r.status_code == 400 and b"since" in r.data


def test_table_filters_sorts_and_pages(db_url, seeded):
    c = create_app({"DATABASE_URL": db_url, "TESTING": True, "TABLE_PAGE_SIZE": 3}).test_client()
    html = c.get("/incidents").data.decode()
    assert 'id="total">8<' in html and "page 1 of 3" in html
    html = c.get("/incidents?country=UA&sort=fatalities&dir=desc").data.decode()
    rows = re.findall(r'<tr data-id="([^"]+)"', html)
    assert rows == ["web-kupiansk-clash", "web-donetsk-region", "web-odesa-port"]
    page2 = c.get("/incidents?country=UA&sort=fatalities&dir=desc&page=2").data.decode()
    assert re.findall(r'<tr data-id="([^"]+)"', page2) == ["web-hostile-izium"]  # no fatalities: last
    # Each row links to its marker, keeping the filters.
    assert "/?focus=web-kupiansk-clash&amp;country=UA" in html or "focus=web-kupiansk-clash" in html


def test_incident_page_shows_everything(client):
    html = client.get("/incidents/web-donetsk-region").data.decode()
    for text in ("Three teenage brothers", "Donetsk regional prosecutor", "Example Wire", "geo_precision",
                 "https://example-wire.test/2026/web-donetsk-region", "No changes yet"):
        assert text in html
    assert client.get("/incidents/nope").status_code == 404


def test_article_text_is_escaped_in_pages(client):
    for url in ("/incidents/web-hostile-izium", "/incidents?q=izium"):
        html = client.get(url).data.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html
        assert 'href="javascript:' not in html


def test_writes_from_pages_need_csrf(client):
    r = client.post("/incidents/web-odesa-port/merge", data={"other_id": "web-munich-visit"})
    assert r.status_code == 400 and b"security token" in r.data


def test_correct_location_by_typed_coordinates(locked):
    c = locked.test_client()
    page = c.get("/incidents/web-odesa-port")
    assert b"Sign in" in page.data and b'id="correct-form"' not in page.data
    login = c.get("/login")
    r = c.post("/incidents/web-odesa-port/correct", data={"csrf_token": csrf_from(login.data), "lat": "46.5", "lon": "30.7"})
    assert r.status_code == 403
    assert c.post("/login", data={"csrf_token": csrf_from(login.data), "token": "nope", "who": "x"}).status_code == 403
    r = c.post("/login", data={"csrf_token": csrf_from(login.data), "token": TOKEN, "who": "Desk editor",
                               "next": "/incidents/web-odesa-port"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/incidents/web-odesa-port")
    page = c.get("/incidents/web-odesa-port")
    r = c.post("/incidents/web-odesa-port/correct", data={
        "csrf_token": csrf_from(page.data), "name": "Odesa port", "lat": "46.4967", "lon": "30.7561",
        "note": "the port, not the city centre"})
    assert r.status_code == 302
    moved = c.get("/api/incidents/web-odesa-port").get_json()
    assert moved["geometry"]["coordinates"] == [30.7561, 46.4967]
    assert moved["properties"]["location"] == "Odesa port"
    trail = c.get("/api/incidents/web-odesa-port/audit").get_json()["audit"]
    assert len(trail) == 1 and trail[0]["who"] == "Desk editor" and trail[0]["before"]["location"] == "Odesa"
    assert trail[0]["after"]["lat"] == 46.4967
    assert "Desk editor" in c.get("/incidents/web-odesa-port").data.decode()


def test_merge_duplicates_from_the_page(client):
    page = client.get("/incidents/web-munich-visit")
    r = client.post("/incidents/web-munich-visit/merge",
                    data={"csrf_token": csrf_from(page.data), "other_id": "web-geneva-talks"})
    assert r.status_code == 302
    gone = client.get("/api/incidents/web-geneva-talks")  # answers with the surviving incident
    assert gone.status_code == 308 and gone.headers["Location"].endswith("/api/incidents/web-munich-visit")
    trail = client.get("/api/incidents/web-munich-visit/audit").get_json()["audit"]
    assert trail[0]["action"] == "merge" and trail[0]["who"] == "anonymous"
    page = client.get("/incidents/web-munich-visit")
    r = client.post("/incidents/web-munich-visit/merge", data={"csrf_token": csrf_from(page.data), "other_id": "nope"})
    assert r.status_code == 404


def test_login_does_not_redirect_elsewhere(locked):
    c = locked.test_client()
    login = c.get("/login")
    r = c.post("/login", data={"csrf_token": csrf_from(login.data), "token": TOKEN, "who": "a",
                               "next": "//evil.example/"})
    assert r.headers["Location"] == "/"


def test_ingest_page_needs_sign_in_when_locked(locked):
    r = locked.test_client().get("/ingest")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_ingest_preview_then_save(client, gazetteer, nlp):
    page = client.get("/ingest")
    text = (ARTICLES / "rostov_drones_downed.txt").read_text(encoding="utf-8")
    r = client.post("/ingest", data={"csrf_token": csrf_from(page.data), "text": text, "published": "2026-02-20"})
    assert r.status_code == 200
    html = r.data.decode()
    assert "Nothing is saved yet" in html and 'id="save-form"' in html
    before = client.get("/healthz").get_json()["incidents"]
    save_token = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[-1]
    fields = dict(re.findall(r'<input id="(published|url|title|source)" name="\1" type="hidden" value="([^"]*)"', html))
    text_back = re.search(r'<textarea hidden id="text" name="text"[^>]*>\r?\n?(.*?)</textarea>', html, re.S).group(1)
    import html as htmllib

    r = client.post("/ingest/save", data={"csrf_token": save_token, "text": htmllib.unescape(text_back), **fields})
    assert r.status_code == 302 and "focus=" in r.headers["Location"]
    assert client.get("/healthz").get_json()["incidents"] > before


def test_ingest_upload(client, gazetteer, nlp):
    page = client.get("/ingest")
    data = {"csrf_token": csrf_from(page.data),
            "upload": (io.BytesIO((ARTICLES / "design_example.html").read_bytes()), "design_example.html")}
    r = client.post("/ingest", data=data, content_type="multipart/form-data")
    assert r.status_code == 200 and "Odesa" in r.data.decode()


def test_ingest_refuses_other_file_types(client):
    page = client.get("/ingest")
    data = {"csrf_token": csrf_from(page.data), "upload": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")}
    r = client.post("/ingest", data=data, content_type="multipart/form-data")
    assert r.status_code == 400 and b".txt" in r.data


# -- plumbing ----------------------------------------------------------------------------------


def test_assets_are_whitelisted(client):
    r = client.get("/assets/leaflet/dist/leaflet.js")
    assert r.status_code == 200 and b"Leaflet 1.9.4" in r.data[:200]
    for bad in ("/assets/leaflet/package.json", "/assets/../pyproject.toml", "/assets/leaflet/dist/../../../dev",
                "/assets/%2e%2e/%2e%2e/pyproject.toml"):
        assert client.get(bad).status_code == 404, bad


def test_heavy_objects_are_built_once(app):
    c = app.test_client()
    c.get("/api/incidents")
    store = app.extensions["incident_map"].store
    c.get("/api/incidents?country=UA")
    c.get("/incidents")
    assert app.extensions["incident_map"].store is store
    assert app.extensions["incident_map"]._extractor is None  # reads never start an extraction worker


def test_config_from_a_mapping_and_environment(monkeypatch, db_url):
    monkeypatch.setenv("INCIDENT_MAP_TOKEN", "from-env")
    assert create_app({"DATABASE_URL": db_url}).config["INCIDENT_MAP_TOKEN"] == "from-env"
    assert create_app({"DATABASE_URL": db_url, "INCIDENT_MAP_TOKEN": "given"}).config["INCIDENT_MAP_TOKEN"] == "given"
    monkeypatch.setenv("INCIDENT_MAP_DB", db_url)
    assert create_app().config["DATABASE_URL"] == db_url
    # one key for every app (worker) and restart: see test_web_hostile.py
    assert create_app().config["SECRET_KEY"] == create_app().config["SECRET_KEY"]


def test_article_dates_round_trip(seeded):
    # The seed file itself is a valid RFC 7946 collection our records read back.
    assert seeded[3].event_date_end == date(2026, 2, 18)


def test_analysis_map_is_served_with_local_assets(client, gazetteer):
    r = client.get("/map.html?type=strikes")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.data.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "/assets/leaflet/dist/leaflet.js" in html
    assert "web-odesa-port" in html and "web-munich-visit" not in html
    download = client.get("/map.html?type=strikes&download=1")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "/assets/" not in download.data.decode()  # standalone: everything inlined
    assert client.get("/map.html?type=picnic").status_code == 400


def test_every_setting_is_documented():
    from web.settings import SETTINGS

    root = Path(__file__).parent.parent
    docs = "".join((root / name).read_text(encoding="utf-8") for name in ("README.md", "docs/operations.md"))
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in docs]
    assert not missing, f"settings missing from README.md and docs/operations.md: {missing}"
    assert all(s.help for s in SETTINGS)


def test_list_and_single_answers_agree(client):
    listed = client.get("/api/incidents").get_json()["features"]
    for feature in listed:
        assert client.get(f"/api/incidents/{feature['id']}").get_json() == feature


@pytest.mark.parametrize(("method", "url", "status"), [
    ("post", "/api/incidents", 405),
    ("delete", "/api/incidents/web-odesa-port", 405),
    ("get", "/api/articles", 405),
])
def test_wrong_methods_are_json_errors(client, method, url, status):
    r = getattr(client, method)(url)
    assert r.status_code == status and r.get_json()["error"]


@pytest.mark.parametrize("record", [{"text": ""}, {"text": "   "}, {"text": 42}, {"text": "x", "published": "13/02/2026"}])
def test_unusable_articles_are_400(client, record):
    r = client.post("/api/articles", json=record)
    assert r.status_code == 400, r.get_json()
    assert r.get_json()["error"]


def test_correct_location_to_a_gazetteer_candidate(client, gazetteer):
    html = client.get("/incidents/web-odesa-port").data.decode()
    offered = re.findall(r'name="geonameid" type="hidden" value="(\d+)"', html)
    assert offered, "the page lists the gazetteer's candidates for Odesa"
    texas = next(p for p in gazetteer.candidates("Odesa", limit=10) if p.country == "US")
    assert str(texas.geonameid) in offered
    r = client.post("/incidents/web-odesa-port/correct",
                    data={"csrf_token": csrf_from(html.encode()), "geonameid": str(texas.geonameid)})
    assert r.status_code == 302
    moved = client.get("/api/incidents/web-odesa-port").get_json()
    assert moved["properties"]["country"] == "US" and moved["properties"]["geonameid"] == texas.geonameid
    # A geonameid that is not among the candidates is refused, not looked up blindly.
    html = client.get("/incidents/web-odesa-port").data.decode()
    r = client.post("/incidents/web-odesa-port/correct", data={"csrf_token": csrf_from(html.encode()), "geonameid": "1"})
    assert r.status_code == 400


def test_post_article_needs_a_json_content_type(client):
    # A cross-site form can send text/plain that looks like JSON; it must not be accepted.
    r = client.post("/api/articles", data='{"text": "Shelling hit Odesa.", "x": "="}', content_type="text/plain")
    assert r.status_code == 415 and "application/json" in r.get_json()["error"]


def test_possible_duplicates_are_offered_and_merged(client, db_url):
    near = Incident(id="web-odesa-port-next-day", lat=46.52, lon=30.80, event_date=date(2026, 2, 14),
                    event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Odesa port",
                    mention="Odesa", quote="A drone hit the Odesa port area on Saturday, local officials said.",
                    country="UA", injured=2, source="Other Wire", source_url="https://other-wire.test/odesa")
    with Store.open(db_url) as store:
        store.ingest(Article(text=near.quote, published=date(2026, 2, 14), url=near.source_url, source="Other Wire"), [near])
    html = client.get("/incidents/web-odesa-port").data.decode()
    offered = re.findall(r'<tr data-id="([^"]+)"', html.split('id="duplicates"')[1].split("</table>")[0])
    assert offered == ["web-odesa-port-next-day"]  # not Munich (other family), not Donetsk (too far)
    r = client.post("/incidents/web-odesa-port/merge",
                    data={"csrf_token": csrf_from(html.encode()), "other_id": "web-odesa-port-next-day"})
    assert r.status_code == 302
    kept = client.get("/api/incidents/web-odesa-port").get_json()["properties"]
    assert {s["source"] for s in kept["sources"]} >= {"Example Wire", "Other Wire"}


def test_region_outlines(client, gazetteer):
    body = client.get("/api/regions.geojson?codes=UA.05,RU.84,ZZ.99").get_json()
    assert [f["id"] for f in body["features"]] == ["UA.05", "RU.84"]
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert client.get("/api/regions.geojson?codes=<script>").status_code == 400
    assert client.get("/api/regions.geojson").get_json()["features"] == []
