"""The speed layers give the answers of the code they stand in front of, to the bit.

- ``PolylineIndex.query`` for one point (Python floats, a reused point vector) = its general
  vectorised path;
- the typo search's skeleton ranges (kept by prefix and length) = the SQL range query it replaced;
- the typo search reading the names of only the skeletons that can hold a kept spelling = reading
  those of all the 25 closest skeletons;
- the index's ``skel_groups`` = ``skeys`` grouped by first/last three letters and length;
- the Russian spellings read from the index's ``register_keys`` = those of the key table built in memory;
- ``AreaIndex.source`` = ``AreaIndex.info()["source"]``;
- ``Boundaries.contains`` of a region found around the point before (its edge measured then) = measured afresh;
- ``Evidence.get`` / ``[]`` / ``with_`` = ``to_dict()`` and ``dataclasses.replace``;
- the claims of a short text, remembered per process, = a fresh extraction (and callers' copies
  are their own);
- a batch worker's remembered rows = rows checked afresh.
"""

from __future__ import annotations

import csv
import dataclasses
import json

import numpy as np
import pytest

from geoverify.checks.evidence import Evidence


# -- nearest points ------------------------------------------------------------------------------
def _lines():
    import shapely

    return [
        shapely.LineString([(20.0, 65.0), (35.0, 70.5), (50.0, 66.0), (60.0, 72.0)]),
        shapely.LineString([(10.0, 0.0), (10.0, 10.0)]),
        shapely.Polygon([(30.0, 45.0), (40.0, 45.0), (40.0, 52.0), (30.0, 52.0)]).exterior,
        shapely.LineString([(179.0, -20.0), (180.0, -20.0), (180.0, -15.0)]),
        shapely.LineString([(5.0, 5.0), (5.001, 5.0)]),
    ]


@pytest.mark.parametrize("labelled", [False, True])
def test_one_point_query_is_the_general_path_to_the_bit(monkeypatch, labelled):
    from geoverify.gazetteer import nearest

    lines = _lines() if labelled else _lines()[2:3]
    idx = nearest.PolylineIndex(lines, max_segment_km=2.0)
    rng = np.random.default_rng(11)
    pts = list(zip(rng.uniform(-30, 80, 300), rng.uniform(-10, 180, 300)))
    pts += [(48.0, 35.0), (45.0, 30.0), (5.0, 5.0), (-17.5, 180.0), (0.0, -0.0)]
    fast = [idx.query([la], [lo]) for la, lo in pts]
    monkeypatch.setattr(nearest.PolylineIndex, "_query1", lambda self, *a: False)
    monkeypatch.setattr(nearest.PolylineIndex, "_knn1", lambda self, p, k: tuple(a[0] for a in self._knn(p, k)))
    for (la, lo), got in zip(pts, fast):
        want = idx.query([la], [lo])
        for key in want:
            assert got[key].dtype == want[key].dtype
            assert got[key].tobytes() == want[key].tobytes(), (la, lo, key, got[key], want[key])


def test_one_point_query_on_real_polygon_edges(monkeypatch, index_available):
    from geoverify.gazetteer import nearest
    from geoverify.gazetteer.boundaries import get_boundaries

    b = get_boundaries()
    edges = [b.areas()._edge("admin2:UA-14:yasynuvata"), b._edge_index(b._index("admin1:UA-14"))]
    rng = np.random.default_rng(3)
    pts = list(zip(rng.uniform(47.0, 49.5, 60), rng.uniform(36.5, 39.5, 60)))
    fast = [[e.query([la], [lo]) for la, lo in pts] for e in edges]
    monkeypatch.setattr(nearest.PolylineIndex, "_query1", lambda self, *a: False)
    for e, answers in zip(edges, fast):
        for (la, lo), got in zip(pts, answers):
            want = e.query([la], [lo])
            assert all(got[k].tobytes() == want[k].tobytes() for k in want), (la, lo)


