"""Extraction off the caller's process: articles in, incidents out, each article with a time budget.

`build_incidents` is pure, so articles are independent. Each worker is a separate process (from
a fork server, see `_context`) that loads the gazetteer and the NLP pipeline once, then takes
small batches of articles over a pipe (their clauses are parsed together: see `BATCH`).
Compared with running in the caller (or in a plain process pool) this gives:

- a time budget per article: a worker still busy past it is killed and replaced, the article
  gets an `ExtractionTimeout`, and the batch goes on (a batch that runs past its budget is
  sent again an article at a time, so only the article at fault gets the error);
- a free caller: a web server's threads keep answering reads while spaCy holds a worker's GIL;
- clean stops: workers ignore Ctrl-C (the caller decides), die with the caller, and an
  unexpected failure on one article becomes an `ExtractionError` for that article only.

`extract_many` is the batch interface (CLI, benchmarks); `Extractor.extract` serves one article
to any of several threads (the web app).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any, Literal

from mapper.errors import ExtractionError, ExtractionTimeout, IncidentMapError
from mapper.records import Article, Incident

DEFAULT_TIME_BUDGET = 60.0  # seconds; the longest article the readers accept takes a few (docs/operations.md)
# Imported once by the fork server that workers are forked from (see `_context`).
PRELOAD = ("spacy", "gazetteer", "mapper.nlp.document", "mapper.nlp.assemble", "mapper.nlp.geoparse")
STARTUP_TIMEOUT = 300.0  # seconds for a worker to load the gazetteer and spaCy (a few on a quiet machine)
PARENT_POLL = 1.0  # seconds between a worker's checks that its parent is still alive
# Workers yield the CPU to their caller: on a busy machine a web server's threads answering reads
# come before an article being parsed (the time budget still bounds the article).
WORKER_NICENESS = 10
# Articles a worker takes at once: their clauses are parsed in one batch, and the NER model reads
# around their uncertain names in one batch (`build_many`): 8 at a time were about 10% faster
# than one, 24 about 3% faster again (bench/extract.py). A batch stops early at BATCH_CHARS of
# text, so long articles go alone and a time-out wastes little work.
BATCH = 24
BATCH_CHARS = 40_000

Result = list[Incident] | IncidentMapError


def extract_many(
    articles: Iterable[Article],
    *,
    workers: int = 2,
    errors: Literal["raise", "yield"] = "raise",
    time_budget: float | None = None,
) -> Iterator[tuple[Article, Result]]:
    """``(article, incidents)`` for each article, in input order.

    `workers` <= 1 with no `time_budget` runs in this process; otherwise `workers` worker
    processes do the work and an article still running after `time_budget` seconds gets an
    `ExtractionTimeout`. With ``errors="raise"`` an `IncidentMapError` from one article ends the
    iteration; with ``errors="yield"`` it comes back in place of that article's incidents and
    the batch goes on.
    """
    if errors not in ("raise", "yield"):
        raise ValueError(f"errors must be 'raise' or 'yield', not {errors!r}")
    workers = max(1, min(workers, os.cpu_count() or 1))
    if workers == 1 and time_budget is None:
        state = _load()
        for batch in _batches(iter(articles)):
            for article, result in zip(batch, extract_batch(batch, state), strict=True):
                if isinstance(result, IncidentMapError) and errors == "raise":
                    raise result
                yield article, result
        return
    with Extractor(workers=workers, time_budget=time_budget) as pool:
        for article, result in pool.map(articles):
            if isinstance(result, IncidentMapError) and errors == "raise":
                raise result
            yield article, result


class Extractor:
    """`workers` extraction processes with a per-article time budget; safe to share between threads.

    Workers start on first use and are replaced after a time-out or a crash. Close it (or use it
    as a context manager) to stop them.
    """

    def __init__(self, *, workers: int = 1, time_budget: float | None = DEFAULT_TIME_BUDGET):
        if workers < 1:
            raise ValueError("an Extractor needs at least one worker")
        self.time_budget = time_budget
        self._workers = [_Worker() for _ in range(workers)]
        self._idle: deque[_Worker] = deque(self._workers)
        self._free = threading.Condition()
        self._closed = False

    def extract(self, article: Article) -> list[Incident]:
        """The incidents of one article; raises its `IncidentMapError` (`ExtractionTimeout` past the budget)."""
        worker = self._acquire()
        try:
            worker.send([article])
            results = worker.receive([article], wait_for=self.time_budget, budget=self.time_budget)
            result = results[0] if isinstance(results, list) else results
        except BaseException:
            worker.stop()  # an answer still to come would otherwise be read as the next article's
            raise
        finally:
            self._release(worker)
        if isinstance(result, IncidentMapError):
            raise result
        return result

    def map(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Result]]:
        """``(article, incidents or error)`` in input order, every worker busy, a bounded look-ahead.

        One caller at a time: it takes every worker for the duration.
        """
        workers = [self._acquire() for _ in self._workers]
        for worker in workers:
            worker.start()  # all load at once
        try:
            yield from _dispatch(workers, iter(articles), self.time_budget)
        finally:
            for worker in workers:
                self._release(worker)

    def close(self) -> None:
        with self._free:
            self._closed = True
        for worker in self._workers:
            worker.stop()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _acquire(self) -> _Worker:
        with self._free:
            while not self._idle:
                if self._closed:
                    raise ExtractionError("the extractor is closed")
                self._free.wait()
            if self._closed:
                raise ExtractionError("the extractor is closed")
            return self._idle.popleft()

    def _release(self, worker: _Worker) -> None:
        with self._free:
            self._idle.append(worker)
            self._free.notify()


def _dispatch(workers: list[_Worker], articles: Iterator[Article], budget: float | None
              ) -> Iterator[tuple[Article, Result]]:
    """Hands batches of articles to idle workers, collects results as they come, yields them in
    input order. A batch gets one time budget: one that runs past it (or kills its worker) is
    sent again an article at a time, so only the article at fault gets the error."""
    window = 2 * BATCH * len(workers)  # articles sent or finished but not yet yielded, at most
    idle = deque(workers)
    busy: dict[_Worker, tuple[list[int], float]] = {}  # worker -> (article indexes, deadline)
    alone: deque[int] = deque()  # articles of a failed batch, to be sent again one by one
    waiting: dict[int, Article] = {}
    done: dict[int, Result] = {}
    sent = yielded = 0
    exhausted = False
    numbered = ((i, a) for i, a in enumerate(articles))
    try:
        while True:
            while idle and (alone or not exhausted and sent - yielded < window):
                if alone:
                    indexes = [alone.popleft()]
                else:
                    batch = _batches(numbered, limit=window - (sent - yielded), key=lambda item: item[1])
                    chunk = next(batch, None)
                    if chunk is None:
                        exhausted = True
                        break
                    for index, article in chunk:
                        waiting[index] = article
                    indexes = [index for index, _ in chunk]
                    sent += len(indexes)
                worker = idle.popleft()
                worker.send([waiting[i] for i in indexes])
                busy[worker] = (indexes, time.monotonic() + budget if budget is not None else float("inf"))
            while yielded in done:
                yield waiting.pop(yielded), done.pop(yielded)
                yielded += 1
            if exhausted and not busy and not alone:
                return
            if not busy:
                continue  # the look-ahead window is full of finished work: yield it first
            timeout = max(0.0, min(deadline for _, deadline in busy.values()) - time.monotonic())
            ready = set(wait([w.ready_object for w in busy], timeout=None if timeout == float("inf") else timeout))
            now = time.monotonic()
            for worker, (indexes, deadline) in list(busy.items()):
                if worker.ready_object not in ready and now < deadline:
                    continue
                results = worker.receive([waiting[i] for i in indexes], wait_for=0, budget=budget)
                del busy[worker]
                idle.append(worker)
                if isinstance(results, list):
                    done.update(zip(indexes, results, strict=True))
                elif len(indexes) == 1:
                    done[indexes[0]] = results
                else:
                    alone.extend(indexes)  # which article was at fault is not known: each alone
    finally:
        for worker in busy:  # abandoned mid-article (Ctrl-C, the consumer stopped): don't wait for it
            worker.stop()


def _batches(articles: Iterator[Any], *, limit: int | None = None, key: Callable[[Any], Article] = lambda a: a
             ) -> Iterator[list[Any]]:
    """Consecutive batches of at most BATCH items (and `limit`), stopping after BATCH_CHARS of text."""
    size = BATCH if limit is None else max(1, min(BATCH, limit))
    while True:
        batch: list[Any] = []
        chars = 0
        for item in articles:
            batch.append(item)
            chars += len(key(item).text)
            if len(batch) >= size or chars >= BATCH_CHARS:
                break
        if not batch:
            return
        yield batch


class _Worker:
    """One extraction process: started on first use, replaced after a time-out or a crash."""

    def __init__(self) -> None:
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def ready_object(self) -> Connection:
        assert self._conn is not None
        return self._conn

    def start(self) -> None:
        """Starts the process if it is not running (loading takes a few seconds: see `send`)."""
        if self._process is None or not self._process.is_alive():
            self._start()

    def send(self, articles: list[Article]) -> None:
        """Hands over a batch of articles once the worker has loaded (loading does not count against the budget)."""
        self.start()
        assert self._conn is not None
        if not self._ready:
            self._await_ready()
        self._conn.send(articles)

    def _await_ready(self) -> None:
        assert self._conn is not None
        try:
            if not self._conn.poll(STARTUP_TIMEOUT):
                self.stop()
                raise ExtractionError(f"the extraction worker did not load within {STARTUP_TIMEOUT:g} s")
            kind, payload = self._conn.recv()
        except (EOFError, OSError) as err:
            code = self._process.exitcode if self._process is not None else None
            self.stop()
            raise ExtractionError(f"the extraction worker exited while loading (exit status {code})") from err
        if kind != "ready":
            self.stop()
            raise payload  # e.g. IndexMissingError: no gazetteer index to load
        self._ready = True

    def receive(self, articles: list[Article], *, wait_for: float | None, budget: float | None
                ) -> list[Result] | ExtractionError:
        """The answers to the batch sent last, waiting at most `wait_for` seconds: a result per
        article, or one error for the whole batch when the worker ran past the budget or died
        (it is replaced on next use)."""
        assert self._conn is not None
        origin = articles[0].origin if len(articles) == 1 else None
        try:
            if not self._conn.poll(wait_for):
                self.stop()
                return ExtractionTimeout(
                    f"extraction took longer than the time budget of {budget:g} s and was stopped "
                    "(split the article, or raise the budget)", source=origin)
            results = self._conn.recv()
        except (EOFError, OSError) as err:
            code = self._process.exitcode if self._process is not None else None
            self.stop()
            return ExtractionError(f"the extraction worker died (exit status {code}) on this article",
                                   source=origin, detail=repr(err))
        return [ExtractionError(r[1], source=a.origin, detail=r[2]) if isinstance(r, tuple) else r
                for a, r in zip(articles, results, strict=True)]

    def stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._ready = False
        if conn is not None:
            conn.close()
        if process is not None and process.pid is not None:  # None: interrupted before it started
            if process.is_alive():
                process.kill()  # mid-article: nothing to save, and SIGTERM would wait for the GIL
            process.join(timeout=10)

    def _start(self) -> None:
        self.stop()
        ctx = _context()
        parent_end, child_end = ctx.Pipe()
        # The environment as it is now (the fork server's is as it was when it started): the
        # gazetteer and alias files the worker loads are named there.
        process = ctx.Process(target=_work, args=(child_end, dict(os.environ)), name="incident-map-extract",
                              daemon=True)
        self._process, self._conn = process, parent_end  # ours before it exists: a Ctrl-C now still stops it
        if ctx.get_start_method() == "forkserver":
            with _sigint_ignored():  # the fork server, and so every worker it forks, ignores Ctrl-C from birth
                multiprocessing.forkserver.ensure_running()
            process.start()
        else:
            with _sigint_ignored():
                process.start()
        child_end.close()


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ctrl-C ignored for the milliseconds a child is forked and exec'd. The child inherits the
    ignored disposition (it survives exec; a signal mask does not), so a Ctrl-C meant for the
    caller cannot kill it half-started. Only the main thread may change handlers: elsewhere
    (a web server's threads, whose process ignores Ctrl-C anyway) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = signal.getsignal(signal.SIGINT)
    if handler is None:
        # A handler installed outside Python (by a C library) cannot be put back from Python:
        # leave it alone rather than leave Ctrl-C ignored in the caller's process for good.
        yield
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


def _context() -> Any:
    """Where workers come from. A fork server where there is one (Linux, macOS): each worker is
    forked from a clean, single-threaded process that has imported spaCy and our NLP modules
    already, so it is ready in about a second instead of two to five. Spawn elsewhere. Never
    a plain fork of the caller: a web server has threads, and a fork copies their locks."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))  # the same list every time; read when the server starts
        return ctx
    return multiprocessing.get_context("spawn")


