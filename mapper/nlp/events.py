"""What kind of event a sentence reports, in ACLED's vocabulary (plus Diplomacy for talks and visits).

The vocabulary (mapper/nlp/data/event_types.tsv) and the trigger rules, most specific first
(mapper/nlp/data/event_triggers.tsv), live in mapper/nlp/event_rules.py. ACLED does not code talks
and visits; we do, as "Diplomacy" / "Negotiations" | "Visit".
"""

from __future__ import annotations

from mapper.nlp.event_rules import (  # noqa: F401  (re-exported: the vocabulary lives there)
    BATTLES,
    CIVILIANS,
    DIPLOMACY,
    EVENT_TYPES,
    PROTESTS,
    REMOTE,
    RIOTS,
    STRATEGIC,
    EventKind,
    rule_kind,
)


def classify(text: str) -> EventKind | None:
    """The event the sentence reports, or None when it reports none (the first trigger rule wins)."""
    return rule_kind(text)
