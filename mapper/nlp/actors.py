"""Who did it (actor1) and to whom (actor2), from the actors a sentence names.

The actors, their names, leaders and weapons are data (`mapper.nlp.conflicts`, one file per
conflict); this module is the grammar that picks among the mentions:

- actor1 is the first actor the sentence names as a doer: a named actor ("the RSF shelled"), a
  state force ("a Russian strike", "Somalia's army"), a weapon only one side uses ("Shahed drones"
  -> Russian forces), a leader's men ("Hemedti's fighters"), or a speaker that says its forces
  did it ("Russia's Defence Ministry said its forces had struck"). Speakers ("Hamas said"),
  targets ("clashed with", "targeting"), victims ("soldiers were killed") and modifiers ("the
  Houthi-run ministry") are not doers. Without one, a generic actor (gunmen, police, protesters),
  made specific by the event's country ("government forces" in Somalia -> Somali armed forces).
- For disrupted weapons (drones shot down) actor1 owns the weapons and actor2 is the defender:
  the country that says it downed them, else the one they were downed over.
- actor2 is coded for clashes only (both sides fight); elsewhere a second name in the sentence
  is often just what the attacker says it aimed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mapper.nlp import conflicts
from mapper.nlp.conflicts import ARMED, Actor, ActorMention, Conflicts

# Words that, after a demonym or a state's name, make it that state's forces ("Russian drones").
_FORCE_WORDS = frozenset(
    "forces force troops army armies military soldiers soldier servicemen units navy marines junta strike strikes "
    "airstrike airstrikes attack attacks drone drones missile missiles rocket rockets shelling shells artillery bomb "
    "bombs jet jets warplane warplanes aircraft assault offensive bombardment raid raids fire gunfire mortar mortars "
    "uav uavs helicopter helicopters gunships".split())
# ... and after a leader's name ("Hemedti's fighters").
_MEN_WORDS = _FORCE_WORDS | {"fighters", "men", "militia", "militiamen", "loyalists", "gunmen"}
_WINDOW = 2  # words allowed between them ("Russian ballistic missiles", "Russian Iskander-M missiles")
_NOT_BETWEEN = frozenset("said says say told officials official spokesman spokesperson".split())
_MODIFIER_AFTER = re.compile(
    r"^[-\u2010\u2013](?:run|led|backed|aligned|controlled|held|linked|allied|affiliated|appointed|administered|"
    r"occupied|supported|brokered|installed|made|built|supplied|designed|funded|sponsored|leaning|friendly)\b", re.I)
# "Hamas said": a speaker; "al-Shabaab claimed to have killed": a doer claiming its act.
_SPEAKS_AFTER = re.compile(
    r"^(?:['\u2019]s\s+(?:[\w-]+\s+){0,3}?|\s+(?:[\w-]+\s+){0,2}?)?(?:said|says|say|reported|reports|announced|told|"
    r"stated|accused|accuses|denied|denies|confirmed|claim(?:ed|s)\b(?!\s+(?:to|responsibility|credit|an?|the)\b))\b", re.I)
_SPEAKS_BEFORE = re.compile(r"\b(?:according\s+to|quoted\s+by|cited\s+by|told)\s+(?:the\s+)?$", re.I)
_TARGET_BEFORE = re.compile(
    r"\b(?:against|targeting|targeted|target|on|at|with|from|toward|towards|versus|vs\.?|into)\s+"
    r"(?:(?:the|an?|suspected|alleged|two|both|several|some)\s+)*$"
    # the object of a violent verb: "shot and killed an elderly government soldier (SNA)", "ambushed Russian troops"
    r"|\b(?:killed|killing|shot|shooting|injured|wounded|abducted|kidnapped|attacked|attacking|ambushed|ambushing|"
    r"beat|executed|arrested|detained|captured|raided|stormed|besieged|bombed|shelled|struck|hit|overran|repelled|repulsed)"
    r"(?:\s+and\s+\w+)?\s+(?:[\w-]+\s+){0,2}$", re.I)
# Victims ("soldiers were killed") and those who give up: ACLED codes the side receiving a surrender as actor1.
_VICTIM_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+)?(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|is|being|got)\s+(?:\w+\s+)?(?:killed|"
    r"injured|wounded|hurt|abducted|kidnapped|arrested|detained|attacked|targeted|shot|ambushed|captured|executed|beheaded|"
    r"taken)|surrendered|defected|handed\s+themselves|turned\s+themselves|came\s+under\s+(?:\w+\s+)?(?:fire|attack))\b",
    re.I)
# "fighters loyal to Ivan Mordisco", "militiamen led by Hemedti": a leader's men before the name.
_MEN_BEFORE = re.compile(
    r"\b(?:fighters|forces|troops|men|militiamen|militia|gunmen|militants|loyalists|soldiers)\s+(?:loyal\s+to|led\s+by|"
    r"commanded\s+by|under|of)\s+(?:(?:the\s+)?(?:commander|warlord|leader|general|gen\.)\s+)?$", re.I)
# "Russia's Defence Ministry said its forces had struck ...": the speaker's own forces did it.
_OWN_FORCES_AFTER = re.compile(
    r"^(?:['\u2019]s)?\s+(?:[\w-]+\s+){0,4}?(?:said|says|claimed|reported)\b[^.;]{0,80}?"
    r"(?:\b(?:its|their)\s+(?:forces|troops|units|army|military|air\s+force|aircraft|drones|missiles|fighters|men)\b"
    r"|\b(?:it|they)\s+(?:had\s+|have\s+)?(?:struck|hit|attacked|targeted|destroyed|bombed|shelled|captured|seized|killed|"
    r"launched|fired|repelled|repulsed|ambushed|downed|shot)\b)", re.I)
# "Russia said it shot down ...", "Ukraine's air force said": who downed the weapons.
_DEFENDER_AFTER = re.compile(
    r"^(?:['\u2019]s\s+(?:defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e|military|air\s+force|army|air\s+defen[cs]es?)\s*)?"
    r"\s*(?:said|says|claimed|reported)\b", re.I)
# ACLED codes a protest's or a riot's unnamed crowd as Protesters / Rioters (an actor kind of ours).
_CROWD = {"Peaceful protest": "protesters", "Protest with intervention": "protesters",
          "Excessive force against protesters": "protesters", "Violent demonstration": "rioters", "Mob violence": "rioters"}
_DOER_ROLES = ("alias", "weapon")
_APPOSITION = re.compile(r"\s*[(,]\s*")
_ALLIED_BETWEEN = re.compile(r"[^.;]{0,25}?\b(?:and|alongside|with\s+support\s+from|together\s+with)\s+(?:the\s+)?", re.I)
# What may follow a demonym before its force word: a space ("Russian drones"), "U.S. forces", "Somalia's army";
# not a hyphen ("Russian-backed", "Iranian-made").
_PLAIN_AFTER = re.compile(r"\.?\s|['\u2019]s\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An actor the sentence names, with the words and the rule that made it one."""

    actor: Actor
    start: int
    end: int
    rule: str  # "named", "state", "weapon", "leader", "own forces", "generic", "location", "crowd"
    source: str  # file:line of the phrase, or "grammar"
    doer: bool = True  # not a speaker, target, victim or modifier


