"""``geoverify check``: claims typed on the command line, checked against locations."""

from __future__ import annotations

import click

from geoverify.cli.options import at_option, format_option, map_option, resolve_format, verbosity


@click.command(short_help="Check claims typed on the command line against a location.")
@at_option(required=True, help="The location to test (any notation extract understands; repeatable).")
@click.option(
    "--claim",
    "claims",
    multiple=True,
    required=True,
    metavar="TEXT",
    help='A claim such as "near the China border", "Sergeevka", "20 km from Kramatorsk" (repeatable).',
)
@format_option("table", "json", "geojson", "markdown")
@map_option
@verbosity
def check(at, claims, fmt, map_path):
    """Check each --claim against each --at location.

    Exit status: 0 when no claim is inconsistent, 1 when one is, 2 on bad usage.
    """
    from geoverify.pipeline import check as run
    from geoverify.report import write_report

    report = run(at, claims)
    if map_path:
        from geoverify.maps import write_map

        write_map(report, map_path)
    write_report(report, resolve_format(fmt))
    return report.exit_status
