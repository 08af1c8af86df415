"""Extraction on a Dask cluster (`dask.distributed`): one task per input partition.

Each worker loads the gazetteer and the NLP pipeline once, in a worker plugin, and runs
`build_incidents` (pure) on every article of the partitions it is given, through the same
per-article call as the process pool (`mapper.pipeline`), so both give the same incidents. An
article that fails becomes a row of the errors table, never a failed partition. A worker
that dies takes its current partition with it: the scheduler gives the partition to another
worker, and since a partition's files are renamed into place whole, nothing is half written.
Partitions already written are skipped, so running the same command again resumes a crashed job.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from mapper.errors import ExtractionError, IncidentMapError
from mapper.records import Article
from mapper.scale import partitions as parts
from mapper.scale import tables

PLUGIN_NAME = "incident-map-extraction"
LOAD_TIMEOUT = 600.0  # seconds a task waits for its worker to load the gazetteer and spaCy


@dataclass(slots=True)
class RunSummary:
    """What one `extract_dataset` call did; `failed` names the partitions not written and why."""

    partitions: int = 0
    skipped: int = 0
    written: int = 0
    articles: int = 0
    incidents: int = 0
    errors: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    startup_seconds: float = 0.0  # cluster start and every worker's loading
    worker_load_seconds: list[float] = field(default_factory=list)  # each worker's plugin: gazetteer and spaCy
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class ExtractionPlugin(WorkerPlugin):
    """Loads the gazetteer and spaCy once per worker, off the worker's event loop (loading
    takes seconds; a blocked loop would miss the scheduler's heartbeats). Tasks wait for it."""

    name = PLUGIN_NAME

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.load_seconds: float | None = None
        self._ready: threading.Event | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}  # sent to every worker before anything is loaded

    def __setstate__(self, _state: dict[str, Any]) -> None:
        self.__init__()

    async def setup(self, worker: Any) -> None:
        self._ready = threading.Event()
        try:
            await asyncio.to_thread(self._load)
        finally:
            self._ready.set()

    def _load(self) -> None:
        from mapper.pipeline import _load  # the process pool's loader: the same gazetteer and pipeline

        started = time.perf_counter()
        try:
            self.state = _load()
        except IncidentMapError as err:  # e.g. no gazetteer index on this worker: every task says so
            self.error = err
        self.load_seconds = time.perf_counter() - started

    def wait(self) -> dict[str, Any]:
        if self._ready is None or not self._ready.wait(LOAD_TIMEOUT):
            raise ExtractionError(f"the worker did not load the gazetteer and spaCy within {LOAD_TIMEOUT:g} s")
        if self.error is not None:
            raise self.error
        assert self.state is not None
        return self.state


def extract_partition(partition: parts.Partition, out: str, *, published: date | None = None) -> dict[str, Any]:
    """A task: extracts one partition on this worker and writes its files; returns its summary.
    Runs where the plugin is registered (else loads the pipeline here, once per process)."""
    from mapper.pipeline import BATCH, extract_batch

    state = _worker_state()
    result = tables.PartitionResult(partition.name)
    batch: list[tuple[int, Article]] = []

    def flush() -> None:
        for (index, article), found in zip(batch, extract_batch([a for _, a in batch], state), strict=True):
            if isinstance(found, IncidentMapError):
                result.errors.append({"article_index": index, "article_id": article.id, "origin": article.origin,
                                      "reason": str(found), "detail": getattr(found, "detail", None)})
            else:
                result.articles.append((article, found))
        batch.clear()

    for index, item in enumerate(parts.read_partition(partition, published=published)):
        if isinstance(item, IncidentMapError):  # a record that is not an article
            result.errors.append({"article_index": index, "article_id": None, "origin": item.source,
                                  "reason": str(item), "detail": None})
            continue
        batch.append((index, item))
        if len(batch) >= BATCH:
            flush()
    flush()
    result.errors.sort(key=lambda e: e["article_index"])  # as read, whatever batch an error came from
    tables.write(Path(out), result)
    return result.summary()


def _worker_state() -> dict[str, Any]:
    from distributed import get_worker

    try:
        plugin = get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not on a worker (called directly): load here
        plugin = None
    if plugin is None:
        plugin = _local_plugin()
    return plugin.wait()


_LOCAL_LOCK = threading.Lock()
_LOCAL: list[ExtractionPlugin] = []  # the one loaded pipeline of a process that has no plugin


def _local_plugin() -> ExtractionPlugin:
    with _LOCAL_LOCK:
        if not _LOCAL:
            plugin = ExtractionPlugin()
            plugin._ready = threading.Event()
            plugin._load()
            plugin._ready.set()
            _LOCAL.append(plugin)
        return _LOCAL[0]


def extract_dataset(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_size: int | None = None,
    published: date | None = None,
    progress: Callable[[dict[str, Any], Any], None] | None = None,
) -> RunSummary:
    """Extracts every partition of `inputs` not yet in `out` on a Dask cluster.

    `scheduler` is the address of a running cluster (``tcp://host:8786``); without it a
    `LocalCluster` of `workers` processes (default: one per core) runs on this machine.
    `progress(partition_summary, client)` is called in this process as each partition ends.
    """
    out = Path(out)
    started = time.perf_counter()
    plan = parts.plan(inputs, size=partition_size)
    tables.start(out)
    summary = RunSummary(partitions=len(plan))
    todo = [p for p in plan if not tables.done(out, p.name)]
    summary.skipped = len(plan) - len(todo)
    if not todo:
        summary.seconds = time.perf_counter() - started
        return summary
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        # one thread per worker: spaCy holds the GIL, so processes, not threads, give parallelism
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            client.register_plugin(ExtractionPlugin(), name=PLUGIN_NAME)  # returns once every worker has loaded
            summary.startup_seconds = time.perf_counter() - started
            summary.worker_load_seconds = sorted(client.run(_load_seconds).values())
            futures = client.map(extract_partition, todo, out=str(out.absolute()), published=published,
                                 key=[f"incident-map-extract-{p.name}" for p in todo], pure=False)
            by_key = {f.key: p for f, p in zip(futures, todo)}
            for future in as_completed(futures):
                partition = by_key[future.key]
                if future.status != "finished":
                    summary.failed.append({"partition": partition.name, "path": partition.path,
                                           "reason": _reason(future.exception())})
                    continue
                done = future.result()
                summary.written += 1
                summary.articles += done["articles"]
                summary.incidents += done["incidents"]
                summary.errors += done["errors"]
                if progress is not None:
                    progress(done, client)
    finally:
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _load_seconds(dask_worker: Any) -> float:
    """Run on each worker (`Client.run` passes it): how long its plugin took to load."""
    return dask_worker.plugins[PLUGIN_NAME].load_seconds or 0.0


def _reason(err: BaseException | None) -> str:
    """One line for a partition that failed as a whole (its worker died too often, its file vanished)."""
    if err is None:
        return "cancelled"
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:300] if text else ''}"
