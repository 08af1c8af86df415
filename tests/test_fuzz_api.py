"""Fuzzing the web app through the test client: the article API, the ingest form and every filter.

Whatever arrives: no 500, an error is `{"error": ...}` (or a page saying why), and nothing is
stored partially: a refused article leaves the store as it was, an accepted one is there whole
with ids that resolve.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from fuzz_inputs import FUZZ, NASTY, articles_ish, dumps, json_documents, likely_dates, nasty_text, prose, query_params
from mapper.storage.store import Store
from test_web import seed
from web import create_app


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One seeded store and two apps over it (API; forms without CSRF to reach their validation),
    shared by every example: one extraction worker, not one per example."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'incidents.sqlite'}"
    seed(url)
    api = create_app({"DATABASE_URL": url, "TESTING": True, "EXTRACT_TIME_BUDGET": 30})
    forms = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False, "EXTRACT_TIME_BUDGET": 30})
    yield url, api.test_client(), forms.test_client()
    for app in (api, forms):
        app.extensions["incident_map"].close()


def snapshot(url: str) -> tuple[dict[str, int], str]:
    with Store.open(url) as store:
        return store.stats(), store.version()


def assert_answer(r) -> None:
    assert r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:500])
    if r.is_json and r.status_code >= 400:
        assert isinstance(r.get_json().get("error"), str) and r.get_json()["error"]


@settings(FUZZ, max_examples=60)
@given(body=st.one_of(json_documents, articles_ish.map(dumps)))
def test_post_article_never_500_and_never_half_stored(served, body):
    url, api, _ = served
    before = snapshot(url)
    r = api.post("/api/articles", data=body.encode("utf-8", "surrogatepass"), content_type="application/json")
    event(f"status {r.status_code}")
    assert_answer(r)
    if r.status_code != 201:
        assert snapshot(url) == before  # refused: nothing written
        return
    answer = r.get_json()
    with Store.open(url) as store:
        assert store.has_article(answer["article_id"])
        for feature in answer["features"]:
            assert store.get(feature["id"]).id == feature["id"]
    if not answer["result"]["skipped"]:
        assert answer["result"]["new"] + answer["result"]["merged"] == len(answer["features"])


@settings(FUZZ, max_examples=40)
@given(fields=st.fixed_dictionaries({}, optional={
    "text": st.one_of(prose, nasty_text), "published": likely_dates.map(str),
    "url": st.one_of(st.just(""), st.just("https://example-wire.test/a"), nasty_text),
    "title": st.one_of(st.just(""), prose, nasty_text), "source": st.one_of(st.just(""), nasty_text)}))
def test_the_ingest_form_never_500(served, fields):
    url, _, forms = served
    before = snapshot(url)
    data = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in fields.items()}
    preview = forms.post("/ingest", data=data)  # the preview stores nothing
    event(f"preview {preview.status_code}")
    assert_answer(preview)
    assert snapshot(url) == before
    r = forms.post("/ingest/save", data=data)
    assert_answer(r)
    if r.status_code != 302:
        assert snapshot(url) == before


@FUZZ
@given(params=query_params, path=st.sampled_from(["/api/incidents", "/incidents", "/", "/api/export.geojson"]))
def test_filters_never_500(served, params, path):
    _, api, _ = served
    query = urlencode({k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in params.items()})
    r = api.get(f"{path}?{query}")
    event(f"status {r.status_code}")
    assert_answer(r)
    if path.startswith("/api/") and r.status_code == 200:
        assert r.get_json()["type"] == "FeatureCollection"


@FUZZ
@given(segment=st.one_of(nasty_text, st.sampled_from(NASTY)),
       kind=st.sampled_from(["/api/incidents/{}", "/incidents/{}", "/api/incidents/{}/audit", "/login?next={}",
                             "/api/regions.geojson?codes={}", "/assets/{}"]))
def test_ids_and_paths_never_500(served, segment, kind):
    from urllib.parse import quote

    _, api, _ = served
    value = quote(segment.encode("utf-8", "surrogatepass").decode("utf-8", "replace"), safe="")
    r = api.get(kind.format(value))
    assert_answer(r)
    if r.status_code in (301, 302, 303):
        location = r.headers["Location"]
        assert location.startswith("/") and not location.startswith("//")


@FUZZ
@given(header=st.one_of(nasty_text, nasty_text.map(lambda t: f"Bearer {t}")), host=st.one_of(nasty_text, st.just("localhost")))
def test_headers_never_500(served, header, host):
    _, api, _ = served
    safe = {k: v.encode("utf-8", "surrogatepass").decode("latin-1") for k, v in
            (("Authorization", header), ("Host", host))}
    if any(ch in v for v in safe.values() for ch in "\r\n\x00"):
        return  # not a header a client can send
    assert_answer(api.post("/api/articles", json={"title": "x"}, headers=safe))
