"""The gazetteer index at query time: open, look up, rank.

:class:`Gazetteer` wraps the SQLite index built by
:mod:`geoverify.gazetteer.build.index` (and the named-sites JSON files of
:mod:`geoverify.gazetteer.sites`). :func:`get_gazetteer` keeps one per
process.

Ranking (every candidate gets a ``score`` in 0-1; see :meth:`Gazetteer.resolve`):

``score = match x reading x name-kind x hint x qualifier x near x context x prior``

- match (typo candidates only when the best is below 0.8): 1 for an exact folded name, 0.5-0.97 for a transliteration variant
  (same skeleton; graded by the square of the names' similarity in Latin letters), 0.55-0.82 for a typo
  (rapidfuzz ratio >= 75 of both the skeletons and the Latin spellings, candidates from skeleton prefix and
  suffix ranges -- never a scan of the whole table);
- reading: 1 as written, 0.97 without its feature word, 0.88 for a noun
  derived from an adjective ("Sergeevsky" -> Sergeevka);
- name-kind: 0.97 for a stored name without its feature word, 0.93 for a
  noun derived from a region's adjective, 0.9 for a code;
- hint: how the feature word fits the candidate ("training ground" prefers
  sites, "oblast" first-level regions, "village" populated places);
- qualifier: candidates outside the region/country after a comma are dropped
  when any candidate is inside;
- near: ``0.6 + 0.4 exp(-d / 50 km)`` for points (geodesic, pyproj.Geod);
- context: 0.9 for candidates outside every country the context names;
- site neighbour: 1.05 for a populated place within 20 km of a named site a
  query with a military feature word matched strongly ("Sergievsky training ground" -> the site, then the
  village of Sergeyevka beside it);
- prior: populated places 0.92-1.0 by log population, sites 0.96.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from geoverify.errors import DataError, ResolveError
from geoverify.gazetteer import names as N
from geoverify.model import Place

#: Below this best name score, typo-tolerant candidates are looked up too.
FUZZY_BELOW = 0.8
#: A name score this high is a confident match (whole-text fallback, named sites).
STRONG_MATCH = 0.9
#: rapidfuzz ratio (0-100) a typo candidate's skeleton needs.
FUZZY_CUTOFF = 75
#: A transliteration-variant match scores SKELETON_BASE + SKELETON_SPAN * (ratio/100)^2,
#: ratio being rapidfuzz's similarity of the two names in Latin letters.
SKELETON_BASE = 0.5
SKELETON_SPAN = 0.47
#: Scale of the ``near`` weighting, km.
NEAR_SCALE_KM = 50.0
#: Factor for candidates outside every country named in ``context``.
CONTEXT_OUTSIDE = 0.9
#: Populated places within this distance of a strongly matched named site get
#: SITE_NEIGHBOUR_BOOST (the site is usually named after them).
SITE_NEIGHBOUR_KM = 20.0
SITE_NEIGHBOUR_BOOST = 1.05
#: How many texts :meth:`Gazetteer.countries_in_text` remembers.
COUNTRIES_CACHE_SIZE = 8
#: Answers of :meth:`Gazetteer.resolve` kept (least recently used dropped first).
RESOLVE_MEMO_SIZE = 20_000
#: Name-match results memoised per process (query text, sites, kinds).
SCORE_MEMO_SIZE = 4096
#: Factor for candidates outside a qualifier when no candidate is inside.
QUALIFIER_MISMATCH = 0.6

HINT_FACTOR: dict[str | None, dict[str, float]] = {
    None: {"place": 1.0, "country": 1.0, "admin1": 0.97, "region": 0.97, "site": 0.97},
    "military": {"site": 1.0, "place": 0.8, "admin1": 0.6, "region": 0.6, "country": 0.5},
    "admin": {"admin1": 1.0, "region": 0.95, "country": 0.9, "place": 0.8, "site": 0.6},
    "district": {"admin1": 0.9, "place": 0.9, "region": 0.85, "country": 0.7, "site": 0.7},
    "settlement": {"place": 1.0, "admin1": 0.8, "region": 0.7, "site": 0.7, "country": 0.6},
    "country": {"country": 1.0, "admin1": 0.8, "region": 0.8, "place": 0.7, "site": 0.6},
}

_PLACE_COLS = "p.pk, p.id, p.name, p.lat, p.lon, p.kind, p.feature, p.country, p.admin1, " \
              "p.admin1_code, p.population, p.geonameid, p.source, p.point"


def open_index(path: str | Path | None = None, readonly: bool = True, repair: bool = True) -> sqlite3.Connection:
    """Open the index after checking it is sound and of this geoverify's schema version.

    A truncated, corrupt or outdated index is rebuilt from its sources with a one-line
    message when ``repair`` (the sources must be installed); see
    :mod:`geoverify.gazetteer.integrity` for the checks (about a millisecond).

    Raises
    ------
    DataError
        One line naming the path and the command to run when the index is missing, or
        broken and not repaired.
    """
    from geoverify.gazetteer import integrity

    p = integrity.find_index(path)
    if not p.exists():
        raise DataError(f"gazetteer index not found at {p}: run `geoverify data build` (or `make install`)")
    problem = integrity.check(p)
    conn = None
    if problem is None:
        conn, problem = _connect(p, readonly)
    if problem is not None:
        if not repair:
            raise DataError(f"gazetteer index at {p} is {problem}: run `geoverify data build --force` "
                            f"(or `make data`)")
        from geoverify.gazetteer.build.index import repair_index

        p = repair_index(p, problem)
        conn, problem = _connect(p, readonly)
        if problem is not None:
            raise DataError(f"gazetteer index at {p} is still {problem} after a rebuild: "
                            f"run `geoverify data build --force` (or `make data`)")
    conn.execute("PRAGMA cache_size=-16000")
    return conn


def _connect(p: Path, readonly: bool) -> tuple[sqlite3.Connection | None, str | None]:
    """(connection, None), or (None, what is wrong) for an unreadable or old index."""
    from geoverify.gazetteer.schema import SCHEMA_VERSION

    conn = None
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(p, check_same_thread=False)
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        return None, f"corrupt or unreadable ({exc})"
    if row is None or row[0] != str(SCHEMA_VERSION):
        conn.close()
        return None, f"of schema version {row[0] if row else 'none'} (this geoverify needs {SCHEMA_VERSION})"
    return conn, None


@dataclass
class _Cand:
    """A candidate during ranking."""

    row: tuple
    name_score: float = 0.0
    matched: str = ""
    match: str = ""
    flag: int = N.FLAG_NAME
    how: str = ""
    site: Any = None
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.row[5]


@dataclass
class Qualifier:
    """A resolved qualifier ("Primorsky Krai" in "Sergeevka, Primorsky Krai")."""

    text: str
    kind: str
    country: str | None
    code: str | None
    members: frozenset[str] = frozenset()
    place_id: str = ""

    def contains(self, country: str | None, admin1_code: str | None) -> bool:
        if self.kind == "country":
            return country == self.country
        if self.kind == "admin1":
            return admin1_code == self.code
        if self.kind == "region":
            return admin1_code in self.members or (not self.members and country == self.country)
        return False


_QUALIFIER_SPLIT = re.compile(r"\s*[,;]\s*|\s*\(\s*|\s*\)\s*")


def split_qualifiers(text: str) -> tuple[str, list[str]]:
    """``"Sergeevka, Primorsky Krai"`` -> ``("Sergeevka", ["Primorsky Krai"])``;
    ``"Kharkiv (Ukraine)"`` -> ``("Kharkiv", ["Ukraine"])``."""
    parts = [p for p in _QUALIFIER_SPLIT.split(text) if p.strip()]
    if not parts:
        return text.strip(), []
    return parts[0].strip(), [p.strip() for p in parts[1:]]


class Gazetteer:
    """The offline gazetteer: names, places, named sites.

    Parameters
    ----------
    path : path, optional
        The index file (default :func:`geoverify.config.index_path`).

    Raises
    ------
    DataError
        When the index is missing, old or corrupt.
    """

    def __init__(self, path: str | Path | None = None):
        from geoverify.gazetteer import integrity

        self.conn = open_index(path)
        self.path = integrity.find_index(path)
        self.key: Path | None = None  # the configured path it was opened for (get_gazetteer)
        self._lock = threading.RLock()
        self._sources = dict(self.conn.execute("SELECT key, citation FROM sources"))
        self._country_keys: dict[str, set[str]] | None = None
        self._country_max_words = 1
        self._country_first_words: frozenset[str] = frozenset()
        self._admin1_names: dict[str, str] = {}
        self._region_members: dict[str, frozenset[str]] | None = None
        self._countries_cache: dict[str, list[str]] = {}
        self._score_memo: dict[tuple, tuple] = {}
        self._resolve_memo: OrderedDict[tuple, tuple] = OrderedDict()

    # ------------------------------------------------------------------ basics
    def close(self) -> None:
        self.conn.close()

    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self.conn.execute("SELECT key, value FROM meta"))

    def _place(self, row: Sequence, score: float = 0.0, matched: str = "",
               extra: dict[str, Any] | None = None) -> Place:
        pk, pid, name, lat, lon, kind, feature, cc, admin1, a1code, pop, gid, src, point = row
        ex: dict[str, Any] = {}
        if a1code:
            ex["admin1_code"] = a1code
        if point and kind in ("country", "admin1", "region"):
            ex["point"] = point
        if extra:
            ex.update(extra)
        iso = cc if kind == "country" else (a1code if kind == "admin1" and a1code and "-" in a1code else None)
        return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, feature=feature, country=cc,
                     admin1=admin1, population=pop if pop else (0 if kind == "place" else None),
                     geonameid=gid, score=score, matched=matched, source=self._sources.get(src, src or ""),
                     iso=iso, extra=ex)

    def _site_row(self, site) -> tuple:
        admin1_name, code = None, None
        if site.admin1:
            if "-" in site.admin1 and site.admin1.split("-")[0] == site.country:
                code = site.admin1
                admin1_name = self.admin1_name(code) or site.admin1
            else:
                admin1_name = site.admin1
                code = self._admin1_code_for_name(site.admin1, site.country)
        return (None, site.place_id, site.name, site.lat, site.lon, "site", site.feature, site.country,
                admin1_name, code, None, None, None, None)

    def admin1_name(self, code: str) -> str | None:
        """The display name of an admin-1 region by ISO 3166-2 (or GeoNames) code."""
        if code not in self._admin1_names:
            with self._lock:
                row = self.conn.execute("SELECT name FROM places WHERE id=?", (f"admin1:{code}",)).fetchone()
            self._admin1_names[code] = row[0] if row else None
        return self._admin1_names[code]

    def _admin1_code_for_name(self, name: str, country: str | None) -> str | None:
        found = self._lookup_rows([N.fold(name)], [N.skeleton(name)], kinds=("admin1",))
        for row, *_ in found:
            if country is None or row[7] == country:
                return row[9]
        return None

    # ------------------------------------------------------------------ lookups
    def place_by_id(self, place_id: str, sites: Any = None) -> Place | None:
        """The place with this id (``geonames:2020626``, ``country:RU``, ``admin1:RU-PRI``,
        ``region:...``, ``site:...``), or ``None``."""
        if place_id.startswith("site:"):
            from geoverify.gazetteer.sites import load_sites

            site = load_sites(sites).by_id(place_id)
            if site is None:
                return None
            return self._site_place(site, 0.0, site.name, {})
        with self._lock:
            row = self.conn.execute(f"SELECT {_PLACE_COLS} FROM places p WHERE p.id=?", (place_id,)).fetchone()
        return self._place(row) if row else None

    def place_by_geonameid(self, geonameid: int) -> Place | None:
        with self._lock:
            row = self.conn.execute(f"SELECT {_PLACE_COLS} FROM places p WHERE p.geonameid=?",
                                    (int(geonameid),)).fetchone()
        return self._place(row) if row else None

    def _site_place(self, site, score: float, matched: str, extra: dict) -> Place:
        row = self._site_row(site)
        place = site.to_place()
        place.admin1 = row[8]
        place.score = score
        place.matched = matched
        if row[9]:
            place.extra["admin1_code"] = row[9]
        place.extra.update(extra)
        return place

    def _lookup_rows(self, keys: Iterable[str], skels: Iterable[str], kinds: Sequence[str] | None = None
                     ) -> list[tuple[tuple, int, str, str | None, str, str | None]]:
        """Rows matching fold keys or skeletons: (place row, flag, name, key, match, skel)."""
        keys = [k for k in dict.fromkeys(keys) if k]
        skels = [s for s in dict.fromkeys(skels) if s]
        kind_sql = ""
        kind_args: list[str] = []
        if kinds:
            kind_sql = f" AND p.kind IN ({','.join('?' * len(kinds))})"
            kind_args = list(kinds)
        out = []
        with self._lock:
            if keys:
                sql = (f"SELECT {_PLACE_COLS}, n.flag, n.name, n.key, n.skel FROM names n JOIN places p ON p.pk=n.pk "
                       f"WHERE n.key IN ({','.join('?' * len(keys))}){kind_sql}")
                out += [(r[:14], r[14], r[15], r[16], "fold", r[17]) for r in self.conn.execute(sql, keys + kind_args)]
            if skels:
                sql = (f"SELECT {_PLACE_COLS}, n.flag, n.name, n.key, n.skel FROM names n JOIN places p ON p.pk=n.pk "
                       f"WHERE n.skel IN ({','.join('?' * len(skels))}){kind_sql}")
                out += [(r[:14], r[14], r[15], r[16], "skeleton", r[17])
                        for r in self.conn.execute(sql, skels + kind_args)]
        return out

    def _fuzzy_skeletons(self, skel: str, limit: int = 25) -> list[tuple[str, float]]:
        """Skeletons within typo distance of ``skel``: candidates from the skeleton
        prefix and suffix ranges (first/last 3 letters), ranked by rapidfuzz."""
        from rapidfuzz import fuzz, process

        if len(skel) < 4:
            return []
        n = len(skel)
        lo, hi = max(1, n - 2), n + 2
        pool: set[str] = set()
        with self._lock:
            for table, col, key in (("skeys", "skel", skel), ("rskeys", "rskel", skel[::-1])):
                pre = key[:3]
                rows = self.conn.execute(
                    f"SELECT {col} FROM {table} WHERE {col} >= ? AND {col} < ? AND length({col}) BETWEEN ? AND ?",
                    (pre, pre + "\uffff", lo, hi))
                if col == "skel":
                    pool.update(r for (r,) in rows)
                else:
                    pool.update(r[::-1] for (r,) in rows)
        pool.discard(skel)
        found = process.extract(skel, sorted(pool), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit)
        return [(s, score) for s, score, _ in found]

    # ------------------------------------------------------------------ context
    def _load_country_keys(self) -> dict[str, set[str]]:
        if self._country_keys is None:
            keys: dict[str, set[str]] = {}
            with self._lock:
                rows = self.conn.execute(
                    "SELECT n.key, p.country FROM names n JOIN places p ON p.pk=n.pk "
                    "WHERE p.kind='country' AND n.key IS NOT NULL AND n.flag != ?", (N.FLAG_CODE,)).fetchall()
            for key, cc in rows:
                if len(key) >= 4 or key in ("uk", "usa", "us"):
                    keys.setdefault(key, set()).add(cc)
            self._country_max_words = max(len(k.split()) for k in keys)
            self._country_first_words = frozenset(k.split()[0] for k in keys)
            self._country_keys = keys
        return self._country_keys

    def countries_in_text(self, text: str) -> list[str]:
        """ISO alpha-2 codes of the countries a text names (names, adjectives,
        demonyms, possessives), in order of first mention.

        The answer for the last few texts is kept: every name looked up in one text
        passes the same (possibly megabyte-long) text as context, and reading it again
        for each name made a long text quadratic.
        """
        cache = self._countries_cache
        hit = cache.get(text)
        if hit is None:
            hit = self._countries_in_text(text)
            if len(cache) >= COUNTRIES_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[text] = hit
        return list(hit)

    def _countries_in_text(self, text: str) -> list[str]:
        keys = self._load_country_keys()
        words = N.fold(re.sub(r"(?<=\w)['’]s\b", "", text)).split()
        first = self._country_first_words
        if first.isdisjoint(words):
            return []
        found: dict[str, None] = {}
        i = 0
        while i < len(words):
            if words[i] not in first:  # no country name starts with this word
                i += 1
                continue
            for n in range(min(self._country_max_words, len(words) - i), 0, -1):
                ccs = keys.get(" ".join(words[i:i + n]))
                if ccs:
                    for cc in sorted(ccs):
                        found.setdefault(cc)
                    i += n - 1
                    break
            i += 1
        return list(found)

    # ------------------------------------------------------------------ resolve
    def resolve(self, name: str, near: tuple[float, float] | None = None, country: str | None = None,
                context: str | None = None, limit: int = 10, sites: Any = None,
                kinds: Sequence[str] | None = None) -> list[Place]:
        """Ranked candidates for a place name, best first.

        Parameters
        ----------
        name : str
            A place name, optionally with qualifiers after commas or in
            parentheses ("Sergeevka, Primorsky Krai", "Kharkiv (Ukraine)"),
            a feature word ("Sergievsky Training Ground", "Kursk Oblast"), a
            possessive ("Russia's") or an adjective ("Russian", "Sergeevsky").
        near : (lat, lon), optional
            Rank candidates near this point higher (geodesic distance;
            ``distance_km`` is added to each point candidate).
        country : str, optional
            Keep only candidates in this country (ISO alpha-2/alpha-3 or a name).
        context : str, optional
            Surrounding text; candidates in countries it names rank higher.
        limit : int
            How many candidates to return.
        sites : path or list of paths, optional
            Extra named-sites files (besides the packaged and user ones).
        kinds : sequence of str, optional
            Keep only these kinds (``place``, ``country``, ``admin1``, ``region``, ``site``).

        Returns
        -------
        list of Place
            Every candidate with its ``score`` (0-1), best first; ``[]`` when
            nothing matches.

        Raises
        ------
        ResolveError
            Empty name, unknown ``country``, or ``near`` out of range.
        """
        if not isinstance(name, str) or not name.strip():
            raise ResolveError("empty place name")
        if limit is not None and limit < 1:
            raise ResolveError(f"limit must be at least 1, got {limit}")
        text = " ".join(name.split())
        if near is not None:
            near = _check_near(near)
        cc_filter = self.country_code(country) if country else None
        from geoverify.gazetteer.sites import load_sites

        site_index = load_sites(sites)
        # The answer depends on the context only through the countries it names: memoised
        # on those (a batch names the same places over and over; each answer is copied, so a
        # caller may change what it gets).
        mentioned = frozenset(self.countries_in_text(context)) if context else frozenset()
        # (the sites index by identity: the memo holds it, so its id is not reused)
        key = (text, near, cc_filter, mentioned, limit, id(site_index), tuple(kinds) if kinds else None)
        memo = self._resolve_memo
        hit = memo.get(key)
        if hit is not None:
            memo.move_to_end(key)
            return [_copy_place(p) for p in hit[1]]
        out = self._resolve(text, near, cc_filter, mentioned, limit, site_index, kinds)
        memo[key] = (site_index, tuple(_copy_place(p) for p in out))
        if len(memo) > RESOLVE_MEMO_SIZE:
            memo.popitem(last=False)
        return out

    def _resolve(self, text: str, near, cc_filter, mentioned: frozenset, limit, site_index, kinds) -> list[Place]:
        head, qual_texts = split_qualifiers(text)
        qualifiers: list[Qualifier] = []
        unresolved: list[str] = []
        for q in qual_texts:
            qual = self._qualifier(q, site_index)
            if qual:
                qualifiers.append(qual)
            else:
                unresolved.append(q)
        if unresolved or not head:
            # "Korea, Democratic People's Republic of": not a qualifier; try the whole text
            whole = self._score(N.analyse(text.replace(",", " ")), site_index, kinds)
            if whole and max(c.name_score for c in whole.values()) >= STRONG_MATCH:
                head, qualifiers, unresolved = text, [], []
                cands = whole
            else:
                cands = self._score(N.analyse(head), site_index, kinds) if head else {}
        else:
            cands = self._score(N.analyse(head), site_index, kinds)
        qa = N.analyse(head)
        if not cands:
            return []
        out = self._rank(cands, qa, qualifiers, unresolved, near, cc_filter, mentioned)
        return out[:limit] if limit else out

    def _qualifier(self, text: str, site_index) -> Qualifier | None:
        cands = self._score(N.analyse(text), site_index, ("admin1", "country", "region"))
        if not cands:
            return None
        qa = N.analyse(text)
        best = max(cands.values(), key=lambda c: c.name_score * HINT_FACTOR.get(qa.hint_class, HINT_FACTOR[None])
                   .get(c.kind, 0.8))
        if best.name_score < 0.75:
            return None
        row = best.row
        kind, cc, code = row[5], row[7], row[9]
        members = frozenset()
        if kind == "region":
            members = self._members(row[1])
        return Qualifier(text, kind, cc, code if kind == "admin1" else (cc if kind == "country" else None),
                         members, row[1])

    def _members(self, region_id: str) -> frozenset[str]:
        if self._region_members is None:
            self._region_members = {}
            from geoverify.gazetteer.build.index import read_macroregions

            for r in read_macroregions():
                self._region_members[f"region:{r['id']}"] = frozenset(r.get("members", ()))
        return self._region_members.get(region_id, frozenset())

    def country_code(self, country: str) -> str:
        """ISO alpha-2 code for a country given as alpha-2, alpha-3 or a name.

        Raises
        ------
        ResolveError
            When ``country`` is not a known country.
        """
        c = country.strip()
        with self._lock:
            if len(c) == 2 and c.isalpha():
                row = self.conn.execute("SELECT country FROM places WHERE id=?", (f"country:{c.upper()}",)).fetchone()
                if row:
                    return row[0]
        qa = N.analyse(c)
        rows = self._lookup_rows([v.fold for v in qa.variants], [v.skeleton for v in qa.variants], ("country",))
        if rows:
            return rows[0][0][7]
        raise ResolveError(f"unknown country {country!r} (give an ISO 3166-1 code like RU or a name)")

    def _score(self, qa: N.QueryAnalysis, site_index, kinds: Sequence[str] | None = None) -> dict[str, _Cand]:
        """Name-match candidates for an analysed query: place id -> best :class:`_Cand`.

        Name matching does not depend on ``near``/``context``, so it is memoised per
        (query, sites, kinds); each caller gets fresh candidates (ranking mutates
        their ``factors``).
        """
        key = (qa.text, id(site_index), tuple(kinds) if kinds else None)
        memo = self._score_memo
        hit = memo.get(key)
        if hit is None or hit[0] is not site_index:
            hit = (site_index, self._score_uncached(qa, site_index, kinds))
            if len(memo) >= SCORE_MEMO_SIZE:
                memo.pop(next(iter(memo)))
            memo[key] = hit
        return {k: replace(c, factors=dict(c.factors)) for k, c in hit[1].items()}

    def _score_uncached(self, qa: N.QueryAnalysis, site_index, kinds: Sequence[str] | None = None
                        ) -> dict[str, _Cand]:
        cands: dict[str, _Cand] = {}
        by_fold = {v.fold: v for v in qa.variants if v.fold}
        by_skel: dict[str, N.QueryVariant] = {}
        for v in qa.variants:
            if v.skeleton and v.skeleton not in by_skel:
                by_skel[v.skeleton] = v
        q_latin = N.cyrillic_to_latin(qa.folded)

        def offer(row, flag, name, match, variant, ratio=None, site=None, stored=None):
            # ``stored``: the key that matched (the name without its feature word for
            # FLAG_BASE, the derived noun's skeleton for FLAG_DERIVED), compared in Latin letters
            if kinds and row[5] not in kinds:
                return
            if match == "fold":
                m = 1.0
            elif match == "skeleton":
                from rapidfuzz import fuzz

                stored = N.cyrillic_to_latin(stored or name)
                q = q_latin if variant.how in ("as-written", "possessive") else N.cyrillic_to_latin(
                    variant.fold or variant.skeleton)
                m = SKELETON_BASE + SKELETON_SPAN * (fuzz.ratio(q, stored) / 100.0) ** 2
            else:  # fuzzy: the skeletons are close; judge the spelling itself too
                from rapidfuzz import fuzz

                q = q_latin if variant.how in ("as-written", "possessive") else N.cyrillic_to_latin(variant.fold)
                ratio = min(ratio, fuzz.ratio(q, N.cyrillic_to_latin(stored or name)))
                if ratio < FUZZY_CUTOFF:
                    return
                m = min(0.82, 0.55 + 0.27 * (ratio - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF))
            s = m * variant.weight * N.FLAG_WEIGHT.get(flag, 1.0)
            if flag == N.FLAG_CODE and not qa.text.strip().isupper():
                s *= 0.5
            key = row[1]
            cur = cands.get(key)
            if cur is None or s > cur.name_score:
                cands[key] = _Cand(row, s, name, match, flag, variant.how, site)

        keys = list(by_fold)
        skels = list(by_skel)
        for row, flag, name, key, match, skel in self._lookup_rows(keys, skels, kinds):
            variant = by_fold.get(key) if match == "fold" else by_skel.get(skel)
            if variant is None:
                continue
            offer(row, flag, name, match, variant, stored=key or skel)
        for v in qa.variants:
            for site, flag, name, match, stored in site_index.lookup(v.fold, v.skeleton):
                offer(self._site_row(site), flag, name, match, v, site=site, stored=stored)
        best = max((c.name_score for c in cands.values()), default=0.0)
        if best < FUZZY_BELOW:
            self._fuzzy(qa, site_index, offer, kinds)
        return cands

    def _fuzzy(self, qa: N.QueryAnalysis, site_index, offer, kinds) -> None:
        from rapidfuzz import fuzz

        main = [v for v in qa.variants if v.how in ("as-written", "possessive", "without-feature") and v.skeleton]
        for v in main:
            found = self._fuzzy_skeletons(v.skeleton)
            if found:
                ratio_by_skel = dict(found)
                for row, flag, name, key, match, skel in self._lookup_rows([], list(ratio_by_skel), kinds):
                    offer(row, flag, name, "fuzzy", v, ratio=ratio_by_skel[skel], stored=key or skel)
            for skel, entries in site_index.by_skeleton.items():
                r = fuzz.ratio(v.skeleton, skel)
                if r >= FUZZY_CUTOFF and skel != v.skeleton:
                    for i, flag, name, stored in entries:
                        site = site_index.sites[i]
                        offer(self._site_row(site), flag, name, "fuzzy", v, ratio=r, site=site, stored=stored)

    def _rank(self, cands: dict[str, _Cand], qa: N.QueryAnalysis, qualifiers: list[Qualifier],
              unresolved: list[str], near, cc_filter, mentioned: frozenset) -> list[Place]:
        items = list(cands.values())
        if cc_filter:
            items = [c for c in items if c.row[7] == cc_filter]
        notes: dict[str, Any] = {}
        if unresolved:
            notes["qualifiers_not_found"] = unresolved
        for q in qualifiers:
            inside = [c for c in items if q.contains(c.row[7], c.row[9]) and c.row[1] != q.place_id]
            if inside:
                items = inside
            else:
                for c in items:
                    c.factors["qualifier"] = QUALIFIER_MISMATCH
                notes.setdefault("qualifiers_not_matched", []).append(q.text)
        hint_row = HINT_FACTOR.get(qa.hint_class, HINT_FACTOR[None])
        distances: dict[int, float] = {}
        if near is not None:
            pts = [(i, c.row[3], c.row[4]) for i, c in enumerate(items)
                   if c.kind in ("place", "site") and c.row[3] is not None]
            if pts:
                from pyproj import Geod

                geod = Geod(ellps="WGS84")
                _, _, dist = geod.inv([near[1]] * len(pts), [near[0]] * len(pts),
                                      [p[2] for p in pts], [p[1] for p in pts])
                distances = {p[0]: d / 1000.0 for p, d in zip(pts, dist)}
        # a settlement beside a strongly matched named site of the same name is the
        # likeliest reading after the site itself (sites are named after villages)
        strong_sites = [c for c in items if c.kind == "site" and c.name_score >= STRONG_MATCH] \
            if qa.hint_class == "military" else []
        site_near: set[int] = set()
        if strong_sites:
            from pyproj import Geod

            geod = Geod(ellps="WGS84")
            for i, c in enumerate(items):
                if c.kind == "place" and c.row[3] is not None:
                    for s in strong_sites:
                        if geod.inv(c.row[4], c.row[3], s.row[4], s.row[3])[2] <= SITE_NEIGHBOUR_KM * 1000:
                            site_near.add(i)
                            break
        out = []
        for i, c in enumerate(items):
            f = c.factors
            if i in site_near:
                f["site_neighbour"] = SITE_NEIGHBOUR_BOOST
            f["hint"] = hint_row.get(c.kind, 0.8)
            if c.kind == "place":
                pop = c.row[10] or 0
                f["prior"] = 0.92 + 0.08 * min(1.0, math.log10(pop + 1) / 6.5)
            elif c.kind == "site":
                f["prior"] = 0.96
            if i in distances:
                f["near"] = 0.6 + 0.4 * math.exp(-distances[i] / NEAR_SCALE_KM)
            if mentioned and c.row[7] not in mentioned:
                f["context"] = CONTEXT_OUTSIDE
            score = c.name_score
            for v in f.values():
                score *= v
            extra: dict[str, Any] = {"match": c.match}
            if c.how != "as-written":
                extra["reading"] = c.how
            form = N.FLAG_FORM.get(c.flag)
            if form:
                extra["form"] = form
            elif qa.possessive:
                extra["form"] = "possessive"
            if qa.feature_hint:
                extra["feature_hint"] = qa.feature_hint
            if i in distances:
                extra["distance_km"] = round(distances[i], 3)
            extra.update(notes)
            score = max(0.0, min(1.0, score))
            if c.site is not None:
                out.append(self._site_place(c.site, score, c.matched, extra))
            else:
                out.append(self._place(c.row, score, c.matched, extra))
        out.sort(key=lambda p: (-p.score, -(p.population or 0), p.id))
        return out

    # ------------------------------------------------------------------ nearest
    def nearest_places(self, lat: float, lon: float, k: int = 5, min_population: int = 0,
                       kinds: Sequence[str] = ("place",)) -> list[tuple[Place, float]]:
        """The ``k`` places nearest to a point, with geodesic distances in km.

        Parameters
        ----------
        lat, lon : float
            WGS84 decimal degrees.
        k : int
            How many to return.
        min_population : int
            Ignore places with fewer inhabitants.
        kinds : sequence of str
            Kinds to consider (default populated places only).

        Returns
        -------
        list of (Place, float)
            Nearest first; distances on the WGS84 ellipsoid (pyproj.Geod).
        """
        import numpy as np
        from pyproj import Geod

        lat, lon = _check_near((lat, lon))
        if k < 1:
            return []
        geod = Geod(ellps="WGS84")
        kinds = tuple(kinds)
        half = 0.25
        while True:
            pts = self._box(lat, lon, half, min_population, kinds)
            if len(pts) >= k or half >= 180:
                break
            half *= 2
        if not pts:
            return []
        dists = self._distances(geod, np, lat, lon, pts)
        kth = float(np.partition(dists, min(k, len(dists)) - 1)[min(k, len(dists)) - 1])
        # every place within the k-th distance lies inside a box of that radius
        need = kth / 110.0 + 0.01
        if need > half and half < 180:
            pts = self._box(lat, lon, need, min_population, kinds)
            dists = self._distances(geod, np, lat, lon, pts)
        order = np.argsort(dists, kind="stable")[:k]
        best = [pts[i][0] for i in order]
        with self._lock:
            rows = {r[0]: r for r in self.conn.execute(
                f"SELECT {_PLACE_COLS} FROM places p WHERE p.pk IN ({','.join('?' * len(best))})", best)}
        return [(self._place(rows[pts[i][0]]), float(dists[i])) for i in order]

    @staticmethod
    def _distances(geod, np, lat, lon, pts):
        n = len(pts)
        arr = np.asarray([(p[1], p[2]) for p in pts], dtype=float)
        _, _, d = geod.inv(np.full(n, lon), np.full(n, lat), arr[:, 1], arr[:, 0])
        return np.asarray(d) / 1000.0

    def _box(self, lat, lon, half, min_population, kinds) -> list[tuple]:
        """(pk, lat, lon) of the places of ``kinds`` in a box of half-size ``half`` degrees
        of latitude (wider in longitude by 1/cos(lat)), split at the antimeridian."""
        lat0, lat1 = max(-90.0, lat - half), min(90.0, lat + half)
        coslat = max(math.cos(math.radians(min(89.9, abs(lat) + half))), 1e-6)
        dlon = half / coslat
        boxes = []
        if dlon >= 180 or lat1 >= 90 or lat0 <= -90:
            boxes.append((-180.0, 180.0))
        else:
            lo, hi = lon - dlon, lon + dlon
            if lo < -180:
                boxes += [(lo + 360, 180.0), (-180.0, hi)]
            elif hi > 180:
                boxes += [(lo, 180.0), (-180.0, hi - 360)]
            else:
                boxes.append((lo, hi))
        kind_sql = ",".join("?" * len(kinds))
        rows = []
        with self._lock:
            for lo, hi in boxes:
                rows += self.conn.execute(
                    f"SELECT p.pk, p.lat, p.lon FROM places_rtree r JOIN places p ON p.pk=r.pk "
                    f"WHERE r.min_lat>=? AND r.max_lat<=? AND r.min_lon>=? AND r.max_lon<=? "
                    f"AND p.kind IN ({kind_sql}) AND COALESCE(p.population,0)>=?",
                    (lat0, lat1, lo, hi, *kinds, min_population)).fetchall()
        return rows

    # ------------------------------------------------------------------ info
    def counts(self) -> dict[str, int]:
        with self._lock:
            out = {f"places.{k}": n for k, n in self.conn.execute("SELECT kind, count(*) FROM places GROUP BY kind")}
            out["names"] = self.conn.execute("SELECT count(*) FROM names").fetchone()[0]
        return out


def _copy_place(p: Place) -> Place:
    """A copy of a candidate that shares nothing mutable with it."""
    q = object.__new__(Place)
    q.__dict__.update(p.__dict__)
    q.extra = dict(p.extra)
    return q


def _check_near(near) -> tuple[float, float]:
    try:
        lat, lon = float(near[0]), float(near[1])
    except (TypeError, ValueError, IndexError):
        raise ResolveError(f"near must be (lat, lon), got {near!r}") from None
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise ResolveError(f"near point out of range: {lat}, {lon}")
    return lat, lon


_GAZETTEER: Gazetteer | None = None
_GAZETTEER_LOCK = threading.Lock()


_INDEX_PATH: tuple = (None, None)  # (the environment it was worked out in, the index path)


def _index_path() -> Path:
    """:func:`geoverify.config.index_path`, worked out again only when the environment
    variables it reads change (it is asked for on every look-up)."""
    global _INDEX_PATH
    import os

    env = (os.environ.get("GEOVERIFY_DATA_DIR"), os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    if _INDEX_PATH[0] != env:
        from geoverify import config

        _INDEX_PATH = (env, config.index_path())
    return _INDEX_PATH[1]


def get_gazetteer() -> Gazetteer:
    """The process-wide :class:`Gazetteer` on :func:`geoverify.config.index_path`
    (reopened when that path changes, e.g. ``GEOVERIFY_DATA_DIR`` in tests)."""
    global _GAZETTEER
    key = _index_path()
    gaz = _GAZETTEER
    if gaz is not None and gaz.key == key:
        return gaz
    with _GAZETTEER_LOCK:
        if _GAZETTEER is None or _GAZETTEER.key != key:
            if _GAZETTEER is not None:
                _GAZETTEER.close()
            _GAZETTEER = Gazetteer()
            _GAZETTEER.key = key
        return _GAZETTEER


def reset_gazetteer() -> None:
    """Forget the process-wide instance (after a rebuild or an import)."""
    global _GAZETTEER
    with _GAZETTEER_LOCK:
        if _GAZETTEER is not None:
            _GAZETTEER.close()
        _GAZETTEER = None


__all__ = ["Gazetteer", "get_gazetteer", "reset_gazetteer", "open_index", "split_qualifiers", "Qualifier",
           "HINT_FACTOR"]
