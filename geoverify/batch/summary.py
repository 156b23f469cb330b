"""The summary at the end of a batch run: rows and claims per verdict, the most frequent reasons.

Reasons are counted per claim (an inconsistent or unverifiable claim gives
"<verdict> <kind>: <its reason or rule>") and per row where the row itself could
not be checked ("no text", "location too vague (where_prec 5)", "no location
claim found"). Quoted names and numbers are normalised away ("'Pavica' not
found in the gazetteer" and "'Dere' not found ..." count together), except in
"too vague" reasons, whose precision code is the point.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE

#: How many reasons the summary lists.
TOP_REASONS = 10


@dataclass
class Summary:
    """Counts over every row of a run (the whole output, resumed chunks included)."""

    input: str = ""
    output: str = ""
    rows: int = 0
    verdicts: Counter = field(default_factory=Counter)
    claims: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)  # reason → (0-based row index, claim text) of its first row
    errors: int = 0
    resumed_rows: int = 0
    computed_rows: int = 0
    workers: int = 1
    seconds: float = 0.0
    executor: str = "inline"
    peak_rss_kb: dict = field(default_factory=dict)
    cpu_seconds: float = 0.0  # CPU time the workers spent checking rows
    main_cpu_seconds: float = 0.0  # CPU time of the main process meanwhile (reading, sending, committing)
    worker_process_cpu_seconds: float = 0.0  # worker processes' whole CPU time (with start-up and loading)

    def add(self, result: dict[str, Any], row: int | None = None) -> None:
        """Count one row's result (``row``: its 0-based number in the input, for the examples)."""
        self.rows += 1
        self.verdicts[result["verdict"]] += 1
        self.claims[CONSISTENT] += int(result.get("n_consistent") or 0)
        self.claims[INCONSISTENT] += int(result.get("n_inconsistent") or 0)
        self.claims[UNVERIFIABLE] += int(result.get("n_unverifiable") or 0)
        for reason in result.get("_reasons") or ():
            key, example = (reason[0], reason[1]) if isinstance(reason, (list, tuple)) else (reason, None)
            self.reasons[key] += 1
            if key not in self.examples:
                self.examples[key] = (row, example)
        if result.get("_error"):
            self.errors += 1

    def add_all(self, results: Iterable[dict[str, Any]], first_row: int | None = None) -> None:
        for i, r in enumerate(results):
            self.add(r, None if first_row is None else first_row + i)

    def first_row(self, reason: str) -> int | None:
        """The data row (counted from 1, the header not counted) where a reason was first seen."""
        row = self.examples.get(reason, (None, None))[0]
        return None if row is None else row + 1

    def example(self, reason: str) -> str:
        """Where a reason was first seen: "data row 17: 'Dere village'" (data rows are counted from 1,
        the header line not counted: data row 1 is a CSV's second line)."""
        row, text = self.first_row(reason), self.examples.get(reason, (None, None))[1]
        if row is None:
            return ""
        return f"data row {row}" + (f": {text!r}" if text else "")

    @property
    def exit_status(self) -> int:
        """1 when any row is inconsistent, else 0."""
        return 1 if self.verdicts.get(INCONSISTENT) else 0

    @property
    def rows_per_second(self) -> float | None:
        return self.computed_rows / self.seconds if self.seconds > 0 and self.computed_rows else None

    def top_reasons(self, n: int = TOP_REASONS) -> list[tuple[str, int]]:
        return sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows_per_second
        return {
            "input": self.input,
            "output": self.output,
            "rows": self.rows,
            "verdicts": {v: self.verdicts.get(v, 0) for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE)},
            "claims": {v: self.claims.get(v, 0) for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE)},
            "top_reasons": [
                {
                    "reason": r,
                    "count": c,
                    "first_row": self.first_row(r),
                    "first_text": self.examples.get(r, (None, None))[1],
                }
                for r, c in self.top_reasons()
            ],
            "errors": self.errors,
            "resumed_rows": self.resumed_rows,
            "computed_rows": self.computed_rows,
            "workers": self.workers,
            "executor": self.executor,
            "seconds": round(self.seconds, 3),
            "rows_per_second": None if rate is None else round(rate, 1),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "main_cpu_seconds": round(self.main_cpu_seconds, 3),
            "worker_process_cpu_seconds": round(self.worker_process_cpu_seconds, 3),
            "rows_per_cpu_second": round(self.computed_rows / self.cpu_seconds, 1) if self.cpu_seconds else None,
            "peak_rss_mb_per_worker": sorted(round(kb / 1024, 1) for kb in self.peak_rss_kb.values()),
        }

    def lines(self) -> list[str]:
        """The summary as plain text lines."""
        v, c = self.verdicts, self.claims
        out = [
            f"{self.rows} rows → {self.output}",
            f"rows:   {v.get(CONSISTENT, 0)} consistent, {v.get(INCONSISTENT, 0)} inconsistent, "
            f"{v.get(UNVERIFIABLE, 0)} unverifiable",
            f"claims: {c.get(CONSISTENT, 0)} consistent, {c.get(INCONSISTENT, 0)} inconsistent, "
            f"{c.get(UNVERIFIABLE, 0)} unverifiable",
        ]
        if self.errors:
            out.append(f"errors: {self.errors} rows hit an internal error (see their reason column)")
        run = f"{self.computed_rows} rows checked in {self.seconds:.1f} s"
        if self.rows_per_second:
            run += (
                f" ({self.rows_per_second:.0f} rows/s, {self.workers} worker{'s' if self.workers != 1 else ''}"
                f", {self.executor})"
            )
        if self.resumed_rows:
            run += f"; {self.resumed_rows} rows resumed from an earlier run"
        out.append(run)
        if self.peak_rss_kb:
            out.append(
                "peak memory per worker: "
                + ", ".join(f"{kb / 1024:.0f} MB" for kb in sorted(self.peak_rss_kb.values()))
            )
        top = self.top_reasons()
        if top:
            out.append("most frequent reasons:")
            width = len(str(top[0][1]))
            out += [
                f"  {count:>{width}}  {reason}" + (f"  (first: {self.example(reason)})" if self.example(reason) else "")
                for reason, count in top
            ]
        return out

    def print(self, fmt: str = "text") -> None:
        """Print to stdout: ``json``, a rich ``table``, or plain ``text``."""
        import click

        if fmt == "json":
            import json

            click.echo(json.dumps(self.to_dict(), ensure_ascii=False, indent=2))
        elif fmt == "table":
            self._print_table()
        else:
            click.echo("\n".join(self.lines()))

    def _print_table(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        t = Table(title=f"{self.rows} rows → {self.output}", title_justify="left")
        for col in ("", CONSISTENT, INCONSISTENT, UNVERIFIABLE):
            t.add_column(col, justify="right" if col else "left")
        t.add_row("rows", *(str(self.verdicts.get(v, 0)) for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE)))
        t.add_row("claims", *(str(self.claims.get(v, 0)) for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE)))
        console.print(t)
        top = self.top_reasons()
        if top:
            r = Table(title="Most frequent reasons", title_justify="left")
            r.add_column("count", justify="right")
            r.add_column("reason")
            r.add_column("first seen")
            for reason, count in top:
                r.add_row(str(count), reason, self.example(reason))
            console.print(r)
        for line in self.lines()[3:]:
            if line.startswith(("most frequent", "  ")):
                continue
            console.print(f"[dim]{line}[/]")


__all__ = ["Summary", "TOP_REASONS"]
