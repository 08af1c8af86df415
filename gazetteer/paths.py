"""Where built data lives and where the pinned npm packages were installed.

`INCIDENT_MAP_HOME` (default ``$XDG_DATA_HOME/incident-map`` or ``~/.local/share/incident-map``)
holds the built gazetteer index and the default SQLite database. `INCIDENT_MAP_NODE_MODULES`
points at the `node_modules` folder of `npm ci` (default: the repository's own).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_home() -> Path:
    env = os.environ.get("INCIDENT_MAP_HOME")
    if env:
        return Path(env).expanduser().absolute()  # a relative home stays valid after a chdir
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "incident-map"


def node_modules() -> Path:
    env = os.environ.get("INCIDENT_MAP_NODE_MODULES")
    return Path(env).expanduser() if env else REPO_ROOT / "node_modules"


def index_dir() -> Path:
    """The built gazetteer index (see `gazetteer.build`)."""
    return data_home() / "gazetteer"
