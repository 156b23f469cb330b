"""Look-alike characters: what geoverify reads them as, and how spans still point into the original.

Verifiers paste scraped HTML, OCR output and right-to-left text. Before extraction the
text is *normalised* by a fixed, documented table; every location whose verbatim text
needed it gets a warning naming each character changed, and every span (``start``,
``end``, ``text``) still refers to the ORIGINAL text.

The policy (all of it; nothing else is changed):

======================================  ===============================================
What                                    Read as
======================================  ===============================================
decimal digits of any script            ASCII ``0-9`` (Arabic-Indic ``٠-٩``, Persian
(Unicode category Nd, non-ASCII)        ``۰-۹``, full-width ``０-９``, Devanagari, ...)
full-width ASCII ``！-～`` (U+FF01-FF5E)  the ASCII character (``４４．３`` -> ``44.3``)
Arabic decimal / thousands separators,  ``.`` / ``,`` / ``,`` / ``;``
Arabic comma and semicolon
spaces (NBSP, narrow NBSP, thin,        a plain space
ideographic, en/em ... spaces)
NEL, LINE / PARAGRAPH SEPARATOR         a line feed
invisible format characters: zero-      removed (ZWNJ/ZWJ are kept between two letters,
width space/joiners, word joiner, BOM,  where they shape Persian and Indic words)
soft hyphen, LRM/RLM/ALM, the bidi
embeddings, overrides and isolates
homoglyphs of ``°`` after a digit:      ``°``
``º ˚ ᵒ ⁰ ∘ ﾟ ゜``
homoglyphs of ``′`` after a digit:      ``′``
``’ ‘ ´ ʹ ˊ ꞌ ‵``
homoglyphs of ``″`` after a digit:      ``″``
``” “ ʺ ˝ 〃 ‶``
hyphens ``‐ ‑ ‒ ﹣`` before a digit       ``-``
combining marks after anything but a    removed (``4̃4.3`` -> ``44.3``); after a letter
letter (a digit, a space, a mark)       they are kept (they are part of the letter)
======================================  ===============================================

"After a digit" means right after one, or after one and a single space, so typographic
quotes and apostrophes in prose are never touched. ASCII ``'`` and ``"`` are the canonical
ASCII marks and stay as they are. Letters that look like digits (``O`` for ``0``, ``l``
for ``1``, Cyrillic or Greek look-alikes of Latin letters) are *not* read as digits or
hemisphere letters: such text is not a location, and nothing is guessed.

Every replacement is one character for one character; only removals change the length,
so the offset map is a sorted list of removal points (:meth:`Normalised.to_original`).
ASCII text takes a fast path with no copy at all, and so does any text without a character
the policy could change (one regular-expression scan; prose with typographic quotes,
apostrophes, dashes and accented letters has none).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from geoverify.model import Claim, Location

DEGREE, PRIME, DOUBLE_PRIME = "\u00b0", "\u2032", "\u2033"

#: Homoglyphs of the angle marks, read as the mark only right after a digit.
DEGREE_LOOKALIKES = "\u00ba\u02da\u1d52\u2070\u2218\uff9f\u309c"
PRIME_LOOKALIKES = "\u2019\u2018\u00b4\u02b9\u02ca\ua78c\u2035"
DOUBLE_PRIME_LOOKALIKES = "\u201d\u201c\u02ba\u02dd\u3003\u2036"

_MARK_TARGET = {
    **{c: DEGREE for c in DEGREE_LOOKALIKES},
    **{c: PRIME for c in PRIME_LOOKALIKES},
    **{c: DOUBLE_PRIME for c in DOUBLE_PRIME_LOOKALIKES},
}
_SEPARATORS = {"\u066b": ".", "\u066c": ",", "\u060c": ",", "\u061b": ";"}
_JOINERS = "\u200c\u200d"

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
_PATTERN = re.compile(
    r"(?P<digit>[^\D\x00-\x7f])"
    r"|(?P<fullwidth>[\uff01-\uff5e])"
    r"|(?P<sep>[\u066b\u066c\u060c\u061b])"
    r"|(?P<space>[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000])"
    r"|(?P<line>[\u0085\u2028\u2029])"
    rf"|(?P<invisible>[{_INVISIBLE}])"
    rf"|(?P<mark>[{DEGREE_LOOKALIKES}{PRIME_LOOKALIKES}{DOUBLE_PRIME_LOOKALIKES}])"
    r"|(?P<hyphen>[\u2010\u2011\u2012\ufe63])"
    rf"|(?P<combining>[{_COMBINING}]+)"
)

# Where the first change can be (the fast path: most text, prose with typographic quotes,
# apostrophes, dashes and accented letters included, has none). Every character _PATTERN
# reads is either always a candidate (_ALWAYS: full-width forms, Arabic separators, spaces,
# line separators, invisible and combining characters, hyphens; non-ASCII digits) or a mark
# that is changed only right after a digit, or a digit and a space (a mark after invisible
# characters or combining marks is found through those, which come first). The non-ASCII
# characters of a text are found by deleting the ASCII bytes of its UTF-8 form (two C passes),
# so prose is checked at memory speed, not character by character, and the candidates among
# them by one scan of what is left (_NOT_CANDIDATE).
_MARKS = f"{DEGREE_LOOKALIKES}{PRIME_LOOKALIKES}{DOUBLE_PRIME_LOOKALIKES}"
_ALWAYS_CLASS = (
    "\uff01-\uff5e\u066b\u066c\u060c\u061b\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u0085\u2028\u2029"
    f"{_INVISIBLE}\u2010\u2011\u2012\ufe63{_COMBINING}"
)
_MAY_CHANGE = re.compile(  # the same test as may_change(), for short strings
    rf"[^\D\x00-\x7f]|[{_ALWAYS_CLASS}]|[{_MARKS}](?:(?<=\d.)|(?<=\d .))"
)
#: In a text's non-ASCII characters, a run of those may_change() does not look for (a candidate is a
#: digit, one of _ALWAYS or a mark): deleted, the candidates are left.
_NOT_CANDIDATE = re.compile(rf"[^\d{_ALWAYS_CLASS}{_MARKS}]+")
_ASCII_BYTES = bytes(range(128))


def _expand(ranges: str) -> frozenset:
    out = set()
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            out.update(chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            out.add(ranges[i])
            i += 1
    return frozenset(out)


_ALWAYS = _expand(_ALWAYS_CLASS)
_MARK_SET = frozenset(_MARKS)


#: Inside :func:`reading_once`: ``[text, its non-ASCII characters or None until asked]``.
_ONCE: ContextVar[list | None] = ContextVar("geoverify_text_read_once", default=None)


def non_ascii_text(text: str) -> str:
    """The non-ASCII characters of ``text``, in order (the ASCII bytes of its UTF-8 form deleted:
    two C passes); ``ch in non_ascii_text(text)`` says whether ``text`` holds ``ch`` without another
    pass over it. Inside :func:`reading_once` for this very text, read once and kept."""
    if text.isascii():
        return ""
    once = _ONCE.get()
    if once is not None and once[0] is text and once[1] is not None:
        return once[1]
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    if once is not None and once[0] is text:
        once[1] = rest
    return rest


def non_ascii_chars(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of ``text`` (of :func:`non_ascii_text`)."""
    return frozenset(non_ascii_text(text))


