"""Notation over text as it comes: look-alike characters read first, long inputs in windows.

The text layer (:mod:`geoverify.text`) decodes, normalises and cuts; this module runs the
notation parsers (:func:`geoverify.notation.scan`) over what it gives, so the dependency goes
one way: notation reads text, text never imports notation.

- :func:`scan_normalised`: one ``str``, look-alike digits and marks read by the policy of
  :mod:`geoverify.text.normalise`, every span mapped back to the original text;
- :func:`scan_windows`: the windows of :func:`geoverify.text.stream.iter_windows`, each
  location and diagnostic reported once, by the window whose core holds its start;
- :func:`extract_stream`: a file (``-`` for stdin) of any size, in bounded memory
  (``geoverify extract``);
- :func:`scan_text`: a ``str`` through the same windows, as one :class:`Extraction`
  (the same results as :func:`scan_normalised` on the whole text).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

from geoverify.notation._results import Extraction
from geoverify.text.normalise import describe_changes, map_locations, normalise, reading_once
from geoverify.text.stream import OVERLAP, WINDOW, Warn, Window, iter_text, iter_windows, open_binary


def scan_normalised(text: str) -> Extraction:
    """:func:`geoverify.notation.scan` on the normalised text, with every span mapped back to
    ``text`` and a warning on each location whose text needed normalising.

    Raises
    ------
    TypeError
        ``text`` is not a ``str``.
    """
    from geoverify.notation import scan as _scan

    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, not {type(text).__name__}")
    with reading_once(text):  # normalise and the extractor's prefilter read its characters once
        norm = normalise(text)
        result = _scan(norm.text)
    if norm.changed:
        map_locations(norm, result.locations)
        for d in result.diagnostics:
            d.start, d.end = norm.to_original(d.start, d.end)
            d.text = text[d.start : d.end]
            changes = norm.changes_in(d.start, d.end)
            if changes:
                d.message = f"{d.message} ({describe_changes(changes)})"
    return result


def _shift(obj, by: int):
    obj.start += by
    obj.end += by
    return obj


def scan_windows(windows: Iterable[Window]) -> Iterator[tuple[list, list]]:
    """Per window: (locations, diagnostics) it owns, offsets absolute, none overlapping an
    earlier one. Look-alike characters are read as :mod:`geoverify.text.normalise` says."""
    last_end = -1
    last_diag_end = -1
    for w in windows:
        result = scan_normalised(w.text)
        locs = []
        for loc in result.locations:
            if w.owns(loc.start) and loc.start + w.offset >= last_end:
                locs.append(_shift(loc, w.offset))
                last_end = loc.end
        diags = []
        for d in result.diagnostics:
            if w.owns(d.start) and d.start + w.offset >= last_diag_end:
                diags.append(_shift(d, w.offset))
                last_diag_end = d.end
        yield locs, diags


def extract_stream(
    source: str, window: int = WINDOW, overlap: int = OVERLAP, warn: Warn | None = None
) -> Iterator[tuple[list, list]]:
    """:func:`scan_windows` over a file (``-`` for stdin)."""
    stream, name = open_binary(source)
    try:
        yield from scan_windows(iter_windows(iter_text(stream, name, warn), window, overlap))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def scan_text(text: str, window: int = WINDOW, overlap: int = OVERLAP) -> Extraction:
    """Streamed extraction of a ``str`` (the same results as the file reader), as one
    :class:`~geoverify.notation.Extraction`."""
    out = Extraction()
    for locs, diags in scan_windows(iter_windows([text], window, overlap)):
        out.locations.extend(locs)
        out.diagnostics.extend(diags)
    return out


__all__ = ["scan_normalised", "scan_windows", "extract_stream", "scan_text"]
