"""Text helpers shared by the article reader and the incident builder.

A fast regex sentence splitter that keeps character offsets into the original text (so a
quote can always be traced back), paragraph and clause splitting, page-boilerplate
detection and number words. No model is loaded here: this runs on every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


# Abbreviations whose full stop does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr st gen lt col sgt maj capt cpl pvt adm gov rep sen pres prof rev hon jr sr
    inc ltd co corp dept est fig no nos vs etc approx e.g i.e a.m p.m u.s u.k u.n e.u
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft km""".split()
)

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, space.
# (The look-behind makes a match start only at the first mark of a run: "!?!?..." stays linear.)
# (also a full stop with no space after it, as copied notes and stripped HTML leave them: "over the
# administration.7 people were killed", "coded as 3.The group began"; never inside "3.5" or "U.S.")
_END = re.compile(r"(?<![.!?…])([.!?…]+)([\"'”’)\]]*)(\s+(?=[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF])|"
                  r"(?<=[a-z0-9]\.)(?=[A-Z][a-z]{2,}\s)|(?<=[a-z]{2}\.)(?=\d+\s+[a-z]))")
_LINE = re.compile(r"\n")


def paragraphs(text: str) -> list[Span]:
    """Paragraphs: runs of text separated by a blank line (offsets into `text`)."""
    out: list[Span] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        _add_stripped(out, text, pos, m.start())
        pos = m.end()
    _add_stripped(out, text, pos, len(text))
    return out


def split_sentences(text: str, *, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` with offsets into `text`.

    Splits at terminal punctuation followed by a capital or a digit, unless the word before the
    dot is a known abbreviation or a single initial ("J. Smith"), and always at line breaks
    (headlines, datelines and list items are their own sentences).
    """
    end = len(text) if end is None else end
    out: list[Span] = []
    for line in _lines(text, start, end):
        pos = line.start
        for m in _END.finditer(text, line.start, line.end):
            if m.group(1) == "." and _is_abbreviation(text, m.start()):
                continue
            _add_stripped(out, text, pos, m.end(2))
            pos = m.end()
        _add_stripped(out, text, pos, line.end)
    return out


def clauses(text: str, span: Span) -> list[Span]:
    """A sentence cut at semicolons: "In Kharkiv two were hurt; in Sumy one died" is two clauses."""
    out: list[Span] = []
    pos = span.start
    for m in re.finditer(r";\s*", text[span.start:span.end]):
        _add_stripped(out, text, pos, span.start + m.start())
        pos = span.start + m.end()
    _add_stripped(out, text, pos, span.end)
    return out


def _lines(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    pos = start
    for m in _LINE.finditer(text, start, end):
        _add_stripped(out, text, pos, m.start())
        pos = m.end()
    _add_stripped(out, text, pos, end)
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[i].isupper():  # an initial ("George W. Bush", "J. R. Smith") ...
        prev = text[max(0, i - 20):i].rstrip().rsplit(None, 1)[-1:]
        # ... unless it follows a lower-case word and no initial follows: "said in a post on X.
        # Pakistan's military said" ends a sentence, "it was J. R. Smith" does not
        return not (prev and prev[0].isalpha() and prev[0].islower()) or bool(re.match(r"\s+[A-Z]\.", text[dot + 1:dot + 5]))

    return word in ABBREVIATIONS


def _add_stripped(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(text[start:end], start, end))


# --- page boilerplate -------------------------------------------------------------------------

# Lines that belong to the page, not the story: appeals, prompts, cookie notices, share bars.
BOILERPLATE = re.compile(
    r"""(?ix)
    \b(donat(e|ion|ions)|support\s+(our|independent|quality)\s+(journalism|reporting|newsroom)
      |become\s+a\s+(member|supporter|subscriber)|(subscribe|sign\s+up|register)\b.{0,40}\b(newsletter|updates|briefing|inbox|free|today|now)
      |newsletters?|unsubscribe|cookies?\b|privacy\s+(policy|settings|notice)|terms\s+of\s+(use|service)
      |accept\s+all|manage\s+(preferences|consent)|all\s+rights\s+reserved|©|\(c\)\s*\d{4}
      |follow\s+us\s+on|share\s+(this|on)\b|click\s+here|advertisement|sponsored\s+content
      |read\s+more\b|related\s*(articles|stories|coverage)?\s*:|most\s+(read|popular)|also\s+read
      |watch\s*:|listen\s+to\s+(this|the\s+podcast)|download\s+(our|the)\s+app|skip\s+to\s+(main\s+)?content
      |log\s*in\b|sign\s*in\b|paywall|premium\s+subscribers?|reporting\s+by\b|editing\s+by\b|our\s+standards\s*:
      |this\s+article\s+(was|has\s+been)\s+(updated|amended|corrected)|comments?\s+(are\s+)?(closed|policy)
    )""",
)


def is_boilerplate(line: str) -> bool:
    """True for a line of page furniture ("Donate now", "Read more: ...", a cookie notice).

    Long story sentences that merely contain a word like "cookies" are kept: boilerplate
    lines are short or are made mostly of the prompt itself.
    """
    stripped = line.strip()
    if not stripped:
        return True
    m = BOILERPLATE.search(stripped)
    if not m:
        return False
    # A story sentence can say "... the newsletter ..."; page prompts are short.
    return len(stripped) < 220 or m.start() < 10


# --- numbers ----------------------------------------------------------------------------------

# Words text2num does not read as numbers but news uses as counts ("a dozen", "both", "a couple").
_SMALL = {"a": 1, "an": 1, "single": 1, "zero": 0, "no": 0, "both": 2, "couple": 2, "pair": 2}


def parse_number(word: str) -> int | None:
    """An integer from digits ("1,200") or English number words ("twenty-three", "a hundred", "half a dozen").

    Number words go through `text2num`; "a"/"an" before "hundred", and "dozen" as a multiple, are ours.
    """
    w = word.lower().strip()
    digits = w.replace(",", "").replace("\u202f", "").replace("\u00a0", "")
    if digits.isdigit():
        return int(digits)
    words = [p for p in re.split(r"[\s-]+", w) if p]
    if not words:
        return None
    if words[-1] in ("dozen", "dozens") and len(words) <= 3:
        if words[:-1] == ["half", "a"]:
            return 6
        times = parse_number(" ".join(words[:-1])) if words[:-1] else 1
        return None if times is None else 12 * times
    if len(words) == 1 and words[0] in _SMALL:
        return _SMALL[words[0]]
    if words[0] in ("a", "an"):
        words[0] = "one"  # "a hundred"
    try:
        return text2num(" ".join(words), "en")
    except ValueError:
        return None
