"""Where an incident happened: the place among those a clause names, and the places a clause names.

The geoparser finds and resolves place mentions (once, for the whole article); this module
drops weak readings nothing else supports ("Lake" -> a US town, "Hamas" -> Hamm), picks the
place where the event happened (never where someone spoke or filed from), and gives ACLED's
geo_precision (1 the town, 2 near or part of it, or a district, 3 a region or larger).
"""

from __future__ import annotations

import re
from typing import Any

from gazetteer.errors import QueryError
from gazetteer.place import Place, make_place
from mapper.nlp import actors
from mapper.nlp.attribution import Attribution
from mapper.records import Mention
from gazetteer.distance import distance_km
from mapper.nlp.text import Span, parse_number
from mapper.nlp.toponyms import ARABIC_ARTICLES

_NEAR = re.compile(
    r"\b(?:near|outside|close\s+to|around|outskirts\s+of|edge\s+of|suburbs?\s+of|vicinity\s+of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of|km\s+(?:from|of)|"
    r"kilomet(?:er|re)s\s+(?:from|of)|miles\s+(?:from|of)|district\s+of|area\s+of|part\s+of)\s+(?:the\s+)?"
    r"(?:(?!(?:in|at|inside)\b)[\w-]+\s+){0,4}$",
    re.I,
)
_PREP = re.compile(
    r"\b(?:in|over|near|at|outside|on|into|of|around|across|inside|within|hit|struck|shelled|attacked|targeted|pounded|"
    r"bombed|visited|to)\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,4}$",
    re.I,
)
# "about 70 kilometres west of Makurdi", "30km north-east of the town of Marib", "70 nautical miles
# west of Hodeidah", "40 km from Goma": the town a distance (and a bearing) is measured from.
_MEASURED_FROM = re.compile(
    r"\b(?P<n>[\w,.-]+?)\s*(?P<unit>kilomet(?:er|re)s?|kms?|(?:nautical\s+)?miles?)\s+(?:(?:to\s+the\s+)?"
    r"(?P<dir>(?:north|south)(?:[\s-]?(?:east|west))?|east|west)\s+of|from|away\s+from)\s+(?:the\s+)?"
    r"(?:(?:[a-z-]+\s+){0,2}?(?:town|city|village|port\s+city|port|capital)\s+of\s+)?$", re.I)
_BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
             "southwest": 225.0, "west": 270.0, "northwest": 315.0}
_KM_PER_UNIT = {"nautical": 1.852, "mile": 1.609}
MAX_OFFSET_KM = 1000.0  # farther, the figure is no distance from the town ("1,200 miles of front")
FAR_REFERENCE_KM = 20  # this far or farther, the town a distance is told from is not where it happened
_COUNTRYSIDE_OF = re.compile(r"\b(?:countryside|rural\s+areas?|environs|hinterland)\s+of\s+(?:the\s+)?$", re.I)
_AREA_OF = re.compile(r"\b(?:province|region|state|governorate|oblast|department|prefecture)\s+of\s+$", re.I)
_ARTICLE_TAIL = re.compile(rf"\b(?:{'|'.join(sorted(ARABIC_ARTICLES))})-$")
_SETTLEMENT = re.compile(r"\b(?:city|town|village|settlement|port\s+city|city\s+centre|hamlet|capital)\s+of\s+$", re.I)
# the wounded taken somewhere, and the dead who died there: where they went, not where they were hit
_WOUNDED_WENT = r"(?:taken|flown|rushed|evacuated|airlifted|transferred|brought|admitted|treated)"
_DIED_THERE = r"(?:died|dying|succumbed|being\s+treated|recovering)"
_NOT_LOCATION_BEFORE = re.compile(r"(?:\bfrom(?:\s+across)?|\bby|\btowards?|\bagainst|\bwith|[-–—]|\b(?:bound|headed|heading)\s+for|"
                                  # "fighters loyal to Kinshasa": the government its capital stands for
                                  r"\b(?:loyal|faithful|allied|answerable)\s+to|"
                                  # "taken to hospital in Belgorod": where the wounded went, not where they were hurt
                                  # ("a strike hit a hospital in Gaza City" is where it happened)
                                  rf"\b{_WOUNDED_WENT}\s+"
                                  r"(?:(?:with|by|for)\s+(?:[\w-]+\s+){1,3}?)?"
                                  r"(?:to|at|in)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}?(?:hospitals?|clinics?)\s+in|"
                                  # "two more died of their wounds in a hospital in Quetta": where they died, not where hit
                                  # (also "a second protester died the following day at the county hospital in Nyeri")
                                  rf"\b{_DIED_THERE}\s+(?:(?:of|from|to)\s+(?:[\w-]+\s+){{1,3}}?)?"
                                  r"(?:(?:later|overnight|hours\s+later|the\s+(?:next|following)\s+(?:day|morning)|on\s+\w+)\s+)?"
                                  r"(?:in|at)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?(?:hospitals?|clinics?)\s+in|"
                                  r"\b(?:taken|flown|rushed|evacuated|airlifted|transferred|brought)\s+to)\s*(?:the\s+)?$", re.I)
