"""Speed of the verdict stage (issue 4), printed as figures.

- ``geoverify verify`` on one article, cold, from the shell (interpreter start,
  index load, extraction, resolution, checks, output): median of 5.
- warm ``geoverify.verify`` on a 5 kB article: median and p95 of 50 runs.
- throughput over 10,000 article-sized texts (the five excerpts, varied) with one
  ``--at`` each, on one core.

Run: ``.venv/bin/python bench/bench_verify.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
GEOVERIFY = str(Path(sys.executable).parent / "geoverify")
AT = "44.326859, 131.668647"


def cold_cli() -> list[float]:
    article = next(p for p in ARTICLES if p.name.startswith("001_"))
    times = []
    for _ in range(5):
        t = time.perf_counter()
        proc = subprocess.run([GEOVERIFY, "verify", str(article), "--format", "json"], capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        assert proc.returncode in (0, 1), proc.stderr
    return times


def five_kb_article() -> str:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in ARTICLES)
    while len(text.encode()) < 5000:
        text += "\n\n" + text
    return text[:5000]


def main() -> None:
    import geoverify
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer.boundaries import get_boundaries

    cold = cold_cli()
    print(
        f"cold `geoverify verify` on one article (001, 1.8 kB): median {statistics.median(cold):.2f} s, "
        f"min {min(cold):.2f} s over 5 runs (aim < 2 s)"
    )

    t = time.perf_counter()
    get_gazetteer()
    get_boundaries()
    geoverify.verify("warm-up: in Primorsky Krai, near the China border.", at=[AT])
    print(f"index load + first verify in a fresh process: {time.perf_counter() - t:.2f} s")

    text = five_kb_article()
    runs = []
    for _ in range(50):
        t = time.perf_counter()
        report = geoverify.verify(text, at=[AT])
        runs.append((time.perf_counter() - t) * 1000)
    runs.sort()
    print(
        f"warm geoverify.verify on a 5 kB article ({len(report.claims)} claims, {len(report.mentions)} mentions, "
        f"{len(report.locations)} locations): median {statistics.median(runs):.1f} ms, "
        f"p95 {runs[int(0.95 * len(runs)) - 1]:.1f} ms (aim < 50 ms)"
    )

    n = int(os.environ.get("BENCH_VERIFY_TEXTS", "10000"))
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    # vary each text a little so no cache sees the same string twice
    corpus = [f"{texts[i % len(texts)]}\n\nItem {i}." for i in range(n)]
    t = time.perf_counter()
    cpu = time.process_time()
    for body in corpus:
        geoverify.verify(body, at=[AT])
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    print(
        f"throughput: {n} article-sized texts with one --at: {n / wall:.0f} texts/s wall, "
        f"{n / cpu:.0f} texts/s CPU, one core (aim > 100 texts/s); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