@dataclass(frozen=True, slots=True)
class ActorChoice:
    """actor1 and actor2 of one event sentence, and why (for the explain trace)."""

    actor1: Candidate | None
    actor2: Candidate | None
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def names(self) -> tuple[str | None, str | None]:
        return (self.actor1.actor.name if self.actor1 else None, self.actor2.actor.name if self.actor2 else None)

    def trace(self) -> dict[str, Any]:
        def one(c: Candidate | None) -> dict[str, Any] | None:
            return None if c is None else {"actor": c.actor.name, "kind": c.actor.kind, "country": c.actor.country,
                                           "conflict": c.actor.conflict, "rule": c.rule, "words": [c.start, c.end],
                                           "source": c.source}
        return {"actor1": one(self.actor1), "actor2": one(self.actor2),
                "candidates": [one(c) for c in self.candidates]}


def choose_actors(
    text: str,
    *,
    sub_event_type: str | None = None,
    location_country: str | None = None,
    demonym: Callable[[str], str | None] | None = None,
    registry: Conflicts | None = None,
) -> ActorChoice:
    """actor1 and actor2 of an event sentence, with the candidates and rules behind them."""
    reg = registry or conflicts.load()
    toks = conflicts.tokenize(text)
    mentions = reg.find(text, country=location_country, tokens=toks)
    cands = sorted(_candidates(text, toks, mentions, reg, demonym), key=lambda c: (c.start, -c.end))
    specific = [c for c in cands if not c.actor.generic]
    generic = [c for c in cands if c.actor.generic and c.actor.kind != "civilians"]
    disrupted = sub_event_type == "Disrupted weapons use"
    pool = [c for c in specific if c.rule != "own forces"] if disrupted else specific
    first = next((c for c in pool if c.doer), None)
    if disrupted and first is None:
        first = next(iter(pool), None)  # "shot down 58 Ukrainian drones": the weapons' owner is the object
    if not disrupted:
        # Unnamed armed men may be the group named later ("militants ... JNIM"); police, an army or foreign
        # forces named before a side of another kind are a side of their own ("police defused an IED planted
        # by al-Shabaab").
        lead = next((c for c in generic if c.doer), None)
        if lead is not None and (first is None or (lead.start < first.start and lead.actor.kind in ("state", "external")
                                                   and _family(lead.actor) != _family(first.actor))):
            first = _specific(lead, reg, location_country)
    if sub_event_type in _CROWD and (first is None or first.actor.kind != _CROWD[sub_event_type]):
        # ACLED's rule: a protest's actor1 is its protesters, a riot's its rioters, whoever organised them.
        crowd = next((a for a in reg.actors.values() if a.generic and a.kind == _CROWD[sub_event_type]), None)
        if crowd is not None:
            first = _specific(Candidate(crowd, 0, 0, "crowd", "grammar"), reg, location_country)
    if disrupted:
        return ActorChoice(first, _defender(text, mentions, reg, location_country, first), tuple(cands))
    second = None
    if first is not None and sub_event_type == "Armed clash":
        # Only a side the sentence names ("militants" in one sentence are often the group named in the next),
        # the one attacked first ("clashed with regime forces").
        others = [c for c in specific if c.actor != first.actor and c.start != first.start]
        allies = [c for c in others if _ALLIED_BETWEEN.fullmatch(text[first.end:c.start])]  # "VDP and Burkinabe soldiers"
        second = (next((c for c in others if not c.doer and c not in allies), None)
                  or next((c for c in others if c not in allies), None) or next(iter(others), None))
    return ActorChoice(first, second, tuple(cands))


