"""Symbol classes shared by the coordinate parsers (regex fragments and lookup tables).

Every real-world spelling of the degree, minute and second marks, of signs and of
hemisphere indicators lives here, so each parser recognises the same set:

- degrees: ``°`` (U+00B0), ``º`` (U+00BA, masculine ordinal), ``˚`` (U+02DA, ring above),
  ``⁰`` (U+2070), the words ``deg``/``degree(s)``; and the *weak* marks ``*`` and ``d``
  (``44d19m``), which count as a degree mark only together with a minute mark or a
  hemisphere letter;
- minutes: ``'`` ``′`` ``’`` ``‘`` ``´`` ``ʹ`` `````, ``m`` (before digits), ``min``/``minute(s)``;
- seconds: ``"`` ``″`` ``”`` ``“`` ``ʺ`` ``''`` ``′′`` ``’’``, ``s``, ``sec``/``second(s)``;
- hemispheres: upper-case ``N S E W``, Cyrillic ``С Ю В З`` (= N S E W), the words
  ``North/South/East/West`` (capitalised or upper case) and the Russian abbreviations
  ``с.ш. ю.ш. в.д. з.д.``. Lower-case single letters are *not* hemispheres (``1990s``,
  ``1.5e10``), nor are lower-case words;
- signs: ``-``, ``+`` and the Unicode minus ``−`` (U+2212).

The fragments are plain strings meant to be embedded in larger patterns.
"""

from __future__ import annotations

#: A sign before a number.
SIGN = r"[-+\u2212]"

#: A true degree mark (evidence that a number is an angle).
DEG_TRUE = r"(?:[°º˚⁰]|[Dd]eg(?:rees?|s)?\.?(?![^\W\d_]))"

#: A weak degree mark: ``*`` or ``d`` (the latter only when minutes follow).
DEG_WEAK = r"(?:\*|d(?=[ \t]?\d))"

#: Any degree mark.
DEG_ANY = rf"(?:{DEG_TRUE}|{DEG_WEAK})"

#: A minute mark. A single quote followed by another quote is a second mark instead.
MIN = (
    r"(?:[Mm]in(?:utes?|s)?\.?(?![^\W\d_])|m(?=[ \t]?\d)"
    r"|['′’‘´ʹ`](?!['′’]))"
)

#: A second mark.
SEC = r"(?:''|′′|’’|[\"″”“ʺ]|[Ss]ec(?:onds?|s)?\.?(?![^\W\d_])|s(?![^\W\d_]))"

#: A hemisphere indicator.
HEMI = (
    r"(?:[NSEWСЮВЗ](?![^\W\d_])"
    r"|(?:North|NORTH|South|SOUTH|East|EAST|West|WEST)(?![^\W\d_])"
    r"|[сСюЮ]\.[ \t]?[шШ]\.?|[вВзЗ]\.[ \t]?[дД]\.?)"
)

#: Characters that may be part of a degree/minute/second mark (used to decide whether
#: a component carries symbols).
TRUE_DEGREE_CHARS = frozenset("°º˚⁰")

_HEMI_WORDS = {
    "north": "N",
    "south": "S",
    "east": "E",
    "west": "W",
    "с": "N",
    "ю": "S",
    "в": "E",
    "з": "W",
}


def hemisphere(token: str | None) -> str | None:
    """Normalise a hemisphere token to ``N``, ``S``, ``E`` or ``W`` (``None`` if empty).

    >>> hemisphere("С"), hemisphere("South"), hemisphere("з.д.")
    ('N', 'S', 'W')
    """
    if not token:
        return None
    low = token.strip().lower()
    if low in ("n", "s", "e", "w"):
        return low.upper()
    if low in _HEMI_WORDS:
        return _HEMI_WORDS[low]
    return _HEMI_WORDS.get(low[0])


def axis_of(hemi: str | None) -> str | None:
    """``"lat"`` for N/S, ``"lon"`` for E/W."""
    if hemi in ("N", "S"):
        return "lat"
    if hemi in ("E", "W"):
        return "lon"
    return None


def number(token: str) -> float:
    """Parse a number that may use a decimal comma (``"44,3268"`` -> 44.3268)."""
    return float(token.replace(",", "."))


def decimals(token: str) -> int:
    """Number of digits after the decimal separator (``.`` or ``,``)."""
    for sep in ".,":
        i = token.find(sep)
        if i >= 0:
            return len(token) - i - 1
    return 0


def decimal_separator(token: str) -> str | None:
    if "." in token:
        return "."
    if "," in token:
        return ","
    return None
