"""Run a batch: chunk the input, verify the chunks on every core, commit them, assemble the output.

Committed chunks, and resuming
------------------------------
Rows are cut into chunks of ``chunk_size`` (chunk *k* holds rows ``k*size`` to
``(k+1)*size - 1``). Each finished chunk's results are written to
``<output>.parts/chunk-<k>.jsonl`` through a temporary file that is flushed,
fsynced and renamed into place, so a chunk file is either complete or absent,
whatever happens to the process (Ctrl-C, ``kill -9``, power loss). The
directory also holds ``manifest.json``: the input (absolute path, size,
modification time), the options, the chunk size and the verifier (geoverify
version and index file) the chunks were computed with.

A new run with the same output path reads the manifest. If everything matches,
it computes only the missing chunks; if not, it refuses with a message saying
what changed, unless ``restart`` is set (then the old chunks are discarded).
A lock file keeps two runs from writing the same parts directory.

When every chunk is committed, the output is assembled in input order (the input
read again, each chunk joined with its results) into a temporary file beside
the output and renamed into place; the parts directory is then removed (kept
with ``keep_parts``). Since the output is assembled only from committed chunks,
an interrupted-and-resumed run writes exactly the rows and results of an
uninterrupted one.

Workers
-------
``workers=1`` checks rows in this process. More workers run in a
:class:`concurrent.futures.ProcessPoolExecutor` (``forkserver`` start method on
Linux) whose initializer loads the gazetteer and boundary index once per worker
process; workers ignore SIGINT, so Ctrl-C reaches only this process, which stops
the workers and keeps the committed chunks. At most ``2 × workers`` chunks are in
flight, so memory does not grow with the input. A worker that dies (killed,
out of memory) stops the run with an error; the committed chunks stay.
``scheduler`` runs the same chunks on a Dask cluster instead
(:mod:`geoverify.batch.dask_runner`).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import multiprocessing
import os
import shutil
import signal
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from geoverify.batch.io import InputTable, TableWriter, format_of, open_input
from geoverify.batch.progress import BatchProgress
from geoverify.batch.rows import (
    RESULT_COLUMNS,
    RowCells,
    RowProblem,
    RowSpec,
    cells_of,
    evaluate,
    row_location,
    warm_up,
)
from geoverify.batch.summary import Summary
from geoverify.errors import GeoverifyError, InputError, OutputError

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 250
MANIFEST_VERSION = 1
PARTS_SUFFIX = ".parts"

Task = tuple[int, list[RowCells]]
OnResult = Callable[[int, list[dict[str, Any]]], None]


class BatchStateError(GeoverifyError):
    """The parts directory belongs to another run (different input or options), or is in use."""


class WorkerDied(GeoverifyError):
    """A worker process died (killed, out of memory); the committed chunks are kept."""


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or another KeyboardInterrupt) stopped the run; the committed chunks are kept.

    ``str(exc)`` says how much is committed and how to resume.
    """


# -- what a run is ---------------------------------------------------------------------------
def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def verifier_fingerprint(verify_fn: Callable | None) -> dict[str, Any]:
    """What the results depend on besides input and options: the verifier and its data."""
    if verify_fn is None:
        from geoverify import __version__
        from geoverify.gazetteer import integrity

        out: dict[str, Any] = {"verifier": "geoverify.pipeline.verify", "geoverify": __version__}
        # the index's content identity (build id, SHA-256), not its mtime: a no-op rebuild or a copy
        # of the same index does not invalidate committed chunks; a new build or an import does
        out["index"] = integrity.content_id(integrity.find_index())
        return out
    return {"verifier": f"{getattr(verify_fn, '__module__', '?')}.{getattr(verify_fn, '__qualname__', '?')}"}


