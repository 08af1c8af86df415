"""Our held-out articles (tests/data/articles/heldout3 to heldout18) as a floor the code must keep.

Each train or dev article must keep at least as many incidents fully right, and no more
forbidden hits (a speaker's city, a dateline, a namesake abroad), than `heldout_floors.json`
records.
The floors are what the code scored when they were last raised; after an improvement, raise
them with `INCIDENT_MAP_HOME=var .venv/bin/python bench/articles_eval.py --floors >
tests/data/heldout_floors.json`. Test-split articles are left out: their errors are
for measuring once, never for tuning.
"""

from __future__ import annotations

import json
from pathlib import Path

import bench_scripts
import pytest

FLOORS = json.loads((Path(__file__).parent / "data" / "heldout_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(gazetteer, nlp):
    ae = bench_scripts.load("articles_eval")
    files = [(txt, split) for txt, split in ae.article_files(ae.HELDOUT_DIRS, "all") if split in ae.FLOORS_SPLITS]
    return {s.name: s for s in ae.run(files)}


def test_the_floors_cover_every_train_and_dev_article(scores):
    assert set(FLOORS) == set(scores)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_an_article_keeps_what_it_got_right(scores, name):
    got, floor = scores[name], FLOORS[name]
    notes = "\n".join(got.notes)
    assert got.error is None, got.error
    assert got.right >= floor["right"], f"{name}: {got.right} fully right, the floor is {floor['right']}\n{notes}"
    assert got.forbidden <= floor["forbidden"], f"{name}: {got.forbidden} forbidden hits\n{notes}"
