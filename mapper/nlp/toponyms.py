"""Candidate place names in a tokenised text: what the gazetteer knows, found without the model.

The scan looks only at capitalised token runs (the way English writes proper names), tries
the longest gazetteer name first, and widens a hit to a region phrase ("Volgograd region",
"Donetsk Oblast") or a direction phrase ("eastern Ukraine"). It is a dictionary pass: it
says *could be a place*, and `mapper.nlp.geoparse` decides which of these need the statistical
model to tell a town from a person or a company.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

MAX_WORDS = 6  # tokens in the longest name tried ("Bosnia and Herzegovina", "Rostov - on - Don")

# Lower-case words that may sit inside a name: "Isle of Man", "Rostov-on-Don", "Trinidad and Tobago".
CONNECTORS = frozenset(
    "- of on upon and the de del della la le les al el da do dos das di du am an der den y & 's ’s".split()
)
# Words after a name that make it an administrative region ("the Volgograd region", "Donetsk Oblast").
REGION_WORDS = frozenset(
    "region oblast oblasts province krai kray district county governorate republic territory "
    "prefecture parish state raion rayon municipality canton voivodeship emirate".split()
)
# Every word that says the name before it is an administrative unit's ("the Mayo-Sava department")
# (not all widen a name to a region: "Police Department" is no place).
UNIT_WORDS = REGION_WORDS | frozenset("department regency woreda commune subdivision tehsil township".split())
ADJECTIVE_REGION_WORDS = frozenset({"regional", "provincial", "oblast's"})
# Words before a name that make it a part of it ("eastern Ukraine", "southwestern Russia").
DIRECTIONS = frozenset(
    "eastern western northern southern northeastern northwestern southeastern southwestern "
    "north-eastern north-western south-eastern south-western central east west north south "
    "northeast northwest southeast southwest".split()
)
# Tokens after which a capital letter says nothing about being a name.
SENTENCE_BREAKS = frozenset('. ! ? : ; " “ ” ‘ ’ ( ) [ ] — – - • * # |'.split())
# Calendar and title words that gazetteers list as towns but news never means as one.
NEVER_ALONE = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today tonight yesterday tomorrow
    mr mrs ms dr sir president minister prime governor mayor senator general gen col lt sgt vice deputy
    acting interim former
    capt officer police army navy news times post press daily herald tribune journal
    god lord christ allah jesus christmas easter ramadan st st. sts. mt mt. ft ft. saint mount fort
    port lake river north south east west central upper lower new old great little gulf bay sea
    northern southern eastern western centre center northeast northwest southeast southwest
    street road avenue drive lane boulevard square plaza mall court station airport hospital school church
    cape island valley jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept
    sept. oct oct. nov nov. dec dec. hamas hezbollah hizbollah houthi houthis wagner taliban isis
    isil daesh hts rsf inc inc. ltd ltd. llc corp corp. co. plc act day bill""".split()
)
# Words after "the X" that show X is a whole noun phrase, not a modifier ("the Alexandria police").
AFTER_A_NAME = frozenset("in on at near from to and or into between with".split())
WATER_WORDS = frozenset("river rivers delta estuary reservoir lake sea strait canal bay gulf".split())
# "the Boni forest", "the Suguta valley": land named after a place, written with the article
LAND_WORDS = frozenset("forest forests woods jungle valley valleys hills mountains highlands desert plain plains "
                       "plateau swamp swamps marshes gorge".split())
# "the village of X": the words before a name that say it is a settlement or an area.
SETTLEMENT_CUES = frozenset(
    "village town city settlement hamlet township suburb outskirts edge vicinity fringes district region "
    "province municipality community county oblast villages towns cities settlements hamlets suburbs "
    "districts regions provinces municipalities communities counties".split()
)
TOWN_CUES = frozenset(
    "village town city settlement hamlet suburb outskirts edge vicinity fringes villages towns cities settlements "
    "hamlets suburbs".split()
)
# "U.S.-led", "Kyiv-controlled": a place name glued to a participle in one token.
COMPOUND_TAILS = frozenset(
    "led based backed born made run controlled held owned allied occupied brokered sponsored "
    "funded supported bound registered flagged".split()
)


