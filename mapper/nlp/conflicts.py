"""Conflict knowledge as data: who fights, under which names, led by whom, with which weapons.

One TSV file per conflict in ``mapper/nlp/data/conflicts/`` (``common.tsv``: state forces by
country and generic actors such as protesters), then the user's files or directories named by
``$INCIDENT_MAP_CONFLICTS`` (several: separated by ``os.pathsep``). `load()` reads and validates
them once per process; `Conflicts.find(text)` returns the actor mentions in a text with their
offsets, the actor each one names and the file line that says so. The format is documented at
the top of ``common.tsv`` and in ``docs/conflicts.md``.

Phrases are literal words, never regexes: accents and hyphen/space variants are ignored, lower-case
words match in any case, a capitalised phrase needs one of its capitalised words capitalised, an
acronym matches only as written (headline capitals always match). A name two files give to
different actors ("al-Shabaab" in Somalia and in Mozambique) is resolved by the event's country and
the other actors the text names; a common noun ("junta") or a phrase of common words ("Joint
Forces") counts only where its conflict's countries are in play.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import pycountry
from wordfreq import zipf_frequency

from mapper.errors import IncidentMapError

ENV = "INCIDENT_MAP_CONFLICTS"
BASE = "common"  # the base layer: state forces and generic actors, part of no conflict in particular
# ACLED's eight actor types (its `inter` codes 1-8), in its order.
KINDS = ("state", "rebel", "political", "identity", "rioters", "protesters", "civilians", "external")
ARMED = frozenset({"state", "rebel", "political", "identity", "external"})
COLUMNS = ("actor", "kind", "country", "acled", "state", "demonyms", "aliases", "leaders", "weapons")
# Column -> the role its phrases play.
PHRASE_COLUMNS = {"state": "state", "demonyms": "demonym", "aliases": "alias", "leaders": "leader", "weapons": "weapon"}
_REGEX_CHARS = set("\\[](){}*+?^$")
# Characters allowed between two words of one phrase ("al-Shabaab", "U.S. forces", "AFC/M23").
_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2012\u2013\u2014'\u2019\u02bc`./]{1,4}|[ \u00a0]?,[ \u00a0]?")
_WORD = re.compile(r"[^\W_]+")
COMMON_ZIPF = 4.5  # a word this frequent in English (wordfreq) does not by itself name an actor
_APOSTROPHES = ("'", "\u2019", "\u02bc")
# Capitalised words that open a sentence or a title, not a longer name: "The National Liberation Army"
_OPENERS = frozenset("the a an and but as at by in on of for after when while with from to this that".split())


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor: the name we output, its ACLED type and country, and where it was defined."""

    name: str
    kind: str
    country: str | None  # ISO 3166-1 alpha-2; None for a generic actor (takes the event's country)
    acled: str | None  # ACLED's name without its period in brackets; may hold "{country}"
    conflict: str  # the file stem that defined it ("somalia")
    origin: str  # "file:line"

    @property
    def generic(self) -> bool:
        return self.country is None

    def acled_name(self, country_name: str | None = None) -> str | None:
        """ACLED's name, its "{country}" filled when the event's country is known."""
        if self.acled is None or "{country}" not in self.acled:
            return self.acled
        return self.acled.format(country=country_name) if country_name else None


