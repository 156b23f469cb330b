"""geoverify.parse / notation.parse: one string known to be a location, read if it can be read.

Expected values are worked out by hand from the notation (degrees + minutes/60 + seconds/3600,
hemisphere letters S and W negative), not taken from the parser's own output. Property tests:
every notation written from a random point is read back within its precision, whatever a
string is the only error raised is ParseError, and the prose extractor and parse() read a
string the same way when both read it whole.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from test_extract_properties import _frac, _split, fmt_ddm, fmt_decimal_letters, fmt_dms

from geoverify.errors import ParseError
from geoverify.notation import extract
from geoverify.notation.parse import parse
from geoverify.notation.stream import scan_normalised as read_text

GEOD = Geod(ellps="WGS84")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dms(d, m=0, s=0.0):
    return d + m / 60 + s / 3600


# -- every example of issue 16 ----------------------------------------------------------------
ISSUE_EXAMPLES = [
    ("40 7 22.8, -74 7 22.8", dms(40, 7, 22.8), -dms(74, 7, 22.8), "dms"),
    ("27.15.45S 18.32.53E", -dms(27, 15, 45), dms(18, 32, 53), "dms"),
    ("27.15.45,2S 18.32.53,4E", -dms(27, 15, 45.2), dms(18, 32, 53.4), "dms"),
    ("N66 W32", 66.0, -32.0, "decimal"),
    ("S 66, W 32", -66.0, -32.0, "decimal"),
    ("32 w 66 s", -66.0, -32.0, "decimal"),
    ("66 32", 66.0, 32.0, "decimal"),
    ("N40°7’22.8’’, W74°7’22.8’’", dms(40, 7, 22.8), -dms(74, 7, 22.8), "dms"),
    ("50°4'17.698\"south, 14°24'2.826\"east", -dms(50, 4, 17.698), dms(14, 24, 2.826), "dms"),
    ("59 12’7.7’’N 02 15’39.6’’W", dms(59, 12, 7.7), -dms(2, 15, 39.6), "dms"),
    ("40° 26.767' N\n79° 58.933' W", dms(40, 26.767), -dms(79, 58.933), "ddm"),
    ("[12.456,-78.90]", 12.456, -78.90, "decimal"),
]


@pytest.mark.parametrize("text,lat,lon,kind", ISSUE_EXAMPLES, ids=[e[0] for e in ISSUE_EXAMPLES])
def test_issue_examples_parse(text, lat, lon, kind):
    loc = parse(text)
    assert (loc.lat, loc.lon) == (pytest.approx(lat, abs=1e-9), pytest.approx(lon, abs=1e-9))
    assert loc.kind == kind
    # the span is the location itself (brackets around it are not part of it)
    assert text[loc.start : loc.end] == loc.text and loc.text.strip("[]") == loc.text


def test_the_prose_extractor_still_refuses_them():
    """The leniency is for strings known to be coordinates only."""
    for text in ("40 7 22.8, -74 7 22.8", "N66 W32", "66 32", "[12.456,-78.90]", "32 w 66 s"):
        assert extract(f"On the road we saw {text} people.") == [], text


def test_both_orders_within_90_give_the_other_reading():
    loc = parse("66 32")
    assert [(r.lat, r.lon) for r in loc.readings()] == [(66.0, 32.0), (32.0, 66.0)]
    assert "either could be the latitude" in loc.warnings[0]


def test_only_the_other_order_is_valid_read_longitude_first():
    loc = parse("131.67, 44.33")  # GeoJSON order
    assert (loc.lat, loc.lon) == (44.33, 131.67) and "longitude first" in loc.reading


def test_a_string_that_splits_two_ways_lists_both_splits():
    loc = parse("12 30 45")
    points = {(round(r.lat, 6), round(r.lon, 6)) for r in loc.readings()}
    assert (12.0, 30.75) in points and (12.5, 45.0) in points  # 12, 30°45'  or  12°30', 45
    assert any("more than one way" in w for w in loc.warnings)


def test_ddmm_ambiguity_as_in_text():
    loc = parse("18.24S 22.45E")
    assert (loc.lat, loc.lon) == (-18.24, 22.45)
    assert [(round(a.lat, 6), round(a.lon, 6)) for a in loc.alternatives] == [(-18.4, 22.75)]


def test_one_letter_gives_both_axes():
    loc = parse("131.6 44.3N")
    assert (loc.lat, loc.lon) == (44.3, 131.6)


def test_labels_and_other_notations():
    assert (parse("lat 44.3 lon 131.6").lat, parse("Lon: 131.6, Lat: 44.3").lat) == (44.3, 44.3)
    mgrs = parse("38SMB4484")
    assert mgrs.kind == "mgrs" and mgrs.precision_m == 500.0
    assert parse("8FVC9G8F+6X").kind == "pluscode"
    link = parse("https://www.google.com/maps/@44.326859,131.668647,15z")
    assert (link.kind, link.lat, link.lon) == ("map-url", 44.326859, 131.668647)
    packed = parse("4007.38N 07407.38W")
    assert (packed.lat, packed.lon) == (pytest.approx(dms(40, 7.38)), pytest.approx(-dms(74, 7.38)))
    cyr = parse("44°19′С 131°40′З")
    assert (cyr.lat, cyr.lon) == (pytest.approx(dms(44, 19)), pytest.approx(-dms(131, 40)))


def test_offsets_point_into_the_given_text():
    text = "  \u200b44.3, 131.6 "
    loc = parse(text)
    assert text[loc.start : loc.end] == loc.text == "44.3, 131.6"


@pytest.mark.parametrize(
    "text,message",
    [
        ("95.5, 200.1", "out of range"),
        ("95, 190", "out of range"),
        ("N 95 E 10", "latitude 95 is out of range"),
        ("44°75'N 131°E", "minutes 75 must be below 60"),
        ("44°19'75\"N 131°E", "seconds 75 must be below 60"),
        ("40 7 62, -74 7 2", "seconds 62 must be below 60"),
        ("44.3N 131.6S", "both values are latitudes"),
        ("E 44 W 131", "both values are longitudes"),
        ("N44.3S 131E", "two hemisphere letters on one value"),
        ("44.3", "only one number"),
        ("", "empty location"),
        ("   ", "empty location"),
        ("north of the river", "not a location"),
        ("44.3, 131.6 extra", "cannot read 'e'"),
        ("44.326859, 131.668647 and 55.7539, 37.6208", "2 locations"),
    ],
)
def test_rejections_name_what_is_wrong(text, message):
    with pytest.raises(ParseError) as err:
        parse(text)
    assert message in str(err.value)
    assert "\n" not in str(err.value).replace(repr(text), "")


def test_not_a_string():
    with pytest.raises(ParseError):
        parse(None)  # type: ignore[arg-type]


# -- properties -------------------------------------------------------------------------------
lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


def fmt_known(lat, lon, d, style):
    """Notations only a known coordinate may use."""
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    la, lo = _split(lat, 3600, d), _split(lon, 3600, d)
    las, los = _frac(la[2], d, 2), _frac(lo[2], d, 2)
    sla, slo = ("-" if lat < 0 else ""), ("-" if lon < 0 else "")
    return {
        0: f"{sla}{la[0]} {la[1]} {las}, {slo}{lo[0]} {lo[1]} {los}",  # unmarked DMS, signed
        1: f"{la[0]}.{la[1]:02d}.{las.replace('.', ',')}{ns} {lo[0]}.{lo[1]:02d}.{los.replace('.', ',')}{ew}",
        2: f"{lo[0]}°{lo[1]}'{los}\"{ew.lower()} {la[0]}°{la[1]}'{las}\"{ns.lower()}",  # lower case, lon first
        3: f"{la[0]}°{la[1]}′{las}″{'north' if lat >= 0 else 'south'}, "
        f"{lo[0]}°{lo[1]}′{los}″{'east' if lon >= 0 else 'west'}",
        4: f"{ns}{la[0]}°{la[1]}’{las}’’,\n{ew}{lo[0]}°{lo[1]}’{los}’’",  # two lines, curly quotes
        5: f"[{lat:.{d + 1}f},{lon:.{d + 1}f}]",
        6: f"{sla}{la[0]}:{la[1]:02d}:{las} {slo}{lo[0]}:{lo[1]:02d}:{los}",
    }[style]


def _near(loc, lat, lon, slack=1.0):
    """The point is one of the readings, within the notation's precision."""
    best = min(GEOD.inv(r.lon, r.lat, lon, lat)[2] for r in loc.readings())
    return best <= (loc.precision_m or 0.0) * math.sqrt(2) * slack + 1e-3


