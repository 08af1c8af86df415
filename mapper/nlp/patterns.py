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
