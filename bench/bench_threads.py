"""Thread safety under load (issue 17 item 2): runs x threads, aborts, answers that differ.

Each run is a fresh process (tests/thread_stress.py) whose threads start together on cold
caches, then compare their answers with a serial pass on fresh objects. Modes:

- ``where``: every thread calls ``geoverify.where(6.0 + i * 0.01, 20.0)`` for i = 0..19 (the report);
- ``world``: every thread walks a coarse grid over Europe, Africa and Asia (many first uses);
- ``verify``: thread i verifies row i of the UCDP GED sample against its coordinates.

Run: ``.venv/bin/python bench/bench_threads.py [RUNS]`` (default 10 runs per mode). Skips when no
index is built. ``tests/test_threads.py`` is the quick version in ``make test``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STRESS = ROOT / "tests" / "thread_stress.py"


def main(argv: list[str]) -> int:
    from geoverify.gazetteer import integrity

    runs = int(argv[0]) if argv else 10
    index, problem = integrity.choose_index()
    if problem is not None:
        print(f"skipped: no sound index ({index}: {problem}); run `make install`")
        return 0
    print(f"{'mode':8} {'threads':>7} {'runs':>5} {'aborts':>7} {'differ':>7} {'errors':>7} {'s/run':>7}")
    bad = 0
    for mode, threads in (("where", 2), ("where", 8), ("world", 4), ("verify", 16)):
        aborts = differ = errors = 0
        t0 = time.perf_counter()
        for _ in range(runs):
            proc = subprocess.run([sys.executable, str(STRESS), mode, str(threads)], capture_output=True, text=True)
            if proc.returncode < 0 or proc.returncode == 134:
                aborts += 1
            elif proc.returncode == 4:
                differ += 1
            elif proc.returncode != 0 or not json.loads(proc.stdout or "{}").get("same_as_serial"):
                errors += 1
        bad += aborts + differ + errors
        print(
            f"{mode:8} {threads:7d} {runs:5d} {aborts:7d} {differ:7d} {errors:7d} "
            f"{(time.perf_counter() - t0) / runs:7.1f}",
            flush=True,
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
