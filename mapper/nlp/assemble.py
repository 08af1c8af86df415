"""From an article to the incidents it reports: what, where, when, to whom, by whom, who says so.

`build_incidents(article, gazetteer)` is a pure function. It reads the article clause by clause
(sentences cut at semicolons). A clause that reports an event (events.classify) or casualties
either opens an incident or adds to the one being told, so "A strike hit Kherson." followed by
"Two people were killed, the governor said." is one incident with its figures and its source.

Location is where it happened, not every place named: dateline cities, places inside the
attribution ("the Sumy regional military administration"), countries used as actors ("Russia
said"), "U.S.-brokered" and places the weapons came from are not locations. A vague area
("eastern Ukraine") is narrowed to the region the reporting authority speaks for, else dropped.
Background ("fighting that began in 2014") makes no current incident; an older event with its
own full date ("On Feb. 3 2023, ...") is kept with ``historical=True``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from collections.abc import Callable, Sequence
from typing import Any

from gazetteer.place import Place
from mapper.nlp import actors as actors_mod
from mapper.nlp.attribution import Attribution, find_attribution
from mapper.nlp.counts import Casualties, parse_casualties
from mapper.nlp.background import HISTORICAL_DAYS, is_background, is_explicit
from mapper.nlp.dates import DateSpan, background_year, is_future, resolve_date, token_at
from mapper.nlp.document import load_parser
from mapper.nlp.event_rules import debris_weapon, former_forces, live_fire_on, natural_death, people_gathered, police_intervened
from mapper.nlp.events import BATTLES, CIVILIANS, DIPLOMACY, PROTESTS, REMOTE, RIOTS, STRATEGIC, VIOLENT, EventKind, classify
from mapper.nlp.places import (
    CALENDAR_WORDS,
    NAME_LOCATED,
    article_countries,
    choose_location,
    far_reference,
    region_place,
    same_place,
    speaker_place,
    trusted_mentions,
)
from mapper.records import Article, Incident, Mention
from mapper.nlp.text import Span, clauses, is_boilerplate, parse_number, split_sentences


# A dateline: "KYIV, Feb 13 (Example Wire) - ", "KRAMATORSK, Ukraine, Feb 3 (Wire) - ", "BANGKOK (Daily) - ".
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'’/-]{1,40}?)(?:,\s*[A-Z][\w .]{1,30}?)?(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{1,60}\))?\s*[-–—]+\s+"
)
# "In the capital, hundreds marched", "across the capital": the event's place, not "the capital of X".
_IN_CAPITAL = re.compile(r"\b(?:in|across|around|throughout)\s+the\s+(?:country's\s+|nation's\s+|national\s+)?capital\b"
                         r"(?!\s+(?:of|city\s+of)\b)", re.I)
_NEAR_ONE = re.compile(r"\s+(?:near|around|outside|in|of)\s+(?:the\s+)?[A-Z]")
# A sentence that opens on what followed the event just told: "Hours later,", "Shortly afterwards,",
# "A day later,", "Later that night,".
_SEQUEL = re.compile(r"\s*(?:(?:hours|minutes|moments|a\s+day|two\s+days|a\s+week)\s+later|shortly\s+(?:after(?:wards)?|afterwards)|"
                     r"soon\s+after(?:wards)?|later\s+(?:that|the\s+same)\s+(?:day|night|evening|morning|afternoon)|"
                     r"the\s+(?:next|following)\s+(?:day|morning)|after\s+the\s+(?:attack|bombing|blast|strike|raid|"
                     r"killing|shooting|explosion))\b", re.I)
# Where a detainee is held is not known: "her family has been unable to find out where she is being
# held", "his whereabouts remain unknown", "police stations denied holding him".
_HELD_WHERE_UNKNOWN = re.compile(
    r"\b(?:whereabouts\s+(?:are|is|remain|remains|were|was)\s+(?:still\s+)?unknown|(?:unable|not\s+able|failed)\s+to\s+"
    r"(?:find\s+out|learn|establish|locate|trace)\s+(?:where|his|her|their)|(?:has|have|had)\s+not\s+been\s+(?:told|informed)\s+"
    r"where|(?:no|without)\s+(?:word|news|information)\s+(?:on|of|about)\s+(?:his|her|their)\s+whereabouts|"
    r"denied\s+(?:holding|detaining|having\s+(?:arrested|detained))|held\s+incommunicado|"
    r"(?:refused|declined|would\s+not|did\s+not)\s+(?:to\s+)?(?:say|disclose|reveal|tell\s+\w+)\s+where|"
    r"(?:did|do|does)\s+not\s+(?:yet\s+)?know\s+where\s+(?:he|she|they)\s+(?:was|were|is|are)|"
    r"(?:had|have|has)\s+(?:still\s+)?not\s+(?:yet\s+)?(?:learned|learnt|found\s+out|been\s+told)\s+where|"
    r"(?:had|have|has)\s+(?:still\s+)?heard\s+nothing\s+(?:from|of|about)|(?:was|were|is|are)\s+still\s+missing|"
    r"(?:was|were)\s+not\s+(?:told|informed)\s+where|(?:had|has|have)\s+(?:still\s+)?not\s+(?:yet\s+)?resurfaced|"
    r"no\s+record\s+of\s+(?:arresting|detaining|holding)|(?:refused|declined)\s+to\s+tell\s+(?:[\w'-]+\s+){1,3}?where|"
    r"(?:was|were|is|are)\s+not\s+in\s+(?:their|its|his|police|state|official)\s+custody|"
    r"(?:had|have|has|received)\s+(?:still\s+)?no\s+(?:news|word)\s+(?:of|from|about)\s+(?:him|her|them)|"
    r"(?:would|will|did|could)\s+(?:not|neither)\s+(?:say|tell|disclose|reveal)\s+"
    r"(?:\w+\s+)?where|(?:given|received|got)\s+no\s+information\s+(?:about|on|of)\s+where)\b", re.I)
_SEVERAL_REGIONS = re.compile(
    r"\b(?:several|various|multiple|a\s+number\s+of|many|\d+|two|three|four|five|six|seven|eight|nine|ten|other)\s+"
    r"(?:[A-Z]\w+\s+)?(?:regions|oblasts|provinces|settlements|towns|villages|localities|communities)\b"
    r"|\bover\s+the\s+(?:past|last)\s+(?:day|24\s+hours|week|two\s+days)\b", re.I,
)
_PRONOUN_SAYS = re.compile(r"(?:^|,\s+)(?:it|he|she|they|the\s+(?:ministry|command|governor|office|administration|mayor|army|military|agency))"
                           r"(?:\s+(?:also|later|further|then))?\s+(?:said|says|added|reported|wrote|claimed)\b", re.I)
_ANAPHOR = re.compile(r"\bthe\s+(ministry|command|governor|office|administration|mayor|army|military|agency|group)\b", re.I)
# "The fighting between rival factions broke out on Wednesday": the event just told, named again
_THE_EVENT = re.compile(r"\s*the\s+(?:[\w-]+\s+){0,2}?(?:fighting|clash(?:es)?|attack|assault|strike|shelling|battle|raid|"
                        r"riot|violence|explosion|blast|bombing|ambush)\b", re.I)
# A sentence back on the attackers or the target just told: "The militants opened fire ...".
_THE_SAME = re.compile(r"\s*the\s+(?:[\w-]+\s+)?(?:militants|gunmen|attackers|assailants|insurgents|fighters|rebels|jihadists|"
                       r"bandits|checkpoint|post|outpost|base|camp|convoy|patrol|barracks|station)\b", re.I)
_QUOTED_LEDE = re.compile(r"\s*[\"“]")  # a lede that opens with a quotation
_CASUALTY_WORD = re.compile(r"kill|dead|die|death|fatal|injur|wound|hurt|hospital|casualt|lives|bodies|toll|slain|perish|neutrali[sz]|eliminat|"
                            r"\blos(?:t|ing|es?)\s+(?:[\w-]+\s+){0,4}?(?:own|men|fighters|soldiers|troops|comrades)\b|"
                            r"(?:shot|stabbed)\s+(?:\w+\s+){0,3}?in\s+the\s+(?:leg|arm|hand|foot|shoulder|knee|thigh|ankle|wrist)", re.I)
_COUNT_AT = re.compile(
    r"\b(?P<n>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)\s+(?:[A-Za-z-]+\s+){0,3}?"
    r"(?:in|near|around|at|outside|over)\s+(?:the\s+(?:town|city|village)\s+of\s+|the\s+)?$")
# "..., a day after a guided bomb killed a man in Stepnohirsk" / "A day later, an IED ...": an event
# dated from the one told beside it, not from the publication.
_RELATIVE_WORDS = r"(?P<n>a|one|two|three|four|five|six|\d+)\s+(?P<unit>day|days|week|weeks)\s+(?P<dir>after|before|earlier|later)"
_RELATIVE = re.compile(_RELATIVE_WORDS + r"\b", re.I)
# "The following day, a bomb ...", "On the previous evening": a day after (before) the event just told
_NEXT_DAY = re.compile(r"(?:on\s+)?the\s+(?:(?P<after>following|next)\s+(?:day|morning|afternoon|evening|night)|"
                       r"previous\s+(?:day|morning|afternoon|evening|night)|day\s+(?P<after2>after)|day\s+before)\b", re.I)
# "The strike came a day after fighters ambushed a convoy near Kanbalu": the event just told, then
# another one dated from it (split before "a day after")
_CAME = re.compile(r"(?:the|this|that|it)\s+(?:[\w-]+\s+){0,2}?(?:came|happened|occurred|followed|was)\s+(?="
                   + _RELATIVE_WORDS + r"\s)", re.I)
# "east of Deir al-Balah", "near Tal Tamr", "in the village of Umm Batina": a place named as the
# event's, capitalised, in the sense of where (not "in Washington Post", not after "said in").
_LOCATIVE_NAME = re.compile(
    r"\b(?:near|outside|around|(?:east|west|north|south|north-?east|north-?west|south-?east|south-?west)\s+of|"
    r"in\s+the\s+(?:village|town|city|area|district|camp|neighbou?rhood)\s+of|on\s+the\s+outskirts\s+of)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:al-|el-|ad-|as-|ash-|ar-|az-|ez-)?[A-Z][\w'’-]+)*)")
# "at Kerawa", "in the village of Tourou": a place name said as where
_AT_NAME = re.compile(r"\b(?:at|in\s+the\s+(?:village|town|hamlet|settlement)\s+of)\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
_PART_WORDS = r"(?:Square|Street|Avenue|Boulevard|Roundabout|Market|Hospital|Clinic|Mosque|Stadium|University)"
# "gathered in Martyrs' Square", "outside Al-Shifa Hospital": a part of a town, named
_TOWN_PART_NAME = re.compile(rf"\b(?:in|at|on|near|outside)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){{1,3}}{_PART_WORDS}\b")
_PART_NAME_END = re.compile(rf"\b{_PART_WORDS}$")
_PART_WORD_AFTER = re.compile(rf"\s+{_PART_WORDS}\b", re.I)  # "at Mama Lucy Kibaki hospital"
_ANAPHORIC_EVENT = re.compile(r"\b(?:during|in|after)\s+the\s+(?:ensuing\s+)?(?:fighting|clash(?:es)?|attack|assault|strike|shelling|battle|"
                              r"raid|gunfight|firefight|gun\s*battle|shoot-?out|exchange\s+of\s+fire|ambush|operation)\b", re.I)
# "in the city's Joura quarter", "the town's northern district": a part of the town just told.
_PART_OF_TOLD = re.compile(r"\bthe\s+(?:city|town|village|camp)['’]s\s+", re.I)
_ANAPHORIC_PLACE = re.compile(r"\bthe\s+(?:city|town|village|area|settlement)\b(?!\s+(?:of|hall|council|chief|elders?|authorities|"
                              r"administration|officials?|mayor)\b)|\bin\s+the\s+area\b", re.I)
# "on the edge of this town in south-western Balochistan": the town the story was filed from
_THIS_TOWN = re.compile(r"\b(?:this|our)\s+(?:(?:[\w-]+\s+){0,2}?)(?:city|town|village|camp)\b(?!\s*['’]s)", re.I)
_HEADLINE_END = re.compile(r"[.!?\"'”’)]\s*$")


def _other_day(when: DateSpan | None, told: DateSpan | None) -> bool:
    """Does a clause dated `when` tell another day than the incident dated `told`? Not when
    either date is inherited or only the report's ("On Tuesday it said 11 had been killed")."""
    return bool(when and when.explicit and not when.reported and told and told.explicit and not told.reported
                and when.start != told.start)


