"""Locations compared with each other: how far apart, and whether they can be one place.

Two locations are "the same place" when their geodesic distance is within the sum of their
precisions plus :data:`SAME_PLACE_MARGIN_M`. Only a pair that is *meant* to be one place
(a short plus code written beside decimal coordinates, GeoConfirmed style) counts toward
the verdict; every other pair is information.
"""

from __future__ import annotations

import itertools

from geoverify.geodesy import inverse
from geoverify.model import CONSISTENT, INCONSISTENT, Location

#: Two locations are "the same place" when their distance is within the sum of
#: their precisions plus this margin (metres).
SAME_PLACE_MARGIN_M = 10.0
#: Locations on the same line, or within this many characters, are "beside" each other.
BESIDE_CHARS = 80


def compare_locations(text: str, locations: list[Location]) -> list[dict]:
    """Distance between every two located locations, and whether they can be the same place."""
    out = []
    for (i, a), (j, b) in itertools.combinations(enumerate(locations), 2):
        if not (a.has_point and b.has_point):
            continue
        d_km, az = inverse(a.lat, a.lon, b.lat, b.lon)
        limit_m = (a.precision_m or 0.0) + (b.precision_m or 0.0) + SAME_PLACE_MARGIN_M
        same = d_km * 1000.0 <= limit_m
        entry = {
            "locations": [i, j], "texts": [a.text, b.text],
            "distance_km": round(d_km, 4), "distance_m": round(d_km * 1000.0, 1),
            "bearing_deg": round(az, 1), "same_place": same,
            "threshold_m": round(limit_m, 1),
            "rule": "same place when the distance is within the sum of both precisions + "
                    f"{SAME_PLACE_MARGIN_M:g} m",
        }
        if _expected_same(text, a, b):
            entry["verdict"] = CONSISTENT if same else INCONSISTENT
            entry["expected_same"] = True
            entry["why_expected"] = "a short plus code given beside decimal coordinates"
        out.append(entry)
    return out


def _expected_same(text: str, a: Location, b: Location) -> bool:
    """A short plus code next to another notation of the same place (GeoConfirmed style)."""
    kinds = {a.kind, b.kind}
    if "pluscode-short" not in kinds and "pluscode" not in kinds:
        return False
    return beside(text, a, b)


def beside(text: str, a: Location, b: Location) -> bool:
    """Two locations from the text with at most a short gap (and two line breaks) between them."""
    if a.source != "text" or b.source != "text" or not text:
        return False
    first, second = (a, b) if a.start <= b.start else (b, a)
    if second.start - first.end > BESIDE_CHARS:  # before slicing: a long text has many pairs
        return False
    between = text[first.end:second.start]
    return between.count("\n") <= 2


__all__ = ["compare_locations", "beside", "SAME_PLACE_MARGIN_M", "BESIDE_CHARS"]
