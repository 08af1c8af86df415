"""Reversible merges and readable audit trails, on top of `Store`.

`Store.merge` keeps the audit rows of both incidents but not their coordinates; `merge` here
also records both incidents whole (coordinates, figures, every source) in a ``merge_snapshot``
row, so `unmerge` can put both back exactly as they were. An unmerge is refused when the kept
incident changed after the merge (a later correction or report would be lost silently).
`field_diff` turns an audit row into the fields it changed; `survivor` follows a merged-away id
to the incident that holds its reports now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mapper.errors import NotFoundError, StoreError
from mapper.records import Incident

SNAPSHOT = "merge_snapshot"
MAX_HOPS = 50  # a merged-away incident merged away again...: a chain, never a loop, but bounded


def _snapshot(incident: Incident) -> dict[str, Any]:
    return {**incident.properties(), "lat": incident.lat, "lon": incident.lon}


def _incident(snapshot: dict[str, Any]) -> Incident:
    props = dict(snapshot)
    lat, lon = props.pop("lat"), props.pop("lon")
    return Incident.from_feature({"properties": props, "geometry": {"coordinates": [lon, lat]}})


def merge(store: Any, keep_id: str, drop_id: str, *, who: str, note: str | None = None) -> Incident:
    """`Store.merge`, undoable: both incidents are recorded whole for `unmerge`."""
    keep, drop = store.get(keep_id), store.get(drop_id)
    combined = store.merge(keep_id, drop_id, who=who, note=note)
    # The store's own rows hold the properties as they were at the merge itself; prefer them
    # should another write have come in between (only the coordinates come from our reads).
    kept_row = _last(store.audit(keep_id), "merge")
    dropped_row = _last(store.audit(drop_id), "merged_into")
    keep_snap = {**(kept_row or {}).get("before", keep.properties()), "lat": keep.lat, "lon": keep.lon}
    drop_snap = {**(dropped_row or {}).get("before", drop.properties()), "lat": drop.lat, "lon": drop.lon}
    with store._begin() as conn:
        store._audit(conn, keep_id, who=who, action=SNAPSHOT, note=f"both incidents before merging {drop_id}",
                     at=datetime.now(UTC), before={"keep": keep_snap, "drop": drop_snap},
                     after={"dropped": drop_id})
    return combined


@dataclass(frozen=True, slots=True)
class Undo:
    """The merge `unmerge(store, keep_id)` would undo: its audit row id and the merged-away id."""

    audit_id: int
    dropped: str
    at: str


def undoable(store: Any, keep_id: str) -> Undo | None:
    """The merge into `keep_id` that can be undone now: its latest, with nothing after it."""
    trail = store.audit(keep_id)
    if not trail or trail[-1]["action"] != SNAPSHOT:
        return None
    row = trail[-1]
    return Undo(int(row["id"]), str(row["after"]["dropped"]), str(row["at"]))


def unmerge(store: Any, keep_id: str, *, who: str, note: str | None = None) -> tuple[Incident, Incident]:
    """Undoes the latest merge into `keep_id`: the kept incident gets back its own figures and
    sources, the merged-away one comes back with its id and sources. Returns (kept, restored)."""
    if not who or not who.strip():
        raise StoreError("an edit needs `who` (the user or tool making it) for the audit trail")
    undo = undoable(store, keep_id)
    if undo is None:
        store.get(keep_id)  # NotFoundError for an unknown id
        raise StoreError(f"incident {keep_id} has no merge to undo (or it changed after the merge)")
    snapshot = _last(store.audit(keep_id), SNAPSHOT)["before"]
    kept, restored = _incident(snapshot["keep"]), _incident(snapshot["drop"])
    now = datetime.now(UTC)
    with store._begin() as conn:
        current = store._get(conn, keep_id)
        try:
            store._get(conn, restored.id)
        except NotFoundError:
            pass
        else:
            raise StoreError(f"incident {restored.id} exists again: nothing to restore")
        store._update(conn, keep_id, kept, now)
        store._insert(conn, restored, now)
        store._audit(conn, keep_id, who=who, action="unmerge", note=note or f"undid merging {restored.id}", at=now,
                     before=current.properties(), after=kept.properties())
        store._audit(conn, restored.id, who=who, action="unmerge", note=note or f"restored from {keep_id}", at=now,
                     before={"merged_into": keep_id}, after=restored.properties())
    return kept, restored


def survivor(store: Any, incident_id: str) -> str | None:
    """The id that holds `incident_id`'s reports now: itself while it exists, else the incident
    it was merged into (followed along later merges); None when there never was such an id."""
    current = incident_id
    for _ in range(MAX_HOPS):
        try:
            store.get(current)
            return current
        except NotFoundError:
            row = _last(store.audit(current), "merged_into")
            if row is None or not isinstance(row.get("after"), dict) or "merged_into" not in row["after"]:
                return None
            current = str(row["after"]["merged_into"])
    return None


def _last(trail: list[dict[str, Any]], action: str) -> dict[str, Any] | None:
    for row in reversed(trail):
        if row["action"] == action:
            return row
    return None


# -- reading the trail ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str
    after: str


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return str(value)


def field_diff(entry: dict[str, Any]) -> list[Change] | None:
    """The fields an audit row changed, one `Change` each (sources as a count and the added
    publishers); None for rows that are records for undo only and need no display."""
    if entry.get("action") == SNAPSHOT:
        return None
    before = entry.get("before") or {}
    after = entry.get("after") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [Change("value", _text(before), _text(after))]
    if "merged_into" in after and len(after) == 1:
        return [Change("merged into", "", str(after["merged_into"]))]
    if "merged_into" in before and len(before) == 1:
        return [Change("restored from", str(before["merged_into"]), "")]
    out = []
    for key in dict.fromkeys([*before, *after]):
        if key == "sources":
            continue
        b, a = before.get(key), after.get(key)
        if b != a:
            out.append(Change(key, _text(b), _text(a)))
    old, new = before.get("sources") or [], after.get("sources") or []
    if isinstance(old, list) and isinstance(new, list) and old != new:
        known = {(s.get("article_id"), s.get("quote")) for s in old if isinstance(s, dict)}
        added = [s.get("source") or s.get("source_url") or "?" for s in new
                 if isinstance(s, dict) and (s.get("article_id"), s.get("quote")) not in known]
        out.append(Change("sources", f"{len(old)}", f"{len(new)}" + (f" (+ {', '.join(map(str, added))})" if added else "")))
    return out


__all__ = ["merge", "unmerge", "undoable", "Undo", "survivor", "field_diff", "Change", "SNAPSHOT"]
