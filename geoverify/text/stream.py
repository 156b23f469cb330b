"""Reading inputs of any size: tolerant decoding, windows with overlap, streamed results.

``geoverify extract`` and ``geoverify verify`` read their input through this module, so a
gigabyte dump is processed in bounded memory and a short text gives exactly what
:func:`geoverify.notation.scan` and :func:`geoverify.pipeline.verify` give. What is read in
the windows lives above this layer: :mod:`geoverify.notation.stream` (notations) and
:mod:`geoverify.pipeline` (claims and checks); this module imports neither.

Decoding (:class:`Decoder`)
    UTF-8 (a BOM is skipped) or UTF-16 with a BOM. Bytes that are not valid UTF-8 are
    replaced by U+FFFD and reported once per run of bad bytes, naming the byte offset
    (``<file>: invalid UTF-8 at byte N (replaced)``; after :data:`MAX_DECODE_WARNINGS` runs
    only a count). Text with a NUL byte is binary and refused (:class:`InputError`); a NUL
    in the first block refuses the whole file before anything is written.

Windows (:func:`iter_windows`)
    The decoded text is cut into *cores* of about ``window`` characters (default
    :data:`WINDOW`, 1 MiB), cut at a line break (else whitespace, else anywhere); each core
    is processed inside a *window* that adds ``overlap`` characters (:data:`OVERLAP`,
    16 KiB, far longer than any location or claim) of context on both sides. A location or
    claim belongs to the core its start lies in, and a location that overlaps one already
    emitted is dropped, so nothing is reported twice and nothing straddling a seam is lost.
    Offsets stay absolute (Python ``str`` indices into the whole decoded input).

Memory
    O(window + overlap + one window's results): the decoded window (1 MiB + 2 × 16 KiB
    characters, at most 4 bytes each), the raw block being decoded (1 MiB) and the
    locations/claims of the windows in flight. ``verify`` keeps two windows in flight
    (claims of one window are tied to locations of the next) and spools claims, mentions
    and comparisons to a temporary file until the locations are written, so the JSON
    report streams too. ``bench/bench_hardening.py`` measures the peak RSS on 1 GB.

What changes on a text longer than one window (``verify``)
    A claim not tied to a location is checked against the locations in its window (at
    most :data:`NEAREST` of them, nearest in the text first), not against every location
    of a gigabyte; each location is compared with at most :data:`NEAREST` locations before
    it in its window. A text of one window with at most :data:`NEAREST` locations gives
    exactly :func:`geoverify.pipeline.verify`'s report.
"""

from __future__ import annotations

import codecs
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from geoverify.errors import InputError

log = logging.getLogger("geoverify")

#: Characters per core (a window adds OVERLAP on each side).
WINDOW = 1 << 20
#: Characters of context on each side of a core.
OVERLAP = 1 << 14
#: Bytes read at a time.
BLOCK = 1 << 20
#: Invalid-UTF-8 runs reported one by one per input; later runs are only counted.
MAX_DECODE_WARNINGS = 20

Warn = Callable[[str], None]


def _default_warn(message: str) -> None:
    log.warning("%s", message)


# ----------------------------------------------------------------------------------------
# Opening and decoding
# ----------------------------------------------------------------------------------------


def open_binary(source: str) -> tuple[IO[bytes], str]:
    """Open ``source`` (a path, or ``-`` for stdin) for binary reading.

    Returns
    -------
    (stream, name) : the stream and the name used in messages (``<stdin>`` for ``-``).

    Raises
    ------
    InputError
        Missing file, a directory, no permission, or another OS error (one line).
    """
    if source == "-":
        return sys.stdin.buffer, "<stdin>"
    try:
        return open(source, "rb"), source  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None


_RECORD = threading.local()


def _record_and_replace(exc: UnicodeDecodeError):
    found = getattr(_RECORD, "errors", None)
    if found is not None:
        found.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("geoverify-record", _record_and_replace)


