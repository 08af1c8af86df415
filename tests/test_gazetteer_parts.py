"""Gazetteer building blocks: name normalisation, phrases, alias files, the build stamp."""

from __future__ import annotations

import time

import pytest

import gazetteer
from gazetteer import Context, GazetteerError, normalize_name
from gazetteer.normalize import arabic_variant, fold_name, joined_key, transliterate_ru, transliterate_uk
from gazetteer.phrases import parse


@pytest.mark.parametrize("raw,key", [
    ("Kyiv", "kyiv"), ("  KYIV ", "kyiv"), ("L'viv", "lviv"), ("L’viv", "lviv"), ("Luhans'k", "luhansk"),
    ("Ivano-Frankivsk", "ivano frankivsk"), ("Zürich", "zurich"), ("São Paulo", "sao paulo"),
    ("Łódź", "lodz"), ("Одеса", "одеса"), ("Rafaḩ", "rafah"), ("St. Petersburg", "st petersburg"),
    ("Kyiv\x00\x07", "kyiv"), ("a\tb\nc", "a b c"),
])
def test_normalize_name(raw, key):
    assert normalize_name(raw) == key


@pytest.mark.parametrize("group", [
    ["Odesa", "Odessa", "Одеса", "Одесса"],
    ["Kyiv", "Київ"],
    ["Zaporizhzhia", "Zaporizhzhya", "Zaporizhia"],
    ["Nikolaev", "Nikolayev"],
    ["Avdiivka", "Avdiyivka", "Авдіївка"],
    ["Luhansk", "Lugansk", "Луганськ"],
])
def test_variants_fold_together(group):
    folds = {fold_name(normalize_name(n)) for n in group}
    assert len(folds) == 1, folds


def test_folding_keeps_different_names_apart():
    assert fold_name("kharkiv") != fold_name("kherson")
    assert fold_name("pokrovsk") != fold_name("pokrov")


@pytest.mark.parametrize("split,joined", [
    ("Kyauk Pyu", "Kyaukpyu"),          # Burmese syllables written apart
    ("Taung Gyi", "Taunggyi"),
    ("Mawla Myine", "Mawlamyine"),
    ("Mai Duguri", "Maiduguri"),        # Hausa
    ("Kafan Chan", "Kafanchan"),
    ("Bandar Beyla", "Bandarbeyla"),    # Somali compounds
    ("Mahadday Weyne", "Mahaddayweyne"),
])
def test_a_compound_written_apart_finds_the_joined_name(gazetteer, split, joined):
    """Romanised compounds are written split or joined; the gazetteer holds one spelling.
    Before `joined_key` none of these matched, or matched a namesake (Bandar -> India)."""
    place = gazetteer.geocode(split)
    assert place is not None and place.name == joined
    assert gazetteer.has_name(normalize_name(split))


@pytest.mark.parametrize("key,want", [
    ("ceel buur", "ceelbuur"), ("kyauk pyu", "kyaukpyu"),
    ("u s", None),            # initials never join
    ("al bu kamal", None),    # nor particles
    ("kyiv", None),           # one word: nothing to join
    ("київ місто", None),     # ASCII only
])
def test_joined_key(key, want):
    assert joined_key(key) == want


@pytest.mark.parametrize("query,name,country", [
    ("Deir al-Balah", "Dayr al Balaḩ", "PS"),   # news spelling; GeoNames has "Dayr al Balah", "Deir el-Balah"
    ("Dayr el-Balah", "Dayr al Balaḩ", "PS"),
    ("Deir Hafer", "Dayr Ḩāfir", "SY"),
])
def test_arabic_romanisation_variants_meet(gazetteer, query, name, country):
    place = gazetteer.geocode(query)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize("key,want", [
    ("deir al balah", "dair al balah"), ("dayr el balah", "dayr al balah"), ("sheikh zuweid", "shaikh zuwaid"),
    ("kyiv", None), ("el paso", "al paso"), ("leipzig", "laipzig"),
])
def test_arabic_variant(key, want):
    assert arabic_variant(key) == want


def test_joined_names_never_outrank_an_exact_one(gazetteer):
    # "Port Sudan" is a name as written: its words are not joined into another.
    assert gazetteer.geocode("Port Sudan").country == "SD"
    assert gazetteer.geocode("U.S.").country == "US"


