"""What is not a coordinate, what is rejected, and what is reported with several readings.

Also the article excerpts in fixtures/articles: together they hold exactly two locations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geoverify.notation import extract, extract_diagnostics, scan

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


def test_article_excerpts_yield_exactly_two_locations():
    found = {}
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = scan(text)
        assert result.diagnostics == [], path.name
        for loc in result.locations:
            assert text[loc.start : loc.end] == loc.text
        found[path.name] = result.locations
    everything = [loc for locs in found.values() for loc in locs]
    assert len(everything) == 2
    dec, short = found["001_a1998207a4a2e502.txt"]
    assert dec.kind == "decimal" and dec.text == "44.326859, 131.668647"
    assert (dec.lat, dec.lon) == (44.326859, 131.668647)
    assert dec.alternatives == [] and dec.warnings == []
    assert short.kind == "pluscode-short" and short.text == "8MG9+PFR"
    assert short.code == "8MG9+PFR"
    assert short.locality == "Sergeevka, Primorsky Krai"
    assert short.lat is None and short.lon is None


NEGATIVE = [
    "The date 2024-10-19 was confirmed.",
    "Troops moved from Oct. 8 to 13, officials said.",
    "Posted on 10/19/2024 at 12:30:45.",
    "Posted on 19.10.2024 в 12:30.",
    "The meeting ended at 12:30 and resumed at 14:45:10.",
    "Call +7 (423) 123-45-67 or +1 555 123 4567 or +33 1 42 68 53 00.",
    "The deal was worth $1,500.50, or €3.50 per share, and 1,2 млн рублей.",
    "The final score was 3-1 after a 2-0 lead.",
    "Install version 1.2.3 (v2.0, Python 3.11.7) first.",
    "About 1,500 soldiers, 11,000 infantrymen and 1.2 million personnel.",
    "24 C\nColombo",
    "Temperatures of 24°C, 25° C and -5°F were recorded; highs of 24°, 25° and 27°.",
    "Prices rose 3.5% and 12.25 percent.",
    "Between 15-20 km, on pages 10-12, in 1958 and the 1990s.",
    "ⓕ font-size\n\n  • -2\n  • -1\n  • 0\n  • +1\n  • +2\n",
    "— GeoConfirmed (@GeoConfirmed) https://twitter.com/GeoConfirmed/status/1847225352281563393?ref_src=twsrc%5Etfw",
    "See https://t.co/ut5egxBz0w and https://example.com/2024/10/19/44.3268/131.6686.html",
    "A list of counts: 1,500, 2,600, 10,000 and 11,000.",
    "Short decimals 1.5, 2.5 and 44.3, 131.6 are not enough on their own.",
    "The E17 and N1 roads, the A4 and the M4 were closed; S-300, S-400 and F-16 seen.",
    "An iPhone 5S, 6S or 15 Pro, a T-72 and a Su-35.",
    "IP 192.168.1.1 and ISBN 978-3-16-148410-0 and ID 12345678.",
    "The 28-second video, 2,600 troops and 10,000 North Korean soldiers.",
    "Scientific 1.5e10 and 2.5e-3 values.",
    "Ratios 3:1 and 16:9, time 5 p.m., No. 12345, COVID-19, G7.",
    "Lat. long. words: the latest long-standing plan.",
    "Mixed 44.3N and 131.6 only one lettered.",
    "Road N1/E40 and exit 12 N 4.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_coordinates(text):
    result = scan(text)
    assert result.locations == [], [(x.kind, x.text) for x in result.locations]
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]


# (text, span of the diagnostic, words the message must contain)
REJECTED = [
    ("Seen at 44°75'N 131°40'E.", "44°75'N 131°40'E", "minutes 75"),
    ("Seen at 44°19'75\"N 131°40'07\"E.", "44°19'75\"N 131°40'07\"E", "seconds 75"),
    ("Seen at 4075.38N 07407.38W.", "4075.38N 07407.38W", "minutes 75"),
    ("Seen at 44.3N 131.6S.", "44.3N 131.6S", "latitudes"),
    ("Seen at N 44.3 S 131.6.", "N 44.3 S 131.6", "latitudes"),
    ("Seen at 44.3E 131.6W.", "44.3E 131.6W", "longitudes"),
    ("Seen at 95.5N 131.6E.", "95.5N 131.6E", "latitude 95.5"),
    ("Seen at 44.3N 190.5E.", "44.3N 190.5E", "longitude 190.5"),
    ("Seen at 95.512345, 200.123456.", "95.512345, 200.123456", "out of range"),
    ("Seen at 91.123456, 92.123456.", "91.123456, 92.123456", "out of range"),
    ("x\n95.5, 200.1\ny", "95.5, 200.1", "out of range"),
    ("Coordinates: 95.5, 200.1", "95.5, 200.1", "out of range"),
    ("Seen at 44°75'N.", "44°75'N", "minutes 75"),
    ("Seen at 95.5°N.", "95.5°N", "latitude 95.5"),
    ("Open geo:44.3,131.6;crs=epsg:4326 now", "geo:44.3,131.6;crs=epsg:4326", "crs"),
    ("Open geo:95.5,131.6 now", "geo:95.5,131.6", "out of range"),
    (
        "Open https://www.google.com/maps/@95.5,131.6,15z now",
        "https://www.google.com/maps/@95.5,131.6,15z",
        "out of range",
    ),
    ("Open https://maps.app.goo.gl/abcDEF123 now", "https://maps.app.goo.gl/abcDEF123", "short map link"),
    ("UTM 33T 950000 4649776", "UTM 33T 950000 4649776", "easting"),
]


@pytest.mark.parametrize("text,span,words", REJECTED)
def test_rejected_with_diagnostic(text, span, words):
    result = scan(text)
    assert result.locations == []
    assert len(result.diagnostics) == 1, [str(d) for d in result.diagnostics]
    diag = result.diagnostics[0]
    assert diag.text == span
    assert text[diag.start : diag.end] == span
    assert words in diag.message
    assert extract_diagnostics(text) == result.diagnostics
    assert extract(text) == []


def test_out_of_range_is_never_wrapped():
    for text in ("44.3N 181.5E", "44.3N 360.5E", "-91.123456, 190.123456", "S 90.5 E 10.5"):
        assert extract(text) == []
        assert len(extract_diagnostics(text)) == 1


def test_sign_contradicting_letter_is_flagged():
    (loc,) = extract("Seen at -44.3N 131.6E.")
    assert (loc.lat, loc.lon) == (44.3, 131.6)  # the letter wins
    assert [(a.lat, a.lon) for a in loc.alternatives] == [(-44.3, 131.6)]
    assert len(loc.warnings) == 1 and "contradicts" in loc.warnings[0]
    (loc,) = extract("Seen at 44.3N -131.6E.")
    assert [(a.lat, a.lon) for a in loc.alternatives] == [(44.3, -131.6)]
    # a redundant sign that agrees with the letter is not a contradiction
    (loc,) = extract("Seen at -44.3S 131.6E.")
    assert (loc.lat, loc.lon) == (-44.3, 131.6) and loc.warnings == []


# (text, preferred (lat, lon), alternatives [(lat, lon)], words in the warning)
AMBIGUOUS = [
    ("18.24S 22.45E", (-18.24, 22.45), [(-18.4, 22.75)], "degrees.minutes"),
    ("40.30N 74.15W", (40.30, -74.15), [(40.5, -74.25)], "degrees.minutes"),
    ("44.3268, 31.6686", (44.3268, 31.6686), [(31.6686, 44.3268)], "either could be"),
    ("Coordinates: 44.3, 31.6", (44.3, 31.6), [(31.6, 44.3)], "either could be"),
    (
        "44°19'36\", 31°40'07\"",
        (44 + 19 / 60 + 36 / 3600, 31 + 40 / 60 + 7 / 3600),
        [(31 + 40 / 60 + 7 / 3600, 44 + 19 / 60 + 36 / 3600)],
        "either could be",
    ),
    ("44,326859, 31,668647", (44.326859, 31.668647), [(31.668647, 44.326859)], "decimal commas"),
]


@pytest.mark.parametrize("text,preferred,alternatives,words", AMBIGUOUS)
def test_ambiguous_readings(text, preferred, alternatives, words):
    (loc,) = extract(f"The site is at {text} according to the post.")
    assert (loc.lat, loc.lon) == pytest.approx(preferred, abs=1e-9)
    got = [v for a in loc.alternatives for v in (a.lat, a.lon)]
    assert got == pytest.approx([v for pair in alternatives for v in pair], abs=1e-9)
    assert all(a.reading for a in loc.alternatives)
    assert loc.reading
    assert any(words in w for w in loc.warnings), loc.warnings


def test_decimal_pair_with_a_value_above_90_is_read_longitude_first_with_warning():
    (loc,) = extract("at 131.668647, 44.326859 (GeoJSON order)")
    assert (loc.lat, loc.lon) == (44.326859, 131.668647)
    assert loc.alternatives == []
    assert "longitude first" in loc.reading and loc.warnings


def test_decimal_commas_warn_even_without_other_readings():
    (loc,) = extract("44,326859, 131,668647")
    assert loc.alternatives == []
    assert loc.warnings == ["decimal commas read as decimal points"]


def test_no_ambiguity_where_letters_decide():
    (loc,) = extract("44.3268N 31.6686E")
    assert loc.alternatives == [] and loc.warnings == []
    (loc,) = extract("44.326N 31.668E")  # three decimals cannot be minutes
    assert loc.alternatives == [] and loc.warnings == []
    (loc,) = extract("18.75S 22.45E")  # 75 minutes is impossible
    assert loc.alternatives == []


def test_utm_letter_band_or_hemisphere():
    # 3650000 m north in zone 33 is 32.99°N (inside band S, 32–40°N) or 57.29°S
    (loc,) = extract("33S 500000 3650000")
    assert loc.lat == pytest.approx(32.988, abs=1e-3)
    assert [round(a.lat, 2) for a in loc.alternatives] == [-57.29]
    assert loc.warnings and "band" in loc.warnings[0]
    # 4649776 m is 42°N, outside band S: only the southern-hemisphere reading remains
    (loc,) = extract("33S 500000 4649776")
    assert loc.lat < 0 and loc.alternatives == []
    (loc,) = extract("UTM zone 33 500000 4649776")
    assert loc.lat == pytest.approx(42.0, abs=1e-4)
    assert len(loc.alternatives) == 1 and loc.alternatives[0].lat < 0
    assert loc.warnings


def test_short_code_needs_a_locality():
    assert extract("the code 8MG9+PFR was posted") == []
    assert extract("8MG9+PFR") == []
    (loc,) = extract("8MG9+PFR, Sergeevka.")
    assert loc.locality == "Sergeevka"


@pytest.mark.parametrize(
    "text,locality",
    [
        ("8MG9+PFR Sergeevka, Primorsky Krai,… https://t.co/x", "Sergeevka, Primorsky Krai"),
        ("8MG9+PFR Sergeevka, Primorsky Krai. The video", "Sergeevka, Primorsky Krai"),
        ("8MG9+PFR Sergeevka, Primorsky Krai...", "Sergeevka, Primorsky Krai"),
        ("8MG9+PFR Sergeevka\nnext line", "Sergeevka"),
        ("9QCJ+2VX Frankfurt am Main and then", "Frankfurt am Main"),
        ("8MG9+PFR Kursk oblast, Russia", "Kursk oblast, Russia"),
        ("CJ+2VX St. Petersburg, Russia", "St. Petersburg, Russia"),
        ("8MG9+PFR Сергеевка, Приморский край", "Сергеевка, Приморский край"),
        ("8MG9+PFR Rostov-on-Don (video)", "Rostov-on-Don"),
    ],
)
def test_short_code_locality(text, locality):
    (loc,) = extract(text)
    assert loc.kind == "pluscode-short" and loc.locality == locality


def test_coordinates_inside_non_map_urls_are_ignored():
    text = "https://example.org/track?lat=44.326859&lon=131.668647&t=1847225352281563393"
    assert extract(text) == []


def test_overlap_longest_span_wins():
    text = "lat 44.3268, lon 131.6686"
    (loc,) = extract(text)
    assert loc.text == text  # the labelled reading, not a shorter bare pair inside it


def test_pair_inside_a_run_of_numbers_is_flagged():
    (loc,) = extract("Bond yields were 4.125, 4.250 and 4.375 percent.")
    assert any("run of similar numbers" in w for w in loc.warnings)
    # a list of pairs separated by semicolons is not a run of single numbers
    a, b = extract("Sites: 44.3268, 131.6686; 44.3300, 131.6700.")
    assert not any("run" in w for w in a.warnings + b.warnings)
    # an altitude after the pair is not a run either
    (loc,) = extract("44.326859, 131.668647, 120 m")
    assert loc.warnings == []


def test_top_level_function_survives_importing_the_package():
    import geoverify
    import geoverify.checks.checker  # noqa: F401
    import geoverify.claims.extract  # noqa: F401
    import geoverify.notation.coordinates  # noqa: F401  (no subpackage shadows a top-level function)

    for _ in range(2):
        (loc,) = geoverify.extract("44.326859, 131.668647")
        assert (loc.lat, loc.lon) == (44.326859, 131.668647)
