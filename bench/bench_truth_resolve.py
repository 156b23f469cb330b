"""Truth figures for the resolver: acc@161 and median error on the dev geoparsing corpora.

Reads ``../shared/dev/geoparsing/{GeoVirus,WikToR}.jsonl`` (real data the project did not write; GPL-3.0
annotations, never copied into the repository) and skips with a message when it is absent. The definitions
are ../shared/dev/eval.py's: every gold toponym with a point is resolved with ``geoverify.resolve(phrase,
context=<its document>)``; the first candidate with a point is the answer; a hit when it lies within 161 km of
the gold point (haversine, R = 6371.0088 km); no answer is a miss.

Names/s is printed twice: by the wall clock and per CPU second of this process (the machine may be shared;
the goal, >= 2,000 names/s warm, is for an otherwise idle core).

Also printed: the median error of the answered toponyms, how many got no answer, the share the index could
reach at all (some candidate within 161 km: the ceiling for any ranking), and warm names/s (the index open,
after one warm-up name).

    .venv/bin/python bench/bench_truth_resolve.py [geovirus|wiktor ...] [--show N]
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

# ../shared/dev beside the repository (GEOVERIFY_DEV_DIR overrides it, e.g. from a git worktree)
DEV = (
    Path(os.environ.get("GEOVERIFY_DEV_DIR") or Path(__file__).resolve().parent.parent.parent / "shared" / "dev")
    / "geoparsing"
)
CORPORA = {"geovirus": "GeoVirus.jsonl", "wiktor": "WikToR.jsonl"}
HIT_KM = 161.0


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def run(which: str, show: int = 0) -> dict:
    import geoverify

    docs = [json.loads(line) for line in (DEV / CORPORA[which]).open(encoding="utf-8")]
    geoverify.resolve("London")  # warm: the index open
    n = hit = none = 0
    errors, wrong = [], []
    t0, c0 = time.perf_counter(), time.process_time()
    answers = []
    for doc in docs:
        for t in doc.get("toponyms", []):
            if t.get("lat") is None:
                continue
            try:
                cands = geoverify.resolve(t["phrase"], context=doc["text"])
            except Exception:  # noqa: BLE001 - as eval.py: a refusal is a miss
                cands = []
            answers.append((doc, t, [c for c in cands if c.lat is not None and c.lon is not None]))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    for _doc, t, cands in answers:
        n += 1
        gold = (float(t["lat"]), float(t["lon"]))
        if not cands:
            none += 1
            wrong.append((t["phrase"], "nothing"))
            continue
        d = km((cands[0].lat, cands[0].lon), gold)
        errors.append(d)
        if d <= HIT_KM:
            hit += 1
        else:
            wrong.append((t["phrase"], cands[0].name, cands[0].country, f"{d:.0f} km off"))
    # the ceiling: any candidate at all within 161 km (no context needed for that)
    reach = 0
    seen: dict[str, list] = {}
    for _doc, t, _ in answers:
        ph = t["phrase"]
        if ph not in seen:
            try:
                seen[ph] = [(c.lat, c.lon) for c in geoverify.resolve(ph, limit=None) if c.lat is not None]
            except Exception:  # noqa: BLE001
                seen[ph] = []
        gold = (float(t["lat"]), float(t["lon"]))
        reach += any(km(p, gold) <= HIT_KM for p in seen[ph])
    for w in wrong[:show]:
        print("  wrong:", *w)
    med = statistics.median(errors) if errors else float("nan")
    print(
        f"resolve {which}: acc@161km {100 * hit / n:.1f}% over {n} gold toponyms ({none} unanswered); "
        f"median error {med:.0f} km; reachable {100 * reach / n:.1f}%; {n / dt:.0f} names/s warm "
        f"({n / cpu:.0f} per CPU second)"
    )
    return {
        "corpus": which,
        "n": n,
        "acc161": hit / n,
        "median_km": med,
        "unanswered": none,
        "reachable": reach / n,
        "names_per_s": n / dt,
        "names_per_cpu_s": n / cpu,
    }


def main(argv: list[str]) -> int:
    show = 0
    if "--show" in argv:
        i = argv.index("--show")
        show = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    if not DEV.is_dir():
        print(f"bench_truth_resolve: skipped: {DEV} is absent (the dev corpora live outside the repository)")
        return 0
    for which in argv or list(CORPORA):
        run(which, show)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
