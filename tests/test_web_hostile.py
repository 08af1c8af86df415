"""The web app against what a hostile user or a careless feed sends (issue 14), through the test client.

Each test is a defect found by attacking the server: it failed before the fix.
"""

from __future__ import annotations

import json
import logging
import re
import stat
import threading
import time

import pytest

from mapper.storage.store import Store
from test_web import ARTICLES, TOKEN, csrf_from, seed
from web import create_app

STORY = ("A Russian missile hit an industrial site on the outskirts of Mykolaiv on Tuesday, "
         "injuring four workers, the city's mayor said.")


@pytest.fixture
def seeded_url(db_url):
    seed(db_url)
    return db_url


@pytest.fixture
def make_app(seeded_url):
    """Apps on the seeded store, closed afterwards (their extraction workers stopped)."""
    made = []

    def make(**config):
        app = create_app({"DATABASE_URL": seeded_url, "TESTING": True, **config})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["incident_map"].close()


def stats(url: str) -> dict[str, int]:
    with Store.open(url) as store:
        return store.stats()


# -- open redirect ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/%09/evil.example/", "/%0a/evil.example/", "/%0d%0a/evil.example",
                                    "/%5Cevil.example", "//evil.example/", "https://evil.example/",
                                    "/%00/evil.example", "%09//evil.example", "/\\/evil.example"])
def test_login_never_redirects_off_site(make_app, target):
    # Without a token the sign-in page redirects at once; with one, after signing in.
    r = make_app().test_client().get(f"/login?next={target}")
    assert r.status_code == 302 and r.headers["Location"] == "/", r.headers["Location"]
    c = make_app(INCIDENT_MAP_TOKEN=TOKEN).test_client()
    page = c.get(f"/login?next={target}")
    next_value = re.search(rb'name="next" type="hidden" value="([^"]*)"', page.data).group(1).decode()
    import html

    r = c.post("/login", data={"csrf_token": csrf_from(page.data), "token": TOKEN, "who": "a",
                               "next": html.unescape(next_value)})
    assert r.status_code == 302 and r.headers["Location"] == "/", r.headers["Location"]


def test_login_still_returns_to_a_local_page(make_app):
    r = make_app().test_client().get("/login?next=/incidents%3Fcountry%3DUA")
    assert r.headers["Location"] == "/incidents?country=UA"


# -- one secret key for every worker ------------------------------------------------------------


def test_the_secret_key_is_made_once_and_shared(tmp_path, monkeypatch, seeded_url):
    monkeypatch.delenv("INCIDENT_MAP_SECRET_KEY", raising=False)
    monkeypatch.setenv("INCIDENT_MAP_HOME", str(tmp_path / "home"))
    first = create_app({"DATABASE_URL": seeded_url})
    second = create_app({"DATABASE_URL": seeded_url})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    key_file = tmp_path / "home" / "secret_key"
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # A form made by one app (worker) is accepted by the other.
    c1, c2 = first.test_client(), second.test_client()
    page = c1.get("/ingest")
    c2.set_cookie("session", c1.get_cookie("session").value)
    r = c2.post("/ingest", data={"csrf_token": csrf_from(page.data), "text": ""})
    assert r.status_code == 400 and b"paste the article text" in r.data and b"security token" not in r.data
    monkeypatch.setenv("INCIDENT_MAP_SECRET_KEY", "from-the-environment-" + "x" * 20)
    assert create_app({"DATABASE_URL": seeded_url}).config["SECRET_KEY"].startswith("from-the-environment-")


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    from web.settings import shared_secret_key

    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(shared_secret_key, [tmp_path] * 16))
    assert len(keys) == 1 and (tmp_path / "secret_key").read_text().strip() in keys
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left


# -- Host header (DNS rebinding) ----------------------------------------------------------------


