"""verify/check end to end on the real index: the Sergeevka case and its counter-checks.

Expected figures are independent of geoverify: GeoConfirmed's geolocation, the
GeoNames coordinates of both Sergeyevka, the border distances measured in
docs/DESIGN.md across several OpenStreetMap-derived sources, and pyproj geodesics.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import geoverify
from geoverify.cases import load_cases, run_case
from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"
CASES = ROOT / "fixtures" / "cases"
GEOCONFIRMED = "44.326859, 131.668647"
MOSCOW = "55.7539, 37.6208"
OTHER_SERGEYEVKA = "43.35032, 133.35815"
GEOVERIFY = [str(Path(sys.executable).parent / "geoverify")]


def article(name: str) -> str:
    return next(ARTICLES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def claims_matching(report, fragment, kind=None):
    """Claims, or qualifying levels of a claim's chain ("Primorsky Krai" in "Sergeevka,
    Primorsky Krai"), whose text holds ``fragment``; each with its own verdict."""
    views = [v for r in report.claims for v in r.views()]
    found = [v for v in views if fragment.lower() in v.text.lower() and (kind is None or v.kind == kind)]
    assert found, f"no claim with {fragment!r}: {[v.text for v in views]}"
    return found


@pytest.fixture(scope="module")
def geoconfirmed_report():
    return geoverify.verify(article("001"))


# -- the article that carries the geolocation ------------------------------------------------
def test_coordinates_and_plus_code_agree_within_10_m(geoconfirmed_report):
    report = geoconfirmed_report
    kinds = [loc.kind for loc in report.locations]
    assert kinds == ["decimal", "pluscode-short"]
    code = report.locations[1]
    assert code.reference["id"] == "geonames:2020626"
    assert code.reference["code"] == "8QPH8MG9+PFR"
    # the other Sergeyevka gives the other recovery, 195.5 km away, reported as an alternative
    assert any("8QMM8MG9+PFR" in alt.reading for alt in code.alternatives)
    (pair,) = report.comparisons
    assert pair["expected_same"] and pair["same_place"] and pair["verdict"] == CONSISTENT
    assert pair["distance_m"] < 10


@pytest.mark.parametrize(
    "fragment,kind",
    [
        ("Sergeevsky military camp", "place"),
        ("Russian Far East", "within"),
        ("Primorsky Krai", "within"),
        ("Sergeevka", "place"),
    ],
)
def test_geoconfirmed_article_claims_are_consistent(geoconfirmed_report, fragment, kind):
    for result in claims_matching(geoconfirmed_report, fragment, kind):
        assert result.verdict == CONSISTENT, result.evidence


def test_near_north_korea_reports_distance_and_threshold(geoconfirmed_report):
    (result,) = claims_matching(geoconfirmed_report, "near North Korea")
    ev = result.evidence
    assert ev["distance_km"] == pytest.approx(228, abs=2)
    assert ev["threshold_km"] > 0
    assert "North Korea" in ev["reference"]
    assert ev["sources"]


def test_kursk_oblast_is_a_mention_not_a_claim(geoconfirmed_report):
    assert any("Kursk Oblast" in m.text for m in geoconfirmed_report.mentions)
    assert not any("Kursk" in r.claim.text for r in geoconfirmed_report.claims)


# -- the other four articles with GeoConfirmed's point, Moscow and the other Sergeyevka ------------
@pytest.mark.parametrize(
    "name,fragment,kind",
    [
        ("002", "Sergeevka Training Ground", "place"),
        ("002", "border with China", "border"),
        ("003", "border with China", "border"),
        ("003", "far east", "within"),
        ("004", "Sergievsky Training Ground", "place"),
        ("004", "Far East", "within"),
        ("000", "eastern Russia", "within"),
    ],
)
def test_articles_agree_with_the_geolocation(name, fragment, kind):
    report = geoverify.verify(article(name), at=[GEOCONFIRMED])
    for result in claims_matching(report, fragment, kind):
        assert result.verdict == CONSISTENT, (result.claim.text, result.evidence)


def test_china_border_distance_is_35_km():
    report = geoverify.verify(article("002"), at=[GEOCONFIRMED])
    (result,) = claims_matching(report, "border with China", "border")
    assert result.evidence["distance_km"] == pytest.approx(35.1, abs=1)
    assert result.evidence["threshold_km"] >= result.evidence["distance_km"]


@pytest.mark.parametrize(
    "name,fragment,kind",
    [
        ("002", "Sergeevka Training Ground", "place"),
        ("002", "border with China", "border"),
        ("002", "eastern Russia", "within"),
        ("003", "border with China", "border"),
        ("003", "far east", "within"),
        ("004", "Sergievsky Training Ground", "place"),
        ("004", "Far East", "within"),
    ],
)
def test_articles_fail_against_moscow(name, fragment, kind):
    report = geoverify.verify(article(name), at=[MOSCOW])
    for result in claims_matching(report, fragment, kind):
        assert result.verdict == INCONSISTENT, (result.claim.text, result.evidence)
    assert report.exit_status == 1


