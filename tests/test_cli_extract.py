"""``geoverify extract``: every output format, and bad input ending in one error line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoverify.cli import cli
from geoverify.notation import extract

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "001_a1998207a4a2e502.txt"
TEXT = "Seen at 44.326859, 131.668647 and 18.24S 22.45E, then 8MG9+PFR Sergeevka, Primorsky Krai.\n"


def run(*args, input=None):
    runner = CliRunner(env={"COLUMNS": "160"})  # a wide terminal for the rich table
    result = runner.invoke(cli, ["extract", *args], input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_is_the_array_of_location_records():
    out = json.loads(run("-", "--format", "json", input=TEXT))
    assert out == [loc.to_dict() for loc in extract(TEXT)]
    assert [r["kind"] for r in out] == ["decimal", "decimal", "pluscode-short"]
    first = out[0]
    assert (first["lat"], first["lon"], first["text"]) == (44.326859, 131.668647, "44.326859, 131.668647")
    assert TEXT[first["start"] : first["end"]] == first["text"]
    assert out[1]["alternatives"] and out[1]["warnings"]
    assert out[2]["locality"] == "Sergeevka, Primorsky Krai" and out[2]["lat"] is None


def test_json_is_the_default_when_not_a_terminal():
    assert json.loads(run("-", input=TEXT)) == json.loads(run("-", "-f", "json", input=TEXT))


def test_file_argument():
    out = json.loads(run(str(ARTICLE), "--format", "json"))
    assert [(r["kind"], r["text"]) for r in out] == [
        ("decimal", "44.326859, 131.668647"),
        ("pluscode-short", "8MG9+PFR"),
    ]


def test_geojson_feature_collection():
    out = json.loads(run("-", "--format", "geojson", input=TEXT))
    assert out["type"] == "FeatureCollection"
    first, second, short = out["features"]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [131.668647, 44.326859]}
    assert second["geometry"]["coordinates"] == [22.45, -18.24]  # lon, lat (RFC 7946)
    assert first["properties"]["kind"] == "decimal"
    assert "lat" not in first["properties"]
    assert short["geometry"] is None
    assert short["properties"]["code"] == "8MG9+PFR"


def test_csv_rows():
    out = run("-", "--format", "csv", input=TEXT)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3
    assert list(rows[0]) == [
        "start",
        "end",
        "kind",
        "lat",
        "lon",
        "precision_m",
        "text",
        "reading",
        "code",
        "locality",
        "alternatives",
        "warnings",
    ]
    assert (rows[0]["kind"], float(rows[0]["lat"]), float(rows[0]["lon"])) == ("decimal", 44.326859, 131.668647)
    alts = json.loads(rows[1]["alternatives"])
    assert alts[0]["lat"] == -18.4 and json.loads(rows[1]["warnings"])
    assert rows[2]["lat"] == "" and rows[2]["locality"] == "Sergeevka, Primorsky Krai"


def test_table():
    out = run("-", "--format", "table", input=TEXT)
    assert "3 locations" in out
    assert "44.326859, 131.668647" in out and "pluscode-short" in out
    assert "or -18.400000, 22.750000" in out and "locality: Sergeevka" in out


def test_table_fits_80_columns_without_cutting_numbers():
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["extract", "-", "-f", "table"], input=TEXT)
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "44.326859, 131.668647" in result.stdout and "…" not in result.stdout


def test_empty_input_gives_an_empty_array():
    assert json.loads(run("-", "-f", "json", input="no coordinates here")) == []
    assert json.loads(run("-", "-f", "geojson", input=""))["features"] == []


def _console() -> list[str]:
    script = Path(sys.executable).with_name("geoverify")
    return [str(script)] if script.exists() else [sys.executable, "-m", "geoverify"]


def _fails(args, stdin: bytes = b""):
    proc = subprocess.run(_console() + ["extract", *args], input=stdin, capture_output=True, timeout=60)
    err = proc.stderr.decode("utf-8").splitlines()
    assert proc.returncode == 2, (proc.returncode, err)
    assert proc.stdout == b""
    assert len(err) == 1 and err[0].startswith("geoverify: error: "), err
    return err[0]


def test_missing_file(tmp_path):
    line = _fails([str(tmp_path / "nope.txt")])
    assert "no such file" in line


def test_directory(tmp_path):
    assert "directory" in _fails([str(tmp_path)])


def test_binary_input(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"44.326859, 131.668647\x00\x01\x02")
    assert "NUL" in _fails([str(path)])
    assert "NUL" in _fails(["-"], stdin=b"abc\x00def")


def test_invalid_utf8(tmp_path):
    """Bytes that are not UTF-8 are either refused (one error line, exit 2) or, where the
    shared input reader documents it, replaced with one warning per run of bad bytes
    naming the byte offset — never a traceback, never silently."""
    from geoverify.cli import options

    path = tmp_path / "latin1.txt"
    path.write_bytes("44.326859° N, 131.668647° E".encode("latin-1"))  # ° is 0xb0
    if "replaced" not in (options.read_text.__doc__ or ""):
        assert "UTF-8" in _fails([str(path)])
        return
    proc = subprocess.run(_console() + ["extract", str(path), "-f", "json"], capture_output=True, timeout=60)
    assert proc.returncode == 0
    err = proc.stderr.decode().splitlines()
    assert len(err) == 2 and all("UTF-8" in line and "byte" in line for line in err), err
    assert "byte 9 " in err[0] and "byte 24 " in err[1]
    out = json.loads(proc.stdout)
    assert out == []  # with the degree signs replaced the pair is not a coordinate


def test_bad_format_option():
    assert "format" in _fails(["-", "--format", "kml"]).lower()


def test_diagnostics_go_to_stderr_as_warnings():
    proc = subprocess.run(
        _console() + ["extract", "-", "-f", "json"],
        input=b"x\n95.5, 200.1\n44.326859, 131.668647\n",
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert [r["text"] for r in json.loads(proc.stdout)] == ["44.326859, 131.668647"]
    err = proc.stderr.decode().splitlines()
    assert len(err) == 1 and err[0].startswith("geoverify: ") and "95.5, 200.1" in err[0]
    assert "warning" in err[0].lower()


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv", "table"])
def test_console_script_each_format(fmt):
    proc = subprocess.run(
        _console() + ["extract", "-", "--format", fmt],
        input=b"44.326859, 131.668647\n",
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stderr == b""
    assert "131.668647" in proc.stdout.decode()
