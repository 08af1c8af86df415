"""Extraction in bulk: articles in, ``(article, incidents)`` out, in input order, on every core.

`build_incidents` is pure, so articles are independent; each worker process loads the
gazetteer and the NLP pipeline once (in its initializer) and then only receives articles.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice
from typing import Any, Literal

from mapper.errors import IncidentMapError
from mapper.records import Article, Incident

_STATE: dict[str, Any] = {}  # per worker process: the gazetteer and NLP pipeline it loaded


def extract_many(
    articles: Iterable[Article],
    *,
    workers: int = 2,
    chunksize: int = 8,
    errors: Literal["raise", "yield"] = "raise",
) -> Iterator[tuple[Article, list[Incident] | IncidentMapError]]:
    """``(article, incidents)`` for each article, in order. `workers` <= 1 runs in this process.

    With ``errors="raise"`` an `IncidentMapError` from one article ends the iteration; with
    ``errors="yield"`` it comes back in place of that article's incidents and the batch goes on.
    """
    if errors not in ("raise", "yield"):
        raise ValueError(f"errors must be 'raise' or 'yield', not {errors!r}")
    work = partial(_extract, keep_errors=(errors == "yield"))
    workers = max(1, min(workers, os.cpu_count() or 1))
    if workers == 1:
        _init()
        for article in articles:
            yield article, work(article)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init) as pool:
        # Bounded look-ahead: a generator of a million articles is never held in memory at once.
        it = iter(articles)
        window = workers * chunksize * 16
        while True:
            batch = list(islice(it, window))
            if not batch:
                break
            yield from zip(batch, pool.map(work, batch, chunksize=chunksize))


def _init() -> None:
    if "gazetteer" not in _STATE:
        import gazetteer
        from mapper.nlp.document import load_nlp

        _STATE["gazetteer"] = gazetteer.load()
        _STATE["nlp"] = load_nlp()


def _extract(article: Article, *, keep_errors: bool = False) -> list[Incident] | IncidentMapError:
    from mapper.nlp.assemble import build_incidents

    _init()
    try:
        return build_incidents(article, _STATE["gazetteer"], nlp=_STATE["nlp"])
    except IncidentMapError as err:
        if keep_errors:
            return err
        raise