def make_manifest(
    table: InputTable, spec: RowSpec, chunk_size: int, verify_fn: Callable | None, output: Path
) -> dict[str, Any]:
    st = table.path.stat()
    return {
        "format": MANIFEST_VERSION,
        "input": {
            "path": str(table.path.resolve()),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "layer": table.layer,
        },
        "rows": table.n_rows,
        "chunk_size": chunk_size,
        "options": spec.to_dict(),
        "verifier": verifier_fingerprint(verify_fn),
        "output": str(output.resolve()),
    }


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    if old.get("format") != new.get("format"):
        return [f"parts format {old.get('format')} (this geoverify writes {new.get('format')})"]
    oi, ni = old.get("input") or {}, new.get("input") or {}
    if oi.get("path") != ni.get("path") or oi.get("layer") != ni.get("layer"):
        out.append(f"input {oi.get('path')} → {ni.get('path')}")
    elif oi.get("size") != ni.get("size") or oi.get("mtime_ns") != ni.get("mtime_ns"):
        out.append(
            f"the input file changed since (size {oi.get('size')} → {ni.get('size')} bytes"
            + (", modified" if oi.get("mtime_ns") != ni.get("mtime_ns") else "")
            + ")"
        )
    if old.get("chunk_size") != new.get("chunk_size"):
        out.append(f"chunk size {old.get('chunk_size')} → {new.get('chunk_size')}")
    oo, no = old.get("options") or {}, new.get("options") or {}
    for key in sorted(set(oo) | set(no)):
        if oo.get(key) != no.get(key):
            out.append(f"{key} {oo.get(key)!r} → {no.get(key)!r}")
    if old.get("verifier") != new.get("verifier"):
        out.append("the verifier or its gazetteer index changed")
    return out


# -- the parts directory ---------------------------------------------------------------------
class PartsStore:
    """``<output>.parts/``: the manifest and one committed JSON Lines file per finished chunk."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self.dir = self.output.with_name(self.output.name + PARTS_SUFFIX)
        self.manifest_path = self.dir / "manifest.json"
        self._lock_fh = None

    @staticmethod
    def chunk_name(index: int) -> str:
        return f"chunk-{index:08d}.jsonl"

    def begin(self, manifest: dict[str, Any], restart: bool = False) -> set[int]:
        """Lock the directory, check or write the manifest; return the committed chunk numbers.

        Raises
        ------
        BatchStateError
            Another run holds the lock, or the directory was written for another
            input or other options (and ``restart`` is not set).
        """
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{self.output}: cannot write here ({_why(exc)}: cannot create {self.dir.name}/ "
                "for the committed chunks)"
            ) from None
        self._lock()
        if restart:
            self._clear()
        elif self.manifest_path.exists():
            try:
                old = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {"format": "unreadable"}
            diffs = _differences(old, manifest)
            if diffs:
                self.close()
                raise BatchStateError(
                    f"{self.dir} holds an unfinished run with other settings ({'; '.join(diffs)}); "
                    "rerun with --restart to discard it, or choose another --output"
                )
        elif any(self.dir.glob("chunk-*.jsonl")):
            self.close()
            raise BatchStateError(f"{self.dir} has chunk files but no manifest; rerun with --restart to discard them")
        if not self.manifest_path.exists():
            _atomic_write(self.manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for stale in self.dir.glob(".*.tmp*"):
            stale.unlink(missing_ok=True)
        done = set()
        for p in self.dir.glob("chunk-*.jsonl"):
            try:
                done.add(int(p.name[6:-6]))
            except ValueError:
                continue
        return done

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return
        try:
            fh = open(self.dir / ".lock", "a+")
        except OSError as exc:
            raise OutputError(f"{self.dir}: cannot write ({_why(exc)})") from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise BatchStateError(
                f"another geoverify batch run is writing {self.dir}; wait for it or choose another --output"
            ) from None
        self._lock_fh = fh

    def _clear(self) -> None:
        for p in self.dir.iterdir():
            if p.name != ".lock":
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()

    def commit(self, index: int, results: list[dict[str, Any]]) -> None:
        """Write one chunk's results durably: temporary file, fsync, rename."""
        body = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in results)
        _atomic_write(self.dir / self.chunk_name(index), body)

    def load(self, index: int, expected: int) -> list[dict[str, Any]]:
        path = self.dir / self.chunk_name(index)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            results = [json.loads(line) for line in lines]
        except (OSError, ValueError) as exc:
            raise BatchStateError(f"{path}: unreadable committed chunk ({exc}); rerun with --restart") from None
        if len(results) != expected:
            raise BatchStateError(f"{path}: {len(results)} results for {expected} rows; rerun with --restart")
        return results

    def finish(self, keep: bool = False) -> None:
        """Remove the directory (unless ``keep``) and release the lock."""
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.close()

    def close(self) -> None:
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _atomic_write(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file, fsync, rename; on any failure (a full
    disk) the temporary file is removed and :class:`OutputError` names ``path``."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"{path}: cannot write ({_why(exc)})") from None
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


# -- checking chunks -------------------------------------------------------------------------
def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM), in kB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def check_chunk(cells: list[RowCells], spec: RowSpec, verify_fn: Callable | None) -> list[dict[str, Any]]:
    """Evaluate every row of one chunk, in order."""
    if verify_fn is None:
        prefetch_regions(cells, spec)
        memo = _RowMemo.of(spec)
        if memo is not None:
            return [memo.evaluate(c) for c in cells]
    return [evaluate(c, spec, verify_fn) for c in cells]


