"""`incident-map ingest`: idempotent, bad files reported not fatal, interruptions leave whole articles."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from mapper.cli import main
from mapper.pipeline import BATCH
from mapper.storage.store import Store

ARTICLES = Path(__file__).parent / "data" / "articles"
CLI = [sys.executable, "-m", "mapper"]


def test_ingest_dir_twice_is_idempotent(db_url, capsys):
    texts = [ARTICLES / "talks_visit.txt", ARTICLES / "merge_kharkiv_a.txt", ARTICLES / "bad"]
    assert main(["ingest", *map(str, texts), "--db", db_url, "--json", "--quiet", "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    first = json.loads(out)
    assert first["articles_read"] == 2 and first["ingested"] == 2
    assert first["incidents_new"] >= 3
    assert {Path(r["file"]).name.split(":")[0] for r in first["rejected"]} >= {"empty.txt", "not_an_article.json"}
    assert "files rejected:" in err and "no article text" in err
    with Store.open(db_url) as store:
        before = store.stats()
    assert main(["ingest", *map(str, texts), "--db", db_url, "--json", "--quiet"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["ingested"] == 0 and again["already_stored"] == 2 and again["incidents_new"] == 0
    with Store.open(db_url) as store:
        assert store.stats() == before


def test_only_bad_files_is_an_error(db_url, capsys):
    assert main(["ingest", str(ARTICLES / "bad" / "empty.txt"), "--db", db_url, "--quiet"]) == 1
    assert "no article text" in capsys.readouterr().err


def _interruptible() -> None:
    """In the child: Ctrl-C at its default, as a shell starts a command, whatever the test
    runner's own process does with it (a library may have left it ignored there)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _corpus(directory: Path, copies: int) -> Path:
    """Distinct articles (different content hash) from our own test articles."""
    directory.mkdir()
    sources = sorted(p for p in ARTICLES.glob("*.txt"))
    for n in range(copies):
        for src in sources:
            data = src.read_bytes()  # some are deliberately not UTF-8
            (directory / f"{n:03d}_{src.name}").write_bytes(data + f"\n\nUpdated edition {n}.\n".encode("ascii"))
    return directory


