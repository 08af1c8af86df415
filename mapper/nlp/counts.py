"""Fatalities and injured, read from the dependency parse of a sentence.

A casualty word (the trigger: "killed", "dead", "deaths", "wounded") is linked to its victims by
spaCy DependencyMatcher patterns kept as data in `data/count_patterns.json`: "killed three
soldiers" (active_object), "three soldiers were killed" (passive_subject), "the attack left 5
dead" (left_dead), "two dead and 30 injured" (adjacent_state), "the death toll rose to 17"
(toll_revised: a correction), "fatalities coded as 3" (coded_as: how event reports state it).

The victim's number comes from its own modifiers (number words through text2num), summed over
coordinated groups ("two soldiers and three civilians" = 5) and never over inclusions ("a
dozen people, including five women" = 12; "nine people, two of them children" = 9). "at least
10" is 10 with the phrase kept as a note; "dozens" is null with the phrase kept. Years, ages,
times, distances, money and unit numbers are never counts.

`parse_casualties` takes a str (parsed once) or a Span/Doc of an already parsed document (not
parsed again). The incident assembler decides which incident a sentence belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from mapper.errors import IncidentMapError
from mapper.nlp.actors import actor_spans
from mapper.nlp.dates import find_expressions
from mapper.nlp.document import load_parser, parsed
from mapper.nlp.patterns import GatedMatcher, load_patterns, words_of
from mapper.nlp.text import parse_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

PATTERNS = "count_patterns"  # mapper/nlp/data/count_patterns.json
KINDS = ("killed", "injured")
_JOINS = ("-", "–", "and", "to")  # inside a number phrase: "twenty-three", "a hundred and five", "4 to 11"


@dataclass(frozen=True, slots=True)
class CountLink:
    """One victim group linked to a casualty word, and the rule that linked them (for --explain)."""

    kind: str  # "killed" | "injured"
    value: int | None  # None when the figure is vague ("dozens")
    note: str | None  # the hedge or vague phrase as written ("at least 10", "dozens")
    rule: str  # the id of the pattern in count_patterns.json
    trigger: str  # the casualty word
    victims: str  # the victim words as written ("three soldiers")
    correction: bool = False
    claimed: bool = False  # "the group claimed to have killed 30": set aside when a figure is also reported

    def __str__(self) -> str:
        figure = self.value if self.value is not None else (self.note or "?")
        claimed = " (claimed)" if self.claimed else ""
        return f"{self.kind} {figure}: {self.victims!r} <-{self.rule}- {self.trigger!r}{claimed}"


@dataclass(frozen=True, slots=True)
class Casualties:
    """What one sentence says about the dead and the hurt (None: not said)."""

    fatalities: int | None = None
    injured: int | None = None
    fatalities_note: str | None = None  # the phrase when the figure is vague or a bound
    injured_note: str | None = None
    correction: bool = False  # "the toll rose to ...", "coded as 3": replaces an earlier figure
    trace: tuple[CountLink, ...] = field(default=(), compare=False)

    @property
    def found(self) -> bool:
        return any(v is not None for v in (self.fatalities, self.injured, self.fatalities_note, self.injured_note))

    @property
    def note(self) -> str | None:
        parts = [f"{n} killed" for n in [self.fatalities_note] if n] + [f"{n} injured" for n in [self.injured_note] if n]
        return "; ".join(parts) or None


def parse_casualties(source: str | Doc | Span) -> Casualties:
    """Fatalities and injured said in a sentence or clause (a str, or a parsed Span or Doc).

    Several sentences add up (a correction still replaces the rest); only sentences that hold a
    casualty word are matched, since the patterns cost time in proportion to the tokens.
    """
    if isinstance(source, str) and not _may_mention(load_parser().make_doc(source)):
        return Casualties()  # not one casualty word in any form: no need to parse
    doc = parsed(source)
    rules = _rules(doc.vocab)
    sentences = [s for s in doc.sents if rules.mentions_casualties(s)]
    links: list[CountLink] = []
    for sent in sentences:
        whole = sent.start == 0 and sent.end == len(doc)
        links += _Reader(doc if whole else sent.as_doc(), rules).links()
    return _total(links)


# --- reading one sentence ---------------------------------------------------------------------


@dataclass
class _Quantity:
    value: int | None  # None: vague
    note: str | None
    tokens: list[int]  # the number tokens it used
    groups: list[Token] = field(default_factory=list)  # the victim groups it counted
    values: list[int | None] = field(default_factory=list)  # the figure of each group


class _Reader:
    """Links, then figures, for one parsed sentence."""

    def __init__(self, doc: Doc, rules: _Rules):
        self.doc = doc
        self.rules = rules
        self.used_numbers: set[int] = set()
        self.counted: set[int] = set()  # victim groups already counted: a group counts once
        self.claims: dict[int, set[int]] = {}  # victim token -> the triggers some pattern links it to

    @cached_property
    def never(self) -> set[int]:
        return self.rules.non_count_tokens(self.doc)

    def links(self) -> list[CountLink]:
        doc, rules = self.doc, self.rules
        # "as first reported": figures told as replaced; "officials first put the number at 11":
        # a toll verb inside such words is the replaced figure, not a revision
        stale = [(start, end) for _, start, end in rules.superseded(doc)]
        superseded = bool(stale)
        matches = sorted(
            ((rules.order[doc.vocab.strings[key]], sorted(ids)[0], doc.vocab.strings[key], ids)
             for key, ids in rules.links(doc)),
            key=lambda m: (m[0], m[1]),
        )
        for _, _, rule_id, ids in matches:
            spec = rules.specs[rule_id]
            nodes = dict(zip(spec["names"], ids))
            self.claims.setdefault(nodes[spec["victim"]], set()).add(nodes["trigger"])
        links: list[CountLink] = []
        linked: set[int] = set()  # triggers that have counted a group
        figures: list[tuple[int, int | None]] = []  # (casualty word, figure) of each group counted so far
        for _, _, rule_id, ids in matches:
            spec = rules.specs[rule_id]
            nodes = dict(zip(spec["names"], (doc[i] for i in ids)))
            trigger, victim = nodes["trigger"], nodes[spec["victim"]]
            if victim.i in self.counted or not rules.allowed(spec, nodes):
                continue
            if trigger.i in linked and self.included(victim):
                continue  # "killing four people, three of them migrants": a group inside the one counted
            if rule_id == "elided_verb" and not self.is_person(victim) and any(
                    c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in victim.children):
                continue  # "Eleven people were injured, and a warehouse burned for hours": a clause of its own
            kind = rules.kind(spec, trigger)
            if kind is None or (superseded and not spec["correction"]) or rules.in_background(trigger) or rules.elsewhere(trigger) \
                    or any(start <= n.i < end for n in nodes.values() for start, end in stale):
                continue
            if self.apposition_of_counted(victim):
                continue  # "killing the driver, a local council worker": one man, whatever the parse says
            quantity = self.quantity(victim, trigger)
            if quantity is None and victim.lower_ == "them":
                # "dragged 2 elderly women from their homes and beat them to death": the group the
                # verb before told, whose object the pronoun takes up
                told = _pronoun_antecedent(victim, trigger)
                quantity = self.quantity(told, trigger) if told is not None and told.i not in self.counted else None
            if quantity is None and not self.is_person(victim):
                # "..., further south, a farmer and his two sons were shot dead": the parse made the
                # adverb the subject and the victims its apposition
                told = next((a for a in victim.children if a.dep_ == "appos" and a.i not in self.counted), None)
                quantity = self.quantity(told, trigger) if told is not None else None
            if quantity is not None:
                quantity = self.after_breakdown(quantity, figures)
            if quantity is None:
                continue
            figures.append((trigger.i, quantity.value))
            self.counted.update([g.i for g in quantity.groups] + quantity.tokens)
            self.used_numbers.update(quantity.tokens)
            linked.add(trigger.i)
            for k in (KINDS if kind == "both" else (kind,)):
                links.append(CountLink(k, quantity.value, quantity.note, rule_id, trigger.text,
                                       _phrase(quantity.groups), spec["correction"], rules.claimed(trigger)))
        return self.nth_victim(links)

    def after_breakdown(self, quantity: _Quantity, figures: list[tuple[int, int | None]]) -> _Quantity | None:
        """Groups that spell out a figure just told are who those victims were, not more victims:
        "Seven were killed, four soldiers and three militiamen, and nine were wounded" (set off
        right after the casualty word and adding up to its figure). What is left after them
        counts; None when nothing is."""
        start = quantity.groups[0].left_edge.i
        told = [value for trigger, value in figures
                if value and start == trigger + 2 and self.doc[trigger + 1].text in (",", ":", "—", "–")]
        running = 0
        for n, value in enumerate(quantity.values):
            running += value or 0
            if value is None or running > max(told, default=0):
                return quantity
            after = next((w for w in self.doc[quantity.groups[n].i + 1:] if w.is_punct or w.pos_ in ("VERB", "AUX")), None)
            if n and running in told and (after is None or after.is_punct):  # set off on both sides, no verb of its own
                rest = quantity.groups[n + 1:]
                self.counted.update(g.i for g in quantity.groups[:n + 1])
                if not rest:
                    self.used_numbers.update(quantity.tokens)
                    return None
                values = quantity.values[n + 1:]
                total = None if any(v is None for v in values) else sum(values)
                return _Quantity(total, quantity.note, quantity.tokens, rest, values)
        return quantity

    def apposition_of_counted(self, victim: Token) -> bool:
        """"the driver, a local council worker": a lone "a/an" noun right after a comma that follows
        a victim already counted describes that victim (not "a soldier, a woman and her child")."""
        doc, left, right = victim.doc, victim.left_edge.i, victim.right_edge.i
        return left >= 2 and doc[left - 1].text == "," and (left - 2) in self.counted and any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in victim.children) and not any(
            c.dep_ in ("nummod", "conj", "cc") for c in victim.children) and not any(
            t.lower_ in ("and", "or") for t in doc[right + 1:right + 3])

    def nth_victim(self, links: list[CountLink]) -> list[CountLink]:
        """"A third victim, a fruit seller, died in hospital on Sunday": told alone in its
        sentence, the one death named by its ordinal makes the toll that number (a correction
        of the two told before), not one more. ("Two were killed and a third wounded" is
        told with the others: one more.)"""
        # (also beside a figure of the other kind: "a fourth victim had died, and 17 had been wounded")
        for n, link in enumerate(links):
            if link.value != 1 or link.correction or any(o.kind == link.kind for o in links if o is not link):
                continue
            words = [w.strip(",;:") for w in link.victims.lower().split()]  # ("A fourth, a 10-year-old girl")
            if len(words) < 2 or words[0] != "a" or words[1] not in self.rules.ordinal_singles:
                continue
            nth = self.rules.ordinal_singles.index(words[1]) + 2  # "second" is the 2nd
            if any(o.value == nth - 1 for o in links):
                return links  # "two were killed and a third wounded": it counts on from the two
            return [*links[:n], replace(link, value=nth, correction=True, rule=f"{link.rule}+ordinal"), *links[n + 1:]]
        return links

    # -- the number of one victim group --------------------------------------------------------

    def quantity(self, victim: Token, trigger: Token) -> _Quantity | None:
        """The count of `victim` and the groups coordinated with it; None when it gives no count.

        A coordinated group that another casualty word claims is not added: "three dead and five
        injured" is 3 killed, 5 injured."""
        first = None if self.included(victim, partitive=False) else self.one(victim)
        if first is None:
            return None
        first.groups.append(victim)
        parts = [first]
        for other in self.coordinated(victim):
            if other.i in self.counted or self.claims.get(other.i, {trigger.i}) != {trigger.i} or self.included(other):
                continue
            part = self.one(other, coordinated=True)
            if part is not None:
                part.groups.append(other)
                parts.append(part)
        notes = [p.note for p in parts if p.note]
        used = [i for p in parts for i in p.tokens]
        groups = [g for p in parts for g in p.groups]
        total = None if any(p.value is None for p in parts) else sum(p.value for p in parts)
        return _Quantity(total, ", ".join(notes) or None, used, groups, [p.value for p in parts])

    def coordinated(self, victim: Token) -> list[Token]:
        """Groups told with `victim`: its conjuncts after it ("two soldiers and a civilian") and
        companions ("a commander along with his driver"), never across a bracket."""
        out = [c for c in victim.conjuncts if c.i > victim.i]
        for acl in victim.children:
            if acl.dep_ == "acl" and acl.lower_ == "aged":
                # "eight pupils aged between 6 and 11 and a teacher": the parse hangs the teacher on the ages
                out += [w for w in acl.subtree if w.dep_ == "conj" and w.head.like_num and self.is_person(w)]
        for prep in victim.children:
            if prep.dep_ == "prep" and prep.lower_ in self.rules.companions:
                out += [w for w in prep.subtree if w.dep_ == "pobj"][:1]
        # ("killing 9 patients and staff", "12 civilians, local youth and herders' associations said": a
        # bare noun after a counted plural is a group of no told size, not one more person)
        plural = victim.tag_ in ("NNS", "NNPS")
        return [c for c in out if not any(w.text in "()[]" for w in self.doc[victim.i:c.i]) and not (
            plural and c.tag_ == "NN" and not any(w.dep_ in ("det", "poss", "nummod") for w in c.children))]

    def one(self, t: Token, *, coordinated: bool = False) -> _Quantity | None:
        rules = self.rules
        lower, lemma = t.lower_, t.lemma_.lower()
        if lower in rules.zero or any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            return _Quantity(0, None, [])
        if lemma in rules.not_victims or t.dep_ == "nummod" and t.head.lemma_.lower() in rules.not_victims:
            return None  # "slaughtered five camels", "58 drones"
        if self.is_number(t):
            return self.number(t)
        if lower in rules.vague or lemma in rules.vague:
            return self.vague(t)
        for child in t.children:
            if child.dep_ in ("nummod", "quantmod", "amod", "det", "predet") and child.i not in self.used_numbers:
                if self.is_number(child):
                    return self.number(child)
                if child.lower_ in rules.multiples and not (child.lower_ == "both" and any(c.dep_ == "conj" for c in t.children)):
                    # (not "both soldiers and civilians": that "both" only joins two words)
                    return _Quantity(rules.multiples[child.lower_], None, [child.i])
                if child.lower_ in rules.vague:
                    return self.vague(child)
        head = t.head
        if t.dep_ == "pobj" and head.lower_ == "of" and head.head.i != t.i:
            owner = head.head  # "dozens of people", "a total of 12 people", "an unknown number of militants"
            if owner.lower_ in rules.vague or owner.lemma_.lower() in rules.vague:
                return self.vague(owner)
            if owner.lower_ in rules.multiples:
                return _Quantity(rules.multiples[owner.lower_], None, [owner.i])
        if not self.is_person(t):  # "killed a civilian in X village": the parse hung the victim under the place
            for child in t.children:
                if child.dep_ == "nmod" and child.i < t.i and (self.is_person(child) or child.tag_ in ("NNS", "NNPS")):
                    found = self.one(child, coordinated=coordinated)
                    if found is not None:
                        return found
        stray = self.stray_number(t)
        if stray is not None:
            return self.number(stray)
        if lower in rules.singles or t.tag_ == "PRP" and lower in rules.persons:
            return _Quantity(1, None, [])  # "another was injured", "he died"
        if lower in rules.multiples and not self.is_number(t):
            return _Quantity(rules.multiples[lower], None, [t.i])  # "Both were taken to hospital", "the couple died"
        if lower in rules.ordinal_singles and any(c.dep_ == "det" and c.lower_ in ("a", "the") for c in t.children):
            return _Quantity(1, None, [])  # "two children were killed and a third was wounded"
        if (t.tag_ == "NN" and not rules.casualty_word(t)) or t.tag_ == "NNP" and self.is_person(t):
            # One victim of a casualty word: "a civilian bystander", "the deputy commissioner", "her son".
            marked = coordinated or any(
                w.dep_ in ("det", "poss", "nummod") and w.lower_ not in ("any", "every", "each", "no")
                for w in self.doc[t.left_edge.i:t.i])
            if marked:
                return _Quantity(1, None, [])
        return None

    def stray_number(self, t: Token) -> Token | None:
        """A number just before a plural noun that the parse hung elsewhere ("2 IS fighters": "IS" read as a verb)."""
        if t.tag_ not in ("NNS", "NNPS"):
            return None
        i = t.i - 1
        while i >= 0 and t.i - i <= 3 and (self.doc[i].pos_ in ("ADJ", "PROPN", "AUX") or self.doc[i].dep_ == "compound"):
            if self.is_number(self.doc[i]):
                break
            i -= 1
        if i < 0 or t.i - i > 3 or not self.is_number(self.doc[i]):
            return None
        head = self.doc[i].head
        return self.doc[i] if head.i == t.i or head.pos_ not in ("NOUN", "PROPN") else None

    def is_number(self, t: Token) -> bool:
        if t.i in self.never or t.i in self.used_numbers:
            return False
        if t.lower_ in self.rules.multiples:
            return t.lower_ == "dozen"
        return t.like_num and not t.lower_.endswith(("st", "nd", "rd", "th"))

    def number(self, t: Token) -> _Quantity | None:
        """The number phrase around `t` ("twenty - three", "one hundred and five", "a dozen") and its
        hedge; a range ("4 - 11", "between 7 and 12") counts its lower bound, as ACLED does."""
        doc = self.doc
        start = end = t.i
        while True:
            if start >= 1 and self.is_number(doc[start - 1]):
                start -= 1
            elif start >= 2 and doc[start - 1].lower_ in _JOINS and self.is_number(doc[start - 2]):
                start -= 2
            else:
                break
        while True:
            if end + 1 < len(doc) and self.is_number(doc[end + 1]):
                end += 1
            elif end + 2 < len(doc) and doc[end + 1].lower_ in _JOINS and self.is_number(doc[end + 2]):
                end += 2
            else:
                break
        if start > 0 and doc[start - 1].lower_ in ("a", "an") and doc[start].lower_ in ("dozen", "hundred", "thousand"):
            start -= 1
            if start > 0 and doc[start - 1].lower_ == "half":
                start -= 1
        words = doc[start:end + 1]
        hedge = self.rules.hedge_before(doc, start)
        cuts = [w.i for w in words if w.lower_ in ("to", "-", "–") and (w.lower_ == "to" or doc[w.i - 1].is_digit)
                or w.lower_ == "and" and hedge == "between"]
        bounds = [doc[lo:hi] for lo, hi in zip([start] + [c + 1 for c in cuts], cuts + [end + 1])]
        values = [parse_number(b.text) for b in bounds]
        if any(v is None for v in values):
            return None
        if cuts and start > 0 and doc[start - 1].lower_ == "from":
            return _Quantity(values[-1], None, [w.i for w in words])  # "the toll rose from 5 to 7"
        note = f"{hedge} {words.text}" if hedge else (words.text if cuts else None)
        return _Quantity(min(values), note, [w.i for w in words])

    def vague(self, t: Token) -> _Quantity:
        """"dozens", "several", "an unknown number": no figure, the phrase kept."""
        words = [w for w in t.subtree if w.i <= t.i and w.dep_ != "punct"]
        of = [w for w in t.children if w.dep_ == "prep" and w.lower_ == "of"]
        objects = [w.i for p in of for w in p.children if w.dep_ == "pobj"]
        return _Quantity(None, " ".join(w.lower_ for w in words), [t.i, *objects])

    def is_person(self, t: Token) -> bool:
        return t.lemma_.lower() in self.rules.persons or t.lower_ in self.rules.persons

    def included(self, t: Token, *, partitive: bool = True) -> bool:
        """A group inside another ("including five women", "among them three children", "two of
        them children"), not one more."""
        # (the words before the group, and its own "among them" the parse may hang on it)
        before = self.doc[max(t.left_edge.i - 3, 0):t.i]
        if any(w.lower_ in self.rules.inclusion for w in before):
            return True
        return partitive and any(w.lower_ in ("them", "whom") and w.head.lower_ == "of" for w in t.subtree)


