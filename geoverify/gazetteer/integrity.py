"""Keeping the index sound: a build lock, a checksum, a verified-once marker, one rule for
which index a process uses, and a fallback directory.

The index (:func:`geoverify.config.index_path`) is a cache geoverify builds itself. The
promise: **a damaged index is never used for an answer**.

- **Atomic writes**: a build (:func:`geoverify.gazetteer.build.index.build_index`) and an
  import (:func:`geoverify.gazetteer.build.geonames_import.import_files`) write a new file
  ``.geoverify.sqlite.tmp-<pid>`` beside the index, fsync it and rename it into place. A
  reader never sees half an index; a killed writer leaves only its temporary file, which
  the next writer removes.
- **One writer at a time** (:func:`index_lock`): ``fcntl.flock`` on the index's directory
  (no lock file is left behind). A second builder waits, then finds the index fresh.
  Re-entrant within a process. (No lock where ``fcntl`` is missing: Windows.)
- **Checksum** (:func:`record`): every build and import writes ``geoverify.sqlite.integrity.json``
  beside the index: schema version, build id, size and the SHA-256 of the whole file.
- **Verified at first open in every process** (:func:`verify`): the header, the size and
  the schema version against the record (microseconds), then either a *verified-once
  marker* or the whole-file SHA-256. The marker (``geoverify.sqlite.verified.json`` beside
  the index, or in ``$XDG_CACHE_HOME/geoverify/verified/`` when the directory is read-only)
  says "this file, with this device, inode, size, mtime and ctime, matched its SHA-256";
  any write to the file changes its ctime (which no user call can set back), so a marker
  that still matches the file's identity proves nothing was written since. The full hash
  (about 0.2 s for the 245 MB index when it is in the page cache) is paid once after each
  build or change, by the writer itself or the first reader; later processes pay a stat and
  two small JSON reads. A mismatch is final: SQLite's ``quick_check`` cannot see damage
  inside cell contents, so it never overrules the checksum. Damage below the file system
  (a disk that changes bytes without a write) is beyond the marker; the sampled digest
  (:data:`SAMPLES` pages, checked at every open) catches some of it, and
  ``geoverify data info`` always hashes the whole file.
- **A leftover journal** (``geoverify.sqlite-journal``, from an in-place write that was
  killed -- older geoverify imports wrote in place) is rolled back on a copy, and the copy
  replaces the index only when it then matches its checksum; otherwise the index is
  reported damaged. Nothing is rolled back in a read-only directory (the reason is said).
- **One rule for which index a process uses** (:func:`select_index`), the same for every
  command: the data directory's index when it is sound; else a sound index in a fallback
  directory; else one :class:`~geoverify.errors.DataError` naming the problem and the
  command to run (``geoverify data build``). Reading never rebuilds.
- **Fallback** (:func:`fallback_dirs`): when the data directory is read-only and its index
  is missing or damaged, ``geoverify data build`` builds in ``$XDG_CACHE_HOME/geoverify`` or,
  failing that, ``<tmp>/geoverify-<uid>``, with a message; a sound read-only index is used
  as it is and never rebuilt elsewhere.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
        os.fchmod(fd, 0o644)  # readers of a shared index may be other users
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
    """The cheap part of :func:`verify`: header, size, schema version and sampled digest
    against the record (``None`` when they agree; the whole-file hash is not computed)."""
    index = Path(index)
    try:
        size = index.stat().st_size
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    problem = header_problem(index, size)
    if problem:
        return problem
    rec = read_record(index)
    problem = _record_problem(index, rec, size)
    if problem:
        return problem
    assert rec is not None  # _record_problem reports a missing record
    if rec.get("sample_sha256") and rec["sample_sha256"] != sample_digest(index, size):
        return CONTENT_DIFFERS
    return None


#: What :func:`verify` says when the SHA-256 differs (SQLite's own checks never overrule it).
CONTENT_DIFFERS = (
    "corrupt: its content differs from the SHA-256 recorded when it was built (damaged, or changed outside geoverify)"
)


def _record_problem(index: Path, rec: dict[str, Any] | None, size: int) -> str | None:
    from geoverify.gazetteer.schema import SCHEMA_VERSION

    if rec is None:
        return (
            f"unverifiable: it has no checksum record beside it ({record_path(index).name}; built by an "
            f"older geoverify, or copied without it)"
        )
    if str(rec.get("schema_version")) != str(SCHEMA_VERSION):
        return f"of schema version {rec.get('schema_version')} (this geoverify needs {SCHEMA_VERSION})"
    if rec.get("size") != size:
        return f"{size} bytes where {rec.get('size')} were recorded at build time (truncated or overwritten)"
    if not rec.get("sha256"):
        return f"unverifiable: its checksum record {record_path(index).name} has no SHA-256"
    return None


def deep_problem(index: Path) -> str | None:
    """The whole-file check (header, record, SHA-256), ignoring any verified-once marker."""
    return verify(index, full=True)


def check(index: Path, echo: Echo | None = None) -> str | None:
    """``None`` when the index is sound, else what is wrong (one phrase); see :func:`verify`."""
    return verify(index, echo=echo)


# ----------------------------------------------------------------------------------------
# Verification at first open, and the verified-once marker
# ----------------------------------------------------------------------------------------

MARKER_SUFFIX = ".verified.json"
JOURNAL_SUFFIX = "-journal"

#: Verdicts already reached in this process: (path, identity) -> problem or None.
_VERDICTS: dict[tuple[str, tuple[int, ...]], str | None] = {}
_VERDICTS_LOCK = threading.Lock()
#: How the last verification of each path was done ("marker", "sha256 0.21 s", ...), for benchmarks.
LAST_HOW: dict[str, str] = {}


def identity(path: Path) -> tuple[int, ...]:
    """(device, inode, size, mtime_ns, ctime_ns) of a file: any write changes the ctime."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _marker_paths(index: Path) -> list[Path]:
    """Where a marker may live: beside the index, then the user's cache directory."""
    key = hashlib.sha256(str(Path(index).resolve()).encode()).hexdigest()[:24]
    return [index.with_name(index.name + MARKER_SUFFIX), fallback_dirs()[0] / "verified" / f"{key}.json"]


