"""``geoverify verify``: every location claim in a text, checked against its locations."""

from __future__ import annotations

import click

from geoverify.cli.options import at_option, format_option, input_argument, map_option, resolve_format, verbosity


def emit(report, fmt: str) -> None:
    """Write a report in ``fmt`` (kept for earlier callers: :func:`geoverify.report.write_report`)."""
    from geoverify.report import write_report

    write_report(report, fmt)


@click.command(short_help="Verify every location claim in a text.")
@input_argument
@at_option()
@click.option("--all-mentions", is_flag=True, help="Also check places named in passing.")
@format_option("table", "json", "geojson", "markdown")
@map_option
@verbosity
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
    from geoverify.report import write_report

    fmt = resolve_format(fmt)
    verifier, events = verify_file(source, at=at, all_mentions=all_mentions)
    if fmt == "json" and not map_path:  # streamed: bounded memory on inputs of any size
        from geoverify.gazetteer.integrity import select_index
        from geoverify.report.json import write_report_json

        select_index()  # a missing or broken index is one error line, before any JSON is written

        verdict = write_report_json(verifier, events, sys.stdout)
        return 1 if verdict == "inconsistent" else 0
    report = verifier.collect(events)
    if map_path:
        from geoverify.maps import write_map

        write_map(report, map_path)
    write_report(report, fmt)
    return report.exit_status
