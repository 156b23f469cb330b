"""geoverify.batch.rows: the location a row is checked at, its precision scheme, the row verdict."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoverify.batch.rows import (
    RowCells,
    RowProblem,
    RowSpec,
    evaluate,
    normalise_reason,
    notation_precision_m,
    report_result,
    row_location,
    worst_claim,
)
from geoverify.errors import InputError
from geoverify.model import (
    CONSISTENT,
    INCONSISTENT,
    UNVERIFIABLE,
    Claim,
    ClaimResult,
    Report,
)

LATLON = RowSpec("text", "lat", "lon")
UCDP = RowSpec("text", "lat", "lon", precision_column="where_prec", precision_scheme="ucdp")
HALF_UNIT = 0.5 * 111_320.0  # metres per degree of latitude / 2, the --at convention


def cells(text="x", lat="4.3667", lon="18.5833", location=None, precision=None, point=None):
    return RowCells(text, lat, lon, location, precision, point)


def test_lat_lon_columns_give_a_decimal_location_with_the_notation_precision():
    loc = row_location(cells(), LATLON)
    assert (loc.lat, loc.lon, loc.kind, loc.source) == (4.3667, 18.5833, "decimal", "--at")
    assert loc.text == "4.3667, 18.5833"
    assert loc.precision_m == pytest.approx(HALF_UNIT * 1e-4)
    assert "columns lat/lon" in loc.reading


@pytest.mark.parametrize(
    "code,extra_m",
    [(1, 0.0), (2, 25_000.0), (3, 50_000.0), (4, 150_000.0), ("2", 25_000.0), (3.0, 50_000.0), (" 4 ", 150_000.0)],
)
def test_ucdp_precision_codes_widen_the_location(code, extra_m):
    loc = row_location(cells(precision=code), UCDP)
    assert loc.precision_m == pytest.approx(HALF_UNIT * 1e-4 + extra_m)
    assert loc.warnings and loc.warnings[0].startswith(f"precision: where_prec {int(float(code))}")


@pytest.mark.parametrize("code", [5, 6, 7, "5", 6.0])
def test_ucdp_codes_5_to_7_are_too_vague(code):
    with pytest.raises(RowProblem, match=rf"^location too vague \(where_prec {int(float(code))}\)$"):
        row_location(cells(precision=code), UCDP)


@pytest.mark.parametrize("code", [0, 8, -1, 2.5, "x", True])
def test_other_ucdp_values_are_named(code):
    with pytest.raises(RowProblem, match=r"is not a UCDP precision code \(1-7\)"):
        row_location(cells(precision=code), UCDP)


def test_a_vague_row_is_unverifiable_without_verifying_anything():
    def must_not_run(*a, **k):
        raise AssertionError("verify called for a vague row")

    for code in (5, 6, 7):
        result = evaluate(cells(text="Central African Republic remote southeast", precision=code), UCDP, must_not_run)
        assert result["verdict"] == UNVERIFIABLE
        assert result["reason"] == f"location too vague (where_prec {code})"
        assert result["n_consistent"] == result["n_inconsistent"] == 0
        assert json.loads(result["evidence"])["verdict"] == UNVERIFIABLE
        assert result["_reasons"] == [[f"location too vague (where_prec {code})", None]]
    # too vague even when the coordinates are missing
    result = evaluate(cells(lat="", lon="", precision=6), UCDP, must_not_run)
    assert result["reason"] == "location too vague (where_prec 6)"


@pytest.mark.parametrize("scheme,value,extra_m", [("m", "250", 250.0), ("km", 12.5, 12_500.0), ("km", "0", 0.0)])
def test_radius_schemes(scheme, value, extra_m):
    spec = RowSpec("text", "lat", "lon", precision_column="p", precision_scheme=scheme)
    assert row_location(cells(precision=value), spec).precision_m == pytest.approx(HALF_UNIT * 1e-4 + extra_m)


def test_tolerance_adds_to_every_row_and_to_the_scheme():
    spec = RowSpec("text", "lat", "lon", precision_column="where_prec", precision_scheme="ucdp", tolerance_km=5)
    loc = row_location(cells(precision=2), spec)
    assert loc.precision_m == pytest.approx(HALF_UNIT * 1e-4 + 30_000.0)
    assert loc.warnings == ["precision: where_prec 2: +25 km; --tolerance-km: +5 km"]


@pytest.mark.parametrize(
    "lat,lon,message",
    [
        ("abc", "18.5", r"^latitude 'abc' in column 'lat' is not a number$"),
        ("4,36", "18.5", r"latitude '4,36' in column 'lat' is not a number"),
        ("4.3", "200", r"^longitude 200 in column 'lon' out of range \[-180, 180\]$"),
        ("-91", "0", r"latitude -91 in column 'lat' out of range \[-90, 90\]"),
        ("nan", "0", r"latitude 'nan' in column 'lat' is not a finite number"),
        (True, "0", r"latitude True in column 'lat' is not a number"),
        ("4.3", "", r"^no value in column 'lon'$"),
        (None, 18.5, r"^no value in column 'lat'$"),
    ],
)
def test_bad_coordinates_are_named(lat, lon, message):
    with pytest.raises(RowProblem, match=message):
        row_location(cells(lat=lat, lon=lon), LATLON)
    result = evaluate(cells(lat=lat, lon=lon), LATLON, lambda *a, **k: pytest.fail("verify called"))
    assert result["verdict"] == UNVERIFIABLE and result["reason"]


def test_no_coordinates_means_the_text_locations_only():
    seen = {}

    def spy(text, at=(), all_mentions=False):
        seen["at"] = list(at)
        return Report()

    result = evaluate(cells(lat="", lon=None), LATLON, spy)
    assert seen["at"] == [] and result["verdict"] == UNVERIFIABLE
    assert result["reason"] == "no location claim found in the text"


def test_numbers_from_binary_formats():
    import numpy as np

    loc = row_location(cells(lat=np.float64(4.25), lon=18), LATLON)
    assert (loc.lat, loc.lon) == (4.25, 18.0)
    assert loc.precision_m == pytest.approx(HALF_UNIT * 1e-2)


def test_a_location_column_reads_any_notation():
    spec = RowSpec("text", location_column="where")
    loc = row_location(cells(location="4°22′N 18°35′E"), spec)
    assert (loc.lat, loc.lon) == (pytest.approx(4 + 22 / 60), pytest.approx(18 + 35 / 60))
    assert loc.source == "--at" and loc.kind == "ddm"
    with pytest.raises(RowProblem, match=r"^column 'where': not a location"):
        row_location(cells(location="somewhere nice"), spec)
    assert row_location(cells(location="  "), spec) is None


@pytest.mark.parametrize(
    "value,lat,lon",
    [
        ("40 7 22.8, -74 7 22.8", 40 + 7 / 60 + 22.8 / 3600, -(74 + 7 / 60 + 22.8 / 3600)),
        ("27.15.45S 18.32.53E", -(27 + 15 / 60 + 45 / 3600), 18 + 32 / 60 + 53 / 3600),
        ("N66 W32", 66.0, -32.0),
        ("[4.37,18.58]", 4.37, 18.58),
    ],
)
def test_a_coordinate_column_reads_what_parse_reads(value, lat, lon):
    """--coord-column is read by the one location parser: strings prose would refuse are read."""
    loc = row_location(cells(location=value), RowSpec("text", location_column="where"))
    assert (loc.lat, loc.lon) == (pytest.approx(lat), pytest.approx(lon))
    with pytest.raises(RowProblem, match="minutes 75 must be below 60"):
        row_location(cells(location="44°75'N 131°E"), RowSpec("text", location_column="where"))


def test_lat_lon_columns_in_another_notation():
    """The columns say which value is the latitude: no other-order reading."""
    loc = row_location(cells(lat="40 7 22.8", lon="-74 7 22.8"), LATLON)
    assert (loc.lat, loc.lon) == (pytest.approx(40 + 7 / 60 + 22.8 / 3600), pytest.approx(-(74 + 7 / 60 + 22.8 / 3600)))
    assert loc.alternatives == [] and loc.warnings == []
    loc = row_location(cells(lat="4°22'N", lon="18°35'E"), LATLON)
    assert (loc.lat, loc.lon) == (pytest.approx(4 + 22 / 60), pytest.approx(18 + 35 / 60))
    with pytest.raises(RowProblem, match="not a number"):  # the latitude column holds a longitude
        row_location(cells(lat="18°35'E", lon="4°22'N"), LATLON)


def test_point_geometry():
    spec = RowSpec("text", use_geometry=True)
    loc = row_location(cells(lat=None, lon=None, point=(18.5833, 4.3667)), spec)
    assert (loc.lat, loc.lon, loc.reading) == (4.3667, 18.5833, "point geometry (WGS84)")
    with pytest.raises(RowProblem, match="the geometry is a LineString, not a point"):
        row_location(cells(point="LineString"), spec)
    assert row_location(cells(point=None), spec) is None


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"text_column": ""}, "a text column is required"),
        ({"text_column": "t", "lat_column": "lat"}, "give both --lat-column and --lon-column"),
        ({"text_column": "t", "lat_column": "a", "lon_column": "b", "location_column": "c"}, "not both"),
        ({"text_column": "t", "precision_column": "p"}, "--precision-column needs --precision-scheme"),
        ({"text_column": "t", "precision_scheme": "ucdp"}, "--precision-scheme needs --precision-column"),
        ({"text_column": "t", "precision_column": "p", "precision_scheme": "acled"}, "unknown precision scheme"),
        ({"text_column": "t", "tolerance_km": -1}, "--tolerance-km must be a distance ≥ 0"),
        ({"text_column": "t", "tolerance_km": math.inf}, "--tolerance-km must be a distance ≥ 0"),
    ],
)
def test_spec_validation(kwargs, message):
    with pytest.raises(InputError, match=message):
        RowSpec(**kwargs)


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(-90, 90, allow_nan=False), lon=st.floats(-180, 180, allow_nan=False), decimals=st.integers(0, 7))
def test_any_in_range_pair_reads_back_exactly(lat, lon, decimals):
    lat_t, lon_t = f"{lat:.{decimals}f}", f"{lon:.{decimals}f}"
    loc = row_location(cells(lat=lat_t, lon=lon_t), LATLON)
    assert (loc.lat, loc.lon) == (float(lat_t), float(lon_t))
    assert loc.precision_m == pytest.approx(HALF_UNIT * 10**-decimals)


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: abs(x) > 90))
def test_any_out_of_range_latitude_is_refused(lat):
    with pytest.raises(RowProblem, match="out of range"):
        row_location(cells(lat=repr(lat), lon="0"), LATLON)


def test_notation_precision():
    assert notation_precision_m("4", "18") == pytest.approx(HALF_UNIT)
    assert notation_precision_m("4.5", "18.25") == pytest.approx(HALF_UNIT * 1e-2)
    assert notation_precision_m("1.5e-3") == pytest.approx(HALF_UNIT * 1e-4)
    assert notation_precision_m("4.123456789") == 0.001


def _result(text, start, verdict, **evidence):
    return ClaimResult(
        Claim(text=text, start=start, end=start + len(text), kind="near", target=text), verdict, evidence
    )


def test_the_worst_claim_is_the_furthest_beyond_its_threshold():
    report = Report(
        claims=[
            _result("a", 0, CONSISTENT, distance_km=9.0, threshold_km=10.0),
            _result("b", 2, INCONSISTENT, distance_km=12.0, threshold_km=10.0),
            _result("c", 4, UNVERIFIABLE, reason="'c' not found in the gazetteer"),
            _result("d", 6, INCONSISTENT, distance_km=30.0, stated_km=10.0, tolerance_km=2.0, threshold_km=12.0),
        ]
    )
    assert worst_claim(report).claim.text == "d"  # |30 - 10| / 2 = 10 × its tolerance, b only 1.2 ×
    result = report_result(report, None)
    assert (result["verdict"], result["n_consistent"], result["n_inconsistent"], result["n_unverifiable"]) == (
        INCONSISTENT,
        1,
        2,
        1,
    )
    assert result["worst_claim"] == "d" and result["worst_measured"] == "30 km"
    assert result["worst_threshold"] == "stated 10 km ± 2.0 km"
    report.claims = report.claims[:1] + report.claims[2:3]  # a consistent, c unverifiable
    assert worst_claim(report).claim.text == "a"  # a consistent row is decided by its consistent claim
    assert report_result(report, None)["reason"] is None
    report.claims = [report.claims[0], _result("e", 8, CONSISTENT, distance_km=1.0, threshold_km=10.0)]
    assert worst_claim(report).claim.text == "a"  # the consistent claim nearest its threshold
    report.claims = [
        _result("f", 0, UNVERIFIABLE, reason="'f' not found in the gazetteer"),
        _result("g", 2, UNVERIFIABLE, reason="'g' not found in the gazetteer"),
    ]
    assert worst_claim(report).claim.text == "f"
    assert report_result(report, None)["reason"] == "near claim 'f': 'f' not found in the gazetteer"


def test_a_plus_code_that_disagrees_with_coordinates_beside_it_makes_the_row_inconsistent():
    report = Report(
        comparisons=[
            {
                "locations": [0, 1],
                "texts": ["8MG9+PFR", "44.3, 131.6"],
                "distance_km": 120.0,
                "distance_m": 120000.0,
                "threshold_m": 20.0,
                "same_place": False,
                "verdict": INCONSISTENT,
                "why_expected": "a short plus code given beside decimal coordinates",
            }
        ]
    )
    result = report_result(report, None)
    assert result["verdict"] == INCONSISTENT
    assert result["worst_claim"] == "8MG9+PFR ↔ 44.3, 131.6"
    assert result["worst_measured"] == "120000 m" and result["worst_threshold"] == "≤ 20 m"
    assert "should be the same place" in result["reason"]


def test_reasons_are_normalised_for_counting():
    assert normalise_reason("'Pavica' not found in the gazetteer") == "'…' not found in the gazetteer"
    assert normalise_reason("near a populated place of 5000 people") == "near a populated place of N people"
    assert (
        normalise_reason("40 km ± 8.0 km (20 % of the stated distance)") == "N km ± N km (N % of the stated distance)"
    )


def test_a_country_column_value_the_gazetteer_does_not_know_is_named():
    spec = RowSpec("text", "lat", "lon", country_column="country")
    result = evaluate(
        RowCells("near Bria", "6.5", "22.0", country="Atlantis"), spec, lambda *a, **k: pytest.fail("verify called")
    )
    assert result["verdict"] == UNVERIFIABLE
    assert result["reason"] == "column 'country': 'Atlantis' is not a country the gazetteer knows"
    assert result["_reasons"] == [["column 'country': not a country", None]]


@pytest.mark.parametrize(
    "value,iso", [("CF", "CF"), ("Central African Republic", "CF"), ("CAR", "CF"), ("Ukraine", "UA")]
)
def test_country_codes_from_codes_and_names(value, iso):
    from geoverify.batch.rows import country_code

    assert country_code(value) == iso


def test_the_country_restriction_passes_a_checker_that_keeps_places_in_the_country():
    from geoverify.batch.rows import CountryResolver

    seen = {}

    def spy(text, at=(), all_mentions=False, checker=None):
        seen["checker"] = checker
        return Report()

    evaluate(
        RowCells("Pavica", "4.9", "21.3", country="Central African Republic"),
        RowSpec("text", "lat", "lon", country_column="country"),
        spy,
    )
    pavia = seen["checker"].resolver("Pavia")  # the checker's lookups keep towns in the country
    assert all(p.country == "CF" for p in pavia if p.kind in ("place", "site"))
    resolver = CountryResolver("CF")
    assert "geonames:3171366" not in [p.id for p in resolver("Pavia")]  # Pavia, Italy
    found = resolver("Bria")
    assert found and all(p.country == "CF" for p in found if p.kind in ("place", "site"))
    assert any(p.id == "country:CF" for p in resolver("Central African Republic"))
    assert any(p.id == "country:TD" for p in resolver("Chad"))  # countries are looked up anywhere


def test_reasons_are_normalised_without_garbling_apostrophes():
    from geoverify.batch.rows import normalise_reason

    rule = (
        "inside the polygon; within 7.566 km of its edge (the boundary data's accuracy + the "
        "location's precision) counts as inside"
    )
    assert normalise_reason(rule) == (
        "inside the polygon; within N km of its edge (the boundary data's "
        "accuracy + the location's precision) counts as inside"
    )
    assert normalise_reason("'Pavica' not found in the gazetteer") == "'…' not found in the gazetteer"
    assert normalise_reason("“Obo town” is 12 km from 'Bangassou's market'") == "'…' is N km from '…'"
