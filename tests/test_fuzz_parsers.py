"""Fuzzing every text parser with hostile text: random Unicode (combining marks, RTL and
bidi controls, zero-width characters, full-width and Arabic-Indic digits, homoglyphs of
° ′ ″, lone surrogates) and mutated real text (the article excerpts in fixtures/articles
and one location in every notation, with characters inserted, replaced by look-alikes,
deleted and repeated).

What must hold for every input: no exception escapes but the documented ones
(GeoverifyError subclasses; TypeError for a non-str; click.BadParameter from the CLI's
LAT,LON parser; RowProblem, the batch row's reason); every span points at its verbatim
text; values are in range and JSON-serialisable without NaN; the look-alike policy of
geoverify.text.normalise reads a location written with look-alikes exactly as its ASCII form,
and flags it.

Budget: GEOVERIFY_FUZZ_EXAMPLES (default 120 per test, a few seconds in all); ``make fuzz``
runs the same tests with a large budget and prints how many inputs each tried.
"""

from __future__ import annotations

import json
import math
import os
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geoverify.errors import GeoverifyError
from geoverify.model import LOCATION_KINDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("GEOVERIFY_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

COUNTS: dict[str, int] = {}


def tried(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    write_counts(request, Path(__file__).name, COUNTS)


def write_counts(request, name: str, counts: dict[str, int]) -> None:
    """Print how many inputs each fuzz test tried (past pytest's output capture)."""
    rep = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if rep is None or not counts:
        return
    line = f"fuzz ({name}): {sum(counts.values())} inputs tried: " + ", ".join(
        f"{k} {v}" for k, v in sorted(counts.items())
    )
    if capture is not None:
        with capture.global_and_fixture_disabled():
            rep.write_line(line)
    else:
        rep.write_line(line)


# -- hostile text ------------------------------------------------------------------------
DIGITS = {
    "ascii": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "fullwidth": "０１２３４５６７８９",
    "devanagari": "०१२३४५६७८९",
    "bengali": "০১২৩৪৫৬৭৮৯",
}
DEGREES = "°º˚ᵒ⁰∘ﾟ゜"
PRIMES = "′’‘´ʹˊꞌ‵"
DOUBLE_PRIMES = "″”“ʺ˝〃‶"
INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff\u00ad\u061c"
)
COMBINING = "\u0300\u0301\u0303\u0308\u0336\u20dd\u1ab0\u0489"
SPACES = "\u00a0\u202f\u2009\u3000\u2028\u2029\u0085 \t\n\r"
PUNCT = ".,;:/-+−–—*()[]'\"`٫٬،؛．，：－＋@#?&=%!|~"
LETTERS = "NSEWnsewСЮВЗсювзdDmMsSxXTUMGRFVCBHJKPQ" + "lOoIΝЅЕ"  # and Greek/Cyrillic look-alikes
NASTY = (
    DEGREES
    + PRIMES
    + DOUBLE_PRIMES
    + INVISIBLE
    + COMBINING
    + SPACES
    + PUNCT
    + LETTERS
    + "".join(DIGITS.values())
    + "\ufffd\U0001f30d\ud800\udfff\x00\x07"
)

SEEDS = [
    "44.326859, 131.668647",
    "44°19'36.7\"N 131°40'07.1\"E",
    "N 44° 19.611' E 131° 40.119'",
    "4007.38N 07407.38W",
    "N395600E1192100",
    "69-18-00С 033-24-30В",
    "38SMB4484 4484",
    "17T 630084 4833438",
    "8MG9+PFR Sergeevka, Primorsky Krai",
    "8QPH8MG9+PFR",
    "https://www.google.com/maps/@44.326859,131.668647,15z",
    "geo:44.326859,131.668647;u=35",
    "https://www.openstreetmap.org/#map=15/44.3268/131.6686",
    "-33.8688, 151.2093",
    "18.24S 22.45E",
    "44,326859, 131,668647",
    "lat: 44.3268 lon: 131.6686",
    "44.3268N\n131.6686E",
    "широта 44.3268, долгота 131.6686",
    "44°19′36″ с.ш. 131°40′07″ в.д.",
    "95.5, 200.1",
] + [p.read_text(encoding="utf-8")[:600] for p in sorted((ROOT / "fixtures" / "articles").glob("*.txt"))]


@st.composite
def mutated(draw) -> str:
    """A real text with a few hostile edits."""
    text = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        text = text + draw(st.sampled_from(["\n", " ", " and ", "\u200f"])) + draw(st.sampled_from(SEEDS))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(0, 8))):
        op = rng.randrange(7)
        i = rng.randrange(len(text) + 1)
        if op == 0:  # insert hostile characters
            text = text[:i] + "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 4))) + text[i:]
        elif op == 1 and text:  # a digit or mark becomes a look-alike
            j = rng.randrange(len(text))
            ch = text[j]
            if ch.isdigit() and ch.isascii():
                ch = rng.choice(list(DIGITS.values()))[int(ch)]
            elif ch in "°'\"":
                ch = rng.choice({"°": DEGREES, "'": PRIMES, '"': DOUBLE_PRIMES}[ch])
            else:
                ch = rng.choice(NASTY)
            text = text[:j] + ch + text[j + 1 :]
        elif op == 2:  # delete a slice
            text = text[:i] + text[i + rng.randint(1, 5) :]
        elif op == 3:  # repeat a slice
            j = min(len(text), i + rng.randint(1, 12))
            text = text[:j] + text[i:j] * rng.randint(2, 30) + text[j:]
        elif op == 4:  # wrap in a bidi override
            j = min(len(text), i + rng.randint(1, 20))
            text = text[:i] + "\u202e" + text[i:j] + "\u202c" + text[j:]
        elif op == 5:  # a combining mark after a random character
            text = text[:i] + rng.choice(COMBINING) + text[i:]
        else:  # swap case
            text = text.swapcase() if rng.random() < 0.2 else text
    return text


