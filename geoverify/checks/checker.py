"""Check one claim against one location, geodesically, with typed evidence.

A claim is read through its chain (:mod:`geoverify.checks.readings`): each level of the
location phrase gets the readings its name can have inside its qualifiers. The claim is
then judged at its most specific level that has readings:

- **consistent** when a plausible reading holds (the evidence names it: ``reading``);
- **inconsistent** only when every plausible reading fails *and* each is decisive: the
  name's referent is known well enough (a notable or unique place, a region, a named
  site) that failing with it means the claim is wrong;
- otherwise the next, more general level is judged (``no 'Pisky' within Donetsk Oblast in
  the gazetteer``: judged as "in Donetsk Oblast"), and when no level decides,
  **unverifiable** with the reason.

Fuzzy and skeleton matches alone never make a claim inconsistent. Every measured figure is
geodesic on WGS84 and every threshold comes from :mod:`geoverify.thresholds`, where the
figures that set it are documented.
"""

from __future__ import annotations

import bisect
import copy
import functools
import logging
import math
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from geoverify import thresholds as th
from geoverify.checks.evidence import Evidence
from geoverify.checks.readings import (
    POLYGON_KINDS,
    Interpretation,
    LevelReading,
    Ref,
    adjective_stems,
    compound_forms,
    decisive,
    describe,
    is_approximate,
    name_forms,
    slavic_adjective,
    spelling_variant,
)
from geoverify.claims import lexicon as lx
from geoverify.errors import GeoverifyError
from geoverify.geodesy import angle_difference, compass_name, compass_sector, geod, inverse
from geoverify.model import (
    CONSISTENT,
    INCONSISTENT,
    UNVERIFIABLE,
    Check,
    Claim,
    ClaimKind,
    Level,
    Location,
    Place,
    PlaceKind,
    Reading,
    Verdict,
)

log = logging.getLogger(__name__)

K = PlaceKind
DIRECTION_WORDS = {
    "northern": "N",
    "southern": "S",
    "eastern": "E",
    "western": "W",
    "north-eastern": "NE",
    "northeastern": "NE",
    "north-western": "NW",
    "northwestern": "NW",
    "south-eastern": "SE",
    "southeastern": "SE",
    "south-western": "SW",
    "southwestern": "SW",
    "central": "C",
}
#: How many candidates of one name are considered.
CANDIDATE_LIMIT = 60
#: Power plants take their region's name (Zaporizhzhia NPP in Enerhodar, Rivne NPP in Varash, 130 km
#: from Rivne); other facilities named after a town lie in or near it.
_POWER_PLANT = re.compile(r"\b(?:power|npp|nuclear|tpp|hpp|chp|gres|hydroelectric|аес|тес|гес)\b", re.I)
#: How many namesakes of each end of a "between A and B" / "A-B road" claim are paired.
BETWEEN_CANDIDATES = 12
#: How many register settlements of one name are read (Ukraine has 130 villages called Andriivka:
#: the register only decides when every namesake is read).
REGISTER_LIMIT = 500
#: How many candidates a level lists (nearest first): these are always measured exactly.
LISTED = 6
#: Entries of each process-wide memo before it is emptied (names, readings).
SHARED_MEMO_ENTRIES = 200_000
_SHARED_LOCK = threading.Lock()
_SHARED: dict[tuple[int, int], dict[str, Any]] = {}


def _shared_memo(resolver: Callable, boundaries: MemoBoundaries) -> dict[str, Any]:
    """Memos shared by the checkers of one resolver and one boundary index.

    With the default resolver they live on the process's gazetteer object, so a rebuilt or
    re-imported index (a new gazetteer object) starts afresh; a custom resolver gets its own.
    """
    owner: Any = resolver
    from geoverify import gazetteer as _gz

    if resolver is _gz.resolve:
        try:
            owner = _gz.get_gazetteer()
        except GeoverifyError:
            owner = resolver
    with _SHARED_LOCK:
        memo = getattr(owner, "_geoverify_checker_memo", None)
        if memo is None or memo.get("boundaries") is not boundaries:
            memo = {
                "resolved": {},
                "interpretations": {},
                "largest": {},
                "bands": {},
                "lock": threading.Lock(),
                "boundaries": boundaries,
            }
            try:
                owner._geoverify_checker_memo = memo
            except AttributeError:
                key = (id(owner), id(boundaries))
                memo = _SHARED.setdefault(key, memo)
        return memo


