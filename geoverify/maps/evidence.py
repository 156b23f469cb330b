"""What a map reads from a check's evidence and a report's comparisons: one function per fact.

The map code never indexes evidence itself; it asks this module ("how far was
it measured?", "what is the allowed threshold?", "was the location inside the
region?", "which border?"). Evidence is typed
(:class:`geoverify.checks.evidence.Evidence`, a frozen dataclass whose ``to_dict()``
is the JSON contract of ``docs/DESIGN.md``, section 3.4); a report read back from
JSON gives plain dicts. Every accessor accepts either shape: it reads a mapping by
key and an object by attribute of the same name.

Each accessor answers ``None`` (or an empty tuple) for a fact the evidence does
not hold, so a drawing code path never has to guard against missing keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LatLon = tuple[float, float]


# ---------------------------------------------------------------------------- access
def _get(obj: Any, key: str, default: Any = None) -> Any:
    """The value of ``key`` in evidence of either shape; ``default`` when absent or None.

    A plain dict (the JSON contract) is read by key; a typed object by attribute, then in its
    ``details`` mapping (figures only some checks have: a sector, a bearing's name), then by
    key if it is also a mapping.
    """
    if obj is None:
        return default
    if isinstance(obj, dict):
        value = obj.get(key)
    else:
        value = getattr(obj, key, None)
        if value is None:
            details = getattr(obj, "details", None)
            if isinstance(details, Mapping):
                value = details.get(key)
        if value is None and isinstance(obj, Mapping):
            value = obj.get(key)
    return default if value is None else value


def _has(obj: Any, key: str) -> bool:
    if isinstance(obj, dict):
        return key in obj
    return _get(obj, key) is not None


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def latlon(p: Any) -> LatLon | None:
    """(lat, lon) of a point given as ``{"lat": .., "lon": ..}`` (or an object with lat/lon); else None."""
    lat, lon = _float(_get(p, "lat")), _float(_get(p, "lon"))
    if lat is None or lon is None:
        return None
    return lat, lon


def as_dict(ev: Any) -> dict:
    """The evidence as the JSON contract's dict (for the page's "all evidence" table)."""
    if ev is None:
        return {}
    if isinstance(ev, dict):
        return ev
    to_dict = getattr(ev, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else dict(vars(ev))


# ---------------------------------------------------------------------------- what was measured
def measured_km(ev: Any) -> float | None:
    """The geodesic distance the check measured, km (0 inside a region)."""
    return _float(_get(ev, "distance_km"))


def threshold_km(ev: Any) -> float | None:
    """The largest distance the claim allows, km."""
    return _float(_get(ev, "threshold_km"))


def stated_km(ev: Any) -> float | None:
    """The distance the text states (``20 km north of X``), km."""
    return _float(_get(ev, "stated_km"))


def tolerance_km(ev: Any) -> float | None:
    """The tolerance around a stated distance, or a region's edge tolerance, km."""
    return _float(_get(ev, "tolerance_km"))


def is_region_test(ev: Any) -> bool:
    """True when the check asked "is the location inside this region?" (an in/within claim)."""
    return _has(ev, "inside")


def inside(ev: Any) -> bool | None:
    """Whether the location was inside the region (None: not a region test)."""
    if not is_region_test(ev):
        return None
    return bool(_get(ev, "inside", False))


def edge_distance_km(ev: Any) -> float | None:
    """Distance from the location to the region's edge, km (inside or outside)."""
    return _float(_get(ev, "distance_to_edge_km"))


@dataclass(frozen=True)
class Part:
    """A part of a region a claim names ("northern Donetsk Oblast") and whether it held."""

    word: str
    holds: bool | None


def part(ev: Any) -> Part | None:
    p = _get(ev, "part")
    if not p:
        return None
    holds = _get(p, "holds")
    return Part(str(_get(p, "word", "")), None if holds is None else bool(holds))


@dataclass(frozen=True)
class Sector:
    """The bearings a direction claim allows: ``centre ± half_width`` degrees from the reference."""

    direction: str
    centre_deg: float
    half_width_deg: float

    @property
    def low_deg(self) -> float:
        return (self.centre_deg - self.half_width_deg) % 360

    @property
    def high_deg(self) -> float:
        return (self.centre_deg + self.half_width_deg) % 360


def sector(ev: Any) -> Sector | None:
    s = _get(ev, "sector")
    if not s:
        return None
    return Sector(
        str(_get(s, "direction", "?")), float(_get(s, "centre_deg", 0.0)), float(_get(s, "half_width_deg", 0.0))
    )


def bearing_deg(ev: Any) -> float | None:
    return _float(_get(ev, "bearing_deg"))


def bearing_name(ev: Any) -> str | None:
    return _get(ev, "bearing_name")


def was_measured(ev: Any) -> bool:
    """True when there is something to draw: a distance, a sector or a region test."""
    return measured_km(ev) is not None or sector(ev) is not None or is_region_test(ev)


# ---------------------------------------------------------------------------- what it was measured against
def reference_name(ev: Any) -> str | None:
    """The reference's display name (``Bakhmut, Donetska oblast, UA (GeoNames 713174)``)."""
    ref = _get(ev, "reference")
    return None if ref is None else str(ref)


def reference_id(ev: Any) -> str:
    """The reference's id (``geonames:713174``, ``admin1:RU-PRI``, ``border:CN-RU``), or ``""``."""
    return str(_get(ev, "reference_id", "") or "")


#: Reference id prefixes that name an area (drawn as a polygon).
AREA_KINDS = ("country", "admin1", "region")


