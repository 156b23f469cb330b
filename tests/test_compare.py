"""Location comparisons: only the pairs meant to be one place are listed; the rest are summed up
(issue 15 item 4, issue 17 item 5: 1,000 ``--at`` values made 500,000 comparison entries,
1.5 GB of memory and 186 MB of output).

Known answers: on the WGS84 equator one degree of longitude is a·π/180 = 111.3195 km
(a = 6,378,137 m), and the geodesic between two equatorial points under 180° apart runs
along the equator.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from geoverify.checks.compare import PairSummary, compare_locations, compare_with
from geoverify.model import Location
from geoverify.pipeline import Verifier, check

KM_PER_DEGREE_EQUATOR = 6378137.0 * math.pi / 180 / 1000  # 111.3195 km


def point(lat, lon, text=None, kind="decimal", start=0, source="--at", precision=0.1):
    text = text or f"{lat}, {lon}"
    return Location(
        lat=lat, lon=lon, kind=kind, text=text, start=start, end=start + len(text), precision_m=precision, source=source
    )


def test_far_apart_locations_are_summarised_not_listed():
    report = check(["0.0, 0.0", "0.0, 1.0", "0.0, 3.0", "0.0, 0.5"], [])
    assert report.comparisons == []
    pairs = report.other_pairs
    assert pairs["pairs"] == 6 and pairs["measured"] == 6 and pairs["same_place"] == 0
    assert pairs["closest"]["locations"] == [0, 3]
    assert pairs["closest"]["distance_km"] == pytest.approx(0.5 * KM_PER_DEGREE_EQUATOR, abs=1e-3)
    assert pairs["farthest"]["locations"] == [0, 2]
    assert pairs["farthest"]["distance_km"] == pytest.approx(3 * KM_PER_DEGREE_EQUATOR, abs=1e-3)


def test_the_same_point_twice_counts_as_the_same_place():
    report = check(["10.0, 20.0", "10.0, 20.0"], [])
    assert report.other_pairs["same_place"] == 1
    assert report.other_pairs["closest"]["distance_km"] == 0.0


def test_a_plus_code_beside_coordinates_is_listed_with_its_verdict():
    text = "44.326859, 131.668647 / 8QPH8MG9+PFR"
    a = point(44.326859, 131.668647, "44.326859, 131.668647", source="text", precision=0.1)
    b = point(44.3268625, 131.6686406, "8QPH8MG9+PFR", kind="pluscode", start=24, source="text", precision=1.9)
    summary = PairSummary()
    (entry,) = compare_locations(text, [a, b], summary)
    assert entry["expected_same"] and entry["verdict"] == "consistent" and entry["locations"] == [0, 1]
    assert summary.measured == 0


def test_many_at_locations_stay_bounded():
    n = 600
    at = [f"{(k % 60) * 0.5:.1f}, {(k // 60) * 0.5:.1f}" for k in range(n)]
    report = check(at, [])
    assert report.comparisons == []
    pairs = report.other_pairs
    assert pairs["pairs"] == n * (n - 1) // 2
    # each location against at most 50 before it
    assert pairs["measured"] == sum(min(k, 50) for k in range(n))
    assert len(json.dumps(report.to_dict())) < n * 1000  # 180,000 pair entries before: ~50 MB


def test_verifier_bounds_at_pairs_and_numbers_them_after_the_text():
    given = [point(0.0, float(k)) for k in range(8)]
    verifier = Verifier(at=given, nearest=3)
    report = verifier.collect(verifier.run([]))
    pairs = report.other_pairs
    assert pairs["pairs"] == 28
    assert pairs["measured"] == 0 + 1 + 2 + 3 * 5
    assert pairs["closest"]["distance_km"] == pytest.approx(KM_PER_DEGREE_EQUATOR, abs=1e-3)
    assert pairs["farthest"]["distance_km"] == pytest.approx(3 * KM_PER_DEGREE_EQUATOR, abs=1e-3)


def test_verify_table_summarises_far_apart_pairs(index_available):
    from geoverify.cli import cli

    text = (
        "Shelling was reported at 0.0000, 10.0000, at 0.0000, 11.0000, at 0.0000, 12.5000, at "
        "0.0000, 13.0000, at 0.0000, 15.0000 and at 0.0000, 16.0000."
    )
    result = CliRunner().invoke(cli, ["verify", "-", "--format", "table"], input=text)
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    assert "Locations compared" not in out
    assert " ↔ " not in out.split("15 other pairs")[0].split("Claims")[-1]
    # closest 0.5 degree apart (55.66 km), farthest 6 degrees (667.92 km)
    assert (
        "15 other pairs of locations (not meant to be one place): 55.66 km to 667.92 km apart "
        "(closest 2 ↔ 3, farthest 0 ↔ 5); none the same place"
    ) in " ".join(out.split())


def test_streamed_json_carries_the_summary(index_available, tmp_path):
    from geoverify import report as render
    from geoverify.cli import cli
    from geoverify.pipeline import verify

    text = "Filmed at 0.0000, 10.0000; the crew then drove to 0.0000, 11.0000."
    result = CliRunner().invoke(cli, ["verify", "-", "--format", "json", "--at", "0.0, 12.0"], input=text)
    assert result.exit_code in (0, 1), result.output
    assert result.stdout == render.to_json(verify(text, at=["0.0, 12.0"])) + "\n"
    pairs = json.loads(result.stdout)["other_pairs"]
    assert pairs["pairs"] == 3 and pairs["farthest"]["locations"] == [0, 2]
    assert pairs["farthest"]["distance_km"] == pytest.approx(2 * KM_PER_DEGREE_EQUATOR, abs=1e-3)


def test_a_location_without_a_point_is_not_compared():
    """A short plus code that could not be placed, beside coordinates (found by the verify fuzz test:
    'N0000E0°:2222+MP A0' raised TypeError from pyproj)."""
    text = "N0000E0°:2222+MP A0"
    a = point(0.0, 0.0, "N0000E0°", kind="ddm", source="text")
    b = Location(lat=None, lon=None, kind="pluscode-short", text="2222+MP", start=9, end=16)
    summary = PairSummary()
    assert compare_locations(text, [a, b], summary) == []
    assert compare_with(text, b, 1, [(0, a)], summary) == []
    assert summary.measured == 0