@pytest.mark.parametrize(
    "name,fragment,kind,verdict",
    [
        ("002", "Sergeevka Training Ground", "place", INCONSISTENT),
        ("004", "Sergievsky Training Ground", "place", INCONSISTENT),
        ("002", "border with China", "border", INCONSISTENT),
        ("004", "Far East", "within", CONSISTENT),  # still in Primorsky Krai
    ],
)
def test_articles_against_the_other_sergeyevka(name, fragment, kind, verdict):
    report = geoverify.verify(article(name), at=[OTHER_SERGEYEVKA])
    for result in claims_matching(report, fragment, kind):
        assert result.verdict == verdict, (result.claim.text, result.evidence)


def test_the_training_ground_is_175_km_from_the_other_sergeyevka():
    report = geoverify.verify(article("004"), at=[OTHER_SERGEYEVKA])
    (result,) = claims_matching(report, "Sergievsky Training Ground", "place")
    # site at 44.326859, 131.668647 → 43.35032, 133.35815 (pyproj.Geod): 175.6 km
    from geoverify.geodesy import distance_km

    assert result.evidence["distance_km"] == pytest.approx(
        distance_km(44.326859, 131.668647, 43.35032, 133.35815), abs=0.05
    )


# -- unverifiable is never consistent ------------------------------------------------------------
def test_unknown_name_is_unverifiable():
    report = geoverify.check([GEOCONFIRMED], ["near Xqzzyville"])
    (result,) = report.claims
    assert result.verdict == UNVERIFIABLE
    assert "not found" in result.evidence["reason"]
    assert report.verdict == UNVERIFIABLE


def test_claims_without_a_location_are_unverifiable():
    report = geoverify.verify("The video was filmed in Primorsky Krai, near the China border.")
    assert report.claims
    assert {r.verdict for r in report.claims} == {UNVERIFIABLE}
    assert all(r.evidence["reason"] == "no location to test against" for r in report.claims)


# -- typed claims -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "claim,verdict",
    [
        ("near the China border", CONSISTENT),
        ("Sergeevka", CONSISTENT),
        ("in Primorsky Krai", CONSISTENT),
        ("in Kursk Oblast", INCONSISTENT),
        ("near Vladivostok", INCONSISTENT),  # 136.7 km: not near a city of 600,000 (30 km)
        ("about 120 km from Vladivostok", CONSISTENT),
        ("north of Vladivostok", CONSISTENT),
        ("south of Vladivostok", INCONSISTENT),
    ],
)
def test_check_typed_claims(claim, verdict):
    report = geoverify.check([GEOCONFIRMED], [claim])
    (result,) = report.claims
    assert result.verdict == verdict, result.evidence


def test_check_accepts_a_plus_code_location():
    report = geoverify.check(["8QPH8MG9+PFR"], ["in Primorsky Krai"])
    assert report.locations[0].kind == "pluscode"
    assert report.claims[0].verdict == CONSISTENT


# -- case files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("case", load_cases(CASES), ids=lambda c: c.id)
def test_case_files(case):
    outcome = run_case(case)
    assert outcome.passed, "\n".join(outcome.failures)


# -- the CLI --------------------------------------------------------------------------------------
def run_cli(*args, stdin=None):
    return subprocess.run(GEOVERIFY + list(args), input=stdin, capture_output=True, text=True, timeout=120)


def test_cli_verify_json_contract():
    proc = run_cli("verify", str(next(ARTICLES.glob("001_*.txt"))), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"locations", "claims", "mentions", "verdict"}
    for claim in out["claims"]:
        assert set(claim) >= {"text", "start", "end", "kind", "verdict", "evidence"}
        assert claim["kind"] in ("place", "within", "near", "distance", "direction", "border")
        assert claim["verdict"] in ("consistent", "inconsistent", "unverifiable")
        if claim["verdict"] != "unverifiable":
            assert "reference" in claim["evidence"] and "sources" in claim["evidence"]
            assert "distance_km" in claim["evidence"]


def test_cli_verify_exit_status_1_when_inconsistent():
    proc = run_cli("verify", "-", "--at", MOSCOW, "--format", "json", stdin=article("002"))
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["verdict"] == INCONSISTENT


@pytest.mark.parametrize("fmt", ["markdown", "geojson", "table"])
def test_cli_verify_formats(fmt):
    proc = run_cli("verify", "-", "--at", GEOCONFIRMED, "--format", fmt, stdin=article("004"))
    assert proc.returncode == 0, proc.stderr
    if fmt == "geojson":
        doc = json.loads(proc.stdout)
        assert doc["type"] == "FeatureCollection"
        roles = {f["properties"]["role"] for f in doc["features"]}
        assert {"location", "claim", "reference"} <= roles
        loc = next(f for f in doc["features"] if f["properties"]["role"] == "location")
        assert loc["geometry"]["coordinates"] == [131.668647, 44.326859]  # lon, lat (RFC 7946)
    else:
        assert "Sergievsky Training Ground" in proc.stdout
        assert "consistent" in proc.stdout


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["verify", "/nonexistent/file.txt"], "no such file"),
        (["verify", "-", "--at", "somewhere nice"], "not a location"),
        (["verify", "-", "--at", "95.0, 190.0"], "out of range"),
        (["check", "--at", GEOCONFIRMED], "Missing option"),
        (["check", "--at", GEOCONFIRMED, "--claim", ""], "empty"),
    ],
)
def test_cli_bad_usage_is_one_line_and_status_2(args, fragment):
    proc = run_cli(*args, stdin="The video was filmed in Primorsky Krai.")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoverify: error:"), proc.stderr
    assert fragment.lower() in lines[0].lower()
