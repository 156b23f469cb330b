"""``geoverify extract [FILE|-]``: list the coordinates, grid references, map links and plus
codes in a text.

Formats (rendered by :mod:`geoverify.report.locations`): ``json`` (one array of locations, the
contract in the README), ``geojson``, ``csv`` and ``table``. Location-looking text that cannot
be a location is reported on stderr as ``geoverify: warning: ...`` (at most
:data:`geoverify.text.stream.MAX_WARNINGS` per input, then a count).
"""

from __future__ import annotations

import click

from geoverify.cli.options import format_option, input_argument, resolve_format, verbosity


@click.command()
@input_argument
@format_option("table", "json", "geojson", "csv")
@verbosity
def extract(source, fmt):
    """Find coordinates, grid references, map links and plus codes in FILE (or stdin).

    Every location has its character span, its notation (kind), the uncertainty its
    notation implies, and every other plausible reading with a warning. Locations are
    numbered from 0, as in verify.

    Inputs of any size are read in windows of 1 MiB and the JSON, GeoJSON and CSV
    output is written as it is found; bytes that are not UTF-8 are replaced, with a
    warning naming their offset.
    """
    import logging
    import sys

    from geoverify.notation.stream import extract_stream
    from geoverify.report.locations import write_locations
    from geoverify.text.stream import started
    from geoverify.thresholds import MAX_WARNINGS_PER_TEXT

    log = logging.getLogger("geoverify")
    cap = None if log.isEnabledFor(logging.INFO) else MAX_WARNINGS_PER_TEXT  # -v: every warning
    chunks = started(extract_stream(source))  # unreadable input: no output
    shown = hidden = 0

    def records():
        nonlocal shown, hidden
        for locations, diagnostics in chunks:
            for diag in diagnostics:
                if cap is None or shown < cap:
                    log.warning("%s", diag)
                    shown += 1
                else:
                    hidden += 1
            for loc in locations:
                yield loc.to_dict()

    write_locations(sys.stdout, records(), resolve_format(fmt))
    if hidden:
        log.warning("%s more warnings about location-looking text not shown (-v shows them all)", f"{hidden:,}")
