"""Plus codes: the official Open Location Code conformance data (tests/data/open-location-code,
copied from google/open-location-code, Apache-2.0) through geoverify's own code paths, and
short-code recovery with several references."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyproj import Geod

from geoverify.errors import ParseError
from geoverify.model import Location
from geoverify.notation import extract
from geoverify.notation.pluscodes import decode_full, find_pluscodes, recover_short

DATA = Path(__file__).resolve().parent / "data" / "open-location-code"
GEOD = Geod(ellps="WGS84")
LOCALITY = "Sergeevka, Primorsky Krai"


def rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [r for r in csv.reader(line for line in fh if not line.startswith("#")) if r]


def half_diagonal(lat_lo, lng_lo, lat_hi, lng_hi) -> float:
    clat, clng = (lat_lo + lat_hi) / 2, (lng_lo + lng_hi) / 2
    return max(GEOD.inv(clng, clat, lng, lat)[2] for lat in (lat_lo, lat_hi) for lng in (lng_lo, lng_hi))


VALIDITY = rows("validityTests.csv")
DECODING = rows("decoding.csv")
ENCODING = [r for r in rows("encoding.csv") if r[5]]
SHORT = rows("shortCodeTests.csv")


def test_data_is_complete():
    assert (len(VALIDITY), len(DECODING), len(SHORT)) == (25, 420, 19)
    assert len(ENCODING) == 302


@pytest.mark.parametrize("code,valid,short,full", VALIDITY)
def test_validity_through_the_text_scanner(code, valid, short, full):
    """A valid code in text is found (a short one when a locality follows); an invalid
    one is not, in either setting."""
    as_full = f"The pin is {code} here."
    as_short = f"Meet at {code} {LOCALITY}."
    found_full = [x for x in extract(as_full) if x.kind.startswith("pluscode")]
    found_short = [x for x in extract(as_short) if x.kind.startswith("pluscode")]
    start = as_full.index(code)
    if full == "true":
        (loc,) = found_full
        assert (loc.kind, loc.text, loc.start, loc.end) == ("pluscode", code, start, start + len(code))
        assert loc.code == code.upper()
        assert loc.lat is not None
    elif short == "true":
        assert found_full == []  # a short code needs its locality
        (loc,) = found_short
        assert (loc.kind, loc.text, loc.code) == ("pluscode-short", code, code.upper())
        assert loc.locality == LOCALITY
    else:
        assert valid == "false"
        assert found_full == [] and found_short == []


@pytest.mark.parametrize("code,length,lat_lo,lng_lo,lat_hi,lng_hi", DECODING)
def test_decoding_through_the_text_scanner(code, length, lat_lo, lng_lo, lat_hi, lng_hi):
    lat_lo, lng_lo, lat_hi, lng_hi = map(float, (lat_lo, lng_lo, lat_hi, lng_hi))
    text = f"Geolocated: {code}, per the thread."
    (loc,) = extract(text)
    assert loc.kind == "pluscode" and loc.text == code
    # the official data is rounded to 12 places and to be compared within 1e-10
    assert loc.lat == pytest.approx((lat_lo + lat_hi) / 2, abs=1e-10)
    assert loc.lon == pytest.approx((lng_lo + lng_hi) / 2, abs=1e-10)
    # (1e-10 degree is about 1e-5 m)
    assert loc.precision_m == pytest.approx(half_diagonal(lat_lo, lng_lo, lat_hi, lng_hi), rel=1e-6, abs=2e-5)


@pytest.mark.parametrize("lat,lng,lat_int,lng_int,length,code", ENCODING)
def test_encoded_codes_decode_to_a_cell_holding_the_point(lat, lng, lat_int, lng_int, length, code):
    """Each official encoding, read back from text, names a cell that contains the
    (clipped, normalised) point that was encoded."""
    lat = min(90.0, max(-90.0, float(lat)))
    lng = (float(lng) + 180) % 360 - 180
    (loc,) = extract(f"code {code} end")
    assert loc.code == code
    assert GEOD.inv(loc.lon, loc.lat, lng, lat)[2] <= loc.precision_m * (1 + 1e-9) + 1e-6


@pytest.mark.parametrize("full,lat,lng,short,kind", [r for r in SHORT if r[4] in "RB"])
def test_short_code_recovery(full, lat, lng, short, kind):
    loc = Location(
        lat=None, lon=None, kind="pluscode-short", text=short, start=0, end=len(short), code=short.upper(), locality="X"
    )
    ref = {"name": "reference", "lat": float(lat), "lon": float(lng), "id": "test:1"}
    out = recover_short(loc, [ref])
    assert out.reference == {**ref, "code": full}
    lat_c, lon_c, precision, _ = decode_full(full)
    assert (out.lat, out.lon) == (lat_c, lon_c)
    assert out.precision_m == precision
    assert out.alternatives == [] and out.warnings == []
    assert loc.lat is None  # the input is not modified


SERGEYEVKA_2020626 = {"name": "Sergeyevka", "lat": 44.33749, "lon": 131.66142, "id": "geonames:2020626"}
SERGEYEVKA_2016961 = {"name": "Sergeyevka", "lat": 43.35032, "lon": 133.35815, "id": "geonames:2016961"}


def _short_from_article() -> Location:
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "001_a1998207a4a2e502.txt").read_text(
        encoding="utf-8"
    )
    (short,) = [x for x in extract(text) if x.kind == "pluscode-short"]
    return short


def test_recovery_with_two_places_named_alike():
    short = _short_from_article()
    out = recover_short(short, [SERGEYEVKA_2020626, SERGEYEVKA_2016961])
    # The short code keeps the position inside a 1° cell; the reference picks the cell.
    # From 44.33749, 131.66142 the nearest such position is in cell 44°N 131°E, and the
    # GeoConfirmed post's own decimal coordinate 44.326859, 131.668647 lies in it.
    assert out.reference["code"] == "8QPH8MG9+PFR"
    assert out.reference["id"] == "geonames:2020626"
    assert GEOD.inv(out.lon, out.lat, 131.668647, 44.326859)[2] <= out.precision_m
    # From 43.35032, 133.35815 the nearest same position is one degree south and two east
    # (43.3268625 is 0.02° from 43.35; 133.6686 is 0.31° from 133.358, 132.6686 is 0.69°).
    (alt,) = out.alternatives
    assert (alt.lat, alt.lon) == pytest.approx((out.lat - 1, out.lon + 2), abs=1e-9)
    assert "geonames:2016961" in alt.reading and "8QMM8MG9+PFR" in alt.reading
    far_km = GEOD.inv(out.lon, out.lat, alt.lon, alt.lat)[2] / 1000
    assert out.warnings == [
        f"locality 'Sergeevka, Primorsky Krai' matches 2 places; recoveries are up to {far_km:.1f} km apart"
    ]
    assert out.kind == "pluscode-short" and out.text == "8MG9+PFR"


def test_recovery_identical_from_nearby_references_is_not_ambiguous():
    short = _short_from_article()
    near = {"name": "camp", "lat": 44.30, "lon": 131.70, "id": "site:camp"}
    out = recover_short(short, [SERGEYEVKA_2020626, near])
    assert out.alternatives == [] and out.warnings == []
    assert out.reference["code"] == "8QPH8MG9+PFR"


def test_recovery_without_references_keeps_no_point():
    short = _short_from_article()
    out = recover_short(short, [])
    assert out.lat is None and out.lon is None
    assert out.warnings and "not found" in out.warnings[0]


def test_recover_short_refuses_locations_without_a_code():
    (loc,) = extract("44.326859, 131.668647")
    with pytest.raises(ParseError):
        recover_short(loc, [SERGEYEVKA_2020626])
    bad = Location(None, None, "pluscode-short", "8FWC2300+G6", 0, 11, code="8FWC2300+G6")
    with pytest.raises(ParseError):
        recover_short(bad, [SERGEYEVKA_2020626])


def test_find_pluscodes_on_the_whole_text_and_in_windows_agree():
    text = "a 8QPH8MG9+PFR b CJ+2VX St. Petersburg c 8fwc2345+ d"
    whole, _ = find_pluscodes(text)
    windowed, _ = find_pluscodes(text, [(0, len(text))])
    assert [x.code for x in whole] == [x.code for x in windowed] == ["8QPH8MG9+PFR", "CJ+2VX", "8FWC2345+"]


@pytest.mark.parametrize(
    "text",
    [
        "call +33 Paris now",  # a telephone prefix, not a code
        "over 22+ Paris schools",  # nothing after +
        "C+ grade",  # odd position
        "2345+66 Paris",  # digits only
        "x8FWC2345+G6",  # glued to a word
    ],
)
def test_code_lookalikes(text):
    assert [x for x in extract(text) if x.kind.startswith("pluscode")] == []