def _read_marker(index: Path, ident: tuple[int, ...], sha256: str) -> dict[str, Any] | None:
    for path in _marker_paths(index):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("identity") == list(ident) and data.get("sha256") == sha256:
            return data
    return None


def _write_marker(index: Path, ident: tuple[int, ...], sha256: str, problem: str | None, seconds: float) -> None:
    """Write the verified-once marker (best effort: a read-only everything just means hashing again)."""
    body = json.dumps(
        {
            "identity": list(ident),
            "sha256": sha256,
            "problem": problem,
            "path": str(index),
            "seconds": round(seconds, 3),
            "verified_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        indent=1,
    )
    for path in _marker_paths(index):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError:
            continue
        try:
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, path)
            return
        except OSError:
            Path(tmp).unlink(missing_ok=True)


def mark_verified(index: Path, sha256: str) -> None:
    """Record that ``index`` as it is now has the SHA-256 ``sha256`` (a writer that has just
    hashed the file it renamed into place calls this, so no reader hashes it again)."""
    index = Path(index)
    ident = identity(index)
    _write_marker(index, ident, sha256, None, 0.0)
    with _VERDICTS_LOCK:
        _VERDICTS[(str(index), ident)] = None


def forget_verdicts() -> None:
    """Forget this process's verdicts (tests; after a rebuild the identity changes anyway)."""
    with _VERDICTS_LOCK:
        _VERDICTS.clear()


