"""Geodesic shapes for maps: circles, wedges, lines and buffers on the WGS84 ellipsoid.

Every shape is built from :func:`geoverify.geodesy.geod` (``Geod.fwd`` for
circles and wedges, ``Geod.npts`` for lines), never from degrees used as a
distance. Buffers of lines and polygons are computed in an azimuthal
equidistant projection centred on the point that matters (where the claim
was measured), so the buffer's edge is exact there and within a fraction of a
per cent across a regional map.

Geometries are shapely 2 objects in longitude/latitude (x = lon, y = lat).
Longitudes are kept continuous around a map's centre (see
:func:`unwrap_lon`), so a shape that crosses the antimeridian stays whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from geoverify.geodesy import geod

#: Vertices per full geodesic circle.
CIRCLE_VERTICES = 181
#: A buffered line or polygon is simplified first by this fraction of the buffer distance.
SIMPLIFY_FRACTION = 0.005


def unwrap_lon(lon, lon0: float):
    """Longitude(s) shifted by whole turns to lie within 180° of ``lon0`` (others untouched, exactly)."""
    lon = np.asarray(lon, dtype=float)
    d = lon - lon0
    return np.where(np.abs(d) <= 180.0, lon, lon0 + (d + 540.0) % 360.0 - 180.0)


def unwrap_geometry(geom, lon0: float):
    """A geometry whose every longitude lies within 180° of ``lon0``."""
    if geom is None or geom.is_empty:
        return geom

    def fix(coords):
        out = coords.copy()
        out[:, 0] = unwrap_lon(coords[:, 0], lon0)
        return out

    return shapely.transform(geom, fix)


@dataclass(frozen=True)
class LocalFrame:
    """An azimuthal equidistant projection centred on a point, in metres.

    Distances and azimuths from the centre are true; elsewhere the scale error
    is about (d / R)² / 6 — 0.1 % at 500 km. North is straight up at the
    centre.
    """

    lat0: float
    lon0: float
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def crs(self) -> str:
        return f"+proj=aeqd +lat_0={self.lat0:.9f} +lon_0={self.lon0:.9f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"

    @cached_property
    def _fwd(self):
        from pyproj import Transformer

        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @cached_property
    def _inv(self):
        from pyproj import Transformer

        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    def xy(self, lon, lat):
        """Project longitude/latitude (scalars or arrays) to x, y metres."""
        return self._fwd.transform(lon, lat)

    def lonlat(self, x, y):
        """Unproject x, y metres to longitude/latitude (longitudes unwrapped about the centre)."""
        lon, lat = self._inv.transform(x, y)
        return unwrap_lon(lon, self.lon0), np.asarray(lat, dtype=float)

    def forward(self, geom):
        """A lon/lat geometry in this frame's metres."""
        if geom is None or geom.is_empty:
            return geom

        def fwd(coords):
            x, y = self._fwd.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geom, fwd)

    def inverse(self, geom):
        """A geometry in this frame's metres back in lon/lat."""
        if geom is None or geom.is_empty:
            return geom

        def inv(coords):
            lon, lat = self.lonlat(coords[:, 0], coords[:, 1])
            return np.column_stack([lon, lat])

        return shapely.transform(geom, inv)

    def window(self, xmin: float, ymin: float, xmax: float, ymax: float, margin: float = 0.05):
        """The lon/lat box (unwrapped about the centre) covering a rectangle of this frame.

        The rectangle's edges are densified before unprojecting, so the box
        holds the whole rectangle; ``margin`` widens it by that fraction.
        Reaching a pole opens the box to every longitude.
        """
        n = 64
        xs = np.concatenate(
            [np.linspace(xmin, xmax, n), np.full(n, xmax), np.linspace(xmax, xmin, n), np.full(n, xmin)]
        )
        ys = np.concatenate(
            [np.full(n, ymin), np.linspace(ymin, ymax, n), np.full(n, ymax), np.linspace(ymax, ymin, n)]
        )
        lon, lat = self.lonlat(xs, ys)
        ok = np.isfinite(lon) & np.isfinite(lat)
        lon, lat = lon[ok], lat[ok]
        w, e, s, nn = lon.min(), lon.max(), lat.min(), lat.max()
        dw, dh = (e - w) * margin, (nn - s) * margin
        w, e, s, nn = w - dw, e + dw, max(-90.0, s - dh), min(90.0, nn + dh)
        # A pole inside the rectangle: every longitude.
        for pole in (90.0, -90.0):
            px, py = self.xy(self.lon0, pole)
            if xmin <= px <= xmax and ymin <= py <= ymax:
                w, e = self.lon0 - 180.0, self.lon0 + 180.0
                s, nn = (s, 90.0) if pole > 0 else (-90.0, nn)
        return w, s, e, nn


