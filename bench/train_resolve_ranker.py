"""Train the resolver's ranking weights (geoverify/data/resolve_ranker.json) on the dev geoparsing corpora.

Reads ``../shared/dev/geoparsing/{GeoVirus,WikToR}.jsonl`` at train time (GPL-3.0 annotations: nothing of
them is written into the repository; only the learned weights and the figures below are). Skips with a
message when ../shared is absent.

For every gold toponym it resolves the phrase in its document's context through the project's own code
(``Gazetteer.resolve(..., explain=True)`` with unit weights, so every feature is reported), labels each
candidate "right" when it lies within 161 km of the gold point (eval.py's acc@161), and fits a pairwise
logistic regression (scikit-learn; right-minus-wrong feature differences within one toponym) -- a ranking
model whose weights are the logit's. The kind prior is learned as one weight per kind (place = 0).

Overfitting check: the model is trained on each corpus alone and scored on the other (both directions);
the shipped model is trained on both, each corpus weighted equally, and those cross figures go into the
model file and DATA.md.

    .venv/bin/pip install scikit-learn    # not a runtime dependency
    .venv/bin/python bench/train_resolve_ranker.py [--out geoverify/data/resolve_ranker.json] [--C 1.0]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared/dev beside the repository (GEOVERIFY_DEV_DIR overrides it, e.g. from a git worktree)
DEV = (
    Path(os.environ.get("GEOVERIFY_DEV_DIR") or Path(__file__).resolve().parent.parent.parent / "shared" / "dev")
    / "geoparsing"
)
CORPORA = {"geovirus": "GeoVirus.jsonl", "wiktor": "WikToR.jsonl"}
HIT_KM = 161.0
MAX_NEGATIVES = 30
#: Right candidates a kind needs in the corpora to have its prior learned.
MIN_KIND_SUPPORT = 30


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def unit_model():
    from geoverify.gazetteer import rank as R

    return R.Model({f: 1.0 for f in R.FEATURES}, {}, {"source": "training"})


def harvest(which: str):
    """[(features per candidate, kinds, labels)] per gold toponym, through the project's resolver."""
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer import rank as R

    g = get_gazetteer()
    R.load_model.cache_clear()
    real = R.load_model
    R.load_model = lambda path=None: unit_model()  # every feature reported with its raw value
    out = []
    try:
        for line in (DEV / CORPORA[which]).open(encoding="utf-8"):
            doc = json.loads(line)
            for t in doc.get("toponyms", []):
                if t.get("lat") is None:
                    continue
                try:
                    cands = g.resolve(t["phrase"], context=doc["text"], limit=None, explain=True)
                except Exception:  # noqa: BLE001 - a name the resolver refuses is a miss, as in eval.py
                    cands = []
                cands = [c for c in cands if c.lat is not None]
                rows, kinds, labels = [], [], []
                for c in cands:
                    items = c.extra["explanation"]["evidence"]
                    # learned features by name; fixed factors and hand-set weights as one offset
                    feats = {
                        e["evidence"]: e["value"]
                        for e in items
                        if e["evidence"] in R.WEIGHTED and e["evidence"] not in R.FIXED_WEIGHTS
                    }
                    fixed = sum(e["effect"] for e in items if e["evidence"] not in R.WEIGHTED)
                    fixed += sum(
                        R.FIXED_WEIGHTS[e["evidence"]] * e["value"] for e in items if e["evidence"] in R.FIXED_WEIGHTS
                    )
                    rows.append((feats, fixed))
                    kinds.append(c.kind)
                    labels.append(km(c.lat, c.lon, float(t["lat"]), float(t["lon"])) <= HIT_KM)
                out.append((rows, kinds, labels))
    finally:
        R.load_model = real
    return out


EXCLUDE: set[str] = set()


def learned():
    from geoverify.gazetteer import rank as R

    return [f for f in R.FEATURES if f != "kind" and f not in R.FIXED_WEIGHTS and f not in EXCLUDE]


def design(data, kinds_order):
    import numpy as np

    names = learned()
    X = []
    for rows, kinds, labels in data:
        m = []
        for (feats, _fixed), k in zip(rows, kinds):
            m.append([feats.get(f, 0.0) for f in names] + [1.0 if k == kk else 0.0 for kk in kinds_order])
        X.append((np.asarray(m, dtype=float), np.asarray([fx for _, fx in rows]), np.asarray(labels)))
    return X


def pairs(X, seed=0, weight=1.0):
    import numpy as np

    rng = np.random.default_rng(seed)
    D, W = [], []
    for A, _fixed, y in X:
        if len(y) < 2 or not y.any() or y.all():
            continue
        pos = int(np.flatnonzero(y)[0])
        neg = np.flatnonzero(~y)
        if len(neg) > MAX_NEGATIVES:
            neg = rng.choice(neg, MAX_NEGATIVES, replace=False)
        for n in neg:
            D.append(A[pos] - A[n])
            W.append(weight / len(neg))
    return np.asarray(D), np.asarray(W)


