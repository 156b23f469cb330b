"""The finer gazetteer layers (issue 12): accuracy against real points, and query latency.

Prints:

1. the register join: how often a settlement's GeoNames point (cities500, matched to KATOTTG by
   name within its oblast, independently of any polygon) lies in the council it is the seat of,
   its hromada and its 2020 raion (needs only the index);
2. UCDP GED Ukraine (``../shared/dev/ucdp_ged_ukraine``, where_prec 1-2): how many rows name a
   district (adm_2), how many of those districts resolve to a polygon, and how far the true point
   is from it; and for rows naming a village, how often the register has it in the row's oblast
   and how far the truth is from the polygon bounding it;
3. UCDP GED CAR (``../shared/data/ucdp_ged_car``): the same for sub-prefectures;
4. warm ``where`` and ``resolve`` latency.

Parts 2 and 3 read ``../shared`` (measurement only; nothing is copied) and are skipped with a
message when it is absent. Run: ``.venv/bin/python bench/bench_layers.py``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the project (a worktree in /work/wt/<name> finds /work/shared); GEOVERIFY_SHARED overrides.
SHARED = next(
    (
        p
        for p in (
            Path(os.environ.get("GEOVERIFY_SHARED", "")) if os.environ.get("GEOVERIFY_SHARED") else None,
            ROOT.parent / "shared",
            ROOT.parent.parent / "shared",
        )
        if p and p.is_dir()
    ),
    ROOT.parent / "shared",
)
UA_DEV = SHARED / "dev" / "ucdp_ged_ukraine" / "UCDP-Ukraine-dev.csv"
CAR = SHARED / "data" / "ucdp_ged_car" / "GEDEvent_v23_1_CAR.geojson"

#: UCDP's adm_2 spellings of renamed raions (2016) -> the name the polygons carry.
UCDP_RAION_ALIASES = {
    "artemivsk": "Bakhmut",
    "telmanove": "Boikivske",
    "krasnoarmiiskyi": "Pokrovsk",
    "krasnodon": "Sorokyne",
    "sverdlovsk": "Dovzhansk",
    "shaktarsk": "Shakhtarsk",
    "stanychno-luhansk": "Stanytsia-Luhanska",
    "lutuhynskyi": "Lutuhyne",
    "svativskyi": "Svatove",
    "izyum": "Izium",
    "antrasyt": "Antratsyt",
    "dobropil": "Dobropillia",
    "volodarske": "Nikolske",
    "mykolayiv": "Mykolaiv",
}


def _pct(a, cond) -> str:
    a = np.asarray(a, dtype=float)
    return f"{100.0 * np.mean(cond(a)):.1f} %" if len(a) else "—"


def _summary(label: str, d) -> None:
    d = np.asarray(d, dtype=float)
    if not len(d):
        print(f"  {label}: no rows")
        return
    print(
        f"  {label}: n={len(d)}  inside {_pct(d, lambda x: x == 0)}  ≤1 km {_pct(d, lambda x: x <= 1)}  "
        f"≤5 km {_pct(d, lambda x: x <= 5)}  ≤10 km {_pct(d, lambda x: x <= 10)}  "
        f"p95 {np.percentile(d, 95):.1f} km"
    )


def _dist(bnd, ids, lat, lon) -> float | None:
    best = None
    for rid in ids:
        d = bnd.distance_to_region_km(rid, lat, lon)["distance_km"]
        best = d if best is None else min(best, d)
    return best


def register_join(gaz, bnd) -> None:
    print("1. Register join (KATOTTG x geoBoundaries councils) against GeoNames cities500 points")
    from geoverify.gazetteer import names as N

    conn = gaz.conn
    by_key: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in conn.execute("SELECT code, name, oblast, raion, hromada, seat_of FROM settlements"):
        for k in {N.fold(row[1]), N.skeleton(row[1])}:
            if k:
                by_key[(k, row[2][:4])].append(row)
    from geoverify.gazetteer.areas import KATOTTG_TO_ISO

    iso_to_k = {v: k for k, v in KATOTTG_TO_ISO.items()}
    places = conn.execute("SELECT pk, lat, lon, admin1_code FROM places WHERE kind='place' AND country='UA'").fetchall()
    names = defaultdict(set)
    for pk, name in conn.execute(
        "SELECT n.pk, n.name FROM names n JOIN places p ON p.pk=n.pk WHERE p.kind='place' AND p.country='UA'"
    ):
        names[pk].add(name)
    seat, hrom, raion = [], [], []
    for pk, lat, lon, a1 in places:
        if not a1 or not a1.startswith("UA-"):
            continue
        ob = iso_to_k.get(a1, "UA" + a1[3:5])
        found = {r[0]: r for n in names[pk] for k in (N.fold(n), N.skeleton(n)) if k for r in by_key.get((k, ob), ())}
        if len(found) != 1:
            continue
        code, _, _, r2020, h, seat_of = next(iter(found.values()))
        if seat_of:
            seat.append(_dist(bnd, [seat_of], lat, lon))
        if bnd.areas().has(f"admin3:{h}"):
            hrom.append(_dist(bnd, [f"admin3:{h}"], lat, lon))
        if bnd.areas().has(f"admin2:{r2020}"):
            raion.append(_dist(bnd, [f"admin2:{r2020}"], lat, lon))
    _summary("seat council of the settlement", seat)
    _summary("hromada (2020)", hrom)
    _summary("raion (2020)", raion)


def _districts_named(gaz, name: str, kind: str) -> list[str]:
    """Polygon ids a UCDP adm_2 name may mean: raions of both vintages, or a city's council."""
    if kind == "city":
        cands = gaz.resolve(f"{name} city council", limit=10, kinds=("admin3",), country="UA")
        return [p.id for p in cands if p.score >= 0.75 and p.extra.get("unit") == "council"][:2]
    cands = gaz.resolve(f"{name} raion", limit=10, kinds=("admin2",), country="UA")
    return [p.id for p in cands if p.score >= 0.85]


