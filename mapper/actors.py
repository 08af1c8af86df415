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
FORCES = {code: f"{name.title()} forces" for name, code in DEMONYMS.items() if name not in ("us", "u.s.", "burmese", "korean")}
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
    (r"\bal-Shabaab\b", "al-Shabaab"),
    (r"\bIslamic\s+State\b|\bISIS\b|\bISWAP\b", "Islamic State"),
    (r"\bWagner\b", "Wagner Group"),
    (r"\bM23\b", "M23"),
)
_WEAPON = (
    r"(?:forces|troops|army|military|soldiers|strikes?|attacks?|drones?|missiles?|rockets?|shelling|shells|artillery|"
    r"air\s+force|airstrikes?|air\s+strikes?|bombs?|glide\s+bombs?|jets?|warplanes?|aircraft|shahed\w*|units?|"
    r"servicemen|fighters|assault|offensive|bombardment|raid|fire|gunfire|mortars?|UAVs?)"
)
_DEMONYM_WEAPON = re.compile(rf"\b([A-Z][a-z]+(?:\s+Korean)?|U\.?S\.?)\s+(?:[\w-]+\s+){{0,2}}?{_WEAPON}\b")
_COUNTRY_SAYS = re.compile(r"\b(Russia|Ukraine|Israel|Belarus|Iran)(?:'s\s+(?:defen[cs]e\s+ministry|military|air\s+force|army))?\s+(?:said|says|claimed|reported)\b")
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
    named = [(m.start(), name) for rx, name in NAMED for m in re.finditer(rx, text)]
    named.sort()
    names = list(dict.fromkeys(n for _, n in named))
    attacker = None
    for m in _DEMONYM_WEAPON.finditer(text):
        code = _code(m.group(1), demonym)
        if code:
            attacker = FORCES.get(code) or f"{m.group(1)} forces"
            break
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
        other = next((n for n in names if n != attacker), None)
        return attacker, other
    if names:
        return names[0], (names[1] if len(names) > 1 else None)
    return None, None


def _code(word: str, demonym: Callable[[str], str | None] | None) -> str | None:
    key = word.lower()
    if key in DEMONYMS:
        return DEMONYMS[key]
    if demonym is not None:
        try:
            return demonym(word)
        except LookupError:
            return None
    return None
