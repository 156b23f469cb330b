"""Gazetteer answers for a person or a program: ``resolve`` candidates and ``where`` descriptions.

``resolve`` tables choose their columns by the terminal's width (at 80 columns: score, name,
where, lat/lon and id, names wrapped; kind, feature and population join from 110 columns),
so nothing is cut to "Serg…".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from geoverify.report.tables import Column, console_width, print_table

#: ``resolve --format csv`` columns, in order.
PLACE_COLUMNS = (
    "score",
    "name",
    "kind",
    "feature",
    "country",
    "admin1",
    "lat",
    "lon",
    "population",
    "geonameid",
    "id",
    "matched",
)
#: From this width on, the resolve table shows kind, feature and population in their own columns.
WIDE = 110


def write_places_csv(out: IO[str], places: Iterable) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLACE_COLUMNS)
    for p in places:
        d = p.to_dict()
        writer.writerow(["" if d.get(c) is None else d.get(c) for c in PLACE_COLUMNS])


def print_places_table(places: list, title: str, width: int | None = None) -> None:
    """Candidates, best first, in a table that fits ``width`` (default: the terminal's)."""
    width = width or console_width()
    wide = width >= WIDE
    if wide:
        columns = [
            Column("score", wrap=False),
            Column("name"),
            Column("kind", wrap=False),
            Column("feature", wrap=False),
            Column("where"),
            Column("lat", wrap=False),
            Column("lon", wrap=False),
            Column("population", wrap=False, justify="right"),
            Column("id"),
        ]
    else:
        columns = [
            Column("score", wrap=False),
            Column("name"),
            Column("where"),
            Column("lat, lon", wrap=False),
            Column("id"),
        ]
    rows = []
    for p in places:
        d = p.to_dict()
        name = p.name
        if d.get("matched") and d["matched"] != p.name:
            name += f"\n({d['matched']})"
        where = ", ".join(x for x in (p.country, p.admin1) if x)
        unit = (p.extra or {}).get("unit")  # districts, councils: "admin2 (raion, 2020)"
        kind_shown = (
            p.kind
            if not unit
            else f"{p.kind} ({unit}" + (f", {p.extra['vintage']})" if p.extra.get("vintage") else ")")
        )
        lat = f"{p.lat:.5f}" if p.lat is not None else ""
        lon = f"{p.lon:.5f}" if p.lon is not None else ""
        if wide:
            rows.append(
                [
                    f"{p.score:.3f}",
                    name,
                    kind_shown,
                    p.feature,
                    where,
                    lat,
                    lon,
                    "" if p.population is None else f"{p.population:,}",
                    p.id,
                ]
            )
        else:
            kind = kind_shown if kind_shown == (p.feature or "") else f"{kind_shown} {p.feature}".strip()
            rows.append([f"{p.score:.3f}", f"{name}\n{kind}", where, f"{lat}\n{lon}", p.id])
    print_table(title, columns, rows, width=width, show_lines=not wide)


# -- where ------------------------------------------------------------------------------------
def where_geojson(res: dict) -> dict:
    """A FeatureCollection: the point (with the where() summary), its nearest places and border points."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [res["lon"], res["lat"]]},
            "properties": {
                "role": "point",
                "country": (res.get("country") or {}).get("iso"),
                "admin1": (res.get("admin1") or {}).get("iso"),
                "region": [r["id"] for r in res.get("region", [])],
                "notes": res.get("notes", []),
            },
        }
    ]
    for p in res.get("nearest_places", []):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {"role": "place", "name": p["name"], "id": p["id"], "distance_km": p["distance_km"]},
            }
        )
    for b in res.get("borders", []):
        n = b["nearest"]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[res["lon"], res["lat"]], [n["lon"], n["lat"]]]},
                "properties": {
                    "role": "border",
                    "countries": b["countries"],
                    "distance_km": b["distance_km"],
                    "source": b["source"],
                    "note": "straight line in lon/lat between the point and the nearest border point",
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def print_where_table(res: dict) -> None:
    """The ``where`` description as a three-column table, then its sources."""
    import click

    c, a = res.get("country"), res.get("admin1")
    how = res.get("input") or {}
    rows = [("point", f"{res['lat']:.6f}, {res['lon']:.6f}", how.get("reading", ""))]
    if c:
        rows.append(("country", f"{c['name']} ({c['iso']})", f"{c['distance_to_edge_km']} km inside the edge"))
    elif res.get("waters"):
        rows.append(("country", "—", f"in the waters of {res['waters']['name']}"))
    else:
        rows.append(("country", "—", "at sea"))
    if res.get("nearest_country"):
        nc = res["nearest_country"]
        rows.append(("nearest country", f"{nc['name']} ({nc['iso']})", f"{nc['distance_km']} km"))
    if a:
        rows.append(
            (
                "admin-1",
                f"{a['name']} ({a['iso'] or '—'})",
                f"{a['distance_to_edge_km']} km "
                + ("outside its polygon (coast)" if a.get("inside") is False else "inside the edge"),
            )
        )
    for r in res.get("region", []):
        rows.append(("region", r["name"], f"{r['distance_to_edge_km']} km inside the edge"))
    for d in res.get("districts", []):  # the finer layers (admin-2/admin-3 units containing the point)
        rows.append(
            (
                "district" if d["kind"] == "admin2" else "admin-3",
                d["name"],
                d["unit"] + (f", {d['vintage']}" if d.get("vintage") else ""),
            )
        )
    ap = res.get("nearest_airport")
    if ap:
        code = ap.get("icao") or ap.get("iata") or ap["id"].split(":", 1)[1]
        kind = ", military" if ap.get("military") else (", closed" if ap.get("closed") else "")
        rows.append(("airport", f"{ap['name']} ({code}{kind})", f"{ap['distance_km']} km, nearest"))
    for b in res.get("borders", []):
        other = "; ".join(
            f"{o['source']}: {o['distance_km']} km"
            for o in b.get("other_sources", [])
            if o.get("distance_km") is not None
        )
        rows.append(
            (
                "border",
                "–".join(b["names"]),
                f"{b['distance_km']} km ({b['source']}" + (f"; {other})" if other else ")"),
            )
        )
    for p in res.get("nearest_places", []):
        rows.append(
            (
                "place",
                f"{p['name']} ({p['country'] or ''}{', ' + p['admin1'] if p.get('admin1') else ''})",
                f"{p['distance_km']} km, bearing {p['bearing_deg']}° from it",
            )
        )
    for n in res.get("notes", []):
        rows.append(("note", n, ""))
    for w in how.get("warnings", []):
        rows.append(("input warning", w, ""))
    print_table(None, ("", "what", "detail"), rows)
    click.echo("Sources: " + "; ".join(res.get("sources", [])))


__all__ = ["PLACE_COLUMNS", "write_places_csv", "print_places_table", "where_geojson", "print_where_table"]
