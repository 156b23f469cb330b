"""The index is built and imported atomically, by one process at a time, verified at the first
open in every process (never used when damaged: reads refuse with one line naming the command,
they never rebuild), and moved to a fallback directory when its own is read-only and broken.

A full build reads all of GeoNames cities500 (about 40 s), so these tests swap the names
half for a two-place builder (``tiny_names``: Sergeyevka 2020626 and Vladivostok 2013348
with their GeoNames coordinates) and leave the boundary half out; what is tested -- the
temporary file and rename, the lock, the checksum record, the verified-once marker, the
journal recovery, the one rule for which index a process uses and the fallback -- is the
same code a full build runs. Nothing here touches the real index: GEOVERIFY_DATA_DIR,
XDG_CACHE_HOME and the temporary directory point into tmp_path.

Changed on purpose (issue 17 items 1 and 4, issue 14): a damaged, truncated or outdated index
used to be rebuilt during a read (``resolve`` repaired it, ``where`` did not); now every read
refuses it with one DataError naming ``geoverify data build``, which rebuilds it (keeping the
damaged file as ``.corrupt``). A sound file changed outside geoverify used to be re-certified
when ``PRAGMA quick_check`` passed; now the checksum mismatch is final.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from geoverify.errors import DataError
from geoverify.gazetteer.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]

TINY = textwrap.dedent("""
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
""")
#: What a subprocess runs first: the tiny names half, no boundary half.
SETUP = TINY + textwrap.dedent("""
    B.build_names = tiny_names
    sys.modules["geoverify.gazetteer.build.boundaries"] = None
