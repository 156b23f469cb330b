"""The speed goals of issue 16, each printed as a ratio against its reference measured in the same run.

Run: ``.venv/bin/python bench/bench_speed.py [--quick] [--only extract,parse,cold,verify,batch]``
(``make bench`` runs it with the others). Figures are CPU seconds of one core (``process_time``;
for the cold commands the child's user+system time) unless marked wall: other sessions on the
machine change wall-clock figures, not CPU time.

1. extract: public ``geoverify.extract`` on the 10 MB news bench of ``bench_extract.py`` (prose,
   numbers, non-map URLs, a coordinate every ~5 kB, one in twelve a short plus code with its
   locality), in MB/s; reference: a bare ``re`` scan for digit runs (``re.finditer(r"\\d+")``
   over the same text). Goal >= 25 MB/s and >= 0.6x the digit scan. Also: the extractor alone
   (``geoverify.notation.extract``) and the share of the look-alike normalisation
   (``geoverify.text.normalise.normalise``) in ``geoverify.extract`` (goal < 5 %).
2. parse: short coordinate strings (300, in the notations people paste: decimal pairs, letters,
   DDM, DMS, signed, unmarked) through ``geoverify.parse`` in strings/s; reference: geopy's
   ``Point.from_string`` on the same strings (and pygeodesy's ``parse3llh`` when installed;
   both are the optional ``bench`` extra). Goal >= 50k strings/s and ahead of geopy.
3. cold: ``geoverify where`` and ``geoverify resolve`` from the shell (a fresh interpreter:
   start-up, imports, index open, answer), median of 5 after one untimed run (bytecode cached,
   as after ``pip install``); reference: the interpreter alone (``python -c pass``), and the
   imports every ``where`` needs (numpy, shapely, pyproj) in a fresh interpreter. Goal < 0.3 s.
4. verify: warm ``geoverify.verify(description, at=[lat, lon])`` on short UCDP event
   descriptions, one core; goal >= 1,500 verifies/s. The rows: ``../shared/data/ucdp_ged_car``
   (1,848 real CAR events; measuring only, skipped when absent) and the 96-row sample in
   tests/data (always). Reference: the same loop with only the parsing of ``at`` and the
   extraction of the text (what every verify does before claims and checks).
5. batch: ``geoverify.batch.run_batch`` with one worker on the same rows (the real CAR events
   when present, else the sample repeated), rows per worker CPU-second; goal >= 1,500.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE = ROOT / "tests" / "data" / "ucdp_ged_car_sample.csv"


def shared_dir() -> Path | None:
    """``../shared`` of the project (also from a git worktree one level deeper)."""
    env = os.environ.get("GEOVERIFY_SHARED")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data").is_dir():
            return up / "shared"
    return None


def cpu_best(fn, *args, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn(*args)
        best = min(best, time.process_time() - t)
    return best


def line(name: str, value: str, ratio: float | None = None, ref: str = "", goal: str = "", ok: bool | None = None):
    flag = "" if ok is None else ("  [goal met]" if ok else "  [goal NOT met]")
    r = f"  = {ratio:.2f}x {ref}" if ratio is not None else ""
    print(f"{name:<44} {value:>18}{r}{('  (goal ' + goal + ')') if goal else ''}{flag}", flush=True)


# -- 1. extract ---------------------------------------------------------------------------------
def bench_extract(quick: bool) -> dict:
    from bench_extract import corpus

    import geoverify
    from geoverify.notation import extract as notation_extract
    from geoverify.text.normalise import normalise

    size = 2_000_000 if quick else 10_000_000
    text = corpus(size)
    geoverify.extract("warm-up 44.326859, 131.668647 and 8MG9+PFR Sergeevka, Primorsky Krai")
    digits = re.compile(r"\d+")

    def scan(t):
        for _ in digits.finditer(t):
            pass

    t_ref = cpu_best(scan, text)
    t_pub = cpu_best(geoverify.extract, text)
    t_not = cpu_best(notation_extract, text)
    t_norm = cpu_best(normalise, text)
    mb = size / 1e6
    out = {
        "extract_mb_s": mb / t_pub,
        "digit_scan_mb_s": mb / t_ref,
        "notation_mb_s": mb / t_not,
        "normalise_share": t_norm / t_pub,
    }
    print(f"news bench: {mb:.0f} MB, {len(geoverify.extract(text))} locations; non-ASCII: {not text.isascii()}")
    line("bare re digit scan (reference)", f"{out['digit_scan_mb_s']:.1f} MB/s")
    line(
        "geoverify.extract (public)",
        f"{out['extract_mb_s']:.1f} MB/s",
        out["extract_mb_s"] / out["digit_scan_mb_s"],
        "the digit scan",
        ">= 25 MB/s, >= 0.6x",
        out["extract_mb_s"] >= 25 and out["extract_mb_s"] >= 0.6 * out["digit_scan_mb_s"],
    )
    line(
        "geoverify.notation.extract (extractor)",
        f"{out['notation_mb_s']:.1f} MB/s",
        out["notation_mb_s"] / out["digit_scan_mb_s"],
        "the digit scan",
    )
    line(
        "normalise share of geoverify.extract",
        f"{100 * out['normalise_share']:.1f} %",
        goal="< 5 %",
        ok=out["normalise_share"] < 0.05,
    )
    return out


# -- 2. parse -----------------------------------------------------------------------------------
def short_strings(n: int = 300) -> list[str]:
    """Coordinate strings as people paste them (deterministic)."""
    import random

    rng = random.Random(16)
    out = []
    for i in range(n):
        lat, lon = rng.uniform(-80, 80), rng.uniform(-179, 179)
        ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        a, b = abs(lat), abs(lon)

        def dms(v, digits):  # rounded once, so 59.96" carries into the minutes
            total = round(v * 3600 * 10**digits)
            d, rest = divmod(total, 3600 * 10**digits)
            m, sec = divmod(rest, 60 * 10**digits)
            return d, m, f"{sec / 10**digits:.{digits}f}"

        def ddm(v):
            total = round(v * 60 * 1000)
            d, m = divmod(total, 60 * 1000)
            return d, f"{m / 1000:.3f}"

        k = i % 10
        if k in (6, 7, 9):
            (d1, m1, s1), (d2, m2, s2) = dms(a, 1 if k == 6 else 0), dms(b, 1 if k == 6 else 0)
        elif k == 8:
            (d1, m1), (d2, m2) = ddm(a), ddm(b)
        out.append(
            [
                lambda: f"{lat:.6f}, {lon:.6f}",
                lambda: f"{lat:.5f},{lon:.5f}",
                lambda: f"{lat:.4f} {lon:.4f}",
                lambda: f"{lat:.6f}; {lon:.6f}",
                lambda: f"{a:.4f} {ns}, {b:.4f} {ew}",
                lambda: f"{a:.5f}{ns} {b:.5f}{ew}",
                lambda: f"{d1}°{m1}'{s1}\"{ns} {d2}°{m2}'{s2}\"{ew}",
                lambda: f"{d1} {m1}' {s1}\" {ns}, {d2} {m2}' {s2}\" {ew}",
                lambda: f"{d1}°{m1}' {ns} {d2}°{m2}' {ew}",
                lambda: f"{d1} {m1}m {s1}s {ns} {d2} {m2}m {s2}s {ew}",
            ][k]()
        )
    return out


def bench_parse(quick: bool) -> dict:
    import geoverify

    strings = short_strings()
    parse = getattr(geoverify, "parse", None)
    how = "geoverify.parse"
    if parse is None:  # before issue 16: the public extractor, one string at a time
        how = "geoverify.extract (no parse() yet)"

        def parse(s):
            return geoverify.extract(s)

    def run(fn):
        ok = 0
        for s in strings:
            try:
                fn(s)
                ok += 1
            except Exception:  # noqa: BLE001 - a reference parser's refusal costs time too
                pass
        return ok

    reps = 3 if quick else 10
    read = run(parse)
    t = cpu_best(lambda: [run(parse) for _ in range(reps)])
    out = {"parse_per_s": reps * len(strings) / t, "parse_read": read}
    refs = {}
    try:
        from geopy.point import Point

        refs["geopy Point.from_string"] = Point.from_string
    except ImportError:
        print("geopy not installed (pip install -e '.[bench]'): no reference for parse")
    try:
        from pygeodesy import parse3llh

        refs["pygeodesy parse3llh"] = parse3llh
    except ImportError:
        pass
    for name, fn in refs.items():
        n_read = run(fn)
        tr = cpu_best(lambda: [run(fn) for _ in range(reps)])
        out[name] = reps * len(strings) / tr
        out[name + " read"] = n_read
    print(
        f"{len(strings)} short coordinate strings; read by {how}: {read}, "
        + ", ".join(f"{k}: {out[k + ' read']}" for k in refs)
    )
    geo = out.get("geopy Point.from_string")
    line(
        f"{how}",
        f"{out['parse_per_s'] / 1000:.1f}k strings/s",
        out["parse_per_s"] / geo if geo else None,
        "geopy",
        ">= 50k/s, ahead of geopy",
        out["parse_per_s"] >= 50_000 and (geo is None or out["parse_per_s"] > geo),
    )
    for name in refs:
        line(f"{name} (reference)", f"{out[name] / 1000:.1f}k strings/s")
    return out


# -- 3. cold commands ---------------------------------------------------------------------------
def _cold_env() -> dict:
    """The environment of the cold runs: bytecode may be cached, as it is after ``pip install``
    (``PYTHONDONTWRITEBYTECODE``, set in some sandboxes, would make every run compile geoverify's
    sources again: ~80 ms that no installed copy pays)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _cold(args: list[str], runs: int = 5) -> tuple[float, float]:
    """Median wall and median CPU (user+sys of the child) seconds of a fresh command (after one
    untimed run that writes the bytecode and warms the OS file cache)."""
    env = _cold_env()
    subprocess.run(args, capture_output=True, text=True, env=env)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1):
            sys.exit(f"bench_speed: {' '.join(args)} failed:\n{proc.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def bench_cold(quick: bool) -> dict:
    py = [sys.executable]
    ref_wall, ref_cpu = _cold(py + ["-c", "pass"])
    out = {"python_wall": ref_wall, "python_cpu": ref_cpu}
    line("python -c pass (reference)", f"{ref_wall:.3f} s wall, {ref_cpu:.3f} s CPU")
    imp_wall, imp_cpu = _cold(py + ["-c", "import numpy, shapely, pyproj"])
    out["imports_wall"], out["imports_cpu"] = imp_wall, imp_cpu
    line(
        "python -c 'import numpy, shapely, pyproj'",
        f"{imp_wall:.3f} s wall, {imp_cpu:.3f} s CPU",
        imp_cpu / ref_cpu,
        "python -c pass (CPU)",
    )
    for name, args in (
        ("where", ["where", "44.326859,131.668647", "--format", "json"]),
        ("resolve", ["resolve", "Sergeevka", "--format", "json"]),
        ("resolve --near", ["resolve", "Sergeevka", "--near", "44.3,131.6", "--format", "json"]),
    ):
        wall, cpu = _cold(py + ["-m", "geoverify", *args])
        out[f"{name}_wall"], out[f"{name}_cpu"] = wall, cpu
        line(
            f"cold `geoverify {name}`",
            f"{wall:.3f} s wall, {cpu:.3f} s CPU",
            cpu / ref_cpu,
            "python -c pass (CPU)",
            "< 0.3 s",
            cpu < 0.3,
        )
    return out


# -- 4. verify and 5. batch ---------------------------------------------------------------------------
def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if (r.get("where_description") or "").strip() and r.get("latitude")]