def reference_kind(ev: Any) -> str:
    """What the reference is, for drawing: ``border`` (a line), ``area`` (a polygon) or ``point``."""
    prefix = reference_id(ev).split(":", 1)[0] if reference_id(ev) else ""
    if prefix == "border":
        return "border"
    if prefix in AREA_KINDS:
        return "area"
    return "point"


def region_id(ev: Any) -> str | None:
    """The id of the region or country polygon the claim refers to (None for places and borders)."""
    rid = reference_id(ev)
    if rid and (is_region_test(ev) or reference_kind(ev) == "area"):
        return rid
    return None


def border_countries(ev: Any) -> tuple[str, ...]:
    """The ISO codes of a border reference (``border:CN-RU`` → ``("CN", "RU")``); empty for others."""
    rid = reference_id(ev)
    if not rid.startswith("border:"):
        return ()
    return tuple(c for c in rid.split(":", 1)[1].split("-") if c)


def reference_point(ev: Any) -> LatLon | None:
    """Where the point reference is: its recorded point, else the candidate with its id, else the first."""
    p = latlon(_get(ev, "reference_point"))
    if p is not None:
        return p
    cands = _get(ev, "candidates") or []
    rid = reference_id(ev)
    for c in cands:
        if rid and _get(c, "id") == rid and latlon(c):
            return latlon(c)
    return latlon(cands[0]) if cands else None


def nearest_point(ev: Any) -> LatLon | None:
    """The nearest point of the border or area the check measured to."""
    return latlon(_get(ev, "nearest_point"))


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    distance_km: float | None


def candidates(ev: Any) -> tuple[Candidate, ...]:
    """The gazetteer candidates the check considered (for the page's list)."""
    return tuple(
        Candidate(str(_get(c, "id", "")), str(_get(c, "name", "")), _float(_get(c, "distance_km")))
        for c in _get(ev, "candidates") or []
    )


@dataclass(frozen=True)
class SourceMeasure:
    """The same distance measured on another boundary source."""

    source: str
    distance_km: float | None


def other_sources(ev: Any) -> tuple[SourceMeasure, ...]:
    return tuple(
        SourceMeasure(str(_get(o, "source", "?")), _float(_get(o, "distance_km")))
        for o in _get(ev, "other_sources") or []
    )


# ---------------------------------------------------------------------------- how it was judged
def rule(ev: Any) -> str:
    return str(_get(ev, "rule", ""))


def reason(ev: Any) -> str:
    """Why a claim could not be checked (or extra words on its verdict)."""
    return str(_get(ev, "reason", ""))


def sources(ev: Any) -> list[str]:
    return [str(s) for s in _get(ev, "sources") or []]


def warnings(ev: Any) -> list[str]:
    return [str(w) for w in _get(ev, "warnings") or []]


def location_index(ev: Any) -> int | None:
    """The index in ``report.locations`` of the location the deciding check was made at."""
    i = _get(ev, "location")
    try:
        return None if i is None else int(i)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class OtherReading:
    """What another reading of the location (e.g. longitude first) made of the claim."""

    reading: str
    lat: float | None
    lon: float | None
    verdict: str
    distance_km: float | None


def other_readings(ev: Any) -> tuple[OtherReading, ...]:
    return tuple(
        OtherReading(
            str(_get(r, "reading", "?")),
            _float(_get(r, "lat")),
            _float(_get(r, "lon")),
            str(_get(r, "verdict", "?")),
            _float(_get(r, "distance_km")),
        )
        for r in _get(ev, "other_readings") or []
    )


# ---------------------------------------------------------------------------- a location's own reference
@dataclass(frozen=True)
class Recovered:
    """The place a short plus code (or another relative notation) was recovered from."""

    id: str
    name: str
    point: LatLon | None


def recovered_from(ref: Any) -> Recovered | None:
    """What :attr:`Location.reference` names (``{"id", "name", "lat", "lon"}``), or None."""
    if not ref:
        return None
    name = str(_get(ref, "name", "reference"))
    return Recovered(str(_get(ref, "id", name)), name, latlon(ref))


# ---------------------------------------------------------------------------- comparisons of locations
@dataclass(frozen=True)
class Comparison:
    """Two locations of a report compared: are they the same place?"""

    a: int
    b: int
    distance_km: float
    distance_m: float
    same_place: bool
    threshold_m: float
    rule: str
    verdict: str | None


def comparison(c: Any) -> Comparison:
    i, j = _get(c, "locations", (None, None))
    return Comparison(
        int(i),
        int(j),
        float(_get(c, "distance_km", 0.0)),
        float(_get(c, "distance_m", 0.0)),
        bool(_get(c, "same_place", False)),
        float(_get(c, "threshold_m", 0.0)),
        str(_get(c, "rule", "")),
        _get(c, "verdict"),
    )


__all__ = [
    "LatLon",
    "latlon",
    "as_dict",
    "measured_km",
    "threshold_km",
    "stated_km",
    "tolerance_km",
    "is_region_test",
    "inside",
    "edge_distance_km",
    "Part",
    "part",
    "Sector",
    "sector",
    "bearing_deg",
    "bearing_name",
    "was_measured",
    "reference_name",
    "reference_id",
    "reference_kind",
    "region_id",
    "border_countries",
    "reference_point",
    "nearest_point",
    "Candidate",
    "candidates",
    "SourceMeasure",
    "other_sources",
    "rule",
    "reason",
    "sources",
    "warnings",
    "location_index",
    "OtherReading",
    "other_readings",
    "Recovered",
    "recovered_from",
    "Comparison",
    "comparison",
]
