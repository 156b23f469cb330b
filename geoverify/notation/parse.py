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
from geoverify.notation._geodesy import half_step_m
from geoverify.notation._pairs import DECIMAL_COMMAS, NOTATION_NAMES, _fmt, _is_true_deg, _is_weak, unlettered

# geoverify.notation.coordinates (the prose scanner: large regular expressions) is imported
# only for a split the key does not decide (judge()), geoverify.text.normalise only for text
# that is not ASCII: `geoverify where 44.3,131.6` compiles neither.

__all__ = ["parse", "MAX_CHARS", "EXAMPLES"]

#: Longest string :func:`parse` reads (a map link with its query is the longest notation).
MAX_CHARS = 4096

#: What a location looks like, quoted in error messages.
EXAMPLES = (
    "e.g. '44.3268, 131.6686', 44°19'37\"N 131°40'07\"E, '40 7 22.8, -74 7 22.8', "
    "an MGRS/UTM reference, a plus code or a map link"
)

_MINUTE_CHARS = "'′’‘´ʹ`ˊꞌ‵"
_SECOND_CHARS = '"″”“ʺ˝〃‶'
_WORD_END = r"(?![^\W\d_])"

# One token per match; the group name is the token's character in the shape string (compiled
# on the first key that is not a plain decimal pair).
_TOKEN_PATTERN = rf"""
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
    """


@lru_cache(maxsize=1)
def _token_regex() -> re.Pattern:
    return re.compile(_TOKEN_PATTERN, re.VERBOSE)


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
    if frac_ok and shape[k + 1 : k + 3] in ("DN", "CN"):
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
    if shape[k : k + 5] == "NDNDN":
        base = ((k, -1, False, -1, ""), (k + 2, -1, False, -1, ""))
        ends = [(k + 4, -1, False, k + 5)]
        if shape[k + 5 : k + 7] in ("DN", "CN"):
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
        if g < len(shape) and shape[g] in "CS":
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


# -- plans: what a string written like this can be, worked out once per key ---------------------
# The *key* of a string is the string with every digit written "0": every string written the
# same way (a column of "44.326859, 131.668647"-like values) has one key, and the tokens, the
# splits and everything about them that does not depend on the digits' values are worked out
# once per key (an LRU cache). The key is made from the UTF-8 bytes (a translate of bytes is a
# table look-up per byte); decoded, it has the string's length, so its offsets are the string's.

_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def _tokens(text: str, lo: int, hi: int):
    """Tokens of ``text[lo:hi]`` as (kind, text, start, end), and the first position no token
    matches (``hi`` when every character was read)."""
    toks = []
    pos = lo
    match = _token_regex().match
    while pos < hi:
        m = match(text, pos, hi)
        if m is None:
            return toks, pos
        toks.append((m.lastgroup, m.group(), pos, m.end()))
        pos = m.end()
    return toks, hi


def _recipe(spec, toks):
    """What one component is, apart from its digits' values: (start, end, hemi, hemi_prefix,
    sign, numbers, true_marks, weak_marks, deg_sign, separated, error), or ``None`` when the
    digits do not fit (more than three of degrees: a packed form, read by the extractor).
    ``numbers``: per part (start, end, comma) of its digits (with the fraction) in the string."""
    from geoverify.notation._normalise import hemisphere

    label, pre, sign_i, parts, suf, i, e, dotted = spec
    error = None
    if pre >= 0 and suf >= 0:
        error = f"two hemisphere letters on one value ('{toks[pre][1]}' and '{toks[suf][1]}')"
    hemi = hemisphere(toks[pre][1] if pre >= 0 else toks[suf][1] if suf >= 0 else None)
    sign = 0 if sign_i < 0 else (1 if toks[sign_i][1] == "+" else -1)
    numbers = []
    for k, (ii, fi, _comma, _m, _k) in enumerate(parts):
        digits = toks[ii][3] - toks[ii][2]
        if digits > (3 if k == 0 else 2):
            return None
        numbers.append((toks[ii][2], toks[fi][3] if fi >= 0 else toks[ii][3]))
    ii, fi, comma = parts[-1][:3]
    ndec = toks[fi][3] - toks[fi][2] if fi >= 0 else 0
    decsep = None if fi < 0 else ("," if comma else ".")
    unit = (1, 60, 3600)[len(parts) - 1]
    step = 10.0**-ndec / unit
    marks = [toks[mi][1] if mi >= 0 else None for _i, _f, _c, mi, _k in parts]
    if len(parts) == 3 and parts[2][4] == "z":
        marks[2] = "s"  # a lower-case "s" after the seconds: the seconds mark
    first = pre if pre >= 0 else sign_i if sign_i >= 0 else parts[0][0]
    true_marks = any(tok and not _is_weak(tok) for tok in marks)
    weak = sum(1 for tok in marks if _is_weak(tok))
    separated = len(parts) > 1 and not any(marks)
    return (
        toks[first][2],
        toks[e - 1][3],
        hemi,
        pre >= 0,
        sign,
        tuple(numbers),
        true_marks,
        weak,
        _is_true_deg(marks[0]),
        separated,
        error,
        ("decimal", "ddm", "dms")[len(parts) - 1],
        step,
        ndec,
        decsep,
    )


