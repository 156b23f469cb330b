"""Plain-text tables (no colour, no box drawing) for assertion messages, logs and narrow terminals.

Cells are never cut: a table wider than ``width`` wraps its widest columns (a cell becomes
several lines), so the whole evidence is always there to read.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

#: Columns are never wrapped narrower than this (characters).
MIN_COLUMN = 10
#: Words up to this long are kept whole while any other column can give way.
MAX_WORD = 16
GAP = "  "


def default_width() -> int:
    """The terminal's width (``COLUMNS`` or the terminal), 100 when unknown."""
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for para in str(text).splitlines() or [""]:
        out.extend(textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False) or [""])
    return out


def column_widths(rows: Sequence[Sequence[str]], width: int, gap: int = len(GAP)) -> list[int]:
    """Widths that fit ``rows`` (the header first) in ``width`` characters where possible:
    the widest columns give way first, none below :data:`MIN_COLUMN` (or its natural width)."""
    natural = [
        max((len(line) for row in rows for line in str(row[i]).splitlines() or [""]), default=0)
        for i in range(len(rows[0]))
    ]
    # a column is not made narrower than its longest word (up to MAX_WORD) unless nothing else gives
    words = [
        min(MAX_WORD, max((len(w) for row in rows for w in str(row[i]).split()), default=0))
        for i in range(len(rows[0]))
    ]
    widths = list(natural)
    budget = width - gap * (len(widths) - 1)
    for floors in ([max(MIN_COLUMN, w) for w in words], [MIN_COLUMN] * len(widths)):
        while sum(widths) > budget:
            shrinkable = [i for i in range(len(widths)) if widths[i] > min(natural[i], floors[i])]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def text_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None, rule: bool = True
) -> str:
    """A plain-text table fitted to ``width`` (default: the terminal's), wrapping, never cutting, cells."""
    width = width or default_width()
    cells = [[("" if v is None else str(v)) for v in row] for row in [header, *rows]]
    widths = column_widths(cells, width)
    lines = []
    for n, row in enumerate(cells):
        wrapped = [_wrap(v, w) for v, w in zip(row, widths)]
        for k in range(max(len(c) for c in wrapped)):
            lines.append(GAP.join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths)).rstrip())
        if n == 0 and rule:
            lines.append(GAP.join("-" * w for w in widths))
    return "\n".join(lines)


def verdict_table(report, width: int | None = None) -> str:
    """A report's claims with verdict, measured figure, threshold and reference (or reason), its
    comparisons and overall verdict, as plain text wrapped to ``width``."""
    from geoverify.report.verdicts import measured, other_pairs_line, threshold

    width = width or default_width()
    rows = []
    for r in report.claims:
        ev = r.evidence
        ref = str(ev.get("reference") or "")
        reason = ev.get("reason")
        if reason and reason != ref:
            ref = f"{ref} ({reason})" if ref else str(reason)
        rows.append((r.claim.text, r.claim.kind, r.verdict, measured(r), threshold(r), ref))
    lines = (
        [text_table(("claim", "kind", "verdict", "measured", "threshold", "reference"), rows, width)]
        if rows
        else ["no claims"]
    )
    for c in report.comparisons:
        lines.extend(
            _wrap(
                f"locations {c['locations'][0]} and {c['locations'][1]}: {c['distance_m']} m apart, "
                f"same place: {c['same_place']}" + (f", {c['verdict']}" if "verdict" in c else ""),
                width,
            )
        )
    line = other_pairs_line(report)
    if line:
        lines.extend(_wrap(line, width))
    lines.append(f"overall: {report.verdict}")
    return "\n".join(lines)


__all__ = ["text_table", "verdict_table", "column_widths", "default_width"]