# -- gazetteer layers ----------------------------------------------------------------------------
def _typo_search_by_sql(g, skel: str, reversed_skels: list[str], limit: int = 25) -> list[tuple[str, float]]:
    """The typo search as it read the index before the skeleton ranges were kept: the skeletons
    starting with the first three letters (a range of ``skeys``) or ending with the last three
    (a range of ``reversed_skels``, every skeleton read backwards and sorted)."""
    from bisect import bisect_left

    from rapidfuzz import fuzz, process

    from geoverify.gazetteer.store import FUZZY_CUTOFF

    n = len(skel)
    lo, hi = max(1, n - 2), n + 2
    pre = skel[:3]
    rows = g.conn.execute(
        "SELECT skel FROM skeys WHERE skel >= ? AND skel < ? AND length(skel) BETWEEN ? AND ?",
        (pre, pre + "\uffff", lo, hi),
    )
    pool: set[str] = {r for (r,) in rows}
    pre = skel[::-1][:3]
    for r in reversed_skels[bisect_left(reversed_skels, pre) : bisect_left(reversed_skels, pre + "\uffff")]:
        if lo <= len(r) <= hi:
            pool.add(r[::-1])
    pool.discard(skel)
    found = process.extract(skel, sorted(pool), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit)
    return [(s, score) for s, score, _ in found]


def _reversed_skeletons(g) -> list[str]:
    return sorted(s[::-1] for (s,) in g.conn.execute("SELECT skel FROM skeys"))


def test_typo_search_ranges_give_the_sql_answers(index_available):
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer import names as N

    g = get_gazetteer()
    words = ["Novoselivka", "Novoselovskoye", "Andriivka", "Bangassou", "Kaga Bandoro", "Bamingui", "Sergeevka"]
    words += ["Novoselivske", "Andreevka", "Bangasou", "Pisky", "Peski", "Myla", "Birao", "Ndele", "Ndélé"]
    skels = sorted({v.skeleton for w in words for v in N.analyse(w).variants if v.skeleton and len(v.skeleton) >= 4})
    assert skels
    reversed_skels = _reversed_skeletons(g)
    for _round in range(2):  # read into the ranges, then answered from them
        for skel in skels:
            assert g._fuzzy_skeletons_uncached(skel, 25) == _typo_search_by_sql(g, skel, reversed_skels), skel


TYPO_WORDS = [
    "Kramatrosk",
    "Sergeevak",
    "Bangasou",
    "Bangassuo",
    "Kaga-Bandroo",
    "Bossanoga",
    "Novoselivak",
    "Avdiivak",
    "Zaporizhzha",
    "Mariupl",
    "Severdonetsk",
    "Lysychnask",
    "Harkiv",
    "Nguili-nguili",
    "Ndelle",
    "Biraoo",
    "Сергеевак",
    "Новосёловак",
    "Bakhmut raoin",
    "Kramatorks district",
    "Obo",
    "Zemio",
    "Pisky",
    "Sloviasnk",
]


def test_typo_search_reads_the_names_of_the_skeletons_that_can_keep_a_spelling(monkeypatch, index_available):
    """Only the skeletons as close as RESOLVE_TYPO_MIN_RATIO, or of the query with two letters swapped, are
    read: the same candidates as reading every one of the 25 closest (each skeleton of the pool taken for a
    swapped spelling's, the search reads them all, as it did before)."""
    from geoverify.gazetteer import get_gazetteer, store
    from geoverify.gazetteer import names as N
    from geoverify.gazetteer.sites import load_sites

    g = get_gazetteer()
    sites = load_sites()

    def matches(word):
        found = g._name_matches_uncached(N.analyse(word), sites, True)
        return [(k, c.row[1], c.name_score, c.matched, c.match, c.flag, c.how) for k, c in found.items()]

    pruned = {w: matches(w) for w in TYPO_WORDS}
    assert sum(1 for m in pruned.values() if m) >= 10

    def pool(skel):
        out = set()
        for side, key in ((0, skel), (1, skel[::-1])):
            for same_length in g._skeleton_range(side, key[:3], max(1, len(skel) - 2), len(skel) + 2).values():
                out.update(same_length)
        return out

    pools = {v.skeleton: pool(v.skeleton) for w in TYPO_WORDS for v in N.analyse(w).variants if len(v.skeleton) >= 4}
    monkeypatch.setattr(store, "_swapped_skeletons", lambda spelling: frozenset().union(*pools.values()))
    assert {w: matches(w) for w in TYPO_WORDS} == pruned


