"""Answers the build stores so the commonest lookups read one record instead of ranking.

Two questions are asked far more often than any other, and without context their answer
depends on the index alone:

- a name asked alone ("Kharkiv"): `key_tops` stores, per key, the first posting and the score
  `ranking.top_score` gives it over the key's first `TOP_POSTINGS` postings (exact postings only
  for keys of `SHORT_KEY` characters or fewer, which never match through folding);
- a region phrase ("Kursk region", "Donetsk Oblast"): `phrase_tops` stores, per name key, the
  answer of "<key> region" when only the key itself matches, i.e. its postings less
  `CORE_PENALTY`, plus the want-a-region term, ranked as `Gazetteer._rank` ranks them.
  `key_flags` tells the gazetteer when that holds: when no longer key starts with the key and
  a space (in either namespace), no phrase built on it can be found whole in the index.

Everything here repeats query-time arithmetic on the same float32 strengths, term by term in
the same order, so a stored answer cannot differ from a computed one (`tests/test_gazetteer_answers.py`
checks them against the general path).
"""

from __future__ import annotations

import array

from .errors import GazetteerError
from .ranking import (
    CORE_PENALTY, F_ADMIN1, K_FOLDED, SHORT_KEY, TOP_POSTINGS, WANT_FEATURE_BONUS, WANT_FEATURE_MALUS, top_score,
)
from .store import FOLD_EXTENDED, KEY_TOP, NAME_EXTENDED, NO_KEY, NO_SCORE, PHRASE_TOP, SCORE_SCALE


def stored_score(strengths: list[float]) -> int:
    """`round(score, 4)` of the first of `strengths` (sorted best first) as 1/SCORE_SCALE units,
    the score `Gazetteer._place` gives it (`ranking.top_score`, as the query-time paths)."""
    score = round(top_score(strengths), 4)
    n = round(score * SCORE_SCALE)
    if n / SCORE_SCALE != score:
        raise GazetteerError(f"score {score!r} does not survive storage as {n}/{SCORE_SCALE}")
    return n


def _postings(k: int, starts: list[int], kinds: array.array, exact_only: bool) -> range | list[int]:
    """Positions of key k's first TOP_POSTINGS postings (without folded ones if `exact_only`)."""
    a = starts[k]
    span = range(a, min(starts[k + 1], a + TOP_POSTINGS))
    return [j for j in span if kinds[j] != K_FOLDED] if exact_only else span


def key_tops(names: list[str], n_keys: int, key_start: array.array, post_place: array.array,
             post_kind: array.array, post_strength: array.array) -> bytearray:
    """A `KEY_TOP` per key: `names` are the name keys (numbered first), the fold keys follow."""
    starts = key_start.tolist()
    strengths = post_strength.tolist()
    size = KEY_TOP.size
    out = bytearray(size * n_keys)
    single: dict[float, int] = {}  # most keys have one posting: its score depends on it alone
    for k in range(n_keys):
        span = _postings(k, starts, post_kind, k < len(names) and len(names[k]) <= SHORT_KEY)
        if not span:
            KEY_TOP.pack_into(out, k * size, 0, NO_SCORE, 0)
            continue
        first = span[0]
        n = single.get(strengths[first]) if len(span) == 1 else None
        if n is None:
            n = stored_score([strengths[j] for j in span])
            if len(span) == 1:
                single[strengths[first]] = n
        KEY_TOP.pack_into(out, k * size, post_place[first], n, post_kind[first])
    return out


def phrase_tops(names: list[str], fold_number: dict[str, int], fold_of: list[str], key_start: array.array,
                post_place: array.array, post_kind: array.array, post_strength: array.array,
                feat: array.array) -> bytearray:
    """A `PHRASE_TOP` per name key: "<key> region" answered from the key's own postings.

    Mirrors `Gazetteer._rank` for that case: the core's postings enter with `CORE_PENALTY`
    taken off, then each gains the bonus or malus of being a region; the first of the
    strongest wins, scored over all of them.
    """
    starts = key_start.tolist()
    strengths = post_strength.tolist()
    size = PHRASE_TOP.size
    out = bytearray(size * len(names))
    for k, key in enumerate(names):
        fk = fold_number.get(fold_of[k], NO_KEY)
        span = _postings(k, starts, post_kind, len(key) <= SHORT_KEY)
        if not span:
            PHRASE_TOP.pack_into(out, k * size, 0, NO_SCORE, 0, fk)
            continue
        best = -1
        values = []
        for j in span:
            s = strengths[j] - CORE_PENALTY
            s += WANT_FEATURE_BONUS if feat[post_place[j]] == F_ADMIN1 else WANT_FEATURE_MALUS
            if best < 0 or s > values[best]:
                best = len(values)
            values.append(s)
        j = span[best]
        n = stored_score(sorted(values, reverse=True))
        PHRASE_TOP.pack_into(out, k * size, post_place[j], n, post_kind[j], fk)
    return out


def key_flags(names: list[str], folds: list[str]) -> bytearray:
    """Per key: NAME_EXTENDED when a longer name key starts with it and a space, FOLD_EXTENDED
    likewise among fold keys (fold keys are numbered after the name keys)."""
    out = bytearray(len(names) + len(folds))
    for keys, offset, flag in ((names, 0, NAME_EXTENDED), (folds, len(names), FOLD_EXTENDED)):
        number = {key: offset + i for i, key in enumerate(keys)}
        for key in keys:
            at = key.find(" ")
            while at > 0:
                k = number.get(key[:at])
                if k is not None:
                    out[k] |= flag
                at = key.find(" ", at + 1)
    return out
