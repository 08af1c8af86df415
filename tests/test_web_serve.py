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
