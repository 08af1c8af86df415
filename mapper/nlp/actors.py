"""Who did it (actor1) and to whom (actor2), from the words a story uses.

"a Russian strike" -> actor1 "Russian forces"; "Ukrainian drones" shot down over Russia ->
actor1 "Ukrainian forces", actor2 "Russian forces" (the defender). Named armed groups (RSF,
Hamas, the Myanmar military) come from a small table; anything else is left unset rather
than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Demonym -> ISO 3166-1 alpha-2, for the armies that appear in conflict news. The gazetteer's
# `demonym()` covers the rest (passed in as `demonym`).
DEMONYMS = {
    "russian": "RU", "ukrainian": "UA", "israeli": "IL", "palestinian": "PS", "syrian": "SY",
    "sudanese": "SD", "myanmar": "MM", "burmese": "MM", "iranian": "IR", "iraqi": "IQ",
    "turkish": "TR", "american": "US", "us": "US", "u.s.": "US", "british": "GB", "belarusian": "BY",
    "lebanese": "LB", "yemeni": "YE", "saudi": "SA", "ethiopian": "ET", "somali": "SO",
    "malian": "ML", "nigerian": "NG", "congolese": "CD", "afghan": "AF", "pakistani": "PK",
    "indian": "IN", "chinese": "CN", "georgian": "GE", "armenian": "AM", "azerbaijani": "AZ",
    "north korean": "KP", "korean": "KR", "libyan": "LY", "egyptian": "EG", "jordanian": "JO",
}
# ACLED names state forces "Military Forces of X"; news and our analysts write "Russian forces" for the
# two armies of the war in Ukraine (and Israel's, Iran's), "Malian armed forces" elsewhere.
_SHORT = {"RU", "UA", "IL", "IR", "BY", "US", "GB", "TR"}
FORCES = {code: f"{name.title()} {'forces' if code in _SHORT else 'armed forces'}"
          for name, code in DEMONYMS.items() if name not in ("us", "u.s.", "burmese", "korean")}
FORCES.update({"US": "US forces", "MM": "Myanmar military", "KP": "North Korean forces", "KR": "South Korean forces"})

# Named armed actors: pattern -> the name we code.
NAMED = (
    (r"\bRapid\s+Support\s+Forces\b|\bRSF\b", "Rapid Support Forces"),
    (r"\bSudanese\s+(?:Armed\s+Forces|army)\b|\bSAF\b", "Sudanese Armed Forces"),
    (r"\bHamas\b", "Hamas"),
    (r"\bHezbollah\b", "Hezbollah"),
    (r"\bHouthis?\b", "Houthis"),
    (r"\bIDF\b|\bIsraeli\s+(?:military|army|forces|troops|air\s+force|jets?|strikes?|airstrikes?)\b", "Israeli forces"),
    (r"\b(?:Myanmar|Burmese)\s+(?:military|army|junta|air\s+force)\b|\bjunta\b|\bTatmadaw\b", "Myanmar military"),
    (r"\bArakan\s+Army\b", "Arakan Army"),
    (r"\b[Aa]l-Shabaab\b", "al-Shabaab"),
    (r"\bIslamic\s+State\b|\bISIS\b|\bISWAP\b", "Islamic State"),
    (r"\bWagner\b", "Wagner Group"),
    (r"\bM23\b", "M23"),
    (r"\b(?:[Aa]rmed\s+)?[Gg]angs\b|\bgang\s+members\b", "Gangs"),
    (r"\bJNIM\b|\bJama'at\s+Nusrat\s+al-Islam", "JNIM"),
)
_NAMED_RX = tuple((re.compile(rx), name) for rx, name in NAMED)
_ANY_NAMED = re.compile("|".join(f"(?:{rx})" for rx, _ in NAMED))
_WEAPON = (
    r"(?:forces|troops|army|military|soldiers|strikes?|attacks?|drones?|missiles?|rockets?|shelling|shells|artillery|"
    r"air\s+force|airstrikes?|air\s+strikes?|bombs?|glide\s+bombs?|jets?|warplanes?|aircraft|shahed\w*|units?|"
    r"servicemen|fighters|assault|offensive|bombardment|raid|fire|gunfire|mortars?|UAVs?)"
)
# Lookahead, so "Two Russian ballistic missiles" still finds "Russian" after "Two" failed.
_DEMONYM_WEAPON = re.compile(rf"\b([A-Z][a-z]+(?:\s+Korean)?|U\.?S\.?)(?=\s+(?:[\w-]+\s+){{0,2}}?{_WEAPON}\b)")
_COUNTRY_SAYS = re.compile(r"\b(Russia|Ukraine|Israel|Belarus|Iran)(?:'s\s+(?:defen[cs]e\s+ministry|military|air\s+force|army))?\s+(?:said|says|claimed|reported)\b")
# Weapons only one side of the war in Ukraine uses.
_WEAPON_OWNER = re.compile(
    r"\b(?P<ru>Shahed|Geran|Iskander|Kalibr|Kinzhal|Kh-\d+|Oniks|Zircon|KAB-?\d*|Lancet)\b|\b(?P<ua>ATACMS|Storm\s+Shadow|Neptune|Lyutyi|Liutyi|Flamingo)\b")
# "Russia's Defence Ministry said its forces had struck ...": that country's forces.
_OWN_FORCES = re.compile(
    r"\b(Russia|Ukraine|Israel|Belarus|Iran)'s\s+(?:[\w-]+\s+){0,3}?(?:said|says|claimed|reported)\b[^.]{0,80}?"
    r"(?:\b(?:its|their)\s+(?:forces|troops|units|army|military|air\s+force|aircraft|drones|missiles)\b"
    r"|\b(?:it|they)\s+(?:had\s+)?(?:struck|hit|attacked|targeted|destroyed|bombed)\b)")
_COUNTRY_FORCES = {"Russia": "RU", "Ukraine": "UA", "Israel": "IL", "Belarus": "BY", "Iran": "IR"}


def find_actors(
    text: str,
    *,
    sub_event_type: str | None = None,
    location_country: str | None = None,
    demonym: Callable[[str], str | None] | None = None,
) -> tuple[str | None, str | None]:
    """``(actor1, actor2)`` for an event sentence.

    For disrupted weapons (drones shot down) actor1 owns the weapons and actor2 is the defender:
    the country that said it shot them down, or the country where they were downed.
    """
    text = text.replace("’", "'")
    named = [(m.start(), name) for rx, name in _NAMED_RX for m in rx.finditer(text)
             if not re.match(r"[-–](?:run|led|backed|aligned|controlled|held|linked|allied)\b", text[m.end():m.end() + 12])
             ] if _ANY_NAMED.search(text) else []  # "the Houthi-run health ministry" is not the attacker
    named.sort()
    names = list(dict.fromkeys(n for _, n in named))
    attacker = names[0] if names else None  # a named armed group beats a demonym ("Sudanese army")
    if attacker is None and sub_event_type != "Disrupted weapons use":
        own = _OWN_FORCES.search(text)
        if own:
            attacker = FORCES[_COUNTRY_FORCES[own.group(1)]]
    if attacker is None:
        weapon = _WEAPON_OWNER.search(text)
        if weapon:
            attacker = FORCES["RU"] if weapon.group("ru") else FORCES["UA"]
    if attacker is None:
        for m in _DEMONYM_WEAPON.finditer(text):
            code = _code(m.group(1), demonym)
            if code:
                attacker = FORCES.get(code) or f"{m.group(1)} forces"
                break
    if attacker is not None and names and attacker == names[0]:
        names = names[1:]
    if sub_event_type == "Disrupted weapons use":
        defender = None
        said = _COUNTRY_SAYS.search(text)
        if said:
            defender = FORCES[_COUNTRY_FORCES[said.group(1)]]
        elif location_country:
            defender = FORCES.get(location_country)
        if attacker == defender:
            defender = None
        return attacker or (names[0] if names else None), defender
    if attacker:
        # The target is coded only for clashes (both sides fight); elsewhere a named group in the
        # sentence is often just who the attacker says it aimed at.
        other = next((n for n in names if n != attacker), None) if sub_event_type == "Armed clash" else None
        return attacker, other
    return None, None


def _code(word: str, demonym: Callable[[str], str | None] | None) -> str | None:
    key = word.lower()
    if key in DEMONYMS:
        return DEMONYMS[key]
    if demonym is not None:
        try:
            return demonym(word)
        except (LookupError, ValueError):  # QueryError is a ValueError
            return None
    return None


# --- talks and visits -----------------------------------------------------------------------

_POSSESSIVE_LEADER = re.compile(r"\b([A-Z][a-z]+)'s\s+(president|prime\s+minister|chancellor|foreign\s+minister|defen[cs]e\s+minister|king|leader)\b")
_TITLE_WORDS = {"President", "Prime", "Minister", "Chancellor", "Foreign", "Defence", "Defense", "Secretary",
                "King", "Queen", "Pope", "General", "Gen.", "Mr", "Mrs", "Ms", "Dr", "Envoy", "Special", "Leader",
                "Meanwhile", "Also", "The", "On", "In", "Later", "Then", "Earlier"}
_VISITOR = re.compile(
    r"(?P<who>(?:[A-Z][\w'’-]+\s+){0,4}[A-Z][\w'’-]+)(?:,\s*[^,]{1,40},)?\s+"
    r"(?:visited|arrived\s+in|paid\s+a\s+visit|made\s+a\s+visit|travel(?:l)?(?:ed|s)?\s+to|will\s+travel\s+to|toured|will\s+visit|is\s+visiting|was\s+visiting)\b"
)


def second_force(text: str, first: str) -> str | None:
    for m in re.finditer(r"\b([A-Z][a-z]+)\b", text):
        code = DEMONYMS.get(m.group(1).lower())
        if code and FORCES.get(code) and FORCES[code] != first:
            return FORCES[code]
    return None


_LEADERS = {"Zelen": "Ukraine", "Putin": "Russia", "Trump": "United States", "Netan": "Israel", "Erdog": "Turkey",
            "Lukas": "Belarus"}
_COUNTRY_NAMES = {"RU": "Russia", "UA": "Ukraine", "US": "United States", "IL": "Israel", "PS": "Palestine",
                  "SD": "Sudan", "IR": "Iran", "TR": "Turkey", "BY": "Belarus", "SY": "Syria", "LB": "Lebanon"}


def diplomacy_actors(text: str, sub_event_type: str, trigger_start: int) -> tuple[str | None, str | None]:
    if sub_event_type == "Visit":
        m = _POSSESSIVE_LEADER.search(text)
        if m and m.end() <= trigger_start:
            return f"{m.group(2).title()} of {m.group(1)}", None
        for m in _VISITOR.finditer(text):
            words = [w for w in m.group("who").split() if w not in _TITLE_WORDS and w.lower() not in DEMONYMS]
            if words:
                return " ".join(words[-3:]), None
        return None, None
    # Negotiations: the parties, from demonyms ("Russian and Ukrainian delegations") or names.
    parties: list[str] = []
    for m in re.finditer(r"\b(Zelensk[iy]y|Putin|Trump|Netanyahu|Erdogan|Lukashenko)\b", text):
        name = _LEADERS[m.group(1)[:5]]
        if name not in parties:
            parties.append(name)
    for m in re.finditer(r"(?<![-–])\b(Russian|Ukrainian|Israeli|Palestinian|Sudanese|Iranian|Syrian|Turkish|Belarusian|"
                         r"American|Russia|Ukraine|Israel|Hamas|Iran|U\.S\.(?=\s)|United\s+States)(?![-–\w])", text):
        w = re.sub(r"\s+", " ", m.group(1))
        w = {"U.S.": "United States", "American": "United States"}.get(w, w)
        before = text[max(0, m.start() - 25):m.start()]
        if re.search(r"\b(?:by|mediated\s+by|brokered\s+by)\s+(?:the\s+)?$", before):
            continue
        code = DEMONYMS.get(w.lower())
        name = _COUNTRY_NAMES.get(code, w) if code else w
        if name not in parties:
            parties.append(name)
    # "Russia–Ukraine talks" writes the parties as a compound.
    for m in re.finditer(r"\b(Russia|Ukraine|Israel|Hamas)\s*[-–]\s*(Russia|Ukraine|Israel|Hamas)\b", text):
        for w in m.groups():
            if w not in parties:
                parties.append(w)
    return (parties[0] if parties else None), (parties[1] if len(parties) > 1 else None)