def find_actors(
    text: str,
    *,
    sub_event_type: str | None = None,
    location_country: str | None = None,
    demonym: Callable[[str], str | None] | None = None,
) -> tuple[str | None, str | None]:
    """``(actor1, actor2)`` names for an event sentence (see `choose_actors` for the why)."""
    return choose_actors(text, sub_event_type=sub_event_type, location_country=location_country, demonym=demonym).names


def is_armed_actor_text(text: str) -> bool:
    """True when the text names an armed side: a named group, a state's forces or weapons, or armed men
    ("gunmen", "militia"). Generic state words (police, soldiers) do not count: police facing a crowd is
    not a battle."""
    reg = conflicts.load()
    toks = conflicts.tokenize(text)
    mentions = reg.find(text, tokens=toks, guess=True)
    for m in mentions:
        if m.role in _DOER_ROLES and m.actor.kind in ARMED and not (m.actor.generic and m.actor.kind == "state"):
            return True
    return any(c.rule == "state" for c in _state_forces(text, toks, mentions, reg, None))


def actor_spans(text: str) -> list[tuple[int, int, Actor]]:
    """Where the text names an actor or its leader ("Hamas", "Hemedti"): such words are not places."""
    reg = conflicts.load()
    return [(m.start, m.end, m.actor) for m in reg.find(text, guess=True) if m.role in ("alias", "leader")]


def second_force(text: str, first: str) -> str | None:
    """Another state's forces a sentence names by demonym or state name, other than `first`."""
    reg = conflicts.load()
    for m in reg.find(text, guess=True):
        if m.role in ("state", "demonym") and m.actor.name != first:
            return m.actor.name
    return None


def __getattr__(name: str) -> Mapping[str, str]:
    # FORCES (ISO2 -> the state force's name) and DEMONYMS ("russian" -> "RU") come from the data files,
    # read on first use rather than at import, so a malformed user file fails where it is used.
    if name == "FORCES":
        return conflicts.load().forces
    if name == "DEMONYMS":
        return MappingProxyType(conflicts.load().demonyms)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- candidates ---------------------------------------------------------------------------------

