"""geoverify.batch.io: every format written, read back, same rows plus the result columns; input errors."""

from __future__ import annotations

import csv
import json
import math

import pytest
from test_batch_runner import fake_verify, read_csv, write_rows

from geoverify.batch.io import TableWriter, open_input, plain_value, text_cell
from geoverify.batch.rows import RESULT_COLUMNS, RowSpec
from geoverify.batch.runner import run_batch
from geoverify.errors import InputError

SPEC = RowSpec("description", "latitude", "longitude")
FORMATS = ["csv", "tsv", "jsonl", "ndjson", "geojson", "gpkg", "parquet", "geoparquet"]


def run(inp, out, spec=SPEC, **kw):
    return run_batch(inp, out, spec, verify_fn=fake_verify, workers=1, chunk_size=8, progress=False, **kw)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A 30-row CSV (quotes, commas, newlines, empty cells, non-ASCII) and its CSV output."""
    d = tmp_path_factory.mktemp("ref")
    inp = write_rows(d / "events.csv", n=30, extra=" — Бангассу")
    out = d / "out.csv"
    run(inp, out)
    return inp, read_csv(inp), read_csv(out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_round_trips_rows_and_results(tmp_path, reference, fmt):
    inp, rows_in, rows_ref = reference
    out = tmp_path / f"out.{fmt}"
    run(inp, out)
    table = open_input(out)
    back = [r for chunk in table.chunks(7) for r in chunk.records]
    assert len(back) == 30
    geo = fmt in ("geojson", "gpkg", "parquet", "geoparquet")
    for want, ref, got in zip(rows_in, rows_ref, back):
        for col, value in want.items():
            # CSV gives text; a typed format keeps a column of plain numbers as numbers (id,
            # latitude, longitude); an empty cell may come back from a geospatial driver as null
            if geo and col in ("id", "latitude", "longitude"):
                assert isinstance(got[col], (int, float)) and got[col] == float(value), (fmt, col)
                assert isinstance(got[col], int) == (col == "id"), (fmt, col)
                continue
            assert got[col] == value or (value == "" and got[col] is None), (fmt, col)
        assert got["verdict"] == ref["verdict"]
        for col in ("n_consistent", "n_inconsistent", "n_unverifiable"):
            assert str(got[col]) == ref[col]
        for col in ("worst_claim", "worst_measured", "worst_threshold", "worst_reference", "reason"):
            assert (got[col] or "") == ref[col], (fmt, col)
        for col in ("measured_km", "threshold_km"):  # numbers in every format but CSV/TSV
            if fmt in ("csv", "tsv"):
                assert got[col] == ref[col]
            elif ref[col]:
                assert got[col] == pytest.approx(float(ref[col])) and not isinstance(got[col], str), (fmt, col)
            else:
                assert got[col] is None or (isinstance(got[col], float) and math.isnan(got[col])), (fmt, col)
        assert json.loads(got["evidence"]) == json.loads(ref["evidence"])
    assert [c for c in table.columns if c != "geometry"] == list(rows_in[0]) + list(RESULT_COLUMNS)
    if geo:
        assert table.geometry_column == "geometry" and table.crs.to_epsg() == 4326
        points = [p for chunk in table.chunks(30) for p in chunk.points]
        assert points[5] == pytest.approx((float(rows_in[5]["longitude"]), float(rows_in[5]["latitude"])))


def test_point_geometry_is_the_location_when_no_column_is_named(tmp_path, reference):
    """A GeoPackage in Web Mercator: checked at the WGS84 point, written back in its own CRS."""
    import geopandas as gpd
    import shapely

    _inp, rows_in, rows_ref = reference
    lon = [float(r["longitude"]) for r in rows_in]
    lat = [float(r["latitude"]) for r in rows_in]
    gdf = gpd.GeoDataFrame(
        {"id": list(range(30)), "description": [r["description"] for r in rows_in]},
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    gdf.loc[3, "geometry"] = shapely.box(0, 0, 1000, 1000)
    gdf.loc[4, "geometry"] = None
    src = tmp_path / "events.gpkg"
    gdf.to_file(src, driver="GPKG")
    out = tmp_path / "out.gpkg"
    run(src, out, spec=RowSpec("description", use_geometry=True))
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 3857
    assert back["id"].dtype.kind == "i"  # types of the input kept
    assert back.geometry.iloc[7].equals_exact(gdf.geometry.iloc[7], 1e-6)
    for i, row in enumerate(r for chunk in open_input(out).chunks(30) for r in chunk.records):
        if i == 3:
            assert row["verdict"] == "unverifiable"
            assert row["reason"].startswith("the geometry is a Polygon, not a point")
        elif i == 4:  # no location at all: the fake has nothing to measure from
            assert json.loads(row["evidence"])["locations"] == []
        else:
            assert row["verdict"] == rows_ref[i]["verdict"]
            loc = json.loads(row["evidence"])["locations"][0]
            assert loc["lat"] == pytest.approx(lat[i], abs=1e-7) and loc["lon"] == pytest.approx(lon[i], abs=1e-7)
            assert row["worst_measured"] == (rows_ref[i]["worst_measured"] or None)


def test_jsonl_values_keep_their_types(tmp_path):
    rows = [
        {"description": "row 0 ok", "lat": 4.01, "lon": 18.02, "n": 3, "tags": ["a", "b"], "meta": {"k": None}},
        {"description": "row 1 bad", "lat": "4.02", "lon": "18.04", "n": None, "extra": True, "name": "Обо"},
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run(inp, out, spec=RowSpec("description", "lat", "lon"))
    back = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for want, got in zip(rows, back):
        for key, value in want.items():
            assert got[key] == value
    assert back[0]["extra"] is None and back[1]["tags"] is None  # columns are the union of the keys
    assert [b["verdict"] for b in back] == ["consistent", "inconsistent"]
    # to GeoPackage: a column mixing types becomes text, nested values JSON
    run(inp, tmp_path / "out.gpkg", spec=RowSpec("description", "lat", "lon"))
    import geopandas as gpd

    g = gpd.read_file(tmp_path / "out.gpkg")
    assert json.loads(g["tags"][0]) == ["a", "b"]
    assert list(g["lat"]) == ["4.01", "4.02"]


def test_plain_parquet_without_geometry_is_read(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"description": ["row 0 ok", "row 1 bad"], "lat": [4.01, 4.02], "lon": [18.0, 18.1]})
    frame.to_parquet(tmp_path / "in.parquet")
    run(tmp_path / "in.parquet", tmp_path / "out.csv", spec=RowSpec("description", "lat", "lon"))
    assert [r["verdict"] for r in read_csv(tmp_path / "out.csv")] == ["consistent", "inconsistent"]


def test_tsv_is_tab_separated(tmp_path):
    inp = tmp_path / "in.tsv"
    inp.write_text("description\tlatitude\tlongitude\nrow 0 ok fine, yes\t4.1\t18.2\n", encoding="utf-8")
    run(inp, tmp_path / "out.tsv")
    lines = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:4] == ["description", "latitude", "longitude", "verdict"]
    assert lines[1].split("\t")[:4] == ["row 0 ok fine, yes", "4.1", "18.2", "consistent"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("missing.csv", None, r"missing.csv: no such file"),
        ("data.xls", b"x", r"cannot tell the input format from the extension '.xls'"),
        ("empty.csv", b"", r"empty.csv: empty file or empty header line"),
        ("dupe.csv", b"a,b,a\n1,2,3\n", r"dupe.csv: the header repeats column 'a'"),
        (
            "latin1.csv",
            "description\nBangassou é\n".encode("latin-1"),
            r"latin1.csv: line 2: not UTF-8 text \(invalid byte 0xe9 at column 11\)",
        ),
        # a bad byte in the second data row, beyond the header's decoding block, was reported "in the header"
        (
            "late.csv",
            b"description\n" + b"Bangui\n" * 3000 + "Bangassou é\n".encode("latin-1"),
            r"late.csv: line 3002: not UTF-8 text \(invalid byte 0xe9",
        ),
        ("row2.csv", "id,description\n1,Bria\n2,Bangassou é\n".encode("latin-1"), r"row2.csv: line 3: not UTF-8 text"),
        # one policy for NUL bytes with extract: binary data, refused, naming where
        ("nul.csv", b"id,description\n1,Bria\x00town\n", r"nul.csv: line 2: binary data \(NUL byte at column 7\)"),
        ("nul.jsonl", b'{"a": "x\x00"}\n', r"nul.jsonl: line 1: binary data \(NUL byte"),
        ("bad.jsonl", b'{"a": 1}\n{"a": \n', r"bad.jsonl: line 2: not JSON"),
        ("list.jsonl", b'{"a": 1}\n[1, 2]\n', r"list.jsonl: line 2: expected a JSON object, got list"),
        ("garbage.gpkg", b"not a geopackage", r"garbage.gpkg: cannot read as gpkg"),
    ],
)
def test_unreadable_inputs_are_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        table = open_input(path)
        for _ in table.chunks(10):
            pass
    assert "\n" not in str(info.value)


def test_non_regular_inputs_are_refused_before_reading(tmp_path):
    """batch reads its input more than once: a FIFO used to hang it, /dev/zero behind a .csv name
    took 6 GB in 9 s."""
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe.csv: a FIFO \(named pipe\); batch reads its input more than once"):
        open_input(fifo)
    for name in ("zero.csv", "zero.jsonl"):
        (tmp_path / name).symlink_to("/dev/zero")
        with pytest.raises(InputError, match=rf"{name}: a character device"):
            open_input(tmp_path / name)


def test_a_huge_line_or_cell_is_refused_naming_it(tmp_path, monkeypatch):
    import geoverify.batch.io as bio

    monkeypatch.setattr(bio, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(bio.text_lines, "__defaults__", (1000,))
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": "' + b"9" * 5000 + b'"}\n')
    with pytest.raises(InputError, match=r"long.jsonl: line 2 is longer than"):
        open_input(path)
    path = tmp_path / "cell.csv"
    path.write_text('description\n"' + "x\n" * 100 + '"\n', encoding="utf-8")
    import csv as _csv

    old = _csv.field_size_limit(50)
    try:
        with pytest.raises(InputError, match=r"cell.csv: line \d+: a cell longer than"):
            for _ in open_input(path).chunks(10):
                pass
    finally:
        _csv.field_size_limit(old)


def test_a_directory_is_not_an_input(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        open_input(tmp_path / "d.csv")


def test_value_conversion_for_text_and_json():
    import datetime

    import numpy as np
    import pandas as pd
    import shapely

    assert text_cell(None) == "" and text_cell(float("nan")) == "" and text_cell(pd.NA) == ""
    assert text_cell(True) == "true" and text_cell(np.int32(7)) == "7" and text_cell(0.1) == "0.1"
    assert text_cell({"a": [1, "é"]}) == '{"a": [1, "é"]}'
    assert text_cell(pd.Timestamp("2009-02-20")) == "2009-02-20T00:00:00"
    assert text_cell(shapely.Point(18.5, 4.25)) == "POINT (18.5 4.25)"
    assert plain_value(shapely.Point(18.5, 4.25)) == {"type": "Point", "coordinates": (18.5, 4.25)}
    assert plain_value(datetime.date(2023, 1, 2)) == "2023-01-02"
    assert plain_value(np.float64("nan")) is None and plain_value(np.array([1, 2])) == [1, 2]


def test_writer_refuses_a_result_count_that_does_not_match(tmp_path):
    from geoverify.batch.io import Chunk

    w = TableWriter(tmp_path / "o.csv", ["a"], list(RESULT_COLUMNS))
    with pytest.raises(InputError, match="chunk 0 has 1 rows but 0 results"):
        w.write(Chunk(0, 0, [{"a": 1}]), [])
    w.abort()
    assert list(tmp_path.iterdir()) == []


def test_csv_text_survives_exactly(tmp_path):
    """Cells are written back byte for byte: no number reformatting, no trimming."""
    inp = tmp_path / "in.csv"
    with open(inp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["description", "latitude", "longitude", "code"])
        w.writerow(["row 0 ok", "04.010", "18.0200", "007"])
        w.writerow(["  row 1 ok  ", "4.01", "1.802e1", "1e3"])
    run(inp, tmp_path / "out.csv")
    rows = read_csv(tmp_path / "out.csv")
    assert [(r["latitude"], r["longitude"], r["code"]) for r in rows] == [
        ("04.010", "18.0200", "007"),
        ("4.01", "1.802e1", "1e3"),
    ]
    assert rows[1]["description"] == "  row 1 ok  "
    # the notation's precision follows the digits given (the finer of the two, as for --at):
    # "18.0200" 4 decimals → ±5.566 m; "4.01" and "1.802e1" (= 18.02) 2 decimals → ±556.6 m
    locs = [json.loads(r["evidence"])["locations"][0] for r in rows]
    assert locs[0]["precision_m"] == pytest.approx(0.5 * 111_320 * 1e-4, abs=1e-3)
    assert locs[1]["precision_m"] == pytest.approx(0.5 * 111_320 * 1e-2, abs=1e-3)
    assert not math.isnan(locs[1]["lon"]) and locs[1]["lon"] == 18.02


@pytest.mark.parametrize("fmt", ["parquet", "geojson", "gpkg"])
def test_csv_numbers_are_numbers_in_typed_outputs_and_codes_stay_text(tmp_path, fmt):
    """Parquet and GeoJSON stored id, lat, lon as strings and only the text "0.08 km" (issue 15)."""
    inp = tmp_path / "in.csv"
    with open(inp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "description", "latitude", "longitude", "code", "mixed", "blank"])
        w.writerow(["1", "row 0 ok", "4.1", "18.2", "007", "12", ""])
        w.writerow(["2", "row 1 bad", "-4.25", "1.802e1", "008", "n/a", ""])
        w.writerow(["3", "row 2 huh", "", "", "009", "3", ""])
    out = tmp_path / f"out.{fmt}"
    run(inp, out)
    import geopandas as gpd

    frame = gpd.read_parquet(out) if fmt == "parquet" else gpd.read_file(out)
    assert frame["id"].tolist() == [1, 2, 3] and frame["id"].dtype.kind == "i"
    assert frame["latitude"].dtype.kind == "f" and frame["latitude"].tolist()[:2] == [4.1, -4.25]
    assert frame["longitude"].tolist()[1] == 18.02 and math.isnan(frame["longitude"].tolist()[2])
    assert frame["code"].tolist() == ["007", "008", "009"]  # a leading zero: text
    assert frame["mixed"].tolist() == ["12", "n/a", "3"]
    # the fake measures the geodesic distance to Bangui (4.3612, 18.5550) with a 10 km threshold
    # for "bad": measured_km is that figure as a number, worst_measured its wording
    bad = frame.iloc[1]
    assert bad["measured_km"] == pytest.approx(float(bad["worst_measured"].split()[0]))
    assert bad["threshold_km"] == 10.0
    assert frame["measured_km"].dtype.kind == "f" and frame["threshold_km"].dtype.kind == "f"
