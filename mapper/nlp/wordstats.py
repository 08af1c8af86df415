"""How a word is used in English at large: how common it is, and how often it is a person's name.

Features for "is this capitalised word a place?": a rare word the gazetteer knows ("Kherson")
is more likely the place than a common one ("Hope", "Mobile"), and a common first name or
surname ("Georgia", "Jackson") is often a person. Frequencies come from pinned packages:
`wordfreq` (Zipf scale, 0 = unseen .. 8 = "the") and `names` (the 1990 US census lists of
first names and surnames with the share of people bearing each, in percent; MIT licence).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common `word` is in English (Zipf scale; 0 when unseen), case-insensitive."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, float], dict[str, float]]:
    first: dict[str, float] = {}
    for file in ("dist.male.first", "dist.female.first"):
        for name, share in _read(file):
            first[name] = first.get(name, 0.0) + share
    return first, dict(_read("dist.all.last"))


def _read(file: str) -> list[tuple[str, float]]:
    text = (resources.files("names") / file).read_text(encoding="ascii")
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out.append((parts[0].lower(), float(parts[1])))
    return out


def first_name_share(word: str) -> float:
    """Percent of people in the census list whose first name is `word` (0 when not a first name)."""
    return _names()[0].get(word.lower(), 0.0)


def surname_share(word: str) -> float:
    """Percent of people in the census list whose surname is `word` (0 when not a surname)."""
    return _names()[1].get(word.lower(), 0.0)
