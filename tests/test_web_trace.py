"""The incident page shows why each report gave the incident (its trace), escaped like all text."""

from __future__ import annotations

import pytest

from web import create_app

STORY = ("KHERSON (Wire) - Russian shelling hit a bus stop in Kherson on Monday, killing two people and "
         "wounding four, the regional governor said.")


@pytest.fixture
def client(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    yield app.test_client()
    app.extensions["incident_map"].close()


def test_the_incident_page_shows_the_trace(client):
    posted = client.post("/api/articles", json={"text": STORY, "published": "2026-03-03", "source": "Wire"})
    assert posted.status_code == 201, posted.get_json()
    (feature,) = [f for f in posted.get_json()["features"] if f["properties"]["location"] == "Kherson"]
    assert "trace" not in feature["properties"]["sources"][0]  # the API answer stays lean
    page = client.get(f"/incidents/{feature['id']}").get_data(as_text=True)
    assert "Why: how this report" in page
    assert "sense ranker" in page and "place model" in page  # how Kherson was found and placed
    assert "<dt>trigger</dt>" in page and "shelling" in page.lower()