class Decoder:
    """Incremental decoding of an input's bytes with a warning per run of invalid bytes.

    Parameters
    ----------
    name : str
        The input's name for messages.
    warn : callable, optional
        Receives each warning (default: the ``geoverify`` logger).
    """

    def __init__(self, name: str, warn: Warn | None = None):
        self.name = name
        self.warn = warn or _default_warn
        self.encoding: str | None = None  # decided by the first bytes
        self.offset = 0  # absolute byte offset of the next byte to decode
        self._pending = b""
        self._last_bad_end = -1
        self.bad_runs = 0
        self.bad_bytes = 0

    def _start(self, data: bytes) -> bytes:
        if data.startswith(codecs.BOM_UTF8):
            self.encoding = "utf-8"
            self.offset = 3
            return data[3:]
        if data.startswith(codecs.BOM_UTF16_LE):
            self.encoding = "utf-16-le"
        elif data.startswith(codecs.BOM_UTF16_BE):
            self.encoding = "utf-16-be"
        else:
            self.encoding = "utf-8"
            return data
        self.offset = 2
        return data[2:]

    def feed(self, data: bytes, final: bool = False) -> str:
        """Decode the next bytes (``final`` for the last call); returns the text so far.

        Raises
        ------
        InputError
            A NUL byte in UTF-8 input (binary data).
        """
        if self.encoding is None:  # the first 3 bytes decide (a BOM or not)
            head = self._pending + data
            if len(head) < 3 and not final:
                self._pending = head
                return ""
            self._pending = b""
            data = self._start(head)
        if self.encoding == "utf-8":
            nul = data.find(b"\x00")
            if nul >= 0:
                at = self.offset + len(self._pending) + nul
                raise InputError(f"{self.name}: binary data (NUL byte at offset {at}), expected text")
        buf = self._pending + data if self._pending else data
        cut = len(buf) if final else _complete_prefix(buf, self.encoding)
        self._pending = buf[cut:]
        return self._decode(buf[:cut] if cut < len(buf) else buf)

    def _decode(self, chunk: bytes) -> str:
        base = self.offset
        self.offset += len(chunk)
        try:
            return chunk.decode(self.encoding)
        except UnicodeDecodeError:
            pass
        _RECORD.errors = found = []
        try:
            text = chunk.decode(self.encoding, "geoverify-record")
        finally:
            _RECORD.errors = None
        what = "UTF-8" if self.encoding == "utf-8" else "UTF-16"
        for start, end in found:
            start, end = base + start, base + end
            self.bad_bytes += end - start
            if start == self._last_bad_end:  # the same run of bad bytes
                self._last_bad_end = end
                continue
            self._last_bad_end = end
            self.bad_runs += 1
            if self.bad_runs <= MAX_DECODE_WARNINGS:
                self.warn(f"{self.name}: invalid {what} at byte {start} (replaced)")
        return text

    def finish(self) -> str:
        """Decode what is left and report how many bad runs were not listed."""
        text = self.feed(b"", final=True)
        if self.bad_runs > MAX_DECODE_WARNINGS:
            self.warn(
                f"{self.name}: {self.bad_runs - MAX_DECODE_WARNINGS} more runs of invalid bytes "
                f"replaced ({self.bad_bytes} bad bytes in all)"
            )
        return text


def _complete_prefix(buf: bytes, encoding: str | None) -> int:
    """Length of the longest prefix of ``buf`` that does not end inside a character."""
    n = len(buf)
    if encoding == "utf-8":
        for back in range(1, min(4, n) + 1):
            b = buf[n - back]
            if b & 0xC0 != 0x80:  # a lead (or ASCII) byte
                need = 2 if 0xC0 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if 0xF0 <= b < 0xF8 else 1
                return n - back if need > back else n
        return n
    cut = n - (n % 2)
    if cut >= 2:
        unit = buf[cut - 2 : cut]
        hi = unit[1] if encoding == "utf-16-le" else unit[0]
        if 0xD8 <= hi <= 0xDB:  # a high surrogate waits for its pair
            cut -= 2
    return cut


def decode_bytes(data: bytes, name: str, warn: Warn | None = None) -> str:
    """Decode a whole input: UTF-8 (BOM allowed) or UTF-16 with a BOM.

    Invalid bytes are replaced (U+FFFD) with a warning naming the byte offset.

    Raises
    ------
    InputError
        Binary data (a NUL byte in UTF-8 input).
    """
    dec = Decoder(name, warn)
    return dec.feed(data) + dec.finish()


