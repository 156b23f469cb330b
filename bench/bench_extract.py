"""Benchmark of the extraction stage (geoverify.notation).

Run: ``.venv/bin/python bench/bench_extract.py`` (``--quick`` for smaller sizes). Prints

1. throughput of ``extract()`` on >= 10 MB of news prose (the article excerpts plus varied
   synthetic sentences full of numbers, dates, counts, money, times, phone numbers,
   versions and non-map URLs) with a sprinkling of coordinates in every notation;
2. growth with input size (1, 4, 16 MB): seconds and MB/s at each size;
3. the worst time of each extractor, and of ``extract()``, on 100 kB pathological inputs;
4. wall-clock of ``geoverify extract`` on a one-line input, including interpreter start
   (median of 5 runs).

Sizes are in MB of text (10**6 characters).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoverify.notation import (  # noqa: E402
    _prefilter,
    coordinates,
    extract,  # noqa: E402
    grids,
    pluscodes,
    urls,
)

COORDS = [
    "44.326859, 131.668647",
    "44°19'36.7\"N 131°40'07.1\"E",
    "N 44° 19.611' E 131° 40.119'",
    "4007.38N 07407.38W",
    "N395600E1192100",
    "69-18-00С 033-24-30В",
    "38SMB4484",
    "17T 630084 4833438",
    "8MG9+PFR Sergeevka, Primorsky Krai",
    "https://www.google.com/maps/@44.326859,131.668647,15z",
    "geo:44.326859,131.668647;u=35",
    "-33.8688, 151.2093",
]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(1, 200000)
    y = rng.randint(1950, 2025)
    templates = [
        f"On {rng.randint(1, 28)} March {y}, about {n:,} people gathered in the central square.",
        f"The company reported revenue of ${rng.randint(1, 999)}.{rng.randint(10, 99)} million, "
        f"up {rng.randint(1, 40)}.{rng.randint(0, 9)}% year on year.",
        f"Version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} was released at "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} on {y}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}.",
        f"Call +7 (423) {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)} for "
        f"details; the final score was {rng.randint(0, 5)}-{rng.randint(0, 5)}.",
        "Officials said the troops had been moving towards the border for several days, according to the ministry.",
        f"Temperatures reached {rng.randint(-20, 40)} C in the north and {rng.randint(0, 35)}°C in "
        f"the South East region on Oct. {rng.randint(1, 20)} to {rng.randint(21, 31)}.",
        f"Around {rng.randint(2, 12)},{rng.randint(100, 999)} North Korean soldiers and "
        f"{rng.randint(1, 9)}.{rng.randint(1, 9)} million residents were counted in {y}.",
        f"See https://twitter.com/user/status/{rng.randint(10**17, 10**18)}?s={rng.randint(1, 99)} "
        f"and www.example.com/news/{y}/{rng.randint(1, 12)}/{n}.html for more.",
        f"Shares fell {rng.randint(1, 9)},{rng.randint(1, 9)} % to {rng.randint(10, 99)},"
        f"{rng.randint(10, 99)} euros; 1,2 млн рублей were paid on {rng.randint(1, 28)}.10.{y}.",
        f"The E{rng.randint(1, 99)} and N{rng.randint(1, 20)} roads were closed between km "
        f"{rng.randint(1, 200)} and {rng.randint(201, 400)}, police said at 5 p.m.",
    ]
    return rng.choice(templates)


def corpus(size: int, seed: int = 1) -> str:
    """About ``size`` characters of news prose with a coordinate every ~5 kB."""
    rng = random.Random(seed)
    articles = [p.read_text() for p in sorted((ROOT / "fixtures" / "articles").glob("*.txt"))]
    parts: list[str] = []
    total = 0
    since = 0
    while total < size:
        if rng.random() < 0.05:
            chunk = rng.choice(articles)
        else:
            chunk = " ".join(_sentence(rng) for _ in range(rng.randint(3, 8))) + "\n\n"
        parts.append(chunk)
        total += len(chunk)
        since += len(chunk)
        if since > 5000:
            c = f"The position was given as {rng.choice(COORDS)} in the report.\n"
            parts.append(c)
            total += len(c)
            since = 0
    return "".join(parts)[:size]


PATHOLOGICAL = {
    "long digit run": "1" * 100_000,
    "1.1.1.1...": "1." * 50_000,
    "°°°°": "°" * 100_000,
    ", , , ,": ", " * 50_000,
    "1, 1, 1, ...": "1, " * 33_333,
    "44.3268, repeated": "44.3268, " * 11_111,
    "N N N": "N " * 50_000,
    "N1N1N1": "N1" * 50_000,
    "1 1 1 1": "1 " * 50_000,
    "1-1-1-1": "1-" * 50_000,
    "1:1:1:1": "1:" * 50_000,
    "+ + +": "+" * 100_000,
    "2+2+2+": "2+" * 50_000,
    "CCCCCCCC+": "C" * 100_000 + "+",
    "url run": "https://" + "a" * 99_990,
    "geo:geo:": "geo:" * 25_000,
    "44°44°44°": "44°" * 33_333,
    "4°4'4\"": "4°4'4\"" * 16_666,
    "digits and N": ("1234567 N " * 10_000),
    "33T 33T": "33T " * 25_000,
    "lat lat": "lat " * 25_000,
    "1,500, 2,600, ...": "1,500, " * 14_285,
}

EXTRACTORS = {
    "prefilter": lambda t: _prefilter.candidates(t),
    "coordinates": lambda t: coordinates.find_coordinates(t),
    "grids": lambda t: grids.find_grids(t),
    "pluscodes": lambda t: pluscodes.find_pluscodes(t),
    "urls": lambda t: urls.find_urls(t),
    "extract()": extract,
}


def _time(fn, *args, repeat: int = 1) -> float:
    """Best wall-clock time of ``repeat`` runs."""
    return _times(fn, *args, repeat=repeat)[0]


def _times(fn, *args, repeat: int = 1) -> tuple[float, float]:
    """Best wall-clock and best CPU (process) time of ``repeat`` runs. CPU time is what
    one core spends; wall-clock also counts waiting for a core on a busy machine."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(*args)
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main() -> None:
    quick = "--quick" in sys.argv
    # warm up imports and lazy libraries
    extract("44.326859, 131.668647 38SMB4484 17T 630084 4833438 8FVC9G8F+6X geo:1,2")

    if hasattr(os, "getloadavg"):
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    size = 2_000_000 if quick else 10_000_000
    text = corpus(size)
    wall, cpu = _times(extract, text, repeat=3)
    found = len(extract(text))
    print(
        f"throughput: {size / 1e6:.0f} MB of prose ({found} locations): "
        f"wall {wall:.3f} s = {size / wall / 1e6:.1f} MB/s, "
        f"CPU {cpu:.3f} s = {size / cpu / 1e6:.1f} MB/s (one core)"
    )

    articles = "".join(p.read_text() for p in sorted((ROOT / "fixtures" / "articles").glob("*.txt")))
    plain = (articles * (size // len(articles) + 1))[:size]
    wall, cpu = _times(extract, plain, repeat=3)
    print(
        f"throughput on the article excerpts repeated to {size / 1e6:.0f} MB "
        f"({len(extract(plain))} locations): CPU {cpu:.3f} s = {size / cpu / 1e6:.1f} MB/s"
    )

    print("growth with input size (best of 3):")
    big = corpus(16_000_000 if not quick else 4_000_000, seed=2)
    for mb in (1, 4, 16) if not quick else (1, 2, 4):
        part = big[: mb * 1_000_000]
        wall, cpu = _times(extract, part, repeat=3)
        print(
            f"  {mb:>2} MB: wall {wall:.3f} s ({mb / wall:.1f} MB/s), "
            f"CPU {cpu:.3f} s ({mb / cpu:.1f} MB/s, {cpu / mb * 1000:.1f} ms per MB)"
        )

    dense = "44.3268, 131.6686; " * 5_000  # 95 kB of valid coordinates
    wall, cpu = _times(extract, dense, repeat=3)
    n = len(extract(dense))
    print(
        f"dense valid coordinates: {len(dense) / 1000:.0f} kB, {n} locations, "
        f"CPU {cpu * 1000:.1f} ms ({cpu / n * 1e6:.1f} µs per location)"
    )

    print("pathological 100 kB inputs (CPU ms, best of 3; extract() is what callers run,")
    print("the others are each parser alone on the whole input, without the prefilter):")
    worst = {name: (0.0, "") for name in EXTRACTORS}
    for label, s in PATHOLOGICAL.items():
        times = {name: _times(fn, s, repeat=3)[1] for name, fn in EXTRACTORS.items()}
        for name, dt in times.items():
            if dt > worst[name][0]:
                worst[name] = (dt, label)
        cells = "  ".join(f"{name}={dt * 1000:.1f}" for name, dt in times.items())
        print(f"  {label:<20} {cells}  [{len(extract(s))} locations]")
    for name, (dt, label) in worst.items():
        print(f"  worst {name:<12} {dt * 1000:7.1f} ms  ({label})")

    exe = ROOT / ".venv" / "bin" / "geoverify"
    if exe.exists():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(
                [str(exe), "extract", "-"], input=b"44.326859, 131.668647\n", stdout=subprocess.DEVNULL, check=True
            )
            runs.append(time.perf_counter() - t0)
        print(
            f"cli one-line wall-clock: median {statistics.median(runs):.3f} s "
            f"(runs: {', '.join(f'{r:.3f}' for r in runs)})"
        )


if __name__ == "__main__":
    main()
