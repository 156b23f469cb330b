"""Run a batch on a Dask cluster (``geoverify batch ... --scheduler tcp://host:8786``).

Needs the ``dask`` extra (``pip install 'geoverify[dask]'``: ``dask[dataframe,distributed]`` and
``dask-geopandas``), and geoverify with its built index installed on every worker.

The job is the same as on one machine (:mod:`geoverify.batch.runner`): the same
chunks, committed to the same ``<output>.parts/`` directory as they finish, so a
Dask run resumes like any other and its output is identical to a single-machine
run's. The client reads the input and sends each chunk's cells (text, location,
precision: a few hundred bytes a row) to the cluster as a partition of a
:func:`dask.dataframe.from_map` DataFrame; a partition's result is a pandas
DataFrame of the result columns. A window of at most ``max_inflight`` partitions
is in flight at a time, refilled as partitions finish, so neither the client
nor the scheduler holds the whole table.

The gazetteer and boundary index are loaded once per worker process by a
:class:`~distributed.diagnostics.plugin.WorkerPlugin` when it joins (and, for
safety, by a per-process flag before the first partition it checks). Start the
workers as processes with one thread each (``dask worker --nworkers N --nthreads 1``,
or ``LocalCluster(processes=True, threads_per_worker=1)``): verification is CPU-bound
Python, so threads add nothing but contention on the gazetteer.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from geoverify.batch.rows import RowCells, RowSpec
from geoverify.errors import GeoverifyError

#: A partition carries each row's result as one JSON text in this column (immune to Dask's
#: dtype conversions, and the same JSON the parts files hold).
RESULT_FIELD = "result"
PLUGIN_NAME = "geoverify-gazetteer"
#: How long to try reaching the scheduler before giving up.
CONNECT_TIMEOUT = "20s"

_WARMED: set[int] = set()
_WARM_LOCK = threading.Lock()


def _require_dask():
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise GeoverifyError(f"--scheduler needs Dask: pip install 'geoverify[dask]' ({exc})") from None


def _plugin_class():
    from distributed.diagnostics.plugin import WorkerPlugin

    class GazetteerPlugin(WorkerPlugin):
        """Loads the gazetteer and boundary index once in each worker process."""

        name = PLUGIN_NAME
        idempotent = True

        def __init__(self, warm: Callable | None):
            self.warm = warm

        def setup(self, worker) -> None:
            _warm_once(self.warm)

    return GazetteerPlugin


def _warm_once(warm: Callable | None) -> None:
    """Load once per process; the plugin (event-loop thread) and the first task (a worker thread)
    may get here together, and the second must wait for the first rather than load beside it."""
    if warm is None:
        return
    with _WARM_LOCK:
        if os.getpid() not in _WARMED:
            warm()
            _WARMED.add(os.getpid())


def check_partition(cells: list, index: int, spec: RowSpec, verify_fn: Callable | None, warm: Callable | None):
    """One partition (a chunk): a pandas DataFrame with one JSON result per row in
    :data:`RESULT_FIELD`, the worker's pid and peak memory in its ``attrs``."""
    import json

    import pandas as pd

    from geoverify.batch.runner import check_chunk, peak_rss_kb

    _warm_once(warm)
    cpu = time.process_time()
    results = check_chunk([RowCells(*c) for c in cells], spec, verify_fn)
    cpu = time.process_time() - cpu
    frame = pd.DataFrame(
        {RESULT_FIELD: [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in results]}, dtype=object
    )
    frame.attrs["chunk"] = index
    frame.attrs["pid"] = os.getpid()
    frame.attrs["peak_rss_kb"] = peak_rss_kb()
    frame.attrs["cpu_seconds"] = cpu
    return frame


def _meta():
    import pandas as pd

    return pd.DataFrame({RESULT_FIELD: pd.Series([], dtype=object)})


def _records(frame) -> list[dict[str, Any]]:
    import json

    return [json.loads(text) for text in frame[RESULT_FIELD].tolist()]


class DaskExecutor:
    """Checks chunks as partitions on a Dask cluster.

    Parameters
    ----------
    scheduler : str or distributed.Client
        A scheduler address, or a client to use (not closed at the end).
    spec, verify_fn, warm
        As for :class:`geoverify.batch.runner.ProcessExecutor`.
    max_inflight : int, optional
        Partitions in flight at once (default: twice the cluster's threads).
    """

    name = "dask"

    def __init__(
        self,
        scheduler: Any,
        spec: RowSpec,
        verify_fn: Callable | None,
        warm: Callable | None,
        max_inflight: int | None = None,
    ):
        _require_dask()
        self.scheduler = scheduler
        self.spec, self.verify_fn, self.warm = spec, verify_fn, warm
        self.max_inflight = max_inflight
        self.client = None
        self._own_client = False
        self.workers = 0
        self.peak_rss_kb: dict[int, int] = {}
        self.cpu_seconds = 0.0

    def __enter__(self):
        from distributed import Client

        if isinstance(self.scheduler, Client):
            self.client = self.scheduler
        else:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise GeoverifyError(f"cannot reach the Dask scheduler {self.scheduler!r}: {exc}") from None
            self._own_client = True
        self.client.register_plugin(_plugin_class()(self.warm), name=PLUGIN_NAME)
        threads = self.client.nthreads()
        self.workers = sum(threads.values()) or 1
        self.max_inflight = self.max_inflight or 2 * self.workers
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._own_client and self.client is not None:
            self.client.close()
        self.client = None
        return False

    def _submit(self, batch: list[tuple[int, list[RowCells]]]) -> list:
        import dask.dataframe as dd

        frame = dd.from_map(
            check_partition,
            [[tuple(c) for c in cells] for _i, cells in batch],
            [i for i, _c in batch],
            args=[self.spec, self.verify_fn, self.warm],
            meta=_meta(),
            divisions=[None] * (len(batch) + 1),
            label="geoverify-batch",
            enforce_metadata=False,
        )
        futures = self.client.compute(frame.to_delayed())
        for fut, (index, _cells) in zip(futures, batch):
            fut.geoverify_chunk = index
        return futures

    def run(self, tasks: Iterable[tuple[int, list[RowCells]]], on_result) -> None:
        from distributed import as_completed

        it: Iterator = iter(tasks)
        refill = max(1, self.max_inflight // 2)

        def take(n: int) -> list:
            out = []
            for _ in range(n):
                task = next(it, None)
                if task is None:
                    break
                out.append(task)
            return out

        first = take(self.max_inflight)
        if not first:
            return
        pending = self._submit(first)
        chunks = {f.key: f.geoverify_chunk for f in pending}
        in_flight = len(pending)
        ac = as_completed(pending, with_results=True)
        try:
            for fut, frame in ac:
                index = chunks.pop(fut.key)
                in_flight -= 1
                pid, rss = frame.attrs.get("pid"), frame.attrs.get("peak_rss_kb")
                if pid is not None and rss is not None:
                    self.peak_rss_kb[pid] = max(rss, self.peak_rss_kb.get(pid, 0))
                self.cpu_seconds += frame.attrs.get("cpu_seconds") or 0.0
                on_result(index, _records(frame))
                if in_flight <= refill:
                    more = take(self.max_inflight - in_flight)
                    if more:
                        futures = self._submit(more)
                        chunks.update({f.key: f.geoverify_chunk for f in futures})
                        in_flight += len(futures)
                        ac.update(futures)
        except BaseException:
            for fut in list(ac.futures):
                fut.cancel()
            raise


__all__ = ["DaskExecutor", "check_partition", "RESULT_FIELD"]
