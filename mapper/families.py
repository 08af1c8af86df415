"""Event families: the five groups the map draws as layers, keyed by ACLED types.

A family is what a reader scans for ("where were the strikes?"), coarser than ACLED's
sub-event types. Filters accept a family key or label wherever an event type is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    label: str
    color: str  # marker and cluster colour on the map (colour-blind safe palette)


FAMILIES: tuple[Family, ...] = (
    Family("strikes", "Strikes and shelling", "#d62728"),
    Family("shot_down", "Drones and missiles shot down", "#1f77b4"),
    Family("ground", "Ground fighting", "#8c564b"),
    Family("civilians", "Harm to civilians", "#9467bd"),
    Family("diplomacy", "Diplomacy and visits", "#2ca02c"),
    Family("other", "Other events", "#7f7f7f"),
)
BY_KEY = {f.key: f for f in FAMILIES}

# ACLED event types -> sub-event types, plus "Diplomacy", which ACLED does not code.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
    "Diplomacy": ("Negotiations", "Visit"),
}
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)

_BY_EVENT_TYPE = {
    "Explosions/Remote violence": "strikes",
    "Battles": "ground",
    "Violence against civilians": "civilians",
    "Diplomacy": "diplomacy",
}


def family_of(event_type: str | None, sub_event_type: str | None = None) -> str:
    """The family key of an ACLED (event_type, sub_event_type) pair; "other" if none fits."""
    if sub_event_type == "Disrupted weapons use":
        return "shot_down"
    return _BY_EVENT_TYPE.get(event_type or "", "other")


def family_of_item(item: object) -> str:
    """`family_of` for an `Incident` or a properties mapping."""
    if isinstance(item, dict):
        return family_of(item.get("event_type"), item.get("sub_event_type"))
    return family_of(getattr(item, "event_type", None), getattr(item, "sub_event_type", None))