@pytest.mark.parametrize("cyr,latin", [
    ("Роботине", "Robotyne"), ("Запоріжжя", "Zaporizhzhia"), ("Київ", "Kyiv"), ("Згорани", "Zghorany"),
    ("Кринки", "Krynky"), ("Олешки", "Oleshky"), ("Юріївка", "Yuriivka"), ("Ямпіль", "Yampil"),
])
def test_ukrainian_official_romanisation(cyr, latin):
    assert transliterate_uk(cyr) == latin


@pytest.mark.parametrize("cyr,latin", [("Белгород", "Belgorod"), ("Ейск", "Yeysk"), ("Курская", "Kurskaya"),
                                       ("Шебекино", "Shebekino"), ("Суджа", "Sudzha")])
def test_russian_bgn_pcgn(cyr, latin):
    assert transliterate_ru(cyr) == latin


@pytest.mark.parametrize("raw,core,want,parent", [
    ("Volgograd region", "volgograd", "admin1", None),
    ("the Odesa regional administration", "odesa", "admin1", None),
    ("Republic of Crimea", "crimea", "admin1", None),
    ("Krasnodar Krai", "krasnodar", "admin1", None),
    ("Pokrovsk, Donetsk Oblast", "pokrovsk", None, "donetsk oblast"),
    ("Geneva, Switzerland", "geneva", None, "switzerland"),
    ("city of Kherson", "kherson", "city", None),
    ("Kherson", "kherson", None, None),
])
def test_phrases(raw, core, want, parent):
    p = parse(raw)
    assert (p.core, p.want, p.parent) == (core, want, parent)


def test_direction_phrase():
    p = parse("southwestern Russia")
    assert (p.core, p.direction) == ("russia", "sw")


def test_derived_direction_region(gazetteer):
    place = gazetteer.geocode("northern Syria")
    assert (place.feature, place.country) == ("region", "SY")
    damascus = gazetteer.geocode("Damascus")
    assert place.lat > damascus.lat


def test_user_alias_file(tmp_path, monkeypatch):
    extra = tmp_path / "ours.tsv"
    extra.write_text(
        "# a newsroom's own names\n"
        "Hill 203|Height 203\tregion\tUA\tHill 203\t48.10\t37.60\tUA.05\n"
        "Stalino\talias\tUA\tDonetsk\n",
        encoding="utf-8")
    gz = gazetteer.load(aliases=(extra,))
    hill = gz.geocode("Height 203")
    assert (hill.name, hill.country, hill.admin1_code, hill.feature) == ("Hill 203", "UA", "UA.05", "region")
    assert hill.admin1 == "Donetsk Oblast"
    assert gz.geocode("Stalino", context=Context.of(countries=["UA"])).name == "Donetsk"
    assert gz.has_name("hill 203")
    monkeypatch.setenv("INCIDENT_MAP_ALIASES", str(extra))
    assert gazetteer.load().geocode("Hill 203").name == "Hill 203"


@pytest.mark.parametrize("text,msg", [
    ("Nowhere\tregion\tUA\tNowhere\n", "lat and lon"),
    ("Bad\tplanet\tUA\tBad\t1\t2\n", "feature"),
    ("Ghost\talias\tUA\tQwzxvbnmk\n", "not found"),
    ("Far\tregion\tUA\tFar\t95\t2\n", "out of range"),
])
def test_bad_alias_files_name_the_line(tmp_path, text, msg):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=msg) as info:
        gazetteer.load(aliases=(path,))
    assert "bad.tsv:1" in str(info.value)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(gazetteer.IndexMissingError, match="gazetteer.build"):
        gazetteer.load(tmp_path / "nothing-here")


def test_build_is_idempotent(gazetteer):
    from gazetteer.build import build, is_up_to_date

    assert is_up_to_date(gazetteer.directory)
    t = time.perf_counter()
    build(gazetteer.directory)
    assert time.perf_counter() - t < 2.0


def test_offline_geocoder_is_a_geopy_geocoder(gazetteer):
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location

    geocoder = gazetteer_mod_geocoder(gazetteer)
    assert isinstance(geocoder, Geocoder)
    loc = geocoder.geocode("Kharkiv")
    assert isinstance(loc, Location)
    assert loc.raw.admin1_code == "UA.07" and abs(loc.latitude - 49.99) < 0.1
    many = geocoder.geocode("Moscow", exactly_one=False, limit=3)
    assert [type(x) for x in many] == [Location] * len(many) and many[0].raw.country == "RU"
    assert geocoder.geocode("Qwzxvbnmk") is None


def gazetteer_mod_geocoder(gz):
    from gazetteer import OfflineGeocoder

    return OfflineGeocoder(gz)
