"""Names the gazetteer learnt in issue 13: continents, world regions, counties, small US towns, historical regions.

The answers are independently known facts: GeoNames places Africa (geonameid 6255146) at 7.19 N 21.09 E; UN M49
puts Nigeria and Ghana in Western Africa (011) and Indonesia in South-eastern Asia (035); Lincoln County, South
Dakota has the Census FIPS code 46083; Bluff, Utah (about 260 inhabitants, under cities500's 500) lies at
37.28 N 109.55 W; El Fasher, the capital of North Darfur, at 13.63 N 25.35 E; Washington, D.C. is not in the
state of Washington.
"""

from __future__ import annotations

import math

import pytest


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def resolve(index_available):
    import sqlite3

    from geoverify.gazetteer import resolve as _resolve

    with sqlite3.connect(f"file:{index_available}?mode=ro", uri=True) as conn:
        kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM places WHERE kind IN ('continent', 'locality')")}
    if kinds != {"continent", "locality"}:
        pytest.skip("index built before continents and ZIP-code towns: rebuild with `geoverify data build --force`")

    return _resolve


def test_africa_is_the_continent_at_geonames_point(resolve):
    top = resolve("Africa")[0]
    assert (top.id, top.kind) == ("continent:AF", "continent")
    assert km(top.lat, top.lon, 7.19, 21.09) < 5


def test_west_africa_is_the_m49_region_of_its_members(resolve):
    top = resolve("West Africa", explain=True)[0]
    assert top.id == "m49:011" and top.kind == "continent"
    # the mean of its members' points lies between Nigeria and Senegal
    assert 0 < top.lat < 20 and -18 < top.lon < 10
    assert any(e["evidence"] == "kind" for e in top.extra["explanation"]["evidence"])


def test_southeast_asia_and_south_africa(resolve):
    assert resolve("Southeast Asia")[0].id == "m49:035"
    # "Southern Africa" is never written as "South Africa": that is the country
    assert resolve("South Africa")[0].id == "country:ZA"


def test_a_county_is_the_county_not_the_town(resolve):
    text = "Hartford is a city in Minnehaha County, South Dakota. Lincoln County lies to the south."
    top = resolve("Lincoln County", context=text)[0]
    assert top.id == "admin2:US:46083" and top.kind == "admin2"


def test_a_district_named_after_its_town_is_the_town_unless_a_designator_says_otherwise(resolve):
    # Suffolk, an English county with no town of that name, is the county
    text = "Bird flu was found on a farm in Suffolk, England, near Ipswich."
    top = resolve("Suffolk", context=text)[0]
    assert top.kind == "admin2" and top.country == "GB"
    # Bakhmut (the town, 48.59 N 38.00 E) against the raion named after it
    town = resolve("Bakhmut")[0]
    assert town.kind == "place" and km(town.lat, town.lon, 48.59, 38.00) < 10


def test_a_town_too_small_for_cities500_is_found(resolve):
    top = resolve("Bluff, UT")[0]
    assert top.kind == "locality" and top.country == "US" and top.admin1 == "Utah"
    assert km(top.lat, top.lon, 37.28, -109.55) < 25


def test_darfur_is_the_region_of_sudan(resolve):
    top = resolve("Darfur")[0]
    assert top.id == "region:sd-darfur" and top.country == "SD"
    assert km(top.lat, top.lon, 13.63, 25.35) < 400


def test_democratic_republic_of_congo_without_the(resolve):
    assert resolve("Democratic Republic of Congo")[0].id == "country:CD"


def test_washington_state_is_no_namesake_of_washington_dc(resolve):
    cands = resolve("Washington", explain=True, limit=20)
    state = next(c for c in cands if c.id == "admin1:US-WA")
    assert not any(e["evidence"] == "namesake_city" for e in state.extra["explanation"]["evidence"])
    # the oblast that holds Kharkiv still is
    oblast = next(c for c in resolve("Kharkiv", explain=True, limit=20) if c.kind == "admin1")
    assert any(e["evidence"] == "namesake_city" for e in oblast.extra["explanation"]["evidence"])
