"""Short cuts of `Gazetteer` for the commonest queries, each giving the general path's answer.

- a plain name without options (`geocode("Kharkiv")`): the build stored its answer
  (`store.KEY_TOP`, `gazetteer.answers`), one record read;
- "<name> region" without options: the name's stored `PHRASE_TOP`, when the flags show that
  neither the whole phrase nor its folded key can match on its own;
- a name narrowed only by `country=` or a parent country or region ("Town, Province"): its own
  postings are all the candidates, ranked as lists instead of merged into dicts.

Each returns None when it cannot be sure (an alias matches, a parent town adds a distance
term, ...) and the general path decides. `tests/test_gazetteer_answers.py` checks each against
the general path; the arithmetic repeats it term by term, in the same order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ranking
from .normalize import fold_name
from .ranking import K_FOLDED, MATCH_NAMES, MAX_POSTINGS, SHORT_KEY, TOP_POSTINGS
from .store import (
    FOLD_EXTENDED, KEY_TOP, NAME_EXTENDED, NO_KEY, NO_SCORE, NS_FOLD, NS_NAME, PHRASE_TOP, SCORE_SCALE,
)

if TYPE_CHECKING:
    from .phrases import Phrase
    from .place import Place

KEY_TOP_SIZE, PHRASE_TOP_SIZE = KEY_TOP.size, PHRASE_TOP.size


class ShortCuts:
    """Mixed into `Gazetteer`. Reads its index (`_ix`, `_key_top`, `_phrase_top`, `_key_flags`),
    alias overlay (`_overlay`, `_overlay_fold`, `_overlay_fold_stems`) and code tables
    (`_country_pos`, `_admin1_pos`); builds Places with its `_make` / `_place`; finds a missing
    key's variants with its `_fold_find`."""

    def _rank_static(self, key: str, limit: int) -> list[Place] | None:
        """A plain name without context: postings are stored best first, so read them in order.

        Same result as the general path, without building candidate dicts; None when the
        general path is needed: the alias overlay has the name (or a folded match to merge).
        `geocode()` reads the answer the build stored (`store.KEY_TOP`).
        """
        k = self._key_number(key)
        if k is None or k < 0:
            return None if k is None else []
        if limit == 1:
            pid, score, kind = self._unpack_top(self._key_top, k * KEY_TOP_SIZE)
            return [] if score == NO_SCORE else [self._make(pid, score / SCORE_SCALE, MATCH_NAMES[kind], key)]
        if len(key) <= SHORT_KEY:  # exact postings only: the general path sorts them out
            return None
        ix = self._ix
        start = ix.key_start[k]
        end = min(ix.key_start[k + 1], start + TOP_POSTINGS)
        scores = ranking.scores(ix.post_strength[start:end].tolist(), limit)
        out = []
        for j in range(start, min(end, start + limit)):
            out.append(self._place(ix.post_place[j], scores[j - start], MATCH_NAMES[ix.post_kind[j]], key))
        return out

    def _key_number(self, key: str) -> int | None:
        """The index key serving `key` alone, as `_collect` finds it: the exact key, else (keys
        longer than SHORT_KEY) the folded one; -1 when neither exists, None when the alias
        overlay has the name or its folded form (the general path merges those in)."""
        if key in self._overlay:
            return None
        ix = self._ix
        k = ix.find(NS_NAME, key)
        if k < 0 and len(key) > SHORT_KEY:
            if fold_name(key) in self._overlay_fold:
                return None
            k = self._fold_find(key)[0]
        return k

    def _rank_region(self, phrase: Phrase) -> list[Place] | None:
        """ "<name> region" without options, answered from the name's stored `PHRASE_TOP`.

        That answer assumes only the name matches, not the whole phrase (nor its folded key) in
        the index or among the aliases. The flags say when no longer key starts with the name,
        so the phrase need not be looked up. None when the general path must decide.
        """
        key, core = phrase.key, phrase.core
        n = len(core)
        if (key[n:n + 1] != " " or not key.startswith(core) or not key.isascii()  # ASCII folds word by word
                or key in self._overlay or core in self._overlay):
            return None
        ix = self._ix
        k = ix.find(NS_NAME, core)
        if k < 0:
            return None
        pid, score, kind, fk = self._unpack_phrase(self._phrase_top, k * PHRASE_TOP_SIZE)
        if fk == NO_KEY or (self._key_flags[k] & NAME_EXTENDED and ix.find(NS_NAME, key) >= 0):
            return None
        if self._key_flags[fk] & FOLD_EXTENDED or fk in self._overlay_fold_stems:
            fkey = fold_name(key)
            if fkey in self._overlay_fold or ix.find(NS_FOLD, fkey) >= 0:
                return None
        return [] if score == NO_SCORE else [self._make(pid, score / SCORE_SCALE, MATCH_NAMES[kind], key)]

    def _rank_postings(self, phrase: Phrase, country: str | None, limit: int) -> list[Place] | None:
        """A name narrowed by `country=` or a parent country or region, without context: its own
        postings are all the candidates, so they are ranked as lists (no dicts to merge into).

        The general path's arithmetic term by term (see `_adjust_by_tables`); None when it must
        decide: aliases match, or the parent is a town (a distance term).
        """
        key = phrase.key
        k = self._key_number(key)
        if k is None or k < 0:
            return None if k is None else []
        parent_cc, parent_a1, parent_pt, hard = self._parent(phrase)
        if parent_pt is not None:
            return None
        ix = self._ix
        start = ix.key_start[k]
        end = min(ix.key_start[k + 1], start + MAX_POSTINGS)
        pids = ix.post_place[start:end].tolist()
        values = ix.post_strength[start:end].tolist()
        kinds = ix.post_kind[start:end].tolist()
        if len(key) <= SHORT_KEY and K_FOLDED in kinds:
            keep = [i for i, kind in enumerate(kinds) if kind != K_FOLDED]
            pids, values, kinds = [pids[i] for i in keep], [values[i] for i in keep], [kinds[i] for i in keep]
            if not pids:
                return []
        cc_of, a1_of = ix.cc, ix.a1
        country_i = self._country_pos.get(country, -1) if country else None
        parent_cc_i = self._country_pos.get(parent_cc, -1) if parent_cc else None
        parent_a1_i = self._admin1_pos.get(parent_a1, -1) if parent_a1 else None
        parent_cc_bonus = ranking.PARENT_BONUS * (0.5 if parent_a1 else 1.0)
        parent_a1_bonus = ranking.PARENT_BONUS * 0.5
        for i, pid in enumerate(pids):
            s = values[i]
            if country_i is not None and cc_of[pid] != country_i:
                s += ranking.COUNTRY_ARG_MALUS
            if parent_cc_i is not None and cc_of[pid] == parent_cc_i:
                s += parent_cc_bonus
            if parent_a1_i is not None and a1_of[pid] == parent_a1_i:
                s += parent_a1_bonus
            if hard and (cc_of[pid] != parent_cc_i or (parent_a1_i is not None and a1_of[pid] != parent_a1_i)):
                s += ranking.PARENT_OUTSIDE_MALUS
            values[i] = s
        if limit == 1:  # the first of the strongest, as the stable sort below would put it first
            i = max(range(len(pids)), key=values.__getitem__) if len(pids) > 1 else 0
            values.sort(reverse=True)
            return [self._place(pids[i], ranking.top_score(values), MATCH_NAMES[kinds[i]], key)]
        order = sorted(range(len(pids)), key=values.__getitem__, reverse=True)  # stable, as the general path
        scores = ranking.scores([values[i] for i in order], limit)
        return [self._place(pids[i], score, MATCH_NAMES[kinds[i]], key) for i, score in zip(order, scores)]
