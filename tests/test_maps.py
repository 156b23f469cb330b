"""Verdict maps: the scene's geodesic shapes, and PNG / SVG / HTML files of the Sergeevka case.

Two sources of the Sergeevka case:

- a hand-built :class:`Report` with the evidence shapes :mod:`geoverify.checks`
  records, checked against a small hand-drawn boundary set (``FakeBoundaries``:
  simple polygons and lines around Primorsky Krai, not real borders), so the
  scene's construction is tested exactly and without the index;
- the real pipeline (``geoverify.verify`` on fixtures/articles/001_...txt with
  the built index), skipped with a message when the index is not built.

Known answers: geodesic circle radii are checked with ``Geod.inv`` against the
radius asked for; the distance Sergeevka 2020626 → the GeoConfirmed point is
1.31 km (DESIGN.md, measured with pyproj); the two plus-code recoveries
(``openlocationcode.recoverNearest``) are 8QPH8MG9+PFR → 44.3268625,
131.6686406 and 8QMM8MG9+PFR → 43.3268625, 133.6686406.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon

from geoverify.model import (
    CONSISTENT,
    INCONSISTENT,
    UNVERIFIABLE,
    Check,
    Claim,
    ClaimResult,
    Location,
    Reading,
    Report,
)

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "articles" / "001_a1998207a4a2e502.txt"
GEOD = Geod(ellps="WGS84")
POINT = (44.326859, 131.668647)  # GeoConfirmed's point, lat/lon

# ----------------------------------------------------------------------------- a hand-drawn boundary set
# Simplified, hand-drawn outlines (NOT real borders) placed roughly where the real ones are,
# so distances have the right order of magnitude: China ~35 km west of the point, North Korea
# ~200+ km south-west.
RU_CN = [(130.64, 42.42), (130.55, 42.75), (131.0, 43.0), (131.1, 43.5), (131.25, 44.0), (131.22, 44.8),
         (131.9, 45.3), (133.1, 45.1), (134.7, 48.3)]
RU_KP = [(130.64, 42.42), (130.70, 42.29)]
CN_KP = [(130.64, 42.42), (130.0, 42.0), (128.0, 41.5), (126.0, 40.5), (124.3, 39.9)]
COAST_RU = [(130.70, 42.29), (131.5, 42.6), (132.5, 42.8), (133.5, 42.8), (135.0, 43.5), (137.0, 45.0),
            (140.0, 48.5)]
RU = Polygon(RU_CN + [(134.7, 52.0), (145.0, 55.0), (145.0, 48.5), (140.0, 48.5)] + COAST_RU[::-1][1:-1]
             + RU_KP[::-1][:1])
CN = Polygon(RU_CN[::-1] + CN_KP[1:] + [(120.0, 40.0), (120.0, 50.0), (134.7, 50.0)])
KP = Polygon(CN_KP + [(124.5, 38.0), (128.5, 38.3), (129.5, 40.5), (130.70, 42.29), (130.64, 42.42)])
PRI = Polygon(RU_CN[:-1] + [(133.1, 45.1), (135.5, 47.0), (137.0, 45.0)] + COAST_RU[::-1][2:-1]
              + [(131.5, 42.6), (130.70, 42.29)])
FAR_EAST = Polygon(RU.exterior.coords)


class FakeBoundaries:
    """The boundary-index methods a map uses, over the hand-drawn shapes above."""

    REGIONS = {
        "country:RU": ("Russia", RU), "country:CN": ("China", CN), "country:KP": ("North Korea", KP),
        "admin1:RU-PRI": ("Primorsky Krai", PRI), "region:ru-far-east": ("Far Eastern Federal District", FAR_EAST),
    }
    BORDERS = {("CN", "RU"): RU_CN, ("KP", "RU"): RU_KP, ("CN", "KP"): CN_KP}

    def geometry(self, region_id):
        from geoverify.errors import DataError

        if region_id not in self.REGIONS:
            raise DataError(f"no region {region_id}")
        return self.REGIONS[region_id][1]

    def map_regions(self, kind):
        return [{"id": k, "name": n, "kind": kind, "geometry": g, "iso": k.split(":")[1] if kind == "country" else None,
                 "source": "hand-drawn test shapes"}
                for k, (n, g) in self.REGIONS.items() if k.startswith(kind + ":")]

    def border_geometry(self, a, b):
        key = tuple(sorted((a, b)))
        return (LineString(self.BORDERS[key]), "hand-drawn test lines") if key in self.BORDERS else None

    @staticmethod
    def _nearest(geom, lat, lon):
        from shapely.ops import nearest_points

        p = nearest_points(geom, Point(lon, lat))[0]
        d = GEOD.inv(lon, lat, p.x, p.y)[2] / 1000.0
        return d, {"lat": p.y, "lon": p.x}

    def distance_to_region_km(self, region_id, lat, lon):
        geom = self.geometry(region_id)
        if geom.contains(Point(lon, lat)):
            return {"distance_km": 0.0, "nearest": None}
        d, near = self._nearest(geom.boundary, lat, lon)
        return {"distance_km": d, "nearest": near}

    def distance_to_border_km(self, a, b, lat, lon, source=None):
        line = LineString(self.BORDERS[tuple(sorted((a, b)))])
        d, near = self._nearest(line, lat, lon)
        return {"distance_km": d, "nearest": near, "countries": [a, b], "source": "hand-drawn test lines",
                "length_km": GEOD.geometry_length(line) / 1000.0}

    def nearest_borders(self, lat, lon, k=3):
        out = []
        for (a, b), coords in self.BORDERS.items():
            d, near = self._nearest(LineString(coords), lat, lon)
            out.append({"countries": [a, b], "distance_km": d, "nearest": near, "source": "hand-drawn test lines"})
        return sorted(out, key=lambda r: r["distance_km"])[:k]

    def regions_containing(self, lat, lon):
        return [{"id": k, "name": n, "kind": k.split(":")[0]} for k, (n, g) in self.REGIONS.items()
                if g.contains(Point(lon, lat))]

    def sources(self):
        return ["hand-drawn test shapes (not real boundaries)"]


def _km(lat1, lon1, lat2, lon2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def sergeevka_report(boundaries=None) -> Report:
    """The Sergeevka case as :func:`geoverify.verify.verify` reports it, evidence included."""
    b = boundaries or FakeBoundaries()
    lat, lon = POINT
    decimal = Location(lat=lat, lon=lon, kind="decimal", text="44.326859, 131.668647", start=0, end=21,
                       precision_m=0.056, reading="decimal degrees, latitude first")
    plus = Location(lat=44.3268625, lon=131.668640625, kind="pluscode-short", text="8MG9+PFR Sergeevka",
                    start=22, end=40, precision_m=7.0, reading="recovered from Sergeyevka (GeoNames 2020626)",
                    alternatives=[Reading(43.3268625, 133.668640625,
                                          "recovered from Sergeyevka (GeoNames 2016961), 174 km away")],
                    warnings=["two places named Sergeevka in Primorsky Krai: two readings"],
                    code="8QPH8MG9+PFR", locality="Sergeevka",
                    reference={"id": "geonames:2020626", "name": "Sergeyevka", "lat": 44.33749, "lon": 131.66142})
    d_village = _km(44.33749, 131.66142, lat, lon)
    kp = b.distance_to_region_km("country:KP", lat, lon)
    cn = b.distance_to_border_km("RU", "CN", lat, lon)
    claims = [
        ClaimResult(Claim("Sergeevsky military camp", 0, 1, "place", "Sergeevsky military camp"), CONSISTENT, {
            "distance_km": 0.0, "threshold_km": 2.0, "reference": "Sergeevka Training Ground, RU",
            "reference_id": "site:sergeevka-training-ground",
            "reference_point": {"lat": lat, "lon": lon}, "rule": "at a named site: within 2 km",
            "sources": ["geoverify curated sites"], "location": 0}),
        ClaimResult(Claim("in the Russian Far East", 2, 3, "within", "Russian Far East"), CONSISTENT, {
            "inside": True, "distance_to_edge_km": 120.0, "tolerance_km": 2.0, "distance_km": 0.0,
            "reference": "Far Eastern Federal District (region)", "reference_id": "region:ru-far-east",
            "rule": "inside the polygon", "sources": ["hand-drawn test shapes"], "location": 0}),
        ClaimResult(Claim("near North Korea", 4, 5, "near", "North Korea"), CONSISTENT, {
            "distance_km": round(kp["distance_km"], 2), "threshold_km": 346.0, "area_km2": 120000,
            "reference": "North Korea (country)", "reference_id": "country:KP",
            "nearest_point": kp["nearest"], "rule": "near a country: within clamp(√area, 50, 500) km",
            "sources": ["hand-drawn test shapes"], "location": 0}),
        ClaimResult(Claim("near the China border", 6, 7, "border", "China border", countries=("CN",)), CONSISTENT, {
            "distance_km": round(cn["distance_km"], 2), "threshold_km": 86.0,
            "reference": "RU–CN border", "reference_id": "border:RU-CN", "nearest_point": cn["nearest"],
            "rule": "near a border: within clamp(2 % of its length, 25, 100) km",
            "sources": ["hand-drawn test lines"], "location": 0}),
        ClaimResult(Claim("Sergeevka", 8, 9, "place", "Sergeevka", location_index=1), CONSISTENT, {
            "distance_km": round(d_village, 2), "threshold_km": 3.53,
            "reference": "Sergeyevka, Primorye, RU (GeoNames 2020626)", "reference_id": "geonames:2020626",
            "reference_point": {"lat": 44.33749, "lon": 131.66142},
            "rule": "at/in a populated place: within its urban radius + 3 km", "sources": ["GeoNames cities500"],
            "location": 1}),
        ClaimResult(Claim("Primorsky Krai", 10, 11, "within", "Primorsky Krai", location_index=1), CONSISTENT, {
            "inside": True, "distance_to_edge_km": 30.0, "tolerance_km": 2.0, "distance_km": 0.0,
            "reference": "Primorsky Krai, RU (admin1)", "reference_id": "admin1:RU-PRI",
            "rule": "inside the polygon", "sources": ["hand-drawn test shapes"], "location": 1}),
    ]
    for c in claims:
        c.checks = [Check(c.evidence["location"], c.verdict, dict(c.evidence))]
    return Report(locations=[decimal, plus], claims=claims,
                  comparisons=[{"locations": [0, 1], "texts": [decimal.text, plus.text], "distance_km": 0.0006,
                                "distance_m": 0.6, "bearing_deg": 270.0, "same_place": True,
                                "threshold_m": 17.1, "rule": "same place within both precisions + 10 m",
                                "verdict": CONSISTENT}],
                  sources=["GeoNames cities500", "hand-drawn test shapes"])


def distance_direction_report() -> Report:
    """Distance and direction claims, one of them false, for the ring/band and wedge shapes."""
    lat, lon = POINT
    village = (44.33749, 131.66142)
    d = _km(village[0], village[1], lat, lon)
    az = GEOD.inv(village[1], village[0], lon, lat)[0] % 360
    loc = Location(lat=lat, lon=lon, kind="decimal", text="44.326859, 131.668647", start=0, end=21,
                   precision_m=0.056)
    cand = [{"id": "geonames:2020626", "name": "Sergeyevka", "lat": village[0], "lon": village[1],
             "distance_km": round(d, 2)}]
    claims = [
        ClaimResult(Claim("about 20 km from Sergeyevka", 0, 1, "distance", "Sergeyevka", distance_km=20.0,
                          qualifier="about"), INCONSISTENT, {
            "distance_km": round(d, 2), "stated_km": 20.0, "threshold_km": 6.5, "tolerance_km": 6.5,
            "reference": "Sergeyevka (GeoNames 2020626)", "reference_id": "geonames:2020626",
            "rule": "20 km ± 6.5 km", "candidates": cand, "sources": ["GeoNames cities500"], "location": 0}),
        ClaimResult(Claim("north of Sergeyevka", 2, 3, "direction", "Sergeyevka", direction="N"), INCONSISTENT, {
            "distance_km": round(d, 2), "bearing_deg": round(az, 1), "bearing_name": "SSE",
            "sector": {"direction": "N", "centre_deg": 0.0, "half_width_deg": 45.0},
            "reference": "Sergeyevka (GeoNames 2020626)", "reference_id": "geonames:2020626",
            "rule": "bearing within 0° ± 45°", "candidates": cand, "sources": ["GeoNames cities500"], "location": 0}),
        ClaimResult(Claim("in Kursk Oblast", 4, 5, "within", "Kursk Oblast"), UNVERIFIABLE, {
            "reason": "'Kursk Oblast' not found in the gazetteer", "reference": "Kursk Oblast", "location": 0}),
    ]
    return Report(locations=[loc], claims=claims, sources=["GeoNames cities500"])


# ----------------------------------------------------------------------------- file checks
def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG signature and IHDR chunk (read by hand, not with a PNG library)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    w, h = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    assert crc == zlib.crc32(data[12:29]) & 0xFFFFFFFF, "IHDR CRC mismatch"
    return w, h


def pixel_std(path: Path) -> float:
    import matplotlib.image as mpimg

    img = mpimg.imread(str(path))
    return float(np.asarray(img[..., :3]).std())


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href") and v:
                self.refs.append(v)

    def handle_data(self, data):
        self.text.append(data)


def parse_html(path: Path) -> _Collect:
    p = _Collect()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p
