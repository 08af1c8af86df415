"""Fixed train / dev / test splits of every data set we tune on, by document, made once.

A document's split is a pure function of its source and its id (SHA-1, not Python's salted
hash), so every script, every machine and every later session sees the same split:

    train 60%   fit models and write rules on it
    dev   20%   tune on it; a change is kept when it helps dev on more than one source
    test  20%   scored once when a piece of work is done, and reported; never tuned on

Sources and their document ids: "lgl" and "tr-news" (the article's ``docid``), "acled-somalia"
(the event ``id``), the stem of an ACLED-style CSV of our own in tests/data/notes (the note
``id``), "articles" (our own test articles: the file path relative to
tests/data/articles, e.g. ``heldout3/gaza_rafah.txt``), "examples" (../shared/examples: the stem).

    python bench/splits.py            # prints the size of each split per source
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SPLITS = ("train", "dev", "test")
SHARED = Path(__file__).resolve().parents[2] / "shared"
ACLED_CSV = SHARED / "benchmarks" / "acled-somalia" / "somalia.csv"
GEOPARSING = SHARED / "benchmarks" / "geoparsing"
ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "articles"


def split_of(source: str, doc_id: str) -> str:
    """"train", "dev" or "test" for one document of one source.

    >>> split_of("lgl", "40450848") in SPLITS
    True
    """
    h = int(hashlib.sha1(f"{source}\x00{doc_id}".encode()).hexdigest()[:8], 16) % 10
    return "train" if h < 6 else "dev" if h < 8 else "test"


def in_split(source: str, doc_id: str, splits: str | tuple[str, ...]) -> bool:
    """True when the document belongs to one of `splits` ("dev", or ("train", "dev"))."""
    wanted = (splits,) if isinstance(splits, str) else splits
    unknown = set(wanted) - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split(s) {sorted(unknown)}; choose from {SPLITS}")
    return split_of(source, doc_id) in wanted


def acled_rows(splits: str | tuple[str, ...] = SPLITS, *, path: Path = ACLED_CSV) -> Iterator[dict[str, str]]:
    """The events of `splits` in an ACLED-style CSV, as dicts of its columns (read in place).

    The source of the split is "acled-somalia" for ACLED's file and the file's stem for another
    (our own notes in tests/data/notes, e.g. "five_countries")."""
    source = "acled-somalia" if path == ACLED_CSV else path.stem
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if in_split(source, row["id"], splits):
                yield row


def geoparsing_articles(splits: str | tuple[str, ...] = SPLITS) -> Iterator[tuple[str, str, list[tuple[int, int, Any]]]]:
    """LGL and TR-News articles of `splits` as (source, text, toponyms): each toponym its
    character span, realigned when the annotated offset drifts by a few characters, and its XML
    element (for the gold's ``gaztag``). Read in place."""
    import xml.etree.ElementTree as ET

    for source, file in (("lgl", "lgl.xml"), ("tr-news", "TR-News.xml")):
        for art in ET.parse(GEOPARSING / file).getroot().iter("article"):
            if not in_split(source, art.get("docid", ""), splits):
                continue
            text = art.findtext("text") or ""
            toponyms = []
            for top in art.iter("toponym"):
                phrase, start = top.findtext("phrase") or "", int(top.findtext("start"))
                i = text.find(phrase, max(0, start - 20))
                start = i if i >= 0 and abs(i - start) < 40 else start
                toponyms.append((start, start + len(phrase), top))
            yield source, text, toponyms


def main() -> int:
    import xml.etree.ElementTree as ET

    counts: dict[str, Counter] = {}
    for source, name in (("lgl", "lgl.xml"), ("tr-news", "TR-News.xml")):
        path = GEOPARSING / name
        if path.exists():
            counts[source] = Counter(split_of(source, a.get("docid", "")) for a in ET.parse(path).getroot().iter("article"))
    if ACLED_CSV.exists():
        counts["acled-somalia"] = Counter(split_of("acled-somalia", r["id"]) for r in acled_rows())
    own = [p.relative_to(ARTICLES).as_posix() for p in ARTICLES.rglob("*") if p.is_file() and p.suffix in (".txt", ".json", ".jsonl", ".html")]
    counts["articles"] = Counter(split_of("articles", p) for p in own)
    for source, c in counts.items():
        print(f"{source:14} " + "  ".join(f"{s} {c[s]:5}" for s in SPLITS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
