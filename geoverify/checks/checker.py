"""Check one claim against one location, geodesically, with the evidence shown.

Each check returns a :class:`~geoverify.model.Check` whose ``evidence`` holds the
measured figure (``distance_km``, ``bearing_deg``, ``inside``), the threshold
applied (``threshold_km``, ``sector``), the ``reference`` used (a place, region
or border, with its ``reference_id``), the ``rule`` in words, the candidate
places considered and the data ``sources``. The thresholds themselves are
documented in :mod:`geoverify.thresholds`.

A claim whose name does not resolve, or which has no location to test against,
is ``unverifiable`` with a ``reason`` — never ``consistent``.
"""

from __future__ import annotations

import copy
import logging
import math
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from geoverify import thresholds as th
from geoverify.errors import GeoverifyError
from geoverify.geodesy import angle_difference, compass_name, compass_sector, geod, inverse
from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Check, Claim, Location, Place

log = logging.getLogger(__name__)

POLYGON_KINDS = ("country", "admin1", "region")
#: Candidates scoring within this of the best are all considered; the nearest wins.
CANDIDATE_SCORE_BAND = 0.15
#: A populated place this large is a reference even when it is abroad ("in Kyiv" said
#: of a point in Moscow is wrong, not unknowable); smaller namesakes abroad are not.
NOTABLE_POPULATION = 100_000
#: Candidates below this score are not taken as a match at all.
MIN_CANDIDATE_SCORE = 0.55
#: A candidate found only by typo tolerance needs more: real typos ("Kramatrosk") score
#: about 0.66-0.70, coincidental look-alikes on other continents ("Markounda" ~
#: "Marondera") 0.55-0.63. Such a match is flagged in the evidence.
MIN_FUZZY_SCORE = 0.65
DIRECTION_WORDS = {
    "northern": "N", "southern": "S", "eastern": "E", "western": "W",
    "north-eastern": "NE", "northeastern": "NE", "north-western": "NW", "northwestern": "NW",
    "south-eastern": "SE", "southeastern": "SE", "south-western": "SW", "southwestern": "SW",
    "central": "C",
}


def _round(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


@dataclass
class Target:
    """What a claim's target phrase resolved to."""

    name: str
    candidates: list[Place] = field(default_factory=list)
    border: tuple[str, ...] = ()
    reason: str = ""
    #: "the borders with Chad and Cameroon": the location's country's border with each.
    each: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.candidates or self.border)


