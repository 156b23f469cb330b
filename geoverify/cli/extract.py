"""``geoverify extract [FILE|-]``: list the coordinates, grid references, map links and plus
codes in a text.

Formats: ``json`` (one array of locations, the contract in DESIGN.md), ``geojson`` (a
FeatureCollection of Points, lon/lat order per RFC 7946; a short plus code without a
point is a feature with ``"geometry": null``), ``csv`` (a header and one row per location;
alternatives and warnings JSON-encoded) and ``table`` (rich). Location-looking text that
cannot be a location is reported on stderr as ``geoverify: warning: ...``.
"""

from __future__ import annotations

import json
import logging

import click

from geoverify.cli.options import format_option, input_argument, resolve_format

CSV_COLUMNS = ("start", "end", "kind", "lat", "lon", "precision_m", "text", "reading", "code",
               "locality", "alternatives", "warnings")


@click.command()
@input_argument
@format_option("table", "json", "geojson", "csv")
def extract(source, fmt):
    """Find coordinates, grid references, map links and plus codes in FILE (or stdin).

    Every location has its character span, its notation (kind), the uncertainty its
    notation implies, and every other plausible reading with a warning.

    Inputs of any size are read in windows of 1 MiB and the JSON, GeoJSON and CSV
    output is written as it is found; bytes that are not UTF-8 are replaced, with a
    warning naming their offset.
    """
    import sys

    from geoverify.report.json import JsonObjectWriter, write_json_array
    from geoverify.text import stream as streaming

    fmt = resolve_format(fmt)
    log = logging.getLogger("geoverify")

    chunks = streaming.started(streaming.extract_stream(source))  # unreadable input: no output

    def records():
        for locations, diagnostics in chunks:
            for diag in diagnostics:
                log.warning("%s", diag)
            for loc in locations:
                yield loc.to_dict()

    out = sys.stdout
    if fmt == "json":
        write_json_array(out, records())
    elif fmt == "geojson":
        obj = JsonObjectWriter(out)
        obj.value("type", "FeatureCollection")
        features = obj.array("features")
        for rec in records():
            features.add(to_feature(rec))
        features.close()
        obj.close()
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for rec in records():
            writer.writerow(csv_row(rec))
    else:
        _table(list(records()))


def to_feature(rec: dict) -> dict:
    """A GeoJSON Feature (RFC 7946, lon/lat) of one location record."""
    props = {k: v for k, v in rec.items() if k not in ("lat", "lon")}
    if rec["lat"] is None or rec["lon"] is None:
        geometry = None
    else:
        geometry = {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def to_geojson(records: list[dict]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946) of location records."""
    return {"type": "FeatureCollection", "features": [to_feature(rec) for rec in records]}


def csv_row(rec: dict) -> list:
    """One CSV row (in :data:`CSV_COLUMNS` order) of a location record."""
    row = []
    for col in CSV_COLUMNS:
        value = rec.get(col)
        if col in ("alternatives", "warnings"):
            value = json.dumps(value or [], ensure_ascii=False)
        row.append("" if value is None else value)
    return row


def to_csv(records: list[dict]) -> str:
    """CSV text: a header and one row per location record."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in records:
        writer.writerow(csv_row(rec))
    return buf.getvalue()


def _table(records: list[dict]) -> None:
    """A compact table that stays readable in 80 columns: the point as one wrapping cell,
    the verbatim text with its other readings and warnings underneath."""
    from geoverify.cli.options import print_table

    rows = []
    for i, rec in enumerate(records, 1):
        if rec["lat"] is None or rec["lon"] is None:
            point = "(no point)"
        else:
            point = f"{rec['lat']:.6f}, {rec['lon']:.6f}"
        text = rec["text"] if len(rec["text"]) <= 60 else rec["text"][:57] + "..."
        lines = [text]
        if rec.get("locality"):
            lines.append(f"locality: {rec['locality']}")
        for alt in rec["alternatives"]:
            lines.append(f"or {alt['lat']:.6f}, {alt['lon']:.6f}: {alt['reading']}")
        lines.extend(f"warning: {w}" for w in rec["warnings"])
        rows.append((i, rec["kind"], point, _metres(rec["precision_m"]), "\n".join(lines)))
    n = len(records)
    print_table(f"{n} location{'s' if n != 1 else ''}",
                ("#", "kind", "lat, lon", "± m", "text"), rows)


def _metres(value) -> str:
    if value is None:
        return ""
    return f"{value:.2g}" if value < 10 else f"{value:,.0f}"
