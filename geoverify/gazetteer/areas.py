"""Second- and third-level areas at query time: districts, councils, hromadas, counties.

The polygons :mod:`geoverify.gazetteer.build.layers` writes to the ``areas`` table
(ids ``admin2:UA-14:yasynuvata``, ``admin2:UA14140000000070889`` (a 2020 raion by its
KATOTTG code), ``admin3:UA14160190000059231`` (a hromada), ``admin3:gb:<shapeID>``
(a geoBoundaries council or commune), ``admin2:US:21067``). Unlike the country and
admin-1 polygons, which :class:`~geoverify.gazetteer.boundaries.Boundaries` loads
whole, these are many (over a hundred thousand) and are read on demand through the
``areas_rtree`` R-tree; :class:`Boundaries` hands every ``admin2:``/``admin3:`` id to
this class, so ``contains``, ``distance_to_region_km``, ``geometry`` and
``region_info`` work for districts exactly as for admin-1 regions.

Distances are geodesic (WGS84) to the polygon's edge, through
:class:`geoverify.gazetteer.nearest.PolylineIndex`.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from geoverify.errors import ResolveError

#: KATOTTG first-level codes whose ISO 3166-2 number differs (the others are equal: UA14 = UA-14).
KATOTTG_TO_ISO = {"UA01": "UA-43", "UA44": "UA-09", "UA73": "UA-77", "UA80": "UA-30", "UA85": "UA-40"}
#: KATOTTG category letters, in words.
KATOTTG_CATEGORIES = {
    "O": "oblast",
    "K": "city with special status",
    "P": "raion",
    "H": "hromada",
    "M": "city",
    "T": "urban-type settlement",
    "C": "village",
    "X": "settlement",
    "B": "city district",
}


def katottg_iso(code: str | None) -> str | None:
    """ISO 3166-2 code of a KATOTTG unit's oblast: ``UA14...`` -> ``UA-14``, ``UA80...`` -> ``UA-30``."""
    if not code or len(code) < 4 or not code.startswith("UA"):
        return None
    head = code[:4]
    return KATOTTG_TO_ISO.get(head, f"UA-{head[2:4]}")


#: Kinds of the ``areas`` table.
AREA_KINDS = ("admin2", "admin3")
#: Id prefixes this module answers for.
AREA_PREFIXES = tuple(f"{k}:" for k in AREA_KINDS)
#: Polygons whose edge indexes are kept (LRU).
EDGE_CACHE = 256
#: Segment length (km) the edges are split into for the nearest-point search.
EDGE_SEGMENT_KM = 2.0

_COLS = "rid, id, kind, unit, vintage, name, country, admin1, parent, source, minx, miny, maxx, maxy, props"


def inflate(blob: bytes) -> bytes:
    """An ``areas.geom`` value as WKB: stored zlib-compressed (WKB itself starts with byte 0 or 1)."""
    return zlib.decompress(blob) if blob[:1] == b"x" else blob


def is_area_id(region_id: str) -> bool:
    """True for ids of this module's polygons (``admin2:...``, ``admin3:...``)."""
    return isinstance(region_id, str) and region_id.strip().startswith(AREA_PREFIXES)


def _r(x, nd=3):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), nd)