class Token(NamedTuple):
    """A word of a text: offsets, folded key, and whether the gap before it may join a phrase."""

    start: int
    end: int
    text: str
    key: str
    joins: bool
    comma: bool


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a text: ``text[start:end]``, the actor, and how the data named it."""

    start: int
    end: int
    text: str
    actor: Actor
    role: str  # "alias" (incl. the name itself), "leader", "weapon", "state", "demonym"
    source: str  # "file:line" of the phrase
    first: int  # token indices [first, last) in the text's tokens
    last: int
    alternatives: tuple[Actor, ...] = ()  # other readings of an ambiguous name, for the trace


@dataclass(frozen=True, slots=True)
class _Entry:
    actor: str
    role: str
    words: tuple[str, ...]  # as written, for the case check
    commas: tuple[bool, ...]  # a comma before word i (i >= 1)
    weak: bool  # a common noun ("junta") or common words ("Joint Forces"): needs its conflict's context
    origin: str
    conflict: str
    order: int  # load order, the last tie-break


def fold(word: str) -> str:
    """A word's key: lower case, accents dropped ("Erdoğan" -> "erdogan")."""
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def tokenize(text: str) -> list[Token]:
    """The words of `text`; a possessive "'s" is part of the gap, so "People's" is "People". A full stop
    joins two words only after an initial ("U.S. forces"), not at a sentence's end ("... Russia. Drones")."""
    out: list[Token] = []
    prev_end = -1
    prev_len = 0
    for m in _WORD.finditer(text):
        word = m.group()
        start = m.start()
        if prev_end >= 0 and (word == "s" or word == "S") and text[prev_end:start] in _APOSTROPHES:
            prev_end = m.end()  # "Hamas's fighters": the "'s" is part of the gap
            continue
        if prev_end < 0:
            joins = comma = False
        else:
            gap = text[prev_end:start]
            joins = _GAP.fullmatch(gap) is not None and ("." not in gap or prev_len == 1)
            comma = "," in gap
        out.append(Token(start, m.end(), word, word.lower() if word.isascii() else fold(word), joins, comma))
        prev_end, prev_len = m.end(), len(word)
    return out


def _case_fits(written: str, seen: str) -> bool:
    """An acronym or mixed-case word ("RSF", "FAMa") matches as written or in headline capitals."""
    if len(seen) > 1 and seen.isupper():
        return True
    return all(a.isupper() == b.isupper() for a, b in zip(written, seen) if a.isalpha())


