"""``geoverify check``: claims typed on the command line, checked against locations."""

from __future__ import annotations

import click

from geoverify.cli.options import format_option, resolve_format
from geoverify.cli.verify import emit
from geoverify.maps.cli import map_option


@click.command(short_help="Check claims typed on the command line against a location.")
@click.option("--at", "at", multiple=True, required=True, metavar="LOCATION",
              help="The location to test (any notation extract understands; repeatable).")
@click.option("--claim", "claims", multiple=True, required=True, metavar="TEXT",
              help='A claim such as "near the China border", "Sergeevka", "20 km from Kramatorsk" (repeatable).')
@format_option("table", "json", "geojson", "markdown")
@map_option
def check(at, claims, fmt, map_path):
    """Check each --claim against each --at location.

    Exit status: 0 when no claim is inconsistent, 1 when one is, 2 on bad usage.
    """
    from geoverify.pipeline import check as run

    report = run(at, claims)
    if map_path:
        from geoverify.maps import write_map

        write_map(report, map_path)
    emit(report, resolve_format(fmt))
    return report.exit_status