class ClaimChecker:
    """Checks claims against locations using the gazetteer and the boundary index.

    Parameters
    ----------
    context : str
        The surrounding text, used to prefer candidates in the countries and
        regions it mentions.
    resolver : callable, optional
        ``resolver(name, near=None, country=None, context=None, limit=10) -> list[Place]``;
        defaults to :func:`geoverify.gazetteer.resolve`.
    boundaries : object, optional
        The boundary index; defaults to :func:`geoverify.gazetteer.boundaries.get_boundaries`.
    """

    def __init__(self, context: str = "", resolver=None, boundaries=None):
        self.context = context
        if resolver is None:
            from geoverify.gazetteer import resolve as resolver
        if boundaries is None:
            from geoverify.gazetteer.boundaries import get_boundaries

            boundaries = get_boundaries()
        self._resolver = resolver
        self.boundaries = MemoBoundaries.wrap(boundaries)
        self._targets: dict[tuple, Target] = {}
        self._resolved: dict[tuple, list[Place]] = {}

    def resolver(self, name: str, context: str | None = None, limit: int = 10) -> list[Place]:
        """The gazetteer's answer for ``name``, memoised for this text."""
        key = (name, context, limit)
        if key not in self._resolved:
            self._resolved[key] = self._resolver(name, context=context, limit=limit)
        return self._resolved[key]

    def lookup(self, name: str) -> list[Place]:
        """``lookup`` for claim extraction: the same memoised answers the checks use."""
        return self.resolver(name, context=self.context or None, limit=10)

    # -- resolution -----------------------------------------------------------------
    def resolve(self, name: str, hint: str | None = None) -> list[Place]:
        # A facility word stays with the name ("Sergeevka training ground" is a site);
        # other hints ("a Russian military base": target Russia) do not.
        query = f"{name} {hint}" if hint and _is_facility(hint) and not self._is_country(name) else name
        try:
            found = self.resolver(query, context=self.context or None, limit=10)
        except GeoverifyError as exc:
            log.debug("resolve %r failed: %s", query, exc)
            found = []
        if not found and hint:
            found = self.resolver(name, context=self.context or None, limit=10)
        good = [p for p in found if p.score >= (MIN_FUZZY_SCORE if _is_fuzzy(p) else MIN_CANDIDATE_SCORE)]
        if hint and _is_facility(hint):
            # "X training ground" is the facility, not the village it is named after:
            # when a named site matches, only sites are candidates.
            sites = [p for p in good if p.kind == "site"]
            good = sites or good
        if not good:
            return []
        best = good[0].score
        return [p for p in good if p.score >= best - CANDIDATE_SCORE_BAND]

    def _is_country(self, name: str) -> bool:
        try:
            found = self.resolver(name, limit=1)
        except GeoverifyError:
            return False
        return bool(found) and found[0].kind == "country" and found[0].score >= 0.9

    def target(self, claim: Claim) -> Target:
        key = (claim.kind, claim.target, claim.feature_hint, claim.countries, claim.direction)
        if key not in self._targets:
            self._targets[key] = self._make_target(claim)
        return self._targets[key]

    def _make_target(self, claim: Claim) -> Target:
        if claim.kind == "border" or (claim.countries and _mentions_border(claim.target)):
            countries = tuple(claim.countries)
            if not countries:
                stripped = _strip_border_word(claim.target)
                if stripped:
                    countries = tuple(p.country for p in self.resolve(stripped)
                                      if p.kind == "country" and p.country)[:1]
            if not countries and not _strip_border_word(claim.target):
                return Target(claim.target, border=("*",))  # "at the border": any land border
            if not countries:
                return Target(claim.target, reason=f"could not tell which border {claim.target!r} is")
            each = len(countries) >= 2 and bool(_BORDER_LIST.search(claim.text))
            return Target(claim.target, border=countries, each=each)
        if claim.kind == "within" and claim.direction and claim.direction.lower() in DIRECTION_WORDS:
            # "eastern Russia": a macro-region of that name if the index has one.
            named = [p for p in self.resolve(f"{claim.direction} {claim.target}")
                     if p.kind == "region"]
            if named:
                return Target(f"{claim.direction} {claim.target}", candidates=named[:1])
        candidates = self.resolve(claim.target, claim.feature_hint)
        if not candidates:
            return Target(claim.target, reason=f"{claim.target!r} not found in the gazetteer")
        return Target(claim.target, candidates=candidates)

    # -- checking ----------------------------------------------------------------------
    def check(self, claim: Claim, location: Location, index: int) -> Check:
        """Check ``claim`` against every reading of ``location``; the preferred reading decides."""
        readings = location.readings()
        if not readings:
            return Check(index, UNVERIFIABLE, {
                "reason": f"location {location.text!r} has no position"
                          + (f" (locality {location.locality!r} not resolved)" if location.locality else ""),
            })
        target = self.target(claim)
        if not target.resolved:
            return Check(index, UNVERIFIABLE, {"reason": target.reason, "reference": target.name})
        first = self._check_point(claim, target, readings[0].lat, readings[0].lon,
                                  (location.precision_m or 0.0) / 1000.0)
        others = []
        for reading in readings[1:]:
            other = self._check_point(claim, target, reading.lat, reading.lon,
                                      (location.precision_m or 0.0) / 1000.0)
            others.append({"reading": reading.reading, "lat": reading.lat, "lon": reading.lon,
                           "verdict": other.verdict, "distance_km": other.evidence.get("distance_km")})
        if others:
            first.evidence["other_readings"] = others
            if any(o["verdict"] != first.verdict for o in others):
                first.evidence.setdefault("warnings", []).append(
                    "the location can be read more than one way and the readings disagree on this claim")
        first.location_index = index
        return first

    def _check_point(self, claim: Claim, target: Target, lat: float, lon: float,
                     precision_km: float) -> Check:
        if target.border:
            return self._check_border(claim, target, lat, lon, precision_km)
        polygons = [p for p in target.candidates if p.kind in POLYGON_KINDS]
        points = [p for p in target.candidates if p.kind not in POLYGON_KINDS]
        # Prefer what the words point at: "in X" and "near X" with X a region → polygon.
        use_polygon = bool(polygons) and (not points or polygons[0].score >= points[0].score)
        if claim.kind == "direction" or (claim.kind == "distance" and claim.direction):
            return self._check_direction(claim, target, lat, lon, precision_km)
        if claim.kind == "distance":
            return self._check_distance(claim, target, lat, lon, precision_km)
        if use_polygon:
            region = polygons[0]
            if claim.kind == "near" and claim.qualifier != "outskirts":
                return self._check_near_region(claim, region, lat, lon, precision_km)
            return self._check_within(claim, region, lat, lon, precision_km)
        return self._check_near_point(claim, points or target.candidates, lat, lon, precision_km)

    # point references -------------------------------------------------------------------
    def _nearest(self, places: list[Place], lat: float, lon: float) -> tuple[Place, float, float, list]:
        measured = []
        for p in places:
            d, az = inverse(p.lat, p.lon, lat, lon)
            measured.append((d, az, p))
        measured.sort(key=lambda t: t[0])
        d, az, p = measured[0]
        listing = [{"id": q.id, "name": q.name, "feature": q.feature, "country": q.country,
                    "admin1": q.admin1, "lat": q.lat, "lon": q.lon, "distance_km": _round(dq),
                    "score": round(q.score, 3), "matched": q.matched,
                    "match": q.extra.get("match")} for dq, _a, q in measured[:6]]
        return p, d, az, listing

    def _only_abroad(self, places: list[Place], lat: float, lon: float) -> str | None:
        """Why a point reference should not be trusted: every candidate is a small place
        in another country that the text does not name (a village the gazetteer lacks,
        matched to a namesake abroad). ``None`` when the reference can be used."""
        home = self.country_at(lat, lon)
        if not home or any(p.country == home for p in places):
            return None
        best = max(p.score for p in places)
        if any((p.kind == "site" or (p.population or 0) >= NOTABLE_POPULATION) and p.score >= best - 0.05
               for p in places):
            return None
        named = set(self._countries_in_context())
        if any(p.country in named for p in places):
            return None
        where = "; ".join(sorted({f"{p.name}, {p.country}" for p in places})[:4])
        return (f"no place of that name in {home}, where the location is; the gazetteer knows only "
                f"small namesakes abroad ({where}) — probably a place it lacks "
                f"(import a GeoNames dump: geoverify data import {home}.zip)")

    def _countries_in_context(self) -> list[str]:
        if not self.context:
            return []
        try:
            from geoverify.gazetteer import get_gazetteer

            return get_gazetteer().countries_in_text(self.context)
        except GeoverifyError:
            return []

    def _check_near_point(self, claim, places, lat, lon, precision_km) -> Check:
        abroad = self._only_abroad(places, lat, lon)
        if abroad:
            return Check(-1, UNVERIFIABLE, {"reason": abroad, "reference": claim.target,
                                            "candidates": self._nearest(places, lat, lon)[3]})
        place, d, az, listing = self._nearest(places, lat, lon)
        if claim.kind == "near" and claim.qualifier == "outskirts":
            limit, rule = th.outskirts_km(place.population), "on the outskirts: within the urban radius + 5 km"
        elif claim.kind == "near":
            if place.kind == "site":
                limit, rule = th.NEAR_SITE_KM, "near a named site: within 5 km"
            else:
                limit = th.near_place_km(place.population)
                rule = f"near a populated place of {place.population or 'unknown'} people"
        elif place.kind == "site":
            limit = th.at_site_km(place.extra.get("precision_m"))
            rule = "at a named site: within max(2 km, 3 × its stated precision)"
        else:
            limit = th.at_place_km(place.population)
            rule = "at/in a populated place: within its urban radius + 3 km"
        limit += precision_km
        evidence = {
            "distance_km": _round(d), "threshold_km": _round(limit), "bearing_deg": _round(az, 1),
            "reference": _describe(place), "reference_id": place.id,
            "reference_point": {"lat": place.lat, "lon": place.lon},
            "rule": rule, "candidates": listing, "sources": [place.source] if place.source else [],
        }
        _flag_fuzzy(evidence, claim.target, place)
        return Check(-1, CONSISTENT if d <= limit else INCONSISTENT, evidence)

    def _reference_distance(self, target: Target, lat: float, lon: float, precision_km: float):
        """Distance and bearing from the claim's reference (point, polygon or border)."""
        if target.border:
            res = self._border_distance(target, lat, lon)
            return res
        polygons = [p for p in target.candidates if p.kind in POLYGON_KINDS]
        points = [p for p in target.candidates if p.kind not in POLYGON_KINDS]
        if points and (not polygons or points[0].score >= polygons[0].score):
            abroad = self._only_abroad(points, lat, lon)
            if abroad:
                return {"verdict": UNVERIFIABLE, "evidence": {"reason": abroad, "reference": target.name}}
            place, d, az, listing = self._nearest(points, lat, lon)
            out = {"distance_km": d, "bearing_deg": az, "reference": _describe(place),
                   "reference_id": place.id, "radius_km": th.urban_radius_km(place.population)
                   if place.kind != "site" else 0.0,
                   "reference_point": {"lat": place.lat, "lon": place.lon}, "candidates": listing,
                   "sources": [place.source] if place.source else []}
            _flag_fuzzy(out, target.name, place)
            return out
        region = polygons[0]
        res = self.boundaries.distance_to_region_km(region.id, lat, lon)
        d = res["distance_km"]
        near = res.get("nearest") or {"lat": region.lat, "lon": region.lon}
        origin = (near["lat"], near["lon"]) if d > 0 else (region.lat, region.lon)
        az = inverse(origin[0], origin[1], lat, lon)[1]
        out = {"distance_km": d, "bearing_deg": az, "reference": _describe(region),
               "reference_id": region.id, "radius_km": 0.0, "sources": self._region_sources(region)}
        if d > 0:
            out["nearest_point"] = {"lat": origin[0], "lon": origin[1]}
        else:
            out["reference_point"] = {"lat": region.lat, "lon": region.lon}
        return out

    def _check_distance(self, claim, target, lat, lon, precision_km) -> Check:
        ref = self._reference_distance(target, lat, lon, precision_km)
        if "verdict" in ref:
            return Check(-1, ref["verdict"], ref["evidence"])
        stated = claim.distance_km
        if stated is None:
            return Check(-1, UNVERIFIABLE, {"reason": "no distance stated", "reference": ref["reference"]})
        d = ref["distance_km"]
        q = (claim.qualifier or "").lower()
        tol = th.distance_tolerance_km(stated, q, ref.get("radius_km", 0.0), precision_km)
        if q in th.WITHIN_WORDS:
            ok, shown, rule = d <= stated + ref.get("radius_km", 0.0), stated + ref.get("radius_km", 0.0), \
                f"within {stated:g} km (+ the reference's urban radius)"
        elif q in th.AT_LEAST_WORDS:
            ok, shown, rule = d >= stated - tol, stated - tol, f"{q} {stated:g} km: at least stated − tolerance"
        elif q in th.AT_MOST_WORDS:
            ok, shown, rule = d <= stated + tol, stated + tol, f"{q} {stated:g} km: at most stated + tolerance"
        else:
            ok, shown, rule = abs(d - stated) <= tol, tol, \
                f"{stated:g} km ± {tol:.1f} km ({'30' if q in th.APPROXIMATE_WORDS else '20'} % of the " \
                "stated distance, + the reference's urban radius and the location's precision)"
        evidence = {
            "distance_km": _round(d), "stated_km": stated, "threshold_km": _round(shown),
            "tolerance_km": _round(tol), "bearing_deg": _round(ref["bearing_deg"], 1),
            "reference": ref["reference"], "reference_id": ref.get("reference_id"), "rule": rule,
            "sources": ref.get("sources", []),
        }
        _copy_context(ref, evidence)
        return Check(-1, CONSISTENT if ok else INCONSISTENT, evidence)

    def _check_direction(self, claim, target, lat, lon, precision_km) -> Check:
        direction = (claim.direction or "").upper()
        try:
            centre, half = compass_sector(direction)
        except ValueError:
            return Check(-1, UNVERIFIABLE, {"reason": f"unknown direction {claim.direction!r}"})
        if target.border:
            return Check(-1, UNVERIFIABLE, {"reason": "a direction from a border line is not defined",
                                            "reference": target.name})
        ref = self._reference_distance(target, lat, lon, precision_km)
        if "verdict" in ref:
            return Check(-1, ref["verdict"], ref["evidence"])
        d, az = ref["distance_km"], ref["bearing_deg"]
        off = angle_difference(az, centre)
        evidence = {
            "distance_km": _round(d), "bearing_deg": _round(az, 1), "bearing_name": compass_name(az),
            "sector": {"direction": direction, "centre_deg": centre, "half_width_deg": half},
            "off_axis_deg": _round(off, 1), "reference": ref["reference"],
            "reference_id": ref.get("reference_id"),
            "rule": f"bearing from the reference within {centre:g}° ± {half:g}°",
            "sources": ref.get("sources", []),
        }
        _copy_context(ref, evidence)
        radius = ref.get("radius_km", 0.0)
        if precision_km >= d:
            evidence["reason"] = (f"the location's precision (±{precision_km:g} km) is as large as its distance "
                                  f"from the reference ({d:.2f} km): no direction can be told")
            verdict = UNVERIFIABLE
        elif d <= radius:
            evidence["reason"] = "the location is within the reference itself; a direction is not meaningful"
            return Check(-1, INCONSISTENT if d < radius * 0.5 else UNVERIFIABLE, evidence)
        else:
            # The location's precision blurs the bearing by up to asin(precision / distance).
            blur = math.degrees(math.asin(min(1.0, precision_km / d))) if precision_km else 0.0
            if blur:
                evidence["bearing_uncertainty_deg"] = _round(blur, 1)
            if off <= half:
                verdict = CONSISTENT
            elif off <= half + blur:
                verdict = UNVERIFIABLE
                evidence["reason"] = (f"outside the sector by {off - half:.1f}°, within the ±{blur:.1f}° the "
                                      "location's precision allows")
            else:
                verdict = INCONSISTENT
        if claim.kind == "distance" and claim.distance_km is not None:
            dist_check = self._check_distance(claim, target, lat, lon, precision_km)
            evidence["stated_km"] = claim.distance_km
            evidence["threshold_km"] = dist_check.evidence.get("threshold_km")
            evidence["tolerance_km"] = dist_check.evidence.get("tolerance_km")
            evidence["rule"] += "; " + dist_check.evidence.get("rule", "")
            if dist_check.verdict == INCONSISTENT:
                verdict = INCONSISTENT
        return Check(-1, verdict, evidence)

    # polygon references -----------------------------------------------------------------
    def _region_sources(self, region: Place) -> list[str]:
        out = [region.source] if region.source else []
        src = self.boundaries.region_source(region.id) if hasattr(self.boundaries, "region_source") else None
        if src and src not in out:
            out.append(src)
        return out

    def _check_within(self, claim, region: Place, lat, lon, precision_km: float = 0.0) -> Check:
        tol = th.COUNTRY_EDGE_TOLERANCE_KM if region.kind == "country" else th.REGION_EDGE_TOLERANCE_KM
        tol += precision_km
        try:
            res = self.boundaries.contains(region.id, lat, lon)
        except GeoverifyError as exc:
            return Check(-1, UNVERIFIABLE, {"reason": str(exc), "reference": _describe(region),
                                            "reference_id": region.id})
        inside = bool(res["inside"])
        edge = float(res.get("distance_to_edge_km") or 0.0)
        evidence = {
            "inside": inside, "distance_to_edge_km": _round(edge), "tolerance_km": _round(tol),
            "reference": _describe(region), "reference_id": region.id,
            "rule": f"inside the polygon; within {tol:g} km of its edge (the boundary data's accuracy "
                    "+ the location's precision) counts as inside",
            "sources": self._region_sources(region),
        }
        part = _directional_part(claim, region, lat, lon)
        if part is not None:
            evidence["part"] = part
            if inside and not part["holds"]:
                evidence["distance_km"] = 0.0
                return Check(-1, INCONSISTENT, evidence)
        if inside:
            evidence["distance_km"] = 0.0
            if edge <= tol:
                evidence.setdefault("warnings", []).append(
                    f"only {edge:.2f} km inside the edge, within the boundary data's accuracy")
            return Check(-1, CONSISTENT, evidence)
        evidence["distance_km"] = _round(edge)
        evidence["threshold_km"] = _round(tol)
        if edge <= tol:
            evidence.setdefault("warnings", []).append(
                f"{edge:.2f} km outside the edge, within the boundary data's accuracy")
            return Check(-1, CONSISTENT, evidence)
        return Check(-1, INCONSISTENT, evidence)

    def _check_near_region(self, claim, region: Place, lat, lon, precision_km: float = 0.0) -> Check:
        res = self.boundaries.distance_to_region_km(region.id, lat, lon)
        d = res["distance_km"]
        area = self.area_km2(region.id)
        if region.kind == "country":
            limit, rule = th.near_country_km(area), "near a country: within clamp(√area, 50, 500) km of it"
        else:
            limit, rule = th.near_region_km(area), "near a region: within clamp(0.5 × √area, 25, 150) km"
        limit += precision_km
        evidence = {
            "distance_km": _round(d), "threshold_km": _round(limit), "area_km2": round(area),
            "reference": _describe(region), "reference_id": region.id, "rule": rule,
            "sources": self._region_sources(region),
        }
        if res.get("nearest"):
            evidence["nearest_point"] = res["nearest"]
        shared = self._shared_border(region, lat, lon) if region.kind == "country" and d > 0 else None
        if shared is not None:
            # Said of a place in a neighbouring country, "near X" is read as near the
            # border into X; the distance to X's nearest territory is shown beside it.
            evidence.update({
                "distance_km": _round(shared["distance_km"]), "distance_to_territory_km": _round(d),
                "reference": f"{_border_name(tuple(shared['countries']))} ({region.name})",
                "reference_id": "border:" + "-".join(shared["countries"]),
                "rule": rule + "; measured to the land border between the location's country and it "
                               "(its nearest territory is given as distance_to_territory_km)",
                "sources": evidence["sources"] + [s for s in [shared.get("citation") or shared.get("source")] if s],
            })
            if shared.get("nearest"):
                evidence["nearest_point"] = shared["nearest"]
            if (d <= limit) != (shared["distance_km"] <= limit):
                evidence.setdefault("warnings", []).append(
                    f"{region.name}'s nearest territory is {d:.1f} km away, the border with it "
                    f"{shared['distance_km']:.1f} km: the threshold separates the two readings")
            d = min(d, shared["distance_km"])
        return Check(-1, CONSISTENT if d <= limit else INCONSISTENT, evidence)

    def _shared_border(self, country: Place, lat: float, lon: float) -> dict | None:
        home = self.country_at(lat, lon)
        if not home or not country.country or home == country.country:
            return None
        try:
            return self.boundaries.distance_to_border_km(home, country.country, lat, lon)
        except GeoverifyError:
            return None

    def area_km2(self, region_id: str) -> float:
        return _geodesic_area_km2(self.boundaries, region_id)

    # borders ---------------------------------------------------------------------------
    def _border_distance(self, target: Target, lat: float, lon: float) -> dict[str, Any]:
        """Distance to the border the target names, with every source's figure."""
        countries = target.border
        if countries == ("*",):
            nearest = self.boundaries.nearest_borders(lat, lon, k=1)
            if not nearest:
                return {"verdict": UNVERIFIABLE, "evidence": {"reason": "no land border found"}}
            best = nearest[0]
            pair = tuple(best["countries"])
        elif target.each:
            # one border per named country, from the location's country: the nearest decides
            home = self.country_at(lat, lon)
            measured = []
            for other in countries:
                if other == home:
                    continue
                one = self._border_distance(Target(target.name, border=(other,)), lat, lon)
                if "verdict" not in one:
                    measured.append(one)
            if not measured:
                return {"verdict": UNVERIFIABLE, "evidence": {
                    "reason": f"{home or 'the location'} shares no land border with "
                              + " or ".join(c for c in countries if c != home), "reference": target.name}}
            measured.sort(key=lambda m: m["distance_km"])
            best = dict(measured[0])
            best["other_borders"] = [{"reference": m["reference"], "distance_km": _round(m["distance_km"])}
                                     for m in measured[1:]]
            return best
        elif len(countries) >= 2:
            pair = (countries[0], countries[1])
        else:
            home = self.country_at(lat, lon)
            other = countries[0]
            if home and home != other:
                pair = (home, other)
            else:
                pair = (other, None)
        try:
            res = self.boundaries.distance_to_border_km(pair[0], pair[1], lat, lon)
        except GeoverifyError as exc:
            return {"verdict": INCONSISTENT if "share no" in str(exc) else UNVERIFIABLE,
                    "evidence": {"reason": str(exc), "reference": _border_name(pair)}}
        out = {"distance_km": res["distance_km"], "bearing_deg": None,
               "reference": _border_name(tuple(res.get("countries") or pair)),
               "reference_id": "border:" + "-".join(c for c in (res.get("countries") or pair) if c),
               "radius_km": 0.0, "length_km": res.get("length_km"),
               "sources": [res.get("citation") or res.get("source")] if res.get("source") else []}
        if res.get("nearest"):
            n = res["nearest"]
            out["bearing_deg"] = inverse(n["lat"], n["lon"], lat, lon)[1]
            out["nearest_point"] = n
        others = []
        for source in self._other_border_sources(res.get("source")):
            try:
                alt = self.boundaries.distance_to_border_km(pair[0], pair[1], lat, lon, source=source)
            except GeoverifyError:
                continue
            others.append({"source": source, "distance_km": _round(alt["distance_km"])})
        if others:
            out["other_sources"] = others
        return out

    def _other_border_sources(self, primary: str | None) -> list[str]:
        try:
            names = self.boundaries.border_sources()
        except AttributeError:
            return []
        return [s for s in names if s != primary]

    def _check_border(self, claim, target, lat, lon, precision_km) -> Check:
        if claim.kind == "distance":
            return self._check_distance(claim, target, lat, lon, precision_km)
        if claim.kind == "direction":
            return self._check_direction(claim, target, lat, lon, precision_km)
        ref = self._border_distance(target, lat, lon)
        if "verdict" in ref:
            return Check(-1, ref["verdict"], ref["evidence"])
        d = ref["distance_km"]
        at_border = (claim.qualifier or "") in ("at", "on", "along")
        if at_border:
            limit, rule = th.AT_BORDER_KM, "at/on the border: within 5 km of the line"
        else:
            limit = th.near_border_km(ref.get("length_km"))
            rule = "near a border: within clamp(2 % of its length, 25, 100) km of the line"
        limit += precision_km
        verdict = CONSISTENT if d <= limit else INCONSISTENT
        evidence = {"distance_km": _round(d), "threshold_km": _round(limit),
                    "reference": ref["reference"], "reference_id": ref["reference_id"],
                    "border_length_km": _round(ref.get("length_km"), 0), "rule": rule,
                    "sources": ref["sources"]}
        if "nearest_point" in ref:
            evidence["nearest_point"] = ref["nearest_point"]
        if "other_borders" in ref:
            evidence["other_borders"] = ref["other_borders"]
        if "other_sources" in ref:
            evidence["other_sources"] = ref["other_sources"]
            flips = [o for o in ref["other_sources"]
                     if (o["distance_km"] <= limit) != (d <= limit)]
            if flips:
                evidence.setdefault("warnings", []).append(
                    "boundary sources disagree enough to flip this verdict: " + "; ".join(
                        f"{o['source']} gives {o['distance_km']} km" for o in flips))
        return Check(-1, verdict, evidence)

    def country_at(self, lat: float, lon: float) -> str | None:
        for region in self.boundaries.regions_containing(lat, lon):
            if region.get("kind") == "country":
                return region.get("iso") or region.get("country")
        return None


