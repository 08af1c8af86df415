"""Reading a query phrase: which name, which kind of place, which parent.

"Volgograd region", "Donetsk oblast", "Krasnodar Krai", "the Odesa regional administration",
"Republic of Crimea" ask for an admin-1 region; "Qarabagh district", "Kyaukme township",
"Gwoza LGA", "Pokrovsk raion" for a second-level district; "Pokrovsk, Donetsk Oblast" and
"Geneva, Switzerland" name a parent that chooses between namesakes, and "near Hodan village,
Banadir, Somalia" a chain of them (narrowest first); "eastern Ukraine" is a part of a country.
Pure string work on normalised keys; the gazetteer does the lookups.
"""

from __future__ import annotations

from typing import NamedTuple

from .normalize import normalize_name

# A word at position > 0 that turns the words before it into a region name.
REGION_WORDS = frozenset({
    "oblast", "oblasts", "obl", "region", "regions", "regional", "province", "provincial", "krai", "kray",
    "governorate", "prefecture", "voivodeship", "canton", "state", "область", "області", "край",
})
# A word at position > 0 that turns the words before it into a second-level district's name.
DISTRICT_WORDS = frozenset({
    "district", "districts", "township", "townships", "lga", "raion", "rayon", "raions", "tehsil", "subdistrict",
    "район", "районі",
})
# Leading words of a description that say where relative to the place, not which place.
LOOSE_PREFIXES = (("on", "the", "outskirts", "of"), ("the", "outskirts", "of"), ("outskirts", "of"),
                  ("the", "vicinity", "of"), ("vicinity", "of"), ("near",), ("outside",), ("around",))
# Leading words that may begin a name as well ("At Tafilah", "In Salah"): dropped only when the
# name as written is unknown ("at Robotyne, Zaporizhzhia Obl").
WEAK_PREFIXES = frozenset({"at", "in"})
# Leading words asking for a region: "Republic of Crimea", "the region of Kherson".
REGION_PREFIXES = (
    ("autonomous", "republic", "of"), ("republic", "of"), ("region", "of"), ("province", "of"),
    ("governorate", "of"), ("oblast", "of"),
)
CITY_PREFIXES = (("city", "of"), ("town", "of"), ("village", "of"), ("port", "of"))
CITY_WORDS = frozenset({"city", "town", "village"})
# AP style abbreviations of US states and Canadian provinces -> GeoNames admin-1 codes.
# Matched only as written, with the dot ("Ky.", "N.Y."): without it "Ill", "Miss", "Man" are words.
AP_STATES = {
    "Ala.": "US.AL", "Ariz.": "US.AZ", "Ark.": "US.AR", "Calif.": "US.CA", "Colo.": "US.CO",
    "Conn.": "US.CT", "Del.": "US.DE", "Fla.": "US.FL", "Ga.": "US.GA", "Ill.": "US.IL",
    "Ind.": "US.IN", "Kan.": "US.KS", "Kans.": "US.KS", "Ky.": "US.KY", "La.": "US.LA",
    "Md.": "US.MD", "Mass.": "US.MA", "Mich.": "US.MI", "Minn.": "US.MN", "Miss.": "US.MS",
    "Mo.": "US.MO", "Mont.": "US.MT", "Neb.": "US.NE", "Nebr.": "US.NE", "Nev.": "US.NV",
    "N.H.": "US.NH", "N.J.": "US.NJ", "N.M.": "US.NM", "N.Y.": "US.NY", "N.C.": "US.NC",
    "N.D.": "US.ND", "Okla.": "US.OK", "Ore.": "US.OR", "Pa.": "US.PA", "R.I.": "US.RI",
    "S.C.": "US.SC", "S.D.": "US.SD", "Tenn.": "US.TN", "Tex.": "US.TX", "Vt.": "US.VT",
    "Va.": "US.VA", "Wash.": "US.WA", "W.Va.": "US.WV", "Wis.": "US.WI", "Wyo.": "US.WY",
    "D.C.": "US.DC", "B.C.": "CA.02", "Alta.": "CA.01", "Sask.": "CA.11", "Man.": "CA.03",
    "Ont.": "CA.08", "Que.": "CA.10", "N.S.": "CA.07", "N.B.": "CA.04", "Nfld.": "CA.05",
    "P.E.I.": "CA.09",
}
DIRECTIONS = {
    "north": "n", "northern": "n", "south": "s", "southern": "s", "east": "e", "eastern": "e",
    "west": "w", "western": "w", "northeast": "ne", "northeastern": "ne", "northwest": "nw",
    "northwestern": "nw", "southeast": "se", "southeastern": "se", "southwest": "sw",
    "southwestern": "sw", "central": "c", "north east": "ne", "north eastern": "ne",
    "south east": "se", "south eastern": "se", "north west": "nw", "south west": "sw",
}