@dataclass
class _Clause:
    span: Span
    para: int
    event: EventKind | None
    cas: Casualties
    when: DateSpan | None
    future: bool
    background: bool
    attribution: Attribution | None
    mentions: list[Mention]
    sentence: Span | None = None  # the whole sentence when this clause is a part of it
    unknown: list[Mention] = field(default_factory=list)  # places it names that the gazetteer cannot place
    aside: bool = False  # "..., a day after gunmen raided a village": another event told inside this one's sentence

    @property
    def quote(self) -> Span:
        return self.sentence or self.span


@dataclass
class _Draft:
    """An incident being assembled from one or more clauses."""

    event: EventKind
    place: Place | None
    mention: Mention | None
    precision: int
    when: DateSpan | None
    first: _Clause
    quotes: list[Span] = field(default_factory=list)
    fatalities: int | None = None
    injured: int | None = None
    notes: list[str] = field(default_factory=list)
    actor1: str | None = None
    actor2: str | None = None
    attribution: str | None = None
    region_hint: str | None = None
    historical: bool = False
    has_cas: bool = False
    told_by: str | None = None  # the attacker the story was about when this incident began
    links: list[str] = field(default_factory=list)  # why later clauses joined it, and where the place came from
    count_rules: list[str] = field(default_factory=list)  # the parse patterns that linked each figure
    victims: list[str] = field(default_factory=list)  # who the figures count, as written ("five soldiers")


PARSE_BATCH = 64  # clauses per call of the parser


def build_incidents(article: Article, gazetteer: Any, *, nlp: Any = None) -> list[Incident]:
    """The incidents `article` reports, located with `gazetteer` (pure: same input, same output)."""
    from mapper.storage.merge import merge_incidents

    builder = _builder(article, gazetteer, nlp)
    return merge_incidents(builder.read(_parse(builder.prepare())))


def build_many(articles: Sequence[Article], gazetteer: Any, *, nlp: Any = None) -> list[list[Incident] | Exception]:
    """`build_incidents` for each of `articles`, in order: the incidents, or the exception that
    stopped that article (raised exceptions keep their traceback). The same incidents, faster:
    the clauses of all the articles are parsed in one batch. spaCy's parser and its token
    vectors cost per call as well as per word, and one article has only a few clauses to parse
    (about 7 in `bench/extract.py`)."""
    from mapper.nlp.geoparse import find_mentions_many
    from mapper.storage.merge import merge_incidents

    builders: list[_Builder | Exception] = []
    wanted: dict[str, None] = {}
    for article, found in zip(articles, find_mentions_many([a.text for a in articles], gazetteer, nlp=nlp), strict=True):
        try:
            if isinstance(found, Exception):
                raise found
            builder = _builder(article, gazetteer, nlp, found)
            wanted.update(dict.fromkeys(builder.prepare()))
            builders.append(builder)
        except Exception as err:  # one bad article must not stop the others
            builders.append(err)
    try:
        parses: dict[str, Any] | None = _parse(list(wanted))
    except Exception:  # a text that breaks the batch then stops only its own article
        parses = None
    out: list[list[Incident] | Exception] = []
    for builder in builders:
        if isinstance(builder, Exception):
            out.append(builder)
            continue
        try:
            out.append(merge_incidents(builder.read(parses if parses is not None else _parse(builder.wanted))))
        except Exception as err:  # (the same: this article only)
            out.append(err)
    return out


def _parse(texts: list[str]) -> dict[str, Any]:
    """Each text's dependency parse, in batches."""
    return dict(zip(texts, load_parser().pipe(texts, batch_size=PARSE_BATCH))) if texts else {}


def _builder(article: Article, gazetteer: Any, nlp: Any, found: list[Mention] | None = None) -> _Builder:
    """The builder of one article, given its place mentions when they are found already."""
    from mapper.nlp.geoparse import find_mentions

    text = article.text
    if found is None:
        found = find_mentions(text, gazetteer, nlp=nlp)
    mentions = [m for m in found if m.place is not None]
    countries = article_countries(text, mentions)
    mentions = trusted_mentions(mentions, countries, text)
    builder = _Builder(article, gazetteer, mentions)
    builder.unknown = [m for m in found if m.place is None and not speaker_place(text, m)]
    # The headline names the place when the lede does not ("Drone hits minibus in Kherson"); looked up only if needed.
    builder.title_places = lambda: [m for m in find_mentions(article.title or "", gazetteer, nlp=nlp)
                                    if m.place is not None and m.place.feature in ("city", "locality")]
    return builder


WARM_UP = Article(text="KHARKIV (Wire) - A Russian drone struck a market in Kharkiv on Monday, killing two people "
                          "and wounding five, the regional governor said. Talks will be held in Geneva next week.",
                  published=date(2026, 2, 16))


# What comes before a strike that only supports an operation: "supported by airstrikes",
# "backed by drone strikes from ...", "with the support of", "under the cover of".
_SUPPORTING = re.compile(r"\b(?:(?:supported|backed|aided|assisted|covered)\s+(?:by|with)|with\s+(?:the\s+)?support\s+of|"
                         r"under\s+the\s+cover\s+of)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$", re.I)


# Words of a gathering: a march, a rally, a vigil, mourners, a funeral (lemmas).
GATHERING = frozenset("march rally protest demonstrate demonstration vigil mourn mourner funeral gather sit-in".split())


def mourning(parse: Any, start: int, end: int) -> Any | None:
    """The gathering word that governs the event words at [start, end) of the clause ("marched
    ... for the three men killed in an air strike"), or None: then the clause reports the
    gathering, and what it mourns is its subject, not its toll."""
    trig = next((t for t in parse if t.idx <= start < t.idx + len(t.text) or start <= t.idx < end), None)
    if trig is None:
        return None
    root = next((t for t in parse if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    said = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), None)
    if said is not None and trig in said.subtree:
        root = said  # "Students held a vigil ..., a school official said": the report's own verb
    if trig.lemma_.lower() in GATHERING and (trig == root or trig.head == root and trig.dep_ in ("dobj", "nsubj", "nsubjpass")):
        return trig  # "journalists held a vigil for ...": the gathering is what the clause reports, whatever it mourns
    if root.lemma_.lower() in GATHERING and trig != root and trig.i > root.i and trig in root.subtree:
        return root  # "marched ... for the men killed in an air strike"
    for subj in root.children:  # "a vigil for the men killed in the strike was held"
        if subj.dep_ in ("nsubj", "nsubjpass") and subj.lemma_.lower() in GATHERING and trig != subj \
                and trig.i > subj.i and trig in subj.subtree:
            return subj
    for obj in root.children:  # "journalists held a vigil on Monday for two colleagues killed in a strike"
        if obj.dep_ == "dobj" and obj.lemma_.lower() in GATHERING and trig.i > obj.i and (trig in obj.subtree or any(
                a.dep_ == "prep" and a.lower_ == "for" and a.head in (root, obj) for a in trig.ancestors)):
            return obj
    # "detained students who had marched through the town to demand justice for a classmate shot
    # dead": a march in a relative clause, whose purpose names the killing it is about
    for a in trig.ancestors:
        if a.lemma_.lower() in GATHERING and a.i < trig.i and a.dep_ == "relcl" and any(
                b.dep_ in ("xcomp", "advcl", "prep") and b.i < trig.i and trig in b.subtree for b in a.children):
            return a
    return None


_THE_PEOPLE = re.compile(r"\s*the\s+(?:[\w-]+\s+)?([a-z]{3,}(?:men|ers|ists|ants|ents|ians))\b", re.I)


def _told_people(clause: str, told: str) -> bool:
    """Does `clause` open on people the clause `told` named ("The herders pursued ..." after "raiders
    attacked Turkana herders")?"""
    m = _THE_PEOPLE.match(clause)
    return bool(m and re.search(rf"\b{re.escape(m.group(1))}\b", told, re.I))


_GATHERED = frozenset("protester demonstrator marcher rioter crowd mourner participant student youth".split())


def _grievance(parse: Any, cas: Casualties) -> bool:
    """Are all the clause's dead and wounded told in an "after" or "because" clause ("riders blocked
    the road after a fellow rider was killed by a lorry"), or in a relative clause on someone other
    than the gathering's people ("marched behind the body of a man who died in prison")? Then they
    are what set the gathering off or what it mourns."""
    for link in cas.trace:
        tok = next((t for t in parse if t.text == link.trigger), None)
        clause = next((a for a in (tok, *tok.ancestors) if a.dep_ in ("advcl", "relcl")), None) if tok is not None else None
        if clause is not None and clause.dep_ == "relcl" and clause.head.lemma_.lower() not in _GATHERED:
            continue
        if clause is None or not any(c.dep_ == "mark" and c.lower_ in ("after", "because", "since") for c in clause.children):
            return False
    return bool(cas.trace)