def _round(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


@dataclass(frozen=True)
class Outcome:
    """One reading judged against one point."""

    verdict: Verdict
    evidence: Evidence
    ref: Ref | None = None
    distance_km: float = math.inf


class ClaimChecker:
    """Checks claims against locations using the gazetteer and the boundary index.

    Parameters
    ----------
    context : str
        The surrounding text (countries it names narrow unqualified names).
    resolver : callable, optional
        ``resolver(name, near=None, country=None, context=None, limit=10, kinds=None) ->
        list[Place]``; defaults to :func:`geoverify.gazetteer.resolve`.
    boundaries : object, optional
        The boundary index; defaults to :func:`geoverify.gazetteer.boundaries.get_boundaries`.
    """

    def __init__(self, context: str = "", resolver: Callable | None = None, boundaries=None):
        self.context = context
        if resolver is None:
            from geoverify.gazetteer import resolve

            resolver = resolve
        if boundaries is None:
            from geoverify.gazetteer.boundaries import get_boundaries

            boundaries = get_boundaries()
        self._resolver = resolver
        self.boundaries = MemoBoundaries.wrap(boundaries)
        # answers that depend only on the index (not on this text) are shared by every
        # checker of the process: names, readings, "largest place of a region"
        shared = _shared_memo(resolver, self.boundaries)
        self._resolved: dict[tuple, list[Place]] = shared["resolved"]
        self._interpretations: dict[tuple, Interpretation] = shared["interpretations"]
        self._largest: dict[tuple, bool] = shared["largest"]
        self._bands: dict[tuple, float] = shared["bands"]
        #: the claims of short texts, extracted with this memo's lookups (geoverify.pipeline keeps them; an LRU)
        self.extractions: OrderedDict[str, tuple] = shared.setdefault("extractions", OrderedDict())
        #: the last level asked whether its name is written in a register's national form: (level, country, answer)
        self._national_last: tuple[LevelReading, str | None, bool] | None = None
        self._lock = shared["lock"]
        self._context_countries: list[str] | None = None

    # -- gazetteer access (memoised) --------------------------------------------------------
    def resolver(
        self, name: str, context: str | None = None, limit: int = 10, kinds: tuple[str, ...] | None = None
    ) -> list[Place]:
        """The gazetteer's answer for ``name``, memoised for this checker."""
        key = (name, context, limit, kinds)
        found = self._resolved.get(key)
        if found is None:
            try:
                if kinds is None:
                    found = self._resolver(name, context=context, limit=limit)
                else:
                    found = self._resolver(name, context=context, limit=limit, kinds=list(kinds))
            except GeoverifyError as exc:
                if not _is_lookup_miss(exc):
                    raise
                found = []
            with self._lock:
                if len(self._resolved) >= SHARED_MEMO_ENTRIES:
                    self._resolved.clear()
                self._resolved[key] = found
        return found

    def lookup(self, name: str) -> list[Place]:
        """``lookup`` for claim extraction: the same memoised answers the checks use (without
        the text's context: extraction asks what a name can be, not which one is meant)."""
        return self.resolver(name, limit=10)

    def _find(
        self, name: str, kinds: tuple[str, ...], skeleton_ok: bool = False, named_after: bool = False
    ) -> list[Place]:
        """Candidates of exactly ``name`` (folded or transliterated) of ``kinds``; approximate
        (skeleton, typo) matches only when there is no exact one. ``skeleton_ok``: a consonant
        skeleton match counts as exact (district names derived from adjectives:
        "Amvrosievsky" -> Amvrosiivka raion). ``named_after``: ``name`` names a unit after a town, so
        an adjective may stand for the town's noun (a settlement's adjective and noun are two names
        otherwise: :func:`spelling_variant`)."""
        exact: list[Place] = []
        approx: dict[str, Place] = {}
        seen: set[str] = set()
        for form in name_forms(name):
            for p in self.resolver(form, limit=CANDIDATE_LIMIT, kinds=kinds):
                if p.id in seen or p.lat is None:
                    continue
                if _code_read_as_word(form, p):
                    continue  # "Bo" (a village) is not Bolivia's code BO
                match = (p.extra or {}).get("match")
                if match == "skeleton" and (
                    skeleton_ok
                    or spelling_variant(
                        form, p.matched or p.name, settlement=p.kind in _SETTLEMENT_KINDS and not named_after
                    )
                ):
                    p = replace(p, extra={**(p.extra or {}), "spelling_variant": True})
                elif match == "fold" and p.kind == "place" and not _whole_name(form, p):
                    # "Bang" found "Bang Krai" (a name part the resolver took for a designator)
                    p = replace(p, extra={**(p.extra or {}), "match": "fuzzy", "partial": True})
                if is_approximate(p):
                    approx.setdefault(p.id, p)
                else:
                    seen.add(p.id)
                    approx.pop(p.id, None)
                    exact.append(p)
            if exact:
                break
        if exact:
            return exact
        good = [p for p in approx.values() if p.score >= th.MIN_APPROXIMATE_SCORE]
        return good[:5]

    def _countries_in_context(self) -> list[str]:
        if self._context_countries is None:
            self._context_countries = []
            if self.context:
                try:
                    from geoverify.gazetteer import get_gazetteer

                    self._context_countries = get_gazetteer().countries_in_text(self.context)
                except GeoverifyError:
                    pass
        return self._context_countries

    def country_at(self, lat: float, lon: float) -> str | None:
        """The country the point is in; at sea, the country whose territorial waters hold it."""
        if hasattr(self.boundaries._b, "country_at"):
            found = self.boundaries.country_at(lat, lon)
            if found is not None:
                return found
            for region in self.boundaries.regions_containing(lat, lon):
                if region.get("kind") == "waters":
                    return region.get("iso") or region.get("country")
            return None
        for region in self.boundaries.regions_containing(lat, lon):
            if region.get("kind") == "country":
                return region.get("iso") or region.get("country")
        return None

    def area_km2(self, region_id: str) -> float:
        return _geodesic_area_km2(self.boundaries, region_id)

    def _is_largest_in_admin1(self, place: Place) -> bool:
        """Is ``place`` the most populous place of its first-level region (its namesake
        region: ``Kharkov region`` is Kharkivska oblast)?"""
        code = (place.extra or {}).get("admin1_code") or place.iso
        key = (place.country, place.admin1)
        if key not in self._largest:
            try:
                from geoverify.gazetteer import get_gazetteer

                top = get_gazetteer().largest_place_in_admin1(place.country, place.admin1)
            except (GeoverifyError, AttributeError):
                top = None
            self._largest[key] = top is not None and top.id == place.id
            del code
        return self._largest[key]

    # -- readings ---------------------------------------------------------------------------
    def interpret(self, claim: Claim) -> Interpretation:
        """The readings of every level of ``claim``'s chain (memoised)."""
        levels = claim.chain or (_level_from_claim(claim),)
        key = (claim.kind, tuple((lv.name, lv.kinds, lv.designator, lv.text) for lv in levels), claim.feature_hint)
        found = self._interpretations.get(key)
        if found is None:
            found = self._interpret(claim, levels)
            with self._lock:
                if len(self._interpretations) >= SHARED_MEMO_ENTRIES:
                    self._interpretations.clear()
                self._interpretations[key] = found
        return found

    def _interpret(self, claim: Claim, levels: tuple[Level, ...]) -> Interpretation:
        out: list[LevelReading | None] = [None] * len(levels)
        for i in range(len(levels) - 1, -1, -1):
            outer = next((lr for lr in out[i + 1 :] if lr is not None and lr.refs), None)
            out[i] = self._read_level(levels[i], claim, outer, head=(i == 0))
        return Interpretation([lr for lr in out if lr is not None])

    def _read_level(self, level: Level, claim: Claim, outer: LevelReading | None, head: bool) -> LevelReading:
        name = level.name.strip(" .,;:()[]\"'«»“”")
        if not name or level.kind is K.BORDER:
            return LevelReading(level)
        refs = self._candidates(level, name, claim if head else None)
        if not any(not r.approximate for r in refs) and level.kind in (K.UNKNOWN, K.SETTLEMENT, K.FRONT, K.AREA):
            other = self._other_form_refs(level, name, claim if head else None)
            if other:
                refs = other
        if not refs:
            return LevelReading(level, note=f"{name!r} not found in the gazetteer")
        constrained = False
        namesakes = tuple(r.place for r in refs if not r.approximate and r.place.kind == "place")
        if outer is not None:
            inside = [r for r in refs if self._inside_any(r, outer.refs)]
            if (
                not inside
                and outer.level.designator is None
                and outer.level.kind not in (K.COUNTRY, K.SETTLEMENT)
                and level.kind in (K.UNKNOWN, K.SETTLEMENT)
                and any(
                    not r.approximate and (r.place.population or 0) >= th.LIST_FALLBACK_MIN_POPULATION for r in refs
                )
            ):
                # "Ndele, Sam Ouandja": a bare name after a comma that does not hold a town
                # of some size is another place of a list, not its district
                return LevelReading(
                    level,
                    tuple(refs),
                    note=f"{outer.level.name!r} read as another place, not as the area holding {name!r}",
                    namesakes=namesakes,
                )
            if not inside:
                where = outer.level.text or outer.level.name
                return LevelReading(
                    level,
                    note=f"no {name!r} within {where} in the gazetteer (namesakes elsewhere: {_listing(refs)})",
                    namesakes=namesakes,
                    outside=tuple(r for r in refs if not r.approximate and r.place.kind not in ("country", "admin1")),
                )
            constrained = True
            refs = inside
        return LevelReading(level, tuple(refs), constrained=constrained, namesakes=namesakes)

    def _inside_any(self, ref: Ref, outer: tuple[Ref, ...]) -> bool:
        for o in outer:
            if o.id == ref.id:
                continue
            if ref.register:
                if self._register_within(ref, o):
                    return True
                continue
            if o.shape == "region":
                if ref.shape == "region":
                    if self._region_within(ref, o):
                        return True
                    continue
                tol = th.qualifier_tolerance_km(o.place.kind)
                for region_id in [o.id] + [c for c, _note in _enclaves().get(o.id, ())]:
                    try:
                        res = self.boundaries.contains(region_id, ref.place.lat, ref.place.lon, tolerance_km=tol)
                    except GeoverifyError:
                        continue
                    if res.get("inside"):
                        return True
            else:
                d, _ = inverse(o.place.lat, o.place.lon, ref.place.lat, ref.place.lon)
                if d <= o.radius_km + th.QUALIFIER_POINT_MARGIN_KM:
                    return True
        return False

    def _register_within(self, ref: Ref, outer: Ref) -> bool:
        """A register settlement inside a qualifier: by its parents (oblast, 2020 raion, hromada),
        else by how much of its area lies in the qualifier's polygon."""
        parents = {p.get("id") for p in (ref.place.extra or {}).get("parents") or []}
        if outer.place.kind == "country":
            return ref.place.country == outer.place.country
        if outer.id in parents or outer.region_id in parents:
            return True
        if outer.shape == "region":
            if outer.place.kind == "admin1":
                return False  # the register names its oblast: not this one
            try:
                return (
                    self.boundaries.overlap(ref.region_id, outer.region_id, th.edge_tolerance_km(outer.place.kind))
                    >= th.REGISTER_QUALIFIER_OVERLAP
                )
            except (GeoverifyError, AttributeError, KeyError):
                return False
        try:
            d = self.boundaries.distance_to_region_km(ref.region_id, outer.place.lat, outer.place.lon)["distance_km"]
        except GeoverifyError:
            return False
        return d <= outer.radius_km + th.QUALIFIER_POINT_MARGIN_KM

    def _region_within(self, inner: Ref, outer: Ref) -> bool:
        """A region inside another: same country for a country qualifier, else its
        reference point inside the outer polygon."""
        if outer.place.kind == "country":
            return inner.place.country == outer.place.country
        try:
            res = self.boundaries.contains(
                outer.id, inner.place.lat, inner.place.lon, tolerance_km=th.qualifier_tolerance_km(outer.place.kind)
            )
        except GeoverifyError:
            return False
        return bool(res.get("inside"))

    def _candidates(self, level: Level, name: str, claim: Claim | None) -> list[Ref]:
        """Every reading of ``name`` that the level's designator allows."""
        refs: list[Ref] = []
        seen: set[tuple[str, PlaceKind]] = set()

        def add(ref: Ref) -> None:
            key = (ref.id, ref.kind)
            if key not in seen:
                seen.add(key)
                refs.append(ref)

        kinds = level.kinds or (K.UNKNOWN,)
        facility_hint = (
            claim.feature_hint
            if claim is not None and claim.feature_hint and _is_facility(claim.feature_hint)
            else None
        )
        for kind in kinds:
            if kind is K.COUNTRY:
                for p in self._find(name, ("country",)):
                    add(_region_ref(p, K.COUNTRY, "the country"))
            elif kind is K.ADMIN1:
                for ref in self._admin1_refs(name, level):
                    add(ref)
            elif kind in (K.ADMIN2, K.ADMIN3):
                for ref in self._district_refs(name, kind, level):
                    add(ref)
            elif kind in (K.SETTLEMENT, K.UNKNOWN):
                sites = self._find(f"{name} {facility_hint}", ("site",)) if facility_hint else []
                if sites:
                    for p in sites:
                        add(_point_ref(p, K.FACILITY, "the named site"))
                    continue
                for p in self._find(name, ("place", "site")):
                    add(
                        _point_ref(
                            p,
                            K.SETTLEMENT if p.kind == "place" else K.FACILITY,
                            "the populated place" if p.kind == "place" else "the named site",
                        )
                    )
                for ref in self._register_refs(name):
                    if _register_category_fits(ref, level.designator):
                        add(ref)
                if not any(not r.approximate for r in refs):
                    proxies = self._town_proxies(name)
                    if proxies:
                        refs[:] = [r for r in refs if not r.approximate]
                        seen.clear()
                        for ref in proxies:
                            add(ref)
                if kind is K.UNKNOWN:
                    places = [r.place for r in refs if r.place.kind == "place"]
                    for p in self._find(name, ("admin1", "country", "region")):
                        if _exact_region(p, name) and not any(self._named_after(p, c) for c in places):
                            add(_region_ref(p, _kind_of_record(p), f"the {_word(p.kind)}"))
            elif kind is K.AIRPORT:
                for ref in self._facility_refs(name, level, ("airport",), th.AIRPORT_RADIUS_KM, K.AIRPORT):
                    add(ref)
            elif kind is K.FACILITY:
                for ref in self._facility_refs(name, level, ("site",), th.FACILITY_RADIUS_KM, K.FACILITY):
                    add(ref)
            elif kind is K.CITY_PART:
                continue  # no data on city districts: the claim is judged at the city that holds it
            elif kind in (K.FRONT, K.AREA):
                radius = {K.FRONT: th.FRONT_RADIUS_KM, K.AREA: th.AREA_RADIUS_KM}[kind]
                found = self._find(name, ("place",))
                if not any((p.extra or {}).get("match") == "fold" for p in found):
                    # "Limansky direction" is Lyman's (Russian reports name fronts by adjectives),
                    # before any transliterated look-alike of the adjective itself (Lymanka)
                    for form in adjective_stems(name):
                        stems = [p for p in self._find(form, ("place",)) if (p.extra or {}).get("match") == "fold"]
                        if stems:
                            found = stems
                            break
                for p in found:
                    r = radius or th.urban_radius_km(p.population) + th.PLACE_AT_MARGIN_KM
                    add(_point_ref(p, kind, _area_words(kind, p), radius_km=r))
                if kind is K.AREA:
                    for p in self._find(name, ("admin1", "admin2", "region")):
                        if _exact_region(p, name):
                            add(_region_ref(p, _kind_of_record(p), f"the {_word(p.kind)}"))
        if K.ADMIN1 in kinds and len(kinds) > 1:
            # "Donetsk region" may be a district or the area around a town only in the country
            # of the first-level region of that name, not Donetsk's urban okrug in Rostov oblast
            countries = {
                r.place.country
                for r in refs
                if r.kind is K.ADMIN1
                and not r.approximate
                and r.place.kind == "admin1"
                and _exact_region(r.place, name)
            }
            if countries:
                refs = [r for r in refs if r.kind not in (K.ADMIN2, K.ADMIN3, K.AREA) or r.place.country in countries]
        return refs

    def _named_after(self, region: Place, city: Place) -> bool:
        """Is ``region`` named after ``city`` (the city is its largest place)? Then a bare
        name means the city and only a designator ("region", "oblast") means the region."""
        return (
            region.kind == "admin1"
            and city.country == region.country
            and (city.extra or {}).get("admin1_code") == region.iso
            and self._is_largest_in_admin1(city)
        )

    def _town_proxies(self, name: str) -> list[Ref]:
        """A town the gazetteer has no point for, placed by what is named after it: the district of
        that name (a sub-prefecture is named after its seat), else its airstrip, else a commune of
        that name (which confirms the town but never refutes it: communes are also named after
        rivers and peoples)."""
        out: list[Ref] = []
        for p in self._find(name, ("admin2",)):
            hint = (p.extra or {}).get("feature_hint")
            if (p.extra or {}).get("reading") == "without-feature" and hint and _is_facility(hint):
                continue  # "Camp Bangui" (a mining camp 200 km away) is a facility's name, not the town of Bangui
            if p.kind in POLYGON_KINDS and not is_approximate(p):
                unit = (p.extra or {}).get("unit") or _word(p.kind)
                out.append(
                    replace(
                        _region_ref(
                            p, K.AREA, f"the {unit} named after it (the gazetteer has no point for the town itself)"
                        ),
                        proxy=True,
                    )
                )
        if out:
            return out
        from geoverify.gazetteer.names import fold

        first = fold(name).replace("'", "").split()[0] if fold(name).split() else ""
        for p in self._find(name, ("airport",)):
            if not is_approximate(p) and first and fold(p.name or "").replace("'", "").startswith(first):
                out.append(
                    replace(
                        _point_ref(
                            p,
                            K.AREA,
                            f"the airstrip named after it, {p.name} (the gazetteer has "
                            f"no point for the town itself: within "
                            f"{th.TOWN_AIRSTRIP_KM:g} km)",
                            radius_km=th.TOWN_AIRSTRIP_KM,
                        ),
                        proxy=True,
                    )
                )
        if out:
            return out
        for p in self._find(name, ("admin3",)):
            if p.kind in POLYGON_KINDS and not is_approximate(p) and (p.extra or {}).get("unit") in (None, "commune"):
                ref = _region_ref(
                    p, K.AREA, "the commune of that name (the gazetteer has no point for the town itself)"
                )
                out.append(replace(ref, proxy=True, decisive=False))
        return out

    def _other_form_refs(self, level: Level, name: str, claim: Claim | None) -> list[Ref]:
        """Readings of a name no look-up found, each saying how it was read: as the two-word
        name a compound adjective stands for (``Krasnolymansk direction``: Krasnyi Lyman, see
        :func:`readings.compound_forms`), else as the Ukrainian register names it may be a
        Russian spelling of (``Schastie`` / Щастя, ``Tsvetnye Peski`` / Цвітні Піски: see
        :mod:`geoverify.gazetteer.register`)."""
        out: list[Ref] = []

        def take(forms: list[str], words: str) -> None:
            for form in forms:
                for ref in self._candidates(level, form, claim):
                    if not ref.approximate and not any(r.id == ref.id for r in out):
                        out.append(replace(ref, how=f"{ref.how}, {form} {words}"))

        take(compound_forms(name), f"(read as the name {name!r} is an adjective of)")
        part = _PART_NUMBER.fullmatch(name)
        if not out and part and level.kind in (K.UNKNOWN, K.SETTLEMENT):
            # "Botto II", "Kotto 3": a numbered part of a village, read as the village
            take([part.group(1)], f"(read as the village {name!r} is a numbered part of)")
        if out or level.kind not in (K.UNKNOWN, K.SETTLEMENT):
            return out
        try:
            from geoverify.gazetteer import get_gazetteer
            from geoverify.gazetteer.register import russian_forms

            take(russian_forms(get_gazetteer(), name), "in the register (read as a Russian spelling of it)")
        except GeoverifyError:
            return []
        if out:
            return out
        from geoverify.gazetteer.names import skeleton

        words = name.split()
        if len(words) >= 2 and level.kind is K.UNKNOWN:
            # "Avdiivka Coke [and Chemical Plant]", "Mariupol Ilyich [steel plant]": a facility or
            # landmark named after the town its first words name, read around that town
            for n in range(len(words) - 1, 0, -1):
                head = " ".join(words[:n])
                # the town's own name (any spelling), not an alternate ("Sam" is one of Damascus's names)
                towns = [
                    p
                    for p in self._find(head, ("place",))
                    if skeleton(p.name) == skeleton(head) and (p.population or 0) >= th.NAMED_AFTER_TOWN_MIN_POPULATION
                ]
                for p in towns:
                    r = th.FACILITY_RADIUS_KM + th.urban_radius_km(p.population)
                    ref = _point_ref(
                        p,
                        K.FACILITY,
                        f"{name!r}, read as named after {p.name} (the rest of the name is not in the index: "
                        f"within {r:.0f} km of the town)",
                        radius_km=r,
                    )
                    out.append(replace(ref, proxy=True))  # decides only in its country, as a proxy does
                if out:
                    break
        return out

    def _register_refs(self, name: str) -> list[Ref]:
        """Settlements a national register knows (Ukraine's KATOTTG) with no point of their own:
        each measured as the council (when it is the seat) or hromada polygon holding it."""
        out: list[Ref] = []
        seen: set[str] = set()
        from geoverify.gazetteer.names import fold

        for form in name_forms(name):
            for p in self.resolver(form, limit=REGISTER_LIMIT, kinds=("settlement",)):
                area = (p.extra or {}).get("region_id")
                if not area or p.id in seen:
                    continue
                match = (p.extra or {}).get("match")
                # a consonant skeleton is how a Russian spelling meets the Ukrainian register
                # (Andreyevka / Andriivka, Katerinovka / Katerynivka, Grigorovka / Hryhorivka): alike initials
                if match == "fuzzy" or (match == "skeleton" and not _same_initial(fold(form), fold(p.name))):
                    continue
                seen.add(p.id)
                category = (p.extra or {}).get("category") or "settlement"
                holder = (p.extra or {}).get("area_kind") or "area"
                out.append(
                    Ref(
                        p,
                        K.SETTLEMENT,
                        "region",
                        0.0,
                        f"the {category} in the national register, measured as the {holder} holding it "
                        "(the register gives no point)",
                        True,
                        False,
                        area,
                    )
                )
            if out:
                break
        return out

    def _admin1_refs(self, name: str, level: Level) -> list[Ref]:
        out: list[Ref] = []
        for p in self._find(name, ("admin1", "region")):
            out.append(_region_ref(p, K.ADMIN1, f"the {_word(p.kind)}"))
        if not out or all(r.approximate for r in out):
            for form in [name] + adjective_stems(name):
                cities = [p for p in self._find(form, ("place",)) if not is_approximate(p)]
                for city in cities:
                    if (city.population or 0) < th.REGION_CITY_MIN_POPULATION or not self._is_largest_in_admin1(city):
                        continue
                    region = self._admin1_of(city)
                    if region is not None:
                        out = [r for r in out if not r.approximate]
                        out.append(_region_ref(region, K.ADMIN1, f"the region whose largest city is {city.name}"))
                if any(not r.approximate for r in out):
                    break
        if not out:
            # "Nana-Gribizi prefecture": a misspelt region, found among the regions' names alone
            found = self._region_by_spelling(name)
            if found is not None:
                p, ratio = found
                called = p.name if not p.matched or p.matched == p.name else f"{p.matched} ({p.name})"
                out.append(
                    _region_ref(p, K.ADMIN1, f"the {_word(p.kind)} {called}, spelt {name!r} (ratio {ratio:.0f})")
                )
        return out

    def _region_by_spelling(self, name: str) -> tuple[Place, float] | None:
        try:
            from geoverify.gazetteer import get_gazetteer

            gz = get_gazetteer()
            return gz.region_by_spelling(name) if hasattr(gz, "region_by_spelling") else None
        except GeoverifyError:
            return None

    def _admin1_of(self, place: Place) -> Place | None:
        code = (place.extra or {}).get("admin1_code")
        try:
            from geoverify.gazetteer import get_gazetteer

            gz = get_gazetteer()
            if code:
                return gz.place_by_id(f"admin1:{code}")
            found = gz.admin1_of_place(place) if hasattr(gz, "admin1_of_place") else None
            return found
        except GeoverifyError:
            return None

    def _district_refs(self, name: str, kind: PlaceKind, level: Level) -> list[Ref]:
        out: list[Ref] = []
        polygon_kinds = ("admin2", "admin3") if kind is K.ADMIN2 else ("admin3", "admin2")
        for p in self._find(name, polygon_kinds, skeleton_ok=True):
            if p.kind in POLYGON_KINDS:
                vintage = (p.extra or {}).get("vintage")
                unit = (p.extra or {}).get("unit") or _word(p.kind)
                ref = _region_ref(
                    replace(p, extra={**(p.extra or {}), "match": "fold"}),
                    _kind_of_record(p),
                    f"the {unit}" + (f" ({vintage})" if vintage else ""),
                )
                if kind is K.ADMIN2 and p.kind == "admin3":
                    # a commune or council found for a name the text calls a district ("the Ouham-Fafa
                    # sub-prefecture": the commune of Ouham Fafa, 175 km from Sido): the smaller unit confirms
                    # the larger one, but outside it the point may still be in the district
                    ref = replace(ref, decisive=False)
                out.append(ref)
        if out:
            return out
        # no polygon: the area around the town the district or council is named after
        radius = th.DISTRICT_RADIUS_KM if kind is K.ADMIN2 else th.COUNCIL_RADIUS_KM
        for form in [name] + adjective_stems(name):
            towns = [p for p in self._find(form, ("place",), named_after=True) if not is_approximate(p)]
            if not towns and form != name:
                towns = self._prefix_towns(form)
            for t in towns:
                words = "district" if kind is K.ADMIN2 else "council"
                out.append(
                    _point_ref(
                        t,
                        kind,
                        f"the {words} around {t.name} (no {words} polygon in the index)",
                        radius_km=radius + th.urban_radius_km(t.population),
                    )
                )
            if out:
                break
        return out

    def _prefix_towns(self, stem: str) -> list[Place]:
        try:
            from geoverify.gazetteer import get_gazetteer

            gz = get_gazetteer()
            if not hasattr(gz, "places_with_prefix"):
                return []
            return [p for p in gz.places_with_prefix(stem, limit=20) if p.kind == "place"]
        except GeoverifyError:
            return []

    def _facility_refs(
        self, name: str, level: Level, kinds: tuple[str, ...], radius: float, kind: PlaceKind
    ) -> list[Ref]:
        out: list[Ref] = []
        phrase = f"{name} {level.designator}" if level.designator else name
        for p in self._find(phrase, kinds):
            out.append(_point_ref(p, kind, f"the {_word(p.kind)}"))
        if not out and kinds != ("site",):
            for p in self._find(name, kinds):
                out.append(_point_ref(p, kind, f"the {_word(p.kind)}"))
        if out:
            return out
        for p in self._find(name, ("place",)):
            r = radius + th.urban_radius_km(p.population)
            ref = _point_ref(
                p,
                kind,
                f"the {level.designator or 'facility'} of {p.name} (not in the index: within {r:.0f} km of the town)",
                radius_km=r,
            )
            if slavic_adjective(name) and not slavic_adjective(p.name or ""):
                # named by an adjective like the town's ("the Proletarskaya mine"), it may be named after
                # the word (a Soviet 'proletarian' mine in Donbas), not after Proletarsk in Rostov oblast:
                # it stands for the town only in the town's country, as a proxy does
                ref = replace(ref, proxy=True)
            out.append(ref)
            if (
                _POWER_PLANT.search(level.designator or "")
                and (p.population or 0) >= th.REGION_CITY_MIN_POPULATION
                and self._is_largest_in_admin1(p)
            ):
                # "Zaporizhzhia nuclear power plant" lies in Enerhodar, 55 km from the city: a
                # facility named after a city that names its region may lie anywhere in the region
                region = self._admin1_of(p)
                if region is not None:
                    out.append(
                        _region_ref(
                            region,
                            K.ADMIN1,
                            f"the region of {p.name}, which the {level.designator or 'facility'} may be named after",
                        )
                    )
        return out

    # -- checking ---------------------------------------------------------------------------
    def check(self, claim: Claim, location: Location, index: int) -> Check:
        """Check ``claim`` against ``location``: its preferred reading decides; another
        reading (a swapped pair) is shown only when its verdict differs."""
        readings = location.readings()
        if not readings:
            return Check(
                index,
                UNVERIFIABLE,
                Evidence(
                    reason=f"location {location.text!r} has no position"
                    + (f" (locality {location.locality!r} not resolved)" if location.locality else "")
                ),
            )
        precision_km = (location.precision_m or 0.0) / 1000.0
        first = self.judge(claim, *_point(readings[0]), precision_km)
        differing = []
        for reading in readings[1:]:
            other = self.judge(claim, *_point(reading), precision_km)
            if other.verdict != first.verdict:
                differing.append(
                    {
                        "reading": reading.reading,
                        "lat": reading.lat,
                        "lon": reading.lon,
                        "verdict": other.verdict,
                        "distance_km": other.evidence.distance_km,
                    }
                )
        ev = first.evidence
        if differing:
            ev = ev.with_(other_readings=tuple(differing)).warn(
                "the location can be read more than one way and the readings disagree on this claim"
            )
        ref = location.reference or {}
        if ref.get("id") and ref.get("id") == ev.reference_id:
            # "H2W2+4F Bakhmut" placed from Bakhmut, checked against "Bakhmut": only the code's
            # digits are tested, not whether the place is right
            ev = ev.with_(circular=True)
        return Check(index, first.verdict, ev)

    def judge(self, claim: Claim, lat: float, lon: float, precision_km: float = 0.0) -> Outcome:
        """The verdict of ``claim`` at one point (see the module docstring)."""
        if claim.alternatives:
            return self._judge_list(claim, lat, lon, precision_km)
        if claim.kind == ClaimKind.BORDER or (claim.countries and _mentions_border(claim.target)):
            return self._check_border(claim, lat, lon, precision_km)
        if claim.kind == ClaimKind.BETWEEN:
            return self._check_between(claim, lat, lon, precision_km)
        if claim.kind == ClaimKind.WITHIN and claim.direction and claim.direction.lower() in DIRECTION_WORDS:
            named = [p for p in self._find(f"{claim.direction} {claim.target}", ("region",))]
            if named:
                ref = _region_ref(named[0], K.ADMIN1, "the macro-region")
                return self._measure(claim, ref, lat, lon, precision_km, head=True)
        interp = self.interpret(claim)
        levels = [self._judge_level(claim, lr, i == 0, lat, lon, precision_km) for i, lr in enumerate(interp.levels)]
        chain = tuple(_chain_entry(lr, lv) for lr, lv in zip(interp.levels, levels))
        passed: list[str] = []
        fallback_fail: Outcome | None = None
        unplaced: list[tuple[int, LevelReading]] = []
        for i, (lr, lv) in enumerate(zip(interp.levels, levels)):
            if lv is None:
                if lr.note:
                    passed.append(lr.note)
                if lr.outside:
                    unplaced.append((i, lr))
                continue
            verdict, best, outcomes, why = lv
            if (
                verdict == INCONSISTENT
                and best is not None
                and unplaced
                and best.distance_km <= th.QUALIFIER_CONFLICT_KM
            ):
                conflict = self._held_outside(claim, unplaced, lr, best, chain, lat, lon, precision_km)
                if conflict is not None:
                    return conflict
            if verdict in (CONSISTENT, INCONSISTENT) and best is not None:
                # _judge_level gives a deciding outcome with every CONSISTENT or INCONSISTENT level
                return self._decided(best, lr, chain, passed, outcomes)
            bad = [o for o in outcomes if o.verdict == INCONSISTENT]
            # the evidence shown: the nearest reading in the grey band, else the nearest failing one
            shown = [
                o
                for o in outcomes
                if o.verdict == UNVERIFIABLE
                and o.ref is not None
                and math.isfinite(o.distance_km)
                and o.evidence.distance_km is not None
            ] or bad
            if shown and fallback_fail is None:
                fallback_fail = min(shown, key=lambda o: o.distance_km)
                fallback_fail = Outcome(
                    fallback_fail.verdict,
                    fallback_fail.evidence.with_(candidates=_candidates_listing(outcomes)),
                    fallback_fail.ref,
                    fallback_fail.distance_km,
                )
            passed.append(why)
        reason = "; ".join(p for p in passed if p) or f"{claim.target!r} not found in the gazetteer"
        if "not found in the gazetteer" in reason:
            reason += _import_advice(self.country_at(lat, lon))
        base = fallback_fail.evidence if fallback_fail is not None else Evidence(reference=claim.target)
        return Outcome(
            UNVERIFIABLE,
            base.with_(reason=reason, chain=chain, threshold_km=base.threshold_km if fallback_fail else None),
        )

    def _held_outside(
        self,
        claim: Claim,
        unplaced: list[tuple[int, LevelReading]],
        qualifier: LevelReading,
        failed: Outcome,
        chain: tuple,
        lat: float,
        lon: float,
        precision_km: float,
    ) -> Outcome | None:
        """A claim whose qualifier fails just beyond its edge, while a name the gazetteer has only
        outside that qualifier holds at the location ("near the village of Shirokino (Volnovakha
        district)" at Shyrokyne, which lies in Novoazovsk raion, 28 km beyond Volnovakha raion): the
        text's two levels disagree, so the claim holds on one reading and fails on the other.
        Unverifiable, with both readings; None when no such name holds."""
        for i, lr in unplaced:
            outcomes = self._measure_all(claim, lr.outside, lat, lon, precision_km, i == 0)
            good = [o for o in outcomes if o.verdict == CONSISTENT and o.ref is not None]
            if not good:
                continue
            held = min(good, key=lambda o: o.distance_km)
            assert held.ref is not None
            name, where = lr.level.name, qualifier.level.text or qualifier.level.name
            reason = (
                f"{name!r} read as {describe(held.ref.place)} holds ({_round(held.distance_km)} km), but that "
                f"{name!r} is outside {where}, which the location fails by {_round(failed.distance_km)} km; "
                f"the gazetteer has no {name!r} in {where}: either the text's {name!r} or its {where!r} is wrong"
            )
            ev = held.evidence.with_(
                reason=reason,
                chain=chain,
                reading=_reading_words(lr, held.ref),
                other_readings_of_name=[
                    {
                        "reading": f"{where} (the text's qualifier)",
                        "verdict": failed.verdict,
                        "distance_km": _round(failed.distance_km),
                    }
                ],
            )
            return Outcome(UNVERIFIABLE, ev, held.ref, held.distance_km)
        return None

    def _judge_level(
        self, claim: Claim, lr: LevelReading, head: bool, lat: float, lon: float, precision_km: float
    ) -> tuple[Verdict, Outcome | None, list[Outcome], str] | None:
        """One level of the chain judged on its own: ``(verdict, deciding outcome, every
        outcome, why it does not decide)``, or None when the level has no reading."""
        if not lr.refs:
            return None
        refs = self._plausible(lr.refs, lat, lon, claim)
        outcomes = self._measure_all(claim, refs, lat, lon, precision_km, head)
        good = [o for o in outcomes if o.verdict == CONSISTENT]
        if good:
            # a bare name that holds as a town and as a region is reported as the town
            prefer_points = lr.level.kind in (K.UNKNOWN, K.SETTLEMENT)
            return (
                CONSISTENT,
                min(
                    good, key=lambda o: (prefer_points and o.ref is not None and o.ref.shape == "region", o.distance_km)
                ),
                outcomes,
                "",
            )
        bad = [o for o in outcomes if o.verdict == INCONSISTENT]
        grey = [o for o in outcomes if o.verdict == UNVERIFIABLE]
        deciders = [o for o in bad if self._decides(o, lr, lat, lon, claim)]
        if deciders:
            best = min(deciders, key=lambda o: o.distance_km)
            if best.evidence.get("unmeasured"):
                assert best.ref is not None  # _measure_all gives every unmeasured outcome its ref
                best = self._measure(claim, best.ref, lat, lon, precision_km, head=head)
            if all(_dominates(best.ref, g.ref) for g in grey):
                # a namesake near the point that the referent dominates does not save the claim
                return INCONSISTENT, best, outcomes, ""
        return UNVERIFIABLE, None, outcomes, self._why_not_decisive(lr, outcomes, claim)

    def _measure_all(
        self, claim: Claim, refs: tuple[Ref, ...], lat: float, lon: float, precision_km: float, head: bool
    ) -> list[Outcome]:
        """Every reading measured; a district, council or register village whose bounding box is
        farther from the point than the claim could reach (:meth:`_lazy_far_km`) is not measured
        exactly unless it is among the LISTED nearest: it fails whatever its exact distance
        (Ukraine has 130 villages called Andriivka, each a polygon to measure)."""
        lazy: list[tuple[float, Ref]] = []
        eager: list[Ref] = []
        # a boundaries provider without districts (a test double, a user's own) measures every reading
        area_bounds = getattr(self.boundaries, "area_bounds", None)
        for ref in refs:
            far = self._lazy_far_km(claim, ref, head, precision_km) if area_bounds else None
            box = area_bounds(ref.region_id) if far is not None and area_bounds else None
            if box is None or far is None:
                eager.append(ref)
                continue
            bound = _box_lower_bound_km(box, lat, lon)
            if bound <= far:
                eager.append(ref)
            else:
                lazy.append((bound, ref))
        outcomes = [self._measure(claim, ref, lat, lon, precision_km, head=head) for ref in eager]
        if not lazy:
            return outcomes
        lazy.sort(key=lambda x: x[0])
        exact = sorted(o.distance_km for o in outcomes if math.isfinite(o.distance_km))
        for k, (bound, ref) in enumerate(lazy):
            listed_reach = exact[LISTED - 1] if len(exact) >= LISTED else math.inf
            if bound > listed_reach:
                # beyond the claim's reach, and farther than the LISTED nearest measured
                outcomes += [
                    Outcome(
                        INCONSISTENT,
                        Evidence(reference=describe(r.place), reference_id=r.id).with_(unmeasured=True),
                        r,
                        b,
                    )
                    for b, r in lazy[k:]
                ]
                break
            o = self._measure(claim, ref, lat, lon, precision_km, head=head)
            outcomes.append(o)
            if math.isfinite(o.distance_km):
                bisect.insort(exact, o.distance_km)
        return outcomes

    def _lazy_far_km(self, claim: Claim, ref: Ref, head: bool, precision_km: float) -> float | None:
        """Beyond how many km from its bounding box a polygon reading surely fails (None: measure
        it whatever its distance). Only where the reach is fixed: a register village at, in or
        near it (its area's tolerance, the village reach and the grey band, REGISTER_FAR_KM); a
        district or council at or in it, or as a qualifier with the claim's reach as slack
        (tolerance + slack + FINE_AREA_GREY_KM + LAZY_MARGIN_KM). Never for a stated distance or
        direction from the polygon itself, nor for an area with enclaves."""
        if ref.shape != "region":
            return None
        if ref.register:
            bounded = claim.kind in (ClaimKind.PLACE, ClaimKind.WITHIN) or (head and claim.kind == ClaimKind.NEAR)
            return th.REGISTER_FAR_KM + precision_km if bounded else None
        if ref.place.kind not in ("admin2", "admin3") or ref.region_id in _enclaves():
            return None
        slack = 0.0
        if head:
            if claim.kind not in (ClaimKind.PLACE, ClaimKind.WITHIN):
                return None
        elif claim.kind in (ClaimKind.NEAR, ClaimKind.DISTANCE, ClaimKind.DIRECTION):
            reach = self._reach_km(claim)
            if reach is None:
                return None
            slack = reach
        return th.DISTRICT_CLAIM_TOLERANCE_KM + precision_km + slack + th.FINE_AREA_GREY_KM + th.LAZY_MARGIN_KM

    def _judge_list(self, claim: Claim, lat: float, lon: float, precision_km: float) -> Outcome:
        """A list of places holds when one of them does; it fails when each fails decisively."""
        outcomes = [(alt, self.judge(alt, lat, lon, precision_km)) for alt in claim.alternatives]
        good = [(a, o) for a, o in outcomes if o.verdict == CONSISTENT]
        listed = "; ".join(f"{a.text!r} {o.verdict}" for a, o in outcomes)
        if good:
            alt, o = min(good, key=lambda x: x[1].distance_km)
            return Outcome(
                CONSISTENT,
                o.evidence.with_(
                    listed=listed, reading=f"{alt.text!r} of the listed places: " + (o.evidence.reading or "")
                ),
                o.ref,
                o.distance_km,
            )
        if all(o.verdict == INCONSISTENT for _, o in outcomes):
            alt, o = min(outcomes, key=lambda x: x[1].distance_km)
            return Outcome(
                INCONSISTENT,
                o.evidence.with_(listed=listed, reason="none of the listed places holds"),
                o.ref,
                o.distance_km,
            )
        alt, o = next((x for x in outcomes if x[1].verdict == UNVERIFIABLE), outcomes[0])
        reasons = "; ".join(f"{a.text!r}: {x.evidence.reason}" for a, x in outcomes if x.evidence.reason)
        return Outcome(
            UNVERIFIABLE, o.evidence.with_(listed=listed, reason=reasons or o.evidence.reason), o.ref, o.distance_km
        )

    def _plausible(self, refs: tuple[Ref, ...], lat: float, lon: float, claim: Claim) -> tuple[Ref, ...]:
        """Readings that can be meant at this point: when the name has candidates in the
        location's country (or a country the text names), a small namesake far abroad is
        not one of them."""
        home = self.country_at(lat, lon)
        named = set(self._countries_in_context()) | set(claim.countries or ())
        local = [r for r in refs if r.place.country and (r.place.country == home or r.place.country in named)]
        # a notable place that dominates its namesakes is what the name means, unless the
        # location's country (or one the text names) holds the namesake; a front sector is
        # named after the notable town wherever the location is ("Donetsk direction" is not
        # Donetsk in Rostov oblast)
        top = max(
            (r for r in refs if r.shape == "point" and r.place.kind == "place"),
            key=lambda r: r.place.population or 0,
            default=None,
        )
        if top is not None and (top.place.population or 0) >= th.NOTABLE_POPULATION:
            refs = tuple(
                r
                for r in refs
                if r is top
                or r.shape != "point"
                or r.place.kind != "place"
                or not _dominates(top, r)
                or (r in local and r.kind is not K.FRONT)
            )
        if not local:
            return refs
        keep = []
        for r in refs:
            if r in local or r.shape == "region" or (r.place.population or 0) >= th.NOTABLE_ABROAD_POPULATION:
                keep.append(r)
                continue
            d, _ = inverse(r.place.lat, r.place.lon, lat, lon)
            if d <= th.ABROAD_PLAUSIBLE_KM:
                keep.append(r)
        return tuple(keep)

    def _decides(self, o: Outcome, lr: LevelReading, lat: float, lon: float, claim: Claim) -> bool:
        """Does this failed reading make the claim wrong (see :func:`readings.decisive`)?"""
        ref = o.ref
        if ref is None:
            return True
        if ref.approximate:
            return False
        if ref.register:
            # the register is complete for its country: every namesake failing decides, where
            # the location is in that country or the phrase's qualifiers put the name there;
            # except for a Soviet-era name, which may be the former name of a renamed village
            if _soviet_era_name(lr.level.name, ref.place.country):
                return False
            return (
                self.country_at(lat, lon) == ref.place.country
                or lr.constrained
                or self._national_form(lr, ref.place.country)
            )
        if (ref.proxy or ref.place.kind == "airport") and not lr.constrained:
            # a town known only by its airstrip or district, or an airport: only at home; but an
            # airport the phrase names as one ("Donetsk airport") decides within reach abroad too
            named = frozenset(self._countries_in_context()) | frozenset(claim.countries or ())
            stated = not ref.proxy and lr.level.kind is K.AIRPORT and o.distance_km <= th.ABROAD_PLAUSIBLE_KM
            if ref.place.country != self.country_at(lat, lon) and ref.place.country not in named and not stated:
                return False
        if ref.shape == "region" and ref.place.kind in ("admin2", "admin3"):
            # districts and communes are many and their names repeat across countries: one decides
            # only in the location's country, a country the text names, or inside the qualifiers
            named = frozenset(self._countries_in_context()) | frozenset(claim.countries or ())
            return ref.decisive and (
                lr.constrained or ref.place.country == self.country_at(lat, lon) or ref.place.country in named
            )
        if ref.place.kind == "country" and _adjective_facility(claim):
            # "a Russian military base", "the Chinese site": the adjective may name who holds it
            # (Russia's bases in Syria, a Chinese-run mine in CAR), so it holds at home and stays
            # open abroad
            return False
        if ref.shape == "region" or ref.place.kind not in ("place",):
            return ref.decisive
        if (
            ref.kind is K.FRONT
            and (ref.place.population or 0) >= th.FRONT_TOWN_MIN_POPULATION
            and ((ref.place.extra or {}).get("match") == "fold" or (ref.place.extra or {}).get("spelling_variant"))
            and (
                ref.place.country == self.country_at(lat, lon)
                or ref.place.country in frozenset(self._countries_in_context()) | frozenset(claim.countries or ())
                or o.distance_km <= th.ABROAD_PLAUSIBLE_KM
            )
        ):
            # a front sector is named after a town the war made known, not a hamlet the
            # gazetteer lacks: every known town of the name failing decides (spelt as the
            # gazetteer spells it, and not a namesake far abroad)
            return True
        if (
            ref.place.country in th.REGISTER_COUNTRIES
            and not _soviet_era_name(lr.level.name, ref.place.country)
            and self._in_register(ref.place)
            and (self._national_form(lr, ref.place.country) or lr.constrained)
        ):
            # a settlement of the register written as the register writes it, or inside the
            # phrase's qualifiers ("Donetsky village, Luhansk oblast"): the register holds every
            # settlement of that oblast, so none of that name is missing there
            return True
        home = self.country_at(lat, lon)
        others = [
            o
            for o in (list(lr.namesakes) or [r.place for r in lr.refs if r.place.kind == "place"])
            if o.country == ref.place.country
            or (o.population or 0) >= th.NOTABLE_ABROAD_POPULATION
            or inverse(o.lat, o.lon, lat, lon)[0] <= th.ABROAD_PLAUSIBLE_KM
        ]
        named = frozenset(self._countries_in_context()) | frozenset(claim.countries or ())
        d = o.distance_km if math.isfinite(o.distance_km) else inverse(ref.place.lat, ref.place.lon, lat, lon)[0]
        ok, why = decisive(
            ref.place,
            others,
            home,
            d,
            named,
            designator=lr.level.designator,
            worldwide=list(lr.namesakes),
            home_covered=self._covered(home),
        )
        return ok

    def _in_register(self, place: Place) -> bool:
        """Is this gazetteer place a settlement of its country's national register (linked by its
        GeoNames id)?"""
        key = ("register", place.id)
        if key not in self._largest:
            found = False
            if place.geonameid:
                try:
                    from geoverify.gazetteer import get_gazetteer

                    found = bool(get_gazetteer().settlement_record(place.geonameid))
                except (GeoverifyError, AttributeError):
                    found = False
            self._largest[key] = found
        return self._largest[key]

    def _national_form(self, lr: LevelReading, country: str | None) -> bool:
        """Is the name written as the national register writes it (``Zaitseve``, ``Krymske``: the
        official transliteration of a register settlement of ``country``) and as no place of
        another country in the gazetteer is called? Then it means a settlement of that
        register, wherever the location is (a point across the border is not in one of them)."""
        if country not in th.REGISTER_COUNTRIES or lr.level.kind not in (K.UNKNOWN, K.SETTLEMENT):
            return False
        last = self._national_last  # every failing namesake of one level asks the same question
        if last is not None and last[0] is lr and last[1] == country:
            return last[2]
        value = self._national_form_of(lr, country)
        self._national_last = (lr, country, value)
        return value

    def _national_form_of(self, lr: LevelReading, country: str) -> bool:
        from geoverify.gazetteer.names import fold

        name = fold(lr.level.name)
        if not any(
            r.place.country == country and fold(r.place.name) == name and (r.register or self._in_register(r.place))
            for r in lr.refs
        ):
            return False
        others = list(lr.namesakes) + [r.place for r in lr.refs]
        return not any(
            p.country != country and (p.extra or {}).get("match") == "fold" and not is_approximate(p) for p in others
        )

    def _covered(self, country: str | None) -> bool:
        """Does the gazetteer hold places of ``country`` densely enough that a place of a
        given name there would be in it (:data:`geoverify.thresholds.COVERED_PLACES_PER_1000_KM2`)?"""
        if not country:
            return False
        key = ("covered", country)
        if key not in self._largest:
            try:
                from geoverify.gazetteer import get_gazetteer

                n = get_gazetteer().count_places(country)
                area = self.area_km2(f"country:{country}")
                value = area > 0 and n / area * 1000.0 >= th.COVERED_PLACES_PER_1000_KM2
            except (GeoverifyError, AttributeError, KeyError):
                value = False
            self._largest[key] = value
        return self._largest[key]

    def _decided(
        self, o: Outcome, lr: LevelReading, chain: tuple, passed: list[str], outcomes: list[Outcome]
    ) -> Outcome:
        ev = o.evidence.with_(chain=chain, reading=_reading_words(lr, o.ref), candidates=_candidates_listing(outcomes))
        if passed:
            ev = ev.with_(reason="; ".join(passed) + f" — judged as {lr.level.text or lr.level.name!r}")
        others = [x for x in outcomes if x is not o and x.ref is not None]
        if others and o.verdict == CONSISTENT:
            ev = ev.with_(
                other_readings_of_name=[
                    {
                        "reading": _reading_words(lr, x.ref),
                        "verdict": x.verdict,
                        "distance_km": _round(x.distance_km) if math.isfinite(x.distance_km) else None,
                    }
                    for x in others[:5]
                ]
            )
        return Outcome(o.verdict, ev, o.ref, o.distance_km)

    @staticmethod
    def _why_not_decisive(lr: LevelReading, outcomes: list[Outcome], claim: Claim | None = None) -> str:
        name = lr.level.name
        fails = [o for o in outcomes if o.verdict == INCONSISTENT and o.ref is not None]
        grey = [o for o in outcomes if o.verdict == UNVERIFIABLE and o.evidence.reason and o.ref is not None]
        if not fails or (grey and min(o.distance_km for o in grey) <= min(o.distance_km for o in fails)):
            # a reading in the grey band nearer than any failing one is why the claim stays open
            # ("Krasnolymansk direction" 108 km from Lyman, beyond its 100 km but within the band)
            near_grey = min(grey, key=lambda o: o.distance_km) if grey else None
            if near_grey is not None:
                return near_grey.evidence.reason or ""
            return next((o.evidence.reason for o in outcomes if o.evidence.reason), "")
        nearest = min(fails, key=lambda o: o.distance_km)
        ref = nearest.ref
        assert ref is not None
        if ref.place.kind == "country" and claim is not None and _adjective_facility(claim):
            return (
                f"{claim.text!r} lies {nearest.distance_km:.1f} km outside {ref.place.name}, but the adjective "
                f"may say who holds the {claim.feature_hint} rather than where it is"
            )
        if ref.approximate:
            why = f"{name!r} matched {ref.place.name!r} only approximately"
        elif ref.proxy and not ref.decisive:
            why = (
                f"the location is {nearest.distance_km:.1f} km from the "
                f"{(ref.place.extra or {}).get('unit') or 'commune'} {ref.describe()}; a commune "
                f"may be named after a river or a people rather than a town, so being outside it does not say "
                f"{name!r} is elsewhere"
            )
        else:
            why = (
                f"the gazetteer's {name!r} nearest the location is {ref.describe()}, "
                f"{nearest.distance_km:.1f} km away; a small place of a common name may be one the "
                f"gazetteer lacks"
            )
            if ref.place.country:
                why += f" (import a GeoNames dump: geoverify data import {ref.place.country}.zip)"
        return why

    # -- one reading against one point -----------------------------------------------------
    def _measure(self, claim: Claim, ref: Ref, lat: float, lon: float, precision_km: float, head: bool) -> Outcome:
        kind = claim.kind if head else ClaimKind.WITHIN
        if not head and claim.kind in (ClaimKind.NEAR, ClaimKind.DISTANCE, ClaimKind.DIRECTION):
            # a qualifier judged because the named place was not: the subject is near a place
            # inside the qualifier, so the qualifier holds with the head's reach as slack
            slack = self._reach_km(claim)
            if slack is None:
                return Outcome(
                    UNVERIFIABLE,
                    Evidence(
                        reason=f"{claim.target!r} did not resolve, and a direction alone gives no distance "
                        "to judge the qualifier by"
                    ),
                    ref,
                )
            return self._measure_within(
                ref,
                lat,
                lon,
                precision_km,
                slack=slack,
                rule_extra=f" + {slack:g} km (the claim's reach from its place)",
            )
        if kind in (ClaimKind.DIRECTION, ClaimKind.DISTANCE) and ref.kind is K.AREA and ref.shape == "region":
            return Outcome(
                UNVERIFIABLE,
                Evidence(
                    reason=f"the gazetteer has no point for {ref.place.name}, only the {ref.place.kind} named "
                    "after it: too large an area to measure a distance or a direction from",
                    reference=describe(ref.place),
                ),
                ref,
            )
        if kind in (ClaimKind.DIRECTION,) or (kind == ClaimKind.DISTANCE and claim.direction):
            return self._measure_direction(claim, ref, lat, lon, precision_km)
        if kind == ClaimKind.DISTANCE:
            return self._measure_distance(claim, ref, lat, lon, precision_km)
        if ref.shape == "region":
            if kind == ClaimKind.NEAR and claim.qualifier not in ("outskirts",):
                return self._measure_near_region(claim, ref, lat, lon, precision_km)
            return self._measure_within(ref, lat, lon, precision_km, claim=claim)
        city_part = not head and bool(claim.chain) and K.CITY_PART in claim.chain[0].kinds
        return self._measure_point(claim if head else None, ref, lat, lon, precision_km, city_part=city_part)

    def _reach_km(self, claim: Claim) -> float | None:
        if claim.kind == ClaimKind.NEAR:
            return th.NEAR_UNRESOLVED_REACH_KM
        if claim.kind == ClaimKind.DISTANCE and claim.distance_km is not None:
            return claim.distance_km + th.distance_tolerance_km(claim.distance_km, claim.qualifier, 0.0, 0.0)
        return None

    def _measure_point(
        self, claim: Claim | None, ref: Ref, lat: float, lon: float, precision_km: float, city_part: bool = False
    ) -> Outcome:
        place = ref.place
        d, az = inverse(place.lat, place.lon, lat, lon)
        relation = claim.kind if claim is not None else ClaimKind.WITHIN
        qualifier = claim.qualifier if claim is not None else None
        if place.kind == "airport" and not ref.proxy:  # (an airstrip standing in for its town: its reach)
            limit = th.at_airport_km((place.extra or {}).get("runway_km"))
            rule = "at an airport: within half its longest runway + 1 km (at least 2 km)"
            if relation == ClaimKind.NEAR:
                limit += th.NEAR_AREA_EXTRA_KM
                rule = f"near an airport: within {limit:.1f} km of its reference point"
        elif ref.kind in (K.ADMIN2, K.ADMIN3, K.FRONT, K.AREA, K.AIRPORT, K.FACILITY) and ref.radius_km:
            limit = ref.radius_km
            rule = ref.how
            if relation == ClaimKind.NEAR:
                limit += th.NEAR_AREA_EXTRA_KM
                rule += f"; near it: + {th.NEAR_AREA_EXTRA_KM:g} km"
        elif relation == ClaimKind.NEAR and qualifier == "outskirts":
            limit, rule = th.outskirts_km(place.population), "on the outskirts: within the urban radius + 5 km"
        elif relation == ClaimKind.NEAR:
            if place.kind == "site":
                limit, rule = th.NEAR_SITE_KM, f"near a named site: within {th.NEAR_SITE_KM:g} km"
            else:
                limit = th.near_place_km(place.population)
                rule = f"near a populated place of {place.population or 'unknown'} people"
        elif place.kind == "site":
            limit = th.at_site_km((place.extra or {}).get("precision_m"))
            rule = "at a named site: within max(2 km, 3 × its stated precision)"
        elif city_part and place.kind == "place":
            # "Petrovsky district of Donetsk": a district may lie at its city's edge
            limit = th.outskirts_km(place.population)
            rule = "in a district of the city: within its urban radius + 5 km (a district may lie at its edge)"
        else:
            limit = th.at_place_km(place.population)
            rule = (
                f"at/in a populated place of {place.population or 'unknown'} people: within its urban "
                f"radius + {th.PLACE_AT_MARGIN_KM:g} km"
            )
        limit += precision_km
        ev = _point_evidence(place, d, az, limit, rule)
        if ref.approximate:
            ev = ev.warn(
                f"{(claim.target if claim else place.name)!r} matched {place.matched or place.name!r} "
                f"only approximately (typo tolerance, score {place.score:.2f})"
            )
        band = th.POINT_DISAGREEMENT_KM
        if place.kind == "place" and limit + band < d <= limit + th.POINT_DISAGREEMENT_MAX_KM:
            band = self._coding_band_km(place)
        return _graded(d, limit, ev, ref, place.name, band)

    def _coding_band_km(self, place: Place) -> float:
        """The grey band beyond a town's limit: an event is coded to the nearest town its coder
        knows, so where towns are sparse a point stands for a wider area; the distance to the
        town's nearest neighbour in the gazetteer, between POINT_DISAGREEMENT_KM and
        POINT_DISAGREEMENT_MAX_KM (:mod:`geoverify.thresholds`)."""
        key = ("band", place.id)
        if key not in self._bands:
            value = th.POINT_DISAGREEMENT_KM
            try:
                from geoverify.gazetteer import nearest_places

                others = [dist for p, dist in nearest_places(place.lat, place.lon, k=2) if p.id != place.id]
                if others:
                    value = min(max(others[0], th.POINT_DISAGREEMENT_KM), th.POINT_DISAGREEMENT_MAX_KM)
            except GeoverifyError:
                pass
            self._bands[key] = value
        return self._bands[key]

    def _measure_within(
        self,
        ref: Ref,
        lat: float,
        lon: float,
        precision_km: float,
        slack: float = 0.0,
        rule_extra: str = "",
        claim: Claim | None = None,
    ) -> Outcome:
        if ref.shape == "point":
            # an area read around a point (a district around its centre town)
            place = ref.place
            d, az = inverse(place.lat, place.lon, lat, lon)
            limit = (
                ref.radius_km + slack + precision_km
                if ref.radius_km
                else th.at_place_km(place.population) + slack + precision_km
            )
            ev = _point_evidence(place, d, az, limit, (ref.how or "") + rule_extra)
            return _graded(d, limit, ev, ref, place.name)
        region = ref.place
        tol = th.edge_tolerance_km(region.kind, region.id) + precision_km
        if ref.register:
            tol = th.SETTLEMENT_AREA_TOLERANCE_KM + precision_km
        elif region.kind in ("admin2", "admin3"):
            tol = th.DISTRICT_CLAIM_TOLERANCE_KM + precision_km
        try:
            res = self.boundaries.contains(ref.region_id, lat, lon)
        except GeoverifyError as exc:
            return Outcome(
                UNVERIFIABLE, Evidence(reason=str(exc), reference=describe(region), reference_id=region.id), ref
            )
        inside = bool(res.get("strictly_inside", res.get("inside")))
        edge = float(res.get("distance_to_edge_km") or 0.0)
        if not inside and region.id in _enclaves():
            for city_id, note in _enclaves()[region.id]:
                try:
                    in_city = self.boundaries.contains(city_id, lat, lon, tolerance_km=tol)
                except GeoverifyError:
                    continue
                if in_city.get("inside"):
                    ev = Evidence(
                        inside=True,
                        distance_to_edge_km=_round(edge),
                        distance_km=0.0,
                        tolerance_km=_round(tol),
                        reference=describe(region),
                        reference_id=region.id,
                        rule=f"inside {city_id.split(':')[-1]}, which speakers count as part of {region.name}: {note}",
                        sources=tuple(self._region_sources(region)),
                    )
                    return Outcome(CONSISTENT, ev, ref, 0.0)
        rule = (
            f"inside the polygon; within {tol:g} km of its edge (the boundary data's measured "
            f"accuracy + the location's precision) counts as inside"
        ) + rule_extra
        ev = Evidence(
            inside=inside,
            distance_to_edge_km=_round(edge),
            tolerance_km=_round(tol),
            reference=describe(region),
            reference_id=region.id,
            rule=rule,
            sources=tuple(self._region_sources(region, ref.area_id)),
        )
        if claim is not None:
            part = _directional_part(claim, region, lat, lon)
            if part is not None:
                ev = ev.with_(part=part)
                if inside and part["holds"] is False:
                    return Outcome(INCONSISTENT, ev.with_(distance_km=0.0), ref, 0.0)
        if inside:
            ev = ev.with_(distance_km=0.0)
            if edge <= tol:
                ev = ev.warn(f"only {edge:.2f} km inside the edge, within the boundary data's accuracy")
            return Outcome(CONSISTENT, ev, ref, 0.0)
        limit = tol + slack
        ev = ev.with_(distance_km=_round(edge), threshold_km=_round(limit))
        if edge <= limit:
            if slack == 0.0:
                ev = ev.warn(f"{edge:.2f} km outside the edge, within the boundary data's accuracy")
            return Outcome(CONSISTENT, ev, ref, edge)
        if (ref.register or region.kind in ("admin2", "admin3")) and edge <= limit + th.FINE_AREA_GREY_KM:
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=(
                        f"{edge:.1f} km outside {region.name}, beyond its measured accuracy ({tol:g} km) but within "
                        f"{th.FINE_AREA_GREY_KM:g} km more, where event databases still place points they name by it"
                    )
                ),
                ref,
                edge,
            )
        return Outcome(INCONSISTENT, ev, ref, edge)

    def _measure_near_region(self, claim: Claim, ref: Ref, lat: float, lon: float, precision_km: float) -> Outcome:
        region = ref.place
        try:
            res = self.boundaries.distance_to_region_km(ref.region_id, lat, lon)
        except GeoverifyError as exc:
            return Outcome(UNVERIFIABLE, Evidence(reason=str(exc), reference=describe(region)), ref)
        d = res["distance_km"]
        if ref.register or ref.proxy:
            # a village of the register, or a town known only by its district: near it is near
            # a village or a town of that district, not near a region of that size
            limit = th.near_place_km(0) + th.SETTLEMENT_AREA_TOLERANCE_KM + precision_km
            what = "a village" if ref.register else "a town known only by its district"
            ev = Evidence(
                distance_km=_round(d),
                threshold_km=_round(limit),
                reference=describe(region),
                reference_id=region.id,
                rule=f"near {what}: within {th.near_place_km(0):g} km of the "
                f"area holding it (+ {th.SETTLEMENT_AREA_TOLERANCE_KM:g} km: the area's measured accuracy)",
                sources=(region.source,) if region.source else (),
                nearest_point=res.get("nearest"),
            )
            return _graded(d, limit, ev, ref, region.name)
        area = self.area_km2(ref.region_id)
        if region.kind == "country":
            limit, rule = th.near_country_km(area), "near a country: within clamp(√area, 50, 500) km of it"
        else:
            limit, rule = th.near_region_km(area), "near a region: within clamp(0.5 × √area, 25, 150) km"
        limit += precision_km
        ev = Evidence(
            distance_km=_round(d),
            threshold_km=_round(limit),
            reference=describe(region),
            reference_id=region.id,
            rule=rule,
            sources=tuple(self._region_sources(region)),
            nearest_point=res.get("nearest"),
        ).with_(area_km2=round(area))
        shared = self._shared_border(region, lat, lon) if region.kind == "country" and d > 0 else None
        if shared is not None:
            # Said of a place in a neighbouring country, "near X" is read as near the border
            # into X; the distance to X's nearest territory is shown beside it.
            ev = ev.with_(
                distance_km=_round(shared["distance_km"]),
                distance_to_territory_km=_round(d),
                reference=f"{_border_name(tuple(shared['countries']))} ({region.name})",
                reference_id="border:" + "-".join(shared["countries"]),
                rule=rule + "; measured to the land border between the location's country and it "
                "(its nearest territory is given as distance_to_territory_km)",
                sources=ev.sources + tuple(s for s in [shared.get("citation") or shared.get("source")] if s),
                nearest_point=shared.get("nearest") or ev.nearest_point,
            )
            if (d <= limit) != (shared["distance_km"] <= limit):
                ev = ev.warn(
                    f"{region.name}'s nearest territory is {d:.1f} km away, the border with it "
                    f"{shared['distance_km']:.1f} km: the threshold separates the two readings"
                )
            d = min(d, shared["distance_km"])
        return Outcome(CONSISTENT if d <= limit else INCONSISTENT, ev, ref, d)

    def _shared_border(self, country: Place, lat: float, lon: float) -> dict | None:
        home = self.country_at(lat, lon)
        if not home or not country.country or home == country.country:
            return None
        try:
            return self.boundaries.distance_to_border_km(home, country.country, lat, lon)
        except GeoverifyError:
            return None

    def _reference_distance(self, ref: Ref, lat: float, lon: float) -> dict[str, Any]:
        """Distance and bearing from a reading (its point, or its polygon's nearest edge)."""
        place = ref.place
        if ref.shape == "point":
            d, az = inverse(place.lat, place.lon, lat, lon)
            radius = th.urban_radius_km(place.population) if place.kind == "place" else 0.0
            return {
                "distance_km": d,
                "bearing_deg": az,
                "radius_km": radius,
                "reference_point": {"lat": place.lat, "lon": place.lon},
            }
        res = self.boundaries.distance_to_region_km(ref.region_id, lat, lon)
        d = res["distance_km"]
        if place.lat is None or place.lon is None:
            # a register village: its council's or hromada's representative point stands for it
            c = self.boundaries.geometry(ref.region_id).representative_point()
            place = replace(place, lat=c.y, lon=c.x)
        near = res.get("nearest") or {"lat": place.lat, "lon": place.lon}
        origin = (near["lat"], near["lon"]) if d > 0 else (place.lat, place.lon)
        az = inverse(origin[0], origin[1], lat, lon)[1]
        out: dict[str, Any] = {"distance_km": d, "bearing_deg": az, "radius_km": 0.0}
        if d > 0:
            out["nearest_point"] = {"lat": origin[0], "lon": origin[1]}
        else:
            out["reference_point"] = {"lat": place.lat, "lon": place.lon}
        return out

    def _measure_distance(self, claim: Claim, ref: Ref, lat: float, lon: float, precision_km: float) -> Outcome:
        stated = claim.distance_km
        if stated is None:
            return Outcome(UNVERIFIABLE, Evidence(reason="no distance stated", reference=describe(ref.place)), ref)
        try:
            m = self._reference_distance(ref, lat, lon)
        except GeoverifyError as exc:
            return Outcome(UNVERIFIABLE, Evidence(reason=str(exc), reference=describe(ref.place)), ref)
        d = m["distance_km"]
        radius = m["radius_km"]
        q = (claim.qualifier or "").lower()
        tol = th.distance_tolerance_km(stated, q, radius, precision_km)
        # the fields every outcome below shares; each adds its own with dataclasses.replace
        common = Evidence(
            stated_km=stated,
            bearing_deg=_round(m["bearing_deg"], 1),
            reference=describe(ref.place),
            reference_id=ref.id,
            sources=(ref.place.source,) if ref.place.source else (),
            reference_point=m.get("reference_point"),
            nearest_point=m.get("nearest_point"),
        )
        if ref.shape == "point" and stated > radius + th.PLACE_AT_MARGIN_KM and d <= radius + th.PLACE_AT_MARGIN_KM:
            return Outcome(
                UNVERIFIABLE,
                replace(common, distance_km=_round(d)).with_(
                    reason=(
                        f"the location is {ref.place.name} itself ({d:.1f} km from its point): a point placed on "
                        "the named town usually stands for 'somewhere near it' (event databases code an event "
                        "to the nearest known town), so the stated distance cannot be tested"
                    )
                ),
                ref,
                d,
            )
        if q in th.WITHIN_WORDS:
            limit = stated + radius + precision_km
            rule = f"within {stated:g} km (an upper bound; + the reference's urban radius and the location's precision)"
            ev = replace(common, distance_km=_round(d), threshold_km=_round(limit), rule=rule)
            return Outcome(CONSISTENT if d <= limit else INCONSISTENT, ev, ref, max(0.0, d - limit))
        if q in th.AT_LEAST_WORDS:
            limit = stated - tol
            ev = replace(
                common,
                distance_km=_round(d),
                threshold_km=_round(limit),
                tolerance_km=_round(tol),
                rule=f"{q} {stated:g} km: at least stated − tolerance",
            )
            return Outcome(CONSISTENT if d >= limit else INCONSISTENT, ev, ref, max(0.0, limit - d))
        if q in th.AT_MOST_WORDS:
            limit = stated + tol
            ev = replace(
                common,
                distance_km=_round(d),
                threshold_km=_round(limit),
                tolerance_km=_round(tol),
                rule=f"{q} {stated:g} km: at most stated + tolerance",
            )
            return Outcome(CONSISTENT if d <= limit else INCONSISTENT, ev, ref, max(0.0, d - limit))
        low, high = th.distance_band_km(stated, q, radius, precision_km)
        grey_low, grey_high = th.distance_band_km(stated, q, radius, precision_km, loose=True)
        rule = (
            f"{stated:g} km: between {low:.1f} and {high:.1f} km ({th.distance_band_words(q)}; + the "
            "reference's urban radius and the location's precision)"
        )
        ev = replace(
            common, distance_km=_round(d), threshold_km=_round(high), tolerance_km=_round(tol), rule=rule
        ).with_(band_km=[_round(low), _round(high)])
        off = max(0.0, low - d, d - high)
        if off == 0.0:
            return Outcome(CONSISTENT, ev, ref, 0.0)
        if grey_low <= d <= grey_high:
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=(
                        f"{d:.1f} km is outside the {low:.1f}–{high:.1f} km band but within the "
                        f"{grey_low:.1f}–{grey_high:.1f} km in which stated distances are still often meant "
                        "(rounded figures, road distances)"
                    )
                ),
                ref,
                off,
            )
        return Outcome(INCONSISTENT, ev, ref, off)

    def _measure_direction(self, claim: Claim, ref: Ref, lat: float, lon: float, precision_km: float) -> Outcome:
        direction = (claim.direction or "").upper()
        try:
            centre, half = compass_sector(direction)
        except ValueError:
            return Outcome(UNVERIFIABLE, Evidence(reason=f"unknown direction {claim.direction!r}"), ref)
        try:
            m = self._reference_distance(ref, lat, lon)
        except GeoverifyError as exc:
            return Outcome(UNVERIFIABLE, Evidence(reason=str(exc), reference=describe(ref.place)), ref)
        d, az = m["distance_km"], m["bearing_deg"]
        off = angle_difference(az, centre)
        ev = Evidence(
            distance_km=_round(d),
            bearing_deg=_round(az, 1),
            reference=describe(ref.place),
            reference_id=ref.id,
            rule=f"bearing from the reference within {centre:g}° ± {half:g}°",
            sources=(ref.place.source,) if ref.place.source else (),
            reference_point=m.get("reference_point"),
            nearest_point=m.get("nearest_point"),
        ).with_(
            bearing_name=compass_name(az),
            sector={"direction": direction, "centre_deg": centre, "half_width_deg": half},
            off_axis_deg=_round(off, 1),
        )
        radius = m["radius_km"]
        if precision_km >= d:
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=f"the location's precision (±{precision_km:g} km) is as large as its distance "
                    f"from the reference ({d:.2f} km): no direction can be told"
                ),
                ref,
                d,
            )
        if d <= radius:
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=f"the location is inside {ref.place.name} itself ({d:.1f} km from its point, within its "
                    f"{radius:.1f} km urban radius): a direction from it is not meaningful"
                ),
                ref,
                d,
            )
        proxy_km = ref.radius_km if ref.proxy else 0.0
        if proxy_km and d <= proxy_km:
            # the town stands anywhere within radius_km of its proxy (its airstrip)
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=f"{ref.place.name} stands for the town only within {proxy_km:g} km, and the location "
                    f"is {d:.1f} km from it: the direction from the town itself cannot be told"
                ),
                ref,
                d,
            )
        # the location's precision, and where a proxy stands in for the town, the proxy's reach
        blur = math.degrees(math.asin(min(1.0, (precision_km + proxy_km) / d))) if precision_km + proxy_km else 0.0
        if blur:
            ev = ev.with_(bearing_uncertainty_deg=_round(blur, 1))
        if off <= half:
            verdict = CONSISTENT
        elif off <= half + blur:
            verdict = UNVERIFIABLE
            ev = ev.with_(
                reason=f"outside the sector by {off - half:.1f}°, within the ±{blur:.1f}° the "
                + ("location's precision and the proxy's reach allow" if proxy_km else "location's precision allows")
            )
        else:
            verdict = INCONSISTENT
        if claim.kind == ClaimKind.DISTANCE and claim.distance_km is not None:
            dist = self._measure_distance(claim, ref, lat, lon, precision_km)
            ev = ev.with_(
                stated_km=claim.distance_km,
                threshold_km=dist.evidence.threshold_km,
                tolerance_km=dist.evidence.tolerance_km,
                rule=f"{ev.rule}; {dist.evidence.rule or ''}",
            )
            if dist.verdict == INCONSISTENT:
                verdict = INCONSISTENT
        return Outcome(verdict, ev, ref, d)

    def _region_sources(self, region: Place, area_id: str | None = None) -> list[str]:
        out = [region.source] if region.source else []
        try:
            src = (
                self.boundaries.region_source(area_id or region.id)
                if hasattr(self.boundaries, "region_source")
                else None
            )
        except GeoverifyError:
            src = None
        if src and src not in out:
            out.append(src)
        return out

    # -- between two places, on a road --------------------------------------------------------
    def _check_between(self, claim: Claim, lat: float, lon: float, precision_km: float) -> Outcome:
        from geoverify.geodesy import distance_to_segment_km

        names = list(claim.anchors)
        if len(names) == 1:
            names = self._split_road(names[0])
            if len(names) < 2:
                return Outcome(
                    UNVERIFIABLE,
                    Evidence(reason=f"cannot tell the two ends of {claim.anchors[0]!r}", reference=claim.text),
                )
        found_ends: list[list[Place]] = []
        for name in names[:2]:
            found = [p for p in self._find(name, ("place", "site")) if not is_approximate(p)]
            if not found:
                return Outcome(
                    UNVERIFIABLE, Evidence(reason=f"{name!r} not found in the gazetteer", reference=claim.text)
                )
            found_ends.append(found[:BETWEEN_CANDIDATES])
        # every pair of namesakes close enough to be the two ends of one road or stretch is a
        # reading ("Mobaye-Zangba axis" is not a line from Mobaye to Zangba in China)
        pairs = []
        for a in found_ends[0]:
            for b in found_ends[1]:
                length, _ = inverse(a.lat, a.lon, b.lat, b.lon)
                if a.id != b.id and length <= th.BETWEEN_MAX_SPAN_KM:
                    d, along = distance_to_segment_km(lat, lon, (a.lat, a.lon), (b.lat, b.lon))
                    limit = th.between_km(length) + precision_km
                    near = inverse(a.lat, a.lon, lat, lon)[0] + inverse(b.lat, b.lon, lat, lon)[0]
                    pairs.append((near, d, limit, length, along, a, b))
        if not pairs:
            spans = [
                inverse(a.lat, a.lon, b.lat, b.lon)[0] for a in found_ends[0] for b in found_ends[1] if a.id != b.id
            ]
            reason = (
                f"the gazetteer's {names[0]!r} and {names[1]!r} lie at least {min(spans):,.0f} km apart, more "
                f"than the {th.BETWEEN_MAX_SPAN_KM:,.0f} km two ends of one road or stretch may: one is probably "
                "a place the gazetteer lacks"
                if spans
                else f"{names[0]!r} and {names[1]!r} are one place in the gazetteer: no stretch between them"
            )
            return Outcome(UNVERIFIABLE, Evidence(reason=reason, reference=claim.text))
        # the pair nearest the location is the one meant (as for any name with namesakes)
        _, d, limit, length, along, a, b = min(pairs, key=lambda x: x[0])
        road = "road" in claim.text.lower() or "axis" in claim.text.lower()
        ev = Evidence(
            distance_km=_round(d),
            threshold_km=_round(limit),
            reference=f"the line {a.name} – {b.name} ({length:.0f} km)",
            reference_id=f"between:{a.id}|{b.id}",
            rule=(
                f"{'on the road' if road else 'between'}: within {th.between_words()} of the "
                "geodesic line between its two ends"
            ),
            sources=tuple(dict.fromkeys(s for s in (a.source, b.source) if s)),
        ).with_(
            ends=[{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon} for p in (a, b)],
            along_fraction=_round(along, 3),
        )
        if d <= limit:
            return Outcome(CONSISTENT, ev, None, d)
        # roads wind, and their ends are town points two sources may place 25 km apart: near the
        # line the claim is open, not wrong
        winding = length * th.ROAD_WINDING_SHARE if road else 0.0
        band = max(winding, limit + th.POINT_DISAGREEMENT_KM)
        if d <= band:
            why = (
                f"within {th.ROAD_WINDING_SHARE:.0%} of the road's {length:.0f} km (roads wind)"
                if band == winding
                else f"within the {th.POINT_DISAGREEMENT_KM:g} km by which gazetteers and event databases place "
                "one town differently"
            )
            return Outcome(
                UNVERIFIABLE,
                ev.with_(
                    reason=f"{d:.1f} km from the straight line {a.name} – {b.name}, beyond the {limit:.1f} km "
                    f"it allows but {why}: not enough to call it wrong"
                ),
                None,
                d,
            )
        # failing decides only when each end is its name's referent (a small place of a common
        # name may stand for a namesake the gazetteer lacks, as for any place claim)
        home = self.country_at(lat, lon)
        named = frozenset(self._countries_in_context()) | frozenset(claim.countries or ())
        for end, found in ((a, found_ends[0]), (b, found_ends[1])):
            ok, why = decisive(
                end,
                [p for p in found if p.kind == "place"],
                home,
                inverse(end.lat, end.lon, lat, lon)[0],
                named,
                home_covered=self._covered(home),
            )
            if not ok:
                return Outcome(
                    UNVERIFIABLE,
                    ev.with_(
                        reason=f"{d:.1f} km from the line, but its end {end.name} may not be the place meant: {why}"
                    ),
                    None,
                    d,
                )
        return Outcome(INCONSISTENT, ev, None, d)

    def _split_road(self, name: str) -> list[str]:
        """``Kaga-Bandoro-Mbrès`` -> the split at a hyphen whose two sides are both places."""
        parts = name.split("-")
        for i in range(1, len(parts)):
            a, b = "-".join(parts[:i]).strip(), "-".join(parts[i:]).strip()
            if a and b and self._find(a, ("place", "site")) and self._find(b, ("place", "site")):
                return [a, b]
        return [name]

    # -- borders -------------------------------------------------------------------------------
    def _border_countries(self, claim: Claim) -> tuple[tuple[str, ...], bool, str]:
        countries = tuple(claim.countries)
        if not countries:
            stripped = _strip_border_word(claim.target)
            if stripped:
                found = [(p.country, p) for p in self._find(stripped, ("country",)) if p.country]
                # a name two countries share ("the border with Congo": CD or CG) is read both ways:
                # the nearer border is the claim's (the either-or of a list, below)
                countries = tuple(dict.fromkeys(cc for cc, p in found if not is_approximate(p)))
                if len(countries) >= 2:
                    return countries, True, ""
                countries = countries or tuple(cc for cc, _ in found)[:1]
            if not countries and not stripped:
                return ("*",), False, ""
            if not countries:
                return (), False, f"could not tell which border {claim.target!r} is"
        each = len(countries) >= 2 and bool(_BORDER_LIST.search(claim.text))
        return countries, each, ""

    def _border_distance(
        self, countries: tuple[str, ...], each: bool, name: str, lat: float, lon: float
    ) -> dict[str, Any]:
        """Distance to the border the claim names, with every source's figure."""
        if countries == ("*",):
            nearest = self.boundaries.nearest_borders(lat, lon, k=1)
            if not nearest:
                return {"verdict": UNVERIFIABLE, "evidence": Evidence(reason="no land border found")}
            pair = tuple(nearest[0]["countries"])
        elif each:
            home = self.country_at(lat, lon)
            measured = []
            for other in countries:
                if other == home:
                    continue
                one = self._border_distance((other,), False, name, lat, lon)
                if "verdict" not in one:
                    measured.append(one)
            if not measured:
                return {
                    "verdict": UNVERIFIABLE,
                    "evidence": Evidence(
                        reason=f"{home or 'the location'} shares no land border with "
                        + " or ".join(c for c in countries if c != home),
                        reference=name,
                    ),
                }
            measured.sort(key=lambda m: m["distance_km"])
            best = dict(measured[0])
            best["other_borders"] = [
                {"reference": m["reference"], "distance_km": _round(m["distance_km"])} for m in measured[1:]
            ]
            return best
        elif len(countries) >= 2:
            pair = (countries[0], countries[1])
        else:
            home = self.country_at(lat, lon)
            other = countries[0]
            pair = (home, other) if home and home != other else (other, None)
        try:
            res = self.boundaries.distance_to_border_km(pair[0], pair[1], lat, lon)
        except GeoverifyError as exc:
            return {
                "verdict": INCONSISTENT if "share no" in str(exc) else UNVERIFIABLE,
                "evidence": Evidence(reason=str(exc), reference=_border_name(pair)),
            }
        out = {
            "distance_km": res["distance_km"],
            "bearing_deg": None,
            "reference": _border_name(tuple(res.get("countries") or pair)),
            "reference_id": "border:" + "-".join(c for c in (res.get("countries") or pair) if c),
            "length_km": res.get("length_km"),
            "sources": [res.get("citation") or res.get("source")] if res.get("source") else [],
        }
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

    def _check_border(self, claim: Claim, lat: float, lon: float, precision_km: float) -> Outcome:
        countries, each, problem = self._border_countries(claim)
        if problem:
            return Outcome(UNVERIFIABLE, Evidence(reason=problem, reference=claim.target))
        ref = self._border_distance(countries, each, claim.target, lat, lon)
        if "verdict" in ref:
            return Outcome(ref["verdict"], ref["evidence"])
        d = ref["distance_km"]
        q = (claim.qualifier or "").lower()
        if claim.kind in (ClaimKind.DISTANCE,) and claim.distance_km is not None:
            stated = claim.distance_km
            tol = th.distance_tolerance_km(stated, q, 0.0, precision_km)
            if q in th.WITHIN_WORDS:
                ok, limit = d <= stated + precision_km, stated + precision_km
                rule = f"within {stated:g} km of the border: an upper bound (+ the location's precision)"
            elif q in th.AT_LEAST_WORDS:
                ok, limit = d >= stated - tol, stated - tol
                rule = f"{q} {stated:g} km from the border: at least stated − tolerance"
            elif q in th.AT_MOST_WORDS:
                ok, limit = d <= stated + tol, stated + tol
                rule = f"{q} {stated:g} km from the border: at most stated + tolerance"
            else:
                ok, limit = abs(d - stated) <= tol, tol
                rule = f"{stated:g} km ± {tol:.1f} km from the border"
            ev = Evidence(
                distance_km=_round(d),
                stated_km=stated,
                threshold_km=_round(limit),
                tolerance_km=_round(tol),
                reference=ref["reference"],
                reference_id=ref["reference_id"],
                rule=rule,
                sources=tuple(ref["sources"]),
                nearest_point=ref.get("nearest_point"),
            )
            return Outcome(CONSISTENT if ok else INCONSISTENT, ev, None, d)
        if claim.kind == ClaimKind.DIRECTION:
            return Outcome(
                UNVERIFIABLE, Evidence(reason="a direction from a border line is not defined", reference=claim.target)
            )
        at_border = q in ("at", "on", "along")
        if at_border:
            limit, rule = th.AT_BORDER_KM, f"at/on the border: within {th.AT_BORDER_KM:g} km of the line"
        else:
            limit = th.near_border_km(ref.get("length_km"))
            rule = "near a border: within clamp(2 % of its length, 25, 100) km of the line"
        limit += precision_km
        verdict = CONSISTENT if d <= limit else INCONSISTENT
        ev = Evidence(
            distance_km=_round(d),
            threshold_km=_round(limit),
            reference=ref["reference"],
            reference_id=ref["reference_id"],
            rule=rule,
            sources=tuple(ref["sources"]),
            nearest_point=ref.get("nearest_point"),
        ).with_(
            border_length_km=_round(ref.get("length_km"), 0),
            other_borders=ref.get("other_borders"),
            other_sources=ref.get("other_sources"),
        )
        flips = [o for o in ref.get("other_sources") or [] if (o["distance_km"] <= limit) != (d <= limit)]
        if flips:
            ev = ev.warn(
                "boundary sources disagree enough to flip this verdict: "
                + "; ".join(f"{o['source']} gives {o['distance_km']} km" for o in flips)
            )
        return Outcome(verdict, ev, None, d)


