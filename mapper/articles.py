"""Reading articles: plain text, HTML, JSON and JSONL records, files, directories and stdin.

Every input becomes an `Article`, or an `ArticleError` naming the input and the reason
(undecodable bytes, binary data, an empty page, nothing but page furniture). In a batch a bad
file yields its error and the rest goes on, so one broken download never loses the others.

Plain text may begin with ``date YYYY-MM-DD`` or with ``key: value`` header lines (title, url,
published, source) ended by a blank line (DESIGN.md).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mapper.errors import ArticleError
from mapper.records import Article
from mapper.nlp.text import is_boilerplate

EXTENSIONS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
              ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
HEADER_KEYS = ("title", "url", "published", "source", "date")
MIN_WORDS = 8  # fewer words than this is a caption or a stub, not an article
MAX_BYTES = 20_000_000
# About 15,000 words: several times a long feature story. Extraction time grows faster than
# length (about 4 s at this size on one core), so longer texts are refused rather than left
# to hold a worker for minutes (docs/operations.md).
MAX_ARTICLE_CHARS = 100_000
# Publication dates outside this range are feed sentinels (Go's zero time 0001-01-01,
# 9999-12-31 for "never") or typos, not dates: refused before they reach date arithmetic.
EARLIEST = date(1800, 1, 1)
LATEST = date(2199, 12, 31)

_DATE_LINE = re.compile(r"\A\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\s*(?:\n|\Z)", re.I)
_HEADER_LINE = re.compile(r"^(title|url|published|source|date)\s*:\s*(.*)$", re.I)


def read_article(
    src: str | os.PathLike[str] | bytes, *, origin: str | None = None, published: date | None = None
) -> Article:
    """One article from a path (`os.PathLike`), raw bytes or a text string.

    A `str` is always the article itself, never a file name: text that reaches us from a user
    must not be able to name a file on the server. Pass `pathlib.Path` to read a file, and use
    `read_articles(["-"])` for stdin. `published` is the fallback when the article carries no
    date of its own.
    """
    if isinstance(src, os.PathLike):
        path = Path(src)
        articles = list(_read_path(path, published=published))
        return _single(articles, origin or str(path))
    if isinstance(src, (bytes, bytearray)):
        origin = origin or "<bytes>"
        text = decode(bytes(src), origin=origin)
    elif isinstance(src, str):
        origin = origin or "<text>"
        text = src
    else:
        raise ArticleError(f"cannot read an article from {type(src).__name__}", source=origin)
    kind = sniff(text)
    if kind == "jsonl":
        return _single(list(_parse_jsonl(text, origin=origin, published=published)), origin)
    return parse(text, kind=kind, origin=origin, published=published)


def read_articles(
    paths: Iterable[str | Path], *, published: date | None = None
) -> Iterator[Article | ArticleError]:
    """Articles from files, directories (recursively, known extensions) and ``"-"`` (stdin).

    A file that cannot be read yields an `ArticleError` in its place; JSONL yields one item per
    line, so a bad line costs only itself.
    """
    for raw in paths:
        if str(raw) == "-":
            yield from _guard(_read_path(None, published=published), "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in EXTENSIONS:
                    yield from _guard(_read_path(child, published=published), str(child))
            continue
        yield from _guard(_read_path(path, published=published), str(path))


def article_from_record(
    record: Mapping[str, Any], *, origin: str | None = None, published: date | None = None
) -> Article:
    """An article from a JSON record: ``text`` (or ``html``), ``published``, ``url``, ``title``, ``source``."""
    if not isinstance(record, Mapping):
        raise ArticleError(f"a JSON article must be an object, got {type(record).__name__}", source=origin)
    unknown_text = record.get("text")
    if unknown_text is None and isinstance(record.get("html"), str):
        art = parse_html(record["html"], origin=origin, published=published)
        text, meta = art.text, {"title": art.title, "url": art.url, "published": art.published}
    else:
        if not isinstance(unknown_text, str):
            raise ArticleError('a JSON article needs a "text" string', source=origin)
        text, meta = unknown_text, {}
    if "\x00" in text:  # JSON can carry "\u0000", which no news text has: a binary blob, not prose
        raise ArticleError('binary data (NUL characters) in the "text" field, not an article', source=origin)
    pub = _parse_date(record.get("published") or record.get("date"), origin=origin)
    return _finish(
        text,
        origin=origin,
        published=pub or meta.get("published") or published,
        url=_opt_str(record.get("url")) or meta.get("url"),
        title=_opt_str(record.get("title")) or meta.get("title"),
        source=_opt_str(record.get("source")),
    )


# --- formats ----------------------------------------------------------------------------------


def sniff(text: str) -> str:
    """Guess the format of a text with no file name: ``html``, ``json``, ``jsonl`` or ``text``."""
    head = text.lstrip()[:2000].lower()
    if head.startswith("{") or head.startswith("["):
        first = head.split("\n", 1)[0].strip()
        if first.startswith("{") and first.endswith("}") and text.strip().count("\n") > 0:
            return "jsonl"
        return "json"
    if head.startswith("<") and re.search(r"<(html|body|p|div|article|!doctype|head)\b", head):
        return "html"
    return "text"


def parse(text: str, *, kind: str, origin: str | None = None, published: date | None = None) -> Article:
    """An article from decoded text of a known format (not ``jsonl``)."""
    if kind == "html":
        return parse_html(text, origin=origin, published=published)
    if kind == "json":
        record = _json(text, origin=origin)
        if isinstance(record, list):
            if len(record) != 1:
                raise ArticleError(f"a JSON list of {len(record)} articles: read it with read_articles", source=origin)
            record = record[0]
        return article_from_record(record, origin=origin, published=published)
    return parse_text(text, origin=origin, published=published)


def parse_text(text: str, *, origin: str | None = None, published: date | None = None) -> Article:
    """Plain text with the optional DESIGN.md header (``date YYYY-MM-DD`` or ``key: value`` lines)."""
    meta: dict[str, str] = {}
    m = _DATE_LINE.match(text)
    if m:
        meta["published"] = m.group(1)
        text = text[m.end():]
    else:
        lines = text.lstrip("\ufeff").split("\n")
        i = 0
        while i < len(lines) and _HEADER_LINE.match(lines[i].strip()):
            key, value = _HEADER_LINE.match(lines[i].strip()).groups()
            meta["published" if key.lower() == "date" else key.lower()] = value.strip()
            i += 1
        # Header lines count only when a blank line closes them (else "Source: ..." is prose).
        if i and (i == len(lines) or not lines[i].strip()):
            text = "\n".join(lines[i + 1:])
        else:
            meta = {}
    pub = _parse_date(meta.get("published"), origin=origin)
    return _finish(text, origin=origin, published=pub or published, url=meta.get("url") or None,
                   title=meta.get("title") or None, source=meta.get("source") or None)


def parse_html(html: str, *, origin: str | None = None, published: date | None = None) -> Article:
    """Main text, title, date and URL of a web page through trafilatura (navigation and ads dropped)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError) as err:  # lxml rejects some malformed pages
        raise ArticleError(f"could not parse HTML: {err}", source=origin) from err
    if doc is None or not (doc.text or "").strip():
        raise ArticleError("no article text found in the HTML page", source=origin)
    title = (doc.title or "").strip() or None
    text = doc.text
    if title:  # trafilatura repeats the headline as the first line
        first, _, rest = text.partition("\n")
        if first.strip() == title:
            text = rest
    pub = _parse_date(doc.date, origin=origin, strict=False)
    return _finish(text, origin=origin, published=pub or published, url=doc.url or None, title=title,
                   source=(doc.sitename or None))


