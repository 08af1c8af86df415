"""Our event notes (tests/data/notes/five_countries.csv, six_more.csv, third_set.csv, fourth_set.csv,
fifth_set.csv, sixth_set.csv, seventh_set.csv and eighth_set.csv) as a floor the code must keep.

Each train or dev note that `notes_floor.json` lists as fully right (place within 25 km, ACLED
event type and fatalities on one incident, as `bench/extract_eval.py --notes` judges) must stay
so. Test-split notes are left out: they are for measuring once. After an improvement, add the
notes it made right: `INCIDENT_MAP_HOME=var .venv/bin/python tests/test_notes_floor.py > /tmp/floor.json`,
then move it over tests/data/notes/notes_floor.json.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import bench_scripts
import pytest

NOTES = [Path(__file__).parent / "data" / "notes" / name for name in (
    "five_countries.csv", "six_more.csv", "third_set.csv", "fourth_set.csv", "fifth_set.csv", "sixth_set.csv",
    "seventh_set.csv", "eighth_set.csv")]
FLOOR = Path(__file__).parent / "data" / "notes" / "notes_floor.json"


def _verdicts(gazetteer, nlp) -> dict[str, bool]:
    from mapper.nlp.assemble import build_incidents
    from mapper.records import Article

    splits, evaluation = bench_scripts.load("splits"), bench_scripts.load("extract_eval")
    out = {}
    for path in NOTES:
        for row in splits.acled_rows(("train", "dev"), path=path):
            article = Article(text=row["notes"], published=date.fromisoformat(row["event_date"]))
            features = [inc.to_feature() for inc in build_incidents(article, gazetteer, nlp=nlp)]
            if row["id"] in out:
                raise ValueError(f"note id {row['id']} is in two files")
            out[row["id"]] = bool(evaluation.judge(row, features)["all"])
    return out


@pytest.fixture(scope="module")
def verdicts(gazetteer, nlp):
    return _verdicts(gazetteer, nlp)


def test_the_floor_lists_train_and_dev_notes_only(verdicts):
    assert set(json.loads(FLOOR.read_text(encoding="utf-8"))) <= set(verdicts)


@pytest.mark.parametrize("note_id", json.loads(FLOOR.read_text(encoding="utf-8")))
def test_a_note_that_was_right_stays_right(verdicts, note_id):
    assert verdicts[note_id], f"{note_id} is no longer fully right (bench/extract_eval.py --notes tests/data/notes/<file> --errors 50)"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import gazetteer as gz
    from mapper.nlp.document import load_nlp

    right = sorted(k for k, ok in _verdicts(gz.load(), load_nlp()).items() if ok)
    print(json.dumps(right, indent=0))
