"""The fast prefilter: where in a text could a location be?

Each parser's full regular expression is far too slow to run over megabytes of prose, and
a single combined "anything coordinate-like" expression is slow too (the regex engine
tries every alternative at every position). Instead a handful of scans, each starting with
a rare character class or a literal so that the engine's fast search skips ordinary text,
mark *anchors*:

- angle marks ``° º ˚ ⁰ ′ ″ *``;
- a hemisphere or grid-band letter right after a digit (``44.3N``, ``38SMB``, ``17T 630``),
  a hemisphere letter or word right before a digit (``N44``, ``E 131``, ``North 44``);
- two decimal numbers next to each other (``44.326859, 131.668647``, ``95.5, 200.1``);
- labels: ``lat``, ``lon``, ``lng``, ``coord``, ``GPS``, ``UTM``, ``zone`` (and Cyrillic
  ``широта``, ``долгота``, ``координаты``, ``с.ш.``-style abbreviations in non-ASCII text);
- ``deg`` / ``d`` between digits (``44d19m``);
- ``+`` (plus codes) and ``://``, ``www.``, ``geo:`` (links).

The detailed parsers then run only inside windows around the anchors (100 characters
before, 140 after, extended to the next whitespace so no number is cut), plus codes only
around ``+`` and links from their scheme. Every notation the parsers accept contains at
least one anchor, so the prefilter changes speed, not results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BEFORE = 100
AFTER = 140

_HEMI = "NSEWСЮВЗ"

_ANCHORS = [
    re.compile(r"[°º˚⁰′″*]"),
    re.compile(
        r"[C-HJ-NP-XСЮВЗ](?:"
        r"(?<=\d[C-HJ-NP-XСЮВЗ])|(?<=\d[ \t][C-HJ-NP-XСЮВЗ])"
        rf"|(?<=[{_HEMI}])(?<![^\W\d_][{_HEMI}])(?=[ \t]?[.:]?[ \t]?[-+\u2212]?\d)"
        r"|(?<=[NSEW])(?:orth|outh|ast|est|ORTH|OUTH|AST|EST)[ \t]?[.:]?[ \t]?[-+\u2212]?\d)"
    ),
    re.compile(
        r"[.,](?<=\d[.,])\d+[ \t]*[,;/]?[ \t]*(?:\r?\n[ \t]*)?[-+\u2212]?\d{1,3}[.,]\d"
    ),
    re.compile(
        r"[LlGCcUZz](?<![^\W\d_][LlGCcUZz])(?:(?<=[Ll])(?:at|on|ng)|(?<=L)(?:AT|ON|NG)"
        r"|(?<=[Cc])oord|(?<=C)OORD|(?<=G)PS|(?<=U)TM|(?<=[Zz])one|(?<=Z)ONE)"
    ),
    re.compile(r"[dD](?:(?<=\dd)\d|(?<=\d[ \t][dD])eg)"),
]

_NON_ASCII_ANCHORS = [
    re.compile(
        r"[шШдДиИоО](?:(?<=[сСюЮвВзЗ]\.[шШдД])|(?<=[сСюЮвВзЗ]\.[ \t][шШдД])"
        r"|(?<=[Шш])ирот|(?<=[Дд])олгот|(?<=[Кк]о)ордин)"
    ),
]

_PLUS = re.compile(r"\+")
_LINKS = [re.compile(r"://"), re.compile(r"www\."), re.compile(r"[Gg][Ee][Oo]:")]
_WS = re.compile(r"\s")


@dataclass
class Candidates:
    """Where the parsers should look."""

    windows: list[tuple[int, int]] = field(default_factory=list)
    plus: list[int] = field(default_factory=list)
    links: list[int] = field(default_factory=list)


def candidates(text: str) -> Candidates:
    """Scan ``text`` for anchors and return merged windows, ``+`` offsets and link offsets."""
    anchors: list[int] = []
    for rx in _ANCHORS:
        anchors.extend(m.start() for m in rx.finditer(text))
    if not text.isascii():
        for rx in _NON_ASCII_ANCHORS:
            anchors.extend(m.start() for m in rx.finditer(text))
    out = Candidates()
    out.plus = [m.start() for m in _PLUS.finditer(text)]
    for rx in _LINKS:
        out.links.extend(m.start() for m in rx.finditer(text))
    out.links.sort()
    if anchors:
        out.windows = merge_windows(text, anchors)
    return out


def merge_windows(text: str, anchors: list[int]) -> list[tuple[int, int]]:
    """Windows of ``BEFORE``/``AFTER`` characters around sorted anchors, merged, each
    ending at whitespace (or the end of the text)."""
    n = len(text)
    windows: list[tuple[int, int]] = []
    for p in sorted(anchors):
        lo, hi = max(0, p - BEFORE), min(n, p + AFTER)
        if windows and lo <= windows[-1][1]:
            if hi > windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
            continue
        if windows:
            windows[-1] = (windows[-1][0], _extend(text, windows[-1][1]))
            if lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
                continue
        windows.append((lo, hi))
    if windows:
        windows[-1] = (windows[-1][0], _extend(text, windows[-1][1]))
    return windows


#: How far a window end may move to reach whitespace (a token longer than this is cut).
MAX_EXTEND = 400


def _extend(text: str, end: int) -> int:
    n = len(text)
    if end >= n:
        return n
    limit = min(n, end + MAX_EXTEND)
    m = _WS.search(text, end, limit)
    return limit if m is None else m.start()