def _candidates(text: str, toks: list[conflicts.Token], mentions: list[ActorMention], reg: Conflicts,
                demonym: Callable[[str], str | None] | None) -> list[Candidate]:
    out: list[Candidate] = []
    for m in mentions:
        if m.role == "weapon":
            out.append(Candidate(m.actor, m.start, m.end, "weapon", m.source, _doer(text, m.start, m.end)))
        elif m.role == "alias":
            rule = "generic" if m.actor.generic else "named"
            doer = _doer(text, m.start, m.end) or bool(_OWN_FORCES_AFTER.match(text[m.end:m.end + 200]))
            doer = doer and not _MODIFIER_AFTER.match(text[m.end:m.end + 16])
            head = out[-1] if out and out[-1].actor.generic and _APPOSITION.fullmatch(text[out[-1].end:m.start]) else None
            if head is not None:
                doer = head.doer  # "with government security forces (SNA)": the name stands where its description does
            out.append(Candidate(m.actor, m.start, m.end, rule, m.source, doer))
        elif m.role == "leader":
            end = _followed_by(text, toks, m.last, _MEN_WORDS)
            before = text[max(0, m.start - 60):m.start]
            men = _MEN_BEFORE.search(before)
            if end is not None:
                out.append(Candidate(m.actor, m.start, end, "leader", m.source, _doer(text, m.start, end)))
            elif men is not None:
                start = m.start - len(before) + men.start()
                out.append(Candidate(m.actor, start, m.end, "leader", m.source, _doer(text, start, m.end)))
    out.extend(_state_forces(text, toks, mentions, reg, demonym))
    return out


def _state_forces(text: str, toks: list[conflicts.Token], mentions: list[ActorMention], reg: Conflicts,
                  demonym: Callable[[str], str | None] | None) -> list[Candidate]:
    """ "Russian drones", "Somalia's army", "Russia's Defence Ministry said its forces struck"."""
    out = []
    covered = set()
    for m in mentions:
        covered.update(range(m.first, m.last))
        if m.role not in ("state", "demonym"):
            continue
        own = _OWN_FORCES_AFTER.match(text[m.end:m.end + 200])
        if own and m.role == "state":
            out.append(Candidate(m.actor, m.start, m.end, "own forces", m.source))
            continue
        end = _followed_by(text, toks, m.last, _FORCE_WORDS) if _PLAIN_AFTER.match(text[m.end:m.end + 3]) else None
        if end is not None:
            out.append(Candidate(m.actor, m.start, end, "state", m.source, _doer(text, m.start, end)))
    if demonym is None:
        return out
    # Demonyms the data does not list: the gazetteer's demonym() gives the country.
    for i, tok in enumerate(toks):
        if i in covered or not tok.text[:1].isupper() or not text[tok.end:tok.end + 1].isspace():
            continue
        end = _followed_by(text, toks, i + 1, _FORCE_WORDS)
        if end is None:
            continue
        try:
            code = demonym(tok.text)
        except (LookupError, ValueError):  # QueryError is a ValueError
            code = None
        if not code:
            continue
        actor = reg.state_force(code) or Actor(f"{tok.text} forces", "state", code, None, "demonym", "gazetteer")
        out.append(Candidate(actor, tok.start, end, "state", "gazetteer demonym", _doer(text, tok.start, end)))
    return out


def _followed_by(text: str, toks: list[conflicts.Token], after: int, words: frozenset[str]) -> int | None:
    """End offset of a word of `words` at most `_WINDOW` words after token index `after` (a hyphenated word
    counts once), in the same noun phrase: no comma, no "said" between."""
    between = 0
    for k in range(after, len(toks)):
        tok = toks[k]
        if not tok.joins or tok.comma or tok.key in _NOT_BETWEEN:
            return None
        if tok.key in words:
            return tok.end
        if k == after or any(c.isspace() for c in text[toks[k - 1].end:tok.start]):
            between += 1
        if between > _WINDOW:
            return None
    return None


def _family(actor: Actor) -> str:
    return "non-state" if actor.kind in ("rebel", "political", "identity") else actor.kind