def _pronoun_antecedent(pronoun: Token, trigger: Token) -> Token | None:
    """The object of the verb the trigger is joined to ("seized three men ... and lynched them"),
    when the pronoun is the trigger's own object: whom "them" stands for."""
    if pronoun.head.i != trigger.i or trigger.dep_ != "conj" or trigger.head.pos_ != "VERB":
        return None
    return next((c for c in trigger.head.children if c.dep_ in ("dobj", "nsubjpass") and c.i < pronoun.i), None)


def _phrase(groups: list[Token]) -> str:
    """The victim words as written ("at least 10 soldiers", "her husband and son"), without clauses."""
    keep = {i for g in groups for i in _group(g)}
    return groups[0].doc[min(keep):max(keep) + 1].text


# Victim words that say who only with their "of" phrase: "three members of the security forces".
_PARTITIVE_HEADS = frozenset("member members one some many most all several dozens scores hundreds".split())


def _group(t: Token) -> set[int]:
    out = {t.i}
    for child in t.lefts:
        if child.dep_ in ("nummod", "quantmod", "amod", "det", "predet", "compound", "poss", "advmod"):
            out |= {w.i for w in child.subtree}
    if t.lower_ in _PARTITIVE_HEADS or t.like_num:  # (and "19 of the insurgents": whose 19)
        for child in t.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                out |= {w.i for w in child.subtree if not (w.dep_ in ("relcl", "acl") or any(
                    a.dep_ in ("relcl", "acl") and a.i > child.i for a in w.ancestors))}
    return out


