"""What kind of event a sentence reports, in ACLED's vocabulary (plus Diplomacy for talks and visits).

Two answers, one vocabulary (mapper/nlp/data/event_types.tsv):
- `predict_event(text)`: the trained classifier (mapper/nlp/models/events.py) over words, trigger
  rules and context cues, with its probabilities, runner-up, the features that decided and the
  trigger words. "Gunmen stormed a police checkpoint" is Battles / Armed clash, as ACLED codes
  armed attacks on police or soldiers; a sentence that reports nothing is "none".
- `classify(text)`: the trigger rules (mapper/nlp/data/event_triggers.tsv, first match wins) find
  whether and where a sentence names an event; the classifier then chooses its type when it is
  confident. ACLED does not code talks and visits; we do, as "Diplomacy" / "Negotiations" | "Visit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from mapper.nlp.event_rules import (  # noqa: F401  (re-exported: the vocabulary lives there)
    BATTLES,
    CIVILIANS,
    DEFINITIONS,
    DIPLOMACY,
    EVENT_TYPES,
    NONE,
    PROTESTS,
    REMOTE,
    RIOTS,
    STRATEGIC,
    SUB_EVENT_TYPES,
    TYPE_OF,
    EventKind,
    Hit,
    armed_sides,
    former_forces,
    rule_kind,
)
from mapper.nlp.models.events import EventClassifier

# `classify` takes the classifier's type over the rules' when the classifier gives it at least this.
RETYPE_MIN_PROBABILITY = 0.5
# ... and over a weak trigger ("struck", "attacked", "were killed") when it gives at least this.
RETYPE_WEAK_MIN_PROBABILITY = 0.7
# Sub-types a sentence never reports without their own words ("abducted", "raped", "arrested",
# "suicide bomber", "grenade", "chlorine", "opened fire on the protesters"; "relatives of the dead
# soldiers gathered" is no lethal force): within the type the rules found, the classifier moves
# to one only when a trigger rule for it matched ("raided two villages, beheading four civilians"
# is an attack, no abduction). Across types it may ("intercepted a truck" is ACLED's abduction).
WORD_BOUND = frozenset({"Abduction/forced disappearance", "Sexual violence", "Arrests", "Suicide bomb",
                        "Chemical weapon", "Grenade", "Excessive force against protesters"})
VIOLENT = frozenset({BATTLES, REMOTE, CIVILIANS})


@dataclass(frozen=True, slots=True)
class Trigger:
    """The words that name the event (character offsets into the text) and the rule that found them."""

    text: str
    start: int
    end: int
    rule: str  # the sub-event type of the trigger rule


@dataclass(frozen=True, slots=True)
class EventPrediction:
    """The classifier's answer for one sentence.

    `event_type` / `sub_event_type` are the most probable event class even when `is_event` is
    False (the sentence is more likely "none"), so a caller that knows better can still type it.
    """

    event_type: str
    sub_event_type: str
    probability: float  # of `sub_event_type`
    type_probability: float  # of `event_type` (its sub-types summed)
    none_probability: float
    runner_up: tuple[str, float]  # the next most probable sub-event type and its probability
    is_event: bool  # the classifier says event, not "none"
    features: tuple[tuple[str, float], ...]  # the features that pushed `sub_event_type` most
    trigger: Trigger | None  # from the trigger rules; None when no rule names the event

    def explain(self) -> str:
        """One line for the explain trace."""
        feats = ", ".join(f"{f} {w:+.2f}" for f, w in self.features)
        word = f' trigger "{self.trigger.text}"' if self.trigger else ""
        return (f"{self.event_type} / {self.sub_event_type} {self.probability:.2f} (runner-up {self.runner_up[0]} "
                f"{self.runner_up[1]:.2f}, none {self.none_probability:.2f}){word}; {feats}")


def predict_event(text: str, *, model: EventClassifier | None = None) -> EventPrediction:
    """The event type the sentence reports, by the trained classifier (`model`: the committed one)."""
    return _predict(text, model) if model is not None else _predict_committed(text)


@lru_cache(maxsize=32)  # a clause is typed, then its sentence again for the trace: score once
def _predict_committed(text: str) -> EventPrediction:
    return _predict(text, EventClassifier.load())


def _predict(text: str, clf: EventClassifier) -> EventPrediction:
    scored = clf.score(text)  # its trigger-rule hits come from `rule_hits`, cached per text
    probs = scored.probs
    classes = clf.classes
    none_i = classes.index(NONE)
    order = [int(i) for i in np.argsort(-probs, kind="stable") if i != none_i]
    best, second = order[0], order[1]
    sub = classes[best]
    event_type = TYPE_OF[sub]
    type_p = float(sum(p for c, p in zip(classes, probs) if TYPE_OF.get(c) == event_type))
    return EventPrediction(
        event_type=event_type,
        sub_event_type=sub,
        probability=float(probs[best]),
        type_probability=type_p,
        none_probability=float(probs[none_i]),
        runner_up=(classes[second], float(probs[second])),
        is_event=clf.label(scored) != NONE,
        features=tuple(clf.contributions(scored, sub)),
        trigger=_trigger(scored.hits, sub, text),
    )


def _trigger(hits: list[Hit], sub: str, text: str) -> Trigger | None:
    """The words of the rule for `sub`, else of a rule of the same event type, else of the first rule."""
    for wanted in (lambda r: r.sub_event_type == sub, lambda r: r.event_type == TYPE_OF[sub], lambda r: True):
        for hit in hits:
            if wanted(hit.rule):
                return Trigger(hit.text, hit.start, hit.end, hit.rule.sub_event_type)
    kind = rule_kind(text, hits=hits)
    return Trigger(kind.trigger, kind.start, kind.end, kind.sub_event_type) if kind and kind.strength else None


_PEOPLE_WORD = re.compile(r"\bthe\s+$", re.I)  # "the wounded", "the injured": people, not an act
# Violence that happened, told by its act: a bomb that went off, two sides that fought or fired.
_VIOLENCE_DONE = re.compile(r"\b(?:explod(?:ed|ing)|detonat(?:ed|ing)|set\s+off|went\s+off|blew\s+up|clashed|fought|"
                            r"(?:exchanged|traded|returned|opened)\s+(?:\w+\s+)?(?:fire|gunfire))\b", re.I)


def classify(text: str) -> EventKind | None:
    """The event the sentence reports, or None when it reports none.

    The rules decide whether an event is named, where (`trigger`, `start`, `end`) and how firmly
    (`strength`); the classifier re-types it when it is confident (a bare "attacked" or "were
    killed" most of all, which the rules can only guess at), pointing the trigger at the words
    of a rule for the type it chose when there is one.
    """
    kind = rule_kind(text)
    if kind is None:
        return kind
    pred = predict_event(text)
    needed = RETYPE_MIN_PROBABILITY if kind.strength >= 2 else RETYPE_WEAK_MIN_PROBABILITY
    if kind.strength == 0 and pred.probability >= RETYPE_WEAK_MIN_PROBABILITY and pred.event_type in VIOLENT and \
            kind.trigger.lower() not in ("died", "dead") and not _PEOPLE_WORD.search(text, 0, kind.start):
        # "2 policemen were killed in an ambush": the classifier is sure of the act that killed
        # them, so the clause names an event (typed), not just a toll to hang on another. Not "died":
        # it names no act, and an obituary's "died at his home" must not become an attack; nor
        # "two of the wounded had died": the wounded are people of an event told.
        kind = replace(kind, strength=1)
    if pred.sub_event_type == kind.sub_event_type or pred.probability < needed:
        return kind
    if kind.event_type == CIVILIANS and pred.event_type == BATTLES and former_forces(text):
        return kind  # "the body of a former police commander was found": no armed side fought
    if kind.strength < 2 and kind.sub_event_type == "Disrupted weapons use":
        return kind  # "debris injured a woman": what an interception leaves, part of the shoot-down
    if pred.sub_event_type == "Change to group/activity" and kind.event_type in VIOLENT and _VIOLENCE_DONE.search(text):
        return kind  # "detonated a mine under a military truck", "exchanged fire with bandits": the act, not a movement
    t = pred.trigger
    if pred.event_type == BATTLES and kind.event_type != BATTLES and not armed_sides(text, one=True):
        return kind  # "Nine bodies were found": no armed side named, no battle
    if pred.event_type == RIOTS and kind.event_type == PROTESTS and (t is None or TYPE_OF[t.rule] != RIOTS):
        return kind  # "soldiers fired tear gas and rubber-coated bullets at the weekly protest": no stones, no fire, no riot
    if pred.sub_event_type == "Peaceful protest" and kind.event_type == PROTESTS and kind.strength >= 2:
        return kind  # "police opened fire on young protesters": the rule read the force met, no peaceful protest
    if pred.sub_event_type in WORD_BOUND and pred.event_type == kind.event_type and (t is None or t.rule != pred.sub_event_type):
        return kind  # the rule named the type's act ("beheading"), the words for the other are absent
    if t is not None and TYPE_OF[t.rule] == pred.event_type:
        return EventKind(pred.event_type, pred.sub_event_type, t.text, t.start, t.end, kind.strength)
    return replace(kind, event_type=pred.event_type, sub_event_type=pred.sub_event_type)
