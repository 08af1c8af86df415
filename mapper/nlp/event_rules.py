"""The event vocabulary and the trigger rules: which words name an event, and what ACLED calls it.

The vocabulary (ACLED's 6 event types and 25 sub-event types, plus our Diplomacy family) is
``data/event_types.tsv``; the trigger rules, most specific first, are ``data/event_triggers.tsv``.
`rule_kind` is the rule-only decision (the first rule that matches wins; "shot down 58 drones"
is Disrupted weapons use even though it says "drones"). `rule_hits` lists every rule that
matches, as features for the trained classifier (mapper/nlp/models/events.py).
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mapper.errors import IncidentMapError
from mapper.nlp.actors import is_armed_actor_text
from mapper.nlp.literals import needed_literals

REMOTE = "Explosions/Remote violence"
STRATEGIC = "Strategic developments"
BATTLES = "Battles"
CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
DIPLOMACY = "Diplomacy"
NONE = "none"  # the classifier's label for a sentence that reports no event


@dataclass(frozen=True, slots=True)
class EventKind:
    """An event type and sub-type, and the words that said so (`trigger`, offsets in the text)."""

    event_type: str
    sub_event_type: str
    trigger: str
    start: int
    end: int
    strength: int  # 2 a weapon or act named ("shelling"), 1 a generic act ("the attack"), 0 a consequence alone ("were killed")


@dataclass(frozen=True, slots=True)
class TriggerRule:
    event_type: str
    sub_event_type: str
    rx: re.Pattern[str]  # lower-case, matched against `fold(text)`
    issue: str  # the issue the rule came with; "" for the original rules (the baseline)
    needs: frozenset[str] | None  # one of these is in every match: checked before the (slower) search


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger rule that matched: its words as written and their character offsets."""

    rule: TriggerRule
    text: str
    start: int
    end: int


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold(text: str) -> str:
    """ASCII lower case, offsets unchanged: the rules match lower-case patterns against it, several
    times faster than re.IGNORECASE (the patterns are ASCII words)."""
    return text.translate(_ASCII_LOWER)


