"""``geoverify where LAT,LON``: country, admin-1, macro-region, nearest places and land borders of a point."""

from __future__ import annotations

import re

import click

from geoverify.cli.options import (
    echo_json,
    format_option,
    parse_latlon,
    print_table,
    resolve_format,
)
from geoverify.errors import ParseError
from geoverify.maps.cli import map_option

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_PLAIN = re.compile(rf"^\s*({_NUM})\s*(?:[,;]\s*|\s+)({_NUM})\s*$")


def read_point(text: str) -> tuple[float, float, dict]:
    """(lat, lon, how it was read) from "LAT,LON", "LAT LON" or any notation :func:`geoverify.notation.extract` reads.

    Raises
    ------
    geoverify.errors.ParseError
        Out-of-range values, no location, or more than one location in the text.
    """
    text = text.strip()
    if not text:
        raise ParseError("no point given; expected LAT,LON like 44.326859,131.668647")
    m = _PLAIN.match(text)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not -90.0 <= lat <= 90.0:
            raise ParseError(f"latitude {lat:g} out of range [-90, 90]", text)
        if not -180.0 <= lon <= 180.0:
            raise ParseError(f"longitude {lon:g} out of range [-180, 180]", text)
        return lat, lon, {"text": text, "kind": "decimal", "reading": "decimal degrees, latitude first"}
    try:
        from geoverify.notation import extract
    except ImportError:  # extraction not installed: plain pairs only
        extract = None
    if extract is not None:
        found = [loc for loc in extract(text) if loc.has_point]
        if len(found) == 1:
            loc = found[0]
            info = {"text": loc.text, "kind": loc.kind, "reading": loc.reading}
            if loc.alternatives:
                info["alternatives"] = [a.to_dict() for a in loc.alternatives]
            if loc.warnings:
                info["warnings"] = list(loc.warnings)
            return float(loc.lat), float(loc.lon), info
        if len(found) > 1:
            raise ParseError(f"{len(found)} locations found; give one point", text)
    try:
        lat, lon = parse_latlon(text)
    except click.BadParameter as exc:
        raise ParseError(f"no coordinates found ({exc.message})") from None
    return lat, lon, {"text": text, "kind": "decimal", "reading": "decimal degrees, latitude first"}


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


@click.command()
@click.argument("point", nargs=-1, required=True)
@click.option("--borders", "k_borders", type=click.IntRange(min=0, max=20), default=3, show_default=True,
              help="How many nearest land borders to list.")
@click.option("--places", "k_places", type=click.IntRange(min=0, max=50), default=5, show_default=True,
              help="How many nearest populated places to list.")
@format_option("table", "json", "geojson")
@map_option
def where(point, k_borders, k_places, fmt, map_path):
    """Describe POINT: country, first-level region, macro-regions, nearest places and land borders.

    POINT is "LAT,LON" or "LAT LON" in decimal degrees, or any single location
    the extractor reads (DMS, UTM, MGRS, a plus code, a map link). Distances are
    geodesic on WGS84.
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
        rows.append(("admin-1", f"{a['name']} ({a['iso'] or '—'})", f"{a['distance_to_edge_km']} km "
                     + ("outside its polygon (coast)" if a.get("inside") is False else "inside the edge")))
    for r in res.get("region", []):
        rows.append(("region", r["name"], f"{r['distance_to_edge_km']} km inside the edge"))
    for d in res.get("districts", []):
        rows.append(("district" if d["kind"] == "admin2" else "admin-3", d["name"],
                     d["unit"] + (f", {d['vintage']}" if d.get("vintage") else "")))
    ap = res.get("nearest_airport")
    if ap:
        code = ap.get("icao") or ap.get("iata") or ap["id"].split(":", 1)[1]
        kind = ", military" if ap.get("military") else (", closed" if ap.get("closed") else "")
        rows.append(("airport", f"{ap['name']} ({code}{kind})", f"{ap['distance_km']} km, nearest"))
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