# -- helpers ------------------------------------------------------------------------------


_SETTLEMENT_KINDS = frozenset({"place", "settlement", "locality"})


def _adjective_facility(claim: Claim) -> bool:
    """A facility named by a nationality adjective ("a Russian military training ground", "the
    Chinese site"): a ``within`` claim on the adjective's country whose text does not open with the
    country's own name ("Russia's training ground" does)."""
    if claim.kind != ClaimKind.WITHIN or not claim.countries or not claim.feature_hint or not claim.target:
        return False
    if lx.FEATURE_CLASS.get(claim.feature_hint.lower().split()[-1]) != "facility" and (
        lx.FEATURE_CLASS.get(claim.feature_hint.lower()) != "facility"
    ):
        return False
    words = claim.text.lower().split()
    while words and words[0] in ("a", "an", "the"):
        words = words[1:]
    own = claim.target.lower().replace("'s", "").split()
    return [w.replace("'s", "").replace("’s", "") for w in words[: len(own)]] != own


def _graded(
    d: float, limit: float, ev: Evidence, ref: Ref | None, name: str, band_km: float = th.POINT_DISAGREEMENT_KM
) -> Outcome:
    """Consistent within ``limit``; unverifiable in the band beyond it where a gazetteer's
    point and an event database's point for one town disagree
    (:data:`geoverify.thresholds.POINT_DISAGREEMENT_KM`, wider where towns are sparse);
    inconsistent beyond that."""
    if d <= limit:
        return Outcome(CONSISTENT, ev, ref, d)
    if d <= limit + band_km:
        why = (
            f"within the {band_km:.0f} km by which gazetteers and event databases place one town differently"
            if band_km <= th.POINT_DISAGREEMENT_KM
            else f"within the {band_km:.0f} km band of a sparse area (an event is coded to the nearest town its "
            f"coder knows, so a town's point stands for an area as wide as the distance from {name} to the "
            f"nearest other place in the gazetteer, up to {th.POINT_DISAGREEMENT_MAX_KM:g} km)"
        )
        return Outcome(
            UNVERIFIABLE,
            ev.with_(
                reason=(
                    f"{d - limit:.1f} km beyond the {limit:.1f} km the claim allows around {name}, {why}: "
                    "not enough to call it wrong"
                )
            ),
            ref,
            d,
        )
    return Outcome(INCONSISTENT, ev, ref, d)