@lru_cache(maxsize=4096)
def _plan(key_bytes: bytes):
    """Every way a string with this key can be two components, best first:
    ``(recipes, why)``; ``recipes`` is ``None`` when the key is not two components (``why``
    says what could not be read, as ``(offset, message)``, or is ``None``)."""
    key = key_bytes.decode("utf-8", "surrogatepass")
    toks, stop = _tokens(key, 0, len(key))
    if stop < len(key):
        return None, (stop, "cannot read")
    shape = "".join(tok[0] for tok in toks)
    structures = _structures(shape)
    n = shape.count("N")
    if not structures:
        if n == 1 or (
            n == 2
            and shape.count("D") + shape.count("C") == 1
            and ("DN" in shape or "CN" in shape)
            and "B" not in shape
            and "S" not in shape
        ):
            return None, (0, "only one number: a location needs a latitude and a longitude")
        return None, None
    recipes = []
    for penalty, s1, s2, g0, g1 in structures:
        r1, r2 = _recipe(s1, toks), _recipe(s2, toks)
        if r1 is None or r2 is None:
            continue
        labels = None
        if s1[0] >= 0 or s2[0] >= 0:
            l1 = ("lat" if toks[s1[0]][0] == "a" else "lon") if s1[0] >= 0 else None
            l2 = ("lat" if toks[s2[0]][0] == "a" else "lon") if s2[0] >= 0 else None
            labels = (l1 or ("lon" if l2 == "lat" else "lat"), l2 or ("lon" if l1 == "lat" else "lat"))
        gap = key[toks[g0 - 1][3] : toks[g1][2]] if g1 > g0 else ""
        if r1[10] or r2[10]:
            penalty += 3  # two letters on one value: only to say what is wrong
        recipes.append((penalty, r1, r2, toks[s1[5]][2], labels, gap, _fast(r1, r2, labels)))
    if not recipes:
        return None, None
    recipes.sort(key=lambda x: x[0])
    return tuple(recipes), None


def _comp(r, t):
    """A :class:`~geoverify.notation.coordinates._Comp` from a recipe and the string."""
    from geoverify.notation.coordinates import _Comp

    (
        start,
        end,
        hemi,
        prefix,
        sign,
        numbers,
        true_marks,
        weak,
        deg_sign,
        separated,
        error,
        notation,
        step,
        ndec,
        decsep,
    ) = r
    ls, le = numbers[-1]
    last = t[ls:le]
    last_value = float(last.replace(",", ".")) if decsep == "," else float(last)
    if notation == "decimal":
        return _Comp(
            start,
            end,
            hemi,
            prefix,
            sign,
            notation,
            last_value,
            step,
            error,
            true_marks,
            weak,
            deg_sign,
            separated,
            ndec,
            decsep,
            decsep is None,
            None,
            float(last[-2:]) if ndec == 2 else None,
        )
    d = int(t[numbers[0][0] : numbers[0][1]])
    if notation == "dms":
        minutes = t[numbers[1][0] : numbers[1][1]]
        mi = int(minutes)
        value = d + mi / 60 + last_value / 3600
        if error is None:
            if mi >= 60:
                error = f"minutes {minutes} must be below 60"
            elif last_value >= 60:
                error = f"seconds {last} must be below 60"
    else:
        value = d + last_value / 60
        if error is None and last_value >= 60:
            error = f"minutes {last} must be below 60"
    return _Comp(
        start,
        end,
        hemi,
        prefix,
        sign,
        notation,
        value,
        step,
        error,
        true_marks,
        weak,
        deg_sign,
        separated,
        0,
        decsep,
        False,
        None,
        None,
    )


# -- the fast path: a plain decimal pair (the usual paste) -------------------------------------
_PLAIN = re.compile(r"([-+]?\d{1,3}(?:\.(\d{1,15}))?)[ \t]*(?:[,;][ \t]*|[ \t]+)([-+]?\d{1,3}(?:\.(\d{1,15}))?)")