def _articles(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    except sa.exc.OperationalError:
        return 0
    finally:
        engine.dispose()


def _snapshot(url: str) -> tuple:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        arts = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        incs = conn.execute(sa.text("SELECT count(*) FROM incidents")).scalar_one()
        srcs = conn.execute(sa.text("SELECT count(*) FROM incident_sources")).scalar_one()
    engine.dispose()
    return arts, incs, srcs


@pytest.fixture(scope="module")
def corpus_and_clean(tmp_path_factory):
    """A corpus and the store one clean, uninterrupted run makes of it."""
    tmp = tmp_path_factory.mktemp("ingest")
    corpus = _corpus(tmp / "corpus", copies=4)
    clean = f"sqlite:///{tmp / 'clean.sqlite'}"
    subprocess.run([*CLI, "ingest", str(corpus), "--db", clean, "--quiet"], check=True,
                   capture_output=True, timeout=300)
    return corpus, _snapshot(clean)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_ingest_leaves_no_half_article(tmp_path, corpus_and_clean, sig):
    """Interrupt mid-run, resume: the store ends up exactly as after one clean run."""
    corpus, clean = corpus_and_clean
    url = f"sqlite:///{tmp_path / 'cut.sqlite'}"
    proc = subprocess.Popen([*CLI, "ingest", str(corpus), "--db", url, "--quiet", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_interruptible)
    deadline = time.monotonic() + 120
    while _articles(url) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, sig)  # the whole process group, as Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert b"interrupted" in err
    cut = _snapshot(url)
    assert 0 < cut[0] < clean[0]
    subprocess.run([*CLI, "ingest", str(corpus), "--db", url, "--quiet"], check=True,
                   capture_output=True, timeout=300)
    assert _snapshot(url) == clean


@pytest.mark.parametrize("delay", [0.0, 0.2, 1.0])
def test_ctrl_c_while_the_workers_load_ends_promptly(tmp_path, delay):
    """Ctrl-C just after the store is open, while extraction workers are still starting: no hang,
    no traceback, nothing left running. (With a process pool, a worker's initializer raced the
    signal and the run hung for a minute.)"""
    db = tmp_path / "early.sqlite"
    proc = subprocess.Popen([*CLI, "ingest", str(ARTICLES), "--db", f"sqlite:///{db}", "--quiet", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_interruptible)
    deadline = time.monotonic() + 60
    while not db.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        # A Ctrl-C that lands in the few milliseconds a worker is being started is ignored (see
        # pipeline._sigint_ignored): as a user would, press it again if the run goes on.
        _, err = proc.communicate(timeout=2)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail("ingest did not stop within 20 s of Ctrl-C")
    assert proc.returncode == 130 and b"interrupted" in err and b"Traceback" not in err, err
    assert _live_processes(proc.pid) == [], "extraction workers left behind"


def _live_processes(group: int, *, wait: float = 3.0) -> list[str]:
    """Processes of a process group still running after `wait` seconds (zombies hold nothing: not
    counted), from /proc: pid, state and command line of each."""
    deadline = time.monotonic() + wait
    while True:
        live = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()  # after "pid (comm)": state, ppid, pgrp
                if int(fields[2]) == group and fields[0] != "Z":
                    live.append(f"{stat.parent.name} {(stat.parent / 'cmdline').read_bytes()[:200]!r}")
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
        if not live or time.monotonic() > deadline:
            return live
        time.sleep(0.2)


def test_a_database_error_on_one_article_does_not_stop_the_batch(db_url, capsys, monkeypatch):
    from mapper.errors import StoreError

    real = Store.ingest

    def failing(self, article, incidents):
        if "talks" in (article.origin or ""):
            raise StoreError("database error: disk I/O error (simulated)")
        return real(self, article, incidents)

    monkeypatch.setattr(Store, "ingest", failing)
    files = [ARTICLES / "talks_visit.txt", ARTICLES / "merge_kharkiv_a.txt"]
    assert main(["ingest", *map(str, files), "--db", db_url, "--json", "--quiet", "--workers", "1"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["ingested"] == 1
    (rejected,) = summary["rejected"]
    assert "talks_visit.txt" in rejected["file"] and "not stored" in rejected["reason"]


# -- hostile batches (issue 14): every bad record is rejected with its reason, the batch goes on ----

STORY = ("A Russian missile hit an industrial site on the outskirts of Mykolaiv on Tuesday, "
         "injuring four workers, the city's mayor said.")


def _run(*argv: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *argv], capture_output=True, text=True, timeout=timeout, **kw)


def test_a_hostile_feed_costs_only_its_bad_records(tmp_path, db_url):
    feed = tmp_path / "feed"
    feed.mkdir()
    lines = [
        json.dumps({"text": STORY, "published": "2026-02-17", "url": "https://example.test/good-1"}),
        '{"text": "%s", "title": "Strike \\ud83d", "published": "2026-02-17", "url": "u2"}' % STORY,
        json.dumps({"text": STORY + " It happened last week.", "published": "0001-01-01", "url": "u3"}),
        json.dumps({"text": STORY + " More next week.", "published": "9999-12-31", "url": "u4"}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"text": STORY, "published": "2026-13-45", "url": "u6"}),
    ]
    (feed / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (feed / "deep.json").write_text('{"text": ' * 50_000 + '"x"' + "}" * 50_000, encoding="utf-8")
    (feed / "zero.txt").write_text(f"published: 0001-01-01\n\n{STORY} Last week too.\n", encoding="utf-8")
    (feed / "long.txt").write_text("date 2026-02-17\n\n" + (STORY + "\n\n") * 1000, encoding="utf-8")
    (feed / "good.txt").write_text(f"date 2026-02-18\n\n{STORY}\n", encoding="utf-8")
    done = _run("ingest", str(feed), "--db", db_url, "--json", "--quiet", "--workers", "1")
    assert "Traceback" not in done.stderr, done.stderr
    summary = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    assert summary["ingested"] == 3  # good-1, the cut title (cleaned), good.txt
    reasons = {r["file"].rsplit("/", 1)[-1]: r["reason"] for r in summary["rejected"]}
    assert "out of range" in reasons["feed.jsonl:3"] and "out of range" in reasons["feed.jsonl:4"]
    assert "nested too deeply" in reasons["feed.jsonl:5"] and "nested too deeply" in reasons["deep.json"]
    assert "expected YYYY-MM-DD" in reasons["feed.jsonl:6"]
    assert "out of range" in reasons["zero.txt"] and "too long" in reasons["long.txt"]
    with Store.open(db_url) as store:
        assert store.stats()["articles"] == 3


def test_published_option_refuses_a_sentinel_date(db_url):
    done = _run("ingest", str(ARTICLES / "talks_visit.txt"), "--db", db_url, "--published", "0001-01-01", "--quiet")
    assert done.returncode == 1 and "out of range" in done.stderr and "Traceback" not in done.stderr


def test_an_article_past_the_time_budget_is_rejected_and_the_batch_goes_on(tmp_path, db_url):
    feed = tmp_path / "feed"
    feed.mkdir()
    # spaCy-safe since the sanitiser, but still slow in the sentence splitter: minutes, not seconds
    (feed / "a_slow.txt").write_text("date 2026-02-13\n\nA drone hit Kharkiv on Friday, killing two people.\n\n"
                                     + "!?" * 40_000, encoding="utf-8")
    (feed / "b_good.txt").write_text(f"date 2026-02-18\n\n{STORY}\n", encoding="utf-8")
    t0 = time.monotonic()
    done = _run("ingest", str(feed), "--db", db_url, "--json", "--quiet", "--workers", "1", "--time-budget", "1")
    assert time.monotonic() - t0 < 120
    summary = json.loads(done.stdout)
    assert summary["ingested"] == 1
    (rejected,) = summary["rejected"]
    assert "a_slow.txt" in rejected["file"] and "time budget of 1 s" in rejected["reason"]


@pytest.mark.parametrize("make_url, reason", [
    (lambda tmp: f"sqlite:///{tmp / 'afile' / 'x.sqlite'}", "cannot create the directory"),
    (lambda tmp: f"sqlite:///{tmp}", "is a directory"),
])
def test_bad_database_paths_are_one_line_errors(tmp_path, make_url, reason):
    (tmp_path / "afile").write_text("a file, not a directory")
    commands = (["ingest", str(ARTICLES / "talks_visit.txt"), "--quiet"], ["export", "-o", str(tmp_path / "x.geojson")])
    for command in commands:
        done = _run(*command, "--db", make_url(tmp_path))
        # (export, which only reads, may name a store that is not there as missing instead)
        assert done.returncode == 1 and (reason in done.stderr or "no incident store" in done.stderr), done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_read_only_store_still_exports_and_refuses_ingest_clearly(frozen_store, tmp_path):
    out = tmp_path / "out.geojson"
    done = _run("export", "--db", frozen_store, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["features"]) >= 2
    done = _run("ingest", str(ARTICLES / "merge_kharkiv_a.txt"), "--db", frozen_store, "--quiet")
    assert done.returncode == 1 and "read-only" in done.stderr and "Traceback" not in done.stderr


def test_a_full_disk_stops_the_batch_instead_of_rejecting_every_article(tmp_path, db_url):
    import resource

    # More articles than a worker's batch (pipeline.BATCH): the stop must come before the last batch.
    corpus = _corpus(tmp_path / "corpus", copies=3)
    assert len(list(corpus.iterdir())) > 2 * BATCH
    assert main(["ingest", str(ARTICLES / "talks_visit.txt"), "--db", db_url, "--quiet", "--workers", "1"]) == 0
    size = sum(p.stat().st_size for p in tmp_path.glob("incidents.sqlite*"))

    def small_disk():  # files may not grow past the store's present size: what a full disk does to SQLite
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, size + 4096))

    done = _run("ingest", str(corpus), "--db", db_url, "--json", "--quiet", "--workers", "1", preexec_fn=small_disk)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    summary = json.loads(done.stdout)
    # a file that may not grow gives EFBIG, which SQLite reports as a disk I/O error (ENOSPC: "disk is full")
    assert "disk" in summary["stopped"] and "stopped early" in done.stderr
    assert len(summary["rejected"]) == 1  # the article that met the full disk; the rest were not extracted
    assert summary["articles_read"] < len(list(corpus.iterdir()))
