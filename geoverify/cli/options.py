"""Options and helpers shared by the subcommands (rio/fio style)."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click


FORMATS_ALL = ("table", "json", "geojson", "csv", "markdown")


def format_option(*choices: str):
    """``--format``: ``table`` by default on a terminal, ``json`` in a pipe."""
    return click.option(
        "--format", "-f", "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default=None,
        help=f"Output format ({', '.join(choices)}); default: table on a terminal, json otherwise.",
    )


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt.lower()
    return "table" if sys.stdout.isatty() else "json"


input_argument = click.argument("source", required=False, default="-", metavar="[FILE|-]")


def read_text(source: str) -> str:
    """Read a whole input file (``-`` for stdin) as text.

    Bytes that are not UTF-8 are replaced (U+FFFD) with a warning on stderr naming
    the byte offset; see :mod:`geoverify.text.stream` (which also reads inputs of any
    size in bounded memory).

    Raises
    ------
    InputError
        Missing or unreadable file, or binary content (a NUL byte).
    """
    from geoverify.text.stream import read_text as _read

    return _read(source)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode input bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM; refuse binary (a NUL
    byte); replace invalid bytes with a warning naming their offset."""
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


def print_table(title: str | None, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Print a table with rich (imported here, off the start-up path)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)
