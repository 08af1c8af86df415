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
    from mapper.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'incidents.sqlite'}"
