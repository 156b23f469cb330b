"""``geoverify verify``: every location claim in a text, checked against its locations."""

from __future__ import annotations

import click

from geoverify.cli.options import format_option, input_argument, resolve_format
from geoverify.maps.cli import map_option

at_option = click.option(
    "--at", "at", multiple=True, metavar="LOCATION",
    help="A location from elsewhere to check the claims against (any notation extract understands; repeatable).")


def emit(report, fmt: str) -> None:
    """Write a report in ``fmt`` and return its exit status (0 consistent, 1 inconsistent)."""
    from geoverify import report as render

    if fmt == "json":
        click.echo(render.to_json(report))
    elif fmt == "geojson":
        click.echo(render.to_geojson(report))
    elif fmt == "markdown":
        click.echo(render.to_markdown(report), nl=False)
    else:
        render.print_table(report)


@click.command(short_help="Verify every location claim in a text.")
@input_argument
@at_option
@click.option("--all-mentions", is_flag=True, help="Also check places named in passing.")
@format_option("table", "json", "geojson", "markdown")
@map_option
def verify(source, at, all_mentions, fmt, map_path):
    """Find the locations and location claims in FILE (or stdin) and check each claim
    against each location; print a verdict per claim with the measured evidence.

    Exit status: 0 when no claim is inconsistent, 1 when one is, 2 on bad usage or
    unreadable input.

    Inputs of any size are read in windows of 1 MiB (claims are checked against the
    locations of their window) and the JSON report is written as it is produced.
    """
    import sys

    from geoverify.pipeline import verify_file

    fmt = resolve_format(fmt)
    verifier, events = verify_file(source, at=at, all_mentions=all_mentions)
    if fmt == "json" and not map_path:  # streamed: bounded memory on inputs of any size
        from geoverify.report.json import write_report_json

        verdict = write_report_json(verifier, events, sys.stdout)
        return 1 if verdict == "inconsistent" else 0
    report = verifier.collect(events)
    if map_path:
        from geoverify.maps import write_map

        write_map(report, map_path)
    emit(report, fmt)
    return report.exit_status