# "... and said it had lost 3 of its own": a side's own dead, which no claim about the other side restates
OWN_LOSSES = frozenset({"lost_own", "lost_comrades"})


def _own_loss(link: CountLink) -> bool:
    """A side's own dead ("lost 3 of its own", "acknowledged the death of one of its own fighters")."""
    words = link.victims.lower().split()
    return link.rule in OWN_LOSSES or any(a in ("its", "their", "our") and b == "own" for a, b in zip(words, words[1:]))


def _side(link: CountLink) -> str | None:
    """The armed side the victims belong to by name ("3 Taliban fighters"), or None."""
    named = actor_spans(link.victims)
    return named[0][2].name if named else None


def _total(links: list[CountLink]) -> Casualties:
    """Figures per kind: a correction replaces the rest; otherwise groups add up; vague stays null."""
    values: dict[str, tuple[int | None, str | None]] = {}
    correction = False
    for kind in KINDS:
        mine = [link for link in links if link.kind == kind]
        told = [link for link in mine if not link.claimed and not _own_loss(link)]
        if told:
            # A claim gives way to a plain report of the same dead; a claim about the other side's
            # dead stands beside it ("The NRF claimed to have killed 3 Taliban fighters, and the
            # Taliban said one NRF fighter was killed": 4)
            sides = {_side(link) for link in told}
            mine = [link for link in mine if not link.claimed or (
                None not in sides and (side := _side(link)) is not None and side not in sides)]
        corrections = [link for link in mine if link.correction]
        if corrections:
            last = corrections[-1]
            values[kind] = (last.value, last.note)
            correction = True
        elif mine:
            notes = [link.note for link in mine if link.note]
            if any(link.value is None for link in mine):
                values[kind] = (None, ", ".join(notes) or None)
            else:
                values[kind] = (sum(link.value for link in mine), ", ".join(notes) or None)
    fat, fat_note = values.get("killed", (None, None))
    inj, inj_note = values.get("injured", (None, None))
    if inj == 0 and "killed" not in values and any(link.kind == "injured" and link.value == 0 for link in links):
        fat = 0  # "no one was hurt": nobody died either
    return Casualties(fat, inj, fat_note, inj_note, correction=correction, trace=tuple(links))


