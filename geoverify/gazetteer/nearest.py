"""Exact geodesic nearest points on lines, vectorised (the engine behind border and edge distances).

Method
------
Every vertex of the lines (densified so that no segment is longer than
``max_segment_km``) is placed on the *conformal* sphere (WGS84 conformal
latitude, longitude) and indexed; a scalar query scans the vertices by brute
force (no KD-tree, no scipy import), a batch uses a
:class:`scipy.spatial.cKDTree`. For each query point the ``K`` nearest
vertices are found; the segments on either side of each are treated as
great-circle arcs and the point's perpendicular foot on each arc is computed in
closed form (3-D vector algebra). The search is *complete* on the sphere: if
the ``K``-th vertex is not far enough to rule out a closer segment (a segment
whose both ends lie beyond chord ``c`` comes no closer than
``sqrt(c² - (L/2)²)``, ``L`` the longest segment), the point falls back to a
ball query over every vertex that could matter. The sphere serves only to
*choose* the nearest point: the distance returned is the exact WGS84 geodesic
distance (:meth:`pyproj.Geod.inv`) from the query point to that point on the
line, and up to :data:`MAX_EXACT` distinct candidates within the sphere's
ranking uncertainty of the best are all measured exactly.

Error bound
-----------
The returned distance is the true ellipsoidal distance to a point on the line,
so it never understates the minimum. The conformal sphere is the ellipsoid
rescaled by a factor that is the same in every direction and changes by less
than 0.68 % per radian of distance, so (a) along one stretch of line the foot
it picks is off by < 0.68 %·d²/R and the excess distance is second order
(< 1 mm at 100 km); (b) two separate stretches of line at nearly the same
distance can be misordered by at most 0.0068·d²/R (5 m at 69 km, 1 km at
1,000 km): candidates within that margin (capped at :data:`TIE_CAP_KM`) are
measured exactly when they are among the vertices found, so an excess of up to
that margin is possible only in that two-stretch case beyond the vertices
searched. Treating a source segment (straight in lon/lat) as a great-circle arc
adds at most L²·tan|φ|/(8R) (< 0.2 m for L = 2 km at 60°, < 1 m for the 5 km
region-edge segments). In short: exact to ~1 m within 100 km of the line.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Mean Earth radius (km) — used only to convert the search's sphere chords, never reported.
R_KM = 6371.0088
#: Candidates within this relative margin of the best (on the sphere) are measured exactly.
TIE_MARGIN = 0.0068
#: ... capped at this many km (see the error bound).
TIE_CAP_KM = 1.0
#: ... at most this many distinct ones per point.
MAX_EXACT = 6
#: |latitude| from which a segment along a parallel is a map cut, not a real edge (OSM data in Web
#: Mercator stops at 85.0511°; the cut Antarctica gets in the build is closed at 85°S).
WEB_MERCATOR_LIMIT = 85.0
#: Below this many (query point, vertex) pairs a brute-force search beats building a KD-tree.
BRUTE_FORCE_PAIRS = 3_000_000
#: ... and only for this many query points (a scalar where() never builds a KD-tree or imports scipy).
BRUTE_FORCE_POINTS = 4


#: WGS84 first eccentricity.
_E = 0.0818191908426215
_E2 = _E * _E


def conformal_latitude(lat_rad: np.ndarray) -> np.ndarray:
    """Conformal latitude χ(φ) on WGS84: the sphere it maps to has an isotropic scale."""
    s = np.sin(lat_rad)
    return 2.0 * np.arctan(np.tan(np.pi / 4 + lat_rad / 2) * ((1 - _E * s) / (1 + _E * s)) ** (_E / 2)) - np.pi / 2


def geodetic_latitude(chi: np.ndarray) -> np.ndarray:
    """Inverse of :func:`conformal_latitude` (series to e⁸, error < 1e-11 rad)."""
    e2, e4, e6, e8 = _E2, _E2**2, _E2**3, _E2**4
    return (
        chi
        + (e2 / 2 + 5 * e4 / 24 + e6 / 12 + 13 * e8 / 360) * np.sin(2 * chi)
        + (7 * e4 / 48 + 29 * e6 / 240 + 811 * e8 / 11520) * np.sin(4 * chi)
        + (7 * e6 / 120 + 81 * e8 / 1120) * np.sin(6 * chi)
        + (4279 * e8 / 161280) * np.sin(8 * chi)
    )


def unit_vectors(lat, lon) -> np.ndarray:
    """(n, 3) unit vectors of WGS84 (lat, lon) on the conformal sphere.

    The conformal sphere keeps angles, so around any point it is the ellipsoid scaled by one factor
    in every direction: nearest-neighbour rankings made on it are right to within the change of that
    factor across the distances compared (< 1e-4 of 100 km).
    """
    la = conformal_latitude(np.radians(np.asarray(lat, dtype=float)))
    lo = np.radians(np.asarray(lon, dtype=float))
    c = np.cos(la)
    return np.column_stack((c * np.cos(lo), c * np.sin(lo), np.sin(la)))


def to_latlon(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 (lat, lon) in degrees of conformal-sphere vectors."""
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    lat = np.degrees(geodetic_latitude(np.arcsin(np.clip(v[..., 2], -1.0, 1.0))))
    lon = np.degrees(np.arctan2(v[..., 1], v[..., 0]))
    return lat, lon


