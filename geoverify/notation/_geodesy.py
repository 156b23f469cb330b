"""Notation precision in metres on the WGS84 ellipsoid.

Precision of a written coordinate
---------------------------------
A coordinate written with a last digit worth ``dlat`` degrees of latitude and ``dlon``
degrees of longitude (one unit of the last decimal of degrees, minutes or seconds) stands
for any point within half a step of the value. In metres::

    lat_error = M(phi) * radians(dlat) / 2
    lon_error = N(phi) * cos(phi) * radians(dlon) / 2
    precision_m = max(lat_error, lon_error)

with the WGS84 radii of curvature (a = 6378137 m, f = 1/298.257223563, e² = f(2 - f))::

    M(phi) = a (1 - e²) / (1 - e² sin² phi)^(3/2)    (meridian)
    N(phi) = a / (1 - e² sin² phi)^(1/2)             (prime vertical)

``N cos phi`` is the exact radius of the parallel, so ``lon_error`` is the exact length
of that arc of the parallel; ``M dphi`` is the meridian arc to first order (relative
error below 1e-4 for steps up to 1 degree; the tests compare it with ``pyproj.Geod``).
The closed form keeps ``pyproj`` out of the interactive start-up path.

Plus codes use :func:`half_diagonal_m` instead: the largest geodesic distance
(``pyproj.Geod``) from the centre of the code area to one of its corners.
"""

from __future__ import annotations

import math
from functools import lru_cache

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


def meridional_radius(lat: float) -> float:
    """Radius of curvature of the meridian at ``lat`` (degrees), metres."""
    s = math.sin(math.radians(lat))
    return WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * s * s) ** 1.5


def prime_vertical_radius(lat: float) -> float:
    """Radius of curvature in the prime vertical at ``lat`` (degrees), metres."""
    s = math.sin(math.radians(lat))
    return WGS84_A / math.sqrt(1 - WGS84_E2 * s * s)


def half_step_m(lat: float, dlat: float, dlon: float) -> float:
    """The notation's uncertainty in metres: the larger of the half-steps in latitude
    (``dlat`` degrees) and longitude (``dlon`` degrees) at latitude ``lat``."""
    r = math.radians(lat)
    s = math.sin(r)
    w = 1 - WGS84_E2 * s * s
    lat_err = WGS84_A * (1 - WGS84_E2) / w**1.5 * math.radians(dlat) / 2  # meridional radius
    lon_err = WGS84_A / math.sqrt(w) * math.cos(r) * math.radians(dlon) / 2  # prime vertical radius
    return max(lat_err, abs(lon_err))


@lru_cache(maxsize=1)
def geod():
    """The WGS84 ``pyproj.Geod`` (imported on first use, without pyproj's package start-up:
    :func:`geoverify.geodesy.geod`)."""
    from geoverify.geodesy import geod as wgs84

    return wgs84()


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in metres on WGS84."""
    _, _, dist = geod().inv(lon1, lat1, lon2, lat2)
    return float(dist)


def half_diagonal_m(lat_lo: float, lon_lo: float, lat_hi: float, lon_hi: float) -> float:
    """Largest geodesic distance from the centre of a lat/lon box to its corners, metres."""
    clat = (lat_lo + lat_hi) / 2
    clon = (lon_lo + lon_hi) / 2
    corners_lat = [lat_lo, lat_lo, lat_hi, lat_hi]
    corners_lon = [lon_lo, lon_hi, lon_lo, lon_hi]
    _, _, dists = geod().inv([clon] * 4, [clat] * 4, corners_lon, corners_lat)
    return float(max(dists))