_AREAS: dict[tuple[int, str], float] = {}


def _geodesic_area_km2(boundaries, region_id: str) -> float:
    key = (id(boundaries), region_id)
    if key not in _AREAS:
        geom = boundaries.geometry(region_id)
        area, _perim = geod().geometry_area_perimeter(geom)
        _AREAS[key] = abs(area) / 1e6
    return _AREAS[key]


def _directional_part(claim: Claim, region: Place, lat: float, lon: float) -> dict | None:
    """For "eastern X" with no named macro-region: is the point in X's eastern half?

    The half is taken about X's reference point (its gazetteer centroid): east
    or west of its meridian, north or south of its parallel. "central" is not
    tested (``holds`` is None).
    """
    word = (claim.direction or "").lower()
    code = DIRECTION_WORDS.get(word)
    if not code or word in region.name.lower():
        return None
    if code == "C":
        return {"word": word, "holds": None, "rule": "'central' is not tested"}
    dlon = (lon - region.lon + 540.0) % 360.0 - 180.0
    dlat = lat - region.lat
    checks = []
    if "E" in code:
        checks.append(dlon > 0)
    if "W" in code:
        checks.append(dlon < 0)
    if "N" in code:
        checks.append(dlat > 0)
    if "S" in code:
        checks.append(dlat < 0)
    return {"word": word, "holds": all(checks),
            "reference_point": {"lat": region.lat, "lon": region.lon},
            "rule": f"{word} part: the half of {region.name} beyond its reference point's "
                    "meridian/parallel (no macro-region of that name in the index)"}