# --- decoding ---------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, *, origin: str | None = None) -> str:
    """Bytes to text: a BOM's encoding, else UTF-8, else Windows-1251 when the bytes read as
    Cyrillic, else Windows-1252 / Latin-1. Binary data is rejected, with the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise ArticleError(f"not valid {encoding} despite its byte-order mark: {err}", source=origin) from err
    if b"\x00" in data[:4096]:
        raise ArticleError("binary data (NUL bytes), not a text article", source=origin)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _control_share(data) > 0.05:
        raise ArticleError("binary data (control bytes), not a text article", source=origin)
    cyr = data.decode("cp1251", errors="replace")
    letters = [c for c in cyr if c.isalpha()]
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    # In cp1251 prose most letters are Cyrillic; a Latin text with a few accents ("Café")
    # has only the odd high byte, which must stay Latin.
    if letters and cyrillic / len(letters) > 0.3:
        return cyr
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _control_share(data: bytes) -> float:
    sample = data[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


# --- internals --------------------------------------------------------------------------------


def _read_path(path: Path | None, *, published: date | None) -> Iterator[Article]:
    """Articles in one file (or stdin when `path` is None): one, or one per JSONL line."""
    origin = "<stdin>" if path is None else str(path)
    try:
        if path is None:
            data = sys.stdin.buffer.read()
        else:
            if path.stat().st_size > MAX_BYTES:
                raise ArticleError(f"file too large ({path.stat().st_size} bytes > {MAX_BYTES})", source=origin)
            data = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"cannot read: {err.strerror or err}", source=origin) from err
    text = decode(data, origin=origin)
    kind = EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    kind = kind or sniff(text)
    if kind == "jsonl":
        yield from _parse_jsonl(text, origin=origin, published=published)
    elif kind == "json" and text.lstrip().startswith("["):
        yield from _parse_json_list(text, origin=origin, published=published)
    else:
        yield parse(text, kind=kind, origin=origin, published=published)


def _parse_json_list(text: str, *, origin: str, published: date | None) -> Iterator[Article | ArticleError]:
    """A JSON array of article records: one item each (errors as ``file#index``)."""
    records = _json(text, origin=origin)
    if not isinstance(records, list):
        records = [records]
    if not any(isinstance(r, Mapping) and ("text" in r or "html" in r) for r in records):
        raise ArticleError(f'a JSON list of {len(records)} items, none an article record (no "text")', source=origin)
    for i, record in enumerate(records):
        try:
            yield article_from_record(record, origin=f"{origin}#{i}", published=published)
        except ArticleError as err:
            yield err


def _parse_jsonl(text: str, *, origin: str, published: date | None) -> Iterator[Article | ArticleError]:
    seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        seen = True
        where = f"{origin}:{lineno}"
        try:
            record = _json(line, origin=where)
        except ArticleError as err:
            yield err
            continue
        try:
            yield article_from_record(record, origin=where, published=published)
        except ArticleError as err:
            yield err
    if not seen:
        yield ArticleError("empty: no JSON lines", source=origin)


def _json(text: str, *, origin: str | None) -> Any:
    """Parsed JSON, or an `ArticleError` saying why not (syntax, or nesting deeper than Python recurses)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ArticleError(f"invalid JSON: {err.msg} (line {err.lineno} column {err.colno})", source=origin) from err
    except RecursionError as err:
        raise ArticleError("invalid JSON: nested too deeply to be an article record", source=origin) from err


def _guard(items: Iterator[Article | ArticleError], origin: str) -> Iterator[Article | ArticleError]:
    """Turn an error raised while reading one input into an item, so the batch goes on."""
    try:
        yield from items
    except ArticleError as err:
        yield err


def _single(items: list[Article | ArticleError], origin: str) -> Article:
    errors = [i for i in items if isinstance(i, ArticleError)]
    if errors:
        raise errors[0]
    if len(items) != 1:
        raise ArticleError(f"{len(items)} articles in one input: read it with read_articles", source=origin)
    return items[0]


def _finish(text: str, *, origin: str | None, published: date | None, url: str | None,
            title: str | None, source: str | None) -> Article:
    body = clean_text(text)
    if len(body) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"too long: {len(body):,} characters of text (limit {MAX_ARTICLE_CHARS:,}); "
                           "split it into several articles", source=origin)
    if not body:
        if text.strip():
            raise ArticleError("not an article: nothing but page boilerplate (newsletter, cookie, donation prompts)", source=origin)
        raise ArticleError("empty: no article text", source=origin)
    if len(re.findall(r"[^\W\d_]{2,}", body)) < MIN_WORDS:
        raise ArticleError(f"not an article: fewer than {MIN_WORDS} words of text", source=origin)
    return Article(text=body, published=published, url=url, title=title, source=source, origin=origin)


def clean_text(text: str) -> str:
    """Normalised article text: newlines unified, page-furniture lines dropped, paragraphs kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u00a0", " ")
    # Hard-wrapped source lines ("delivered\nto your inbox") are one line of text.
    text = re.sub(r"(?<=[\w,;])[ \t]*\n(?=[ \t]*[a-z])", " ", text)
    paras: list[str] = []
    for para in re.split(r"\n[ \t]*\n", text):
        lines = [ln.rstrip() for ln in para.split("\n") if ln.strip() and not is_boilerplate(ln)]
        if lines:
            paras.append("\n".join(lines).strip())
    return "\n\n".join(paras)


def check_published(value: date, *, origin: str | None = None) -> date:
    """`value` if it can be a publication date (`EARLIEST`..`LATEST`), else an `ArticleError`."""
    if not EARLIEST <= value <= LATEST:
        raise ArticleError(f"published date {value.isoformat()} is out of range ({EARLIEST.year}-{LATEST.year}); "
                           "leave it out when it is unknown", source=origin)
    return value


def _parse_date(value: Any, *, origin: str | None, strict: bool = True) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        s = value.strip()
        try:
            value = date.fromisoformat(s[:10])
        except ValueError as err:
            if strict:
                raise ArticleError(f"bad published date {s[:40]!r}: expected YYYY-MM-DD", source=origin) from err
            return None
    if not isinstance(value, date):
        if strict:
            raise ArticleError(f"bad published date {str(value)[:40]!r}: expected YYYY-MM-DD", source=origin)
        return None
    try:
        return check_published(value, origin=origin)
    except ArticleError:
        if strict:
            raise
        return None  # a page's metadata guess (HTML): ignore it rather than refuse the article


def _opt_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
