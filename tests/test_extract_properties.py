"""Property tests: any point written in any supported notation, inside prose, is read back
within the notation's precision; arbitrary text never raises; pathological input finishes;
and the prefilter never changes what is found."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

from geoverify.notation import _prefilter, coordinates, extract, grids, pluscodes, scan, urls

GEOD = Geod(ellps="WGS84")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "The",
    "video",
    "was",
    "filmed",
    "near",
    "the",
    "camp",
    "on",
    "Friday",
    "according",
    "to",
    "officials",
    "and",
    "it",
    "shows",
    "troops",
    "in",
    "2024",
    "with",
    "about",
    "1,500",
    "soldiers",
    "(",
    ")",
    "—",
    "said:",
    "Sergeevka",
    "x",
]

lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)
prose = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


def _split(value: float, units: int, digits: int) -> tuple[int, ...]:
    """abs(value) in degrees → (degrees, minutes[, seconds] scaled by 10**digits), rounded
    once so that 59.9999 carries into the next unit."""
    scale = 10**digits
    total = round(abs(value) * units * scale)
    if units == 60:
        deg, rest = divmod(total, 60 * scale)
        return deg, rest
    deg, rest = divmod(total, 3600 * scale)
    minutes, seconds = divmod(rest, 60 * scale)
    return deg, minutes, seconds


def _frac(n: int, digits: int, width: int) -> str:
    """``n`` / 10**digits with ``width`` integer digits."""
    if digits == 0:
        return f"{n:0{width}d}"
    whole, part = divmod(n, 10**digits)
    return f"{whole:0{width}d}.{part:0{digits}d}"


def fmt_decimal_letters(lat, lon, d, style):
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    a, b = f"{abs(lat):.{d}f}", f"{abs(lon):.{d}f}"
    return {
        0: f"{a}{ns} {b}{ew}",
        1: f"{a}° {ns}, {b}° {ew}",
        2: f"{ns} {a}, {ew} {b}",
        3: f"{ns}{a} {ew}{b}",
        4: f"{b}{ew} {a}{ns}",
    }[style]


def fmt_decimal_signed(lat, lon, d, style):
    if style == 0:
        return f"{lat:.{d}f}, {lon:.{d}f}"
    if style == 1:
        return f"{lat:.{d}f} {lon:.{d}f}"
    return f"{lat:.{d}f}, {lon:.{d}f}".replace(".", ",")  # decimal commas, ", " between


def fmt_ddm(lat, lon, d, style):
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    la, lo = _split(lat, 60, d), _split(lon, 60, d)
    lam, lom = _frac(la[1], d, 2), _frac(lo[1], d, 2)
    return {
        0: f"{la[0]}°{lam}'{ns} {lo[0]}°{lom}'{ew}",
        1: f"{ns} {la[0]}° {lam}′ {ew} {lo[0]}° {lom}′",
        2: f"{la[0]:02d}-{lam}{ns} {lo[0]:03d}-{lom}{ew}",  # maritime
        3: f"{la[0]:02d}{lam}{ns} {lo[0]:03d}{lom}{ew}",  # packed
        4: f"{la[0]}º{lam}’{ns}, {lo[0]}º{lom}’{ew}",
    }[style]


def fmt_dms(lat, lon, d, style):
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    cy = {"N": "С", "S": "Ю", "E": "В", "W": "З"}
    la, lo = _split(lat, 3600, d), _split(lon, 3600, d)
    las, los = _frac(la[2], d, 2), _frac(lo[2], d, 2)
    return {
        0: f"{la[0]}°{la[1]:02d}'{las}\"{ns} {lo[0]}°{lo[1]:02d}'{los}\"{ew}",
        1: f"{la[0]}°{la[1]:02d}′{las}″ {ns}, {lo[0]}°{lo[1]:02d}′{los}″ {ew}",
        2: f"{la[0]:02d}-{la[1]:02d}-{las}{cy[ns]} {lo[0]:03d}-{lo[1]:02d}-{los}{cy[ew]}",
        3: f"{ns}{la[0]:02d}{la[1]:02d}{las}{ew}{lo[0]:03d}{lo[1]:02d}{los}",  # packed
        4: f"{ns} {la[0]} {la[1]} {las} {ew} {lo[0]} {lo[1]} {los}",
        5: f"{la[0]}d{la[1]}m{las}s {ns} {lo[0]}d{lo[1]}m{los}s {ew}",
    }[style]


def _check(notation: str, before: str, after: str, lat: float, lon: float, kinds, slack: float = 1.0):
    text = f"{before} {notation} {after}"
    start = len(before) + 1
    locs = extract(text)
    hits = [x for x in locs if x.start < start + len(notation) and start < x.end]
    assert len(hits) == 1, (text, [(x.kind, x.text) for x in locs])
    loc = hits[0]
    assert (loc.start, loc.end, loc.text) == (start, start + len(notation), notation), text
    assert loc.kind in kinds
    dist = GEOD.inv(loc.lon, loc.lat, lon, lat)[2]
    # precision is the larger per-axis half-step, so the point is within sqrt(2) of it
    assert dist <= loc.precision_m * math.sqrt(2) * slack + 1e-3, (text, dist, loc.precision_m)


@SETTINGS
@given(lats, lons, st.integers(1, 7), st.integers(0, 4), prose, prose)
def test_decimal_with_letters_round_trip(lat, lon, d, style, before, after):
    _check(fmt_decimal_letters(lat, lon, d, style), before, after, lat, lon, {"decimal"})


@SETTINGS
@given(lats, lons, st.integers(4, 8), st.integers(0, 2), prose, prose)
def test_signed_decimal_round_trip(lat, lon, d, style, before, after):
    _check(fmt_decimal_signed(lat, lon, d, style), before, after, lat, lon, {"decimal"})


@SETTINGS
@given(lats, lons, st.integers(0, 4), st.integers(0, 4), prose, prose)
def test_ddm_round_trip(lat, lon, d, style, before, after):
    _check(fmt_ddm(lat, lon, d, style), before, after, lat, lon, {"ddm"})


@SETTINGS
@given(lats, lons, st.integers(0, 3), st.integers(0, 5), prose, prose)
def test_dms_round_trip(lat, lon, d, style, before, after):
    _check(fmt_dms(lat, lon, d, style), before, after, lat, lon, {"dms"})


@SETTINGS
@given(st.floats(-79.9, 83.9), lons, st.integers(2, 5), st.booleans(), prose, prose)
def test_mgrs_round_trip(lat, lon, k, spaced, before, after):
    import mgrs

    # mgrs 1.6 writes points within 1e-9° south of the equator as band M, row A
    # ("31MEA0000"), which its own decoder rejects; such text does not occur in practice.
    assume(not -1e-6 < lat < 0)
    ref = mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=k)
    if spaced:
        gzd = len(ref) - 2 - 2 * k
        ref = f"{ref[:gzd]} {ref[gzd : gzd + 2]} {ref[gzd + 2 : gzd + 2 + k]} {ref[gzd + 2 + k :]}"
    # the square is measured in grid metres: allow the grid's scale factor (< 1.001)
    _check(ref, before, after, lat, lon, {"mgrs"}, slack=1.002)


@SETTINGS
@given(st.floats(-79.9, 83.9), st.floats(-179.99, 179.99), st.booleans(), prose, prose)
def test_utm_round_trip(lat, lon, metres_suffix, before, after):
    zone = int((lon + 180) // 6) + 1
    band = "CDEFGHJKLMNPQRSTUVWX"[min(19, int((lat + 80) // 8))]
    south = band < "N"
    fwd = Transformer.from_crs("EPSG:4326", f"EPSG:{(32700 if south else 32600) + zone}", always_xy=True)
    e, n = fwd.transform(lon, lat)
    assume(100000 <= e <= 900000)
    es, ns = f"{round(e):06d}", f"{round(n):07d}"
    notation = f"{zone}{band} {es}mE {ns}mN" if metres_suffix else f"{zone}{band} {es} {ns}"
    _check(notation, before, after, lat, lon, {"utm"}, slack=1.002)


@SETTINGS
@given(lats, lons, st.sampled_from([8, 10, 11, 12]), prose, prose)
def test_plus_code_round_trip(lat, lon, length, before, after):
    from openlocationcode import openlocationcode as olc

    code = olc.encode(lat, lon, length)
    # openlocationcode 1.0.1 encodes latitudes a hair below 90 as invalid codes ("FF222222+")
    assume(olc.isFull(code))
    # the code area holds the (clipped) point: within the half-diagonal of its centre
    text = f"{before} {code} {after}"
    (loc,) = [x for x in extract(text) if x.kind == "pluscode"]
    assert loc.text == code
    lat_c = min(lat, 90.0)
    assert GEOD.inv(loc.lon, loc.lat, lon, lat_c)[2] <= loc.precision_m + 1e-6


@SETTINGS
@given(lats, lons, st.integers(0, 4), prose, prose)
def test_links_round_trip(lat, lon, which, before, after):
    link = [
        f"geo:{lat:.6f},{lon:.6f}",
        f"https://www.google.com/maps/@{lat:.7f},{lon:.7f},15z",
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}",
        f"https://yandex.ru/maps/?ll={lon:.6f}%2C{lat:.6f}&z=12",
        f"https://www.bing.com/maps?cp={lat:.6f}~{lon:.6f}&lvl=15",
    ][which]
    _check(link, before, after, lat, lon, {"geo-uri", "map-url"})


COORDISH = "0123456789.,;:/°º′″'\"*-+−  \nNSEWСЮВЗdms" + "CFGHJMPQRVWX"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_never_raises(text):
    result = scan(text)
    assert isinstance(result.locations, list) and isinstance(result.diagnostics, list)
    for loc in result.locations:
        assert text[loc.start : loc.end] == loc.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=COORDISH, max_size=200))
def test_coordinate_like_noise_never_raises_and_stays_in_range(text):
    for loc in extract(text):
        assert text[loc.start : loc.end] == loc.text
        if loc.lat is not None:
            assert -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180
            assert loc.precision_m > 0
        for alt in loc.alternatives:
            assert -90 <= alt.lat <= 90 and -180 <= alt.lon <= 180


_CANDIDATES = _prefilter.candidates


def _full_candidates(text):
    """What the prefilter would say if everything were a candidate."""
    everything = _prefilter.COORD | _prefilter.LABEL | _prefilter.GRID | _prefilter.STRONG
    out = _prefilter.Candidates()
    out.windows = [(0, len(text), everything)] if text else []
    out.plus = [(0, len(text))] if text else []
    out.links = _CANDIDATES(text).links
    return out


fragments = st.sampled_from(
    [
        "44.326859, 131.668647",
        "44°19'36.7\"N 131°40'07.1\"E",
        "N 44° 19.611' E 131° 40.119'",
        "4007.38N 07407.38W",
        "N395600E1192100",
        "69-18-00С 033-24-30В",
        "S07 02 E089 11",
        "lat 44.3, lon 131.6",
        "Coordinates: 44.3, 31.6",
        "38SMB4484",
        "17T 630084 4833438",
        "UTM zone 33 500000 4649776",
        "8MG9+PFR Sergeevka",
        "8QPH8MG9+PFR",
        "18.24S 22.45E",
        "44,326859, 131,668647",
        "55.7558 с.ш. 37.6173 в.д.",
        "95.5, 200.1",
        "44°75'N",
        "1,500 soldiers",
        "2024-10-19",
        "12:30:45",
        "40N 74W",
        "E17",
        "+7 (423) 123-45-67",
        "geo:44.3,131.6",
        "https://www.google.com/maps/@44.3,131.6,15z",
        "\n",
        " ",
        ", ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(fragments, st.text(alphabet=COORDISH, max_size=12)), max_size=12))
def test_prefilter_changes_speed_not_results(parts):
    text = " ".join(parts)
    fast = [(x.start, x.end, x.kind, x.lat, x.lon) for x in scan(text).locations]
    original = _prefilter.candidates
    _prefilter.candidates = _full_candidates
    try:
        full = [(x.start, x.end, x.kind, x.lat, x.lon) for x in scan(text).locations]
    finally:
        _prefilter.candidates = original
    assert fast == full, text


@pytest.mark.parametrize(
    "fragment",
    [
        "44.326859, 131.668647",
        "44°19'36.7\"N 131°40'07.1\"E",
        "N395600E1192100",
        "lat 44.3, lon 131.6",
        "38SMB4484",
        "17T 630084 4833438",
        "8MG9+PFR Sergeevka",
        "8QPH8MG9+PFR",
        "geo:44.3,131.6",
        "https://www.google.com/maps/@44.3,131.6,15z",
        "google.com/maps/@44.3,131.6,15z",
        "55.7558 с.ш. 37.6173 в.д.",
        "x\n95.5, 200.1\n",
    ],
)
def test_locations_across_prefilter_chunk_boundaries(fragment):
    """The prefilter scans long texts in chunks; a location across a seam is still found."""
    filler = "The troops moved on. " * (_prefilter.CHUNK // 20 + 1)
    n = len(fragment)
    for shift in sorted({-n - 1, -n, -n // 2, -2, -1, 0, 1}):  # seam before, inside, after
        cut = _prefilter.CHUNK + shift
        text = filler[:cut] + " " + fragment + " " + filler[:200]
        fast = scan(text)
        _prefilter.candidates = _full_candidates
        try:
            full = scan(text)
        finally:
            _prefilter.candidates = _CANDIDATES
        assert [(x.start, x.end, x.lat) for x in fast.locations] == [(x.start, x.end, x.lat) for x in full.locations], (
            fragment,
            shift,
        )
        assert len(fast.locations) + len(fast.diagnostics) == 1, (fragment, shift)


PATHOLOGICAL = {
    "digits": "1" * 100_000,
    "dotted": "1." * 50_000,
    "degrees": "°" * 100_000,
    "commas": ", " * 50_000,
    "number list": "1, " * 33_333,
    "decimal list": "44.3268, " * 11_111,
    "letters": "N " * 50_000,
    "N1": "N1" * 50_000,
    "dashes": "1-" * 50_000,
    "colons": "1:" * 50_000,
    "plus": "+" * 100_000,
    "2+": "2+" * 50_000,
    "code run": "C" * 100_000 + "+",
    "url": "https://" + "a" * 99_990,
    "geo": "geo:" * 25_000,
    "marks": "44°" * 33_333,
    "dms run": "4°4'4\"" * 16_666,
    "packed N": "1234567 N " * 10_000,
    "zones": "33T " * 25_000,
    "labels": "lat " * 25_000,
}

EXTRACTORS = [
    lambda t: _prefilter.candidates(t).windows,
    lambda t: coordinates.find_coordinates(t)[0],
    lambda t: grids.find_grids(t)[0],
    lambda t: pluscodes.find_pluscodes(t)[0],
    lambda t: urls.find_urls(t)[0],
    extract,
]


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_finishes(name):
    text = PATHOLOGICAL[name]
    for fn in EXTRACTORS:
        assert isinstance(fn(text), list)


_LINK_WORDS = ("://", "www.", "geo:", "Geo:", "gEO:", "GEO:", "maps", "streetmap.", "osm.org", "plus.codes")
_LINK_PIECES = [
    *_LINK_WORDS,
    "geogeo:",
    "wwww.",
    "plus.co",
    "osm.",
    "street",
    "map",
    "gEo:",
    "g",
    "G",
    "eo",
    "EO",
    ":",
    "//",
]


def _every_link_word(text: str) -> list[int]:
    """The link offsets by definition: every occurrence of every link word, one str.find at a time."""
    out = set()
    for w in _LINK_WORDS:
        p = text.find(w)
        while p >= 0:
            out.add(p)
            p = text.find(w, p + 1)
    return sorted(out)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_LINK_PIECES), st.text(alphabet="gGeEoOmapstrw.:/ 1", max_size=6)), max_size=16)
)
def test_prefilter_link_offsets_are_every_link_word(parts):
    """The prefilter finds link words with three shared scans (":", "map", "."): the same
    offsets as looking for each word on its own, also across its chunks."""
    text = "".join(parts)
    assert _prefilter.candidates(text).links == _every_link_word(text)
    filler = "x" * (_prefilter.CHUNK - 5)
    long_text = filler + text + filler
    assert _prefilter.candidates(long_text).links == _every_link_word(long_text)


# Every character a prefilter scan may require: with all of them "present" no scan is skipped.
_EVERY_REQUIRED = frozenset(ch for groups in _prefilter._REQUIRES.values() for group in groups for ch in group)
_SKIPPABLE = "°º˚⁰′″СЮВЗсСюЮвВзЗшШдДиротлг" + "ſKİı"
_SKIPPABLE_FRAGMENTS = st.sampled_from(
    [
        "37.6173 в.д.",
        "55.7558 с.ш.",
        "12.5 ю.ш.",
        "з.д. 4",
        "широта 44.3",
        "долгота: 131.6",
        "44.3° 131.6°",
        "44º 131º",
        "44˚N",
        "44⁰ 131⁰",
        "19′ 40′",
        "36″ 07″",
        "69-18-00С 033-24-30В",
        "18 Ю 22 З",
    ]
)


def _candidates_every_scan(text):
    """The prefilter's answer with no scan skipped for characters the text lacks."""
    original = _prefilter.non_ascii_text
    _prefilter.non_ascii_text = lambda t: "".join(sorted(_EVERY_REQUIRED))
    try:
        return _prefilter.candidates(text)
    finally:
        _prefilter.non_ascii_text = original


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(fragments, _SKIPPABLE_FRAGMENTS, st.text(alphabet=COORDISH + _SKIPPABLE, max_size=12)), max_size=12
    ),
    st.sampled_from(["", "é", "—", "\u00a0"]),
)
def test_prefilter_skips_only_scans_that_cannot_match(parts, extra):
    """A long text's scans for characters it lacks are not run: the windows, ``+`` windows and link
    offsets are those of every scan, also when normalise read the characters first."""
    from geoverify.text.normalise import reading_once

    pad = "The troops moved on 12 May. " * (_prefilter.SHORT_TEXT // 28 + 1)
    text = pad + extra + " ".join(parts) + pad
    want = _candidates_every_scan(text)
    got = _prefilter.candidates(text)
    assert (got.windows, got.plus, got.links) == (want.windows, want.plus, want.links)
    with reading_once(text):
        again = _prefilter.candidates(text)
    assert (again.windows, again.plus, again.links) == (want.windows, want.plus, want.links)


_HOST_PIECES = [
    "http://",
    "https://",
    "HTTPS://",
    "hTtp://",
    "google.",
    "maps.apple",
    "osm.org",
    "plus.codes",
    "g.co",
    "goo.gl",
    "here.com",
    "twitter.com",
    "www.",
    "/",
    "?",
    "#",
    ":",
    ".",
    "ſ",  # folds to "s" under re.IGNORECASE
    "K",  # Kelvin sign: folds to "k"
    "İ",
    "ı",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_HOST_PIECES), st.text(alphabet="aeglmoposw.:/?#hHtTK", max_size=5)), max_size=10
    )
)
def test_map_host_test_read_once_per_host_is_the_regex(parts):
    """Whether a link may be a map link is read from its scheme and host alone, kept per host: the
    same answer as the regex on the whole link, from every start and end."""
    text = "".join(parts)
    for start in range(len(text)):
        for end in sorted({start, start + 1, (start + len(text)) // 2, len(text)}):
            if end < start:
                continue
            want = urls._MAP_HOSTS.match(text, start, end) is not None
            urls._HOST_MEMO.clear()
            assert urls._may_be_map_host(text, start, end) == want, (text, start, end)
            assert urls._may_be_map_host(text, start, end) == want, (text, start, end)  # from the memo


def test_label_beginnings_cover_every_case_insensitive_match_of_the_engine():
    """_label_spots skips a window whose lower-cased text (with the engine's other case
    equivalences mapped) holds no label beginning: every character the regex engine matches
    case-insensitively with a letter of a beginning must read as that letter."""
    import re
    import sys

    everything = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    folds = dict(coordinates._LABEL_FOLDS)
    for letter in sorted(set("".join(coordinates._LABEL_STARTS))):
        for m in re.finditer("(?i)" + re.escape(letter), everything):
            ch = m.group()
            assert folds.get(ch, ch.lower()) == letter, (letter, ch, hex(ord(ch)))
    # and the beginnings are those of the labels the scan looks for
    for label in ("lat", "latitude", "lon", "long", "longitude", "lng", "coord", "coords", "coordinates", "gps"):
        assert coordinates._LABEL_CONTEXT.match(label.upper() + ": ")
        assert any(label.startswith(w) for w in coordinates._LABEL_STARTS)
    for label in ("координаты", "широта", "долгота"):
        assert coordinates._LABEL_CONTEXT.match(label + ": ")
        assert any(label.startswith(w) for w in coordinates._LABEL_STARTS)


_LABEL_PIECES = [
    "lat",
    "LON",
    "Lng",
    "cOOrd",
    "gpſ",
    "GPS",
    "ſ",
    "Ᲊ",
    "коорᲁинат",
    "ШИРОТ",
    "долᲄоᲂᲄ",
    "İ",
    "K",
    ": ",
    "\n",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_LABEL_PIECES), st.text(alphabet="latongcrdps 1.,:ſКоИ", max_size=6)), max_size=12
    )
)
def test_label_spots_are_the_label_scan(parts):
    """The label scan's spots, with windows skipped when no label begins in them, are the regex's."""
    text = "".join(parts)
    for start in range(0, len(text) + 1, 3):
        for end in {start, (start + len(text)) // 2, len(text)}:
            want = [m.end() for m in coordinates._LABEL_CONTEXT.finditer(text, start, end)]
            assert coordinates._label_spots(text, start, end) == want, (text, start, end)