FACILITY_WORDS = ("training", "camp", "base", "airfield", "airbase", "air base", "range", "polygon",
                  "barracks", "garrison", "depot", "checkpoint", "facility", "port", "airport", "center",
                  "centre", "полигон", "лагерь", "база")


class MemoBoundaries:
    """The boundary index with its per-point answers memoised, process-wide.

    The index is read-only, so ``contains``, ``distance_to_region_km``,
    ``distance_to_border_km``, ``regions_containing`` and ``nearest_borders`` are
    pure functions of their arguments; batch runs and articles checked against
    the same ``--at`` ask the same questions many times. Other attributes pass
    through unchanged.
    """

    MAX_ENTRIES = 50_000
    #: one wrapper per boundaries object, held weakly (never keyed by a reusable id())
    _wrappers: "weakref.WeakKeyDictionary[Any, MemoBoundaries]" = weakref.WeakKeyDictionary()
    _wrappers_lock = threading.Lock()

    def __init__(self, boundaries):
        self._b = boundaries
        self._memo: dict[tuple, Any] = {}
        self._lock = threading.Lock()  # threads share the memo (the boundaries do their own locking)

    @classmethod
    def wrap(cls, boundaries) -> "MemoBoundaries":
        if isinstance(boundaries, cls):
            return boundaries
        with cls._wrappers_lock:
            try:
                wrapper = cls._wrappers.get(boundaries)
            except TypeError:  # not weak-referenceable: a memo of its own
                return cls(boundaries)
            if wrapper is None:
                wrapper = cls._wrappers[boundaries] = cls(boundaries)
            return wrapper

    def _cached(self, name: str, *args, **kwargs):
        key = (name, args, tuple(sorted(kwargs.items())))
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        try:
            value = getattr(self._b, name)(*args, **kwargs)
        except GeoverifyError as exc:
            # keep the error, not its traceback: the frames (and their callers' frames, up to
            # the verification of a whole window of text) would stay alive as long as the memo
            value = exc.with_traceback(None)
            value.__context__ = value.__cause__ = None
        with self._lock:
            if len(self._memo) >= self.MAX_ENTRIES:
                self._memo.clear()
            self._memo[key] = value
        return value

    def _call(self, name: str, *args, **kwargs):
        value = self._cached(name, *args, **kwargs)
        if isinstance(value, GeoverifyError):
            raise copy.copy(value) from None  # a fresh error: raising the memoised one would attach frames
        return value

    def contains(self, *args, **kwargs):
        return self._call("contains", *args, **kwargs)

    def distance_to_region_km(self, *args, **kwargs):
        return self._call("distance_to_region_km", *args, **kwargs)

    def distance_to_border_km(self, *args, **kwargs):
        return self._call("distance_to_border_km", *args, **kwargs)

    def regions_containing(self, *args, **kwargs):
        return self._call("regions_containing", *args, **kwargs)

    def nearest_borders(self, *args, **kwargs):
        return self._call("nearest_borders", *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._b, name)


