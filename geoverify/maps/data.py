"""What a map needs from the boundary index and the gazetteer, behind one small interface.

:class:`MapData` asks the boundary index (:func:`geoverify.gazetteer.boundaries.get_boundaries`)
for the polygons and lines a map draws — countries and admin-1 regions in a
window for the basemap, the regions and borders that claims refer to, the
nearest points measured to — and the gazetteer for the places nearest a
point. Everything is read from the local index; nothing is fetched.

Every lookup that can fail for a reason of data (an id the index does not
know, a border that is not in it) answers ``None`` or an empty list, so a map
is still drawn — with that layer missing and a note saying so.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import box

from geoverify.errors import GeoverifyError

log = logging.getLogger(__name__)


@dataclass
class Region:
    """A polygon of the index: a country, an admin-1 region or a macro-region."""

    id: str
    name: str
    kind: str
    geometry: Any
    iso: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Measure:
    """A distance the boundary index measured from a point, with the nearest point of what it measured to.

    ``nearest`` is the nearest point of the region's edge (inside or outside it) or of the border line;
    both fields are None when the index could not measure.
    """

    distance_km: float | None = None
    nearest: tuple[float, float] | None = None


@dataclass(frozen=True)
class NearBorder:
    """One of the land borders nearest a point."""

    countries: tuple[str, ...]
    distance_km: float | None
    nearest: tuple[float, float] | None
    source: str | None

    @property
    def name(self) -> str:
        return "–".join(self.countries) + " border"


@dataclass(frozen=True)
class RegionRef:
    """A region containing a point: its id, name and kind (``country``, ``admin1``, ``region``, ``waters``)."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class MapPlace:
    """A populated place drawn for context (not a reference of any claim)."""

    id: str
    name: str
    lat: float
    lon: float
    population: int


@dataclass
class BorderLine:
    """A land border between two countries, from one boundary source."""

    countries: tuple[str, ...]
    geometry: Any
    source: str | None = None


def clip_to_window(geom, window, simplify: float = 0.0):
    """``geom`` clipped to the lon/lat ``window`` (w, s, e, n), handling windows past ±180°."""
    w, s, e, n = window
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        lo, hi = w + shift, e + shift
        if hi < -180.0 or lo > 180.0:
            continue
        gb = geom.bounds
        if gb[2] < lo or gb[0] > hi or gb[3] < s or gb[1] > n:
            continue
        part = shapely.clip_by_rect(geom, lo, s, hi, n)
        if part.is_empty:
            continue
        if shift:
            part = shapely.affinity.translate(part, xoff=-shift)
        pieces.append(part)
    if not pieces:
        return None
    out = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
    if simplify > 0:
        # Plain Douglas-Peucker: topology-preserving simplification costs seconds on a
        # 1:100m Russia, and a drawing does not need valid polygons.
        out = shapely.simplify(out, simplify, preserve_topology=False)
    return None if out.is_empty else out


