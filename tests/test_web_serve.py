"""`incident-map serve`: the real command, under waitress, on a free loopback port."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "incident-map"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, dict(r.getheaders()), r.read()


@pytest.fixture(params=[1, 2], ids=["1-process", "2-processes"])
def served(db_url, request):
    port = free_port()
    env = {**os.environ}
    env.pop("INCIDENT_MAP_TOKEN", None)
    proc = subprocess.Popen([str(BIN), "serve", "--db", db_url, "--port", str(port), "--workers", str(request.param)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.stderr.read()}")
        try:
            get(port, "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    yield port
    proc.terminate()
    assert proc.wait(timeout=15) in (0, -15)
    with pytest.raises(OSError):  # nothing is left listening
        get(port, "/healthz")


def test_serve_answers_under_waitress(served):
    status, headers, body = get(served, "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "articles": 0, "incidents": 0}
    assert headers.get("Server") == "incident-map"  # waitress's ident, not Werkzeug's dev server
    status, _, body = get(served, "/")
    assert status == 200 and b'id="map"' in body
    status, _, body = get(served, "/api/incidents?bbox=oops")
    assert status == 400 and "bbox" in json.loads(body)["error"]


def test_serve_with_a_bad_database_url_fails_clearly(tmp_path):
    r = subprocess.run([str(BIN), "serve", "--db", "nonsense://", "--port", str(free_port())],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "incident-map serve:" in r.stderr and "Traceback" not in r.stderr


# -- the real server under attack (issue 14) -------------------------------------------------------

import re
import signal
import tempfile

ARTICLES = Path(__file__).parent / "data" / "articles"


class Server:
    """`incident-map serve` as a subprocess on a free loopback port; stopped by `stop()`."""

    def __init__(self, db: str, *args: str, env: dict[str, str] | None = None, wait: bool = True):
        self.port = free_port()
        environment = {**os.environ, **(env or {})}
        environment.pop("INCIDENT_MAP_TOKEN", None) if "INCIDENT_MAP_TOKEN" not in (env or {}) else None
        self.log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a full pipe nobody reads blocks the server
        self.proc = subprocess.Popen([str(BIN), "serve", "--db", db, "--port", str(self.port), *args],
                                     env=environment, stdout=subprocess.DEVNULL, stderr=self.log, text=True,
                                     start_new_session=True)
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited: {self.stderr()}")
            try:
                get(self.port, "/healthz")
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("serve did not answer")

    def stderr(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def servers():
    started: list[Server] = []

    def start(db: str, *args: str, **kw) -> Server:
        server = Server(db, *args, **kw)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def request(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def test_forms_work_across_workers_without_a_configured_secret(servers, db_url):
    """With a key per process, about half the posts failed CSRF (7 of 20 in the report)."""
    env = {k: v for k, v in os.environ.items() if k != "INCIDENT_MAP_SECRET_KEY"}
    server = servers(db_url, "--workers", "2", env=env)
    refused = 0
    for _ in range(20):
        status, headers, body = request(server.port, "GET", "/ingest")  # a new connection each time
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
        status, _, body = request(server.port, "POST", "/ingest", body=f"csrf_token={token}&text=".encode(),
                                  headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        refused += b"security token" in body
        assert status == 400 and (b"paste the article text" in body or b"security token" in body)
    assert refused == 0


def test_idle_connections_do_not_starve_the_server(servers, db_url):
    """220 idle connections (waitress's default limit: 100) made /healthz time out."""
    server = servers(db_url, "--workers", "1")
    idle = []
    try:
        for _ in range(220):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            idle.append(s)
        t0 = time.monotonic()
        status, _, body = request(server.port, "GET", "/healthz", timeout=5)
        assert status == 200 and time.monotonic() - t0 < 2
    finally:
        for s in idle:
            s.close()


def test_idle_connections_are_closed_after_the_channel_timeout(servers, db_url):
    server = servers(db_url, "--channel-timeout", "2")
    s = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    try:
        t0 = time.monotonic()
        assert s.recv(1) == b""  # the server hung up on the idle connection
        assert time.monotonic() - t0 < 12
    finally:
        s.close()


def test_other_host_names_are_refused_and_open_writes_are_announced(servers, db_url):
    server = servers(db_url)
    status, _, body = request(server.port, "POST", "/api/articles", body=b'{"text": "x"}',
                              headers={"Host": "attacker.example", "Content-Type": "application/json"})
    assert status == 400 and b"attacker.example" in body
    assert request(server.port, "GET", "/healthz", headers={"Host": f"localhost:{server.port}"})[0] == 200
    log = server.stderr()
    assert "writes are open" in log and "host names: 127.0.0.1, localhost, ::1" in log


def test_killing_the_supervisor_takes_its_workers_along(servers, db_url):
    """Orphaned workers kept the port: a restart failed with "Address already in use"."""
    server = servers(db_url, "--workers", "2")
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            get(server.port, "/healthz")
            time.sleep(0.2)
        except OSError:
            break
    else:
        pytest.fail("the workers still answer 10 s after their supervisor was killed")
    again = Server(db_url, "--port", str(server.port), wait=False)
    try:
        again.port = server.port
        again.wait_ready()
        assert "Address already in use" not in again.stderr()
    finally:
        again.stop()


def test_a_read_only_store_is_served_for_reading(servers, frozen_store):
    server = servers(frozen_store)
    status, _, body = get(server.port, "/api/incidents")
    assert status == 200 and json.loads(body)["features"]
    article = json.dumps({"text": (ARTICLES / "merge_kharkiv_a.txt").read_text(encoding="utf-8")}).encode()
    status, _, body = request(server.port, "POST", "/api/articles", body=article,
                              headers={"Content-Type": "application/json"})
    assert status == 503 and "read-only" in json.loads(body)["error"]
    assert "the store is read-only" in server.stderr()


def test_a_database_path_under_a_file_fails_clearly(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = subprocess.run([str(BIN), "serve", "--db", f"sqlite:///{tmp_path / 'afile' / 'x.sqlite'}",
                        "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "cannot create the directory" in r.stderr and "Traceback" not in r.stderr