def verify(index: Path, full: bool = False, echo: Echo | None = None) -> str | None:
    """Is the index sound? ``None`` if so, else what is wrong (one phrase).

    At most once per process and file identity: header, size and schema version against
    the checksum record, then a verified-once marker matching the file's identity (and the
    sampled digest), or else the whole-file SHA-256, whose verdict is written to the marker.
    A leftover ``-journal`` is dealt with first (:func:`recover_journal`).

    Parameters
    ----------
    full : bool
        Hash the whole file even when a marker vouches for it (``geoverify data info``).
    echo : callable, optional
        Receives the one-line notes (a hash computed, a journal rolled back); default: the
        ``geoverify.index`` logger at INFO (shown with ``-v``).
    """
    index = Path(index)
    say = echo or log.info
    journal = index.with_name(index.name + JOURNAL_SUFFIX)
    if journal.exists():
        problem = recover_journal(index, say)
        if problem:
            return problem
    try:
        ident = identity(index)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    key = (str(index), ident)
    if not full:
        with _VERDICTS_LOCK:
            if key in _VERDICTS:
                return _VERDICTS[key]
    problem = header_problem(index, ident[2])
    rec = read_record(index)
    if problem is None:
        problem = _record_problem(index, rec, ident[2])
    if problem is not None:
        LAST_HOW[str(index)] = "header/record"
        with _VERDICTS_LOCK:
            _VERDICTS[key] = problem
        return problem
    assert rec is not None  # _record_problem reports a missing record
    sha = rec["sha256"]
    marker = None if full else _read_marker(index, ident, sha)
    if marker is not None and (
        marker.get("problem") or not rec.get("sample_sha256") or rec["sample_sha256"] == sample_digest(index, ident[2])
    ):
        problem = marker.get("problem")
        LAST_HOW[str(index)] = "marker"
    else:
        t0 = time.perf_counter()
        digest = file_digest(index)
        seconds = time.perf_counter() - t0
        if identity(index) != ident:  # written while being hashed: no verdict for either state
            return "changing: it was written to while being verified (another process is writing it?)"
        problem = None if digest == sha else CONTENT_DIFFERS
        LAST_HOW[str(index)] = f"sha256 {seconds:.2f} s"
        _write_marker(index, ident, sha, problem, seconds)
        if problem is None:
            say(
                f"verified the index at {index} against its SHA-256 ({ident[2] / 1e6:.0f} MB in "
                f"{seconds:.2f} s); later processes check its identity only"
            )
    with _VERDICTS_LOCK:
        _VERDICTS[key] = problem
    return problem


def recover_journal(index: Path, echo: Echo | None = None) -> str | None:
    """Deal with a leftover ``<index>-journal`` (an in-place write that was killed).

    The journal is rolled back on a copy of the index (SQLite does that when it opens the
    copy beside a copy of the journal); the copy replaces the index only when it then
    matches its recorded SHA-256. A journal that does not belong to the index (the index
    already matches its record) is set aside as ``<index>-journal.stale``.

    Returns
    -------
    str or None
        ``None`` when the journal is gone, else why the index cannot be used.
    """
    import shutil

    say = echo or log.warning
    index = Path(index)
    journal = index.with_name(index.name + JOURNAL_SUFFIX)
    what = (
        f"has a leftover journal {journal.name} (a write to it was interrupted, e.g. an import "
        f"killed by an older geoverify)"
    )
    if not writable_dir(index.parent):
        return f"{what}, and its directory is read-only so the journal cannot be rolled back"
    with index_lock(index, echo=say):
        if not journal.exists():
            return None  # another process dealt with it
        if not index.exists():
            journal.unlink(missing_ok=True)
            return "missing"
        rec = read_record(index) or {}
        if journal.stat().st_size == 0 or (rec.get("sha256") and file_digest(index) == rec["sha256"]):
            journal.replace(journal.with_name(journal.name + ".stale"))
            say(
                f"the index at {index} had a leftover journal that is not needed (the index matches its "
                f"checksum); it is set aside as {journal.name}.stale"
            )
            return None
        tmp = index.with_name(f".{index.name}.tmp-{os.getpid()}")
        tmp_journal = tmp.with_name(tmp.name + JOURNAL_SUFFIX)
        try:
            shutil.copyfile(index, tmp)
            shutil.copyfile(journal, tmp_journal)
            conn = sqlite3.connect(tmp)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls the hot journal back
            finally:
                conn.close()
            tmp_journal.unlink(missing_ok=True)
            restored = bool(rec.get("sha256")) and file_digest(tmp) == rec["sha256"]
            if not restored:
                tmp.unlink(missing_ok=True)
                return f"{what}, and rolling it back does not restore the content recorded at build time (corrupt)"
            os.replace(tmp, index)
            journal.unlink(missing_ok=True)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            tmp_journal.unlink(missing_ok=True)
            return f"{what}, and rolling it back failed ({' '.join(str(exc).split())})"
        say(
            f"rolled back the leftover journal of the index at {index} (an interrupted write); it matches "
            f"its checksum again"
        )
        mark_verified(index, rec["sha256"])
        return None


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