#: Rows whose results a worker remembers (an LRU): event databases repeat whole rows (the same
#: description at the same point: 370 of the 1,791 CAR events).
ROW_MEMO_ENTRIES = 2048


class _RowMemo:
    """The results of the rows a worker has checked with the real verifier, by their cells: a
    row's result is a function of its cells, the options, the (read-only) index and the named
    sites, and a new index or sites file (a new object) starts a new memo. Custom verifiers are
    never memoised. Callers get deep copies."""

    _current: _RowMemo | None = None
    _lock = threading.Lock()

    def __init__(self, spec: RowSpec, spec_key: tuple, owners: tuple):
        self.spec, self.spec_key, self.owners = spec, spec_key, owners
        self.results: OrderedDict[tuple, dict[str, Any]] = OrderedDict()

    @classmethod
    def of(cls, spec: RowSpec) -> _RowMemo | None:
        """The memo for ``spec`` and the index in use; None when the index cannot be opened
        (the rows then report what is wrong, as without a memo)."""
        try:
            from geoverify.gazetteer import get_gazetteer, load_sites
            from geoverify.gazetteer.boundaries import get_boundaries

            objects = (get_gazetteer(), get_boundaries(), load_sites())
            owners = tuple(weakref.ref(o) for o in objects)
        except (GeoverifyError, ImportError, TypeError):
            return None
        key = tuple(sorted(spec.to_dict().items()))
        with cls._lock:
            memo = cls._current
            if memo is None or memo.spec_key != key or any(r() is not o for r, o in zip(memo.owners, objects)):
                memo = cls._current = cls(spec, key, owners)
        return memo

    def evaluate(self, cells: RowCells) -> dict[str, Any]:
        # with the cells' types: 1 == 1.0 == True, but "1" and "1.0" are read to other precisions
        key = (cells, tuple(type(c) for c in cells))
        try:
            with self._lock:
                hit = self.results.get(key)
                if hit is not None:
                    self.results.move_to_end(key)
                    hit = _copied(hit)
        except TypeError:  # a cell that cannot be a key (a list from a JSON input): checked every time
            return evaluate(cells, self.spec, None)
        if hit is not None:
            return hit
        result = evaluate(cells, self.spec, None)
        if not result.get("_error"):
            kept = _copied(result)
            with self._lock:
                self.results[key] = kept
                while len(self.results) > ROW_MEMO_ENTRIES:
                    self.results.popitem(last=False)
        return result


