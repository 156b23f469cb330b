"""Real-world coordinate notations, each with an independently known answer.

Expected values come from arithmetic on the notation itself (44°19'36.7" = 44 + 19/60 +
36.7/3600), from the numbers a link carries (with the documented order of each provider),
or from published conversions (named next to each grid case). Every case is embedded in
prose and must yield exactly one location with the exact span, kind and point.
"""

from __future__ import annotations

import math

import pytest
from pyproj import Geod

from geoverify.notation import extract

GEOD = Geod(ellps="WGS84")

PROSE = "Volunteers geolocated the footage to {} after comparing the tree lines."


def dms(d, m=0.0, s=0.0, sign=1):
    return sign * (d + m / 60 + s / 3600)


# (notation, kind, lat, lon)
NOTATION_CASES = [
    # decimal degrees
    ("44.326859, 131.668647", "decimal", 44.326859, 131.668647),
    ("44.326859,131.668647", "decimal", 44.326859, 131.668647),
    ("44.326859 131.668647", "decimal", 44.326859, 131.668647),
    ("44.326859; 131.668647", "decimal", 44.326859, 131.668647),
    ("44.326859/131.668647", "decimal", 44.326859, 131.668647),
    ("-33.8688, 151.2093", "decimal", -33.8688, 151.2093),
    ("\u221233.8688, 151.2093", "decimal", -33.8688, 151.2093),
    ("+44.326859, +131.668647", "decimal", 44.326859, 131.668647),
    ("44.326859°, 131.668647°", "decimal", 44.326859, 131.668647),
    ("40.7128° N, 74.0060° W", "decimal", 40.7128, -74.006),
    ("40.7128N 74.0060W", "decimal", 40.7128, -74.006),
    ("40.7128 N, 74.0060 W", "decimal", 40.7128, -74.006),
    ("N 40.7128, W 74.0060", "decimal", 40.7128, -74.006),
    ("N40.7128 W74.0060", "decimal", 40.7128, -74.006),
    ("40.7128 North, 74.0060 West", "decimal", 40.7128, -74.006),
    ("33.8688 SOUTH 151.2093 EAST", "decimal", -33.8688, 151.2093),
    ("S 33.8688° E 151.2093°", "decimal", -33.8688, 151.2093),
    ("E 131.668647 N 44.326859", "decimal", 44.326859, 131.668647),
    ("131.668647°E, 44.326859°N", "decimal", 44.326859, 131.668647),
    ("44.3N131.6E", "decimal", 44.3, 131.6),
    ("40N 74W", "decimal", 40.0, -74.0),
    ("44,326859, 131,668647", "decimal", 44.326859, 131.668647),
    ("55.7558 с.ш. 37.6173 в.д.", "decimal", 55.7558, 37.6173),
    ("55.7558° с. ш., 37.6173° в. д.", "decimal", 55.7558, 37.6173),
    ("55.7558С 37.6173В", "decimal", 55.7558, 37.6173),
    ("34.6037 ю.ш. 58.3816 з.д.", "decimal", -34.6037, -58.3816),
    ("lat 44.3, lon 131.6", "decimal", 44.3, 131.6),
    ("Latitude: 44.3268 Longitude: 131.6686", "decimal", 44.3268, 131.6686),
    ("lon=131.6686, lat=44.3268", "decimal", 44.3268, 131.6686),
    ("lat: 44 lng: 131", "decimal", 44.0, 131.0),
    ("широта 55.75, долгота 37.61", "decimal", 55.75, 37.61),
    # degrees and decimal minutes
    ("44°19.611'N 131°40.119'E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("N 44° 19.611′ E 131° 40.119′", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44º19.611' N, 131º40.119' E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44˚19.611’N 131˚40.119’E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44⁰19.611‘N 131⁰40.119‘E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44*19.611'N 131*40.119'E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44°19.611´N 131°40.119´E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44 deg 19.611 min N, 131 deg 40.119 min E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44 degrees 19.611 minutes North, 131 degrees 40.119 minutes East", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44°19,611'N 131°40,119'E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("N44 19.611 E131 40.119", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44 19.611N 131 40.119E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("44°19.611', 131°40.119'", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("4419.611N 13140.119E", "ddm", dms(44, 19.611), dms(131, 40.119)),
    ("4007.38N 07407.38W", "ddm", dms(40, 7.38), dms(74, 7.38, sign=-1)),
    ("75-12.21N 074-39.20E", "ddm", dms(75, 12.21), dms(74, 39.20)),
    ("S07 02 E089 11", "ddm", dms(7, 2, sign=-1), dms(89, 11)),
    ("S 33 52.128 E 151 12.558", "ddm", dms(33, 52.128, sign=-1), dms(151, 12.558)),
    # degrees, minutes and seconds
    ("44°19'36.7\"N 131°40'07.1\"E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19′36.7″N 131°40′07.1″E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19’36.7”N 131°40’07.1”E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19´36.7''N 131°40´07.1''E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19′36.7′′N 131°40′07.1′′E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44º 19' 36.7\" N, 131º 40' 07.1\" E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44*19'36.7\"N 131*40'07.1\"E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44d19m36.7s N 131d40m07.1s E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44 deg 19 min 36.7 sec N 131 deg 40 min 7.1 sec E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19'36.7\" North, 131°40'07.1\" East", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("N 44°19'36.7\" E 131°40'07.1\"", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19'36.7\"С 131°40'07.1\"В", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("44°19'36,7\"N 131°40'07,1\"E", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("S 33° 52' 7.68\", E 151° 12' 33.48\"", "dms", dms(33, 52, 7.68, -1), dms(151, 12, 33.48)),
    ("44°19'36.7\", 131°40'07.1\"", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("N395600E1192100", "dms", dms(39, 56), dms(119, 21)),
    ("271100N 1232600E", "dms", dms(27, 11), dms(123, 26)),
    ("69-18-00С 033-24-30В", "dms", dms(69, 18), dms(33, 24, 30)),
    ("40:26:46N 79:58:56W", "dms", dms(40, 26, 46), dms(79, 58, 56, -1)),
    ("40 26 46 N 79 58 56 W", "dms", dms(40, 26, 46), dms(79, 58, 56, -1)),
    ("N 40 26 46 W 79 58 56", "dms", dms(40, 26, 46), dms(79, 58, 56, -1)),
    ("131°40'07.1\"E 44°19'36.7\"N", "dms", dms(44, 19, 36.7), dms(131, 40, 7.1)),
]


def _one(text: str, notation: str):
    locs = extract(text)
    assert len(locs) == 1, (notation, [(x.kind, x.text) for x in locs])
    loc = locs[0]
    start = text.index(notation)
    assert (loc.start, loc.end) == (start, start + len(notation))
    assert loc.text == notation
    return loc


def _dist(loc, lat, lon) -> float:
    return GEOD.inv(loc.lon, loc.lat, lon, lat)[2]


@pytest.mark.parametrize("notation,kind,lat,lon", NOTATION_CASES)
def test_notation(notation, kind, lat, lon):
    loc = _one(PROSE.format(notation), notation)
    assert loc.kind == kind
    assert loc.lat == pytest.approx(lat, abs=1e-9)
    assert loc.lon == pytest.approx(lon, abs=1e-9)
    assert loc.precision_m is not None and loc.precision_m > 0
    assert _dist(loc, lat, lon) <= loc.precision_m


@pytest.mark.parametrize("notation,kind,lat,lon", NOTATION_CASES[:12])
def test_notation_at_text_edges(notation, kind, lat, lon):
    """No surrounding prose: the span is the whole input."""
    loc = _one(notation, notation)
    assert (loc.lat, loc.lon) == pytest.approx((lat, lon), abs=1e-9)


def test_precision_is_half_the_last_digit():
    # 6 decimals of a degree: half a step of 1e-6 degree of latitude is about 0.0555 m
    # (meridian radius at 44.3°: 6 367 km); a step of longitude is shorter there.
    loc = extract("44.326859, 131.668647")[0]
    meridional_step = GEOD.inv(131.668647, 44.326859, 131.668647, 44.326860)[2]
    assert loc.precision_m == pytest.approx(meridional_step / 2, rel=1e-3)
    # whole seconds: half a second of latitude, about 15.4 m
    loc = extract("44°19'36\"N 131°40'07\"E")[0]
    second = GEOD.inv(131.67, 44.3266, 131.67, 44.3266 + 1 / 3600)[2]
    assert loc.precision_m == pytest.approx(second / 2, rel=1e-3)
    # whole degrees: half a degree, about 55.5 km
    loc = extract("40N 74W")[0]
    degree = GEOD.inv(-74, 39.5, -74, 40.5)[2]
    assert loc.precision_m == pytest.approx(degree / 2, rel=2e-3)


def test_precision_uses_the_larger_axis():
    # at the equator a step of longitude (N) is longer than one of latitude (M)
    loc = extract("0.000001, 10.123456")[0]
    lon_step = GEOD.inv(10.123456, 0.000001, 10.123457, 0.000001)[2]
    assert loc.precision_m == pytest.approx(lon_step / 2, rel=1e-3)


# Grid references with published conversions.
GRID_CASES = [
    # Wikipedia, "Universal Transverse Mercator coordinate system": the CN Tower is at
    # 43°38′33.24″N 79°23′13.7″W, UTM zone 17T 630084 m E 4833438 m N.
    ("17T 630084 4833438", "utm", dms(43, 38, 33.24), dms(79, 23, 13.7, -1), 3.0),
    ("17T 630084mE 4833438mN", "utm", dms(43, 38, 33.24), dms(79, 23, 13.7, -1), 3.0),
    ("UTM zone 17T 630084 4833438", "utm", dms(43, 38, 33.24), dms(79, 23, 13.7, -1), 3.0),
    # python-mgrs README: toMGRS(42.0, -93.0) == '15TWG0000049776'; easting 500000 is the
    # central meridian of zone 15 (93°W) by definition.
    ("15TWG0000049776", "mgrs", 42.0, -93.0, 1.0),
    ("15T WG 00000 49776", "mgrs", 42.0, -93.0, 1.0),
    ("15T 500000 4649776", "utm", 42.0, -93.0, 1.0),
    ("15T 500000mE 4649776mN", "utm", 42.0, -93.0, 1.0),
    # Wikipedia, "Military Grid Reference System": 4Q FJ 1234 5678 links to
    # 21°18′34.0″N 157°55′0.7″W (a 10 m square; the published DMS is rounded to 0.1″).
    ("4QFJ12345678", "mgrs", dms(21, 18, 34.0), dms(157, 55, 0.7, -1), 10.0),
    ("4Q FJ 1234 5678", "mgrs", dms(21, 18, 34.0), dms(157, 55, 0.7, -1), 10.0),
]


@pytest.mark.parametrize("notation,kind,lat,lon,slack", GRID_CASES)
def test_grid_reference(notation, kind, lat, lon, slack):
    loc = _one(PROSE.format(notation), notation)
    assert loc.kind == kind
    # the reported point is within the notation's precision (half the square, per axis)
    # of the published point, allowing for the rounding of the published value
    assert _dist(loc, lat, lon) <= loc.precision_m * math.sqrt(2) + slack


def test_mgrs_precision_is_half_the_square():
    assert extract("4QFJ12345678")[0].precision_m == 5.0
    assert extract("4QFJ1234")[0].precision_m == 500.0
    assert extract("15TWG0000049776")[0].precision_m == 0.5
    assert extract("15TWG0000049776")[0].code == "15TWG0000049776"


def test_utm_central_meridian_is_exact():
    loc = extract("33T 500000 4649776")[0]
    assert loc.lon == pytest.approx(15.0, abs=1e-9)
    assert loc.precision_m == 0.5


# Map links: the expected point is the one the link names, in the provider's order.
URL_CASES = [
    ("https://www.google.com/maps/@44.326859,131.668647,15z", 44.326859, 131.668647),
    ("https://www.google.com/maps/@44.326859,131.668647,326m/data=!3m1!1e3", 44.326859, 131.668647),
    ("https://maps.google.com/?q=44.326859,131.668647", 44.326859, 131.668647),
    ("https://maps.google.com/?q=44.3,131.6", 44.3, 131.6),
    ("https://maps.google.com/?q=44%C2%B019%2736.7%22N+131%C2%B040%2707.1%22E", dms(44, 19, 36.7), dms(131, 40, 7.1)),
    ("https://maps.google.com/maps?q=loc:44.326859+131.668647", 44.326859, 131.668647),
    ("https://www.google.com/maps/search/?api=1&query=44.326859%2C131.668647", 44.326859, 131.668647),
    ("https://www.google.com/maps?ll=44.326859,131.668647&z=15", 44.326859, 131.668647),
    (
        "https://www.google.com/maps/place/44%C2%B019'36.7%22N+131%C2%B040'07.1%22E/"
        "@44.3268591,131.6661,17z/data=!3m1!4b1!4m4!3m3!8m2!3d44.326859!4d131.668647",
        44.326859,
        131.668647,
    ),
    (
        "https://www.google.com/maps/place/Sergeevka/@44.33,131.66,13z/data=!4m6!3m5"
        "!1s0x5fb3:0x1!8m2!3d44.337490!4d131.661420",
        44.33749,
        131.66142,
    ),
    ("https://www.google.co.uk/maps/search/44.326859,+131.668647", 44.326859, 131.668647),
    ("https://www.openstreetmap.org/#map=15/44.3269/131.6686", 44.3269, 131.6686),
    ("https://www.openstreetmap.org/?mlat=44.32686&mlon=131.66865#map=15/44.3269/131.6686", 44.32686, 131.66865),
    ("https://osm.org/?mlat=44.32686&mlon=131.66865", 44.32686, 131.66865),
    ("https://yandex.ru/maps/?ll=131.668647%2C44.326859&z=15", 44.326859, 131.668647),
    ("https://yandex.com/maps/?pt=131.668647,44.326859&z=15&l=map", 44.326859, 131.668647),
    ("https://yandex.ru/maps/?whatshere%5Bpoint%5D=131.668647%2C44.326859&z=17", 44.326859, 131.668647),
    ("https://maps.apple.com/?ll=44.326859,131.668647&q=Camp", 44.326859, 131.668647),
    ("https://maps.apple.com/?q=44.326859,131.668647", 44.326859, 131.668647),
    ("https://maps.apple.com/?sll=44.326859,131.668647", 44.326859, 131.668647),
    ("https://maps.apple.com/place?coordinate=44.326859,131.668647", 44.326859, 131.668647),
    ("https://www.bing.com/maps?cp=44.326859~131.668647&lvl=15", 44.326859, 131.668647),
    ("https://www.bing.com/maps?where1=44.326859,131.668647", 44.326859, 131.668647),
    ("https://www.bing.com/maps?sp=point.44.326859_131.668647_Camp", 44.326859, 131.668647),
    ("https://www.waze.com/ul?ll=44.326859,131.668647&navigate=yes", 44.326859, 131.668647),
    ("https://wego.here.com/?map=44.326859,131.668647,15,normal", 44.326859, 131.668647),
    # as pasted on social media, without a scheme
    ("google.com/maps/@44.326859,131.668647,15z", 44.326859, 131.668647),
    ("www.google.com/maps/@44.326859,131.668647,15z", 44.326859, 131.668647),
    ("maps.apple.com/?ll=44.326859,131.668647", 44.326859, 131.668647),
    ("openstreetmap.org/#map=15/44.3269/131.6686", 44.3269, 131.6686),
    ("yandex.ru/maps/?ll=131.668647%2C44.326859&z=15", 44.326859, 131.668647),
]


@pytest.mark.parametrize("url,lat,lon", URL_CASES)
def test_map_url(url, lat, lon):
    loc = _one(f"Location: {url} (via a volunteer)", url)
    assert loc.kind == "map-url"
    assert (loc.lat, loc.lon) == pytest.approx((lat, lon), abs=1e-9)
    assert _dist(loc, lat, lon) <= loc.precision_m


def test_map_url_marker_preferred_viewport_alternative():
    url = "https://www.openstreetmap.org/?mlat=44.32686&mlon=131.66865#map=15/44.3269/131.6686"
    loc = extract(url)[0]
    assert "marker" in loc.reading
    assert [(a.lat, a.lon) for a in loc.alternatives] == [(44.3269, 131.6686)]
    assert "map view" in loc.alternatives[0].reading


def test_yandex_order_is_lon_lat():
    loc = extract("https://yandex.ru/maps/?ll=37.617635%2C55.755814&z=10")[0]
    assert (loc.lat, loc.lon) == (55.755814, 37.617635)


def test_url_trailing_punctuation_is_not_part_of_the_link():
    url = "https://www.google.com/maps/@44.326859,131.668647,15z"
    text = f"(see {url})."
    loc = _one(text, url)
    assert loc.text == url


def test_plus_code_in_map_link():
    url = "https://plus.codes/8QPH8MG9+PFR"
    loc = _one(f"pinned at {url} yesterday", url)
    assert loc.kind == "map-url"
    assert _dist(loc, 44.326859, 131.668647) <= loc.precision_m


# (uri, lat, lon, expected precision_m: u= when it exceeds the notation's half-step,
# else half a step of the last decimal in latitude, about 111 km / 10**decimals / 2)
GEO_URI_CASES = [
    ("geo:44.326859,131.668647", 44.326859, 131.668647, 0.0556),
    ("geo:44.326859,131.668647,120", 44.326859, 131.668647, 0.0556),
    ("geo:44.326859,131.668647;u=35", 44.326859, 131.668647, 35.0),
    ("geo:44.326859,131.668647;crs=wgs84;u=12.5", 44.326859, 131.668647, 12.5),
    ("GEO:44.326859,131.668647;CRS=WGS84", 44.326859, 131.668647, 0.0556),
    ("geo:-33.8688,151.2093?z=15", -33.8688, 151.2093, 5.546),
    ("geo:0,0?q=44.326859,131.668647(Camp)", 44.326859, 131.668647, 0.0556),
]


@pytest.mark.parametrize("uri,lat,lon,precision", GEO_URI_CASES)
def test_geo_uri(uri, lat, lon, precision):
    loc = _one(f"Open {uri} in your map app.", uri)
    assert loc.kind == "geo-uri"
    assert (loc.lat, loc.lon) == pytest.approx((lat, lon), abs=1e-9)
    assert loc.precision_m == pytest.approx(precision, rel=0.01)


def test_plus_code_full_in_prose_agrees_with_decimal_pair():
    # The GeoConfirmed post gives both; the code's cell must contain the decimal point.
    text = "44.326859, 131.668647 is 8QPH8MG9+PFR on the map"
    dec, code = extract(text)
    assert (dec.kind, code.kind) == ("decimal", "pluscode")
    assert code.code == "8QPH8MG9+PFR"
    assert _dist(code, dec.lat, dec.lon) <= code.precision_m


def test_several_locations_sorted_with_spans():
    text = (
        "First 44.326859, 131.668647; then 4QFJ12345678, then "
        "https://www.google.com/maps/@1.5,2.5,3z and 8MG9+PFR Sergeevka, Primorsky Krai."
    )
    locs = extract(text)
    assert [x.kind for x in locs] == ["decimal", "mgrs", "map-url", "pluscode-short"]
    for loc in locs:
        assert text[loc.start : loc.end] == loc.text
    assert locs[-1].locality == "Sergeevka, Primorsky Krai"


def test_map_url_is_one_location_not_two():
    url = "https://www.google.com/maps/place/44%C2%B019'36.7%22N+131%C2%B040'07.1%22E/@44.3,131.6,17z"
    locs = extract(url)
    assert len(locs) == 1 and locs[0].kind == "map-url"
