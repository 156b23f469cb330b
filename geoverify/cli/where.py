"""``geoverify where LAT,LON``: country, admin-1, macro-region, nearest places and land borders of a point."""

from __future__ import annotations

import click

from geoverify.cli.options import (
    echo_json,
    format_option,
    print_table,
    resolve_format,
)
from geoverify.maps.cli import map_option

def read_point(text: str) -> tuple[float, float, dict]:
    """(lat, lon, how it was read) of a point in any notation, read by the one location parser
    (:func:`geoverify.pipeline.parse_location`).

    Raises
    ------
    geoverify.errors.ParseError
        Out-of-range values, no location, or more than one location in the text.
    """
    from geoverify.pipeline import parse_location

    loc = parse_location(text)
    info = {"text": loc.text, "kind": loc.kind, "reading": loc.reading}
    if loc.alternatives:
        info["alternatives"] = [a.to_dict() for a in loc.alternatives]
    if loc.warnings:
        info["warnings"] = list(loc.warnings)
    return float(loc.lat), float(loc.lon), info


def to_geojson(res: dict) -> dict:
    """A FeatureCollection: the point (with the where() summary), its nearest places and border points."""
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [res["lon"], res["lat"]]},
              "properties": {"role": "point", "country": (res.get("country") or {}).get("iso"),
                             "admin1": (res.get("admin1") or {}).get("iso"),
                             "region": [r["id"] for r in res.get("region", [])], "notes": res.get("notes", [])}}]
    for p in res.get("nearest_places", []):
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                      "properties": {"role": "place", "name": p["name"], "id": p["id"],
                                     "distance_km": p["distance_km"]}})
    for b in res.get("borders", []):
        n = b["nearest"]
        feats.append({"type": "Feature", "geometry": {"type": "LineString",
                                                      "coordinates": [[res["lon"], res["lat"]], [n["lon"], n["lat"]]]},
                      "properties": {"role": "border", "countries": b["countries"], "distance_km": b["distance_km"],
                                     "source": b["source"], "note": "straight line in lon/lat between the point "
                                                                    "and the nearest border point"}})
    return {"type": "FeatureCollection", "features": feats}


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("point", nargs=-1, required=True)
@click.option("--borders", "k_borders", type=click.IntRange(min=0, max=20), default=3, show_default=True,
              help="How many nearest land borders to list.")
@click.option("--places", "k_places", type=click.IntRange(min=0, max=50), default=5, show_default=True,
              help="How many nearest populated places to list.")
@format_option("table", "json", "geojson")
@map_option
def where(point, k_borders, k_places, fmt, map_path):
    """Describe POINT: country, first-level region, macro-regions, nearest places and land borders.

    POINT is one location in any notation `geoverify parse` reads: "LAT,LON" or
    "LAT LON" in decimal degrees, DMS, UTM, MGRS, a plus code, a map link. Distances
    are geodesic on WGS84.
    """
    lat, lon, how = read_point(" ".join(point))
    from geoverify.gazetteer.boundaries import get_boundaries

    res = get_boundaries().where(lat, lon, k_borders=k_borders, k_places=k_places)
    res = {"input": how, **res}
    if map_path:
        from geoverify.maps import where_map

        where_map(lat, lon, map_path, k_places=k_places, k_borders=k_borders)
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json(res)
        return
    if fmt == "geojson":
        echo_json(to_geojson(res))
        return
    _print_table(res)


def _print_table(res: dict) -> None:
    c, a = res.get("country"), res.get("admin1")
    rows = [("point", f"{res['lat']:.6f}, {res['lon']:.6f}", res["input"].get("reading", ""))]
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
        rows.append(("admin-1", f"{a['name']} ({a['iso'] or '—'})", f"{a['distance_to_edge_km']} km inside the edge"))
    for r in res.get("region", []):
        rows.append(("region", r["name"], f"{r['distance_to_edge_km']} km inside the edge"))
    for b in res.get("borders", []):
        other = "; ".join(f"{o['source']}: {o['distance_km']} km" for o in b.get("other_sources", [])
                          if o.get("distance_km") is not None)
        rows.append(("border", "–".join(b["names"]), f"{b['distance_km']} km ({b['source']}"
                     + (f"; {other})" if other else ")")))
    for p in res.get("nearest_places", []):
        rows.append(("place", f"{p['name']} ({p['country'] or ''}{', ' + p['admin1'] if p.get('admin1') else ''})",
                     f"{p['distance_km']} km, bearing {p['bearing_deg']}° from it"))
    for n in res.get("notes", []):
        rows.append(("note", n, ""))
    for w in res["input"].get("warnings", []):
        rows.append(("input warning", w, ""))
    print_table(None, ("", "what", "detail"), rows)
    click.echo("Sources: " + "; ".join(res.get("sources", [])))