def geodesic_circle(lat: float, lon: float, radius_km: float, n: int = CIRCLE_VERTICES) -> Polygon:
    """The set of points at geodesic distance ``radius_km`` from (lat, lon), as a lon/lat polygon."""
    az = np.linspace(0.0, 360.0, n)
    lons, lats, _ = geod().fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1000.0))
    return Polygon(np.column_stack([unwrap_lon(lons, lon), lats]))


def geodesic_wedge(
    lat: float,
    lon: float,
    centre_deg: float,
    half_width_deg: float,
    outer_km: float,
    inner_km: float = 0.0,
    n: int = 91,
) -> Polygon:
    """The sector of bearings ``centre ± half_width`` from (lat, lon), between two geodesic radii.

    Each edge is a geodesic from the apex (a ray of constant initial azimuth),
    and the arcs are geodesic circles, so a point lies in the wedge exactly
    when its bearing and distance from the apex do.
    """
    az = np.linspace(centre_deg - half_width_deg, centre_deg + half_width_deg, n)
    lon0 = np.full(n, lon)
    lat0 = np.full(n, lat)
    olon, olat, _ = geod().fwd(lon0, lat0, az, np.full(n, outer_km * 1000.0))
    outer = np.column_stack([unwrap_lon(olon, lon), olat])
    # Radial edges, densified so they follow the geodesic on any projection.
    m = 24
    if inner_km > 0:
        ilon, ilat, _ = geod().fwd(lon0, lat0, az, np.full(n, inner_km * 1000.0))
        inner = np.column_stack([unwrap_lon(ilon, lon), ilat])[::-1]
        ring = np.vstack(
            [_ray(lat, lon, az[0], inner_km, outer_km, m), outer, _ray(lat, lon, az[-1], outer_km, inner_km, m), inner]
        )
    else:
        ring = np.vstack(
            [[[lon, lat]], _ray(lat, lon, az[0], 0.0, outer_km, m), outer, _ray(lat, lon, az[-1], outer_km, 0.0, m)]
        )
    return Polygon(ring)


def _ray(lat: float, lon: float, azimuth: float, from_km: float, to_km: float, n: int) -> np.ndarray:
    d = np.linspace(from_km, to_km, n) * 1000.0
    lons, lats, _ = geod().fwd(np.full(n, lon), np.full(n, lat), np.full(n, azimuth), d)
    return np.column_stack([unwrap_lon(lons, lon), lats])


def geodesic_line(lat1: float, lon1: float, lat2: float, lon2: float, step_km: float | None = None) -> LineString:
    """The geodesic from point 1 to point 2, densified with ``Geod.npts``."""
    _az, _baz, dist = geod().inv(lon1, lat1, lon2, lat2)
    if step_km is None:
        step_km = max(dist / 1000.0 / 64.0, 0.001)
    n = int(min(max(dist / 1000.0 / step_km, 0), 512))
    pts = [(lon1, lat1)]
    if n > 1:
        pts += geod().npts(lon1, lat1, lon2, lat2, n - 1)
    pts.append((lon2, lat2))
    arr = np.asarray(pts, dtype=float)
    arr[:, 0] = unwrap_lon(arr[:, 0], lon1)
    return LineString(arr)


