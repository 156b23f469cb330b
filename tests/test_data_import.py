"""``geoverify data import``: merging GeoNames dumps into a copy of the index.

The dumps are written by this test in the GeoNames export formats (the
"geoname" table: 19 tab-separated columns; alternateNamesV2: 10 columns; see
download.geonames.org/export/dump/readme.txt). The rows are synthetic (ids
from 99000001 up, names "Testovyy ...") except the update of Sergeyevka
2020626, whose real cities500 values the test checks before and after.
The real index is never touched: GEOVERIFY_DATA_DIR points at a temporary copy.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from geoverify.errors import InputError


def geoname_row(gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, admin1, pop):
    cols = [
        str(gid),
        name,
        ascii_,
        ",".join(alts),
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
    assert len(cols) == 19
    return "\t".join(cols)


ROWS = [
    # 1: a military site, class S (military installation), Primorsky Krai (GeoNames admin1 code 59)
    geoname_row(
        99000001,
        "Testovyy Poligon",
        "Testovyy Poligon",
        ["Тестовый полигон", "Testovy Range"],
        44.30,
        131.70,
        "S",
        "INSM",
        "RU",
        "59",
        0,
    ),
    # 2: a new populated place
    geoname_row(
        99000002, "Novoye Testovo", "Novoye Testovo", ["Новое Тестово"], 44.40, 131.60, "P", "PPL", "RU", "59", 1200
    ),
    # 3: malformed: 18 columns
    "\t".join(
        geoname_row(99000003, "Short Row", "Short Row", [], 44.0, 131.0, "P", "PPL", "RU", "59", 0).split("\t")[:18]
    ),
    # 4: malformed: latitude not a number
    geoname_row(99000004, "Bad Latitude", "Bad Latitude", [], "abc", 131.0, "P", "PPL", "RU", "59", 0),
    # 5: an update of a shipped place: Sergeyevka 2020626 gets a new population and alternate name
    geoname_row(
        2020626, "Sergeyevka", "Sergeyevka", ["Sergeyevka-Testovaya"], 44.33749, 131.66142, "P", "PPL", "RU", "59", 4000
    ),
    # 6: malformed: latitude out of range
    geoname_row(99000006, "Bad Range", "Bad Range", [], 95.0, 131.0, "P", "PPL", "RU", "59", 0),
    # 7: a military base in class L
    geoname_row(99000007, "Testovaya Baza", "Testovaya Baza", [], 44.2, 131.8, "L", "MILB", "RU", "59", 0),
]

ALTNAMES = [
    "1\t99000001\ten\tTestovsky training ground\t\t\t\t\t\t",
    "2\t2020626\tru\tСергеевка-Тестовая-Вторая\t\t\t\t\t\t",
    "3\t99000001\tlink\thttps://example.org/testovyy\t\t\t\t\t\t",
    "4\tnot-a-number\ten\tBroken\t\t\t\t\t\t",
    "5\t99999999\ten\tNowhere Testovo\t\t\t\t\t\t",
    "6\t99000002\ten\tNovotestovo\t1\t\t\t\t\t",
]


@pytest.fixture()
def index_copy(index_available, tmp_path, monkeypatch):
    from geoverify.gazetteer.store import reset_gazetteer

    real = index_available
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(real, data / real.name)
    # with its checksum record: an index without one is refused (it cannot be verified)
    shutil.copyfile(real.with_name(real.name + ".integrity.json"), data / (real.name + ".integrity.json"))
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(data))
    reset_gazetteer()
    yield data / real.name
    reset_gazetteer()


def write_zip(path, member, lines):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "\n".join(lines) + "\n")
    return path


def test_import_geoname_and_alternate_names(index_copy, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files
    from geoverify.gazetteer.store import Gazetteer, reset_gazetteer

    before = Gazetteer(index_copy)
    assert before.place_by_id("geonames:2020626").population == 3760
    assert before.resolve("Testovyy Poligon") == []
    n_before = before.conn.execute("SELECT count(*) FROM places").fetchone()[0]
    before.close()

    dump = write_zip(tmp_path / "RU.zip", "RU.txt", ROWS)
    alt = write_zip(tmp_path / "alternateNamesV2.zip", "alternateNamesV2.txt", ALTNAMES)
    reports = import_files([alt, dump])  # the geoname table is imported first whatever the order
    reset_gazetteer()
    geo, names = reports
    assert geo["table"] == "geoname" and names["table"] == "alternatenames"
    assert geo["rows"] == 7
    assert geo["counts"] == {"inserted": 3, "updated": 1, "sites": 2, "names_added": geo["counts"]["names_added"]}
    assert geo["malformed"] == 3
    assert [m["line"] for m in geo["malformed_rows"]] == [3, 4, 6]
    assert "found 18" in geo["malformed_rows"][0]["error"]
    assert "'abc'" in geo["malformed_rows"][1]["error"]
    assert "out of range" in geo["malformed_rows"][2]["error"]
    assert names["malformed"] == 1 and names["malformed_rows"] == [
        {"line": 4, "error": "geonameid 'not-a-number' is not an integer"}
    ]
    assert names["counts"]["skipped_codes"] == 1
    assert names["counts"]["unknown_geonameid"] == 1
    assert names["counts"]["names_added"] == 3
    assert names["counts"]["places_named"] == 3

    gaz = Gazetteer(index_copy)
    assert gaz.conn.execute("SELECT count(*) FROM places").fetchone()[0] == n_before + 3
    site = gaz.resolve("Testovyy Poligon")[0]
    assert (site.id, site.kind, site.feature, site.country) == ("geonames:99000001", "site", "S.INSM", "RU")
    assert site.admin1 == "Primorskiy kray" and site.extra["admin1_code"] == "RU-PRI"
    assert "user import of RU.zip" in site.source
    assert gaz.resolve("Тестовый полигон")[0].id == "geonames:99000001"
    assert gaz.resolve("Testovsky training ground")[0].id == "geonames:99000001"  # alternate name
    assert gaz.resolve("Testovaya Baza")[0].kind == "site"  # L.MILB
    assert gaz.resolve("Novotestovo")[0].id == "geonames:99000002"
    village = gaz.place_by_id("geonames:2020626")
    assert village.population == 4000 and (village.lat, village.lon) == (44.33749, 131.66142)
    assert gaz.resolve("Sergeyevka-Testovaya")[0].id == "geonames:2020626"
    assert gaz.resolve("Сергеевка-Тестовая-Вторая")[0].id == "geonames:2020626"
    # the old names are still there; the nearest place to the new site is found through the R-tree
    assert "geonames:2020626" in [p.id for p in gaz.resolve("Sergeevka, Primorsky Krai")]
    nearest = gaz.nearest_places(44.30, 131.70, k=1, kinds=("site",))
    assert nearest[0][0].id == "geonames:99000001" and nearest[0][1] < 0.001
    imports = json.loads(gaz.meta()["imports"])
    assert [i["table"] for i in imports] == ["geoname", "alternatenames"]
    gaz.close()


def test_import_plain_txt_and_reimport_is_idempotent(index_copy, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files
    from geoverify.gazetteer.store import Gazetteer

    txt = tmp_path / "RU.txt"
    txt.write_text("\n".join(ROWS[:2]) + "\n", encoding="utf-8")
    first = import_files([txt])[0]
    second = import_files([txt])[0]
    assert first["counts"]["inserted"] == 2 and second["counts"]["inserted"] == 0
    assert second["counts"]["updated"] == 2 and second["counts"]["names_added"] == 0
    gaz = Gazetteer(index_copy)
    assert len([p for p in gaz.resolve("Novoye Testovo") if p.id == "geonames:99000002"]) == 1
    gaz.close()


def test_import_rejects_unknown_files(index_copy, tmp_path):
    from geoverify.gazetteer.build.geonames_import import import_files

    bad = tmp_path / "notes.txt"
    bad.write_text("just\tthree\tcolumns\n", encoding="utf-8")
    with pytest.raises(InputError, match="found 3 columns on line 1"):
        import_files([bad])
    with pytest.raises(InputError, match="no such file"):
        import_files([tmp_path / "absent.zip"])


def test_import_cli_reports_counts_and_lines(index_copy, tmp_path):
    from geoverify.cli import cli

    dump = write_zip(tmp_path / "RU.zip", "RU.txt", ROWS)
    result = CliRunner().invoke(cli, ["data", "import", str(dump), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "7 rows read" in result.stdout and "3 malformed" in result.stdout
    assert "line 3: expected 19 tab-separated columns, found 18" in result.stdout
    info = CliRunner().invoke(cli, ["data", "info", "--format", "json"])
    data = json.loads(info.stdout)
    assert data["status"] == "ok" and data["path"] == str(index_copy)
    assert data["imports"][0]["counts"]["inserted"] == 3


def test_missing_index_is_a_one_line_data_error(tmp_path, monkeypatch):
    from geoverify.cli import cli
    from geoverify.errors import DataError
    from geoverify.gazetteer.store import open_index, reset_gazetteer

    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(tmp_path))
    reset_gazetteer()
    with pytest.raises(DataError, match=r"not found at .*run `geoverify data build` \(or `make install`\)"):
        open_index()
    (tmp_path / "geoverify.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataError, match="corrupt"):
        open_index()
    result = CliRunner().invoke(cli, ["resolve", "Sergeevka", "--format", "json"])
    assert result.exit_code == 2
    assert result.stderr.startswith("geoverify: error: gazetteer index at") and result.stderr.count("\n") == 1
    reset_gazetteer()


def test_old_schema_is_refused(index_copy):
    import sqlite3

    from geoverify.errors import DataError
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.store import open_index

    conn = sqlite3.connect(index_copy)
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    integrity.record(index_copy)  # as the older geoverify that built it would have
    with pytest.raises(DataError, match="schema version 1"):
        open_index(index_copy)


# -- build orchestration (fast paths only: a full build runs in `make install` and bench/) ---------


def test_build_skips_an_up_to_date_index(index_copy, tmp_path):
    import sqlite3

    from geoverify.gazetteer.build.index import build_index, source_fingerprint

    sources = tmp_path / "sources"
    sources.mkdir()
    from geoverify.gazetteer import integrity

    conn = sqlite3.connect(index_copy)
    conn.execute("UPDATE meta SET value=? WHERE key='fingerprint'", (source_fingerprint(sources),))
    conn.commit()
    conn.close()
    integrity.record(index_copy)  # as a build from these sources would have (else it is "changed": rebuilt)
    before = index_copy.read_bytes()[:4096]
    result = build_index(sources, path=index_copy)
    assert result["built"] is False and index_copy.read_bytes()[:4096] == before


def test_failed_build_leaves_the_index_and_no_temporary_file(index_copy, tmp_path, monkeypatch):
    from geoverify.gazetteer.build import index as B

    def boom(conn, log):
        raise RuntimeError("source unreadable")

    monkeypatch.setattr(B, "build_names", boom)
    size = index_copy.stat().st_size
    with pytest.raises(RuntimeError, match="source unreadable"):
        B.build_index(tmp_path, force=True, path=index_copy)
    assert index_copy.stat().st_size == size
    names = sorted(p.name for p in index_copy.parent.iterdir())
    assert index_copy.name in names and not [n for n in names if ".tmp-" in n or n.endswith(".corrupt")], names


def test_country_forms_file_errors_name_the_line(tmp_path):
    from geoverify.errors import DataError
    from geoverify.gazetteer.build.index import plural, read_country_forms

    p = tmp_path / "forms.tsv"
    p.write_text("# comment\nRU\tRussia\tRussian\tRussian\nUkraine\tUkrainian\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"forms\.tsv:3: expected iso2"):
        read_country_forms(p)
    assert [plural(d) for d in ("Ukrainian", "Frenchman", "Chinese", "Swiss", "Thai")] == [
        "Ukrainians",
        "Frenchmen",
        None,
        None,
        "Thais",
    ]


def test_read_macroregions_shape(tmp_path):
    from geoverify.errors import DataError
    from geoverify.gazetteer.build.index import read_macroregions

    p = tmp_path / "m.json"
    p.write_text(
        json.dumps(
            [
                {
                    "id": "ru-far-east",
                    "name": "Far Eastern Federal District",
                    "aliases": ["Russian Far East"],
                    "country": "RU",
                    "members": ["RU-PRI"],
                    "source": "test",
                }
            ]
        ),
        encoding="utf-8",
    )
    assert read_macroregions(p)[0]["members"] == ["RU-PRI"]
    assert read_macroregions(tmp_path / "absent.json") == []
    p.write_text(json.dumps([{"name": "no id"}]), encoding="utf-8")
    with pytest.raises(DataError, match=r"m\.json: \[0\]: a macro-region needs"):
        read_macroregions(p)


def test_import_a_country_dump_gives_a_register_village_its_point(index_copy, tmp_path):
    """Ukraine's register knows Pisky (Donetsk Oblast) but cities500 has no point for it; a UA.zip
    row (synthetic id, the village's position 48°06′N 37°39′E) gives it one, and the register record
    stays (issue 12: the dump path for villages)."""
    from geoverify.gazetteer.build.geonames_import import import_files
    from geoverify.gazetteer.info import index_info
    from geoverify.gazetteer.store import Gazetteer, reset_gazetteer

    gaz = Gazetteer(index_copy)
    if not gaz.conn.execute("SELECT 1 FROM sqlite_master WHERE name='settlements'").fetchone():
        pytest.skip("index built without the layer sources (make install)")
    every = ("place", "site", "admin1", "settlement")
    before = gaz.resolve("Pisky, Donetsk Oblast", limit=1, kinds=every)[0]
    assert before.kind == "settlement" and before.lat is None
    gaz.close()
    row = geoname_row(99000101, "Pisky", "Pisky", ["Піски", "Пески", "Peski"], 48.10, 37.65, "P", "PPL", "UA", "05", 0)
    import_files([write_zip(tmp_path / "UA.zip", "UA.txt", [row])])
    reset_gazetteer()
    gaz = Gazetteer(index_copy)
    top = gaz.resolve("Peski, Donetsk region", limit=3, kinds=every)
    assert top[0].id == "geonames:99000101" and top[0].lat == 48.10
    assert "katottg:UA14160190380023078" in [p.id for p in top]  # the register's record is still offered
    assert [i["file"].endswith("UA.zip") for i in index_info(index_copy)["imports"]] == [True]
    gaz.close()
