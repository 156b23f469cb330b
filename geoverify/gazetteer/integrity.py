"""Keeping the index sound: a build lock, a checksum beside it, and a fallback directory.

The index (:func:`geoverify.config.index_path`) is a cache geoverify builds itself, so it
must survive crashes, two builders at once, a truncated copy and a read-only directory:

- **Atomic**: the builder writes ``.geoverify.sqlite.tmp-<pid>`` beside the index, fsyncs
  it and renames it into place (:func:`geoverify.gazetteer.build.build_index`); an import
  changes the index in one SQLite transaction. A reader never sees half an index.
- **One builder at a time** (:func:`index_lock`): ``fcntl.flock`` on the index's directory
  (no lock file is left behind). A second builder waits, then finds the index fresh and
  does nothing. The lock is re-entrant within a process. (No lock where ``fcntl`` is
  missing: Windows.)
- **Checksum** (:func:`record`): after every build and import, ``geoverify.sqlite.integrity.json``
  records the schema version, the build id (also in the ``meta`` table), the size, the
  SHA-256 of the whole file and of :data:`SAMPLES` pages spread over it, and the imports.
  Opening the index (:func:`quick_problem`, about a millisecond) checks the SQLite header,
  the size against the header's page count and the record, and the sampled digest; when
  the sample differs, :func:`deep_problem` checks the whole digest and runs
  ``PRAGMA quick_check`` before the index is called corrupt (a file changed outside
  geoverify but sound gets a new record, with a warning).
- **Fallback** (:func:`fallback_dirs`): when the data directory is read-only the index is
  built in ``$XDG_CACHE_HOME/geoverify`` or, failing that, ``<tmp>/geoverify-<uid>``, with a
  message; readers look there too (:func:`find_index`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

log = logging.getLogger("geoverify.index")

#: Pages sampled for the cheap check at open.
SAMPLES = 64
SAMPLE_BYTES = 4096
SQLITE_MAGIC = b"SQLite format 3\x00"
RECORD_SUFFIX = ".integrity.json"

Echo = Callable[[str], None]


def record_path(index: Path) -> Path:
    return index.with_name(index.name + RECORD_SUFFIX)


# ----------------------------------------------------------------------------------------
# Lock
# ----------------------------------------------------------------------------------------

_HELD: dict[str, list] = {}  # path -> [fd, depth]
_HELD_LOCK = threading.RLock()


@contextmanager
def index_lock(index: Path, echo: Echo | None = None, what: str = "writing") -> Iterator[None]:
    """Hold the exclusive lock of ``index`` (blocking; re-entrant in this process).

    Parameters
    ----------
    index : Path
        The index file; the lock is taken on its directory (made if missing).
    echo : callable, optional
        Told once when another process holds the lock and this one waits.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; the rename is still atomic
        yield
        return
    directory = Path(index).parent
    directory.mkdir(parents=True, exist_ok=True)
    key = str(directory.resolve())
    with _HELD_LOCK:
        held = _HELD.get(key)
        if held is not None:
            held[1] += 1
    if held is not None:
        try:
            yield
        finally:
            with _HELD_LOCK:
                held[1] -= 1
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            (echo or log.warning)(f"another geoverify process is {what} the index at {index}; waiting for it")
            fcntl.flock(fd, fcntl.LOCK_EX)
        with _HELD_LOCK:
            _HELD[key] = [fd, 1]
        try:
            yield
        finally:
            with _HELD_LOCK:
                _HELD.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------------
# Checksums
# ----------------------------------------------------------------------------------------


