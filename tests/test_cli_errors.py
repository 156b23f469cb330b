"""Every error path of the command line ends in one line ``geoverify: error: ...`` and exit 2.

The commands are found by walking the click group (a new command is covered without
editing this file); for each, bad arguments are generated from its parameters (an unknown
option, a value outside every ``Choice``, a non-number for every numeric option, a number
outside every range, the required parameters left out), and a table adds the bad inputs
that pass parsing (missing files, binary files, bad LAT,LON, unknown names). ``-v`` adds
detail (the traceback) before the same last line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geoverify.cli import cli

ROOT = Path(__file__).resolve().parents[1]
UCDP = ROOT / "tests" / "data" / "ucdp_ged_car_sample.csv"
ARTICLE = next((ROOT / "fixtures" / "articles").glob("001_*.txt"))


def leaf_commands() -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}

    def walk(group, prefix):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if isinstance(cmd, click.Group):
                walk(cmd, prefix + [name])
            else:
                out[" ".join(prefix + [name])] = cmd

    walk(cli, [])
    return out


COMMANDS = leaf_commands()

#: Arguments each command accepts (parsing succeeds), to which one broken option is added.
VALID = {
    "batch": [str(UCDP), "-o", "OUT.csv", "-t", "where_description"],
    "check": ["--at", "44.3,131.6", "--claim", "Sergeevka"],
    "data build": ["--sources", "NOWHERE"],
    "data fetch": ["--sources", "NOWHERE"],
    "data import": [str(UCDP)],
    "data info": [],
    "extract": ["-"],
    "fixtures list": [],
    "fixtures show": ["sergeevka-geoconfirmed"],
    "fixtures validate": [],
    "parse": ["44.3,131.6"],
    "resolve": ["Sergeevka"],
    "verify": ["-"],
    "where": ["44.3,131.6"],
}


def _is_number(t) -> bool:
    return isinstance(t, (click.types.IntParamType, click.types.FloatParamType))


def generated_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for name, cmd in COMMANDS.items():
        base = name.split() + VALID.get(name, [])
        cases.append((name, base + ["--no-such-option"]))
        for p in cmd.params:
            if not isinstance(p, click.Option) or p.is_flag or p.count:  # -v/-q take no value
                continue
            opt = max(p.opts, key=len)
            if isinstance(p.type, click.Choice):
                cases.append((name, base + [opt, "no-such-choice"]))
            if _is_number(p.type):
                cases.append((name, base + [opt, "twelve"]))
                lo = getattr(p.type, "min", None)
                hi = getattr(p.type, "max", None)
                if lo is not None:
                    cases.append((name, base + [opt, str(lo - 1)]))
                if hi is not None:
                    cases.append((name, base + [opt, str(hi + 1)]))
            cases.append((name, base + [opt]))  # the option without its value
        if any(p.required for p in cmd.params):
            cases.append((name, name.split()))  # required parameters left out
    return cases


def test_every_command_has_valid_arguments_listed():
    assert sorted(COMMANDS) == sorted(VALID), "add the new command to VALID"


def _run(args, input=b""):
    return CliRunner().invoke(cli, args, input=input)


def assert_one_error_line(result, args, contains: str | None = None) -> str:
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, (args, result.exit_code, result.stderr, result.stdout[:300])
    assert len(lines) == 1, (args, lines)
    assert lines[0].startswith("geoverify: error: "), (args, lines)
    assert result.stdout == "", (args, result.stdout[:300])
    if contains:
        assert contains in lines[0], (args, lines[0])
    return lines[0]


@pytest.mark.parametrize("name,args", generated_cases(), ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_bad_arguments_give_one_error_line(name, args):
    assert_one_error_line(_run(args), args)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (d / "notes.txt").write_text("just\tthree\tcolumns\n")
    (d / "case.json").write_text("{not json")
    return d


def semantic_cases(d: Path) -> list[tuple[list[str], str]]:
    """(arguments, text the error line must contain): inputs that parse but are wrong."""
    return [
        (["extract", str(d / "missing.txt")], "missing.txt: no such file"),
        (["extract", str(d)], "is a directory"),
        (["extract", str(d / "binary.bin")], "binary data (NUL byte at offset 8)"),
        (["verify", str(d / "missing.txt")], "missing.txt: no such file"),
        (["verify", str(d / "binary.bin")], "binary data"),
        (["verify", str(ARTICLE), "--at", "95.5, 200.1"], "95.5"),
        (["verify", "-", "--at", "somewhere nice"], "not a location"),
        (["check", "--at", "abc", "--claim", "Sergeevka"], "not a location"),
        (["check", "--at", "44.3,131.6", "--claim", ""], "empty claim"),
        (["resolve", ""], "empty"),
        (["resolve", "Sergeevka", "--near", "95,200"], "95, 200 are out of range"),
        (["resolve", "Sergeevka", "--near", "north"], "not a location"),
        (["resolve", "Sergeevka", "--near", "44.3"], "only one number"),
        (["resolve", "Sergeevka", "--sites", str(d / "nosites.json")], "nosites.json"),
        (["where", "95,200"], "out of range"),
        (["where", "44.3"], "only one number"),
        (["where", "nowhere"], "not a location"),
        (["parse", "44°75'N 131°E"], "minutes 75 must be below 60"),
        (["parse", "44.3N", "131.6S"], "both values are latitudes"),
        (["data", "import", str(d / "missing.zip")], "missing.zip"),
        (["data", "import", str(d / "notes.txt")], "found 3 columns on line 1"),
        (["data", "build", "--sources", str(d / "binary.bin")], "is a file"),
        (["data", "fetch", "--sources", str(d / "binary.bin")], "is a file"),
        (["fixtures", "show", "no-such-case", "--dir", str(ROOT / "fixtures" / "cases")], "no-such-case"),
        (["fixtures", "list", str(d / "missing-dir")], "missing-dir"),
        (["fixtures", "validate", str(d / "missing.json")], "missing.json"),
        (["batch", str(d / "missing.csv"), "-o", str(d / "o.csv"), "-t", "x"], "missing.csv: no such file"),
        (["batch", str(UCDP), "-o", str(d / "o.xyz"), "-t", "where_description"], "o.xyz"),
        (["batch", str(UCDP), "-o", str(d / "o.csv"), "-t", "no_such_column"], "no_such_column"),
    ]


def test_inputs_that_parse_but_are_wrong_give_one_error_line(index_available, files, tmp_path, monkeypatch):
    cases = semantic_cases(files)
    assert {a[0] if a[0] not in ("data", "fixtures") else " ".join(a[:2]) for a, _ in cases} == set(COMMANDS) - {
        "data info"
    }, "every command (but data info, which takes no input) has a case"
    for args, contains in cases:
        with monkeypatch.context() as m:
            if args[0] == "data":  # never near the real index
                m.setenv("GEOVERIFY_DATA_DIR", str(tmp_path / "data"))
            assert_one_error_line(_run(args), args, contains)


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "MISSING"],
        ["verify", "-", "--at", "95.5, 200.1"],
        ["data", "import", "NOTES"],
    ],
)
def test_verbose_adds_detail_before_the_same_error_line(files, args, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(tmp_path / "data"))
    args = [
        str(files / "missing.txt") if a == "MISSING" else str(files / "notes.txt") if a == "NOTES" else a for a in args
    ]
    quiet = assert_one_error_line(_run(args), args)
    loud = _run(["-v", *args])
    lines = loud.stderr.splitlines()
    assert loud.exit_code == 2 and lines[-1] == quiet
    assert len(lines) > 3 and any(line.startswith("Traceback") for line in lines)


def test_the_console_script_prints_one_line_too(files):
    exe = [sys.executable, "-m", "geoverify"]
    for args in (["extract", str(files / "binary.bin")], ["nosuchcommand"], ["where", "--borders", "x", "1,2"]):
        proc = subprocess.run(exe + args, capture_output=True, timeout=60)
        lines = proc.stderr.decode().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("geoverify: error: "), (args, lines)


def test_streamed_json_without_an_index_is_one_error_line_and_no_json(tmp_path, monkeypatch):
    # a pip user's first `geoverify verify` in a pipe: no half-written JSON before the error
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-cache"))
    caption = tmp_path / "caption.txt"
    caption.write_text("Filmed in Myla, Kyiv Oblast, Ukraine. 50.4172, 30.1856\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geoverify", "verify", str(caption), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("geoverify: error: gazetteer index not found at ")
    assert "geoverify data build" in proc.stderr
