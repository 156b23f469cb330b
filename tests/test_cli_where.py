"""``geoverify where`` on the command line (point from GeoConfirmed's Sergeevka geolocation, 44.326859,
131.668647, fixtures/articles/001_a1998207a4a2e502.txt; expected values as in test_where.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geoverify.cli import cli
from geoverify.cli.where import read_point
from geoverify.errors import ParseError

pytestmark = pytest.mark.usefixtures("index_available")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_json_contract():
    result = run("where", "44.326859,131.668647", "--format", "json")
    assert result.exit_code == 0, result.output
    w = json.loads(result.stdout)
    assert w["country"]["iso"] == "RU" and w["admin1"]["iso"] == "RU-PRI"
    assert "region:ru-far-east" in {r["id"] for r in w["region"]}
    assert len(w["nearest_places"]) == 5 and "distance_km" in w["nearest_places"][0]
    assert w["borders"][0]["countries"] == ["CN", "RU"]
    assert w["borders"][0]["distance_km"] == pytest.approx(35.1, abs=1.0)
    assert w["input"]["kind"] == "decimal"


@pytest.mark.parametrize(
    "args",
    [
        ("44.326859", "131.668647"),
        ("44.326859 131.668647",),
        ("44.326859, 131.668647",),
        ("44°19'36.7\"N 131°40'07.1\"E",),
    ],
)
def test_notations(args):
    result = run("where", *args, "--format", "json", "--places", "0", "--borders", "1")
    assert result.exit_code == 0, result.output
    w = json.loads(result.stdout)
    assert w["admin1"]["iso"] == "RU-PRI"
    assert w["nearest_places"] == [] and len(w["borders"]) == 1


def test_counts_options():
    w = json.loads(run("where", "49.9935,36.2304", "-f", "json", "--borders", "5", "--places", "2").stdout)
    assert len(w["borders"]) == 5 and len(w["nearest_places"]) == 2
    assert w["borders"][0]["countries"] == ["RU", "UA"]


def test_geojson():
    result = run("where", "44.326859,131.668647", "--format", "geojson")
    assert result.exit_code == 0, result.output
    fc = json.loads(result.stdout)
    assert fc["type"] == "FeatureCollection"
    assert fc["features"][0]["geometry"]["coordinates"] == [131.668647, 44.326859]
    assert {f["properties"]["role"] for f in fc["features"]} == {"point", "place", "border"}


def test_table():
    result = run("where", "44.326859,131.668647", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "Primorsky Krai (RU-PRI)" in result.stdout and "Far Eastern Federal District" in result.stdout


@pytest.mark.parametrize(
    "text,message",
    [
        ("95,190", "95, 190 are out of range"),
        ("10,190", "10, 190 are out of range"),
        ("44°75'N 131°E", "minutes 75 must be below 60"),
        ("44.3N 131.6S", "both values are latitudes"),
        ("nowhere", "not a location"),
        ("44.326859, 131.668647 and 55.7539, 37.6208", "2 locations"),
    ],
)
def test_bad_input_is_one_line_exit_2(text, message):
    proc = subprocess.run(
        [sys.executable, "-m", "geoverify", "where", text], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoverify: error:") and message in lines[0]


def test_read_point():
    assert read_point("-33.5, 151.2")[:2] == (-33.5, 151.2)
    # 95 cannot be a latitude: read longitude first (GeoJSON order), with a warning, as the
    # extractor reads it in text
    lat, lon, how = read_point("95,10")
    assert (lat, lon) == (10.0, 95.0) and "read longitude first" in how["warnings"][0]
    # any notation, the same parser as --at: 40°07'22.8"N 74°07'22.8"W
    lat, lon, how = read_point("40 7 22.8, -74 7 22.8")
    assert (round(lat, 6), round(lon, 6)) == (40.123, -74.123)
    assert how["alternatives"][0]["lat"] == -74.123  # both within ±90: the other order too
    with pytest.raises(ParseError):
        read_point("")
