"""Grid references: MGRS (via the ``mgrs`` package) and UTM (via ``pyproj``).

MGRS
----
``4QFJ12345678``, ``4Q FJ 1234 5678``, ``38SMB4484``: a grid zone (1–60, a leading zero
allowed, and a latitude band C–X without I and O), a 100 km square (two letters) and 1–5
digits of easting and as many of northing — either glued to the square letters
(``4QFJ12345678``, where a following number is not part of the reference) or, after a
blank, in one run or two equal groups (``4QFJ 1234 5678``). The reference names the
south-west corner of a square of side ``10**(5 - digits)`` metres; the location returned
is the square's centre (what the ``mgrs`` package returns) and ``precision_m`` is half the
side. References the ``mgrs`` package rejects (no such square in that zone), or whose
centre lies outside the latitude band by more than the square's size, are not locations.
Polar (UPS) references without a zone number are not read.

UTM
---
``33T 500000 4649776``, ``17T 630084mE 4833438mN``, ``UTM 33N 500000 4649776``,
``zone 33S E 500000 N 4649776``: a zone, a letter, a 6-digit easting (an optional leading
zero) and a 6- to 8-digit northing (at most 10000000), in metres (decimals allowed). The
letter after the zone is either an MGRS latitude band (C–X) or, for ``N``/``S``, a
hemisphere: the two
readings differ for ``S`` (band S lies at 32–40°N). Every reading whose latitude agrees
with its band (±0.5°) is kept; when two remain the band reading is preferred, the other is
an alternative and a warning says so. Without a letter the reference is read only after
``UTM``/``zone``, northern hemisphere preferred, southern as an alternative, with a
warning. ``precision_m`` is half the last digit's step (0.5 m for whole metres).
"""

from __future__ import annotations

import re
from functools import lru_cache

from geoverify.model import Location, Reading
from geoverify.notation._prefilter import GRID
from geoverify.notation._results import Diagnostic

__all__ = ["find_grids", "utm_to_latlon"]

_BANDS = "CDEFGHJKLMNPQRSTUVWX"

_MGRS = re.compile(
    r"""(?=\d)(?<![\w.\-])
    (?P<zone>0?[1-9]|[1-5]\d|60)[ \t]?(?P<band>[C-HJ-NP-X])[ \t]?
    (?P<sq>[A-HJ-NP-Z][A-HJ-NP-V])
    (?:[ \t]+(?P<digits>\d{1,5}[ \t]+\d{1,5}|\d{2,10})|(?P<compact>\d{2,10}))
    (?![\w+]|[.,]\d)""",
    re.VERBOSE,
)

_UTM = re.compile(
    r"""(?=[UuZz\d])(?<![\w.\-])
    (?P<label>(?i:UTM)(?:[ \t]*(?i:zone))?|(?i:zone))?[ \t:]*
    (?P<zone>0?[1-9]|[1-5]\d|60)(?!\d)
    (?:[ \t]?(?P<letter>[C-HJ-NP-X])(?![^\W\d_])|[ \t]?(?P<hemi>North|South|north|south))?
    [ \t,]+(?:(?P<elabel>E|Easting|easting)[ \t:]*)?
    (?P<e>0?\d{6}(?:\.\d{1,3})?)(?!\d)(?:[ \t]?(?:m[ \t]?)?E(?![^\W\d_])|[ \t]?m(?![^\W\d_]))?
    [ \t,]+(?:(?P<nlabel>N|Northing|northing)[ \t:]*)?
    (?P<n>\d{6,7}(?:\.\d{1,3})?|10000000(?:\.0{1,3})?)(?!\d)
    (?:[ \t]?(?:m[ \t]?)?N(?![^\W\d_])|[ \t]?m(?![^\W\d_]))?
    (?![\w+]|[.,]\d)""",
    re.VERBOSE,
)


@lru_cache(maxsize=128)
def _transformer(zone: int, south: bool):
    from pyproj import Transformer

    epsg = (32700 if south else 32600) + zone
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def utm_to_latlon(zone: int, south: bool, easting: float, northing: float) -> tuple[float, float]:
    """WGS84 lat, lon of a UTM coordinate (EPSG:326zz / 327zz via pyproj)."""
    lon, lat = _transformer(zone, south).transform(easting, northing)
    return float(lat), float(lon)


def _band_range(letter: str) -> tuple[float, float]:
    i = _BANDS.index(letter)
    lo = -80 + 8 * i
    hi = 84 if letter == "X" else lo + 8
    return lo, hi


def _in_band(lat: float, letter: str, tolerance: float = 0.5) -> bool:
    lo, hi = _band_range(letter)
    return lo - tolerance <= lat <= hi + tolerance