def texts():
    return st.one_of(
        st.text(alphabet=st.sampled_from(NASTY), max_size=200),
        st.text(max_size=200),
        mutated(),
    )


# -- shared checks ----------------------------------------------------------------------
def _finite_json(obj) -> None:
    json.dumps(obj, ensure_ascii=False, allow_nan=False)


def check_location(loc, text: str) -> None:
    assert 0 <= loc.start < loc.end <= len(text), (loc.start, loc.end, len(text))
    assert text[loc.start : loc.end] == loc.text
    assert loc.kind in LOCATION_KINDS
    for lat, lon in [(loc.lat, loc.lon)] + [(a.lat, a.lon) for a in loc.alternatives]:
        if lat is not None:
            assert math.isfinite(lat) and -90 <= lat <= 90
        if lon is not None:
            assert math.isfinite(lon) and -180 <= lon <= 180
    assert all(isinstance(w, str) and w for w in loc.warnings)
    _finite_json(loc.to_dict())


def check_extraction(result, text: str) -> None:
    prev_end = 0
    for loc in result.locations:
        check_location(loc, text)
        assert loc.start >= prev_end, "locations overlap or are out of order"
        prev_end = loc.end
    for d in result.diagnostics:
        assert 0 <= d.start <= d.end <= len(text) and text[d.start : d.end] == d.text and d.message
        _finite_json(d.to_dict())


# -- extraction ---------------------------------------------------------------------------
@FUZZ
@given(texts())
def test_fuzz_extract_scan(text):
    from geoverify.notation import scan

    tried("extract.scan")
    check_extraction(scan(text), text)


@FUZZ
@given(texts())
def test_fuzz_scan_normalised_spans_point_into_the_original(text):
    from geoverify.notation.stream import scan_normalised
    from geoverify.text import normalise as textnorm

    tried("notation.scan_normalised")
    result = scan_normalised(text)
    check_extraction(result, text)
    norm = textnorm.normalise(text)
    for loc in result.locations:
        flagged = any(w.startswith("text normalised before reading") for w in loc.warnings)
        assert flagged == bool(norm.changes_in(loc.start, loc.end)), (loc.text, loc.warnings)


@FUZZ
@given(st.sampled_from(["coordinates", "grids", "pluscodes", "urls"]), texts())
def test_fuzz_each_extractor_alone(which, text):
    from geoverify.notation import coordinates, grids, pluscodes, urls

    tried(f"extract.{which}")
    finder = {
        "coordinates": coordinates.find_coordinates,
        "grids": grids.find_grids,
        "pluscodes": pluscodes.find_pluscodes,
        "urls": urls.find_urls,
    }[which]
    found = finder(text)
    for loc in found[0]:
        check_location(loc, text)
    for d in found[1]:
        assert text[d.start : d.end] == d.text


