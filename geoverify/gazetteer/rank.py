"""Ranking gazetteer candidates: which place a name means, given how it matched and what the text says.

Each candidate gets a logit, a sum of named pieces of evidence (``weight x value``), and the
candidates are ordered by it. The weights come from :data:`MODEL_FILE` (trained by
``bench/train_resolve_ranker.py``, a pairwise logistic regression: see that file and DATA.md for
what it was trained on and how it scores on data it did not see); the kind prior is a table so that
new kinds of place (districts, airports ...) slot in with a value of their own.

Evidence (feature names as they appear in ``explanation``):

===================  ===========================================================================
match                log of the name-match score (1 exact; transliteration and typo matches less)
transliteration      matched only through the transliteration skeleton
typo                 matched only through a typo-tolerant comparison
code                 matched a code (``GE``, ``US-GA``)
adjective            matched an adjective or demonym ("Russian")
kind                 the kind prior (:data:`KIND_PRIOR` below, or the model file's table)
population           log10(population + 1) / 7 for populated places
capital              a national capital
doc_country          share of the text's place evidence that lies in the candidate's country
doc_admin1           share of the text's evidence in its first-level region
near_country         the same, within a few lines of the name's own mentions (the first counts most)
near_admin1          the same for the first-level region
qualifier            the text writes "<name>, <its country/region>" at the name's first mention ("Dover,
                     Del."; writers qualify a name where they introduce it)
closeness            max over the text's other well-supported places and districts ("Robertson County, Texas")
                     of weight x exp(-d / 100 km)
namesake_city        a first-level region of a country that holds a city of >= 100,000 by the same name
                     ("Kharkiv", "Kyiv", "New York"): the city is often meant (not for countries:
                     "Mexico" is the country, not Mexico City) (not when a feature word says
                     "Kharkiv Oblast")
site_neighbour       a populated place beside a named site a military feature word matched
seat_namesake        a district or council whose point is within 50 km of a town of the same name in its
                     country, and no designator in the name: it is named after the town (fixed weight)
alternate_name       a populated place matched only through an alternate name that is no spelling of its
                     main name, while another candidate in its country has the name as its main name
                     ("Troy" is an old name of Shorewood, Illinois and the name of Troy, Illinois; "Franklin"
                     of El Paso and of Franklin, Texas): learned -0.69
===================  ===========================================================================

Fixed factors (not learned, added as ``FACTOR_WEIGHT x log(factor)``, ``HINT_WEIGHT`` for the hint): ``hint``
(how a feature word fits the kind: "X Oblast" prefers first-level regions), ``near_point`` (the caller's
``near``), ``qualifier_mismatch`` (a qualifier in the query the candidate is outside),
``outside_named_countries`` (0.9: the text names countries and this one is not among them). A transliteration
or typo match goes after every better exact match (``DISCIPLINE``).

Whether the name matched a place's main or an alternate name is not evidence by itself: GeoNames'
main names of places outside the English-speaking world are transliterations ("Odesa", "Kyiv",
"Makiyivka") while text uses older or other forms ("Odessa", "Kiev", "Makeevka"); on the dev corpora
a plain main-vs-alternate feature earned 0.3 points of acc@161 and put Odessa, Texas before Odesa. Only the
conditional form ``alternate_name`` is: an alternate within ``thresholds.RESOLVE_ALT_SPELLING_RATIO`` of the main
name's skeleton is a spelling of it (Odessa/Odesa, Kiev/Kyiv), and Odessa, Texas is in another country than Odesa.

``score`` keeps its meaning (how well the name matched the candidate, 0-1, with the fixed factors):
the order of the list is the ranker's; ``plausibility`` is ``exp(logit - best logit)`` (1 for the first).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geoverify.gazetteer import names as N
from geoverify.gazetteer.context import Evidence

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "resolve_ranker.json"

FEATURES = (
    "match",
    "transliteration",
    "typo",
    "code",
    "adjective",
    "kind",
    "population",
    "capital",
    "doc_country",
    "doc_admin1",
    "near_country",
    "near_admin1",
    "qualifier",
    "closeness",
    "namesake_city",
    "site_neighbour",
    "seat_namesake",
    "alternate_name",
)
#: Weights set by hand, not learned (the dev corpora hold too few cases to learn them): a region or country
#: matched by the name of a large city it holds is usually the city ("Kharkiv", "Zaporizhzhia" are also
#: oblast aliases; the old ranking's population prior put the city first, and claims rely on it).
#: A populated place within 20 km of a named site that a military feature word matched strongly is
#: likely the village the site is named after ("Sergievsky training ground" -> Sergeyevka beside it).
#: A district or council named after a town of that name near it ("Amvrosiivka" raion) is the town unless a
#: designator says otherwise (issue 13: districts are looked up for every name; few such cases in the corpora).
FIXED_WEIGHTS = {"namesake_city": -4.0, "site_neighbour": 1.5, "seat_namesake": -3.0}
#: The learned features (the rest of an explanation is fixed factors).
WEIGHTED = frozenset(FEATURES)

#: Kind prior (logit units, populated place = 0) for kinds the model file has no learned value for. New
#: kinds slot in here. The learned values are ~8.4 for a country and ~6.6 for a first-level region
#: against ~4.2 x log10(population) / 7 for a town (3.6 for 100,000 inhabitants): a second-level unit
#: sits between a region and a town; a macro-region ("Middle East") just below a first-level region;
#: a named site (curated by the user or the project) like a town of ~5,000 (so "Sergeevka" alone is the
#: village, "Sergeevka training ground" the site); an airport below the town it is named after.
KIND_PRIOR = {
    "country": 8.0,
    "admin1": 6.5,
    "region": 6.0,
    "admin2": 4.5,
    "district": 4.5,
    "place": 0.0,
    "site": 2.2,
    "airport": 0.5,
    # issue 12: a council, hromada or commune sits between a district and a town; a settlement
    # known only from a register (no point, no population) counts as a village
    "admin3": 3.0,
    "settlement": 0.0,
    # issue 13: continents and world regions rank like countries until the model file learns them; a
    # town known from its ZIP codes (no population) like a populated place
    "continent": 8.0,
    "locality": 0.0,
}
#: Kinds whose prior is set as the population of a town they rank like (a named site like a town of ~5,000: so
#: "Sergeevka" alone is the village of ~2,000 beside the training ground, "Sergeevka training ground" the site).
#: Their prior follows the model's learned population weight (``KIND_PRIOR`` holds the value at a weight of 4.2).
KIND_PRIOR_AS_TOWN = {"site": 5000}
#: Distance scale of ``closeness`` (km).
CLOSENESS_KM = 100.0
#: Places further apart than this many degrees (of latitude, or of longitude at the candidate's
#: latitude) are not compared: exp(-700 km / 100 km) is nothing.
CLOSENESS_BOX_DEG = 6.5
#: Population from which a city makes its region/country a ``namesake_city`` candidate.
NAMESAKE_POPULATION = 100_000
#: Weight of a fixed factor's log in the logit: a factor of 0.8 ("X Oblast" against a town) lowers it by
#: 2.2, about the learned difference between a village of 500 and a city of 1.5 million inhabitants.
FACTOR_WEIGHT = 10.0
#: Subtracted from the logit of a typo or loose transliteration match when a better exact match exists: it goes
#: after every exact match ("never ranked over a better exact match").
DISCIPLINE = 100.0
#: The feature word's fit weighs more: "X Oblast", "X training ground", "X County" say which kind is meant
#: (a factor of 0.8 lowers the logit by 4.5, more than a name match on a town's own name adds).
HINT_WEIGHT = 20.0

#: Human wording of each piece of evidence (for ``explanation``).
WHY = {
    "match": "how well the name matched",
    "transliteration": "matched through transliteration only",
    "typo": "matched only with a typo",
    "code": "matched a code",
    "adjective": "matched an adjective/demonym",
    "kind": "prior for this kind of place",
    "population": "population",
    "capital": "national capital",
    "doc_country": "the text names places in this country",
    "doc_admin1": "the text names places in this region",
    "near_country": "places in this country named near the name",
    "near_admin1": "places in this region named near the name",
    "qualifier": "written as '<name>, <this region/country>' at its first mention",
    "closeness": "close to other places the text names",
    "hint": "fit of the feature word",
    "near_point": "distance from the given point",
    "qualifier_mismatch": "outside the qualifier given",
    "site_neighbour": "beside a matched named site",
    "namesake_city": "holds a large city of this name",
    "seat_namesake": "a district named after a town of this name beside it",
    "alternate_name": "matched an alternate name only; another place in this country has it as its main name",
    "outside_named_countries": "outside every country the text names",
    "discipline": "a looser match than an exact one that exists",
}


@dataclass(frozen=True)
class Model:
    """Weights of the ranker and its kind prior."""

    weights: dict[str, float]
    kind_prior: dict[str, float]
    meta: dict[str, Any]

    def prior(self, kind: str) -> float:
        if kind in self.kind_prior:
            return self.kind_prior[kind]
        if kind in KIND_PRIOR_AS_TOWN:  # "like a town of N inhabitants", in this model's population weight
            return self.weights.get("population", 0.0) * math.log10(KIND_PRIOR_AS_TOWN[kind] + 1) / 7.0
        return KIND_PRIOR.get(kind, 0.0)


#: Weights used when the model file is missing (hand-set; the trained file replaces them).
DEFAULT_WEIGHTS = {
    "match": 1.0,
    "transliteration": -2.0,
    "typo": -2.0,
    "code": -1.0,
    "adjective": -0.5,
    "kind": 1.0,
    "population": 1.5,
    "capital": 2.0,
    "doc_country": 1.0,
    "doc_admin1": 6.0,
    "near_country": 4.0,
    "near_admin1": 8.0,
    "qualifier": 2.0,
    "closeness": 20.0,
    **FIXED_WEIGHTS,
}


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Model:
    """The ranker in ``path`` (default :data:`MODEL_FILE`); the hand-set defaults when it is absent."""
    p = Path(path) if path else MODEL_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Model(dict(DEFAULT_WEIGHTS), dict(KIND_PRIOR), {"source": "defaults"})
    weights = {f: float(data["weights"].get(f, 0.0)) for f in FEATURES}
    weights.update(FIXED_WEIGHTS)
    return Model(
        weights,
        {k: float(v) for k, v in data.get("kind_prior", {}).items()},
        {k: v for k, v in data.items() if k not in ("weights", "kind_prior")},
    )


_fold = lru_cache(maxsize=65536)(N.fold)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (km); enough for a closeness feature (checks use pyproj.Geod)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def name_features(c, query_keys: set[str], kind_value) -> dict[str, float]:
    """The features of one candidate (a ``store._Cand``) that do not depend on the text: only non-zero ones.

    ``kind_value(kind)`` gives the kind prior (so a table can be trained or hand-set).
    """
    row = c.row
    kind, pop = row[5], row[10] or 0
    f: dict[str, float] = {"match": math.log(max(c.name_score, 1e-3))}
    if c.match == "skeleton" and c.flag != N.FLAG_DERIVED:  # derived nouns are stored as skeletons only
        f["transliteration"] = 1.0
    elif c.match == "fuzzy":
        f["typo"] = 1.0
    if c.flag == N.FLAG_CODE:
        f["code"] = 1.0
    elif c.flag in (N.FLAG_ADJECTIVE, N.FLAG_DEMONYM):
        f["adjective"] = 1.0
    kv = kind_value(kind)
    if kv:
        f["kind"] = kv
    if kind in ("place", "site", "airport") and pop:
        f["population"] = math.log10(pop + 1) / 7.0
    if row[6] == "P.PPLC":
        f["capital"] = 1.0
    return f


def context_features(row, ev: Evidence) -> dict[str, float]:
    """The features of one candidate (its index row) that come from the text's evidence."""
    f: dict[str, float] = {}
    kind, cc, a1 = row[5], row[7], row[9]
    share = ev.share
    v = share(ev.countries, cc)
    if v:
        f["doc_country"] = v
        v = share(ev.local_countries, cc)
        if v:
            f["near_country"] = v
    if a1:
        v = share(ev.admin1, a1)
        if v:
            f["doc_admin1"] = v
            v = share(ev.local_admin1, a1)
            if v:
                f["near_admin1"] = v
    fq = ev.first_qualifiers
    if fq and ((cc in fq and kind != "country") or (a1 and a1 in fq and kind != "admin1")):
        f["qualifier"] = 1.0
    if ev.points and kind not in ("country", "admin1", "region", "continent") and row[3] is not None:
        best = 0.0
        lat, lon = row[3], row[4]
        # beyond ~700 km exp(-d / 100 km) < 1e-3: only the points in a band of latitude are compared
        lats = ev.point_lats
        lo, hi = bisect_left(lats, lat - CLOSENESS_BOX_DEG), bisect_right(lats, lat + CLOSENESS_BOX_DEG)
        dlon_max = CLOSENESS_BOX_DEG / max(0.05, math.cos(math.radians(min(abs(lat), 87.0))))
        for plat, plon, w, pid, _ in ev.points_by_lat[lo:hi]:
            if pid == row[1] or abs((plon - lon + 180.0) % 360.0 - 180.0) > dlon_max:
                continue
            v = min(w, 1.0) * math.exp(-_km(lat, lon, plat, plon) / CLOSENESS_KM)
            if v > best:
                best = v
        if best > 1e-3:
            f["closeness"] = best
    return f


