"""Who reports it: "..., the Sumy regional military administration said" -> the attribution.

Also finds the region an authority speaks for ("the Donetsk regional prosecutor's office",
"Belgorod governor Vyacheslav Gladkov", "the governor of the Kursk region"), which the incident
builder uses when the story itself only says "in eastern Ukraine".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapper.nlp.text import Span


@dataclass(frozen=True, slots=True)
class Attribution:
    """The reporting source as written (`who`) and where it sits in the sentence."""

    who: str
    start: int
    end: int
    region: str | None = None  # "Sumy" in "the Sumy regional military administration"


# A word of a source's name: anything but a clause word (a verb or a conjunction starts a new clause).
_W = r"(?:(?!(?:also|later|further|then|was|were|is|are|had|has|have|been|be|when|while|which|that|where|who|whose|it|he|she|they|but|if|as|killing|injuring|wounding|adding|saying)\b)[\w'’.&-]+)"
_WHO = rf"(?:{_W}\s+){{0,7}}{_W}"
_SAYS = r"(?:said|says|reported|reports|wrote|posted|announced|confirmed|stated|told\s+\w+(?:\s+\w+)?|claimed|added)"

_PATTERNS = (
    re.compile(r"\(\s*source:\s*(?P<who>[^)]+)\)", re.I),
    re.compile(r"\b[Aa]ccording\s+to\s+(?P<who>[^,.;()]{2,80})"),
    re.compile(rf",\s+(?P<who>{_WHO})\s+(?:also\s+|later\s+)?{_SAYS}\b"),
    re.compile(rf"^(?P<who>{_WHO})\s+(?:also\s+|later\s+)?{_SAYS}\b"),
    re.compile(rf",\s+{_SAYS}\s+(?P<who>(?:the|a|an)\s+{_WHO})"),
)
_REGION = re.compile(
    r"\b(?P<r>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:regional|region(?:al)?'s|oblast|region|province|provincial|city|municipal)\b"
    r"|\b(?:governor|head|administration|mayor)\s+of\s+(?:the\s+)?(?P<r2>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"|\b(?P<r3>[A-Z][\w'’-]+)\s+(?:governor|mayor)\b"
)
_GENERIC = {"The", "Regional", "State", "National", "Military", "General", "Emergency", "Police", "Interior", "Defence", "Defense"}
_TRIM = re.compile(r"\s+(?:on|in|late|early)(?:\s+\w+)*$")


def find_attribution(text: str, span: Span | None = None) -> Attribution | None:
    """The source a sentence cites, or None. Offsets are into `text` (or the span's text)."""
    base = 0
    if span is not None:
        base, text = span.start, span.text
    for rx in _PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        who = m.group("who").strip().rstrip(",.").replace("’", "'")
        lead = re.match(r"(?:the|The)\s+", who)
        if lead:
            who = who[lead.end():]
        who = re.sub(r"\s+(?:on|late|early)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\w+day)\b.*$", "", who, flags=re.I)
        if not who or who.lower() in ("it", "he", "she", "they"):
            continue
        start = base + m.start("who") + (lead.end() if lead else 0)
        return Attribution(who=who, start=start, end=start + len(who), region=_region(who))
    return None


def _region(who: str) -> str | None:
    m = _REGION.search(who)
    if not m:
        return None
    name = m.group("r") or m.group("r2") or m.group("r3")
    words = [w for w in name.split() if w not in _GENERIC]
    return " ".join(words) or None
