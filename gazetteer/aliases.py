"""The alias table: names GeoNames lacks (Donbas, "eastern Ukraine", the Black Sea) and renamed
places (Artemivsk -> Bakhmut). Ours is `gazetteer/data/aliases.tsv`; users add rows with a
file of the same format named by `$INCIDENT_MAP_ALIASES` (several: separated by os.pathsep)
or `gazetteer.load(aliases=...)`. The format is documented at the top of our file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import GazetteerError

ENV = "INCIDENT_MAP_ALIASES"
FEATURES = {"alias", "region", "admin1", "city", "sea", "country", "locality"}


@dataclass(frozen=True, slots=True)
class AliasRow:
    names: tuple[str, ...]
    feature: str
    country: str | None
    target: str
    lat: float | None
    lon: float | None
    admin1: str | None
    origin: str  # "file:line", for error messages and Place.raw


def builtin_text() -> str:
    return (resources.files("gazetteer") / "data" / "aliases.tsv").read_text(encoding="utf-8")


def user_files(extra: tuple[str | Path, ...] = ()) -> list[Path]:
    env = os.environ.get(ENV, "")
    paths = [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return paths + [Path(p).expanduser() for p in extra]


def parse(text: str, origin: str) -> Iterator[AliasRow]:
    """Rows of an alias file; a malformed row raises `GazetteerError` naming file and line."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\r\n").split("\t")
        where = f"{origin}:{lineno}"
        if len(cols) < 4:
            raise GazetteerError(f"{where}: expected names, feature, country, target (tab-separated)")
        names = tuple(n.strip() for n in cols[0].split("|") if n.strip())
        feature = cols[1].strip().lower()
        if not names or feature not in FEATURES:
            raise GazetteerError(f"{where}: need names and a feature among {sorted(FEATURES)}")
        country = cols[2].strip().upper() or None
        target = cols[3].strip() or names[0]
        lat = lon = None
        if feature != "alias":
            try:
                lat, lon = float(cols[4]), float(cols[5])
            except (IndexError, ValueError) as err:
                raise GazetteerError(f"{where}: a {feature} needs lat and lon") from err
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"{where}: lat/lon out of range")
        admin1 = cols[6].strip() if len(cols) > 6 and cols[6].strip() else None
        yield AliasRow(names, feature, country, target, lat, lon, admin1, where)


def read_all(extra: tuple[str | Path, ...] = ()) -> list[AliasRow]:
    """Our table, then the user's files (later rows add to earlier ones)."""
    rows = list(parse(builtin_text(), "gazetteer/data/aliases.tsv"))
    for path in user_files(extra):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise GazetteerError(f"cannot read alias file {path}: {err.strerror or err}") from err
        rows.extend(parse(text, str(path)))
    return rows
