"""Read one string that is known to be a location: the one parser of every point argument.

Prose extraction (:func:`geoverify.notation.extract`) rightly refuses ``51.5, -0.126`` or
``41.5 -81.0`` inside running text: a pair of numbers in prose needs evidence that it is a
coordinate. A string pasted into ``--at``, ``--near``, ``where``, a spreadsheet's coordinate
column or a form *is* a coordinate, so :func:`parse` reads it if it can be read at all:

- every notation the extractor reads (decimal, DDM, DMS, packed, maritime, Cyrillic
  hemispheres, ``lat``/``lon`` labels, UTM, MGRS, plus codes, ``geo:`` URIs, map links);
- and what only a known coordinate may be: bare pairs with few or no decimals (``66 32``,
  ``[12.456,-78.90]``), degrees–minutes–seconds separated by blanks, dashes or colons
  without letters (``40 7 22.8, -74 7 22.8``), dotted DMS (``27.15.45S 18.32.53E``,
  ``27.15.45,2S``), integers after a letter (``N66 W32``, ``S 66, W 32``), lower-case
  letters and words (``32 w 66 s``, ``50°4'17.698"south``), longitude first, any mix of
  prime and quote characters (``N40°7’22.8’’``), the two halves on two lines, and a single
  hemisphere letter (which gives both axes).

Every reading is kept: a pair whose two values are both within ±90 is read latitude first
with longitude first as an alternative (with a warning), ``18.24S 22.45E`` is decimal
degrees with degrees.minutes as an alternative, and a string that splits into two
components in more than one equally good way (``12 30 45``: ``12, 30°45′`` or
``12°30′, 45``) gets each split as an alternative. The readings and their wording are the
extractor's (:func:`geoverify.notation.coordinates.judge`), so one string is read the same
way wherever it comes in.

What is rejected, with a :class:`~geoverify.errors.ParseError` naming what is wrong: values
out of range, minutes or seconds of 60 or more, two letters on one axis (``44.3N 131.6S``)
or two on one value, a lone number, characters no notation uses, more than one location.

How: the string is cut into tokens (numbers, marks, letters, separators) by one regular
expression; the *shape* of the token sequence (one character per token) is split into two
components in every way the grammar allows, and those splits are memoised per shape, so a
batch column of strings written the same way pays for the grammar once. Each split is
judged on the actual numbers. Strings that are not two components (grid references, plus
codes, links, packed ``DDMMSS``) go to :func:`geoverify.notation.scan`. Work is linear in
the length of the string, and strings longer than :data:`MAX_CHARS` are refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geoverify.errors import ParseError
from geoverify.model import Location

__all__ = ["parse", "MAX_CHARS", "EXAMPLES"]

#: Longest string :func:`parse` reads (a map link with its query is the longest notation).
MAX_CHARS = 4096

#: What a location looks like, quoted in error messages.
EXAMPLES = ("e.g. '44.3268, 131.6686', 44°19'37\"N 131°40'07\"E, '40 7 22.8, -74 7 22.8', "
            "an MGRS/UTM reference, a plus code or a map link")

_MINUTE_CHARS = "'′’‘´ʹ`ˊꞌ‵"
_SECOND_CHARS = '"″”“ʺ˝〃‶'
_WORD_END = r"(?![^\W\d_])"

# One token per match; the group name is the token's character in the shape string.
_TOKEN = re.compile(
    rf"""
    (?P<N>\d+)
  | (?P<B>[ \t]+)
  | (?P<L>\s+)
  | (?P<D>\.)
  | (?P<C>,)
  | (?P<s>[{_MINUTE_CHARS}]{{2}}|[{_SECOND_CHARS}]|(?i:sec(?:onds?|s)?\.?){_WORD_END})
  | (?P<m>[{_MINUTE_CHARS}]|(?i:min(?:utes?|s)?\.?){_WORD_END}|m{_WORD_END})
  | (?P<d>[°º˚⁰ᵒ∘*]|(?i:deg(?:rees?|s)?\.?){_WORD_END}|d{_WORD_END})
  | (?P<a>(?i:latitude|lat|широта){_WORD_END}\.?)
  | (?P<o>(?i:longitude|long|lon|lng|долгота){_WORD_END}\.?)
  | (?P<h>(?i:north|south|east|west){_WORD_END}|[NnEeWwSСЮВЗ]{_WORD_END}
          |[сСюЮ]\.[ \t]?[шШ]\.?|[вВзЗ]\.[ \t]?[дД]\.?|[сювз]{_WORD_END})
  | (?P<z>s{_WORD_END})
  | (?P<M>[-−–])
  | (?P<P>\+)
  | (?P<K>[:=])
  | (?P<S>[;/|])
    """,
    re.VERBOSE,
)
_OPEN, _CLOSE = "([{<", ")]}>"


# -- the grammar over shapes ---------------------------------------------------------------
# A component spec: (label, pre, sign, parts, suffix, start, end) with token indices;
# ``parts`` is a tuple of (int_index, frac_index or -1, frac_is_comma, mark_index or -1,
# mark_kind) and ``end`` is one past the component's last token.

def _skip(shape: str, k: int, chars: str) -> int:
    while k < len(shape) and shape[k] in chars:
        k += 1
    return k


def _number(shape: str, k: int, frac_ok: bool):
    """Numbers at ``k``: ``N``, ``N.N``, ``N,N`` (decimal comma) -> [(int, frac, comma, end)]."""
    if k >= len(shape) or shape[k] != "N":
        return []
    out = [(k, -1, False, k + 1)]
    if frac_ok and shape[k + 1:k + 3] in ("DN", "CN"):
        out.append((k, k + 2, shape[k + 1] == "C", k + 3))
    return out


def _mark(shape: str, k: int, kinds: str):
    """An optional mark of one of ``kinds`` at ``k`` (after optional blanks):
    [(mark index or -1, kind, end)]."""
    out = [(-1, "", k)]
    j = _skip(shape, k, "B")
    if j < len(shape) and shape[j] in kinds:
        out.append((j, shape[j], j + 1))
    return out


def _intra(shape: str, k: int, marked: bool):
    """Separators between the parts of one component: blanks, a dash or a colon (with
    blanks around), or nothing after a mark -> list of positions where the next part starts."""
    out = []
    if marked:
        out.append(k)
    j = _skip(shape, k, "B")
    if j > k:
        out.append(j)
    if j < len(shape) and shape[j] in "MK":
        out.append(_skip(shape, j + 1, "B"))
    return [p for p in dict.fromkeys(out) if p < len(shape) and shape[p] == "N"]


def _parts(shape: str, k: int):
    """Every way the numbers of one component can be written from ``k``:
    [(parts, end)], ``parts`` as described above."""
    out = []
    # dotted degrees.minutes.seconds: N.N.N with an optional fraction of the seconds
    if shape[k:k + 5] == "NDNDN":
        base = ((k, -1, False, -1, ""), (k + 2, -1, False, -1, ""))
        ends = [(k + 4, -1, False, k + 5)]
        if shape[k + 5:k + 7] in ("DN", "CN"):
            ends.append((k + 4, k + 6, shape[k + 5] == "C", k + 7))
        for i3, f3, c3, e3 in ends:
            for mi, mk, e in _mark(shape, e3, "sz"):
                out.append((base + ((i3, f3, c3, mi, mk),), e, True))
    for i1, f1, c1, e1 in _number(shape, k, True):
        for mi1, mk1, e1m in _mark(shape, e1, "d"):
            p1 = (i1, f1, c1, mi1, mk1)
            out.append(((p1,), e1m, False))
            if f1 >= 0:
                continue
            for k2 in _intra(shape, e1m, mi1 >= 0):
                for i2, f2, c2, e2 in _number(shape, k2, True):
                    for mi2, mk2, e2m in _mark(shape, e2, "m"):
                        p2 = (i2, f2, c2, mi2, mk2)
                        out.append(((p1, p2), e2m, False))
                        if f2 >= 0:
                            continue
                        for k3 in _intra(shape, e2m, mi2 >= 0):
                            for i3, f3, c3, e3 in _number(shape, k3, True):
                                for mi3, mk3, e3m in _mark(shape, e3, "sz"):
                                    out.append(((p1, p2, (i3, f3, c3, mi3, mk3)), e3m, False))
    return out


def _components(shape: str, i: int):
    """Every component starting at token ``i``: [(spec, end)]."""
    out = []
    k = i
    label = -1
    if k < len(shape) and shape[k] in "ao":
        label = k
        k = _skip(shape, k + 1, "B")
        if k < len(shape) and shape[k] == "K":
            k = _skip(shape, k + 1, "B")
    pre = -1
    if k < len(shape) and shape[k] in "hz":
        pre = k
        k = _skip(shape, k + 1, "B")
        if k < len(shape) and shape[k] in "KD":
            k = _skip(shape, k + 1, "B")
    sign = -1
    if k < len(shape) and shape[k] in "MP":
        sign = k
        k = _skip(shape, k + 1, "B")
    if k >= len(shape) or shape[k] != "N":
        return out
    for parts, e, dotted in _parts(shape, k):
        out.append(((label, pre, sign, parts, -1, i, e, dotted), e))
        j = _skip(shape, e, "B")
        if j < len(shape) and shape[j] in "hz":
            out.append(((label, pre, sign, parts, j, i, j + 1, dotted), j + 1))
    return out


@lru_cache(maxsize=4096)
def _structures(shape: str) -> tuple:
    """Every split of a token shape into two components, best first:
    ((penalty, spec1, spec2, gap_start, gap_end), ...)."""
    found = []
    for spec1, e1 in _components(shape, 0):
        if spec1[3] and spec1[3][-1][3] < 0 and e1 < len(shape) and shape[e1] == "N":
            continue
        g = _skip(shape, e1, "BL")
        strong = 0
        if g < len(shape) and shape[g] in "CS":
            strong = 1
            g = _skip(shape, g + 1, "BL")
        if g == e1 and e1 < len(shape):
            # nothing between: only after a letter or a mark, or before a letter or sign
            if not (shape[e1 - 1] in "hzdms" or shape[e1] in "hzMPao"):
                continue
        for spec2, e2 in _components(shape, g):
            if e2 != len(shape):
                continue
            penalty = 0
            if len(spec1[3]) != len(spec2[3]):
                penalty += 1  # "12 30 45": one part against two
            if (spec1[1] >= 0 or spec1[4] >= 0) != (spec2[1] >= 0 or spec2[4] >= 0):
                penalty += 1  # a letter on one side only
            if g == e1:
                penalty += 1
            found.append((penalty, spec1, spec2, e1, g))
    found.sort(key=lambda s: s[0])
    return tuple(found)


# -- from tokens to components ---------------------------------------------------------------

def _comp(spec, toks):
    """A :class:`~geoverify.notation.coordinates._Comp` from a spec and the tokens."""
    from geoverify.notation._normalise import decimal_separator, decimals, hemisphere, number
    from geoverify.notation.coordinates import _Comp, _is_true_deg, _is_weak

    label, pre, sign_i, parts, suf, i, e, dotted = spec
    error = None
    hemi_tok = None
    if pre >= 0 and suf >= 0:
        error = (f"two hemisphere letters on one value ('{toks[pre][1]}' and '{toks[suf][1]}')")
    if pre >= 0:
        hemi_tok = toks[pre][1]
    elif suf >= 0:
        hemi_tok = toks[suf][1]
    hemi = hemisphere(hemi_tok)
    sign = 0
    if sign_i >= 0:
        sign = 1 if toks[sign_i][1] == "+" else -1
    nums = []
    marks = []
    for ii, fi, _comma, mi, _mk in parts:
        t = toks[ii][1]
        if fi >= 0:
            t = f"{t}{',' if _comma else '.'}{toks[fi][1]}"
        nums.append(t)
        marks.append(toks[mi][1] if mi >= 0 else None)
    # marks in the places the extractor expects them ("s" read as seconds here)
    if len(parts) == 3 and parts[2][4] == "z":
        marks[2] = "s"
    if len(nums[0].split(".")[0].split(",")[0]) > 3:
        return None  # more than three digits of degrees: packed, not this grammar
    for t in nums[1:]:
        if len(t.split(".")[0].split(",")[0]) > 2:
            return None
    dm_minutes = None
    ndec, decsep, integer = 0, None, False
    if len(nums) == 3:
        notation = "dms"
        d, mi_, s = int(nums[0]), int(nums[1]), number(nums[2])
        value = d + mi_ / 60 + s / 3600
        step = 10.0 ** -decimals(nums[2]) / 3600
        decsep = decimal_separator(nums[2])
        if error is None:
            if mi_ >= 60:
                error = f"minutes {nums[1]} must be below 60"
            elif s >= 60:
                error = f"seconds {nums[2]} must be below 60"
    elif len(nums) == 2:
        notation = "ddm"
        d, mi_ = int(nums[0]), number(nums[1])
        value = d + mi_ / 60
        step = 10.0 ** -decimals(nums[1]) / 60
        decsep = decimal_separator(nums[1])
        if error is None and mi_ >= 60:
            error = f"minutes {nums[1]} must be below 60"
    else:
        notation = "decimal"
        value = number(nums[0])
        ndec = decimals(nums[0])
        decsep = decimal_separator(nums[0])
        integer = ndec == 0
        step = 10.0 ** -ndec
        if ndec == 2:
            dm_minutes = float(nums[0][-2:])
    true_marks = any(tok and not _is_weak(tok) for tok in marks)
    weak = sum(1 for tok in marks if _is_weak(tok))
    deg_sign = _is_true_deg(marks[0])
    start = toks[pre][2] if pre >= 0 else toks[sign_i][2] if sign_i >= 0 else toks[parts[0][0]][2]
    end = toks[e - 1][3]
    separated = notation != "decimal" and not any(marks)
    return _Comp(start, end, hemi, pre >= 0, sign, notation, value, step, error, true_marks, weak,
                 deg_sign, separated, ndec, decsep, integer, None, dm_minutes)


def _tokens(text: str, lo: int, hi: int):
    """Tokens of ``text[lo:hi]`` as (kind, text, start, end), and the first position no token
    matches (``hi`` when every character was read)."""
    toks = []
    pos = lo
    match = _TOKEN.match
    while pos < hi:
        m = match(text, pos, hi)
        if m is None:
            return toks, pos
        toks.append((m.lastgroup, m.group(), pos, m.end()))
        pos = m.end()
    return toks, hi


def _read_pair(t: str, lo: int, hi: int):
    """Read ``t[lo:hi]`` as two components: a Location, a list of diagnostic messages
    (every split was rejected), or ``None`` (not written as two components; why, or '')."""
    from geoverify.notation._results import Diagnostic
    from geoverify.notation.coordinates import judge

    toks, stop = _tokens(t, lo, hi)
    if stop < hi:
        return None, f"cannot read {t[stop]!r} (character {stop + 1})"
    shape = "".join(k for k, *_ in toks)
    structures = _structures(shape)
    if not structures:
        n = shape.count("N")
        if n == 1 or (n == 2 and ("DN" in shape or "CN" in shape) and shape.count("D") + shape.count("C") == 1
                      and "B" not in shape and "S" not in shape):
            return None, "only one number: a location needs a latitude and a longitude"
        return None, ""
    found: list[tuple[int, Location]] = []
    errors: list[str] = []
    best = err_penalty = None
    for penalty, s1, s2, g0, g1 in structures:
        if best is not None and penalty > best:
            break
        c1 = _comp(s1, toks)
        c2 = _comp(s2, toks)
        if c1 is None or c2 is None:
            continue
        labels = None
        if s1[0] >= 0 or s2[0] >= 0:
            l1 = ("lat" if toks[s1[0]][0] == "a" else "lon") if s1[0] >= 0 else None
            l2 = ("lat" if toks[s2[0]][0] == "a" else "lon") if s2[0] >= 0 else None
            labels = [l1 or ("lon" if l2 == "lat" else "lat"), l2 or ("lon" if l1 == "lat" else "lat")]
        start = toks[s1[5]][2]
        gap = t[toks[g0 - 1][3]:toks[g1][2]] if g1 > g0 else ""
        out = judge(t, c1, c2, gap, start, labels=labels, known=True)
        if isinstance(out, Location):
            found.append((penalty, out))
            best = penalty
        elif isinstance(out, Diagnostic) and (err_penalty is None or penalty == err_penalty):
            err_penalty = penalty
            if out.message not in errors:
                errors.append(out.message)
    if not found:
        if errors:
            return errors, ""
        return None, ""
    first = found[0][1]
    seen = {(round(r.lat, 9), round(r.lon, 9)) for r in first.readings()}
    extra = []
    for _, loc in found[1:]:
        for r in loc.readings():
            key = (round(r.lat, 9), round(r.lon, 9))
            if key not in seen:
                seen.add(key)
                extra.append(r)
    if extra:
        first.alternatives.extend(extra)
        first.warnings.append(
            "the string splits into a latitude and a longitude in more than one way: read as "
            f"{_point(first.lat, first.lon)} ({first.reading}); also "
            + "; ".join(f"{_point(r.lat, r.lon)} ({r.reading})" for r in extra))
    return first, ""


def _point(lat: float, lon: float) -> str:
    from geoverify.notation.coordinates import _fmt

    return f"{_fmt(lat)}, {_fmt(lon)}"


# -- the fast path: a plain decimal pair ------------------------------------------------------
_PLAIN = re.compile(r"([-+]?)(\d{1,3})(?:\.(\d{1,15}))?[ \t]*(?:[,;][ \t]*|[ \t]+)([-+]?)(\d{1,3})(?:\.(\d{1,15}))?")


def _plain(t: str, lo: int, hi: int):
    """``lat, lon`` in decimal degrees with points (the usual case), or ``None``."""
    m = _PLAIN.fullmatch(t, lo, hi)
    if m is None:
        return None
    from geoverify.notation.coordinates import _Comp, judge

    s1, d1, f1, s2, d2, f2 = m.groups()
    comps = []
    for sg, d, f, g in ((s1, d1, f1, 1), (s2, d2, f2, 4)):
        ndec = len(f) if f else 0
        value = float(f"{d}.{f}") if f else float(d)
        comps.append(_Comp(m.start(g) if sg else m.start(g + 1), m.end(g + 2) if f else m.end(g + 1), None,
                           False, (-1 if sg == "-" else 1) if sg else 0, "decimal", value, 10.0 ** -ndec,
                           None, False, 0, False, False, ndec, "." if f else None, ndec == 0, None,
                           float(f[-2:]) if ndec == 2 else None))
    c1, c2 = comps
    return judge(t, c1, c2, t[c1.end:c2.start], c1.start, known=True)


# -- everything else: the extractor ------------------------------------------------------------
_JUNK = " \t\r\n()[]{}<>.,;:"


def _read_other(t: str):
    """The extractor on the whole string: (Location or None, diagnostic messages)."""
    from geoverify.notation import scan

    result = scan(t)
    locs = result.locations
    if len(locs) == 1:
        loc = locs[0]
        rest_before = t[:loc.start]
        rest_after = t[loc.end:]
        if loc.kind == "pluscode-short" and loc.locality:
            rest_after = rest_after.replace(loc.locality, "", 1)
        if not rest_before.strip(_JUNK) and not rest_after.strip(_JUNK):
            return loc, []
        return None, [f"more than a location: {t[:loc.start].strip() or t[loc.end:].strip()!r} "
                      f"besides {loc.text!r}"]
    if len(locs) > 1:
        return None, [f"{len(locs)} locations ({', '.join(repr(x.text) for x in locs)}); give one"]
    return None, [d.message for d in result.diagnostics]


def parse(text: str) -> Location:
    """Read ``text`` as one location, in any notation; every reading is kept.

    Parameters
    ----------
    text : str
        One location as a user or a table gives it: ``44.326859, 131.668647``,
        ``40 7 22.8, -74 7 22.8``, ``N66 W32``, ``32 w 66 s``, ``38SMB4484``,
        ``8MG9+PFR Sergeevka, Primorsky Krai``, a map link... (see the module docstring).

    Returns
    -------
    Location
        Offsets (``start``, ``end``, ``text``) point into ``text``; ``alternatives`` holds
        every other reading, with a warning when there are any. A short plus code is
        returned unplaced (``lat``/``lon`` ``None``) with its locality:
        :func:`geoverify.pipeline.parse_location` places it with the gazetteer.

    Raises
    ------
    ParseError
        Nothing or more than one location could be read; the message says what is wrong
        (a value out of range, minutes or seconds of 60 or more, two letters on one axis, a
        character no notation uses, ...).

    Examples
    --------
    >>> loc = parse("40 7 22.8, -74 7 22.8")
    >>> round(loc.lat, 4), round(loc.lon, 4), loc.kind
    (40.123, -74.123, 'dms')
    >>> [(round(r.lat, 1), round(r.lon, 1)) for r in parse("66 32").readings()]
    [(66.0, 32.0), (32.0, 66.0)]
    """
    if not isinstance(text, str):
        raise ParseError(f"a location must be a string, not {type(text).__name__}")
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if lo == hi:
        raise ParseError(f"empty location: expected {EXAMPLES}")
    if hi - lo > MAX_CHARS:
        raise ParseError(f"{hi - lo:,} characters is too long for one location (at most {MAX_CHARS:,})")
    s = text[lo:hi]
    norm = None
    t = s
    if not s.isascii():
        from geoverify.text.normalise import normalise

        norm = normalise(s)
        t = norm.text
    a, b = 0, len(t)
    while a < b and t[a].isspace():
        a += 1
    while b > a and t[b - 1].isspace():
        b -= 1
    if a == b:
        raise ParseError(f"not a location (only invisible characters; expected {EXAMPLES})", s)
    if t[a] in _OPEN and t[b - 1] in _CLOSE and b - a > 2:
        a, b = a + 1, b - 1
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
    loc = _plain(t, a, b)
    problems: list[str] = []
    why = ""
    if not isinstance(loc, Location):
        if loc is not None:
            problems.append(loc.message)
        loc, why = _read_pair(t, a, b) if b - a <= 200 else (None, "")
        if isinstance(loc, list):
            problems = loc + [p for p in problems if p not in loc]
            loc = None
    if loc is None:
        other, messages = _read_other(t)
        if other is not None:
            loc = other
        else:
            problems.extend(m for m in messages if m not in problems)
    if loc is None:
        if problems:
            raise ParseError("; ".join(problems), s)
        reason = f"{why}; " if why else ""
        raise ParseError(f"not a location ({reason}expected {EXAMPLES})", s)
    if norm is not None and norm.changed:
        from geoverify.text.normalise import map_locations

        map_locations(norm, [loc])
    if lo:
        loc.start += lo
        loc.end += lo
    return loc