def _mgrs_location(text: str, m: re.Match) -> Location | None:
    parts = (m.group("digits") or m.group("compact")).split()
    end = m.end()
    if len(parts) == 2 and len(parts[0]) != len(parts[1]):
        # "38SMB4484 12 soldiers": only the first group belongs to the reference
        parts = parts[:1]
        end = m.start("digits") + len(parts[0])  # only in the spaced form
    digits = "".join(parts)
    if len(digits) % 2 or len(digits) < 2:
        return None
    code = f"{int(m.group('zone'))}{m.group('band')}{m.group('sq')}{digits}"
    import warnings

    import mgrs

    try:
        with warnings.catch_warnings():
            # the library warns about references outside their band; _in_band decides
            warnings.simplefilter("ignore", RuntimeWarning)
            lat, lon = mgrs.MGRS().toLatLon(code)
    except Exception:  # mgrs raises its own MGRSError (an Exception subclass)
        return None
    k = len(digits) // 2
    side = 10.0 ** (5 - k)
    # the square's centre may lie just outside the band when the square straddles it
    if not _in_band(lat, m.group("band"), 0.01 + side / 100_000):
        return None
    return Location(
        lat=float(lat),
        lon=float(lon),
        kind="mgrs",
        text=text[m.start() : end],
        start=m.start(),
        end=end,
        precision_m=side / 2,
        reading=f"MGRS, centre of the {side:g} m square",
        code=code,
    )


def _utm_location(text: str, m: re.Match) -> Location | Diagnostic | None:
    zone = int(m.group("zone"))
    letter, hemi_word, label = m.group("letter"), m.group("hemi"), m.group("label")
    e_tok, n_tok = m.group("e"), m.group("n")
    easting, northing = float(e_tok), float(n_tok)
    if letter is None and hemi_word is None and label is None:
        return None
    if not 100000 <= easting <= 900000:
        return Diagnostic(m.group(0), m.start(), m.end(), f"UTM easting {e_tok} is outside 100000–900000 m")
    candidates = []  # (lat, lon, description, south)
    if hemi_word is not None:
        south = hemi_word.lower() == "south"
        candidates.append((south, f"UTM zone {zone}{'S' if south else 'N'} (hemisphere)", None))
    elif letter is None:
        candidates.append((False, f"UTM zone {zone}, northern hemisphere", None))
        candidates.append((True, f"UTM zone {zone}, southern hemisphere", None))
    else:
        band_desc = f"UTM zone {zone}{letter} (latitude band {letter})"
        candidates.append((letter < "N", band_desc, letter))
        if letter in "NS":
            south = letter == "S"
            half = "southern" if south else "northern"
            candidates.append((south, f"UTM zone {zone}{letter} ({half} hemisphere)", None))
    readings: list[tuple[float, float, str]] = []
    for south, desc, band in candidates:
        if readings and letter == "N":
            break  # band N and hemisphere N name the same point

        if south and not 1_000_000 <= northing <= 10_000_000:
            continue
        if not south and northing > 9_400_000:
            continue
        try:
            lat, lon = utm_to_latlon(zone, south, easting, northing)
        except Exception:  # pyproj raises ProjError on impossible input
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        if band is not None and not _in_band(lat, band):
            continue
        readings.append((lat, lon, desc))
    if not readings:
        return Diagnostic(
            m.group(0), m.start(), m.end(), "UTM coordinate is inconsistent with its zone letter or out of range"
        )
    warnings = []
    if len(readings) > 1:
        if letter is None:
            warnings.append(
                "UTM reference without a hemisphere: read as northern; the southern reading is listed as an alternative"
            )
        else:
            warnings.append(
                f"'{zone}{letter}' can be latitude band {letter} or the "
                f"{'southern' if letter == 'S' else 'northern'} hemisphere; "
                "read as the band, the other reading is an alternative"
            )
    lat, lon, desc = readings[0]
    step = max(10.0 ** -_decimals(e_tok), 10.0 ** -_decimals(n_tok))
    return Location(
        lat=lat,
        lon=lon,
        kind="utm",
        text=m.group(0),
        start=m.start(),
        end=m.end(),
        precision_m=step / 2,
        reading=desc,
        alternatives=[Reading(a, b, d) for a, b, d in readings[1:]],
        warnings=warnings,
        code=f"{zone}{letter or ''} {e_tok} {n_tok}",
    )


def _decimals(tok: str) -> int:
    i = tok.find(".")
    return 0 if i < 0 else len(tok) - i - 1


def find_grids(text: str, windows=None) -> tuple[list[Location], list[Diagnostic]]:
    """Find MGRS and UTM references in ``text`` (or only inside ``windows``).

    Returns
    -------
    (locations, diagnostics)
        Locations of kind ``mgrs`` and ``utm``; diagnostics for UTM references whose
        numbers cannot be a position in the zone they name.
    """
    if windows is None:
        windows = [(0, len(text))]
    locations: list[Location] = []
    diagnostics: list[Diagnostic] = []
    for w in windows:
        start, end = w[0], w[1]
        if len(w) > 2 and not w[2] & GRID:
            continue
        for m in _MGRS.finditer(text, start, end):
            loc = _mgrs_location(text, m)
            if loc is not None:
                locations.append(loc)
        for m in _UTM.finditer(text, start, end):
            out = _utm_location(text, m)
            if isinstance(out, Location):
                locations.append(out)
            elif isinstance(out, Diagnostic):
                diagnostics.append(out)
    return locations, diagnostics
