"""What kind of event a sentence reports, in ACLED's vocabulary (plus Diplomacy for talks and visits).

Ordered rules, most specific first: "shot down 58 drones" is Disrupted weapons use even though
it says "drones"; "a drone strike" is Air/drone strike; "shelling" Shelling/artillery/missile
attack. ACLED does not code talks and visits; we do, as "Diplomacy" / "Negotiations" | "Visit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REMOTE = "Explosions/Remote violence"
STRATEGIC = "Strategic developments"
BATTLES = "Battles"
CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
DIPLOMACY = "Diplomacy"

# (event_type, sub_event_type) -> the ACLED sub-types we emit, for docs and filters.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    REMOTE: ("Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb"),
    CIVILIANS: ("Attack", "Abduction/forced disappearance"),
    STRATEGIC: ("Disrupted weapons use",),
    PROTESTS: ("Peaceful protest", "Protest with intervention"),
    RIOTS: ("Violent demonstration",),
    DIPLOMACY: ("Negotiations", "Visit"),
}


@dataclass(frozen=True, slots=True)
class EventKind:
    """An event type and sub-type, and the words that said so (`trigger`, offsets in the text)."""

    event_type: str
    sub_event_type: str
    trigger: str
    start: int
    end: int
    strength: int  # 2 a weapon or act named ("shelling"), 1 only a consequence ("were killed")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Order matters: the first rule that matches wins.
RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (DIPLOMACY, "Negotiations", _rx(
        r"\b(?:peace\s+|ceasefire\s+|direct\s+|trilateral\s+|bilateral\s+|[\w.-]+-brokered\s+)?"
        r"(?:talks|negotiations|negotiating\s+round|round\s+of\s+talks|summit|peace\s+conference)\b")),
    (DIPLOMACY, "Visit", _rx(r"\b(?:visited|visits|visiting|paid\s+a\s+visit|made\s+a\s+visit|arrived\s+in|travel(?:l)?(?:ed|s)?\s+to|toured|on\s+a\s+visit\s+to|will\s+visit)\b")),
    (STRATEGIC, "Disrupted weapons use", _rx(
        r"\b(?:shot\s+down|shoot\s+down|shooting\s+down|downed|intercepted|intercepting|intercept|"
        r"destroyed\s+(?:\d+|[a-z]+)\s+(?:[\w-]+\s+){0,2}(?:drones|missiles|UAVs)|air\s+defen[cs]es?\s+(?:destroyed|repelled|repelling|were\s+active|worked)|"
        r"(?:drones?|missiles?|UAVs?|rockets?)\s+(?:were\s+|was\s+)?(?:destroyed|neutrali[sz]ed)|were\s+(?:destroyed|neutrali[sz]ed)\s+over)\b")),
    (REMOTE, "Suicide bomb", _rx(r"\b(?:suicide\s+(?:bomb(?:er|ing)?|attack(?:er)?|car\s+bomb)|blew\s+(?:himself|herself)\s+up)\b")),
    (REMOTE, "Remote explosive/landmine/IED", _rx(
        r"\b(?:landmines?|land\s+mines?|(?:anti-tank|anti-personnel)\s+mines?|stepped\s+on\s+a\s+mine|IEDs?|improvised\s+explosive|"
        r"roadside\s+bomb|car\s+bomb|booby[- ]trap\w*|explosive\s+device|unexploded\s+ordnance|mine\s+blast)\b")),
    (REMOTE, "Air/drone strike", _rx(
        r"\b(?:air\s*strikes?|airstrikes?|air\s+raids?|air\s+attacks?|drone\s+(?:strikes?|attacks?|hit|struck|raids?)|drones?\s+(?:hit|struck|attacked|crashed|damaged|destroyed|targeted)|"
        r"(?:kamikaze|attack|Shahed|Geran|FPV|Lancet|exploding)\s+drones?|drones?\s+dropped|dropped\s+(?:explosives|bombs?|grenades?)|guided\s+(?:aerial\s+)?bombs?|glide\s+bombs?|aerial\s+bomb\w*|"
        r"bombed|bombing\s+raids?|warplanes?|fighter\s+jets?|helicopter\s+gunships?|barrel\s+bombs?|"
        r"(?:struck|hit|attacked)\s+(?:by|with)\s+(?:a\s+)?drones?|UAV\s+(?:strike|attack))\b")),
    (REMOTE, "Shelling/artillery/missile attack", _rx(
        r"\b(?:shelling|shelled|shells?(?=\s+(?:hit|hits|struck|landed|fell|exploded|slammed|damaged|killed|injured|wounded))|"
        r"(?:artillery|tank|mortar)\s+shells?|a\s+shell|artillery|mortars?|missiles?|rockets?|multiple\s+rocket|MLRS|Grad|Iskander|"
        r"Kalibr|Kinzhal|ballistic|cruise\s+missiles?|howitzers?|bombardment|bombarded|barrage|projectiles?|"
        r"cluster\s+munitions?)\b")),
    (BATTLES, "Armed clash", _rx(
        r"\b(?:clash(?:es|ed)?|fighting|fought|firefights?|gun\s*battles?|battles?|battled|exchange\s+of\s+fire|"
        r"assaults?|offensive|ambush(?:ed)?|repelled|repulsed|stormed|counter-?attacks?|skirmish(?:es)?|"
        r"captured|recaptured|seized\s+control|took\s+control|retook|liberated)\b")),
    (CIVILIANS, "Abduction/forced disappearance", _rx(r"\b(?:abducted|kidnapped|abduction|kidnapping|taken\s+hostage|seized\s+\d+\s+\w+)\b")),
    (CIVILIANS, "Attack", _rx(
        r"\b(?:gunm[ae]n|massacre[sd]?|executed\s+(?:\d+|[a-z]+\s+)?(?:civilians|prisoners|villagers|men|people|detainees)|"
        r"shot\s+dead|shot\s+and\s+killed|opened\s+fire\s+on|stabbed|(?:a|the|mass)\s+shooting|shooting\s+(?:attack|spree)|gunfire|"
        r"raided\s+(?:a\s+|the\s+)?village|burned\s+(?:down\s+)?(?:homes|villages|houses)|looted\s+and\s+burned|lynched|beheaded)\b")),
    (RIOTS, "Violent demonstration", _rx(r"\b(?:rioters|riots?|rioting)\b(?!\s+(?:police|gear|squad|unit|control))")),
    (PROTESTS, "Peaceful protest", _rx(r"\b(?:protest(?:ers|ed|s)?|demonstrat(?:ors|ion|ions|ed)|rall(?:y|ied|ies)|marched)\b")),
)
# A generic act: "a Russian strike", "the attack", "explosions"; typed by what else is said.
GENERIC = _rx(r"\b(?:strikes?|struck|attacks?|attacked|hit|hits|explosions?|blasts?)\b")
# Consequences alone ("were killed") make an event only with another event in context.
CONSEQUENCE = _rx(r"\b(?:killed|killing|died|dead|injured|injuring|wounded|wounding|hurt|destroyed|damaged)\b")


def classify(text: str) -> EventKind | None:
    """The event the sentence reports, or None when it reports none."""
    for event_type, sub, rx in RULES:
        m = rx.search(text)
        if m and event_type == BATTLES and not (_MILITARY.search(text) or _ARMED_SIDE.search(text)):
            continue  # "assault causing harm", "Civil War documents": no armed forces, no battle
        if m and sub == "Visit" and not _VISITOR.search(text):
            continue  # "reinforcements arrived in the town" is not a visit
        if m and sub == "Negotiations" and not _MEETING.search(text):
            continue  # "talks collapsed", "without talks": no meeting held at a place and time
        if m:
            if sub == "Shelling/artillery/missile attack" and _drone_context(text):
                return EventKind(REMOTE, "Air/drone strike", m.group(0), m.start(), m.end(), 2)
            if sub == "Peaceful protest" and _INTERVENTION.search(text):
                sub = "Protest with intervention"  # police dispersed it: ACLED's own sub-type
            return EventKind(event_type, sub, m.group(0), m.start(), m.end(), 2)
    if _NOT_WAR.search(text) and not _WEAPONISH.search(text) and not _MILITARY.search(text):
        return None  # "car strikes tree", "storm hit the coast": no weapon named, and not a war
    m = _DEBRIS.search(text)
    if m:
        # Falling debris is what an interception leaves: part of the shoot-down, not a strike.
        return EventKind(STRATEGIC, "Disrupted weapons use", m.group(0), m.start(), m.end(), 1)
    m = GENERIC.search(text)
    if m and _GROUND.search(text) and not _AIR.search(text):
        # Fighters or gunmen attacking a village: violence against the people there, not a strike from the air.
        return EventKind(CIVILIANS, "Attack", m.group(0), m.start(), m.end(), 1)
    if m:
        # An unnamed weapon: ACLED's usual coding for a reported "strike" from the air.
        return EventKind(REMOTE, "Air/drone strike", m.group(0), m.start(), m.end(), 1)
    m = CONSEQUENCE.search(text)
    if m:
        w = _WEAPONISH.search(text)
        if w:
            # "A Russian drone killed a man": the weapon named with its toll is the event.
            word = w.group(0).lower()
            sub = ("Shelling/artillery/missile attack" if re.match(r"missile|rocket|shell|artillery|mortar", word)
                   else "Air/drone strike")
            return EventKind(REMOTE, sub, w.group(0), w.start(), w.end(), 2)
        return EventKind(REMOTE, "Air/drone strike", m.group(0), m.start(), m.end(), 0)
    return None


_INTERVENTION = re.compile(r"\b(?:police|riot\s+police|security\s+forces)\b[^.]{0,60}\b(?:dispers\w+|water\s+cannon|tear\s*gas|"
                           r"rubber\s+bullets|detained|arrested|beat|broke\s+up)\b|\b(?:water\s+cannon|tear\s*gas)\b", re.I)
_NOT_WAR = re.compile(
    r"\b(?:car|cars|vehicle|truck|train|collision|crash(?:ed|es)?|accident|lightning|tornado|storm|hurricane|earthquake|"
    r"flood(?:s|ing)?|wildfire|blaze|overdose|tragedy|recession|economy|market\s+crash|virus|pandemic|heart\s+attack|"
    r"gas\s+(?:explosion|leak|blast|cylinder)|boiler|mine\s+collapse|industrial\s+accident)\b", re.I)
_WEAPONISH = re.compile(r"\b(?:drones?|UAVs?|missiles?|rockets?|shell(?:s|ing|ed)|artillery|bombs?|air\s*strikes?|mortars?|warplanes?)\b", re.I)
_ARMED_SIDE = re.compile(r"\b(?:Russian|Ukrainian|Israeli|RSF|M23|JNIM|Hamas|Hezbollah|Houthi\w*|Arakan|Wagner|marines|units|militia\w*|insurgents|jihadists|paramilitar\w*)\b")
_MILITARY = re.compile(r"\b(?:forces|troops|army|military|soldiers|militants|rebels|fighters)\b", re.I)
_DEBRIS = re.compile(r"\b(?:falling\s+)?(?:debris|wreckage|fragments)\b", re.I)
_GROUND = re.compile(r"\b(?:fighters|gunmen|militants|militia\w*|rebels|insurgents|jihadists|bandits|attackers|gangs?|gang\s+members|armed\s+men)\b", re.I)
_AIR = re.compile(r"\b(?:air|drones?|UAVs?|jets?|aircraft|missiles?|rockets?|shell\w*|artillery|bombs?|strikes?)\b", re.I)
_MEETING = re.compile(
    r"\b(?:will|would|to\s+be|be|been|being|was|were|are|is)\s+(?:held|hosted|convened)\b|\b(?:held|hold|holds|holding|"
    r"meet|meets|met|meeting|opened|open|began|begin|begins|start|started|resume|resumed|resumes|ended|end|took\s+place|"
    r"take\s+place|due|scheduled|expected|travel\w*|gathered|convene\w*)\b", re.I)
_VISITOR = re.compile(
    r"\b(?:[Pp]resident|[Pp]rime\s+[Mm]inister|[Cc]hancellor|[Mm]inister|[Ss]ecretary|[Ee]nvoy|Pope|King|Queen|"
    r"[Ll]eader|[Dd]elegation|[Mm]ayor|[Gg]overnor|[Cc]ommissioner|[Aa]mbassador|visit|Zelensk\w*|Putin|Trump)\b")


def _drone_context(text: str) -> bool:
    return bool(re.search(r"\bdrones?\b|\bUAVs?\b|\bShahed", text, re.I))
