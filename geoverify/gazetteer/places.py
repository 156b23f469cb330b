"""Vectorised nearest populated places from the index's ``places`` table (exact WGS84 distances).

Candidates come from a :class:`scipy.spatial.cKDTree` of unit vectors; every
candidate is measured with :meth:`pyproj.Geod.inv` and the search widens
until the ``k``-th exact distance is safely below the sphere distance of the
first place not measured (the sphere understates an ellipsoidal distance by
less than 0.7 %), so the ``k`` nearest are exact, not approximate.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np

from geoverify.gazetteer.nearest import (
    BRUTE_FORCE_PAIRS,
    BRUTE_FORCE_POINTS,
    R_KM,
    geod,
    unique_ints,
    unit_vectors,
)

#: Up to this many points are answered from the R*-tree of the places table, without loading it all.
FEW_POINTS = 8

_COLS = "pk, id, name, lat, lon, country, admin1, admin1_code, population, geonameid, feature"


class PlaceIndex:
    """Nearest places of kind ``place`` (GeoNames cities500 rows of the names half)."""

    def __init__(self, conn: sqlite3.Connection, lock=None):
        self.conn = conn
        self.lock = lock
        self._arrays: bool | None = None
        self._tree = None
        tables = {r[0] for r in self._execute("SELECT name FROM sqlite_master WHERE type='table'")}
        self.has_rtree = "places_rtree" in tables
        self._count: int | None = None

    _WHERE = "FROM places WHERE kind = 'place' AND lat IS NOT NULL"

    @property
    def count(self) -> int:
        """How many places (counted on first use: a scan of the kind index, ~20 ms)."""
        if self._count is None:
            self._count = int(self._execute(f"SELECT COUNT(*) {self._WHERE}")[0][0])
        return self._count

    def at_most(self, k: int) -> int:
        """``min(k, count)`` without counting every place."""
        if self._count is not None:
            return min(k, int(self._count))
        return int(self._execute(f"SELECT COUNT(*) FROM (SELECT 1 {self._WHERE} LIMIT ?)", (max(0, k),))[0][0])

    def _load(self):
        """(pk, lat, lon) of every place, for many-point queries (a fraction of a second)."""
        if self._arrays is None:
            rows = self._execute("SELECT pk, lat, lon FROM places WHERE kind = 'place' AND lat IS NOT NULL")
            arr = np.asarray(rows, dtype=float).reshape(-1, 3)
            self.pk = arr[:, 0].astype(np.int64)
            self.lat = arr[:, 1]
            self.lon = arr[:, 2]
            self.v = unit_vectors(self.lat, self.lon)
            self._arrays = True

    @property
    def tree(self):
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self.v, copy_data=False)
        return self._tree

    def _knn(self, p: np.ndarray, k: int):
        """(chords, row indices) of the k nearest places on the sphere: brute force for a few points."""
        if self._tree is None and len(p) <= BRUTE_FORCE_POINTS and len(p) * len(self.pk) <= BRUTE_FORCE_PAIRS:
            chord = np.sqrt(np.maximum(2.0 - 2.0 * (p @ self.v.T), 0.0))
            idx = (
                np.argpartition(chord, k - 1, axis=1)[:, :k]
                if k < len(self.pk)
                else np.broadcast_to(np.arange(len(self.pk)), (len(p), len(self.pk))).copy()
            )
            d = np.take_along_axis(chord, idx, axis=1)
            o = np.argsort(d, axis=1)
            return np.take_along_axis(d, o, axis=1), np.take_along_axis(idx, o, axis=1)
        d, idx = self.tree.query(p, k=k)
        return d.reshape(len(p), k), idx.reshape(len(p), k)

    def _execute(self, sql, args=()):
        if self.lock is None:
            return self.conn.execute(sql, args).fetchall()
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def __len__(self) -> int:
        return int(self.count)

    def nearest(self, lat, lon, k: int = 5):
        """``(pks, dist_km)`` arrays of shape (n, k): place primary keys and exact km, nearest first."""
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        n = len(lat)
        k = self.at_most(k)
        if n == 0 or k == 0:
            return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0))
        if n <= FEW_POINTS and self.has_rtree and self._arrays is None:
            rows = [self._nearest_rtree(float(a), float(o), k) for a, o in zip(lat, lon)]
            return np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows])
        self._load()
        p = unit_vectors(lat, lon)
        out_i = np.zeros((n, k), dtype=np.int64)
        out_d = np.zeros((n, k))
        todo = np.arange(n)
        kk = min(k + 4, len(self.pk))
        while len(todo):
            chord, idx = self._knn(p[todo], kk)
            rr = np.repeat(todo, kk)
            _, _, d = geod().inv(lon[rr], lat[rr], self.lon[idx.ravel()], self.lat[idx.ravel()])
            d = np.asarray(d).reshape(len(todo), kk) / 1000.0
            order = np.argsort(d, axis=1, kind="stable")[:, :k]
            ri = np.arange(len(todo))[:, None]
            best_d = d[ri, order]
            # the farthest candidate bounds every unmeasured place from below (sphere, < 0.7 % slack)
            unmeasured = 2 * np.arcsin(np.minimum(chord[:, -1] / 2, 1.0)) * R_KM * 0.993
            ok = (best_d[:, -1] <= unmeasured) | (kk >= len(self.pk))
            sel = todo[ok]
            out_i[sel] = self.pk[idx[ri[ok], order[ok]]]
            out_d[sel] = best_d[ok]
            todo = todo[~ok]
            kk = min(kk * 2, len(self.pk))
        return out_i, out_d

    def _box(self, lat, lon, half):
        lat0, lat1 = max(-90.0, lat - half), min(90.0, lat + half)
        c = math.cos(math.radians(min(89.9, max(abs(lat0), abs(lat1)))))
        dlon = half / c
        sql = (
            "SELECT p.pk, p.lat, p.lon FROM places_rtree r JOIN places p ON p.pk = r.pk "
            "WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? AND r.max_lon >= ? "
            "AND p.kind = 'place'"
        )
        covers_all = lat0 <= -90.0 and lat1 >= 90.0
        if dlon >= 180 or lat1 >= 90 or lat0 <= -90:  # every longitude
            return self._execute(sql, (lat1, lat0, 180.0, -180.0)), covers_all
        w, e = lon - dlon, lon + dlon
        boxes = (
            [(w, e)]
            if -180 <= w and e <= 180
            else ([(w + 360, 180.0), (-180.0, e)] if w < -180 else [(w, 180.0), (-180.0, e - 360)])
        )
        rows = []
        for a, b in boxes:
            rows += self._execute(sql, (lat1, lat0, b, a))
        return rows, False

    def _nearest_rtree(self, lat: float, lon: float, k: int):
        """Exact k nearest of one point from growing boxes of the index's R*-tree (no full load)."""
        half = 0.25
        while True:
            rows, whole = self._box(lat, lon, half)
            if len(rows) >= k or (whole and rows):
                arr = np.asarray(rows, dtype=float).reshape(-1, 3)
                _, _, d = geod().inv(np.full(len(arr), lon), np.full(len(arr), lat), arr[:, 2], arr[:, 1])
                d = np.asarray(d) / 1000.0
                order = np.argsort(d, kind="stable")[:k]
                # every place within the k-th distance lies in a box of that many degrees (110 km/degree
                # is below the length of a degree of latitude anywhere, and of longitude at the box's edge)
                need = d[order[-1]] / 110.0 + 0.01
                if whole or need <= half:
                    return arr[order, 0].astype(np.int64), d[order]
                half = need
            elif whole:  # the whole globe holds fewer than k places
                arr = np.asarray(rows, dtype=float).reshape(-1, 3)
                return arr[:, 0].astype(np.int64), np.zeros(0)
            else:
                half *= 2

    def details(self, pks: np.ndarray) -> dict[int, dict]:
        """``{pk: place dict}`` for the given place primary keys."""
        keys = [int(x) for x in unique_ints(np.asarray(pks, dtype=np.int64))]
        out: dict[int, dict] = {}
        for s in range(0, len(keys), 900):
            chunk = keys[s : s + 900]
            for r in self._execute(f"SELECT {_COLS} FROM places WHERE pk IN ({','.join('?' * len(chunk))})", chunk):
                out[r[0]] = {
                    "id": r[1],
                    "name": r[2],
                    "lat": r[3],
                    "lon": r[4],
                    "country": r[5],
                    "admin1": r[6],
                    "admin1_code": r[7],
                    "population": r[8],
                    "geonameid": r[9],
                    "feature": r[10],
                }
        return out
