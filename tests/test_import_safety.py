"""``geoverify data import`` on hostile or broken files: zip bombs and escaping member names
are refused before anything is read, malformed rows (invalid UTF-8 included) are counted
with their line numbers, and the index is either changed by a whole file or not at all.

The index is a two-place one built by the tiny builder of test_index_safety (no full build).
The dumps follow the GeoNames export format (19 tab-separated columns,
download.geonames.org/export/dump/readme.txt); their rows are synthetic.
"""

from __future__ import annotations

import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoverify.errors import DataError, InputError


def row(gid, name, lat, lon, fclass="P", fcode="PPL", cc="RU", admin1="59", pop=0):
    cols = [
        str(gid),
        name,
        name,
        "",
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        admin1,
        "",
        "",
        "",
        str(pop),
        "",
        "100",
        "Asia/Vladivostok",
        "2024-10-18",
    ]
    return "\t".join(cols)


GOOD = row(99100001, "Testovo", 44.5, 131.5)


@pytest.fixture()
def index(tmp_path, monkeypatch):
    from test_index_safety import _tiny

    from geoverify.gazetteer.build.index import build_index
    from geoverify.gazetteer.store import reset_gazetteer

    data = tmp_path / "data"
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _tiny(monkeypatch)
    reset_gazetteer()
    build_index(path=data / "geoverify.sqlite")
    yield data / "geoverify.sqlite"
    reset_gazetteer()


def _digest(path: Path) -> str:
    from geoverify.gazetteer.integrity import file_digest

    return file_digest(path)


def _places(index: Path) -> int:
    conn = sqlite3.connect(index)
    try:
        return conn.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        conn.close()


def _cli(*args):
    from geoverify.cli import cli

    return CliRunner().invoke(cli, ["data", "import", *map(str, args)])


def _one_error_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoverify: error: "), lines
    return lines[0]


# -- zip bombs ---------------------------------------------------------------------------
def test_zip_bomb_is_refused_before_reading(index, tmp_path):
    from geoverify.gazetteer.build.geonames_import import MAX_RATIO, import_files

    bomb = tmp_path / "RU.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("RU.txt", GOOD + "\n" + "\0" * (20 << 20))  # 20 MiB of NULs: ~1000x
    info = zipfile.ZipFile(bomb).getinfo("RU.txt")
    assert info.file_size > MAX_RATIO * info.compress_size  # it really is a bomb
    before = _digest(index)
    with pytest.raises(InputError, match=r"RU\.txt' expands [\d,]+ times .* more than 100; refusing"):
        import_files([bomb])
    assert _digest(index) == before
    line = _one_error_line(_cli(bomb))
    assert "zip bomb" in line


