"""The fast prefilter: where in a text could a location be?

Each parser's full regular expression is far too slow to run over megabytes of prose, and
a single combined "anything coordinate-like" expression is slow too (the regex engine
tries every alternative at every position, and a pattern that starts with an alternation
or a common character class gets no fast search). Instead a dozen scans, nearly all
starting with a literal (which the engine finds quickly) and failing at once on ordinary
text, mark *anchors*:

- angle marks ``° º ˚ ⁰ ′ ″ *`` (not ``°C``/``°F``);
- a hemisphere letter or word after a number and followed by the start of a second
  component (``44.3N 131``, ``4007.38N 07407``, ``44.3 North, 131``), or before a number
  (``N44``, ``E 131``, ``North 44``);
- a grid zone and band (``38SMB44``, ``17T 630084``);
- two decimal numbers next to each other (``44.326859, 131.668647``, ``95.5, 200.1``,
  also after a label such as ``coordinates:``);
- labels ``lat``, ``lon``, ``lng``, ``UTM``, ``zone`` (and Cyrillic ``широта``,
  ``долгота`` and ``с.ш.``-style abbreviations in non-ASCII text), and ``deg``;
- ``+`` with a full code's 8 characters before it or two code characters after it (plus
  codes) and ``://``, ``www.``, ``geo:``, ``maps``, ``streetmap.``, ``osm.org``,
  ``plus.codes`` (links, also without a scheme).

Every notation the parsers accept contains at least one anchor, so the prefilter changes
speed, not results (the tests check it against the parsers run on the whole text).

The scans run chunk by chunk (``CHUNK`` characters, with ``LOOKAHEAD`` characters of
look-ahead past each chunk), so that the dozen passes over each chunk are served from the
CPU cache: time stays proportional to the input size at 1, 4 or 16 MB.

The detailed parsers then run only inside windows around the anchors (``BEFORE`` = 80
characters before, ``AFTER`` = 100 after — a coordinate pair is at most about 60
characters long — extended to the next whitespace so no number is cut);
each window records which parsers its anchors call for. Where anchors are dense the scan
jumps ``SKIP`` characters ahead and widens the window instead of visiting every anchor,
which keeps pathological inputs (``°°°°…``) linear and fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoverify.notation.pluscodes import CODE_CHARS
from geoverify.text.normalise import non_ascii_text

BEFORE = 80
AFTER = 100
SKIP = 64
#: Plus-code windows: at most 8 code characters before ``+`` and 30 after.
PLUS_BEFORE = 9
PLUS_AFTER = 40

#: Window flags: which parsers to run.
COORD = 1  # coordinate pairs
LABEL = 2  # lat/lon-labelled pairs
GRID = 4  # UTM / MGRS
STRONG = 8  # marks or hemisphere letters: look for single invalid components too

_H = "NSEWСЮВЗ"
_NEXT = r"[ \t]*[,;/]?[ \t]*(?:\r?\n[ \t]*)?[-+\u2212]?[\dNSEWСЮВЗ]"

_HW = r"(?:orth|outh|ast|est|ORTH|OUTH|AST|EST)"
# What may stand right before a suffix hemisphere: a digit or a mark.
_BEFORE_HEMI = r"[\dsm'′’\"″”]"
# After a prefix hemisphere: a number that continues as a coordinate component (a fraction,
# minutes, a mark, or a packed run of digits), so that road numbers (E17, N1) do not anchor.
_PREFIX_BODY = (
    r"[ \t]?[.:]?[ \t]?[-+\u2212]?"
    r"(?:\d{1,3}(?:[.,]\d|[ \t\-:]\d|['′’°º˚⁰*d])|\d{4})"
)
_DEC_TAIL = (
    r"\d+(?!\d)(?:[ \t]*[,;/][ \t]*|[ \t]+|[ \t]*\r?\n[ \t]*)(?:\r?\n[ \t]*)?"
    r"[-+\u2212]?\d{1,3}[.,]\d"
)


def _hemisphere_anchor(h: str) -> str:
    """A hemisphere letter (or word, for N S E W) that follows a number and is followed by
    the next component, or that precedes a number."""
    word = _HW if h in "NSEW" else "(?!)"
    return (
        rf"{h}(?:(?<={_BEFORE_HEMI}.)(?:(?![^\W\d_]){_NEXT}|{word}(?![^\W\d_]){_NEXT})"
        rf"|(?<={_BEFORE_HEMI}[ \t].)(?:(?![^\W\d_]){_NEXT}|{word}(?![^\W\d_]){_NEXT})"
        rf"|(?=[ \t.:\-+\u2212\d])(?<![^\W\d_].){_PREFIX_BODY}"
        rf"|(?=[oaeOAE])(?<![^\W\d_].){word}{_PREFIX_BODY})"
    )


#: (regex, flags, a character that must occur in the text for the scan to run or None).
#: Most scans start with a literal, which the regex engine finds fastest.
_ANCHORS: list[tuple[re.Pattern, int, str | None]] = [
    *[(re.compile(rf"{ch}(?![ \t]?[CFcf](?![^\W\d_]))"), COORD | STRONG, ch) for ch in "°º˚⁰"],
    *[(re.compile(ch), COORD | STRONG, ch) for ch in "′″"],
    (re.compile(r"\*(?:(?<=\d\*)|(?<=\d[ \t]\*))"), COORD | STRONG, "*"),
    # hemisphere letters and words, one literal-led scan per letter
    *[(re.compile(_hemisphere_anchor(h)), COORD | STRONG, None) for h in "NSEW"],
    # MGRS zone+band+square, UTM zone+band+easting (the look-ahead, what every branch needs after the band,
    # turns away a capital that starts a word before the look-behinds are tried)
    (
        re.compile(
            r"[C-HJ-NP-X](?=[ \t,A-HJ-NP-Z])"
            r"(?:(?<=\d.)(?:[ \t]?[A-HJ-NP-Z][A-HJ-NP-V][ \t]?\d|[ \t,]+(?:E[ \t:]*)?\d{6})"
            r"|(?<=\d[ \t].)(?![^\W\d_])[ \t,]+(?:E[ \t:]*)?\d{6})"
        ),
        GRID,
        None,
    ),
    # two adjacent decimal numbers
    (re.compile(r"\.(?=\d)(?<=\d\.)" + _DEC_TAIL), COORD, None),
    (re.compile(r",(?=\d)(?<=\d,)" + _DEC_TAIL), COORD, None),
    # lat/lon labels followed by a value
    *[
        (
            re.compile(
                rf"{lead}(?<![^\W\d_]...)(?:itude|ITUDE|gitude|GITUDE|g|G)?"
                r"\.?[ \t]*[:=]?[ \t]*(?:[-+\u2212]?\d|[NSEWСЮВЗ])"
            ),
            COORD | LABEL,
            None,
        )
        for lead in ("l(?:at|on|ng)", "L(?:at|on|ng|AT|ON|NG)")
    ],
    # UTM / zone labels (a one-character literal with a look-ahead is found faster than the word:
    # the same matches, starting at the same offsets)
    *[(re.compile(w), GRID, None) for w in ("U(?=TM)", "z(?=one)", "Z(?=one)")],
    # "deg" as a degree mark
    (re.compile("d(?=eg)"), COORD | STRONG, None),
]

_NON_ASCII_ANCHORS: list[tuple[re.Pattern, int, str | None]] = [
    *[(re.compile(_hemisphere_anchor(h)), COORD | STRONG, h) for h in "СЮВЗ"],
    # с.ш. ю.ш. в.д. з.д.
    (re.compile(r"\.(?=[ \t]?[шШдД])(?<=[сСюЮвВзЗ]\.)"), COORD | STRONG, "шШдД"),
    # широта / долгота labels
    *[(re.compile(w), COORD | LABEL, None) for w in ("и(?=рот)", "о(?=лгот)")],
]

#: The non-ASCII characters a scan's match must contain, one of each string, for the scans whose
#: match starts with one (a literal) or needs Cyrillic around a full stop: a long text that lacks
#: them skips the scan outright (see candidates()), as the chunks' ``needs`` test would one chunk
#: at a time but without a pass over the text per scan (the text's characters are read once).
_REQUIRES: dict[re.Pattern, tuple[str, ...]] = {
    rx: (rx.pattern[0],) for rx, _, _ in _ANCHORS + _NON_ASCII_ANCHORS if not rx.pattern[0].isascii()
}
_REQUIRES[_NON_ASCII_ANCHORS[4][0]] = ("шШдД", "сСюЮвВзЗ")  # с.ш. ю.ш. в.д. з.д.
_REQUIRES[_NON_ASCII_ANCHORS[5][0]] = tuple("ирот")  # широта
_REQUIRES[_NON_ASCII_ANCHORS[6][0]] = tuple("олгт")  # долгота

# A plus code the parser accepts has a full code's 8 characters before its "+", or (short codes) at
# least two after it: "+7 (423)" (a telephone number) anchors nothing.
_PLUS = re.compile(rf"\+(?:(?=[{CODE_CHARS}]{{2}})|(?<=[{CODE_CHARS}0]{{8}}\+))")
# Links: schemes, www., geo: (g or G, then eo or EO), and map hosts written without a scheme
# (google.com/maps/..., maps.apple.com/..., openstreetmap.org/..., osm.org/..., plus.codes/...).
# Every occurrence of each word is a link offset; three scans led by one character find them
# all (a pass over the text per word cost three times as much): ":" finds "://" and "geo:",
# "map" finds "maps" and "streetmap.", "." finds "www.", "osm.org" and "plus.codes";
# _link_offsets() says which word each hit is.
_LINK_SCANS = [
    re.compile(r":(?://|(?<=[gG]eo:)|(?<=[gG]EO:))"),
    re.compile(r"map(?:s|(?<=streetmap)\.)"),
    re.compile(r"\.(?:(?<=www\.)|(?<=osm\.)org|(?<=plus\.)codes)"),
]
_WS = re.compile(r"\s")

#: How far a window end may move to reach whitespace (a token longer than this is cut).
MAX_EXTEND = 400


@dataclass
class Candidates:
    """Where the parsers should look: ``windows`` as (start, end, flags), ``plus`` as
    (start, end) windows around ``+`` signs, ``links`` as offsets of ``://``, ``www.``,
    ``geo:``."""

    windows: list[tuple[int, int, int]] = field(default_factory=list)
    plus: list[tuple[int, int]] = field(default_factory=list)
    links: list[int] = field(default_factory=list)


#: The text is scanned in chunks of this many characters, so that the dozen passes over a
#: chunk hit the CPU cache instead of main memory (a 16 MB text is 32-64 MB in memory).
CHUNK = 1 << 17
#: How far past a chunk an anchor's look-ahead may need to see.
LOOKAHEAD = 256


def _scan_anchors(rx: re.Pattern, flags: int, text: str, out: list, before: int, after: int, pos: int, hi: int) -> int:
    """Anchors of ``rx`` starting in ``[pos, hi)``; returns where the next chunk resumes."""
    n = len(text)
    end = min(n, hi + LOOKAHEAD)
    search = rx.search
    while pos < hi:
        m = search(text, pos, end)
        if m is None or m.start() >= hi:
            return hi
        p = m.start()
        nxt = search(text, p + 1, min(end, p + SKIP)) if p + 1 < n else None
        if nxt is None:
            out.append((max(0, p - before), min(n, p + after), flags))
            pos = p + 1
        else:  # dense anchors: cover the next SKIP characters in one window
            out.append((max(0, p - before), min(n, p + SKIP + after), flags))
            pos = p + SKIP
    return pos


_DIGIT = re.compile(r"\d")
_LINK_WORDS = ("://", "www.", "geo:", "maps", "streetmap.", "osm.org", "plus.codes")
#: Texts up to this long are first checked for what every notation needs (see candidates()).
SHORT_TEXT = 4096


def candidates(text: str) -> Candidates:
    """Scan ``text`` for anchors and return merged windows, ``+`` windows and link offsets."""
    n = len(text)
    if n <= SHORT_TEXT and "+" not in text and _DIGIT.search(text) is None:
        # every coordinate, grid reference and plus code has a digit (a plus code a "+");
        # only a link can have neither: a short text without them has no anchor to scan for
        low = text.lower()
        if not any(w in low for w in _LINK_WORDS):
            return Candidates()
    if text.isascii():
        scans = _ANCHORS
    elif n <= SHORT_TEXT:
        scans = _ANCHORS + _NON_ASCII_ANCHORS
    else:  # a scan for characters the text lacks finds nothing: not run
        present = non_ascii_text(text)  # (`ch in present`: the text holds ch)
        scans = [
            s
            for s in _ANCHORS + _NON_ASCII_ANCHORS
            if all(any(ch in present for ch in group) for group in _REQUIRES.get(s[0], ()))
        ]
    resume = [0] * len(scans)
    plus_resume = 0
    raw: list[tuple[int, int, int]] = []
    plus: list[tuple[int, int, int]] = []
    find = text.find
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        for k, (rx, flags, needs) in enumerate(scans):
            if needs is not None and not any(find(ch, lo, hi) >= 0 for ch in needs):
                resume[k] = max(resume[k], hi)
                continue
            resume[k] = _scan_anchors(rx, flags, text, raw, BEFORE, AFTER, resume[k], hi)
        plus_resume = _scan_anchors(_PLUS, 0, text, plus, PLUS_BEFORE, PLUS_AFTER, plus_resume, hi)
    out = Candidates()
    out.plus = _merge_plain(plus)
    out.links = _link_offsets(text)
    if raw:
        out.windows = merge_windows(text, raw)
    return out


def _link_offsets(text: str) -> list[int]:
    """The sorted offsets of every occurrence in ``text`` of ``://``, ``www.``, ``geo:`` (``g`` or
    ``G``, then ``eo`` or ``EO``), ``maps``, ``streetmap.``, ``osm.org`` and ``plus.codes``."""
    startswith = text.startswith
    colons = [m.start() for m in _LINK_SCANS[0].finditer(text)]  # "://" and "geo:" (both in "geo://")
    links = [p for p in colons if startswith("//", p + 1)]
    links += [p - 3 for p in colons if p >= 3 and text[p - 3] in "gG" and text[p - 2 : p] in ("eo", "EO")]
    for m in _LINK_SCANS[1].finditer(text):  # "maps" and "streetmap."
        p = m.start()
        links.append(p if startswith("maps", p) else p - 6)
    for m in _LINK_SCANS[2].finditer(text):  # "www.", "osm.org" and "plus.codes"
        p = m.start()
        links.append(p - 4 if startswith("codes", p + 1) and startswith("plus", p - 4) else p - 3)
    return sorted(set(links))


def _merge_plain(raw: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for lo, hi, _ in sorted(raw):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def merge_windows(text: str, raw: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Sort and merge (start, end, flags) windows; each merged window ends at whitespace
    (or the end of the text) and carries the union of its flags."""
    raw.sort()
    merged: list[list[int]] = []
    for lo, hi, fl in raw:
        if merged and lo <= merged[-1][1]:
            last = merged[-1]
            if hi > last[1]:
                last[1] = hi
            last[2] |= fl
            continue
        if merged:
            merged[-1][1] = _extend(text, merged[-1][1])
            if lo <= merged[-1][1]:
                last = merged[-1]
                last[1] = max(hi, last[1])
                last[2] |= fl
                continue
        merged.append([lo, hi, fl])
    if merged:
        merged[-1][1] = _extend(text, merged[-1][1])
    return [(a, b, f) for a, b, f in merged]


def _extend(text: str, end: int) -> int:
    n = len(text)
    if end >= n:
        return n
    limit = min(n, end + MAX_EXTEND)
    m = _WS.search(text, end, limit)
    return limit if m is None else m.start()
