"""Locations compared with each other: the pairs meant to be one place, and a summary of the rest.

Two locations are "the same place" when their geodesic distance is within the sum of their
precisions plus :data:`SAME_PLACE_MARGIN_M`.

Only a pair that is *meant* to be one place — a plus code written beside another notation,
GeoConfirmed style (``44.326859, 131.668647 / 8MG9+PFR Sergeevka``) — is listed, with its
distance and a verdict that counts toward the report's. Every other pair is information, and
a text of many locations has many of them (15 pairs for 6 places, half a million for 1,000):
they are measured into one :class:`PairSummary` (how many, how many are the same place, the
closest and the farthest pair), so memory and output do not grow with the square of the
input. Which pairs a caller measures is its choice (the pipeline bounds them; see
:mod:`geoverify.pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from geoverify.geodesy import inverse
from geoverify.model import CONSISTENT, INCONSISTENT, Location

#: Two locations are "the same place" when their distance is within the sum of
#: their precisions plus this margin (metres).
SAME_PLACE_MARGIN_M = 10.0
#: Locations on the same line, or within this many characters, are "beside" each other.
BESIDE_CHARS = 80

SAME_PLACE_RULE = f"same place when the distance is within the sum of both precisions + {SAME_PLACE_MARGIN_M:g} m"


def compare_pair(text: str, a: Location, b: Location) -> dict:
    """The full comparison of two located locations (numbered 0 and 1 in ``locations``)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    d_km, az = inverse(a.lat, a.lon, b.lat, b.lon)
    limit_m = (a.precision_m or 0.0) + (b.precision_m or 0.0) + SAME_PLACE_MARGIN_M
    same = d_km * 1000.0 <= limit_m
    entry = {
        "locations": [0, 1],
        "texts": [a.text, b.text],
        "distance_km": round(d_km, 4),
        "distance_m": round(d_km * 1000.0, 1),
        "bearing_deg": round(az, 1),
        "same_place": same,
        "threshold_m": round(limit_m, 1),
        "rule": SAME_PLACE_RULE,
    }
    if expected_same(text, a, b):
        entry["verdict"] = CONSISTENT if same else INCONSISTENT
        entry["expected_same"] = True
        entry["why_expected"] = "a short plus code given beside decimal coordinates"
    return entry


@dataclass
class PairSummary:
    """Pairs of locations not meant to be one place, summed up as they are measured.

    ``measured`` counts the pairs measured, ``same_place`` those within the same-place
    threshold; ``closest`` and ``farthest`` are ``(distance_km, i, j)`` with the numbers of
    the two locations (``None`` until a pair is measured).
    """

    measured: int = 0
    same_place: int = 0
    closest: tuple[float, int, int] | None = None
    farthest: tuple[float, int, int] | None = None

    def add(self, i: int, j: int, a: Location, b: Location) -> None:
        self.add_many(j, b, [(i, a)])

    def add_many(self, j: int, b: Location, others: Sequence[tuple[int, Location]]) -> None:
        """Measure location ``b`` (numbered ``j``) against each ``(i, location)`` of ``others``
        (all located); one vectorised geodesic call."""
        if not others:
            return
        from geoverify.geodesy import geod

        n = len(others)
        lats = [o.lat for _, o in others]
        lons = [o.lon for _, o in others]
        _az, _back, dist_m = geod().inv(lons, lats, [b.lon] * n, [b.lat] * n)
        pb = b.precision_m or 0.0
        for (i, o), d in zip(others, dist_m):
            d = float(d)
            self.measured += 1
            if d <= (o.precision_m or 0.0) + pb + SAME_PLACE_MARGIN_M:
                self.same_place += 1
            km = d / 1000.0
            pair = (i, j) if i <= j else (j, i)
            if self.closest is None or km < self.closest[0]:
                self.closest = (km, *pair)
            if self.farthest is None or km > self.farthest[0]:
                self.farthest = (km, *pair)

    def to_dict(self, pairs: int | None = None, fix: Callable[[int], int] = lambda i: i, rule: str = "") -> dict:
        """The JSON summary (``other_pairs`` of a report).

        Parameters
        ----------
        pairs : int, optional
            How many pairs of located locations are not listed (default: those measured).
        fix : callable
            Gives the final number of a location numbered ``i`` while the report was made.
        rule : str
            Which pairs were measured.
        """

        def ends(item):
            if item is None:
                return None
            km, i, j = item
            a, b = sorted((fix(i), fix(j)))
            return {"locations": [a, b], "distance_km": round(km, 4)}

        out = {
            "pairs": self.measured if pairs is None else max(pairs, self.measured),
            "measured": self.measured,
            "same_place": self.same_place,
            "closest": ends(self.closest),
            "farthest": ends(self.farthest),
            "rule": rule or SAME_PLACE_RULE,
        }
        return out


def compare_locations(
    text: str,
    locations: Sequence[Location],
    summary: PairSummary | None = None,
    nearest: int | None = None,
    numbers: Sequence[int] | None = None,
) -> list[dict]:
    """The pairs of ``locations`` meant to be one place (each a full comparison); every other
    pair is measured into ``summary`` (when given).

    Each location is compared with at most ``nearest`` locations before it (all when
    ``None``). ``numbers`` are the locations' numbers in the report (default 0, 1, ...).
    """
    numbers = list(range(len(locations))) if numbers is None else list(numbers)
    listed: list[dict] = []
    for j, b in enumerate(locations):
        if not b.has_point:
            continue
        lo = 0 if nearest is None else max(0, j - nearest)
        listed.extend(compare_with(text, b, numbers[j], [(numbers[i], locations[i]) for i in range(lo, j)], summary))
    return listed


def compare_with(
    text: str, b: Location, j: int, previous: Iterable[tuple[int, Location]], summary: PairSummary | None
) -> list[dict]:
    """Compare ``b`` (numbered ``j``) with each ``(number, location)`` of ``previous``: full
    entries for the pairs meant to be one place, the rest measured into ``summary``."""
    listed: list[dict] = []
    rest: list[tuple[int, Location]] = []
    if not b.has_point:  # a short plus code that could not be placed
        return listed
    for i, a in previous:
        if not a.has_point:
            continue
        if expected_same(text, a, b):
            entry = compare_pair(text, a, b)
            entry["locations"] = [i, j]
            listed.append(entry)
        elif summary is not None:
            rest.append((i, a))
    if summary is not None:
        summary.add_many(j, b, rest)
    return listed


def expected_same(text: str, a: Location, b: Location) -> bool:
    """A plus code next to another notation of the same place (GeoConfirmed style)."""
    kinds = {a.kind, b.kind}
    if "pluscode-short" not in kinds and "pluscode" not in kinds:
        return False
    return beside(text, a, b)


_expected_same = expected_same  # the former private name


def beside(text: str, a: Location, b: Location) -> bool:
    """Two locations from the text with at most a short gap (and two line breaks) between them."""
    if a.source != "text" or b.source != "text" or not text:
        return False
    first, second = (a, b) if a.start <= b.start else (b, a)
    if second.start - first.end > BESIDE_CHARS:  # before slicing: a long text has many pairs
        return False
    between = text[first.end : second.start]
    return between.count("\n") <= 2


__all__ = [
    "compare_locations",
    "compare_with",
    "compare_pair",
    "expected_same",
    "beside",
    "PairSummary",
    "SAME_PLACE_MARGIN_M",
    "BESIDE_CHARS",
    "SAME_PLACE_RULE",
]