""")


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
    from geoverify.gazetteer import integrity

    integrity.forget_verdicts()
    yield {"data": data, "cache": cache, "tmp": tmp, "index": data / "geoverify.sqlite"}
    reset_gazetteer()
    integrity.forget_verdicts()


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
    assert sorted(p.name for p in env["data"].iterdir()) == [
        "geoverify.sqlite",
        "geoverify.sqlite.integrity.json",
        "geoverify.sqlite.verified.json",
    ]
    rec = integrity.read_record(index)
    assert rec["size"] == index.stat().st_size and rec["sha256"] == integrity.file_digest(index)
    assert rec["build_id"] and rec["schema_version"] == str(SCHEMA_VERSION)
    # the builder hashed what it renamed into place: the marker vouches for exactly this file
    marker = json.loads((env["data"] / "geoverify.sqlite.verified.json").read_text())
    assert marker["identity"] == list(integrity.identity(index)) and marker["sha256"] == rec["sha256"]
    assert marker["problem"] is None
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
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(signal)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
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
    script = SETUP + textwrap.dedent("""
        import json
        res = B.build_index(echo=lambda m: print(m, file=sys.stderr, flush=True))
        print(json.dumps({"built": res["built"]}))
    """)
    first = subprocess.Popen(
        [sys.executable, "-c", script, str(signal)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    second = None
    try:
        _wait_for(signal / "building", first)  # the first holds the lock and is building
        second = subprocess.Popen(
            [sys.executable, "-c", script],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
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


# -- broken indexes are refused by every read, rebuilt by `data build` ------------------------
def _open_default(caplog=None):
    from geoverify.gazetteer.store import open_index

    conn = open_index()
    try:
        return conn.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        conn.close()


def _refused(env, phrase):
    """Every read refuses the index with one line naming it, the problem and the command."""
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.boundaries import Boundaries
    from geoverify.gazetteer.store import Gazetteer

    integrity.forget_verdicts()
    for opener in (lambda: _open_default(), lambda: Gazetteer(), lambda: Boundaries()):
        with pytest.raises(DataError) as err:
            opener()
        msg = str(err.value)
        assert "\n" not in msg and str(env["index"]) in msg and phrase in msg, msg
        assert "run `geoverify data build`" in msg, msg
    return msg


def _damage(index: Path, damage: str) -> bytes:
    data = bytearray(index.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2 + 100]
    elif damage == "zero-tail":  # the same size, the last pages zeroed (a disk error)
        data[len(data) // 2 :] = bytes(len(data) - len(data) // 2)
    elif damage == "flip16":  # 16 bytes flipped in the middle: SQLite's own checks see nothing
        mid = len(data) // 2
        data[mid : mid + 16] = bytes(b ^ 0xFF for b in data[mid : mid + 16])
    elif damage == "garbage":
        data = bytearray(b"<html>not an index</html>" * 200)
    else:
        data = bytearray()
    with open(index, "r+b") as fh:  # in place, as a disk error or a stray write would
        fh.truncate(0)
        fh.write(bytes(data))
    return bytes(data)


@pytest.mark.parametrize(
    "damage,phrase",
    [
        ("truncate", "truncated"),
        ("zero-tail", "corrupt: its content differs"),
        ("flip16", "corrupt: its content differs"),
        ("garbage", "corrupt (not an SQLite database"),
        ("empty", "empty"),
    ],
)
def test_broken_index_is_refused_by_every_read_and_rebuilt_by_data_build(env, caplog, damage, phrase):
    _build()
    index = env["index"]
    data = _damage(index, damage)
    _refused(env, phrase)
    assert index.read_bytes() == data  # a read never rebuilds or moves it
    with caplog.at_level(logging.INFO, logger="geoverify"):
        res = _build()  # no --force needed: a damaged index is never "up to date"
    assert res["built"]
    said = [r.getMessage() for r in caplog.records if "rebuilding it" in r.getMessage()]
    assert len(said) == 1 and phrase in said[0] and str(index) in said[0], said
    assert (env["data"] / "geoverify.sqlite.corrupt").read_bytes() == data
    _sound(index)


def test_flipped_bytes_are_refused_by_a_process_that_verified_the_file_before(env):
    """The verified-once marker is keyed to the file's identity: damage written after it was
    verified (a write changes the ctime, which no user call can set back) is seen by the
    next process, which hashes the file again."""
    from geoverify.gazetteer import integrity

    _build()
    index = env["index"]
    integrity.forget_verdicts()
    assert integrity.verify(index) is None and integrity.LAST_HOW[str(index)] == "marker"
    st = index.stat()
    _damage(index, "flip16")
    os.utime(index, ns=(st.st_atime_ns, st.st_mtime_ns))  # the mtime put back, as a careful tool would
    integrity.forget_verdicts()  # a new process
    assert integrity.verify(index) == integrity.CONTENT_DIFFERS
    assert integrity.LAST_HOW[str(index)].startswith("sha256")
    integrity.forget_verdicts()  # the bad verdict is remembered too: no second hash
    assert integrity.verify(index) == integrity.CONTENT_DIFFERS and integrity.LAST_HOW[str(index)] == "marker"


def test_outdated_schema_is_refused_then_rebuilt(env):
    import sqlite3

    from geoverify.gazetteer import integrity

    _build()
    conn = sqlite3.connect(env["index"])
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    integrity.record(env["index"])  # as an older geoverify would have recorded it
    _refused(env, f"of schema version 1 (this geoverify needs {SCHEMA_VERSION})")
    assert _build()["built"]
    assert not (env["data"] / "geoverify.sqlite.corrupt").exists()  # outdated, not damaged
    _sound(env["index"])


def test_file_changed_outside_geoverify_is_refused_though_sqlite_finds_it_sound(env):
    """PRAGMA quick_check cannot see damage inside cell contents, so it never overrules the
    checksum: the index is refused and its record is not rewritten."""
    import sqlite3

    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.info import index_info

    _build()
    rec = integrity.read_record(env["index"])
    conn = sqlite3.connect(env["index"])
    conn.execute("UPDATE places SET population=3761 WHERE id='geonames:2020626'")
    conn.commit()
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    conn.close()
    _refused(env, "corrupt: its content differs from the SHA-256")
    assert integrity.read_record(env["index"]) == rec
    info = index_info()
    assert info["status"] != "ok" and "geoverify data build" in info["status"]
    assert info["integrity"].startswith("corrupt")


def test_broken_index_is_one_line_on_the_command_line(env):
    from click.testing import CliRunner

    from geoverify.cli import cli

    _build()
    env["index"].write_bytes(env["index"].read_bytes()[:5000])
    for args in (
        ["resolve", "Sergeyevka", "--format", "json"],
        ["where", "44.3,131.6"],
        ["check", "--at", "44.3,131.6", "--claim", "near Sergeyevka"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("geoverify: error: gazetteer index at"), (args, lines)
        assert "truncated" in lines[0] and "geoverify data build" in lines[0]


def test_data_info_never_says_ok_beside_a_damaged_index(env):
    from geoverify.gazetteer.info import index_info

    _build()
    info = index_info()
    assert info["status"] == "ok" and info["integrity"].startswith("ok: SHA-256 matches")
    _damage(env["index"], "flip16")
    info = index_info()
    assert info["status"] != "ok" and info["integrity"].startswith("corrupt")
    env["index"].write_bytes(env["index"].read_bytes()[:8192])
    info = index_info()
    assert "truncated" in info["status"] and "geoverify data build" in info["status"]
    assert env["index"].stat().st_size == 8192  # reported, not rebuilt


def test_text_that_is_not_utf8_in_the_names_table_is_one_data_error(env):
    """Damage the checksum cannot see (recorded as it is) still never becomes an internal error."""
    import sqlite3

    from click.testing import CliRunner

    from geoverify.cli import cli
    from geoverify.gazetteer import integrity

    _build()
    conn = sqlite3.connect(env["index"])
    conn.execute("UPDATE names SET name=CAST(x'5365726779c3' AS TEXT) WHERE name='Sergeyevka'")
    conn.execute("UPDATE places SET name=CAST(x'5365726779c3' AS TEXT) WHERE id='geonames:2020626'")
    conn.commit()
    conn.close()
    integrity.record(env["index"])
    integrity.forget_verdicts()
    result = CliRunner().invoke(cli, ["resolve", "Sergeyevka", "--format", "json"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0], lines
    assert lines[0].startswith("geoverify: error: gazetteer index at") and "damaged" in lines[0]
    assert "UTF-8" in lines[0] and "geoverify data build --force" in lines[0]


def test_real_index_with_16_flipped_bytes_is_refused_by_where(index_available, tmp_path, monkeypatch):
    """The issue's trial on a copy of the real index: 16 bytes flipped in the middle (boundary
    polygons) made `where -- -6.17,35.74` answer 22.355 km to the edge instead of 336.747 with no
    warning; now `where` refuses the index, and a sound copy answers as the original does."""
    from click.testing import CliRunner

    from geoverify.cli import cli
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.boundaries import reset_boundaries

    data = tmp_path / "data"
    data.mkdir()
    for name in ("geoverify.sqlite", "geoverify.sqlite.integrity.json"):
        shutil.copyfile(index_available.with_name(name), data / name)
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    reset_boundaries()
    try:
        sound = CliRunner().invoke(cli, ["where", "--format", "json", "--", "-6.17,35.74"])
        assert sound.exit_code == 0, sound.output
        edge = json.loads(sound.stdout)["country"]["distance_to_edge_km"]
        _damage(data / "geoverify.sqlite", "flip16")
        reset_boundaries()
        integrity.forget_verdicts()
        broken = CliRunner().invoke(cli, ["where", "--format", "json", "--", "-6.17,35.74"])
        assert broken.exit_code == 2 and broken.stdout == ""
        lines = broken.stderr.splitlines()
        assert len(lines) == 1 and "corrupt: its content differs" in lines[0] and "geoverify data build" in lines[0]
        assert edge > 300  # the sound answer (336.7 km in the index)
    finally:
        reset_boundaries()


# -- interrupted writes ------------------------------------------------------------------------
INTERRUPTED_WRITE = textwrap.dedent("""
    import sqlite3, sys, time
    from pathlib import Path
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA cache_size=1")  # pages spill into the file before the commit
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE filler(x)")
    conn.executemany("INSERT INTO filler VALUES (?)", ((("x" * 500),) for _ in range(4000)))
    conn.execute("UPDATE places SET population=1 WHERE 1")
    Path(sys.argv[2]).touch()
    time.sleep(120)