@contextmanager
def reading_once(text: str) -> Iterator[None]:
    """Within the block, :func:`non_ascii_text` reads ``text`` once: :func:`normalise` asks
    (through :func:`may_change`) and so does the extractor's prefilter, given the text
    ``normalise`` returns, which is ``text`` itself when nothing needed normalising. Nothing
    is kept after the block."""
    token = _ONCE.set([text, None])
    try:
        yield
    finally:
        _ONCE.reset(token)


def may_change(text: str, start: int = 0) -> int | None:
    """Where :func:`normalise` may first change ``text`` (from ``start``), or ``None`` when it
    changes nothing: a position at or before the first change (it may change nothing there)."""
    if text.isascii():
        return None
    if len(text) - start < 256:
        m = _MAY_CHANGE.search(text, start)
        return None if m is None else m.start()
    present = set(_NOT_CANDIDATE.sub("", non_ascii_text(text[start:] if start else text)))
    first = None
    for ch in present:
        if ch in _ALWAYS or ch.isdecimal():
            i = text.find(ch, start)
            first = i if first is None else min(first, i)
    for ch in present & _MARK_SET:
        i = text.find(ch, start)
        limit = len(text) if first is None else first
        while 0 <= i < limit:
            if i > 0 and (text[i - 1].isdecimal() or (text[i - 1] == " " and i > 1 and text[i - 2].isdecimal())):
                first = i if first is None else min(first, i)
                break
            i = text.find(ch, i + 1)
    return first


@dataclass(frozen=True)
class Change:
    """One character (or run of combining marks) of the original text that was read differently.

    Attributes
    ----------
    start, end : int
        Offsets in the ORIGINAL text.
    original : str
        The characters as they were.
    replacement : str
        What they were read as (``""`` when removed).
    """

    start: int
    end: int
    original: str
    replacement: str

    def describe(self) -> str:
        return _describe_char(self.original, self.replacement)