def _copy_context(ref: dict, evidence: dict) -> None:
    """Carry what was measured from (and any caveats) into a check's evidence."""
    for key in ("candidates", "other_sources", "warnings", "reference_point", "nearest_point"):
        if key in ref:
            evidence[key] = ref[key]


def _is_fuzzy(place: Place) -> bool:
    return place.extra.get("match") == "fuzzy"


def _flag_fuzzy(evidence: dict, asked: str, place: Place) -> None:
    if _is_fuzzy(place):
        evidence.setdefault("warnings", []).append(
            f"{asked!r} matched {place.matched or place.name!r} only approximately (typo tolerance, "
            f"score {place.score:.2f})")


def _is_facility(hint: str) -> bool:
    hint = hint.lower()
    return any(word in hint for word in FACILITY_WORDS)


def _describe(place: Place) -> str:
    bits = [place.name]
    if place.kind == "place" and place.admin1:
        bits.append(place.admin1)
    if place.country and place.kind not in ("country",):
        bits.append(place.country)
    label = ", ".join(bits)
    if place.geonameid:
        label += f" (GeoNames {place.geonameid})"
    elif place.kind in POLYGON_KINDS:
        label += f" ({place.kind})"
    return label


def _border_name(pair: tuple) -> str:
    codes = [c for c in pair if c]
    if len(codes) == 1:
        return f"{codes[0]} land border"
    return "–".join(codes) + " border"


_BORDER_LIST = re.compile(r"\bborders\b|\bborders?\s+(?:with|of)\b[^.;]*\b(?:and|or)\b", re.IGNORECASE)


def _mentions_border(text: str) -> bool:
    return "border" in text.lower() or "frontier" in text.lower()


def _strip_border_word(text: str) -> str:
    words = [w for w in text.replace("'s", "").split()
             if w.lower() not in ("the", "border", "borders", "frontier", "with", "land")]
    return " ".join(words)


__all__ = ["ClaimChecker", "Target"]