class AreaIndex:
    """The ``areas`` table of an index.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open (read-only) connection to the index.
    lock : threading.RLock, optional
        Serialises use of ``conn`` with its other users.
    """

    def __init__(self, conn: sqlite3.Connection, lock=None):
        self.conn = conn
        self.lock = lock or threading.RLock()
        tables = {r[0] for r in self._q("SELECT name FROM sqlite_master WHERE type='table'")}
        self.available = "areas" in tables and "areas_rtree" in tables
        self._rows: dict[str, tuple] = {}
        self._geoms: OrderedDict[str, Any] = OrderedDict()
        self._edges: OrderedDict[str, Any] = OrderedDict()
        self._sources: dict[str, str] | None = None

    def _q(self, sql: str, args: Iterable = ()) -> list:
        with self.lock:
            return self.conn.execute(sql, tuple(args)).fetchall()

    # ------------------------------------------------------------------ rows
    def _row(self, area_id: str) -> tuple:
        rid = area_id.strip()
        row = self._rows.get(rid)
        if row is None:
            found = self._q(f"SELECT {_COLS} FROM areas WHERE id=?", (rid,)) if self.available else []
            if not found:
                raise ResolveError(
                    f"no area {area_id!r} in the index (ids look like admin2:UA-14:yasynuvata, "
                    "admin3:UA14160190000059231; `geoverify resolve NAME --kind district` lists them)"
                )
            row = found[0]
            self._rows[rid] = row
        return row

    def bounds(self, area_id: str) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of an area, lon/lat degrees (from the index row: no geometry read)."""
        r = self._row(area_id)
        return r[10], r[11], r[12], r[13]

    def has(self, area_id: str) -> bool:
        try:
            self._row(area_id)
        except ResolveError:
            return False
        return True

    def source_citation(self, key: str) -> str:
        if self._sources is None:
            self._sources = dict(self._q("SELECT key, citation FROM sources"))
        return self._sources.get(key, key)

    def source(self, area_id: str) -> str:
        """``info(area_id)["source"]`` without the rest (the checks cite it for every polygon they measure)."""
        r = self._row(area_id)
        if r[14] and '"source"' in r[14]:  # the area's own properties name it
            return self.info(area_id)["source"]
        return self.source_citation(r[9])

    def info(self, area_id: str) -> dict[str, Any]:
        """id, kind, unit, vintage, name, country, admin1 (ISO 3166-2), parent, source, props,
        and ``parents``: the chain country -> admin1 -> admin2 (ids and names)."""
        r = self._row(area_id)
        out = {
            "id": r[1],
            "kind": r[2],
            "unit": r[3],
            "vintage": r[4],
            "name": r[5],
            "country": r[6],
            "admin1": r[7],
            "parent": r[8],
            "source": self.source_citation(r[9]),
        }
        if r[14]:
            out.update(json.loads(r[14]))
        out["parents"] = self.parents(area_id)
        return out

    def parents(self, area_id: str) -> list[dict[str, str | None]]:
        """``[{"kind": "country", "id": "country:UA"}, {"kind": "admin1", "id": "admin1:UA-14", ...},
        {"kind": "admin2", "id": ..., "name": ...}]`` — the units above ``area_id``, top first."""
        r = self._row(area_id)
        chain: list[dict[str, str | None]] = []
        if r[6]:
            chain.append({"kind": "country", "id": f"country:{r[6]}", "name": None})
        if r[7]:
            chain.append({"kind": "admin1", "id": f"admin1:{r[7]}", "name": None})
        if r[8]:
            try:
                p = self._row(r[8])
                chain.append({"kind": p[2], "id": p[1], "name": p[5], "unit": p[3], "vintage": p[4]})
            except ResolveError:
                pass
        return chain

    # ------------------------------------------------------------------ geometry
    def geometry(self, area_id: str):
        """The shapely (Multi)Polygon of an area (lon/lat WGS84)."""
        import shapely

        rid = self._row(area_id)[1]
        g = self._geoms.get(rid)
        if g is None:
            (blob,) = self._q("SELECT geom FROM areas WHERE id=?", (rid,))[0]
            g = shapely.from_wkb(inflate(blob))
            shapely.prepare(g)
            self._geoms[rid] = g
            if len(self._geoms) > 4 * EDGE_CACHE:
                self._geoms.popitem(last=False)
        else:
            self._geoms.move_to_end(rid)
        return g

    def _edge(self, rid: str):
        e = self._edges.get(rid)
        if e is None:
            import shapely

            from geoverify.gazetteer.nearest import PolylineIndex

            e = PolylineIndex([shapely.boundary(self.geometry(rid))], max_segment_km=EDGE_SEGMENT_KM)
            self._edges[rid] = e
            if len(self._edges) > EDGE_CACHE:
                self._edges.popitem(last=False)
        else:
            self._edges.move_to_end(rid)
        return e

    def contains(self, area_id: str, lat: float, lon: float, tolerance_km: float = 0.0) -> dict[str, Any]:
        """Is the point inside the area (or within ``tolerance_km`` of its edge)?

        Same answer as :meth:`Boundaries.contains`: ``{"inside", "strictly_inside",
        "distance_to_edge_km", "tolerance_km", "region", "name", "source", "nearest_edge"}``.
        """
        import shapely

        r = self._row(area_id)
        strict = bool(shapely.contains_xy(self.geometry(r[1]), lon, lat))
        res = self._edge(r[1]).query([lat], [lon])
        edge = float(res["distance_km"][0])
        return {
            "inside": strict or edge <= tolerance_km,
            "strictly_inside": strict,
            "distance_to_edge_km": _r(edge),
            "tolerance_km": tolerance_km,
            "region": r[1],
            "name": r[5],
            "source": self.source_citation(r[9]),
            "nearest_edge": {"lat": _r(res["lat"][0], 6), "lon": _r(res["lon"][0], 6)},
        }

    def distance_km(self, area_id: str, lat: float, lon: float) -> dict[str, Any]:
        """Geodesic distance from the point to the area (0 inside); the shape of
        :meth:`Boundaries.distance_to_region_km`."""
        c = self.contains(area_id, lat, lon)
        return {
            "distance_km": 0.0 if c["strictly_inside"] else c["distance_to_edge_km"],
            "inside": c["strictly_inside"],
            "distance_to_edge_km": c["distance_to_edge_km"],
            "nearest": c["nearest_edge"],
            "region": c["region"],
            "name": c["name"],
            "source": c["source"],
        }

    # ------------------------------------------------------------------ search
    def near(
        self,
        lat: float,
        lon: float,
        within_km: float = 0.0,
        kinds: Sequence[str] | None = None,
        country: str | None = None,
    ) -> list[dict[str, Any]]:
        """The areas containing the point, or within ``within_km`` of it.

        Parameters
        ----------
        lat, lon : float
            WGS84 degrees.
        within_km : float
            0: only areas containing the point; otherwise also those whose edge is at
            most this far (geodesic).
        kinds : sequence of str, optional
            ``admin2``, ``admin3`` (default both).
        country : str, optional
            Only areas of this country (ISO alpha-2).

        Returns
        -------
        list of dict
            ``{"id", "kind", "unit", "vintage", "name", "country", "admin1", "parent",
            "inside", "distance_km", "distance_to_edge_km", "source"}``, inside first,
            admin-2 before admin-3, nearest first.
        """
        if not self.available:
            return []
        import shapely

        within_km = max(0.0, float(within_km))
        dlat = within_km / 110.574 + 1e-9
        dlon = within_km / max(111.32 * math.cos(math.radians(min(89.0, abs(lat) + dlat))), 1e-3) + 1e-9
        rows = self._q(
            f"SELECT {', '.join('a.' + c.strip() for c in _COLS.split(','))} FROM areas_rtree r "
            "JOIN areas a ON a.rid=r.rid WHERE r.minx<=? AND r.maxx>=? AND r.miny<=? AND r.maxy>=?",
            (lon + dlon, lon - dlon, lat + dlat, lat - dlat),
        )
        out = []
        for r in rows:
            if kinds and r[2] not in kinds:
                continue
            if country and r[6] != country:
                continue
            self._rows.setdefault(r[1], r)
            inside = bool(shapely.contains_xy(self.geometry(r[1]), lon, lat))
            if not inside and within_km <= 0:
                continue
            edge = None
            if within_km > 0:
                edge = float(self._edge(r[1]).query([lat], [lon])["distance_km"][0])
                if not inside and edge > within_km:
                    continue
            d = {
                "id": r[1],
                "kind": r[2],
                "unit": r[3],
                "vintage": r[4],
                "name": r[5],
                "country": r[6],
                "admin1": r[7],
                "parent": r[8],
                "inside": inside,
                "distance_km": 0.0 if inside else _r(edge),
                "source": self.source_citation(r[9]),
            }
            if edge is not None:
                d["distance_to_edge_km"] = _r(edge)
            out.append(d)
        out.sort(key=lambda d: (not d["inside"], d["kind"], d["distance_km"], d["id"]))
        return out

    def containing_many(self, lats, lons, kinds: Sequence[str] | None = None) -> list[list[str]]:
        """Ids of the areas containing each of many points (batch form of :meth:`near`)."""
        lats = np.asarray(lats, dtype=float)
        lons = np.asarray(lons, dtype=float)
        return [[d["id"] for d in self.near(la, lo, 0.0, kinds)] for la, lo in zip(lats, lons)]
