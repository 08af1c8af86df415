"""Merging in the store: at ingest (same incident from two articles) and by hand (duplicates)."""

from __future__ import annotations

from datetime import date

import pytest

from mapper.errors import NotFoundError, StoreError
from mapper.records import Article
from mapper.storage.store import Store

from test_store import GENEVA, ODESA, incident, talks

SECOND = Article(text="Odesa port strike: one dead, seven hurt, officials say.", published=date(2026, 2, 14),
                 url="https://other.example/odesa", source="Other Daily")


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


def test_same_incident_from_a_second_article_is_merged(store):
    store.ingest(ODESA, [incident()])
    again = incident(id="odesa-2", injured=7, quote="Odesa port strike: one dead, seven hurt.")
    result = store.ingest(SECOND, [again])
    assert (result.new, result.merged, result.ids) == (0, 1, ("odesa-1",))
    [kept] = store.query()
    assert {s["article_id"] for s in kept.sources} == {ODESA.id, SECOND.id}
    [entry] = store.audit("odesa-1")
    assert (entry["who"], entry["action"]) == ("ingest", "merge_report")
    assert SECOND.id in entry["note"] and len(entry["after"]["sources"]) == 2


def test_manual_merge_keeps_audit_for_both(store):
    store.ingest(ODESA, [incident()])
    store.ingest(GENEVA, [talks()])
    merged = store.merge("odesa-1", "geneva-1", who="desk")
    assert merged.id == "odesa-1"
    assert store.count() == 1
    with pytest.raises(NotFoundError):
        store.get("geneva-1")
    assert [e["action"] for e in store.audit("odesa-1")] == ["merge"]
    [gone] = store.audit("geneva-1")
    assert gone["action"] == "merged_into" and gone["after"] == {"merged_into": "odesa-1"}
    assert gone["before"]["location"] == "Geneva"
    assert {s["article_id"] for s in store.get("odesa-1").sources} == {ODESA.id, GENEVA.id}


def test_merge_errors(store):
    store.ingest(ODESA, [incident()])
    with pytest.raises(StoreError, match="into itself"):
        store.merge("odesa-1", "odesa-1", who="desk")
    with pytest.raises(NotFoundError):
        store.merge("odesa-1", "nope", who="desk")