def test_names_are_stored_under_the_skeletons_of_their_spellings(index_available):
    """What the typo search's reading of swapped spellings relies on: a name is stored under the skeleton of
    its Latin spelling (its fold key's), or, with no key (a noun derived from a region's adjective), under a
    skeleton that is its spelling (a sample of the names table)."""
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer import names as N
    from geoverify.gazetteer.store import _latin

    g = get_gazetteer()
    rows = g.conn.execute("SELECT key, skel FROM names WHERE skel IS NOT NULL AND rowid % 61 = 0").fetchall()
    assert len(rows) > 10_000
    for key, skel in rows:
        if key:
            assert N.skeleton_of_folded(_latin(key)) == skel, key
        else:
            assert _latin(skel) == skel, skel


def test_ratio_reach_bounds_rapidfuzz():
    import random

    from rapidfuzz import fuzz

    from geoverify.gazetteer.store import _ratio_reach

    rnd = random.Random(3)
    for _ in range(3000):
        a = "".join(rnd.choice("abkmnos") for _ in range(rnd.randint(4, 14)))
        b = "".join(rnd.choice("abkmnos") for _ in range(max(1, len(a) + rnd.randint(-2, 2))))
        if a != b:
            assert fuzz.ratio(a, b) <= _ratio_reach(len(a), len(b)) + 1e-9, (a, b)
    assert _ratio_reach(6, 7) < 93 <= _ratio_reach(7, 8)


def test_skeleton_groups_are_the_skeleton_tables_grouped(index_available):
    from geoverify.gazetteer import get_gazetteer
    from geoverify.gazetteer.build.index import SKELETON_SEP

    g = get_gazetteer()
    skels = [s for (s,) in g.conn.execute("SELECT skel FROM skeys")]
    for side in (0, 1):
        for pre in ("nvs", "bng", "ndl", "krn", "vkn", "sln", "brv"):
            want: dict[int, list[str]] = {}
            for s in skels:
                if (s if side == 0 else s[::-1]).startswith(pre):
                    want.setdefault(len(s), []).append(s)
            rows = g.conn.execute("SELECT len, skels FROM skel_groups WHERE side=? AND pre=?", (side, pre))
            got = {n: joined.split(SKELETON_SEP) for n, joined in rows}
            assert got == {n: sorted(v) for n, v in want.items()}, (side, pre)
            assert got, (side, pre)  # (prefixes the index has)
    # every skeleton of three letters or more is in one group of each side
    total = g.conn.execute("SELECT count(*) FROM skeys WHERE length(skel) >= 3").fetchone()[0]
    for side in (0, 1):
        rows = g.conn.execute("SELECT skels FROM skel_groups WHERE side=?", (side,))
        assert sum(len(j.split(SKELETON_SEP)) for (j,) in rows) == total


def test_register_keys_give_the_in_memory_key_table(index_available):
    from geoverify.gazetteer import get_gazetteer, register

    class WithoutTable:  # the gazetteer as the key table saw it: its names, no register_entries
        def __init__(self, g):
            self.register_names = g.register_names
            self.path = ("no register_keys", g.path)

    g = get_gazetteer()
    plain = WithoutTable(g)
    names = ["Zhelobok", "Zhelanne", "Kyiv", "Schastie", "Tsvetnye Peski", "Gorske", "Krakhmalnoe", "Kamenka"]
    names += ["Belaya Kamenka", "Novoselovka", "Andreevka", "Peski", "Myla", "Avdeevka", "Krasnogorovka", "Opytnoe"]
    names += ["Vodyanoe", "Nevelskoe", "Sladkoe", "Zaitsevo", "Shirokino", "Bria", "Ndele"]
    seen_some = False
    for name in names:
        got = register.russian_forms(g, name)
        assert got == register.russian_forms(plain, name), name
        seen_some = seen_some or bool(got)
    assert seen_some
    table = register._table(plain)
    stored: dict[str, set] = {}
    for key, name, cons in g.conn.execute("SELECT key, name, consonants FROM register_keys"):
        stored.setdefault(key, set()).add((name, cons))
    for key, entries in table.items():  # (the key table keeps only keys of enough consonants)
        assert set(entries) == stored[key], key