# --- the rules, loaded from data -------------------------------------------------------------


class _GatedLinks:
    """spaCy DependencyMatchers, one per set of trigger words: a sentence is matched only against
    the patterns whose trigger word it holds (in form or lemma). The same matches as one matcher
    of all the patterns, for about half the work: each pattern's token matcher and tree search
    is skipped where its trigger cannot be."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.groups: dict[frozenset[str], Any] = {}

    def add(self, key: str, patterns: list[list[dict[str, Any]]], words: frozenset[str]) -> None:
        from spacy.matcher import DependencyMatcher

        matcher = self.groups.get(words)
        if matcher is None:
            matcher = self.groups[words] = DependencyMatcher(self.vocab, validate=True)
        matcher.add(key, patterns)

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        present = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
        out: list[tuple[int, list[int]]] = []
        for words, matcher in self.groups.items():
            if not words.isdisjoint(present):
                out += matcher(doc)
        return out


class _Rules:
    """count_patterns.json compiled for one vocabulary."""

    def __init__(self, data: dict[str, Any], vocab: Vocab):

        lexicon = data["lexicon"]
        self.word_kind: dict[str, str] = {}
        for kind, names in data["kinds"].items():
            for name in names:
                for word in lexicon[name]:
                    self.word_kind.setdefault(word, kind)
        self.links = _GatedLinks(vocab)
        self.gate: set[str] = set()  # every word a trigger can be: a sentence without one is not matched
        self.specs: dict[str, dict[str, Any]] = {}
        self.order: dict[str, int] = {}
        for n, link in enumerate(data["links"]):
            pattern = link["pattern"]
            names = [node["RIGHT_ID"] for node in pattern]
            victim = link.get("victim", "victim")
            if "trigger" not in names or victim not in names or link["kind"] not in (*KINDS, "trigger", "toll"):
                raise IncidentMapError(f"{PATTERNS}.json: link {link.get('id')!r} needs a 'trigger' and a "
                                       f"'{victim}' node and a known kind, not {link.get('kind')!r}")
            trigger_words = [v for node in pattern if node["RIGHT_ID"] == "trigger"
                             for attr in ("LEMMA", "LOWER") for v in words_of(node["RIGHT_ATTRS"].get(attr))]
            if not trigger_words:
                raise IncidentMapError(f"{PATTERNS}.json: link {link['id']!r} must list its trigger words (LEMMA or LOWER)")
            try:
                self.links.add(link["id"], [pattern], frozenset(trigger_words))
            except ValueError as err:
                raise IncidentMapError(f"{PATTERNS}.json: link {link['id']!r} is not a valid pattern: {err}") from err
            self.gate |= set(trigger_words)
            self.specs[link["id"]] = {"names": names, "victim": victim, "kind": link["kind"],
                                      "correction": bool(link.get("correction")), "unless": link.get("unless", []),
                                      "near": int(link.get("near", 0)), "after": bool(link.get("after"))}
            self.order[link["id"]] = n
        self.non_counts = GatedMatcher(vocab)
        for context in data["non_count_contexts"]:
            self.non_counts.add(context["id"], [context["pattern"]])
        self.superseded = GatedMatcher(vocab)
        self.superseded.add("superseded", data["superseded"])
        hedges = [(tuple(h.split()), True) for h in data["hedges"]["kept"]] + [
            (tuple(h.split()), False) for h in data["hedges"]["silent"]]
        self.hedge_words = frozenset(w for words, _ in hedges for w in words)
        self.hedges: dict[str, list[tuple[tuple[str, ...], bool]]] = {}  # by last word, longest first
        for words, keep in sorted(hedges, key=lambda h: -len(h[0])):
            self.hedges.setdefault(words[-1], []).append((words, keep))
        self.vague = frozenset(data["vague"])
        self.zero = frozenset(data["zero"])
        self.multiples: dict[str, int] = data["multiples"]
        self.inclusion = frozenset(data["inclusion"])
        self.not_victims = frozenset(data["not_victims"])
        self.persons = frozenset(data["person_nouns"])
        self.governors = frozenset(data["background_governors"])
        self.companions = frozenset(data["companions"])
        self.claim_verbs = frozenset(data["claim_verbs"])
        self.elsewhere_words = frozenset(data["elsewhere"])
        self.singles = frozenset(data["singles"])
        # "two were killed and a third wounded": an ordinal with its article is one more victim
        self.ordinal_singles: list[str] = list(data["ordinal_singles"])

    def mentions_casualties(self, sent: Span) -> bool:
        return any(t.lower_ in self.gate or t.lemma_.lower() in self.gate for t in sent)

    def non_count_tokens(self, doc: Doc) -> set[int]:
        """Numbers that count nobody: ages, times, dates, distances, money, "Route 5"."""
        out: set[int] = set()
        for _, start, end in self.non_counts(doc):
            out.update(t.i for t in doc[start:end] if t.like_num)
        for expr in find_expressions(doc):
            when = expr.span
            for t in when:
                near = [w for w in doc[max(t.i - 1, when.start):min(t.i + 2, when.end)] if w.i != t.i]
                if t.like_num and (t.shape_ == "dddd" or any(w.is_alpha and not w.like_num and w.lower_ not in self.hedge_words
                                                             for w in near)):
                    out.add(t.i)  # "19 March 2026", "eight years old", "2023"; not "On 19 March 2026, 3"
        return out

    def kind(self, spec: dict[str, Any], trigger: Token) -> str | None:
        kind = spec["kind"]
        if kind in KINDS:
            return kind
        if kind == "toll":  # "death toll", "number of injured": the toll's own words say which
            words = [w.lemma_.lower() for w in trigger.subtree] + [w.lower_ for w in trigger.subtree]
            found = [self.word_kind[w] for w in words if w in self.word_kind and self.word_kind[w] in KINDS]
            if found:
                return found[0]
            return "killed" if trigger.lemma_.lower() == "toll" else None
        return self.word_kind.get(trigger.lemma_.lower()) or self.word_kind.get(trigger.lower_)

    def allowed(self, spec: dict[str, Any], nodes: dict[str, Token]) -> bool:
        """False when a node has a child the pattern vetoes ("have killed" is not "21 killed"), or
        when a 'near' pattern's victim is not just after its trigger (only hedge words between)."""
        trigger, victim = nodes["trigger"], nodes[spec["victim"]]
        if spec["after"] and victim.i < trigger.i:
            return False
        if spec["near"]:
            between = trigger.doc[trigger.i + 1:victim.i]
            if len(between) > spec["near"] or any(w.lower_ not in self.hedge_words for w in between):
                return False
        for veto in spec["unless"]:
            for child in nodes[veto["node"]].children:
                if child.dep_ in veto.get("DEP", [child.dep_]) and child.lemma_.lower() in veto.get("LEMMA", [child.lemma_.lower()]):
                    return False
        return True

    def claimed(self, trigger: Token) -> bool:
        """"Al Shabaab claimed to have killed 30": a party's claim, not a reported toll ("..., but
        the army said 4 died" is not under the claim: a coordinated verb is not governed)."""
        return _governed(trigger, self.claim_verbs)

    def elsewhere(self, trigger: Token) -> bool:
        """"... killed three civilians in Goldogob (coded separately)": a count that belongs to another
        event. The marker must close the trigger's own clause: no other verb stands between them
        ("11 were killed and the strike continued the next day (coded separately)" is counted)."""
        doc = trigger.doc
        for word in doc[trigger.i + 1:trigger.sent.end]:
            if word.lower_ in self.elsewhere_words:
                return True
            if word.pos_ == "VERB" and word.i != trigger.i and not self.casualty_word(word) and not any(
                    w.lower_ in self.elsewhere_words for w in word.children):
                return False
        return False

    def casualty_word(self, t: Token) -> bool:
        return t.lemma_.lower() in self.word_kind or t.lower_ in self.word_kind

    def in_background(self, trigger: Token) -> bool:
        """"gathered to mourn the two men killed last week": the deaths mourned are not this event's.
        A verb coordinated with the governor is not governed by it ("protested and killed two")."""
        return _governed(trigger, self.governors)

    def hedge_before(self, doc: Doc, start: int) -> str | None:
        """The hedge just before a number ("at least", "more than"); silent ones ("a total of") give no note."""
        if start == 0:
            return None
        for words, keep in self.hedges.get(doc[start - 1].lower_, ()):
            lo = start - len(words)
            if lo >= 0 and tuple(w.lower_ for w in doc[lo:start]) == words:
                return " ".join(words) if keep else None
        return None


