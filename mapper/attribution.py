"""Who reports it: "..., the Sumy regional military administration said" -> the attribution.

Also finds the region an authority speaks for ("the Donetsk regional prosecutor's office",
"Belgorod governor Vyacheslav Gladkov", "the governor of the Kursk region"), which the incident
builder uses when the story itself only says "in eastern Ukraine".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapper.text import Span


@dataclass(frozen=True, slots=True)
class Attribution:
    """The reporting source as written (`who`) and where it sits in the sentence."""

    who: str
    start: int
    end: int
    region: str | None = None  # "Sumy" in "the Sumy regional military administration"


_SOURCE = r"(?:[A-Z][\w.'’-]*|of|the|for|and|regional|region's|city|military|civil|state|national|emergency|emergencies|local|police|prosecutor's|prosecutors|office|administration|governor|mayor|ministry|service|services|officials?|authorities|spokes(?:man|woman|person)|head|chief|defen[cs]e|interior|health|general|staff|forces|air|army|council|agency|news|media|president|minister|command|operational|group|monitors?|observers?|residents|witnesses|medics|doctors)"
_SAYS = r"(?:said|says|reported|reports|wrote|posted|announced|confirmed|stated|told\s+\w+|claimed|added)"
_TAIL_TIME = r"(?:\s+(?:on|late\s+on|early\s+on|in\s+a|via|in\s+an?)\s+[\w\s-]{0,30})?"

_PATTERNS = (
    re.compile(rf"\(\s*source:\s*(?P<who>[^)]+)\)", re.I),
    re.compile(rf"\b[Aa]ccording\s+to\s+(?P<who>(?:the\s+)?{_SOURCE}(?:\s+{_SOURCE}){{0,9}})"),
    re.compile(rf",\s+(?P<who>(?:the\s+)?{_SOURCE}(?:\s+{_SOURCE}){{0,9}})\s+{_SAYS}\b"),
    re.compile(rf"(?:^|[.;]\s+|\b(?:as|and)\s+)(?P<who>(?:The\s+|the\s+)?{_SOURCE}(?:\s+{_SOURCE}){{0,9}})\s+{_SAYS}\b"),
    re.compile(rf",\s+{_SAYS}\s+(?P<who>(?:the\s+)?{_SOURCE}(?:\s+{_SOURCE}){{0,9}})"),
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
        who = m.group("who").strip().rstrip(",.")
        who = re.sub(r"^(?:the|The)\s+", "", who)
        who = re.sub(r"\s+(?:on|in|late|early)\s.*$", "", who)
        if not who or who.lower() in ("it", "he", "she", "they", "officials", "he said"):
            if who.lower() != "officials":
                continue
        if len(who.split()) == 1 and who[0].isupper() and who in ("Russia", "Ukraine", "Kyiv", "Moscow"):
            pass
        start = base + m.start("who")
        return Attribution(who=who, start=start, end=base + m.end("who"), region=_region(who))
    return None


def _region(who: str) -> str | None:
    m = _REGION.search(who)
    if not m:
        return None
    name = m.group("r") or m.group("r2") or m.group("r3")
    words = [w for w in name.split() if w not in _GENERIC]
    return " ".join(words) or None