# "died of his wounds at the Homa Bay county referral hospital", "treated at Garissa hospital": the
# place names the hospital the wounded reached, not where they were hurt
_TO_HOSPITAL_BEFORE = re.compile(rf"\b(?:{_WOUNDED_WENT}|{_DIED_THERE})\s+(?:(?:of|from|to|with|by|for)\s+(?:[\w-]+\s+){{1,3}}?)?"
                                 r"(?:to|at|in)\s+(?:(?:a|an|the)\s+)?$", re.I)
_HOSPITAL_AFTER = re.compile(r"^(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:hospitals?|clinics?)\b", re.I)
_AGENT_AFTER = re.compile(
    r"^(?:'s?\s+(?:defen[cs]e|foreign|military|army|air|armed|government|president|prime|interior|general|security|"
    r"health|emergency|state|top|chief|envoy|delegation|side|ministry|forces|troops|officials?|leader|war|own|"
    # "Russia's southern regions" speaks of the state; "Tripoli's eastern Souq al-Jumaa district" is in the town
    r"(?:southern|northern|eastern|western)(?!\s+(?:[\w'’-]+\s+){0,3}?(?:district|neighbou?rhood|suburb|quarter|"
    r"outskirts|area|part)s?\b))|\s+(?:said|says|say|claimed|claims|reported|reports|accused|accuses|denied|denies|"
    r"launched|launches|fired|sent|annexed|seized|occupied|invaded|wants|insists|warned|told|announced|does|did|has\s+"
    r"(?:said|denied|accused|not)|have|is\s+(?:ready|willing)|responded|blamed|vowed|agreed|proposed|rejected|retaliated)\b|[-–—])",
    re.I,
)
# "St. Michael's Hospital", "Cedar Flat Rd": a facility or street named after a place, not the place.
_FACILITY_AFTER = re.compile(r"^(?:'s)?\s+(?:Hospital|University|College|Church|Cathedral|School|Street|St\b|Road|Rd\b|"
                             r"Avenue|Ave\b|Boulevard|Blvd\b|Drive|Lane|Flat|Highway|Hwy\b)")
# "the West Papua National Liberation Army", "the Free Papua Organisation", "the Puntland Maritime
# Police Force": a group named after a place (capitalised words up to a group's head noun), not the place.
_GROUP_AFTER = re.compile(r"^(?:\s+(?:National|Liberation|Democratic|Islamic|Popular|People's|Peoples|Revolutionary|"
                          r"Patriotic|United|Independence|Resistance|Salvation|Defen[cs]e|Freedom|Maritime|Special|"
                          r"Security|Border|Coast))*\s+(?:Army|"
                          r"Organi[sz]ation|Front|Movement|Party|Brigades?|Alliance|Militia|Liberation\s+(?:Army|Front|"
                          r"Movement)|Police\s+Forces?|Forces?|Guards?|Corps)\b")
# Where someone spoke, not where it happened: "a ministry spokesman said in Islamabad", "told
# reporters in Kabul", "speaking at a news conference in Geneva".
_SPEAKER_BEFORE = re.compile(
    r"\b(?:said|says|say|told(?:\s+\w+){0,3}?|announced|spoke|speaking|briefed|briefing|statement|"
    r"news\s+conference|press\s+conference|spokes(?:man|woman|person)|quoted)\s+(?:\w+\s+){0,4}?"
    r"(?:in|from|at)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# One person who speaks, and where they are: "the official in Ataq", "a spokesman in Islamabad" (not
# "police in Mandera" nor "residents of", who may be where it happened)
_ONE_SOURCE_IN = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:official|spokes(?:man|woman|person)|source|commander|officer|medic|"
    r"doctor|journalist|correspondent|diplomat|analyst|minister)\s+(?:based\s+)?(?:in|at|from)\s+(?:the\s+)?$", re.I)
