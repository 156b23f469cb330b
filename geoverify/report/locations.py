"""Locations (``geoverify extract``) as JSON, GeoJSON, CSV or a table, written as they are found.

Formats: ``json`` (one array of locations, the contract in the README), ``geojson`` (a
FeatureCollection of Points, lon/lat order per RFC 7946; a short plus code without a point is
a feature with ``"geometry": null``), ``csv`` (a header and one row per location; alternatives
and warnings JSON-encoded) and ``table`` (rich). Locations are numbered from 0, as in
``verify`` (the number is the index in the JSON array).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

CSV_COLUMNS = (
    "start",
    "end",
    "kind",
    "lat",
    "lon",
    "precision_m",
    "text",
    "reading",
    "code",
    "locality",
    "alternatives",
    "warnings",
)
FORMATS = ("table", "json", "geojson", "csv")


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
    import io

    buf = io.StringIO()
    write_csv(buf, records)
    return buf.getvalue()


def write_csv(out: IO[str], records: Iterable[dict]) -> int:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for rec in records:
        writer.writerow(csv_row(rec))
        n += 1
    return n


def write_geojson(out: IO[str], records: Iterable[dict]) -> int:
    """A FeatureCollection written feature by feature (bounded memory)."""
    from geoverify.report.json import JsonObjectWriter

    obj = JsonObjectWriter(out)
    obj.value("type", "FeatureCollection")
    features = obj.array("features")
    for rec in records:
        features.add(to_feature(rec))
    n = features.count
    features.close()
    obj.close()
    return n


def write_locations(out: IO[str], records: Iterable[dict], fmt: str) -> None:
    """Write location records (``Location.to_dict()``) in ``fmt``; JSON, GeoJSON and CSV stream."""
    if fmt == "json":
        from geoverify.report.json import write_json_array

        write_json_array(out, records)
    elif fmt == "geojson":
        write_geojson(out, records)
    elif fmt == "csv":
        write_csv(out, records)
    else:
        print_locations_table(list(records))


def print_locations_table(records: list[dict]) -> None:
    """A compact table that stays readable in 80 columns: the point as one wrapping cell,
    the verbatim text with its other readings and warnings underneath."""
    from geoverify.report.tables import print_table

    rows = []
    for i, rec in enumerate(records):
        if rec["lat"] is None or rec["lon"] is None:
            point = "(no point)"
        else:
            point = f"{rec['lat']:.6f}, {rec['lon']:.6f}"
        text = rec["text"] if len(rec["text"]) <= 60 else rec["text"][:57] + "..."
        lines = [text]
        if rec.get("locality"):
            lines.append(f"locality: {rec['locality']}")
        ref = rec.get("reference")
        if ref:
            lines.append(reference_line(ref))
        for alt in rec["alternatives"]:
            if alt.get("lat") is None:
                lines.append(f"or: {alt['reading']}")
            else:
                lines.append(f"or {alt['lat']:.6f}, {alt['lon']:.6f}: {alt['reading']}")
        lines.extend(f"warning: {w}" for w in rec["warnings"])
        rows.append((i, rec["kind"], point, _metres(rec["precision_m"]), "\n".join(lines)))
    n = len(records)
    print_table(f"{n} location{'s' if n != 1 else ''}", ("#", "kind", "lat, lon", "± m", "text"), rows)


def reference_line(ref: dict) -> str:
    """Which place a short plus code was recovered from: "placed from Sergeyevka, RU
    (geonames:2020626) as 8QPH8MG9+PFR"."""
    where = ", ".join(str(x) for x in (ref.get("name"), ref.get("country")) if x)
    ident = f" ({ref['id']})" if ref.get("id") else ""
    code = f" as {ref['code']}" if ref.get("code") else ""
    return f"placed from {where}{ident}{code}"


def _metres(value) -> str:
    if value is None:
        return ""
    return f"{value:.2g}" if value < 10 else f"{value:,.0f}"


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "to_feature",
    "to_geojson",
    "csv_row",
    "to_csv",
    "write_csv",
    "write_geojson",
    "write_locations",
    "print_locations_table",
    "reference_line",
]
