"""Shared vocabulary: the plain data that flows text → extract → resolve → check → report.

Every stage takes the previous stage's dataclasses and adds to them; nothing
flows back. ``to_dict`` gives the JSON shapes other tools rely on (see the
README's "Contracts" section). Coordinates are WGS84 decimal degrees; GeoJSON
output is lon, lat (RFC 7946), everything else names ``lat`` and ``lon``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class _StrEnum(str, Enum):  # noqa: UP042 - enum.StrEnum is Python 3.11+; requires-python is >=3.10
    """An enum whose members are their string values (``==``, hashing, JSON and ``str()``
    all see ``"consistent"``), so typed results serialise to the JSON contract unchanged."""

    def __str__(self) -> str:
        return str(self.value)


class Verdict(_StrEnum):
    """The outcome of a check, a claim or a report, from best to worst."""

    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNVERIFIABLE = "unverifiable"


class ClaimKind(_StrEnum):
    """What a claim says about where the subject is."""

    PLACE = "place"  # at/in a named place ("Sergeevka", "Luhansk airport")
    WITHIN = "within"  # inside a region ("in Primorsky Krai")
    NEAR = "near"  # near a place, region or border
    DISTANCE = "distance"  # "20 km from X", "about 20 km south of X"
    DIRECTION = "direction"  # "north of X"
    BORDER = "border"  # "near the China border"
    BETWEEN = "between"  # "between A and B", "on the A - B road"


class PlaceKind(_StrEnum):
    """What kind of place a name in a claim stands for (decided by its designator)."""

    COUNTRY = "country"
    ADMIN1 = "admin1"  # oblast, province, krai, prefecture (CAR), state
    ADMIN2 = "admin2"  # district, raion, county, sub-prefecture
    ADMIN3 = "admin3"  # hromada, council, commune, municipality
    SETTLEMENT = "settlement"  # city, town, village
    CITY_PART = "city-part"  # neighbourhood, suburb, city district
    AIRPORT = "airport"
    FACILITY = "facility"  # base, plant, checkpoint, training ground ...
    FRONT = "front"  # "Kupyansk direction", "the Batangafo axis"
    ROAD = "road"
    NATURAL = "natural"  # river, lake, forest ...
    AREA = "area"  # "Donetsk area", "the Bria region" read as the area around a place
    BORDER = "border"
    UNKNOWN = "unknown"  # no designator


#: Kinds of :class:`Location`, as printed in the ``kind`` field.
LOCATION_KINDS = (
    "decimal",
    "ddm",
    "dms",
    "utm",
    "mgrs",
    "pluscode",
    "pluscode-short",
    "geo-uri",
    "map-url",
)

#: Kinds of :class:`Claim`.
CLAIM_KINDS = tuple(k.value for k in ClaimKind)

#: Verdicts, from best to worst.
CONSISTENT = Verdict.CONSISTENT
INCONSISTENT = Verdict.INCONSISTENT
UNVERIFIABLE = Verdict.UNVERIFIABLE
VERDICTS = tuple(Verdict)


def overall_verdict(verdicts: Iterable[str], every: bool = False) -> Verdict:
    """The one rule that combines verdicts.

    With ``every=False`` (a report: its claims and its same-place comparisons):
    ``inconsistent`` if any is, else ``consistent`` if any is, else ``unverifiable``.
    With ``every=True`` (one claim against several locations): ``inconsistent`` if any
    location contradicts it, ``consistent`` only if every location agrees, else
    ``unverifiable``.
    """
    seen = set(verdicts)
    if INCONSISTENT in seen:
        return INCONSISTENT
    if every:
        return CONSISTENT if seen == {CONSISTENT} else UNVERIFIABLE
    return CONSISTENT if CONSISTENT in seen else UNVERIFIABLE


def _round(value: float | None, ndigits: int = 7) -> float | None:
    return None if value is None else round(value, ndigits)


@dataclass
class Reading:
    """One way of reading a location: a point and a sentence saying how it was read."""

    lat: float | None
    lon: float | None
    reading: str

    def to_dict(self) -> dict[str, Any]:
        return {"lat": _round(self.lat), "lon": _round(self.lon), "reading": self.reading}


@dataclass
class Location:
    """A position found in text (or given with ``--at``).

    Attributes
    ----------
    lat, lon : float or None
        The preferred reading, WGS84 decimal degrees. ``None`` only for a short
        plus code whose locality has not been (or could not be) resolved.
    kind : str
        One of :data:`LOCATION_KINDS`.
    text : str
        The verbatim span of the input.
    start, end : int
        Python ``str`` offsets of ``text`` in the input.
    precision_m : float or None
        The uncertainty the notation itself implies (half the last digit's
        step, or the plus-code cell's half-diagonal), in metres.
    reading : str
        How the preferred reading was read ("decimal degrees, latitude first").
    alternatives : list of Reading
        Every other plausible reading, best first.
    warnings : list of str
        Anything a verifier should know (ambiguity, contradicting signs, ...).
    code : str or None
        The normalised code for plus codes and grid references.
    locality : str or None
        The locality text that follows a short plus code.
    reference : dict or None
        For a recovered short plus code: the place whose position was used.
    source : str
        ``"text"`` when found in the input, ``"--at"`` when given separately.
    """

    lat: float | None
    lon: float | None
    kind: str
    text: str
    start: int
    end: int
    precision_m: float | None = None
    reading: str = ""
    alternatives: list[Reading] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    code: str | None = None
    locality: str | None = None
    reference: dict[str, Any] | None = None
    source: str = "text"

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    def readings(self) -> list[Reading]:
        """The preferred reading followed by the alternatives that have a point."""
        out = []
        if self.has_point:
            out.append(Reading(self.lat, self.lon, self.reading or "preferred reading"))
        out.extend(r for r in self.alternatives if r.lat is not None and r.lon is not None)
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lat": _round(self.lat),
            "lon": _round(self.lon),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "precision_m": None if self.precision_m is None else round(self.precision_m, 3),
            "reading": self.reading,
            "alternatives": [r.to_dict() for r in self.alternatives],
            "warnings": list(self.warnings),
        }
        if self.code is not None:
            out["code"] = self.code
        if self.locality is not None:
            out["locality"] = self.locality
        if self.reference is not None:
            out["reference"] = self.reference
        if self.source != "text":
            out["source"] = self.source
        return out


@dataclass
class Place:
    """A gazetteer candidate: a populated place, country, region or named site.

    Attributes
    ----------
    id : str
        Stable key: ``geonames:2020626``, ``country:RU``, ``admin1:RU-PRI``,
        ``region:ru-far-east``, ``site:sergeevka-training-ground``.
    kind : str
        ``place``, ``country``, ``admin1``, ``region`` or ``site``.
    feature : str
        GeoNames-style class.code (``P.PPL``, ``A.PCLI``, ``A.ADM1``, ``S.MILB``...).
    score : float
        0-1, how well the query matched (1 = exact).
    matched : str
        The name variant the query matched.
    source : str
        The dataset (with version) this record came from.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    feature: str
    country: str | None = None
    admin1: str | None = None
    population: int | None = None
    geonameid: int | None = None
    score: float = 0.0
    matched: str = ""
    source: str = ""
    iso: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "lat": _round(self.lat, 6),
            "lon": _round(self.lon, 6),
            "country": self.country,
            "admin1": self.admin1,
            "feature": self.feature,
            "kind": self.kind,
            "population": self.population,
            "geonameid": self.geonameid,
            "score": round(self.score, 4),
            "matched": self.matched,
            "source": self.source,
        }
        if self.iso:
            out["iso"] = self.iso
        if self.extra:
            out.update(self.extra)
        return out


