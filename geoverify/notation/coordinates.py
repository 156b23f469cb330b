"""Coordinates written as numbers: decimal degrees, degrees–minutes, degrees–minutes–seconds.

What is read
------------
A *pair* is two components, latitude and longitude in either order, separated by a comma,
semicolon, slash, whitespace (one line break allowed) or nothing at all when hemisphere
letters delimit them (``N395600E1192100``). Each component is one of

- decimal degrees ``44.326859``, ``-33.8688°``, ``44,326859`` (decimal comma);
- degrees and decimal minutes ``44°19.611'``, ``75-12.21`` (maritime), ``07 02`` (with a
  hemisphere letter), ``4007.38`` (packed ``DDMM.mm``, with a letter);
- degrees, minutes and seconds ``44°19'36.7"``, ``69-18-00`` (with a letter),
  ``395600`` / ``1192100`` (packed ``DDMMSS`` / ``DDDMMSS``, with a letter),

with the marks listed in :mod:`geoverify.notation._normalise` (``° º ˚ * d deg``,
``' ′ ’ ‘ ´ m min``, ``" ″ ” '' s sec``), an optional sign and an optional hemisphere
indicator before or after (``N S E W``, ``North``…, Cyrillic ``С Ю В З``, ``с.ш.``…).
``pairs`` labelled ``lat 44.3, lon 131.6`` / ``Latitude: … Longitude: …`` are read with
the axes the labels give.

Evidence rule (what is *not* a coordinate)
------------------------------------------
Prose is full of number pairs, so a pair is accepted only with evidence that it is one:

1. both components carry hemisphere indicators on different axes (one N/S, one E/W); or
2. explicit ``lat``/``lon`` labels; or
3. both components are degrees–minutes(–seconds) with true angle marks (a degree sign or
   minute/second marks; the weak marks ``d``/``*``/``m``/``s`` need hemisphere letters);
   decimal degrees with only a degree sign (``24°, 25°`` are temperatures) fall under
   rule 4; or
4. *bare* decimal pairs (no letters, no marks, or only degree signs): each number has at
   least 3 decimals (``44.326859, 131.668647``) — with decimal commas at least 4, because
   ``1,500, 2,600`` is a list of counts — or each has at least one decimal and the pair
   follows a label such as ``coordinates``, ``GPS``, ``lat/lon`` within a few characters.

Degrees–minutes(–seconds) written with spaces, dashes or colons only (``S07 02``,
``69-18-00С``, ``40:26:46N``) and packed forms need hemisphere letters (rule 1), which
keeps dates, times, phone numbers and scores out. A component with a letter *before* an
integer (``N1``, ``E40``) is a road number, not a coordinate. A pair with a letter on only
one side is not accepted.

Readings and warnings
---------------------
- Unlettered pairs are read latitude first. When both values are within ±90 the other
  order is added as an alternative, with a warning; when only the other order is valid
  (``131.67, 44.33``) it is used, with a warning.
- ``18.24S 22.45E`` (hemisphere letters, exactly two decimals below 60, no degree sign) is
  read as decimal degrees, with degrees.minutes as the alternative and a warning.
- A sign contradicting its hemisphere letter (``-44.3N``) is read by the letter, the signed
  value is the alternative, with a warning.
- Decimal commas get a warning.
- Out-of-range values, minutes or seconds ≥ 60 and same-axis pairs (``N… S…``) are never
  returned as locations (nor wrapped); when the text otherwise looks like a coordinate a
  :class:`~geoverify.notation.Diagnostic` says what is wrong. A bare pair that fails the
  range check is reported as a diagnostic when it passes the evidence rule or stands alone
  on its line (``95.5, 200.1``). A single strongly marked component with a bad value
  (``44°75'N``) is also reported.

``precision_m`` is half the step of the last written digit, converted to metres as
described in :mod:`geoverify.notation._geodesy` (the larger of the latitude and longitude
half-steps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoverify.model import Location, Reading
from geoverify.notation._geodesy import half_step_m
from geoverify.notation._normalise import (
    DEG_ANY,
    HEMI,
    MIN,
    SEC,
    SIGN,
    axis_of,
    decimal_separator,
    decimals,
    hemisphere,
    number,
)
from geoverify.notation._pairs import (  # noqa: F401 - re-exported
    DECIMAL_COMMAS,
    NOTATION_NAMES,
    _fmt,
    _is_true_deg,
    _is_weak,
    unlettered,
)
from geoverify.notation._prefilter import COORD, LABEL, STRONG
from geoverify.notation._results import Diagnostic
from geoverify.notation._spans import SpanSet

__all__ = ["find_coordinates", "parse_coordinates"]


def _component(t: str) -> str:
    """Regex of one component; group names carry the suffix ``t``.

    A decimal fraction is captured as ``dfs`` when it is *strong* evidence (at least 3
    digits after a point, 4 after a comma) and as ``dfw`` otherwise.
    """

    def deg_sep(p: str) -> str:
        return rf"(?:[ \t]?(?P<{p}ds{t}>{DEG_ANY})[ \t]?|(?P<{p}dx{t}>[ \t]|-|:))"

    def min_sep(p: str) -> str:
        # a blank after the minute mark only when the seconds end with a mark or a
        # hemisphere ("0° 00′ 1,500 people" is not 0°00′1.5″)
        after = rf"(?:[ \t](?=\d{{1,2}}(?:[.,]\d+)?[ \t]?(?:{SEC}|{HEMI})))?"
        return rf"(?:[ \t]?(?P<{p}ms{t}>{MIN}){after}|(?P<{p}mx{t}>[ \t]|-|:))"

    return rf"""
    (?:(?P<hp{t}>{HEMI})[ \t]?[.:]?[ \t]?)?
    (?P<sg{t}>{SIGN})?
    (?:
        (?P<ad{t}>\d{{1,3}}){deg_sep("a")}(?P<am{t}>\d{{1,2}})(?!\d){min_sep("a")}
            (?P<as{t}>\d{{1,2}}(?:[.,]\d{{1,8}})?)(?!\d)(?!\.\d)(?:[ \t]?(?P<ass{t}>{SEC}))?
      | (?P<bd{t}>\d{{1,3}}){deg_sep("b")}(?P<bm{t}>\d{{1,2}}(?:[.,]\d{{1,8}})?)(?!\d)(?!\.\d)
            (?:[ \t]?(?P<bms{t}>{MIN}))?
      | (?P<pk{t}>\d{{4,7}}(?:[.,]\d{{1,8}})?)(?!\d)(?!\.\d)
      | (?P<dd{t}>\d{{1,3}}(?:(?P<dfs{t}>\.\d{{3,15}}|,\d{{4,15}})|(?P<dfw{t}>[.,]\d{{1,15}}))?)
            (?!\d)(?!\.\d)(?:[ \t]?(?P<dds{t}>{DEG_ANY}))?
    )
    (?(hp{t})|(?:[ \t]?(?P<hs{t}>{HEMI}))?)
    """


_MARKS = ("ads", "ams", "ass", "bds", "bms", "dds")


def _require(t: str, groups) -> str:
    """A regex conditional that fails unless one of ``groups`` (suffix ``t``) matched."""
    out = "(?!)"
    for g in reversed(groups):
        out = f"(?({g}{t})|{out})"
    return out


# What a component must carry in the plain pair scan: a hemisphere, a mark or a strong
# fraction; the weak scan (after a label, or alone on a line) also takes a short fraction.
_STRONG = ("hp", "hs", *_MARKS, "dfs")
_WEAK = (*_STRONG, "dfw")

# Where a pair may start: a hemisphere indicator, a sign or a digit, not inside a word,
# a number, a signed number or a comma-separated list of numbers.
_START = r"(?=[NSEWСЮВЗсСюЮвВзЗ\d+\-\u2212])(?<![\w.\-+\u2212])(?<!\d,)"

# Between the components; nothing at all only next to a hemisphere letter (N395600E1192100).
_SEP = (
    r"(?P<sep>[ \t]*[,;/][ \t]*(?:\r?\n[ \t]*)?|[ \t]*\r?\n[ \t]*|[ \t]+"
    r"|(?(hs1)|(?=[NSEWСЮВЗ])))"
)


def _pair_regex(evidence) -> re.Pattern:
    """A pair of components. Each component is read atomically — ``(?=(?P<c>…))(?P=c)``,
    the portable form of ``(?>…)`` — so that a failed pair does not make the engine retry
    every shorter reading of the first component (which keeps pathological input fast and
    would only produce worse parses)."""
    return re.compile(
        rf"""{_START}
        (?=(?P<c1>{_component("1")}))(?P=c1){_require("1", evidence)}
        {_SEP}
        (?=(?P<c2>{_component("2")}))(?P=c2){_require("2", evidence)}
        (?![^\W_])""",
        re.VERBOSE,
    )


_PAIR = _pair_regex(_STRONG)
_PAIR_WEAK = _pair_regex(_WEAK)

_LAT_WORD = r"(?i:latitude|lat|широта)"
_LON_WORD = r"(?i:longitude|long|lon|lng|долгота)"

_LABELLED = re.compile(
    rf"""(?<![^\W\d_])
    (?P<l1>{_LAT_WORD}|{_LON_WORD})\.?[ \t]*[:=]?[ \t]*
    (?P<c1>{_component("1")})
    (?P<sep>[ \t]*[,;&/]?[ \t]*(?:and[ \t]+)?)
    (?P<l2>{_LAT_WORD}|{_LON_WORD})\.?[ \t]*[:=]?[ \t]*
    (?P<c2>{_component("2")})
    (?![^\W_])""",
    re.VERBOSE,
)

_SINGLE = re.compile(
    rf"{_START}(?P<c1>{_component('1')}){_require('1', ('hp', 'hs', *_MARKS))}(?![^\W_])",
    re.VERBOSE,
)

# Lone components worth a closer look: minutes or seconds of 60 or more, degrees of 90 or
# more next to a hemisphere, packed runs next to a hemisphere. Each hit is then read with
# _SINGLE; everything else is skipped without leaving the regex engine.
_HEMI_CHARS = "NSEWСЮВЗ"
_BAD = re.compile(
    rf"""{_START}(?:(?P<bh>[{_HEMI_CHARS}]|North|South|East|West)[ \t]?[.:]?[ \t]?)?(?:{SIGN})?
    (?:\d{{1,3}}(?:[ \t]?{DEG_ANY}[ \t]?|[ \t\-:])
          (?:[6-9]\d|\d{{1,2}}(?:[ \t]?{MIN}[ \t]?|[ \t\-:])[6-9]\d)(?!\d)
      | (?:9\d|[1-9]\d\d)(?![\d])
        (?(bh)|(?=[^\n]{{0,30}}?(?:[{_HEMI_CHARS}](?![^\W\d_])|North|South|East|West)))
      | (?<=[{_HEMI_CHARS}])\d{{4,7}}
      | \d{{4,7}}(?:[.,]\d+)?[ \t]?[{_HEMI_CHARS}](?![^\W\d_])
    )""",
    re.VERBOSE,
)

# Labels that make a bare pair with short fractions a coordinate ("Coordinates: 44.3, 131.6").
_LABEL_WORD = (
    r"(?:lat(?:itude)?|lon(?:g(?:itude)?)?|lng|coord(?:inate)?s?|gps|"
    r"координат[а-я]*|широт[а-я]*|долгот[а-я]*)"
)
_LABEL_CONTEXT = re.compile(
    rf"(?i)(?<![^\W\d_]){_LABEL_WORD}(?:[^\w\n]{{1,4}}{_LABEL_WORD})*[^\w\n\d+\-\u2212]{{0,12}}"
)
# Line starts (for a bare pair alone on its line).
_LINE_START = re.compile(r"(?m)^[ \t(\[{<]*(?=[-+\u2212\d])")

# A label just before a bare pair ("Coordinates: ", "lat/lon = (", "GPS ").
_LABEL_BEFORE = re.compile(rf"(?i)(?<![^\W\d_]){_LABEL_WORD}[^\w\n]{{0,12}}$")


@dataclass
class _Comp:
    """One parsed component (before the pair decides its axis)."""

    start: int
    end: int
    hemi: str | None
    hemi_prefix: bool
    sign: int
    notation: str  # decimal | ddm | dms | packed
    value: float | None
    step: float
    error: str | None
    true_marks: bool  # a true degree sign or a minute/second mark
    weak_marks: int  # number of weak marks (* d m s)
    deg_sign: bool  # a true degree sign
    separated: bool  # ddm/dms separated by blanks, dashes or colons only
    ndec: int
    decsep: str | None
    integer: bool
    packed: str | None
    dm_minutes: float | None  # for "18.24": the fraction read as minutes

    @property
    def axis(self) -> str | None:
        return axis_of(self.hemi)


_AXIS_NAME = {"lat": "latitude", "lon": "longitude"}
_AXIS = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}

_FIELDS = (
    "hp",
    "hs",
    "sg",
    "ad",
    "am",
    "as",
    "ads",
    "ams",
    "ass",
    "adx",
    "amx",
    "bd",
    "bm",
    "bds",
    "bms",
    "bdx",
    "pk",
    "dd",
    "dds",
)
_NAMES = {t: tuple(f + t for f in _FIELDS) for t in "12"}


def _read(m: re.Match, t: str) -> _Comp:
    (hp, hs, sg, ad, am, as_, ads, ams, ass, adx, amx, bd, bm, bds, bms, bdx, pk, dd, dds) = m.group(*_NAMES[t])
    start, end = m.span("c" + t)
    hemi = hemisphere(hp or hs)
    sign = 0 if sg is None else (1 if sg == "+" else -1)
    error = None
    dm_minutes = None
    packed = None
    ndec, decsep, integer = 0, None, False
    if ad is not None:
        notation = "dms"
        d, mi, s = int(ad), int(am), number(as_)
        marks = (ads, ams, ass)
        seps = (adx, amx)
        value = d + mi / 60 + s / 3600
        step = 10.0 ** -decimals(as_) / 3600
        decsep = decimal_separator(as_)
        if mi >= 60:
            error = f"minutes {mi} must be below 60"
        elif s >= 60:
            error = f"seconds {as_} must be below 60"
    elif bd is not None:
        notation = "ddm"
        d, mi = int(bd), number(bm)
        marks = (bds, bms)
        seps = (bdx,)
        value = d + mi / 60
        step = 10.0 ** -decimals(bm) / 60
        decsep = decimal_separator(bm)
        if mi >= 60:
            error = f"minutes {bm} must be below 60"
    elif pk is not None:
        notation = "packed"
        packed = pk
        marks, seps = (), ()
        value, step = None, 0.0
        decsep = decimal_separator(pk)
    else:
        notation = "decimal"
        marks = (dds,)
        seps = ()
        value = number(dd)
        ndec = decimals(dd)
        decsep = decimal_separator(dd)
        integer = ndec == 0
        step = 10.0**-ndec
        if ndec == 2:
            dm_minutes = float(dd[-2:])
    true_marks = any(tok and not _is_weak(tok) for tok in marks)
    weak = sum(1 for tok in marks if _is_weak(tok))
    deg_sign = _is_true_deg(marks[0] if marks else None)
    separated = notation in ("dms", "ddm") and not any(marks) and any(seps)
    return _Comp(
        start,
        end,
        hemi,
        hp is not None,
        sign,
        notation,
        value,
        step,
        error,
        true_marks,
        weak,
        deg_sign,
        separated,
        ndec,
        decsep,
        integer,
        packed,
        dm_minutes,
    )


def _unpack(c: _Comp, axis: str) -> None:
    """Interpret a packed component (``4007.38``, ``1192100``) once its axis is known."""
    tok = c.packed.replace(",", ".")
    intpart, _, frac = tok.partition(".")
    n = len(intpart)
    if axis == "lat":
        kind = {4: "ddm", 6: "dms"}.get(n)
    else:
        kind = {4: "ddm", 5: "ddm", 6: "dms", 7: "dms"}.get(n)
    if kind is None:
        want = "4 (DDMM) or 6 (DDMMSS)" if axis == "lat" else "5 (DDDMM) or 7 (DDDMMSS)"
        c.error = f"packed {'latitude' if axis == 'lat' else 'longitude'} needs {want} digits"
        return
    if kind == "ddm":
        d, mi = int(intpart[:-2]), float(intpart[-2:] + ("." + frac if frac else ""))
        c.value = d + mi / 60
        c.step = 10.0 ** -len(frac) / 60
        if mi >= 60:
            c.error = f"minutes {intpart[-2:]} must be below 60"
    else:
        d, mi = int(intpart[:-4]), int(intpart[-4:-2])
        s = float(intpart[-2:] + ("." + frac if frac else ""))
        c.value = d + mi / 60 + s / 3600
        c.step = 10.0 ** -len(frac) / 3600
        if mi >= 60:
            c.error = f"minutes {intpart[-4:-2]} must be below 60"
        elif s >= 60:
            c.error = f"seconds {intpart[-2:]} must be below 60"
    c.notation = kind


# A neighbouring number of the same shape, joined by a comma, "and", "or", "&" or a blank
# (a semicolon or slash between pairs marks a list of pairs, which is fine).
_NUMBER_AFTER = re.compile(r"[ \t]*(?:(?:[,&]|and|or)[ \t]*)?[-+\u2212]?\d{1,3}[.,]\d{3,}(?!\d)")
_NUMBER_BEFORE = re.compile(r"\d[.,]\d{3,}[ \t]*(?:[,&]|and|or)?[ \t]*$")


def _in_number_run(text: str, start: int, end: int) -> bool:
    """A bare pair with another number of the same shape right before or after it
    (``yields of 4.125, 4.250 and 4.375``)."""
    return (
        _NUMBER_AFTER.match(text, end) is not None or _NUMBER_BEFORE.search(text, max(0, start - 40), start) is not None
    )


def _alone_on_line(text: str, start: int, end: int) -> bool:
    i = text.rfind("\n", 0, start) + 1
    j = text.find("\n", end)
    j = len(text) if j < 0 else j
    junk = " \t\r([{<>}]).;:"
    return not text[i:start].strip(junk) and not text[end:j].strip(junk)


def _label_before(text: str, start: int) -> bool:
    return _LABEL_BEFORE.search(text, max(0, start - 40), start) is not None


def _signed(c: _Comp, value: float) -> tuple[float, str | None]:
    """Apply hemisphere and sign; return (value, warning about a contradiction)."""
    if c.hemi is None:
        return (-value if c.sign < 0 else value), None
    negative = c.hemi in ("S", "W")
    out = -value if negative else value
    if c.sign < 0 and not negative:
        return out, f"sign '-' contradicts hemisphere '{c.hemi}'"
    if c.sign > 0 and negative:
        return out, f"sign '+' contradicts hemisphere '{c.hemi}'"
    return out, None


_MARK_GROUPS = tuple(f"{g}{t}" for t in "12" for g in ("ads", "ams", "ass", "bds", "bms", "dds"))


def _looks_angular(m: re.Match, t: str) -> bool:
    """A component with a fraction, a mark, minutes or a packed run — not a bare integer."""
    if m.group("dd" + t) is None:
        return True
    return bool(m.group("dfs" + t) or m.group("dfw" + t) or m.group("dds" + t))


def _quick_reject(m: re.Match) -> bool:
    """Cheap test on the raw groups: a pair that cannot pass the evidence rule."""
    g = m.group
    h1 = g("hp1") or g("hs1")
    h2 = g("hp2") or g("hs2")
    if (h1 is None) != (h2 is None):
        return True
    if h1 is not None:
        return False
    if not g("sep"):
        return True
    d1, d2 = g("dd1"), g("dd2")
    if d1 is not None and d2 is not None:  # bare decimals need a fraction on both sides
        return not (("." in d1 or "," in d1) and ("." in d2 or "," in d2))
    if d1 is not None or d2 is not None:
        return True
    return not any(g(name) for name in _MARK_GROUPS)


def _evaluate(text: str, m: re.Match, labelled: bool = False, forced: bool = False):
    """Turn a regex match into a Location, a Diagnostic or None.

    ``forced`` says the context already establishes a coordinate (a map-link query),
    which satisfies the evidence rule for bare pairs.
    """
    if not labelled:
        if _quick_reject(m):
            return None
        h1 = hemisphere(m.group("hp1") or m.group("hs1"))
        h2 = hemisphere(m.group("hp2") or m.group("hs2"))
        if h1 is not None and axis_of(h1) == axis_of(h2):
            if not (_looks_angular(m, "1") or _looks_angular(m, "2")):
                return None  # "S-300, S-400", "iPhone 5S, 6S": names, not coordinates
            ax = _AXIS_NAME[axis_of(h1)]
            return Diagnostic(
                m.group("c1") + m.group("sep") + m.group("c2"),
                m.start("c1"),
                m.end("c2"),
                f"both values are {ax}s ({h1}…{h2}): a coordinate needs one latitude and one longitude",
            )
    c1, c2 = _read(m, "1"), _read(m, "2")
    labels = None
    start = c1.start
    if labelled:
        labels = ["lat" if re.fullmatch(_LAT_WORD, m.group(k)) else "lon" for k in ("l1", "l2")]
        start = m.start()
    return judge(text, c1, c2, m.group("sep"), start, labels=labels, forced=forced)


def judge(
    text: str, c1: _Comp, c2: _Comp, sep: str, start: int, labels=None, forced: bool = False, known: bool = False
):
    """Decide what a pair of components is: a Location, a Diagnostic or None.

    Parameters
    ----------
    text : str
        The text the components were read from (their offsets point into it).
    c1, c2 : _Comp
        The components, in written order.
    sep : str
        What was written between them.
    start : int
        Where the pair starts (before a label, if any); it ends at ``c2.end``.
    labels : [str, str], optional
        ``"lat"``/``"lon"`` from explicit labels before each component.
    forced : bool
        The context establishes a coordinate (a map-link query): bare pairs with few
        decimals pass the evidence rule.
    known : bool
        The text is known to be one coordinate (:func:`geoverify.notation.parse`): no
        evidence rule at all (a bare ``66 32``, a road-number-like ``N66 W32``, unmarked
        degrees-minutes-seconds are read); a single hemisphere letter gives both axes;
        only the rejections remain (out of range, minutes or seconds of 60 or more, two
        letters on one axis) and are returned as diagnostics.
    """
    labelled = labels is not None
    end = c2.end
    span_text = text[start:end]

    def diag(msg: str) -> Diagnostic:
        return Diagnostic(span_text, start, end, msg)

    h1, h2 = c1.hemi, c2.hemi

    # --- axes -------------------------------------------------------------------
    label_axes = None
    if labelled:
        la = labels
        if la[0] == la[1]:
            return diag(f"both values are labelled {_AXIS_NAME[la[0]]}")
        for c, ax in zip((c1, c2), la, strict=True):
            if c.hemi is not None and c.axis != ax:
                return diag(f"hemisphere '{c.hemi}' contradicts the label {_AXIS_NAME[ax]}")
        label_axes = la

    lettered = h1 is not None and h2 is not None
    if known and not labelled:
        if h1 is not None or h2 is not None:
            a1, a2 = _AXIS.get(h1), _AXIS.get(h2)
            if lettered and a1 == a2:
                return diag(
                    f"both values are {_AXIS_NAME[a1]}s ({h1}…{h2}): a coordinate needs one latitude and one longitude"
                )
            one = a1 or ("lon" if a2 == "lat" else "lat")
            label_axes = [one, "lon" if one == "lat" else "lat"]
    elif not labelled:
        if (h1 is None) != (h2 is None):
            return None
        if sep == "" and not ((h1 and not c1.hemi_prefix) or (h2 and c2.hemi_prefix)):
            return None
    if lettered or labelled or label_axes:
        axes = label_axes or [c1.axis, c2.axis]
    else:
        axes = None

    # --- component validity -----------------------------------------------------
    for c in () if known else (c1, c2):
        if c.notation == "packed" and c.hemi is None and not labelled:
            return None
        if c.hemi_prefix and c.notation == "decimal" and c.integer and not c.deg_sign:
            return None  # N1, E40: road numbers
        weak_only = c.notation in ("ddm", "dms") and not c.true_marks
        if (c.separated or weak_only) and c.hemi is None and not labelled:
            return None

    if known:
        looks_only = False
    elif axes is None:
        # Unlettered, unlabelled: evidence rule.
        notations = {c1.notation, c2.notation}
        if "packed" in notations:
            return None
        if notations == {"decimal"}:
            if c1.decsep != c2.decsep and not (c1.integer or c2.integer):
                return None
            need = 4 if "," in (c1.decsep, c2.decsep) else 3
            strong = c1.ndec >= need and c2.ndec >= need
            context = forced or _label_before(text, start)
            looks_only = not (strong or context)
            if looks_only and not (c1.ndec >= 1 and c2.ndec >= 1 and _alone_on_line(text, start, end)):
                return None
        elif "decimal" in notations:
            return None
        else:
            if not (c1.true_marks and c2.true_marks):
                return None
            looks_only = False
        if "\n" in sep and not (c1.true_marks and c2.true_marks):
            return None
    else:
        looks_only = False
        if "\n" in sep and not lettered and not known:
            return None

    # --- values -----------------------------------------------------------------
    n1, n2 = c1.notation, c2.notation
    if axes is not None and (n1 == "packed" or n2 == "packed"):
        for c, ax in zip((c1, c2), axes, strict=True):
            if c.notation == "packed":
                _unpack(c, ax)
        n1, n2 = c1.notation, c2.notation
    if c1.error:
        return diag(c1.error)
    if c2.error:
        return diag(c2.error)

    kind = "dms" if (n1 == "dms" or n2 == "dms") else ("ddm" if (n1 == "ddm" or n2 == "ddm") else "decimal")
    name = NOTATION_NAMES[kind]
    warnings: list[str] = []
    alternatives: list[Reading] = []

    if axes is not None:
        lat_c, lon_c = (c1, c2) if axes[0] == "lat" else (c2, c1)
        lat, w1 = _signed(lat_c, lat_c.value)
        lon, w2 = _signed(lon_c, lon_c.value)
        if lat > 90 or lat < -90:
            return diag(f"latitude {_fmt(lat)} is out of range [-90, 90]")
        if lon > 180 or lon < -180:
            return diag(f"longitude {_fmt(lon)} is out of range [-180, 180]")
        order = "latitude first" if axes[0] == "lat" else "longitude first"
        how = "labels" if labelled else ("hemisphere letters" if lettered else "hemisphere letter")
        reading = f"{name}, {order} ({how})"
        # sign contradicting the letter
        for c, w, is_lat in ((lat_c, w1, True), (lon_c, w2, False)) if (w1 or w2) else ():
            if w:
                alt_lat, alt_lon = lat, lon
                signed_val = -c.value if c.sign < 0 else c.value
                if is_lat:
                    alt_lat = signed_val
                else:
                    alt_lon = signed_val
                warnings.append(
                    f"{w}: read by the letter ({_fmt(lat)}, {_fmt(lon)}); the signed value is listed as an alternative"
                )
                alternatives.append(Reading(alt_lat, alt_lon, f"{name}, sign instead of letter"))
        # "18.24S 22.45E": decimal degrees or degrees.minutes?
        if (
            lettered
            and kind == "decimal"
            and not c1.deg_sign
            and not c2.deg_sign
            and c1.dm_minutes is not None
            and c2.dm_minutes is not None
            and c1.dm_minutes < 60
            and c2.dm_minutes < 60
        ):
            alt = []
            for c in (lat_c, lon_c):
                v = int(c.value) + c.dm_minutes / 60
                alt.append(_signed(c, v)[0])
            if abs(alt[0]) <= 90 and abs(alt[1]) <= 180:
                alternatives.append(Reading(alt[0], alt[1], "degrees and minutes (DD.MM)"))
                warnings.append(
                    f"'{span_text}' may be decimal degrees or degrees.minutes "
                    f"({int(lat_c.value)}°{lat_c.dm_minutes:02.0f}′ "
                    f"{int(lon_c.value)}°{lon_c.dm_minutes:02.0f}′); read as decimal degrees, "
                    "degrees and minutes listed as an alternative"
                )
        lat_step, lon_step = lat_c.step, lon_c.step
    else:
        a = -c1.value if c1.sign < 0 else c1.value
        b = -c2.value if c2.sign < 0 else c2.value
        out = unlettered(a, b, name, c1.step, c2.step, alternatives, warnings)
        if out.__class__ is str:
            return diag(out)
        if looks_only:
            return None
        lat, lon, reading, lat_step, lon_step = out
    if c1.decsep == "," or c2.decsep == ",":
        warnings.append(DECIMAL_COMMAS)
    if axes is None and kind == "decimal" and not known and _in_number_run(text, start, end):
        warnings.append(
            "the pair is part of a longer run of similar numbers: which two "
            "belong together (or whether they are coordinates) is a guess"
        )
    return Location(
        lat, lon, kind, span_text, start, end, half_step_m(lat, lat_step, lon_step), reading, alternatives, warnings
    )


def _single_may_be_bad(m: re.Match) -> bool:
    """Cheap test on the raw groups: could this lone component have a bad value?"""
    g = m.group
    hemi = g("hp1") or g("hs1")
    if g("ad1") is not None:
        if int(g("am1")) >= 60 or number(g("as1")) >= 60:
            return True
        deg = int(g("ad1"))
    elif g("bd1") is not None:
        if number(g("bm1")) >= 60:
            return True
        deg = int(g("bd1"))
    elif g("pk1") is not None:
        return hemi is not None
    else:
        deg = number(g("dd1"))
    return hemi is not None and deg >= 90


def _single_diagnostic(text: str, m: re.Match) -> Diagnostic | None:
    """A lone component that is clearly meant as a coordinate but has a bad value."""
    if not _single_may_be_bad(m):
        return None
    c = _read(m, "1")
    if c.hemi is None and not c.true_marks:
        return None
    if c.notation == "packed":
        _unpack(c, c.axis)
        if c.error and not c.error.startswith("packed"):
            return Diagnostic(text[c.start : c.end], c.start, c.end, c.error)
        return None
    if c.notation == "decimal" and (c.hemi is None or not (c.deg_sign or c.ndec)):
        return None
    if c.separated and c.hemi is None:
        return None
    if c.error:
        return Diagnostic(text[c.start : c.end], c.start, c.end, c.error)
    if c.hemi is not None and c.value is not None:
        lim = 90 if c.axis == "lat" else 180
        if c.value > lim:
            what = "latitude" if lim == 90 else "longitude"
            return Diagnostic(
                text[c.start : c.end], c.start, c.end, f"{what} {_fmt(c.value)} is out of range [-{lim}, {lim}]"
            )
    return None


def _countlike(m: re.Match, t: str) -> bool:
    """A component whose number reads like a count or a year (``1,500``, ``2024``, ``12``)."""
    dd, pk = m.group("dd" + t), m.group("pk" + t)
    if dd is not None:
        if m.group("dds" + t):
            return False
        frac = m.group("dfs" + t) or m.group("dfw" + t)
        return frac is None or (frac[0] == "," and len(frac) == 4)
    return pk is not None and len(pk) == 4


def _resume(m: re.Match) -> int:
    """Where to look again after a rejected match: at the first component's suffix
    hemisphere (which may be the prefix of the next pair), else after the component."""
    if m.group("hs1") is not None:
        return max(m.start("hs1"), m.start() + 1)
    return max(m.end("c1"), m.start() + 1)


def _scan(rx: re.Pattern, text: str, start: int, end: int, labelled: bool, locations: list, diagnostics: list) -> None:
    pos = start
    while pos < end:
        m = rx.search(text, pos, end)
        if m is None:
            return
        out = _evaluate(text, m, labelled)
        if isinstance(out, Location) and not labelled and m.group("hs1") is not None:
            # "1,500 N 44.3 E 131.6": the letters may be prefixes of the next pair
            alt_m = rx.match(text, m.start("hs1"), end)
            if alt_m is not None and alt_m.end() > m.end():
                alt = _evaluate(text, alt_m)
                countlike = _countlike(m, "1") + _countlike(m, "2")
                if isinstance(alt, Location) and _countlike(alt_m, "1") + _countlike(alt_m, "2") < countlike:
                    out, m = alt, alt_m
        if isinstance(out, Location):
            locations.append(out)
            pos = m.end()
        elif isinstance(out, Diagnostic):
            diagnostics.append(out)
            pos = m.end()
        else:
            pos = _resume(m)


def find_coordinates(text: str, windows=None) -> tuple[list[Location], list[Diagnostic]]:
    """Find coordinate pairs in ``text`` (or only inside ``windows``).

    Parameters
    ----------
    text : str
        The input.
    windows : list of (start, end) or (start, end, flags), optional
        Ranges to search (the prefilter's candidate windows); the whole text if omitted.
        Each range should end at whitespace or at the end of the text. ``flags`` (see
        :mod:`geoverify.notation._prefilter`) select the scans: ``COORD`` plain pairs,
        ``LABEL`` lat/lon-labelled pairs, ``STRONG`` lone invalid components.

    Returns
    -------
    (locations, diagnostics)
        Locations of kind ``decimal``, ``ddm`` or ``dms`` (the labelled and the plain scan
        may both report a labelled pair; :func:`geoverify.notation.scan` resolves
        overlaps), and diagnostics for coordinate-looking text that is invalid.
    """
    if windows is None:
        windows = [(0, len(text))]
    locations: list[Location] = []
    diagnostics: list[Diagnostic] = []
    for w in windows:
        start, end = w[0], w[1]
        flags = w[2] if len(w) > 2 else COORD | LABEL | STRONG
        n_loc, n_diag = len(locations), len(diagnostics)
        if flags & LABEL:
            _scan(_LABELLED, text, start, end, True, locations, diagnostics)
        if flags & (COORD | STRONG):
            _scan(_PAIR, text, start, end, False, locations, diagnostics)
            _scan_weak(text, start, end, locations, diagnostics, n_loc, n_diag)
        if not flags & STRONG or len(locations) > n_loc or len(diagnostics) > n_diag:
            continue  # lone invalid components are looked for only where no pair was
        pos = start
        while pos < end:
            b = _BAD.search(text, pos, end)
            if b is None:
                break
            m = _SINGLE.match(text, b.start(), end)
            if m is None:
                pos = b.start() + 1
                continue
            pos = m.end()
            d = _single_diagnostic(text, m)
            if d is not None:
                diagnostics.append(d)
    return locations, diagnostics


def _scan_weak(text: str, start: int, end: int, locations: list, diagnostics: list, n_loc: int, n_diag: int) -> None:
    """Bare pairs with short fractions: after a label, or alone on a line."""
    taken = None
    spots = _label_spots(text, start, end)
    spots += [m.end() for m in _LINE_START.finditer(text, start, end)]
    for p in sorted(set(spots)):
        m = _PAIR_WEAK.match(text, p, end)
        if m is None:
            continue
        if taken is None:
            taken = SpanSet(
                [(x.start, x.end) for x in locations[n_loc:]] + [(d.start, d.end) for d in diagnostics[n_diag:]]
            )
        if taken.overlaps(m.start(), m.end()):
            continue
        out = _evaluate(text, m)
        if isinstance(out, Location):
            locations.append(out)
            taken.add(out.start, out.end)
        elif isinstance(out, Diagnostic):
            diagnostics.append(out)
            taken.add(out.start, out.end)


#: How every label of _LABEL_WORD begins, lower case.
_LABEL_STARTS = ("lat", "lon", "lng", "coord", "gps", "координат", "широт", "долгот")
#: The characters the regex engine matches case-insensitively with a letter of those beginnings
#: that ``str.lower`` does not turn into it (its extra case equivalences: ſ/s and Cyrillic
#: variants; tested against the engine over every code point).
_LABEL_FOLDS = (("ſ", "s"), ("ᲁ", "д"), ("ᲂ", "о"), ("ᲄ", "т"), ("ᲅ", "т"))


def _label_spots(text: str, start: int, end: int) -> list[int]:
    """``[m.end() for m in _LABEL_CONTEXT.finditer(text, start, end)]``: a window in which no
    label begins is not scanned (the case-insensitive regex tries every position; a window
    lower-cased, with the engine's other case equivalences mapped, is searched for the
    beginnings in C)."""
    low = text[start:end].lower()
    if not low.isascii():
        for variant, letter in _LABEL_FOLDS:
            if variant in low:
                low = low.replace(variant, letter)
    if not any(w in low for w in _LABEL_STARTS):
        return []
    return [m.end() for m in _LABEL_CONTEXT.finditer(text, start, end)]


def parse_coordinates(text: str) -> Location | None:
    """Read ``text`` as exactly one coordinate pair (used for map-link path segments).

    Returns the location when the whole of ``text`` (stripped) is one pair, else ``None``.
    """
    s = text.strip()
    locs, _ = find_coordinates(s)
    if len(locs) == 1 and locs[0].start == 0 and locs[0].end == len(s):
        return locs[0]
    # a bare pair with few decimals is acceptable when it is all there is
    m = _PAIR_WEAK.fullmatch(s)
    if m is not None:
        out = _evaluate(s, m, forced=True)
        if isinstance(out, Location):
            return out
    return None