class MapData:
    """Map-facing view of the boundary index.

    Parameters
    ----------
    boundaries : object, optional
        The boundary index (defaults to ``get_boundaries()``). Needs
        ``geometry(region_id)``; uses, when it has them,
        ``distance_to_region_km``, ``distance_to_border_km``, ``nearest_borders``,
        ``regions_containing`` and ``sources``. The basemap's countries,
        admin-1 regions and border lines are read from the index's ``regions``
        and ``borders`` tables (or the boundary object's own listing methods).
    """

    def __init__(self, boundaries=None):
        if boundaries is None:
            from geoverify.gazetteer.boundaries import get_boundaries

            boundaries = get_boundaries()
        self.boundaries = boundaries
        self._regions_cache: dict[str, list[Region]] = {}
        self._geom_cache: dict[str, Any] = {}
        self._decoded: dict[str, Any] = {}

    # ---------------------------------------------------------------- regions
    def region(self, region_id: str) -> Region | None:
        """The polygon of ``country:RU``, ``admin1:RU-PRI``, ``region:ru-far-east`` (or None)."""
        if region_id in self._geom_cache:
            return self._geom_cache[region_id]
        out = None
        try:
            geom = self.boundaries.geometry(region_id)
        except (GeoverifyError, KeyError, LookupError) as exc:
            log.debug("no geometry for %s: %s", region_id, exc)
            geom = None
        if geom is not None and not geom.is_empty:
            kind = region_id.split(":", 1)[0]
            name = self._region_name(region_id)
            out = Region(region_id, name, kind, geom, iso=region_id.split(":", 1)[-1] if kind == "country" else None)
        self._geom_cache[region_id] = out
        return out

    def _region_name(self, region_id: str) -> str:
        if self._lister() is not None:
            for kind in ("country", "admin1", "region"):
                for row in self._listed(kind):
                    if row.id == region_id:
                        return row.name
            return region_id.split(":", 1)[-1]
        conn = self._connection()
        if conn is not None:
            try:
                row = conn.execute("SELECT name FROM regions WHERE id = ?", (region_id,)).fetchone()
            except sqlite3.Error:
                row = None
            if row and row[0]:
                return row[0]
        return region_id.split(":", 1)[-1]

    def countries(self, window, simplify: float = 0.0) -> list[Region]:
        """Countries whose polygon reaches the lon/lat ``window`` (w, s, e, n), clipped to it."""
        return self._clipped("country", window, simplify)

    def admin1(self, window, simplify: float = 0.0) -> list[Region]:
        """First-level subdivisions reaching ``window``, clipped to it."""
        return self._clipped("admin1", window, simplify)

    def _clipped(self, kind: str, window, simplify: float) -> list[Region]:
        out = []
        for r in self._candidates(kind, window):
            g = clip_to_window(r.geometry, window, simplify)
            if g is not None:
                out.append(Region(r.id, r.name, r.kind, g, r.iso, r.source))
        return out

    def _lister(self):
        lister = getattr(self.boundaries, "map_regions", None)
        return lister if callable(lister) else None

    def _listed(self, kind: str) -> list[Region]:
        if kind not in self._regions_cache:
            self._regions_cache[kind] = [r if isinstance(r, Region) else Region(**r) for r in self._lister()(kind)]
        return self._regions_cache[kind]

    def _candidates(self, kind: str, window) -> list[Region]:
        """Regions of one kind whose bounding box meets ``window``: from the boundary object's own
        listing when it has one, else from the index's ``regions`` table (bounding-box query, so
        only the polygons near the map are read and decoded)."""
        if self._lister() is not None:
            return self._listed(kind)
        conn = self._connection()
        if conn is None:
            return []
        w, s, e, n = window
        found: dict[str, Region] = {}
        for shift in (-360.0, 0.0, 360.0):
            lo, hi = w + shift, e + shift
            if hi < -180.0 or lo > 180.0:
                continue
            try:
                rows = conn.execute(
                    "SELECT id, name, iso, source, geom FROM regions WHERE kind = ? "
                    "AND maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                    (kind, lo, hi, s, n),
                ).fetchall()
            except sqlite3.Error as exc:
                log.debug("regions query failed: %s", exc)
                return []
            for rid, name, iso, source, blob in rows:
                if rid in found or blob is None:
                    continue
                geom = self._decoded.get(rid)
                if geom is None:
                    geom = self._decoded[rid] = shapely.from_wkb(blob)
                found[rid] = Region(rid, name or rid, kind, geom, iso or rid.split(":", 1)[-1], source)
        return list(found.values())

    def _connection(self) -> sqlite3.Connection | None:
        conn = getattr(self.boundaries, "conn", None)
        if isinstance(conn, sqlite3.Connection):
            return conn
        path = getattr(self.boundaries, "path", None)
        if path is None:
            from geoverify import config

            path = config.index_path()
        try:
            return _open_readonly(str(path))
        except sqlite3.Error as exc:
            log.debug("cannot open %s: %s", path, exc)
            return None

    # ---------------------------------------------------------------- borders
    def border(self, a: str, b: str | None) -> BorderLine | None:
        """The primary source's line of the ``a``–``b`` border (``b`` None: all of ``a``'s land borders)."""
        getter = getattr(self.boundaries, "border_geometry", None)
        if callable(getter):
            try:
                res = getter(a, b)
            except GeoverifyError:
                return None
            if res is None:
                return None
            if isinstance(res, BorderLine):
                return res
            if isinstance(res, tuple):
                return BorderLine(tuple(c for c in (a, b) if c), res[0], self.cite(res[1]) if res[1] else None)
            return BorderLine(tuple(c for c in (a, b) if c), res, None)
        return self._border_from_index(a, b)

    def _border_from_index(self, a: str, b: str | None) -> BorderLine | None:
        conn = self._connection()
        if conn is None:
            return None
        try:
            cols = {r[1] for r in conn.execute("PRAGMA table_info(borders)")}
        except sqlite3.Error:
            return None
        if not cols:
            return None
        gcol = "geometry" if "geometry" in cols else "geom"
        primary = self._primary_border_source()
        if b:
            rows = conn.execute(
                f"SELECT {gcol}, source FROM borders WHERE (a=? AND b=?) OR (a=? AND b=?)", (a, b, b, a)
            ).fetchall()
        else:
            rows = conn.execute(f"SELECT {gcol}, source FROM borders WHERE a=? OR b=?", (a, a)).fetchall()
        if not rows:
            return None
        sources = [r[1] for r in rows]
        pick = primary if primary in sources else sources[0]
        geoms = [shapely.from_wkb(r[0]) for r in rows if r[1] == pick]
        return BorderLine(tuple(c for c in (a, b) if c), shapely.union_all(geoms), pick)

    def _primary_border_source(self) -> str | None:
        try:
            names = self.boundaries.border_sources()
        except (AttributeError, GeoverifyError):
            return None
        return names[0] if names else None

    # ---------------------------------------------------------------- measures
    def distance_to_region(self, region_id: str, lat: float, lon: float) -> Measure:
        """Distance from (lat, lon) to a region (0 inside) and the nearest point of its edge."""
        try:
            res = self.boundaries.distance_to_region_km(region_id, lat, lon)
        except (AttributeError, GeoverifyError) as exc:
            log.debug("distance to %s failed: %s", region_id, exc)
            return Measure()
        return _measure(res)

    def distance_to_border(self, a: str, b: str | None, lat: float, lon: float) -> Measure:
        """Distance from (lat, lon) to the a–b land border (``b`` None: any of a's) and its nearest point."""
        try:
            res = self.boundaries.distance_to_border_km(a, b, lat, lon)
        except (AttributeError, GeoverifyError) as exc:
            log.debug("distance to %s-%s border failed: %s", a, b, exc)
            return Measure()
        return _measure(res)

    def nearest_borders(self, lat: float, lon: float, k: int = 3) -> list[NearBorder]:
        try:
            found = list(self.boundaries.nearest_borders(lat, lon, k=k))
        except (AttributeError, GeoverifyError) as exc:
            log.debug("nearest borders failed: %s", exc)
            return []
        out = []
        for r in found:
            m = _measure(r)
            src = r.get("source")
            out.append(NearBorder(tuple(r.get("countries") or ()), m.distance_km, m.nearest, str(src) if src else None))
        return out

    def regions_containing(self, lat: float, lon: float) -> list[RegionRef]:
        """The regions (countries, admin-1 regions, macro-regions, territorial waters) holding the point."""
        try:
            found = list(self.boundaries.regions_containing(lat, lon))
        except (AttributeError, GeoverifyError) as exc:
            log.debug("regions containing failed: %s", exc)
            return []
        return [
            RegionRef(str(r["id"]), str(r.get("name") or r["id"]), str(r.get("kind") or ""))
            for r in found
            if r.get("id")
        ]

    # ---------------------------------------------------------------- places for context
    def places(self, window, limit: int = 60, min_population: int = 0) -> list[MapPlace]:
        """The most populous places in the lon/lat ``window`` (w, s, e, n), biggest first.

        From the boundary object's own ``map_places(window, limit)`` when it has one (tests),
        else from the gazetteer's ``places`` table and its R*-tree (populated places only).
        """
        lister = getattr(self.boundaries, "map_places", None)
        if callable(lister):
            return [p if isinstance(p, MapPlace) else MapPlace(**p) for p in lister(window, limit)]
        conn = self._connection()
        if conn is None:
            return []
        w, s, e, n = window
        found: dict[str, MapPlace] = {}
        for shift in (-360.0, 0.0, 360.0):
            lo, hi = max(w + shift, -180.0), min(e + shift, 180.0)
            if hi < lo:
                continue
            try:
                rows = conn.execute(
                    "SELECT p.id, p.name, p.lat, p.lon, COALESCE(p.population, 0) FROM places_rtree r "
                    "JOIN places p ON p.pk = r.pk WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? "
                    "AND r.min_lon <= ? AND p.kind = 'place' AND COALESCE(p.population, 0) >= ? "
                    "ORDER BY COALESCE(p.population, 0) DESC, p.id LIMIT ?",
                    (s, n, lo, hi, min_population, limit),
                ).fetchall()
            except sqlite3.Error as exc:
                log.debug("places query failed: %s", exc)
                return []
            for pid, name, lat, lon, pop in rows:
                if lat is not None and lon is not None:
                    found[pid] = MapPlace(pid, name, float(lat), float(lon) - shift, int(pop))
        return sorted(found.values(), key=lambda p: (-p.population, p.id))[:limit]

    def sources(self) -> list[str]:
        """Citations of the boundary data, as the index records them."""
        try:
            found = self.boundaries.sources()
        except AttributeError:
            found = self._sources_from_index()
        except GeoverifyError:
            return []
        out = []
        for s in found or []:
            if isinstance(s, dict):
                s = s.get("citation") or s.get("name") or s.get("key")
            if s and s not in out:
                out.append(str(s))
        return out

    def cite(self, source: str) -> str:
        """The citation of a boundary source key (``osm`` → its dataset and licence); others unchanged."""
        if not hasattr(self, "_keys"):
            self._keys = {}
            try:
                for d in self.boundaries.sources() or []:
                    if isinstance(d, dict) and d.get("key"):
                        self._keys[d["key"]] = d.get("citation") or d.get("name") or d["key"]
            except (AttributeError, GeoverifyError):
                pass
        return self._keys.get(source, source)

    def _sources_from_index(self) -> list[str]:
        conn = self._connection()
        if conn is None:
            return []
        try:
            rows = conn.execute("SELECT name, version, license, attribution FROM boundary_sources").fetchall()
        except sqlite3.Error:
            return []
        out = []
        for name, version, licence, attribution in rows:
            bits = [name + (f" {version}" if version else "")]
            if licence:
                bits.append(licence)
            text = ", ".join(bits)
            out.append(f"{text}: {attribution}" if attribution else text)
        return out


@lru_cache(maxsize=4)
def _open_readonly(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return conn


def nearest_places(lat: float, lon: float, k: int = 5) -> list[tuple[Any, float]]:
    """The ``k`` populated places nearest (lat, lon) from the gazetteer, with km (empty if no index)."""
    try:
        from geoverify.gazetteer import get_gazetteer

        return get_gazetteer().nearest_places(lat, lon, k=k)
    except (GeoverifyError, ImportError, AttributeError) as exc:
        log.debug("nearest places failed: %s", exc)
        return []


def _measure(res) -> Measure:
    if not res:
        return Measure()
    near = res.get("nearest")
    try:
        nearest = (float(near["lat"]), float(near["lon"])) if near else None
    except (KeyError, TypeError, ValueError):
        nearest = None
    d = res.get("distance_km")
    return Measure(None if d is None else float(d), nearest)


def window_box(window):
    w, s, e, n = window
    return box(w, s, e, n)
