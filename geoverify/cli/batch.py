"""``geoverify batch``: verify every row of an event table and write it back with verdicts."""

from __future__ import annotations

import click

from geoverify.cli.options import format_option, resolve_format, verbosity


@click.command(short_help="Verify every row of an event table (CSV, TSV, JSONL, GeoJSON, GPKG, Parquet).")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Output table; its extension chooses the format (.csv .tsv .jsonl .ndjson .geojson .gpkg "
    ".parquet .geoparquet).",
)
@click.option(
    "--text-column",
    "-t",
    required=True,
    metavar="COLUMN",
    help="Column with each row's description (the text whose location claims are checked).",
)
@click.option("--lat-column", metavar="COLUMN", help="Column with the latitude (decimal degrees).")
@click.option("--lon-column", metavar="COLUMN", help="Column with the longitude (decimal degrees).")
@click.option(
    "--coord-column",
    "--location-column",
    "location_column",
    metavar="COLUMN",
    help="Column with one location per row instead, in any notation `geoverify parse` reads "
    '("4.3667, 18.5833", "4 22 0 N, 18 35 0 E", MGRS, a plus code); --location-column is '
    "the same option.",
)
@click.option(
    "--geometry/--no-geometry",
    "use_geometry",
    default=True,
    show_default=True,
    help="Use the input's point geometry (GeoJSON, GeoPackage, GeoParquet) when no location column "
    "is given. Without any location, claims are checked against coordinates in the text.",
)
@click.option(
    "--precision-column",
    metavar="COLUMN",
    help="Column giving each location's precision (read with --precision-scheme).",
)
@click.option(
    "--precision-scheme",
    type=click.Choice(["ucdp", "m", "km"]),
    help="ucdp: UCDP GED where_prec (1 exact, 2 +25 km, 3 admin-2 +50 km, 4 admin-1 +150 km, "
    "5-7 too vague: unverifiable); m / km: a radius.",
)
@click.option(
    "--tolerance-km",
    type=float,
    default=0.0,
    show_default=True,
    help="A radius added to every row's location precision.",
)
@click.option(
    "--country",
    metavar="CC",
    help="Look towns, villages and sites up only in this country (ISO code or name); countries, "
    "regions and borders anywhere. For one country's events: unknown villages are then 'not "
    "found' instead of matched to a similar name abroad.",
)
@click.option("--country-column", metavar="COLUMN", help="The same, per row, from a column of codes or names.")
@click.option("--all-mentions", is_flag=True, help="Also check places named in passing in long texts.")
@click.option("--layer", metavar="NAME", help="GeoPackage layer to read.")
@click.option(
    "--workers", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core)."
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per committed chunk (default 250); a resumed run must use the same.",
)
@click.option(
    "--restart",
    is_flag=True,
    help="Discard the committed chunks of an earlier, unfinished run with other input or options.",
)
@click.option("--keep-parts", is_flag=True, help="Keep OUTPUT.parts/ (the committed chunks) after the run.")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786); needs the 'dask' extra.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: only when stderr is a terminal)."
)
@format_option("table", "json", "text")
@verbosity
def batch(
    input_path,
    output,
    text_column,
    lat_column,
    lon_column,
    location_column,
    use_geometry,
    precision_column,
    precision_scheme,
    tolerance_km,
    country,
    country_column,
    all_mentions,
    layer,
    workers,
    chunk_size,
    restart,
    keep_parts,
    scheduler,
    progress,
    fmt,
):
    """Check every row of INPUT: its text's location claims against its coordinates.

    Writes OUTPUT with every input column plus verdict, n_consistent, n_inconsistent,
    n_unverifiable, worst_claim, worst_measured, worst_threshold, worst_reference,
    reason and evidence (the full report as JSON), then prints a summary.

    Chunks of rows are committed to OUTPUT.parts/ as they finish: an interrupted
    run (Ctrl-C, killed) resumes where it stopped when run again with the same
    arguments.

    Exit status: 0 when no row is inconsistent, 1 when one is, 2 on bad usage or
    unreadable input.
    """
    from geoverify.batch.rows import RowSpec
    from geoverify.batch.runner import DEFAULT_CHUNK_SIZE, BatchInterrupted, run_batch
    from geoverify.errors import GeoverifyError

    spec = RowSpec(
        text_column=text_column,
        lat_column=lat_column,
        lon_column=lon_column,
        location_column=location_column,
        precision_column=precision_column,
        precision_scheme=precision_scheme,
        tolerance_km=tolerance_km,
        all_mentions=all_mentions,
        use_geometry=use_geometry,
        country=country,
        country_column=country_column,
    )
    try:
        summary = run_batch(
            input_path,
            output,
            spec,
            workers=workers,
            chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
            restart=restart,
            keep_parts=keep_parts,
            progress=progress,
            layer=layer,
            scheduler=scheduler,
        )
    except BatchInterrupted as exc:
        raise GeoverifyError(str(exc)) from None
    fmt = resolve_format(fmt)
    summary.print(fmt)
    return summary.exit_status