def _copied(value: Any) -> Any:
    """``copy.deepcopy`` of a row's result (dicts, lists, strings and numbers; other values are
    deep-copied by ``copy``), without its bookkeeping: a result is copied twice per row."""
    if type(value) is dict:
        return {k: _copied(v) for k, v in value.items()}
    if type(value) is list:
        return [_copied(v) for v in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    return copy.deepcopy(value)


def prefetch_regions(cells: list[RowCells], spec: RowSpec) -> None:
    """Ask the boundary index which regions contain every reading of the chunk's row locations
    in one vectorised query (a dozen times faster per point than one at a time); the checks
    of the rows then find the answers memoised. Only a speed-up: any problem is left to the
    rows, which report it."""
    from geoverify.errors import GeoverifyError

    lats, lons = [], []
    for c in cells:
        try:
            loc = row_location(c, spec)
        except (RowProblem, GeoverifyError):
            continue
        if loc is not None:
            for r in loc.readings():
                lats.append(r.lat)
                lons.append(r.lon)
    if not lats:
        return
    try:
        from geoverify.gazetteer.boundaries import get_boundaries

        get_boundaries().prefetch_regions(lats, lons)
    except (GeoverifyError, ImportError):
        pass


_WORKER: dict[str, Any] = {}

#: How often a worker checks that the process that started the run is still there (seconds).
PARENT_POLL_SECONDS = 0.5


def _die_with(parent_pid: int) -> None:
    """End this worker as soon as ``parent_pid`` (the run's main process) is gone.

    ``kill -9`` of the main process gives it no chance to stop its workers, and the forkserver
    that forked them keeps them alive (they waited for work forever, ~290 MB). On Linux the
    kernel sends SIGKILL when the forking process (the forkserver) dies; a daemon thread polls
    the main process itself.
    """
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if not _alive(parent_pid):
                os._exit(3)

    threading.Thread(target=watch, name="geoverify-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie, killed but not yet reaped, is not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except (OSError, IndexError):  # pragma: no cover - no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return False
        return True


def _init_worker(
    spec: RowSpec, verify_fn: Callable | None, warm: Callable | None, parent_pid: int | None = None
) -> None:
    """Process-pool initializer: die with the main process, ignore Ctrl-C, keep the options, load
    the gazetteer once."""
    if parent_pid is not None:
        _die_with(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER.update(spec=spec, verify_fn=verify_fn, error=None)
    try:
        if warm is not None:
            warm()
    except Exception as exc:  # reported with the first chunk (a failing initializer would respawn forever)
        _WORKER["error"] = exc


def _worker_chunk(index: int, cells: list[RowCells]) -> tuple:
    if _WORKER.get("error") is not None:
        raise _WORKER["error"]
    cpu = time.process_time()
    results = check_chunk(cells, _WORKER["spec"], _WORKER["verify_fn"])
    now = time.process_time()
    return index, os.getpid(), peak_rss_kb(), now - cpu, now, results


class InlineExecutor:
    """Checks the chunks one after another in this process."""

    name = "inline"

    def __init__(self, spec: RowSpec, verify_fn: Callable | None, warm: Callable | None):
        self.spec, self.verify_fn, self.warm = spec, verify_fn, warm
        self.workers = 1
        self.peak_rss_kb: dict[int, int] = {}
        self.cpu_seconds = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, tasks: Iterable[Task], on_result: OnResult) -> None:
        if self.warm is not None:
            self.warm()
        for index, cells in tasks:
            cpu = time.process_time()
            results = check_chunk(cells, self.spec, self.verify_fn)
            self.cpu_seconds += time.process_time() - cpu
            self.peak_rss_kb[os.getpid()] = peak_rss_kb()
            on_result(index, results)


def _mp_context(name: str | None):
    if name is None:
        methods = multiprocessing.get_all_start_methods()
        name = "forkserver" if "forkserver" in methods else "spawn"
    return multiprocessing.get_context(name)


class ProcessExecutor:
    """Checks chunks in ``workers`` processes, at most ``max_inflight`` chunks at a time."""

    name = "processes"

    def __init__(
        self,
        spec: RowSpec,
        verify_fn: Callable | None,
        warm: Callable | None,
        workers: int,
        max_inflight: int | None = None,
        mp_context: str | None = None,
    ):
        self.spec, self.verify_fn, self.warm = spec, verify_fn, warm
        self.workers = workers
        self.max_inflight = max_inflight or 2 * workers
        self.context = _mp_context(mp_context)
        self.pool: ProcessPoolExecutor | None = None
        self.peak_rss_kb: dict[int, int] = {}
        self.cpu_seconds = 0.0
        self.process_cpu: dict[int, float] = {}  # pid → the worker's whole CPU time (start-up, loading)

    def __enter__(self):
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self.context,
            initializer=_init_worker,
            initargs=(self.spec, self.verify_fn, self.warm, os.getpid()),
        )
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.pool is None:
            return False
        if exc_type is None:
            self.pool.shutdown(wait=True)
        else:
            self._terminate()
        self.pool = None
        return False

    def _terminate(self) -> None:
        pool = self.pool
        terminate = getattr(pool, "terminate_workers", None)  # Python ≥ 3.14
        if terminate is not None:
            terminate()
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            with contextlib.suppress(Exception):
                p.terminate()
        for p in processes:
            with contextlib.suppress(Exception):
                p.join(timeout=5)

    def run(self, tasks: Iterable[Task], on_result: OnResult) -> None:
        from concurrent.futures.process import BrokenProcessPool

        it: Iterator[Task] = iter(tasks)
        pending: dict[Any, int] = {}
        exhausted = False

        def died(index) -> GeoverifyError:
            where = f" while checking chunk {index}" if index is not None else ""
            return WorkerDied(
                f"a worker process died{where} (killed, or out of memory?); the committed "
                "chunks are kept: run the same command again to resume"
            )

        while True:
            while not exhausted and len(pending) < self.max_inflight:
                task = next(it, None)
                if task is None:
                    exhausted = True
                    break
                try:
                    pending[self.pool.submit(_worker_chunk, *task)] = task[0]
                except BrokenProcessPool:
                    raise died(min(pending.values(), default=None)) from None
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(finished, key=lambda f: pending[f]):
                index = pending.pop(fut)
                try:
                    _index, pid, rss, cpu, process_cpu, results = fut.result()
                except BrokenProcessPool:
                    raise died(index) from None
                self.peak_rss_kb[pid] = max(rss, self.peak_rss_kb.get(pid, 0))
                self.cpu_seconds += cpu
                self.process_cpu[pid] = max(process_cpu, self.process_cpu.get(pid, 0.0))
                on_result(index, results)


# -- the run ---------------------------------------------------------------------------------
def run_batch(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    spec: RowSpec,
    *,
    verify_fn: Callable | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    restart: bool = False,
    keep_parts: bool = False,
    progress: bool | None = None,
    layer: str | None = None,
    scheduler: Any = None,
    mp_context: str | None = None,
    warm: Callable | None | bool = True,
    max_inflight: int | None = None,
) -> Summary:
    """Verify every row of ``input_path`` and write ``output_path`` with the result columns.

    Parameters
    ----------
    input_path, output_path : path-like
        Tables in any format of :mod:`geoverify.batch.io` (by extension).
    spec : RowSpec
        Which columns hold the text, the location and its precision.
    verify_fn : callable, optional
        The per-row verifier, ``verify_fn(text, at=[...], all_mentions=bool) -> Report``;
        :func:`geoverify.pipeline.verify` when ``None``. Must be picklable (a module-level
        function) for ``workers > 1`` and Dask.
    workers : int, optional
        Processes to use; every core by default. 1 checks in this process.
    chunk_size : int
        Rows per committed chunk.
    restart : bool
        Discard the committed chunks of an earlier run with other input or options.
    keep_parts : bool
        Keep ``<output>.parts/`` after the output is written.
    progress : bool, optional
        Draw a progress bar on stderr; by default only when stderr is a terminal.
    layer : str, optional
        GeoPackage layer to read.
    scheduler : str or distributed.Client, optional
        Run on this Dask cluster instead (``"tcp://host:8786"``); see
        :mod:`geoverify.batch.dask_runner`.
    mp_context : str, optional
        Start method of the worker processes (default ``forkserver`` on Linux).
    warm : callable, bool
        Run once per worker before its first chunk. ``True``: load the gazetteer
        and boundaries when ``verify_fn`` is the real verifier; ``False``: nothing.
    max_inflight : int, optional
        Chunks in flight at once (default twice the workers).

    Returns
    -------
    Summary

    Raises
    ------
    InputError, BatchStateError
        Unreadable input, a missing column, or a parts directory of another run.
    BatchInterrupted
        Ctrl-C; the message says how much is committed.
    """
    if chunk_size < 1:
        raise InputError(f"--chunk-size must be at least 1, got {chunk_size}")
    output = Path(output_path)
    format_of(output, "output")
    table = open_input(input_path, layer=layer)
    table.require(spec.input_columns())
    if output.resolve() == table.path.resolve():
        raise InputError(f"{output}: the output would overwrite the input")
    if spec.use_geometry and not spec.has_location_column and table.geometry_column is None:
        spec = RowSpec(**{**spec.to_dict(), "use_geometry": False})
    if spec.country:
        from geoverify.batch.rows import RowProblem, country_code

        try:
            country_code(spec.country)
        except RowProblem as exc:
            raise InputError(f"--country: {exc}") from None
    if warm is True:
        warm = warm_up if verify_fn is None else None
    elif warm is False:
        warm = None
    n_rows = table.n_rows
    n_chunks = math.ceil(n_rows / chunk_size)
    store = PartsStore(output)
    done = {i for i in store.begin(make_manifest(table, spec, chunk_size, verify_fn, output), restart) if i < n_chunks}
    done_rows = sum(min(chunk_size, n_rows - i * chunk_size) for i in done)
    summary = Summary(input=str(table.path), output=str(output), resumed_rows=done_rows)
    try:
        if len(done) < n_chunks:
            _compute(
                table,
                spec,
                store,
                done,
                n_rows,
                chunk_size,
                summary,
                verify_fn=verify_fn,
                workers=workers,
                progress=progress,
                scheduler=scheduler,
                mp_context=mp_context,
                warm=warm,
                max_inflight=max_inflight,
            )
        _assemble(table, output, store, chunk_size, summary)
    except BaseException:
        store.close()
        raise
    store.finish(keep=keep_parts)
    return summary


def _compute(
    table: InputTable,
    spec: RowSpec,
    store: PartsStore,
    done: set[int],
    n_rows: int,
    chunk_size: int,
    summary: Summary,
    *,
    verify_fn,
    workers,
    progress,
    scheduler,
    mp_context,
    warm,
    max_inflight,
) -> None:
    n_chunks = math.ceil(n_rows / chunk_size)
    workers = workers or default_workers()
    pending_chunks = n_chunks - len(done)
    if scheduler is not None:
        from geoverify.batch.dask_runner import DaskExecutor

        executor = DaskExecutor(scheduler, spec, verify_fn, warm, max_inflight=max_inflight)
    elif workers <= 1 or pending_chunks <= 1:
        executor = InlineExecutor(spec, verify_fn, warm)
    else:
        executor = ProcessExecutor(
            spec, verify_fn, warm, min(workers, pending_chunks), max_inflight=max_inflight, mp_context=mp_context
        )
    committed = {"chunks": len(done), "rows": summary.resumed_rows}

    def tasks() -> Iterator[Task]:
        for chunk in table.chunks(chunk_size, skip=done):
            points = chunk.points or [None] * len(chunk.records)
            yield chunk.index, [cells_of(r, spec, p) for r, p in zip(chunk.records, points)]

    start, main_cpu = time.perf_counter(), time.process_time()
    with _terminate_as_interrupt(), executor:
        summary.workers, summary.executor = executor.workers, executor.name
        with BatchProgress(n_rows, summary.resumed_rows, enabled=progress) as bar:

            def on_result(index: int, results: list[dict[str, Any]]) -> None:
                store.commit(index, results)
                committed["chunks"] += 1
                committed["rows"] += len(results)
                summary.computed_rows += len(results)
                bar.advance(len(results))

            try:
                executor.run(tasks(), on_result)
            except KeyboardInterrupt as exc:
                summary.seconds = time.perf_counter() - start
                how = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
                raise BatchInterrupted(
                    f"{how}: {committed['chunks']} of {n_chunks} chunks ({committed['rows']} of {n_rows} "
                    f"rows) are committed in {store.dir}; run the same command again to resume"
                ) from None
    summary.seconds = time.perf_counter() - start
    summary.peak_rss_kb = dict(executor.peak_rss_kb)
    summary.cpu_seconds = executor.cpu_seconds
    summary.main_cpu_seconds = time.process_time() - main_cpu
    summary.worker_process_cpu_seconds = sum(getattr(executor, "process_cpu", {}).values())


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a job scheduler) reached the main process during a run."""


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While chunks are computed, SIGTERM stops the run as Ctrl-C does: the workers are stopped,
    the committed chunks kept, and the message says how to resume (the default action would end
    this process at once, leaving its workers to :func:`_die_with`)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _assemble(table: InputTable, output: Path, store: PartsStore, chunk_size: int, summary: Summary) -> None:
    writer = TableWriter(
        output,
        table.columns,
        list(RESULT_COLUMNS),
        table.geometry_column,
        table.crs,
        text_input=table.fmt in ("csv", "tsv"),
    )
    if writer.replaced:
        log.warning(
            "%s: the input's column(s) %s are replaced by the batch results",
            table.path,
            ", ".join(repr(c) for c in writer.replaced),
        )
    try:
        for chunk in table.chunks(chunk_size):
            results = store.load(chunk.index, len(chunk))
            writer.write(chunk, results)
            summary.add_all(results, first_row=chunk.start)
        writer.commit()
    except BaseException:
        writer.abort()
        raise


__all__ = [
    "run_batch",
    "PartsStore",
    "BatchStateError",
    "BatchInterrupted",
    "WorkerDied",
    "DEFAULT_CHUNK_SIZE",
    "InlineExecutor",
    "ProcessExecutor",
    "check_chunk",
    "default_workers",
    "make_manifest",
    "verifier_fingerprint",
    "peak_rss_kb",
]
