"""The lazy public API: `import mapper` is cheap, every advertised name resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mapper


@pytest.mark.parametrize("name", mapper.__all__)
def test_public_names_resolve(name):
    assert getattr(mapper, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mapper.nope  # noqa: B018


def test_import_mapper_loads_no_heavy_modules():
    code = ("import sys, mapper; heavy = [m for m in ('folium', 'spacy', 'sqlalchemy', 'geopandas', 'alembic') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
