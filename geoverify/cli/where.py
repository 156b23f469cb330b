"""``geoverify where POINT``: country, admin-1, macro-region, nearest places and land borders of a point."""

from __future__ import annotations

import click

from geoverify.cli.options import (
    echo_json,
    format_option,
    location_info,
    map_option,
    parse_point,
    point_argument,
    resolve_format,
    verbosity,
)


def read_point(text: str) -> tuple[float, float, dict]:
    """(lat, lon, how it was read) of one location in any notation (kept for earlier callers).

    Raises
    ------
    geoverify.errors.ParseError
        Out-of-range values, no location, or more than one location in the text.
    """
    from geoverify.errors import ParseError

    try:
        loc = parse_point(text)
    except click.BadParameter as exc:
        raise ParseError(exc.message) from None
    return float(loc.lat), float(loc.lon), location_info(loc)


@click.command(context_settings={"ignore_unknown_options": True})  # negative numbers in POINT
@point_argument
@click.option(
    "--borders",
    "k_borders",
    type=click.IntRange(min=0, max=20),
    default=3,
    show_default=True,
    help="How many nearest land borders to list.",
)
@click.option(
    "--places",
    "k_places",
    type=click.IntRange(min=0, max=50),
    default=5,
    show_default=True,
    help="How many nearest populated places to list.",
)
@format_option("table", "json", "geojson")
@map_option
@verbosity
def where(point, k_borders, k_places, fmt, map_path):
    """Describe POINT: country, first-level region, macro-regions, nearest places and land borders.

    POINT is "LAT,LON" or "LAT LON" in decimal degrees, or any single location
    the extractor reads (DMS, UTM, MGRS, a map link, a plus code, a short plus
    code with its locality: "H2W2+4F Bakhmut"). Distances are geodesic on WGS84.
    """
    from geoverify.gazetteer.boundaries import get_boundaries

    lat, lon = float(point.lat), float(point.lon)
    res = get_boundaries().where(lat, lon, k_borders=k_borders, k_places=k_places)
    res = {"input": location_info(point), **res}
    if map_path:
        from geoverify.maps import where_map

        where_map(lat, lon, map_path, k_places=k_places, k_borders=k_borders)
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json(res)
    elif fmt == "geojson":
        from geoverify.report.places import where_geojson

        echo_json(where_geojson(res))
    else:
        from geoverify.report.places import print_where_table

        print_where_table(res)