# Verbs of a comment on an event: what they take as object is the event commented on (lemmas).
COMMENT_VERBS = frozenset("condemn denounce deplore decry praise hail commend salute welcome".split())


def commented(parse: Any, start: int) -> bool:
    """The event word at `start` is what a comment is about ("condemned the attack", "praised the
    soldiers who foiled the plot"): the object of a comment verb, or inside that object."""
    t = token_at(parse, start)
    while t is not None and t.head.i != t.i:
        if t.dep_ in ("dobj", "pobj") and t.head.lemma_.lower() in COMMENT_VERBS:
            return True
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") or t.dep_ in ("ccomp", "advcl"):
            return False  # ("condemned the attack and said troops killed two gunmen": told, not commented)
        t = t.head
    return False


def warm_up(gazetteer: Any, *, nlp: Any = None) -> None:
    """Loads everything extraction loads lazily (the parser, the trained models, the conflict
    files, word statistics) by extracting one short article: a worker that has warmed up
    answers its first real article as fast as its hundredth."""
    build_incidents(WARM_UP, gazetteer, nlp=nlp)


class _Builder:
    def __init__(self, article: Article, gazetteer: Any, mentions: list[Mention]):
        self.article = article
        self.text = article.text
        self.gaz = gazetteer
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.published = article.published
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.last_attr: Attribution | None = None
        self.last_actors: tuple[str | None, str | None] = (None, None)
        self.dateline: Mention | None = None
        self.last_when: DateSpan | None = None
        self.dateline_para = -1
        self.first_para = -1  # the lede: the first paragraph that says anything
        self.items: list[tuple[int, Span, Span, int, bool]] = []  # paragraph, sentence, clause, parts, first of para
        self.events: list[tuple[Span, EventKind | None]] = []  # each clause and what it reports
        self.wanted: list[str] = []  # the texts of the clauses to parse
        self.unknown: list[Mention] = []  # place names nothing in the gazetteer fits ("near Tal Tamr")
        self.title_places: Callable[[], list[Mention]] = list
        self._para = 0
        self.said: list[Attribution] = []  # every attribution so far, for "the ministry said"
        self.last_event: EventKind | None = None  # the last act told, even in a sentence that made no incident
        self.attackers: list[str] = []  # actor1 of every violent clause, for incidents that name none
        self.actor_traces: dict[int, Any] = {}  # clause id -> how its actors were chosen
        self.countries = {m.place.country for m in self.mentions if m.place and m.place.country}

    # --- reading -------------------------------------------------------------------------

    def prepare(self) -> list[str]:
        """Splits the article into clauses and finds what each reports; returns the texts of the
        clauses to parse (those that report something: the dependency parse is for counts and
        dates). `read` then reads them in order, given their parses."""
        items: list[tuple[int, Span, Span, int, bool]] = []
        for pi, para in enumerate(_paragraph_lines(self.text)):
            self._para = pi
            if is_boilerplate(para.text):
                continue
            if self.first_para < 0 and not _is_headline(para, para):
                self.first_para = pi
            first = True
            for sent in split_sentences(self.text, start=para.start, end=para.end):
                if _is_headline(sent, para):
                    continue
                sent = self._strip_dateline(sent, first=(pi == 0 or self.dateline is None and pi < 3))
                parts = [part for whole in clauses(self.text, sent) for part in self._conjuncts(whole)]
                for cl in parts:
                    items.append((pi, sent, cl, len(parts), first))
                    first = False
        self.items = items
        self.events = [(cl, classify(cl.text) or _model_event(cl.text)) for _pi, _s, cl, _n, _f in items]
        self.wanted = list(dict.fromkeys(cl.text for cl, ev in self.events
                                         if ev is not None or _CASUALTY_WORD.search(cl.text) or _THE_EVENT.match(cl.text)))
        return self.wanted

    def read(self, parses: dict[str, Any]) -> list[Incident]:
        """The article's incident drafts, read clause by clause; `parses` holds (at least) the
        parse of every text `prepare` returned."""
        items, events = self.items, self.events
        background_para = False
        for (pi, sent, cl, n, first), (_cl, event) in zip(items, events, strict=True):
            self._para = pi
            if first:
                background_para = False
            clause = self._analyse(cl, pi, event, parses.get(cl.text))
            aside = event is not None and self._relative_date(clause, sent)
            clause.aside = aside
            if n > 1:
                # A conjunct is quoted as its whole sentence, and shares the sentence's "officials said".
                clause.sentence = sent
                if clause.attribution is None:
                    clause.attribution = find_attribution(self.text, sent)
            if clause.background or (background_para and not (clause.when and clause.when.explicit)):
                background_para = background_para or clause.background
                self.current = None
                continue
            anchor = self.last_when
            self._feed(clause)
            if aside:
                self.last_when = anchor  # "..., a day after Y": the next "a day later" counts from X, not Y
        return [inc for d in self.drafts if (inc := self._finish(d)) is not None]

    def _relative_date(self, c: _Clause, sent: Span) -> bool:
        """"..., a day after a guided bomb killed a man in X" (the bomb: the day before the event
        just told); "A day later, an IED ..." (the day after the last event dated): the date comes
        from the other event, not from the publication. A date the clause states itself stands.
        True when the clause is such an aside inside another event's sentence."""
        m = _RELATIVE.match(c.span.text)
        nxt = _NEXT_DAY.match(c.span.text) if m is None and c.span.start == sent.start else None
        if (m is None and nxt is None) or self.last_when is None or (
                c.when is not None and c.when.explicit and c.when != self.last_when):
            return False
        if nxt is not None:
            days, sign = 1, 1 if (nxt.group("after") or nxt.group("after2")) else -1
            m = nxt
        else:
            days = parse_number(m.group("n")) * (7 if m.group("unit").lower().startswith("week") else 1)
            # "X, a day after Y": Y came first; "X, a day before Y": Y came after; "A day later, Y": after the last.
            sign = -1 if m.group("dir").lower() in ("after", "earlier") else 1
            if c.span.start == sent.start:
                sign = 1 if m.group("dir").lower() in ("later", "after") else -1
        base = self.last_when
        start = base.start + timedelta(days=sign * days)
        c.when = DateSpan(start, None, base.precision, explicit=True,
                          trace=f"{m.group(0)!r}: relative to the event told before ({base.start})")
        c.background = False  # dated from the news just told ("two days after" is no history)
        return c.span.start != sent.start  # an aside in another event's sentence

    def _conjuncts(self, span: Span) -> list[Span]:
        """"Drones hit Kharkiv, and a missile struck Dnipro": two clauses when each names an act and a place."""
        cut = None
        came = _CAME.match(span.text)
        if came is not None:
            right = Span(span.text[came.end():], span.start + came.end(), span.end)
            if _names_event(right):
                left = span.text[:came.end()].rstrip()
                return [Span(left, span.start, span.start + len(left)), *self._conjuncts(right)]
        for m in _CONJUNCT.finditer(span.text):
            left = Span(span.text[:m.start()], span.start, span.start + m.start())
            right = Span(span.text[m.end():], span.start + m.end(), span.end)
            # "X, a day before shelling wounded four in the city's al-Hasab neighbourhood": the
            # aside is its own event even where the place it names is not in the gazetteer
            if _has_event_and_place(left, self.mentions) and (
                    _has_event_and_place(right, self.mentions) or _RELATIVE.match(right.text) and _names_event(right)):
                cut = (left, right)
                break
        if cut is None:
            return [span]
        return [cut[0], *self._conjuncts(cut[1])]

    def _strip_dateline(self, sent: Span, *, first: bool) -> Span:
        if not first:
            return sent
        m = _DATELINE.match(sent.text)
        if not m or not re.search(r"[A-Z]{3}", m.group("place")):
            return sent
        start = sent.start + m.end()
        for mention in self.mentions:
            if sent.start <= mention.start < start and self.dateline is None:
                self.dateline = mention
                self.dateline_para = self._para
        return Span(self.text[start:sent.end], start, sent.end)

    def _analyse(self, span: Span, para: int, event: EventKind | None, parse: Any = None) -> _Clause:
        """One clause read: its event (given), attribution, and for a clause that reports
        something, its date, counts, tense and background from its dependency parse."""
        s = span.text
        attr = find_attribution(self.text, span)
        if parse is None:
            # Nothing happens in this clause: only who is speaking can matter to the next one.
            history = background_year(s, self.published) is not None  # "The war began in 2014."
            return _Clause(span, para, None, Casualties(), None, False, history, attr, [])
        cas = parse_casualties(parse)
        support = _SUPPORTING.search(s[:event.start]) if event is not None and event.event_type == REMOTE else None
        if support is not None:
            # "The operation was supported by airstrikes from US forces.": the strikes are part of
            # the operation told, not an event of their own (its toll, next, is the operation's);
            # "troops backed by air strikes attacked TNLA positions": the attack is the event.
            event = _classify_without(s, support.start(), event.end)
        if event is not None and event.event_type not in (PROTESTS, RIOTS, DIPLOMACY):
            # (a riot's burning and stoning are the gathering's own acts, not what it mourns)
            rally = mourning(parse, event.start, event.end)
            if rally is not None:
                # "Mourners marched in Nuseirat for the three men killed there in an air strike":
                # the march is the event; the strike and its dead are what it is about.
                sub = "Protest with intervention" if police_intervened(s) else "Peaceful protest"
                event = EventKind(PROTESTS, sub, rally.text, rally.idx, rally.idx + len(rally.text), 2)
                cas = Casualties()
        if event is not None:
            event = _main_clause_event(s, parse, event)
        if event is not None and event.event_type in (PROTESTS, RIOTS) and cas.found and _grievance(parse, cas):
            cas = Casualties()  # "stoned police vehicles after a rider was killed by a lorry": the cause, not the toll
        if event is None and cas.found and natural_death(s):
            cas = Casualties()  # "the prison service said he had died of natural causes": no one's toll
        if event is not None and event.event_type not in (PROTESTS, RIOTS) and not cas.found and commented(parse, event.start):
            # "The prime minister's office condemned the Turbat attack": a word on an event, not one
            # (but "condemned the attack on a market that killed five" may be all the story tells of it)
            event = None
        elif event is not None and event.sub_event_type == "Peaceful protest" and cas.found:
            if self.current is not None and self.current.event.event_type == PROTESTS and any(
                    event.trigger.lower() in link.victims.lower() for link in cas.trace):
                event = None  # "Two protesters were killed": the dead of the protest just told, not another
            else:
                # "marched to demand the return of the bodies of 11 Palestinians": a peaceful protest
                # has no dead of its own; the figures are of what it is about.
                cas = Casualties()
        trigger = token_at(parse, event.start) if event is not None else None
        when = resolve_date(parse, self.published, event=trigger)
        if when is not None and not is_explicit(parse):
            when = DateSpan(when.start, when.end, when.precision, explicit=False, reported=when.reported, trace=when.trace)
        background = is_background(parse, when, self.published, trigger)
        inside = [m for m in self.mentions if span.start <= m.start and m.end <= span.end]
        unknown = [m for m in self.unknown if span.start <= m.start and m.end <= span.end]
        return _Clause(span, para, event, cas, when, is_future(parse, event=trigger), background, attr, inside, unknown=unknown)

    # --- deciding ------------------------------------------------------------------------

    def _feed(self, c: _Clause) -> None:
        parts = self._split_counts(c)
        if parts:
            for part in parts:
                self.current = None
                self._feed_one(part)
            return
        self._feed_one(c)

    def _split_counts(self, c: _Clause) -> list[_Clause]:
        """"killed two people in Kherson and one in Beryslav": one clause per place, each with its count."""
        if c.event is None or c.event.event_type == DIPLOMACY or len(c.mentions) < 2:
            return []
        pairs: list[tuple[int, Mention]] = []
        for m in c.mentions:
            if m.place.feature not in ("city", "locality", "admin1"):
                continue
            before = self.text[max(c.span.start, m.start - 60):m.start]
            hit = _COUNT_AT.search(before)
            if hit and hit.group("n").lower() in ("a", "an") and not c.cas.found:
                continue  # "held a vigil in Maiduguri": an article, not a count, when nobody is counted
            if hit:
                n = parse_number(hit.group("n"))
                if n is not None and all(p.place != m.place for _, p in pairs):
                    pairs.append((n, m))
        if len(pairs) < 2:
            return []
        kind = "f" if c.cas.fatalities is not None else "i" if c.cas.injured is not None else None
        total = c.cas.fatalities if kind == "f" else c.cas.injured if kind == "i" else None
        if total is not None and sum(n for n, _ in pairs) != total:
            return []  # "stormed a base in Qoryoley, a town in the Lower Shabelle region, killing nine": no per-place counts
        out = []
        for n, m in pairs:
            cas = Casualties(fatalities=n if kind == "f" else None, injured=n if kind == "i" else None)
            out.append(_Clause(c.span, c.para, c.event, cas, c.when, c.future, c.background, c.attribution, [m], c.sentence))
        return out

    def _feed_one(self, c: _Clause) -> None:
        attr = c.attribution
        if attr is None and _PRONOUN_SAYS.search(c.span.text) and self.last_attr is not None:
            noun = _PRONOUN_SAYS.search(c.span.text).group(0).lower().lstrip(", ")
            attr = next((a for a in reversed(self.said) if any(w in a.who.lower() for w in noun.split()[1:2])), self.last_attr)
        elif attr is not None and _ANAPHOR.fullmatch("the " + attr.who.lower()):
            noun = attr.who.lower()
            earlier = next((a for a in reversed(self.said) if noun in a.who.lower() and a.who.lower() != noun), None)
            attr = earlier or attr
        if attr is not None:
            self.said.append(attr)
        event, cas = c.event, c.cas
        cur = self.current
        if event is not None and event.sub_event_type == "Excessive force against protesters" and cur is not None \
                and cur.event.event_type not in (PROTESTS, RIOTS) and c.para - cur.first.para <= 1 \
                and not people_gathered(c.span.text):
            # "Settlers attacked homes in X. Five Palestinians were hurt, two of them by live fire": the
            # attack's wounded; live fire on no one gathered is no force against protesters
            event = None
        live_fire = live_fire_on(c.span.text)
        if ((event is None or event.strength == 0 or event.sub_event_type in ("Arrests", "Protest with intervention")
             or live_fire and event.event_type in (CIVILIANS, PROTESTS))
                and cur is not None and cur.event.event_type == PROTESTS and cur.first.para == c.para
                and (police_intervened(c.span.text) and cur.event.sub_event_type != "Excessive force against protesters"
                     or event is not None and event.sub_event_type == "Arrests" and not c.mentions
                     and cur.event.sub_event_type != "Peaceful protest")):
            # "Police fired tear gas to disperse them (and detained 14 protesters, wounding five)": the
            # protest just told met intervention; its arrests and wounded are part of it. Live fire
            # on it ("opened gunfire to disperse the protesters") is force against it; "Twelve others
            # were arrested" after it are its arrests.
            sub = "Excessive force against protesters" if live_fire or cur.event.sub_event_type == \
                "Excessive force against protesters" else "Protest with intervention"
            cur.event = replace(cur.event, sub_event_type=sub)
            cur.links.append(f"{'live fire' if live_fire else 'intervention'}: {c.quote.text[:80]!r}")
            event = None
        if cur is not None and cur.event.event_type == RIOTS and cur.first.para == c.para and not c.mentions and (
                (event is None or event.strength == 0 or live_fire and event.event_type in (CIVILIANS, PROTESTS))
                and police_intervened(c.span.text) or event is not None and event.sub_event_type == "Arrests"):
            # "Residents stoned the city hall. Police fired live rounds to disperse them, killing a young
            # man": the riot just told, and its dead; "Twenty people were arrested and four police
            # officers were hurt by stones": its arrests and its wounded
            cur.links.append(f"{'live fire' if live_fire else 'intervention'} on the riot: {c.quote.text[:80]!r}")
            event = None
        if (event is None or event.strength == 0) and cur is not None and cur.event.sub_event_type in (
                "Arrests", "Change to group/activity") and c.para - cur.first.para <= 1 and _HELD_WHERE_UNKNOWN.search(c.span.text):
            # "Taliban intelligence detained a former prosecutor at her home. Her family has been
            # unable to find out where she is being held": a forced disappearance, told after the arrest
            # (or after men taken for conscription: "Their families were not told where they were sent")
            cur.event = replace(cur.event, event_type=CIVILIANS, sub_event_type="Abduction/forced disappearance")
            cur.links.append(f"type: a forced disappearance, where the detainee is held is not known: {c.quote.text[:80]!r}")
            event = None
        if event is None and not cas.found:
            if cur is not None and cur.when is not None and cur.when.reported and c.when is not None and c.when.explicit \
                    and not c.when.reported and _THE_EVENT.match(c.span.text):
                # "raised the toll to 14 on Thursday. The fighting broke out on Wednesday morning":
                # the day of the event told, for an incident dated only by its report
                cur.when = c.when
                cur.links.append(f"date: {c.quote.text[:60]!r}")
            if attr is not None and cur is not None:
                self._attribute(cur, attr, force=False)
            if attr is not None:
                self.last_attr = attr
            return
        if event is not None and event.event_type != DIPLOMACY and c.future:
            return  # threats and forecasts are not events
        located = choose_location(self.text, c.span, c.mentions, attribution=attr, dateline=self.dateline)
        if (event is None or event.strength == 0) and cas.correction:
            # "The death toll from the bombing in Bajaur rose to 23 on Sunday", "A fourth died on
            # Monday, raising the toll to four": the toll of an event already told, whatever day
            # the new figure came; its date is the report's.
            told = next((d for d in reversed(self.drafts) if located is None or (
                d.place is not None and same_place(located[0], d.place))), None)
            if told is not None:
                when, c.when = c.when, None
                self._add(told, c, None, attr, None, None)
                told.links.append(f"revised toll: {c.quote.text[:80]!r}" + (f" (reported {when.start})" if when else ""))
                if attr is not None:
                    self.last_attr = attr
                return
        a1, a2 = self._actors(c, located)
        if event is not None and event.event_type == DIPLOMACY:
            a1, a2 = actors_mod.diplomacy_actors(c.span.text, event.sub_event_type, event.start)
        if a1 and event is not None and event.event_type not in (DIPLOMACY, PROTESTS, RIOTS) \
                and event.sub_event_type != "Disrupted weapons use":
            self.attackers.append(a1)  # (the crowd of a riot attacks nobody in the next incident)
        if event is not None and event.strength >= 1 and event.event_type != DIPLOMACY:
            self.last_event = event
        several = _SEVERAL_REGIONS.search(c.span.text)
        if several and several.group(0).lower().startswith("other") and located is not None and \
                located[0].feature in ("city", "locality") and located[1].start < c.span.start + several.start():
            several = None  # "teachers protested in Idleb city, demanding pay to match that in other provinces"
        near = _NEAR_ONE.match(c.span.text, several.end()) if several else None
        if several and event is not None and not (located is not None and near and (
                located[0].feature in ("city", "locality")
                # "stormed several villages near Al Gitaina (Al Gitaina, White Nile)": one place, which
                # the gazetteer lacks (the incident goes on the region that frames it)
                or any(u.start == c.span.start + near.end() - 1 for u in c.unknown))):
            # "58 drones over several regions and Crimea": a total across places, not one incident;
            # "attacks on three villages near Bokkos" is one, at the place the villages are near.
            self.current = None
            self.last_actors = (a1, a2)
            if attr is not None:
                self.last_attr = attr
            return

        ana = _ANAPHORIC_PLACE.search(c.span.text)
        anaphoric = bool(self.current is not None and ana and (located is None or c.span.start + ana.start() < located[1].start))
        # "killed by artillery fire during the fighting": the event already told, whatever the weapon.
        anaphoric = anaphoric or bool(self.current is not None and located is None and (
            _ANAPHORIC_EVENT.search(c.span.text) or _THE_EVENT.match(c.span.text)))  # ("The fighting broke out on ...")
        if anaphoric:
            located = None  # "on the northern edge of the town": the town already told
        if c.when is None and event is not None and self.last_when is not None:
            c.when = DateSpan(self.last_when.start, self.last_when.end, self.last_when.precision, explicit=False)
        if c.when is not None and c.when.explicit and event is not None:
            self.last_when = c.when
        if self._refines(c, event, located):
            cur = self.current
            cur.links.append(f"place: {located[1].text!r}, in the {cur.place.feature} told, where the next sentence "
                             f"puts the same event")
            cur.place, cur.mention, cur.precision = located
            located = None
            if event is not None and not _compatible(cur.event, event):
                event = None  # (what else it names, "before reinforcements arrived", is part of the telling)
        if located is not None and (self.current is None or self.current.place is None
                                    or not same_place(located[0], self.current.place)):
            # Stories interleave: "a woman was injured in Klintsy" belongs to the Bryansk interception told earlier.
            for earlier in reversed(self.drafts):
                if earlier.place is None or earlier.place.feature in ("region", "country"):
                    continue  # a vague summary ("in southern and northern Ukraine") is not a place to add to
                inside = (earlier.place.feature == "admin1" and located[0].admin1_code == earlier.place.admin1_code
                          and event is not None and event.sub_event_type == earlier.event.sub_event_type)
                if (inside or same_place(located[0], earlier.place)) and (
                        event is None or _compatible(earlier.event, event)) and not (
                        _other_day(c.when, earlier.when)):
                    self.current = earlier
                    located = None  # told already: the earlier incident's place stands
                    break
        cur = self.current
        if located is not None and event is not None and cur is not None and cur.place is None and len(cur.quotes) == 1 \
                and _QUOTED_LEDE.match(cur.first.span.text) and (cur.event.event_type in VIOLENT) == (event.event_type in VIOLENT):
            # '"They waited for us in the cane fields," said a sergeant who survived the ambush': a
            # lede in a witness's words tells the event the next sentence places, dates and types
            cur.place, cur.mention, cur.precision = located
            cur.event = event
            cur.links.append(f"place: {located[1].text!r}, where the next sentence puts the event the quoted lede tells")
            if c.when is not None and c.when.explicit:
                cur.when = c.when
            located = None
        # "The herders pursued the raiders and the two sides exchanged fire in the Suguta valley": back on
        # the people just told, the same event goes on, wherever it moved
        if located is None and cur is not None and cur.event.event_type == BATTLES and event is not None \
                and event.sub_event_type == "Attack" and c.para - cur.first.para <= 1 and _combatants_killed(cas):
            # "Police exchanged fire with rustlers near X. Two of the rustlers were shot dead": the
            # fight's dead, not an attack on them
            cur.links.append(f"toll: armed men killed in the fight told: {c.quote.text[:80]!r}")
            event = None
        same_people = located is None and cur is not None and _told_people(c.span.text, cur.first.span.text)
        here = (located is None and not (event is not None and event.strength >= 1 and self._unplaced_where(c) is not None)) or (
            located is not None and cur is not None and cur.place is not None and same_place(located[0], cur.place)) or same_people
        anaphoric = anaphoric or same_people
        attach = cur is not None and here and (event is None or anaphoric or _compatible(cur.event, event)) and not (
            _other_day(c.when, cur.when))
        if event is None or event.strength == 0:
            if not attach:
                story = cur.event if cur is not None else self.last_event
                if story is not None and story.event_type not in VIOLENT and story.sub_event_type != "Disrupted weapons use":
                    story = None  # deaths are not typed after arrests or a protest told before them (a shoot-down's are)
                if located is None or story is None or (cur is None and not (cas.found and self.attackers)):
                    if not (event is not None and located is not None and a1 and any(
                            link.rule.startswith("active") for link in cas.trace)):
                        return  # "a man died" with no act named and no attack being told: not ours to type
                    # "Israeli forces killed three Palestinians in the Jenin camp": an armed actor
                    # that killed or wounded (the count's own verb, active) and a place make the bare
                    # verb an event (a later clause may name the act); "died" does not
                    story = event
                event = story  # "two people were killed in Pokrovsk" in a story of Russian attacks
        elif event.strength == 1 and not attach and not (cas.found or a1):
            return  # "the tragedy to hit our department": a bare "hit" needs a toll or an armed actor
        if attach and cur is not None:
            self._add(cur, c, event, attr, a1, a2)
        else:
            # An event with no place yet is kept: a later clause or the attribution may say where.
            draft = _Draft(event=event, place=located[0] if located else None,
                           mention=located[1] if located else None,
                           precision=located[2] if located else 3, when=c.when, first=c)
            draft.told_by = self.attackers[-1] if self.attackers else None
            draft.historical = bool(c.when and self.published and c.when.start < self.published - timedelta(days=HISTORICAL_DAYS))
            self._add(draft, c, None, attr, a1, a2)
            self.drafts.append(draft)
            self.current = draft
        if attr is not None:
            self.last_attr = attr
        self.last_actors = (a1 or self.last_actors[0], a2 or self.last_actors[1])

    def _add(self, d: _Draft, c: _Clause, event: EventKind | None, attr: Attribution | None,
             a1: str | None, a2: str | None) -> None:
        later = bool(d.quotes)  # not the clause that opened the incident
        if later and c.quote not in d.quotes:
            what = [w for w, v in (("killed", c.cas.fatalities is not None or c.cas.fatalities_note),
                                   ("injured", c.cas.injured is not None or c.cas.injured_note),
                                   ("date", c.when is not None and c.when.explicit), ("source", attr is not None))
                    if v]
            d.links.append(f"joined: {c.quote.text[:80]!r}" + (f" (gave {', '.join(what)})" if what else ""))
        if c.quote not in d.quotes:
            d.quotes.append(c.quote)
        # A clause that names the weapon where the first only said "struck" re-tells the event.
        describes = later and c.event is not None and c.event.strength > d.event.strength
        if event is not None and event.event_type == RIOTS and d.event.event_type == PROTESTS:
            d.event = event  # the demonstrators burned tires or stoned the police: a violent demonstration
        elif event is not None and event.event_type == BATTLES and event.strength >= 2 and d.event.sub_event_type == "Attack":
            # "raided a house ... 3 IS members were killed in the gunfight": its targets fought back, a battle
            d.event = event
        elif event is not None and event.strength > d.event.strength and (event.event_type != DIPLOMACY) == (
                d.event.event_type != DIPLOMACY) and event.sub_event_type != "Disrupted weapons use" and not (
                event.event_type == STRATEGIC and d.event.event_type in VIOLENT):
            # "a strike hit the city" then "the missile ...": the weapon names the type; not "the
            # attackers set fire to shelters": what an attack also destroyed is part of it.
            d.event = event
        cas = self._ordinal(d, c.cas)
        brought = False
        for field, word in (("fatalities", "killed"), ("injured", "injured")):
            count, note = getattr(cas, field), getattr(cas, f"{field}_note")
            if count is None and not note:
                continue
            # The first report of a figure stands unless this clause corrects it, or adds to it
            # ("Two attackers also died": the other side's dead, after three policemen).
            if count is not None and getattr(d, field) is not None and not cas.correction and (
                    _ALSO[field].search(c.span.text) or (field == "fatalities" and (
                        c.event is None or c.event.event_type == BATTLES or c.event.strength == 0) and _other_side(d, cas))):
                setattr(d, field, getattr(d, field) + count)
                d.count_rules.extend(str(link) for link in getattr(cas, "trace", ()) or ())
                d.links.append(f"count: {count} more {word} ('also'): {c.quote.text[:60]!r}")
                brought = True
            elif getattr(d, field) is None and not any(word in n for n in d.notes) or cas.correction or (
                    count is not None and getattr(d, field) is not None and count > getattr(d, field)
                    and any(n.startswith(_LOWER_BOUNDS) and n.endswith(word) for n in d.notes)
                    and not _other_side(d, cas) and not _CLAIM.search(c.span.text)
                    and not any(link.claimed for link in getattr(cas, "trace", ()) or ())):
                # (and a figure told as a floor, "killing at least five", gives way to a larger one
                # told after it: "the civil defence said eight people had died")
                setattr(d, field, count)
                if note:
                    d.notes.append(f"{note} {word}")
                d.count_rules.extend(str(link) for link in getattr(cas, "trace", ()) or ())
                if not cas.correction:  # (a revised toll counts the same dead: "raising the toll to four")
                    d.victims.extend(link.victims for link in getattr(cas, "trace", ()) or () if link.victims)
                brought = True
        if cas.correction:
            d.notes.append("corrected toll")
        counted = bool(cas.fatalities or cas.injured or cas.fatalities_note or cas.injured_note)
        if attr is not None:
            # Whoever gives the figures is the source, unless an earlier sentence already gave some.
            # (a side note such as "debris injured a woman, the governor said" does not take over).
            self._attribute(d, attr, force=brought and counted and describes and not d.has_cas)
        d.has_cas = d.has_cas or brought
        if c.when is not None and (d.when is None or (not d.when.explicit and c.when.explicit) or (
                d.when.reported and c.when.explicit and not c.when.reported)):
            d.when = c.when  # (a day the event is told on gives way to the day it happened)
        if a1 and not d.actor1:
            d.actor1 = a1
        elif a1 and a1 != d.actor1 and not d.actor2 and d.event.event_type == "Battles":
            d.actor2 = a1  # the other side, named in a later sentence
        if a2 and not d.actor2 and a2 != d.actor1:
            d.actor2 = a2
        if d.place is None:
            located = choose_location(self.text, c.span, c.mentions, attribution=attr, dateline=self.dateline)
            if located:
                d.place, d.mention, d.precision = located

    def _refines(self, c: _Clause, event: EventKind | None, located: tuple[Place, Mention, int] | None) -> bool:
        """"Militants attacked an army checkpoint in Diyala province late on Saturday. The militants
        opened fire ... on the checkpoint, north-east of Muqdadiyah": the next sentence, back on the
        same attackers or target, names the town in the province told; the incident is there."""
        cur = self.current
        if cur is None or located is None or cur.place is None or cur.place.feature not in ("admin1", "admin2") \
                or located[0].feature not in ("city", "locality") or len(cur.quotes) != 1 \
                or c.para - cur.first.para > 1 or not _THE_SAME.match(c.span.text) or _other_day(c.when, cur.when):
            return False
        if event is not None and event.strength >= 1 and not _compatible(cur.event, event) and (
                event.event_type in VIOLENT or cur.event.event_type not in VIOLENT):
            return False  # (an attack retold may name a move of troops; not another attack)
        return same_place(cur.place, located[0]) if cur.place.feature == "admin1" else \
            self.gaz.within(located[0], cur.place)

    def _attribute(self, d: _Draft, attr: Attribution, *, force: bool) -> None:
        if d.attribution is None or force:
            d.attribution = attr.who
        if attr.region and not d.region_hint:
            d.region_hint = attr.region

    # --- where -----------------------------------------------------------------------------

    # --- who -----------------------------------------------------------------------------

    def _actors(self, c: _Clause, located: tuple[Place, Mention, int] | None) -> tuple[str | None, str | None]:
        sub = c.event.sub_event_type if c.event else None
        country = located[0].country if located else None
        demonym = getattr(self.gaz, "demonym", None)
        choice = actors_mod.choose_actors(c.span.text, sub_event_type=sub, location_country=country, demonym=demonym)
        a1, a2 = choice.names
        self.actor_traces[id(c)] = choice.trace()
        if a1 is None and self.last_actors[0] and sub == "Disrupted weapons use":
            a1 = self.last_actors[0]
            if a2 is None and country:
                a2 = actors_mod.FORCES.get(country)
        if c.event is not None and c.event.event_type == "Battles" and a1 and not a2:
            a2 = actors_mod.second_force(c.span.text, a1)
        return a1, a2

    def _country_actor(self, country: str | None) -> str | None:
        """The attacker the article names for other incidents in the same country, if just one."""
        seen = {d.actor1 for d in self.drafts if d.actor1 and d.event.event_type not in (DIPLOMACY, PROTESTS, RIOTS)
                and d.place is not None and d.place.country == country and d.event.sub_event_type != "Disrupted weapons use"}
        if not seen:
            seen = set(self.attackers)  # from sentences that made no incident ("launched 400 attacks on 12 settlements")
        return seen.pop() if len(seen) == 1 else None

    # --- out -------------------------------------------------------------------------------

    @staticmethod
    def _ordinal(d: _Draft, cas: Casualties) -> Casualties:
        """"A third victim died on Sunday" makes a toll of two into three; but "a fourth member of the
        unit was wounded", after three killed, is one wounded: an ordinal counts on from the
        figure of its own kind only."""
        links = getattr(cas, "trace", ()) or ()
        nth = next((link for link in links if link.rule.endswith("+ordinal")), None)
        if nth is None:
            return cas
        field = "fatalities" if nth.kind == "killed" else "injured"
        if (getattr(d, field) or 0) == nth.value - 1:
            return cas  # (the clause updates the toll; its other figure, if any, is the update's too)
        one = replace(nth, value=1, correction=False)
        return replace(cas, **{field: 1}, correction=False, trace=tuple(one if link is nth else link for link in links))

    def _unplaced_where(self, c: _Clause) -> str | None:
        """The place the gazetteer lacks where the clause's act happened ("militants attacked a
        military post at Kerawa"), or None: the act is not the event told before, wherever
        that was, nor in a town named earlier."""
        return self._names_elsewhere(c) or self._names_elsewhere(c, _AT_NAME, town_parts=False) or \
            self._names_elsewhere(c, NAME_LOCATED)

    def _names_elsewhere(self, c: _Clause, pattern: re.Pattern[str] = _LOCATIVE_NAME, *,
                         town_parts: bool = True) -> str | None:
        """A place the clause names where the event was ("east of Deir al-Balah", "near Tal
        Tamr") that nothing could place: then the dateline is not where it happened. Without
        `town_parts`, a square or hospital ("at Al-Shifa Hospital") does not count: it is in a town."""
        for m in pattern.finditer(c.span.text):
            start, name = c.span.start + m.start("name"), m.group("name")
            if name.split()[0].lower() in CALENDAR_WORDS:
                continue  # "on Sunday, north of Mogadishu"
            if not any(x.start <= start < x.end for x in self.mentions) and not actors_mod.actor_spans(name) and (
                    town_parts or not (_PART_NAME_END.search(name) or _PART_WORD_AFTER.match(c.span.text, m.end()))):
                return name
        return None

    def _city_part(self, place: Place) -> Place | None:
        """For a direction of a province ("western Kabul"), the city of the province's name, or None."""
        of = (place.raw or {}).get("of")
        if (place.raw or {}).get("match") != "direction" or not of or not place.admin1_code:
            return None
        return next((p for p in self.gaz.candidates(of, country=place.country, limit=10)
                     if p.feature in ("city", "locality") and p.admin1_code == place.admin1_code
                     and self.gaz.province_named_after(p) is not None), None)

    def _this_town(self, d: _Draft, place: Place) -> bool:
        """The clause says "this town" of the dateline's town and names only an area holding it."""
        home = self.dateline.place if self.dateline is not None else None
        if home is None or home.feature not in ("city", "locality") or \
                place.feature not in ("admin1", "region", "country"):
            return False
        inside = place.country == home.country and (place.feature != "admin1" or place.admin1_code == home.admin1_code)
        return inside and bool(_THIS_TOWN.search(d.first.span.text))

    def _finish(self, d: _Draft) -> Incident | None:
        place, mention, precision = d.place, d.mention, d.precision
        # "gathered in Martyrs' Square": a square or street the gazetteer lacks is in the story's town
        town_part = bool(_TOWN_PART_NAME.search(d.first.span.text)) and all(
            _PART_NAME_END.search(m.text) for m in d.first.unknown)
        if place is not None and place.feature == "country" and d.event.event_type == DIPLOMACY:
            # talks and visits are in a city: "opened in Djibouti" is the capital named like its country
            city = next((p for p in self.gaz.candidates(place.name, country=place.country)
                         if p.feature in ("city", "locality") and p.name == place.name), None)
            if city is not None:
                d.links.append(f"place: {city.name}, the city, where talks and visits are held, not the country")
                place, precision = city, 1
        if place is not None and self._this_town(d, place):
            # "stormed a camp on the edge of this town in south-western Balochistan", datelined
            # TURBAT: the region only frames the town the story was filed from
            d.links.append(f"place: the dateline, 'this town' ({place.name} only frames it)")
            place, mention, precision = self.dateline.place, self.dateline, 1
        if place is None:
            if d.first.aside and not d.first.unknown and not town_part and not _PART_OF_TOLD.search(d.first.span.text) \
                    and not _ANAPHORIC_PLACE.search(d.first.span.text):
                # "Police dispersed rioters in Makurdi, a day after gunmen raided a village in the
                # state's west": the town the sentence names is the other event's (but "a day
                # before shelling wounded four in the city's al-Hasab neighbourhood" is in it)
                d.links.append("no place: an event told aside names none of its own")
                return None
            if d.region_hint:
                place = region_place(self.gaz, d.region_hint, None)
                precision = 3
                d.links.append(f"place: the region the reporting authority speaks for ({d.region_hint})")
            elif (unplaced := d.first.unknown[0].text if d.first.unknown else self._unplaced_where(d.first)) \
                    and not town_part and not (_PART_OF_TOLD.search(d.first.span.text) and self._told_place(d.first)):
                # "Fighting near Tal Tamr", datelined Damascus, "attacked a post at Kerawa": the event
                # is where the text says, a place we cannot put on the map; never the dateline, a
                # town told before or the headline instead.
                d.links.append(f"no place: {unplaced!r} is not in the gazetteer")
            elif d.event.event_type != DIPLOMACY and (told := self._told_place(d.first)) is not None:
                # "...taken Falam, a town in Chin state. Nine fighters were killed in the final
                # assault": the place the paragraph has just named, not where the story was filed
                # (also "in the city's Joura quarter": a part of that town the gazetteer lacks).
                place, mention, precision = told.place, told, 2 if told.place.feature == "admin2" else 1
                d.links.append(f"place: {told.text!r}, named earlier in the paragraph")
            elif _SEQUEL.match(d.first.span.text) and (before := self._draft_before(d)) is not None:
                # "A suicide bomber struck the fish market in Gwoza ... Hours later, an angry crowd
                # beat to death a young man": what followed the event told, where it happened
                place, mention, precision = before.place, before.mention, before.precision
                d.links.append(f"place: that of the incident it follows ({before.place.name})")
            elif (capital := self._capital(d.first)) is not None:
                # "In the capital, hundreds marched": the capital of the country the story is in
                place, mention, precision = capital, None, 1
                d.links.append(f"place: 'the capital' of the story's country ({capital.name})")
            elif (self.dateline is not None and self.dateline.place and self.dateline.place.feature in ("city", "locality")
                  and (d.first.para == self.dateline_para or town_part) and not self._names_elsewhere(d.first)):
                # Only the lede happens where it was filed from: "KHERSON - A drone hit a minibus ...",
                # and what happens in one of the town's squares or streets.
                place, mention, precision = self.dateline.place, self.dateline, 1
                d.links.append("place: the dateline (the lede names no other place)")
            elif self.article.title and d.first.para == self.first_para:
                named = {m.place.geonameid: m for m in self.title_places()}
                if len(named) == 1:
                    mention = next(iter(named.values()))
                    place, precision = mention.place, 1
                    d.links.append("place: the headline (the lede names none)")
            if place is None:
                return None
        elif place.feature in ("region", "country"):
            # "eastern Ukraine": narrowed to the region the reporting authority speaks for.
            region = region_place(self.gaz, d.region_hint, place.country) if d.region_hint else None
            city = self._city_part(place) if region is None else None
            if city is not None:
                # "in Pul-e Sokhta, western Kabul", "northern Kharkiv": a part of the city its province
                # is named after (the province's own parts, "western Oromia", stay too vague to map)
                d.links.append(f"place: {d.place.name}, a part of the city {city.name}")
                place, precision = city, 2
            elif region is None:
                return None
            else:
                place, precision = region, 3
                d.links.append(f"place: {d.place.name} narrowed to the region the source speaks for ({d.region_hint})")
        if d.event.event_type == DIPLOMACY and d.event.sub_event_type == "Negotiations" and place.feature == "country":
            return None
        if d.event.sub_event_type == "Attack" and d.victims and all(_ARMED.search(v) or _armed_group(v) for v in d.victims) \
                and not any(
                _UNARMED_OR_OFF_DUTY.search(q.text) or former_forces(q.text) for q in d.quotes):
            # "Militants attacked the base, killing five soldiers": an attack on armed men is a
            # battle, as ACLED codes it, not violence against civilians (unless they were off duty,
            # or former soldiers: "the body of a former army officer was found").
            d.event = replace(d.event, event_type="Battles", sub_event_type="Armed clash")
            d.links.append(f"type: an armed clash, the figures count armed men ({', '.join(d.victims)})")
        if (d.event.event_type == "Battles" and d.event.sub_event_type == "Armed clash"
                and (d.event.strength < 2 or not any(_CLASH.search(q.text) for q in d.quotes))
                and d.victims and all(_UNARMED.search(v) and not _ARMED.search(v) for v in d.victims)):
            # "rebels killed 28 people in attacks on two villages", "gunmen raided a quarry camp
            # and shot dead three workers": no clash named (a raid, an attack, or only the
            # classifier's guess from a toll), and the dead are people, not fighters
            d.event = replace(d.event, event_type="Violence against civilians", sub_event_type="Attack")
            d.links.append(f"type: an attack on civilians, no clash named and the figures count people ({', '.join(d.victims)})")
        weapon = next((w for q in d.quotes if (w := debris_weapon(q.text))), None) \
            if d.event.sub_event_type == "Disrupted weapons use" and d.fatalities else None
        if weapon is not None:
            # "shot down a drone over Hostomel, and its burning wreckage fell on a house, killing an
            # elderly man": the strike killed, whatever stopped it (as ACLED codes it)
            d.event = replace(d.event, event_type=REMOTE, sub_event_type="Shelling/artillery/missile attack"
                              if weapon == "missile" else "Air/drone strike")
            d.links.append(f"type: a {weapon} strike, its debris killed {d.fatalities}")
        actor1 = d.actor1
        if actor1 is None and d.event.event_type != DIPLOMACY:
            actor1 = d.told_by or self._country_actor(place.country)
        when = d.when
        event_date = when.start if when else self.published
        if event_date is None:
            return None
        first = d.first.span
        quote = " ".join(q.text for q in sorted(set(d.quotes), key=lambda q: q.start))
        inc_id = _incident_id(self.article.id, first.start, place, d.event.sub_event_type)
        admin1 = place.admin1 if place.feature != "admin1" else (place.admin1 or place.name)
        incident = Incident(
            id=inc_id,
            lat=place.lat,
            lon=place.lon,
            event_date=event_date,
            event_date_end=when.end if when else None,
            time_precision=when.precision if when else 1,
            event_type=d.event.event_type,
            sub_event_type=d.event.sub_event_type,
            actor1=actor1,
            actor2=d.actor2 if d.actor2 != actor1 else None,
            fatalities=d.fatalities,
            injured=d.injured,
            casualty_note="; ".join(dict.fromkeys(d.notes)) or None,
            location=place.name,
            mention=mention.text if mention else place.name,
            country=place.country,
            admin1=admin1,
            admin1_code=place.admin1_code,
            geonameid=place.geonameid,
            geo_precision=precision,
            attribution=d.attribution,
            quote=quote,
            source=self.article.source,
            source_url=self.article.url,
            published=self.published,
            article_id=self.article.id,
            historical=d.historical,
        )
        incident.sources = [source_entry(incident, trace=self._trace(d, mention, precision, when))]
        return incident

    def _draft_before(self, d: _Draft) -> _Draft | None:
        """The incident told just before `d`, in its paragraph or the one before, when it has a place."""
        before = [e for e in self.drafts if e is not d and e.first.span.start < d.first.span.start]
        last = max(before, key=lambda e: e.first.span.start, default=None)
        if last is None or last.place is None or d.first.para - last.first.para > 1:
            return None
        return last

    def _capital(self, c: _Clause) -> Place | None:
        """The capital the clause says the event was in ("in the capital", "across the capital"),
        of the dateline's country, else of the one country the article's places are in."""
        if not _IN_CAPITAL.search(c.span.text):
            return None
        if self.dateline is not None and self.dateline.place is not None:
            countries = {self.dateline.place.country}
        else:
            countries = {m.place.country for m in self.mentions if m.place.country and m.place.score >= 0.9}
        if len(countries) != 1:
            return None
        capital_place = getattr(self.gaz, "capital_place", None)
        return capital_place(next(iter(countries))) if capital_place is not None else None

    def _told_place(self, c: _Clause) -> Mention | None:
        """The last town or district the clause's paragraph names before it (not the dateline,
        not where someone spoke), when the paragraph names just one."""
        para = next((p for p in _paragraph_lines(self.text) if p.start <= c.span.start < p.end), None)
        if para is None:
            return None
        named = [m for m in self.mentions if para.start <= m.start < c.span.start and m.place.feature in (
            "city", "locality", "admin2") and (self.dateline is None or m.start != self.dateline.start)
            and not speaker_place(self.text, m, start=para.start)
            and not far_reference(self.text[max(para.start, m.start - 60):m.start])]  # "70 km west of Makurdi"
        if len({m.place.geonameid or m.place.name for m in named}) > 1:
            # "police at a roadblock in Maua town (Igembe South, Meru) found rifles in a pickup heading
            # to Isiolo": the units in brackets frame the town, and a place travelled to is not where
            # anything happened; the one town left is the paragraph's setting
            named = [m for i, m in enumerate(named) if not _TOWARDS.search(self.text, max(para.start, m.start - 30), m.start)
                     and not (i and _in_brackets(self.text[named[0].end:m.start]))]
        return named[-1] if named and len({m.place.geonameid or m.place.name for m in named}) == 1 else None

    def _trace(self, d: _Draft, mention: Mention | None, precision: int, when: DateSpan | None) -> dict[str, Any]:
        """Why this article gave this incident: what decided each field."""
        ev = d.event
        out: dict[str, Any] = {
            "sentence": d.first.quote.text,
            "trigger": {"text": ev.trigger, "start": ev.start, "end": ev.end, "strength": ev.strength},
            "event_type": _event_trace(d.first.quote.text, ev),
            "place": {"mention": mention.text if mention else None, "geo_precision": precision,
                      "why": mention.trace if mention is not None else None,
                      **({"offset": f"{d.place.raw['km']:g} km on bearing {d.place.raw['bearing']:g} from {d.place.raw['from']}"}
                         if d.place is not None and d.place.raw.get("match") == "offset" else {})},
            "date": {"start": when.start.isoformat(), "end": when.end.isoformat() if when.end else None,
                     "precision": when.precision, "stated": when.explicit, "rule": when.trace,
                     **({"of": "the report (no date of the event)"} if when.reported else {})} if when else
                    {"from": "the publication date"},
            "counts": {"fatalities": d.fatalities, "injured": d.injured, "notes": list(dict.fromkeys(d.notes)),
                       "rules": list(dict.fromkeys(d.count_rules))},
            "actors": self.actor_traces.get(id(d.first)),
            "links": d.links,
        }
        return out