@FUZZ
@given(texts())
@example("0\uff9f\u200cB")  # a joiner after a look-alike mark that str.isalpha calls a letter (found by this test)
def test_fuzz_normalise_offset_map(text):
    from geoverify.text import normalise as textnorm

    tried("textnorm.normalise")
    norm = textnorm.normalise(text)
    assert textnorm.normalise(norm.text).text == norm.text  # reading twice changes nothing more
    # the fast path (one scan for where a change can be) never skips a change the policy makes
    slow = textnorm.normalise("\u00a0" + text)  # a first change at 0: the policy runs over everything
    assert slow.text[1:] == norm.text and [(c.start - 1, c.replacement) for c in slow.changes[1:]] == [
        (c.start, c.replacement) for c in norm.changes
    ]
    removed = sum(len(c.original) for c in norm.changes if not c.replacement)
    assert len(norm.text) == len(text) - removed
    replaced = {c.start: c.replacement for c in norm.changes if c.replacement}
    prev = -1
    for i, ch in enumerate(norm.text):
        s, e = norm.to_original(i, i + 1)
        assert e == s + 1 and s > prev
        prev = s
        assert text[s] == ch or replaced.get(s) == ch, (i, ch, s, text[s])
    assert norm.to_original(0, len(norm.text))[0] >= 0
    assert norm.to_original(len(norm.text), len(norm.text))[0] <= len(text)


# -- look-alikes are read as their ASCII form, and flagged ---------------------------------------
LOOKALIKE_SEEDS = [
    ("44.326859, 131.668647", "decimal"),
    ("44°19'36.7\"N 131°40'07.1\"E", "dms"),
    ("N 44° 19.611' E 131° 40.119'", "ddm"),
    ("-33.8688, 151.2093", "decimal"),
    ("44°19'36\" N, 131°40'07\" E", "dms"),
    ("8FVC9G8F+6X", "pluscode"),
]


@FUZZ
@given(st.sampled_from(LOOKALIKE_SEEDS), st.sampled_from(sorted(DIGITS)), st.data())
def test_fuzz_lookalikes_read_as_ascii_and_flagged(seed, script, data):
    from geoverify.notation.stream import scan_normalised

    tried("textnorm.lookalikes")
    ascii_text, kind = seed
    marks = {
        "°": data.draw(st.sampled_from(DEGREES)),
        "'": data.draw(st.sampled_from(PRIMES)),
        '"': data.draw(st.sampled_from(DOUBLE_PRIMES)),
    }
    noise = data.draw(st.sampled_from(["", "\u200b", "\u200f", "\u2066", "\u00ad"]))
    out = []
    for ch in ascii_text:
        if ch.isdigit():
            ch = DIGITS[script][int(ch)]
        elif ch in marks and kind != "pluscode":
            ch = marks[ch]
        elif ch == " ":
            ch = data.draw(st.sampled_from([" ", "\u00a0", "\u202f"]))
        out.append(ch + (noise if ch.isdigit() and data.draw(st.booleans()) else ""))
    text = "Seen at " + "".join(out) + " yesterday."
    (expected,) = scan_normalised("Seen at " + ascii_text + " yesterday.").locations
    (got,) = scan_normalised(text).locations
    assert (got.kind, got.lat, got.lon) == (expected.kind, expected.lat, expected.lon)
    assert text[got.start : got.end] == got.text and got.text.strip() == got.text
    canonical = text.replace("\u2032", "'").replace("\u2033", '"')  # ′ and ″ are the marks themselves
    changed = canonical != "Seen at " + ascii_text + " yesterday."
    assert any(w.startswith("text normalised before reading") for w in got.warnings) == changed


# -- claims and typed locations --------------------------------------------------------------
@FUZZ
@given(texts())
def test_fuzz_extract_claims_without_gazetteer(text):
    from geoverify.claims.extract import extract_claims

    tried("claims.extract_claims")
    claims, mentions = extract_claims(text)
    for c in claims + mentions:
        assert 0 <= c.start < c.end <= len(text) and text[c.start : c.end] == c.text
        _finite_json(c.to_dict())


