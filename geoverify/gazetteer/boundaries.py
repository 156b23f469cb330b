"""Countries, first-level regions, macro-regions and land borders of a point: ``where(lat, lon)``.

Reads the boundary tables of the index (built by
:mod:`geoverify.gazetteer.build.boundaries`). Nothing heavy happens at import:
:func:`get_boundaries` opens the index once per process; polygons are read
(``shapely.from_wkb``) and prepared only when a query needs them; the border
and edge indexes are built on first use.

Distances are geodesic on WGS84 (:mod:`geoverify.gazetteer.nearest`
explains the point-to-line method and its error bound: under 1 m within 50 km,
under ~2·10⁻⁵ of the distance beyond). Containment is exact against the stored
polygons; their accuracy is the data's: country borders ~100 m and coastlines
~1 km (OpenStreetMap), admin-1 and macro-region edges ~1 km (Natural Earth
1:10m) — near an edge use a tolerance (``contains(..., tolerance_km=...)``).

Example
-------
>>> w = where(44.326859, 131.668647)            # doctest: +SKIP
>>> w["country"]["iso"], w["admin1"]["iso"], w["borders"][0]["countries"]   # doctest: +SKIP
('RU', 'RU-PRI', ['CN', 'RU'])
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geoverify.errors import DataError, ParseError, ResolveError
from geoverify.gazetteer.areas import is_area_id

if TYPE_CHECKING:
    from geoverify.gazetteer.areas import AreaIndex
    from geoverify.gazetteer.places import PlaceIndex

#: Two countries' polygons that both contain a point within this distance of their
#: edges are the sources' border uncertainty, not a disputed area (km).
SLIVER_KM = 1.0
#: How many nearest borders and places ``where`` lists by default.
DEFAULT_BORDERS = 3
DEFAULT_PLACES = 5
#: Border lines are split into segments of at most this length for the nearest-point search (km).
MAX_SEGMENT_KM = 2.0
#: Per-region edge indexes kept between calls (vertices; ~40 bytes each).
EDGE_CACHE_VERTICES = 1_500_000
#: where_many measures edges against one all-countries (all-admin-1) index from this many points on.
GLOBAL_EDGE_MIN_POINTS = 200
#: ... and region edges (coasts, admin-1 edges) into segments of at most this length (km).
EDGE_SEGMENT_KM = 5.0
#: Points whose containing regions are kept (each a few small dicts).
REGIONS_MEMO_SIZE = 100_000
#: How much of the index file SQLite may memory-map (address space only; pages are the OS file cache's).
MMAP_BYTES = 1 << 30

_lock = threading.Lock()
_instance: Boundaries | None = None
_instance_key: Path | None = None


def get_boundaries() -> Boundaries:
    """The process-wide :class:`Boundaries` (opened on first use; reopened when
    :func:`geoverify.config.index_path` changes, e.g. ``GEOVERIFY_DATA_DIR`` in tests).

    Raises
    ------
    DataError
        When the index is missing, damaged or has no boundary tables (the message names the
        command to run).
    """
    global _instance, _instance_key
    from geoverify import config

    key = config.current_index_path()
    with _lock:
        if _instance is None or (_instance_key is not key and _instance_key != key):
            _instance = Boundaries()
            _instance_key = key
        return _instance


def reset_boundaries() -> None:
    """Forget the cached :class:`Boundaries` (after a rebuild)."""
    global _instance
    with _lock:
        _instance = None


def _trim_heap() -> None:
    """Give freed heap back to the OS after building a big index (glibc keeps it otherwise)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _check_point(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ParseError("coordinates must be numbers", f"{lat}, {lon}") from None
    if not np.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise ParseError(f"latitude {lat} out of range [-90, 90]")
    if not np.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise ParseError(f"longitude {lon} out of range [-180, 180]")
    return lat, lon


def _check_arrays(lats, lons) -> tuple[np.ndarray, np.ndarray]:
    lat = np.atleast_1d(np.asarray(lats, dtype=float))
    lon = np.atleast_1d(np.asarray(lons, dtype=float))
    if lat.shape != lon.shape or lat.ndim != 1:
        raise ParseError(f"latitudes and longitudes differ in shape: {lat.shape} vs {lon.shape}")
    bad = ~np.isfinite(lat) | (np.abs(lat) > 90) | ~np.isfinite(lon) | (np.abs(lon) > 180)
    if bad.any():
        i = int(np.nonzero(bad)[0][0])
        raise ParseError(f"point {i}: coordinates out of range or not finite", f"{lat[i]}, {lon[i]}")
    return lat, lon


def _serialised(method):
    """Run a public query under the instance's lock.

    GEOS prepared geometries build their point-in-polygon and distance indexes lazily on
    first use, and two threads doing that to one geometry at once corrupt the heap (``double
    free or corruption`` in ``shapely.contains_xy``); the geometry, edge and border caches
    are filled lazily too. One re-entrant lock per :class:`Boundaries` makes every query see
    them whole: threads get the same answers as one thread, one at a time.
    """

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


def _r(x, nd=3):
    x = float(x) if x is not None else None
    return None if x is None or not math.isfinite(x) else round(x, nd)


class Boundaries:
    """The boundary index: containment, distances to region edges and land borders.

    Parameters
    ----------
    path : path, optional
        The index file (default :func:`geoverify.config.index_path`).
    """

    def __init__(self, path: str | Path | None = None):
        from geoverify.gazetteer import integrity

        #: per point: its regions_containing answer, and the edge measured for each of those regions (region
        #: index -> (distance km, nearest edge lat, lon)), which contains() answers from
        self._regions_memo: OrderedDict[tuple[float, float], tuple[tuple, dict]] = OrderedDict()
        self._country_memo: dict[tuple[float, float], str | None] = {}
        # the same rule and the same check as the names half (once per process and file)
        self.path = integrity.select_index(path)
        self._lock = self._db_lock = threading.RLock()
        try:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            # read through a memory map: the regions table keeps its bounding boxes and props after the
            # polygon blobs, so listing them walks every blob's overflow pages (5,000 regions, ~45 MB):
            # 35-45 ms of a cold `where` with a read() per page, ~10 ms mapped. The build replaces the
            # file by a rename, never rewrites it in place, so a mapped file never shrinks under a reader.
            self.conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.Error as exc:
            raise DataError(
                f"gazetteer index at {self.path} is unreadable ({exc}): run `geoverify data build --force`"
            ) from None
        missing = {"regions", "borders", "boundary_sources"} - tables
        if missing:
            raise DataError(
                f"gazetteer index at {self.path} has no boundary tables ({', '.join(sorted(missing))}): "
                "run `geoverify data build --force`"
            )
        rows = self._q(
            "SELECT id, kind, name, country, iso, parent, source, minx, miny, maxx, maxy, props FROM regions"
        )
        self.ids = [r[0] for r in rows]
        self.pos = {rid: i for i, rid in enumerate(self.ids)}
        self.kind = np.array([r[1] for r in rows], dtype=object)
        self.name = [r[2] for r in rows]
        self.country = [r[3] for r in rows]
        self.iso = [r[4] for r in rows]
        self.parent = [r[5] for r in rows]
        self.source = [r[6] for r in rows]
        self.bbox = np.array([r[7:11] for r in rows], dtype=float).reshape(-1, 4)
        self._props_raw = [r[11] for r in rows]
        self._props: dict[int, dict] = {}
        self._geoms: dict[int, Any] = {}
        self._edges: dict[str, Any] = {}
        self._region_edges: OrderedDict[int, Any] = OrderedDict()
        self._region_edge_vertices = 0
        self._bbox_tree = None
        self._borders: dict[str, Any] = {}
        self._places: PlaceIndex | None = None
        self._areas: AreaIndex | None = None
        self._sources = {
            r[0]: {
                "key": r[0],
                "name": r[1],
                "version": r[2],
                "license": r[3],
                "attribution": r[4],
                "role": r[5],
                "file": r[6],
            }
            for r in self._q("SELECT key, name, version, license, attribution, role, file FROM boundary_sources")
        }
        meta = dict(self._q("SELECT key, value FROM boundary_meta")) if "boundary_meta" in tables else {}
        try:
            extra = json.loads(meta.get("sources") or "{}")
        except json.JSONDecodeError:
            extra = {}
        for key, s in self._sources.items():
            s["citation"] = (extra.get(key) or {}).get("citation") or f"{s['name']} {s['version'] or ''}".strip()
        self.border_source_keys = [
            s for s in ("osm", "naturalearth") if self._q("SELECT 1 FROM borders WHERE source=? LIMIT 1", (s,))
        ]
        self.country_names = {self.iso[i]: self.name[i] for i in range(len(self.ids)) if self.kind[i] == "country"}

    # ------------------------------------------------------------------ basics
    def _q(self, sql: str, args: Iterable = ()) -> list:
        with self._db_lock:
            try:
                return self.conn.execute(sql, tuple(args)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from None

    def _damaged(self, exc: BaseException) -> DataError:
        from geoverify.gazetteer.store import damaged

        return damaged(self.path, exc)

    def _from_wkb(self, blobs):
        import shapely

        try:
            return shapely.from_wkb(blobs)
        except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
            raise self._damaged(exc) from None

    def props(self, i: int) -> dict:
        if i not in self._props:
            raw = self._props_raw[i]
            self._props[i] = json.loads(raw) if raw else {}
        return self._props[i]

    def _index(self, region_id: str) -> int:
        rid = region_id.strip()
        if rid in self.pos:
            return self.pos[rid]
        # accept bare codes: "RU" -> country:RU, "RU-PRI" -> admin1:RU-PRI, "ru-far-east" -> region:...
        for guess in (f"country:{rid.upper()}", f"admin1:{rid.upper()}", f"region:{rid.lower()}"):
            if guess in self.pos:
                return self.pos[guess]
        raise ResolveError(
            f"no region {region_id!r} in the boundary index (ids look like country:RU, "
            "admin1:RU-PRI, region:ru-far-east)"
        )

    def _geom(self, i: int):
        g = self._geoms.get(i)
        if g is None:
            import shapely

            (blob,) = self._q("SELECT geom FROM regions WHERE id=?", (self.ids[i],))[0]
            g = self._from_wkb(blob)
            shapely.prepare(g)
            self._geoms[i] = g
        return g

    def _load_geoms(self, idx: Iterable[int]) -> None:
        import shapely

        need = [int(i) for i in idx if int(i) not in self._geoms]
        for s in range(0, len(need), 500):
            chunk = [self.ids[i] for i in need[s : s + 500]]
            rows = self._q(f"SELECT id, geom FROM regions WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            geoms = self._from_wkb([r[1] for r in rows])
            shapely.prepare(geoms)
            for (rid, _), g in zip(rows, geoms):
                self._geoms[self.pos[rid]] = g

    def _edge_index(self, i: int):
        """The edge index of one region, from a small cache bounded by :data:`EDGE_CACHE_VERTICES`."""
        e = self._region_edges.get(i)
        if e is not None:
            self._region_edges.move_to_end(i)
            return e
        import shapely

        from geoverify.gazetteer.nearest import PolylineIndex

        e = PolylineIndex([shapely.boundary(self._geom(i))], max_segment_km=EDGE_SEGMENT_KM)
        self._region_edges[i] = e
        self._region_edge_vertices += e.n
        while self._region_edge_vertices > EDGE_CACHE_VERTICES and len(self._region_edges) > 1:
            _, old = self._region_edges.popitem(last=False)
            self._region_edge_vertices -= old.n
        return e

    def _kind_edges(self, kind: str):
        """One index over the edges of every region of a kind (labels: region index)."""
        e = self._edges.get(kind)
        if e is None:
            import shapely

            from geoverify.gazetteer.nearest import PolylineIndex

            idx = [i for i in range(len(self.ids)) if self.kind[i] == kind]
            self._load_geoms(idx)
            e = PolylineIndex(
                shapely.boundary([self._geoms[i] for i in idx]), labels=idx, max_segment_km=EDGE_SEGMENT_KM
            )
            self._edges[kind] = e
            _trim_heap()
        return e

    def _tree(self):
        if self._bbox_tree is None:
            import shapely

            boxes = shapely.box(self.bbox[:, 0], self.bbox[:, 1], self.bbox[:, 2], self.bbox[:, 3])
            self._bbox_tree = shapely.STRtree(boxes)
        return self._bbox_tree

    def _border_set(self, source: str | None = None):
        """The :class:`LabelledLines` of one border source (default: the primary)."""
        src = source or (self.border_source_keys[0] if self.border_source_keys else None)
        if src not in self.border_source_keys:
            raise ResolveError(f"no border source {source!r}; available: {', '.join(self.border_source_keys)}")
        if src not in self._borders:
            from geoverify.gazetteer.nearest import LabelledLines

            rows = self._q("SELECT a, b, geom, length_km FROM borders WHERE source=? ORDER BY a, b", (src,))
            geoms = self._from_wkb([r[2] for r in rows])
            lines = LabelledLines(
                {(r[0], r[1]): g for r, g in zip(rows, geoms) if not g.is_empty},
                max_segment_km=MAX_SEGMENT_KM,
                skip_antimeridian=False,
            )
            lines.length_km = {(r[0], r[1]): r[3] for r in rows}
            lines.pos = {key: i for i, key in enumerate(lines.keys)}
            self._borders[src] = lines
        return self._borders[src]

    def areas(self):
        """The :class:`~geoverify.gazetteer.areas.AreaIndex` (districts, councils, counties...) of this index."""
        if self._areas is None:
            from geoverify.gazetteer.areas import AreaIndex

            self._areas = AreaIndex(self.conn, self._db_lock)
        return self._areas

    @_serialised
    def places(self):
        if self._places is None:
            from geoverify.gazetteer.places import PlaceIndex

            tables = {r[0] for r in self._q("SELECT name FROM sqlite_master WHERE type='table'")}
            self._places = PlaceIndex(self.conn, self._db_lock) if "places" in tables else None
        return self._places

    # ------------------------------------------------------------------ listings
    def region_ids(self, kind: str | None = None) -> list[str]:
        """Every region id (``country:RU``...), or those of one kind (country, waters, admin1, region)."""
        return [rid for rid, k in zip(self.ids, self.kind) if kind is None or k == kind]

    @_serialised
    def region_info(self, region_id: str) -> dict:
        """id, kind, name, country, iso, parent, source, props (aliases, notes, members...).

        For a district, council or county (``admin2:...``, ``admin3:...``) also ``unit``,
        ``vintage`` and ``parents`` (see :meth:`AreaIndex.info`)."""
        if is_area_id(region_id):
            return self.areas().info(region_id)
        i = self._index(region_id)
        out = {
            "id": self.ids[i],
            "kind": self.kind[i],
            "name": self.name[i],
            "country": self.country[i],
            "iso": self.iso[i],
            "parent": self.parent[i],
            "source": self.source[i],
            **self.props(i),
        }
        if self.kind[i] == "region":
            out["members"] = [
                r[0]
                for r in self._q(
                    "SELECT member_id FROM region_members WHERE region_id=? ORDER BY member_id", (self.ids[i],)
                )
            ]
        return out

    @_serialised
    def geometry(self, region_id: str):
        """The shapely (Multi)Polygon of a region (lon/lat WGS84)."""
        if is_area_id(region_id):
            return self.areas().geometry(region_id)
        return self._geom(self._index(region_id))

    def area_bounds(self, region_id: str) -> tuple[float, float, float, float] | None:
        """``(minx, miny, maxx, maxy)`` of a district or council (``admin2:``/``admin3:`` ids) without
        reading its geometry; None for other regions."""
        if is_area_id(region_id) and self.areas().available:
            return self.areas().bounds(region_id)
        return None

    @_serialised
    def border_geometry(self, a: str, b: str | None = None, source: str | None = None):
        """``(geometry, source)`` of the a–b land border (``b`` None: all of a's land borders)."""
        lines = self._border_set(source)
        keys = self._border_keys(lines, a, b)
        import shapely

        geom = shapely.union_all([lines.geoms[lines.pos[k]] for k in keys])
        return geom, source or self.border_source_keys[0]

    def sources(self) -> list[dict]:
        """The datasets behind the boundary tables (name, version, licence, attribution, citation)."""
        return list(self._sources.values())

    def border_sources(self) -> list[str]:
        """Border source keys, the primary (``osm``) first."""
        return list(self.border_source_keys)

    def region_source(self, region_id: str) -> str:
        """Citation of the dataset a region's polygon comes from."""
        if is_area_id(region_id):
            return self.areas().source(region_id)
        i = self._index(region_id)
        s = self._sources.get(self.source[i])
        return s["citation"] if s else self.source[i]

    # ------------------------------------------------------------------ containment
    def _containing(self, lat: np.ndarray, lon: np.ndarray, kinds=None) -> tuple[np.ndarray, np.ndarray]:
        """(point index, region index) pairs of every region containing each point."""
        import shapely

        from geoverify.gazetteer.nearest import unique_ints

        lat = np.clip(lat, -90.0 + 1e-9, 90.0 - 1e-9)  # a pole is a polygon's edge; nudge it inside
        pts = shapely.points(lon, lat)
        pi, ri = self._tree().query(pts)
        if kinds is not None:
            keep = np.isin(self.kind[ri], list(kinds))
            pi, ri = pi[keep], ri[keep]
        if len(ri) == 0:
            return pi, ri
        self._load_geoms(unique_ints(ri))
        inside = np.zeros(len(pi), dtype=bool)
        order = np.argsort(ri, kind="stable")
        pi, ri = pi[order], ri[order]
        starts = np.flatnonzero(np.r_[True, ri[1:] != ri[:-1]])
        ends = np.r_[starts[1:], len(ri)]
        for s, e in zip(starts, ends):
            g = self._geoms[int(ri[s])]
            inside[s:e] = shapely.contains_xy(g, lon[pi[s:e]], lat[pi[s:e]])
        pi, ri = pi[inside], ri[inside]
        order = np.lexsort((ri, pi))
        return pi[order], ri[order]

    def _countries_containing(self, lat: float, lon: float) -> list[int]:
        """``_containing`` of one point for the countries only, in plain Python (the region indices,
        ascending): numpy's bookkeeping cost more than the test itself for the one point of a check."""
        import shapely

        la = min(max(lat, -90.0 + 1e-9), 90.0 - 1e-9)  # as _containing's clip
        kind = self.kind
        found = sorted(int(r) for r in self._tree().query(shapely.Point(lon, la)) if kind[r] == "country")
        if not found:
            return found
        self._load_geoms(found)
        geoms = self._geoms
        return [r for r in found if shapely.contains_xy(geoms[r], lon, la)]

    def _edge_distances(self, pi: np.ndarray, ri: np.ndarray, lat: np.ndarray, lon: np.ndarray):
        """Geodesic distance (km) and nearest point from each point to its paired region's edge.

        A point inside exactly one country (admin-1, waters polygon) is measured against the edges of
        all regions of that kind at once: the nearest edge point of any of them is on its own
        region's edge, since reaching another region's edge means crossing its own first.
        """
        d = np.full(len(pi), np.nan)
        nla = np.full(len(pi), np.nan)
        nlo = np.full(len(pi), np.nan)
        if len(pi) == 0:
            return d, nla, nlo
        kinds = self.kind[ri]
        per_region = np.ones(len(pi), dtype=bool)
        # few points: one small index per region beats building the all-regions index
        kinds_global = ("country", "admin1", "waters") if len(lat) >= GLOBAL_EDGE_MIN_POINTS else ()
        for kind in kinds_global:
            sel = np.nonzero(kinds == kind)[0]
            if len(sel) == 0:
                continue
            counts = np.bincount(pi[sel], minlength=len(lat))
            single = sel[counts[pi[sel]] == 1]
            if len(single):
                res = self._kind_edges(kind).query(lat[pi[single]], lon[pi[single]])
                d[single], nla[single], nlo[single] = res["distance_km"], res["lat"], res["lon"]
                per_region[single] = False
                if kind != "admin1":
                    # neighbouring OSM countries were simplified separately: where the nearest edge is the
                    # neighbour's (up to ~200 m off), measure the region's own edge instead
                    per_region[single[res["label"] != ri[single]]] = True
        todo = np.nonzero(per_region)[0]
        if len(todo) == 0:
            return d, nla, nlo
        order = todo[np.argsort(ri[todo], kind="stable")]
        sri = ri[order]
        starts = np.flatnonzero(np.r_[True, sri[1:] != sri[:-1]])
        ends = np.r_[starts[1:], len(sri)]
        for s, e in zip(starts, ends):
            sel = order[s:e]
            res = self._edge_index(int(sri[s])).query(lat[pi[sel]], lon[pi[sel]])
            d[sel], nla[sel], nlo[sel] = res["distance_km"], res["lat"], res["lon"]
        return d, nla, nlo

    @_serialised
    def regions_containing(self, lat: float, lon: float) -> list[dict]:
        """Every country, admin-1 and macro-region polygon containing the point.

        Returns
        -------
        list of dict
            ``{"id", "kind", "name", "iso", "country", "distance_to_edge_km", "source"}``:
            countries first, then admin-1, then macro-regions; ``waters:XX`` (a
            country's land + inland water + territorial sea) last.
        """
        lat, lon = _check_point(lat, lon)
        hit = self._regions_memo.get((lat, lon))
        if hit is None:
            la, lo = np.array([lat]), np.array([lon])
            pi, ri = self._containing(la, lo)
            hit = self._remember_regions(lat, lon, ri, *self._edge_distances(pi, ri, la, lo))
        return [dict(x) for x in hit[0]]

    def _remember_regions(self, lat: float, lon: float, ri, d, near_lat, near_lon) -> tuple[tuple, dict]:
        rank = {"country": 0, "admin1": 1, "region": 2, "waters": 3}
        out = [self._region_dict(int(r), dist) for r, dist in zip(ri, d)]
        out.sort(key=lambda x: (rank.get(x["kind"], 9), -(x["distance_to_edge_km"] or 0)))
        edges = {int(r): (float(e), float(a), float(b)) for r, e, a, b in zip(ri, d, near_lat, near_lon)}
        memo = self._regions_memo
        memo[(lat, lon)] = hit = (tuple(out), edges)
        if len(memo) > REGIONS_MEMO_SIZE:
            memo.popitem(last=False)
        return hit

    @_serialised
    def country_at(self, lat: float, lon: float) -> str | None:
        """ISO code of the country the point is in: the first country of
        :meth:`regions_containing` (the one it is deepest inside where the sources' slivers
        overlap), found by containment alone unless two countries contain the point (edge
        distances cost a hundred times more than the containment test)."""
        lat, lon = _check_point(lat, lon)
        hit = self._regions_memo.get((lat, lon))
        if hit is None:
            if (lat, lon) in self._country_memo:
                return self._country_memo[(lat, lon)]
            ri = self._countries_containing(lat, lon)
            if len(ri) <= 1:
                iso = None if len(ri) == 0 else (self.iso[int(ri[0])] or self.country[int(ri[0])])
                if len(self._country_memo) > REGIONS_MEMO_SIZE:
                    self._country_memo.clear()
                self._country_memo[(lat, lon)] = iso
                return iso
            regions = self.regions_containing(lat, lon)
        else:
            regions = hit[0]
        for region in regions:
            if region.get("kind") == "country":
                return region.get("iso") or region.get("country")
        return None

    @_serialised
    def prefetch_regions(self, lats, lons) -> None:
        """Work out :meth:`regions_containing` for many points at once (one tree query, one
        edge query per region for all its points) and keep the answers, so the per-point
        calls that follow (a batch chunk's rows) are look-ups. Same answers as the per-point
        call: groups stay below :data:`GLOBAL_EDGE_MIN_POINTS`, so edges are measured per region."""
        todo = []
        for la, lo in zip(lats, lons):
            try:
                p = _check_point(la, lo)
            except ParseError:
                continue
            if p not in self._regions_memo and p not in todo:
                todo.append(p)
        step = GLOBAL_EDGE_MIN_POINTS - 1
        for k in range(0, len(todo), step):
            part = todo[k : k + step]
            la = np.array([p[0] for p in part])
            lo = np.array([p[1] for p in part])
            pi, ri = self._containing(la, lo)
            d, near_lat, near_lon = self._edge_distances(pi, ri, la, lo)
            for j, (plat, plon) in enumerate(part):
                sel = pi == j
                self._remember_regions(plat, plon, ri[sel], d[sel], near_lat[sel], near_lon[sel])

    def _region_dict(self, i: int, edge_km: float | None = None) -> dict:
        out = {
            "id": self.ids[i],
            "kind": self.kind[i],
            "name": self.name[i],
            "iso": self.iso[i],
            "country": self.country[i],
            "source": self.source[i],
        }
        if edge_km is not None:
            out["distance_to_edge_km"] = _r(edge_km)
        return out

    @_serialised
    def contains(self, region_id: str, lat: float, lon: float, tolerance_km: float = 0.0) -> dict:
        """Is the point inside the region (or within ``tolerance_km`` of its edge)?

        Returns
        -------
        dict
            ``{"inside", "strictly_inside", "distance_to_edge_km", "tolerance_km", "region", "source"}``;
            ``inside`` is True inside the polygon or outside it by at most ``tolerance_km``.
        """
        lat, lon = _check_point(lat, lon)
        if is_area_id(region_id):
            return self.areas().contains(region_id, lat, lon, tolerance_km)
        import shapely

        i = self._index(region_id)
        known = self._regions_memo.get((lat, lon))
        if known is not None and i in known[1]:
            # a region found containing the point (regions_containing, prefetch_regions), its edge measured
            # then by the same query
            strict, (edge, near_lat, near_lon) = True, known[1][i]
        else:
            strict = bool(shapely.contains_xy(self._geom(i), lon, min(max(lat, -90.0 + 1e-9), 90.0 - 1e-9)))
            res = self._edge_index(i).query([lat], [lon])
            edge, near_lat, near_lon = float(res["distance_km"][0]), res["lat"][0], res["lon"][0]
        inside = strict or edge <= tolerance_km
        return {
            "inside": inside,
            "strictly_inside": strict,
            "distance_to_edge_km": _r(edge),
            "tolerance_km": tolerance_km,
            "region": self.ids[i],
            "name": self.name[i],
            "source": self.region_source(self.ids[i]),
            "nearest_edge": {"lat": _r(near_lat, 6), "lon": _r(near_lon, 6)},
        }

    @_serialised
    def distance_to_region_km(self, region_id: str, lat: float, lon: float) -> dict:
        """Geodesic distance from the point to the region (0 inside).

        Returns
        -------
        dict
            ``{"distance_km", "inside", "distance_to_edge_km", "nearest": {"lat", "lon"}, "region", "source"}``
            — ``nearest`` is the nearest point of the region's edge.
        """
        c = self.contains(region_id, lat, lon)
        return {
            "distance_km": 0.0 if c["strictly_inside"] else c["distance_to_edge_km"],
            "inside": c["strictly_inside"],
            "distance_to_edge_km": c["distance_to_edge_km"],
            "nearest": c["nearest_edge"],
            "region": c["region"],
            "name": c["name"],
            "source": c["source"],
        }

    @_serialised
    def units_near(
        self,
        lat: float,
        lon: float,
        within_km: float = 0.0,
        kinds: Sequence[str] = ("admin1", "admin2", "admin3"),
        country: str | None = None,
    ) -> list[dict]:
        """The administrative units containing a point, or within ``within_km`` of it.

        Parameters
        ----------
        lat, lon : float
            WGS84 degrees.
        within_km : float
            0: the units containing the point; otherwise also units whose edge is at most
            this far (geodesic), e.g. a source's measured error (:mod:`geoverify.thresholds`).
        kinds : sequence of str
            Any of ``admin1`` (first-level regions), ``admin2`` (districts, raions of both
            Ukrainian vintages, counties, sub-prefectures), ``admin3`` (councils, hromadas,
            communes, municipalities).
        country : str, optional
            Only units of this country (ISO alpha-2).

        Returns
        -------
        list of dict
            ``{"id", "kind", "name", "country", "inside", "distance_km", "distance_to_edge_km",
            "source"}`` (districts also ``unit``, ``vintage``, ``admin1``, ``parent``), inside first,
            then by kind (admin1, admin2, admin3) and distance.
        """
        lat, lon = _check_point(lat, lon)
        out: list[dict] = []
        if "admin1" in kinds:
            import shapely

            within = max(0.0, float(within_km))
            dlat = within / 110.574 + 1e-9
            dlon = within / max(111.32 * np.cos(np.radians(min(89.0, abs(lat) + dlat))), 1e-3) + 1e-9
            box = shapely.box(lon - dlon, max(-90.0, lat - dlat), lon + dlon, min(90.0, lat + dlat))
            for i in sorted(int(x) for x in self._tree().query(box)):
                if self.kind[i] != "admin1" or (country and self.country[i] != country):
                    continue
                c = self.contains(self.ids[i], lat, lon)
                d = 0.0 if c["strictly_inside"] else c["distance_to_edge_km"]
                if c["strictly_inside"] or (d is not None and d <= within):
                    out.append(
                        {
                            "id": self.ids[i],
                            "kind": "admin1",
                            "name": self.name[i],
                            "iso": self.iso[i],
                            "country": self.country[i],
                            "inside": c["strictly_inside"],
                            "distance_km": d,
                            "distance_to_edge_km": c["distance_to_edge_km"],
                            "source": c["source"],
                        }
                    )
        fine = [k for k in kinds if k in ("admin2", "admin3")]
        if fine:
            out += self.areas().near(lat, lon, within_km, fine, country)
        rank = {"admin1": 0, "admin2": 1, "admin3": 2}
        out.sort(key=lambda d: (not d["inside"], rank.get(d["kind"], 9), d["distance_km"] or 0.0, d["id"]))
        return out

    @_serialised
    def overlap(self, inner_id: str, outer_id: str, tolerance_km: float = 0.0) -> float:
        """The share (0-1) of region ``inner_id``'s area that lies inside region ``outer_id``, or
        within ``tolerance_km`` of it (the outer polygon's measured accuracy).

        Works for any two ids (countries, admin-1, districts, councils, hromadas): "is the council
        Pisky is the seat of in Yasynuvata raion?" is ``overlap(council_id, raion_id)``. Areas are
        compared in degrees, which is exact enough for a share of two nearby polygons; the
        tolerance is taken as degrees of latitude (a little less than ``tolerance_km`` east-west).
        """
        import shapely

        a, b = self.geometry(inner_id), self.geometry(outer_id)
        if tolerance_km > 0:
            # only the part of the outer polygon near the inner one matters: clip, then widen
            pad = tolerance_km / 111.32
            minx, miny, maxx, maxy = shapely.bounds(a)
            b = shapely.buffer(
                shapely.clip_by_rect(b, minx - 2 * pad, miny - 2 * pad, maxx + 2 * pad, maxy + 2 * pad), pad
            )
        total = shapely.area(a)
        if total <= 0:
            return 0.0
        return float(min(1.0, shapely.area(shapely.intersection(a, b)) / total))

    # ------------------------------------------------------------------ borders
    def _code(self, code: str | None) -> str | None:
        if code is None:
            return None
        c = code.strip().upper()
        c = c.removeprefix("COUNTRY:")
        if len(c) != 2 or not c.isalpha():
            raise ResolveError(f"expected an ISO 3166-1 alpha-2 country code, got {code!r}")
        return c

    def _border_keys(self, lines, a: str, b: str | None) -> list[tuple[str, str]]:
        a = self._code(a) or a
        b = self._code(b)
        if b is not None:
            key = (a, b) if a <= b else (b, a)
            if key not in lines.pos:
                src = self._sources.get(self._source_of(lines), {}).get("citation", "")
                raise ResolveError(f"{a} and {b} share no land border in the boundary data ({src})")
            return [key]
        keys = [k for k in lines.keys if a in k]
        if not keys:
            raise ResolveError(f"{a} shares no land border with any country in the boundary data")
        return keys

    def _source_of(self, lines) -> str:
        for k, v in self._borders.items():
            if v is lines:
                return k
        return "?"

    @_serialised
    def distance_to_border_km(self, a: str, b: str | None, lat: float, lon: float, source: str | None = None) -> dict:
        """Geodesic distance from the point to the a–b land border (``b`` None: a's nearest land border).

        Returns
        -------
        dict
            ``{"distance_km", "nearest": {"lat", "lon"}, "countries": [a, b], "source", "citation",
            "length_km"}``.

        Raises
        ------
        ResolveError
            When a and b share no land border in that source (the message says "share no land border").
        """
        lat, lon = _check_point(lat, lon)
        src = source or (self.border_source_keys[0] if self.border_source_keys else None)
        lines = self._border_set(src)
        keys = self._border_keys(lines, a, b)
        best: tuple[float, tuple[str, str], float, float] | None = None
        for key in keys:
            res = lines.measure(lines.pos[key], [lat], [lon])
            d = float(res["distance_km"][0])
            if best is None or d < best[0]:
                best = (d, key, float(res["lat"][0]), float(res["lon"][0]))
        assert best is not None  # _border_keys raises rather than return no key
        d, key, nla, nlo = best
        return {
            "distance_km": _r(d),
            "nearest": {"lat": _r(nla, 6), "lon": _r(nlo, 6)},
            "countries": list(key),
            "source": src,
            "citation": self._sources[src]["citation"],
            "length_km": _r(lines.length_km.get(key), 1),
        }

    @_serialised
    def nearest_borders(
        self, lat: float, lon: float, k: int = DEFAULT_BORDERS, source: str | None = None
    ) -> list[dict]:
        """The ``k`` nearest land borders: ``[{"countries", "distance_km", "nearest", "source", "length_km"}]``."""
        lat, lon = _check_point(lat, lon)
        return self._nearest_borders_many(np.array([lat]), np.array([lon]), k, source)[0]

    def _nearest_borders_many(self, lat, lon, k, source=None, compare=True) -> list[list[dict]]:
        src = source or (self.border_source_keys[0] if self.border_source_keys else None)
        if src is None:
            return [[] for _ in lat]
        lines = self._border_set(src)
        found = lines.nearest(lat, lon, k=k)
        length = [_r(lines.length_km.get(key), 1) for key in lines.keys]
        out = [
            [
                {
                    "countries": list(lines.keys[li]),
                    "distance_km": round(d, 3),
                    "nearest": {"lat": round(a, 6), "lon": round(o, 6)},
                    "source": src,
                    "length_km": length[li],
                }
                for li, d, a, o in row
            ]
            for row in found
        ]
        others = [s for s in self.border_source_keys if s != src] if compare else []
        for other in others:
            olines = self._border_set(other)
            pairs: dict[tuple, list[tuple[int, int]]] = {}
            for pi, row in enumerate(out):
                for bi, b in enumerate(row[:1]):  # the nearest border only: the one a verdict rests on
                    pairs.setdefault(tuple(b["countries"]), []).append((pi, bi))
            for key, where_ in pairs.items():
                if key not in olines.pos:
                    for pi, bi in where_:
                        out[pi][bi].setdefault("other_sources", []).append(
                            {"source": other, "distance_km": None, "note": "no such land border in this source"}
                        )
                    continue
                rows = np.array([w[0] for w in where_])
                res = olines.measure(olines.pos[key], lat[rows], lon[rows])
                for (pi, bi), d in zip(where_, res["distance_km"]):
                    out[pi][bi].setdefault("other_sources", []).append({"source": other, "distance_km": _r(d)})
        return out

    # ------------------------------------------------------------------ where
    @_serialised
    def where_many(
        self, lats, lons, k_borders: int = DEFAULT_BORDERS, k_places: int = DEFAULT_PLACES, layers: bool = False
    ) -> list[dict]:
        """:meth:`where` for many points at once (vectorised; the scalar call's output with the same
        ``layers``: off by default here, since districts and airports are looked up point by point)."""
        lat, lon = _check_arrays(lats, lons)
        n = len(lat)
        pi, ri = self._containing(lat, lon)
        measured = self.kind[ri] != "waters"  # where() shows no edge distance for the waters polygons
        edge = np.full(len(pi), np.nan)
        edge[measured], _, _ = self._edge_distances(pi[measured], ri[measured], lat, lon)
        hits: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for p, r, d in zip(pi.tolist(), ri.tolist(), edge.tolist()):
            hits[p].append((r, d))
        # on a country's land but in no admin-1 polygon: the coast, where Natural Earth's ~1 km
        # coastline stops short of OpenStreetMap's; the nearest admin-1 of that country within the
        # admin-1 edge tolerance is the answer (Sevastopol's harbour is Sevastopol, not nowhere)
        coast_admin1: dict[int, tuple[int, float]] = {}
        for p in range(n):
            kinds_here = {self.kind[r] for r, _ in hits[p]}
            if "country" in kinds_here and "admin1" not in kinds_here:
                near = self._nearby_admin1(
                    float(lat[p]), float(lon[p]), {self.iso[r] for r, _ in hits[p] if self.kind[r] == "country"}
                )
                if near is not None:
                    coast_admin1[p] = near
        borders = self._nearest_borders_many(lat, lon, k_borders) if k_borders > 0 else [[] for _ in range(n)]
        # nearest country for points on no country's land
        at_sea = [p for p in range(n) if not any(self.kind[r] == "country" for r, _ in hits[p])]
        nearest_country = {}
        if at_sea:
            sel = np.array(at_sea)
            res = self._kind_edges("country").query(lat[sel], lon[sel])
            for j, p in enumerate(at_sea):
                if res["label"][j] >= 0:
                    nearest_country[p] = (
                        int(res["label"][j]),
                        float(res["distance_km"][j]),
                        float(res["lat"][j]),
                        float(res["lon"][j]),
                    )
        places: list[list[dict]] = [[] for _ in range(n)]
        pidx = self.places() if k_places > 0 else None
        if pidx is not None and pidx.at_most(1):
            idx, dist = pidx.nearest(lat, lon, k=k_places)
            info = pidx.details(idx)
            from geoverify.gazetteer.nearest import geod

            rr = np.repeat(np.arange(n), idx.shape[1])
            plat = np.array([info[int(i)]["lat"] for i in idx.ravel()])
            plon = np.array([info[int(i)]["lon"] for i in idx.ravel()])
            az, _, _ = geod().inv(plon, plat, lon[rr], lat[rr])  # bearing from the place to the point
            az = (np.asarray(az) % 360.0).reshape(idx.shape)
            dist_r, az_r, idx_l = np.round(dist, 3).tolist(), np.round(az, 1).tolist(), idx.tolist()
            for p in range(n):
                places[p] = [
                    {**info[i], "distance_km": d, "bearing_deg": b} for i, d, b in zip(idx_l[p], dist_r[p], az_r[p])
                ]
        sources = self._source_citations()
        out = [
            self._describe(
                p,
                float(lat[p]),
                float(lon[p]),
                hits[p],
                borders[p],
                nearest_country.get(p),
                places[p],
                sources,
                coast_admin1.get(p),
            )
            for p in range(n)
        ]
        if layers and self.areas().available:
            for p, d in enumerate(out):
                self._add_layers(d, float(lat[p]), float(lon[p]))
        return out

    def _add_layers(self, out: dict, lat: float, lon: float) -> None:
        """The point's districts (admin-2/admin-3 units containing it) and nearest airport."""
        out["districts"] = self.areas().near(lat, lon)
        airport = self.nearest_airport(lat, lon)
        if airport is not None:
            out["nearest_airport"] = airport

    def _nearby_admin1(self, lat: float, lon: float, countries: set[str]) -> tuple[int, float] | None:
        """The nearest admin-1 polygon of one of ``countries`` within
        :data:`geoverify.thresholds.REGION_EDGE_TOLERANCE_KM` of a point outside every admin-1
        polygon: ``(region index, distance km)``, or ``None``."""
        import shapely

        from geoverify.thresholds import REGION_EDGE_TOLERANCE_KM as tol

        dlat = tol / 110.0
        dlon = min(180.0, tol / (111.0 * max(math.cos(math.radians(min(abs(lat), 89.0))), 1e-3)))
        box = shapely.box(lon - dlon, max(-90.0, lat - dlat), lon + dlon, min(90.0, lat + dlat))
        best = None
        for i in self._tree().query(box).tolist():
            if self.kind[i] != "admin1" or (self.country[i] or (self.iso[i] or "")[:2]) not in countries:
                continue
            d = float(self._edge_index(i).query([lat], [lon])["distance_km"][0])
            if d <= tol and (best is None or d < best[1]):
                best = (i, d)
        return best

    def _pair_border_km(self, a: str, b: str, lat: float, lon: float) -> float:
        """Distance (km) from the point to the a–b land border of the primary source (inf when
        they share none)."""
        if not self.border_source_keys:
            return math.inf
        lines = self._border_set()
        key = tuple(sorted((a, b)))
        if key not in lines.pos:
            return math.inf
        return float(lines.measure(lines.pos[key], [lat], [lon])["distance_km"][0])

    def _source_citations(self) -> list[str]:
        return [s["citation"] for s in self._sources.values()]

    def _describe(self, p, lat, lon, hits, borders, nearest_country, places, sources, coast_admin1=None) -> dict:
        countries = [(r, d) for r, d in hits if self.kind[r] == "country"]
        admin1 = [(r, d) for r, d in hits if self.kind[r] == "admin1"]
        macro = [(r, d) for r, d in hits if self.kind[r] == "region"]
        waters = [(r, d) for r, d in hits if self.kind[r] == "waters"]
        notes: list[str] = []
        out: dict[str, Any] = {"lat": lat, "lon": lon}
        admin1.sort(key=lambda x: -x[1])
        a1 = admin1[0] if admin1 else None
        if a1 is None and coast_admin1 is not None:
            a1 = coast_admin1
        country = None
        alternatives = []
        disputed: dict[str, Any] | None = None
        if countries:
            countries.sort(key=lambda x: -x[1])
            if len(countries) > 1:
                isos = [self.iso[r] for r, _ in countries]
                # a sliver: both polygons reach over their shared land border (the sources' simplification);
                # near a coast both may be near their edges without being near each other (Crimea)
                sliver = (
                    min(d for _, d in countries) <= SLIVER_KM
                    and self._pair_border_km(isos[0], isos[1], lat, lon) <= SLIVER_KM
                )
                if sliver:
                    notes.append(
                        f"within {min(d for _, d in countries):.2f} km of the {'–'.join(isos)} border, "
                        "where the two countries' source polygons overlap: either may be right; the "
                        f"one it lies deeper inside ({isos[0]}) is given first"
                    )
                    country = countries[0]
                else:
                    prefer = (self.iso[a1[0]] or "")[:2] if a1 else ""
                    country = next((c for c in countries if self.iso[c[0]] == prefer), countries[0])
                    disputed = {"claimants": sorted(isos), "source": self.region_source(self.ids[countries[0][0]])}
                    notes.append(
                        f"disputed territory: OpenStreetMap maps this point in {' and '.join(sorted(isos))}; "
                        f"{self.iso[country[0]]} is given first because the admin-1 code "
                        f"{self.iso[a1[0]] if a1 else '?'} is under it in ISO 3166-2"
                    )
                alternatives = [c for c in countries if c is not country]
            else:
                country = countries[0]
        if country is not None:
            r, d = country
            out["country"] = {
                "iso": self.iso[r],
                "name": self.name[r],
                "id": self.ids[r],
                "distance_to_edge_km": _r(d),
                "source": self.source[r],
            }
            if alternatives:
                out["country"]["alternatives"] = [
                    {"iso": self.iso[x], "name": self.name[x], "distance_to_edge_km": _r(dd)} for x, dd in alternatives
                ]
        else:
            out["country"] = None
            if waters:
                waters.sort(key=lambda x: -x[1])
                w = waters[0][0]
                out["waters"] = {
                    "iso": self.iso[w],
                    "name": self.country_names.get(self.iso[w], self.iso[w]),
                    "id": self.ids[w],
                    "source": self.source[w],
                }
                notes.append(
                    f"not on land: in the waters of {out['waters']['name']} ({self.iso[w]}) — its "
                    "territorial sea (12 nmi) or inland water not counted as land in the coastline data"
                )
            else:
                notes.append("at sea: on no country's land or territorial waters")
            if nearest_country:
                li, d, a, o = nearest_country
                out["nearest_country"] = {
                    "iso": self.iso[li],
                    "name": self.name[li],
                    "distance_km": _r(d),
                    "nearest": {"lat": _r(a, 6), "lon": _r(o, 6)},
                }
                notes.append(f"nearest country: {self.name[li]} ({self.iso[li]}), {d:.1f} km away")
        if a1 is not None:
            r, d = a1
            out["admin1"] = {
                "iso": self.iso[r],
                "name": self.name[r],
                "id": self.ids[r],
                "country": self.country[r],
                "distance_to_edge_km": _r(d),
                "source": self.source[r],
            }
            if a1 is coast_admin1:
                out["admin1"]["inside"] = False
                notes.append(
                    f"on the coast, {d:.2f} km outside the Natural Earth polygon of {self.name[r]} "
                    f"({self.iso[r]}), whose coastlines are ~1 km accurate: given as the admin-1 region"
                )
            if len(admin1) > 1:
                out["admin1"]["alternatives"] = [
                    {"iso": self.iso[x], "name": self.name[x], "distance_to_edge_km": _r(dd)} for x, dd in admin1[1:]
                ]
                notes.append(
                    f"on the edge of {' and '.join(self.name[x] for x, _ in admin1)} (Natural Earth "
                    "admin-1 edges are ~1 km accurate)"
                )
            from geoverify.gazetteer.disputed import admin1_notes

            extra = admin1_notes(self.iso[r], self.props(r))
            if extra:
                notes.extend(extra)
                if disputed is None and any(n.startswith("disputed territory") for n in extra):
                    disputed = {"claimants": None, "source": "curated list (geoverify/gazetteer/disputed.py)"}
            if d is not None and d < 1.0 and a1 is not coast_admin1:
                notes.append(
                    f"only {d:.2f} km from the edge of {self.name[r]}: within the ~1 km accuracy of "
                    "Natural Earth admin-1 polygons"
                )
        else:
            out["admin1"] = None
        out["region"] = [
            {
                "id": self.ids[r],
                "name": self.name[r],
                "country": self.country[r],
                "distance_to_edge_km": _r(d),
                "source": self.source[r],
            }
            for r, d in sorted(macro, key=lambda x: self.ids[x[0]])
        ]
        if disputed:
            out["disputed"] = disputed
        out["nearest_places"] = places
        for b in borders:
            b["names"] = [self.country_names.get(c, c) for c in b["countries"]]
        out["borders"] = borders
        if (
            borders
            and country is not None
            and borders[0]["distance_km"] is not None
            and borders[0]["distance_km"] < SLIVER_KM
        ):
            notes.append(
                f"{borders[0]['distance_km']:.2f} km from the {'–'.join(borders[0]['countries'])} border: "
                "which side is within the border data's ~100 m accuracy"
            )
        out["notes"] = notes
        out["sources"] = sources
        return out

    @_serialised
    def where(
        self,
        lat: float,
        lon: float,
        k_borders: int = DEFAULT_BORDERS,
        k_places: int = DEFAULT_PLACES,
        layers: bool = True,
    ) -> dict:
        """Describe a point: country, admin-1, macro-regions, nearest places and land borders.

        Returns
        -------
        dict
            ``lat``, ``lon``; ``country`` (``{"iso", "name", "id", "distance_to_edge_km", "source"}`` or
            None); ``admin1`` (``{"iso", "name", ...}`` or None); ``region`` (macro-regions containing the
            point); ``nearest_places`` (each with ``distance_km`` and ``bearing_deg`` from the place);
            ``borders`` (nearest land borders, ``{"countries": ["CN", "RU"], "distance_km", "nearest",
            "source", "other_sources"}``); ``notes``; ``sources``; and when they apply ``waters``,
            ``nearest_country``, ``disputed``; with ``layers`` and the finer layers built, ``districts``
            (the admin-2/admin-3 units containing the point, :meth:`AreaIndex.near`) and ``nearest_airport``.
        """
        lat, lon = _check_point(lat, lon)
        return self.where_many([lat], [lon], k_borders=k_borders, k_places=k_places, layers=layers)[0]

    @_serialised
    def nearest_airport(self, lat: float, lon: float) -> dict | None:
        """The nearest airport, airfield or air base (OurAirports) with its geodesic distance, or None."""
        from geoverify.gazetteer.store import get_gazetteer

        try:
            found = get_gazetteer().nearest_places(lat, lon, k=1, kinds=("airport",))
        except Exception:  # noqa: BLE001 - an index without the airport layer
            return None
        if not found:
            return None
        place, km = found[0]
        d = {
            "id": place.id,
            "name": place.name,
            "lat": place.lat,
            "lon": place.lon,
            "distance_km": round(km, 3),
            "source": place.source,
        }
        for key in ("icao", "iata", "airport_type", "military", "closed"):
            if place.extra.get(key):
                d[key] = place.extra[key]
        return d


def where(lat: float, lon: float, k_borders: int = DEFAULT_BORDERS, k_places: int = DEFAULT_PLACES) -> dict:
    """Country, admin-1, macro-regions, nearest places and land borders of a point (see :meth:`Boundaries.where`)."""
    return get_boundaries().where(lat, lon, k_borders=k_borders, k_places=k_places)


def where_many(lats, lons, k_borders: int = DEFAULT_BORDERS, k_places: int = DEFAULT_PLACES) -> list[dict]:
    """:func:`where` for arrays of points, vectorised (see :meth:`Boundaries.where_many`)."""
    return get_boundaries().where_many(lats, lons, k_borders=k_borders, k_places=k_places)
