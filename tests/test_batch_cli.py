"""``geoverify batch``: options, summary on stdout, exit status, errors as one line.

The verifier is replaced by the fake of test_batch_runner (in this process, ``-j 1``),
so these tests check the command line layer; tests/test_batch_ucdp.py runs the real one.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_batch_runner import SWITCH, fake_verify, read_csv, write_rows

from geoverify.cli import cli


@pytest.fixture
def fake(monkeypatch):
    import geoverify.batch.rows as rows
    import geoverify.batch.runner as runner

    monkeypatch.setattr(rows, "default_verify", lambda: fake_verify)
    monkeypatch.setattr(runner, "warm_up", lambda: None)


def invoke(*args):
    runner = CliRunner()
    try:
        return runner.invoke(cli, list(map(str, args)), catch_exceptions=False)
    except SystemExit as exc:  # LazyGroup.main exits; CliRunner reports it
        raise AssertionError(exc) from exc


def batch(tmp_path, *extra, inp=None, out="out.csv"):
    inp = inp or write_rows(tmp_path / "events.csv", n=20)
    return invoke(
        "batch",
        inp,
        "-o",
        tmp_path / out,
        "-t",
        "description",
        "--lat-column",
        "latitude",
        "--lon-column",
        "longitude",
        "-j",
        "1",
        "--chunk-size",
        "5",
        *extra,
    )


def test_summary_as_json_and_exit_status_1_when_a_row_is_inconsistent(tmp_path, fake):
    result = batch(tmp_path, "--format", "json")
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 20
    assert summary["verdicts"] == {"consistent": 8, "inconsistent": 4, "unverifiable": 8}
    assert summary["claims"] == {"consistent": 16, "inconsistent": 4, "unverifiable": 4}
    assert {r["reason"]: r["count"] for r in summary["top_reasons"]} == {
        "inconsistent near: near a place of N people": 4,
        "unverifiable near: '…' not found in the gazetteer": 4,
        "no location claim found in the text": 4,
    }
    assert summary["executor"] == "inline" and summary["workers"] == 1
    rows = read_csv(tmp_path / "out.csv")
    assert [r["verdict"] for r in rows[:5]] == [
        "consistent",
        "inconsistent",
        "unverifiable",
        "consistent",
        "unverifiable",
    ]


def test_exit_status_0_without_inconsistent_rows_and_text_summary(tmp_path, fake):
    inp = tmp_path / "ok.csv"
    inp.write_text("description,latitude,longitude\nrow 0 ok,4.1,18.2\nrow 1 huh,4.1,18.2\n", encoding="utf-8")
    result = batch(tmp_path, "--format", "text", inp=inp)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "rows:   1 consistent, 0 inconsistent, 1 unverifiable"
    assert lines[2] == "claims: 1 consistent, 0 inconsistent, 1 unverifiable"
    assert "1  unverifiable near: '…' not found in the gazetteer  (first: data row 2: 'huh')" in result.stdout


def test_quiet_in_a_pipeline(tmp_path, fake):
    result = batch(tmp_path, "--format", "json")
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_ucdp_scheme_from_the_command_line(tmp_path, fake):
    inp = tmp_path / "u.csv"
    inp.write_text(
        "description,latitude,longitude,where_prec\nrow 0 ok,4.1,18.2,2\nrow 1 ok,7,21,6\n", encoding="utf-8"
    )
    result = batch(tmp_path, "--precision-column", "where_prec", "--precision-scheme", "ucdp", "-f", "json", inp=inp)
    rows = read_csv(tmp_path / "out.csv")
    assert [r["verdict"] for r in rows] == ["consistent", "unverifiable"]
    assert rows[1]["reason"] == "location too vague (where_prec 6)"
    assert json.loads(rows[0]["evidence"])["locations"][0]["precision_m"] == pytest.approx(25_000 + 5566.0)
    assert json.loads(result.stdout)["top_reasons"][0] == {
        "reason": "location too vague (where_prec 6)",
        "count": 1,
        "first_row": 2,
        "first_text": None,
    }


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["-t", "nope"],
            "geoverify: error: {inp}: no column 'nope' (columns: 'id', 'description', 'latitude', 'longitude', 'note')",
        ),
        (
            ["-t", "description", "--lat-column", "latitude"],
            "geoverify: error: give both --lat-column and --lon-column, or neither",
        ),
        (
            ["-t", "description", "--precision-column", "id"],
            "geoverify: error: --precision-column needs --precision-scheme (ucdp, m or km)",
        ),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(tmp_path, fake, args, message):
    inp = write_rows(tmp_path / "events.csv", n=3)
    result = invoke("batch", inp, "-o", tmp_path / "o.csv", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message.format(inp=inp)
    assert not (tmp_path / "o.csv").exists()


def test_interrupted_run_says_how_to_resume_then_resumes(tmp_path, fake):
    inp = write_rows(tmp_path / "events.csv", n=20)
    SWITCH.write_text('{"interrupt_at": "12"}')
    try:
        result = batch(tmp_path, "-f", "json", inp=inp)
    finally:
        SWITCH.unlink(missing_ok=True)
    assert result.exit_code == 2
    assert result.stderr.startswith("geoverify: error: interrupted: 2 of 4 chunks (10 of 20 rows) are committed")
    assert result.stderr.rstrip().endswith("run the same command again to resume")
    result = batch(tmp_path, "-f", "json", inp=inp)
    summary = json.loads(result.stdout)
    assert (summary["resumed_rows"], summary["computed_rows"], summary["rows"]) == (10, 10, 20)
    # other options on the same output: refused with what changed, until --restart
    result = batch(tmp_path, "--tolerance-km", "2", inp=inp, out="other.csv")
    assert result.exit_code == 1
    SWITCH.write_text('{"interrupt_at": "12"}')
    try:
        batch(tmp_path, inp=inp, out="third.csv")
    finally:
        SWITCH.unlink(missing_ok=True)
    result = batch(tmp_path, "--tolerance-km", "2", inp=inp, out="third.csv")
    assert result.exit_code == 2
    assert "tolerance_km 0.0 → 2.0" in result.stderr and "--restart" in result.stderr
    result = batch(tmp_path, "--tolerance-km", "2", "--restart", "-f", "json", inp=inp, out="third.csv")
    assert result.exit_code == 1 and json.loads(result.stdout)["resumed_rows"] == 0


def test_help_lists_the_options():
    result = invoke("batch", "--help")
    for option in (
        "--text-column",
        "--lat-column",
        "--location-column",
        "--precision-scheme",
        "--workers",
        "--chunk-size",
        "--restart",
        "--scheduler",
        "--tolerance-km",
    ):
        assert option in result.output


@pytest.mark.parametrize("where", ["before", "after"])
def test_q_and_v_are_accepted_before_or_after_batch(tmp_path, fake, where):
    """``batch ... -q`` was refused ("No such option '-q'") though the README promises -v/-q on every command."""
    inp = write_rows(tmp_path / "events.csv", n=5)
    args = [
        "batch",
        inp,
        "-o",
        tmp_path / "o.csv",
        "-t",
        "description",
        "--lat-column",
        "latitude",
        "--lon-column",
        "longitude",
        "-j",
        "1",
        "-f",
        "json",
    ]
    for flag in ("-q", "-v"):
        result = invoke(*([flag] + args if where == "before" else args + [flag]))
        assert result.exit_code == 1, result.output
        assert json.loads(result.stdout)["rows"] == 5
