"""Thread-safety stress run, one fresh process per run (used by tests/test_threads.py and
bench/bench_threads.py; not a test module itself).

    python tests/thread_stress.py MODE THREADS [serial]

MODE ``where``: every thread calls ``geoverify.where(6.0 + i * 0.01, 20.0)`` for i = 0 .. 19 (issue 17's
reproduction); MODE ``world``: every thread walks a coarse grid over Europe, Africa and Asia
(many countries' polygons used for the first time by several threads at once);
MODE ``verify``: thread i calls ``geoverify.verify`` on row i of the UCDP GED sample in tests/data
(its ``where_description`` against its coordinates). All threads start together on a cold
process (empty geometry, edge and memo caches: where the races are); then the same calls run
one after another on fresh (cold) gazetteer and boundaries objects, and the answers are compared.
Prints ``{"threads": N, "same_as_serial": true}``; exit 0 when they agree, 4 when they differ,
3 when a thread raised. ``serial`` only prints the serial answers.
A crash (``double free or corruption``) kills this process, not the caller; faulthandler
prints the Python stacks of every thread.
"""

from __future__ import annotations

import csv
import faulthandler
import json
import sys
import threading
from pathlib import Path

WHERE_POINTS = 20
#: a 30 x 40-degree grid over Europe, Africa and Asia (land and sea)
WORLD = [(float(lat), float(lon)) for lat in range(-30, 61, 30) for lon in range(-10, 121, 40)]
SAMPLE = Path(__file__).resolve().parent / "data" / "ucdp_ged_car_sample.csv"


def jobs(mode: str, n: int):
    import geoverify

    if mode == "where":  # every thread walks the same points, as in the report
        return [(lambda: [geoverify.where(6.0 + i * 0.01, 20.0) for i in range(WHERE_POINTS)]) for _ in range(n)]
    if mode == "world":  # ... and points in many countries: every one a first use of its polygons
        return [(lambda: [geoverify.where(lat, lon) for lat, lon in WORLD]) for _ in range(n)]
    with open(SAMPLE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows = [rows[i % len(rows)] for i in range(n)]
    return [
        (
            lambda r=r: geoverify.verify(
                r["where_description"], at=[(float(r["latitude"]), float(r["longitude"]))]
            ).to_dict()
        )
        for r in rows
    ]


def _reset() -> None:
    """Fresh gazetteer and boundaries objects (cold caches), as in a new process."""
    from geoverify.gazetteer.boundaries import reset_boundaries
    from geoverify.gazetteer.store import reset_gazetteer

    reset_boundaries()
    reset_gazetteer()


def main(argv: list[str]) -> int:
    faulthandler.enable()
    mode, n = argv[0], int(argv[1])
    serial_only = len(argv) > 2 and argv[2] == "serial"
    calls = jobs(mode, n)
    if serial_only:
        print(json.dumps([call() for call in calls], sort_keys=True, default=str))
        return 0
    out: list = [None] * n
    barrier = threading.Barrier(n)
    errors: list[str] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - reported, and the run fails
            errors.append(f"thread {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 3
    threaded = json.dumps(out, sort_keys=True, default=str)
    _reset()  # the serial answers on cold objects again, for the comparison
    serial = json.dumps([call() for call in jobs(mode, n)], sort_keys=True, default=str)
    print(json.dumps({"threads": n, "same_as_serial": threaded == serial}))
    return 0 if threaded == serial else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