@dataclass(slots=True)
class Candidate:
    """A token span [start, end) that the gazetteer knows as a name.

    `name` is the text to look up (the whole phrase); `base` the gazetteer name inside it
    ("Volgograd" in "Volgograd region"); `kind` is "name", "region" (admin word after it) or
    "direction" (a vague part of it: "eastern Ukraine").
    """

    start: int
    end: int
    start_char: int
    end_char: int
    name: str
    base: str
    kind: str = "name"
    run: tuple[int, int] = (0, 0)  # the whole capitalised run the name sits in
    sentence_initial: bool = False


def is_capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


def sentence_initial(doc: Doc, i: int) -> bool:
    """True when token i opens a sentence, a quote or a line: there its capital is no evidence."""
    if i == 0:
        return True
    prev = doc[i - 1]
    return prev.text in SENTENCE_BREAKS or "\n" in prev.whitespace_ or prev.is_space or "\n" in prev.text


def scan(doc: Doc, has_name: Callable[[str], bool], normalize: Callable[[str], str],
         *, stop_words: frozenset[str] = frozenset(), written_so: Callable[[str], bool] | None = None) -> list[Candidate]:
    """Every longest gazetteer name in a capitalised run, widened to region / direction phrases.

    A lower-case Arabic article joined to the run ("al-Busayrah") is part of the name when
    `written_so` says some place's own name is written with it (not only an alternate spelling:
    "al-Mazraa" alone would find a namesake in another country), or when the name without it is
    no place at all ("al-Ghaydah", known by an alternate spelling "Al Ghaydah")."""
    text = doc.text
    n = len(doc)
    out: list[Candidate] = []
    i = 0
    while i < n:
        tok = doc[i]
        if not is_capitalised(tok.text):
            i += 1
            continue
        # The capitalised run this token starts (connectors allowed inside, not at its ends).
        ends = []
        j = i
        while j < n and j < i + MAX_WORDS:
            t = doc[j]
            if is_capitalised(t.text):
                ends.append(j)
            elif not (j > i and not t.whitespace_ == "\n" and (
                    t.lower_ in CONNECTORS or t.lower_ in ARABIC_ARTICLES and j + 1 < n and _tight_hyphen(doc, j + 1)
                    or t.lower_ in EZAFE and _tight_hyphen(doc, j - 1))):
                break  # (an Arabic article inside a name goes on it: "Deir ez-Zor", "Ras al-Ain"; a Persian
                # ezafe too: "Mazar-i-Sharif", "Sar-e Pul", "Pul-e Khumri")
            j += 1
        hit, joined = None, None
        article = arabic_article(doc, i)
        last = ends[-1]
        tail = _hyphen_tail(doc, last)
        if tail is not None and has_name(normalize(text[tok.idx : doc[tail].idx + len(doc[tail])])):
            ends.append(tail)  # "Ra-ngae": a name that goes on in lower case after its hyphen
        for j in reversed(ends):
            phrase = text[tok.idx : doc[j].idx + len(doc[j])]
            with_article = text[doc[article].idx : doc[j].idx + len(doc[j])] if article is not None else ""
            if with_article and written_so is not None and has_name(normalize(with_article)) and (
                    written_so(with_article) or not has_name(normalize(phrase))):
                # "al-Busayrah": the name with its article, as the gazetteer writes it; or as only an
                # alternate spelling has it ("al-Ghaydah") when the name without it is no place at all
                hit = j
                break
            if j == i and _not_alone(tok, stop_words):
                continue
            if has_name(normalize(phrase)):
                hit, article = j, None
                break
            if "-" in phrase and j > i and has_name(normalize(phrase.replace("-", ""))):
                hit, article, joined = j, None, phrase.replace("-", "")  # "Pétion-Ville" written "Pétionville"
                break
        if hit is None:
            i += 1
            continue
        if hit < last and last + 1 < n and doc[last + 1].lower_ in UNIT_WORDS and any(
                _tight_hyphen(doc, k) for k in range(hit + 1, last)):
            # "the Mayo-Sava department": the unit's name is the whole hyphenated run, which the
            # gazetteer lacks; its first word alone ("Mayo", a US town) is not the place.
            i = last + 1
            continue
        found = _widen(doc, text, i if article is None else article, hit + 1)
        if joined is not None and found.kind == "name":
            found.name = found.base = joined
        out.append(found)
        i = hit + 1
    _mark_runs(doc, out)
    return out


