"""Every test article against the incidents a careful analyst coded for it (tests/data/expected_incidents.json).

Places are compared by where they are (GeoNames id or < 15 km for towns, admin-1 code for
regions), strings such as actors and attributions loosely (case-insensitive substring either
way), because spelling is not what the map gets wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapper.articles import read_article, read_articles
from mapper.errors import ArticleError
from mapper.nlp.assemble import build_incidents
from gazetteer.distance import distance_km
from mapper.storage.merge import same_incident
from mapper.records import Article, Incident

ARTICLES = Path(__file__).parent / "data" / "articles"
# A missing golden file must fail loudly (read at import), never turn into zero cases.
EXPECTED = json.loads((ARTICLES.parent / "expected_incidents.json").read_text(encoding="utf-8"))
CASES = [e for e in EXPECTED if not e.get("error")]
ERRORS = [e for e in EXPECTED if e.get("error")]
EXACT = ("event_type", "event_date", "event_date_end", "time_precision", "fatalities", "injured", "geo_precision",
         "country", "historical")
LOOSE = ("actor1", "actor2", "attribution")


def _articles(entry: dict) -> list[Article]:
    path = ARTICLES / entry["file"]
    items = list(read_articles([path]))
    return [a for a in items if isinstance(a, Article)]


def _extract(entry: dict, gazetteer, nlp) -> dict[int | None, list[Incident]]:
    """Incidents per record index (None for single-article files)."""
    arts = _articles(entry)
    if len(arts) == 1:
        return {None: build_incidents(arts[0], gazetteer, nlp=nlp)}
    return {i: build_incidents(a, gazetteer, nlp=nlp) for i, a in enumerate(arts)}


def _same_place(exp: dict, got: Incident) -> bool:
    if exp["geo_precision"] == 3 or exp.get("lat") is None:
        if exp.get("admin1_code"):
            return got.admin1_code == exp["admin1_code"] and got.geo_precision == 3
        return got.country == exp["country"] and got.location.lower() == exp["location"].lower()
    if exp.get("geonameid") and got.geonameid == exp["geonameid"]:
        return True
    return distance_km(exp["lat"], exp["lon"], got.lat, got.lon) < 15


def _loose(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = a.lower(), b.lower()
    return a in b or b in a


def _ok(exp: dict, field: str, value) -> bool:
    want = [exp.get(field)] + list(exp.get("also_ok", {}).get(field, []))
    if field == "event_date":
        value = value.isoformat() if value else None
    if field == "event_date_end":
        value = value.isoformat() if value else None
    if field in LOOSE:
        return any(_loose(w, value) for w in want)
    return value in want


def _match(exp: dict, got: list[Incident]) -> Incident | None:
    here = [g for g in got if _same_place(exp, g)]
    for g in here:
        if _ok(exp, "event_date", g.event_date) and g.historical == exp.get("historical", False):
            return g
    return here[0] if here else None


def _problems(exp: dict, inc: Incident) -> list[str]:
    out = []
    for field in EXACT + LOOSE + ("sub_event_type",):
        value = getattr(inc, field)
        if field in ("actor1", "actor2") and exp["event_type"] == "Battles":
            pair = {(inc.actor1 or "").lower(), (inc.actor2 or "").lower()}
            if all(any(_loose(e, p) for p in pair) for e in (exp.get("actor1"), exp.get("actor2")) if e):
                continue
        if not _ok(exp, field, value):
            out.append(f"{exp['location']}: {field} = {value!r}, expected {exp.get(field)!r}")
    return out


@pytest.mark.parametrize("entry", CASES, ids=[e["file"] for e in CASES])
def test_article_incidents(entry, gazetteer, nlp):
    by_record = _extract(entry, gazetteer, nlp)
    wanted: dict[int | None, list[dict]] = {}
    for exp in entry["incidents"]:
        wanted.setdefault(exp.get("record"), []).append(exp)
    problems: list[str] = []
    for record, got in by_record.items():
        expected = wanted.get(record, [])
        used: set[str] = set()
        for exp in expected:
            inc = _match(exp, [g for g in got if g.id not in used])
            if inc is None:
                problems.append(f"missing: {exp['location']} ({exp['sub_event_type']}, {exp['event_date']})")
                continue
            used.add(inc.id)
            problems.extend(_problems(exp, inc))
        acceptable = entry.get("acceptable", [])
        for inc in got:
            if inc.id in used:
                continue
            if any(_same_place(a, inc) for a in acceptable) or inc.historical:
                continue
            problems.append(f"unexpected: {inc.location} ({inc.sub_event_type}, {inc.event_date}): {inc.quote[:90]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", CASES, ids=[e["file"] for e in CASES])
def test_incidents_keep_their_source(entry, gazetteer, nlp):
    for record, got in _extract(entry, gazetteer, nlp).items():
        for inc in got:
            assert inc.quote and inc.mention and inc.article_id
            assert len(inc.sources) == 1 and inc.sources[0]["article_id"] == inc.article_id
            assert inc.sources[0]["quote"] == inc.quote
            assert inc.published is not None


@pytest.mark.parametrize("entry", ERRORS, ids=[e["file"] for e in ERRORS])
def test_bad_inputs_are_rejected_by_name(entry):
    path = ARTICLES / entry["file"]
    items = list(read_articles([path]))
    errors = [i for i in items if isinstance(i, ArticleError)]
    assert errors, items
    assert all(str(path) in str(e) for e in errors)


def test_design_example_is_exactly_five_incidents_none_in_the_americas(gazetteer, nlp):
    incidents = build_incidents(read_article(ARTICLES / "design_example.html"), gazetteer, nlp=nlp)
    assert len(incidents) == 5
    assert all(not (-170 < i.lon < -30) for i in incidents)
    by_place = {i.location: i for i in incidents}
    assert {(i.country, i.geo_precision) for i in incidents} == {("UA", 1), ("UA", 3), ("RU", 3), ("CH", 1), ("DE", 1)}
    odesa = next(i for i in incidents if i.geonameid == 698740)
    assert (odesa.fatalities, odesa.injured) == (1, 6)
    geneva = next(i for i in incidents if i.country == "CH")
    assert (geneva.event_date.isoformat(), geneva.event_date_end.isoformat()) == ("2026-02-17", "2026-02-18")
    assert by_place  # locations are named


def test_same_article_twice_gives_the_same_ids(gazetteer, nlp):
    article = read_article(ARTICLES / "design_example.html")
    first = [i.id for i in build_incidents(article, gazetteer, nlp=nlp)]
    again = [i.id for i in build_incidents(read_article(ARTICLES / "design_example.html"), gazetteer, nlp=nlp)]
    assert first == again and len(set(first)) == len(first)


def test_merge_pair_is_one_incident_with_two_sources(gazetteer, nlp):
    from mapper.storage.merge import merge_incidents

    pairs = [(e, i) for e in EXPECTED for i in e.get("incidents", []) if i.get("same_as")]
    if not pairs:
        pytest.skip("no merge pair in expected_incidents.json")
    for entry, exp in pairs:
        other_file, _, index = exp["same_as"].partition("#")
        a = build_incidents(_articles({"file": other_file})[0], gazetteer, nlp=nlp)
        b = build_incidents(_articles(entry)[0], gazetteer, nlp=nlp)
        ia = a[int(index or 0)]
        ib = next(i for i in b if _same_place(exp, i))
        assert same_incident(ia, ib)
        merged = merge_incidents(a + b)
        assert len(merged) == len(a) + len(b) - 1
        kept = next(m for m in merged if m.id == ia.id)
        assert {s["article_id"] for s in kept.sources} == {ia.article_id, ib.article_id}
