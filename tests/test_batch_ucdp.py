"""``geoverify batch`` with the real verifier over 96 UCDP GED 23.1 events (Central African Republic).

Data: tests/data/ucdp_ged_car_sample.csv (CC BY 4.0; see its README for the source and the
citations). Expected distances are computed here, independently of geoverify, with pyproj.Geod
from the GeoNames coordinates of the reference towns (geonameid given with each).
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
from pathlib import Path

import pytest
from pyproj import Geod

from geoverify.batch.rows import RowSpec
from geoverify.batch.runner import run_batch

SAMPLE = Path(__file__).parent / "data" / "ucdp_ged_car_sample.csv"
SPEC = RowSpec("where_description", "latitude", "longitude", precision_column="where_prec", precision_scheme="ucdp")
GEOD = Geod(ellps="WGS84")

# GeoNames (cities500): geonameid, lat, lon, population
BIRAO = (240210, 10.28488, 22.78818, 8457)
PAOUA = (2383523, 7.24269, 16.44059, 47703)
BANGUI = (2389853, 4.36122, 18.55496, 812407)
BODA = (2388614, 4.31887, 17.46953, 11688)
OBO = (236950, 5.39586, 26.49211, 14402)


def urban_radius_km(population: int) -> float:
    """thresholds.urban_radius_km, restated: a disc of the population at 2,000 people per km²."""
    return max(0.5, math.sqrt(population / 2000.0 / math.pi))


def geodesic(place, lat, lon):
    az, _baz, dist = GEOD.inv(place[2], place[1], lon, lat)
    return dist / 1000.0, az % 360.0


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("ucdp")
    out = d / "verified.csv"
    summary = run_batch(SAMPLE, out, SPEC, workers=1, chunk_size=25, progress=False)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    return summary, rows, out


def claims_of(row):
    return json.loads(row["evidence"])["claims"]


def test_every_event_is_written_with_a_verdict(batch_run):
    summary, rows, _out = batch_run
    assert len(rows) == 96 and summary.rows == 96
    assert sum(summary.verdicts.values()) == 96
    assert {r["verdict"] for r in rows.values()} <= {"consistent", "inconsistent", "unverifiable"}
    assert summary.exit_status == (1 if summary.verdicts["inconsistent"] else 0)


def test_vague_rows_are_unverifiable_never_consistent(batch_run):
    _summary, rows, _out = batch_run
    vague = [r for r in rows.values() if int(r["where_prec"]) >= 5]
    assert len(vague) == 16
    for r in vague:
        assert r["verdict"] == "unverifiable"
        assert r["reason"] == f"location too vague (where_prec {r['where_prec']})"
        assert r["n_consistent"] == "0" and r["n_inconsistent"] == "0"


@pytest.mark.parametrize("prec,extra_m", [("1", 0.0), ("2", 25_000.0), ("3", 50_000.0), ("4", 150_000.0)])
def test_precision_codes_widen_each_location(batch_run, prec, extra_m):
    _summary, rows, _out = batch_run
    for r in rows.values():
        if r["where_prec"] != prec or not r["where_description"].strip():
            continue
        loc = json.loads(r["evidence"])["locations"][0]
        decimals = max(len(v.split(".")[1]) if "." in v else 0 for v in (r["latitude"], r["longitude"]))
        assert loc["precision_m"] == pytest.approx(extra_m + 0.5 * 111_320 * 10**-decimals, abs=1e-3)


def test_near_birao(batch_run):
    """'near Birao', where_prec 2: 16.34 km from Birao; near a place of < 10,000 people is 10 km,
    plus the 25 km of where_prec 2."""
    _summary, rows, _out = batch_run
    r = rows["334123"]
    d, _az = geodesic(BIRAO, float(r["latitude"]), float(r["longitude"]))
    assert d == pytest.approx(16.335, abs=0.001)
    assert r["verdict"] == "consistent"
    (claim,) = claims_of(r)
    assert claim["kind"] == "near" and claim["evidence"]["reference_id"] == f"geonames:{BIRAO[0]}"
    assert claim["evidence"]["distance_km"] == pytest.approx(d, abs=0.01)
    assert claim["evidence"]["threshold_km"] == pytest.approx(10 + 25, abs=0.01)


def test_25_km_east_of_paoua(batch_run):
    """'Begatara (25 km east of Paoua)': 20.17 km at 66.5° from Paoua: inside the east sector (90° ± 45°),
    and |20.17 - 25| ≤ 20 % of 25 km + Paoua's urban radius (2.76 km)."""
    _summary, rows, _out = batch_run
    r = rows["274419"]
    d, az = geodesic(PAOUA, float(r["latitude"]), float(r["longitude"]))
    assert (round(d, 2), round(az, 1)) == (20.17, 66.5)
    claim = next(c for c in claims_of(r) if c["kind"] == "distance")
    assert claim["verdict"] == "consistent"
    assert claim["evidence"]["distance_km"] == pytest.approx(d, abs=0.01)
    assert claim["evidence"]["bearing_deg"] == pytest.approx(az, abs=0.1)
    assert claim["evidence"]["tolerance_km"] == pytest.approx(5 + urban_radius_km(PAOUA[3]), abs=0.01)


def test_about_600_km_northeast_of_bangui(batch_run):
    """'Bria, about 600 km (360 miles) northeast of the capital Bangui': Bria is 450.3 km from Bangui
    at 57.5°; "about" allows 30 % (180 km) + Bangui's urban radius (11.4 km)."""
    _summary, rows, _out = batch_run
    r = rows["45230"]
    d, az = geodesic(BANGUI, float(r["latitude"]), float(r["longitude"]))
    assert (round(d, 1), round(az, 1)) == (450.3, 57.5)
    claim = next(c for c in claims_of(r) if c["kind"] == "distance")
    assert claim["verdict"] == "consistent"
    assert claim["evidence"]["distance_km"] == pytest.approx(d, abs=0.01)
    assert claim["evidence"]["tolerance_km"] == pytest.approx(180 + urban_radius_km(BANGUI[3]), abs=0.01)