def _tight_hyphen(doc: Doc, k: int) -> bool:
    """Token k is a hyphen written inside a word ("Mayo-Sava"), not a dash between words."""
    return doc[k].text == "-" and k > 0 and not doc[k - 1].whitespace_ and not doc[k].whitespace_


def _hyphen_tail(doc: Doc, j: int) -> int | None:
    """The index of a lower-case word joined by a hyphen after token j ("Ra-ngae"), or None."""
    k = j + 2
    if k < len(doc) and _tight_hyphen(doc, j + 1) and doc[k].is_alpha and doc[k].is_lower:
        return k
    return None


ARABIC_ARTICLES = frozenset("al el ad ar as ash at az ez an".split())
EZAFE = frozenset("e i ye".split())  # the Persian (Dari, Pashto) joining vowel after a hyphen: "Sar-e Pul"


def arabic_article(doc: Doc, i: int) -> int | None:
    """The index of a lower-case Arabic article joined by a hyphen to token i ("al-Busayrah",
    "ash-Shaddadi"), or None."""
    if i < 2 or doc[i - 1].text != "-" or doc[i - 1].whitespace_ or doc[i - 2].whitespace_:
        return None
    art = doc[i - 2]
    if art.text not in ARABIC_ARTICLES or (i > 2 and not doc[i - 3].whitespace_ and doc[i - 3].text not in "(\"'“‘"):
        return None
    return i - 2


# Units named before the name they frame ("the province of Idlib", "the state of Zamfara").
_UNITS_BEFORE = frozenset("province region governorate oblast state district county department prefecture".split())


def _unit_of_before(doc: Doc, start: int) -> str | None:
    """The unit word of "the [north-western] province of <name>", or None. Only after "the" with
    nothing but lower-case words between, so "Head of State of ..." and "the Islamic State of"
    are no units."""
    if start < 3 or doc[start - 1].lower_ != "of" or doc[start - 2].lower_ not in _UNITS_BEFORE \
            or not doc[start - 2].text.islower():
        return None
    i = start - 3
    while i >= 0 and i >= start - 6 and doc[i].lower_ != "the":
        if not (doc[i].text.islower() or doc[i].text == "-"):
            return None
        i -= 1
    return doc[start - 2].lower_ if i >= 0 and doc[i].lower_ == "the" else None


def _not_alone(tok, stop_words: frozenset[str]) -> bool:
    """Words that are never a place by themselves: "It", "May", "Friday" (but "US", "UK" are)."""
    if len(tok.text) < 2 or tok.lower_ in NEVER_ALONE:
        return True
    return tok.lower_ in stop_words and not (tok.is_upper and tok.is_alpha)


