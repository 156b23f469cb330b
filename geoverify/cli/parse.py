"""``geoverify parse TEXT``: read one location string in any notation, with every reading."""

from __future__ import annotations

import click

from geoverify.cli.options import echo_json, format_option, print_table, resolve_format, verbosity


@click.command(
    short_help="Read one location string (any notation) and print every reading.",
    context_settings={"ignore_unknown_options": True},
)
@click.argument("text", nargs=-1, required=True)
@format_option("table", "json", "geojson")
@verbosity
def parse(text, fmt):
    """Read TEXT as one location: decimal degrees, DMS, DDM, UTM, MGRS, a plus code, a map link.

    A string known to be a coordinate is read if it can be read at all
    ("40 7 22.8, -74 7 22.8", "27.15.45S 18.32.53E", "N66 W32", "32 w 66 s",
    "66 32", "[12.456,-78.90]"), with every other reading listed when it is
    ambiguous. --at, --near, where and batch --coord-column read points the
    same way. Several words are joined with a space, so quoting is optional.

    Exit status: 0 when read, 2 (with one line naming what is wrong) otherwise.
    """
    from geoverify.pipeline import parse_location

    loc = parse_location(" ".join(text), source="text")
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json(loc.to_dict())
        return
    if fmt == "geojson":
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                "properties": {
                    "role": "reading" if i == 0 else "alternative",
                    "reading": r.reading,
                    "text": loc.text,
                    "kind": loc.kind,
                    "precision_m": None if loc.precision_m is None else round(loc.precision_m, 3),
                },
            }
            for i, r in enumerate(loc.readings())
        ]
        echo_json({"type": "FeatureCollection", "features": feats})
        return
    rows = [("reading", f"{loc.lat:.7f}, {loc.lon:.7f}", loc.reading)]
    for alt in loc.alternatives:
        if alt.lat is not None:
            rows.append(("alternative", f"{alt.lat:.7f}, {alt.lon:.7f}", alt.reading))
    rows.append(("kind", loc.kind, f"precision ±{loc.precision_m:.1f} m" if loc.precision_m is not None else ""))
    if loc.code:
        rows.append(("code", loc.code, ""))
    for w in loc.warnings:
        rows.append(("warning", w, ""))
    print_table(f"{loc.text!r}", ("", "value", "how"), rows)