class Conflicts:
    """All conflict files, validated, with one phrase index over them."""

    def __init__(self, sources: Sequence[tuple[str, str]]):
        """`sources`: ``(origin, text)`` pairs, the base file first; raises `IncidentMapError` on a bad row."""
        self.actors: dict[str, Actor] = {}
        self.states: dict[str, Actor] = {}  # ISO2 -> the country's state force (the row naming the state)
        self.state_names: dict[str, tuple[str, ...]] = {}
        self.demonyms: dict[str, str] = {}  # "russian" -> "RU", as written, lower-cased
        self.by_acled: dict[str, Actor] = {}
        self.files: tuple[str, ...] = tuple(origin for origin, _ in sources)
        self._countries: dict[str, set[str]] = {}  # conflict -> countries of the actors its file names
        self._index: dict[tuple[str, ...], list[_Entry]] = {}
        self._order = 0
        for origin, text in sources:
            self._read(origin, text)
        sizes: dict[str, set[int]] = {}
        for key in self._index:
            sizes.setdefault(key[0], set()).add(len(key))
        self._sizes = {first: sorted(s, reverse=True) for first, s in sizes.items()}  # phrase lengths by first word
        self._name_keys = {name: _key(name) for name in self.actors}
        self.forces: Mapping[str, str] = MappingProxyType({cc: a.name for cc, a in self.states.items()})
        # Shared by every caller of load(): read-only from here on.
        for attr in ("actors", "states", "state_names", "demonyms", "by_acled"):
            setattr(self, attr, MappingProxyType(getattr(self, attr)))

    # -- reading ---------------------------------------------------------------------------
    def _read(self, origin: str, text: str) -> None:
        conflict = Path(origin).stem
        text = text.removeprefix("\ufeff")
        header: list[str] | None = None
        seen_actor: dict[str, str] = {}  # actor -> line, inside this file
        seen_key: dict[tuple[str, ...], tuple[str, str]] = {}  # phrase key -> (actor, line), inside this file
        self._countries.setdefault(conflict, set())
        for lineno, line in enumerate(text.splitlines(), start=1):
            where = f"{origin}:{lineno}"
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.rstrip("\r\n").split("\t")]
            if header is None:
                header = self._header(cells, where)
                continue
            if len(cells) > len(header):
                raise IncidentMapError(f"{where}: {len(cells)} cells for {len(header)} columns (tab-separated)")
            row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
            actor = self._actor(row, conflict, where)
            if actor.name in seen_actor:
                raise IncidentMapError(f"{where}: actor {actor.name!r} already has a row at line {seen_actor[actor.name]}")
            seen_actor[actor.name] = str(lineno)
            if actor.country:
                self._countries[conflict].add(actor.country)
            if actor.origin == where:  # defined here: its own name, without a note in brackets, is its first alias
                self._add_phrase(_bare(actor.name), actor, "alias", conflict, where, seen_key)
            for column, role in PHRASE_COLUMNS.items():
                for phrase in _split(row.get(column, "")):
                    self._add_phrase(phrase, actor, role, conflict, where, seen_key)
        if header is None and text.strip():
            raise IncidentMapError(f"{origin}: no header line naming the columns ({', '.join(COLUMNS)})")

    @staticmethod
    def _header(cells: list[str], where: str) -> list[str]:
        names = [c.lower() for c in cells]
        unknown = [c for c in names if c not in COLUMNS]
        if unknown:
            raise IncidentMapError(f"{where}: unknown column(s) {unknown}; columns are {', '.join(COLUMNS)}")
        if "actor" not in names or len(set(names)) != len(names):
            raise IncidentMapError(f"{where}: the header needs an 'actor' column and no column twice")
        return names

    def _actor(self, row: dict[str, str], conflict: str, where: str) -> Actor:
        name = row["actor"]
        if not name:
            raise IncidentMapError(f"{where}: the actor's name is empty")
        kind = row.get("kind", "").lower() or None
        if kind is not None and kind not in KINDS:
            raise IncidentMapError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        country = row.get("country", "").upper() or None
        if country is not None and not _known_country(country):
            raise IncidentMapError(f"{where}: unknown country code {country!r} (ISO 3166-1 alpha-2)")
        acled = row.get("acled") or None
        if acled is not None:
            fields = {f for _, f, _, _ in string.Formatter().parse(acled) if f is not None}
            if fields - {"country"}:
                raise IncidentMapError(f"{where}: the acled name may hold only {{country}}, not {sorted(fields - {'country'})}")
        known = self.actors.get(name)
        if known is None:
            if kind is None:
                raise IncidentMapError(f"{where}: new actor {name!r} needs a kind ({', '.join(KINDS)})")
            actor = Actor(name, kind, country, acled, conflict, where)
            self.actors[name] = actor
            if acled and "{country}" not in acled:
                self.by_acled.setdefault(acled, actor)
        else:
            # A later file adds names to an actor defined earlier; what it restates must agree.
            for field, value in (("kind", kind), ("country", country), ("acled", acled)):
                if value is not None and value != getattr(known, field):
                    raise IncidentMapError(f"{where}: {field} {value!r} of {name!r} conflicts with {getattr(known, field)!r} "
                                           f"at {known.origin}")
            actor = known
        if (row.get("state") or row.get("demonyms")) and (actor.kind != "state" or actor.country is None):
            raise IncidentMapError(f"{where}: only a state force with a country names a state or demonyms")
        if row.get("state") and actor.country not in self.states:
            self.states[actor.country] = actor
            self.state_names[actor.country] = tuple(_split(row["state"]))
        for word in _split(row.get("demonyms", "")):
            self.demonyms.setdefault(word.lower(), actor.country)
        return actor

    def _add_phrase(self, phrase: str, actor: Actor, role: str, conflict: str, where: str,
                    seen: dict[tuple[str, ...], tuple[str, str]]) -> None:
        if _REGEX_CHARS & set(phrase):
            raise IncidentMapError(f"{where}: {phrase!r} looks like a regex; write literal phrases separated by ' | '")
        toks = tokenize(phrase)
        if not toks:
            raise IncidentMapError(f"{where}: {phrase!r} has no word in it")
        if not all(t.joins for t in toks[1:]):
            raise IncidentMapError(f"{where}: {phrase!r}: only spaces, hyphens, apostrophes, full stops, slashes and "
                                   "commas may separate its words")
        key = tuple(t.key for t in toks)
        if key in seen and seen[key][0] != actor.name:
            raise IncidentMapError(f"{where}: {phrase!r} already names {seen[key][0]!r} at line {seen[key][1]} of this file")
        seen[key] = (actor.name, where.rsplit(":", 1)[1])
        entries = self._index.setdefault(key, [])
        words = tuple(t.text for t in toks)
        commas = tuple(t.comma for t in toks)
        if any(e.actor == actor.name and e.words == words and e.conflict == conflict for e in entries):
            return  # the same phrase again for the same actor: one entry is enough
        weak = conflict != BASE and not actor.generic and (phrase == phrase.lower() or _common_words(key))
        self._order += 1
        entries.append(_Entry(actor.name, role, words, commas, weak, where, conflict, self._order))

    # -- looking up ------------------------------------------------------------------------
    def state_force(self, country: str | None) -> Actor | None:
        """The state force of a country (its row names the state), or None."""
        return self.states.get(country) if country else None

    def country_name(self, country: str | None) -> str | None:
        """The country's short name: the data's first state name, else pycountry's."""
        if not country:
            return None
        if country in self.state_names:
            return self.state_names[country][0]
        rec = pycountry.countries.get(alpha_2=country)
        return (getattr(rec, "common_name", None) or rec.name) if rec else None

    def specific(self, actor: Actor, country: str | None) -> Actor:
        """A generic actor made specific by the event's country ("government forces" in Somalia ->
        the actor ACLED calls "Military Forces of Somalia"), else the actor itself."""
        if not actor.generic or not country:
            return actor
        name = actor.acled_name(self.country_name(country))
        return self.by_acled.get(name, actor) if name else actor

    def find(self, text: str, *, country: str | None = None, tokens: list[Token] | None = None,
             guess: bool = False) -> list[ActorMention]:
        """Actor mentions in `text`, left to right, longest first; `country` is the event's (ISO2), if known.

        A name that two conflicts give to different actors and nothing in the text tells apart is left
        out, unless `guess` (then the first file listing it wins).
        """
        toks = tokenize(text) if tokens is None else tokens
        hits = self._scan(toks)
        context = set()
        for _, _, entries in hits:
            names = {e.actor for e in entries}
            if len(names) == 1:
                c = self.actors[entries[0].actor].country
                if c:
                    context.add(c)
        out = []
        for i, j, entries in hits:
            best = self._resolve(entries, country, context - ({country} if country else set()), guess=guess)
            if best is None:
                continue
            actor = self.actors[best.actor]
            others = tuple(dict.fromkeys(self.actors[e.actor] for e in entries if e.actor != best.actor))
            start, end = toks[i].start, toks[j - 1].end
            out.append(ActorMention(start, end, text[start:end], actor, best.role, best.origin, i, j, others))
        return out

    def _scan(self, toks: list[Token]) -> list[tuple[int, int, list[_Entry]]]:
        out = []
        keys = [t.key for t in toks]
        i, n = 0, len(toks)
        while i < n:
            sizes = self._sizes.get(keys[i])
            hit = None
            if sizes:
                run = 1
                while run < sizes[0] and i + run < n and toks[i + run].joins:
                    run += 1
                for size in sizes:  # longest first
                    if size > run:
                        continue
                    entries = self._index.get(tuple(keys[i:i + size]))
                    fit = [e for e in entries if _fits(e, toks[i:i + size])] if entries else None
                    if fit:
                        hit = (i, i + size, fit)
                        break
            if hit and self._inside_longer_name(toks, i):
                hit = None  # "West Papua National Liberation Army" is not the ELN ("National Liberation Army")
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    def _inside_longer_name(self, toks: list[Token], i: int) -> bool:
        """The name found at token i goes on a capitalised name before it that is not a
        nationality ("Sudanese Rapid Support Forces" is the RSF) nor a sentence's first word."""
        if i == 0 or not toks[i].joins or toks[i].comma or not toks[i].text[:1].isupper():
            return False
        prev = toks[i - 1]
        return prev.text[:1].isupper() and prev.key not in self.demonyms and prev.key not in _OPENERS

    def _resolve(self, entries: list[_Entry], country: str | None, context: set[str], *, guess: bool) -> _Entry | None:
        scored: list[tuple[float, int, _Entry]] = []
        for e in entries:
            actor = self.actors[e.actor]
            if actor.generic:
                countries: frozenset[str] | set[str] = set()
            elif e.conflict == BASE:
                countries = {actor.country}
            else:
                countries = self._countries.get(e.conflict, set()) | {actor.country}
            here = country is not None and country in countries
            shared = len(context & countries)
            if e.weak and ((country is not None and not here) or (country is None and context and not shared)):
                continue  # "junta" in a story about Mali is not Myanmar's, "Joint Forces" in Ukraine not Sudan's
            own_name = self._name_keys[actor.name] == tuple(fold(w) for w in e.words)
            score = 4.0 * (actor.country == country) + 2.0 * here + shared + 0.5 * own_name
            scored.append((score, -e.order, e))
        if not scored:
            return None
        scored.sort(key=lambda s: s[:2], reverse=True)
        best = scored[0]
        rival = next((s for s in scored[1:] if s[2].actor != best[2].actor), None)
        if rival is not None and rival[0] == best[0] and not guess:
            return None  # "Shahed" with nothing else said: Russia's or Iran's, unknown
        return best[2]