def _widen(doc: Doc, text: str, start: int, end: int) -> Candidate:
    base = text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])]
    kind, lookup = "name", None
    nxt = doc[end].lower_ if end < len(doc) else ""
    if nxt in ADJECTIVE_REGION_WORDS:
        # "the Donetsk regional prosecutor": the mention is "Donetsk", the place its region.
        kind, lookup = "region", f"{base} region"
    elif nxt in REGION_WORDS:
        end += 1
        kind = "region"
    elif end - start > 1 and doc[end - 1].lower_ in REGION_WORDS:
        kind = "region"  # the name itself ends in one: "Donetsk Oblast", "Laurel County"
    elif (word := _unit_of_before(doc, start)) is not None:
        kind, lookup = "region", f"{base} {word}"  # "the north-western province of Idlib": Idlib province
    if start > 0 and doc[start - 1].lower_ in DIRECTIONS and kind == "name":
        start -= 1
        kind = "direction"
        if start > 1 and _tight_hyphen(doc, start - 1) and doc[start - 2].lower_ in ("north", "south", "east", "west"):
            start -= 2  # "south-western Gaza City", which the tokenizer splits at its hyphen
    name = text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])]
    return Candidate(
        start=start, end=end, start_char=doc[start].idx, end_char=doc[end - 1].idx + len(doc[end - 1]),
        name=lookup or name, base=base, kind=kind, sentence_initial=sentence_initial(doc, start),
    )


def _mark_runs(doc: Doc, cands: list[Candidate]) -> None:
    """Record each candidate's whole capitalised run: "Washington" inside "Washington Post"."""
    n = len(doc)
    for c in cands:
        a, b = c.start, c.end
        # A capitalised word that opens the sentence joins the run only if it is not a common word.
        while a > 0 and is_capitalised(doc[a - 1].text) and not sentence_initial(doc, a) and not (
            sentence_initial(doc, a - 1) and doc[a - 1].is_stop
        ):
            a -= 1
        while b < n and (is_capitalised(doc[b].text) or _particle_joins(doc, b)):
            b += 1
        c.run = (a, b)


def _particle_joins(doc: Doc, k: int) -> bool:
    """Token k is a hyphen or particle inside a Persian or Arabic name, with a capitalised
    word after it: "Pul-e Sokhta", "Mazar-i-Sharif", "Ras al-Ain" (not "Kyiv-based")."""
    j = k
    while j < len(doc) and (_tight_hyphen(doc, j) or doc[j].lower_ in EZAFE and _tight_hyphen(doc, j - 1)
                            or doc[j].lower_ in ARABIC_ARTICLES and j + 1 < len(doc) and _tight_hyphen(doc, j + 1)):
        j += 1
    return j > k and j < len(doc) and is_capitalised(doc[j].text) and any(
        doc[m].lower_ in EZAFE or doc[m].lower_ in ARABIC_ARTICLES for m in range(k, j))


def abbreviations(doc: Doc, cands: list[Candidate], region_code: Callable[[str], str | None]) -> list[Candidate]:
    """State and province abbreviations the name keys (no dots) cannot hold.

    After "Town," ("Rock Hill, S.C.", "Gatineau, Que.", "Churchill, Man.", and in datelines
    "LOUISVILLE, KY--" or "EDMONTON, Ky (WBKO)") a short word that `region_code(text)` reads as
    a state or province is that region; it replaces a town the scan read there ("Man", Côte
    d'Ivoire). Dotted initials ("B.C.", "N.Y.") are the region anywhere, except after a number
    ("300 B.C."). `region_code` gets the dotted form ("Que.") or the bare code ("KY") and
    returns the name to look up, or None.
    """
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    drop: set[int] = set()
    out = []
    n = len(doc)
    for i in range(n):
        t = doc[i]
        if not t.text[:1].isupper():
            continue
        word, end, end_char = t.text, i + 1, t.idx + len(t.text)
        if not word.endswith(".") and end < n and doc[end].text == "." and not t.whitespace_:
            word, end, end_char = word + ".", end + 1, end_char + 1  # spaCy splits "Que" "."
        after_town = i >= 2 and doc[i - 1].text == "," and (i - 2) in by_token
        if word.endswith("."):
            dotted = word.count(".") >= 2 and not (i and doc[i - 1].like_num)
            if not (after_town or dotted) or len(word) > 7:
                continue
            name = region_code(word)
        else:
            code = re.match(r"[A-Z][A-Za-z](?![A-Za-z])", t.text)
            if not after_town or code is None:
                continue
            name = region_code(code.group().upper())
            end, end_char = i + 1, t.idx + 2
        if not name:
            continue
        taken = by_token.get(i)
        if taken is not None:
            if (taken.start, taken.end) != (i, i + 1) or taken.kind != "name":
                continue
            drop.add(id(taken))  # "Man" the town in Côte d'Ivoire, where "Man." is Manitoba
        out.append(Candidate(start=i, end=end, start_char=t.idx, end_char=end_char, name=name, base=name, kind="region",
                             run=(i, i + 1)))
    return sorted([c for c in cands if id(c) not in drop] + out, key=lambda c: c.start)