def car_rows() -> list[dict] | None:
    shared = shared_dir()
    path = shared / "data" / "ucdp_ged_car" / "GEDEvent_v23_1_CAR.geojson" if shared else None
    if path is None or not path.exists():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for f in doc["features"]:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        if (p.get("where_description") or "").strip():
            rows.append(
                {
                    "id": p.get("id"),
                    "where_description": p["where_description"],
                    "latitude": str(lat),
                    "longitude": str(lon),
                    "where_prec": p.get("where_prec"),
                }
            )
    return rows


def bench_verify(quick: bool) -> dict:
    import geoverify
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer.boundaries import get_boundaries

    get_gazetteer()
    get_boundaries()
    geoverify.verify("warm-up: Bangui town, near the Chad border", at=["4.36, 18.55"])
    sets = {"tests/data sample (96 rows)": sample_rows()}
    car = car_rows()
    if car is not None:
        sets["../shared CAR events (measuring only)"] = car[:600] if quick else car
    else:
        print("../shared/data/ucdp_ged_car absent: verify and batch measured on the tests/data sample only")
    out = {}
    from geoverify.pipeline import locate, parse_location

    for name, rows in sets.items():
        items = [(r["where_description"], f"{r['latitude']}, {r['longitude']}") for r in rows]

        def verify_all():
            for text, at in items:
                geoverify.verify(text, at=[at])

        def floor():
            for text, at in items:
                parse_location(at)
                locate(text)

        t = time.process_time()
        verify_all()  # first pass: what a batch pays (memoised look-ups fill up as it goes)
        first = len(items) / (time.process_time() - t)
        warm = len(items) / cpu_best(verify_all, repeat=2 if quick else 3)
        ref = len(items) / cpu_best(floor)
        key = "car" if "CAR" in name else "sample"
        out[f"verify_first_{key}"], out[f"verify_warm_{key}"], out[f"verify_floor_{key}"] = first, warm, ref
        line(f"verify, {name}: first pass", f"{first:.0f} verifies/s", goal=">= 1,500/s", ok=first >= 1500)
        line(
            "  warm (every look-up memoised)",
            f"{warm:.0f} verifies/s",
            warm / ref,
            "parse at + extract (floor)",
            ">= 1,500/s",
            warm >= 1500,
        )
    return out