@FUZZ
@given(texts())
def test_fuzz_parse_claim(text):
    from geoverify.claims.extract import parse_claim

    tried("claims.parse_claim")
    try:
        claim = parse_claim(text)
    except GeoverifyError:
        return
    assert claim.target and claim.kind
    _finite_json(claim.to_dict())


@FUZZ
@given(texts())
def test_fuzz_parse_location_without_gazetteer(text):
    from geoverify.pipeline import parse_location

    tried("verify.parse_location")
    if "+" in text:
        text = text.replace("+", " ")  # short plus codes need the gazetteer (fuzzed with it elsewhere)
    try:
        loc = parse_location(text)
    except GeoverifyError:
        return
    assert loc.has_point and -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180
    _finite_json(loc.to_dict())


@FUZZ
@given(st.one_of(texts(), st.tuples(st.floats(), st.floats()).map(lambda t: f"{t[0]},{t[1]}")))
def test_fuzz_cli_latlon_parser(text):
    import click

    from geoverify.cli.options import parse_latlon

    tried("cli.parse_latlon")
    try:
        lat, lon = parse_latlon(text)
    except click.BadParameter as exc:
        assert "\n" not in exc.format_message()
        return
    assert -90 <= lat <= 90 and -180 <= lon <= 180 and math.isfinite(lat) and math.isfinite(lon)


# -- decoding and windows ----------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=400), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]), st.integers(1, 64))
def test_fuzz_decoder(body, bom, block):
    from geoverify.errors import InputError
    from geoverify.text.stream import Decoder

    tried("streaming.Decoder")
    data = bom + body
    # the first bytes decide, whatever the test meant: a body starting FE FF is a BOM too
    encoding, skip = next(
        (
            (e, len(b))
            for b, e in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
            if data.startswith(b)
        ),
        ("utf-8", 0),
    )
    warnings: list[str] = []
    dec = Decoder("f", warnings.append)
    try:
        text = "".join(dec.feed(data[i : i + block]) for i in range(0, len(data), block)) + dec.finish()
    except InputError as exc:
        assert "NUL byte at offset" in str(exc) and encoding == "utf-8"
        assert data[int(str(exc).split("offset ")[1].split(")")[0])] == 0
        return
    assert b"\x00" not in data or encoding != "utf-8"
    assert text == data[skip:].decode(encoding, "replace")
    strict_ok = True
    try:
        data[skip:].decode(encoding)
    except UnicodeDecodeError:
        strict_ok = False
    assert bool(warnings) == (not strict_ok)
    for w in warnings:
        if "at byte" in w:
            offset = int(w.split("at byte ")[1].split(" ")[0])
            assert skip <= offset < len(data)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.sampled_from(SEEDS[:21]),
            st.text(alphabet=NASTY, max_size=30),
            st.sampled_from(["\n", " ", "\n\n", " the convoy was seen ", "1,500 "]),
        ),
        max_size=40,
    ).map("".join),
    st.integers(40, 600),
    st.integers(0, 200),
)
def test_fuzz_windows_equal_whole_text(text, window, overlap):
    from geoverify.notation.stream import scan_normalised, scan_text

    tried("streaming.windows")
    # the documented condition: the overlap is longer than any location and than any run of
    # text without whitespace (a URL, say, is read up to the next blank); 16 KiB by default
    longest = max((len(t) for t in text.split()), default=0)
    overlap = max(overlap, 120, 2 * longest + 100)
    whole = scan_normalised(text)
    got = scan_text(text, window=window, overlap=overlap)
    check_extraction(got, text)
    assert [(loc.start, loc.end, loc.kind, loc.lat, loc.lon) for loc in got.locations] == [
        (loc.start, loc.end, loc.kind, loc.lat, loc.lon) for loc in whole.locations
    ]


# -- imported rows and names -------------------------------------------------------------------
@pytest.fixture(scope="module")
def schema_conn():
    from geoverify.gazetteer.build.index import create_schema

    conn = sqlite3.connect(":memory:")
    create_schema(conn)
    conn.execute("INSERT INTO admin1_codes VALUES ('RU.59', 'RU-PRI', 'Primorskiy kray', 'RU')")
    yield conn
    conn.close()


