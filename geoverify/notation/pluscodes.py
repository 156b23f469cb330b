"""Open Location Codes (plus codes), read and validated with the ``openlocationcode`` package.

Full codes
----------
``8Q6Q8MG9+PF``, ``8fwc2345+`` (case-insensitive), padded codes such as ``8FWCX400+`` or
``84000000+`` (valid full codes of lower precision): anywhere in text, delimited by
non-word characters. Validity is the package's ``isFull`` (the official conformance data
in ``tests/data/open-location-code`` passes through :func:`find_pluscodes`). The location
is the centre of the code area; ``precision_m`` is the largest geodesic distance from the
centre to a corner of the area (its half-diagonal, via ``pyproj.Geod``).

Short codes
-----------
``8MG9+PFR Sergeevka, Primorsky Krai``: a valid short code (``isShort``) with at least two
characters after ``+`` and at least one letter (``+33`` is a telephone prefix), followed by
a locality. The locality is a run of capitalised words (any script) joined by spaces,
commas or hyphens, with lower-case connectors inside (``Frankfurt am Main``) and
administrative words after a name (``Приморский край``, ``Kursk oblast``), ending at the
end of the line, sentence, an ellipsis, a URL or the first word that is not part of a
name; trailing punctuation is dropped. The location has kind ``pluscode-short``, the code's
span as ``text``, ``locality`` set and no point: :func:`recover_short` recovers it once a
gazetteer has resolved the locality.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import combinations

from geoverify.errors import ParseError
from geoverify.model import Location, Reading
from geoverify.notation._results import Diagnostic

__all__ = ["find_pluscodes", "decode_full", "recover_short", "CODE_CHARS"]

#: The plus-code alphabet (both cases).
CODE_CHARS = "23456789CFGHJMPQRVWXcfghjmpqrvwx"

_CODE = re.compile(rf"(?<![\w+])(?P<pre>[{CODE_CHARS}0]{{0,8}})\+(?P<post>[{CODE_CHARS}]{{0,30}})(?![\w+])")

_LOC_START = re.compile(r"[ \t]*(?:,[ \t]*)?")
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?")
_SEP = re.compile(r"[ \t]*,[ \t]*|[ \t]+-[ \t]+|[ \t]+")
_CONNECTORS = frozenset(
    "de del della di da do dos das du des la le les los las el al am an im in der den "
    "upon on sur sous y e na nad pod bei ob and of".split()
)
#: Lower-case words that continue a place name ("Приморский край", "Kursk oblast").
_NAME_TAILS = frozenset(
    "край области область обл район р-н округ республика губерния волость сельсовет "
    "oblast krai kray raion rayon okrug district province region county prefecture "
    "область район громада".split()
)
_MAX_WORDS = 8


def _locality(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the locality text that follows a short code at ``pos``."""
    i = _LOC_START.match(text, pos).end()
    j = i
    end = None
    words = 0
    pending_connector = False
    while words < _MAX_WORDS:
        w = _WORD.match(text, j)
        if w is None:
            break
        word = w.group()
        if word[0].isupper() or (end is not None and not pending_connector and word.lower().rstrip(".") in _NAME_TAILS):
            end = w.end()
            pending_connector = False
        elif end is not None and word.lower() in _CONNECTORS and not pending_connector:
            pending_connector = True
        else:
            break
        words += 1
        j = w.end()
        # "St. Petersburg": a short capitalised abbreviation may carry a full stop
        if (
            text.startswith(". ", j)
            and len(word) <= 3
            and word[0].isupper()
            and j + 2 < len(text)
            and text[j + 2].isupper()
        ):
            j += 1
            end = j
        s = _SEP.match(text, j)
        if s is None or s.end() == j:
            break
        j = s.end()
    if end is None:
        return None
    return i, end


def _area(code: str):
    from openlocationcode import openlocationcode as olc

    return olc.decode(code)


def decode_full(code: str) -> tuple[float, float, float, str]:
    """Decode a full code: ``(lat, lon, precision_m, normalised_code)``.

    Raises
    ------
    ParseError
        ``code`` is not a valid full code.
    """
    from openlocationcode import openlocationcode as olc

    from geoverify.notation._geodesy import half_diagonal_m

    if not olc.isFull(code):
        raise ParseError("not a valid full plus code", code)
    area = olc.decode(code)
    precision = half_diagonal_m(area.latitudeLo, area.longitudeLo, area.latitudeHi, area.longitudeHi)
    return area.latitudeCenter, area.longitudeCenter, precision, code.upper()


