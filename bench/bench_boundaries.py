"""Benchmark the boundary half: build, size, ``where`` throughput and latency, cold CLI, memory.

Run: ``.venv/bin/python bench/bench_boundaries.py [--no-build] [--n 100000]``

Prints
- the boundary build time (``build_boundaries`` alone, into a fresh temporary SQLite file, from the
  sources directory the installed index was built from) and the boundary tables' size on disk;
- ``where_many`` throughput over ``--n`` random points uniform on the sphere (about 29 % on land),
  including containment, edge distances, the 3 nearest land borders (with the Natural Earth
  comparison) and the 5 nearest places — cold (first call: indexes built) and warm;
- scalar ``where`` latency in a warm process (p50/p99 over 200 random points);
- a cold ``geoverify where 44.326859,131.668647`` from the shell (median of 3);
- the warm process's RSS after loading everything.
Aims (issue 3): build < 90 s, > 5,000 points/s, RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("regions", "region_members", "borders", "boundary_sources", "boundary_meta")


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table_sizes(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    return {name: size / 1e6 for name, size in rows}


def sources_dir(index: Path) -> Path:
    from geoverify import config

    conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='sources_dir'").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    return Path(row[0]) if row and row[0] else config.sources_dir()


def bench_build(index: Path) -> None:
    """Time build_boundaries alone, in its own process (so its memory does not count below)."""
    src = sources_dir(index)
    code = (
        "import sqlite3, sys, time, tempfile, os\n"
        "from pathlib import Path\n"
        "from geoverify.gazetteer.build.boundaries import build_boundaries\n"
        "d = tempfile.mkdtemp(); path = Path(d) / 'b.sqlite'\n"
        "conn = sqlite3.connect(path); t = time.perf_counter()\n"
        "info = build_boundaries(conn, Path(sys.argv[1]), lambda m: None)\n"
        "conn.commit(); s = time.perf_counter() - t; conn.execute('VACUUM'); conn.close()\n"
        "print(f'build_boundaries: {s:.1f} s from {sys.argv[1]} (aim < 90 s); counts {info[\"counts\"]}')\n"
        "print(f'boundary tables, fresh file: {path.stat().st_size / 1e6:.1f} MB')\n"
        "os.unlink(path)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(src)], check=True, cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-build", action="store_true", help="skip the build measurement")
    ap.add_argument("--n", type=int, default=100_000, help="random points for where_many")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from geoverify.config import index_path

    index = index_path()
    if not index.exists():
        print(f"no index at {index}: run `make install` first")
        return 1
    if not args.no_build:
        bench_build(index)
    sizes = table_sizes(index)
    mine = sum(
        v
        for k, v in sizes.items()
        if k in TABLES or k.startswith(("sqlite_autoindex_regions", "sqlite_autoindex_borders", "regions_"))
    )
    print(
        f"installed index: {index.stat().st_size / 1e6:.1f} MB in all, boundary tables {mine:.1f} MB "
        f"(regions {sizes.get('regions', 0):.1f}, borders {sizes.get('borders', 0):.1f})"
    )

    t = time.perf_counter()
    from geoverify.gazetteer.boundaries import get_boundaries

    bnd = get_boundaries()
    print(f"open: {1000 * (time.perf_counter() - t):.0f} ms, RSS {rss_mb():.0f} MB")

    rng = np.random.default_rng(42)
    # load every index with a modest batch, then measure what a warm process holds
    w_lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 5000)))
    w_lon = rng.uniform(-180, 180, 5000)
    t = time.perf_counter()
    bnd.where_many(w_lat, w_lon)
    print(
        f"first where_many (5,000 points, builds the border, edge and place indexes): {time.perf_counter() - t:.1f} s"
    )
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    print(f"RSS of the warm process, every index loaded: {rss_mb():.0f} MB (aim < 500 MB)")
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, args.n)))
    lon = rng.uniform(-180, 180, args.n)
    t, c = time.perf_counter(), time.process_time()
    out = bnd.where_many(lat, lon)
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
    on_land = sum(w["country"] is not None for w in out)
    del out
    print(
        f"where_many, {args.n:,} random points ({on_land / args.n:.0%} on land): "
        f"{cold:.1f} s = {args.n / cold:,.0f} points/s; CPU {cold_cpu:.1f} s = {args.n / cold_cpu:,.0f} points per "
        "CPU-second"
    )
    lat2 = np.degrees(np.arcsin(rng.uniform(-1, 1, args.n)))
    lon2 = rng.uniform(-180, 180, args.n)
    t, c = time.perf_counter(), time.process_time()
    out = bnd.where_many(lat2, lon2)
    warm, warm_cpu = time.perf_counter() - t, time.process_time() - c
    print(f"RSS holding the {args.n:,} result dicts: {rss_mb():.0f} MB")
    del out
    print(
        f"where_many, {args.n:,} new random points, warm: {warm:.1f} s = {args.n / warm:,.0f} points/s; "
        f"CPU {warm_cpu:.1f} s = {args.n / warm_cpu:,.0f} points per CPU-second (aim > 5,000; wall-clock "
        "figures drop when other processes share the cores)"
    )

    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, 200)))
    lons = rng.uniform(-180, 180, 200)
    times = []
    for a, o in zip(lats, lons):
        t = time.perf_counter()
        bnd.where(float(a), float(o))
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    print(
        f"where (scalar, warm): p50 {statistics.median(times):.1f} ms, p99 {times[int(0.99 * len(times)) - 1]:.1f} ms"
    )
    print(
        f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
        f"(includes {args.n:,} result dicts held at once)"
    )

    exe = Path(sys.executable).with_name("geoverify")
    cmd = (
        [str(exe), "where", "44.326859,131.668647", "--format", "json"]
        if exe.exists()
        else [sys.executable, "-m", "geoverify", "where", "44.326859,131.668647", "--format", "json"]
    )
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env={**os.environ})
        runs.append(time.perf_counter() - t)
    print(f"cold `geoverify where 44.326859,131.668647`: median {statistics.median(runs):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