def test_boda_town(batch_run):
    """'Boda town', where_prec 1: 0.40 km from Boda; at a place: its urban radius + 3 km."""
    _summary, rows, _out = batch_run
    r = rows["150834"]
    d, _az = geodesic(BODA, float(r["latitude"]), float(r["longitude"]))
    assert d == pytest.approx(0.40, abs=0.005)
    assert r["verdict"] == "consistent"
    (claim,) = claims_of(r)
    assert claim["evidence"]["distance_km"] == pytest.approx(d, abs=0.01)
    assert claim["evidence"]["threshold_km"] == pytest.approx(urban_radius_km(BODA[3]) + 3, abs=0.01)


def test_25_km_from_obo(batch_run):
    """'village Ligoa, located 25 kilometers from the town of Obo': 23.15 km, within 5 km + 1.51 km."""
    _summary, rows, _out = batch_run
    r = rows["207963"]
    d, _az = geodesic(OBO, float(r["latitude"]), float(r["longitude"]))
    assert d == pytest.approx(23.145, abs=0.001)
    claim = next(c for c in claims_of(r) if c["kind"] == "distance")
    assert claim["verdict"] == "consistent"
    assert claim["evidence"]["distance_km"] == pytest.approx(d, abs=0.01)


def test_country_restriction_keeps_towns_and_villages_in_the_country(batch_run, tmp_path):
    """--country-column country: every town, village or site a claim was measured against is in
    the Central African Republic (countries, regions and borders may lie anywhere); no row turns
    inconsistent that was not already, and vague rows stay unverifiable."""
    summary, rows, _out = batch_run
    out = tmp_path / "cf.csv"
    spec = RowSpec(**{**SPEC.to_dict(), "country_column": "country"})
    restricted = run_batch(SAMPLE, out, spec, workers=1, chunk_size=25, progress=False)
    with open(out, newline="", encoding="utf-8") as fh:
        cf_rows = {r["id"]: r for r in csv.DictReader(fh)}
    measured = 0
    allowed = 0  # rows the unrestricted run could not place (namesakes abroad) that now measure to a match
    for r in cf_rows.values():
        for claim in claims_of(r):
            for cand in claim["evidence"].get("candidates", []):
                if cand["id"].startswith(("geonames:", "site:")):
                    assert cand["country"] == "CF", (r["id"], claim["text"], cand)
                    measured += 1
        if int(r["where_prec"]) >= 5:
            assert r["verdict"] == "unverifiable"
        if r["verdict"] == "inconsistent":
            # the unrestricted run found it inconsistent too, or could not place a village
            # that only has namesakes abroad (the restricted run then measures to a local match)
            before = rows[r["id"]]
            assert before["verdict"] == "inconsistent" or any(
                "namesakes abroad" in (c["evidence"].get("reason") or "") for c in claims_of(before)
            ), r["id"]
            allowed += before["verdict"] != "inconsistent"
    assert measured > 30  # towns known only by their sub-prefecture or airstrip measure against those
    assert restricted.verdicts["inconsistent"] <= summary.verdicts["inconsistent"] + allowed
    # the whole file's country column names the Central African Republic
    with pytest.raises(Exception, match="--country: 'Atlantis' is not a country the gazetteer knows"):
        run_batch(
            SAMPLE, tmp_path / "x.csv", RowSpec(**{**SPEC.to_dict(), "country": "Atlantis"}), workers=1, progress=False
        )


def test_an_event_without_description_is_unverifiable(batch_run):
    _summary, rows, _out = batch_run
    r = rows["241839"]
    assert r["where_description"] == "" and r["verdict"] == "unverifiable"
    assert r["reason"] == "no text in column 'where_description'"


def _cli(out: Path, workers: int):
    import subprocess
    import sys

    geoverify = shutil.which("geoverify", path=str(Path(sys.executable).parent))
    # One hash seed for every process: the gazetteer's typo search breaks score ties in set order,
    # which Python randomises per process (reported); the batch machinery itself adds no variation.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [
            geoverify,
            "batch",
            str(SAMPLE),
            "-o",
            str(out),
            "--text-column",
            "where_description",
            "--lat-column",
            "latitude",
            "--lon-column",
            "longitude",
            "--precision-column",
            "where_prec",
            "--precision-scheme",
            "ucdp",
            "--format",
            "json",
            "-j",
            str(workers),
            "--chunk-size",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_the_command_line_with_one_and_two_workers(batch_run, tmp_path):
    summary, _rows, out = batch_run
    one, two = _cli(tmp_path / "one.csv", 1), _cli(tmp_path / "two.csv", 2)
    for proc in (one, two):
        assert proc.returncode == summary.exit_status, proc.stderr
        assert proc.stderr == ""  # quiet in a pipeline
    printed = [json.loads(p.stdout) for p in (one, two)]
    assert printed[0]["workers"] == 1 and printed[1]["workers"] == 2
    assert printed[1]["executor"] == "processes" and 1 <= len(printed[1]["peak_rss_mb_per_worker"]) <= 2
    assert printed[0]["verdicts"] == printed[1]["verdicts"]
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    with open(out, newline="", encoding="utf-8") as fh:
        expected = [(r["id"], r["verdict"]) for r in csv.DictReader(fh)]
    with open(tmp_path / "two.csv", newline="", encoding="utf-8") as fh:
        assert [(r["id"], r["verdict"]) for r in csv.DictReader(fh)] == expected
