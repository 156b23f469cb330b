"""The shared options (geoverify/cli/options.py) read the same way on every command (issues 14, 15).

Known answers: the plus code 8GWWH2W2+4F is decoded independently with the openlocationcode
package (its cell centre); Bakhmut is GeoNames 713174.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from geoverify.cli import cli

CODE_TEXT = "Drone strike at H2W2+4F Bakhmut, Donetsk Oblast"


def all_commands() -> dict[str, click.Command]:
    out: dict[str, click.Command] = {"": cli}

    def walk(group, prefix):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            out[" ".join(prefix + [name])] = cmd
            if isinstance(cmd, click.Group):
                walk(cmd, prefix + [name])

    walk(cli, [])
    return out


@pytest.mark.parametrize("name,command", sorted(all_commands().items()))
def test_every_command_takes_v_and_q(name, command):
    opts = {o for p in command.params for o in getattr(p, "opts", [])}
    assert {"-v", "--verbose", "-q", "--quiet"} <= opts, name


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_q_after_the_subcommand_is_the_same_as_before_it():
    noisy = run("extract", "-", "-f", "json", input="at 1°2′3″N 200°E here")  # not a location: a warning
    assert noisy.exit_code == 0
    assert noisy.stderr.startswith("geoverify: warning: ")
    for args in (
        ["-q", "extract", "-", "-f", "json"],
        ["extract", "-", "-f", "json", "-q"],
        ["extract", "-q", "-", "-f", "json"],
    ):
        quiet = run(*args, input="at 1°2′3″N 200°E here")
        assert quiet.exit_code == 0, args
        assert quiet.stderr == "", args
        assert quiet.stdout == noisy.stdout


def test_v_after_the_subcommand_adds_the_traceback_of_an_error():
    # (95,10 is read longitude first, as in text: 95,190 is out of range either way)
    plain = subprocess.run([sys.executable, "-m", "geoverify", "where", "95,190"], capture_output=True, text=True)
    verbose = subprocess.run(
        [sys.executable, "-m", "geoverify", "where", "95,190", "-v"], capture_output=True, text=True
    )
    assert plain.returncode == verbose.returncode == 2
    assert plain.stderr.count("\n") == 1
    assert "Traceback" in verbose.stderr
    assert verbose.stderr.splitlines()[-1] == plain.stderr.strip()


def test_verbosity_adds_up_before_and_after():
    from geoverify.cli import level_for

    assert level_for(0) == 30 and level_for(2) == 10 and level_for(-1) == 40 and level_for(9) == 10


def test_extract_numbers_locations_from_0_like_verify():
    text = "44.326859, 131.668647 and later 55.7539, 37.6208"
    out = run("extract", "-", "-f", "table", input=text).stdout
    rows = [
        line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│") and line.split("│")[1].strip()
    ]
    assert rows == ["0", "1"]


@pytest.fixture
def index(index_available):
    return index_available


def test_where_accepts_a_short_plus_code_with_its_locality(index):
    from openlocationcode import openlocationcode as olc

    result = run("where", "H2W2+4F", "Bakhmut", "-f", "json", "--places", "0", "--borders", "0")
    assert result.exit_code == 0, result.output
    w = json.loads(result.stdout)
    area = olc.decode("8GWWH2W2+4F")
    assert (w["lat"], w["lon"]) == pytest.approx((area.latitudeCenter, area.longitudeCenter), abs=1e-6)
    assert w["input"]["kind"] == "pluscode-short"
    assert w["input"]["reference"]["id"] == "geonames:713174"
    assert w["country"]["iso"] == "UA"
    table = run("where", "H2W2+4F Bakhmut", "-f", "table").stdout
    assert "from Bakhmut" in table and "8GWWH2W2+4F" in table


def test_at_and_near_take_any_notation(index):
    result = run("check", "--at", "48°35'43.1\"N 38°00'04.3\"E", "--claim", "Donetsk Oblast", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"][0]["verdict"] == "consistent"
    near = run("resolve", "Sergeevka", "--near", "8QPH8MG9+PFR", "-n", "1", "-f", "json")
    assert near.exit_code == 0, near.output
    assert json.loads(near.stdout)[0]["country"] == "RU"
    bad = run("resolve", "Sergeevka", "--near", "somewhere")
    assert bad.exit_code == 2 and "'--near'" in bad.stderr and bad.stderr.count("\n") == 1


def test_resolve_table_is_readable_at_80_columns(index):
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["resolve", "Sergeevka", "-n", "5", "-f", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout  # nothing cut
    ids = json.loads(run("resolve", "Sergeevka", "-n", "5", "-f", "json").stdout)
    for place in ids:
        assert place["id"] in result.stdout
        assert f"{place['lat']:.5f}" in result.stdout
    wide = CliRunner(env={"COLUMNS": "140"}).invoke(cli, ["resolve", "Sergeevka", "-n", "2", "-f", "table"])
    assert "population" in wide.stdout and "feature" in wide.stdout


def test_verify_table_names_the_reference_of_a_short_code_and_flags_a_circular_claim(index):
    result = CliRunner(env={"COLUMNS": "160"}).invoke(cli, ["verify", "-", "-f", "table"], input=CODE_TEXT)
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    assert "placed from Bakhmut, UA (geonames:713174) as 8GWWH2W2+4F" in out
    # one claim, "Bakhmut, Donetsk Oblast", judged at Bakhmut (the code's own reference: circular);
    # its qualifier is shown under it with its own verdict, and is not circular
    bakhmut = [line for line in out.splitlines() if line.startswith("│ Bakhmut, Donetsk Oblast")]
    assert bakhmut and "(circular)" in out.split("│ Bakhmut", 1)[1].split("├")[0]
    assert "'Bakhmut, Donetsk Oblast': circular against location 0" in " ".join(out.split())
    assert "(circular)" not in out.split("│ ↳ Donetsk Oblast", 1)[1].split("└")[0]
    md = run("verify", "-", "-f", "markdown", input=CODE_TEXT).stdout
    assert "| Bakhmut, Donetsk Oblast | place | **consistent** (circular) |" in md
    assert "| ↳ Donetsk Oblast | within | **consistent** |" in md


def test_warnings_are_capped_per_text_with_a_count(tmp_path):
    """A text full of location-looking numbers printed one warning each (1,978,891 lines for 200 MB)."""
    from geoverify.thresholds import MAX_WARNINGS_PER_TEXT

    path = tmp_path / "noise.txt"
    path.write_text("1°2′3″N 200°E " * (MAX_WARNINGS_PER_TEXT + 150), encoding="utf-8")
    result = run("extract", str(path), "-f", "json")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_WARNINGS_PER_TEXT + 1
    assert (
        lines[-1] == "geoverify: warning: 150 more warnings about location-looking text not shown (-v shows them all)"
    )
    loud = run("extract", str(path), "-f", "json", "-v")
    assert len([ln for ln in loud.stderr.splitlines() if "out of range" in ln]) == MAX_WARNINGS_PER_TEXT + 150


def test_a_long_error_line_is_cut_saying_how_much():
    """`check` with 5,000 unexpected arguments printed a 115 KB error line."""
    from geoverify.thresholds import MAX_ERROR_LINE_CHARS

    words = [f"word{i}" for i in range(5000)]
    result = run("check", "--at", "44.3,131.6", "--claim", "Kyiv", *words)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("geoverify: error: Got unexpected extra arguments (word0 word1")
    assert len(line) <= MAX_ERROR_LINE_CHARS + len("geoverify: error: ")
    assert line.endswith(" more characters not shown)")


def test_sites_must_be_a_regular_file(tmp_path):
    """`--sites` given /dev/zero took 3.8 GB in 3 s."""
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    result = run("resolve", "Sergeevka", "--sites", str(link))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"geoverify: error: Invalid value for '--sites': {link}: not a regular file"
