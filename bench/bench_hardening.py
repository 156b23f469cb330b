"""Benchmark of reading large, dirty inputs: ``geoverify extract`` and ``geoverify verify`` streamed.

Run: ``.venv/bin/python bench/bench_hardening.py`` (``--quick`` for 64 MB / 4 MB;
``--extract-mb N`` and ``--verify-mb N`` to choose the sizes; ``--dir D`` for the
temporary files). Prints, for each run, the input size, wall time, MB/s, the peak RSS of
the geoverify process (``ru_maxrss`` of the child) and how many locations (and claims)
it wrote, then the memory bound the streaming design promises.

The input is news prose with a location in some notation every ~5 kB (the generator of
bench_extract.py), with a run of invalid UTF-8 bytes every 64 MB, so the warning path is
exercised too. The default sizes: ``extract`` on 1 GB (about 2 minutes), ``verify`` on
64 MB (verification resolves every place name against the gazetteer: about 100-200 kB/s,
so 1 GB would take hours; its memory does not depend on the size, which the two verify
runs at different sizes show).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import corpus  # noqa: E402

MB = 1 << 20
BAD_EVERY = 64 * MB
BAD = b"\xff\xfe\xc3"


def make_input(path: Path, size: int, seed: int = 1) -> int:
    """Write ``size`` bytes of prose (distinct 8 MB blocks, cycled) with bad bytes every 64 MB;
    returns how many runs of bad bytes it holds."""
    blocks = [corpus(8 * MB, seed=seed + i).encode("utf-8") for i in range(4)]
    rng = random.Random(seed)
    written = bad = 0
    next_bad = BAD_EVERY // 2
    with open(path, "wb") as fh:
        while written < size:
            block = blocks[rng.randrange(len(blocks))][: size - written]
            if written <= next_bad < written + len(block):
                cut = block.rfind(b" ", 0, next_bad - written + 1) + 1
                block = block[:cut] + BAD + block[cut:]
                bad += 1
                next_bad += BAD_EVERY
            fh.write(block)
            written += len(block)
    return bad


#: Runs one command and prints its peak RSS (kB): the only child of this wrapper, so
#: RUSAGE_CHILDREN is exactly that command's.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "out = open(sys.argv[1], 'wb'); err = open(sys.argv[2], 'wb')\n"
    "rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err).returncode\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run(args: list[str], path: Path) -> dict:
    """Run one geoverify command on ``path``: wall time, MB/s, its peak RSS, what it wrote."""
    out, err = path.with_suffix(".out.json"), path.with_suffix(".err.txt")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _WRAPPER,
            str(out),
            str(err),
            sys.executable,
            "-m",
            "geoverify",
            *args,
            str(path),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - t0
    rc, peak_kb = (int(x) for x in proc.stdout.split())
    stderr = err.read_text(encoding="utf-8", errors="replace")
    if rc not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({rc}): {stderr[-1000:]}")
    with open(out, "rb") as fh:
        count = _count_records(fh, args[0])
    out.unlink()
    err.unlink()
    warnings = [line for line in stderr.splitlines() if "invalid UTF-8" in line]
    size = path.stat().st_size
    return {
        "command": args[0],
        "mb": size / MB,
        "seconds": seconds,
        "mb_per_s": size / MB / seconds,
        "peak_rss_mb": peak_kb / 1024,
        "records": count,
        "utf8_warnings": len(warnings),
    }


def _count_records(fh, command: str) -> dict:
    """Count the elements of the streamed JSON without loading it (indent-2 layout)."""
    fh.seek(0)
    counts = {"locations": 0, "claims": 0, "mentions": 0}
    key = "locations" if command == "extract" else None
    for line in fh:
        if command == "verify" and line.startswith(b'  "') and line.rstrip().endswith(b"["):
            key = line.split(b'"')[1].decode()
        if key in counts and line in (b"  {\n", b"    {\n"):
            counts[key] += 1
    return {k: v for k, v in counts.items() if v or k == "locations"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extract-mb", type=int, default=1024)
    ap.add_argument("--verify-mb", type=int, default=64)
    ap.add_argument("--quick", action="store_true", help="64 MB extract, 4 MB verify")
    ap.add_argument("--dir", default=None, help="where to write the generated inputs (default: the temp dir)")
    opts = ap.parse_args()
    if opts.quick:
        opts.extract_mb, opts.verify_mb = 64, 4
    from geoverify.text import stream as streaming

    work = Path(tempfile.mkdtemp(prefix="geoverify-bench-", dir=opts.dir))
    try:
        runs = []
        plan = [
            ("extract", max(8, opts.extract_mb // 16)),
            ("extract", opts.extract_mb),
            ("verify", max(1, opts.verify_mb // 8)),
            ("verify", opts.verify_mb),
        ]
        for command, mb in plan:
            path = work / f"input-{mb}mb.txt"
            if not path.exists():
                t0 = time.perf_counter()
                bad = make_input(path, mb * MB)
                print(
                    f"generated {mb} MB ({bad} runs of invalid bytes) in {time.perf_counter() - t0:.0f} s", flush=True
                )
            r = run([command], path)
            runs.append(r)
            rss = f"{r['peak_rss_mb']:.0f} MB"
            print(
                f"{command:<8} {r['mb']:>7.0f} MB  {r['seconds']:>8.1f} s  {r['mb_per_s']:>7.2f} MB/s  "
                f"peak RSS {rss:>8}  {json.dumps(r['records'])}  invalid-UTF-8 warnings {r['utf8_warnings']}",
                flush=True,
            )
        print(
            f"memory bound: O(window + overlap + one window's results); window {streaming.WINDOW // MB} MiB "
            f"characters, overlap {streaming.OVERLAP // 1024} KiB each side, {streaming.BLOCK // MB} MiB read "
            f"blocks; verify holds two windows and spools claims to a temporary file"
        )
        for command in ("extract", "verify"):
            small, big = [r for r in runs if r["command"] == command]
            if small is not big:
                print(
                    f"{command}: peak RSS {small['peak_rss_mb']:.0f} MB on {small['mb']:.0f} MB, "
                    f"{big['peak_rss_mb']:.0f} MB on {big['mb']:.0f} MB of input"
                )
    finally:
        for p in work.glob("*"):
            p.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
