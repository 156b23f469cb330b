"""Build the ``locality`` layer: US towns and villages too small for GeoNames cities500 (issue 13).

Source: the ZIP code table of the PyPI package ``zipcodes`` (``zipcodes/zips.json.bz2``, one row per ZIP code
with its post office's town, the other town names the Postal Service accepts for it, state and a point). Every
town name of a standard or PO-box ZIP code becomes a candidate locality, placed at the median of its ZIP codes'
points (a ZIP code's point lies within a few km of its post office town). Unique (one institution) and military
codes are left out; retired codes are kept (the town outlives its post office). A locality is dropped when
cities500 already has a place of the same name in the same state within :data:`SAME_PLACE_KM` (the GeoNames
record stands for it).

Each locality is a gazetteer record of kind ``locality`` (id ``zip:<state>:<folded name>``, such as
``zip:NY:east-aurora``; no population), looked up by name like a populated place but never used as a nearest
place or as context evidence.
"""

from __future__ import annotations

import bz2
import json
import math
import sqlite3
import time
from typing import Any

from geoverify.gazetteer import names as N

#: A cities500 place of the same name in the same state closer than this is the same town.
SAME_PLACE_KM = 25.0
#: ZIP code kinds that name a town (UNIQUE codes name an institution; MILITARY codes an overseas post).
TOWN_ZIP_TYPES = ("STANDARD", "PO BOX")
#: USPS state codes of the territories that are countries of their own in ISO 3166-1.
TERRITORIES = {"PR": "PR", "GU": "GU", "VI": "VI", "AS": "AS", "MP": "MP"}
#: USPS "states" that are not places (armed forces postal codes).
NOT_PLACES = {"AA", "AE", "AP"}
SRC_KEY = "zipcodes"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _title(name: str) -> str:
    return name.title() if name.isupper() else name


def read_zip_towns(data: bytes) -> list[dict[str, Any]]:
    """Towns of the ZIP code table: ``{"name", "state", "lat", "lon", "zips"}``, one per (name, state)."""
    rows = json.loads(bz2.decompress(data))
    towns: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if r.get("zip_code_type") not in TOWN_ZIP_TYPES:  # inactive codes too: the town is still there
            continue
        state = r.get("state") or ""
        if not state or state in NOT_PLACES:
            continue
        try:
            lat, lon = float(r["lat"]), float(r["long"])
        except (KeyError, TypeError, ValueError):
            continue
        for name in [r.get("city") or ""] + list(r.get("acceptable_cities") or ()):
            name = _title(name.strip())
            if not name:
                continue
            key = (N.fold(name), state)
            t = towns.get(key)
            if t is None:
                t = towns[key] = {"name": name, "state": state, "pts": [], "zips": []}
            t["pts"].append((lat, lon))
            t["zips"].append(r["zip_code"])
    out = []
    for t in towns.values():
        lats = sorted(p[0] for p in t["pts"])
        lons = sorted(p[1] for p in t["pts"])
        out.append(
            {
                "name": t["name"],
                "state": t["state"],
                "lat": lats[len(lats) // 2],
                "lon": lons[len(lons) // 2],
                "zips": sorted(t["zips"]),
            }
        )
    return out


def write_localities(conn: sqlite3.Connection, data: bytes, log) -> dict[str, int]:
    """Add the ``locality`` records from the ZIP table's bytes (see the module docstring); returns counts.

    Called by :func:`geoverify.gazetteer.build.layers.build_layers` (the source is a layer of the build: the
    ``zipcodes`` entry of :data:`geoverify.gazetteer.build.sources.SOURCES`)."""
    from geoverify.gazetteer.build.index import NameWriter

    t0 = time.perf_counter()
    towns = read_zip_towns(data)
    # what cities500 already has: fold key -> [(lat, lon)] per admin-1 code
    known: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for key, lat, lon, a1 in conn.execute(
        "SELECT n.key, p.lat, p.lon, p.admin1_code FROM names n JOIN places p ON p.pk=n.pk "
        "WHERE p.kind='place' AND p.country IN ('US','PR','GU','VI','AS','MP') AND n.key IS NOT NULL"
    ):
        known.setdefault((key, a1 or ""), []).append((lat, lon))
    admin1 = {code: name for code, name in conn.execute("SELECT admin1_code, name FROM places WHERE kind='admin1'")}
    pk = conn.execute("SELECT COALESCE(MAX(pk), 0) FROM places").fetchone()[0]
    writer = NameWriter(conn)
    rows = []
    same = 0
    for t in towns:
        cc = TERRITORIES.get(t["state"], "US")
        a1 = f"US-{t['state']}" if cc == "US" else None
        if any(
            _km(t["lat"], t["lon"], la, lo) <= SAME_PLACE_KM for la, lo in known.get((N.fold(t["name"]), a1 or ""), ())
        ):
            same += 1
            continue
        pk += 1
        rows.append(
            (
                pk,
                f"zip:{t['state']}:{N.fold(t['name']).replace(' ', '-')}",
                t["name"],
                t["lat"],
                t["lon"],
                "locality",
                "P.PPL",
                cc,
                admin1.get(a1) if a1 else None,
                a1,
                None,
                None,
                SRC_KEY,
                "zip-median",
            )
        )
        writer.add(pk, [(t["name"], N.FLAG_NAME)], strip=False)
    conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    writer.finish()
    log.info(
        f"localities: {len(rows)} US towns from ZIP codes ({same} already in cities500; "
        f"{time.perf_counter() - t0:.1f} s)"
    )
    from geoverify.gazetteer.build.sources import SOURCES

    src = SOURCES[SRC_KEY]
    conn.execute(
        "INSERT OR REPLACE INTO sources VALUES (?,?)", (SRC_KEY, f"{src.attribution}, {src.name} {src.version}")
    )
    return {"locality": len(rows)}
