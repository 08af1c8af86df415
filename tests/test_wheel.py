"""The wheel installs and works without Node: `python -m build`, a fresh virtualenv, no npm on
PATH, no node_modules in reach, then `geocode`, `extract` and `serve` (a page and an asset).

The wheel is built from this checkout (sdist, then the wheel from the sdist, as users get it)
and installed with pip into a new venv. Its dependencies are not downloaded again: the new
venv sees this project's venv's site-packages through a .pth line (which does not run that
directory's own .pth files, so this checkout's editable install stays invisible); the project
itself is imported from the wheel, which the test checks. The gazetteer index is built on first
use into an empty data directory, from the pip packages and the wheel's copy of the geometries.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import site
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "tests" / "data" / "articles" / "talks_visit.txt"
INDEX_BUILD_TIMEOUT = 1200  # seconds: the first command builds the gazetteer index on 2 busy cores


def run(cmd: list[str], *, env: dict[str, str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, environment without npm) with the freshly built wheel installed."""
    if not (REPO / "node_modules" / "datamaps").is_dir():
        pytest.fail("the wheel is built from node_modules: run `npm ci` (./dev setup does)")
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(REPO)],
        env=dict(os.environ), cwd=REPO, timeout=900)
    (wheel,) = dist.glob("incident_map-*.whl")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], env=dict(os.environ), cwd=root)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "project_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    bin_dir = root / "bin"  # PATH: the venv and the few tools a shell needs; no npm, no node
    bin_dir.mkdir()
    env = {"PATH": f"{venv / 'bin'}:{bin_dir}", "HOME": str(root / "home"), "LANG": "C.UTF-8",
           "INCIDENT_MAP_HOME": str(root / "data"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PIP_NO_INDEX": "1"}
    run([python, "-m", "pip", "install", "--no-index", "--no-deps", str(wheel)], env=env, cwd=root)
    assert shutil.which("npm", path=env["PATH"]) is None and shutil.which("node", path=env["PATH"]) is None
    return {"venv": venv, "env": env, "root": root, "wheel": wheel}


@pytest.mark.slow
def test_the_wheel_carries_assets_geometries_models_and_data(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "mapper/maps/vendor/leaflet/dist/leaflet.js" in names
    assert "mapper/maps/vendor/leaflet.markercluster/dist/leaflet.markercluster.js" in names
    assert "gazetteer/vendor/datamaps/ukr.json.xz" in names and "gazetteer/vendor/datamaps/world.json.xz" in names
    tracked = subprocess.run(["git", "ls-files", "gazetteer", "mapper", "web"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    assert [f for f in tracked if f not in names] == []  # models, NLP data, templates, migrations...
    assert not any(n.startswith(("node_modules/", "tests/")) for n in names)


@pytest.mark.slow
def test_installed_tool_geocodes_extracts_and_serves_without_node(installed):
    venv, env, root = installed["venv"], installed["env"], installed["root"]
    tool = str(venv / "bin" / "incident-map")
    where = run([str(venv / "bin" / "python"), "-c", "import mapper, gazetteer; print(mapper.__file__, gazetteer.__file__)"],
                env=env, cwd=root).stdout
    assert str(REPO) not in where and str(venv) in where

    geocoded = run([tool, "geocode", "Kyiv"], env=env, cwd=root, timeout=INDEX_BUILD_TIMEOUT)
    best = json.loads(geocoded.stdout)["results"][0]
    assert (best["country"], best["name"]) == ("UA", "Kyiv")
    assert "building the offline gazetteer index" in geocoded.stderr

    article = root / "article.txt"
    shutil.copyfile(ARTICLE, article)
    features = json.loads(run([tool, "extract", str(article)], env=env, cwd=root).stdout)["features"]
    assert features and features == _extract_here(article)  # the index built from the wheel's copies is the same

    port = _free_port()
    server = subprocess.Popen([tool, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _get(port, "/", server)
        assert page.status == 200 and b"/assets/leaflet/dist/leaflet.js" in page.body
        asset = _get(port, "/assets/leaflet/dist/leaflet.js", server)
        assert asset.status == 200 and asset.body == (REPO / "node_modules" / "leaflet/dist/leaflet.js").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _extract_here(path: Path) -> list[dict]:
    """`incident-map extract` in this checkout (node_modules, ./dev's index)."""
    import io
    from contextlib import redirect_stdout

    from mapper.cli import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["extract", str(path)]) == 0
    return json.loads(buffer.getvalue())["features"]


class _Answer:
    def __init__(self, status: int, body: bytes):
        self.status, self.body = status, body


def _get(port: int, path: str, server: subprocess.Popen, *, wait: float = 120) -> _Answer:
    deadline = time.monotonic() + wait
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            answer = _Answer(response.status, response.read())
            conn.close()
            return answer
        except OSError:
            if server.poll() is not None:
                raise AssertionError(f"the server exited: {server.stdout.read()[-2000:]}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