_THEN_SAYS = re.compile(r"(?:\s*,\s*[^,.;]{2,60},)?\s+(?:said|says|told|added|confirmed|reported)\b", re.I)
_UNSAID = re.compile(r"\b(?:without\s+saying|did\s+not\s+say|didn't\s+say|gave\s+no|not\s+(?:say|specify)\w*)\b", re.I)

_COMMON = {"South", "North", "East", "West", "Lake", "River", "Sea", "Mount", "Central", "Jan", "Feb", "Mar", "Apr",
           "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December", "The", "English", "Parliament",
           "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Telegram", "President",
           "Hospital", "University", "Street", "Square", "Bridge", "Airport", "Station", "Market"}


def article_countries(text: str, mentions: list[Mention]) -> set[str]:
    """Countries the article is about: confident place mentions and demonyms ("Ukrainian")."""
    out = {m.place.country for m in mentions if m.place and m.place.country and m.place.score >= 0.9}
    for word in set(re.findall(r"\b[A-Z][a-z]+\b", text)):
        code = actors.DEMONYMS.get(word.lower())
        if code:
            out.add(code)
    return out


# A capitalised word right after a name ("Toyota Probox", "Washington Post"): a longer name, unless
# an area word ("Gaza Strip", "Kherson Oblast"); a place only if another name puts the story in its country.
_NAME_AFTER = re.compile(r"[ \t]+([A-Z][a-z]+)\b")
_AREA_WORDS = frozenset("city town village district province region state county oblast raion governorate strip "
                        "valley camp port island islands river mountains hills desert coast border airport "
                        "municipality township territory department prefecture emirate monday tuesday wednesday "
                        "thursday friday saturday sunday january february march april may june july august "
                        "september october november december".split())


def trusted_mentions(mentions: list[Mention], countries: set[str], text: str = "") -> list[Mention]:
    """Drop weak readings of common words ("Lake" -> a US town) that nothing else in the article
    supports, and names that are a group's or part of one ("IS-K", "a Pyu Saw Htee militia")."""
    groups = [(s, e) for s, e, a in actors.actor_spans(text) if a.kind != "state"] if text else []
    sure = {(m.place.country, m.text) for m in mentions if m.place.score >= 0.9}  # names that place the story
    out = []
    for m in mentions:
        p = m.place
        end = m.start + len(m.text.rstrip("."))
        if m.text in _COMMON or any(s == 0 and e == len(m.text) for s, e, _ in actors.actor_spans(m.text)):
            continue  # "Hamas" the group, not Hamm in Germany
        if any(s <= m.start and end <= e for s, e in groups):
            continue  # "on behalf of IS-K.", "a Pyu Saw Htee militia": a group, not Pyu in Bago
        nxt = _NAME_AFTER.match(text, m.end) if text else None
        if nxt and nxt.group(1).lower() not in _AREA_WORDS and not any(
                country == p.country and name != m.text for country, name in sure):
            continue  # "a stolen Toyota Probox" in a Kenyan story: a brand's model, not the Japanese city
        if p.country not in countries and p.score < 0.3:
            continue
        out.append(m)
    return out