def _is_lookup_miss(exc: GeoverifyError) -> bool:
    from geoverify.errors import ResolveError

    return isinstance(exc, ResolveError)


def _level_from_claim(claim: Claim) -> Level:
    from geoverify.claims.chains import level_of

    return level_of(claim, "")


def _point_ref(place: Place, kind: PlaceKind, how: str, radius_km: float = 0.0) -> Ref:
    return Ref(place, kind, "point", radius_km, how, True, is_approximate(place))


def _region_ref(place: Place, kind: PlaceKind, how: str) -> Ref:
    shape = "region" if place.kind in POLYGON_KINDS else "point"
    return Ref(place, kind, shape, 0.0, how, not is_approximate(place), is_approximate(place))


def _kind_of_record(place: Place) -> PlaceKind:
    return {
        "country": K.COUNTRY,
        "admin1": K.ADMIN1,
        "admin2": K.ADMIN2,
        "admin3": K.ADMIN3,
        "region": K.ADMIN1,
        "airport": K.AIRPORT,
        "site": K.FACILITY,
    }.get(place.kind, K.SETTLEMENT)


def _word(kind: str) -> str:
    return {
        "admin1": "first-level region",
        "admin2": "district",
        "admin3": "council area",
        "region": "macro-region",
        "country": "country",
        "place": "populated place",
        "site": "named site",
        "airport": "airport",
    }.get(kind, kind)


