"""Name keys: how a place name is normalised before lookup, and how spelling variants fold.

Two keys per name, both pure functions of the string:

- `normalize_name(s)`: case-folded, diacritics stripped, apostrophes dropped, hyphens and
  punctuation turned into single spaces. ``"Zaporizhzhia"``, ``"L'viv"`` -> ``"lviv"``,
  ``"Ivano-Frankivsk"`` -> ``"ivano frankivsk"``, ``"Одеса"`` -> ``"одеса"``.
  The index and every query go through it, so lookups are exact on this key.
- `fold_name(key)`: a coarser key that makes romanisation variants meet: Cyrillic is
  transliterated, ``y``/``j`` become ``i``, doubled letters collapse, ``ia``/``ie`` lose the ``i``.
  ``Odessa``/``Odesa``/``Одесса``, ``Kyiv``/``Київ``, ``Avdiivka``/``Avdiyivka`` and
  ``Zaporizhzhia``/``Zaporizhzhya`` fold together. It is a general rule, not a list of names;
  matches through it score lower than exact ones.

`transliterate_uk` / `transliterate_ru` are the official Ukrainian (2010) and BGN/PCGN
romanisations, used to give Cyrillic-only villages a Latin name.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name", "fold_name", "joined_key", "arabic_variant", "transliterate_uk", "transliterate_ru", "tokens"]

# Apostrophe-like marks vanish (L'viv -> lviv, Luhans'k -> luhansk); other punctuation splits.
_APOSTROPHES = "'`´‘’ʼʹʻ′"
_ASCII_TABLE = str.maketrans(
    {**{c: None for c in _APOSTROPHES},
     **{c: " " for c in "-_.,;:!?\"()[]{}/\\|&+*#@%=<>~^$"},
     **{chr(i): " " for i in (*range(32), 127)}}  # control characters
)
# The same mapping for ASCII text as bytes tables: `bytes.translate` is a plain C loop, several
# times faster than `str.translate` with a dict, and most queries are ASCII.
_ASCII_BYTES = bytes(32 if _ASCII_TABLE.get(i) == " " else i for i in range(256))
_ASCII_DELETE = bytes(i for i in range(128) if i in _ASCII_TABLE and _ASCII_TABLE[i] is None)
_SPACES = re.compile(r"\s+")
# Letters NFKD does not decompose but that carry a diacritic-like difference.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d",
                          "ł": "l", "ı": "i", "þ": "th", "ħ": "h"})


_KEY_CHARS_MAX = 20_000


class _KeyChars(dict):
    """Translate table for non-ASCII names: what each character becomes in a key, worked out
    from its Unicode category on first sight and remembered (a pure function of the character).
    `str.translate` then does the per-character work in C: a Python loop calling
    `unicodedata.category` per character cost more than the rest of a lookup."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        cat = unicodedata.category(ch)[0]
        if ch in _APOSTROPHES or cat == "M":  # combining marks: the diacritics NFKD split off
            rep = None
        elif cat in "PSZC":  # punctuation, symbols, separators, controls
            rep = " "
        else:
            rep = ch
        if len(self) < _KEY_CHARS_MAX:  # bounded whatever text arrives
            self[code] = rep
        return rep


_KEY_CHARS = _KeyChars()


def normalize_name(s: str) -> str:
    """The lookup key of a name (see the module docstring). Pure and cheap: ASCII takes a fast path."""
    if s.isascii():
        if s.isalpha():  # one plain word, the commonest query: nothing to drop or split
            return s.lower()
        s = s.lower().encode("ascii").translate(_ASCII_BYTES, _ASCII_DELETE).decode("ascii")
        if "  " in s or s[:1] == " " or s[-1:] == " " or "\t" in s or "\n" in s:
            s = " ".join(s.split())
        return s
    s = unicodedata.normalize("NFKD", s.casefold().translate(_SPECIAL)).translate(_KEY_CHARS)
    return " ".join(s.split())


def tokens(key: str) -> list[str]:
    """Words of a normalised key."""
    return key.split()


# -- folding -----------------------------------------------------------------------------

# Latin letters whose romanisations disagree: y/j/i (Kyiv, Kijev), g/h (Lugansk, Luhansk).
_CYR_FOLD_ALL = str.maketrans({**{k: v.translate(str.maketrans("g", "h")) for k, v in {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "ў": "u"}.items()}, "y": "i", "j": "i", "g": "h"})
# A letter followed by itself goes (Odessa -> odesa, Avdiiivka -> avdivka): a run keeps its last.
_DOUBLES = re.compile(r"([a-z])(?=\1)")
# Doubled digraphs (Zaporizhzhia -> zaporizhia) and i before a vowel (-ia/-ya, -ie/-ye, -iu/-yu).
_DIGRAPHS_IV = re.compile(r"(zh|sh|ch|kh|ts)(?=\1)|i(?=[aeou])")