# First words after which `parse_key` looks further: "the", a prefix, a direction.
_PREFIX_WORDS = frozenset(p[0] for p in REGION_PREFIXES + CITY_PREFIXES)
_LEADING_WORDS = frozenset({"the"} | _PREFIX_WORDS | {d.split()[0] for d in DIRECTIONS}
                           | {p[0] for p in LOOSE_PREFIXES})


class Phrase(NamedTuple):
    """A parsed query: `key` is the full normalised name, `core` the name without kind words.

    (A NamedTuple: one is made per lookup, and it is the cheapest immutable record.)
    """

    key: str
    core: str
    want: str | None = None  # "admin1", "admin2" or "city" when the phrase says so
    # Normalised keys of the parts after the first comma, narrowest first, joined by ","
    # (a key never holds one): "kharkiv oblast" or "y district,z region".
    parent: str | None = None
    direction: str | None = None  # "e", "sw", ... for "eastern Ukraine"


def parse(raw: str) -> Phrase:
    """Parse a raw query (commas still in it) into a `Phrase`."""
    parent = None
    head = raw
    if "," in raw:
        head, *tails = raw.split(",")
        parents = [p for p in map(_parent_key, tails) if p]
        parent = ",".join(parents) or None
    key = normalize_name(head)
    return parse_key(key, parent=parent)


def _parent_key(part: str) -> str:
    """The key of one part after a comma: a state or country code as "code:...", else its name."""
    code = part.strip()
    if code in AP_STATES:
        return "code:" + AP_STATES[code]  # "Louisville, Ky."
    if len(code.rstrip(".")) == 2 and code.rstrip(".").isalpha() and code.isupper():
        return "code:" + code.rstrip(".")  # "Geneva, NY", "Kherson, UA": a state or country code
    key = normalize_name(part)
    return key[4:] if key.startswith("the ") else key


def is_plain(key: str) -> bool:
    """Is the normalised `key` just a name, `parse_key(key) == Phrase(key, key)`? (Most are:
    a few set look-ups tell, where parsing would try every prefix.)"""
    if " " not in key:
        return True
    words = key.split()
    return (words[0] not in _LEADING_WORDS and words[-1] not in CITY_WORDS and REGION_WORDS.isdisjoint(words[1:])
            and DISTRICT_WORDS.isdisjoint(words[1:]))


def parse_key(key: str, *, parent: str | None = None) -> Phrase:
    """Parse a normalised key (see `parse`)."""
    if " " not in key:
        return Phrase(key, key, None, parent)
    words = key.split()
    for loose in LOOSE_PREFIXES:  # "near X village": X is the place
        n = len(loose)
        if len(words) > n and tuple(words[:n]) == loose:
            words = words[n:]
            key = " ".join(words)
            break
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
        key = " ".join(words)
    if words[0] in _PREFIX_WORDS:
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
        if w in DISTRICT_WORDS:
            return Phrase(key, " ".join(words[:i]), "admin2", parent)
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