def _tie_margin(chord: np.ndarray) -> np.ndarray:
    """How much farther (chord units) a candidate may look on the conformal sphere and still be the
    nearest on the ellipsoid: the sphere's scale changes by < 0.68 % per radian, so two points at
    sphere distance d from the query can differ by 0.0068·d²/R in true distance."""
    return np.minimum(TIE_MARGIN * chord * chord, TIE_CAP_KM / R_KM)


def unique_ints(values) -> np.ndarray:
    """``np.unique`` of an integer array (its distinct values, sorted, same dtype), without
    ``numpy.ma``, which ``np.unique`` imports on first use (~15 ms of a cold ``where``)."""
    a = np.sort(np.asarray(values).ravel())
    if len(a) < 2:
        return a
    return a[np.r_[True, a[1:] != a[:-1]]]


def geod():
    from geoverify.geodesy import geod as _g

    return _g()


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack((a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0), axis=-1)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


def _norm(a: np.ndarray) -> np.ndarray:
    return np.sqrt(_dot(a, a))


def _foot_on_arcs(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest point of each great-circle arc a→b to p (all (..., 3)); returns (foot, chord)."""
    n = _cross(a, b)
    nn = _norm(n)
    ok = nn > 1e-15
    nh = n / np.where(ok, nn, 1.0)[..., None]
    proj = p - _dot(p, nh)[..., None] * nh
    pn = _norm(proj)
    f = proj / np.where(pn > 1e-15, pn, 1.0)[..., None]
    inside = ok & (pn > 1e-15) & (_dot(_cross(a, f), nh) >= 0) & (_dot(_cross(f, b), nh) >= 0)
    da = _norm(p - a)
    db = _norm(p - b)
    end = np.where((da <= db)[..., None], a, b)
    foot = np.where(inside[..., None], f, end)
    chord = _norm(p - foot)
    return foot, chord


_POINT_VECTORS: dict[tuple[float, float, float, float], np.ndarray] = {}
#: One-point query vectors kept (a claim's point is measured against several polygons).
POINT_VECTORS_KEPT = 4096


def _point_vector(lat: float, lon: float) -> np.ndarray:
    """``unit_vectors([lat], [lon])`` (read-only), remembered for the last few thousand points
    (keyed with the signs, so -0.0 is not 0.0)."""
    key = (lat, lon, math.copysign(1.0, lat), math.copysign(1.0, lon))
    p = _POINT_VECTORS.get(key)
    if p is None:
        p = unit_vectors(np.array([lat]), np.array([lon]))
        p.setflags(write=False)
        if len(_POINT_VECTORS) >= POINT_VECTORS_KEPT:
            _POINT_VECTORS.clear()
        _POINT_VECTORS[key] = p
    return p


def _foot_on_arc1(p: tuple, a: tuple, b: tuple) -> tuple[tuple[float, float, float], float]:
    """:func:`_foot_on_arcs` for one arc, in Python floats: the same operations in the same
    order (IEEE products, sums, quotients and square roots round the same in numpy and in
    Python), so the same bits, without numpy's per-call cost on arrays of a few elements."""
    p0, p1, p2 = p
    a0, a1, a2 = a
    b0, b1, b2 = b
    n0 = a1 * b2 - a2 * b1
    n1 = a2 * b0 - a0 * b2
    n2 = a0 * b1 - a1 * b0
    nn = math.sqrt(n0 * n0 + n1 * n1 + n2 * n2)
    ok = nn > 1e-15
    w = nn if ok else 1.0
    h0, h1, h2 = n0 / w, n1 / w, n2 / w
    s = p0 * h0 + p1 * h1 + p2 * h2
    q0, q1, q2 = p0 - s * h0, p1 - s * h1, p2 - s * h2
    pn = math.sqrt(q0 * q0 + q1 * q1 + q2 * q2)
    w = pn if pn > 1e-15 else 1.0
    f0, f1, f2 = q0 / w, q1 / w, q2 / w
    inside = (
        ok
        and pn > 1e-15
        and (a1 * f2 - a2 * f1) * h0 + (a2 * f0 - a0 * f2) * h1 + (a0 * f1 - a1 * f0) * h2 >= 0
        and (f1 * b2 - f2 * b1) * h0 + (f2 * b0 - f0 * b2) * h1 + (f0 * b1 - f1 * b0) * h2 >= 0
    )
    if inside:
        foot = (f0, f1, f2)
    else:
        x0, x1, x2 = p0 - a0, p1 - a1, p2 - a2
        y0, y1, y2 = p0 - b0, p1 - b1, p2 - b2
        foot = a if math.sqrt(x0 * x0 + x1 * x1 + x2 * x2) <= math.sqrt(y0 * y0 + y1 * y1 + y2 * y2) else b
    x0, x1, x2 = p0 - foot[0], p1 - foot[1], p2 - foot[2]
    return foot, math.sqrt(x0 * x0 + x1 * x1 + x2 * x2)


class PolylineIndex:
    """Nearest point on a set of labelled lines, exact on WGS84 (see the module docstring).

    Parameters
    ----------
    lines : sequence of shapely LineString / MultiLineString / LinearRing
        Lon/lat WGS84 coordinates.
    labels : sequence of int, optional
        One label per element of ``lines`` (default: its position).
    max_segment_km : float
        Segments are split so none is longer than this.
    skip_antimeridian : bool
        Drop segments lying on longitude ±180° (the cut of polygons split
        there is not a real edge).
    """

    K = 4

    def __init__(self, lines, labels=None, max_segment_km: float = 2.0, skip_antimeridian: bool = True):
        import shapely

        lines = np.asarray(lines, dtype=object)
        parts, pidx = shapely.get_parts(lines, return_index=True)
        parts = shapely.segmentize(parts, max_segment_km / 111.7)
        coords, cidx = shapely.get_coordinates(parts, return_index=True)
        del parts
        n = len(cidx)
        labels = np.arange(len(lines)) if labels is None else np.asarray(labels)
        self.single = int(labels[0]) if len(labels) else 0
        if len(lines) == 1:
            self.label = None  # every vertex has the label of lines[0]
        else:
            self.label = np.asarray(labels)[pidx[cidx]].astype(np.int32)
        self.v = np.ascontiguousarray(unit_vectors(coords[:, 1], coords[:, 0]))
        same = np.zeros(n, dtype=bool)
        if n > 1:
            same[:-1] = cidx[:-1] == cidx[1:]
        # a vertex with no neighbour in its line is a point line; one whose segments are all cut is nothing
        self.point_line = ~same & ~np.r_[False, same[:-1]]
        if n > 1 and skip_antimeridian:
            lon, lat = coords[:, 0], coords[:, 1]
            same[:-1] &= ~((np.abs(lon[:-1]) >= 180.0 - 1e-4) & (np.abs(lon[1:]) >= 180.0 - 1e-4))
            # and segments along a pole line (lat ±90) or the Web Mercator limit OSM data stops at
            on_cap = (np.abs(lat[:-1]) >= WEB_MERCATOR_LIMIT) & (lat[:-1] == lat[1:])
            same[:-1] &= ~on_cap
        # drop vertices whose every segment was cut (they would only mislead the nearest-vertex search)
        alive = self.point_line | same | np.r_[False, same[:-1]]
        if not alive.all():
            keep = np.nonzero(alive)[0]
            same = same[keep] & np.r_[keep[1:] == keep[:-1] + 1, False]
            self.point_line = self.point_line[keep]
            self.v = np.ascontiguousarray(self.v[keep])
            if self.label is not None:
                self.label = self.label[keep]
            n = len(keep)
        #: seg_ok[i]: vertices i and i+1 form a segment
        self.seg_ok = same
        if n > 1 and same[:-1].any():
            d = self.v[1:] - self.v[:-1]
            self.max_chord = float(np.sqrt((d * d).sum(axis=1))[same[:-1]].max())
        else:
            self.max_chord = 0.0
        self.n = n
        del coords, cidx
        self._tree = None

    @property
    def tree(self):
        """The KD-tree of the vertices (built, and scipy imported, on first use)."""
        if self._tree is None and self.n:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self.v, leafsize=32, copy_data=False, balanced_tree=False)
        return self._tree

    def _knn(self, p: np.ndarray, k: int):
        """(chords, vertex ids) of the k nearest vertices: brute force for a few points, else the KD-tree."""
        if self._tree is None and len(p) <= BRUTE_FORCE_POINTS and len(p) * self.n <= BRUTE_FORCE_PAIRS:
            chord = np.sqrt(np.maximum(2.0 - 2.0 * (p @ self.v.T), 0.0))
            ik = (
                np.argpartition(chord, k - 1, axis=1)[:, :k]
                if k < self.n
                else np.broadcast_to(np.arange(self.n), (len(p), self.n)).copy()
            )
            dk = np.take_along_axis(chord, ik, axis=1)
            o = np.argsort(dk, axis=1)
            return np.take_along_axis(dk, o, axis=1), np.take_along_axis(ik, o, axis=1)
        dk, ik = self.tree.query(p, k=k)
        return dk.reshape(len(p), k), ik.reshape(len(p), k)

    def _knn1(self, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_knn`'s brute force for one point, on 1-D arrays (the same kernels on the same
        numbers, without the 2-D bookkeeping)."""
        chord = np.sqrt(np.maximum(2.0 - 2.0 * (p @ self.v.T), 0.0))[0]
        ik = np.argpartition(chord, k - 1)[:k] if k < self.n else np.arange(self.n)
        dk = chord[ik]
        o = np.argsort(dk)
        return dk[o], ik[o]

    def _ball(self, p: np.ndarray, radius: np.ndarray) -> list:
        if self._tree is None and len(p) <= BRUTE_FORCE_POINTS and len(p) * self.n <= BRUTE_FORCE_PAIRS:
            chord = np.sqrt(np.maximum(2.0 - 2.0 * (p @ self.v.T), 0.0))
            return [np.nonzero(row <= r)[0] for row, r in zip(chord, radius)]
        return self.tree.query_ball_point(p, radius, return_sorted=False)

    def _labels(self, verts: np.ndarray) -> np.ndarray:
        if self.label is None:
            return np.full(len(verts), self.single, dtype=np.int64)
        return self.label[verts]

    def _candidates(self, p: np.ndarray, rows: np.ndarray, verts: np.ndarray):
        """Feet and chords on the segments on either side of each (row, vertex) pair (flat arrays)."""
        n = self.n
        prev_ok = (verts > 0) & self.seg_ok[np.maximum(verts - 1, 0)]
        next_ok = (verts < n - 1) & self.seg_ok[np.minimum(verts, n - 1)]
        vv = self.v[verts]
        pp = p[rows]
        f1, c1 = _foot_on_arcs(pp, self.v[np.maximum(verts - 1, 0)], vv)
        f2, c2 = _foot_on_arcs(pp, vv, self.v[np.minimum(verts + 1, n - 1)])
        lone = self.point_line[verts]  # a vertex with no segment on either side: a point line
        c1 = np.where(prev_ok, c1, np.where(lone, _norm(pp - vv), np.inf))
        c2 = np.where(next_ok, c2, np.inf)
        f1 = np.where(prev_ok[:, None], f1, vv)
        labs = self._labels(verts)
        return (
            np.concatenate([rows, rows]),
            np.concatenate([f1, f2]),
            np.concatenate([c1, c2]),
            np.concatenate([labs, labs]),
        )

    def query(self, lat, lon):
        """Nearest point for each query point.

        Returns
        -------
        dict of arrays
            ``distance_km`` (exact geodesic), ``lat``, ``lon`` (the nearest
            point on the lines), ``label`` (of the line it lies on).
        """
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        m = len(lat)
        out = {
            "distance_km": np.full(m, np.inf),
            "lat": np.full(m, np.nan),
            "lon": np.full(m, np.nan),
            "label": np.full(m, -1, dtype=np.int64),
        }
        if m == 0 or self.n == 0:
            return out
        k = min(self.K, self.n)
        if m == 1:
            p = _point_vector(float(lat[0]), float(lon[0]))
            if self._tree is None and self.n <= BRUTE_FORCE_PAIRS:
                dk1, ik1 = self._knn1(p, k)
                dk, ik = dk1[None, :], ik1[None, :]
            else:
                dk, ik = self._knn(p, k)
            if self._query1(lat, lon, p, k, dk, ik, out):
                return out
        else:
            p = unit_vectors(lat, lon)
            dk, ik = self._knn(p, k)
        rows = np.repeat(np.arange(m), k)
        r_all, f_all, c_all, l_all = self._candidates(p, rows, ik.ravel())
        best = np.full(m, np.inf)
        np.minimum.at(best, r_all, c_all)
        # completeness on the sphere: could a segment with both ends beyond the K-th vertex be closer?
        half = self.max_chord / 2.0
        reach = np.sqrt(np.maximum(dk[:, -1] ** 2 - half**2, 0.0))
        # (the tie margin is not added here: it would make far points search wide annuli; see the bound)
        redo = np.nonzero((reach < best + 1e-12) & (k < self.n))[0]
        if len(redo):
            radius = np.sqrt(best[redo] ** 2 + half**2) + 1e-12
            lists = self._ball(p[redo], radius)
            lens = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
            verts = np.fromiter((v for x in lists for v in x), dtype=np.int64, count=int(lens.sum()))
            r2, f2, c2, l2 = self._candidates(p, np.repeat(redo, lens), verts)
            r_all = np.concatenate([r_all, r2])
            f_all = np.concatenate([f_all, f2])
            c_all = np.concatenate([c_all, c2])
            l_all = np.concatenate([l_all, l2])
            np.minimum.at(best, r2, c2)
        margin = _tie_margin(best)
        # exact geodesic distance to each point's best candidate, and to runners-up within the tie margin
        keep = np.nonzero(np.isfinite(c_all) & (c_all <= best[r_all] + margin[r_all] + 1e-12))[0]
        # distinct feet only (the same foot is found from both ends of a segment, and from both regions
        # sharing an edge), then at most MAX_EXACT per point, best first
        q = np.round(f_all[keep] * 1e9).astype(np.int64)
        o = keep[np.lexsort((q[:, 2], q[:, 1], q[:, 0], r_all[keep]))]
        qo = np.round(f_all[o] * 1e9).astype(np.int64)
        ro = r_all[o]
        dup = np.r_[False, (ro[1:] == ro[:-1]) & (qo[1:] == qo[:-1]).all(axis=1)]
        o = o[~dup]
        o = o[np.lexsort((c_all[o], r_all[o]))]
        ro = r_all[o]
        start = np.r_[True, ro[1:] != ro[:-1]]
        rank = np.arange(len(o)) - np.maximum.accumulate(np.where(start, np.arange(len(o)), 0))
        o = o[rank < MAX_EXACT]
        r_k, f_k, l_k = r_all[o], f_all[o], l_all[o]
        flat, flon = to_latlon(f_k)
        _, _, d = geod().inv(lon[r_k], lat[r_k], flon, flat)
        d = np.asarray(d) / 1000.0
        order = np.lexsort((d, r_k))
        first = order[np.r_[True, r_k[order][1:] != r_k[order][:-1]]]
        rr = r_k[first]
        out["distance_km"][rr] = d[first]
        out["lat"][rr] = flat[first]
        out["lon"][rr] = flon[first]
        out["label"][rr] = l_k[first]
        return out

    def _query1(self, lat, lon, p, k: int, dk, ik, out) -> bool:
        """:meth:`query` for one point, the same answer to the bit, in Python floats where numpy's
        per-call cost on a handful of candidates dominated (a polygon's edge measured for one
        point of a claim). False (``out`` untouched) when the K nearest vertices do not settle the
        search (the ball query), or on a NaN: :meth:`query`'s general path answers then."""
        n = self.n
        v, seg_ok, lone = self.v, self.seg_ok, self.point_line
        pt = tuple(p[0].tolist())
        firsts: list[tuple[tuple[float, float, float], float, int]] = []
        seconds: list[tuple[tuple[float, float, float], float, int]] = []
        for vt in ik[0].tolist():
            vv = tuple(v[vt].tolist())
            lab = self.single if self.label is None else int(self.label[vt])
            if vt > 0 and seg_ok[vt - 1]:
                f1, c1 = _foot_on_arc1(pt, tuple(v[vt - 1].tolist()), vv)
            else:
                f1 = vv
                if lone[vt]:
                    x0, x1, x2 = pt[0] - vv[0], pt[1] - vv[1], pt[2] - vv[2]
                    c1 = math.sqrt(x0 * x0 + x1 * x1 + x2 * x2)
                else:
                    c1 = math.inf
            if vt < n - 1 and seg_ok[vt]:
                f2, c2 = _foot_on_arc1(pt, vv, tuple(v[vt + 1].tolist()))
            else:
                f2, c2 = vv, math.inf  # never kept: no segment on that side
            firsts.append((f1, c1, lab))
            seconds.append((f2, c2, lab))
        cands = firsts + seconds
        if any(c != c for _f, c, _l in cands):
            return False
        best = min(c for _f, c, _l in cands)
        half = self.max_chord / 2.0
        d_last = float(dk[0, -1])
        reach = math.sqrt(max(d_last * d_last - half**2, 0.0))
        if reach < best + 1e-12 and k < n:
            return False
        margin = min(TIE_MARGIN * best * best, TIE_CAP_KM / R_KM)
        limit = best + margin + 1e-12
        keep = [c for c in cands if math.isfinite(c[1]) and c[1] <= limit]
        # distinct feet (rounded to 1e-9), best first, at most MAX_EXACT: as the general path
        keyed = sorted(
            (((round(f[0] * 1e9), round(f[1] * 1e9), round(f[2] * 1e9)), c) for c in keep for f in (c[0],)),
            key=lambda qc: qc[0],
        )
        distinct = [c for i, (q, c) in enumerate(keyed) if i == 0 or q != keyed[i - 1][0]]
        distinct.sort(key=lambda c: c[1])
        distinct = distinct[:MAX_EXACT]
        feet = np.array([c[0] for c in distinct], dtype=float).reshape(-1, 3)
        flat, flon = to_latlon(feet)
        r_k = np.zeros(len(distinct), dtype=np.int64)
        _, _, d = geod().inv(lon[r_k], lat[r_k], flon, flat)
        d = np.asarray(d) / 1000.0
        j = int(np.argsort(d, kind="stable")[0])
        out["distance_km"][0] = d[j]
        out["lat"][0] = flat[j]
        out["lon"][0] = flon[j]
        out["label"][0] = distinct[j][2]
        return True


class LabelledLines:
    """Many labelled line sets (borders, country outlines): the ``k`` nearest labels per point.

    Each label has its own :class:`PolylineIndex` (built on first use) and a
    set of bounding caps (spherical circles round chunks of ≤ ``chunk_km``) that
    give lower bounds of the distance, so only labels that can be among the
    ``k`` nearest are measured exactly.
    """

    def __init__(
        self, geoms_by_label: dict, max_segment_km: float = 2.0, chunk_km: float = 300.0, skip_antimeridian: bool = True
    ):
        self.keys = list(geoms_by_label)
        self.geoms = [geoms_by_label[k] for k in self.keys]
        self.max_segment_km = max_segment_km
        self.skip_antimeridian = skip_antimeridian
        self.chunk_km = chunk_km
        self._index: dict[int, PolylineIndex] = {}
        #: label -> length in km, and label -> position in ``keys`` (filled by the owner, e.g. Boundaries)
        self.length_km: dict[Any, float] = {}
        self.pos: dict[Any, int] = {}
        # built on the first search (a single border measured by key needs none)
        self._caps: tuple[np.ndarray, ...] | None = None
        self._boxcaps: tuple[np.ndarray, np.ndarray] | None = None

    def _build_caps(self) -> tuple[np.ndarray, ...]:
        """The bounding caps: each part of each line cut into stretches of ≤ ``chunk_km`` (overlapping
        by one vertex), each covered by the circle round its mean direction."""
        import shapely

        parts, owner_of = shapely.get_parts(np.asarray(self.geoms, dtype=object), return_index=True)
        xy, pidx = shapely.get_coordinates(parts, return_index=True)
        v_all = unit_vectors(xy[:, 1], xy[:, 0])  # elementwise: the same vectors as part by part
        step_all = np.linalg.norm(np.diff(v_all, axis=0), axis=1) * R_KM if len(v_all) > 1 else np.zeros(0)
        bounds = np.searchsorted(pidx, np.arange(len(parts) + 1)).tolist()
        centres, radii, owner = [], [], []
        chunk_km = self.chunk_km
        for j in range(len(parts)):
            a, e = bounds[j], bounds[j + 1]
            if e == a:
                continue
            v = v_all[a:e]
            cum = np.concatenate([[0.0], np.cumsum(step_all[a : e - 1])])
            chunk = (cum // chunk_km).astype(int)
            if chunk[-1] == chunk[0]:
                spans = [(0, len(v) - 1)]
            else:  # chunk numbers only grow along a part: each chunk is one run of vertices
                cuts = (np.flatnonzero(chunk[1:] != chunk[:-1]) + 1).tolist()
                ends = [c - 1 for c in cuts] + [len(v) - 1]
                spans = [(lo, min(last + 1, len(v) - 1)) for lo, last in zip([0, *cuts], ends)]  # overlap one vertex
            for lo, hi in spans:
                vv = v[lo : hi + 1]
                cen = vv.mean(axis=0)
                norm = np.linalg.norm(cen)
                cen = cen / norm if norm > 1e-12 else vv[0]
                rad = float(np.arccos(np.clip(vv @ cen, -1.0, 1.0)).max())
                centres.append(cen)
                radii.append(rad)
                owner.append(int(owner_of[j]))
        order = np.argsort(owner, kind="stable")
        cap_centre = np.asarray(centres, dtype=float).reshape(-1, 3)[order]
        cap_radius = np.asarray(radii, dtype=float)[order]
        cap_owner = np.asarray(owner, dtype=np.int64)[order]
        owner_start = np.searchsorted(cap_owner, np.arange(len(self.keys)))
        return (
            cap_centre,
            cap_radius,
            cap_owner,
            owner_start,
            cap_centre.astype(np.float32),
            (cap_radius + 1e-6).astype(np.float32),
        )

    def _cap(self, i: int) -> np.ndarray:
        if self._caps is None:
            self._caps = self._build_caps()
        return self._caps[i]

    @property
    def cap_centre(self) -> np.ndarray:
        return self._cap(0)

    @property
    def cap_radius(self) -> np.ndarray:
        return self._cap(1)

    @property
    def cap_owner(self) -> np.ndarray:
        return self._cap(2)

    @property
    def owner_start(self) -> np.ndarray:
        return self._cap(3)

    @property
    def _cap_centre32(self) -> np.ndarray:
        return self._cap(4)

    @property
    def _cap_radius32(self) -> np.ndarray:
        return self._cap(5)

    def index(self, li: int) -> PolylineIndex:
        if li not in self._index:
            self._index[li] = PolylineIndex(
                [self.geoms[li]], max_segment_km=self.max_segment_km, skip_antimeridian=self.skip_antimeridian
            )
        return self._index[li]

    def lower_bounds_km(self, lat, lon) -> np.ndarray:
        """(n, labels) lower bounds of the distance (km, spherical, 1 % slack) from each point."""
        p = unit_vectors(lat, lon).astype(np.float32)
        if not len(self.cap_radius):
            return np.full((len(p), 0), np.inf)
        ang = p @ self._cap_centre32.T
        np.minimum(ang, 1.0, out=ang)
        np.maximum(ang, -1.0, out=ang)
        np.arccos(ang, out=ang)
        ang -= self._cap_radius32
        lb = np.minimum.reduceat(ang, self.owner_start, axis=1)
        np.maximum(lb, 0.0, out=lb)
        # the sphere may overstate an ellipsoidal distance by < 0.6 %; float32 adds < 1 m
        return lb.astype(np.float64) * (R_KM * 0.99) - 0.001

    def _box_caps(self) -> tuple[np.ndarray, np.ndarray]:
        """One bounding cap per label from its lon/lat bounding box (no vertex is read): centre at
        the box's middle (on the conformal sphere), radius its farthest corner. For a box at most
        180° wide the farthest point of the box from that centre is a corner (along a parallel the
        distance grows with the longitude difference; along the corners' longitude it is farthest
        at an end), so every vertex lies in the cap; a wider box gets radius π (no bound)."""
        if self._boxcaps is None:
            import shapely

            b = shapely.bounds(np.asarray(self.geoms, dtype=object)).reshape(-1, 4)
            x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
            centre = unit_vectors((y0 + y1) / 2.0, (x0 + x1) / 2.0)
            corners = [unit_vectors(y, x) for y in (y0, y1) for x in (x0, x1)]
            cosr = np.min([_dot(centre, c) for c in corners], axis=0)
            radius = np.arccos(np.clip(cosr, -1.0, 1.0)) + 1e-9
            radius[~((x1 - x0) <= 180.0)] = np.pi  # too wide, or an empty geometry (NaN bounds)
            self._boxcaps = (centre, radius)
        return self._boxcaps

    def box_lower_bounds_km(self, lat, lon) -> np.ndarray:
        """(n, labels) lower bounds of the distance (km) from the bounding caps of
        :meth:`_box_caps`: looser than :meth:`lower_bounds_km` but free of the per-vertex cap
        building (~70 ms for the OSM borders), which only pays off for many points."""
        centre, radius = self._box_caps()
        p = unit_vectors(lat, lon)
        ang = np.arccos(np.clip(p @ centre.T, -1.0, 1.0)) - radius[None, :]
        np.maximum(ang, 0.0, out=ang)
        # the same slack as lower_bounds_km: the sphere may overstate an ellipsoidal distance by < 0.6 %
        return ang * (R_KM * 0.99) - 0.001

    def measure(self, li: int, lat, lon):
        return self.index(li).query(lat, lon)

    def nearest(self, lat, lon, k: int = 3, labels_allowed: np.ndarray | None = None, block: int = 10000):
        """The ``k`` nearest labels of each point, exact.

        Returns
        -------
        list (one per point) of lists of (label index, distance_km, lat, lon), nearest first.
        """
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        n = len(lat)
        results: list[list] = [[] for _ in range(n)]
        if not self.keys or n == 0:
            return results
        if self._caps is None and n <= BRUTE_FORCE_POINTS:
            # a few points: the bounding boxes' caps (exact search all the same: only which
            # labels get measured on the way differs)
            lb = self.box_lower_bounds_km(lat, lon)
            if labels_allowed is not None:
                lb = np.where(labels_allowed[None, :], lb, np.inf)
            self._nearest_block(lat, lon, lb, k, results, 0)
            return results
        for s in range(0, n, block):
            e = min(n, s + block)
            lb = np.concatenate(
                [self.lower_bounds_km(lat[a : min(e, a + 4000)], lon[a : min(e, a + 4000)]) for a in range(s, e, 4000)]
            )
            if labels_allowed is not None:
                lb = np.where(labels_allowed[None, :], lb, np.inf)
            self._nearest_block(lat[s:e], lon[s:e], lb, k, results, s)
        return results

    def _nearest_block(self, lat, lon, lb, k, results, offset):
        m, nl = lb.shape
        kk = min(k, int(np.isfinite(lb).sum(axis=1).max()) if nl else 0)
        if kk == 0:
            return
        order = np.argsort(lb, axis=1)
        found_d = np.full((m, nl), np.inf)
        found = {}
        done = np.zeros(m, dtype=bool)
        pos = np.zeros(m, dtype=np.int64)
        batch = kk
        while not done.all():
            todo = np.nonzero(~done)[0]
            cols = np.arange(batch)
            take = pos[todo][:, None] + cols[None, :]
            valid = take < nl
            r_i = np.repeat(todo, batch).reshape(len(todo), batch)[valid]
            labels = order[r_i, take[valid]]
            ok = np.isfinite(lb[r_i, labels])
            r_i, labels = r_i[ok], labels[ok]
            for li in unique_ints(labels):
                rows = r_i[labels == li]
                res = self.measure(int(li), lat[rows], lon[rows])
                found_d[rows, li] = res["distance_km"]
                for r, d, a, o in zip(rows, res["distance_km"], res["lat"], res["lon"]):
                    found[(int(r), int(li))] = (float(d), float(a), float(o))
            pos[todo] += batch
            batch = 2
            # done when the k-th best measured distance is below every unmeasured lower bound
            kth = np.partition(found_d[todo], kk - 1, axis=1)[:, kk - 1]
            nxt = np.where(pos[todo] < nl, lb[todo, order[todo, np.minimum(pos[todo], nl - 1)]], np.inf)
            done[todo] = (kth <= nxt) | (pos[todo] >= nl) | ~np.isfinite(nxt)
        for r in range(m):
            row = found_d[r]
            best = np.argsort(row, kind="stable")[:kk]  # equal distances (a tripoint): label order
            results[offset + r] = [(int(li), *found[(r, int(li))]) for li in best if np.isfinite(row[li])]