def _main_clause_event(s: str, parse: Any, event: EventKind) -> EventKind:
    """The event a clause tells when its trigger sits in a part that only describes or frames it.
    "Army chiefs met in N'Djamena to discuss the task force, which was weakened when Niger pulled
    out of it last year": the trigger a relative clause holds tells about a noun; the event the
    rest of the clause names (the meeting), if any, is the one told. Likewise a participle before
    a noun ("a kidnapped farmer"), a truce or movement in an adverbial clause beside deaths, and a
    killing in an "after" clause that set off the riot the rest tells."""
    if event.event_type in (PROTESTS, RIOTS):
        return event  # "detained students who had marched through the town": the crowd police met is the event
    tok = token_at(parse, event.start)
    if tok is None or not tok.doc.has_annotation("DEP"):
        return event
    base = parse[0].idx
    if tok.dep_ == "amod" and (tok.tag_ == "VBN" or tok.text.lower().endswith(("ed", "en"))) and event.end - event.start == len(tok.text):
        # "2 of the suspects were killed and a kidnapped farmer was rescued": a participle that
        # describes someone tells what had happened to them, not the event of this clause (but an
        # "improvised explosive device" or a "guided bomb" is the weapon)
        other = _classify_without(s, tok.idx - base, event.end)
        return other if other is not None else event
    for sub in (tok, *tok.ancestors):
        cause = sub.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("after", "because", "since") for c in sub.children)
        if sub.dep_ != "relcl" and not (sub.dep_ == "advcl" and (cause or event.event_type not in VIOLENT)
                                        and event.sub_event_type != "Disrupted weapons use"):
            continue  # ("two soldiers were killed when militants attacked their post": the attack is the event;
            # "a woman was injured when debris hit a building": the shoot-down the debris fell from is)
        start, end = sub.left_edge.idx - base, sub.right_edge.idx + len(sub.right_edge.text) - base
        if not 0 <= start < end <= len(s):
            return event
        other = _classify_without(s, start, end)
        if sub.dep_ == "relcl":
            return other if other is not None and other.strength >= 1 else event
        if other is not None and event.event_type in VIOLENT and other.event_type in (PROTESTS, RIOTS):
            # "drivers blocked the roads with burning tyres after an officer shot dead a colleague":
            # the riot is the event; the killing that set it off is its cause
            return other
        if other is not None and event.event_type not in VIOLENT and other.event_type in VIOLENT:
            # "4 people were killed before elders and police arranged a ceasefire": the deaths are
            # the event; the truce that ended their fight is told around them
            return other
    return event


