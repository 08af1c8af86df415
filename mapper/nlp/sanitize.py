"""Text the tokenizer can digest: long runs of punctuation and symbols are cut short.

spaCy's tokenizer peels prefixes and suffixes off a whitespace-delimited chunk one character
at a time, searching the rest of the chunk each time: a chunk of thousands of `=`, `(`, `%`,
`_` or emoji costs time quadratic in its length (20,000 `=` took over a minute, with the GIL
held). Prose never has more than a handful of such characters in a row, so every run longer
than `MAX_RUN` keeps its first `MAX_RUN` characters and the rest become spaces. The text keeps
its length, so character offsets into it are offsets into the original.
"""

from __future__ import annotations

import re

MAX_RUN = 16  # a rule line of dashes or a burst of "!!!" stays; a 20,000-character banner does not

# Neither a letter, a digit nor whitespace; `_` counts as punctuation here (\w includes it).
_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (MAX_RUN + 1))


def neutralise_runs(text: str, *, max_run: int = MAX_RUN) -> str:
    """`text` with each run of more than `max_run` punctuation/symbol characters cut to its first
    `max_run`, the rest replaced by spaces (same length, same offsets)."""
    pattern = _RUN if max_run == MAX_RUN else re.compile(r"(?:[^\w\s]|_){%d,}" % (max_run + 1))
    return pattern.sub(lambda m: m.group()[:max_run] + " " * (len(m.group()) - max_run), text)
