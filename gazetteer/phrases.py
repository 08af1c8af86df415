"""Reading a query phrase: which name, which kind of place, which parent.

"Volgograd region", "Donetsk oblast", "Krasnodar Krai", "the Odesa regional administration",
"Republic of Crimea" ask for an admin-1 region; "Pokrovsk, Donetsk Oblast" and
"Geneva, Switzerland" name a parent that chooses between namesakes; "eastern Ukraine" is a
part of a country. Pure string work on normalised keys; the gazetteer does the lookups.
"""

from __future__ import annotations

from typing import NamedTuple

from .normalize import normalize_name

# A word at position > 0 that turns the words before it into a region name.
REGION_WORDS = frozenset({
    "oblast", "oblasts", "region", "regions", "regional", "province", "provincial", "krai", "kray",
    "governorate", "prefecture", "voivodeship", "canton",
})
# Leading words asking for a region: "Republic of Crimea", "the region of Kherson".
REGION_PREFIXES = (
    ("autonomous", "republic", "of"), ("republic", "of"), ("region", "of"), ("province", "of"),
    ("governorate", "of"), ("oblast", "of"),
)
CITY_PREFIXES = (("city", "of"), ("town", "of"), ("village", "of"), ("port", "of"))
CITY_WORDS = frozenset({"city", "town", "village"})
DIRECTIONS = {
    "north": "n", "northern": "n", "south": "s", "southern": "s", "east": "e", "eastern": "e",
    "west": "w", "western": "w", "northeast": "ne", "northeastern": "ne", "northwest": "nw",
    "northwestern": "nw", "southeast": "se", "southeastern": "se", "southwest": "sw",
    "southwestern": "sw", "central": "c", "north east": "ne", "north eastern": "ne",
    "south east": "se", "south eastern": "se", "north west": "nw", "south west": "sw",
}


class Phrase(NamedTuple):
    """A parsed query: `key` is the full normalised name, `core` the name without kind words.

    (A NamedTuple: one is made per lookup, and it is the cheapest immutable record.)
    """

    key: str
    core: str
    want: str | None = None  # "admin1" or "city" when the phrase says so
    parent: str | None = None  # normalised key of the part after the first comma
    direction: str | None = None  # "e", "sw", ... for "eastern Ukraine"


def parse(raw: str) -> Phrase:
    """Parse a raw query (commas still in it) into a `Phrase`."""
    parent = None
    head = raw
    if "," in raw:
        head, _, tail = raw.partition(",")
        code = tail.strip().rstrip(".")
        if len(code) == 2 and code.isalpha() and code.isupper():
            parent = "code:" + code  # "Geneva, NY", "Kherson, UA": a state or country code
        else:
            parent = normalize_name(tail) or None
        if parent and parent.startswith("the "):
            parent = parent[4:]
    key = normalize_name(head)
    return parse_key(key, parent=parent)


def parse_key(key: str, *, parent: str | None = None) -> Phrase:
    words = key.split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
        key = " ".join(words)
    for prefix in REGION_PREFIXES:
        n = len(prefix)
        if len(words) > n and tuple(words[:n]) == prefix:
            return Phrase(key, " ".join(words[n:]), "admin1", parent)
    for prefix in CITY_PREFIXES:
        n = len(prefix)
        if len(words) > n and tuple(words[:n]) == prefix:
            return Phrase(key, " ".join(words[n:]), "city", parent)
    for i, w in enumerate(words[1:], start=1):
        if w in REGION_WORDS:
            return Phrase(key, " ".join(words[:i]), "admin1", parent)
    if len(words) > 1 and words[-1] in CITY_WORDS:
        return Phrase(key, " ".join(words[:-1]), "city", parent)
    if len(words) > 1:
        two = " ".join(words[:2])
        if len(words) > 2 and two in DIRECTIONS:
            return Phrase(key, " ".join(words[2:]), None, parent, DIRECTIONS[two])
        if words[0] in DIRECTIONS:
            rest = words[1:]
            if rest[:1] == ["of"] and len(rest) > 1:
                rest = rest[1:]
            return Phrase(key, " ".join(rest), None, parent, DIRECTIONS[words[0]])
    return Phrase(key, key, None, parent)