def _fits(e: _Entry, toks: Sequence[Token]) -> bool:
    """Commas where the phrase has them; acronyms as written; and of the capitalised words at least one
    capitalised in the text ("Jubaland security forces" is "Jubaland Security Forces", "joint forces" is not
    "Joint Forces")."""
    if not all(e.commas[k] == toks[k].comma for k in range(1, len(toks))):
        return False
    titled = False
    capital_seen = False
    for w, t in zip(e.words, toks):
        if w == w.lower():
            continue
        if w[1:] != w[1:].lower():  # an acronym or a mixed-case name: as written, or in headline capitals
            if not _case_fits(w, t.text):
                return False
            continue
        titled = True
        capital_seen = capital_seen or t.text[:1].isupper()
    return capital_seen or not titled


def _bare(name: str) -> str:
    """A name without its note in brackets: "Islamic State (Syria)" -> "Islamic State"."""
    return re.sub(r"\s*\([^)]*\)", "", name)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(_bare(phrase)))


def _common_words(key: tuple[str, ...]) -> bool:
    """Every word very common in English (wordfreq Zipf >= 4.5): "Joint Forces", "General Security"."""
    return all(zipf_frequency(w, "en") >= COMMON_ZIPF for w in key)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _known_country(code: str) -> bool:
    return code == "XK" or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None)