def _area_words(kind: PlaceKind, place: Place) -> str:
    if kind is K.FRONT:
        return f"the front sector named after {place.name} (within {th.FRONT_RADIUS_KM:g} km of it)"
    if kind is K.AREA:
        return f"the area around {place.name} (within {th.AREA_RADIUS_KM:g} km of it)"
    return f"a part of {place.name}"


def _exact_region(place: Place, name: str) -> bool:
    """A region read for a bare name only when the whole name is one of the region's own
    names (not a typo, and not a longer name with a settlement word the resolver dropped:
    "Stanitsa Luhanska" is not Luhanska oblast)."""
    if is_approximate(place):
        return False
    from geoverify.gazetteer.names import fold

    matched = fold(place.matched or place.name)
    return matched == fold(name) or fold(place.name).startswith(fold(name) + " ")


def _candidates_listing(outcomes: list[Outcome], limit: int = LISTED) -> tuple[dict[str, Any], ...]:
    """The gazetteer candidates a level was measured against, nearest first."""
    rows = []
    for o in sorted(outcomes, key=lambda o: o.distance_km):
        if o.ref is None:
            continue
        q = o.ref.place
        rows.append(
            {
                "id": q.id,
                "name": q.name,
                "feature": q.feature,
                "country": q.country,
                "admin1": q.admin1,
                "lat": q.lat,
                "lon": q.lon,
                "distance_km": _round(o.distance_km) if math.isfinite(o.distance_km) else None,
                "verdict": str(o.verdict),
                "read_as": o.ref.how,
                "score": round(q.score, 3),
                "matched": q.matched,
                "match": (q.extra or {}).get("match"),
            }
        )
    return tuple(rows[:limit])