def _classify_without(s: str, start: int, end: int) -> EventKind | None:
    """The event `s` names once the words between `start` and `end` are blanked (offsets kept)."""
    return classify(s[:start] + " " * (end - start) + s[end:])


# The classifier alone opens an event (no trigger rule named one) only when it is this sure the
# clause reports one, and only for the kinds trigger words miss most: movements of forces,
# arrests, agreements, looting, bases ("Al Shabaab gathered in Maqdas village"), territory
# taken ("had taken full control of Falam").
MODEL_ONLY_MAX_NONE = 0.2
TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
MODEL_ONLY_MIN_PROBABILITY = 0.6


# Victims who were armed: soldiers, police, fighters of any side.
_ARMED = re.compile(r"\b(?:armed\s+m[ae]n|soldiers?|troops|servicem[ae]n|servicewom[ae]n|police(?:m[ae]n|wom[ae]n)?|police\s+officers?|"
                    r"officers?|guards?|militants?|fighters?|insurgents?|rebels?|gunmen|attackers|raiders?|bandits?|"
                    r"rustlers?|vigilantes?|reservists?|militiam[ae]n|"
                    r"jihadists?|commanders?|personnel|recruits|conscripts|rangers?|gendarmes?|marines?|paratroopers?|"
                    r"peacekeepers?|(?:security|government)\s+forces|(?:the|his|their|its)\s+(?:unit|battalion|brigade|platoon|squad))\b", re.I)


