"""Geodesy on the WGS84 ellipsoid: thin wrappers over :class:`pyproj.Geod`.

Every distance geoverify reports comes from here (or from the boundary index,
which uses the same ellipsoid). Degrees are never used as a distance.
"""

from __future__ import annotations

from functools import lru_cache

#: Compass points and their azimuths (degrees clockwise from true north).
COMPASS = {
    "N": 0.0,
    "NNE": 22.5,
    "NE": 45.0,
    "ENE": 67.5,
    "E": 90.0,
    "ESE": 112.5,
    "SE": 135.0,
    "SSE": 157.5,
    "S": 180.0,
    "SSW": 202.5,
    "SW": 225.0,
    "WSW": 247.5,
    "W": 270.0,
    "WNW": 292.5,
    "NW": 315.0,
    "NNW": 337.5,
}

#: Half-width of the bearing sector a direction word allows, in degrees.
#: "south of X" holds when the bearing from X lies within 180° ± 45°: the four
#: cardinal and four intercardinal words each cover a 90° sector (neighbours
#: overlap, as in speech: "north-east" is also "north" and "east"); the
#: 16-point words (NNE ...) cover 45° (± 22.5°).
SECTOR_HALF_WIDTH = {1: 45.0, 2: 45.0, 3: 22.5}

KM_PER_UNIT = {
    "km": 1.0,
    "m": 0.001,
    "mi": 1.609344,
    "nmi": 1.852,
}


@lru_cache(maxsize=1)
def geod():
    """The process-wide WGS84 :class:`pyproj.Geod` (the class itself, from ``pyproj.geod``).

    Imported without running ``pyproj/__init__`` first when nothing has imported pyproj yet
    (:func:`_pyproj_geod_class`): the package's start-up (network and CA set-up, the CRS and
    transformer modules, ``importlib.metadata``) costs ~40 ms of a cold ``where`` and nothing of
    it is needed to measure a geodesic.
    """
    return _pyproj_geod_class()(ellps="WGS84")


def _pyproj_geod_class():
    """:class:`pyproj.geod.Geod`, importing only ``pyproj.geod`` and what it imports.

    When ``pyproj`` is not imported yet, its package module is created from its spec and put in
    ``sys.modules`` with its ``__init__`` not yet run: submodules import normally (they need only
    the package's ``__path__``), and the first attribute the package itself is asked for
    (``pyproj.CRS``, ``from pyproj import Transformer``, ``pyproj.__version__``) runs the real
    ``__init__`` in that same module object (:pep:`562` ``__getattr__``), so any later user of
    pyproj sees the whole package. Same class, same C geodesic: identical numbers.
    """
    import sys

    if "pyproj" not in sys.modules:
        import importlib.util
        import threading

        spec = importlib.util.find_spec("pyproj")
        if spec is not None and spec.loader is not None and spec.submodule_search_locations is not None:
            module = importlib.util.module_from_spec(spec)
            lock = threading.RLock()
            state = {"loaded": False}

            def finish(name: str):
                with lock:
                    if not state["loaded"]:
                        state["loaded"] = True
                        module.__dict__.pop("__getattr__", None)
                        spec.loader.exec_module(module)  # type: ignore[union-attr]
                try:
                    return module.__dict__[name]
                except KeyError:
                    raise AttributeError(f"module 'pyproj' has no attribute {name!r}") from None

            module.__getattr__ = finish  # type: ignore[attr-defined]
            sys.modules.setdefault("pyproj", module)
    from pyproj.geod import Geod

    return Geod


def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Geodesic distance (km) and forward azimuth (degrees, 0-360) from point 1 to point 2."""
    az, _back, dist = geod().inv(lon1, lat1, lon2, lat2)
    return dist / 1000.0, az % 360.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in kilometres between two points."""
    return inverse(lat1, lon1, lat2, lon2)[0]


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing (degrees clockwise from true north, 0-360) from point 1 to point 2."""
    return inverse(lat1, lon1, lat2, lon2)[1]


def distance_to_segment_km(
    lat: float, lon: float, a: tuple[float, float], b: tuple[float, float], samples: int = 64
) -> tuple[float, float]:
    """Geodesic distance (km) from a point to the geodesic between ``a`` and ``b`` (each
    ``(lat, lon)``), and where along it the nearest point lies (0 at ``a``, 1 at ``b``).

    The geodesic is sampled at ``samples`` points and the best interval refined once more,
    so the error is below a thousandth of the segment's length.
    """
    g = geod()
    length = g.inv(a[1], a[0], b[1], b[0])[2]
    if length < 1.0:
        return distance_km(lat, lon, a[0], a[1]), 0.0

    def best_on(lo: float, hi: float, n: int) -> tuple[float, float]:
        fr = [lo + (hi - lo) * i / n for i in range(n + 1)]
        az = g.inv(a[1], a[0], b[1], b[0])[0]
        lons, lats, _ = g.fwd([a[1]] * len(fr), [a[0]] * len(fr), [az] * len(fr), [f * length for f in fr])
        d = g.inv([lon] * len(fr), [lat] * len(fr), lons, lats)[2]
        k = min(range(len(fr)), key=lambda i: d[i])
        return d[k] / 1000.0, fr[k]

    d, f = best_on(0.0, 1.0, samples)
    step = 1.0 / samples
    d, f = best_on(max(0.0, f - step), min(1.0, f + step), samples)
    return d, f


def angle_difference(a: float, b: float) -> float:
    """Smallest absolute difference between two azimuths, in degrees (0-180)."""
    d = abs(a - b) % 360.0
    return 360.0 - d if d > 180.0 else d


def compass_sector(direction: str) -> tuple[float, float]:
    """Centre azimuth and half-width of the sector a compass word allows.

    Parameters
    ----------
    direction : str
        A compass point such as ``"S"``, ``"NE"`` or ``"NNE"``.

    Returns
    -------
    (centre, half_width) : tuple of float
    """
    key = direction.upper()
    if key not in COMPASS:
        raise ValueError(f"unknown compass direction {direction!r}")
    return COMPASS[key], SECTOR_HALF_WIDTH[len(key)]


def compass_name(azimuth: float) -> str:
    """The 16-point compass name closest to an azimuth."""
    names = list(COMPASS)
    return names[int(((azimuth % 360.0) + 11.25) // 22.5) % 16]


def to_km(value: float, unit: str) -> float:
    """Convert a distance in ``km``, ``m``, ``mi`` or ``nmi`` to kilometres."""
    return value * KM_PER_UNIT[unit]
