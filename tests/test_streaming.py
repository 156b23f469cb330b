"""Inputs of any size: tolerant decoding with byte offsets, windows with overlap, results
deduplicated at the seams, streamed JSON byte for byte equal to the whole-text output.

The figures are exact by construction: byte offsets of bad bytes the test writes itself,
and the whole-text extraction (geoverify.notation.stream.scan_normalised / geoverify.pipeline.verify) as the
reference for every windowed run. Memory on a 1 GB file is measured by
bench/bench_hardening.py, not here.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoverify.errors import DataError, InputError

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
GEOVERIFY = [sys.executable, "-m", "geoverify"]


# -- decoding ------------------------------------------------------------------------------
def _decode(data: bytes, block: int | None = None):
    from geoverify.text.stream import Decoder, decode_bytes

    warnings: list[str] = []
    if block is None:
        return decode_bytes(data, "f.txt", warnings.append), warnings
    dec = Decoder("f.txt", warnings.append)
    text = "".join(dec.feed(data[i : i + block]) for i in range(0, len(data), block)) + dec.finish()
    return text, warnings


@pytest.mark.parametrize("block", [None, 1, 2, 3, 7, 4096])
def test_invalid_utf8_is_replaced_with_one_warning_per_run_naming_the_byte(block):
    data = "Привет 44.3°N ".encode() + b"\xff\xfe" + b" ok " + b"\xc3" + " и 日本 🌍".encode() + b"\x80"
    text, warnings = _decode(data, block)
    assert text == data.decode("utf-8", "replace")
    first = len("Привет 44.3°N ".encode())
    second = first + 2 + 4
    assert warnings == [
        f"f.txt: invalid UTF-8 at byte {first} (replaced)",
        f"f.txt: invalid UTF-8 at byte {second} (replaced)",
        f"f.txt: invalid UTF-8 at byte {len(data) - 1} (replaced)",
    ]


def test_characters_split_across_blocks_decode_whole():
    data = ("日本語のテキスト 44°19′N 🌍" * 50).encode()
    for block in (1, 2, 3, 5, 13):
        text, warnings = _decode(data, block)
        assert text == data.decode() and warnings == []


def test_bom_and_utf16_offsets():
    text, warnings = _decode(b"\xef\xbb\xbfab\xffc")
    assert (text, warnings) == ("ab\ufffdc", ["f.txt: invalid UTF-8 at byte 5 (replaced)"])
    text, warnings = _decode("\ufeff44.3, 131.6".encode("utf-16-le"), block=3)
    assert (text, warnings) == ("44.3, 131.6", [])
    bad = "\ufeffab".encode("utf-16-be") + b"\xdc\x00" + "c".encode("utf-16-be")  # a lone low surrogate
    text, warnings = _decode(bad, block=1)
    assert text == "ab\ufffdc" and warnings == ["f.txt: invalid UTF-16 at byte 6 (replaced)"]


def test_binary_with_nul_is_refused_naming_the_offset():
    with pytest.raises(InputError, match=r"f\.txt: binary data \(NUL byte at offset 5\)"):
        _decode(b"abcde\x00fgh", block=2)


def test_many_bad_runs_are_listed_up_to_a_limit_then_counted():
    from geoverify.text.stream import MAX_DECODE_WARNINGS

    data = b"a\xff" * 100
    text, warnings = _decode(data)
    assert text == "a\ufffd" * 100
    assert len(warnings) == MAX_DECODE_WARNINGS + 1
    assert warnings[0] == "f.txt: invalid UTF-8 at byte 1 (replaced)"
    assert (
        warnings[-1] == f"f.txt: {100 - MAX_DECODE_WARNINGS} more runs of invalid bytes replaced (100 bad bytes in all)"
    )


# -- windows -------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", ["lines", "one long line", "no whitespace", "empty", "short"])
def test_cores_partition_the_text_and_windows_hold_their_core(shape):
    from geoverify.text.stream import iter_windows

    rng = random.Random(7)
    text = {
        "lines": "".join(f"line {i} " + "x" * rng.randint(0, 300) + "\n" for i in range(2000)),
        "one long line": " ".join("word" for _ in range(60_000)),
        "no whitespace": "9" * 50_000,
        "empty": "",
        "short": "44.326859, 131.668647\n",
    }[shape]
    pieces = [text[i : i + 999] for i in range(0, len(text), 999)] or [""]
    windows = list(iter_windows(pieces, window=5000, overlap=700))
    cores = "".join(w.text[w.core_start : w.core_end] for w in windows)
    assert cores == text
    assert windows[-1].last and not any(w.last for w in windows[:-1])
    pos = 0
    for w in windows:
        assert w.offset + w.core_start == pos
        assert text[w.offset : w.offset + len(w.text)] == w.text
        assert w.core_start <= 700 and len(w.text) - w.core_end <= 700
        if shape == "lines" and not w.last:
            assert w.text[w.core_end - 1] == "\n"  # cut at a line break
        pos += w.core_end - w.core_start


SEAM_TEXTS = [
    "44.326859, 131.668647",
    "44°19'36.7\"N 131°40'07.1\"E",
    "N 44° 19.611' E 131° 40.119'",
    "44.3268N\n131.6686E",
    "38SMB4484",
    "17T 630084 4833438",
    "8QPH8MG9+PFR",
    "https://www.google.com/maps/@44.326859,131.668647,15z",
    "geo:44.326859,131.668647",
    "٤٤٫٣٢٦٨٥٩، ١٣١٫٦٦٨٦٤٧",
    "44.326859,\u200b 131.668647",
    "95.5, 200.1",
    "44°75'N 131°40'E",
]


def _seam_text(n: int, seed: int) -> str:
    """Prose with a location every few hundred characters, some across line breaks."""
    rng = random.Random(seed)
    parts = []
    for _ in range(n):
        parts.append(
            " ".join(
                rng.choice(
                    [
                        "the",
                        "convoy",
                        "was",
                        "seen",
                        "near",
                        "on",
                        "3",
                        "March",
                        "2022,",
                        "1,500",
                        "soldiers",
                        "at",
                        "12:30",
                    ]
                )
                for _ in range(rng.randint(5, 60))
            )
        )
        parts.append(rng.choice(SEAM_TEXTS))
        parts.append(rng.choice([" ", "\n", ". ", "\n\n", ""]))
    return " ".join(parts)


@pytest.mark.parametrize("window,overlap", [(1 << 20, 1 << 14), (3000, 400), (701, 200), (257, 128)])
def test_windowed_extraction_equals_whole_text_extraction(window, overlap):
    from geoverify.notation.stream import scan_normalised, scan_text

    text = _seam_text(1500 if window > 1000 else 400, seed=window)
    whole = scan_normalised(text)
    got = scan_text(text, window=window, overlap=overlap)
    key = lambda loc: (loc.start, loc.end, loc.kind, loc.lat, loc.lon, loc.text, tuple(loc.warnings))  # noqa: E731
    assert [key(loc) for loc in got.locations] == [key(loc) for loc in whole.locations]
    assert [str(d) for d in got.diagnostics] == [str(d) for d in whole.diagnostics]
    assert len(whole.locations) > 100
    for loc in got.locations:
        assert text[loc.start : loc.end] == loc.text


def test_streamed_file_of_4mb_with_small_windows_dedups_at_every_seam(tmp_path):
    """4 MB through the file reader with 64 kB windows (about 60 seams), bad bytes in it."""
    from geoverify.notation.stream import extract_stream, scan_normalised

    text = _seam_text(12_000, seed=3)
    raw = text.encode()
    cut = raw.index(b" convoy ", len(raw) // 2)
    data = raw[:cut] + b"\xff" + raw[cut:]
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    warnings: list[str] = []
    locs = [
        loc for ls, _ in extract_stream(str(path), window=1 << 16, overlap=1 << 12, warn=warnings.append) for loc in ls
    ]
    expected = scan_normalised(data.decode("utf-8", "replace")).locations
    assert [(loc.start, loc.end, loc.kind) for loc in locs] == [(loc.start, loc.end, loc.kind) for loc in expected]
    assert warnings == [f"{path}: invalid UTF-8 at byte {cut} (replaced)"]
    assert len(locs) > 10_000


# -- the CLI ------------------------------------------------------------------------------
TEXT = (
    "Seen at 44.326859, 131.668647 and ４４．３２６８５９，　１３１．６６８６４７, then "
    "8MG9+PFR Sergeevka, Primorsky Krai.\n"
)


def test_cli_extract_streams_the_same_json_as_the_whole_text(tmp_path):
    from geoverify.notation.stream import scan_normalised

    path = tmp_path / "in.txt"
    text = TEXT + _seam_text(300, seed=11)
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run(GEOVERIFY + ["extract", str(path), "--format", "json"], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    expected = [loc.to_dict() for loc in scan_normalised(text).locations]
    assert proc.stdout.decode() == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    fullwidth = json.loads(proc.stdout)[1]
    assert fullwidth["text"] == "４４．３２６８５９，　１３１．６６８６４７" and fullwidth["lat"] == 44.326859
    assert any("FULLWIDTH DIGIT read as ASCII digits" in w for w in fullwidth["warnings"])


def test_cli_extract_reads_invalid_utf8_with_a_warning_and_refuses_binary(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Position 44.326859, 131.668647 près de la frontière; 44°19' N".encode("latin-1"))
    proc = subprocess.run(GEOVERIFY + ["extract", str(bad), "--format", "json"], capture_output=True, timeout=60)
    assert proc.returncode == 0
    (loc,) = json.loads(proc.stdout)  # the degree sign became U+FFFD: that one is not guessed
    assert (loc["kind"], loc["lat"], loc["lon"], loc["start"]) == ("decimal", 44.326859, 131.668647, 9)
    assert proc.stderr.decode().splitlines() == [
        f"geoverify: warning: {bad}: invalid UTF-8 at byte {n} (replaced)" for n in (33, 48, 55)
    ]
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = subprocess.run(GEOVERIFY + ["extract", str(binary)], capture_output=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().splitlines() == [
        f"geoverify: error: {binary}: binary data (NUL byte at offset 8), expected text"
    ]


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_cli_extract_other_formats_match_the_whole_text(tmp_path, fmt):
    from geoverify.cli import cli
    from geoverify.notation.stream import scan_normalised
    from geoverify.report.locations import to_csv, to_geojson

    result = CliRunner().invoke(cli, ["extract", "-", "--format", fmt], input=TEXT.encode())
    assert result.exit_code == 0, result.output
    records = [loc.to_dict() for loc in scan_normalised(TEXT).locations]
    expected = to_csv(records) if fmt == "csv" else json.dumps(to_geojson(records), ensure_ascii=False, indent=2) + "\n"
    assert result.stdout == expected


# -- verify --------------------------------------------------------------------------------
class BoxBoundaries:
    """A deterministic stand-in for the boundary index: every country or region is the
    4° x 4° box around its gazetteer point, and there are no border lines."""

    def geometry(self, region_id):
        from shapely.geometry import box

        from geoverify.gazetteer import place_by_id

        p = place_by_id(region_id)
        if p is None or p.lat is None:
            raise DataError(f"no geometry for {region_id}")
        return box(p.lon - 2, p.lat - 2, p.lon + 2, p.lat + 2)

    @staticmethod
    def _edge(geom, lat, lon):
        from pyproj import Geod
        from shapely.geometry import Point
        from shapely.ops import nearest_points

        q = nearest_points(geom.boundary, Point(lon, lat))[0]
        return Geod(ellps="WGS84").inv(lon, lat, q.x, q.y)[2] / 1000.0, {"lat": q.y, "lon": q.x}

    def contains(self, region_id, lat, lon, tolerance_km=0.0):
        from shapely.geometry import Point

        g = self.geometry(region_id)
        strict = g.contains(Point(lon, lat))
        edge = self._edge(g, lat, lon)[0]
        return {"inside": strict or edge <= tolerance_km, "strictly_inside": strict, "distance_to_edge_km": edge}

    def distance_to_region_km(self, region_id, lat, lon):
        from shapely.geometry import Point

        g = self.geometry(region_id)
        if g.contains(Point(lon, lat)):
            return {"distance_km": 0.0, "nearest": None}
        d, near = self._edge(g, lat, lon)
        return {"distance_km": d, "nearest": near}

    def distance_to_border_km(self, a, b, lat, lon, source=None):
        raise DataError("no border lines in this stand-in")

    def nearest_borders(self, lat, lon, k=3):
        return []

    def regions_containing(self, lat, lon):
        return []

    def border_sources(self):
        return []

    def area_bounds(self, region_id):
        return None  # no district or council polygons here: every reading is measured exactly


@pytest.fixture()
def box_boundaries(index_available, monkeypatch):
    fake = types.ModuleType("geoverify.gazetteer.boundaries")
    fake.get_boundaries = lambda: BoxBoundaries()
    monkeypatch.setitem(sys.modules, "geoverify.gazetteer.boundaries", fake)
    return fake


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("at", [(), ("44.3, 131.6", "8QPH8MG9+PFR")])
def test_streamed_verify_of_a_short_text_is_verify(box_boundaries, article, at):
    from geoverify import report
    from geoverify.pipeline import verify
    from geoverify.pipeline import verify as verify_text

    text = article.read_text(encoding="utf-8")
    assert report.to_json(verify_text(text, at=at)) == report.to_json(verify(text, at=at))


def test_windowed_verify_keeps_claims_ties_and_offsets_across_seams(box_boundaries):
    from geoverify.pipeline import verify as verify_text

    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    text = "\n\n".join(texts * 3)
    whole = verify_text(text)
    small = verify_text(text, window=2500, overlap=600)
    key = lambda r: (r.claim.start, r.claim.end, r.claim.kind, r.claim.location_index)  # noqa: E731
    assert [(loc.start, loc.end) for loc in small.locations] == [(loc.start, loc.end) for loc in whole.locations]
    assert [key(r) for r in small.claims] == [key(r) for r in whole.claims]
    # a tied claim is checked against its own location: the same verdict in any window;
    # an untied one only against the locations of its window (see geoverify.text.stream)
    assert [r.verdict for r in small.claims if r.claim.location_index is not None] == [
        r.verdict for r in whole.claims if r.claim.location_index is not None
    ]
    assert [(m.start, m.end) for m in small.mentions] == [(m.start, m.end) for m in whole.mentions]
    tied = [r for r in small.claims if r.claim.location_index is not None]
    assert tied
    for r in small.claims:
        assert text[r.claim.start : r.claim.end] == r.claim.text
    for r in tied:  # a claim is tied to a location next to it (the short code's locality)
        loc = small.locations[r.claim.location_index]
        assert 0 <= r.claim.start - loc.end < 200 and r.checks[0].location_index == r.claim.location_index
    pairs = {tuple(c["locations"]) for c in small.comparisons}
    assert {tuple(c["locations"]) for c in whole.comparisons} >= pairs
    assert all(text[small.locations[j].start : small.locations[j].end] == small.locations[j].text for i, j in pairs)


def test_cli_verify_streams_json_equal_to_the_report(box_boundaries, tmp_path):
    from geoverify import report
    from geoverify.cli import cli
    from geoverify.pipeline import verify

    text = ARTICLES[1].read_text(encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode() + b"\n\xff trailing byte\n")
    result = CliRunner().invoke(cli, ["verify", str(path), "--format", "json", "--at", "44.3, 131.6"])
    assert result.exit_code in (0, 1), result.output
    expected = report.to_json(verify(text + "\n\ufffd trailing byte\n", at=["44.3, 131.6"]))
    assert result.stdout == expected + "\n"
    assert result.stderr.splitlines() == [
        f"geoverify: warning: {path}: invalid UTF-8 at byte {len(text.encode()) + 1} (replaced)"
    ]


def test_bad_at_location_fails_before_the_file_is_read(tmp_path):
    from geoverify.cli import cli

    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "missing.txt"), "--at", "95.5, 200"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("geoverify: error: ") and "95.5, 200" in line