def _chain_entry(lr: LevelReading, judged) -> dict[str, Any]:
    """A level of the chain as reported: what it was read as, and its own verdict."""
    out = lr.to_dict()
    if judged is None:
        return out
    verdict, best, outcomes, why = judged
    shown = best or (min(outcomes, key=lambda o: o.distance_km) if outcomes else None)
    out["verdict"] = str(verdict)
    if shown is not None:
        ev = shown.evidence
        if ev.distance_km is not None:
            out["distance_km"] = ev.distance_km
        if ev.threshold_km is not None:
            out["threshold_km"] = ev.threshold_km
        if ev.inside is not None:
            out["inside"] = ev.inside
            out["distance_to_edge_km"] = ev.distance_to_edge_km
            out["tolerance_km"] = ev.tolerance_km
        if shown.ref is not None:
            out["reference"] = shown.ref.describe()
            out["reference_id"] = shown.ref.id
            out["read_as"] = shown.ref.how
    if verdict == UNVERIFIABLE and (why or (shown and shown.evidence.reason)):
        out["reason"] = why or (shown.evidence.reason if shown else None)
    return out


def _reading_words(lr: LevelReading, ref: Ref | None) -> str:
    if ref is None:
        return lr.level.text
    return f"{lr.level.name} as {ref.how}: {ref.describe()}"