# More dead or wounded told as an addition: "Two attackers also died".
# The sides of a battle, as its victims are named: armed men against soldiers and police.
_SIDE = {
    "forces": re.compile(r"\b(?:soldiers?|troops?|servicem[ae]n|police(?:m[ae]n|wom[ae]n)?|officers?|guards?|"
                         r"gendarmes?|marines?|commandos?|personnel|(?:security|government|state|armed|defen[cs]e)\s+forces)\b", re.I),
    "fighters": re.compile(r"\b(?:militants?|fighters?|rebels?|insurgents?|gunmen|assailants?|attackers?|jihadists?|"
                           r"bandits?|raiders?|members?(?!\s+of\s+(?:[\w'’-]+\s+){0,3}?(?:security|government|state|armed|"
                           r"defen[cs]e)\s+forces))\b", re.I),
}


def _armed_group(victims: str) -> bool:
    """"2 Taliban", "three al-Shabaab": the dead are an armed group named by itself (not "a
    Taliban-appointed judge": the group only qualifies who died)."""
    end = len(victims.rstrip())
    return actors_mod.is_armed_actor_text(victims) and any(e >= end for _, e, _ in actors_mod.actor_spans(victims))


def _side(victims: str) -> str | None:
    """Which side of a battle a group of victims is on, when its words say so and say only one."""
    sides = [name for name, words in _SIDE.items() if words.search(victims)]
    return sides[0] if len(sides) == 1 else None