def choose_location(
    text: str, span: Span, mentions: list[Mention], *, attribution: Attribution | None = None,
    dateline: Mention | None = None,
) -> tuple[Place, Mention, int] | None:
    """Where the clause's event happened: ``(place, mention, geo_precision)`` or None.

    Skips places inside the attribution, the dateline, actors ("Russia said", "Ukraine's army"),
    origins ("launched from"), "U.S.-brokered", rivers ("the Dnipro") and what follows "without
    saying"; then prefers a town to a region to a country, and a place after "in"/"over"/"near".
    """
    best: tuple[float, Mention] | None = None
    cands = []
    cut = _UNSAID.search(span.text)
    limit = span.start + cut.start() if cut else span.end
    for m in mentions:
        if m.start >= limit:
            continue  # "without saying how many had targeted the Samara region"
        if attribution is not None and attribution.start <= m.start < attribution.end and not _PEOPLE_OF.search(
                text[max(attribution.start, m.start - 60):m.start]):
            continue  # (but "residents of a village in X said": the people of the place tell of it)
        if dateline is not None and m.start == dateline.start:
            continue
        # (a lower-case Arabic article is part of the name: "on the edge of al-Bureij camp")
        before = _ARTICLE_TAIL.sub(" ", text[max(span.start, m.start - 60):m.start])
        after = text[m.end:m.end + 40]
        if _NOT_LOCATION_BEFORE.search(before) or _agent(m, before, after) or _FACILITY_AFTER.match(after) or \
                _GROUP_AFTER.match(after) or _TO_HOSPITAL_BEFORE.search(before) and _HOSPITAL_AFTER.match(after):
            continue
        if speaker_place(text, m, start=span.start):
            continue
        if _far_from_host(text, m, mentions):
            continue
        if _locates_unknown(text, m, mentions, span.start):
            continue  # "Warsheikh, north-east of Mogadishu": Mogadishu only tells where Warsheikh lies
        if m.place.feature in ("city", "locality") and m.text.isupper() and len(m.text) <= 4:
            continue  # "PKK", "IDF": acronyms, not towns (datelines are handled apart)
        if re.search(r"\b(?:city|town|village|capital)'s\s+$", before.replace("’", "'"), re.I):
            continue  # "the city's Shevchenkivskyi district": part of the town already told
        if m.place.feature in ("city", "locality") and re.search(r"\bthe\s+$", before, re.I) and not m.text[:1].islower() \
                and not _DISTRICT_WORD.search(m.text) and not _TOWN_PART_AFTER.match(after) \
                and not _CROSSING_AFTER.match(after):
            continue  # "the Dnipro": towns take no article; rivers and regions do (not "the Izmail district", "the Jenin camp")
        cands.append(m)
    has_specific = any(m.place.feature not in ("country",) for m in cands)
    measured: dict[int, tuple[float, str | None] | None] = {}  # mention -> a distance of more than FAR_REFERENCE_KM from it
    for m in cands:
        p = m.place
        if p.feature == "country" and has_specific:
            continue
        before = _ARTICLE_TAIL.sub(" ", text[max(span.start, m.start - 60):m.start])
        measured[id(m)] = far = _far(measured_from(before))
        score = {"city": 3.0, "locality": 3.0, "admin1": 2.0, "region": 1.0, "sea": 1.0, "country": 0.0}.get(p.feature, 2.5)
        if _AREA_OF.search(before):
            score = min(score, 2.0)  # "the province of Saada": the province, whatever town shares its name
        if _PREP.search(before):
            # (less for "70 kilometres west of Makurdi": "a community in Agatu" tells more, a sea
            # less: with its direction, the distance gives a point, more than a sea or a region does)
            score += 2 if far is None else 1.5 if far[1] is not None else 0.5
        if _SETTLEMENT.search(before):
            score += 1
        if _SEAT_OF.search(before):
            score -= 1.5  # "officers of the government in Tripoli met in Sirte": the seat of who, not where
        if _reference_for(text, m, cands):
            score -= 3  # "in Sirwah district, west of the city of Marib": Marib only tells where Sirwah lies
        if p.feature in ("admin1", "admin2") and any(
                o.end <= m.start <= o.end + APPOSITION_CHARS and _inside(o.place, p) for o in cands):
            score = min(score, 2.5)  # "Velykyi Burluk, a district centre in the east of the Kharkiv region": the town
        if _COUNTRYSIDE_OF.search(before) and any(o is not m and o.place.feature in ("city", "locality") for o in cands):
            # "in the countryside of Baniyas, ... near al-Qadmus": the town named in it tells more (but
            # "In the department of Antioquia, ... in a rural area of Segovia": more than the department)
            score -= 1
        if m.text.startswith(("the ", "The ")):
            score += 0.5
        if best is None or score > best[0]:
            best = (score, m)
    if best is None:
        return None
    m = best[1]
    p = m.place
    parent = (p.raw or {}).get("match") == "parent"  # a village the gazetteer lacks, put on its written parent
    if p.feature == "admin2" or (parent and p.feature in ("city", "locality")):
        precision = 2  # a district, or a village by the town that frames it
    elif p.feature not in ("city", "locality"):
        precision = 3  # a region, a sea, a country: the map shows the area
    else:
        before = text[max(span.start, m.start - 60):m.start]
        after = text[m.end:m.end + 25]
        precision = 2 if (_NEAR.search(before) or _DISTRICT_WORD.search(m.text)
                          or _TOWN_PART_AFTER.match(after)
                          or re.match(r"'s\s+(?:\w+\s+)?(?:district|outskirts|suburbs?)\b", after, re.I)) else 1
    far = measured[id(m)]
    if p.feature in ("city", "locality") and not parent and far is not None and far[1] is not None:
        # "a roadblock about 30 km west of Nushki": the point the distance and direction give
        # (nearer than FAR_REFERENCE_KM, the town itself, as ACLED codes it)
        p, precision = offset_place(p, *far), 2
    return p, m, precision