DATELINE_MARKS = frozenset("— – - --".split())
# Words after a town's name that make it the town ("Danbury police", "Enfield Council",
# "Beaconsfield Mayor Georges Bourelle", "Litchfield Superior Court").
LOCAL_BODIES = frozenset(
    "police council councillors councilors mayor sheriff borough residents resident native natives "
    "man woman boy girl teen teenager couple family governor".split()
)
COURTS = frozenset("superior crown district circuit magistrates magistrates' municipal county city".split())
LOCATIVES = frozenset("in near outside".split())
# Verbs whose object is a town taken, entered or fought over: "the army recaptured El Fula".
TAKEN = frozenset("captured recaptured retook retaken seized liberated overran overrun entered stormed shelled "
                  "besieged encircled".split())
# Two-word ones: "Huntsville Fire Department", "Rock Hill City Manager", "Tega Cay Fire Chief".
LOCAL_PAIRS = frozenset(
    tuple(p.split()) for p in (
        "fire department", "fire chief", "fire station", "fire rescue", "fire district", "fire marshal",
        "city manager", "city council", "city hall", "city commission", "city attorney", "police department",
        "police chief", "school district", "school board", "board of", "town council", "town manager",
        "town hall", "public library", "public schools", "city schools", "housing authority", "planning commission")
)


def dateline(doc: Doc, c: Candidate, nxt: Candidate | None = None) -> bool:
    """"BANTAM — A Danbury mason...", "LOUISVILLE, KY--": the place a wire story is filed from.

    A name in upper case that opens the text, a line or a sentence, followed by a spaced dash,
    a parenthesis (the agency: "WASHINGTON (Reuters)") or a comma and the state (`nxt`, the
    next candidate, is a region abbreviation)."""
    if not (c.sentence_initial and sum(ch.isalpha() for ch in c.base) >= 3):
        return False
    if c.run != (c.start, c.end) or c.end >= len(doc):
        return False
    mark = doc[c.end]
    if not c.base.isupper():  # "Goose Creek — A Goose Creek man...": a title-case one takes a long dash
        return mark.text in ("—", "–", "--") and bool(doc[c.end - 1].whitespace_)
    if mark.text == ",":
        return nxt is not None and nxt.start == c.end + 1 and nxt.kind == "region"
    if mark.text == "(":
        return True
    spaced = bool(doc[c.end - 1].whitespace_) or bool(mark.whitespace_)  # not "CRIME-SC"
    return spaced and (mark.text in DATELINE_MARKS or mark.text.startswith("--"))


def local_cue(doc: Doc, c: Candidate, population: int) -> bool:
    """"in Enfield" for a town of 10,000+ ("in Congress" is not Congress, Arizona, pop. 2,000)."""
    return c.start > 0 and doc[c.start - 1].lower_ in LOCATIVES and population >= 10_000


def taken_cue(doc: Doc, c: Candidate) -> bool:
    """The name is the object of a verb of taking or assault: "the army recaptured El Fula"."""
    return c.start > 0 and doc[c.start - 1].lower_ in TAKEN