def geodesic_midpoint(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """(lat, lon) halfway along the geodesic."""
    az, _baz, dist = geod().inv(lon1, lat1, lon2, lat2)
    lon, lat, _ = geod().fwd(lon1, lat1, az, dist / 2.0)
    return lat, float(unwrap_lon(lon, lon1))


def destination(lat: float, lon: float, azimuth: float, distance_km: float) -> tuple[float, float]:
    """(lat, lon) reached by going ``distance_km`` along ``azimuth`` from (lat, lon)."""
    lon2, lat2, _ = geod().fwd(lon, lat, azimuth, distance_km * 1000.0)
    return lat2, float(unwrap_lon(lon2, lon))


def geodesic_buffer(geom, distance_km: float, lat0: float, lon0: float, clip=None, resolution: int = 16):
    """A lon/lat geometry grown (or shrunk, for a negative distance) by ``distance_km``.

    Parameters
    ----------
    geom : shapely geometry
        Lon/lat point, line or polygon.
    distance_km : float
        Geodesic distance of the buffer's edge from ``geom``.
    lat0, lon0 : float
        Centre of the azimuthal equidistant projection the buffer is computed
        in: the point where the edge must be exact (the measured location).
    clip : shapely geometry, optional
        A lon/lat region to clip ``geom`` to first (grown by ``distance_km``),
        so only what can reach the map is buffered.
    """
    frame = LocalFrame(lat0, lon0)
    g = unwrap_geometry(geom, lon0)
    if clip is not None:
        g = shapely.clip_by_rect(g, *clip.bounds)
        if g.is_empty:
            return g
    projected = frame.forward(g)
    # Simplify the source first: its detail moves the buffer's edge by at most the tolerance,
    # 0.5 % of the buffer distance (1.7 km on a 346 km ring), and buffering a 1:100m
    # coastline vertex by vertex would cost seconds.
    projected = shapely.simplify(projected, abs(distance_km) * 1000.0 * SIMPLIFY_FRACTION, preserve_topology=False)
    if not projected.is_valid:
        projected = shapely.make_valid(projected)
    grown = projected.buffer(distance_km * 1000.0, quad_segs=resolution)
    # Densify so the buffer's arcs stay smooth when reprojected.
    grown = shapely.segmentize(grown, max(abs(distance_km) * 1000.0 / 40.0, 50.0))
    return frame.inverse(grown)


def bbox_of(geoms) -> tuple[float, float, float, float] | None:
    """Bounds (minx, miny, maxx, maxy) of several geometries, skipping empty ones."""
    bounds = [g.bounds for g in geoms if g is not None and not g.is_empty]
    if not bounds:
        return None
    arr = np.asarray(bounds)
    return arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()


def point(lat: float, lon: float) -> Point:
    return Point(lon, lat)


def rectangle(xmin, ymin, xmax, ymax) -> Polygon:
    return box(xmin, ymin, xmax, ymax)


def nice_length(target: float) -> float:
    """The 1-2-5 × 10ⁿ value not above ``target`` (for scale bars)."""
    if target <= 0:
        return 0.0
    exp = math.floor(math.log10(target))
    for m in (5.0, 2.0, 1.0):
        if m * 10**exp <= target:
            return m * 10**exp
    return 10**exp


def format_km(km: float | None) -> str:
    """A distance for a label: ``0.06 m``, ``350 m``, ``1.31 km``, ``35.1 km``, ``228 km``."""
    if km is None:
        return "?"
    km = abs(float(km))
    if km == 0:
        return "0 m"
    if km < 0.001:
        return f"{km * 1000.0:.2f} m"
    if km < 1.0:
        return f"{km * 1000.0:.0f} m"
    if km < 10.0:
        return f"{km:.2f} km"
    if km < 100.0:
        return f"{km:.1f} km"
    return f"{km:,.0f} km"
