"""``geoverify resolve`` and ``geoverify data info`` on the command line.

Known answers as in test_gazetteer_resolve.py (GeoNames 2020626/2016961, the
Sergeevka training ground at 44.326859, 131.668647 quoted from GeoConfirmed).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geoverify.cli import cli

REQUIRED = {
    "name",
    "lat",
    "lon",
    "country",
    "admin1",
    "feature",
    "population",
    "geonameid",
    "score",
    "id",
    "kind",
    "matched",
    "source",
}


pytestmark = pytest.mark.usefixtures("index_available")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_json_is_an_array_of_candidates_best_first():
    result = run("resolve", "Sergeevka, Primorsky Krai", "--near", "44.32,131.67", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 3
    assert all(REQUIRED <= set(r) for r in rows)
    assert [r["id"] for r in rows] == ["geonames:2020626", "site:sergeevka-training-ground", "geonames:2016961"]
    assert rows[0]["geonameid"] == 2020626 and (rows[0]["lat"], rows[0]["lon"]) == (44.33749, 131.66142)
    assert rows[1]["lat"] == 44.326859 and rows[1]["geonameid"] is None and rows[1]["kind"] == "site"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(0 < r["score"] <= 1 for r in rows)


def test_multiword_name_without_quotes_and_limit():
    result = run("resolve", "Kursk", "Oblast", "--limit", "1", "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["admin1:RU-KRS"]


def test_country_option():
    rows = json.loads(run("resolve", "Sergeevka", "--country", "UA", "-n", "50", "-f", "json").stdout)
    assert rows and {r["country"] for r in rows} == {"UA"}
    bad = run("resolve", "Sergeevka", "--country", "Narnia", "-f", "json")
    assert bad.exit_code == 2 and "unknown country 'Narnia'" in bad.stderr


def test_unknown_name_json_is_empty_array_exit_0():
    result = run("resolve", "Qwxzvbnmk", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_unknown_name_table_says_no_match_on_stderr():
    result = run("resolve", "Qwxzvbnmk", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr.strip() == "no match for 'Qwxzvbnmk'"


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_exit_2(name):
    result = run("resolve", name, "--format", "json")
    assert result.exit_code == 2 and result.stderr.startswith("geoverify: error:")


def test_bad_near_is_exit_2():
    result = run("resolve", "Sergeevka", "--near", "95,131", "--format", "json")
    assert result.exit_code == 2 and "95, 131 are out of range" in result.stderr


def test_bad_sites_file_is_exit_2_naming_file_and_field(tmp_path):
    p = tmp_path / "mine.json"
    p.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "id": "x",
                        "name": "X",
                        "lat": 1,
                        "lon": 200,
                        "feature": "S.CMP",
                        "country": "RU",
                        "source": {"citation": "c", "url": "urn:x", "accessed": "2024-01-01"},
                    }
                ]
            }
        )
    )
    result = run("resolve", "Sergeevka", "--sites", str(p), "--format", "json")
    assert result.exit_code == 2
    assert "mine.json: sites[0].lon: 200 is greater than the maximum of 180" in result.stderr


def test_sites_option_adds_a_site(tmp_path):
    p = tmp_path / "mine.json"
    p.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "id": "checkpoint-testovo",
                        "name": "Testovo checkpoint",
                        "lat": 50.5,
                        "lon": 36.5,
                        "feature": "S.PSTB",
                        "country": "RU",
                        "source": {"citation": "test", "url": "urn:test", "accessed": "2024-01-01"},
                    }
                ]
            }
        )
    )
    rows = json.loads(run("resolve", "Testovo checkpoint", "--sites", str(p), "-f", "json").stdout)
    assert rows[0]["id"] == "site:checkpoint-testovo" and rows[0]["feature"] == "S.PSTB"


def test_csv_output():
    result = run("resolve", "Kharkov", "--format", "csv", "-n", "2")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["geonameid"] == "706483" and rows[0]["name"] == "Kharkiv" and rows[0]["matched"] == "Khar'kov"


def test_table_output(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps to the terminal width
    result = run("resolve", "Kyiv", "--format", "table", "-n", "1")
    assert result.exit_code == 0 and "geonames:703448" in result.stdout


def test_data_info_json():
    data = json.loads(run("data", "info", "--format", "json").stdout)
    assert data["status"] == "ok"
    assert data["schema_version"] == str(data["schema_version_expected"])
    assert data["counts"]["places.country"] >= 193 and data["counts"]["places.place"] > 200_000
    assert any("GeoNames cities500" in s.get("citation", "") for s in data["sources"])


def test_cold_process_resolve():
    # the installed console script, in a fresh process
    out = subprocess.run(
        [sys.executable, "-m", "geoverify", "resolve", "Sergeevka", "--format", "json", "-n", "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 3 and all(r["name"] in ("Sergeyevka", "Serhiyivka", "Serhiivka") for r in rows)
