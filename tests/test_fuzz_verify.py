"""Fuzzing the whole pipeline on the real index: ``verify`` (and its streamed form),
``check``, ``resolve``, ``where`` and short-plus-code locations, on the hostile texts of
test_fuzz_parsers. Only GeoverifyError subclasses may escape; every report is valid JSON
(no NaN), every span points at its verbatim text, every verdict is one of the three.

Skipped when the index is not built. Budget: GEOVERIFY_FUZZ_EXAMPLES // 3 per test
(default 40): a verification costs tens of milliseconds.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_parsers import SEEDS, check_location, texts, write_counts

from geoverify.errors import GeoverifyError
from geoverify.model import VERDICTS

EXAMPLES = max(10, int(os.environ.get("GEOVERIFY_FUZZ_EXAMPLES", "120")) // 3)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
COUNTS: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def index_and_counts(index_available, request):
    yield
    write_counts(request, Path(__file__).name, COUNTS)


def tried(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def check_report(report, text: str) -> None:
    d = report.to_dict()
    json.dumps(d, ensure_ascii=False, allow_nan=False)
    assert d["verdict"] in VERDICTS
    n = len(report.locations)
    for loc in report.locations:
        if loc.source == "text":
            check_location(loc, text)
    for r in report.claims:
        assert r.verdict in VERDICTS
        c = r.claim
        if text:
            assert 0 <= c.start < c.end <= len(text) and text[c.start : c.end] == c.text
        for chk in r.checks:
            assert 0 <= chk.location_index < n
    for m in report.mentions:
        assert text[m.start : m.end] == m.text
    for cmp in report.comparisons:
        assert all(0 <= i < n for i in cmp["locations"]) and cmp["distance_km"] >= 0


AT = st.one_of(
    st.just(()),
    st.lists(
        st.sampled_from(
            [
                "44.326859, 131.668647",
                "8QPH8MG9+PFR",
                "38SMB4484",
                "-33.8688, 151.2093",
                "0, 0",
                "90, 180",
                "-90, -180",
                "8MG9+PFR Sergeevka, Primorsky Krai",
            ]
        ),
        max_size=2,
    ).map(tuple),
)


@FUZZ
@given(texts(), AT, st.booleans())
def test_fuzz_verify(text, at, all_mentions):
    from geoverify.pipeline import verify

    tried("pipeline.verify")
    try:
        report = verify(text, at=at, all_mentions=all_mentions)
    except GeoverifyError:
        return
    check_report(report, text)


@FUZZ
@given(texts(), st.integers(60, 400))
def test_fuzz_streamed_verify(text, window):
    from geoverify.pipeline import verify as verify_text

    tried("streaming.verify_text")
    longest = max((len(t) for t in text.split()), default=0)
    report = verify_text(text, window=window, overlap=max(400, 2 * longest + 100))
    check_report(report, text)


@FUZZ
@given(
    st.lists(
        st.one_of(
            texts(),
            st.sampled_from(
                ["near the China border", "Sergeevka", "in Primorsky Krai", "20 km from Vladivostok", "north of Moscow"]
            ),
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(
        st.sampled_from(["44.326859, 131.668647", "0, 0", "89.9, 179.9", "-45, -170", "38SMB4484"]),
        min_size=1,
        max_size=2,
    ),
)
def test_fuzz_check(claims, at):
    from geoverify.pipeline import check

    tried("pipeline.check")
    try:
        report = check(at, claims)
    except GeoverifyError:
        return
    check_report(report, "")


@FUZZ
@given(
    st.one_of(texts(), st.sampled_from(SEEDS)),
    st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
    st.sampled_from([None, "RU", "UA", "XX", "Narnia", ""]),
)
def test_fuzz_resolve(name, near, country):
    from geoverify.gazetteer import resolve

    tried("gazetteer.resolve")
    try:
        found = resolve(name, near=near, country=country, limit=5)
    except GeoverifyError:
        return
    for p in found:
        assert 0 <= p.score <= 1 and p.id
        json.dumps(p.to_dict(), ensure_ascii=False, allow_nan=False)


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_fuzz_where(lat, lon):

    from geoverify.gazetteer import where

    tried("gazetteer.where")
    try:
        result = where(lat, lon)
    except GeoverifyError:  # only for a point that is not one
        assert not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180)
        return
    assert math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
    json.dumps(
        result if isinstance(result, dict) else result.to_dict(), ensure_ascii=False, allow_nan=False, default=str
    )


@FUZZ
@given(
    st.sampled_from(["8MG9+PFR", "9G8F+6X", "MG9+PF", "8MG9+"]),
    st.one_of(texts(), st.sampled_from(["Sergeevka, Primorsky Krai", "Sergeyevka", "Moscow", "", "Nowhere"])),
)
def test_fuzz_short_plus_code_with_locality(code, locality):
    from geoverify.pipeline import parse_location

    tried("pipeline.parse_location+gazetteer")
    try:
        loc = parse_location(f"{code} {locality}")
    except GeoverifyError:
        return
    assert loc.has_point and -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180


# Found by fuzzing: where() near the poles raised IndexError (an empty R*-tree box search);
# fixed in geoverify/gazetteer/places.py.
@pytest.mark.parametrize("lat,lon", [(85.0, 0.0), (89.9, 179.9), (90.0, 0.0), (-80.0, 0.0), (-90.0, -179.9)])
def test_where_near_the_poles(lat, lon):
    from geoverify.gazetteer import where

    result = where(lat, lon)
    assert result["nearest_places"], result