@dataclass(frozen=True)
class Level:
    """One name of a location phrase's hierarchy, as written.

    ``near Pobeda village, Novoaydarsky district, Luhansk region`` has three levels,
    most specific first: Pobeda (a settlement), Novoaydarsky (a district), Luhansk (a
    first-level region). Qualifiers (the later levels) constrain the candidates of the
    levels before them.

    Attributes
    ----------
    text : str
        The level verbatim, designator included ("Novoaydarsky district").
    start, end : int
        Offsets of ``text`` in the input.
    name : str
        The name without its designator ("Novoaydarsky").
    kinds : tuple of PlaceKind
        The kinds of place the designator allows, most likely first (``(UNKNOWN,)``
        without one).
    designator : str or None
        The designator as written ("district", "обл.", "village of").
    """

    text: str
    start: int
    end: int
    name: str
    kinds: tuple[PlaceKind, ...] = (PlaceKind.UNKNOWN,)
    designator: str | None = None

    @property
    def kind(self) -> PlaceKind:
        return self.kinds[0] if self.kinds else PlaceKind.UNKNOWN

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "name": self.name, "kind": self.kind.value}
        if self.designator:
            out["designator"] = self.designator
        return out


@dataclass
class Claim:
    """A statement in the text about where the subject is (or, with ``role == "mention"``,
    a place named in passing that is not checked).

    Attributes
    ----------
    kind : str
        One of :data:`CLAIM_KINDS`.
    target : str
        The place, region or border phrase the claim refers to ("Primorsky Krai",
        "China").
    feature_hint : str or None
        A feature word that came with the name ("training ground", "oblast").
    distance_km : float or None
        For ``distance`` claims: the stated distance, converted to km.
    distance_text : str or None
        The stated distance verbatim ("about 50 kilometres").
    qualifier : str or None
        "about", "within", "more than", "less than" for distance claims.
    direction : str or None
        Compass point for ``direction`` claims ("N", "NE", ...) or a
        qualifier for containment ("eastern").
    countries : tuple of str
        ISO alpha-2 codes the claim names (for ``border`` claims, the two sides
        where the text gives them).
    location_index : int or None
        The location the text ties this claim to, when it does.
    role : str
        ``claim`` or ``mention``.
    reason : str
        Why a mention is not a claim ("nationality", "destination", ...).
    chain : tuple of Level
        The location phrase's hierarchy, most specific first (the target's level, then
        the qualifiers that hold it). Empty for claims that have none (borders).
    anchors : tuple of str
        For ``between`` claims: the places the subject lies between (or the ends of the
        road it is on).
    alternatives : tuple of Claim
        For a list of places ("near Donetsk, Debaltseve and Horlivka"; "A; B"): each listed
        claim. The claim holds when any of them does.
    """

    text: str
    start: int
    end: int
    kind: str
    target: str
    feature_hint: str | None = None
    distance_km: float | None = None
    distance_text: str | None = None
    qualifier: str | None = None
    direction: str | None = None
    countries: tuple[str, ...] = ()
    location_index: int | None = None
    role: str = "claim"
    reason: str = ""
    chain: tuple[Level, ...] = ()
    anchors: tuple[str, ...] = ()
    alternatives: tuple[Claim, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "target": self.target,
        }
        for name in ("feature_hint", "distance_km", "distance_text", "qualifier", "direction", "location_index"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.countries:
            out["countries"] = list(self.countries)
        if self.anchors:
            out["anchors"] = list(self.anchors)
        if self.alternatives:
            out["alternatives"] = [{"text": a.text, "kind": a.kind, "target": a.target} for a in self.alternatives]
        if self.role == "mention":
            out["reason"] = self.reason
        return out


def _evidence_dict(evidence: Any) -> dict[str, Any]:
    return evidence.to_dict() if hasattr(evidence, "to_dict") else dict(evidence)


@dataclass
class Check:
    """The outcome of testing one claim against one location (one reading of it).

    ``evidence`` is a :class:`geoverify.checks.evidence.Evidence` (a read-only mapping
    over its JSON form); plain dictionaries are accepted too.
    """

    location_index: int
    verdict: Verdict
    evidence: Any = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location_index, "verdict": self.verdict, **_evidence_dict(self.evidence)}