def test_area_source_is_info_source(index_available):
    from geoverify.gazetteer.boundaries import get_boundaries

    areas = get_boundaries().areas()
    ids = [r[0] for r in areas.conn.execute("SELECT id FROM areas ORDER BY rid LIMIT 200")]
    ids += [r[0] for r in areas.conn.execute("SELECT id FROM areas WHERE props IS NOT NULL LIMIT 200")]
    assert ids
    for area_id in ids:
        assert areas.source(area_id) == areas.info(area_id)["source"]


# -- evidence ------------------------------------------------------------------------------------
def test_evidence_reads_and_copies_as_before():
    ev = Evidence(
        reason="r",
        inside=False,
        distance_km=12.3456,
        threshold_km=None,
        reference="Bria",
        nearest_point={"lat": 1.0, "lon": 2.0},
        chain=({"text": "Bria"},),
        warnings=("w",),
        details={"sector": {"half_width_deg": 45}, "off_axis_deg": 3.0, "gone": None},
    )
    full = ev.to_dict()
    for key in list(full) + ["threshold_km", "gone", "missing", "candidates", "details"]:
        assert ev.get(key, "default") == full.get(key, "default"), key
        if key in full:
            assert ev[key] == full[key]
        else:
            with pytest.raises(KeyError):
                ev[key]
    # the values handed out are copies, as to_dict()'s are
    ev.get("chain")[0]["text"] = "changed"
    ev["nearest_point"]["lat"] = 9.0
    assert ev.to_dict() == full
    changes = {"distance_km": 1.0, "warnings": ["x", "y"], "bearing_deg": 12.5, "extra_figure": 7}
    got = ev.with_(**changes)
    typed = {k: v for k, v in changes.items() if k != "extra_figure"}
    typed["warnings"] = tuple(typed["warnings"])
    want = dataclasses.replace(ev, **typed, details={**ev.details, "extra_figure": 7})
    assert got == want and got.to_dict() == want.to_dict()
    assert ev.warn("again") == dataclasses.replace(ev, warnings=ev.warnings + ("again",))
    assert ev.to_dict() == full  # the original is untouched


# -- the pipeline's and the batch's memos --------------------------------------------------------
def test_remembered_claims_are_fresh_copies(index_available):
    import geoverify

    text = "Clashes near Birao town, Vakaga prefecture"
    first = geoverify.verify(text, at=["10.28, 22.78"])
    want = json.dumps(first.to_dict(), sort_keys=True, default=str)
    for result in first.claims:  # a caller changing its report changes nobody else's
        result.claim.start += 100
        result.claim.location_index = 7
        result.claim.text = "changed"
    again = geoverify.verify(text, at=["10.28, 22.78"])
    assert json.dumps(again.to_dict(), sort_keys=True, default=str) == want
    moved = geoverify.verify(text, at=["8.28, 20.78"])
    assert [c.claim.text for c in moved.claims] == [c.claim.text for c in again.claims]


