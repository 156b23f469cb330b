"""Benchmark of claim extraction (geoverify.claims.extract).

Prints
- milliseconds per 5 kB article (the article excerpts in fixtures/articles joined
  and cut to 5,000 characters at a paragraph end), without a gazetteer;
- throughput in MB/s on 1 MB of the same prose;
- the time per kB at 0.25, 0.5 and 1 MB (extraction should be linear: the ratios stay flat);
- milliseconds per 5 kB article with the real gazetteer as ``lookup``, when its index is built.

Run: ``.venv/bin/python bench/bench_claims.py``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoverify.claims.extract import extract_claims  # noqa: E402


def corpus(size: int) -> str:
    """At least ``size`` characters of article prose, ending at a paragraph break."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "articles").glob("*.txt"))]
    base = "\n\n".join(texts)
    out = []
    total = 0
    while total < size:
        out.append(base)
        total += len(base) + 2
    text = "\n\n".join(out)
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > size // 2 else size]


def best_time(fn, repeat: int, use_min: bool = False) -> float:
    """Median (or, for the few long runs, the fastest) of ``repeat`` timings, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) if use_min else statistics.median(times)


def main() -> None:
    article = corpus(5000)
    extract_claims(article)  # warm up (imports, regex compilation)
    per_article = best_time(lambda: extract_claims(article), 200)
    claims, mentions = extract_claims(article)
    print(
        f"claims: {per_article * 1000:.2f} ms per {len(article):,}-character article "
        f"({len(claims)} claims, {len(mentions)} mentions), no gazetteer"
    )

    sizes = [262_144, 524_288, 1_048_576]
    per_kb = []
    for size in sizes:
        text = corpus(size)
        t = best_time(lambda: extract_claims(text), 3, use_min=True)
        per_kb.append(t / (len(text) / 1000))
        if size == sizes[-1]:
            mb = len(text.encode("utf-8")) / 1e6
            print(f"claims: {mb / t:.2f} MB/s on {mb:.2f} MB ({t:.2f} s)")
    ratios = ", ".join(f"{s // 1024} kB: {v * 1000:.3f} ms/kB" for s, v in zip(sizes, per_kb))
    print(f"claims: linearity {ratios} (max/min {max(per_kb) / min(per_kb):.2f})")

    try:
        from geoverify.errors import GeoverifyError
        from geoverify.gazetteer import resolve

        resolve("Russia")
    except (ImportError, GeoverifyError) as exc:
        print(f"claims: with gazetteer: skipped ({exc})")
        return
    extract_claims(article, lookup=resolve)
    with_lookup = best_time(lambda: extract_claims(article, lookup=resolve), 20)
    print(f"claims: {with_lookup * 1000:.2f} ms per article with the gazetteer as lookup")


if __name__ == "__main__":
    main()
