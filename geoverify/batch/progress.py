"""A progress bar with rate and ETA on a terminal; nothing at all in a pipeline.

The bar is drawn on stderr with :mod:`rich` only when stderr is a terminal (or
when asked explicitly), so ``geoverify batch ... 2>log`` and CI logs stay clean.
Rows resumed from an earlier run count as done from the start but not toward
the rate.
"""

from __future__ import annotations

import sys
from typing import Any


class BatchProgress:
    """Context manager: ``with BatchProgress(total, done) as bar: bar.advance(n)``.

    Parameters
    ----------
    total : int
        Rows in the input.
    done : int
        Rows already done (resumed).
    enabled : bool or None
        ``None``: only when stderr is a terminal.
    description : str
    """

    def __init__(self, total: int, done: int = 0, enabled: bool | None = None, description: str = "verifying"):
        self.total = total
        self.done = done
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.description = description
        self._progress: Any = None
        self._task = None

    def __enter__(self) -> BatchProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                _RateColumn(),
                TextColumn("elapsed"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
                speed_estimate_period=60.0,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total, completed=self.done)
        return self

    def advance(self, rows: int) -> None:
        """Count ``rows`` more rows as done."""
        self.done += rows
        if self._progress is not None:
            self._progress.update(self._task, advance=rows)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _rate_column_class():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Rows per second, over the last minute."""

        def render(self, task):
            speed = task.speed
            if speed is None:
                return Text("– rows/s", style="progress.data.speed")
            return Text(f"{speed:,.0f} rows/s" if speed >= 10 else f"{speed:.1f} rows/s", style="progress.data.speed")

    return RateColumn


def _RateColumn():
    return _rate_column_class()()


__all__ = ["BatchProgress"]