@dataclass
class ClaimResult:
    """A claim with its overall verdict and the check behind each location.

    In JSON the claim gains ``chain`` (each level of its location phrase as it was
    resolved) and ``reading`` (which reading of it decided the verdict), from the deciding
    check's evidence.
    """

    claim: Claim
    verdict: Verdict
    evidence: Any = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    def views(self) -> list[ClaimView]:
        """The claim and each qualifying level of its chain as claims of their own
        ("Sergeevka, Primorsky Krai" is also "Primorsky Krai", within, with the level's own
        verdict): what case files and reports match expectations against."""
        out = [ClaimView(self.claim.text, str(self.claim.kind), self.verdict, _evidence_dict(self.evidence), self)]
        chain = _evidence_dict(self.evidence).get("chain") or []
        for level in chain[1:]:
            if "verdict" not in level:
                continue
            kind = "within" if level.get("kind") in ("country", "admin1", "admin2", "admin3") else "place"
            ev = {
                k: level[k]
                for k in (
                    "distance_km",
                    "threshold_km",
                    "reference",
                    "reference_id",
                    "inside",
                    "distance_to_edge_km",
                    "tolerance_km",
                    "reason",
                )
                if k in level
            }
            out.append(ClaimView(level.get("text") or level.get("name", ""), kind, Verdict(level["verdict"]), ev, self))
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self.claim.to_dict()
        out["verdict"] = self.verdict
        ev = _evidence_dict(self.evidence)
        chain = ev.get("chain")
        if chain:
            out["chain"] = chain
        if ev.get("reading"):
            out["reading"] = ev["reading"]
        out["evidence"] = ev
        out["checks"] = [c.to_dict() for c in self.checks]
        return out


@dataclass(frozen=True)
class ClaimView:
    """A claim, or one qualifying level of a claim's chain, seen as a claim (see
    :meth:`ClaimResult.views`)."""

    text: str
    kind: str
    verdict: Verdict
    evidence: dict[str, Any]
    result: ClaimResult

    @property
    def claim(self) -> Claim:
        """The claim this view is (or is a level of)."""
        return self.result.claim


@dataclass
class Report:
    """Everything ``verify`` found and measured."""

    locations: list[Location] = field(default_factory=list)
    claims: list[ClaimResult] = field(default_factory=list)
    mentions: list[Claim] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: The pairs of locations not meant to be one place, summed up (how many, the closest,
    #: the farthest; see :mod:`geoverify.checks.compare`); ``None`` when not measured.
    other_pairs: dict[str, Any] | None = None

    @property
    def verdict(self) -> str:
        """``inconsistent`` if any claim is, else ``consistent`` if any claim is,
        else ``unverifiable``."""
        return overall_verdict(
            [c.verdict for c in self.claims] + [c["verdict"] for c in self.comparisons if "verdict" in c]
        )

    @property
    def exit_status(self) -> int:
        return 1 if self.verdict == INCONSISTENT else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "locations": [loc.to_dict() for loc in self.locations],
            "claims": [c.to_dict() for c in self.claims],
            "mentions": [m.to_dict() for m in self.mentions],
            "comparisons": self.comparisons,
            "other_pairs": self.other_pairs,
            "verdict": self.verdict,
            "warnings": self.warnings,
            "sources": self.sources,
        }
