"""The index is built atomically, by one process at a time, checked at every open, repaired
when broken and moved to a fallback directory when its own is read-only.

A full build reads all of GeoNames cities500 (about 40 s), so these tests swap the names
half for a two-place builder (``tiny_names``: Sergeyevka 2020626 and Vladivostok 2013348
with their GeoNames coordinates) and leave the boundary half out; what is tested -- the
temporary file and rename, the lock, the checksum record, the header check, the repair
and the fallback -- is the same code a full build runs. Nothing here touches the real
index: GEOVERIFY_DATA_DIR, XDG_CACHE_HOME and the temporary directory point into tmp_path.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from geoverify.gazetteer.schema import SCHEMA_VERSION

import pytest

from geoverify.errors import DataError

ROOT = Path(__file__).resolve().parents[1]

TINY = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from geoverify.gazetteer import names as N
    from geoverify.gazetteer.build import index as B

    PLACES = [  # GeoNames: Sergeyevka 2020626, Vladivostok 2013348
        (1, "geonames:2020626", "Sergeyevka", 44.33749, 131.66142, "place", "P.PPL", "RU", 3760, 2020626),
        (2, "geonames:2013348", "Vladivostok", 43.10562, 131.87353, "place", "P.PPLA", "RU", 604901, 2013348),
    ]

    def tiny_names(conn, log):
        signal = Path(sys.argv[1]) if len(sys.argv) > 1 and __name__ == "__main__" else None
        if signal is not None:  # two-process test: say "building", wait for "release"
            (signal / "building").touch()
            deadline = time.time() + 60
            while not (signal / "release").exists() and time.time() < deadline:
                time.sleep(0.05)
        conn.execute("INSERT INTO sources VALUES ('test', 'two GeoNames rows for tests')")
        conn.executemany(
            "INSERT INTO places(pk, id, name, lat, lon, kind, feature, country, population, geonameid, source)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,'test')", PLACES)
        w = B.NameWriter(conn)
        for row in PLACES:
            w.add(row[0], [(row[2], N.FLAG_NAME)])
        w.finish()
        return {"sources": {"test": "two GeoNames rows"}, "counts": {"places": len(PLACES)}}
''')
#: What a subprocess runs first: the tiny names half, no boundary half.
SETUP = TINY + textwrap.dedent('''
    B.build_names = tiny_names
    sys.modules["geoverify.gazetteer.build.boundaries"] = None
''')


def _tiny(monkeypatch):
    """Patch the builder in this process the way TINY does in a subprocess."""
    from geoverify.gazetteer.build import index as B

    ns: dict = {"__name__": "tiny"}
    exec(TINY, ns)  # noqa: S102 - our own test code
    monkeypatch.setattr(B, "build_names", ns["tiny_names"])
    monkeypatch.setitem(sys.modules, "geoverify.gazetteer.build.boundaries", None)


@pytest.fixture()
def env(tmp_path, monkeypatch):
    """An empty data dir, cache dir and temporary dir, and the tiny builder."""
    from geoverify.gazetteer.store import reset_gazetteer

    data, cache, tmp = tmp_path / "data", tmp_path / "cache", tmp_path / "tmp"
    for d in (data, cache, tmp):
        d.mkdir()
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(data))
    monkeypatch.setenv("GEOVERIFY_SOURCES_DIR", str(tmp_path / "sources"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    _tiny(monkeypatch)
    reset_gazetteer()
    yield {"data": data, "cache": cache, "tmp": tmp, "index": data / "geoverify.sqlite"}
    reset_gazetteer()


def _build(**kw):
    from geoverify.gazetteer.build.index import build_index

    return build_index(**kw)


def _sound(path: Path) -> None:
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.store import Gazetteer

    assert integrity.quick_problem(path) is None and integrity.deep_problem(path) is None
    gaz = Gazetteer(path)
    try:
        top = gaz.resolve("Sergeyevka")[0]
        assert (top.id, top.lat, top.lon) == ("geonames:2020626", 44.33749, 131.66142)
    finally:
        gaz.close()


# -- atomic build and the checksum record ------------------------------------------------
def test_build_writes_index_and_checksum_record_and_no_temporary_file(env):
    from geoverify.gazetteer import integrity

    res = _build()
    index = env["index"]
    assert res["built"] and Path(res["path"]) == index
    assert sorted(p.name for p in env["data"].iterdir()) == ["geoverify.sqlite", "geoverify.sqlite.integrity.json"]
    rec = integrity.read_record(index)
    assert rec["size"] == index.stat().st_size and rec["sha256"] == integrity.file_digest(index)
    assert rec["build_id"] and rec["schema_version"] == str(SCHEMA_VERSION)
    _sound(index)
    again = _build()
    assert not again["built"]  # up to date


def test_killed_build_leaves_the_old_index_and_the_next_build_cleans_up(env):
    """SIGKILL in the middle of a build: the old index is untouched, the half-written
    temporary file is removed by the next build."""
    _build()
    index = env["index"]
    before = index.read_bytes()
    script = SETUP + "\nB.build_index(force=True)\n"
    signal = env["data"].parent / "signal"
    signal.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", script, str(signal)], env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(signal / "building", proc)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    leftovers = [p.name for p in env["data"].iterdir() if ".tmp-" in p.name]
    assert leftovers, "the killed build should have left its temporary file"
    assert index.read_bytes() == before
    _sound(index)
    assert _build(force=True)["built"]
    assert not [p for p in env["data"].iterdir() if ".tmp-" in p.name]
    _sound(index)


def _wait_for(path: Path, proc, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"process ended early: {proc.stderr.read().decode()}")
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {path}")
        time.sleep(0.05)


# -- two builders at once --------------------------------------------------------------
def test_two_processes_building_at_once_end_with_one_good_index(env):
    signal = env["data"].parent / "signal"
    signal.mkdir()
    script = SETUP + textwrap.dedent('''
        import json
        res = B.build_index(echo=lambda m: print(m, file=sys.stderr, flush=True))
        print(json.dumps({"built": res["built"]}))
    ''')
    first = subprocess.Popen([sys.executable, "-c", script, str(signal)], env=os.environ.copy(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = None
    try:
        _wait_for(signal / "building", first)  # the first holds the lock and is building
        second = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = second.stderr.readline()  # the second says it waits for the lock
        assert "another geoverify process is writing the index" in line and "waiting" in line, line
        (signal / "release").touch()
        out1, err1 = first.communicate(timeout=120)
        out2, err2 = second.communicate(timeout=120)
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.kill()
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert json.loads(out1) == {"built": True}
    assert json.loads(out2) == {"built": False}
    assert "up to date" in err2
    assert not [p for p in env["data"].iterdir() if ".tmp-" in p.name]
    _sound(env["index"])


def test_lock_is_reentrant_in_one_process(env):
    from geoverify.gazetteer import integrity

    with integrity.index_lock(env["index"]):
        with integrity.index_lock(env["index"]):
            res = _build(force=True)  # takes the same lock again: no deadlock
    assert res["built"]


# -- broken indexes are detected and rebuilt -------------------------------------------------
def _open_default(caplog):
    from geoverify.gazetteer.store import open_index

    with caplog.at_level(logging.INFO, logger="geoverify"):
        conn = open_index()
    try:
        return conn.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("damage,phrase", [
    ("truncate", "truncated"),
    ("zero-tail", "corrupt"),
    ("garbage", "corrupt (not an SQLite database"),
    ("empty", "empty"),
])
def test_broken_index_is_rebuilt_with_a_message(env, caplog, damage, phrase):
    _build()
    index = env["index"]
    data = bytearray(index.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2 + 100]
    elif damage == "zero-tail":  # the same size, the last pages zeroed (a disk error)
        data[len(data) // 2:] = bytes(len(data) - len(data) // 2)
    elif damage == "garbage":
        data = bytearray(b"<html>not an index</html>" * 200)
    else:
        data = bytearray()
    index.write_bytes(bytes(data))
    assert _open_default(caplog) == 2
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("geoverify")]
    rebuilding = [m for m in messages if "rebuilding it" in m]
    assert len(rebuilding) == 1 and phrase in rebuilding[0] and str(index) in rebuilding[0]
    assert "\n" not in rebuilding[0]
    assert (env["data"] / "geoverify.sqlite.corrupt").read_bytes() == bytes(data)
    _sound(index)


def test_outdated_schema_is_rebuilt(env, caplog):
    import sqlite3

    _build()
    conn = sqlite3.connect(env["index"])
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    assert _open_default(caplog) == 2
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "schema version 1" in text and "rebuilding it" in text
    _sound(env["index"])


def test_sound_file_changed_outside_geoverify_is_recorded_again_not_rebuilt(env, caplog):
    import sqlite3

    from geoverify.gazetteer import integrity

    _build()
    conn = sqlite3.connect(env["index"])
    conn.execute("UPDATE places SET population=3761 WHERE id='geonames:2020626'")
    conn.commit()
    conn.close()
    assert integrity.quick_problem(env["index"]).startswith("corrupt: its content differs")
    assert _open_default(caplog) == 2
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "changed outside geoverify" in text and "rebuilding" not in text
    assert integrity.quick_problem(env["index"]) is None
    assert not (env["data"] / "geoverify.sqlite.corrupt").exists()


def test_broken_index_without_sources_is_one_line_error(env, monkeypatch):
    from click.testing import CliRunner

    from geoverify.cli import cli
    from geoverify.gazetteer.build import index as B

    _build()
    env["index"].write_bytes(env["index"].read_bytes()[:5000])
    monkeypatch.setattr(B, "missing_sources", lambda src=None: f"no source tarballs in {src}")
    with pytest.raises(DataError, match=r"is truncated .* cannot be rebuilt here .*geoverify data build"):
        from geoverify.gazetteer.store import open_index

        open_index()
    result = CliRunner().invoke(cli, ["resolve", "Sergeyevka", "--format", "json"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoverify: error: gazetteer index at")
    assert "truncated" in lines[0] and "geoverify data build" in lines[0]


def test_data_info_reports_problems_without_repairing(env):
    from geoverify.gazetteer.info import index_info

    _build()
    info = index_info()
    assert info["status"] == "ok" and info["integrity"].startswith("ok: SHA-256 matches")
    env["index"].write_bytes(env["index"].read_bytes()[:8192])
    info = index_info()
    assert "truncated" in info["status"] and "geoverify data build" in info["status"]
    assert env["index"].stat().st_size == 8192  # reported, not rebuilt


# -- a read-only data directory -------------------------------------------------------------
def _unwritable(tmp_path: Path, name: str) -> Path:
    """A directory path that cannot be created or written: it lies under a regular file
    (ENOTDIR, as real as a read-only mount and independent of the user's privileges)."""
    blocker = tmp_path / f"{name}-is-a-file"
    blocker.write_text("not a directory")
    return blocker / name


def test_read_only_data_dir_builds_in_the_cache_dir(env, tmp_path, monkeypatch, caplog):
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.store import get_gazetteer, reset_gazetteer

    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(_unwritable(tmp_path, "data")))
    with caplog.at_level(logging.INFO, logger="geoverify"):
        res = _build()
    fallback = env["cache"] / "geoverify" / "geoverify.sqlite"
    assert Path(res["path"]) == fallback
    assert any("read-only" in r.getMessage() and str(fallback) in r.getMessage() for r in caplog.records)
    assert integrity.find_index() == fallback
    reset_gazetteer()
    assert get_gazetteer().resolve("Vladivostok")[0].id == "geonames:2013348"