# An institution's seat: "the government in Tripoli", "the administration based in Port Sudan" (not
# "the district administration in Hargeysa", where protesters stood).
_SEAT_OF = re.compile(r"\b(?:(?:government|parliament|cabinet)\s+|(?:government|administration|authorities|parliament)\s+"
                      r"(?:based|seated|headquartered)\s+)in\s+$", re.I)
# "residents of a hamlet in X said", "villagers in X told": the people of the place speak, not the place.
_PEOPLE_OF = re.compile(r"\b(?:residents?|villagers?|people|witnesses|locals|elders|families|survivors)\s+(?:of|in|from)\s+"
                        r"(?:[\w'’-]+\s+){0,5}$", re.I)
_SPEAKS = re.compile(r"^\s+(?:said|says|say|told|reported|reports)\b", re.I)


# "accusing Islamabad of violating Afghan airspace", "urged Moscow to": a government addressed by its seat
_ADDRESSED_BEFORE = re.compile(r"\b(?:accus(?:e|es|ed|ing)|urg(?:e|es|ed|ing)|warn(?:s|ed|ing)?|blam(?:e|es|ed|ing)|"
                               r"call(?:s|ed|ing)?\s+on|press(?:es|ed|ing)?|condemn(?:s|ed|ing)?|criticis(?:e|es|ed|ing)|"
                               r"criticiz(?:e|es|ed|ing))\s+$", re.I)
_ADDRESSED_AFTER = re.compile(r"^\s+(?:of|to|for|over)\b", re.I)


def _agent(m: Mention, before: str, after: str) -> bool:
    """"Kyiv said", "Russia's army", "accusing Islamabad of": the place acts, speaks or is
    addressed, as a state or a government. Not "residents of a hamlet in X said", nor "the X
    district said"."""
    if _ADDRESSED_BEFORE.search(before) and _ADDRESSED_AFTER.match(after):
        return True
    if not _AGENT_AFTER.match(after):
        return False
    return not (_SPEAKS.match(after) and (_PEOPLE_OF.search(before) or _DISTRICT_WORD.search(m.text)))


def measured_from(before: str) -> tuple[float, str | None] | None:
    """``(km, direction)`` when the text before a place measures a distance from it ("30 km west of"):
    the direction a key of `_BEARINGS` ("northwest"), None when none is told ("40 km from")."""
    m = _MEASURED_FROM.search(before)
    if m is None:
        return None
    value = parse_number(m.group("n").replace(",", ""))
    if value is None:
        return None
    unit = m.group("unit").lower()
    km = value * next((f for word, f in _KM_PER_UNIT.items() if word in unit), 1.0)
    if not 0 < km <= MAX_OFFSET_KM:
        return None
    direction = re.sub(r"[\s-]", "", m.group("dir") or "").lower()
    return km, direction if direction in _BEARINGS else None


def _far(measured: tuple[float, str | None] | None) -> tuple[float, str | None] | None:
    return measured if measured is not None and measured[0] >= FAR_REFERENCE_KM else None


def far_reference(before: str) -> bool:
    """The text before a place measures a distance of FAR_REFERENCE_KM or more from it."""
    return _far(measured_from(before)) is not None


def offset_place(p: Place, km: float, direction: str) -> Place:
    """The point `km` from the town `p` towards `direction`: "30 km west of Nushki" is not Nushki.

    Named for what the article says; it keeps the town's country and region (the point may lie
    across their border) and no GeoNames id (it is not that place). `raw` says where it comes from.
    """
    from geopy.distance import geodesic

    bearing = _BEARINGS[direction]
    dest = geodesic(kilometers=km).destination((p.lat, p.lon), bearing=bearing)
    name = f"{km:.0f} km {direction} of {p.name}"
    raw = {"match": "offset", "from": p.name, "from_geonameid": p.geonameid, "km": round(km, 1), "bearing": bearing}
    return make_place(name, round(dest.latitude, 5), round(dest.longitude, 5), p.country, p.admin1, p.admin1_code,
                      "locality", None, 0, p.score, raw)