def builtin_files() -> list[tuple[str, str]]:
    """Our files as ``(origin, text)``: common.tsv first, then the conflicts by name."""
    folder = resources.files("mapper.nlp") / "data" / "conflicts"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".tsv")), key=lambda f: (f.name != f"{BASE}.tsv", f.name))
    return [(f"conflicts/{f.name}", f.read_text(encoding="utf-8")) for f in files]


def user_paths(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The files named by $INCIDENT_MAP_CONFLICTS and `extra`; a directory stands for its *.tsv files."""
    entries = [p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()] + [str(p) for p in extra]
    out: list[Path] = []
    for entry in entries:
        path = Path(entry).expanduser()
        if path.is_dir():
            out.extend(sorted(path.glob("*.tsv")))
        elif path.is_file():
            out.append(path)
        else:
            raise IncidentMapError(f"{ENV}: no such conflict file or directory: {path}")
    return out


def read_files(paths: Iterable[Path]) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        try:
            out.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as err:
            raise IncidentMapError(f"cannot read conflict file {path}: {err}") from err
    return out


def load(extra: tuple[str | Path, ...] = ()) -> Conflicts:
    """Our conflict files and the user's ($INCIDENT_MAP_CONFLICTS, `extra`), read once per process."""
    return _load(tuple(str(p.resolve()) for p in user_paths(extra)))


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> Conflicts:
    return Conflicts(builtin_files() + read_files(Path(p) for p in paths))


__all__ = ["ARMED", "ActorMention", "Actor", "Conflicts", "ENV", "KINDS", "Token", "fold", "load", "tokenize"]