""")


def _interrupted_write(index: Path, signal: Path) -> None:
    """What an import killed by an older geoverify (which wrote in place) leaves: a hot journal."""
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_WRITE, str(index), str(signal)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(signal, proc)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_leftover_journal_is_rolled_back_and_the_index_matches_again(env, caplog):
    from geoverify.gazetteer import integrity

    _build()
    index = env["index"]
    before = index.read_bytes()
    _interrupted_write(index, env["data"].parent / "written")
    journal = index.with_name("geoverify.sqlite-journal")
    assert journal.exists() and index.read_bytes() != before
    integrity.forget_verdicts()
    with caplog.at_level(logging.INFO, logger="geoverify"):
        assert _open_default() == 2
    assert not journal.exists() and index.read_bytes() == before
    assert any("rolled back the leftover journal" in r.getMessage() for r in caplog.records)
    assert not [p for p in env["data"].iterdir() if ".tmp-" in p.name]
    _sound(index)


def test_leftover_journal_in_a_read_only_directory_is_explained(env, monkeypatch):
    from geoverify.gazetteer import integrity

    _build()
    _interrupted_write(env["index"], env["data"].parent / "written")
    real = integrity.writable_dir
    monkeypatch.setattr(integrity, "writable_dir", lambda p: Path(p) != env["data"] and real(p))
    msg = _refused(env, "leftover journal geoverify.sqlite-journal")
    assert "cannot be rolled back" in msg and "fallback" in msg


def test_journal_that_is_not_the_index_s_is_set_aside(env):
    """A journal beside an index it does not belong to (the index was rebuilt and renamed into
    place after a killed write) must not be rolled back into it."""
    from geoverify.gazetteer import integrity

    _build()
    index = env["index"]
    _interrupted_write(index, env["data"].parent / "written")
    journal = index.with_name("geoverify.sqlite-journal")
    stale = journal.read_bytes()
    journal.unlink()
    assert _build(force=True)["built"]
    journal.write_bytes(stale)
    integrity.forget_verdicts()
    assert _open_default() == 2
    assert not journal.exists() and index.with_name("geoverify.sqlite-journal.stale").read_bytes() == stale
    _sound(index)


KILLED_IMPORT = SETUP + textwrap.dedent("""
    from geoverify.gazetteer.build import geonames_import as G
    real = G._import_geoname
    def slow(imp, lines, echo):
        out = real(imp, lines, echo)
        imp.conn.execute("UPDATE places SET population=1")
        (Path(sys.argv[1]) / "importing").touch()
        time.sleep(120)
        return out
    G._import_geoname = slow
    G.import_files([sys.argv[2]])
