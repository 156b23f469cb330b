"""Benchmark the gazetteer: index build, resolve latency, cold CLI start, memory.

Run: ``.venv/bin/python bench/bench_gazetteer.py [--no-build] [--n 300]``

Prints
- index build time (names part, boundaries part, total) and size on disk
  (names tables vs everything), from a fresh build into a temporary directory
  (``--no-build``: read the figures the installed index recorded);
- ``resolve`` p50/p99 latency in a warm process over a few hundred real names,
  by kind of query: exact GeoNames names, folded (lower case, no diacritics or
  apostrophes), Cyrillic alternate names, transliteration variants, typos
  (one transposition or deletion), names with qualifiers and ``near``;
- ``nearest_places`` latency;
- a cold ``geoverify resolve Sergeevka`` from the shell (median of 5);
- the warm process's peak RSS.
Aims (issue 3): < 1 ms exact/folded, < 20 ms typos, < 1 s cold, < 500 MB RSS,
names build < 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES_TABLES = ("names", "places", "places_rtree", "skeys", "rskeys", "admin1_codes", "meta", "sources")


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def table_bytes(path: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE name IS NOT NULL").fetchall()
        owner = {name: tbl for name, tbl in rows}
        sizes: dict[str, int] = {}
        for name, n in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            tbl = owner.get(name, name)
            if tbl.startswith("places_rtree"):
                tbl = "places_rtree"
            sizes[tbl] = sizes.get(tbl, 0) + n
        return sizes
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def bench_build(no_build: bool) -> Path:
    from geoverify import config

    if no_build:
        path = config.index_path()
        from geoverify.gazetteer.store import open_index

        meta = dict(open_index(path).execute("SELECT key, value FROM meta"))
        print(
            f"build (recorded {meta.get('built_at')}): names {float(meta['names_seconds']):.1f} s, "
            f"boundaries {float(meta['boundaries_seconds']):.1f} s, total {float(meta['build_seconds']):.1f} s"
        )
    else:
        tmp = Path(tempfile.mkdtemp(prefix="gv-bench-"))
        path = tmp / "geoverify.sqlite"
        sources = os.environ.get("GEOVERIFY_SOURCES_DIR") or str(config.sources_dir())
        if not Path(sources).is_dir() and Path("/tmp/npmx").is_dir():
            sources = "/tmp/npmx"
        # in its own process, so the build's memory does not count against the warm resolver's
        code = (
            "import json, resource, sys; from geoverify.gazetteer.build.index import build_index; "
            "r = build_index(sys.argv[1], force=True, path=sys.argv[2]); "
            "r['rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))"
        )
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code, sources, str(path)], capture_output=True, text=True, check=True
        )
        total = time.perf_counter() - t
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"build (fresh, sources {sources}): names {r['names_seconds']:.1f} s, "
            f"boundaries {r['boundaries_seconds']:.1f} s, total {total:.1f} s (process), "
            f"build peak RSS {r['rss_mb']:.0f} MB"
        )
    sizes = table_bytes(path)
    size = path.stat().st_size
    names_part = sum(v for k, v in sizes.items() if k in NAMES_TABLES or k.startswith(("names_", "places_")))
    print(
        f"index size: {size / 1e6:.1f} MB total, names part {names_part / 1e6:.1f} MB, "
        f"other (boundaries) {(size - names_part) / 1e6:.1f} MB"
    )
    top = sorted(sizes.items(), key=lambda kv: -kv[1])[:8]
    print("  largest: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in top))
    return path


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters[1:-2]) if len(letters) > 4 else letters[0]
    if rng.random() < 0.5 and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def variant(name: str) -> str:
    out = name
    for a, b in (("ye", "e"), ("iy", "y"), ("yy", "y"), ("kh", "h"), ("ya", "ia"), ("'", ""), ("ij", "iy")):
        out = out.replace(a, b)
    return out


def queries(gaz, n: int) -> dict[str, list]:
    rng = random.Random(3)
    rows = gaz.conn.execute(
        "SELECT p.name, n.name FROM places p JOIN names n ON n.pk=p.pk "
        "WHERE p.kind='place' AND p.population>=1000 AND n.flag=1 AND p.pk % 53 = 0"
    ).fetchall()
    names = sorted({r[0] for r in rows})
    rng.shuffle(names)
    cyr = sorted({r[1] for r in rows if any("\u0400" <= c <= "\u04ff" for c in r[1])})
    rng.shuffle(cyr)
    ru = [
        r[0]
        for r in gaz.conn.execute(
            "SELECT name FROM places WHERE kind='place' AND country IN ('RU','UA') AND population>=2000 AND pk % 7 = 0"
        )
    ]
    rng.shuffle(ru)
    long_names = [x for x in names if len(x) >= 7 and x.isascii()]
    return {
        "exact": names[:n],
        "folded": [strip_accents(x).lower().replace("'", "") for x in names[n : 2 * n]],
        "cyrillic": cyr[:n],
        "translit-variant": [variant(x) for x in ru[:n]],
        "typo": [typo(x, rng) for x in long_names[:n]],
        "qualified+near": [
            ("Sergeevka, Primorsky Krai", (44.32, 131.67)),
            ("Kramatorsk, Donetsk Oblast", None),
            ("Sergievsky Training Ground", None),
            ("Kursk Oblast", None),
            ("Primorsky Krai", None),
            ("Russia's", None),
            ("North Korean", None),
            ("Kharkov", (50.0, 36.2)),
        ]
        * max(1, n // 8),
    }


def bench_resolve(path: Path, n: int) -> None:
    from geoverify.gazetteer.store import Gazetteer

    gaz = Gazetteer(path)
    gaz.resolve("Sergeevka")  # load sites, JSON schema, rapidfuzz
    gaz.resolve("Sergeevka", near=(44.3, 131.7))  # pyproj
    gaz.resolve("Sergeevak")
    all_queries = queries(gaz, n)
    for qs in all_queries.values():  # one pass to warm SQLite's page cache
        for q in qs:
            name, near = q if isinstance(q, tuple) else (q, None)
            gaz.resolve(name, near=near)
    for kind, qs in all_queries.items():
        times = []
        found = 0
        for q in qs:
            name, near = q if isinstance(q, tuple) else (q, None)
            t = time.perf_counter()
            res = gaz.resolve(name, near=near)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(res)
        print(
            f"resolve {kind:17s} n={len(qs):4d}  p50 {pct(times, 50):7.3f} ms  p99 {pct(times, 99):7.3f} ms  "
            f"max {max(times):7.2f} ms  found {found}/{len(qs)}"
        )
    rng = random.Random(5)
    times = []
    for _ in range(300):
        lat, lon = rng.uniform(-60, 70), rng.uniform(-180, 180)
        t = time.perf_counter()
        gaz.nearest_places(lat, lon, k=5)
        times.append((time.perf_counter() - t) * 1000)
    print(f"nearest_places k=5   n= 300  p50 {pct(times, 50):7.3f} ms  p99 {pct(times, 99):7.3f} ms")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"warm process peak RSS: {rss:.0f} MB")


def bench_cold(path: Path) -> None:
    exe = Path(sys.executable).with_name("geoverify")
    cmd = [
        str(exe) if exe.exists() else sys.executable,
        *([] if exe.exists() else ["-m", "geoverify"]),
        "resolve",
        "Sergeevka",
        "--format",
        "json",
    ]
    env = dict(os.environ, GEOVERIFY_DATA_DIR=str(path.parent))
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    print(
        f"cold `geoverify resolve Sergeevka --format json`: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", action="store_true", help="measure the installed index instead of a fresh build")
    ap.add_argument("--n", type=int, default=300, help="queries per kind")
    args = ap.parse_args()
    path = bench_build(args.no_build)
    try:
        bench_cold(path)
        bench_resolve(path, args.n)
    finally:
        if not args.no_build:
            shutil.rmtree(path.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