def _evaluate(text: str, m: re.Match) -> Location | None:
    from openlocationcode import openlocationcode as olc

    code = m.group(0)
    if olc.isFull(code):
        lat, lon, precision, norm = decode_full(code)
        return Location(
            lat=lat,
            lon=lon,
            kind="pluscode",
            text=code,
            start=m.start(),
            end=m.end(),
            precision_m=precision,
            reading="plus code, centre of the code area",
            code=norm,
        )
    if not olc.isShort(code) or len(m.group("post")) < 2:
        return None
    if not any(ch.isalpha() for ch in code):
        return None
    span = _locality(text, m.end())
    if span is None:
        return None
    locality = text[span[0] : span[1]].rstrip(" \t,;:.-")
    return Location(
        lat=None,
        lon=None,
        kind="pluscode-short",
        text=code,
        start=m.start(),
        end=m.end(),
        precision_m=None,
        reading="short plus code; needs the locality's position to be recovered",
        code=code.upper(),
        locality=locality,
    )


def find_pluscodes(text: str, windows=None) -> tuple[list[Location], list[Diagnostic]]:
    """Find full and short plus codes in ``text``.

    Parameters
    ----------
    text : str
    windows : list of (start, end), optional
        Ranges around ``+`` signs to examine (the prefilter's); the whole text if omitted.
        A range must reach at least 8 characters before and 31 after each ``+`` in it.

    Returns
    -------
    (locations, diagnostics)
        Locations of kind ``pluscode`` and ``pluscode-short``; no diagnostics (an invalid
        code is simply not a code).
    """
    if windows is None:
        windows = [(0, len(text))]
    out: list[Location] = []
    for start, end in windows:
        for m in _CODE.finditer(text, start, end):
            loc = _evaluate(text, m)
            if loc is not None:
                out.append(loc)
    return out, []


@lru_cache(maxsize=4096)
def _recover_nearest(code: str, lat: float, lon: float):
    """``(full code, its CodeArea)`` of a short code recovered near a point (a dump repeats its
    codes and places; the areas are only read)."""
    from openlocationcode import openlocationcode as olc

    full = olc.recoverNearest(code, lat, lon)
    return full, olc.decode(full)


def recover_short(location: Location, references: list[dict]) -> Location:
    """Recover a short plus code from the positions of the places its locality names.

    Parameters
    ----------
    location : Location
        A ``pluscode-short`` location (from :func:`find_pluscodes`).
    references : list of dict
        Candidate places for the locality, best first, each
        ``{"name": ..., "lat": ..., "lon": ..., "id": ...}``.

    Returns
    -------
    Location
        A copy with ``lat``/``lon`` from the first reference's recovery
        (``openlocationcode.recoverNearest``), ``reference`` = the first reference plus the
        recovered ``code``, every *different* recovery from the other references as an
        alternative, and a warning when the recoveries differ (with the largest geodesic
        distance between them). With no references the copy keeps no point and gains a
        warning.

    Like ``recoverNearest``, a full code is returned as it is (decoded, with the reference
    recorded).

    Raises
    ------
    ParseError
        ``location`` carries no valid plus code.
    """
    from openlocationcode import openlocationcode as olc

    from geoverify.notation._geodesy import distance_m, half_diagonal_m

    code = location.code
    if not code or not (olc.isShort(code) or olc.isFull(code)):
        raise ParseError("not a plus code", location.text)
    place = location.locality or ""
    if not references:
        return replace(
            location,
            warnings=location.warnings + [f"locality '{place}' was not found, so the short code cannot be recovered"],
        )
    recoveries = []
    for ref in references:
        full, area = _recover_nearest(code, float(ref["lat"]), float(ref["lon"]))
        recoveries.append((ref, full, area))
    ref0, full0, area0 = recoveries[0]
    alternatives = list(location.alternatives)
    distinct = {full0: area0}
    for ref, full, area in recoveries[1:]:
        if full in distinct:
            continue
        distinct[full] = area
        alternatives.append(
            Reading(
                area.latitudeCenter,
                area.longitudeCenter,
                f"recovered as {full} from {ref.get('name')} ({ref.get('id')}) at "
                f"{float(ref['lat']):.5f}, {float(ref['lon']):.5f}",
            )
        )
    warnings = list(location.warnings)
    if len(distinct) > 1:
        far = max(
            distance_m(a.latitudeCenter, a.longitudeCenter, b.latitudeCenter, b.longitudeCenter)
            for a, b in combinations(distinct.values(), 2)
        )
        warnings.append(
            f"locality '{place}' matches {len(references)} places; recoveries are up to {far / 1000:.1f} km apart"
        )
    return replace(
        location,
        lat=area0.latitudeCenter,
        lon=area0.longitudeCenter,
        precision_m=half_diagonal_m(area0.latitudeLo, area0.longitudeLo, area0.latitudeHi, area0.longitudeHi),
        reading=(
            f"short plus code recovered as {full0} from {ref0.get('name')} "
            f"({ref0.get('id')}) at {float(ref0['lat']):.5f}, {float(ref0['lon']):.5f}"
        ),
        reference={**ref0, "code": full0},
        alternatives=alternatives,
        warnings=warnings,
    )
