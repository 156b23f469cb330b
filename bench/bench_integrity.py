"""What verifying the index at first open costs (issue 17 item 1).

Every process verifies the index before its first answer (:func:`geoverify.gazetteer.integrity.verify`):
header, size and schema version against the checksum record, then a verified-once marker keyed
to the file's device, inode, size, mtime and ctime (plus a sampled digest of 64 pages), or the
whole-file SHA-256 when there is no valid marker (the first process after a build, an import or
any write). Prints, as medians of N cold processes (a new interpreter each, the index file in the
page cache):

1. ``geoverify where LAT,LON`` and ``geoverify extract`` of a short plus code with a locality
   (which resolves the locality in the gazetteer) -- without any verification (baseline, the
   check patched out), with a valid marker (every process but the first), and with no marker
   (the whole-file hash: the first process after a change);
2. ``geoverify extract`` of a plain coordinate, which never opens the index;
3. in-process: one ``verify()`` with the marker, and one whole-file hash.

Run: ``.venv/bin/python bench/bench_integrity.py [N]`` (default 5). Skips when no index is built.
It deletes the index's marker for the no-marker runs (the next process writes it again).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNNER = r"""
import sys
from geoverify.gazetteer import integrity
if sys.argv[1] == "off":
    integrity.verify = lambda *a, **k: None
if sys.argv[2] == "api-extract":  # geoverify.extract() recovers short plus codes from the gazetteer
    import geoverify
    assert geoverify.extract(sys.argv[3])[0].lat is not None
    sys.exit(0)
from geoverify.cli import main
sys.argv = ["geoverify"] + sys.argv[2:]
main()
"""


def _markers(index: Path) -> list[Path]:
    from geoverify.gazetteer import integrity

    return integrity._marker_paths(index)


def _time(mode: str, args: list[str], index: Path, n: int, stdin: str | None = None) -> tuple[float, float]:
    times = []
    for _ in range(n):
        if mode == "nomarker":
            for m in _markers(index):
                m.unlink(missing_ok=True)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RUNNER, "off" if mode == "off" else "on", *args],
            input=stdin,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{args}: exit {proc.returncode}: {proc.stderr[-500:]}")
    return statistics.median(times), min(times)


def main(argv: list[str]) -> int:
    from geoverify.gazetteer import integrity

    n = int(argv[0]) if argv else 5
    index, problem = integrity.choose_index()
    if problem is not None:
        print(f"skipped: no sound index ({index}: {problem}); run `make install`")
        return 0
    size_mb = index.stat().st_size / 1e6
    print(f"index: {index} ({size_mb:.0f} MB); medians of {n} cold processes\n")
    cases = [
        ("geoverify where 44.6166,33.5254", ["where", "44.6166,33.5254", "--format", "json"], None),
        ("geoverify.extract('8MG9+PFR Sergeevka, ...')", ["api-extract", "8MG9+PFR Sergeevka, Primorsky Krai"], None),
    ]
    print(
        f"{'median (best) of cold processes':42} {'no check':>15} {'marker':>15} {'no marker':>15} {'marker cost':>12}"
    )
    for label, args, stdin in cases:
        off = _time("off", args, index, n, stdin)
        on = _time("on", args, index, n, stdin)
        cold = _time("nomarker", args, index, n, stdin)
        _time("on", args, index, 1, stdin)  # leave a marker behind
        cells = " ".join(f"{m:6.3f}s ({b:.3f})" for m, b in (off, on, cold))
        print(f"{label:42} {cells} {1000 * (on[1] - off[1]):+8.0f} ms (best)")
    plain = _time("on", ["extract", "-", "--format", "json"], index, n, "44.326859, 131.668647")
    print(
        f"{'geoverify extract 44.326859, 131.668647':42} {'':15} {plain[0]:6.3f}s ({plain[1]:.3f})"
        f"   (the extract command never opens the index)"
    )
    integrity.verify(index)  # leaves a marker if there was none
    marker_times = []
    for _ in range(21):
        integrity.forget_verdicts()  # as a new process would
        t0 = time.perf_counter()
        assert integrity.verify(index) is None
        marker_times.append(time.perf_counter() - t0)
        assert integrity.LAST_HOW.get(str(index)) == "marker"
    t0 = time.perf_counter()
    integrity.file_digest(index)
    t_hash = time.perf_counter() - t0
    print(
        f"\nin-process verify() with the marker (what every process but the first pays): "
        f"{statistics.median(marker_times) * 1000:.2f} ms (median of 21)"
    )
    print(f"whole-file SHA-256 (once after each build, import or write): {t_hash:.3f} s ({size_mb / t_hash:.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
