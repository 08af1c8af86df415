"""The first command after install builds the gazetteer index instead of failing."""

from __future__ import annotations

import json
import os

from gazetteer import build, paths
from mapper.cli import main


def test_first_command_builds_the_missing_index(tmp_path, monkeypatch, capsys):
    real_index = paths.index_dir()
    monkeypatch.setenv("INCIDENT_MAP_HOME", str(tmp_path))
    built = []

    def fake_build(directory, *, log):
        # Stands in for the minute-long build: link the index this test session already has.
        built.append(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(real_index, directory)
        return directory

    monkeypatch.setattr(build, "build", fake_build)
    assert main(["geocode", "Kharkiv", "--limit", "1"]) == 0
    out, err = capsys.readouterr()
    assert built == [tmp_path / "gazetteer"]
    assert "building the offline gazetteer index" in err
    assert json.loads(out)["results"][0]["country"] == "UA"
    # Present now: the next command does not build again.
    assert main(["geocode", "Kharkiv", "--limit", "1"]) == 0
    assert len(built) == 1
