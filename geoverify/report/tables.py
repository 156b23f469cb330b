"""Tables for a person, with rich (imported when a table is printed, off the start-up path).

Cells wrap (``overflow="fold"``) instead of being cut with an ellipsis; numbers and codes
do not wrap. :func:`console_width` is what callers use to choose columns by width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column: its header, and whether its cells may wrap."""

    header: str
    wrap: bool = True
    justify: str = "left"
    min_width: int | None = None


def console(width: int | None = None):
    """A rich console on stdout; a file or a pipe is not cut at 80 columns (160)."""
    from rich.console import Console

    if width:
        return Console(width=width)
    c = Console()
    if not c.is_terminal and not _columns_env():
        return Console(width=160)
    return c


def _columns_env() -> int | None:
    import os

    try:
        return int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None


def console_width() -> int:
    return console().width


def print_table(
    title: str | None,
    columns: Iterable[str | Column],
    rows: Iterable[Sequence[Any]],
    width: int | None = None,
    show_lines: bool = False,
) -> None:
    """Print a table; ``None`` cells are empty."""
    from rich.table import Table

    table = Table(title=title, show_lines=show_lines, title_justify="left")
    for col in columns:
        col = col if isinstance(col, Column) else Column(col)
        table.add_column(
            col.header, justify=col.justify, no_wrap=not col.wrap, overflow="fold", min_width=col.min_width
        )
    from rich.text import Text

    for row in rows:  # Text: a name with "[...]" is not read as markup
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    console(width).print(table)


__all__ = ["Column", "print_table", "console", "console_width"]