def features(
    c, query_keys: set[str], ev: Evidence | None, kind_value, namesake: bool = False, site_neighbour: bool = False
) -> dict[str, float]:
    """All features of one candidate: :func:`name_features`, :func:`context_features` and the flags."""
    f = name_features(c, query_keys, kind_value)
    if ev is not None:
        f.update(context_features(c.row, ev))
    if namesake:
        f["namesake_city"] = 1.0
    if site_neighbour:
        f["site_neighbour"] = 1.0
    return f


def weighted(f: dict[str, float], weights: dict[str, float]) -> float:
    """sum(weight x value) over the features."""
    return sum(weights.get(k, 0.0) * v for k, v in f.items())


def factor_logit(factors: dict[str, float]) -> float:
    """The fixed factors' part of the logit."""
    s = 0.0
    for k, v in factors.items():
        s += (HINT_WEIGHT if k == "hint" else FACTOR_WEIGHT) * math.log(max(v, 1e-6))
    return s


def logit(f: dict[str, float], weights: dict[str, float], factors: dict[str, float]) -> float:
    s = sum(weights.get(k, 0.0) * v for k, v in f.items())
    for k, v in factors.items():
        s += (HINT_WEIGHT if k == "hint" else FACTOR_WEIGHT) * math.log(max(v, 1e-6))
    return s