RUNNER = """
import json, sys, time
from geoverify.batch.rows import RowSpec
from geoverify.batch.runner import run_batch
spec = RowSpec("where_description", "latitude", "longitude", precision_column="where_prec", precision_scheme="ucdp")
s = run_batch(sys.argv[1], sys.argv[2], spec, workers=1, chunk_size=250, progress=False, restart=True)
print(json.dumps(s.to_dict()))
"""


def bench_batch(quick: bool) -> dict:
    rows = car_rows()
    what = "../shared CAR events (measuring only)"
    if rows is None:
        rows = [dict(r, id=f"{r['id']}-{k}") for k in range(20) for r in sample_rows()]
        what = "tests/data sample repeated x20"
    if quick:
        rows = rows[:500]
    with tempfile.TemporaryDirectory(prefix="bench_speed_") as tmp:
        inp, outp = Path(tmp) / "rows.csv", Path(tmp) / "out.csv"
        with inp.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(
                fh, fieldnames=["id", "where_description", "latitude", "longitude", "where_prec"], extrasaction="ignore"
            )
            w.writeheader()
            w.writerows(rows)
        proc = subprocess.run([sys.executable, "-c", RUNNER, str(inp), str(outp)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"bench_speed: batch failed:\n{proc.stderr}")
        res = json.loads(proc.stdout.strip().splitlines()[-1])
    per_cpu = res["rows_per_cpu_second"]
    total = res["rows"] / res["main_cpu_seconds"] if res.get("main_cpu_seconds") else None
    line(
        f"batch, 1 worker, {len(rows)} rows ({what})",
        f"{per_cpu:.0f} rows/CPU-s",
        goal=">= 1,500 per worker",
        ok=per_cpu >= 1500,
    )
    if total:
        line("  the whole run (read, check, write)", f"{total:.0f} rows/CPU-s")
    return {"batch_rows_per_cpu_s": per_cpu, "batch_rows_per_cpu_s_total": total}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="extract,parse,cold,verify,batch")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    figures = {}
    for part in args.only.split(","):
        print(f"-- {part}", flush=True)
        figures.update(
            {
                "extract": bench_extract,
                "parse": bench_parse,
                "cold": bench_cold,
                "verify": bench_verify,
                "batch": bench_batch,
            }[part](args.quick)
        )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
