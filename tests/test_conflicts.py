"""The conflict files: our own load and agree with the gazetteer, bad rows fail with their file and
line, a user's file is picked up through $INCIDENT_MAP_CONFLICTS, and the matcher follows its rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.errors import IncidentMapError
from mapper.nlp import conflicts
from mapper.nlp.actors import find_actors
from mapper.nlp.conflicts import ENV, Conflicts, builtin_files, read_files

SHIPPED = {"common", "ukraine_russia", "israel_palestine", "lebanon", "syria", "yemen", "sudan", "drc", "sahel",
           "somalia", "nigeria", "pakistan", "afghanistan", "myanmar", "colombia", "ethiopia", "haiti", "iraq",
           "mozambique", "iran_israel_us"}


def test_every_shipped_conflict_has_a_file_that_loads():
    reg = conflicts.load()
    assert {Path(f).stem for f in reg.files} >= SHIPPED
    assert conflicts.load() is reg  # read once per process
    per_file = {}
    for actor in reg.actors.values():
        per_file[actor.conflict] = per_file.get(actor.conflict, 0) + 1
    assert all(per_file.get(stem, 0) >= 2 for stem in SHIPPED - {"ukraine_russia", "lebanon", "iran_israel_us"})


def test_state_forces_and_demonyms_agree_with_the_gazetteer(gazetteer):
    reg = conflicts.load()
    for word, country in reg.demonyms.items():
        known = gazetteer.demonym(word)
        assert known in (None, country), (word, country, known)
        assert reg.state_force(country) is not None and reg.state_force(country).kind == "state"
    for country, actor in reg.states.items():
        assert actor.country == country and (actor.acled is None or actor.acled.startswith("Military Forces of"))


def _load(tmp_path: Path, body: str, name: str = "mine.tsv") -> Conflicts:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return Conflicts(builtin_files() + read_files([path]))


@pytest.mark.parametrize("body, line, message", [
    ("actor\tkind\nGroup A\trebel\tSO\n", 2, "3 cells for 2 columns"),
    ("actor\tkind\tcountry\nGroup A\tterrorists\tSO\n", 2, "kind 'terrorists' is not one of"),
    ("actor\tkind\tcountry\nGroup A\trebel\tZZ\n", 2, "unknown country code 'ZZ'"),
    ("# a comment\nactor\tkind\tcountry\taliases\nGroup A\trebel\tSO\tThe Lions\nGroup B\trebel\tSO\tthe-lions\n", 4,
     "'the-lions' already names 'Group A' at line 3 of this file"),
    ("actor\tkind\tcountry\taliases\nGroup A\trebel\tSO\tAl[- ]Lions\n", 2, "looks like a regex"),
    ("actor\tkind\tcountry\taliases\nGroup A\trebel\tSO\tAlpha;Beta\n", 2, "may separate its words"),
    ("Rapid Support Forces\trebel\tSD\n", 1, "unknown column(s)"),
    ("actor\tcountry\nNew Group\tSO\n", 2, "new actor 'New Group' needs a kind"),
    ("actor\tkind\nRussian forces\trebel\n", 2, "kind 'rebel' of 'Russian forces' conflicts with 'state' at conflicts/common.tsv:"),
    ("actor\tkind\tacled\nGroup A\trebel\tGroup A ({region})\n", 2, "may hold only {country}"),
    ("actor\tkind\nGroup A\trebel\n\nGroup A\trebel\n", 4, "already has a row at line 2"),
    ("actor\tkind\tcountry\tdemonyms\nGroup A\trebel\tSO\tSomalese\n", 2, "only a state force"),
])
def test_a_malformed_file_names_its_file_and_line(tmp_path, body, line, message):
    with pytest.raises(IncidentMapError) as err:
        _load(tmp_path, body)
    assert f"{tmp_path / 'mine.tsv'}:{line}" in str(err.value)
    assert message in str(err.value)


def test_one_name_in_two_files_is_allowed_and_resolved_by_country(tmp_path):
    reg = _load(tmp_path, "actor\tkind\tcountry\taliases\nLions of the Delta\trebel\tNG\tRSF\n")
    (m,) = reg.find("The RSF attacked the town.", country="NG")
    assert (m.actor.name, m.source) == ("Lions of the Delta", f"{tmp_path / 'mine.tsv'}:2")
    (m,) = reg.find("The RSF attacked the town.", country="SD")
    assert m.actor.name == "Rapid Support Forces" and [a.name for a in m.alternatives] == ["Lions of the Delta"]


USER_FILE = """# Cameroon's Anglophone regions, a conflict we do not ship. Written for this test.
actor\tkind\tcountry\taliases\tleaders
Ambazonia Defence Forces\trebel\tCM\tADF | Amba fighters | Ambazonian separatists | Amba boys\tAyaba Cho Lucas
Cameroonian armed forces\t\t\tRapid Intervention Battalion
Russian forces\t\t\tZ-group
"""


def test_a_user_conflict_file_through_the_environment(tmp_path, monkeypatch):
    folder = tmp_path / "conflicts"
    folder.mkdir()
    (folder / "cameroon.tsv").write_text(USER_FILE, encoding="utf-8")
    monkeypatch.setenv(ENV, str(folder))
    reg = conflicts.load()
    assert str(folder / "cameroon.tsv") in reg.files
    text = "ADF separatists attacked a checkpoint near Bamenda on Sunday."
    assert find_actors(text, sub_event_type="Attack", location_country="CM") == ("Ambazonia Defence Forces", None)
    assert find_actors(text, sub_event_type="Attack", location_country="CD") == ("Allied Democratic Forces", None)
    assert find_actors("Amba fighters ambushed soldiers of the Rapid Intervention Battalion.", sub_event_type="Armed clash",
                       location_country="CM") == ("Ambazonia Defence Forces", "Cameroonian armed forces")
    assert [m.actor.name for m in reg.find("Z-group assault units")] == ["Russian forces"]
    monkeypatch.delenv(ENV)
    assert "cameroon.tsv" not in " ".join(conflicts.load().files)


def test_a_missing_user_path_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere"))
    with pytest.raises(IncidentMapError, match=ENV):
        conflicts.load()


@pytest.mark.parametrize("text, country, found", [
    ("The RSF shelled the town.", "SD", [("RSF", "Rapid Support Forces")]),
    ("the rsf shelled the town.", "SD", []),  # an acronym only as written
    ("THE RSF SHELLED THE TOWN.", "SD", [("RSF", "Rapid Support Forces")]),
    ("Erdogan and Erdoğan", None, [("Erdogan", "Turkish forces"), ("Erdoğan", "Turkish forces")]),  # accents ignored
    ("al Shabaab, Al-Shabaab and AL-SHABAAB", "SO", [("al Shabaab", "al-Shabaab"), ("Al-Shabaab", "al-Shabaab"),
                                                     ("AL-SHABAAB", "al-Shabaab")]),
    ("Hamas's fighters", None, [("Hamas", "Hamas")]),
    ("People’s Defence Force units", "MM", [("People’s Defence Force", "People's Defence Force")]),
    ("people's defence force", "MM", []),  # no capital: an ordinary phrase
    ("Jubaland security forces", "SO", [("Jubaland security forces", "Jubaland Security Force")]),
    ("joint forces of the army and police", "SD", [("the army", "Government forces"), ("police", "Police forces")]),
    ("Sool, Sanaag and Cayn militia", "SO", [("Sool, Sanaag and Cayn militia", "SSC-Khaatumo militia")]),
    ("Hamas. Russia", None, [("Hamas", "Hamas"), ("Russia", "Russian forces")]),
])
def test_matching_rules(text, country, found):
    got = conflicts.load().find(text, country=country)
    assert [(m.text, m.actor.name) for m in got] == found
    assert all(text[m.start:m.end] == m.text for m in got)


@pytest.mark.parametrize("text,found", [
    # an alias at the tail of a longer capitalised name is not its actor
    ("The West Papua National Liberation Army claimed the killing.", []),
    # a nationality or a sentence's opener before it is no longer name
    ("The National Liberation Army attacked a patrol.", [("National Liberation Army", "ELN")]),
    ("Sudanese Rapid Support Forces shelled the camp.", [("Rapid Support Forces", "Rapid Support Forces")]),
])
def test_an_alias_inside_a_longer_name_is_not_the_actor(text, found):
    got = [(m.text, m.actor.name) for m in conflicts.load().find(text) if m.role == "alias"]
    assert got == found