def test_read_only_data_and_cache_dirs_fall_back_to_the_temporary_dir(env, tmp_path, monkeypatch):
    from geoverify.gazetteer import integrity

    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(_unwritable(tmp_path, "data")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_unwritable(tmp_path, "cache")))
    res = _build()
    expected = env["tmp"] / f"geoverify-{os.getuid()}" / "geoverify.sqlite"
    assert Path(res["path"]) == expected and integrity.find_index() == expected
    _sound(expected)


def test_broken_index_in_read_only_dir_is_rebuilt_in_the_fallback(env, monkeypatch, caplog):
    from geoverify.gazetteer import integrity

    _build()
    env["index"].write_bytes(env["index"].read_bytes()[:6000])
    data = env["data"]
    if os.geteuid() != 0:
        data.chmod(0o555)
    else:  # root writes anywhere: make the data dir read-only for geoverify's own test
        real = integrity.writable_dir
        monkeypatch.setattr(integrity, "writable_dir", lambda p: Path(p) != data and real(p))
    try:
        assert _open_default(caplog) == 2
    finally:
        data.chmod(0o755)
    fallback = env["cache"] / "geoverify" / "geoverify.sqlite"
    _sound(fallback)
    assert env["index"].stat().st_size == 6000  # the read-only copy is left alone
    assert integrity.find_index() == fallback
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "read-only" in text and "rebuilding it" in text