def _plain(t: str):
    """``lat, lon`` in decimal degrees with points, read as :func:`judge` reads it; ``None``
    when ``t`` is not written that way, a message when the values are out of range."""
    m = _PLAIN.fullmatch(t)
    if m is None:
        return None
    x, f1, y, f2 = m.groups()
    n1 = len(f1) if f1 else 0
    n2 = len(f2) if f2 else 0
    alternatives: list = []
    warnings: list = []
    out = unlettered(float(x), float(y), "decimal degrees", 10.0**-n1, 10.0**-n2, alternatives, warnings)
    if out.__class__ is str:
        return out
    lat, lon, reading, lat_step, lon_step = out
    return Location(
        lat, lon, "decimal", t, 0, len(t), half_step_m(lat, lat_step, lon_step), reading, alternatives, warnings
    )


def _fast(r1, r2, labels):
    """What :func:`judge` would decide about a split from the key alone, when that is all
    of it but the values: ``None`` when it depends on more (a label, one letter, a sign
    against its letter, a possible DD.MM reading, two letters on one axis or value)."""
    if labels is not None or r1[10] or r2[10]:
        return None
    h1, h2 = r1[2], r2[2]
    kinds = {r1[11], r2[11]}
    kind = "dms" if "dms" in kinds else ("ddm" if "ddm" in kinds else "decimal")
    name = NOTATION_NAMES[kind]
    comma = "," in (r1[14], r2[14])
    if h1 is None and h2 is None:
        return ("bare", kind, name, comma)
    if h1 is None or h2 is None or (h1 in "NS") == (h2 in "NS"):
        return None
    for r in (r1, r2):
        if (r[4] < 0 and r[2] in "NE") or (r[4] > 0 and r[2] in "SW"):
            return None  # a sign against its letter: judge() words the alternative
    if kind == "decimal" and r1[13] == 2 and r2[13] == 2 and not r1[8] and not r2[8]:
        return None  # "18.24S 22.45E": judge() adds the DD.MM reading when it fits
    lat_first = h1 in "NS"
    reading = f"{name}, {'latitude first' if lat_first else 'longitude first'} (hemisphere letters)"
    return ("lettered", kind, reading, comma, lat_first, h1 in "SW", h2 in "SW")


def _value(r, t):
    """The unsigned value of a component (``None`` when minutes or seconds are 60 or more)."""
    numbers = r[5]
    ls, le = numbers[-1]
    last = float(t[ls:le].replace(",", ".")) if r[14] == "," else float(t[ls:le])
    notation = r[11]
    if notation == "decimal":
        return last
    if last >= 60:
        return None
    d = int(t[numbers[0][0] : numbers[0][1]])
    if notation == "ddm":
        return d + last / 60
    mi = int(t[numbers[1][0] : numbers[1][1]])
    if mi >= 60:
        return None
    return d + mi / 60 + last / 3600


def _read_fast(t: str, r1, r2, start: int, fast) -> Location | None:
    """:func:`judge` for a split whose decision :func:`_fast` made from the key, on the
    values; ``None`` when the values need :func:`judge` (an error to word)."""
    v1 = _value(r1, t)
    v2 = _value(r2, t) if v1 is not None else None
    if v2 is None:
        return None
    end = r2[1]
    warnings: list = []
    alternatives: list = []
    if fast[0] == "bare":
        out = unlettered(
            -v1 if r1[4] < 0 else v1, -v2 if r2[4] < 0 else v2, fast[2], r1[12], r2[12], alternatives, warnings
        )
        if out.__class__ is str:
            return None
        lat, lon, reading, lat_step, lon_step = out
    else:
        _, kind, reading, comma, lat_first, neg1, neg2 = fast
        a = -v1 if neg1 else v1
        b = -v2 if neg2 else v2
        if lat_first:
            lat, lon, lat_step, lon_step = a, b, r1[12], r2[12]
        else:
            lat, lon, lat_step, lon_step = b, a, r2[12], r1[12]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
    if fast[3]:
        warnings.append(DECIMAL_COMMAS)
    return Location(
        lat,
        lon,
        fast[1],
        t[start:end],
        start,
        end,
        half_step_m(lat, lat_step, lon_step),
        reading,
        alternatives,
        warnings,
    )