def _dominates(a: Ref | None, b: Ref | None) -> bool:
    """Is reading ``a`` so much larger a place than ``b`` that the name means ``a``?"""
    if a is None or b is None or b.shape != "point" or b.place.kind != "place":
        return False
    pa, pb = a.place.population or 0, b.place.population or 0
    return pa >= th.NOTABLE_POPULATION and pa >= th.DOMINANCE * max(pb, 1)


def _point_evidence(place: Place, d: float, az: float, limit: float, rule: str) -> Evidence:
    """The evidence of a reading measured from a point: distance, threshold, bearing, reference."""
    return Evidence(
        distance_km=_round(d),
        threshold_km=_round(limit),
        bearing_deg=_round(az, 1),
        reference=describe(place),
        reference_id=place.id,
        reference_point={"lat": place.lat, "lon": place.lon},
        rule=rule,
        sources=(place.source,) if place.source else (),
    )


def _same_initial(a: str, b: str) -> bool:
    """Do two spellings of a name start alike, as a Russian and a Ukrainian spelling do: the same
    letter, or G for H (Grigorovka / Hryhorivka: Russian г is Ukrainian г, written h)?"""
    x, y = a[:1], b[:1]
    return x == y or {x, y} == {"g", "h"}


def _register_category_fits(ref: Ref, designator: str | None) -> bool:
    """Does a register settlement's category (KATOTTG: city, settlement, village) fit the
    word the text calls it by? "Zaporizhzhia city" is not the village of Zaporizhzhia in Kherson
    oblast (:data:`geoverify.thresholds.REGISTER_CATEGORIES_OF`)."""
    if not designator:
        return True
    allowed = th.REGISTER_CATEGORIES_OF.get(designator.lower().split()[-1])
    category = (ref.place.extra or {}).get("category")
    return allowed is None or category is None or str(category) in allowed


