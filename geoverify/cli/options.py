"""The one registry of options shared by the subcommands (in the manner of rio's and cligj's).

Every command that takes a point, a location from elsewhere, a map, named-sites files or an
output format takes it through the decorator here, so the same option reads the same way
everywhere:

=====================  ==========================================================================
``verbosity``          ``-v``/``-q`` (counted), before or after the subcommand: ``geoverify -v
                       batch ...`` and ``geoverify batch ... -v`` are the same
``format_option``      ``--format``/``-f``: ``table`` on a terminal, ``json`` in a pipe
``at_option``          ``--at LOCATION`` (repeatable): any notation :func:`geoverify.pipeline.parse_location`
                       reads (decimal, DMS, MGRS, UTM, map links, plus codes, a short code with
                       its locality); a bad one fails before any input is read
``point_argument``     ``POINT`` (the words of the argument joined): the same notations, one location
``near_option``        ``--near LOCATION``: the same notations
``map_option``         ``--map PATH``: ``.png``, ``.svg`` or ``.html``, the extension checked first
``sites_option``       ``--sites FILE`` (repeatable): extra named-sites JSON files
``input_argument``     ``[FILE|-]``
=====================  ==========================================================================

Importing this module costs only click: parsing a location imports the notation readers when
a value is given, the map code only when a map is drawn.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

FORMATS_ALL = ("table", "json", "geojson", "csv", "markdown")


# -- verbosity ------------------------------------------------------------------------------
def _verbosity_callback(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if not value:
        return
    from geoverify.cli import configure_logging, level_for

    root = ctx.find_root()
    root.ensure_object(dict)
    root.obj["verbosity"] = root.obj.get("verbosity", 0) + (value if param.name == "verbose" else -value)
    configure_logging(level_for(root.obj["verbosity"]))


def verbosity(f):
    """``-v``/``--verbose`` and ``-q``/``--quiet``, counted, added up wherever they are given."""
    # eager: counted before any other parameter is read, so -v shows the traceback of its error
    f = click.option(
        "-q",
        "--quiet",
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_verbosity_callback,
        help="Less logging on stderr (-qq: errors only).",
    )(f)
    f = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_verbosity_callback,
        help="More logging on stderr (-vv for debug; tracebacks of errors).",
    )(f)
    return f


# -- output format --------------------------------------------------------------------------
def format_option(*choices: str):
    """``--format``: ``table`` by default on a terminal, ``json`` in a pipe."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default=None,
        help=f"Output format ({', '.join(choices)}); default: table on a terminal, json otherwise.",
    )


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt.lower()
    return "table" if sys.stdout.isatty() else "json"


# -- locations ------------------------------------------------------------------------------
def parse_point(value: str, what: str = "POINT"):
    """One location from any notation (:func:`geoverify.pipeline.parse_location`).

    Raises
    ------
    click.BadParameter
        Nothing, or more than one location, could be read (one line, naming ``what``).
    """
    from geoverify.errors import GeoverifyError
    from geoverify.pipeline import parse_location

    try:
        return parse_location(value)
    except GeoverifyError as exc:
        raise click.BadParameter(" ".join(str(exc).split()), param_hint=what) from None


def _at_callback(ctx, param, values):
    return tuple(parse_point(v, "'--at'") for v in values)


def at_option(required: bool = False, help: str | None = None):
    """``--at LOCATION`` (repeatable), parsed into :class:`~geoverify.model.Location` objects."""
    return click.option(
        "--at",
        "at",
        multiple=True,
        required=required,
        metavar="LOCATION",
        callback=_at_callback,
        help=help
        or "A location from elsewhere to check the claims against (any notation extract "
        "understands, a short plus code with its locality; repeatable).",
    )


def _point_callback(ctx, param, words):
    text = " ".join(words).strip()
    if not text:
        raise click.BadParameter("no point given; expected e.g. 44.326859,131.668647", param_hint="POINT")
    return parse_point(text, "POINT")


