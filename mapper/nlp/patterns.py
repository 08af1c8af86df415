"""Pattern files kept as data (`mapper/nlp/data/*.json`), read once per process.

A file names word sets under one key ("lexicon" or "words"); anywhere in its patterns a value
"$NAME" (capitals), alone or inside a list, stands for that set, so a word list is written once and the
spaCy Matcher / DependencyMatcher patterns stay short.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from mapper.errors import IncidentMapError

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=8)
def load_patterns(name: str, *, words: str) -> dict[str, Any]:
    """`data/<name>.json` with every "$NAME" replaced by the word set `data[words][NAME]` (read it, never change it)."""
    path = DATA / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise IncidentMapError(f"cannot read the pattern file {path}: {err}") from err
    sets = {key: [w.lower() for w in value] for key, value in data.get(words, {}).items()}
    return {key: (value if key == words else _expand(value, sets, path)) for key, value in data.items()}


def words_of(value: Any) -> list[str]:
    """The words a token-pattern value accepts: "kill" or {"IN": ["kill", "slay"]} (else none)."""
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, dict):
        return [w.lower() for w in value.get("IN", [])]
    return []


def _is_name(value: Any) -> bool:
    """"$WEEKDAY" names a word set; "$" alone (a dollar sign in a pattern) does not."""
    return isinstance(value, str) and value.startswith("$") and value[1:].replace("_", "").isalpha() and value[1:].isupper()


def _expand(value: Any, sets: dict[str, list[str]], path: Path) -> Any:
    if _is_name(value):
        if value[1:] not in sets:
            raise IncidentMapError(f"{path.name}: unknown word set {value!r}")
        return list(sets[value[1:]])
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            expanded = _expand(item, sets, path)
            if _is_name(item):
                out.extend(expanded)
            else:
                out.append(expanded)
        return out
    if isinstance(value, dict):
        return {k: _expand(v, sets, path) for k, v in value.items()}
    return value


# --- matching only where a match can be -------------------------------------------------------

_NUMBER = "#"  # the gate of a pattern token that needs a number ("19", "three", "5th")
_UNBOUNDED = 10**6


class GatedMatcher:
    """A spaCy `Matcher` that reads only the tokens a match can hold: the same matches, less work.

    Each pattern is filed under its rarest required token: the words it accepts (LOWER or ORTH),
    or "a number" (LIKE_NUM, IS_DIGIT, a SHAPE of digits). A pattern of at most L tokens holds that
    token, so it lies within L - 1 tokens of it: each group's Matcher runs only on the windows
    around its gate tokens (merged where they meet), or on the whole text when a pattern has no
    gate or no length bound. The patterns of dates, counts and background words are short and
    their rare words ("Monday", "ago", a number) few, so most of a clause is never read.

    Call it as a Matcher: (key, start, end) tuples relative to the Doc or Span, sorted.
    """

    def __init__(self, vocab: Any, *, validate: bool = True):
        self.vocab = vocab
        self.validate = validate
        self.groups: dict[frozenset[str] | str | None, Any] = {}  # gate -> Matcher
        self.reach: dict[frozenset[str] | str | None, int] = {}  # gate -> longest pattern
        self.hashes: dict[frozenset[str] | str | None, tuple[int, ...]] = {}  # gate -> its words' hashes
        self._digits: dict[int, bool] = {}  # a shape's hash -> it holds a digit ("dd", "dxx")

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        from spacy.matcher import Matcher

        for pattern in patterns:
            gate = _gate(pattern)
            length = _longest(pattern)
            if gate is not None and length >= _UNBOUNDED:
                gate = None
            self.groups.setdefault(gate, Matcher(self.vocab, validate=self.validate)).add(key, [pattern])
            self.reach[gate] = max(self.reach.get(gate, 0), length)
            if isinstance(gate, frozenset):
                self.hashes[gate] = tuple(self.vocab.strings.add(w) for w in gate)

    def __call__(self, doclike: Any) -> list[tuple[int, int, int]]:
        from spacy.attrs import LIKE_NUM, LOWER, SHAPE

        strings = self.vocab.strings
        where: dict[int, list[int]] = {}  # a lower-case word's hash -> its positions
        numbers: list[int] = []
        rows = doclike.to_array([LOWER, LIKE_NUM, SHAPE]).tolist() if len(doclike) else []
        for i, (lower, like_num, shape) in enumerate(rows):
            where.setdefault(lower, []).append(i)
            digits = self._digits.get(shape)
            if digits is None:
                digits = self._digits[shape] = "d" in strings[shape]
            if like_num or digits:
                numbers.append(i)
        out: set[tuple[int, int, int]] = set()
        for gate, matcher in self.groups.items():
            if gate is None:
                out.update(matcher(doclike))
                continue
            hits = numbers if gate == _NUMBER else sorted(i for w in self.hashes[gate] for i in where.get(w, ()))
            for start, end in _windows(hits, self.reach[gate] - 1, len(rows)):
                out.update((key, start + s, start + e) for key, s, e in matcher(doclike[start:end]))
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))


def _gate(pattern: list[dict[str, Any]]) -> frozenset[str] | str | None:
    """The rarest test a pattern cannot do without: a word set with the fewest common words,
    then a number; None when every required token is open (a POS, IS_ALPHA, ...)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    best: tuple[tuple[int, int], frozenset[str] | str] | None = None
    for node in pattern:
        if node.get("OP") in ("?", "*", "!") or str(node.get("OP", "")).startswith("{0"):
            continue
        words = frozenset(words_of(node.get("LOWER")) or words_of(node.get("ORTH")))
        if words:
            common = sum(w in STOP_WORDS for w in words)
            score, gate = ((2 + common, len(words)) if common else (0, len(words))), words
        elif node.get("LIKE_NUM") is True or node.get("IS_DIGIT") is True or (
                (shapes := words_of(node.get("SHAPE"))) and all("d" in s for s in shapes)):
            score, gate = (1, 0), _NUMBER
        else:
            continue
        if best is None or score < best[0]:
            best = (score, gate)
    return best[1] if best else None


def _longest(pattern: list[dict[str, Any]]) -> int:
    """How many tokens a match of `pattern` can hold at most."""
    total = 0
    for node in pattern:
        op = str(node.get("OP", ""))
        if op in ("*", "+"):
            return _UNBOUNDED
        if op.startswith("{"):
            bounds = op.strip("{}").split(",")
            if len(bounds) == 2 and not bounds[1]:
                return _UNBOUNDED
            total += int(bounds[-1])
        else:
            total += 1
    return total


def _windows(hits: list[int], reach: int, n: int) -> list[tuple[int, int]]:
    """[hit - reach, hit + reach] around each hit, clipped to 0..n and merged where they meet."""
    out: list[tuple[int, int]] = []
    for i in hits:
        start, end = max(0, i - reach), min(n, i + reach + 1)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