# "X neighbourhood in Y", "X Godey area, on the outskirts of Y", "X villages near Y": X is a
# part of Y or beside it, so a sense of X farther than PART_KM from the town Y (or outside the
# region or country Y) is a namesake ("the Tokyo neighbourhood in Mogadishu").
_PART_OF = re.compile(
    r"(?:[\s-]+[A-Z][\w'’-]*){0,2}\s+(?:neighbou?rhoods?|areas?|quarters?|districts?|(?:refugee\s+)?camps?|villages?|suburbs?)\s*,?\s+"
    r"(?:in|of|near|outside|on\s+the\s+outskirts\s+of)\s+(?:the\s+)?", re.I)
PART_KM = 50.0


def _far_from_host(text: str, m: Mention, mentions: list[Mention]) -> bool:
    part = _PART_OF.match(text, m.end)
    if part is None:
        return False
    host = next((o for o in mentions if o.start == part.end() and o.place is not None), None)
    if host is None or (host.place.raw or {}).get("match") == "direction":
        return False  # (a derived "central Gaza" is too vague to overrule a sure town: it may be a namesake's part)
    p, h = m.place, host.place
    if h.feature == "country":
        return p.country != h.country
    if h.feature == "admin1":  # "the Bokkos local government area of Plateau state": inside the region
        return p.country != h.country or p.admin1_code != h.admin1_code
    return distance_km(p.lat, p.lon, h.lat, h.lon) > PART_KM


# ", west of the city of ", " (north of ", ", a village south of ": what follows locates the place
# written just before it; so does the area a town heads or lies in (", the capital of ", ", a
# district centre in the east of the ").
_REFERENCE_AFTER_PLACE = re.compile(
    r"^\s*[,(]\s*(?:(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:village|town|hamlet|camp|community|district|area|settlement)\s+)?"
    r"(?:just\s+|some\s+|about\s+|around\s+|roughly\s+)?(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west)\s+of\s+(?:the\s+)?"
    r"(?:(?:city|town|port|village|provincial\s+capital|regional\s+capital|state\s+capital|capital)\s+of\s+)?"
    r"|(?:the\s+|a\s+)?(?:[\w-]+\s+)?(?:capital|centre|center|seat|headquarters|main\s+town)\s+(?:of|in)\s+(?:the\s+)?"
    r"(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west|centre|center)?(?:ern)?\s*(?:of\s+(?:the\s+)?)?)$", re.I)


# "Warsheikh, north-east of Mogadishu", "near Beit Jinn, south-west of Damascus": a name, then the
# town that locates it. NAME_LOCATED finds the name; _NAME_THEN_REFERENCE ends where the town's
# name starts (when the gazetteer lacks the first, the town is no event place).
_NAME_BEARING_OF = (r"(?P<name>\b[A-Z][\w'’-]+(?:\s+(?:al-|el-|ad-|as-|ash-|ar-|az-|ez-)?[A-Z][\w'’-]+)*)\s*[,(]?\s*"
                    r"(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:village|town|hamlet|camp|community|district|area|settlement)\s+)?"
                    r"(?:just\s+|some\s+|about\s+|around\s+|roughly\s+)?(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west)\s+of")
NAME_LOCATED = re.compile(_NAME_BEARING_OF + r"\b")
_NAME_THEN_REFERENCE = re.compile(
    _NAME_BEARING_OF + r"\s+(?:the\s+)?"
    r"(?:(?:city|town|port|village|provincial\s+capital|regional\s+capital|state\s+capital|capital)\s+of\s+)?$")
_VILLAGE_OF = re.compile(r"\b(?:village|hamlet)\s+of\s+(?:(?:al|el|ad|as|ash|ar|az|ez)-)?$", re.I)
_LANDMARK_END = re.compile(r"\s(?:Dam|Bridge|Airport|Airbase|Base|Crossing|Junction|Camp)$")
CALENDAR_WORDS = frozenset(  # capitalised words that are no place names
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split())
REFERENCE_KM = 300.0  # a place located by a town lies this close to it
DISTRICT_KM = 60.0  # a town this close to a district's point may lie in it
APPOSITION_CHARS = 80  # an area written this soon after a town in it describes where the town lies


