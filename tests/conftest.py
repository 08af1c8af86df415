"""Shared fixtures. Heavy objects (gazetteer index, spaCy pipeline) are built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ARTICLES = DATA / "articles"


@pytest.fixture(scope="session")
def gazetteer():
    import gazetteer as gz

    return gz.load()


@pytest.fixture(scope="session")
def nlp():
    from mapper.nlp.document import load_nlp

    return load_nlp()


@pytest.fixture
def parse_then_forbid(monkeypatch):
    """Parse a text with the full pipeline, then fail the test if any model runs again: for
    functions that must read spans of an already parsed document as they are."""
    import mapper.nlp.document as document

    def no_pipeline():
        raise AssertionError("the pipeline ran again on an already parsed document")

    def parse(text: str):
        doc = document.load_parser()(text)
        monkeypatch.setattr(document, "load_parser", no_pipeline)
        return doc

    return parse


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'incidents.sqlite'}"


@pytest.fixture
def frozen_store(tmp_path):
    """A store that this process may read but not write, the way a read-only file or directory is:
    as root (whom permissions do not stop) the file and its directory are made immutable."""
    import os
    import subprocess

    from mapper.cli import main

    directory = tmp_path / "ro"
    directory.mkdir()
    url = f"sqlite:///{directory / 'incidents.sqlite'}"
    assert main(["ingest", str(ARTICLES / "talks_visit.txt"), "--db", url, "--quiet", "--workers", "1"]) == 0
    paths = [directory / "incidents.sqlite", directory]
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: cannot make a read-only store")
        yield url
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
    else:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        yield url
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)


# -- PostgreSQL: a throwaway cluster per test session (owner: postgres helper) ---------------

def _pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL server binaries (``/usr/lib/postgresql/<major>/bin``), if any."""
    import shutil

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def pg_cluster():
    """Starts a private PostgreSQL server listening only on a unix socket in a temp dir (trust
    auth, no TCP), yields that socket dir, and stops and removes the cluster afterwards.

    initdb refuses to run as root, so as root the server runs as the ``postgres`` system user.
    """
    import os
    import shutil
    import subprocess
    import tempfile

    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root and no runuser to drop to the postgres user")
        try:
            import pwd

            pg = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' system user")
        as_user = ["runuser", "-u", "postgres", "--"]
    # short path (a unix socket path must stay under ~100 bytes), and one the postgres user can
    # reach even when $TMPDIR is private to root
    root = Path(tempfile.mkdtemp(prefix="im-pg-", dir="/tmp" if as_user else None))
    if as_user:
        os.chown(root, pg.pw_uid, pg.pw_gid)
    data, log = root / "data", root / "log"

    def run(*cmd: str) -> None:
        done = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}\n{server_log}")

    started = False
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = f"-c listen_addresses='' -k {root} -c fsync=off -c full_page_writes=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start")
        started = True
        yield root
    finally:
        if started:
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_database(pg_cluster):
    """A factory: each call creates a fresh, empty database in the session's cluster and returns
    its SQLAlchemy URL (psycopg 3 driver, unix socket)."""
    import itertools

    import psycopg  # noqa: F401 - pinned in pyproject.toml: missing is a broken install, not a reason to skip
    import sqlalchemy as sa

    numbers = itertools.count(1)
    admin = sa.create_engine(f"postgresql+psycopg://postgres@/postgres?host={pg_cluster}",
                             isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def create() -> str:
        name = f"t{next(numbers)}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return f"postgresql+psycopg://postgres@/{name}?host={pg_cluster}"

    yield create
    admin.dispose()


@pytest.fixture
def pg_url(pg_database) -> str:
    """A fresh, empty PostgreSQL database for one test, as a SQLAlchemy URL."""
    return pg_database()