def ucdp_ukraine(gaz, bnd) -> None:
    print("\n2. UCDP GED Ukraine dev half (where_prec 1-2)")
    if not UA_DEV.exists():
        print(f"  skipped: {UA_DEV} is not there (../shared is measurement data, not part of the project)")
        return
    with UA_DEV.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["where_prec"] in ("1", "2")]
    named = resolved = 0
    per_kind: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        m = re.match(r"(.*?)\s+(raion|city municipality|cunicipality)$", r["adm_2"].strip(), re.I)
        if not m:
            continue
        named += 1
        name = UCDP_RAION_ALIASES.get(m.group(1).lower(), m.group(1))
        kind = "raion" if m.group(2).lower() == "raion" else "city"
        ids = _districts_named(gaz, name, kind)
        if not ids:
            continue
        resolved += 1
        per_kind[kind].append(_dist(bnd, ids, float(r["latitude"]), float(r["longitude"])))
    print(f"  rows: {len(rows)}; naming a district (adm_2): {named}; resolved to a polygon: {resolved}")
    _summary("raion (either vintage) named by adm_2", per_kind["raion"])
    _summary("city council named by adm_2", per_kind["city"])
    # villages
    vrows = [r for r in rows if re.search(r"\bvill?age$", r["where_coordinates"])]
    found = unique = 0
    area_d, seat_d = [], []
    for r in vrows:
        name = re.sub(r"\s+vill?age$", "", r["where_coordinates"]).strip()
        oblast = r["adm_1"].replace(" oblast", "").replace(" Oblast", "").strip()
        cands = [
            p
            for p in gaz.resolve(f"{name}, {oblast} oblast", limit=10, kinds=("settlement", "place"))
            if p.country == "UA" and p.score >= 0.6
        ]
        recs = [gaz.settlement_record(p.id) for p in cands]
        recs = [x for x in recs if x]
        if not recs:
            continue
        found += 1
        unique += len(recs) == 1
        lat, lon = float(r["latitude"]), float(r["longitude"])
        d = _dist(bnd, [x["region_id"] for x in recs if x.get("region_id")], lat, lon)
        if d is not None:
            area_d.append(d)
        s = _dist(bnd, [x["seat_of"] for x in recs if x.get("seat_of")], lat, lon)
        if s is not None:
            seat_d.append(s)
    print(
        f"  rows naming a village: {len(vrows)}; the register has it (resolve + settlement_record): {found} "
        f"({unique} with one candidate)"
    )
    _summary("smallest polygon bounding the village (nearest candidate)", area_d)
    _summary("council the village is the seat of (nearest candidate)", seat_d)


