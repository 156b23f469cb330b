"""Batch verification of whole event tables (conflict event datasets, geolocation sheets, post archives).

``geoverify batch INPUT --output FILE --text-column description --lat-column latitude
--lon-column longitude`` checks every row's text against its coordinates and writes
the table back with a verdict per row. Library API:

- :func:`run_batch` — the whole run (chunks, workers, resume, output), returns a :class:`Summary`;
- :class:`RowSpec` — which columns hold what, and the precision scheme;
- :func:`evaluate` — one row's result (what each worker computes).

Modules: :mod:`.io` (formats), :mod:`.rows` (one row), :mod:`.runner` (chunks, processes,
resume), :mod:`.dask_runner` (a Dask cluster), :mod:`.progress`, :mod:`.summary`.
"""

from __future__ import annotations

__all__ = ["run_batch", "RowSpec", "evaluate", "Summary", "RESULT_COLUMNS", "BatchStateError", "BatchInterrupted"]


def __getattr__(name: str):
    if name in ("run_batch", "BatchStateError", "BatchInterrupted"):
        from geoverify.batch import runner

        return getattr(runner, name)
    if name in ("RowSpec", "evaluate", "RESULT_COLUMNS"):
        from geoverify.batch import rows

        return getattr(rows, name)
    if name == "Summary":
        from geoverify.batch.summary import Summary

        return Summary
    raise AttributeError(name)
