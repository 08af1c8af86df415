"""The on-disk index: flat little-endian arrays, memory-mapped, so loading costs no parsing.

Why not JSON or pickle: 235,000 places and ~2 million name keys would take seconds and
hundreds of megabytes to rebuild as Python objects. Here `open_index()` maps a dozen files and
every lookup touches a few pages.

Files in the index directory (all written by `gazetteer.build`):

    meta.json          versions stamp, counts, country and admin-1 tables, array formats
    <name>.bin         one array each, typecode in meta["arrays"][name]
    admin1.geojson     admin-1 polygons (read lazily, only when a map asks)
    countries.geojson  country polygons (lazily)

Name lookup is an open-addressing hash table: `slots` holds a 64-bit hash of a key
(0 = empty), `slot_key` the key number; a key owns postings `key_start[k]:key_start[k+1]`
(place number, match kind, static score), sorted best first. A name key's postings
include those of its folded key (kind 3, `ranking.K_FOLDED`), so a hit costs one probe.
Keys are not stored: a 64-bit hash stands for its key (checked collision-free at build).

Precomputed answers (see `gazetteer.answers`) serve the commonest lookups in one read each:
`key_top` holds a `KEY_TOP` per key (its first posting and that posting's calibrated score when
the key is asked alone), `phrase_top` a `PHRASE_TOP` per name key (the same for "<key> region",
and the number of the key's folded key), `key_flags` a byte per key (`NAME_EXTENDED`,
`FOLD_EXTENDED`), and `place_rec` a `PLACE_REC` per place with everything a `Place` is made of
(coordinates already rounded as `Place`s carry them).
"""

from __future__ import annotations

import array
import json
import mmap
import os
import struct
import zlib
from pathlib import Path
from typing import Any

from .errors import GazetteerError, IndexMissingError

_adler32, _crc32 = zlib.adler32, zlib.crc32

FORMAT = 9  # 9: second-level districts (feature "admin2")
# Name namespaces: exact normalised keys and folded variant keys hash apart.
NS_NAME = b"n:"
NS_FOLD = b"f:"
# One place: lat, lon (rounded to 5 places), name start and end in names.bin, GeoNames id,
# population, admin-1 number (`NO_ADMIN1` for none), country number, feature number.
PLACE_REC = struct.Struct("<ddIIIIIHB")
NO_ADMIN1 = 0xFFFFFFFF
# A key's best answer asked alone: place number, round(score, 4) * SCORE_SCALE, match kind.
KEY_TOP = struct.Struct("<IHB")
# The same for "<name key> region", then the key number of the name's folded key.
PHRASE_TOP = struct.Struct("<IHBI")
SCORE_SCALE = 10_000
NO_SCORE = 0xFFFF  # in a stored score: nothing matches
NO_KEY = 0xFFFFFFFF
# Record layouts as meta.json states them: an index written with other layouts is stale.
RECORDS = {"place_rec": PLACE_REC.format, "key_top": KEY_TOP.format, "phrase_top": PHRASE_TOP.format}
NAME_EXTENDED = 1  # key_flags: a longer name key starts with this one and a space
FOLD_EXTENDED = 2  # key_flags: the same among folded keys


# Both checksums of each namespace prefix: continuing them over a key's bytes gives the
# checksums of prefix + key without building that string.
_SEEDS = {ns: (zlib.adler32(ns), zlib.crc32(ns)) for ns in (NS_NAME, NS_FOLD)}


def key_hash(ns: bytes, key: str) -> int:
    """64-bit stable hash of a key in a namespace (of ns + key); never 0 (0 marks an empty slot).

    CRC-32 and Adler-32 side by side: five times cheaper than blake2b from Python, and the
    build checks that no two indexed keys share a hash (`build_table` raises if they do).
    """
    adler, crc = _SEEDS[ns]
    b = key.encode("utf-8")
    # CRC-32 in the low bits: the table slot comes from them, and Adler-32's low bits cluster
    # badly for short strings (linear probing would degrade to a scan).
    return (zlib.adler32(b, adler) << 32) | zlib.crc32(b, crc) or 1


def write_array(directory: Path, name: str, typecode: str, values) -> None:
    arr = values if isinstance(values, array.array) else array.array(typecode, values)
    if arr.typecode != typecode:
        arr = array.array(typecode, arr)
    with open(directory / f"{name}.bin", "wb") as f:
        arr.tofile(f)


def build_table(hashes: list[int]) -> tuple[array.array, array.array]:
    """Open-addressing table (load <= 0.5) mapping hash -> key number."""
    size = 1
    while size < 2 * max(1, len(hashes)):
        size *= 2
    mask = size - 1
    slots = array.array("Q", bytes(8 * size))
    slot_key = array.array("I", bytes(4 * size))
    for k, h in enumerate(hashes):
        i = h & mask
        while slots[i]:
            if slots[i] == h:
                raise GazetteerError(f"two index keys share the hash {h:#x}; change store.key_hash")
            i = (i + 1) & mask
        slots[i] = h
        slot_key[i] = k
    return slots, slot_key


class Index:
    """Read side: memory-mapped arrays plus the small tables of meta.json."""

    def __init__(self, directory: Path):
        self.directory = directory
        meta_path = directory / "meta.json"
        try:
            with open(meta_path, encoding="utf-8") as f:
                self.meta: dict[str, Any] = json.load(f)
        except FileNotFoundError as err:
            raise IndexMissingError(
                f"no gazetteer index in {directory}; build it with `python -m gazetteer.build`"
            ) from err
        if self.meta.get("format") != FORMAT or self.meta.get("records") != RECORDS:
            raise IndexMissingError(
                f"gazetteer index in {directory} has an old format; rebuild with `python -m gazetteer.build`"
            )
        self._maps: dict[str, Any] = {}
        for name, typecode in self.meta["arrays"].items():
            setattr(self, name, self._map(name, typecode))
        self.mask = len(self.slots) - 1

    def raw(self, name: str) -> Any:
        """The mapped file of array `name` itself: slicing it gives `bytes` (cheaper to decode
        than a memoryview slice; `names` is read this way for every Place)."""
        return self._maps[name]

    def _map(self, name: str, typecode: str) -> memoryview:
        path = self.directory / f"{name}.bin"
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError as err:
            raise IndexMissingError(f"gazetteer index is incomplete ({path.name} missing); rebuild it") from err
        try:
            if os.fstat(fd).st_size == 0:
                self._maps[name] = b""
                return memoryview(array.array(typecode))
            # MAP_POPULATE: fault the pages in now (a few tens of ms) instead of one by one
            # during lookups, where random probes would otherwise pay a page fault each.
            mm = mmap.mmap(fd, 0, flags=mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0), prot=mmap.PROT_READ)
        finally:
            os.close(fd)
        self._maps[name] = mm
        return memoryview(mm).cast(typecode)

    def find(self, ns: bytes, key: str) -> int:
        """Key number of `key` in namespace `ns`, or -1."""
        adler, crc = _SEEDS[ns]  # key_hash, inlined: a lookup calls this a few times
        b = key.encode("utf-8")
        h = (_adler32(b, adler) << 32) | _crc32(b, crc) or 1
        slots = self.slots
        mask = self.mask
        i = h & mask
        while True:
            s = slots[i]
            if s == h:
                return self.slot_key[i]
            if not s:
                return -1
            i = (i + 1) & mask