def fold_name(key: str) -> str:
    """Coarse variant key of a *normalised* key; Latin and Cyrillic fold together."""
    if key.isascii():  # the common case; str.replace beats a translate table here
        key = key.replace("y", "i").replace("j", "i").replace("g", "h")
    else:
        key = key.translate(_CYR_FOLD_ALL)
        if not key.isascii():
            return key  # other scripts: the normalised key is all we have
    key = _DOUBLES.sub("", key)
    folded = _DIGRAPHS_IV.sub("", key)
    # Dropping letters can only make new doubles if something was dropped (most keys: nothing).
    return _DOUBLES.sub("", folded) if folded != key else key


def joined_key(key: str) -> str | None:
    """A *normalised* multi-word key written as one word, or None.

    Romanised compounds are written split or joined ("Ceel Buur" / "Ceelbuur", "Buulo Burte" /
    "Buuloburte"); the gazetteer holds one spelling. Only ASCII keys whose every word has three
    letters or more qualify: initials ("U. S." -> "us") and particles would join into other names.
    Measured with `bench/fold_rules.py` ("words joined"); tried only when a key and its fold miss.
    """
    words = key.split(" ")
    if len(words) < 2 or not key.isascii() or any(len(w) < 3 or not w.isalpha() for w in words):
        return None
    return "".join(words)


_EL = re.compile(r"\b(?:el|il)(?= )")
_SUN_ARTICLE = re.compile(r"\bal (?=(th|sh|dh|[tdrzsn]))")


def arabic_variant(key: str) -> str | None:
    """A *normalised* ASCII key with Arabic romanisation variants made to meet, or None when it
    has none: "ei" is "ai" (Deir / Dayr, Sheikh / Shaikh), the article "el" / "il" is "al"
    (Deir el-Balah / Dayr al Balah), and before a sun letter it is written as said ("al nuhud" /
    "an nuhud"). GeoNames spells most Arab places one way ("Dayr al Balah")
    and news another ("Deir al-Balah"). Tried only when a key and its fold miss.
    """
    if not key.isascii() or ("ei" not in key and " " not in key):
        return None
    out = _EL.sub("al", key.replace("ei", "ai"))
    # ... and the article before a "sun letter" is written as said (al-Nuhud / An Nuhud, al-Raqqa / Ar Raqqah)
    out = _SUN_ARTICLE.sub(lambda m: f"a{m.group(1)} ", out)
    return out if out != key else None


# -- official romanisations (for Cyrillic-only names) -------------------------------------

_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_RU_VOWELS = set("аеёиоуыэюяйъь")


def _case_like(src: str, out: str) -> str:
    if src.isupper() and out:
        return out[0].upper() + out[1:]
    return out


def transliterate_uk(s: str) -> str:
    """Ukrainian national romanisation (Cabinet of Ministers resolution 55, 2010).

    ``"Роботине"`` -> ``"Robotyne"``, ``"Запоріжжя"`` -> ``"Zaporizhzhia"``; "зг" is "zgh".
    """
    out = []
    prev_letter = False
    for i, ch in enumerate(s):
        low = ch.lower()
        if low == "г" and i > 0 and s[i - 1].lower() == "з":
            rep = "gh"
        elif not prev_letter and low in _UK_INITIAL:
            rep = _UK_INITIAL[low]
        else:
            rep = _UK.get(low)
        if rep is None:
            out.append(ch)
            prev_letter = ch.isalpha()
            continue
        out.append(_case_like(ch, rep))
        prev_letter = True if rep or low in "ь'’ʼ" else prev_letter
    return "".join(out)


def transliterate_ru(s: str) -> str:
    """BGN/PCGN romanisation of Russian (without the optional middle dots).

    ``"Белгород"`` -> ``"Belgorod"``; е/ё are "ye"/"yë" at the start of a word and after a vowel.
    """
    out = []
    prev = ""
    for ch in s:
        low = ch.lower()
        if low in "её" and (not prev.isalpha() or prev in _RU_VOWELS):
            rep = "ye" if low == "е" else "yë"
        else:
            rep = _RU.get(low)
        if rep is None:
            out.append(ch)
        else:
            out.append(_case_like(ch, rep))
        prev = low
    return "".join(out)