def _import_advice(country: str | None) -> str:
    """What to do about a name the gazetteer lacks: the GeoNames dump of the location's country
    holds its villages (cities500 keeps only places of 500 people or more)."""
    if not country:
        return ""
    return (
        f" (the default gazetteer lacks most villages: GeoNames' {country}.zip from "
        f"https://download.geonames.org/export/dump/ holds them; `geoverify data import {country}.zip`)"
    )


def _box_lower_bound_km(box: tuple[float, float, float, float], lat: float, lon: float) -> float:
    """A lower bound of the geodesic distance from the point to anything inside a lon/lat box:
    the distance to the box's nearest point (latitude and longitude clamped), less 2 % and 1 km
    (on a meridian edge the nearest point may lie at another latitude)."""
    minx, miny, maxx, maxy = box
    if miny <= lat <= maxy and minx <= lon <= maxx:
        return 0.0
    d, _ = inverse(min(max(lat, miny), maxy), min(max(lon, minx), maxx), lat, lon)
    return max(0.0, d * 0.98 - 1.0)


#: A village's numbered part: "Botto II", "Sakwa II", "Kotto 3", "Beboura 1".
_PART_NUMBER = re.compile(r"(.*\w)\s+(?:I{1,3}|IV|V|\d{1,2})")


@functools.lru_cache(maxsize=4096)
def _soviet_era_name(name: str, country: str | None) -> bool:
    """Does ``name`` carry a root of the Soviet-era names its country renamed after the register
    it is checked against was first drawn up (:data:`geoverify.thresholds.RENAMED_ROOTS`)?"""
    roots = th.RENAMED_ROOTS.get(country or "")
    if not roots:
        return False
    from geoverify.gazetteer.names import fold

    folded = fold(name).replace("'", "")
    return any(root in folded for root in roots)


def _code_read_as_word(form: str, p: Place) -> bool:
    """Was a code (``BO``, ``GA``, ``W.Va.``'s ``WV``) matched by a word written in lower case?
    A code is only a code in capitals."""
    matched = (p.matched or "").replace(".", "")
    return bool(matched) and len(matched) <= 3 and matched.isupper() and not form.replace(".", "").isupper()


def _whole_name(form: str, place: Place) -> bool:
    """Does the matched name cover the whole name asked for (not just a part of it)?"""
    from geoverify.gazetteer.names import fold

    asked = fold(form)
    return any(fold(n) == asked or spelling_variant(form, n) for n in (place.matched, place.name) if n)


def _listing(refs: list[Ref]) -> str:
    return "; ".join(sorted({r.describe() for r in refs})[:4])


def _point(reading: Reading) -> tuple[float, float]:
    """A reading's point: :meth:`Location.readings` returns only readings that have one."""
    assert reading.lat is not None and reading.lon is not None
    return reading.lat, reading.lon


def _is_facility(hint: str) -> bool:
    from geoverify.claims.designators import kinds_of

    kinds = kinds_of(hint)
    return bool(kinds) and kinds[0] in (K.FACILITY, K.AIRPORT)


_ENCLAVES: dict[str, list[tuple[str, str]]] | None = None


def _enclaves() -> dict[str, list[tuple[str, str]]]:
    """Region id -> [(city id, note)]: cities speakers count as part of the region around them
    (``geoverify/data/enclaves.json``)."""
    global _ENCLAVES
    if _ENCLAVES is None:
        import json
        from pathlib import Path

        data = json.loads((Path(__file__).resolve().parents[1] / "data" / "enclaves.json").read_text(encoding="utf-8"))
        table: dict[str, list[tuple[str, str]]] = {}
        for e in data["enclaves"]:
            table.setdefault(e["region"], []).append((e["city"], e["note"]))
        _ENCLAVES = table
    return _ENCLAVES


_AREAS: dict[tuple[int, str], float] = {}
_AREAS_LOCK = threading.Lock()


def _geodesic_area_km2(boundaries, region_id: str) -> float:
    key = (id(boundaries), region_id)
    with _AREAS_LOCK:
        if key in _AREAS:
            return _AREAS[key]
    geom = boundaries.geometry(region_id)
    area, _perim = geod().geometry_area_perimeter(geom)
    with _AREAS_LOCK:
        _AREAS[key] = abs(area) / 1e6
        return _AREAS[key]


def _directional_part(claim: Claim, region: Place, lat: float, lon: float) -> dict | None:
    """For "eastern X" with no named macro-region: is the point in X's eastern half?

    The half is taken about X's reference point (its gazetteer centroid): east or west of
    its meridian, north or south of its parallel. "central" is not tested (``holds`` is
    None).
    """
    word = (claim.direction or "").lower()
    code = DIRECTION_WORDS.get(word)
    if not code or word in region.name.lower():
        return None
    if code == "C":
        return {"word": word, "holds": None, "rule": "'central' is not tested"}
    centre, _half = compass_sector(code)
    half = th.REGION_PART_HALF_WIDTH_DEG
    _d, az = inverse(region.lat, region.lon, lat, lon)
    off = angle_difference(az, centre)
    return {
        "word": word,
        "holds": off <= half,
        "bearing_deg": round(az, 1),
        "off_axis_deg": round(off, 1),
        "reference_point": {"lat": region.lat, "lon": region.lon},
        "rule": f"{word} part: bearing from {region.name}'s reference point within {centre:g}° ± {half:g}° "
        "(no macro-region of that name in the index)",
    }


class MemoBoundaries:
    """The boundary index with its per-point answers memoised.

    The index is read-only, so ``contains``, ``distance_to_region_km``,
    ``distance_to_border_km``, ``regions_containing`` and ``nearest_borders`` are pure
    functions of their arguments; batch runs and articles checked against the same ``--at``
    ask the same questions many times. Other attributes pass through unchanged. One wrapper
    per boundary index (kept on the index object itself), safe to share between threads.
    """

    MAX_ENTRIES = 50_000
    #: one wrapper per boundaries object, held weakly (never keyed by a reusable id())
    _wrappers: weakref.WeakKeyDictionary[Any, MemoBoundaries] = weakref.WeakKeyDictionary()
    _wrappers_lock = threading.Lock()

    def __init__(self, boundaries):
        self._b = boundaries
        self._memo: dict[tuple, Any] = {}
        self._lock = threading.Lock()  # threads share the memo (the boundaries do their own locking)

    @classmethod
    def wrap(cls, boundaries) -> MemoBoundaries:
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
            # keep the error, not its traceback (its frames would stay alive with the memo)
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

    def country_at(self, *args, **kwargs):
        return self._call("country_at", *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._b, name)


def _border_name(pair: tuple) -> str:
    codes = [c for c in pair if c]
    if len(codes) == 1:
        return f"{codes[0]} land border"
    return "–".join(codes) + " border"


_BORDER_LIST = re.compile(r"\bborders\b|\bborders?\s+(?:with|of)\b[^.;]*\b(?:and|or)\b", re.IGNORECASE)


def _mentions_border(text: str) -> bool:
    return "border" in text.lower() or "frontier" in text.lower()


def _strip_border_word(text: str) -> str:
    words = [
        w
        for w in text.replace("'s", "").split()
        if w.lower() not in ("the", "border", "borders", "frontier", "with", "land")
    ]
    return " ".join(words)


__all__ = ["ClaimChecker", "MemoBoundaries", "Outcome"]