def _may_mention(words: Doc) -> bool:
    """True when a tokenized (unparsed) text may hold a trigger word: its form starts like one
    ("killing", "injuries", "bodies") or is an irregular form of one ("took", "lost", "slain")."""
    stems, irregular = _surface_forms()
    return any(t.lower_ in irregular or t.lower_.startswith(stems) for t in words)


@lru_cache(maxsize=1)
def _surface_forms() -> tuple[tuple[str, ...], frozenset[str]]:
    nlp = load_parser()
    gate = _rules(nlp.vocab).gate
    stems = tuple(sorted({w[:-1] if len(w) >= 4 else w for w in gate}))
    exceptions = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    irregular = {form for pos in ("verb", "noun", "adj") for form, lemmas in exceptions.get(pos, {}).items()
                 if gate.intersection(lemmas)}
    return stems, frozenset(irregular)


def _governed(t: Token, lemmas: frozenset[str]) -> bool:
    """True when a word of `lemmas` governs `t`, up the parse until a coordinated verb."""
    while t.head.i != t.i:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            return False
        t = t.head
        if t.lemma_.lower() in lemmas:
            return True
    return False


@lru_cache(maxsize=4)
def _rules(vocab: Vocab) -> _Rules:
    """The patterns compiled for `vocab` (one per pipeline; built once)."""
    return _Rules(load_patterns(PATTERNS, words="lexicon"), vocab)