@dataclass
class Normalised:
    """A text as geoverify reads it, with the way back to the original offsets.

    Attributes
    ----------
    original : str
        The text as given.
    text : str
        The text as read (same as ``original`` when nothing needed normalising).
    changes : list of Change
        Every change, in order (original offsets).
    """

    original: str
    text: str
    changes: list[Change] = field(default_factory=list)
    _removed_at: list[int] = field(default_factory=list, repr=False)  # normalised offsets of removals
    _removed_cum: list[int] = field(default_factory=list, repr=False)  # chars removed up to there
    _change_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of :attr:`text` to the original text.

        Removed characters strictly inside the span are inside the mapped span; those
        at its edges are left out.
        """
        if not self._removed_at:
            return start, end
        i = bisect_right(self._removed_at, start)
        o_start = start + (self._removed_cum[i - 1] if i else 0)
        if end <= start:
            return o_start, o_start
        j = bisect_right(self._removed_at, end - 1)
        o_end = end + (self._removed_cum[j - 1] if j else 0)
        return o_start, o_end

    def changes_in(self, start: int, end: int, adjacent: bool = True) -> list[Change]:
        """Changes overlapping the ORIGINAL span ``[start, end)``; with ``adjacent``, also
        removed characters touching it (a bidi mark right before a number changes how it
        is displayed)."""
        if not self.changes:
            return []
        lo, hi = (start - 1, end + 1) if adjacent else (start, end)
        i = bisect_left(self._change_starts, lo)
        while i > 0 and self.changes[i - 1].end > lo:
            i -= 1
        out = []
        for ch in self.changes[i:]:
            if ch.start >= hi:
                break
            inside = ch.end > start and ch.start < end
            touching = not ch.replacement and (ch.end == start or ch.start == end)
            if inside or (adjacent and touching):
                out.append(ch)
        return out


def normalise(text: str) -> Normalised:
    """Read ``text`` by the look-alike policy of this module.

    >>> n = normalise("٤٤٫٣٢، ١٣١٫٦٦")
    >>> n.text
    '44.32, 131.66'
    >>> n.to_original(0, 5)
    (0, 5)
    >>> z = normalise("44.3\\u200b2")
    >>> z.text, z.to_original(0, 5)
    ('44.32', (0, 6))
    """
    if text.isascii():
        return Normalised(text, text)
    first = may_change(text)
    if first is None:
        return Normalised(text, text)
    parts: list[str] = []
    changes: list[Change] = []
    removed_at: list[int] = []
    removed_cum: list[int] = []
    removed = 0
    pos = 0
    for m in _PATTERN.finditer(text, first):
        kind = m.lastgroup
        s, e = m.span()
        chars = m.group()
        if kind == "digit":
            value = unicodedata.decimal(chars, None)
            if value is None:
                continue
            rep = str(value)
        elif kind == "fullwidth":
            rep = chr(ord(chars) - 0xFEE0)
        elif kind == "sep":
            rep = _SEPARATORS[chars]
        elif kind == "space":
            rep = " "
        elif kind == "line":
            rep = "\n"
        elif kind == "invisible":
            # a joiner between two letters is part of the word; the letter before it is read as it
            # is rewritten ("5ﾟ\u200cN": the half-width mark is a letter to str.isalpha, its
            # reading "°" is not), so that normalising twice changes nothing more
            prev = text[s - 1] if s > 0 else ""
            if changes and changes[-1].end == s and changes[-1].replacement:
                prev = changes[-1].replacement[-1]
            if chars in _JOINERS and e < len(text) and prev.isalpha() and text[e].isalpha():
                continue
            rep = ""
        elif kind == "mark":
            if not _after_digit(text, s):
                continue
            rep = _MARK_TARGET[chars]
        elif kind == "hyphen":
            if not _before_digit(text, e):
                continue
            rep = "-"
        else:  # combining marks: kept after a letter (they are part of it), else removed
            prev = text[s - 1] if s > pos else (parts[-1][-1:] if parts and parts[-1] else _last(parts))
            if prev and _LETTER.match(prev):
                continue
            rep = ""
        parts.append(text[pos:s])
        parts.append(rep)
        pos = e
        changes.append(Change(s, e, chars, rep))
        if not rep:
            removed += e - s
            removed_at.append(s - (removed - (e - s)))  # offset in the normalised text
            removed_cum.append(removed)
    if not changes:
        return Normalised(text, text)
    parts.append(text[pos:])
    # several removals at the same normalised offset: keep the last cumulative count
    at: list[int] = []
    cum: list[int] = []
    for a, c in zip(removed_at, removed_cum):
        if at and at[-1] == a:
            cum[-1] = c
        else:
            at.append(a)
            cum.append(c)
    return Normalised(text, "".join(parts), changes, at, cum, [c.start for c in changes])


_SKIPPED = frozenset(chr(c) for c in range(0x200B, 0x2010)) | frozenset(
    "\u00ad\u034f\u061c\u180e\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_SPACE_LIKE = frozenset(" \u00a0\u1680\u202f\u205f\u3000") | frozenset(chr(c) for c in range(0x2000, 0x200B))


def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Me")


def _after_digit(text: str, i: int) -> bool:
    """Is ``text[i]`` right after a digit (or a digit and one space), invisible characters
    and combining marks aside (they are removed before the mark is read)?"""
    spaces = 0
    i -= 1
    while i >= 0:
        ch = text[i]
        if ch in _SKIPPED or _is_combining(ch):
            i -= 1
        elif ch in _SPACE_LIKE and spaces == 0:
            spaces += 1
            i -= 1
        else:
            return ch.isdecimal()
    return False


_LETTER = re.compile(r"[^\W\d]")


def _last(parts: list[str]) -> str:
    """The last character written so far."""
    for part in reversed(parts):
        if part:
            return part[-1]
    return ""


def _before_digit(text: str, i: int) -> bool:
    """Is a digit the next character from ``text[i]`` on, invisible characters and
    combining marks aside?"""
    while i < len(text) and (text[i] in _SKIPPED or _is_combining(text[i])):
        i += 1
    return i < len(text) and text[i].isdecimal()


def describe_changes(changes: Iterable[Change], limit: int = 4) -> str:
    """One sentence listing what was read differently, grouped and counted.

    >>> describe_changes(normalise("٤٤٫٣").changes)
    "text normalised before reading: 3 × ARABIC-INDIC DIGIT read as ASCII digits; '٫' (U+066B ARABIC DECIMAL SEPARATOR) read as '.'"
    """  # noqa: E501 - a doctest's expected output is one line
    groups: dict[str, int] = {}
    for ch in changes:
        groups[ch.describe()] = groups.get(ch.describe(), 0) + 1
    items = [f"{n} × {what}" if n > 1 else what for what, n in groups.items()]
    more = len(items) - limit
    text = "; ".join(items[:limit])
    if more > 0:
        text += f"; and {more} other kind{'s' if more != 1 else ''} of change"
    return f"text normalised before reading: {text}"


def _describe_char(original: str, replacement: str) -> str:
    first = original[0]
    name = unicodedata.name(first, f"U+{ord(first):04X}")
    if unicodedata.decimal(first, None) is not None and not first.isascii():
        family = name.rsplit(" ", 1)[0] if " DIGIT " in f"{name} " else name
        return f"{family} read as ASCII digits"
    if not replacement:
        if len(original) > 1 or 0x300 <= ord(first) <= 0x36F or unicodedata.combining(first):
            points = " ".join(f"U+{ord(c):04X}" for c in original)
            return f"combining mark{'s' if len(original) > 1 else ''} {points} removed"
        return f"invisible U+{ord(first):04X} {name} removed"
    if replacement == " ":
        return f"U+{ord(first):04X} {name} read as a space"
    if replacement == "\n":
        return f"U+{ord(first):04X} {name} read as a line break"
    return f"{first!r} (U+{ord(first):04X} {name}) read as {replacement!r}"


# ----------------------------------------------------------------------------------------
# Extraction with the policy applied
# ----------------------------------------------------------------------------------------


def map_locations(norm: Normalised, locations: list[Location]) -> list[Location]:
    """Map locations found in ``norm.text`` back to ``norm.original`` (in place), warning on
    each whose text needed normalising."""
    if not norm.changed:
        return locations
    for loc in locations:
        if loc.source != "text":
            continue
        loc.start, loc.end = norm.to_original(loc.start, loc.end)
        loc.text = norm.original[loc.start : loc.end]
        changes = norm.changes_in(loc.start, loc.end)
        if changes:
            loc.warnings.append(describe_changes(changes))
    return locations


def map_claims(norm: Normalised, claims: Iterable[Claim]) -> None:
    """Map claims (or mentions) found in ``norm.text`` back to ``norm.original`` (in place)."""
    if not norm.changed:
        return
    for c in claims:
        c.start, c.end = norm.to_original(c.start, c.end)
        c.text = norm.original[c.start : c.end]


__all__ = [
    "Change",
    "Normalised",
    "normalise",
    "describe_changes",
    "map_locations",
    "map_claims",
    "non_ascii_chars",
    "non_ascii_text",
    "reading_once",
    "DEGREE_LOOKALIKES",
    "PRIME_LOOKALIKES",
    "DOUBLE_PRIME_LOOKALIKES",
]
