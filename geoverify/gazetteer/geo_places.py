"""Vectorised nearest populated places from the index's ``places`` table (exact WGS84 distances).

Candidates come from a :class:`scipy.spatial.cKDTree` of unit vectors; every
candidate is measured with :meth:`pyproj.Geod.inv` and the search widens
until the ``k``-th exact distance is safely below the sphere distance of the
first place not measured (the sphere understates an ellipsoidal distance by
less than 0.7 %), so the ``k`` nearest are exact, not approximate.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from geoverify.gazetteer.geo_nearest import R_KM, geod, unit_vectors

_COLS = "pk, id, name, lat, lon, country, admin1, admin1_code, population, geonameid, feature"


class PlaceIndex:
    """Nearest places of kind ``place`` (GeoNames cities500 rows of the names half)."""

    def __init__(self, conn: sqlite3.Connection, lock=None):
        from scipy.spatial import cKDTree

        self.conn = conn
        self.lock = lock
        rows = self._execute("SELECT pk, lat, lon FROM places WHERE kind = 'place' AND lat IS NOT NULL")
        arr = np.asarray(rows, dtype=float).reshape(-1, 3)
        self.pk = arr[:, 0].astype(np.int64)
        self.lat = arr[:, 1]
        self.lon = arr[:, 2]
        self.tree = cKDTree(unit_vectors(self.lat, self.lon)) if len(arr) else None

    def _execute(self, sql, args=()):
        if self.lock is None:
            return self.conn.execute(sql, args).fetchall()
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def __len__(self) -> int:
        return len(self.pk)

    def nearest(self, lat, lon, k: int = 5):
        """``(idx, dist_km)`` arrays of shape (n, k): row indices into this index, exact km, nearest first."""
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        n = len(lat)
        k = min(k, len(self.pk))
        if n == 0 or k == 0:
            return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0))
        p = unit_vectors(lat, lon)
        out_i = np.zeros((n, k), dtype=np.int64)
        out_d = np.zeros((n, k))
        todo = np.arange(n)
        kk = min(k + 4, len(self.pk))
        while len(todo):
            chord, idx = self.tree.query(p[todo], k=kk)
            chord, idx = chord.reshape(len(todo), kk), idx.reshape(len(todo), kk)
            rr = np.repeat(todo, kk)
            _, _, d = geod().inv(lon[rr], lat[rr], self.lon[idx.ravel()], self.lat[idx.ravel()])
            d = np.asarray(d).reshape(len(todo), kk) / 1000.0
            order = np.argsort(d, axis=1, kind="stable")[:, :k]
            rows = np.arange(len(todo))[:, None]
            best_d = d[rows, order]
            # the farthest candidate bounds every unmeasured place from below (sphere, < 0.7 % slack)
            unmeasured = 2 * np.arcsin(np.minimum(chord[:, -1] / 2, 1.0)) * R_KM * 0.993
            ok = (best_d[:, -1] <= unmeasured) | (kk >= len(self.pk))
            sel = todo[ok]
            out_i[sel] = idx[rows[ok], order[ok]]
            out_d[sel] = best_d[ok]
            todo = todo[~ok]
            kk = min(kk * 2, len(self.pk))
        return out_i, out_d

    def details(self, rows: np.ndarray) -> dict[int, dict]:
        """``{row index: place dict}`` for the given row indices."""
        want = np.unique(np.asarray(rows, dtype=np.int64).ravel())
        out: dict[int, dict] = {}
        pk_to_row = {int(self.pk[r]): int(r) for r in want}
        pks = list(pk_to_row)
        for s in range(0, len(pks), 900):
            chunk = pks[s:s + 900]
            for r in self._execute(f"SELECT {_COLS} FROM places WHERE pk IN ({','.join('?' * len(chunk))})",
                                   chunk):
                out[pk_to_row[r[0]]] = {
                    "id": r[1], "name": r[2], "lat": r[3], "lon": r[4], "country": r[5], "admin1": r[6],
                    "admin1_code": r[7], "population": r[8], "geonameid": r[9], "feature": r[10],
                }
        return out
