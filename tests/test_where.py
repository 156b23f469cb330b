"""``where(lat, lon)`` and ``where_many``: country, admin-1, macro-regions, places, borders, notes.

Known answers: the Sergeevka training ground (44.326859, 131.668647; GeoConfirmed via
fixtures/articles/001_a1998207a4a2e502.txt) is in Primorsky Krai, Russia, 1.31 km from the village
of Sergeyevka (GeoNames 2020626) and 35.1 km from the Chinese border (see test_boundaries.py).
Moscow's Red Square (55.7539, 37.6208) is in the city of Moscow (ISO 3166-2 RU-MOW), Central
Federal District. Kharkiv (49.9935, 36.2304) is the centre of Kharkiv oblast (UA-63), about
30-40 km from the Russian border. Simferopol (44.9521, 34.1024) is in Crimea.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from geoverify.errors import ParseError

SERGEEVKA = (44.326859, 131.668647)


@pytest.fixture(scope="module")
def bnd(index_available):
    from geoverify.gazetteer.boundaries import get_boundaries

    return get_boundaries()


def test_sergeevka(bnd):
    from geoverify.gazetteer.boundaries import where

    w = where(*SERGEEVKA)
    assert w["country"]["iso"] == "RU" and w["country"]["name"] == "Russia"
    assert w["admin1"]["iso"] == "RU-PRI" and "Primorsk" in w["admin1"]["name"]
    regions = {r["id"] for r in w["region"]}
    assert "region:ru-far-east" in regions and "region:ru-siberia" not in regions
    assert w["borders"][0]["countries"] == ["CN", "RU"]
    assert w["borders"][0]["distance_km"] == pytest.approx(35.1, abs=1.0)
    nearest = w["nearest_places"][0]
    assert nearest["id"] == "geonames:2020626" and nearest["distance_km"] == pytest.approx(1.31, abs=0.02)
    assert len(w["nearest_places"]) == 5
    assert [p["distance_km"] for p in w["nearest_places"]] == sorted(p["distance_km"] for p in w["nearest_places"])
    assert w["notes"] == []
    assert any("OpenStreetMap" in s for s in w["sources"]) and any("Natural Earth" in s for s in w["sources"])
    json.dumps(w)  # plain JSON types only


def test_package_level_where(bnd):
    import geoverify
    from geoverify import gazetteer

    assert gazetteer.where(*SERGEEVKA)["admin1"]["iso"] == "RU-PRI"
    assert geoverify.where(*SERGEEVKA)["country"]["iso"] == "RU"


def test_moscow(bnd):
    w = bnd.where(55.7539, 37.6208)
    assert w["country"]["iso"] == "RU"
    assert w["admin1"]["iso"] == "RU-MOW" and w["admin1"]["name"] == "Moscow"
    assert [r["id"] for r in w["region"]] == ["region:ru-central"]
    # Moscow Oblast surrounds the city
    assert bnd.contains("admin1:RU-MOS", 55.95, 37.0)["inside"]


def test_kharkiv(bnd):
    w = bnd.where(49.9935, 36.2304)
    assert w["country"]["iso"] == "UA"
    assert w["admin1"]["iso"] == "UA-63" and w["admin1"]["name"] == "Kharkiv"
    assert "region:ua-east" in {r["id"] for r in w["region"]}
    b = w["borders"][0]
    assert b["countries"] == ["RU", "UA"] and 30 <= b["distance_km"] <= 40
    assert b["other_sources"][0]["source"] == "naturalearth" and 25 <= b["other_sources"][0]["distance_km"] <= 40


def test_point_at_sea_has_no_country_and_says_so(bnd):
    w = bnd.where(0.0, -150.0)  # central Pacific
    assert w["country"] is None and w["admin1"] is None and w["region"] == []
    assert "waters" not in w
    assert any(n.startswith("at sea") for n in w["notes"])
    assert w["nearest_country"]["iso"] == "KI"  # Kiribati's Line Islands
    assert 500 < w["nearest_country"]["distance_km"] < 900


def test_territorial_waters(bnd):
    w = bnd.where(42.90, 131.90)  # Peter the Great Gulf, a few km off Vladivostok's coast
    assert w["country"] is None
    assert w["waters"]["iso"] == "RU"
    assert w["nearest_country"]["iso"] == "RU" and w["nearest_country"]["distance_km"] < 12


def test_inland_lake_belongs_to_the_country(bnd):
    assert bnd.where(53.5, 108.2)["country"]["iso"] == "RU"  # Lake Baikal
    w = bnd.where(45.0, 132.4)  # Lake Khanka, Russian side
    assert w["country"]["iso"] == "RU"
    assert w["borders"][0]["countries"] == ["CN", "RU"] and w["borders"][0]["distance_km"] < 30


def test_crimea_is_flagged_as_disputed(bnd):
    w = bnd.where(44.9521, 34.1024)  # Simferopol
    assert w["admin1"]["iso"] == "UA-43"
    assert w["disputed"]["claimants"] == ["RU", "UA"]
    assert w["country"]["iso"] == "UA" and w["country"]["alternatives"][0]["iso"] == "RU"
    assert any("disputed territory" in n for n in w["notes"])
    assert any("Natural Earth assigns UA-43 to RU" in n for n in w["notes"])


def test_sevastopol_coast_gets_the_same_answer_as_inland(bnd):
    """Issue 15 item 5: on Sevastopol's waterfront (44.6166, 33.5254, the issue's point, about
    1 km from the city's GeoNames point) both OpenStreetMap polygons (RU and UA) contain the
    point 0.14 km from their shared coastline, and Natural Earth's ~1 km coastline leaves it
    outside every admin-1 polygon. It was reported as Russia "within 0.14 km of the RU–UA border"
    with no admin-1; the RU–UA land border is some 450 km away (the Perekop isthmus and beyond),
    so this is the disputed overlap, answered as 4 km inland: Ukraine, UA-40, UN GA 68/262."""
    inland = bnd.where(44.58, 33.55)
    coast = bnd.where(44.6166, 33.5254)
    for w in (inland, coast):
        assert w["country"]["iso"] == "UA" and w["country"]["alternatives"][0]["iso"] == "RU"
        assert w["admin1"]["iso"] == "UA-40"
        assert w["disputed"]["claimants"] == ["RU", "UA"]
        assert any("68/262" in n for n in w["notes"])
        assert not any("border, where the two countries' source polygons overlap" in n for n in w["notes"])
    assert "inside" not in inland["admin1"]
    assert coast["admin1"]["inside"] is False and 0 < coast["admin1"]["distance_to_edge_km"] <= 2.0
    assert any(n.startswith("on the coast") for n in coast["notes"])


def test_out_of_range(bnd):
    with pytest.raises(ParseError):
        bnd.where(91.0, 0.0)
    with pytest.raises(ParseError):
        bnd.where_many([10.0, 20.0], [0.0, float("nan")])


def test_where_many_agrees_with_where(bnd):
    rng = np.random.default_rng(20241018)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 200)))
    lon = rng.uniform(-180, 180, 200)
    # make sure some land points are in: jitter round known places
    lat[:20] = 44.3 + rng.normal(0, 2, 20)
    lon[:20] = 131.7 + rng.normal(0, 2, 20)
    many = bnd.where_many(lat, lon, layers=True)  # where() adds districts and the nearest airport
    assert len(many) == 200
    assert sum(w["country"] is not None for w in many) >= 30
    for i in range(200):
        assert many[i] == bnd.where(float(lat[i]), float(lon[i]))


def test_antimeridian_and_poles(bnd):
    # inland Chukotka on both sides of 180°: the polygons' cut along the antimeridian is not an edge
    east, west = bnd.where(67.5, 179.99, k_places=0), bnd.where(67.5, -179.99, k_places=0)
    assert east["country"]["iso"] == west["country"]["iso"] == "RU"
    assert east["admin1"]["iso"] == west["admin1"]["iso"] == "RU-CHU"
    assert east["country"]["distance_to_edge_km"] > 100
    assert abs(east["country"]["distance_to_edge_km"] - west["country"]["distance_to_edge_km"]) < 2
    # the South Pole is on Antarctica's land (OSM data stops at 85.05 S; the build closes it), more than
    # 1,000 km from the nearest ice front; the North Pole is at sea
    south = bnd.where(-90.0, 0.0, k_places=0)
    assert south["country"]["iso"] == "AQ" and south["country"]["distance_to_edge_km"] > 1000
    assert bnd.where(90.0, 0.0, k_places=0)["country"] is None