def _inside(town: Place, area: Place) -> bool:
    """The town (a city or locality) lies in the admin-1 region or the district `area`."""
    if town.feature not in ("city", "locality") or town.country != area.country:
        return False
    if area.feature == "admin1":
        return town.admin1_code is not None and town.admin1_code == area.admin1_code
    return distance_km(town.lat, town.lon, area.lat, area.lon) <= DISTRICT_KM


def _reference_for(text: str, m: Mention, cands: list[Mention]) -> bool:
    """The mention is written only to locate a place named just before it among the clause's
    candidates ("in Sirwah district, west of the city of Marib", "Khuza'a (east of Khan Younis)")."""
    return any(o.end < m.start and o.place is not None and o.place.feature not in ("country", "admin1", "region", "sea")
               and _REFERENCE_AFTER_PLACE.match(text[o.end:m.start])
               # (a sense of the place far from the town that locates it is a namesake: keep the town)
               and distance_km(o.place.lat, o.place.lon, m.place.lat, m.place.lon) <= REFERENCE_KM for o in cands)


# A crossing or checkpoint named after its town: "at the Islam Qala crossing", "the Torkham border crossing".
_CROSSING_AFTER = re.compile(r"\s+(?:border\s+)?(?:crossing|crossing\s+point|checkpoint|check-?post)s?\b", re.I)
# A town's district or area as the mention itself ("the Delmas district", "Izmail raion"): the
# area around the town, precision 2.
_DISTRICT_WORD = re.compile(r"\s(?:district|raion|rayon|area|municipality|county|commune|township|LGA)$", re.I)
# ... or written after it: "the Jenin refugee camp", "the Kherson area", "Bakhmut's outskirts".
_TOWN_PART_AFTER = re.compile(
    r"\s+(?:district|area|outskirts|suburbs?|(?:refugee\s+)?camp|local\s+government(?:\s+area)?|LGA|territory|township"
    r"|municipality|commune|county|sub-?district)\b", re.I)


def _locates_unknown(text: str, m: Mention, mentions: list[Mention], start: int) -> bool:
    """The mention only locates a town written just before it that nothing could place (not "the
    village of al-Mazraa, west of Suwayda", "the Tishreen Dam, south-east of Manbij": a village
    or a landmark is coded to the town it is told by)."""
    ref = _NAME_THEN_REFERENCE.search(text, max(start, m.start - 120), m.start)
    if ref is None or ref.group("name").split()[0].lower() in CALENDAR_WORDS or _LANDMARK_END.search(ref.group("name")) \
            or _VILLAGE_OF.search(text, max(start, ref.start("name") - 30), ref.start("name")):
        return False
    a, b = ref.start("name"), ref.end("name")
    return not any(o.start < b and a < o.end for o in mentions) and not actors.actor_spans(text[a:b])


def speaker_place(text: str, m: Mention, *, start: int = 0) -> bool:
    """The mention is where someone spoke or filed from ("said in Islamabad", "the official in
    Ataq, the provincial capital, told reporters"), not an event place."""
    before = text[max(start, m.start - 80):m.start]
    return bool(_SPEAKER_BEFORE.search(before) or (
        _ONE_SOURCE_IN.search(before) and _THEN_SAYS.match(text, m.end, m.end + 80)))


def region_place(gazetteer: Any, name: str, country: str | None = None) -> Place | None:
    """The admin-1 region an authority speaks for ("Sumy" -> Sumy Oblast)."""
    for query in (f"{name} Oblast", f"{name} region", f"{name} Province", name):
        try:
            found = gazetteer.candidates(query, country=country, limit=10)
        except (LookupError, QueryError):
            continue
        for p in found:
            if p.feature == "admin1":
                return p
        for p in found:  # the city the region is named after: its region
            if p.admin1_code and p.feature in ("city", "locality"):
                for r in gazetteer.candidates(p.admin1 or name, country=p.country, limit=10):
                    if r.feature == "admin1" and r.admin1_code == p.admin1_code:
                        return r
    return None


def same_place(a: Place, b: Place) -> bool:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.feature == "admin1" and b.feature == "admin1":
        return a.admin1_code == b.admin1_code
    if a.feature == "admin1" and b.feature in ("city", "locality", "admin2") and a.admin1_code == b.admin1_code:
        return True  # "In the Kursk region, ... near Rylsk": the region frames the town (or district)
    return a.feature == b.feature and distance_km(a.lat, a.lon, b.lat, b.lon) < 5
