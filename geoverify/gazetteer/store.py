"""The gazetteer index at query time: open, look up, rank.

:class:`Gazetteer` wraps the SQLite index built by
:mod:`geoverify.gazetteer.build.index` (and the named-sites JSON files of
:mod:`geoverify.gazetteer.sites`). :func:`get_gazetteer` keeps one per
process.

Ranking: name matching (below) gives candidates; :mod:`geoverify.gazetteer.rank` orders them
by a logit, a sum of named pieces of evidence -- match quality, kind prior, population, capitals,
and what the text says (:mod:`geoverify.gazetteer.context`: the countries and first-level regions
of the places it names, near the name and overall, ``X, Y`` qualifiers, closeness to the other
places it names). ``resolve(..., explain=True)`` adds each candidate's evidence.

Name matching:

- exact folded name 1; transliteration variant (same skeleton) 0.5-0.97, graded by the square of
  the names' similarity in Latin letters; typo (rapidfuzz ratio >= FUZZY_CUTOFF of both the skeletons
  and the Latin spellings) 0.55-0.82 -- looked up only when nothing better than FUZZY_BELOW matched,
  and kept only from :data:`geoverify.thresholds.RESOLVE_TYPO_MIN_RATIO` up (a name with no good
  match returns nothing rather than a stranger);
- readings: 0.97 without a feature word, 0.88 for a noun derived from an adjective ("Sergeevsky" ->
  Sergeevka); stored names: 0.97 without their feature word, 0.93 derived from a region's adjective,
  0.9 for a code; state/province abbreviations ("W.Va.", "Calif.", "NSW") name their region;
- fixed factors: hint (how the feature word fits the candidate's kind: "training ground" prefers
  sites, "oblast" first-level regions, "county" districts), qualifier (candidates outside the
  region/country after a comma are dropped when any candidate is inside, else x0.6), near
  (``0.6 + 0.4 exp(-d / 50 km)`` for points, geodesic), site neighbour (1.05 for a populated place
  within 20 km of a named site a military feature word matched strongly).

``score`` (0-1): how well the name matched the candidate (name score x fixed factors), as before;
the list's order is the ranker's, and ``extra["plausibility"]`` = ``exp(logit - best logit)`` says how
the text and the priors weigh each candidate against the first (1).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoverify.errors import DataError, ResolveError
from geoverify.gazetteer import names as N
from geoverify.model import Place
from geoverify.thresholds import RESOLVE_ALT_SPELLING_RATIO, RESOLVE_TYPO_MIN_RATIO, RESOLVE_TYPO_TRANSPOSITION_MIN_LEN

if TYPE_CHECKING:
    from geoverify.gazetteer.areas import AreaIndex

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
#: Populated places within this distance of a strongly matched named site get the ``site_neighbour``
#: evidence of :mod:`geoverify.gazetteer.rank` (the site is usually named after them).
SITE_NEIGHBOUR_KM = 20.0
#: How many texts :meth:`Gazetteer.countries_in_text` remembers.
COUNTRIES_CACHE_SIZE = 8
#: Name-match results memoised per process (query text, sites, kinds).
SCORE_MEMO_SIZE = 4096
#: Name-table rows memoised per process (the fold keys and skeletons asked for, any kind): one name
#: is looked up for several kinds (place, district, airport, village ...) and in many rows of a batch.
#: At most this many rows are kept (~0.3 kB each; the oldest answers go first).
ROWS_MEMO_ROWS = 100_000
#: Typo-distance skeleton lists memoised per process (per skeleton).
FUZZY_MEMO_SIZE = 20_000
#: Skeletons kept from the typo search's prefix ranges (whole ranges, oldest dropped first, ~60 B
#: each): names sharing their first or last three consonants ("Novo...") read the same range of
#: the index, ~1,900 skeletons per search on the Ukraine dev rows.
SKELETON_RANGE_STRINGS = 300_000
#: Separates the skeletons of one prefix range and length as SQLite concatenates them (not in any skeleton).
_SKELETON_SEP = "\x1f"
#: Factor for candidates outside a qualifier when no candidate is inside.
QUALIFIER_MISMATCH = 0.6
#: How many texts' :class:`~geoverify.gazetteer.context.DocumentContext` are kept.
CONTEXT_CACHE_SIZE = 8
#: A district whose point is this close to a town of its name (same country) is named after that town
#: (``seat_namesake`` in :mod:`geoverify.gazetteer.rank`): a pre-2020 raion's or a county's centre to its seat.
SEAT_KM = 50.0
#: Fold keys whose context entries are memoised per process (cleared when full).
CONTEXT_MEMO_SIZE = 200_000
#: How many answers are kept per text (the same name asked again in the same text).
RESULTS_PER_TEXT = 512

#: A possessive 's after a word (dropped before looking for country names: "Russia's").
_POSSESSIVE = re.compile(r"['’](?<=\w['’])s\b")  # = (?<=\w)['’]s\b, led by the apostrophe (a fast scan)


def _drop_possessives(text: str) -> str:
    """``_POSSESSIVE.sub("", text)``: each ``'s``/``’s`` found with ``str.find`` (a few in a page)
    and kept unless a word character (``\\w``: alphanumeric or ``_``) is before it and none after."""
    cut: list[int] = []
    for mark in ("'s", "’s"):
        i = text.find(mark)
        while i >= 0:
            if i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
                after = text[i + 2 : i + 3]
                if not after or not (after.isalnum() or after == "_"):
                    cut.append(i)
            i = text.find(mark, i + 2)
    if not cut:
        return text
    cut.sort()
    parts, last = [], 0
    for i in cut:
        parts.append(text[last:i])
        last = i + 2
    parts.append(text[last:])
    return "".join(parts)


HINT_FACTOR: dict[str | None, dict[str, float]] = {
    None: {"place": 1.0, "country": 1.0, "admin1": 0.97, "region": 0.97, "site": 0.97},
    "military": {"site": 1.0, "place": 0.8, "admin1": 0.6, "region": 0.6, "country": 0.5},
    "admin": {"admin1": 1.0, "region": 0.95, "country": 0.9, "place": 0.8, "site": 0.6},
    # "X County", "X district": a second-level unit; a town of that name is a different thing
    "district": {
        "admin2": 1.0,
        "district": 1.0,
        "admin1": 0.8,
        "place": 0.6,
        "region": 0.7,
        "country": 0.5,
        "site": 0.6,
    },
    "settlement": {"place": 1.0, "admin1": 0.8, "region": 0.7, "site": 0.7, "country": 0.6},
    "country": {"country": 1.0, "admin1": 0.8, "region": 0.8, "place": 0.7, "site": 0.6},
}
#: How each feature-word class fits the kinds of the finer layers (issue 12): districts
#: (admin2), councils/hromadas/communes (admin3), airports, settlements known only from a
#: register (no point). Kept apart so the rows above stay as they were for the old kinds;
#: with no feature word the new kinds rank just below a populated place of the same name.
#: How each feature-word class fits the kinds of issue 13: continents and world regions ("Africa", "West
#: Africa", "Southeast Asia"; kind ``continent``) and US towns known from their ZIP codes (kind ``locality``,
#: a populated place below cities500's 500 inhabitants).
WORLD_HINT_FACTOR: dict[str | None, dict[str, float]] = {
    None: {"continent": 1.0, "locality": 1.0},
    "military": {"continent": 0.3, "locality": 0.8},
    "admin": {"continent": 0.5, "locality": 0.8},
    "district": {"continent": 0.3, "locality": 0.6},
    "settlement": {"continent": 0.3, "locality": 1.0},
    "country": {"continent": 0.7, "locality": 0.6},
}
for _cls, _row in WORLD_HINT_FACTOR.items():
    HINT_FACTOR.setdefault(_cls, {}).update(_row)
del _cls, _row
LAYER_HINT_FACTOR: dict[str | None, dict[str, float]] = {
    None: {"admin2": 0.9, "admin3": 0.85, "airport": 0.85, "settlement": 0.9},
    "military": {"airport": 1.0, "admin2": 0.5, "admin3": 0.5, "settlement": 0.75},
    "admin": {"admin2": 0.9, "admin3": 0.75, "airport": 0.5, "settlement": 0.6},
    "district": {"admin2": 1.0, "admin3": 0.95, "airport": 0.5, "settlement": 0.6},
    "settlement": {"settlement": 0.97, "admin2": 0.7, "admin3": 0.7, "airport": 0.6},
    "country": {"admin2": 0.6, "admin3": 0.5, "airport": 0.5, "settlement": 0.5},
}
for _cls, _row in LAYER_HINT_FACTOR.items():
    HINT_FACTOR.setdefault(_cls, {}).update(_row)
del _cls, _row
#: Kinds whose records carry extra fields from the layer tables (see :meth:`Gazetteer._layer_extra`).
LAYER_KINDS = ("admin2", "admin3", "airport", "settlement")
#: The kinds :meth:`Gazetteer.resolve` offers when the caller names none.
BASE_KINDS = ("place", "country", "admin1", "region", "site", "continent", "locality")
#: The kinds a document's context reads as evidence (continents say nothing about a country; a locality,
#: with no population, is never evidence). Districts (admin-2: US and English counties, Philippine provinces,
#: raions) only by their full name ("Loudoun County", not "Loudoun"): their points place the text (closeness).
CONTEXT_KINDS = ("place", "country", "admin1", "region", "site", "admin2")
#: With ``kinds="auto"``, the finer kinds a designator in the name asks for ("Yasynuvata district",
#: "Amvrosievsky region", "Luhansk airport", "Hostomel airfield", "the village of Pisky", "sub-prefecture
#: of Kabo"). Only this choice of kinds reads them: the name's own analysis (feature words, names.py)
#: is unchanged, so names mean what they meant before the layers.
LAYER_DESIGNATORS: dict[str, tuple[str, ...]] = {}
for _kinds, _words in (
    (
        ("admin2", "admin3"),
        (
            "district",
            "districts",
            "raion",
            "raions",
            "rayon",
            "rayons",
            "район",
            "р н",
            "county",
            "parish",
            "borough",
            "municipality",
            "municipal district",
            "муниципальный район",
            "городской округ",
        ),
    ),
    (("admin2",), ("region", "sub prefecture", "subprefecture", "sous prefecture", "prefecture")),
    (
        ("admin3",),
        (
            "commune",
            "council",
            "rada",
            "рада",
            "hromada",
            "громада",
            "community",
            "совет",
            "сельсовет",
            "горсовет",
            "city council",
            "village council",
        ),
    ),
    (
        ("airport",),
        (
            "airport",
            "airfield",
            "aerodrome",
            "air base",
            "airbase",
            "air field",
            "airstrip",
            "аэропорт",
            "аеропорт",
            "аэродром",
            "аеродром",
            "авиабаза",
            "авіабаза",
        ),
    ),
    (
        ("settlement",),
        (
            "village",
            "settlement",
            "selo",
            "село",
            "селище",
            "смт",
            "пгт",
            "хутор",
            "поселок",
            "посёлок",
            "khutor",
            "hamlet",
        ),
    ),
):
    for _w in _words:
        LAYER_DESIGNATORS[N.fold(_w)] = tuple(dict.fromkeys(LAYER_DESIGNATORS.get(N.fold(_w), ()) + _kinds))
del _kinds, _words, _w


#: Designators after which a name is looked up among the districts too ("Lincoln County", "Orleans Parish"); a
#: name with another designator ("Primorsky Krai", "Kharkiv Oblast", "Yasynuvata district") keeps the kinds it
#: meant before: the verdicts opt in to the finer layers with ``kinds="auto"``.
COUNTY_DESIGNATORS = frozenset({"county", "parish"})


def base_kinds(name: str) -> tuple[str, ...]:
    """The kinds ``resolve(name)`` looks a name up among when the caller names none: :data:`BASE_KINDS` and the
    second-level units (``admin2``: counties, districts, raions) for a name with no designator or a county
    designator (:data:`COUNTY_DESIGNATORS`). A district named after a town it holds
    ranks after the town ("Bakhmut" is the town; ``seat_namesake`` in :mod:`geoverify.gazetteer.rank`;
    "Bakhmut raion" is the district with ``kinds="auto"``); one with no such town is the
    district ("Suffolk", "Fife": 40 of GeoVirus' toponyms were such counties and provinces)."""
    words = N.fold(name).split()
    if N.analyse(name).hint_class is None or (len(words) >= 2 and words[-1] in COUNTY_DESIGNATORS):
        return BASE_KINDS + ("admin2",)
    return BASE_KINDS


def default_kinds(name: str) -> tuple[str, ...]:
    """The kinds ``resolve(name, kinds="auto")`` looks a name up among: :data:`BASE_KINDS` and the
    finer kinds a designator in the name asks for (:data:`LAYER_DESIGNATORS`)."""
    words = N.fold(name).split()
    extra: list[str] = []
    for n in (1, 2):
        for i in range(len(words) - n + 1):
            extra += LAYER_DESIGNATORS.get(" ".join(words[i : i + n]), ())
    return BASE_KINDS + tuple(k for k in dict.fromkeys(extra) if k not in BASE_KINDS)


_PLACE_COLS = (
    "p.pk, p.id, p.name, p.lat, p.lon, p.kind, p.feature, p.country, p.admin1, "
    "p.admin1_code, p.population, p.geonameid, p.source, p.point"
)


def open_index(path: str | Path | None = None, readonly: bool = True) -> sqlite3.Connection:
    """Open the index this process uses after checking it is sound and of this geoverify's
    schema version.

    Which index: :func:`geoverify.gazetteer.integrity.select_index` (the one rule every
    command follows). How it is checked: :func:`geoverify.gazetteer.integrity.verify` (once
    per process and file). Reading never rebuilds: ``geoverify data build`` does.

    Raises
    ------
    DataError
        One line naming the path, what is wrong and the command to run when the index is
        missing, damaged or of another schema version.
    """
    from geoverify.gazetteer import integrity

    p = integrity.select_index(path)
    conn, problem = _connect(p, readonly)
    if conn is None:
        raise DataError(integrity.advice(p, problem or "unreadable"))
    conn.execute("PRAGMA cache_size=-16000")
    conn.execute("PRAGMA mmap_size=1073741824")
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
        return None, f"corrupt or unreadable ({' '.join(str(exc).split())})"
    if row is None or row[0] != str(SCHEMA_VERSION):
        conn.close()
        return None, f"of schema version {row[0] if row else 'none'} (this geoverify needs {SCHEMA_VERSION})"
    return conn, None


def damaged(path: Path | str, exc: BaseException) -> DataError:
    """The one-line error for a read that failed inside a verified index (damaged since it was
    opened, or damage its checksum could not see)."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return DataError(f"gazetteer index at {path} is damaged ({detail}): run `geoverify data build --force`")


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
    #: (model, hint class) -> (name features, their weighted sum): the part of the logit that does not
    #: depend on the text, kept with the memoised candidate
    base: dict = field(default_factory=dict)

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

        self.path = integrity.select_index(path)
        self.conn = open_index(self.path)
        self.key: Path | None = None  # the configured path it was opened for (get_gazetteer)
        self._lock = threading.RLock()
        with self._db() as conn:
            self._sources = dict(conn.execute("SELECT key, citation FROM sources"))
        self._country_keys: dict[str, set[str]] | None = None
        self._country_max_words = 1
        self._country_first_words: frozenset[str] = frozenset()
        self._country_next: dict[str, frozenset[str]] = {}  # the words that may follow each beginning of a name
        self._admin1_names: dict[str, str | None] = {}
        self._region_members: dict[str, frozenset[str]] | None = None
        self._countries_cache: dict[str, list[str]] = {}
        self._score_memo: dict[tuple, tuple] = {}
        self._match_memo: dict[tuple, tuple] = {}
        self._rows_memo: dict[tuple, list] = {}
        self._rows_memo_rows = 0  # rows held by _rows_memo
        self._fuzzy_memo: dict[tuple, list] = {}
        self._range_memo: OrderedDict[tuple[int, str], dict[int, list[str]]] = OrderedDict()
        self._range_strings = 0  # skeletons held by _range_memo
        self._areas: AreaIndex | None = None
        self._layer_extras: dict[str, dict[str, Any]] = {}
        self._context_cache: dict[str, Any] = {}
        self._context_memo: dict[str, tuple] = {}
        self._admin1_entries: dict[str, Any] = {}
        # the regions' name keys (searched), and (place id, name) of each; answers kept per folded name
        self._region_spellings: tuple[list[str], list[tuple[str, str]]] | None = None
        self._region_spelling_memo: dict[str, tuple[Place, float] | None] = {}

    # ------------------------------------------------------------------ basics
    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; an SQLite error inside (a damaged page, text that is
        not UTF-8) becomes one :class:`DataError` naming the index and the command to run."""
        with self._lock:
            try:
                yield self.conn
            except sqlite3.DatabaseError as exc:
                raise damaged(self.path, exc) from None

    def close(self) -> None:
        self.conn.close()

    def meta(self) -> dict[str, str]:
        with self._db():
            return dict(self.conn.execute("SELECT key, value FROM meta"))

    def _place(
        self, row: Sequence, score: float = 0.0, matched: str = "", extra: dict[str, Any] | None = None
    ) -> Place:
        pk, pid, name, lat, lon, kind, feature, cc, admin1, a1code, pop, gid, src, point = row
        ex: dict[str, Any] = {}
        if a1code:
            ex["admin1_code"] = a1code
        if point and kind in ("country", "admin1", "region", "continent"):
            ex["point"] = point
        if kind in LAYER_KINDS:
            ex.update(self._layer_extra(pid, kind))
        if extra:
            ex.update(extra)
        iso = cc if kind == "country" else (a1code if kind == "admin1" and a1code and "-" in a1code else None)
        return Place(
            id=pid,
            name=name,
            lat=lat,
            lon=lon,
            kind=kind,
            feature=feature,
            country=cc,
            admin1=admin1,
            population=pop if pop else (0 if kind == "place" else None),
            geonameid=gid,
            score=score,
            matched=matched,
            source=self._sources.get(src, src or ""),
            iso=iso,
            extra=ex,
        )

    def areas(self):
        """The :class:`~geoverify.gazetteer.areas.AreaIndex` of this index (districts, councils...)."""
        if self._areas is None:
            from geoverify.gazetteer.areas import AreaIndex

            self._areas = AreaIndex(self.conn, self._lock)
        return self._areas

    def _layer_extra(self, pid: str, kind: str) -> dict[str, Any]:
        """Fields of a district, council, airport or register settlement beyond the ``places`` row:
        ``unit``, ``vintage``, ``region_id`` (the polygon to measure against), ``parents`` (the
        chain of units above it, top first), and the airport's codes or the settlement's area."""
        hit = self._layer_extras.get(pid)
        if hit is not None:
            return hit
        out: dict[str, Any] = {}
        try:
            if kind in ("admin2", "admin3"):
                info = self.areas().info(pid)
                out = {
                    "unit": info["unit"],
                    "vintage": info["vintage"],
                    "region_id": pid,
                    "parents": self._named(info["parents"]),
                }
                for key in ("katottg", "name_uk", "seat", "seat_katottg", "hromada", "centre", "fips"):
                    if info.get(key):
                        out[key] = info[key]
            elif kind == "airport":
                with self._lock:
                    row = self.conn.execute(
                        "SELECT ident, type, iata, icao, municipality, runway_km, props FROM airports WHERE place_id=?",
                        (pid,),
                    ).fetchone()
                if row:
                    out = {
                        "ident": row[0],
                        "airport_type": row[1],
                        "iata": row[2],
                        "icao": row[3],
                        "municipality": row[4],
                        "runway_km": row[5],
                    }
                    out.update(json.loads(row[6]) if row[6] else {})
                    out = {k: v for k, v in out.items() if v is not None and k != "keywords"}
                    with self._lock:
                        cc, a1 = self.conn.execute(
                            "SELECT country, admin1_code FROM places WHERE id=?", (pid,)
                        ).fetchone()
                    chain = [{"kind": "country", "id": f"country:{cc}"}] if cc else []
                    if a1:
                        chain.append({"kind": "admin1", "id": f"admin1:{a1}"})
                    out["parents"] = self._named(chain)
            elif kind == "settlement":
                out = self.settlement_record(pid) or {}
        except (sqlite3.Error, ResolveError):
            out = {}
        if len(self._layer_extras) > 20000:
            self._layer_extras.clear()
        self._layer_extras[pid] = out
        return out

    def _named(self, chain: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Fill in the names of the country and admin-1 links of a parent chain."""
        out = []
        for link in chain:
            link = dict(link)
            if link.get("name") is None:
                if link["kind"] == "admin1":
                    link["name"] = self.admin1_name(link["id"].split(":", 1)[1])
                elif link["kind"] == "country":
                    p = self.place_by_id(link["id"])
                    link["name"] = p.name if p else None
            out.append({k: v for k, v in link.items() if v is not None})
        return out

    def register_names(self) -> list[str]:
        """Every distinct settlement name of Ukraine's register (KATOTTG), as it writes them
        (Ukrainian, Cyrillic); empty when the index has no register."""
        try:
            with self._db():
                return [r[0] for r in self.conn.execute("SELECT DISTINCT name FROM settlements")]
        except sqlite3.Error:
            return []

    def register_entries(self, key: str) -> tuple[tuple[str, str], ...] | None:
        """The register names stored under a Russian-spelling key (table ``register_keys``:
        :func:`geoverify.gazetteer.register.keyed`), as (name, consonant form) pairs; None when the
        index has no such table."""
        with self._lock:
            try:
                return tuple(self.conn.execute("SELECT name, consonants FROM register_keys WHERE key=?", (key,)))
            except sqlite3.OperationalError:  # no such table
                return None
            except sqlite3.DatabaseError as exc:
                raise damaged(self.path, exc) from None

    def settlement_record(self, ref: str | int) -> dict[str, Any] | None:
        """What Ukraine's register (KATOTTG) says of a settlement: its category, its hromada, raion
        and oblast, and the smallest polygon known to hold it.

        Parameters
        ----------
        ref : str or int
            A ``katottg:UA...`` place id, a KATOTTG code, a ``geonames:N`` place id or a GeoNames id
            (for the register entries a GeoNames place stands for).

        Returns
        -------
        dict or None
            ``{"katottg", "category", "name_uk", "region_id", "area_kind", "seat_of", "geonameid",
            "parents": [country, admin1 (oblast), admin2 (2020 raion), admin3 (hromada)]}``, or
            ``None`` when the register has no such settlement (or the index has no register).
        """
        with self._lock:
            try:
                if isinstance(ref, int) or (isinstance(ref, str) and ref.startswith("geonames:")):
                    gid = int(ref.split(":", 1)[1]) if isinstance(ref, str) else ref
                    row = self.conn.execute("SELECT * FROM settlements WHERE geonameid=?", (gid,)).fetchone()
                else:
                    code = ref.split(":", 1)[1] if ref.startswith("katottg:") else ref
                    row = self.conn.execute("SELECT * FROM settlements WHERE code=?", (code,)).fetchone()
            except sqlite3.Error:
                return None
        if row is None:
            return None
        code, place_id, cat, name, oblast, raion, hromada, area_id, area_kind, seat_of, gid = row
        from geoverify.gazetteer.areas import KATOTTG_CATEGORIES, katottg_iso

        areas = self.areas()
        chain: list[dict[str, Any]] = [{"kind": "country", "id": "country:UA"}]
        iso = katottg_iso(oblast)
        if iso:
            chain.append({"kind": "admin1", "id": f"admin1:{iso}"})
        for kind, c in (("admin2", raion), ("admin3", hromada)):
            if c and areas.has(f"{kind}:{c}"):
                r = areas.info(f"{kind}:{c}")
                chain.append(
                    {"kind": kind, "id": r["id"], "name": r["name"], "unit": r["unit"], "vintage": r["vintage"]}
                )
        out = {
            "katottg": code,
            "category": KATOTTG_CATEGORIES.get(cat, cat),
            "name_uk": name,
            "region_id": area_id,
            "area_kind": area_kind,
            "seat_of": seat_of,
            "geonameid": gid,
            "place_id": place_id,
            "parents": self._named(chain),
        }
        return {k: v for k, v in out.items() if v is not None}

    def _site_row(self, site) -> tuple:
        admin1_name, code = None, None
        if site.admin1:
            if "-" in site.admin1 and site.admin1.split("-")[0] == site.country:
                code = site.admin1
                admin1_name = self.admin1_name(code) or site.admin1
            else:
                admin1_name = site.admin1
                code = self._admin1_code_for_name(site.admin1, site.country)
        return (
            None,
            site.place_id,
            site.name,
            site.lat,
            site.lon,
            "site",
            site.feature,
            site.country,
            admin1_name,
            code,
            None,
            None,
            None,
            None,
        )

    def admin1_name(self, code: str) -> str | None:
        """The display name of an admin-1 region by ISO 3166-2 (or GeoNames) code."""
        if code not in self._admin1_names:
            with self._db():
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
        with self._db():
            row = self.conn.execute(f"SELECT {_PLACE_COLS} FROM places p WHERE p.id=?", (place_id,)).fetchone()
        return self._place(row) if row else None

    def largest_place_in_admin1(self, country: str | None, admin1: str | None) -> Place | None:
        """The most populous populated place of a first-level region (by its display name),
        or ``None``: the city a region is often named by ("Kharkov region")."""
        if not country or not admin1:
            return None
        with self._lock:
            row = self.conn.execute(
                f"SELECT {_PLACE_COLS} FROM places p WHERE p.kind='place' AND p.country=? AND p.admin1=? "
                "ORDER BY p.population DESC LIMIT 1",
                (country, admin1),
            ).fetchone()
        return self._place(row) if row else None

    def region_by_spelling(self, name: str) -> tuple[Place, float] | None:
        """The first-level region (or macro-region) whose name ``name`` misspells, with the
        rapidfuzz ratio, or ``None``: "Nana-Gribizi" is Nana-Grébizi (92), "Ombelle Mpoko"
        Ombella-Mpoko (92).

        For a name the text calls a region ("Nana-Gribizi prefecture") that matched nothing
        exactly: among the ~4,500 regions' 20,000 names a spelling this close is that region, not a
        stranger, as a typo among 235,000 towns may be. The best region must reach
        :data:`geoverify.thresholds.REGION_TYPO_MIN_RATIO` and lead every other region by
        :data:`geoverify.thresholds.REGION_TYPO_MARGIN`.
        """
        from rapidfuzz import fuzz, process

        from geoverify import thresholds as th

        key = N.fold(name)
        if len(key.replace(" ", "")) < th.VARIANT_MIN_LENGTH:
            return None
        with self._lock:
            if key in self._region_spelling_memo:
                return self._region_spelling_memo[key]
            if self._region_spellings is None:
                rows = self.conn.execute(
                    "SELECT n.key, p.id, n.name FROM names n JOIN places p ON p.pk=n.pk "
                    "WHERE p.kind IN ('admin1', 'region') AND n.key IS NOT NULL AND n.flag != ? "
                    "ORDER BY p.id, n.key, n.name",
                    (N.FLAG_CODE,),
                ).fetchall()
                self._region_spellings = ([r[0] for r in rows], [(r[1], r[2]) for r in rows])
            keys, owners = self._region_spellings
        best: dict[str, tuple[float, str]] = {}
        for _k, score, i in process.extract(key, keys, scorer=fuzz.ratio, limit=20, score_cutoff=50):
            pid, spelt = owners[i]
            if score > best.get(pid, (0.0, ""))[0]:
                best[pid] = (score, spelt)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        found: tuple[Place, float] | None = None
        if (
            ranked
            and ranked[0][1][0] >= th.REGION_TYPO_MIN_RATIO
            and (len(ranked) == 1 or ranked[0][1][0] - ranked[1][1][0] >= th.REGION_TYPO_MARGIN)
        ):
            pid, (ratio, spelt) = ranked[0]
            place = self.place_by_id(pid)
            if place is not None:
                # matched by spelling: not a typo among every kind of place (is_approximate), a region's own name
                extra = {**(place.extra or {}), "match": "spelling", "spelling_ratio": round(ratio, 1)}
                found = replace(place, matched=spelt, score=round(ratio / 100.0, 3), extra=extra), ratio
        with self._lock:
            if len(self._region_spelling_memo) >= SCORE_MEMO_SIZE:
                self._region_spelling_memo.clear()
            self._region_spelling_memo[key] = found
        return found

    def count_places(self, country: str) -> int:
        """How many populated places of ``country`` (ISO alpha-2) the index holds."""
        with self._lock:
            row = self.conn.execute(
                "SELECT count(*) FROM places WHERE kind='place' AND country=?", (country,)
            ).fetchone()
        return int(row[0]) if row else 0

    def places_with_prefix(self, stem: str, limit: int = 20, kinds: Sequence[str] = ("place",)) -> list[Place]:
        """Places with a name (any spelling) starting with ``stem`` (folded), most populous
        first: the town an adjectival district name is made from ("Amvrosiev-" ->
        Amvrosiivka)."""
        key = N.fold(stem)
        if len(key) < 4:
            return []
        kind_sql = f" AND p.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {_PLACE_COLS}, n.name, n.key FROM names n JOIN places p ON p.pk=n.pk "
                f"WHERE n.key >= ? AND n.key < ?{kind_sql} ORDER BY p.population DESC LIMIT ?",
                [key, key + "\uffff", *kinds, 4 * limit],
            ).fetchall()
        out: list[Place] = []
        seen: set[str] = set()
        for r in rows:
            # a name that only starts like the stem ("Shakhtar Donetsk" for "Shakhtar-") is not it:
            # the rest must be an ending, not another word
            rest = (r[15] or "")[len(key) :]
            if " " in rest.strip() or len(rest) > 6 or r[1] in seen:
                continue
            seen.add(r[1])
            out.append(self._place(r[:14], matched=r[14], extra={"match": "prefix"}))
        return out[:limit]

    def place_by_geonameid(self, geonameid: int) -> Place | None:
        with self._db():
            row = self.conn.execute(
                f"SELECT {_PLACE_COLS} FROM places p WHERE p.geonameid=?", (int(geonameid),)
            ).fetchone()
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

    def _lookup_rows(
        self, keys: Iterable[str], skels: Iterable[str], kinds: Sequence[str] | None = None
    ) -> list[tuple[tuple, int, str, str | None, str, str | None]]:
        """Rows matching fold keys or skeletons: (place row, flag, name, key, match, skel).

        The rows of any kind are memoised per (keys, skeletons) and filtered here: the index is
        read-only, and the kind was only ever a filter on each joined row (the query plan walks
        the name index either way), so the rows and their order are those of the filtered query.
        """
        key_t = tuple(k for k in dict.fromkeys(keys) if k)
        skel_t = tuple(s for s in dict.fromkeys(skels) if s)
        memo_key = (key_t, skel_t)
        with self._lock:
            rows = self._rows_memo.get(memo_key)
        if rows is None:
            rows = self._lookup_rows_uncached(key_t, skel_t)
            with self._lock:
                memo = self._rows_memo
                earlier = memo.pop(memo_key, None)  # another thread's answer to the same question
                if earlier is not None:
                    self._rows_memo_rows -= len(earlier) + 1
                self._rows_memo_rows += len(rows) + 1
                while self._rows_memo_rows > ROWS_MEMO_ROWS and memo:
                    self._rows_memo_rows -= len(memo.pop(next(iter(memo)))) + 1
                memo[memo_key] = rows
        if kinds:
            wanted = frozenset(kinds)
            return [r for r in rows if r[0][5] in wanted]
        return list(rows)

    def _lookup_rows_uncached(self, keys: tuple[str, ...], skels: tuple[str, ...]) -> list:
        # the fold-key rows, then the skeleton rows: one statement (a compound SELECT gives its parts' rows in turn)
        parts = []
        if keys:
            parts.append(
                f"SELECT {_PLACE_COLS}, n.flag, n.name, n.key, n.skel, 'fold' FROM names n JOIN places p "
                f"ON p.pk=n.pk WHERE n.key IN ({','.join('?' * len(keys))})"
            )
        if skels:
            parts.append(
                f"SELECT {_PLACE_COLS}, n.flag, n.name, n.key, n.skel, 'skeleton' FROM names n JOIN places p "
                f"ON p.pk=n.pk WHERE n.skel IN ({','.join('?' * len(skels))})"
            )
        if not parts:
            return []
        with self._db():
            return [
                (r[:14], r[14], r[15], r[16], r[18], r[17])
                for r in self.conn.execute(" UNION ALL ".join(parts), keys + skels)
            ]

    def _typo_rows(self, skels: list[str], kept: Callable[[int, str, str | None, str | None], bool]) -> list[tuple]:
        """(place row, flag, name, key, skel) of the names whose skeleton is one of ``skels`` and
        ``kept(flag, name, key, skel)``, in the order of :meth:`_lookup_rows` (the ``names_skel``
        index's): the names are read first and only the kept ones' places (most typo candidates'
        spellings are too far from the query's, and reading their places was most of the search)."""
        skels = [s for s in dict.fromkeys(skels) if s]
        if not skels:
            return []
        with self._db():
            marks = ",".join("?" * len(skels))
            sql = f"SELECT n.pk, n.flag, n.name, n.key, n.skel FROM names n WHERE n.skel IN ({marks})"
            names = self.conn.execute(sql, skels).fetchall()
            names = [r for r in names if kept(r[1], r[2], r[3], r[4])]
            pks = list(dict.fromkeys(r[0] for r in names))
            places: dict[int, tuple] = {}
            for i in range(0, len(pks), 500):
                part = pks[i : i + 500]
                for r in self.conn.execute(
                    f"SELECT {_PLACE_COLS} FROM places p WHERE p.pk IN ({','.join('?' * len(part))})", part
                ):
                    places[r[0]] = r
        return [(places[pk], flag, name, key, skel) for pk, flag, name, key, skel in names if pk in places]

    def _fuzzy_skeletons(self, skel: str, limit: int = 25, cutoff: float = FUZZY_CUTOFF) -> list[tuple[str, float]]:
        """The ``limit`` skeletons closest to ``skel`` with a rapidfuzz ratio of ``cutoff`` or more (ties
        by the skeleton): candidates from the skeleton prefix and suffix ranges (first/last 3 letters)."""
        if len(skel) < 4:
            return []
        memo_key = (skel, limit, cutoff)
        with self._lock:
            hit = self._fuzzy_memo.get(memo_key)
        if hit is None:
            hit = self._fuzzy_skeletons_uncached(skel, limit, cutoff)
            with self._lock:
                memo = self._fuzzy_memo
                while len(memo) >= FUZZY_MEMO_SIZE:
                    memo.pop(next(iter(memo)))
                memo[memo_key] = hit
        return list(hit)

    def _fuzzy_skeletons_uncached(self, skel: str, limit: int, cutoff: float = FUZZY_CUTOFF) -> list[tuple[str, float]]:
        from rapidfuzz import fuzz, process

        n = len(skel)
        # the lengths within two letters whose skeletons can reach the cutoff (none: nothing is read)
        lengths = [m for m in range(max(1, n - 2), n + 3) if _ratio_reach(n, m) >= cutoff - 1e-6]
        if not lengths:
            return []
        pool: set[str] = set()
        for side, key in ((0, skel), (1, skel[::-1])):
            by_length = self._skeleton_range(side, key[:3], lengths[0], lengths[-1])
            for length in lengths:
                same_length = by_length.get(length)
                if same_length:
                    pool.update(same_length)
        pool.discard(skel)
        # every skeleton above the cutoff, ranked as rapidfuzz ranks a sorted pool (by score, ties by
        # their place in the pool: the skeleton itself), without sorting the ~2,000 of the pool
        found = process.extract(skel, list(pool), scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        found.sort(key=lambda r: (-r[1], r[0]))
        return [(s, score) for s, score, _ in found[:limit]]

    def _pooled(self, skel: str, others: Iterable[str]) -> list[str]:
        """Those of ``others`` among the skeletons :meth:`_fuzzy_skeletons` ranks for ``skel``: skeletons of the
        index (``skeys``, which ``skel_groups`` groups) of two letters more or fewer at most, beginning or ending
        with the same three letters (and not ``skel``)."""
        n = len(skel)
        if n < 4:
            return []
        others = [
            t for t in others if t != skel and abs(len(t) - n) <= 2 and (t[:3] == skel[:3] or t[-3:] == skel[-3:])
        ]
        if not others:
            return []
        found: set[str] = set()
        with self._db():
            for i in range(0, len(others), 500):
                part = others[i : i + 500]
                sql = f"SELECT skel FROM skeys WHERE skel IN ({','.join('?' * len(part))})"
                found.update(r[0] for r in self.conn.execute(sql, part))
        return [t for t in others if t in found]

    def _skeleton_range(self, side: int, pre: str, lo: int, hi: int) -> dict[int, list[str]]:
        """The skeletons starting (``side`` 0) or ending (``side`` 1, ``pre`` read backwards) with
        ``pre`` whose length is ``lo`` to ``hi``, by length: the rows of ``skel_groups`` (``skeys``
        grouped when the index was built). Each (range, length) is read
        once and kept (an LRU of ranges bounded by :data:`SKELETON_RANGE_STRINGS`); a later search
        reads only the lengths not read yet."""
        key = (side, pre)
        with self._lock:
            by_length = self._range_memo.get(key)
            if by_length is not None:
                self._range_memo.move_to_end(key)
                missing = [n for n in range(lo, hi + 1) if n not in by_length]
                if not missing:
                    return by_length
            else:
                by_length, missing = {}, list(range(lo, hi + 1))
        a, b = missing[0], missing[-1]
        found: dict[int, list[str]] = {n: [] for n in range(a, b + 1) if n not in by_length}
        if len(pre) == 3:  # (a shorter prefix is a whole skeleton of fewer than three letters: no range)
            with self._db():
                rows = self.conn.execute(
                    "SELECT len, skels FROM skel_groups WHERE side=? AND pre=? AND len BETWEEN ? AND ?",
                    (side, pre, a, b),
                ).fetchall()
            for length, joined in rows:
                if length in found and joined:
                    found[length] = joined.split(_SKELETON_SEP)
        added = sum(map(len, found.values()))
        with self._lock:
            memo = self._range_memo
            by_length = {**by_length, **found}  # a new dict: readers of the old one are not disturbed
            memo[key] = by_length
            memo.move_to_end(key)
            self._range_strings += added
            while self._range_strings > SKELETON_RANGE_STRINGS and len(memo) > 1:
                _k, old = memo.popitem(last=False)
                self._range_strings -= sum(map(len, old.values()))
        return by_length

    # ------------------------------------------------------------------ context
    def _load_country_keys(self) -> dict[str, set[str]]:
        with self._db():
            if self._country_keys is not None:
                return self._country_keys
            keys: dict[str, set[str]] = {}
            rows = self.conn.execute(
                "SELECT n.key, p.country FROM names n JOIN places p ON p.pk=n.pk "
                "WHERE p.kind='country' AND n.key IS NOT NULL AND n.flag != ?",
                (N.FLAG_CODE,),
            ).fetchall()
            for key, cc in rows:
                if len(key) >= 4 or key in ("uk", "usa", "us"):
                    keys.setdefault(key, set()).add(cc)
            self._country_max_words = max(len(k.split()) for k in keys)
            self._country_first_words = frozenset(k.split()[0] for k in keys)
            following: dict[str, set[str]] = {}
            for k in keys:
                words = k.split()
                for n in range(1, len(words)):
                    following.setdefault(" ".join(words[:n]), set()).add(words[n])
            self._country_next = {head: frozenset(ws) for head, ws in following.items()}
            self._country_keys = keys
            return keys

    def countries_in_text(self, text: str) -> list[str]:
        """ISO alpha-2 codes of the countries a text names (names, adjectives,
        demonyms, possessives), in order of first mention.

        The answer for the last few texts is kept: every name looked up in one text
        passes the same (possibly megabyte-long) text as context, and reading it again
        for each name made a long text quadratic.
        """
        cache = self._countries_cache
        with self._lock:
            hit = cache.get(text)
        if hit is None:
            hit = self._countries_in_text(text)
            with self._lock:
                while len(cache) >= COUNTRIES_CACHE_SIZE:
                    cache.pop(next(iter(cache)))
                cache[text] = hit
        return list(hit)

    def _countries_in_text(self, text: str) -> list[str]:
        keys = self._load_country_keys()
        words = N.fold_words(_drop_possessives(text))
        first = self._country_first_words
        starts = [i for i, w in enumerate(words) if w in first]  # where a country name may start
        if not starts:
            return []
        found: dict[str, None] = {}
        following, n_words = self._country_next.get, len(words)
        none: frozenset[str] = frozenset()
        resume = 0  # the words of a name found are not the start of another
        for i in starts:
            if i < resume:
                continue
            # the longest name starting here: grow the phrase while it begins some name
            phrase = words[i]
            best, ccs = (1, keys[phrase]) if phrase in keys else (0, None)
            j = i + 1
            while j < n_words and words[j] in following(phrase, none):
                phrase = f"{phrase} {words[j]}"
                got = keys.get(phrase)
                if got:
                    best, ccs = j - i + 1, got
                j += 1
            if ccs:
                for cc in sorted(ccs):
                    found.setdefault(cc)
                resume = i + best
            else:
                resume = i + 1
        return list(found)

    def document_context(self, text: str):
        """The :class:`~geoverify.gazetteer.context.DocumentContext` of a text (the last few are kept:
        every name of one text is resolved against the same context)."""
        cache = self._context_cache
        hit = cache.get(text)
        if hit is None:
            from geoverify.gazetteer.context import DocumentContext

            hit = DocumentContext(text, self._context_lookup, self._admin1_entry)
            if len(cache) >= CONTEXT_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[text] = hit
        return hit

    def _context_lookup(self, keys: list[str]) -> dict[str, list]:
        """Exact-name (fold key) lookup of many keys for a document's context: key -> [Entry].

        Each key's entries are memoised per process (the index is read-only; the capitalised
        words of one long text, and of the texts of one batch, repeat). The answer is built as
        the query gave it: keys in chunks of 900, each chunk's keys in sorted order (the query
        walks its ``IN`` list in order), each key's entries in index order.
        """
        memo = self._context_memo
        with self._lock:  # (the look-up holds it too: one connection)
            missing = [k for k in dict.fromkeys(keys) if k not in memo]
            if missing:
                found = self._context_lookup_uncached(missing)
                if len(memo) + len(missing) > CONTEXT_MEMO_SIZE:
                    memo.clear()
                for k in missing:
                    memo[k] = found.get(k, ())
            hits = {k: memo[k] for k in keys}
        out: dict[str, list] = {}
        for i in range(0, len(keys), 900):
            for k in sorted(set(keys[i : i + 900])):
                ents = hits[k]
                if ents:
                    out[k] = list(ents)
        return out

    def _context_lookup_uncached(self, keys: list[str]) -> dict[str, tuple]:
        from geoverify.gazetteer.context import MIN_CONTEXT_POPULATION

        out: dict[str, dict[str, tuple]] = {}
        with self._lock:
            for i in range(0, len(keys), 900):
                chunk = keys[i : i + 900]
                # an adjective or demonym ("Canadian", "French") is marked in the feature field: the context
                # weighs it by how it is used (see context.ADJECTIVE_WEIGHT)
                sql = (
                    "SELECT n.key, p.id, p.kind, p.country, p.admin1_code, p.lat, p.lon, p.population, "
                    f"CASE WHEN n.flag IN ({N.FLAG_ADJECTIVE}, {N.FLAG_DEMONYM}) THEN 'adjective' ELSE p.feature END, "
                    f"p.name FROM names n JOIN places p ON p.pk=n.pk WHERE n.key IN ({','.join('?' * len(chunk))}) "
                    f"AND n.flag != {N.FLAG_CODE} AND (p.kind != 'place' OR p.population >= ?) "
                    # a district by its name without the designator ("Bakhmut" for Bakhmut raion) is the town
                    f"AND (p.kind != 'admin2' OR n.flag != {N.FLAG_BASE}) "
                    # the finer layers (councils, airports, register villages) are not context evidence
                    f"AND p.kind IN ({','.join(repr(k) for k in CONTEXT_KINDS)})"
                )
                for row in self.conn.execute(sql, chunk + [MIN_CONTEXT_POPULATION]):
                    # the fields of an Entry, as a plain tuple (id, kind, country, admin1_code, lat, lon,
                    # population, feature, name): thousands per long text
                    got = out.get(row[0])
                    if got is None:
                        got = out[row[0]] = {}
                    got[row[1]] = row[1:] if row[7] is not None else (*row[1:7], 0, *row[8:])
        return {k: tuple(v.values()) for k, v in out.items()}

    def _admin1_entry(self, code: str):
        """The first-level region with ISO 3166-2 ``code`` as a context entry (or None)."""
        if code not in self._admin1_entries:
            from geoverify.gazetteer.context import Entry

            with self._lock:
                row = self.conn.execute(
                    f"SELECT {_PLACE_COLS} FROM places p WHERE p.id=?", (f"admin1:{code}",)
                ).fetchone()
            self._admin1_entries[code] = (
                (Entry(row[1], row[5], row[7], row[9], row[3], row[4], row[10] or 0, row[6], row[2]), row)
                if row
                else None
            )
        hit = self._admin1_entries[code]
        return hit[0] if hit else None

    # ------------------------------------------------------------------ resolve
    def resolve(
        self,
        name: str,
        near: tuple[float, float] | None = None,
        country: str | None = None,
        context: str | None = None,
        limit: int = 10,
        sites: Any = None,
        kinds: Sequence[str] | None = None,
        explain: bool = False,
    ) -> list[Place]:
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
            Keep only these kinds (``place``, ``country``, ``admin1``, ``region``, ``site``,
            ``admin2``, ``admin3``, ``airport``, ``settlement``, ``continent``, ``locality``). Default:
            :data:`BASE_KINDS` (the first five, continents and world regions, US towns known from their
            ZIP codes) and the districts (``admin2``; :func:`base_kinds`). ``"auto"``: :func:`default_kinds`,
            the base kinds plus the finer kinds a designator in the name asks for (district, raion, county:
            admin2 and admin3; "region", "sub-prefecture": admin2; council, commune: admin3;
            airport, airfield, air base: airport; village: settlement), as ``geoverify resolve``
            does without ``--kind``.
        explain : bool
            Add ``extra["explanation"]`` to each candidate: its logit, how far behind the best,
            and every piece of evidence with its effect (see :mod:`geoverify.gazetteer.rank`).

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
        if kinds is None:  # the base kinds and districts: the verdicts opt in to the finer layers
            kinds = base_kinds(split_qualifiers(text)[0] or text)
        elif isinstance(kinds, str) and kinds == "auto":
            kinds = default_kinds(split_qualifiers(text)[0] or text)
        elif isinstance(kinds, str):
            kinds = (kinds,)
        doc = memo_key = None
        if context:  # the same name in the same text gets the same answer: kept with the text's context
            doc = self.document_context(context)
            memo_key = (text, near, cc_filter, limit, tuple(kinds) if kinds else None, explain)
            hit = doc.results.get(memo_key)
            if hit is not None and hit[0] is site_index:
                return [_copy_place(p) for p in hit[1]]
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
        out = self._rank(cands, qa, qualifiers, unresolved, near, cc_filter, context, explain, limit)
        out = out[:limit] if limit else out
        if doc is not None:
            if len(doc.results) >= RESULTS_PER_TEXT:
                doc.results.pop(next(iter(doc.results)))
            doc.results[memo_key] = (site_index, [_copy_place(p) for p in out])
        return out

    def _qualifier(self, text: str, site_index) -> Qualifier | None:
        from geoverify.gazetteer.context import ABBREVIATIONS, POSTAL

        folded = N.fold(text)
        code = ABBREVIATIONS.get(folded) or (POSTAL.get(folded) if text.strip().isupper() else None)
        if code and self._admin1_entry(code) is not None:
            e = self._admin1_entry(code)
            return Qualifier(text, "admin1", e.country, code, frozenset(), e.id)
        cands = self._score(N.analyse(text), site_index, ("admin1", "country", "region"))
        if not cands:
            return None
        qa = N.analyse(text)
        best = max(
            cands.values(),
            key=lambda c: c.name_score * HINT_FACTOR.get(qa.hint_class, HINT_FACTOR[None]).get(c.kind, 0.8),
        )
        if best.name_score < 0.75:
            return None
        row = best.row
        kind, cc, code = row[5], row[7], row[9]
        members: frozenset[str] = frozenset()
        if kind == "region":
            members = self._members(row[1])
        return Qualifier(
            text, kind, cc, code if kind == "admin1" else (cc if kind == "country" else None), members, row[1]
        )

    def _members(self, region_id: str) -> frozenset[str]:
        with self._db() as conn:
            if self._region_members is None:
                members: dict[str, set[str]] = {}
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "region_members" in tables:  # the boundary half's list (geoverify/data/macroregions.json)
                    for region, member in conn.execute("SELECT region_id, member_id FROM region_members"):
                        members.setdefault(region, set()).add(member.split(":", 1)[-1])
                self._region_members = {k: frozenset(v) for k, v in members.items()}
            return self._region_members.get(region_id, frozenset())

    def country_code(self, country: str) -> str:
        """ISO alpha-2 code for a country given as alpha-2, alpha-3 or a name.

        Raises
        ------
        ResolveError
            When ``country`` is not a known country.
        """
        c = country.strip()
        with self._db():
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
        (query, sites, kinds); the candidates are shared, not copied: callers must not change them
        (ranking keeps its factors apart and only adds to a candidate's ``base`` cache).
        """
        key = (qa.text, id(site_index), tuple(kinds) if kinds else None)
        found = self._memo_for_sites(
            self._score_memo, key, site_index, lambda: self._score_uncached(qa, site_index, kinds)
        )
        return dict(found)

    def _memo_for_sites(self, memo: dict, key: tuple, site_index, compute):
        """``compute()``, memoised in ``memo`` under ``key`` while ``site_index`` is the sites
        file it was computed with (oldest entries dropped past :data:`SCORE_MEMO_SIZE`)."""
        with self._lock:
            hit = memo.get(key)
        if hit is None or hit[0] is not site_index:
            hit = (site_index, compute())
            with self._lock:
                while len(memo) >= SCORE_MEMO_SIZE:
                    memo.pop(next(iter(memo)))
                memo[key] = hit
        return hit[1]

    def _score_uncached(self, qa: N.QueryAnalysis, site_index, kinds: Sequence[str] | None = None) -> dict[str, _Cand]:
        """The candidates of ``kinds``, taken from the name's matches of every kind
        (:meth:`_name_matches`): a name is asked for several kinds (place, district, airport,
        settlement ...), and the kind was only ever a filter on each offered row. The exact and
        transliterated matches come first; the typo-tolerant ones are added when none of these
        kinds matched better than :data:`FUZZY_BELOW`, each keeping the better of its two scores
        (the earlier on a tie), in the order the one-kind search offered them."""
        exact = self._name_matches(qa, site_index, False)
        wanted = frozenset(kinds) if kinds else None
        if wanted is None:
            cands = dict(exact)
        else:
            cands = {k: c for k, c in exact.items() if c.row[5] in wanted}
        best = max((c.name_score for c in cands.values()), default=0.0)
        if best < FUZZY_BELOW:
            for k, c in self._name_matches(qa, site_index, True).items():
                if wanted is not None and c.row[5] not in wanted:
                    continue
                cur = cands.get(k)
                if cur is None or c.name_score > cur.name_score:
                    cands[k] = c
        return cands

    def _name_matches(self, qa: N.QueryAnalysis, site_index, fuzzy: bool) -> dict[str, _Cand]:
        """Every kind's candidates for an analysed query, memoised per (query, sites): the exact and
        transliterated matches, or (``fuzzy``) the typo-tolerant ones alone. Callers must not
        change them."""
        key = (qa.text, id(site_index), fuzzy)
        return self._memo_for_sites(
            self._match_memo, key, site_index, lambda: self._name_matches_uncached(qa, site_index, fuzzy)
        )

    def _name_matches_uncached(self, qa: N.QueryAnalysis, site_index, fuzzy: bool) -> dict[str, _Cand]:
        kinds = None
        cands: dict[str, _Cand] = {}
        by_fold = {v.fold: v for v in qa.variants if v.fold}
        from geoverify.gazetteer.context import ABBREVIATIONS

        words = qa.folded.split()
        if len(words) >= 2 and all(len(w) == 1 for w in words) and qa.folded not in ABBREVIATIONS:
            # "U.K.", "U.S.": initials ("S.C." is South Carolina, not the code SC)
            by_fold.setdefault("".join(words), qa.variants[0])
        by_skel: dict[str, N.QueryVariant] = {}
        for v in qa.variants:
            if v.skeleton and v.skeleton not in by_skel:
                by_skel[v.skeleton] = v
        q_latin = N.cyrillic_to_latin(qa.folded)

        spelling_ratio = None

        def typo_spelling(variant):
            # the query's spelling a typo candidate's is compared with, in Latin letters
            return q_latin if variant.how in ("as-written", "possessive") else _latin(variant.fold)

        def typo_ratio(variant, ratio, name, stored):
            # a typo candidate's ratio: the lower of its skeleton's and its spelling's, or None when too low
            nonlocal spelling_ratio
            if spelling_ratio is None:
                spelling_ratio = _rapidfuzz().ratio
            q = typo_spelling(variant)
            latin = _latin(stored or name)
            # below FUZZY_CUTOFF rapidfuzz answers 0 (dropped either way) and stops early
            ratio = min(ratio, spelling_ratio(q, latin, score_cutoff=FUZZY_CUTOFF))
            if ratio < FUZZY_CUTOFF or (ratio < RESOLVE_TYPO_MIN_RATIO and not _transposed(q, latin)):
                return None
            return ratio

        def offer(row, flag, name, match, variant, ratio=None, site=None, stored=None, checked=False):
            # ``stored``: the key that matched (the name without its feature word for
            # FLAG_BASE, the derived noun's skeleton for FLAG_DERIVED), compared in Latin letters;
            # ``checked``: ``ratio`` is already typo_ratio's answer for this row (the typo search's filter)
            if kinds and row[5] not in kinds:
                return
            if flag == N.FLAG_CODE and match != "fold":  # a code is written exactly or not at all ("Bria" is not BRA)
                return
            if row[5] == "locality" and (match != "fold" or variant.how != "as-written"):
                # a town known only from its ZIP codes matches the name exactly as written: not a reading
                # without a feature word ("People's Republic" is not Peoples, Kentucky), a possessive or a
                # transliteration (22,000 small towns would otherwise answer common words)
                return
            if match == "fold":
                m = 1.0
            elif match == "skeleton":
                fuzz = _rapidfuzz()
                stored = _latin(stored or name)
                q = q_latin if variant.how in ("as-written", "possessive") else _latin(variant.fold or variant.skeleton)
                m = SKELETON_BASE + SKELETON_SPAN * (fuzz.ratio(q, stored) / 100.0) ** 2
            else:  # fuzzy: the skeletons are close; judge the spelling itself too
                if not checked:
                    ratio = typo_ratio(variant, ratio, name, stored)
                if ratio is None:
                    return
                m = min(0.82, 0.55 + 0.27 * (ratio - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF))
            s = m * variant.weight * N.FLAG_WEIGHT.get(flag, 1.0)
            if flag == N.FLAG_CODE and not qa.text.strip().isupper():
                s *= 0.5
            key = row[1]
            cur = cands.get(key)
            if cur is None or s > cur.name_score:
                cands[key] = _Cand(row, s, name, match, flag, variant.how, site)

        if fuzzy:
            self._fuzzy(qa, site_index, offer, typo_ratio, typo_spelling)
            return cands
        keys = list(by_fold)
        skels = list(by_skel)
        for row, flag, name, key, match, skel in self._lookup_rows(keys, skels, kinds):
            variant = by_fold.get(key or "") if match == "fold" else by_skel.get(skel or "")
            if variant is None:
                continue
            offer(row, flag, name, match, variant, stored=key or skel)
        for v in qa.variants:
            for site, flag, name, match, stored in site_index.lookup(v.fold, v.skeleton):
                offer(self._site_row(site), flag, name, match, v, site=site, stored=stored)
        code = ABBREVIATIONS.get(qa.folded)
        if code and self._admin1_entry(code) is not None and qa.variants:
            # "W.Va.", "Calif.", "NSW": the region the abbreviation stands for
            row = self._admin1_entries[code][1]
            offer(row, N.FLAG_NAME, row[2], "fold", N.QueryVariant(qa.folded, "", 1.0, "abbreviation"))
        return cands

    def _fuzzy(self, qa: N.QueryAnalysis, site_index, offer, typo_ratio, typo_spelling) -> None:
        from rapidfuzz import fuzz

        main = [v for v in qa.variants if v.how in ("as-written", "possessive", "without-feature") and v.skeleton]
        for v in main:
            # typo_ratio keeps a spelling whose skeleton is as close as RESOLVE_TYPO_MIN_RATIO, or one that is the
            # query's spelling with two adjacent letters swapped: the names of only these skeletons among the 25
            # closest are read. The ranking is cut at the least of their ratios (the skeletons ranked before are
            # the first of the whole ranking): no skeleton of six letters or fewer is that close to another, so
            # most searches rank and read nothing.
            swapped = _swapped_skeletons(typo_spelling(v))
            cutoff = min(
                [float(RESOLVE_TYPO_MIN_RATIO)] + [fuzz.ratio(v.skeleton, t) for t in self._pooled(v.skeleton, swapped)]
            )
            found = self._fuzzy_skeletons(v.skeleton, cutoff=max(FUZZY_CUTOFF, math.floor(cutoff)))
            if found:
                ratio_by_skel = {s: r for s, r in found if r >= RESOLVE_TYPO_MIN_RATIO or s in swapped}

                ratios: dict[tuple, float] = {}  # typo_ratio of each kept row, reused by ``offer``

                def kept(flag, name, key, skel, v=v, ratio_by_skel=ratio_by_skel, ratios=ratios):
                    # what ``offer`` would drop whatever the place: a code, a spelling too far
                    if flag == N.FLAG_CODE:
                        return False
                    r = typo_ratio(v, ratio_by_skel[skel or ""], name, key or skel)
                    if r is None:
                        return False
                    ratios[name, key, skel] = r
                    return True

                for row, flag, name, key, skel in self._typo_rows(list(ratio_by_skel), kept):
                    offer(row, flag, name, "fuzzy", v, ratio=ratios[name, key, skel], stored=key or skel, checked=True)
            for skel, entries in site_index.by_skeleton.items():
                r = fuzz.ratio(v.skeleton, skel)
                if r >= FUZZY_CUTOFF and skel != v.skeleton:
                    for i, flag, name, stored in entries:
                        site = site_index.sites[i]
                        offer(self._site_row(site), flag, name, "fuzzy", v, ratio=r, site=site, stored=stored)

    def _rank(
        self,
        cands: dict[str, _Cand],
        qa: N.QueryAnalysis,
        qualifiers: list[Qualifier],
        unresolved: list[str],
        near,
        cc_filter,
        context,
        explain: bool = False,
        limit: int | None = None,
    ) -> list[Place]:
        from geoverify.gazetteer import rank as R

        items = list(cands.values())
        if cc_filter:
            items = [c for c in items if c.row[7] == cc_filter]
        if not items:
            return []
        notes: dict[str, Any] = {}
        mismatch = False
        if unresolved:
            notes["qualifiers_not_found"] = unresolved
        for q in qualifiers:
            inside = [c for c in items if q.contains(c.row[7], c.row[9]) and c.row[1] != q.place_id]
            if inside:
                items = inside
            else:
                mismatch = True
                notes.setdefault("qualifiers_not_matched", []).append(q.text)
        hint_row = HINT_FACTOR.get(qa.hint_class, HINT_FACTOR[None])
        query_keys = {v.fold for v in qa.variants if v.fold} | {qa.folded}
        ev = None
        if context:
            ev = self.document_context(context).evidence(query_keys)
        distances: dict[int, float] = {}
        if near is not None:
            pts = [
                (i, c.row[3], c.row[4])
                for i, c in enumerate(items)
                if c.kind not in ("country", "admin1", "region", "continent") and c.row[3] is not None
            ]
            if pts:
                from geoverify.geodesy import geod as wgs84

                geod = wgs84()
                _, _, dist = geod.inv(
                    [near[1]] * len(pts), [near[0]] * len(pts), [p[2] for p in pts], [p[1] for p in pts]
                )
                distances = {p[0]: d / 1000.0 for p, d in zip(pts, dist)}
        # a settlement beside a strongly matched named site of the same name is the
        # likeliest reading after the site itself (sites are named after villages)
        strong_sites = (
            [c for c in items if c.kind == "site" and c.name_score >= STRONG_MATCH]
            if qa.hint_class == "military"
            else []
        )
        site_near: set[int] = set()
        if strong_sites:
            from geoverify.geodesy import geod as wgs84

            geod = wgs84()
            for i, c in enumerate(items):
                if c.kind == "place" and c.row[3] is not None:
                    for strong in strong_sites:
                        if geod.inv(c.row[4], c.row[3], strong.row[4], strong.row[3])[2] <= SITE_NEIGHBOUR_KM * 1000:
                            site_near.add(i)
                            break
        # a district named after a town it holds ("Amvrosiivka" raion, "Bakhmut" raion): with no designator the
        # name is the town (a district with no such town -- "Suffolk", "Fife" -- is the district)
        seat_named: set[int] = set()
        if qa.hint_class is None and any(c.kind in ("admin2", "admin3") for c in items):
            towns: dict[str | None, list[tuple[float, float]]] = {}
            for c in items:
                if c.kind in ("place", "locality", "settlement") and c.match == "fold" and c.row[3] is not None:
                    towns.setdefault(c.row[7], []).append((c.row[3], c.row[4]))
            if towns:
                box = SEAT_KM / 111.0  # degrees of latitude: a cheap test before the distance
                for i, c in enumerate(items):
                    if c.kind in ("admin2", "admin3") and c.row[3] is not None:
                        lat, lon = c.row[3], c.row[4]
                        if any(
                            abs(tl - lat) <= box and R._km(tl, tn, lat, lon) <= SEAT_KM
                            for tl, tn in towns.get(c.row[7], ())
                        ):
                            seat_named.add(i)
        model = R.load_model()
        # regions and countries that hold a large city of the name ("Kharkiv", "New York", "Mexico")
        namesakes: set[str] = set()
        if qa.hint_class is None:  # "Kharkiv Oblast" is the region
            big = [
                c
                for c in items
                if c.row[5] == "place"
                and (c.row[10] or 0) >= R.NAMESAKE_POPULATION
                and c.match == "fold"
                and c.flag in (N.FLAG_NAME, N.FLAG_ALT)
            ]  # not "Kansas City" for "Kansas"
            # the region that holds the city ("Kharkiv", "New York"); where the city is a region of its own
            # ("Kyiv", "Sevastopol") the region of its name in that country. Not a region elsewhere in the
            # country: Washington, D.C. does not make Washington State a namesake.
            holds = {c.row[9] for c in big if c.row[9]}
            own = {
                c.row[7]
                for c in big
                if c.row[8] and any(N.fold(c.row[8]).startswith(N.fold(n)) for n in (c.row[2], c.matched) if n)
            }
            if big:
                namesakes = {c.row[1] for c in items if c.row[5] == "admin1" and (c.row[9] in holds or c.row[7] in own)}
        weights = model.weights
        w_namesake, w_site = weights.get("namesake_city", 0.0), weights.get("site_neighbour", 0.0)
        w_seat, w_alt = weights.get("seat_namesake", 0.0), weights.get("alternate_name", 0.0)
        other_named = _named_by_another(items)
        # the countries the text names (names, adjectives, demonyms): a candidate outside all of them
        # matches the text less well (score and logit, as before the ranker)
        named = set(self.countries_in_text(context)) if context else set()
        # matching discipline: a typo or loose transliteration never goes before a better exact match
        best_exact = max((c.name_score for c in items if c.match == "fold"), default=0.0)
        base_key = (id(model), qa.hint_class)
        scored = []
        for i, c in enumerate(items):
            base = c.base.get(base_key)
            if base is None:
                nf = R.name_features(c, query_keys, model.prior)
                h = hint_row.get(c.row[5], 0.8)
                hint = {"hint": h} if h != 1.0 else {}
                base = c.base[base_key] = (nf, R.weighted(nf, weights) + R.factor_logit(hint), hint)
            nf, s, hint = base
            outside = bool(named) and c.row[7] not in named
            fac = dict(hint) if (mismatch or outside or i in distances) else hint
            if mismatch:
                fac["qualifier_mismatch"] = QUALIFIER_MISMATCH
            if outside:
                fac["outside_named_countries"] = CONTEXT_OUTSIDE
            if i in distances:
                fac["near_point"] = 0.6 + 0.4 * math.exp(-distances[i] / NEAR_SCALE_KM)
            if fac is not hint:
                s += R.factor_logit({k: v for k, v in fac.items() if k != "hint"})
            if c.name_score < best_exact and _loose(c):
                s -= R.DISCIPLINE
            extra_f = None
            if ev is not None:
                extra_f = R.context_features(c.row, ev)
                if extra_f:
                    s += R.weighted(extra_f, weights)
            if c.row[1] in namesakes:
                s += w_namesake
                extra_f = {**(extra_f or {}), "namesake_city": 1.0}
            if i in site_near:
                s += w_site
                extra_f = {**(extra_f or {}), "site_neighbour": 1.0}
            if i in seat_named:
                s += w_seat
                extra_f = {**(extra_f or {}), "seat_namesake": 1.0}
            if i in other_named:
                s += w_alt
                extra_f = {**(extra_f or {}), "alternate_name": 1.0}
            if c.name_score < best_exact and _loose(c):
                extra_f = {**(extra_f or {}), "discipline": 1.0}
            scored.append((s, c, (nf, extra_f), i, fac))
        scored.sort(key=lambda t: (-t[0], -(t[1].row[10] or 0), t[1].row[1]))
        best_logit = scored[0][0]
        out = []
        for s, c, f, i, fac in scored[:limit] if limit else scored:
            score = c.name_score
            for v in fac.values():
                score *= v
            score = max(0.0, min(1.0, score))
            extra: dict[str, Any] = {"match": c.match, "plausibility": round(math.exp(max(-50.0, s - best_logit)), 4)}
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
            if explain:
                features = {**f[0], **(f[1] or {})}
                extra["explanation"] = R.explain(features, weights, fac, s, best_logit, ev, c.row[7], c.row[9])
            if c.site is not None:
                out.append(self._site_place(c.site, score, c.matched, extra))
            else:
                out.append(self._place(c.row, score, c.matched, extra))
        return out

    # ------------------------------------------------------------------ nearest
    def nearest_places(
        self, lat: float, lon: float, k: int = 5, min_population: int = 0, kinds: Sequence[str] = ("place",)
    ) -> list[tuple[Place, float]]:
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

        from geoverify.geodesy import geod as wgs84

        lat, lon = _check_near((lat, lon))
        if k < 1:
            return []
        geod = wgs84()
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
        with self._db():
            rows = {
                r[0]: r
                for r in self.conn.execute(
                    f"SELECT {_PLACE_COLS} FROM places p WHERE p.pk IN ({','.join('?' * len(best))})", best
                )
            }
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
        with self._db():
            for lo, hi in boxes:
                rows += self.conn.execute(
                    f"SELECT p.pk, p.lat, p.lon FROM places_rtree r JOIN places p ON p.pk=r.pk "
                    f"WHERE r.min_lat>=? AND r.max_lat<=? AND r.min_lon>=? AND r.max_lon<=? "
                    f"AND p.kind IN ({kind_sql}) AND COALESCE(p.population,0)>=?",
                    (lat0, lat1, lo, hi, *kinds, min_population),
                ).fetchall()
        return rows

    # ------------------------------------------------------------------ info
    def counts(self) -> dict[str, int]:
        with self._db():
            out = {f"places.{k}": n for k, n in self.conn.execute("SELECT kind, count(*) FROM places GROUP BY kind")}
            out["names"] = self.conn.execute("SELECT count(*) FROM names").fetchone()[0]
        return out


def _main_name(c: _Cand) -> bool:
    """The name matched the place's main name (or that name without its feature word: "Madison" for Madison
    County), not one of its alternate names."""
    if c.flag in (N.FLAG_ALT, N.FLAG_BASE):
        return N.fold(c.matched) == N.fold(c.row[2])
    return c.flag == N.FLAG_NAME


def _named_by_another(items: list[_Cand]) -> set[int]:
    """Indices of the populated places matched only through an alternate name that is no spelling of their main
    name, in a country where another candidate has the name as its main name ("Troy" is an old name of Shorewood,
    Illinois, and the main name of Troy, Illinois; "Franklin" of El Paso and of Franklin, Texas): the main name is
    the likelier reading. A spelling of the main name ("Odessa" for Odesa, "Kiev" for Kyiv) is not such evidence,
    nor is an alternate with no main-name namesake in its country (Odessa, Texas is in another country than Odesa).
    """
    mains: set[str | None] = set()
    alternates: list[int] = []
    for i, c in enumerate(items):
        if c.site is not None or c.flag not in (N.FLAG_NAME, N.FLAG_ALT, N.FLAG_BASE):
            continue
        if _main_name(c):
            if c.match == "fold":
                mains.add(c.row[7])
        elif c.row[5] == "place":
            alternates.append(i)
    out: set[int] = set()
    if not mains:
        return out
    fuzz = _rapidfuzz()
    for i in alternates:
        c = items[i]
        if c.row[7] not in mains:
            continue
        alt, main = N.skeleton(c.matched), N.skeleton(c.row[2])
        if alt and main and fuzz.ratio(alt, main) >= RESOLVE_ALT_SPELLING_RATIO:
            continue
        out.add(i)
    return out


def _loose(c: _Cand) -> bool:
    """A typo match, or a transliteration that is not close ("Praia" for "Bria"; a region's derived noun and
    near-identical spellings such as Sergeyevka/Sergeevka are not loose)."""
    if c.match == "fuzzy":
        return True
    return c.match == "skeleton" and c.flag != N.FLAG_DERIVED and c.name_score < STRONG_MATCH


def _copy_place(p: Place) -> Place:
    """A copy of a Place whose ``extra`` can be changed without touching the original."""
    q = object.__new__(Place)
    q.__dict__.update(p.__dict__)
    q.extra = dict(p.extra)
    return q


def _transposed(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` with two adjacent letters swapped ("Kramatrosk" / "Kramatorsk")."""
    if len(a) != len(b) or len(a) < RESOLVE_TYPO_TRANSPOSITION_MIN_LEN:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _ratio_reach(n: int, m: int) -> float:
    """The highest rapidfuzz ratio between a skeleton of ``n`` letters and another of ``m`` (their Indel
    distance is at least the difference of their lengths, and at least 2 for two of one length)."""
    return 100.0 * (1 - (abs(n - m) or 2) / (n + m))


@lru_cache(maxsize=4096)
def _swapped_skeletons(spelling: str) -> frozenset[str]:
    """The skeletons of the names :func:`_transposed` finds ``spelling`` in: each spelling with two
    adjacent letters swapped, under its skeleton (a name is stored under the skeleton of its fold key,
    whose Latin letters are its spelling: :func:`geoverify.gazetteer.names.name_keys`) and as itself (a
    noun derived from a region's adjective is stored by its skeleton alone, which is then its
    spelling). Empty below :data:`RESOLVE_TYPO_TRANSPOSITION_MIN_LEN` letters."""
    if len(spelling) < RESOLVE_TYPO_TRANSPOSITION_MIN_LEN:
        return frozenset()
    out: set[str] = set()
    for i in range(len(spelling) - 1):
        if spelling[i] != spelling[i + 1]:
            swapped = spelling[:i] + spelling[i + 1] + spelling[i] + spelling[i + 2 :]
            out.add(swapped)
            out.add(N.skeleton_of_folded(swapped))
    return frozenset(out)


def _check_near(near) -> tuple[float, float]:
    try:
        lat, lon = float(near[0]), float(near[1])
    except (TypeError, ValueError, IndexError):
        raise ResolveError(f"near must be (lat, lon), got {near!r}") from None
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise ResolveError(f"near point out of range: {lat}, {lon}")
    return lat, lon


#: Names in Latin letters as the typo-tolerant matching compares them (a pure function of the
#: name, asked for every candidate row of every look-up).
_latin = lru_cache(maxsize=65_536)(N.cyrillic_to_latin)


@lru_cache(maxsize=1)
def _rapidfuzz():
    """``rapidfuzz.fuzz``, imported on first use (not at start-up; an import statement on every
    candidate row cost more than the ratio)."""
    from rapidfuzz import fuzz

    return fuzz


_GAZETTEER: Gazetteer | None = None
_GAZETTEER_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide :class:`Gazetteer` on :func:`geoverify.config.index_path`
    (reopened when that path changes, e.g. ``GEOVERIFY_DATA_DIR`` in tests)."""
    global _GAZETTEER
    from geoverify import config

    key = config.current_index_path()
    with _GAZETTEER_LOCK:
        if _GAZETTEER is None or (_GAZETTEER.key is not key and _GAZETTEER.key != key):
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


__all__ = [
    "Gazetteer",
    "default_kinds",
    "BASE_KINDS",
    "LAYER_KINDS",
    "get_gazetteer",
    "reset_gazetteer",
    "open_index",
    "split_qualifiers",
    "Qualifier",
    "HINT_FACTOR",
]
