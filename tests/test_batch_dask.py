"""geoverify.batch.dask_runner on a LocalCluster of two worker processes: same output as one machine.

Skipped only when Dask is not installed (the ``dask`` extra: ``pip install 'geoverify[dask]'``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_batch_runner import SWITCH, fake_verify, write_rows

from geoverify.batch.rows import RowSpec
from geoverify.batch.runner import BatchInterrupted, run_batch

distributed = pytest.importorskip(
    "distributed", reason="Dask is not installed: pip install 'geoverify[dask]' to run the Dask tests"
)
pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed: pip install 'geoverify[dask]'")

SPEC = RowSpec("description", "latitude", "longitude")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    # Workers get one fixed hash seed, like the single-machine reference run of the real verifier
    # below: the gazetteer's typo search breaks score ties in (per-process randomised) set order.
    saved = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "0"
    try:
        with (
            LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40
            ) as cluster,
            Client(cluster) as c,
        ):
            yield c
    finally:
        if saved is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = saved


def test_dask_output_is_identical_to_a_single_machine_run(tmp_path, client):
    inp = write_rows(tmp_path / "events.csv", n=50)
    single = tmp_path / "single.csv"
    run_batch(inp, single, SPEC, verify_fn=fake_verify, workers=1, chunk_size=10, progress=False)
    out = tmp_path / "dask.csv"
    summary = run_batch(
        inp, out, SPEC, verify_fn=fake_verify, chunk_size=10, progress=False, scheduler=client, max_inflight=3
    )
    assert summary.executor == "dask" and summary.workers == 2
    assert out.read_bytes() == single.read_bytes()
    assert summary.rows == 50 and summary.computed_rows == 50
    # the worker processes that took part report their peak memory
    assert 1 <= len(summary.peak_rss_kb) <= 2


def test_a_run_interrupted_on_one_machine_finishes_on_dask(tmp_path, client):
    inp = write_rows(tmp_path / "events.csv", n=50)
    single = tmp_path / "single.csv"
    run_batch(inp, single, SPEC, verify_fn=fake_verify, workers=1, chunk_size=10, progress=False)
    out = tmp_path / "out.csv"
    SWITCH.write_text('{"interrupt_at": "27"}')
    try:
        with pytest.raises(BatchInterrupted):
            run_batch(inp, out, SPEC, verify_fn=fake_verify, workers=1, chunk_size=10, progress=False)
    finally:
        SWITCH.unlink(missing_ok=True)
    summary = run_batch(inp, out, SPEC, verify_fn=fake_verify, chunk_size=10, progress=False, scheduler=client)
    assert (summary.resumed_rows, summary.computed_rows) == (20, 30)
    assert out.read_bytes() == single.read_bytes()


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, monkeypatch):
    from geoverify.batch import dask_runner
    from geoverify.errors import GeoverifyError

    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", "1s")
    inp = write_rows(tmp_path / "events.csv", n=5)
    with pytest.raises(GeoverifyError, match="cannot reach the Dask scheduler 'tcp://127.0.0.1:1'"):
        run_batch(inp, tmp_path / "o.csv", SPEC, verify_fn=fake_verify, progress=False, scheduler="tcp://127.0.0.1:1")


def test_the_real_verifier_on_dask_matches_one_machine(tmp_path, client):
    """UCDP sample, real gazetteer and boundaries loaded once per Dask worker (plugin): same bytes
    as ``geoverify batch -j 1`` on this machine."""
    sample = Path(__file__).parent / "data" / "ucdp_ged_car_sample.csv"
    spec = RowSpec("where_description", "latitude", "longitude", precision_column="where_prec", precision_scheme="ucdp")
    reference = tmp_path / "one.csv"
    geoverify = shutil.which("geoverify", path=str(Path(sys.executable).parent))
    proc = subprocess.run(
        [
            geoverify,
            "batch",
            str(sample),
            "-o",
            str(reference),
            "-t",
            "where_description",
            "--lat-column",
            "latitude",
            "--lon-column",
            "longitude",
            "--precision-column",
            "where_prec",
            "--precision-scheme",
            "ucdp",
            "-j",
            "1",
            "--chunk-size",
            "20",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert proc.returncode in (0, 1), proc.stderr
    out = tmp_path / "dask.csv"
    summary = run_batch(sample, out, spec, chunk_size=20, progress=False, scheduler=client)
    assert summary.executor == "dask" and summary.rows == 96
    assert out.read_bytes() == reference.read_bytes()