def _geoname_line(draw) -> str:
    cols = [
        draw(st.sampled_from(["2020626", "99000001", "-1", "1e3", "", "٢٠٢٠٦٢٦", "x"])),
        draw(st.text(alphabet=NASTY + "Sergeyvka", max_size=20)),
        "",
        draw(st.text(alphabet=NASTY + ",ab", max_size=20)),
        draw(st.sampled_from(["44.3", "-91", "nan", "inf", "1e400", "٤٤", "", "44,3"])),
        draw(st.sampled_from(["131.6", "181", "-inf", "0x10", ""])),
        draw(st.sampled_from(["P", "S", "L", "", "Z"])),
        draw(st.sampled_from(["PPL", "MILB", "", "???"])),
        draw(st.sampled_from(["RU", "", "ZZ", "ру"])),
        "",
        draw(st.sampled_from(["59", "00", "", "x"])),
        "",
        "",
        "",
        draw(st.sampled_from(["0", "3760", "-5", "1.5", "", "many"])),
        "",
        "",
        "",
        "",
    ]
    n = draw(st.integers(15, 21))
    cols = (cols + [""] * 3)[:n]
    return "\t".join(cols)


@FUZZ
@given(st.data())
def test_fuzz_geonames_rows(schema_conn, data):
    from geoverify.gazetteer.build.geonames_import import _import_geoname, _Importer

    tried("geonames_import.rows")
    lines = [
        _geoname_line(data.draw) if data.draw(st.booleans()) else data.draw(st.text(alphabet=NASTY + "\t", max_size=60))
        for _ in range(data.draw(st.integers(1, 8)))
    ]
    schema_conn.execute("SAVEPOINT fuzz")
    try:
        imp = _Importer(schema_conn, "fuzz.txt")
        rows, counts = _import_geoname(imp, iter(line + "\n" for line in lines), None)
    finally:
        schema_conn.execute("ROLLBACK TO fuzz")
        schema_conn.execute("RELEASE fuzz")
    assert rows == len(lines)
    blank = sum(1 for line in lines if not line.strip())
    assert counts["inserted"] + counts["updated"] + imp.malformed_count == rows - blank
    for bad in imp.malformed:
        assert 1 <= bad["line"] <= rows and bad["error"]
    for lat, lon in schema_conn.execute("SELECT lat, lon FROM places"):
        assert math.isfinite(lat) and math.isfinite(lon)


@FUZZ
@given(texts())
def test_fuzz_name_folding(text):
    from geoverify.gazetteer import names as N

    tried("gazetteer.names")
    folded = N.fold(text)
    assert isinstance(folded, str) and isinstance(N.skeleton(text), str)
    qa = N.analyse(text)
    assert all(isinstance(v.fold, str) for v in qa.variants)
    for _key, _skel, flag in N.name_keys(text):
        assert isinstance(flag, int)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["text", "lat", "lon", "loc", "prec"]),
        st.one_of(st.none(), st.floats(), st.integers(), st.booleans(), texts()),
        max_size=5,
    ),
    st.sampled_from([None, "ucdp", "m", "km"]),
    st.floats(min_value=0, max_value=1e3),
)
def test_fuzz_batch_row_location(record, scheme, tolerance):
    from geoverify.batch.rows import RowProblem, RowSpec, cells_of, row_location

    tried("batch.row_location")
    use_loc = "loc" in record and not ("lat" in record and "lon" in record)
    spec = RowSpec(
        text_column="text",
        lat_column=None if use_loc else "lat",
        lon_column=None if use_loc else "lon",
        location_column="loc" if use_loc else None,
        precision_column="prec" if scheme else None,
        precision_scheme=scheme,
        tolerance_km=tolerance,
    )
    try:
        loc = row_location(cells_of(record, spec), spec)
    except (RowProblem, GeoverifyError) as exc:
        assert str(exc)
        return
    if loc is not None:
        assert -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180
        assert loc.precision_m is None or (math.isfinite(loc.precision_m) and loc.precision_m >= 0)


def test_a_joiner_after_a_lookalike_mark_goes_with_the_marks_reading():
    from geoverify.text import normalise as textnorm

    # U+00BA and U+FF9F are letters to str.isalpha but read as the degree sign after a digit:
    # the zero-width non-joiner after them joins nothing, once read
    assert textnorm.normalise("44\u00ba\u200cN").text == "44°N"
    assert textnorm.normalise("0\uff9f\u200cB").text == "0°B"
    assert textnorm.normalise("a\u200cb").text == "a\u200cb"  # between two letters it is part of the word