def _doer(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    after = text[end:end + 60]
    return not (_SPEAKS_AFTER.match(after) or _SPEAKS_BEFORE.search(before) or _TARGET_BEFORE.search(before)
                or _VICTIM_AFTER.match(after))


def _specific(c: Candidate, reg: Conflicts, country: str | None) -> Candidate:
    actor = reg.specific(c.actor, country)
    if actor is c.actor:
        return c
    return Candidate(actor, c.start, c.end, c.rule, c.source, c.doer)


def _defender(text: str, mentions: list[ActorMention], reg: Conflicts, country: str | None,
              attacker: Candidate | None) -> Candidate | None:
    defender = None
    for m in mentions:
        if m.role == "state" and _DEFENDER_AFTER.match(text[m.end:m.end + 60]):
            defender = Candidate(m.actor, m.start, m.end, "says", m.source)
            break
    if defender is None and country and reg.state_force(country):
        defender = Candidate(reg.state_force(country), 0, 0, "location", "grammar")
    if defender is not None and attacker is not None and defender.actor == attacker.actor:
        return None
    return defender


# --- talks and visits -----------------------------------------------------------------------

_POSSESSIVE_LEADER = re.compile(r"\b([A-Z][a-z]+)'s\s+(president|prime\s+minister|chancellor|foreign\s+minister|defen[cs]e\s+minister|king|leader)\b")
_TITLE_WORDS = {"President", "Prime", "Minister", "Chancellor", "Foreign", "Defence", "Defense", "Secretary",
                "King", "Queen", "Pope", "General", "Gen.", "Mr", "Mrs", "Ms", "Dr", "Envoy", "Special", "Leader",
                "Meanwhile", "Also", "The", "On", "In", "Later", "Then", "Earlier"}
_VISITOR = re.compile(
    r"(?P<who>(?:[A-Z][\w'’-]+\s+){0,4}[A-Z][\w'’-]+)(?:,\s*[^,]{1,40},)?\s+"
    r"(?:visited|arrived\s+in|paid\s+a\s+visit|made\s+a\s+visit|travel(?:l)?(?:ed|s)?\s+to|will\s+travel\s+to|toured|will\s+visit|is\s+visiting|was\s+visiting)\b"
)
_MEDIATOR_BEFORE = re.compile(r"\b(?:by|mediated\s+by|brokered\s+by|hosted\s+by)\s+(?:the\s+)?$")
_PARTY_ROLES = ("state", "demonym", "leader", "alias")


def diplomacy_actors(text: str, sub_event_type: str, trigger_start: int) -> tuple[str | None, str | None]:
    """Who visits (Visit), or the two parties to talks (Negotiations): states by their short name
    ("Russia"), other actors by theirs ("Hamas")."""
    text = text.replace("\u2019", "'")
    reg = conflicts.load()
    if sub_event_type == "Visit":
        m = _POSSESSIVE_LEADER.search(text)
        if m and m.end() <= trigger_start:
            return f"{m.group(2).title()} of {m.group(1)}", None
        for m in _VISITOR.finditer(text):
            words = [w for w in m.group("who").split() if w not in _TITLE_WORDS and w.lower() not in reg.demonyms]
            if words:
                return " ".join(words[-3:]), None
        return None, None
    # Negotiations: the parties, from demonyms ("Russian and Ukrainian delegations"), states and leaders.
    mentions = [m for m in reg.find(text, guess=True) if m.role in _PARTY_ROLES and not m.actor.generic]
    parties: list[str] = []
    for k, m in enumerate(mentions):
        if _MEDIATOR_BEFORE.search(text[max(0, m.start - 25):m.start]):
            continue  # "brokered by the United States": the host, not a party
        compound = (k + 1 < len(mentions) and re.fullmatch(r"\s*[-\u2013]\s*", text[m.end:mentions[k + 1].start])) or (
            k > 0 and re.fullmatch(r"\s*[-\u2013]\s*", text[mentions[k - 1].end:m.start]))
        if not compound and (re.match(r"\.?[-\u2013]\w", text[m.end:m.end + 3]) or text[m.start - 1:m.start] in ("-", "\u2013")):
            continue  # "U.S.-brokered", "pro-Russian": a modifier; "Russia–Ukraine talks" names both parties
        if m.role == "alias" and m.actor.kind not in ARMED:
            continue
        name = reg.country_name(m.actor.country) if m.actor.kind == "state" and m.actor.country else m.actor.name
        if name and name not in parties:
            parties.append(name)
    return (parties[0] if parties else None), (parties[1] if len(parties) > 1 else None)


__all__ = ["ActorChoice", "Candidate", "DEMONYMS", "FORCES", "actor_spans", "choose_actors", "diplomacy_actors",
           "find_actors", "is_armed_actor_text", "second_force"]