def fit(parts, C):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    D = np.vstack([p[0] for p in parts] + [-p[0] for p in parts])
    W = np.concatenate([p[1] for p in parts] * 2)
    y = np.concatenate([np.ones(sum(len(p[0]) for p in parts)), np.zeros(sum(len(p[0]) for p in parts))])
    m = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    m.fit(D, y, sample_weight=W)
    return m.coef_[0]


def accuracy(X, w):
    import numpy as np

    hit = n = 0
    for A, fixed, y in X:
        n += 1
        if len(y):
            hit += bool(y[int(np.argmax(A @ w + fixed))])
    return hit / max(n, 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "geoverify" / "data" / "resolve_ranker.json"))
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument(
        "--cache",
        help="keep the harvested features in this file (outside the repository: they derive "
        "from the GPL-3.0 corpora) and reuse them on the next run",
    )
    ap.add_argument(
        "--exclude",
        default="",
        help="comma-separated features to leave out (to measure what each earns); with --dry-run nothing is written",
    )
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    EXCLUDE.update(f for f in args.exclude.split(",") if f)
    if not all((DEV / f).exists() for f in CORPORA.values()):
        print(f"train_resolve_ranker: skipped: {DEV} is absent (the dev corpora are not part of the repository)")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_resolve_ranker: needs scikit-learn (.venv/bin/pip install scikit-learn)")
        return 1
    from geoverify.gazetteer import rank as R

    t0 = time.perf_counter()
    if args.cache and Path(args.cache).exists():
        import pickle

        data = pickle.loads(Path(args.cache).read_bytes())
    else:
        data = {w: harvest(w) for w in CORPORA}
        if args.cache:
            import pickle

            Path(args.cache).write_bytes(pickle.dumps(data))
    support: dict[str, int] = {}
    for d in data.values():
        for _, kinds, labels in d:
            for k, y in zip(kinds, labels):
                support[k] = support.get(k, 0) + bool(y)
    # a kind is learned when enough of its candidates are right; others keep rank.KIND_PRIOR
    kinds_order = sorted(k for k, n in support.items() if n >= MIN_KIND_SUPPORT and k != "place")
    X = {w: design(d, kinds_order) for w, d in data.items()}
    names = learned() + [f"kind={k}" for k in kinds_order]
    figures = {}
    oracle = {w: sum(bool(y.any()) for _, _, y in X[w]) / len(X[w]) for w in X}
    for tr, te in (("geovirus", "wiktor"), ("wiktor", "geovirus")):
        w = fit([pairs(X[tr])], args.C)
        figures[f"trained on {tr}"] = {tr: round(100 * accuracy(X[tr], w), 1), te: round(100 * accuracy(X[te], w), 1)}
    total = sum(len(X[c]) for c in X)  # each corpus weighs half, the sum of weights stays the toponym count
    w = fit([pairs(X[c], weight=total / (len(X) * max(1, len(X[c])))) for c in X], args.C)
    figures["trained on both (shipped)"] = {c: round(100 * accuracy(X[c], w), 1) for c in X}
    figures["oracle (any candidate within 161 km)"] = {c: round(100 * v, 1) for c, v in oracle.items()}
    coef = dict(zip(names, (float(v) for v in w)))
    weights = {f: round(coef.get(f, 0.0), 4) for f in learned()}
    weights["kind"] = 1.0
    weights.update(R.FIXED_WEIGHTS)
    kind_prior = {"place": 0.0, **{k: round(coef[f"kind={k}"], 4) for k in kinds_order}}
    model = {
        "description": "geoverify resolver ranking weights (pairwise logistic regression); see "
        "geoverify/gazetteer/rank.py and bench/train_resolve_ranker.py",
        "trained_on": "GeoVirus (Gritta et al. 2018, 229 WikiNews articles) and WikToR (Gritta et al. 2017, "
        "5,000 Wikipedia articles) gold toponyms, ../shared/dev/geoparsing; annotations GPL-3.0, "
        "only these weights derive from them",
        "label": f"candidate within {HIT_KM:.0f} km of the gold point",
        "C": args.C,
        "acc_at_161_percent": figures,
        "weights": weights,
        "fixed_weights": R.FIXED_WEIGHTS,
        "kinds_learned": kinds_order,
        "kind_prior": kind_prior,
    }
    for k, v in figures.items():
        print(f"{k}: " + ", ".join(f"{c} {a:.1f}%" for c, a in v.items()))
    if args.dry_run:
        print(json.dumps(weights), json.dumps(kind_prior))
        return 0
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