def _read_pair(t: str, base: int = 0):
    """Read ``t`` (trimmed) as two components: ``(Location, [], "")``, ``(None, messages, "")``
    (every split was rejected, for these reasons) or ``(None, [], why)`` (not written as two
    components). Offsets are into ``t``."""
    recipes, why = _plan(t.encode("utf-8", "surrogatepass").translate(_ZEROS))
    if recipes is None:
        if why is None:
            return None, [], ""
        k, message = why
        if message == "cannot read":
            return None, [], f"cannot read {t[k]!r} (character {base + k + 1})"
        return None, [], message
    best = recipes[0]
    if best[6] is not None and (len(recipes) == 1 or recipes[1][0] > best[0]):
        loc = _read_fast(t, best[1], best[2], best[3], best[6])
        if loc is not None:
            return loc, [], ""
    from geoverify.notation.coordinates import judge

    found = []
    errors: list[str] = []
    best = err_penalty = None
    for penalty, r1, r2, start, labels, gap, _ in recipes:
        if best is not None and penalty > best:
            break
        out = judge(t, _comp(r1, t), _comp(r2, t), gap, start, labels=labels, known=True)
        if out.__class__ is Location:
            found.append(out)
            best = penalty
        elif out is not None and (err_penalty is None or penalty == err_penalty):
            err_penalty = penalty
            if out.message not in errors:
                errors.append(out.message)
    if not found:
        return None, errors, ""
    first = found[0]
    if len(found) > 1:
        seen = {(round(r.lat, 9), round(r.lon, 9)) for r in first.readings()}
        extra_readings = []
        for loc in found[1:]:
            for r in loc.readings():
                point = (round(r.lat, 9), round(r.lon, 9))
                if point not in seen:
                    seen.add(point)
                    extra_readings.append(r)
        if extra_readings:
            first.alternatives.extend(extra_readings)
            first.warnings.append(
                "the string splits into a latitude and a longitude in more than one way: read as "
                f"{_point(first.lat, first.lon)} ({first.reading}); also "
                + "; ".join(f"{_point(r.lat, r.lon)} ({r.reading})" for r in extra_readings)
            )
    return first, [], ""


def _point(lat: float, lon: float) -> str:
    return f"{_fmt(lat)}, {_fmt(lon)}"


# -- everything else: the extractor ------------------------------------------------------------
_JUNK = " \t\r\n()[]{}<>.,;:"


def _read_other(t: str):
    """The extractor on the whole string: (Location or None, diagnostic messages)."""
    from geoverify.notation import scan

    result = scan(t)
    locs = result.locations
    if len(locs) == 1:
        loc = locs[0]
        rest_before = t[: loc.start]
        rest_after = t[loc.end :]
        if loc.kind == "pluscode-short" and loc.locality:
            rest_after = rest_after.replace(loc.locality, "", 1)
        if not rest_before.strip(_JUNK) and not rest_after.strip(_JUNK):
            return loc, []
        return None, [f"more than a location: {t[: loc.start].strip() or t[loc.end :].strip()!r} besides {loc.text!r}"]
    if len(locs) > 1:
        return None, [f"{len(locs)} locations ({', '.join(repr(x.text) for x in locs)}); give one"]
    return None, [d.message for d in result.diagnostics]


def _read_other_quietly(t: str):
    """:func:`_read_other` after the two-component reading found what is wrong: only a whole
    location in another notation (a packed form) overrides it."""
    loc, _ = _read_other(t)
    return loc, []


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
    if text.__class__ is not str and not isinstance(text, str):
        raise ParseError(f"a location must be a string, not {type(text).__name__}")
    s = text.strip()
    if not s:
        raise ParseError(f"empty location: expected {EXAMPLES}")
    if len(s) > MAX_CHARS:
        raise ParseError(f"{len(s):,} characters is too long for one location (at most {MAX_CHARS:,})")
    lo = len(text) - len(text.lstrip()) if text[0].isspace() else 0
    norm = None
    t = s
    if not s.isascii():
        from geoverify.text.normalise import may_change, normalise

    if not s.isascii() and may_change(s) is not None:  # a look-alike character to read
        norm = normalise(s)
        t = norm.text.strip()
        if not t:
            raise ParseError(f"not a location (only invisible characters; expected {EXAMPLES})", s)
        nlead = len(norm.text) - len(norm.text.lstrip())
    loc = None
    problems: list[str] = []
    why = ""
    if t[0] in _OPEN and t[-1] in _CLOSE and len(t) > 2:
        inner = t[1:-1].strip()
        a = t.index(inner[0], 1) if inner else 1
    else:
        inner, a = t, 0
    if not inner:
        raise ParseError(f"empty location: expected {EXAMPLES}", s)
    if len(inner) <= 200:
        loc = _plain(inner)
        if loc.__class__ is str:
            problems, loc = [loc], None
        elif loc is None:
            loc, problems, why = _read_pair(inner, a)
        if loc is not None and a:
            loc.start += a
            loc.end += a
    if loc is None:
        other, messages = _read_other(t) if not problems else _read_other_quietly(t)
        if other is not None:
            loc = other
        else:
            problems.extend(m for m in messages if m not in problems)
    if loc is None:
        if problems:
            raise ParseError("; ".join(problems), s)
        reason = f"{why}; " if why else ""
        raise ParseError(f"not a location ({reason}expected {EXAMPLES})", s)
    if norm is not None:
        loc.start += nlead
        loc.end += nlead
        if norm.changed:
            from geoverify.text.normalise import map_locations

            map_locations(norm, [loc])
    if lo:
        loc.start += lo
        loc.end += lo
    return loc