def _ci(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern compiled to run on `fold(text)`."""
    if re.search(r"\\[A-Z]", pattern):
        raise IncidentMapError(f"trigger pattern uses an upper-case escape, which folding would change: {pattern[:60]}")
    return re.compile(pattern.lower())


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("mapper.nlp") / "data" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _load_vocabulary() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    types: dict[str, list[str]] = {}
    definitions: dict[str, str] = {}
    for row in _rows("event_types.tsv"):
        if row["sub_event_type"] in definitions:
            raise IncidentMapError(f"event_types.tsv: sub-event type {row['sub_event_type']!r} listed twice")
        types.setdefault(row["event_type"], []).append(row["sub_event_type"])
        definitions[row["sub_event_type"]] = row["definition"]
    return {t: tuple(subs) for t, subs in types.items()}, definitions


# event_type -> its sub-event types (ACLED's order), and what each sub-type covers.
EVENT_TYPES, DEFINITIONS = _load_vocabulary()
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)
TYPE_OF: dict[str, str] = {s: t for t, subs in EVENT_TYPES.items() for s in subs}


def _load_rules() -> tuple[TriggerRule, ...]:
    rules = []
    for n, row in enumerate(_rows("event_triggers.tsv"), start=1):
        if TYPE_OF.get(row["sub_event_type"]) != row["event_type"]:
            raise IncidentMapError(f"event_triggers.tsv rule {n}: {row['event_type']!r} / {row['sub_event_type']!r} "
                                   f"is not in event_types.tsv")
        try:
            rx = _ci(row["pattern"])
        except re.error as err:
            raise IncidentMapError(f"event_triggers.tsv rule {n} ({row['sub_event_type']}): {err}") from err
        rules.append(TriggerRule(row["event_type"], row["sub_event_type"], rx, row["issue"], needed_literals(rx.pattern)))
    return tuple(rules)


# Order matters: the first rule that matches (and passes its guard) wins in `rule_kind`.
RULES: tuple[TriggerRule, ...] = _load_rules()
# The rules `classify` had before the trained classifier (issue 12): the baseline it is scored against.
ORIGINAL_RULES: tuple[TriggerRule, ...] = tuple(r for r in RULES if not r.issue)
# A generic act: "a Russian strike", "the attack", "explosions"; typed by what else is said.
GENERIC = _ci(r"\b(?:strikes?|struck|attacks?|attacked|hit|hits|explosions?|blasts?)\b")
_HARM = _ci(r"\b(?:killed|killing|died|dead|injured|injuring|wounded|wounding|hurt)\b")
# Consequences alone ("were killed") make an event only with another event in context.
CONSEQUENCE = _ci(r"\b(?:killed|killing|died|dead|injured|injuring|wounded|wounding|hurt|destroyed|damaged)\b")

_INTERVENTION = _ci(r"\b(?:police|riot\s+police|security\s+forces|gendarmes?|gendarmerie|soldiers|troops|coast\s*guards?|"
                    r"guards)\b[^.]{0,60}\b(?:dispers\w+|water\s+cannon|tear\s*gas|rubber\s+bullets|detained|arrested|beat|"
                    r"broke\s+up|fired\s+(?:\w+\s+)?(?:into\s+the\s+air|warning\s+shots))\b|\b(?:water\s+cannon|tear\s*gas)\b")
_LIVE_FIRE = _ci(r"\b(?:opened\s+(?:\w+\s+)?(?:fire|gunfire)|fired\s+(?:live|shots|bullets|rounds|on|at|into(?!\s+the\s+air))|"
                 r"live\s+(?:ammunition|rounds|bullets)|gunfire|shot\s+(?:dead|and\s+killed))\b")
_ILLNESS = r"natural\s+causes|(?:(?:a\s+)?(?:long|short|sudden)\s+)illness|cancer|old\s+age"
_NOT_WAR = _ci(
    r"\b(?:car|cars|vehicle|truck|train|collision|crash(?:ed|es)?|accident|lightning|tornado|storm|hurricane|earthquake|"
    r"flood(?:s|ing)?|wildfire|blaze|overdose|tragedy|recession|economy|market\s+crash|virus|pandemic|heart\s+attack|"
    r"gas\s+(?:explosion|leak|blast|cylinder)|boiler|mine\s+collapse|industrial\s+accident|" + _ILLNESS + r")\b")
# "he had died of natural causes": a death no one caused
_NATURAL_DEATH = _ci(r"\bdied\s+(?:of|from)\s+(?:(?:a\s+)?heart\s+attack|illness|disease|" + _ILLNESS + r")\b")
# (not the people who wield it: "its drone operators and infantry killed 9 soldiers", "artillery crews")
_WEAPONISH = _ci(r"\b(?:drones?|UAVs?|missiles?|rockets?|shell(?:s|ing|ed)|artillery|bombs?|air\s*strikes?|mortars?|"
                 r"warplanes?)\b(?!\s+(?:operators?|pilots?|crews?|teams?|specialists?|gunners?|men)\b)")
# Armed sides of any conflict come from the conflict files (mapper/nlp/data/conflicts), not from here;
# the common nouns are matched at a sentence start too ("Insurgents").
_ARMED_NOUNS = _ci(r"\b(?:marines|units|militia\w*|insurgents|jihadists|paramilitar\w*|rustlers|cultists|cult\s+groups?|vigilantes|"
                   r"infantry\w*|paratroopers|commandos|guerrillas|combatants|tribesmen|clansmen|reservists|"
                   r"border\s+guards|guardsmen|saboteurs|"
                   r"sabotage\s+(?:and\s+reconnaissance\s+)?(?:groups?|units?|teams?)|"
                   r"armed\s+(?:[\w-]+\s+){0,3}?(?:members|groups?|youths?|herders|civilians|residents|villagers|elements|supporters))\b")
_MILITARY = _ci(r"\b(?:forces|troops|army|military|soldiers|militants|rebels|fighters)\b")
_DEBRIS = _ci(r"\b(?:falling\s+)?(?:debris|wreckage|fragments)\b")
# Deaths in fighting name the battle on their own ("seven people were killed in clashes in Zawiya",
# "fighting near the town left five dead"): no armed side need be named.
_DEATHS_IN_FIGHTING = _ci(
    r"\b(?:killed|died|dead|wounded|injured|hurt)\s+(?:\w+\s+){0,2}?(?:in|during|amid)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:fighting|clashes|gun\s*battles?|firefights?|exchanges?(?!\s+of\s+(?!fire|gunfire))|shoot-?outs?|gunfights?)\b|"
    r"\b(?:fighting|clashes|gun\s*battles?|firefights?|gunfights?)\s+(?:[\w-]+\s+){0,6}?(?:killed|left\s+(?:\w+\s+){0,3}(?:dead|wounded|injured))\b")
# One armed man named: "A soldier was killed in the clash".
_ARMED_ONE = _ci(r"\b(?:soldier|militant|rebel|fighter|insurgent|jihadist|gunman|militiaman|policem[ae]n|police\s+officer|"
                 r"officer|guard|commander|raider|bandit)\b")
# Both sides fired: whoever they are, they were armed ("the herders pursued the raiders and the two sides exchanged fire").
_EXCHANGE_OF_FIRE = _ci(r"\b(?:(?:exchanged|traded|returned)\s+(?:heavy\s+)?(?:fire|gunfire)|exchanges?\s+of\s+(?:heavy\s+)?(?:fire|gunfire)|"
                        r"gunfights?|firefights?|shoot-?outs?|gun\s*battles?)\b")
_POLICE = _ci(r"\bpolice\w*\b")
# People who gather into a mob: "residents of the town attacked a woman they accused of witchcraft".
_MOB = _ci(r"\b(?:mobs?|crowds?|residents|villagers|locals|youths?|young\s+men|traders|neighbou?rs|vigilante\w*|community|angry|"
           r"passers-?by|onlookers|protesters|demonstrators|rioters|students)\b")
_CROWD = _ci(r"\b(?:protesters|demonstrators|rioters|marchers|crowds?|mobs?|supporters|students)\b")  # clashes of a street, not a battle
_GROUND = _ci(r"\b(?:fighters|gunmen|militants|militia\w*|rebels|insurgents|jihadists|bandits|attackers|gangs?|gang\s+members|armed\s+men)\b")
# Small arms: who shot a man did it on the ground, whatever else the sentence names.
_FIREARM = _ci(r"\b(?:shot|shooting|shootings|gunfire|gunshots?|snipers?|AK-?47s?|rifles?|pistols?|machine\s*guns?|small\s+arms|"
               r"opened\s+fire|armed\s+with)\b")
# Weapons of a hand-to-hand attack: no one in the air throws stones.
_MELEE = _ci(r"\b(?:stones|rocks|sticks|clubs|cudgels|knives|knife|machetes?|axes|iron\s+bars|pepper\s+spray|batons|whips)\b")
_AIR = _ci(r"\b(?:air|drones?|UAVs?|jets?|aircraft|missiles?|rockets?|shell\w*|artillery|bombs?|strikes?)\b")
_MEETING = _ci(
    r"\b(?:will|would|to\s+be|be|been|being|was|were|are|is)\s+(?:held|hosted|convened)\b|\b(?:held|hold|holds|holding|"
    r"meet|meets|met|meeting|opened|open|began|begin|begins|start|started|resume|resumed|resumes|ended|end|took\s+place|"
    r"take\s+place|due|scheduled|expected|travel\w*|gathered|convene\w*)\b")
# "The foreign minister was in Ouagadougou on Sunday for talks with ...": there, for talks (not "called for talks").
_THERE_FOR_TALKS = re.compile(
    r"\b(?:was|were|is|are|been|arrived|remained|stayed)\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*,?\s+"
    r"(?:(?:on|this|last|late|early)\s+\w+\s+)?for\s+(?:[\w-]+\s+){0,2}(?:talks|negotiations|consultations)\b")
_VISITOR = re.compile(
    r"\b(?:[Pp]resident|[Pp]rime\s+[Mm]inister|[Cc]hancellor|[Mm]inister|[Ss]ecretary|[Ee]nvoy|Pope|King|Queen|"
    r"[Ll]eader|[Dd]elegation|[Mm]ayor|[Gg]overnor|[Cc]ommissioner|[Aa]mbassador|[Cc]ommander|[Cc]hief|[Hh]ead\s+of|"
    r"visit|Zelensk\w*|Putin|Trump)\b")
_DRONE = _ci(r"\bdrones?\b|\bUAVs?\b|\bShahed")


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    words: frozenset[str]  # words and "two words"
    scope: str  # "sentence", or "object": the side of the first trigger where its target stands


def _load_cues() -> tuple[Cue, ...]:
    cues = []
    for row in _rows("event_cues.tsv"):
        words = row["words"].split()
        if not words or any(w != w.lower() for w in words) or row["scope"] not in ("sentence", "object"):
            raise IncidentMapError(f"event_cues.tsv: cue {row['name']!r} needs lower-case words and a scope")
        cues.append(Cue(row["name"], frozenset(w.replace("+", " ") for w in words), row["scope"]))
    return tuple(cues)


# Named context cues, features of the classifier beside the rules: who is there and what is said
# (data/event_cues.tsv). Word sets, matched against a sentence's words and word pairs.
CUES: tuple[Cue, ...] = _load_cues()
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+\s+)?$")


def object_side(text: str, hits: list[Hit]) -> str:
    """The part of `text` where the first trigger's target stands: after the trigger ("stormed a police
    post"), or before it when the verb is passive ("two officers were shot dead"); all of it without a trigger."""
    if not hits:
        return text
    first = min(hits, key=lambda h: h.start)
    if _PASSIVE_BEFORE.search(fold(text[:first.start])):
        return text[:first.end]
    return text[first.start:]


def armed_sides(text: str, low: str | None = None, *, one: bool = False) -> bool:
    """Does the sentence name armed forces or armed men, or fighting that needs them? A battle does.
    With `one`, a single armed man named counts too ("A soldier was killed in the clash")."""
    low = fold(text) if low is None else low
    return bool(_MILITARY.search(low) or _GROUND.search(low) or _ARMED_NOUNS.search(low) or is_armed_actor_text(text)
                or _EXCHANGE_OF_FIRE.search(low) or _DEATHS_IN_FIGHTING.search(low) and not _CROWD.search(low)
                or one and _ARMED_ONE.search(low))


def _guard(rule: TriggerRule, text: str, low: str, m: re.Match[str]) -> bool:
    """False when a rule's words match (`m`) but their context rules the event out (`low` is `fold(text)`)."""
    if rule.event_type == BATTLES and not armed_sides(text, low):
        return False  # "assault causing harm", "Civil War documents": no armed forces or armed men, no battle
    doers = low[: m.end()]  # who did it is told before the act, or is its word ("a mob", "vigilantes")
    if rule.sub_event_type == "Mob violence" and (_MILITARY.search(doers) or _GROUND.search(doers) or _POLICE.search(doers)) \
            and not _MOB.search(doers):
        # "soldiers killed three men they accused of theft", "a gang armed with knives set upon
        # traders", "bandits attacked a village and were engaged by local vigilantes": armed men, no crowd
        return False
    if rule.sub_event_type == "Grenade" and _FIREARM.search(low):
        return False  # "attacked a post with small arms and grenades": the grenades are part of a gunfight
    if rule.sub_event_type == "Visit" and not _VISITOR.search(text):
        return False  # "reinforcements arrived in the town" is not a visit
    if rule.sub_event_type == "Negotiations" and not (_MEETING.search(low) or _THERE_FOR_TALKS.search(text)):
        return False  # "talks collapsed", "without talks": no meeting held at a place and time
    return True


def rule_hits(text: str, *, rules: tuple[TriggerRule, ...] = RULES) -> list[Hit]:
    """Every rule whose words are in `text` and whose guard passes, in rule order."""
    if rules is RULES:
        return list(_hits_of_recent(text))
    return _hits(text, rules)


@lru_cache(maxsize=32)  # the rules, the classifier and the trace each ask for a clause's hits
def _hits_of_recent(text: str) -> tuple[Hit, ...]:
    return tuple(_hits(text, RULES))


def _hits(text: str, rules: tuple[TriggerRule, ...]) -> list[Hit]:
    low = fold(text)
    out = []
    for rule in rules:
        if rule.needs is not None and not any(map(low.__contains__, rule.needs)):
            continue
        m = next((m for m in rule.rx.finditer(low) if not _not_an_act(low, m) and not (
            rule.event_type == BATTLES and (_raid_for_arrests(low, m) or _on_civilians(low, m))
            or rule.sub_event_type == "Attack" and _raid_for_arrests(low, m))), None)
        if m and _guard(rule, text, low, m):
            out.append(Hit(rule, text[m.start():m.end()], m.start(), m.end()))
    return out


# A trigger word that names a weapon, not an act: "seized two assault rifles", "fought with
# rocket-propelled grenades" (a clash, not a shelling or a thrown grenade).
_WEAPON_AFTER = re.compile(r"[\s-]*(?:rifles?|weapons?|guns?|boats?|helicopters?|propelled)\b")
_PROPELLED_BEFORE = re.compile(r"propelled[\s-]*$")


# "raided a camp ... and arrested eight fighters": a raid told by its arrests, no fight and no toll
_ARRESTED = re.compile(r"\b(?:arrested|arresting|detained|detaining|apprehended|rounded\s+up)\b")
_FIGHT = re.compile(r"\b(?:clash\w*|fought|fighting|firefights?|gun\s*battles?|exchanged?\s+(?:of\s+)?fire|gunfire|shootout)\b")


# "gunmen stormed a farming village": an assault on where people live is an attack on them, not a battle
_CIVILIAN_TARGET_AFTER = re.compile(r"\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:villages?|hamlets?|settlements?|"
                                    r"communit(?:y|ies)|homes?|houses?|markets?)\b")


def _on_civilians(low: str, m: re.Match[str]) -> bool:
    return m.group(0) in ("stormed", "storming", "invaded") and bool(_CIVILIAN_TARGET_AFTER.match(low, m.end()))


def _raid_for_arrests(low: str, m: re.Match[str]) -> bool:
    return m.group(0).startswith("raid") and bool(_ARRESTED.search(low)) and not _FIGHT.search(low) and not (
        CONSEQUENCE.search(low))


# "urged an end to air strikes on civilian areas", "called for a halt to the shelling": what
# someone wants stopped is not an event the sentence tells
_ASKED_TO_STOP = re.compile(r"\b(?:(?<!tail\s)(?<!far\s)(?<!other\s)(?<!ern\s)end|halt|stop|ban|cessation|pause|freeze|"
                            r"moratorium)\s+(?:to|of|on)\s+"
                            r"(?:the\s+|all\s+|further\s+)?(?:[\w-]+\s+){0,2}$")


# "seizing a pistol and two grenades", "found a cache of mortar rounds": a weapon taken, not used
_SEIZED_BEFORE = re.compile(r"\b(?:seiz(?:ed|ing|es)|confiscat(?:ed|ing)|recover(?:ed|ing)|impound(?:ed|ing)|"
                            r"found(?!\s+\w+ing\b)|possession\s+of|haul\s+of)\s+"  # (not "found planting an IED")
                            r"(?:(?!(?:near|after|before|in|at|on|by|from|bodies|body)\b)[\w,-]+\s+){0,5}$")


# "troops have not been deployed south of the river", "the army did not attack": no act told
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|n't|no\s+longer)\s+(?:yet\s+)?(?:been\s+|be\s+)?$")


# "arrested six men ... and showed two explosive vests": what an arrest yielded, shown to the press
_SHOWN_BEFORE = re.compile(r"\b(?:show(?:ed|n|ing)|display(?:ed|ing)|parad(?:ed|ing)|exhibit(?:ed|ing))\s+(?:[\w,-]+\s+){0,4}$")


def _not_an_act(low: str, m: re.Match[str]) -> bool:
    return bool(_WEAPON_AFTER.match(low, m.end()) or _PROPELLED_BEFORE.search(low, 0, m.start())
                or _NEGATED_BEFORE.search(low, max(0, m.start() - 30), m.start())
                or _ASKED_TO_STOP.search(low, max(0, m.start() - 60), m.start())
                or _SEIZED_BEFORE.search(low, max(0, m.start() - 60), m.start())
                or _SHOWN_BEFORE.search(low, max(0, m.start() - 60), m.start()) and _ARRESTED.search(low))


def _kind(event_type: str, sub: str, text: str, m: re.Match[str], strength: int) -> EventKind:
    return EventKind(event_type, sub, text[m.start():m.end()], m.start(), m.end(), strength)


def debris_weapon(text: str) -> str | None:
    """What fell when the sentence tells debris or wreckage falling: "missile" or "drone" (None when
    it tells none): a shoot-down whose debris killed someone is coded as the strike it stopped."""
    low = fold(text)
    if not _DEBRIS.search(low):
        return None
    return "missile" if re.search(r"\bmissiles?\b", low) and not _DRONE.search(low) else "drone"


def live_fire_on(text: str) -> bool:
    """Does the sentence tell live fire ("opened gunfire to disperse them", "fired live rounds")?
    On a protest just told, it is excessive force; firing into the air is not."""
    return bool(_LIVE_FIRE.search(fold(text)))


_FORMER_FORCES = _ci(r"\b(?:former|retired|off[- ]duty|ex-|demobili[sz]ed|disarmed)\s*(?:[\w-]+\s+){0,2}?"
                     r"(?:soldiers?|troops|police\w*|officers?|commanders?|commandos?|pilots?|members?|servicem[ae]n|"
                     r"guards?|fighters?|combatants?|rebels?|guerrill\w*|militants?|insurgents?|militiam[ae]n|paramilitar\w*)\b")


# People gathering, besides the crowd's own nouns (_CROWD): without them live fire is on no protest.
_GATHERING_ACT = _ci(r"\b(?:protest\w*|demonstrat\w*|march\w*|rall(?:y|ies|ied|ying)|mourn\w*|gather\w*|sit-ins?|"
                     r"sit\s+in|youths?|riots?|procession|funerals?|strikers|picket\w*|worshippers|block\w*)\b")


def people_gathered(text: str) -> bool:
    """Does the sentence tell of people gathered (a crowd, marchers, mourners, a sit-in)?"""
    low = fold(text)
    return bool(_CROWD.search(low) or _GATHERING_ACT.search(low))


def natural_death(text: str) -> bool:
    """"The prison service said he had died of natural causes": a death, not a toll."""
    return bool(_NATURAL_DEATH.search(fold(text)))


def former_forces(text: str) -> bool:
    """Does the sentence name former or off-duty soldiers or police ("the body of a former police
    commander", "an off-duty soldier"), or former fighters ("a former FARC fighter", "demobilised
    combatants")? Violence against them is violence against civilians."""
    return bool(_FORMER_FORCES.search(fold(text)))


def police_intervened(text: str) -> bool:
    """Does the sentence tell police or security forces breaking up a crowd ("fired tear gas to
    disperse them", "riot police detained dozens")? It makes a protest one with intervention."""
    return bool(_INTERVENTION.search(fold(text)))


def rule_kind(text: str, *, rules: tuple[TriggerRule, ...] = RULES, hits: list[Hit] | None = None) -> EventKind | None:
    """The event the sentence reports by the rules alone (the first rule wins), or None.

    `hits` are `rule_hits(text, rules=rules)` when the caller has them already.
    """
    hits = rule_hits(text, rules=rules) if hits is None else hits
    low = fold(text)
    if hits and hits[0].rule.sub_event_type == "Looting/property destruction" and _HARM.search(low):
        # "Nine herders were killed, and the attackers drove off 3,000 cattle": the spoils of the
        # killing told, not the event: the sentence reads as its toll does (below)
        hits = hits[1:]
    if hits and hits[0].rule.sub_event_type == "Looting/property destruction" and (
            w := _WEAPONISH.search(low, 0, hits[0].start)) is not None and _AIR.search(w.group(0)):
        # "drones had set fuel tanks ablaze at a depot": what the weapon fired did, a strike
        drone = bool(_DRONE.search(w.group(0)))
        return EventKind(REMOTE, "Air/drone strike" if drone else "Shelling/artillery/missile attack",
                         hits[0].text, hits[0].start, hits[0].end, 2)
    if hits:
        hit = hits[0]
        sub = hit.rule.sub_event_type
        if sub == "Shelling/artillery/missile attack" and _DRONE.search(low):
            return EventKind(REMOTE, "Air/drone strike", hit.text, hit.start, hit.end, 2)
        if sub == "Peaceful protest" and _INTERVENTION.search(low):
            sub = "Protest with intervention"  # police dispersed it: ACLED's own sub-type
        return EventKind(hit.rule.event_type, sub, hit.text, hit.start, hit.end, 2)
    if _NOT_WAR.search(low) and not _WEAPONISH.search(low) and not _MILITARY.search(low):
        return None  # "car strikes tree", "storm hit the coast": no weapon named, and not a war
    m = _DEBRIS.search(low)
    if m:
        # Falling debris is what an interception leaves: part of the shoot-down, not a strike.
        return _kind(STRATEGIC, "Disrupted weapons use", text, m, 1)
    m = GENERIC.search(low)
    if m and (_GROUND.search(low) or _FIREARM.search(low) or _MELEE.search(low)) and not _AIR.search(low):
        # Fighters or gunmen attacking a village, settlers attacking shopkeepers with stones: violence
        # against the people there, not a strike from the air.
        return _kind(CIVILIANS, "Attack", text, m, 1)
    if m:
        # An unnamed weapon: ACLED's usual coding for a reported "strike" from the air.
        return _kind(REMOTE, "Air/drone strike", text, m, 1)
    m = CONSEQUENCE.search(low)
    if m and m.group(0) in ("destroyed", "damaged") and not (_AIR.search(low) or _HARM.search(low)) and (
            _GROUND.search(low) or _MILITARY.search(low) or is_armed_actor_text(text)):
        # "Al Shabaab destroyed tractors and farmland in Calaag": armed men wrecking property, no weapon fired
        return _kind(STRATEGIC, "Looting/property destruction", text, m, 1)
    if m:
        w = _WEAPONISH.search(low)
        if w:
            # "A Russian drone killed a man": the weapon named with its toll is the event.
            sub = ("Shelling/artillery/missile attack" if re.match(r"missile|rocket|shell|artillery|mortar", w.group(0))
                   else "Air/drone strike")
            return _kind(REMOTE, sub, text, w, 2)
        if (_FIREARM.search(low) or _GROUND.search(low)) and not _AIR.search(low):
            # "a soldier shot and injured a driver", "insurgents killed three fishermen": on the
            # ground, not a strike from the air
            return _kind(CIVILIANS, "Attack", text, m, 0)
        return _kind(REMOTE, "Air/drone strike", text, m, 0)
    return None