_OUTLAWS = re.compile(r"\b(?:rustlers?|suspects?|robbers?|thieves|thief|kidnappers?|poachers?|smugglers?|gang(?:sters?|\s+members?)?)\b",
                      re.I)


def _combatants_killed(cas: Casualties) -> bool:
    """Everyone the clause counts dead is armed: soldiers, fighters, raiders, suspects in a gunfight."""
    victims = [link.victims for link in getattr(cas, "trace", ()) or () if link.kind == "killed"]
    return bool(victims) and all(v and (_side(v) is not None or _OUTLAWS.search(v)) for v in victims)


def _other_side(d: _Draft, cas: Casualties) -> bool:
    """"Troops killed five militants ... A soldier was killed in the clash": the dead of the other
    side of a battle told, to add, not a restatement of the first figure (the caller keeps it to
    clauses that tell no other kind of event: "jets then struck hideouts, killing five fighters")."""
    if d.event.event_type != BATTLES or not d.victims:
        return False
    told = [link.victims for link in getattr(cas, "trace", ()) or () if link.kind == "killed" and link.victims]
    # "According to AFF, one Taliban member was killed; the Taliban said one of the attackers died":
    # the sides the actors of the battle give, when every group names one
    # (a bare figure told before, "... and seven wounded", names no side and says nothing against it)
    named = [v for v in d.victims if not _bare_figure(v)] or d.victims
    new, old = {_actor_side(v, d) for v in told}, {_actor_side(v, d) for v in named}
    if None in new or None in old:
        # ("insurgents stormed a base ... and 17 of them were killed": those the clause names)
        new, old = {_side(v) for v in told}, {_side(v) or (_side(d.first.span.text) if _OF_THEM.search(v) else None)
                                               for v in named}
    return len(new) == 1 and None not in new and None not in old and not (new & old)