#: ``POINT``: the words of the argument joined (``where 44.3 131.6`` and ``where "8MG9+PFR Sergeevka"``).
point_argument = click.argument("point", nargs=-1, required=True, callback=_point_callback)


def _near_callback(ctx, param, value):
    return None if value is None else parse_point(value, "'--near'")


near_option = click.option(
    "--near",
    metavar="LOCATION",
    callback=_near_callback,
    help="Rank candidates near this location higher (any notation).",
)


def location_info(loc) -> dict[str, Any]:
    """How a point argument was read (the ``input`` of ``where``'s JSON)."""
    info: dict[str, Any] = {"text": loc.text, "kind": loc.kind, "reading": loc.reading}
    if loc.alternatives:
        info["alternatives"] = [a.to_dict() for a in loc.alternatives]
    if loc.warnings:
        info["warnings"] = list(loc.warnings)
    if loc.reference:
        info["reference"] = loc.reference
    return info


# -- maps and named sites ---------------------------------------------------------------------
def _check_map_path(ctx, param, value):
    """Refuse an unknown extension before any work is done (one-line error, exit 2)."""
    if value is None:
        return None
    from geoverify.maps import MapError, map_format

    try:
        map_format(value)
    except MapError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value


map_option = click.option(
    "--map",
    "map_path",
    metavar="PATH",
    default=None,
    callback=_check_map_path,
    help="Also draw a map to PATH: .png, .svg or .html (self-contained, offline).",
)


def _regular_files(ctx, param, values):
    """Refuse a FIFO or a device (``--sites /dev/zero`` took 3.8 GB in 3 s): a sites file is read whole."""
    import os
    import stat

    for value in values:
        try:
            mode = os.stat(value).st_mode
        except OSError:
            continue  # missing: the reader names it
        if not stat.S_ISREG(mode):
            raise click.BadParameter(f"{value}: not a regular file", ctx=ctx, param=param)
    return values


sites_option = click.option(
    "--sites",
    "sites",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    callback=_regular_files,
    help="Extra named-sites JSON file (repeatable); see geoverify/schemas/sites.schema.json.",
)


# -- input --------------------------------------------------------------------------------------
input_argument = click.argument("source", required=False, default="-", metavar="[FILE|-]")


def read_text(source: str) -> str:
    """Read a whole input file (``-`` for stdin) as text.

    Bytes that are not UTF-8 are replaced (U+FFFD) with a warning on stderr naming the byte
    offset; see :mod:`geoverify.text.stream` (which also reads inputs of any size in bounded
    memory).

    Raises
    ------
    InputError
        Missing or unreadable file, or binary content (a NUL byte).
    """
    from geoverify.text.stream import read_text as _read

    return _read(source)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode input bytes (see :func:`geoverify.text.stream.decode_bytes`)."""
    from geoverify.text.stream import decode_bytes as _decode

    return _decode(data, name)


def echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def parse_latlon(value: str, what: str = "LAT,LON") -> tuple[float, float]:
    """A point argument read by the one location parser (:func:`geoverify.pipeline.parse_location`:
    any notation), as ``(lat, lon)``; a bad value is a usage error naming the option."""
    from geoverify.errors import ParseError
    from geoverify.pipeline import parse_location

    try:
        loc = parse_location(value)
    except ParseError as exc:
        raise click.BadParameter(f"{what}: {exc}") from None
    return float(loc.lat), float(loc.lon)


def print_table(title, columns, rows) -> None:
    """Print a table (see :func:`geoverify.report.tables.print_table`)."""
    from geoverify.report.tables import print_table as _print

    _print(title, columns, rows)


__all__ = [
    "verbosity",
    "format_option",
    "resolve_format",
    "at_option",
    "point_argument",
    "near_option",
    "map_option",
    "sites_option",
    "input_argument",
    "parse_point",
    "location_info",
    "read_text",
    "decode_bytes",
    "echo_json",
    "parse_latlon",
    "print_table",
    "FORMATS_ALL",
]
