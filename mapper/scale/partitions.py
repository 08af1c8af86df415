"""Input partitions: which records of which JSONL or Parquet file one task extracts.

A partition is a whole file, or `size` records of it. Its name is derived from the file's path
and the partition's place in it, so the same command names the same partitions every time: that
is how a re-run finds the partitions already written and skips them. Workers read their
partition themselves (inputs on storage every worker sees), seeking straight to its first byte
(JSONL) or row (Parquet).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from mapper.articles import article_from_record
from mapper.errors import ArticleError, IncidentMapError
from mapper.records import Article

KINDS: dict[str, Literal["jsonl", "parquet"]] = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
# Parquet columns an article record may have (mapper.articles.article_from_record reads them).
RECORD_COLUMNS = ("text", "html", "published", "date", "url", "title", "source")


@dataclass(frozen=True, slots=True)
class Partition:
    """Records ``first_record .. first_record + records - 1`` of `path` (0-based; blank JSONL
    lines count as records and are skipped). `offset` is the byte where a JSONL partition starts."""

    name: str
    path: str
    kind: Literal["jsonl", "parquet"]
    first_record: int = 0
    records: int | None = None  # None: to the end of the file
    offset: int = 0


def plan(inputs: Iterable[str | Path], *, size: int | None = None) -> list[Partition]:
    """The partitions of `inputs` (files, or directories searched for .jsonl/.ndjson/.parquet):
    one per file, or one per `size` records. Raises `IncidentMapError` for an input that is
    neither, so a typo does not silently extract nothing."""
    if size is not None and size < 1:
        raise IncidentMapError(f"--partition-size must be at least 1, not {size}")
    out: list[Partition] = []
    for path in _files(inputs):
        kind = KINDS[path.suffix.lower()]
        stem = f"{_safe(path.stem)}-{hashlib.sha1(str(path).encode('utf-8')).hexdigest()[:8]}"
        if size is None:
            out.append(Partition(stem, str(path), kind))
        elif kind == "jsonl":
            out.extend(Partition(f"{stem}-{i:05d}", str(path), kind, first, count, offset)
                       for i, (first, count, offset) in enumerate(_jsonl_chunks(path, size)))
        else:
            rows = _parquet_rows(path)
            out.extend(Partition(f"{stem}-{i:05d}", str(path), kind, first, min(size, rows - first))
                       for i, first in enumerate(range(0, rows, size)))
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise IncidentMapError("the same input file is named twice: each file must be given once")
    return out


def read_partition(partition: Partition, *, published: date | None = None) -> Iterator[Article | ArticleError]:
    """The partition's articles in order; a record that is not an article is an `ArticleError`
    in its place (origin ``file:line`` or ``file#row``), so the rest still count."""
    if partition.kind == "jsonl":
        yield from _read_jsonl(partition, published)
    else:
        yield from _read_parquet(partition, published)


def _files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    for raw in inputs:
        path = Path(raw).expanduser().absolute()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KINDS)
            if not found:
                raise IncidentMapError(f"{raw}: no .jsonl, .ndjson or .parquet files in this directory")
            yield from found
        elif path.is_file():
            if path.suffix.lower() not in KINDS:
                raise IncidentMapError(f"{raw}: the dask engine reads .jsonl, .ndjson or .parquet files "
                                       "(one article record each line or row)")
            yield path
        else:
            raise IncidentMapError(f"{raw}: no such file or directory")


def _safe(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)[:60] or "input"


def _jsonl_chunks(path: Path, size: int) -> Iterator[tuple[int, int, int]]:
    """(first record, records, byte offset) of each run of `size` lines."""
    offset = 0
    first = 0
    count = 0
    start = 0
    with open(path, "rb") as f:
        for line in f:
            if count == size:
                yield first, count, start
                first, count, start = first + count, 0, offset
            count += 1
            offset += len(line)
    if count:
        yield first, count, start


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
        raise IncidentMapError(f"{path}: not a readable Parquet file ({err})") from err


def _read_jsonl(partition: Partition, published: date | None) -> Iterator[Article | ArticleError]:
    with open(partition.path, "rb") as f:
        f.seek(partition.offset)
        for i, raw in enumerate(f):
            if partition.records is not None and i >= partition.records:
                return
            lineno = partition.first_record + i + 1
            where = f"{partition.path}:{lineno}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                yield ArticleError(f"not UTF-8 text ({err.reason} at byte {err.start})", source=where)
                continue
            except json.JSONDecodeError as err:
                yield ArticleError(f"invalid JSON: {err.msg} (column {err.colno})", source=where)
                continue
            except RecursionError:
                yield ArticleError("invalid JSON: nested too deeply to be an article record", source=where)
                continue
            yield _article(record, where, published)


def _read_parquet(partition: Partition, published: date | None) -> Iterator[Article | ArticleError]:
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(partition.path)
    except (OSError, ValueError) as err:
        raise IncidentMapError(f"{partition.path}: not a readable Parquet file ({err})") from err
    columns = [c for c in RECORD_COLUMNS if c in file.schema_arrow.names]
    row = 0
    end = None if partition.records is None else partition.first_record + partition.records
    for batch in file.iter_batches(batch_size=1024, columns=columns):
        if row + batch.num_rows <= partition.first_record:
            row += batch.num_rows
            continue
        for record in batch.to_pylist():
            if row >= partition.first_record and (end is None or row < end):
                yield _article(record, f"{partition.path}#{row}", published)
            row += 1
        if end is not None and row >= end:
            return


def _article(record: Any, where: str, published: date | None) -> Article | ArticleError:
    try:
        return article_from_record(record, origin=where, published=published)
    except ArticleError as err:
        return err