@SETTINGS
@given(lats, lons, st.integers(0, 3), st.integers(0, 6))
def test_known_coordinate_notations_round_trip(lat, lon, d, style):
    text = fmt_known(lat, lon, d, style)
    loc = parse(text)
    assert _near(loc, lat, lon), (text, loc.lat, loc.lon, loc.precision_m)
    if style in (1, 2, 3, 4):  # letters say which is which: the preferred reading is the point
        assert GEOD.inv(loc.lon, loc.lat, lon, lat)[2] <= loc.precision_m * math.sqrt(2) + 1e-3, text


@SETTINGS
@given(lats, lons, st.integers(0, 6), st.integers(0, 4), st.integers(0, 3))
def test_every_text_notation_round_trips(lat, lon, d, style, which):
    text = [
        fmt_decimal_letters(lat, lon, d + 1, style),
        fmt_ddm(lat, lon, min(d, 4), style),
        fmt_dms(lat, lon, min(d, 3), min(style + (which > 1), 5)),
        f"{lat:.{d}f}, {lon:.{d}f}",
    ][which]
    loc = parse(text)
    assert _near(loc, lat, lon, slack=1.0), (text, loc.lat, loc.lon, loc.precision_m)


@SETTINGS
@given(st.floats(-79.9, 83.9), lons, st.integers(1, 5), st.sampled_from([8, 10, 11]), st.booleans())
def test_grids_codes_and_links_round_trip(lat, lon, k, length, code):
    import mgrs
    from openlocationcode import openlocationcode as olc

    assume(not -1e-6 < lat < 0)
    text = olc.encode(lat, lon, length) if code else mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=k)
    # openlocationcode 1.0.1 writes invalid codes next to lon 180 and lat 90 ("6WG22222+")
    assume(not code or olc.isFull(text))
    loc = parse(text)
    # half the square's side per axis: the point is within sqrt(2) of it (grid metres: x 1.002)
    assert GEOD.inv(loc.lon, loc.lat, lon, lat)[2] <= loc.precision_m * math.sqrt(2) * 1.002 + 1e-3, text