def fallback_indexes() -> list[Path]:
    """The fallback index paths (existing or not), in order of preference."""
    from geoverify import config

    primary = config.index_path()
    return [d / primary.name for d in fallback_dirs() if d != primary.parent]


_FALLBACK_SAID: set[str] = set()


def choose_index(path: str | os.PathLike | None = None) -> tuple[Path, str | None]:
    """The one rule for which index a process uses, without raising: ``(path, problem)``.

    ``path`` if given; else the data directory's index (:func:`geoverify.config.index_path`)
    when it is sound; else the first sound index in a fallback directory; else the data
    directory's index with what is wrong with it (``"missing"`` when there is none).
    """
    from geoverify import config

    if path:
        p = Path(path)
        return p, verify(p)
    primary = config.index_path()
    problem = verify(primary)
    if problem is None:
        return primary, None
    for fb in fallback_indexes():
        if fb.exists() and verify(fb) is None:
            if problem != "missing" and str(primary) not in _FALLBACK_SAID:
                _FALLBACK_SAID.add(str(primary))
                log.warning(f"the index at {primary} is {problem}; using the one at {fb}")
            return fb, None
    return primary, problem


def find_index(path: str | os.PathLike | None = None) -> Path:
    """The index :func:`choose_index` picks (sound or not: see :func:`select_index`)."""
    return choose_index(path)[0]


def advice(index: Path, problem: str) -> str:
    """One line: what is wrong with the index and the command that fixes it."""
    if problem == "missing":
        return f"gazetteer index not found at {index}: run `geoverify data build` (or `make install`)"
    where = ""
    if not writable_dir(index.parent):
        where = (
            f" (its directory is read-only: the new index goes to a fallback directory, "
            f"{fallback_dirs()[0]}, or set GEOVERIFY_DATA_DIR)"
        )
    return f"gazetteer index at {index} is {problem}: run `geoverify data build`{where}"


def select_index(path: str | os.PathLike | None = None) -> Path:
    """The sound index this process uses (:func:`choose_index`).

    Raises
    ------
    DataError
        One line naming the index, what is wrong and the command to run.
    """
    from geoverify.errors import DataError

    p, problem = choose_index(path)
    if problem is not None:
        raise DataError(advice(p, problem))
    return p


def build_target(path: str | os.PathLike | None = None, echo: Echo | None = None) -> Path:
    """Where a build writes: ``path`` if given, else the data directory's index, else
    (read-only) the first writable fallback directory, with a message."""
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
            (echo or log.warning)(
                f"the data directory {primary.parent} is read-only; the index goes to {target} instead"
            )
            return target
    raise DataError(
        f"no writable directory for the index: {primary.parent} and "
        f"{', '.join(str(d) for d in fallback_dirs())} are read-only; set GEOVERIFY_DATA_DIR"
    )


def content_id(index: Path) -> dict[str, Any] | None:
    """What identifies the index's content (build id and SHA-256 from its record), for
    callers that must notice a different index but not a touched one (batch resume)."""
    rec = read_record(Path(index))
    if rec is None:
        return None
    return {"build_id": rec.get("build_id"), "sha256": rec.get("sha256")}


__all__ = [
    "index_lock",
    "record",
    "read_record",
    "quick_problem",
    "deep_problem",
    "check",
    "verify",
    "header_problem",
    "sample_digest",
    "file_digest",
    "writable_dir",
    "fallback_dirs",
    "find_index",
    "choose_index",
    "select_index",
    "advice",
    "build_target",
    "record_path",
    "recover_journal",
    "mark_verified",
    "content_id",
    "identity",
    "CONTENT_DIFFERS",
]