_OF_THEM = re.compile(r"\bof\s+(?:them|those)\b", re.I)


# A side's claim is no revision of the toll: "claimed", "said that it had killed 40 soldiers".
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\b|\b(?:it|they)\s+(?:had\s+|has\s+|have\s+)?killed\b", re.I)
_LOWER_BOUNDS = ("at least ", "more than ", "over ", "no fewer than ", "no less than ", "upwards of ", "in excess of ")
_HEDGE = re.compile(r"^(?:at\s+least|about|some|nearly|around)\s+", re.I)


def _bare_figure(victims: str) -> bool:
    """"seven", "12", "at least 3": a figure with no noun."""
    return parse_number(_HEDGE.sub("", victims)) is not None
_ATTACKERS = re.compile(r"\b(?:attackers|assailants|raiders)\b", re.I)


def _actor_side(victims: str, d: _Draft) -> str | None:
    """The actor of the battle `victims` belong to: the one they name ("one Taliban member"), or
    the side that attacked ("one of the attackers")."""
    named = {a.name for _s, _e, a in actors_mod.actor_spans(victims)} & ({d.actor1, d.actor2} - {None})
    if len(named) == 1:
        return named.pop()
    return d.actor1 if d.actor1 and d.actor2 and not named and _ATTACKERS.search(victims) else None


# Before a place travelled to, not where anything happened: "heading to ", "towards the ".
_TOWARDS = re.compile(r"\b(?:to|towards?|for|from)\s+(?:the\s+)?$", re.I)


def _in_brackets(between: str) -> bool:
    """The text after a place ends inside a bracket it opened: "town (Igembe South, " before "Meru"."""
    return between.count("(") > between.count(")")


_ALSO = {
    "fatalities": re.compile(r"\balso\s+(?:died|killed|perished)\b|\b(?:was|were)\s+also\s+killed\b", re.I),
    "injured": re.compile(r"\balso\s+(?:wounded|injured|hurt)\b|\b(?:was|were)\s+also\s+(?:wounded|injured|hurt)\b", re.I),
}
# Victims who were not: people, civilians, villagers, women, children, workers.
_UNARMED = re.compile(r"\b(?:people|persons?|civilians?|villagers?|residents?|women|children|men|farmers?|herders?|"
                      r"worshippers?|passengers?|traders?|displaced|workers?|labou?rers?|miners?|fans|spectators?|"
                      r"students?|pupils?|teachers?|shoppers?|customers?|fishermen|drivers?)\b", re.I)
# A trigger that names a fight, not only an attack ("clashed", "a firefight", "fighting").
_CLASH = re.compile(r"\b(?:clash\w*|fight\w*|fought|firefights?|gunfights?|battle\w*|skirmish\w*|combat|"
                    r"exchanges?\s+of\s+(?:gun)?fire|(?:exchang\w+|engag\w+\s+in|traded)\s+(?:heavy\s+)?(?:gun)?fire|"
                    r"shoot-?outs?|(?:in|during)\s+the\s+(?:ensuing\s+)?exchange(?!\s+of\s+(?!(?:gun)?fire)))\b", re.I)


_UNARMED_OR_OFF_DUTY = re.compile(r"\b(?:off[- ]duty|unarmed)\b", re.I)


def _model_event(text: str) -> EventKind | None:
    """An event the trigger rules missed but the classifier is sure of (strength 1: typed, unnamed)."""
    from mapper.nlp.events import predict_event

    pred = predict_event(text)
    if not pred.is_event or pred.none_probability > MODEL_ONLY_MAX_NONE or pred.probability < MODEL_ONLY_MIN_PROBABILITY:
        return None
    if pred.event_type != STRATEGIC and pred.sub_event_type not in TERRITORY:
        return None
    return EventKind(pred.event_type, pred.sub_event_type, "", 0, 0, 1)


def _event_trace(sentence: str, ev: EventKind) -> dict[str, Any]:
    """The trigger rules' reading of the sentence and the classifier's, side by side."""
    from mapper.nlp.events import predict_event

    pred = predict_event(sentence)
    return {"chosen": f"{ev.event_type} / {ev.sub_event_type}",
            "classifier": {"sub_event_type": pred.sub_event_type, "probability": round(pred.probability, 3),
                           "runner_up": [pred.runner_up[0], round(pred.runner_up[1], 3)],
                           "none_probability": round(pred.none_probability, 3),
                           "features": [[f, round(w, 3)] for f, w in pred.features[:5]]},
            "trigger_rule": ev.sub_event_type if ev.strength else "a consequence only (killed, wounded)"}


def source_entry(incident: Incident, *, trace: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `sources` item an incident's own article contributes (with its trace, when given)."""
    out = {
        "article_id": incident.article_id,
        "source": incident.source,
        "source_url": incident.source_url,
        "published": incident.published.isoformat() if isinstance(incident.published, date) else incident.published,
        "quote": incident.quote,
    }
    if trace is not None:
        out["trace"] = trace
    return out


def _incident_id(article_id: str, start: int, place: Place, sub_event_type: str) -> str:
    key = f"{article_id}|{start}|{place.geonameid or place.admin1_code or place.name}|{sub_event_type}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_CONJUNCT = re.compile(r",\s+(?:and|while|whereas|but)\s+(?=(?:on\s+[A-Z][a-z]+day\b|[a-z\s]{0,20}\b(?:in|a|an|the|another)\b))"
                       r"|,\s+(?=" + _RELATIVE_WORDS + r"\s)"
                       # "met the prime minister in Jerusalem on Monday and is due in Doha on Wednesday"
                       r"|\s+and\s+(?=(?:is|are|will\s+be|was|were)\s+(?:due|expected|scheduled|set)\b)")


def _names_event(span: Span) -> bool:
    kind = classify(span.text)
    return bool(kind and kind.strength == 2)


def _has_event_and_place(span: Span, mentions: list[Mention]) -> bool:
    return _names_event(span) and any(
        span.start <= m.start < span.end and m.place.feature in ("city", "locality", "admin1") for m in mentions)


def _paragraph_lines(text: str) -> list[Span]:
    """Paragraphs: article text keeps one per line (HTML) or blank-line separated (plain text)."""
    out: list[Span] = []
    pos = 0
    for m in re.finditer(r"\n", text):
        if m.start() > pos and text[pos:m.start()].strip():
            out.append(Span(text[pos:m.start()], pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append(Span(text[pos:], pos, len(text)))
    return out


def _is_headline(sent: Span, para: Span) -> bool:
    """A line with no closing punctuation and few words: a headline, byline or caption."""
    return sent.start == para.start and sent.end == para.end and not _HEADLINE_END.search(sent.text) and len(sent.text.split()) < 16


def _compatible(a: EventKind, b: EventKind) -> bool:
    if (a.event_type == DIPLOMACY) != (b.event_type == DIPLOMACY):
        return False
    if a.event_type in VIOLENT and b.sub_event_type == "Looting/property destruction":
        return True  # "the attackers also torched the market": what the attack destroyed is part of it
    if {a.event_type, b.event_type} == {PROTESTS, RIOTS}:
        return True  # "residents demonstrated, blocked roads, and burned tires": one gathering, violent
    if a.sub_event_type == "Excessive force against protesters" and b.sub_event_type == "Attack":
        return True  # "police opened fire on protesters ... Two men were shot dead": the force's dead
    if a.strength == 2 and b.strength == 2 and a.event_type != b.event_type:
        return False  # "assaults near Artemivsk" then "a drone had hit": two events
    if a.event_type == DIPLOMACY:
        return a.sub_event_type == b.sub_event_type
    if (a.sub_event_type == "Disrupted weapons use") != (b.sub_event_type == "Disrupted weapons use"):
        return b.strength < 2 or a.strength < 2
    return True