""")


def test_killed_import_leaves_the_index_as_it_was(env, tmp_path):
    """kill -9 during `data import`: the import worked on a copy, so the index, its record
    and its marker are untouched and every command still reads it; the next import or build
    removes the copy."""
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.build.geonames_import import import_files

    _build()
    index = env["index"]
    before = index.read_bytes()
    dump = tmp_path / "RU.txt"
    cols = [
        "99100001",
        "Testovo",
        "Testovo",
        "",
        "44.5",
        "131.5",
        "P",
        "PPL",
        "RU",
        "",
        "59",
        "",
        "",
        "",
        "100",
        "",
        "100",
        "Asia/Vladivostok",
        "2024-10-18",
    ]
    dump.write_text("\t".join(cols) + "\n", encoding="utf-8")
    signal = tmp_path / "signal"
    signal.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(signal), str(dump)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(signal / "importing", proc)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert index.read_bytes() == before
    assert not index.with_name("geoverify.sqlite-journal").exists()
    assert [p for p in env["data"].iterdir() if ".tmp-" in p.name]  # the killed import's copy
    integrity.forget_verdicts()
    assert _open_default() == 2
    _sound(index)
    reports = import_files([dump])  # the next import cleans up and works
    assert reports[0]["counts"]["inserted"] == 1
    assert not [p for p in env["data"].iterdir() if ".tmp-" in p.name]
    assert integrity.verify(index, full=True) is None


def test_no_op_build_changes_nothing(env):
    """`data build` on an up-to-date index writes nothing: its mtime (and a pending batch
    resume keyed to its content) stay as they are."""
    from geoverify.batch.runner import verifier_fingerprint

    _build()
    st = env["index"].stat()
    fp = verifier_fingerprint(None)
    time.sleep(0.02)
    assert not _build()["built"]
    assert env["index"].stat().st_mtime_ns == st.st_mtime_ns
    assert verifier_fingerprint(None) == fp
    assert fp["index"]["sha256"] and fp["index"]["build_id"]
    os.utime(env["index"])  # a touch is not a new index either
    assert verifier_fingerprint(None) == fp
    assert _build(force=True)["built"]
    assert verifier_fingerprint(None)["index"]["build_id"] != fp["index"]["build_id"]


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


def _read_only(monkeypatch, data: Path):
    """Make ``data`` read-only for geoverify (chmod, or for root a patched check)."""
    from geoverify.gazetteer import integrity

    if os.geteuid() != 0:
        data.chmod(0o555)
    else:  # root writes anywhere: make the data dir read-only for geoverify's own test
        real = integrity.writable_dir
        monkeypatch.setattr(integrity, "writable_dir", lambda p: Path(p) != data and real(p))


def test_broken_index_in_read_only_dir_every_command_follows_one_rule(env, monkeypatch, tmp_path):
    """A damaged index in a read-only directory: every read refuses it and names `data build`;
    `data build` builds in the fallback directory, and from then on every command (resolve,
    where, check, verify, batch, data info) uses the fallback -- and `data build` says it is
    up to date instead of rebuilding it again."""
    from click.testing import CliRunner

    from geoverify.batch.runner import verifier_fingerprint
    from geoverify.cli import cli
    from geoverify.gazetteer import integrity

    _build()
    env["index"].write_bytes(env["index"].read_bytes()[:6000])
    data = env["data"]
    _read_only(monkeypatch, data)
    fallback = env["cache"] / "geoverify" / "geoverify.sqlite"
    try:
        msg = _refused(env, "truncated")
        assert "read-only" in msg and str(env["cache"] / "geoverify") in msg
        res = _build()
        assert res["built"] and Path(res["path"]) == fallback
        integrity.forget_verdicts()
        assert not _build()["built"]  # up to date: no loop of rebuilds
        _sound(fallback)
        assert env["index"].stat().st_size == 6000  # the read-only copy is left alone
        assert integrity.find_index() == fallback
        assert verifier_fingerprint(None)["index"]["sha256"] == integrity.read_record(fallback)["sha256"]
        runner = CliRunner()
        out = runner.invoke(cli, ["resolve", "Vladivostok", "--format", "json"])
        assert out.exit_code == 0 and json.loads(out.stdout)[0]["id"] == "geonames:2013348"
        info = json.loads(runner.invoke(cli, ["data", "info", "--format", "json"]).stdout)
        assert info["path"] == str(fallback) and info["status"] == "ok"
        rows = tmp_path / "rows.csv"
        rows.write_text("id,text,lat,lon\n1,near Vladivostok,43.1,131.9\n", encoding="utf-8")
        for args in (
            ["where", "43.1,131.9"],
            ["check", "--at", "43.1,131.9", "--claim", "near Vladivostok"],
            ["verify", "-"],
            [
                "batch",
                str(rows),
                "--text-column",
                "text",
                "--lat-column",
                "lat",
                "--lon-column",
                "lon",
                "-o",
                str(tmp_path / "out.csv"),
            ],
        ):
            r = runner.invoke(cli, args, input="Shelling near Vladivostok (43.1, 131.9).")
            # the tiny index has no boundary tables: each command says so about the FALLBACK
            assert str(env["index"]) not in r.output, (args, r.output)
            assert r.exit_code == 2 and "no boundary tables" in r.stderr and str(fallback) in r.stderr, (args, r.output)
    finally:
        data.chmod(0o755)


def test_sound_read_only_index_is_used_and_not_rebuilt_elsewhere(env, monkeypatch):
    from geoverify.gazetteer import integrity

    _build()
    _read_only(monkeypatch, env["data"])
    fallback = env["cache"] / "geoverify" / "geoverify.sqlite"
    try:
        res = _build()
        assert not res["built"] and Path(res["path"]) == env["index"] and "read-only" in res["reason"]
        assert not fallback.exists()
        with pytest.raises(DataError, match="sound but its directory is read-only.*GEOVERIFY_DATA_DIR"):
            _build(force=True)
        assert not fallback.exists() and integrity.find_index() == env["index"]
    finally:
        env["data"].chmod(0o755)