def test_archive_expanding_beyond_the_absolute_cap_is_refused(index, tmp_path, monkeypatch):
    from geoverify.gazetteer.build import geonames_import as G

    ok = tmp_path / "RU.zip"
    with zipfile.ZipFile(ok, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("RU.txt", GOOD + "\n")
    monkeypatch.setattr(G, "MAX_UNCOMPRESSED", 10)
    with pytest.raises(InputError, match=r"expands to \d+ bytes, more than the 10 allowed"):
        G.import_files([ok])


def test_small_repetitive_members_are_not_mistaken_for_bombs(index, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files

    z = tmp_path / "RU.zip"
    rows = [row(99200000 + i, "Povtor", 44.0, 131.0) for i in range(300)]  # compresses > 100x, < 1 MiB
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("RU.txt", "\n".join(rows) + "\n")
    (rep,) = import_files([z])
    assert rep["counts"]["inserted"] == 300 and rep["malformed"] == 0


# -- member names that would escape a target directory ------------------------------------
@pytest.mark.parametrize(
    "name,why",
    [
        ("../evil.txt", "climbing out"),
        ("data/../../evil.txt", "climbing out"),
        ("/etc/evil.txt", "absolute path"),
        ("C:/evil.txt", "absolute path"),
        ("..\\evil.txt", "climbing out"),
    ],
)
def test_escaping_member_names_are_refused(index, tmp_path, name, why):
    from geoverify.gazetteer.build.geonames_import import import_files

    z = tmp_path / "RU.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("RU.txt", GOOD + "\n")
        zf.writestr(zipfile.ZipInfo(name), GOOD + "\n")
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    with pytest.raises(InputError, match=why):
        import_files([z])
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before  # nothing written outside
    assert _places(index) == 2
    assert "refusing the archive" in _one_error_line(_cli(z))


def test_symbolic_link_members_are_refused(index, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files

    z = tmp_path / "RU.zip"
    link = zipfile.ZipInfo("RU.txt")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        import_files([z])


# -- malformed rows ------------------------------------------------------------------------
def test_malformed_rows_are_counted_with_line_numbers_invalid_utf8_included(index, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files

    lines = [
        GOOD.encode(),  # 1 ok
        row(99100002, "Bad\xe9Name", 44.6, 131.6).encode("latin-1"),  # 2 not UTF-8
        row(99100003, "Short", 44.7, 131.7).rsplit("\t", 1)[0].encode(),  # 3 18 columns
        row(99100004, "Badlat", "north", 131.8).encode(),  # 4 latitude not a number
        row(99100005, "Far", 91.0, 131.9).encode(),  # 5 out of range
        row(99100006, "Cyrillic Ок", 44.8, 132.0).encode(),  # 6 ok
        b"\xff\xfe\x00garbage",  # 7 not UTF-8
    ]
    dump = tmp_path / "RU.txt"
    dump.write_bytes(b"\n".join(lines) + b"\n")
    (rep,) = import_files([dump])
    assert rep["rows"] == 7 and rep["counts"]["inserted"] == 2 and rep["malformed"] == 5
    bad = {m["line"]: m["error"] for m in rep["malformed_rows"]}
    assert sorted(bad) == [2, 3, 4, 5, 7]
    assert bad[2] == "invalid UTF-8 (byte 0xe9 at column 13)"  # "99100002\tBad" is 12 characters
    assert bad[7].startswith("invalid UTF-8 (byte 0xff at column 1)")
    assert "found 18" in bad[3] and "'north'" in bad[4] and "out of range" in bad[5]
    assert _places(index) == 4
    result = _cli(dump, "--format", "table")  # the same file again: the same five lines reported
    assert result.exit_code == 0, result.output
    assert "5 malformed" in result.stdout
    for n in (2, 3, 4, 5, 7):
        assert f"  line {n}: " in result.stdout


def test_import_records_the_new_checksum(index, tmp_path):
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.build.geonames_import import import_files

    dump = tmp_path / "RU.txt"
    dump.write_text(GOOD + "\n", encoding="utf-8")
    import_files([dump])
    assert integrity.quick_problem(index) is None and integrity.deep_problem(index) is None
    assert integrity.read_record(index)["imports"] == [str(dump)]


def test_a_failing_file_leaves_the_index_as_it_was(index, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files

    good = tmp_path / "RU.txt"
    good.write_text(GOOD + "\n", encoding="utf-8")
    junk = tmp_path / "notes.txt"
    junk.write_text("just\tthree\tcolumns\n", encoding="utf-8")
    before = _digest(index)
    with pytest.raises(InputError, match=r"notes\.txt: expected the GeoNames geoname table"):
        import_files([junk])
    assert _digest(index) == before
    assert "found 3 columns on line 1" in _one_error_line(_cli(junk))


def test_read_only_index_directory_is_a_one_line_error(index, tmp_path, monkeypatch):
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.build import geonames_import as G

    dump = tmp_path / "RU.txt"
    dump.write_text(GOOD + "\n", encoding="utf-8")
    real = integrity.writable_dir
    monkeypatch.setattr(integrity, "writable_dir", lambda p: Path(p) != index.parent and real(p))
    before = _digest(index)
    with pytest.raises(DataError, match="read-only directory"):
        G.import_files([dump])
    assert _digest(index) == before


def test_not_a_zip_and_missing_files_are_one_line_errors(index, tmp_path):
    fake = tmp_path / "RU.zip"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # a zip header and nothing else
    line = _one_error_line(_cli(fake))
    assert "RU.zip" in line
    assert "no such file" in _one_error_line(_cli(tmp_path / "absent.zip"))