def ucdp_car(gaz, bnd) -> None:
    print("\n3. UCDP GED CAR (where_prec 1-2)")
    if not CAR.exists():
        print(f"  skipped: {CAR} is not there")
        return
    feats = json.loads(CAR.read_text(encoding="utf-8"))["features"]
    d = []
    named = 0
    for f in feats:
        p = f["properties"]
        if str(p.get("where_prec")) not in ("1", "2") or not p.get("adm_2"):
            continue
        named += 1
        name = re.sub(r"\s+region$", "", p["adm_2"]).strip()
        cands = [
            c.id
            for c in gaz.resolve(f"{name} sub-prefecture", limit=5, kinds=("admin2",), country="CF")
            if c.score >= 0.8
        ]
        if cands:
            lon, lat = f["geometry"]["coordinates"][:2]
            d.append(_dist(bnd, cands[:1], lat, lon))
    print(f"  rows naming a sub-prefecture: {named}; resolved to a polygon: {len(d)}")
    _summary("sub-prefecture named by adm_2", d)


def latency(gaz, bnd) -> None:
    print("\n4. Warm latency (median of 20 rounds; ratios are measured in the same process)")
    pts = [(48.10, 37.65), (50.6033, 30.1917), (7.70, 18.633), (55.75, 37.62), (33.98, -81.24)]
    names = ("Yasinovatsky district", "Hostomel airport", "Pisky, Donetsk Oblast", "Kabo", "Lexington County")
    old_names = ("Sergeevka, Primorsky Krai", "Kharkiv", "Bakhmut", "Kabo", "Lexington")

    def timed(fn) -> float:
        fn()
        times = []
        for _ in range(20):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return 1000 * statistics.median(times) / 5

    base = timed(lambda: [bnd.where_many([p[0]], [p[1]]) for p in pts])
    full = timed(lambda: [bnd.where(*p) for p in pts])
    print(
        f"  where: {full:.1f} ms per point with districts and nearest airport; {base:.1f} ms without them "
        f"(x{full / base:.2f})"
    )
    print(f"  units_near within 5 km: {timed(lambda: [bnd.units_near(*p, within_km=5) for p in pts]):.1f} ms")
    print(
        f"  resolve, new layer names: {timed(lambda: [gaz.resolve(q) for q in names]):.2f} ms; "
        f"names the index had before: {timed(lambda: [gaz.resolve(q) for q in old_names]):.2f} ms "
        "(warm: name matches are memoised per query)"
    )


def main() -> int:
    from geoverify.config import index_path
    from geoverify.gazetteer.boundaries import get_boundaries
    from geoverify.gazetteer.store import get_gazetteer

    path = index_path()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='areas'").fetchone():
            print("index has no layer tables: run `make install` / `geoverify data build --force`")
            return 0
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    print(
        f"index {path}: {path.stat().st_size / 1e6:.0f} MB; build {meta.get('build_seconds')} s "
        f"(layers {meta.get('layers_seconds')} s)"
    )
    gaz, bnd = get_gazetteer(), get_boundaries()
    register_join(gaz, bnd)
    ucdp_ukraine(gaz, bnd)
    ucdp_car(gaz, bnd)
    latency(gaz, bnd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
