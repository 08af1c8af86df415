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
    corpus = _corpus(tmp / "corpus", copies=2)
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
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
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
