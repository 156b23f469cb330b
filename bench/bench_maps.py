"""How long a verdict map of the Sergeevka case takes (issue: under 2 s each).

Prints, for PNG, SVG and HTML: the time to build the scene and render the
file with a warm index (median of 5 runs, after one warm-up), the file size,
and the cold command-line time of ``geoverify verify ARTICLE --map FILE``
(a fresh interpreter: imports, index opening, verify and the map).

Uses the real pipeline (``geoverify.verify`` and the built index); if that is
not available it says so and times the hand-built report of tests/test_maps.py
on its hand-drawn boundaries instead.

Run: ``.venv/bin/python bench/bench_maps.py``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "articles" / "001_a1998207a4a2e502.txt"
RUNS = 5


def _report():
    """(report, boundaries, label): the real pipeline if it runs, else the hand-built case."""
    try:
        from geoverify.pipeline import verify

        t = time.perf_counter()
        report = verify(ARTICLE.read_text(encoding="utf-8"))
        took = time.perf_counter() - t
        return report, None, f"real pipeline (verify took {took:.2f} s, warming the index)"
    except Exception as exc:  # noqa: BLE001 - report why and fall back
        sys.path.insert(0, str(ROOT / "tests"))
        from test_maps import FakeBoundaries, sergeevka_report

        fake = FakeBoundaries()
        why = f"{exc.__class__.__name__}: {exc}"
        return sergeevka_report(fake), fake, f"hand-built report on hand-drawn boundaries ({why})"


def main() -> int:
    from geoverify.maps import render_scene
    from geoverify.maps.scene import build_scene

    report, boundaries, label = _report()
    print(f"case: {ARTICLE.name}; {label}")
    print(f"claims: {len(report.claims)}, locations: {len(report.locations)}, overall: {report.verdict}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        build_scene(report, boundaries)  # warm-up: index, polygons, matplotlib import
        print(f"first scene (cold caches): {time.perf_counter() - t:.3f} s")
        for ext in ("png", "svg", "html"):
            out = tmp / f"map.{ext}"
            render_scene(build_scene(report, boundaries), out)  # warm-up of the renderer
            scene_t, render_t = [], []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                scene = build_scene(report, boundaries)
                t1 = time.perf_counter()
                render_scene(scene, out)
                t2 = time.perf_counter()
                scene_t.append(t1 - t0)
                render_t.append(t2 - t1)
            total = [a + b for a, b in zip(scene_t, render_t, strict=True)]
            print(
                f"{ext:4s} warm: {statistics.median(total):.3f} s "
                f"(scene {statistics.median(scene_t):.3f} s + render {statistics.median(render_t):.3f} s; "
                f"max {max(total):.3f} s), {out.stat().st_size / 1024:.0f} KiB"
            )
        if boundaries is None:
            exe = Path(sys.executable).with_name("geoverify")
            for ext in ("png", "html"):
                out = tmp / f"cli.{ext}"
                t = time.perf_counter()
                done = subprocess.run(
                    [str(exe), "verify", str(ARTICLE), "--format", "json", "--map", str(out)],
                    capture_output=True,
                    text=True,
                )
                took = time.perf_counter() - t
                state = "ok" if out.exists() and done.returncode in (0, 1) else f"failed ({done.stderr.strip()[:120]})"
                print(f"cold CLI verify --map {ext}: {took:.2f} s, exit {done.returncode}, {state}")
        else:
            print("cold CLI: skipped (the real pipeline is not available)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
