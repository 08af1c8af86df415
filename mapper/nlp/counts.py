"""Fatalities and injured from the way news stories say them.

"two sisters aged 7 and 12 were killed" (2), "a woman died and four more people were hurt"
(1, 4), "five people, among them a nine-year-old girl, were wounded" (5), "her husband and son
survived with shrapnel wounds" (2), "killing at least 10" (10, note "at least 10"), "dozens were
hurt" (null, note "dozens"), "the toll rose to 12" (a correction: replaces an earlier figure).

Pure string work on one sentence or clause; the incident builder decides which incident a
sentence belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapper.nlp.text import UNITS, parse_number


@dataclass(frozen=True, slots=True)
class Casualties:
    """What one sentence says about the dead and the hurt (None: not said)."""

    fatalities: int | None = None
    injured: int | None = None
    fatalities_note: str | None = None  # the phrase when the figure is vague or a bound
    injured_note: str | None = None
    correction: bool = False  # "the toll rose to ...": replaces an earlier figure

    @property
    def found(self) -> bool:
        return any(v is not None for v in (self.fatalities, self.injured, self.fatalities_note, self.injured_note))

    @property
    def note(self) -> str | None:
        parts = [f"{n} killed" for n in [self.fatalities_note] if n] + [f"{n} injured" for n in [self.injured_note] if n]
        return "; ".join(parts) or None


_SG = (
    r"man|woman|child|boy|girl|person|civilian|soldier|serviceman|servicewoman|resident|teenager|"
    r"infant|baby|toddler|pensioner|mother|father|son|daughter|husband|wife|brother|sister|"
    r"grandmother|grandfather|grandson|granddaughter|nephew|niece|uncle|aunt|cousin|relative|"
    r"policeman|police officer|officer|rescuer|medic|paramedic|firefighter|worker|driver|"
    r"journalist|reporter|volunteer|farmer|villager|passenger|employee|guard|fighter|militant|"
    r"doctor|nurse|student|teacher|pupil|patient|shepherd|fisherman|miner|engineer|electrician|"
    r"commander|officer|trooper|sailor|pilot|dweller|local|motorist|cyclist|pedestrian|victim|"
    r"minor|adult|youth|friend|neighbou?r|owner|guest|customer|member|"
    r"(?:(?:\w+-)?year-old|yearold|elderly|young|old|pregnant)"
)
_PL = (
    r"people|persons|men|women|children|kids|boys|girls|civilians|soldiers|servicemen|residents|"
    r"teenagers|infants|babies|pensioners|brothers|sisters|sons|daughters|parents|relatives|"
    r"policemen|police officers|officers|rescuers|medics|paramedics|firefighters|workers|drivers|"
    r"journalists|reporters|volunteers|farmers|villagers|passengers|employees|guards|fighters|"
    r"militants|doctors|nurses|students|teachers|pupils|patients|miners|engineers|troops|"
    r"commanders|sailors|pilots|locals|motorists|pedestrians|victims|minors|adults|family members|"
    r"members|others|of them|more|family|families|citizens|refugees|worshippers|protesters|"
    r"shoppers|bystanders|customers|others"
)
_NUMWORD = (
    r"(?:\d[\d,]*|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|a dozen|a hundred|(?:one|two|three|four|five) hundred)"
)
_QUAL = (
    r"at least|at most|more than|over|up to|nearly|almost|about|around|some|approximately|roughly|"
    r"as many as|fewer than|less than|no fewer than|no less than|an estimated|a total of|a further|another"
)
_VAGUE = r"dozens|scores|hundreds|thousands|several|many|numerous|a number of|a few|multiple|a handful of|tens"
# Patterns below are verbose (re.X): spaces inside these word lists must be explicit.
_SG, _PL, _NUMWORD, _QUAL, _VAGUE = (x.replace(" ", r"\s+") for x in (_SG, _PL, _NUMWORD, _QUAL, _VAGUE))
_POSS = r"(?:his|her|their|its|the|our|[a-z]+'s)"
# A modifier word inside a count ("two Ukrainian soldiers"), never a joint or a verb.
_ADJ = r"(?:(?!(?:and|or|of|were|was|are|is|in|on|at|to|by|with|the|a|an|as|who|had|have|has|been)\b)[a-z]+(?:-[a-z]+)*\s+)"

_ITEM = re.compile(
    rf"""\b(?:
    (?P<num>(?:(?P<qual>{_QUAL})\s+)?(?:{_POSS}\s+)?(?P<n>{_NUMWORD})(?:\s+(?:more|other|further|additional))?
        (?:\s+{_ADJ}{{0,2}}?(?:{_PL}|{_SG})\b)?)
    |(?P<vague>(?:(?:{_QUAL})\s+)?(?:{_VAGUE})(?:\s+of)?(?:\s+{_ADJ}{{0,2}}?(?:{_PL})\b)?)
    |(?P<sg>(?:(?:a|an|one|another|{_POSS})\s+)?{_ADJ}{{0,2}}?(?:{_SG})\b)
    )""",
    re.X,
)
_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)"
_FILL = (
    r"(?:were|was|had|have|has|been|are|is|being|got|reportedly|also|later|all|both|each|in\s+total|"
    r"reported|subsequently|critically|seriously|severely|lightly|slightly|badly|fatally|mortally|"
    r"moderately|then|who|were\s+left|confirmed|believed\s+to\s+have|said\s+to\s+have|feared|"
    r"in\s+the\s+attack|in\s+the\s+strike|as\s+a\s+result|among\s+them)"
)

# Casualty words: kind ("k" killed, "i" injured) and whether the count may follow (active verb).
_KW = re.compile(
    r"""\b(?:
      (?P<k_act>killing|kills|kill|claimed\s+the\s+lives\s+of)(?=\s)
     |(?P<i_act>injuring|wounding|injures|injure|wounds(?=\s+(?:\d|a|an|one|two|three|four|five|six|seven|eight|nine|ten|his|her|their|the)\b))
     |(?P<k_amb>killed|shot\s+dead|slain)
     |(?P<i_amb>injured|wounded|hurt)
     |(?P<k>died|dead|die|dies|deaths|fatalities|perished|lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life|bodies)
     |(?P<i>(?:survived|escaped|were\s+left|was\s+left)\s+with\s+(?:[a-z]+\s+){0,2}(?:wounds|injuries)
        |(?:suffered|sustained|received)\s+(?:[a-z]+\s+){0,2}(?:wounds|injuries|burns|trauma)
        |hospitali[sz]ed|injuries|(?:was|were)\s+taken\s+to\s+(?:a\s+)?hospital)
    )\b""",
    re.X,
)
_TOLL = re.compile(
    rf"""(?P<what>death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|victims|injured|wounded)|injured\s+toll)
        [^.;]{{0,60}}?
        \b(?:rose|risen|rises|climbed|increased|jumped|was\s+revised|has\s+been\s+revised|revised|
           was\s+corrected|corrected|was\s+raised|raised|was\s+lowered|lowered|fell|dropped|reached|reaches|stands|stood|is\s+now|now\s+stands)
        (?:\s+(?:up|down)(?:ward)?)?\s+(?:to|at)\s+(?P<q>(?:(?:{_QUAL})\s+)?{_NUMWORD}|{_VAGUE})""",
    re.X,
)
_RAISING = re.compile(
    rf"""\b(?:raising|bringing|taking|pushing|lifting)\s+the\s+(?P<what>death\s+toll|toll|number\s+of\s+(?:dead|injured|wounded))
        (?:\s+(?:from|of|in|after)\s+[^.;]{{0,80}}?)?\s+to\s+(?P<q>(?:(?:{_QUAL})\s+)?{_NUMWORD})""",
    re.X,
)
_SUPERSEDED = re.compile(
    r"\b(earlier\s+version|previous\s+version|incorrectly|erroneously|mistakenly|initially\s+reported|"
    r"earlier\s+reported|previously\s+reported|as\s+earlier\s+reported|earlier\s+report|first\s+reported)\b"
)
_ZERO_K = re.compile(r"\b(?:noone|nobody|none)\s+(?:was|were|had\s+been|has\s+been)\s+killed|\bno\s+(?:deaths|fatalities|casualties|victims)\b")
_ZERO_I = re.compile(r"\b(?:noone|nobody|none)\s+(?:was|were|had\s+been|has\s+been)\s+(?:killed\s+or\s+)?(?:hurt|injured|wounded)|\bno\s+(?:injuries|casualties)\b")
_NO_REPORTS = re.compile(r"\bno\s+(?:immediate\s+)?(?:reports?|information|word)\s+(?:of|on|about)\b")


def parse_casualties(text: str) -> Casualties:
    """Fatalities and injured said in one sentence or clause."""
    s = _prepare(text)
    fat = inj = None
    fat_note = inj_note = None
    correction = False
    for rx in (_TOLL, _RAISING):
        for m in rx.finditer(s):
            value, note = _quantity(m.group("q"))
            if "injur" in m.group("what") or "wound" in m.group("what"):
                inj, inj_note = value, note
            else:
                fat, fat_note = value, note
            correction = True
    if correction:
        return Casualties(fat, inj, fat_note, inj_note, correction=True)
    if _SUPERSEDED.search(s):
        # "An earlier version said five were killed": that figure is the one being replaced.
        return Casualties()

    hits = list(_KW.finditer(s))
    used = 0  # text a count was already read from is not read again
    for idx, m in enumerate(hits):
        kind = "k" if (m.group("k_act") or m.group("k_amb") or m.group("k")) else "i"
        prev_end = max(hits[idx - 1].end() if idx else 0, used)
        next_start = hits[idx + 1].start() if idx + 1 < len(hits) else len(s)
        count = None
        if m.group("k_act") or m.group("i_act") or m.group("k_amb") or m.group("i_amb"):
            before = s[max(prev_end, m.start() - 12):m.start()]
            passive = re.search(r"\b(?:were|was|been|be|being|are|is|got|get)\s+(?:\w+ly\s+)?$", before)
            if not passive:
                right = _right(s[m.end():next_start])
                if right is not None:
                    count, consumed = right
                    used = m.end() + consumed
        if count is None and not m.group("k_act") and not m.group("i_act"):
            count = _left(s[prev_end:m.start()])
        if count is None:
            continue
        value, note = count
        if kind == "k":
            if fat is None and fat_note is None:
                fat, fat_note = value, note
            elif value is not None and fat is not None:
                fat += value  # "two were killed in the morning and one more at night"
        else:
            if inj is None and inj_note is None:
                inj, inj_note = value, note
            elif value is not None and inj is not None:
                inj += value
    if fat is None and fat_note is None and not _NO_REPORTS.search(s) and _ZERO_K.search(s):
        fat = 0
    if inj is None and inj_note is None and not _NO_REPORTS.search(s) and _ZERO_I.search(s):
        inj = 0
        if fat is None and fat_note is None:
            fat = 0  # "no one was hurt": nobody died either
    return Casualties(fat, inj, fat_note, inj_note)


def _prepare(text: str) -> str:
    s = text.lower().replace("’", "'").replace("–", "-").replace("—", " - ")
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\bno[- ]one\b", "noone", s)
    # Ages are not counts: "aged 8 to 19", "aged between 7 and 12", "a 12-year-old boy".
    s = re.sub(r"\baged\s+(?:between\s+)?\d+(?:\s*(?:to|and|-)\s*\d+)?(?:\s+years?)?", " ", s)
    s = re.sub(r"\b(?:\d+|[a-z]+(?:-[a-z]+)?)[- ](?:year|month|week|day)s?[- ]old\b", "yearold", s)
    s = re.sub(r"\b(?:the\s+)?(?:youngest|eldest|oldest)(?:\s+of\s+them)?(?:\s+(?:was|being|is))?\s+(?:yearold|\d+|[a-z]+(?:-[a-z]+)?)\b", " ", s)
    # Appositions inside a subject: "five people, among them a nine-year-old girl, were wounded".
    s = re.sub(
        r",\s*(?:among\s+them|among\s+whom|including|most\s+of\s+them|all\s+of\s+them|mostly|many\s+of\s+them|"
        r"one\s+of\s+them|who|whose|according\s+to)\b[^,;]*,",
        " ", s)
    # A partitive at the end: "injuring nine people, two of them children".
    s = re.sub(r",\s*(?:\w+|\d+)\s+of\s+(?:them|whom)\b[^,;.]*", " ", s)
    # What victims were doing is not part of the count: "two truck drivers waiting to unload were injured".
    s = re.sub(r"\b((?:[a-z]+\s+)?(?:people|drivers|workers|residents|civilians|men|women|children|passengers|man|woman|driver|worker))"
               r"\s+(?:who\s+(?:were|was)\s+)?[a-z]+ing\b[^,;.]{0,40}?(?=\s+(?:were|was)\s+(?:killed|injured|wounded|hurt))",
               r"\1", s)
    # Times, years and distances are numbers that count nobody.
    s = re.sub(r"\b\d{1,2}[:.]\d{2}\b|\b\d+\s*(?:a\.m\.|p\.m\.|am|pm|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|percent|%)", " ", s)
    s = re.sub(r"\b(?:in|since|of|from)\s+(?:19|20)\d\d\b", " ", s)
    # "from an earlier 9": the figure being replaced.
    s = re.sub(rf"\bfrom\s+(?:an?\s+)?(?:earlier|previous|initial|previously\s+reported)?\s*(?:figure\s+of\s+|toll\s+of\s+)?{_NUMWORD}\b", " ", s)
    return re.sub(r"\s+", " ", s)


_LEAD = re.compile(rf"\s*(?:{_FILL}\s+)*")
_SEP_RX = re.compile(_SEP)
_TRAIL = re.compile(rf"(?:\s+{_FILL})*\s*$")
_SEP_END = re.compile(rf"{_SEP}$")


def _left(window: str) -> tuple[int | None, str | None] | None:
    window = window[-140:]
    # Group names repeat across the alternation, so match item by item instead of one regex.
    items = _items_at_end(window)
    return _total(items) if items else None


def _right(window: str) -> tuple[tuple[int | None, str | None], int] | None:
    """The count after an active verb ("killed three brothers") and where it ends."""
    window = window[:140]
    items = _items_at_start(window)
    total = _total(items) if items else None
    return (total, items[-1].end()) if total else None


def _items_at_start(window: str) -> list[re.Match]:
    pos = 0
    m = _LEAD.match(window)
    pos = m.end() if m else 0
    items: list[re.Match] = []
    while True:
        m = _ITEM.match(window, pos)
        if not m or m.end() == m.start():
            break
        items.append(m)
        pos = m.end()
        sep = _SEP_RX.match(window, pos)
        if not sep:
            break
        pos = sep.end()
    # "killed two people and three were injured": the last item is the next clause's subject.
    if len(items) > 1 and re.match(r"\s+(?:were|was|are|is|had|have|has)\b", window[items[-1].end():]):
        items.pop()
    return items


def _items_at_end(window: str) -> list[re.Match]:
    # Strip trailing filler words ("were", "reportedly", ...), then read items backwards.
    tail = _TRAIL.search(window)
    end = tail.start() if tail else len(window)
    text = window[:end]
    items: list[re.Match] = []
    while text:
        found = None
        for m in _ITEM.finditer(text):
            if m.end() == len(text) and m.group(0):
                found = m
                break
        if found is None:
            # Try later starting points: finditer is leftmost, an item may start mid-text.
            for start in range(len(text) - 1, -1, -1):
                if start and text[start - 1].isalnum():
                    continue
                m = _ITEM.fullmatch(text, start)
                if m:
                    found = m
                    break
        if found is None or (found.start() and text[found.start() - 1].isalnum()):
            break
        items.insert(0, found)
        text = text[:found.start()]
        sep = _SEP_END.search(text)
        if not sep:
            break
        text = text[:sep.start()]
    return items


def _total(items: list[re.Match]) -> tuple[int | None, str | None] | None:
    total = 0
    notes: list[str] = []
    vague = False
    numeric = False
    for m in items:
        if m.group("num"):
            n = parse_number(m.group("n"))
            if n is None:
                continue
            total += n
            numeric = True
            if m.group("qual") and m.group("qual") not in ("a total of", "a further", "another"):
                notes.append(f"{m.group('qual')} {m.group('n')}")
        elif m.group("vague"):
            vague = True
            notes.append(re.sub(r"\s+of$", "", m.group("vague").split(" of ")[0].strip()))
        elif m.group("sg"):
            word = m.group("sg").split()[0]
            if word in UNITS and UNITS[word] > 1:
                return None
            total += 1
            numeric = True
    if vague:
        return None, ", ".join(notes) or "unspecified"
    if not numeric:
        return None
    return total, (", ".join(notes) or None)


def _quantity(q: str) -> tuple[int | None, str | None]:
    m = _ITEM.fullmatch(q.strip())
    if m:
        res = _total([m])
        if res:
            return res
    return None, q.strip()
