"""geoverify.batch.runner: committed chunks, resume after Ctrl-C and kill -9, workers, manifest checks.

The per-row verifier is injected (:func:`fake_verify`), so these tests exercise the
machinery on known answers: each word "ok" of a row's text is a consistent claim,
"bad" an inconsistent one, "huh" an unverifiable one. A switch file (JSON, at the path
in ``GV_FAKE_SWITCH``) makes it raise KeyboardInterrupt (``interrupt_at``) or SIGKILL
its process (``kill_at``; with ``kill_group`` the whole process group) at one row, in
this process or in a worker. (A file, not environment variables: worker processes
come from a fork server that keeps the environment it started with.)
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from geoverify.batch.io import open_input
from geoverify.batch.rows import RESULT_COLUMNS, RowSpec
from geoverify.batch.runner import (
    BatchInterrupted,
    BatchStateError,
    PartsStore,
    run_batch,
)
from geoverify.errors import DataError, InputError
from geoverify.geodesy import distance_km
from geoverify.model import (
    CONSISTENT,
    INCONSISTENT,
    UNVERIFIABLE,
    Claim,
    ClaimResult,
    Report,
)

HERE = Path(__file__).parent
PATTERNS = ["ok", "bad ok", "huh", "ok ok", "nothing here"]
REFERENCE = (4.3667, 18.5833)  # the fake's reference point (Bangui)
SWITCH = Path(os.environ.setdefault("GV_FAKE_SWITCH", str(Path(tempfile.mkdtemp()) / "switch.json")))


def _switch() -> dict:
    try:
        return json.loads(Path(os.environ["GV_FAKE_SWITCH"]).read_text())
    except (KeyError, OSError, ValueError):
        return {}


def fake_verify(text, at=(), all_mentions=False):
    """A stand-in for geoverify.pipeline.verify with known answers (see the module docstring)."""
    words = text.split()
    if len(words) > 1 and words[0] == "row":
        switch = _switch()
        if switch.get("interrupt_at") == words[1]:
            raise KeyboardInterrupt
        if switch.get("kill_at") == words[1]:
            if switch.get("kill_group"):
                os.killpg(os.getpgid(0), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
    if "crash" in words:
        raise ValueError("the fake crashed")
    if "nodata" in words:
        raise DataError("index missing")
    report = Report(locations=list(at))
    pos = 0
    for word in words:
        verdict = {"ok": CONSISTENT, "bad": INCONSISTENT, "huh": UNVERIFIABLE}.get(word)
        if verdict:
            claim = Claim(text=word, start=pos, end=pos + len(word), kind="near", target="Bangui")
            if verdict == UNVERIFIABLE:
                evidence = {"reason": f"{word!r} not found in the gazetteer"}
            else:
                d = distance_km(at[0].lat, at[0].lon, *REFERENCE) if at else 0.0
                evidence = {
                    "distance_km": round(d, 2),
                    "threshold_km": 10.0 if verdict == INCONSISTENT else 1e4,
                    "reference": "Bangui",
                    "rule": "near a place of 889231 people",
                }
            report.claims.append(ClaimResult(claim, verdict, evidence))
        pos += len(word) + 1
    return report


def write_rows(path: Path, n: int = 50, extra: str = "") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "description", "latitude", "longitude", "note"])
        for i in range(n):
            w.writerow(
                [
                    i,
                    f"row {i} {PATTERNS[i % len(PATTERNS)]}{extra}",
                    f"{4 + i / 100:.4f}",
                    f"{18 + i / 50:.4f}",
                    'comma, "quote"\nnewline' if i % 7 == 0 else "",
                ]
            )
    return path


SPEC = RowSpec("description", "latitude", "longitude")


def run(inp, out, **kw):
    kw.setdefault("verify_fn", fake_verify)
    kw.setdefault("workers", 1)
    kw.setdefault("chunk_size", 10)
    kw.setdefault("progress", False)
    return run_batch(inp, out, kw.pop("spec", SPEC), **kw)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def switch():
    """``switch(interrupt_at="27")`` arms the fake; ``switch()`` disarms it."""

    def arm(**kw):
        if kw:
            SWITCH.write_text(json.dumps(kw))
        else:
            SWITCH.unlink(missing_ok=True)

    yield arm
    SWITCH.unlink(missing_ok=True)


@pytest.fixture
def rows50(tmp_path):
    return write_rows(tmp_path / "events.csv")


@pytest.fixture
def reference_output(tmp_path, rows50):
    out = tmp_path / "reference.csv"
    run(rows50, out)
    return out.read_bytes()


def committed(out: Path) -> set[int]:
    parts = out.with_name(out.name + ".parts")
    return {int(p.name[6:14]) for p in parts.glob("chunk-*.jsonl")}


def test_every_row_once_in_order_with_its_verdict(tmp_path, rows50):
    out = tmp_path / "out.csv"
    summary = run(rows50, out)
    rows = read_csv(out)
    assert [r["id"] for r in rows] == [str(i) for i in range(50)]
    assert list(rows[0])[-len(RESULT_COLUMNS) :] == list(RESULT_COLUMNS)
    expected = {0: CONSISTENT, 1: INCONSISTENT, 2: UNVERIFIABLE, 3: CONSISTENT, 4: UNVERIFIABLE}
    for i, r in enumerate(rows):
        assert r["verdict"] == expected[i % 5], r
    assert rows[7]["note"] == 'comma, "quote"\nnewline'  # CSV quoting survives
    assert (rows[1]["n_consistent"], rows[1]["n_inconsistent"], rows[1]["n_unverifiable"]) == ("1", "1", "0")
    assert rows[3]["n_consistent"] == "2"
    # the worst claim of row 1 is the inconsistent one; its measured figure is the geodesic distance
    d = distance_km(4.01, 18.02, *REFERENCE)
    assert rows[1]["worst_claim"] == "bad"
    assert rows[1]["worst_measured"] == f"{round(d, 2):g} km"
    assert rows[1]["worst_threshold"] == "≤ 10 km"
    assert rows[1]["worst_reference"] == "Bangui"
    assert rows[2]["reason"] == "near claim 'huh': 'huh' not found in the gazetteer"
    assert rows[4]["reason"] == "no location claim found in the text"
    evidence = json.loads(rows[1]["evidence"])
    assert evidence["verdict"] == INCONSISTENT and len(evidence["claims"]) == 2
    assert evidence["locations"][0]["lat"] == 4.01 and evidence["locations"][0]["source"] == "--at"
    assert summary.rows == 50 and summary.verdicts == {CONSISTENT: 20, INCONSISTENT: 10, UNVERIFIABLE: 20}
    assert summary.claims == {CONSISTENT: 40, INCONSISTENT: 10, UNVERIFIABLE: 10}
    assert summary.exit_status == 1
    assert dict(summary.top_reasons()) == {
        "inconsistent near: near a place of N people": 10,
        "unverifiable near: '…' not found in the gazetteer": 10,
        "no location claim found in the text": 10,
    }
    assert not out.with_name("out.csv.parts").exists()


def test_keyboard_interrupt_at_row_27_then_resume(tmp_path, rows50, reference_output, switch):
    out = tmp_path / "out.csv"
    switch(interrupt_at="27")
    with pytest.raises(BatchInterrupted) as info:
        run(rows50, out)
    assert "2 of 5 chunks (20 of 50 rows) are committed" in str(info.value)
    assert not out.exists()
    assert committed(out) == {0, 1}
    switch()
    summary = run(rows50, out)
    assert (summary.resumed_rows, summary.computed_rows, summary.rows) == (20, 30, 50)
    assert out.read_bytes() == reference_output
    assert not out.with_name("out.csv.parts").exists()


def test_interrupt_in_a_worker_process_then_resume(tmp_path, rows50, reference_output, switch):
    out = tmp_path / "out.csv"
    switch(interrupt_at="27")
    with pytest.raises(BatchInterrupted):
        run(rows50, out, workers=2)
    assert 2 not in committed(out)
    switch()
    summary = run(rows50, out, workers=2)
    assert summary.resumed_rows + summary.computed_rows == 50
    assert out.read_bytes() == reference_output


def _killed_run(tmp_path, inp, out, workers, group):
    switch = tmp_path / "kill.json"
    switch.write_text(json.dumps({"kill_at": "27", "kill_group": group}))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "GV_FAKE_SWITCH": str(switch),
    }
    code = textwrap.dedent(f"""
        from test_batch_runner import run
        run({str(inp)!r}, {str(out)!r}, workers={workers})
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, start_new_session=True, timeout=120
    )
    return proc