def test_requests_for_another_host_name_are_refused(make_app, seeded_url):
    app = make_app(ALLOWED_HOSTS="127.0.0.1,localhost")
    c = app.test_client()
    before = stats(seeded_url)
    r = c.post("/api/articles", json={"text": STORY}, headers={"Host": "attacker.example"})
    assert r.status_code == 400 and "attacker.example" in r.get_json()["error"]
    assert c.get("/api/incidents", headers={"Host": "attacker.example:8000"}).status_code == 400
    assert c.get("/", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 400
    assert stats(seeded_url) == before
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "localhost."):
        assert c.get("/healthz", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_take_domains_and_ipv6(make_app):
    c = make_app(ALLOWED_HOSTS=[".example.org", "::1"]).test_client()
    for host, status in (("maps.example.org", 200), ("example.org:443", 200), ("[::1]:8000", 200),
                         ("evil-example.org", 400), ("example.org.evil.test", 400)):
        assert c.get("/healthz", headers={"Host": host}).status_code == status, host


# -- tokens ----------------------------------------------------------------------------------------


def test_a_non_ascii_token_works_as_utf8(make_app):
    token = "pässwörd-✓-ключ"
    c = make_app(INCIDENT_MAP_TOKEN=token).test_client()
    as_sent = token.encode("utf-8").decode("latin-1")  # how WSGI hands over the header's bytes
    r = c.post("/api/articles", json={"title": "no text"}, headers={"Authorization": f"Bearer {as_sent}"})
    assert r.status_code == 400  # past the token check: the body is what is wrong
    latin1 = token.encode("utf-8", "replace").decode("latin-1", "replace")[:-1]
    r = c.post("/api/articles", json={"title": "no text"}, headers={"Authorization": f"Bearer {latin1}"})
    assert r.status_code == 401


# -- filters and paging ---------------------------------------------------------------------------


def test_a_limit_over_the_maximum_says_so(make_app):
    r = make_app().test_client().get("/api/incidents?limit=10001")
    assert r.status_code == 400 and r.get_json()["error"] == "limit must be at most 10000"


@pytest.mark.parametrize("url", ["/incidents?page=" + "9" * 30, "/api/incidents?offset=" + "9" * 30,
                                 "/api/incidents?min_fatalities=" + "9" * 30, "/incidents?page=" + "9" * 5000])
def test_absurd_numbers_are_answered_not_500(make_app, url):
    r = make_app().test_client().get(url)
    assert r.status_code in (200, 400), r.data[:300]
    if url.startswith("/api/") and r.status_code == 200:
        assert r.get_json()["features"] == []


# -- bodies ----------------------------------------------------------------------------------------


def test_json_nested_100000_deep_is_400(make_app, seeded_url):
    before = stats(seeded_url)
    for body in ("[" * 100_000 + "]" * 100_000, '{"text": ' * 50_000 + '"x"' + "}" * 50_000):
        r = make_app().test_client().post("/api/articles", data=body, content_type="application/json")
        assert r.status_code == 400 and "nested too deeply" in r.get_json()["error"]
    assert stats(seeded_url) == before


@pytest.mark.parametrize("record, reason", [
    ({"text": STORY + " It happened last week.", "published": "0001-01-01"}, "out of range"),
    ({"text": STORY + " More is expected next week.", "published": "9999-12-31"}, "out of range"),
    ({"text": STORY, "published": "2026-13-45"}, "expected YYYY-MM-DD"),
    ({"text": "word " * 30_000}, "too long"),
])
def test_bad_articles_are_400_with_the_reason(make_app, seeded_url, record, reason):
    before = stats(seeded_url)
    r = make_app().test_client().post("/api/articles", json=record)
    assert r.status_code == 400 and reason in r.get_json()["error"]
    assert stats(seeded_url) == before


def test_the_ingest_form_refuses_an_impossible_date(make_app, seeded_url):
    c = make_app().test_client()
    for bad in ("2026-13-45", "0001-01-01", "2026-02-30"):
        page = c.get("/ingest")
        r = c.post("/ingest", data={"csrf_token": csrf_from(page.data), "text": STORY, "published": bad})
        assert r.status_code == 400 and b"Published" in r.data, bad
        page = c.get("/ingest")
        r = c.post("/ingest/save", data={"csrf_token": csrf_from(page.data), "text": STORY, "published": bad})
        assert r.status_code == 400, bad
    assert stats(seeded_url)["articles"] == 8


def test_lone_surrogates_and_control_characters_are_cleaned_not_500(make_app, seeded_url):
    body = ('{"text": %s, "title": "Drone strike \\ud83d", "source": "Example\\u202e Wire\\u0007", '
            '"url": "https://example-wire.test/\\udc00", "published": "2026-02-20"}'
            % json.dumps((ARTICLES / "rostov_drones_downed.txt").read_text(encoding="utf-8") + " \ud83d"))
    r = make_app().test_client().post("/api/articles", data=body, content_type="application/json")
    assert r.status_code == 201, r.get_json()
    with Store.open(seeded_url) as store:
        stored = store.get(r.get_json()["result"]["ids"][0])
    assert stored.source == "Example Wire" and "\ufffd" not in (stored.source_url or "")


# -- the store refuses: short answers, details in the log ---------------------------------------------


def test_a_read_only_store_answers_503_without_sql_or_article(make_app, seeded_url, caplog):
    path = seeded_url.removeprefix("sqlite:///")
    app = make_app(DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true")
    c = app.test_client()
    assert c.get("/api/incidents").status_code == 200  # reads work
    record = {"text": STORY, "published": "2026-02-20"}
    r = c.post("/api/articles", json=record)
    assert r.status_code == 503 and "read-only" in r.get_json()["error"]
    # The same refusal from SQLite itself, when the store did not know beforehand: the client
    # gets one short line, the server log the database's own words (the SQL included).
    app.extensions["incident_map"].store.read_only = False
    with caplog.at_level(logging.WARNING, logger="web.errors"):
        r = c.post("/api/articles", json=record)
    assert r.status_code == 503 and "read-only" in r.get_json()["error"]
    assert len(r.get_json()["error"]) < 200
    for leak in ("SQL", "INSERT", "sqlalche.me", "Mykolaiv", "parameters"):
        assert leak not in r.get_data(as_text=True), leak
    assert any("INSERT INTO" in rec.getMessage() for rec in caplog.records), "the detail goes to the log"


# -- answers give ids that resolve ------------------------------------------------------------------


def test_ids_in_the_answer_resolve_after_a_merge_and_on_a_repost(make_app, seeded_url):
    from mapper.articles import read_article

    c = make_app().test_client()
    records = []
    for name in ("merge_kharkiv_a.txt", "merge_kharkiv_b.json"):
        a = read_article(ARTICLES / name)
        records.append({"text": a.text, "published": a.published.isoformat(), "url": a.url,
                        "title": a.title, "source": a.source})
    first = c.post("/api/articles", json=records[0]).get_json()
    second = c.post("/api/articles", json=records[1]).get_json()
    assert second["result"]["merged"] >= 1, second["result"]
    again = c.post("/api/articles", json=records[1])
    assert again.status_code == 201 and again.get_json()["result"]["skipped"] is True
    for answer in (first, second, again.get_json()):
        assert answer["features"], answer
        for feature in answer["features"]:
            assert feature["id"] == feature["properties"]["id"]
            stored = c.get(f"/api/incidents/{feature['id']}")
            assert stored.status_code == 200, feature["id"]
    kharkiv = {f["id"] for f in first["features"]} & {f["id"] for f in second["features"]}
    assert kharkiv, "the second report names the incident the first one created"


# -- extraction: a time budget, and never on the threads that serve reads -------------------------


SLOW = "A drone hit Kharkiv on Friday, killing two people, officials said.\n\n" + "!?" * 40_000 + "\n\nMore later."


def test_an_article_past_the_time_budget_is_422_and_nothing_is_stored(make_app, seeded_url):
    c = make_app(EXTRACT_TIME_BUDGET=1.0).test_client()
    t0 = time.perf_counter()
    r = c.post("/api/articles", json={"text": SLOW, "published": "2026-02-13"})
    assert r.status_code == 422 and "time budget of 1 s" in r.get_json()["error"]
    assert time.perf_counter() - t0 < 60  # the whole article takes minutes
    assert stats(seeded_url)["articles"] == 8
    ok = c.post("/api/articles", json={"text": STORY, "published": "2026-02-17"})
    assert ok.status_code == 201  # a fresh worker took over


def test_reads_are_answered_while_articles_are_extracted(make_app):
    app = make_app(EXTRACT_TIME_BUDGET=4.0, MAX_PENDING_WRITES=1)
    c = app.test_client()
    c.post("/api/articles", json={"text": STORY, "published": "2026-02-17"})  # the worker is loaded
    answers = {}

    def post():
        answers["slow"] = app.test_client().post("/api/articles", json={"text": SLOW, "published": "2026-02-13"})

    writer = threading.Thread(target=post)
    writer.start()
    time.sleep(0.5)
    # A second write has no slot: 503 at once, with Retry-After, rather than a thread tied up.
    busy = c.post("/api/articles", json={"text": STORY + " Update.", "published": "2026-02-18"})
    assert busy.status_code == 503 and busy.headers["Retry-After"] and "busy" in busy.get_json()["error"]
    latencies = []
    while writer.is_alive() and len(latencies) < 50:
        t0 = time.perf_counter()
        assert c.get("/healthz").status_code == 200
        latencies.append(time.perf_counter() - t0)
    writer.join()
    assert answers["slow"].status_code == 422  # past its budget
    assert len(latencies) >= 10 and sorted(latencies)[len(latencies) // 2] < 0.5, latencies