def iter_text(stream: IO[bytes], name: str, warn: Warn | None = None, block: int = BLOCK) -> Iterator[str]:
    """Decoded text of ``stream``, ``block`` bytes at a time."""
    dec = Decoder(name, warn)
    while True:
        try:
            data = stream.read(block)
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
        if not data:
            break
        text = dec.feed(data)
        if text:
            yield text
    tail = dec.finish()
    if tail:
        yield tail


def read_text(source: str, warn: Warn | None = None) -> str:
    """Read a whole input (``-`` for stdin) as text; see :class:`Decoder`."""
    stream, name = open_binary(source)
    try:
        return "".join(iter_text(stream, name, warn))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


# ----------------------------------------------------------------------------------------
# Windows
# ----------------------------------------------------------------------------------------


@dataclass
class Window:
    """A piece of the input: ``text`` starts at absolute offset ``offset``; the part this
    window is responsible for is ``text[core_start:core_end]``."""

    text: str
    offset: int
    core_start: int
    core_end: int
    index: int
    last: bool

    def owns(self, start: int) -> bool:
        """Does the location or claim starting at window offset ``start`` belong here?"""
        return self.core_start <= start < self.core_end


def _cut(buf: str, lo: int, hi: int) -> int:
    """Where to end a core: after the last line break in ``buf[lo:hi]``, else after the last
    whitespace, else at ``hi``."""
    i = buf.rfind("\n", lo, hi)
    if i >= 0:
        return i + 1
    for ws in (" ", "\t", "\r"):
        i = buf.rfind(ws, lo, hi)
        if i >= 0:
            return i + 1
    return hi


def iter_windows(pieces: Iterable[str], window: int = WINDOW, overlap: int = OVERLAP) -> Iterator[Window]:
    """Cut a stream of text pieces into overlapping windows (see the module docstring).

    Always yields at least one window (an empty one for an empty input).
    """
    if window < 1 or overlap < 0:
        raise ValueError("window must be >= 1 and overlap >= 0")
    it = iter(pieces)
    buf = ""
    buf_start = 0  # absolute offset of buf[0]
    core_start = 0
    eof = False
    index = 0
    while True:
        need = core_start + window + overlap
        parts = [buf]
        have = buf_start + len(buf)
        while not eof and have < need:
            piece = next(it, None)
            if piece is None:
                eof = True
            else:
                parts.append(piece)
                have += len(piece)
        if len(parts) > 1:
            buf = "".join(parts)
        total = buf_start + len(buf)
        if eof and total <= core_start + window:
            core_end = total
        else:
            lo = core_start + window // 2 - buf_start
            core_end = _cut(buf, lo, core_start + window - buf_start) + buf_start
        last = eof and core_end >= total
        ws = max(buf_start, core_start - overlap)
        if ws > 0:  # start the context at a line start when there is one nearby
            nl = buf.find("\n", ws - buf_start, ws - buf_start + overlap // 2)
            if nl >= 0:
                ws = nl + 1 + buf_start
        we = min(total, core_end + overlap)
        yield Window(buf[ws - buf_start : we - buf_start], ws, core_start - ws, core_end - ws, index, last)
        if last:
            return
        index += 1
        core_start = core_end
        drop = core_start - overlap - buf_start
        if drop > 0:
            buf = buf[drop:]
            buf_start += drop


# ----------------------------------------------------------------------------------------
# Streamed extraction
# ----------------------------------------------------------------------------------------


def started(items: Iterable[Any]) -> Iterator[Any]:
    """``items`` with the first one already taken, so that an input that cannot be read
    fails before any output is written (an error later still ends the output early)."""
    it = iter(items)
    try:
        first = next(it)
    except StopIteration:
        return iter(())

    def chain() -> Iterator[Any]:
        yield first
        yield from it

    return chain()


__all__ = [
    "WINDOW",
    "OVERLAP",
    "Decoder",
    "decode_bytes",
    "iter_text",
    "read_text",
    "open_binary",
    "Window",
    "iter_windows",
    "started",
]