def test_sigkill_mid_run_then_resume(tmp_path, rows50, reference_output):
    out = tmp_path / "out.csv"
    proc = _killed_run(tmp_path, rows50, out, workers=1, group=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert committed(out) == {0, 1}  # chunk 2 (rows 20-29) died with row 27
    parts = out.with_name("out.csv.parts")
    summary = run(rows50, out)
    assert (summary.resumed_rows, summary.computed_rows) == (20, 30)
    assert out.read_bytes() == reference_output
    assert not parts.exists()


def test_sigkill_of_the_whole_process_group_with_workers_then_resume(tmp_path, rows50, reference_output):
    out = tmp_path / "out.csv"
    proc = _killed_run(tmp_path, rows50, out, workers=2, group=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    before = committed(out)
    assert 2 not in before
    summary = run(rows50, out, workers=2)
    assert summary.resumed_rows == 10 * len(before)
    assert summary.resumed_rows + summary.computed_rows == 50
    assert out.read_bytes() == reference_output


def test_two_workers_write_the_same_output_as_one(tmp_path, rows50, reference_output):
    out = tmp_path / "out.csv"
    summary = run(rows50, out, workers=2, chunk_size=7)
    assert summary.workers == 2 and summary.executor == "processes"
    assert out.read_bytes() == reference_output  # chunk size does not change the output either
    # each worker process reports its peak memory (a fast worker may take every chunk: 1 or 2 pids)
    assert 1 <= len(summary.peak_rss_kb) <= 2 and all(kb > 1000 for kb in summary.peak_rss_kb.values())
    assert os.getpid() not in summary.peak_rss_kb


def test_a_changed_input_is_refused_until_restart(tmp_path, rows50, switch):
    out = tmp_path / "out.csv"
    switch(interrupt_at="27")
    with pytest.raises(BatchInterrupted):
        run(rows50, out)
    switch()
    write_rows(rows50, n=51)
    with pytest.raises(BatchStateError, match=r"input file changed since \(size \d+ → \d+ bytes"):
        run(rows50, out)
    summary = run(rows50, out, restart=True)
    assert summary.resumed_rows == 0 and summary.rows == 51


def test_changed_options_are_refused_and_named(tmp_path, rows50, switch):
    out = tmp_path / "out.csv"
    switch(interrupt_at="27")
    with pytest.raises(BatchInterrupted):
        run(rows50, out)
    switch()
    with pytest.raises(BatchStateError, match="tolerance_km 0.0 → 5.0"):
        run(rows50, out, spec=RowSpec("description", "latitude", "longitude", tolerance_km=5.0))
    with pytest.raises(BatchStateError, match="chunk size 10 → 20"):
        run(rows50, out, chunk_size=20)


def test_a_second_run_on_the_same_output_is_locked_out(tmp_path, rows50):
    out = tmp_path / "out.csv"
    other = PartsStore(out)
    other.begin({"format": 1}, restart=False)
    try:
        with pytest.raises(BatchStateError, match="another geoverify batch run"):
            run(rows50, out)
    finally:
        other.close()


def test_a_damaged_committed_chunk_is_reported(tmp_path, rows50, switch):
    out = tmp_path / "out.csv"
    switch(interrupt_at="27")
    with pytest.raises(BatchInterrupted):
        run(rows50, out)
    switch()
    part = out.with_name("out.csv.parts") / "chunk-00000001.jsonl"
    part.write_text("\n".join(part.read_text().splitlines()[:9]) + "\n")
    with pytest.raises(BatchStateError, match=r"chunk-00000001.jsonl: 9 results for 10 rows"):
        run(rows50, out)


def test_keep_parts_keeps_the_committed_chunks(tmp_path, rows50):
    out = tmp_path / "out.csv"
    run(rows50, out, keep_parts=True)
    assert committed(out) == {0, 1, 2, 3, 4}
    manifest = json.loads((out.with_name("out.csv.parts") / "manifest.json").read_text())
    assert manifest["rows"] == 50 and manifest["chunk_size"] == 10
    assert manifest["options"]["text_column"] == "description"
    # a finished run with kept parts is simply re-assembled
    summary = run(rows50, out)
    assert summary.computed_rows == 0 and summary.resumed_rows == 50


def test_row_errors_are_reported_not_fatal_but_a_missing_index_is(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("description,latitude,longitude\nrow 0 ok,4.1,18.2\nrow 1 crash,4.1,18.2\n", encoding="utf-8")
    summary = run(inp, tmp_path / "out.csv")
    rows = read_csv(tmp_path / "out.csv")
    assert rows[1]["verdict"] == UNVERIFIABLE
    assert rows[1]["reason"] == "internal error: ValueError: the fake crashed"
    assert summary.errors == 1 and summary.verdicts[CONSISTENT] == 1
    inp.write_text("description,latitude,longitude\nrow 0 nodata,4.1,18.2\n", encoding="utf-8")
    with pytest.raises(DataError):
        run(inp, tmp_path / "out2.csv", restart=True)


def test_header_only_input_gives_header_only_output(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("description,latitude,longitude\n", encoding="utf-8")
    summary = run(inp, tmp_path / "out.csv")
    assert summary.rows == 0 and summary.exit_status == 0
    assert (tmp_path / "out.csv").read_text().strip() == "description,latitude,longitude," + ",".join(RESULT_COLUMNS)


def test_input_problems_are_one_line_errors(tmp_path, rows50):
    with pytest.raises(InputError, match=r"events.csv: no column 'lat' \(columns: 'id', 'description'"):
        run(rows50, tmp_path / "o.csv", spec=RowSpec("description", "lat", "lon"))
    with pytest.raises(InputError, match="would overwrite the input"):
        run(rows50, rows50)
    with pytest.raises(InputError, match=r"cannot tell the output format from the extension '.xlsx'"):
        run(rows50, tmp_path / "o.xlsx")
    bad = tmp_path / "bad.csv"
    bad.write_text("description,latitude,longitude\nrow 0 ok,1,2\nrow 1 ok,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv: line 3: 2 fields, the header has 3"):
        run(bad, tmp_path / "o.csv")


def test_the_output_is_written_atomically(tmp_path, rows50, monkeypatch):
    """A failure while assembling leaves neither a partial output nor a temporary file."""
    out = tmp_path / "out.csv"
    out.write_text("previous output\n")
    import geoverify.batch.io as io

    def broken(self, chunk, results):
        raise OSError("disk full")

    monkeypatch.setattr(io.TableWriter, "write", broken)
    with pytest.raises(OSError):
        run(rows50, out)
    assert out.read_text() == "previous output\n"
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []
    monkeypatch.undo()
    summary = run(rows50, out)  # every chunk was committed: only the assembly runs again
    assert summary.computed_rows == 0 and len(read_csv(out)) == 50


def test_input_table_chunks_cover_the_rows(tmp_path):
    inp = write_rows(tmp_path / "in.csv", n=23)
    table = open_input(inp)
    chunks = list(table.chunks(5))
    assert [(c.index, c.start, len(c)) for c in chunks] == [(0, 0, 5), (1, 5, 5), (2, 10, 5), (3, 15, 5), (4, 20, 3)]
    skipped = list(table.chunks(5, skip={1, 4}))
    assert [c.index for c in skipped] == [0, 2, 3]
    assert skipped[1].records[0]["id"] == "10"


# -- output faults: one line naming the path, no temporary file left (issue 17) ---------------
class _FullDisk:
    """A text file whose writes fail with ENOSPC once ``room`` characters are written."""

    def __init__(self, fh, room):
        self._fh, self._room = fh, room

    def write(self, text):
        self._room -= len(text)
        if self._room < 0:
            import errno

            raise OSError(errno.ENOSPC, "No space left on device")
        return self._fh.write(text)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def _fill_disk(monkeypatch, module, room, match="tmp"):
    real_open = open

    def fake_open(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        return _FullDisk(fh, room) if "w" in mode and match in str(path) else fh

    monkeypatch.setattr(module, "open", fake_open, raising=False)


def test_a_full_disk_while_writing_the_output_is_one_line_and_leaves_no_temp_file(tmp_path, rows50, monkeypatch):
    """It was `internal error: OSError: [Errno 28]` with no path, and a `.out.tmp-PID.csv` left behind."""
    import geoverify.batch.io as bio
    from geoverify.errors import OutputError

    out = tmp_path / "out.csv"
    _fill_disk(monkeypatch, bio, room=3000)
    with pytest.raises(OutputError) as info:
        run(rows50, out)
    assert str(info.value) == f"{out}: cannot write (No space left on device)"
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []
    monkeypatch.undo()
    summary = run(rows50, out)  # the committed chunks were kept: only the assembly runs again
    assert summary.computed_rows == 0 and len(read_csv(out)) == 50


def test_a_full_disk_while_committing_a_chunk_names_it_and_leaves_no_temp_file(tmp_path, rows50, monkeypatch):
    import geoverify.batch.runner as runner
    from geoverify.errors import OutputError

    out = tmp_path / "out.csv"
    _fill_disk(monkeypatch, runner, room=0, match="chunk-00000002")
    with pytest.raises(OutputError, match=r"out.csv.parts/chunk-00000002.jsonl: cannot write \(No space left"):
        run(rows50, out)
    parts = out.with_name("out.csv.parts")
    assert sorted(p.name for p in parts.iterdir() if p.name.startswith(("chunk", "."))) == [
        ".lock",
        "chunk-00000000.jsonl",
        "chunk-00000001.jsonl",
    ]


def test_an_unwritable_output_is_one_line_naming_it(tmp_path, rows50):
    """`-o /proc/x.csv` was `internal error: FileNotFoundError`."""
    from geoverify.errors import OutputError

    with pytest.raises(OutputError, match=r"^/proc/geoverify-test\.csv: cannot write here"):
        run(rows50, Path("/proc/geoverify-test.csv"))


# -- processes: workers die with the main process; a dead worker is named ---------------------
def _session(pid: int) -> list[tuple[int, str]]:
    # -ww: the whole command line (without it ps cuts lines at 80 columns, and in a checkout with a
    # long path "multiprocessing.forkserver" falls past the cut: the workers were never seen)
    out = subprocess.run(["ps", "-ww", "-o", "pid=,cmd=", "-s", str(pid)], capture_output=True, text=True).stdout
    return [(int(line.split()[0]), line) for line in out.splitlines() if line.strip() and "<defunct>" not in line]


def slow_verify(text, at=(), all_mentions=False, **kw):
    """:func:`fake_verify`, 50 ms a row (module level: workers unpickle it by name)."""
    import time

    time.sleep(0.05)
    return fake_verify(text, at=at, all_mentions=all_mentions, **kw)


def _slow_run(tmp_path, inp, out, workers=2):
    """A run whose rows take 50 ms each (``slow`` in the fake), in its own session."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    code = textwrap.dedent(f"""
        import test_batch_runner as t
        from geoverify.batch.runner import run_batch
        run_batch({str(inp)!r}, {str(out)!r}, t.SPEC, verify_fn=t.slow_verify, workers={workers},
                  chunk_size=5, progress=False)
    """)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_workers(proc, n, timeout=60.0):
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        children = [pid for pid, line in _session(proc.pid) if pid != proc.pid and "forkserver" in line]
        if len(children) >= n + 1:  # the fork server and its workers
            return children
        time.sleep(0.2)
    raise AssertionError(f"workers did not start: {_session(proc.pid)}")


def _wait_for_a_chunk(out, timeout=60.0):
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end and not committed(out):
        time.sleep(0.1)


def _gone(pid_of_session, timeout=15.0):
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not _session(pid_of_session):
            return True
        time.sleep(0.2)
    left = _session(pid_of_session)
    for pid, _ in left:  # do not leave them to the next test
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_main_process(tmp_path, sig):
    """kill -9 / kill -TERM of the main process left the forkserver, 2 workers and the resource
    tracker alive (~290 MB, still there after 92 s)."""
    inp = write_rows(tmp_path / "events.csv", n=400)
    proc = _slow_run(tmp_path, inp, tmp_path / "out.csv")
    _wait_for_workers(proc, 2)
    _wait_for_a_chunk(tmp_path / "out.csv")
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert _gone(proc.pid) is True
    if sig == signal.SIGTERM:
        assert "terminated (SIGTERM):" in err.decode() and "run the same command again to resume" in err.decode()
    assert committed(tmp_path / "out.csv")  # what was done is kept for the resume


def test_a_killed_worker_says_so_and_how_to_resume(tmp_path):
    inp = write_rows(tmp_path / "events.csv", n=400)
    proc = _slow_run(tmp_path, inp, tmp_path / "out.csv")
    workers = _wait_for_workers(proc, 2)
    os.kill(max(workers), signal.SIGKILL)  # a worker (the fork server is the lowest pid)
    _, err = proc.communicate(timeout=60)
    lines = err.decode().strip().splitlines()
    assert proc.returncode != 0
    assert "WorkerDied: a worker process died" in lines[-1] and "run the same command again to resume" in lines[-1]
    assert "BrokenProcessPool" not in err.decode().split("WorkerDied")[-1]
    assert _gone(proc.pid) is True
