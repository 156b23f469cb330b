"""The figures behind the thresholds in geoverify/thresholds.py, measured on real event data.

Reads the dev sets in ../shared/dev (UCDP GED Ukraine dev half) and ../shared/data (UCDP
GED Central African Republic): each row's location text with the point UCDP coded for it.
Skips with a message when ../shared is absent (the repository does not ship those files).

For each row the claims are read as geoverify reads them, and for each claim's named place
the script measures how far the true point lies from the gazetteer's readings. It prints:

1. "at/in" and "near" a populated place: the distance from the point to the nearest
   reading beyond the place's urban radius, by claim and place size (percentiles);
2. "N km from X": the relative error |measured - N| / N (points that sit on X itself are
   counted apart: event databases code an event to its nearest known town);
3. referents: for readings that fail at the true point (a false alarm if trusted) and at
   the point moved 150 km (a catch if trusted), how many are unique in their country,
   dominant among namesakes, or notable, by population.

Usage: ``.venv/bin/python bench/calibrate.py [car|ukraine ...]``
"""

from __future__ import annotations

import collections
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
# the dev sets and eval.py's row selection, defined once beside the truth benchmark
from bench_truth_claims import SETS, rows  # noqa: E402


def moved(lat: float, lon: float, dist_km: float, bearing_deg: float) -> tuple[float, float]:
    from geoverify.geodesy import geod

    lon2, lat2, _ = geod().fwd(lon, lat, bearing_deg, dist_km * 1000.0)
    return lat2, lon2


def pct(values: list[float], ps=(50, 80, 90, 95, 97, 99)) -> str:
    if not values:
        return "-"
    v = sorted(values)
    out = []
    for p in ps:
        k = min(len(v) - 1, max(0, math.ceil(p / 100 * len(v)) - 1))
        out.append(f"p{p}={v[k]:.1f}")
    return f"n={len(v)} " + " ".join(out)


def main(argv: list[str]) -> int:
    chosen = argv[1:] or list(SETS)
    missing = [k for k in chosen if not SETS[k].exists()]
    if missing:
        print(
            f"calibrate: skipped: {', '.join(str(SETS[k]) for k in missing)} not found "
            "(the dev sets live in ../shared, beside the repository)"
        )
        return 0
    from geoverify import thresholds as th
    from geoverify.checks import ClaimChecker
    from geoverify.checks.readings import decisive
    from geoverify.claims import extract_claims
    from geoverify.geodesy import inverse
    from geoverify.model import ClaimKind

    near_at: dict[tuple, list[float]] = collections.defaultdict(list)
    rel_err: list[float] = []
    at_ref = 0
    referents: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    for which in chosen:
        checker = ClaimChecker()
        for n, (text, lat, lon) in enumerate(rows(SETS[which]), 1):
            mlat, mlon = moved(lat, lon, 150, (n * 137) % 360)
            claims, _ = extract_claims(text, [], lookup=checker.lookup)
            flat = [a for c in claims for a in (c.alternatives or (c,))]
            single = len(flat) == 1
            for claim in flat:
                interp = checker.interpret(claim)
                if not interp.levels or not interp.levels[0].refs:
                    continue
                head = interp.levels[0]
                points = [r for r in head.refs if r.shape == "point" and r.place.kind == "place" and not r.approximate]
                if not points:
                    continue
                d_true = [(inverse(r.place.lat, r.place.lon, lat, lon)[0], r) for r in points]
                d_best, best = min(d_true, key=lambda x: x[0])
                radius = th.urban_radius_km(best.place.population)
                pop = best.place.population or 0
                size = "village <10k" if pop < 10_000 else "town <100k" if pop < 100_000 else "city"
                if d_best < 100 and claim.kind in (ClaimKind.PLACE, ClaimKind.NEAR) and single:
                    near_at[(which, str(claim.kind), size)].append(max(0.0, d_best - radius))
                if claim.kind == ClaimKind.DISTANCE and claim.distance_km and d_best < 3 * claim.distance_km + 50:
                    if d_best <= radius + th.PLACE_AT_MARGIN_KM:
                        at_ref += 1
                    else:
                        rel_err.append(abs(d_best - claim.distance_km) / claim.distance_km)
                # referents: the reading nearest the point, when it fails
                for tag, (plat, plon) in (("true", (lat, lon)), ("moved", (mlat, mlon))):
                    if not single:
                        break
                    dd = [(inverse(r.place.lat, r.place.lon, plat, plon)[0], r) for r in points]
                    dmin, r = min(dd, key=lambda x: x[0])
                    if dmin <= th.urban_radius_km(r.place.population) + 30:
                        continue
                    home = checker.country_at(plat, plon)
                    ok, why = decisive(r.place, list(head.namesakes), home, dmin)
                    p = r.place.population or 0
                    bucket = (
                        "<1k"
                        if p < 1000
                        else "<5k"
                        if p < 5000
                        else "<20k"
                        if p < 20000
                        else "<50k"
                        if p < 50000
                        else ">=50k"
                    )
                    key = (
                        (
                            "notable"
                            if "people" in why and "largest" not in why
                            else "unique in its country"
                            if why.startswith("the only")
                            else "dominant"
                            if "largest" in why
                            else why
                        )
                        if ok
                        else "not decisive"
                    )
                    referents[(tag, key)][bucket] += 1
    print("1. distance beyond the urban radius to the nearest reading (km), one-claim rows, nearest < 100 km")
    for k in sorted(near_at):
        print(f"   {k[0]:8s} {k[1]:6s} {k[2]:13s} {pct(near_at[k])}")
    print("2. 'N km from X': relative error |measured - N| / N")
    print(f"   {pct([100 * e for e in rel_err])} (in %); {at_ref} claims measured at X itself")
    print("3. failing nearest readings, by how they would decide (true point: a false alarm; moved: a catch)")
    for k in sorted(referents):
        print(f"   {k[0]:6s} {k[1]:45s} {dict(sorted(referents[k].items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