def local_title(doc: Doc, c: Candidate) -> bool:
    """The town's own police, council, mayor, court or fire department follows: "Danbury police",
    "Enfield Council's", "Beaconsfield Mayor", "Litchfield Superior Court", "Huntsville Fire Chief"."""
    n = len(doc)
    if c.end >= n:
        return False
    nxt = doc[c.end].lower_
    if nxt in LOCAL_BODIES:
        return True
    if c.end + 1 >= n:
        return False
    return (nxt, doc[c.end + 1].lower_) in LOCAL_PAIRS or (nxt in COURTS and doc[c.end + 1].lower_ == "court")


def compounds(doc: Doc, cands: list[Candidate], has_name: Callable[[str], bool],
              normalize: Callable[[str], str]) -> list[Candidate]:
    """Place names inside hyphenated tokens the tokenizer keeps whole: "the U.S.-led campaign",
    "a U.K.-based charity" (spaCy splits "Moscow-backed" itself, so the scan already sees it)."""
    text = doc.text
    if not any(f"-{tail}" in text for tail in COMPOUND_TAILS):
        return cands  # most articles: no "-led", "-backed", ... at all
    taken = {i for c in cands for i in range(c.start, c.end)}
    out = []
    for i, t in enumerate(doc):
        if i in taken or "-" not in t.text or not t.text[:1].isupper():
            continue
        head, _, tail = t.text.rpartition("-")
        if tail not in COMPOUND_TAILS or not head or not has_name(normalize(head)):
            continue
        out.append(Candidate(start=i, end=i + 1, start_char=t.idx, end_char=t.idx + len(head), name=head,
                             base=head, kind="name", run=(i, i + 1), sentence_initial=sentence_initial(doc, i)))
    return sorted(cands + out, key=lambda c: c.start) if out else cands


def county_lists(doc: Doc, cands: list[Candidate], is_county: Callable[[str], bool]) -> list[Candidate]:
    """"in Butler, Clark, Hamilton or Warren counties", "Hitchcock and Hayes counties": each
    name of the list is "<name> County" (`is_county("Butler County")` says whether one exists)."""
    low = doc.text.lower()
    if "counties" not in low and "parishes" not in low:
        return cands
    out: list[Candidate] = []
    drop: set[int] = set()
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    for k, tok in enumerate(doc):
        if tok.lower_ not in ("counties", "parishes") or k == 0:
            continue
        word = "County" if tok.lower_ == "counties" else "Parish"
        j = k  # walk back over "A, B and C"
        while j > 0:
            end = j
            while j > 0 and is_capitalised(doc[j - 1].text) and end - j < 3:
                j -= 1
            if j == end:
                break
            j = next((a for a in range(j, end) if is_county(f"{doc[a:end].text} {word}")), end)
            if j == end:  # "Small Hitchcock": the longest tail of the run that is a county
                break
            name = doc[j:end].text
            for i in range(j, end):
                if i in by_token:
                    drop.add(id(by_token[i]))
            out.append(Candidate(start=j, end=end, start_char=doc[j].idx, end_char=doc[end - 1].idx + len(doc[end - 1]),
                                 name=f"{name} {word}", base=f"{name} {word}", kind="region", run=(j, end)))
            if j > 0 and doc[j - 1].lower_ in (",", "and", "or"):
                j -= 1
                if j > 0 and doc[j - 1].text == "," and doc[j].lower_ in ("and", "or"):
                    j -= 1
            else:
                break
    if not out:
        return cands
    return sorted([c for c in cands if id(c) not in drop] + out, key=lambda c: c.start)


