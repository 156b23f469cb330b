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

from geoverify.cli.options import echo_json, format_option, input_argument, read_text, resolve_format

CSV_COLUMNS = ("start", "end", "kind", "lat", "lon", "precision_m", "text", "reading", "code",
               "locality", "alternatives", "warnings")


@click.command()
@input_argument
@format_option("table", "json", "geojson", "csv")
def extract(source, fmt):
    """Find coordinates, grid references, map links and plus codes in FILE (or stdin).

    Every location has its character span, its notation (kind), the uncertainty its
    notation implies, and every other plausible reading with a warning.
    """
    from geoverify.extract import scan

    text = read_text(source)
    result = scan(text)
    log = logging.getLogger("geoverify")
    for diag in result.diagnostics:
        log.warning("%s", diag)
    fmt = resolve_format(fmt)
    records = [loc.to_dict() for loc in result.locations]
    if fmt == "json":
        echo_json(records)
    elif fmt == "geojson":
        echo_json(to_geojson(records))
    elif fmt == "csv":
        click.echo(to_csv(records), nl=False)
    else:
        _table(records)


def to_geojson(records: list[dict]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946) of location records."""
    features = []
    for rec in records:
        props = {k: v for k, v in rec.items() if k not in ("lat", "lon")}
        if rec["lat"] is None or rec["lon"] is None:
            geometry = None
        else:
            geometry = {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def to_csv(records: list[dict]) -> str:
    """CSV text: a header and one row per location record."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in records:
        row = []
        for col in CSV_COLUMNS:
            value = rec.get(col)
            if col in ("alternatives", "warnings"):
                value = json.dumps(value or [], ensure_ascii=False)
            row.append("" if value is None else value)
        writer.writerow(row)
    return buf.getvalue()


def _table(records: list[dict]) -> None:
    from geoverify.cli.options import print_table

    rows = []
    for i, rec in enumerate(records, 1):
        notes = []
        if rec.get("locality"):
            notes.append(f"locality: {rec['locality']}")
        if rec["alternatives"]:
            notes.append(f"{len(rec['alternatives'])} other reading(s)")
        notes.extend(rec["warnings"])
        rows.append((
            i,
            f"{rec['start']}-{rec['end']}",
            rec["kind"],
            "" if rec["lat"] is None else f"{rec['lat']:.6f}",
            "" if rec["lon"] is None else f"{rec['lon']:.6f}",
            "" if rec["precision_m"] is None else f"{rec['precision_m']:g}",
            rec["text"] if len(rec["text"]) <= 60 else rec["text"][:57] + "...",
            "; ".join(notes),
        ))
    n = len(records)
    print_table(f"{n} location{'s' if n != 1 else ''}",
                ("#", "chars", "kind", "lat", "lon", "± m", "text", "notes"), rows)
