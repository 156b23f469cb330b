"""The console script asks numerical libraries for one thread each before anything imports them,
and keeps what the user set."""

from __future__ import annotations

import subprocess
import sys

from geoverify.cli import SINGLE_THREAD_POOLS, single_thread_pools


def test_single_thread_pools_keeps_the_users_setting():
    env = {"OMP_NUM_THREADS": "4"}
    single_thread_pools(env)
    assert env == {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "4", "MKL_NUM_THREADS": "1"}
    assert set(SINGLE_THREAD_POOLS) == set(env)


def test_the_console_entry_point_sets_them_before_numpy_is_imported():
    code = (
        "import os, sys\n"
        "for k in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.pop(k, None)\n"
        "import geoverify.cli as c\n"
        "assert 'numpy' not in sys.modules\n"
        "sys.argv = ['geoverify', '--version']\n"
        "try:\n"
        "    c.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["1", "1"]