COORDISH = "0123456789.,;:/°º′″'\"’*-+−  \nNSEWnsewСЮВЗdms[]()" + "CFGHJMPQRVWX"


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.text(alphabet=COORDISH, max_size=60)))
def test_any_string_raises_only_parse_error(text):
    try:
        loc = parse(text)
    except ParseError:
        return
    for r in loc.readings():
        assert -90 <= r.lat <= 90 and -180 <= r.lon <= 180
    assert text[loc.start : loc.end] == loc.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(lats, lons, st.integers(0, 5), st.integers(0, 4), st.integers(0, 3), st.sampled_from(["", " ", "  "]))
def test_read_the_same_way_as_the_extractor(lat, lon, d, style, which, pad):
    """A string the prose extractor reads whole is read the same way by parse(): the same
    point, kind, precision, reading and alternatives."""
    text = [
        fmt_decimal_letters(lat, lon, d + 1, style),
        fmt_ddm(lat, lon, min(d, 4), style),
        fmt_dms(lat, lon, min(d, 3), min(style + (which > 1), 5)),
        f"{lat:.{d + 3}f},{pad}{lon:.{d + 3}f}",
    ][which].replace(" ", pad or " ")
    found = read_text(text).locations  # what verify() reads in a text (look-alikes normalised)
    assume(len(found) == 1 and found[0].start == 0 and found[0].end == len(text))
    want = found[0]
    loc = parse(text)
    assert (loc.lat, loc.lon, loc.kind, loc.reading) == (want.lat, want.lon, want.kind, want.reading), text
    assert loc.precision_m == pytest.approx(want.precision_m)
    assert [a.to_dict() for a in loc.alternatives] == [a.to_dict() for a in want.alternatives], text
    assert loc.warnings == want.warnings, text


