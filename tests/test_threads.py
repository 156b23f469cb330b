"""geoverify is safe to call from threads (issue 17 item 2): same answers as one thread, no crash.

Two threads calling ``geoverify.where`` on a cold process aborted 5 of 6 runs with ``double free or
corruption`` (GEOS prepared geometries and the geometry caches filled by two threads at once), and
16 threads calling ``verify`` on UCDP rows 8 of 14. Each run here is a fresh process
(tests/thread_stress.py), so a crash fails the test instead of killing pytest; the answers are
compared with a serial pass on fresh objects in the same process. Quick here (one run of each;
measured on main before the fix: 4 threads walking a coarse world grid aborted 5 of 8 runs,
16 verify threads 2 of 6); ``bench/bench_threads.py`` runs many more (``make bench``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

STRESS = Path(__file__).with_name("thread_stress.py")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(STRESS), *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("mode,threads,runs", [("world", 4, 1), ("verify", 16, 1)])
def test_threads_give_the_serial_answers_and_never_crash(index_available, mode, threads, runs):
    for run in range(runs):
        proc = _run(mode, str(threads))
        assert proc.returncode == 0, (
            f"run {run + 1}: exit {proc.returncode} (negative: killed by signal "
            f"{-proc.returncode}; 4: answers differ from the serial ones)\n" + proc.stderr[-3000:]
        )
        assert '"same_as_serial": true' in proc.stdout