def _work(conn: Connection, environ: dict[str, str]) -> None:
    """A worker's life: ignore Ctrl-C, load once, then answer one batch at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(environ)
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):
        pass  # no niceness here: the worker competes as an equal
    # Our parent is the caller, or the fork server, which exits with the caller: either way,
    # when it goes, so do we.
    exit_with_parent(os.getppid())
    try:
        try:
            state = _load()
        except IncidentMapError as err:
            conn.send(("error", err))
            return
        conn.send(("ready", None))
    except OSError:
        return  # the caller stopped waiting for us (Ctrl-C, closed)
    while True:
        try:
            articles = conn.recv()
        except (EOFError, OSError):
            return  # the caller closed the pipe or died
        # An ExtractionError's traceback travels as text (exceptions pickle their message only).
        answer = [("failed", str(r), r.detail) if isinstance(r, ExtractionError) else r
                  for r in extract_batch(articles, state)]
        try:
            conn.send(answer)
        except OSError:
            return


def exit_with_parent(parent: int, *, kernel_signal: int | None = None, poll: float = PARENT_POLL) -> None:
    """Ends this process soon after `parent` is gone, so a killed parent leaves no orphans.

    A watcher thread notices the new parent id; `kernel_signal` also asks Linux to send that
    signal at once when the parent dies (only for a child started from the parent's main
    thread: the kernel watches the thread that forked, not the process).
    """
    if kernel_signal is not None:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(kernel_signal), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # not Linux: the watcher does it
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _load() -> dict[str, Any]:
    import gazetteer
    from mapper.nlp.assemble import warm_up
    from mapper.nlp.document import load_nlp

    state = {"gazetteer": gazetteer.load(), "nlp": load_nlp()}
    warm_up(state["gazetteer"], nlp=state["nlp"])  # loading never counts against an article's time budget
    return state


def extract_batch(articles: list[Article], state: dict[str, Any]) -> list[Result]:
    """The incidents of each article, or the `IncidentMapError` that stopped it; `state` is what
    `_load` gives. The articles' clauses are parsed together (`build_many`)."""
    from mapper.nlp.assemble import build_many

    out: list[Result] = []
    for article, result in zip(articles, build_many(articles, state["gazetteer"], nlp=state["nlp"]), strict=True):
        if isinstance(result, IncidentMapError) or not isinstance(result, Exception):
            out.append(result)
        else:  # a bug met on one odd article must not end the batch: report it, with its traceback
            out.append(ExtractionError(f"extraction failed: {type(result).__name__}: {str(result)[:300]}",
                                       source=article.origin, detail="".join(traceback.format_exception(result))))
    return out
