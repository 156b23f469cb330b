"""The fault trial of issue 17 (items 1-4 and 6), on copies of the index: held or failed.

Each fault is reproduced on a fresh copy of the built index in a temporary directory (the
real index is never touched) through the command line, and judged:

- 1a  16 bytes flipped in the middle of the file: ``where -- -6.17,35.74`` must refuse (one line),
      not answer;
- 1b  then ``resolve Kyiv`` must not re-certify the file ("recorded again"), and ``data info``
      must not say ``status: ok``;
- 1c  one byte flipped inside a page of the names table: ``data info`` says corrupt (never beside
      ``status: ok``), and ``resolve`` fails in one line, never "internal error";
- 2   threads: fresh processes whose threads call ``where`` / ``verify`` at once (see
      bench_threads.py for more runs): no abort, the serial answers;
- 3   ``kill -9`` in the middle of ``data import``: the index still answers, no journal is left
      beside it;
- 4   a read-only data directory (``chattr +i``; needs root on ext4, else skipped) with a damaged
      index and a sound one in the fallback directory: resolve, where, check, verify, batch and
      data info all use the fallback, and ``data build`` does not rebuild; with a sound read-only
      index, ``data build`` builds nothing in the fallback;
- 6   a no-op ``data build`` leaves the index's mtime and batch's resume key unchanged.

Run: ``.venv/bin/python bench/bench_faults.py [ITEM ...]`` (default: all). Set PYTHONPATH to another
checkout to judge it (on a checkout that rebuilds during reads, items 3 and 4 start a full rebuild).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS: list[tuple[str, str, str]] = []
#: make a copy of the index "up to date" for these sources and this code (as a build here would
#: have made it): its fingerprint set, its checksum recorded again
FRESH = (
    "import sqlite3, sys\n"
    "from pathlib import Path\n"
    "from geoverify.gazetteer import integrity\n"
    "from geoverify.gazetteer.build.index import source_fingerprint\n"
    "p = Path(sys.argv[1])\n"
    "c = sqlite3.connect(p); c.execute(\"UPDATE meta SET value=? WHERE key='fingerprint'\", "
    "(source_fingerprint(Path(sys.argv[2])),)); c.commit(); c.close()\n"
    "integrity.record(p)\n"
)


ONLY: set[str] = set()


def wanted(item: str) -> bool:
    return not ONLY or item in ONLY


def judge(item: str, held: bool, detail: str) -> None:
    RESULTS.append((item, "held" if held else "FAILED", detail))
    print(f"{item:4} {'held' if held else 'FAILED':7} {detail}", flush=True)


def gv(env: dict, *args: str, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geoverify", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_index(src: Path, data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    for name in ("geoverify.sqlite", "geoverify.sqlite.integrity.json"):
        if src.with_name(name).exists():
            shutil.copyfile(src.with_name(name), data / name)
    return data / "geoverify.sqlite"


def flip(path: Path, offset: int, n: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        block = fh.read(n)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xFF for b in block))


def env_for(tmp: Path, data: Path) -> dict:
    env = dict(os.environ)
    env.update(GEOVERIFY_DATA_DIR=str(data), XDG_CACHE_HOME=str(tmp / "cache"))
    return env


def one_line(proc: subprocess.CompletedProcess) -> bool:
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("geoverify: error:")]
    return (
        proc.returncode == 2
        and len(lines) == 1
        and "internal error" not in proc.stderr
        and "Traceback" not in proc.stderr
    )


def main() -> int:
    ONLY.update(sys.argv[1:])
    sys.path.insert(0, str(ROOT))
    from geoverify import config

    real = config.index_path()
    if not real.exists():
        print(f"skipped: no index at {real}; run `make install`")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="geoverify-faults-"))
    try:
        trial(real, tmp)
    finally:
        subprocess.run(["chattr", "-R", "-i", str(tmp)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [r for r in RESULTS if r[1] != "held"]
    print(f"\n{len(RESULTS) - len(failed)} held, {len(failed)} failed")
    return 1 if failed else 0


def trial(real: Path, tmp: Path) -> None:
    if wanted("1a") or wanted("1b"):
        trial_1ab(real, tmp)
    if wanted("1c"):
        trial_1c(real, tmp)
    if wanted("2"):
        trial_2()
    if wanted("3"):
        trial_3(real, tmp)
    if wanted("4"):
        trial_4(real, tmp)
    if wanted("6"):
        trial_6(real, tmp)


def trial_1ab(real: Path, tmp: Path) -> None:
    # 1a, 1b: 16 bytes flipped in the middle
    data = tmp / "f1"
    index = copy_index(real, data)
    env = env_for(tmp, data)
    sound = gv(env, "where", "--format", "json", "--", "-6.17,35.74")
    edge = json.loads(sound.stdout)["country"]["distance_to_edge_km"] if sound.returncode == 0 else None
    flip(index, index.stat().st_size // 2, 16)
    broken = gv(env, "where", "--format", "json", "--", "-6.17,35.74")
    got = json.loads(broken.stdout)["country"]["distance_to_edge_km"] if broken.returncode == 0 else None
    judge(
        "1a",
        one_line(broken) and "corrupt" in broken.stderr,
        "where -6.17,35.74 on the damaged copy: "
        + (f"answered {got} km to the edge (sound: {edge})" if got is not None else broken.stderr.strip()[:150]),
    )
    resolve = gv(env, "resolve", "Kyiv", "--format", "json")
    info = gv(env, "data", "info", "--format", "json")
    status = json.loads(info.stdout).get("status", "") if info.stdout.strip() else ""
    judge(
        "1b",
        "recorded again" not in resolve.stderr and status != "ok",
        f"resolve Kyiv exit {resolve.returncode} "
        f"({'re-certified' if 'recorded again' in resolve.stderr else 'not re-certified'}); "
        f"data info status: {status[:90]}",
    )


def trial_1c(real: Path, tmp: Path) -> None:
    # 1c: one byte flipped in a names page
    data = tmp / "f1c"
    index = copy_index(real, data)
    env = env_for(tmp, data)
    conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        page = conn.execute(
            "SELECT pageno FROM dbstat WHERE name='names' AND pagetype='leaf' LIMIT 1 OFFSET 2000"
        ).fetchone()[0]
    finally:
        conn.close()
    flip(index, (page - 1) * 4096 + 3000, 1)
    info = json.loads(gv(env, "data", "info", "--format", "json").stdout or "{}")
    contradiction = str(info.get("integrity", "")).startswith("corrupt") and info.get("status") == "ok"
    names = [gv(env, "resolve", q, "--format", "json") for q in ("Kyiv", "Kharkiv", "Sergeevka")]
    internal = [p for p in names if "internal error" in p.stderr]
    judge(
        "1c",
        not contradiction
        and not internal
        and info.get("status") != "ok"
        and str(info.get("integrity", "")).startswith("corrupt"),
        f"data info status {str(info.get('status'))[:60]!r}, integrity {str(info.get('integrity'))[:40]!r}; "
        f"{len(internal)} of 3 resolves gave an internal error",
    )


def trial_2() -> None:
    # 2: threads
    stress = ROOT / "tests" / "thread_stress.py"
    runs = [
        subprocess.run([sys.executable, str(stress), mode, str(n)], capture_output=True, text=True, timeout=900)
        for mode, n in (("world", 4), ("world", 4), ("verify", 16), ("verify", 16))
    ]
    aborts = sum(1 for r in runs if r.returncode < 0 or r.returncode == 134)
    differ = sum(1 for r in runs if r.returncode == 4)
    judge(
        "2",
        aborts == 0 and differ == 0 and all(r.returncode == 0 for r in runs),
        f"4 runs (2 x world/4 threads, 2 x verify/16 threads): {aborts} aborts, {differ} differ from serial",
    )


def trial_3(real: Path, tmp: Path) -> None:
    # 3: kill -9 during data import
    data = tmp / "f3"
    index = copy_index(real, data)
    env = env_for(tmp, data)
    dump = tmp / "big.txt"
    with open(dump, "w", encoding="utf-8") as fh:
        for i in range(400_000):
            fh.write(
                "\t".join(
                    [
                        str(99_500_000 + i),
                        f"Testovo {i}",
                        f"Testovo {i}",
                        "",
                        "44.5",
                        "131.5",
                        "P",
                        "PPL",
                        "RU",
                        "",
                        "59",
                        "",
                        "",
                        "",
                        "10",
                        "",
                        "100",
                        "Asia/Vladivostok",
                        "2024-10-18",
                    ]
                )
                + "\n"
            )
    proc = subprocess.Popen(
        [sys.executable, "-m", "geoverify", "data", "import", str(dump)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:  # wait until it writes something
        if index.with_name("geoverify.sqlite-journal").exists() or any(
            ".tmp-" in p.name and p.stat().st_size > 1e6 for p in data.iterdir()
        ):
            time.sleep(1.0)
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    journal = index.with_name("geoverify.sqlite-journal").exists()
    after = [
        gv(env, *args)
        for args in (("resolve", "Sergeyevka", "--format", "json"), ("where", "44.3,131.6", "--format", "json"))
    ]
    judge(
        "3",
        not journal and all(p.returncode == 0 for p in after),
        f"journal left beside the index: {journal}; resolve/where afterwards exit "
        f"{[p.returncode for p in after]} {' '.join(p.stderr.strip()[:80] for p in after if p.returncode)}",
    )


def trial_4(real: Path, tmp: Path) -> None:
    # 4: read-only data directory
    data = tmp / "f4"
    index = copy_index(real, data)
    env = env_for(tmp, data)
    flip(index, index.stat().st_size // 2, 16)
    fallback = copy_index(real, tmp / "cache" / "geoverify")  # built there earlier, from these sources:
    subprocess.run([sys.executable, "-c", FRESH, str(fallback), str(real.parent / "sources")], env=env, check=True)
    if subprocess.run(["chattr", "+i", str(data)], capture_output=True).returncode != 0:
        judge("4", True, "skipped: chattr +i unavailable (needs root on ext4)")
    else:
        try:
            rows = tmp / "rows.csv"
            rows.write_text("id,text,lat,lon\n1,near Vladivostok,43.1,131.9\n", encoding="utf-8")
            runs4 = {
                "resolve": gv(env, "resolve", "Vladivostok", "--format", "json"),
                "where": gv(env, "where", "43.1,131.9", "--format", "json"),
                "check": gv(env, "check", "--at", "43.1,131.9", "--claim", "near Vladivostok", "--format", "json"),
                "verify": gv(env, "verify", "-", "--format", "json", stdin="Shelling near Vladivostok (43.1, 131.9)."),
                "batch": gv(
                    env,
                    "batch",
                    str(rows),
                    "-t",
                    "text",
                    "--lat-column",
                    "lat",
                    "--lon-column",
                    "lon",
                    "-o",
                    str(tmp / "out.csv"),
                ),
            }
            info = json.loads(gv(env, "data", "info", "--format", "json").stdout or "{}")
            ok = [k for k, p in runs4.items() if p.returncode in (0, 1)] + (
                ["data info"] if info.get("path") == str(fallback) and info.get("status") == "ok" else []
            )
            build = gv(env, "data", "build", "--sources", str(real.parent / "sources"))
            rebuilt = "built" in build.stdout and "up to date" not in build.stdout and "sound" not in build.stdout
            judge(
                "4",
                len(ok) == 6 and not rebuilt,
                f"commands answering from the fallback: {', '.join(ok) or 'none'}; data build: "
                f"{(build.stdout.strip() or build.stderr.strip())[-90:]}",
            )
        finally:
            subprocess.run(["chattr", "-i", str(data)], capture_output=True)
        data = tmp / "f4b"
        copy_index(real, data)
        env = env_for(tmp, data)
        shutil.rmtree(tmp / "cache", ignore_errors=True)
        subprocess.run(["chattr", "+i", str(data)], capture_output=True)
        try:
            build = gv(env, "data", "build")
            made = (tmp / "cache" / "geoverify" / "geoverify.sqlite").exists()
        finally:
            subprocess.run(["chattr", "-i", str(data)], capture_output=True)
        judge(
            "4b",
            not made,
            f"sound read-only index: data build {'built a fallback index' if made else 'built nothing'}"
            f" ({(build.stdout.strip() or build.stderr.strip())[-80:]})",
        )


def trial_6(real: Path, tmp: Path) -> None:
    # 6: a no-op data build
    data = tmp / "f6"
    index = copy_index(real, data)
    env = env_for(tmp, data)
    src = real.parent / "sources"
    subprocess.run([sys.executable, "-c", FRESH, str(index), str(src)], env=env, check=True)
    key = (
        "import json; from geoverify.batch.runner import verifier_fingerprint; "
        "print(json.dumps(verifier_fingerprint(None), sort_keys=True))"
    )
    before_key = subprocess.run([sys.executable, "-c", key], env=env, capture_output=True, text=True).stdout
    mtime = index.stat().st_mtime_ns
    time.sleep(0.05)
    build = gv(env, "data", "build", "--sources", str(src))
    after_key = subprocess.run([sys.executable, "-c", key], env=env, capture_output=True, text=True).stdout
    judge(
        "6",
        "up to date" in build.stdout and index.stat().st_mtime_ns == mtime and before_key == after_key,
        f"no-op data build: {build.stdout.strip()[-40:]!r}; mtime "
        f"{'unchanged' if index.stat().st_mtime_ns == mtime else 'changed'}; batch resume key "
        f"{'unchanged' if before_key == after_key else 'changed'}",
    )


if __name__ == "__main__":
    sys.exit(main())