def explain(
    f: dict[str, float],
    weights: dict[str, float],
    factors: dict[str, float],
    s: float,
    best: float,
    ev: Evidence | None,
    cc: str | None,
    a1: str | None,
) -> dict[str, Any]:
    """The ``explanation`` of one candidate: every piece of evidence with its effect on the logit."""
    items: list[dict[str, Any]] = []
    for k, v in f.items():
        w = -DISCIPLINE if k == "discipline" else weights.get(k, 0.0)
        if not w:
            continue
        item = {"evidence": k, "value": round(v, 4), "effect": round(w * v, 3), "why": WHY.get(k, k)}
        if ev is not None and k in ("doc_country", "near_country") and cc in ev.names:
            item["mentions"] = sorted(set(ev.names[cc]))[:5]
        elif ev is not None and k in ("doc_admin1", "near_admin1") and a1 in ev.names:
            item["mentions"] = sorted(set(ev.names[a1]))[:5]
        elif ev is not None and k == "qualifier":
            fq = ev.first_qualifiers
            item["mentions"] = sorted({fq.get(cc or "", ""), fq.get(a1 or "", "")} - {""})
        items.append(item)
    for k, v in factors.items():
        if v != 1.0:
            fw = HINT_WEIGHT if k == "hint" else FACTOR_WEIGHT
            items.append(
                {
                    "evidence": k,
                    "value": round(v, 4),
                    "effect": round(fw * math.log(max(v, 1e-6)), 3),
                    "why": WHY.get(k, k),
                }
            )
    items.sort(key=lambda d: -abs(d["effect"]))
    return {"logit": round(s, 3), "behind_best": round(best - s, 3), "evidence": items}


def relative_scores(logits: Sequence[float]) -> list[float]:
    """exp(logit - best) for each logit."""
    best = max(logits)
    return [math.exp(max(-50.0, s - best)) for s in logits]