def cue_names(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Names the gazetteer lacks that the text calls towns: "the villages of Foua and Kfraya",
    "the town of Qatraneh" (a capitalised run of up to three words after the cue, and the rest
    of the list it opens), "in Baqdaad village" (a run right before the cue word). Returned
    with `cands`, in text order."""
    taken = {i for c in cands for i in range(c.start, c.end)}
    out: list[Candidate] = []
    n = len(doc)
    for i in range(1, n):
        if not town_after(doc, i):
            continue
        j = i
        while j > 0 and i - j < 5:
            t = doc[j - 1]
            if t.text == "-" and not t.whitespace_ and j > 1 and not doc[j - 2].whitespace_ and is_capitalised(doc[j - 2].text):
                j -= 1  # "Dhuudo-Weyne": a hyphen inside the name
                continue
            if not (is_capitalised(t.text) and t.text[-1].isalpha() and t.lower_ not in NEVER_ALONE and not t.is_stop):
                break
            j -= 1
        if j < i and not taken.intersection(range(j, i)):
            out.append(Candidate(start=j, end=i, start_char=doc[j].idx, end_char=doc[i - 1].idx + len(doc[i - 1]),
                                 name=doc[j:i].text, base=doc[j:i].text, run=(j, i)))
            taken.update(range(j, i))
    for i in range(2, n):
        if not town_cue(doc, i):
            continue
        j = i
        while j < n:
            k = j
            while k < n and k - j < 3 and is_capitalised(doc[k].text) and doc[k].text[-1].isalpha():
                k += 1
            if k == j:
                break
            if not taken.intersection(range(j, k)):
                out.append(Candidate(start=j, end=k, start_char=doc[j].idx, end_char=doc[k - 1].idx + len(doc[k - 1]),
                                     name=doc[j:k].text, base=doc[j:k].text, run=(j, k)))
                taken.update(range(j, k))
            m = k + 1 if k < n and doc[k].text == "," else k
            m = m + 1 if m < n and doc[m].lower_ in ("and", "or") else m
            if m == k:
                break
            j = m
    return sorted(cands + out, key=lambda c: c.start)


def spellings(name: str) -> list[str]:
    """The name, then romanisation variants a gazetteer may use instead ("Kyaukphyu" -> "Kyaukpyu")."""
    out = [name]
    for a, b in (("ph", "p"), ("kh", "k"), ("th", "t"), ("iy", "y"), ("ii", "i"), ("yi", "i"), ("ou", "u"), ("ia", "ya")):
        v = name.replace(a, b)
        if v not in out:
            out.append(v)
    return out


POST_TOWN_CUES = frozenset("village town settlement hamlet city".split())


def town_after(doc: Doc, i: int) -> bool:
    """Token i is a lower-case "village" / "town" written after a name ("Baqdaad village",
    "Afgooye town"), not the start of "town of", "city council"."""
    t = doc[i]
    if t.text not in POST_TOWN_CUES:
        return False
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return nxt not in ("of", "council", "hall", "centre", "center", "officials", "authorities", "limits", "police")


def town_cue(doc: Doc, i: int) -> bool:
    """Token i follows "the village of", "the city of", "the outskirts of": it names a town
    (not "the province of", "the region of")."""
    return settlement_cue(doc, i) and doc[i - 2].lower_ in TOWN_CUES


def settlement_cue(doc: Doc, i: int) -> bool:
    """Token i follows "the village of", "the town of", "near the city of", ...: it names a place."""
    return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in SETTLEMENT_CUES


def after_the(doc: Doc, start: int, end: int) -> bool:
    """"across the Dnipro." or "the Dnipro river": a river or a feature, not the town of that name;
    so is "the Boni forest" ("the Alexandria police" is the town as a modifier)."""
    if end < len(doc) and doc[end].lower_ in WATER_WORDS:
        return True  # "the Dnipro river"
    if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in COMPOUND_TAILS:
        return False  # "the Tbilisi-based channel": the city
    return start >= 1 and doc[start - 1].text == "the" and (
        end >= len(doc) or doc[end].is_punct or doc[end].lower_ in AFTER_A_NAME or doc[end].lower_ in LAND_WORDS)


def demonym_countries(doc: Doc, demonym: Callable[[str], str | None]) -> dict[str, int]:
    """ISO2 -> count of nationality words ("Russian", "Ukrainians") in the text."""
    counts: dict[str, int] = {}
    for tok in doc:
        if is_capitalised(tok.text) and tok.is_alpha and len(tok.text) > 3:
            code = demonym(tok.text)
            if code:
                counts[code] = counts.get(code, 0) + 1
    return counts