@SETTINGS
@given(lats, lons, st.integers(0, 4), st.integers(0, 6), st.integers(0, 3))
def test_the_fast_path_reads_as_judge_reads(lat, lon, d, style, which):
    """Splits decided from the key alone (parse._read_fast) give exactly what the extractor's
    judge() gives on the same components."""
    from geoverify.notation import parse as P
    from geoverify.notation.coordinates import judge

    text = [
        fmt_decimal_letters(lat, lon, d + 1, min(style, 4)),
        fmt_ddm(lat, lon, d, min(style, 4)),
        fmt_known(lat, lon, min(d, 3), style),
        f"{lat:.{d}f} {lon:.{d}f}",
    ][which]
    recipes, _ = P._plan(text.translate(str.maketrans("123456789", "000000000")).encode())
    assume(recipes is not None and recipes[0][6] is not None)
    _, r1, r2, start, labels, gap, fast = recipes[0]
    quick = P._read_fast(text, r1, r2, start, fast)
    assume(quick is not None)
    slow = judge(text, P._comp(r1, text), P._comp(r2, text), gap, start, labels=labels, known=True)
    assert quick.to_dict() == slow.to_dict(), text


# -- the command and the one parser of every entry point ------------------------------------------
def test_cli_parse_json_and_errors():
    import json

    from click.testing import CliRunner

    from geoverify.cli import cli

    out = CliRunner().invoke(cli, ["parse", "27.15.45S", "18.32.53E", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert (round(doc["lat"], 6), round(doc["lon"], 6), doc["kind"]) == (
        round(-dms(27, 15, 45), 6),
        round(dms(18, 32, 53), 6),
        "dms",
    )
    out = CliRunner().invoke(cli, ["parse", "40", "7", "22.8,", "-74", "7", "22.8", "--format", "geojson"])
    assert out.exit_code == 0, out.output
    feats = json.loads(out.stdout)["features"]
    assert [f["properties"]["role"] for f in feats] == ["reading", "alternative"]
    bad = CliRunner().invoke(cli, ["parse", "44°75'N 131°E"])
    assert bad.exit_code == 2 and bad.stderr.startswith("geoverify: error: minutes 75 must be below 60")


def test_every_entry_point_reads_a_point_the_same_way():
    """--at / at= (pipeline.parse_location), where (cli.where.read_point), --near
    (cli.options.parse_latlon) and geoverify.parse read one string alike."""
    import geoverify
    from geoverify.cli.options import parse_latlon
    from geoverify.cli.where import read_point
    from geoverify.pipeline import parse_location

    for text, lat, lon, _ in ISSUE_EXAMPLES:
        got = [
            (parse_location(text).lat, parse_location(text).lon),
            read_point(text)[:2],
            parse_latlon(text),
            (geoverify.parse(text).lat, geoverify.parse(text).lon),
        ]
        assert all(g == pytest.approx((lat, lon), abs=1e-9) for g in got), (text, got)
