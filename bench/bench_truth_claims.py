"""Verdicts on real event data whose points are the truth (``make truth``).

Reads the UCDP dev sets beside the repository (../shared/data/ucdp_ged_car and
../shared/dev/ucdp_ged_ukraine; skipped with a message when ../shared is absent: the
repository does not ship them) and prints, per set, the figures issue 11 asks for, with the
definitions of ../shared/dev/eval.py:

- not flagged: rows whose text, verified against the row's own point, has no inconsistent claim;
- confirmed: not flagged, and at least one claim consistent;
- caught: rows whose text, verified against the point moved 150 km (bearing ``n * 137 mod 360``
  for the n-th row, haversine on a sphere of radius 6,371.0088 km as eval.py does), has at
  least one inconsistent claim;
- verifies/s, measured in the same run against the same rows.

Usage: ``.venv/bin/python bench/bench_truth_claims.py [car|ukraine ...] [--show N]``
(``GEOVERIFY_DEV_DIR`` points elsewhere than ../shared/dev).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = Path(os.environ.get("GEOVERIFY_DEV_DIR") or ROOT.parent / "shared" / "dev")
SETS = {
    "car": DEV.parent / "data" / "ucdp_ged_car" / "GEDEvent_v23_1_CAR.geojson",
    "ukraine": DEV / "ucdp_ged_ukraine" / "UCDP-Ukraine-dev.csv",
}
#: Issue 11's goals: (not flagged, confirmed, caught) in %.
GOALS = {"car": (97.0, 70.0, 85.0), "ukraine": (97.0, 80.0, 95.0)}


def rows(path: Path) -> list[tuple[str, float, float]]:
    """Rows with a location text and UCDP precision 1 or 2 (eval.py's selection)."""
    with path.open(encoding="utf-8") as f:
        if path.suffix == ".geojson":
            raw = [
                {
                    **ft["properties"],
                    "latitude": ft["geometry"]["coordinates"][1],
                    "longitude": ft["geometry"]["coordinates"][0],
                }
                for ft in json.load(f)["features"]
            ]
        else:
            raw = list(csv.DictReader(f))
    out = []
    for r in raw:
        text = (r.get("where_description") or "").strip()
        if text and str(r.get("where_prec")) in ("1", "2"):
            out.append((text, float(r["latitude"]), float(r["longitude"])))
    return out


def moved(lat: float, lon: float, dist_km: float, bearing_deg: float) -> tuple[float, float]:
    """The point ``dist_km`` along ``bearing_deg`` on a sphere (eval.py's definition)."""
    d = dist_km / 6371.0088
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def measure(which: str, show: int = 0) -> dict[str, float]:
    import geoverify

    data = rows(SETS[which])
    n = not_flagged = confirmed = caught = 0
    alarms, misses = [], []
    t0 = time.perf_counter()
    for text, lat, lon in data:
        n += 1
        at_true = [str(c.verdict) for c in geoverify.verify(text, at=[f"{lat}, {lon}"]).claims]
        mlat, mlon = moved(lat, lon, 150, (n * 137) % 360)
        at_moved = [str(c.verdict) for c in geoverify.verify(text, at=[f"{mlat:.6f}, {mlon:.6f}"]).claims]
        if "inconsistent" in at_true:
            alarms.append(text)
        else:
            not_flagged += 1
            confirmed += "consistent" in at_true
        if "inconsistent" in at_moved:
            caught += 1
        else:
            misses.append(text)
    dt = time.perf_counter() - t0
    for text in alarms[:show]:
        print(f"  false alarm: {text!r}")
    for text in misses[:show]:
        print(f"  missed move: {text!r}")
    return {
        "rows": n,
        "not_flagged": 100 * not_flagged / n,
        "confirmed": 100 * confirmed / n,
        "caught": 100 * caught / n,
        "verifies_per_s": 2 * n / dt,
    }


def main(argv: list[str]) -> int:
    show = 0
    if "--show" in argv:
        i = argv.index("--show")
        show = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    chosen = argv[1:] or list(SETS)
    missing = [k for k in chosen if not SETS[k].exists()]
    if missing:
        print(
            f"bench_truth_claims: skipped ({', '.join(str(SETS[k]) for k in missing)} not found: the dev "
            "sets live in ../shared beside the repository, or set GEOVERIFY_DEV_DIR)"
        )
        return 0
    print(
        "| dev set | rows | not flagged at the true point | confirmed at the true point | "
        "caught when the point moves 150 km | verifies/s |"
    )
    print("|---|---|---|---|---|---|")
    for which in chosen:
        m = measure(which, show)
        goal = GOALS[which]
        print(
            f"| UCDP {which} | {m['rows']:,} | {m['not_flagged']:.1f} % (goal ≥ {goal[0]:g}) | "
            f"{m['confirmed']:.1f} % (≥ {goal[1]:g}) | {m['caught']:.1f} % (≥ {goal[2]:g}) | "
            f"{m['verifies_per_s']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