def test_a_worker_remembers_rows_as_they_were_checked(tmp_path, monkeypatch, index_available):
    from geoverify.batch import runner
    from geoverify.batch.rows import RowSpec

    rows = [
        ("Birao town", "10.28", "22.78", "1"),
        ("near Bria", "6.54", "21.99", "2"),
        ("Birao town", "10.28", "22.78", "1"),
        ("Birao town", "10.280", "22.78", "1"),  # another precision: another row
        ("near Bria", "6.54", "21.99", "2"),
        ("Birao town", "10.28", "22.78", "1"),
    ]
    inp = tmp_path / "rows.csv"
    with inp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "where_description", "latitude", "longitude", "where_prec"])
        w.writerows([(i, *r) for i, r in enumerate(rows)])
    spec = RowSpec("where_description", "latitude", "longitude", precision_column="where_prec", precision_scheme="ucdp")

    def run(name: str) -> list[dict]:
        out = tmp_path / name
        runner.run_batch(str(inp), str(out), spec, workers=1, chunk_size=2, progress=False, restart=True)
        with out.open(encoding="utf-8") as fh:
            return [{k: v for k, v in r.items() if k != "id"} for r in csv.DictReader(fh)]

    monkeypatch.setattr(runner, "ROW_MEMO_ENTRIES", 0)
    monkeypatch.setattr(runner._RowMemo, "_current", None)
    fresh = run("fresh.csv")
    monkeypatch.setattr(runner, "ROW_MEMO_ENTRIES", 2048)
    monkeypatch.setattr(runner._RowMemo, "_current", None)
    remembered = run("remembered.csv")
    assert remembered == fresh
    assert fresh[0] == fresh[2] == fresh[5] and fresh[1] == fresh[4]
    assert runner._RowMemo._current is not None and len(runner._RowMemo._current.results) == 3
    # a result handed out is the caller's own
    memo = runner._RowMemo._current
    cells = next(iter(memo.results))[0]
    got = memo.evaluate(cells)
    got["verdict"] = "changed"
    assert memo.evaluate(cells)["verdict"] != "changed"


def test_containment_of_a_point_whose_regions_are_known_is_measured_afresh(index_available):
    """contains() of a region regions_containing or prefetch_regions found around the point (answered from
    the edge they measured) = contains() of an index that never saw the point."""
    from geoverify.gazetteer.boundaries import Boundaries

    rng = np.random.default_rng(8)
    pts = list(zip(rng.uniform(2.5, 11, 150), rng.uniform(14.5, 27.5, 150)))  # the CAR and its borders
    pts += list(zip(rng.uniform(44, 53, 150), rng.uniform(22, 41, 150))) + [(4.36, 18.55), (48.5, 37.7)]
    seen, fresh = Boundaries(), Boundaries()
    seen.prefetch_regions([p[0] for p in pts[:200]], [p[1] for p in pts[:200]])
    answered = 0
    for la, lo in pts:
        found = [r["id"] for r in seen.regions_containing(la, lo)]
        answered += len(found)
        for rid in found + ["country:CF", "admin1:UA-14"]:
            for tol in (0.0, 5.0):
                assert seen.contains(rid, la, lo, tolerance_km=tol) == fresh.contains(rid, la, lo, tolerance_km=tol)
    assert answered > 300


def test_countries_containing_one_point_is_containing(index_available):
    from geoverify.gazetteer.boundaries import get_boundaries

    b = get_boundaries()
    rng = np.random.default_rng(5)
    pts = list(zip(rng.uniform(-89.99, 89.99, 400), rng.uniform(-180, 180, 400)))
    pts += list(zip(rng.uniform(44, 53, 200), rng.uniform(22, 41, 200)))  # Ukraine and its borders
    pts += [(90.0, 0.0), (-90.0, 10.0), (48.5, 37.7), (4.36, 18.55)]
    for la, lo in pts:
        _pi, ri = b._containing(np.array([la]), np.array([lo]), kinds=("country",))
        assert b._countries_containing(la, lo) == [int(x) for x in ri], (la, lo)


def test_rapidfuzz_ranks_ties_by_their_place_in_the_pool():
    """The typo search ranks an unsorted pool by (score, skeleton): what extract gives on the sorted pool."""
    import random

    from rapidfuzz import fuzz, process

    rnd = random.Random(1)
    letters = "bcdfgklmnprstvz"
    for _ in range(300):
        q = "".join(rnd.choice(letters) for _ in range(rnd.randint(4, 9)))
        pool = {"".join(rnd.choice(letters[:6]) for _ in range(rnd.randint(3, 10))) for _ in range(rnd.randint(1, 300))}
        pool |= {q[:-1] + c for c in letters} | {c + q[1:] for c in letters}  # many ties
        pool.discard(q)
        want = [(s, sc) for s, sc, _ in process.extract(q, sorted(pool), scorer=fuzz.ratio, score_cutoff=75, limit=25)]
        got = process.extract(q, list(pool), scorer=fuzz.ratio, score_cutoff=75, limit=None)
        got.sort(key=lambda r: (-r[1], r[0]))
        assert [(s, sc) for s, sc, _ in got[:25]] == want
