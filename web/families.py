"""The map's event families (layers) as data the browser can apply.

`mapper.families` owns the families and `family_of`; this turns them into JSON rules for
web/static/map.js: ``{"key", "label", "color", "event_types", "sub_event_types"}``. The browser
tries the sub-event types first (exceptions such as "Disrupted weapons use"), then the event
types, else "other"; the rules are derived from `family_of` itself so the two cannot drift.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mapper.families import EVENT_TYPES, FAMILIES, SUB_EVENT_TYPES, family_of


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, Any], ...]:
    rules = {f.key: {"key": f.key, "label": f.label, "color": f.color, "event_types": [], "sub_event_types": []}
             for f in FAMILIES}
    for event_type, subs in EVENT_TYPES.items():
        by_type = family_of(event_type)
        rules[by_type]["event_types"].append(event_type)
        for sub in subs:
            by_sub = family_of(event_type, sub)
            if by_sub != by_type:
                rules[by_sub]["sub_event_types"].append(sub)
    return tuple(rules.values())


def families() -> list[dict[str, Any]]:
    """Ordered family rules for the browser (fresh copies: callers may serialise or change them)."""
    return [{**r, "event_types": list(r["event_types"]), "sub_event_types": list(r["sub_event_types"])}
            for r in _rules()]


def type_groups() -> list[dict[str, Any]]:
    """The `type` filter's choices for a select box: map families first, then each ACLED event
    type with its sub-event types (every value `mapper.filters.Filters` accepts as `type`)."""
    groups = [{"label": "Map layers", "options": [(f.key, f.label) for f in FAMILIES]}]
    for event_type, subs in EVENT_TYPES.items():
        groups.append({"label": event_type, "options": [(event_type, f"{event_type} (all)"), *((s, s) for s in subs)]})
    return groups


def type_suggestions() -> list[str]:
    """Values the `type` filter accepts, for the form's suggestion list: families first."""
    return [*(f.key for f in FAMILIES), *EVENT_TYPES, *SUB_EVENT_TYPES]
