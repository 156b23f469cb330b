"""Geodesy wrappers against independently known values (WGS84)."""

import pytest

from geoverify import geodesy, thresholds


def test_one_degree_of_longitude_on_the_equator():
    # a = 6378137 m: 2πa/360 = 111319.4908 m
    assert geodesy.distance_km(0, 0, 0, 1) == pytest.approx(111.3194908, abs=1e-6)


def test_one_degree_of_latitude_at_the_equator():
    # meridian arc 0°→1° on WGS84: 110574.389 m (tabulated, e.g. Karney's GeodTest)
    assert geodesy.distance_km(0, 0, 1, 0) == pytest.approx(110.574389, abs=1e-5)


def test_sergeevka_geolocation_to_the_village():
    # docs/DESIGN.md: 1.31 km from the GeoConfirmed point to Sergeyevka (GeoNames 2020626)
    assert geodesy.distance_km(44.326859, 131.668647, 44.33749, 131.66142) == pytest.approx(1.31, abs=0.01)


def test_the_two_sergeyevkas_are_175_km_apart():
    # the starting design note said "174 km apart"; the WGS84 geodesic is 175.06 km (docs/DESIGN.md).
    assert geodesy.distance_km(44.33749, 131.66142, 43.35032, 133.35815) == pytest.approx(175.06, abs=0.01)


@pytest.mark.parametrize("lat2,lon2,expected", [(1, 0, 0.0), (0, 1, 90.0), (-1, 0, 180.0), (0, -1, 270.0)])
def test_bearings_from_the_origin(lat2, lon2, expected):
    assert geodesy.bearing_deg(0, 0, lat2, lon2) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("a,b,diff", [(350, 10, 20), (10, 350, 20), (0, 180, 180), (90, 90, 0), (359, 1, 2)])
def test_angle_difference_wraps(a, b, diff):
    assert geodesy.angle_difference(a, b) == pytest.approx(diff)


@pytest.mark.parametrize(
    "word,centre,half", [("S", 180, 45), ("NE", 45, 45), ("NNE", 22.5, 22.5), ("wsw", 247.5, 22.5)]
)
def test_compass_sectors(word, centre, half):
    assert geodesy.compass_sector(word) == (centre, half)


def test_compass_sector_rejects_unknown_words():
    with pytest.raises(ValueError):
        geodesy.compass_sector("up")


@pytest.mark.parametrize("az,name", [(0, "N"), (11, "N"), (12, "NNE"), (350, "N"), (225, "SW"), (100, "E")])
def test_compass_name(az, name):
    assert geodesy.compass_name(az) == name


@pytest.mark.parametrize("value,unit,km", [(7, "mi", 11.265408), (1, "nmi", 1.852), (500, "m", 0.5), (20, "km", 20)])
def test_unit_conversion(value, unit, km):
    assert geodesy.to_km(value, unit) == pytest.approx(km)


def test_urban_radius_scales_with_population():
    # a disc of 1.4 million people at 2,000/km²: area 700 km², radius √(700/π) = 14.93 km
    assert thresholds.urban_radius_km(1_400_000) == pytest.approx(14.927, abs=1e-3)
    assert thresholds.urban_radius_km(None) == 0.5
    assert thresholds.urban_radius_km(3760) == pytest.approx(0.774, abs=1e-3)


def test_near_thresholds_scale_with_the_reference():
    assert thresholds.near_place_km(500) < thresholds.near_place_km(50_000) < thresholds.near_place_km(2_000_000)
    # North Korea, about 120,540 km²: √area = 347 km
    assert thresholds.near_country_km(120_540) == pytest.approx(347.2, abs=0.1)
    assert thresholds.near_country_km(17_100_000) == 500  # capped
    assert thresholds.near_country_km(2_000) == 50  # floored
    # Russia–China border, about 4,200 km long: 2 % = 84 km
    assert thresholds.near_border_km(4200) == pytest.approx(84)
    assert thresholds.near_border_km(300) == 25


def test_distance_tolerance():
    # "about 50 km" from a city of 1.4M, exact location: 30 % of 50 + 14.93 km radius
    assert thresholds.distance_tolerance_km(50, "about", 14.927, 0) == pytest.approx(29.927, abs=1e-3)
    # "20 km" from a village, 1 km location precision: max(4, 1) + 0.5 + 1
    assert thresholds.distance_tolerance_km(20, None, 0.5, 1.0) == pytest.approx(5.5)