def _sample_offsets(size: int) -> list[int]:
    if size <= SAMPLES * SAMPLE_BYTES:
        return list(range(0, size, SAMPLE_BYTES))
    step = size / SAMPLES
    return sorted({int(i * step) // SAMPLE_BYTES * SAMPLE_BYTES for i in range(SAMPLES)} | {0})


def sample_digest(path: Path, size: int | None = None) -> str:
    """SHA-256 of :data:`SAMPLES` pages spread over the file (and its size)."""
    size = path.stat().st_size if size is None else size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as fh:
        for off in _sample_offsets(size):
            fh.seek(off)
            h.update(fh.read(SAMPLE_BYTES))
    return h.hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def _meta(index: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()


def record(index: Path, extra: dict[str, Any] | None = None, content: Path | None = None) -> dict[str, Any]:
    """Write ``<index>.integrity.json`` for the index as it is now (atomically).

    Call with the index lock held, after a build or an import has committed.
    ``content`` is the file to describe when it is not ``index`` yet (a finished build
    about to be renamed into place).
    """
    index = Path(index)
    content = Path(content) if content else index
    st = content.stat()
    meta = _meta(content)
    rec: dict[str, Any] = {
        "schema_version": meta.get("schema_version"),
        "build_id": meta.get("build_id"),
        "size": st.st_size,
        "sha256": file_digest(content),
        "sample_sha256": sample_digest(content, st.st_size),
        "sources_dir": meta.get("sources_dir"),
        "imports": [i.get("file") for i in json.loads(meta.get("imports") or "[]")],
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if extra:
        rec.update(extra)
    target = record_path(index)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(rec, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rec


def read_record(index: Path) -> dict[str, Any] | None:
    """The integrity record beside ``index`` (``None`` when absent or unreadable)."""
    try:
        data = json.loads(record_path(Path(index)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def header_problem(index: Path, size: int | None = None) -> str | None:
    """What is wrong with the file's SQLite header and size (``None`` if nothing)."""
    try:
        size = Path(index).stat().st_size if size is None else size
        with open(index, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if size == 0:
        return "empty (0 bytes)"
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return "corrupt (not an SQLite database: bad header)"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return f"corrupt (not an SQLite database: page size {page})"
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96] and pages > 0
    if size % page:
        return f"truncated ({size} bytes is not a whole number of {page}-byte pages)"
    if valid and size < pages * page:
        return f"truncated ({size} of {pages * page} bytes)"
    return None


def quick_problem(index: Path) -> str | None:
    """The cheap check done at every open (header, size, sampled digest, schema version)."""
    from geoverify.gazetteer.schema import SCHEMA_VERSION

    index = Path(index)
    try:
        size = index.stat().st_size
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    problem = header_problem(index, size)
    if problem:
        return problem
    rec = read_record(index)
    if rec is None:
        return None  # built by an older geoverify: the header check and SQLite's own must do
    if str(rec.get("schema_version")) != str(SCHEMA_VERSION):
        return f"schema version {rec.get('schema_version')} (this geoverify needs {SCHEMA_VERSION})"
    if rec.get("size") != size:
        return f"{size} bytes where {rec.get('size')} were recorded at build time (truncated or overwritten)"
    if rec.get("sample_sha256") != sample_digest(index, size):
        return "corrupt: its content differs from the checksum recorded at build time"
    return None


def deep_problem(index: Path) -> str | None:
    """The whole-file check: SHA-256 against the record, then SQLite's ``quick_check``."""
    index = Path(index)
    problem = header_problem(index)
    if problem:
        return problem
    rec = read_record(index) or {}
    if rec.get("sha256") and rec["sha256"] == file_digest(index):
        return None
    try:
        conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            build_id = dict(conn.execute("SELECT key, value FROM meta")).get("build_id")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"corrupt ({' '.join(str(exc).split())})"
    if rows != ["ok"]:
        detail = " ".join("; ".join(rows).replace("*** in database main ***", "").split())
        return f"corrupt (SQLite: {detail[:160]})"
    if rec.get("build_id") and build_id != rec.get("build_id"):
        return "replaced by another index than the one recorded"
    return None


def check(index: Path, echo: Echo | None = None) -> str | None:
    """``None`` when the index is sound, else what is wrong (one phrase).

    The cheap check first; only when the sampled digest differs, the whole-file check
    (a sound file changed outside geoverify gets a new record and a warning).
    """
    problem = quick_problem(index)
    if problem is None or "content differs" not in problem:
        return problem
    deep = deep_problem(index)
    if deep is None:
        (echo or log.warning)(f"the index at {index} was changed outside geoverify but SQLite finds it "
                              f"sound; its checksum is recorded again")
        try:
            with index_lock(index):
                record(index)
        except OSError:
            pass
    return deep


# ----------------------------------------------------------------------------------------
# Where the index lives
# ----------------------------------------------------------------------------------------


def writable_dir(path: Path) -> bool:
    """Can files be created in ``path`` (made if missing)? Tried, not guessed from modes."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".geoverify-write-test-", dir=path)
    except OSError:
        return False
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError:
        pass
    return True


def fallback_dirs() -> list[Path]:
    """Where the index goes when the data directory is read-only, in order of preference."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return [Path(cache) / "geoverify", Path(tempfile.gettempdir()) / f"geoverify-{uid}"]


def find_index(path: str | os.PathLike | None = None) -> Path:
    """The index a reader should open: ``path`` if given; else the data directory's, unless
    it is missing or unusable in a read-only directory and a fallback directory has one."""
    from geoverify import config

    if path:
        return Path(path)
    primary = config.index_path()
    fallbacks = [d / primary.name for d in fallback_dirs() if d != primary.parent]
    fallbacks = [f for f in fallbacks if f.exists()]
    if not fallbacks:
        return primary
    if not primary.exists():
        return fallbacks[0]
    if os.access(primary.parent, os.W_OK) and writable_dir(primary.parent):
        return primary
    newest = max(fallbacks, key=lambda f: f.stat().st_mtime)
    if newest.stat().st_mtime >= primary.stat().st_mtime or quick_problem(primary):
        return newest
    return primary


def build_target(path: str | os.PathLike | None = None, echo: Echo | None = None) -> Path:
    """Where a build (or repair) writes: ``path`` if given, else the data directory's index,
    else (read-only) the first writable fallback directory, with a message."""
    from geoverify import config
    from geoverify.errors import DataError

    if path:
        return Path(path)
    primary = config.index_path()
    if writable_dir(primary.parent):
        return primary
    for d in fallback_dirs():
        if d != primary.parent and writable_dir(d):
            target = d / primary.name
            (echo or log.warning)(f"the data directory {primary.parent} is read-only; "
                                  f"the index goes to {target} instead")
            return target
    raise DataError(f"no writable directory for the index: {primary.parent} and "
                    f"{', '.join(str(d) for d in fallback_dirs())} are read-only; set GEOVERIFY_DATA_DIR")


__all__ = ["index_lock", "record", "read_record", "quick_problem", "deep_problem", "check", "header_problem",
           "sample_digest", "file_digest", "writable_dir", "fallback_dirs", "find_index", "build_target",
           "record_path"]
