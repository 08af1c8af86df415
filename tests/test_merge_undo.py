"""Reversible merges, ranked duplicate suggestions and field-level audit diffs (mapper.storage)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mapper.errors import NotFoundError, StoreError
from mapper.records import Article, Incident
from mapper.storage import audit
from mapper.storage.duplicates import suggest
from mapper.storage.store import Store

BASE = Incident(id="odesa-a", lat=46.4825, lon=30.7233, event_date=date(2026, 2, 13),
                event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Odesa",
                mention="Odesa", quote="A drone struck the port of Odesa, killing one person.", country="UA",
                fatalities=1, injured=6, source="Example Wire", source_url="https://example.test/a")


def store_with(db_url, *incidents):
    store = Store.open(db_url)
    for i in incidents:
        store.ingest(Article(text=i.quote, published=i.event_date, url=i.source_url, source=i.source), [i])
    return store


@pytest.fixture
def two(db_url):
    other = replace(BASE, id="odesa-b", lat=46.52, lon=30.83, quote="Drones hit Odesa port; one died.",
                    source="Other Wire", source_url="https://other.test/b", injured=4)
    store = store_with(db_url, BASE, other)
    assert store.stats()["incidents"] == 2  # 8 km apart: not merged on ingest
    yield store
    store.close()


def test_unmerge_restores_both_with_their_sources(two):
    before_a, before_b = two.get("odesa-a"), two.get("odesa-b")
    merged = audit.merge(two, "odesa-a", "odesa-b", who="desk")
    assert len(merged.sources) == 2 and two.stats()["incidents"] == 1
    assert audit.survivor(two, "odesa-b") == "odesa-a"
    assert audit.undoable(two, "odesa-a").dropped == "odesa-b"
    kept, restored = audit.unmerge(two, "odesa-a", who="desk")
    assert two.get("odesa-a") == before_a and two.get("odesa-b") == before_b  # coordinates, figures, sources
    assert [s["source"] for s in two.get("odesa-b").sources] == ["Other Wire"]
    assert audit.survivor(two, "odesa-b") == "odesa-b"
    assert audit.undoable(two, "odesa-a") is None  # nothing left to undo
    with pytest.raises(StoreError, match="no merge to undo"):
        audit.unmerge(two, "odesa-a", who="desk")


def test_no_unmerge_after_a_later_change(two, db_url):
    from gazetteer.place import Place

    audit.merge(two, "odesa-a", "odesa-b", who="desk")
    two.correct_location("odesa-a", Place("Odesa port", 46.5, 30.75, "UA"), who="desk")
    with pytest.raises(StoreError, match="changed after the merge"):
        audit.unmerge(two, "odesa-a", who="desk")
    with pytest.raises(NotFoundError):
        audit.unmerge(two, "nope", who="desk")


def test_field_diff_shows_only_what_changed(two):
    audit.merge(two, "odesa-a", "odesa-b", who="desk")
    trail = two.audit("odesa-a")
    merge_row = next(r for r in trail if r["action"] == "merge")
    changes = {c.field: c for c in audit.field_diff(merge_row)}
    assert set(changes) == {"sources"}  # same day, same toll: only the sources change
    assert changes["sources"].before == "1" and changes["sources"].after.startswith("2 (+ Other Wire")
    assert audit.field_diff(trail[-1]) is None  # the undo record is not shown
    gone = audit.field_diff(two.audit("odesa-b")[-1])
    assert [(c.field, c.after) for c in gone] == [("merged into", "odesa-a")]


def test_duplicates_rank_the_same_event_above_a_strike_elsewhere(db_url):
    same = replace(BASE, id="odesa-c", lat=46.50, lon=30.80, source="Third Wire", source_url="https://third.test/c",
                   quote="One person was killed in a drone strike on the Odesa port.")
    elsewhere = replace(BASE, id="mykolaiv", lat=46.975, lon=31.995, location="Mykolaiv", mention="Mykolaiv",
                        event_date=date(2026, 2, 14), sub_event_type="Shelling/artillery/missile attack",
                        fatalities=5, injured=None, source_url="https://fourth.test/m", quote="Shelling hit Mykolaiv.")
    visit = replace(BASE, id="visit", event_type="Diplomacy", sub_event_type="Visit", fatalities=None, injured=None,
                    source_url="https://fifth.test/v", quote="The minister visited Odesa.")
    with store_with(db_url, BASE, elsewhere, visit, same) as store:
        ranked = suggest(store, store.get("odesa-a"))
    assert [s.incident.id for s in ranked] == ["odesa-c", "mykolaiv"]  # no visit: another kind of event
    best, worse = ranked
    assert best.score > worse.score
    assert "same day" in best.reasons and "same toll (1 killed)" in best.reasons
    assert "different toll (1 vs 5 killed)" in worse.reasons and "1 day apart" in worse.reasons
