"""The whole flow for one text: extract → resolve → check → a :class:`~geoverify.model.Report`.

- Locations come from the text (:func:`locate`, which also recovers short plus
  codes from their locality) and from ``at`` (locations a verifier holds from
  another source).
- Claims and mentions come from :mod:`geoverify.claims.extract`.
- A claim tied to one location (the locality after a plus code, a phrase next to
  the coordinates) is checked against that location only; every other claim is
  checked against every location. A claim is ``inconsistent`` if any location it
  is checked against contradicts it, ``consistent`` if every location agrees, and
  ``unverifiable`` otherwise (no location, or its name did not resolve).
- Locations are compared with each other: how far apart, and whether they can be
  the same place within their precision. A short plus code recovered beside
  decimal coordinates is expected to be the same place, and that comparison
  counts toward the verdict.
"""

from __future__ import annotations

import itertools
import logging
from typing import Iterable

from geoverify.errors import ParseError
from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Claim, ClaimResult, Location, Report

log = logging.getLogger(__name__)

#: Two locations are "the same place" when their distance is within the sum of
#: their precisions plus this margin (metres).
SAME_PLACE_MARGIN_M = 10.0
#: Locations on the same line, or within this many characters, are "beside" each other.
BESIDE_CHARS = 80


def locate(text: str) -> list[Location]:
    """Extract locations and recover short plus codes from their locality via the gazetteer.

    Look-alike characters (Arabic-Indic or full-width digits, homoglyphs of ° ′ ″,
    zero-width and bidi controls) are read by the policy of :mod:`geoverify.text.normalise`;
    spans and ``text`` still point into ``text``, and a location whose text needed
    normalising carries a warning saying what was read differently.
    """
    from geoverify.text import normalise as textnorm

    norm = textnorm.normalise(text)
    return textnorm.map_locations(norm, locate_read(norm.text))


def locate_read(text: str) -> list[Location]:
    """:func:`locate` on text that is already normalised (offsets into that text)."""
    from geoverify.notation import extract

    return recover_short_codes(extract(text), text)


def recover_short_codes(locations: list[Location], text: str = "") -> list[Location]:
    """Give every short plus code a position from its locality, with every alternative recovery.

    Every place the locality may name is used as a reference and every distinct
    recovery is kept (``alternatives``, with a warning when they differ). Which
    one comes first: the candidate nearest to coordinates given right beside the
    code (GeoConfirmed writes both), else the gazetteer's ranking in the context
    of the whole text. The comparison of the code with those coordinates then
    tests whether the code's own digits agree with them.
    """
    if not any(loc.kind == "pluscode-short" and not loc.has_point for loc in locations):
        return locations
    from geoverify.notation.pluscodes import recover_short
    from geoverify.gazetteer import recover_pluscode_references

    out = []
    for loc in locations:
        if loc.kind == "pluscode-short" and not loc.has_point:
            beside = next((other for other in locations if other is not loc and other.has_point
                           and other.kind not in ("pluscode-short",) and _beside(text, loc, other)), None)
            near = (beside.lat, beside.lon) if beside is not None else None
            refs = recover_pluscode_references(loc.locality, near=near, context=text or None) \
                if loc.locality else []
            if refs:
                loc = recover_short(loc, refs)
                if beside is not None and len(refs) > 1:
                    loc.warnings.append(
                        f"reference {refs[0]['name']} ({refs[0]['id']}) preferred as the candidate nearest "
                        f"to the coordinates beside the code ({beside.text!r})")
            else:
                loc.warnings.append(
                    f"locality {loc.locality!r} not found in the gazetteer: the short code cannot be placed"
                    if loc.locality else "short plus code without a locality cannot be placed")
        out.append(loc)
    return out


def parse_location(value: str) -> Location:
    """Read one location given on the command line or through ``at=``.

    Accepts every notation :func:`geoverify.notation` understands (plus codes
    included; a short code needs its locality) and a plain ``LAT,LON``.

    Raises
    ------
    ParseError
        Nothing, or more than one location, could be read from ``value``.
    """
    if isinstance(value, Location):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        lat, lon = float(value[0]), float(value[1])
        return _plain_location(lat, lon, f"{lat}, {lon}")
    text = str(value).strip()
    if not text:
        raise ParseError("empty location")
    found = [loc for loc in locate(text)]
    if len(found) == 1:
        loc = found[0]
        loc.source = "--at"
        if not loc.has_point:
            raise ParseError("cannot place this short plus code (give a locality the gazetteer knows)", text)
        return loc
    if len(found) > 1:
        raise ParseError("more than one location in", text)
    plain = _parse_plain_pair(text)
    if plain is None:
        raise ParseError("not a location (expected e.g. '44.3268, 131.6686', 44°19'37\"N 131°40'07\"E, "
                         "an MGRS/UTM reference or a plus code)", text)
    return _plain_location(plain[0], plain[1], text)


def _parse_plain_pair(text: str) -> tuple[float, float] | None:
    import re

    m = re.fullmatch(r"\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*", text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90):
        raise ParseError(f"latitude {lat:g} out of range [-90, 90]", text)
    if not (-180 <= lon <= 180):
        raise ParseError(f"longitude {lon:g} out of range [-180, 180]", text)
    return lat, lon


def _plain_location(lat: float, lon: float, text: str) -> Location:
    decimals = max((len(p.split(".")[1]) if "." in p else 0) for p in text.replace(";", ",").split(","))
    precision = 0.5 * 111_320.0 * 10 ** (-decimals) if decimals < 8 else 0.001
    return Location(lat=lat, lon=lon, kind="decimal", text=text, start=0, end=len(text),
                    precision_m=precision, reading="decimal degrees, latitude first", source="--at")


def verify(text: str, at: Iterable = (), all_mentions: bool = False, checker=None) -> Report:
    """Check every location claim in ``text`` against its locations and ``at``.

    Parameters
    ----------
    text : str
        An article, post or any free text.
    at : iterable of str or Location or (lat, lon)
        Locations from elsewhere (``--at``), checked against every untied claim.
    all_mentions : bool
        Also check places named in passing.

    Returns
    -------
    Report
    """
    from geoverify.text import normalise as textnorm
    from geoverify.claims.extract import extract_claims

    given = [parse_location(a) for a in at]
    norm = textnorm.normalise(text)  # look-alike characters; spans are mapped back to ``text``
    locations = locate_read(norm.text)
    if checker is None:
        from geoverify.checks.checker import ClaimChecker

        checker = ClaimChecker(context=text)
    claims, mentions = extract_claims(norm.text, locations, lookup=checker.lookup)
    textnorm.map_locations(norm, locations)
    textnorm.map_claims(norm, claims)
    textnorm.map_claims(norm, mentions)
    locations += given
    if all_mentions:
        claims = sorted(claims + mentions, key=lambda c: c.start)
        mentions = []
    return _build_report(text, locations, claims, mentions, checker)


def check(at: Iterable, claims: Iterable[str], checker=None) -> Report:
    """Check claims typed separately (``--claim``) against the locations ``at``."""
    from geoverify.claims.extract import parse_claim

    locations = [parse_location(a) for a in at]
    if checker is None:
        from geoverify.checks.checker import ClaimChecker

        checker = ClaimChecker()
    parsed = [c if isinstance(c, Claim) else parse_claim(c, lookup=checker.lookup) for c in claims]
    return _build_report("", locations, parsed, [], checker)


def _build_report(text: str, locations: list[Location], claims: list[Claim], mentions: list[Claim],
                  checker) -> Report:
    from geoverify.checks.checker import ClaimChecker

    checker = checker or ClaimChecker(context=text)
    report = Report(locations=locations, mentions=mentions)
    for claim in claims:
        report.claims.append(check_claim(checker, claim, locations))
    report.comparisons = compare_locations(text, locations)
    for loc in locations:
        report.warnings.extend(f"{loc.text!r}: {w}" for w in loc.warnings)
    report.sources = _sources(report, checker)
    return report


def check_claim(checker, claim: Claim, locations: list[Location]) -> ClaimResult:
    """Check one claim against the location it is tied to, or against every location."""
    if claim.location_index is not None and claim.location_index < len(locations):
        indices = [claim.location_index]
    else:
        indices = list(range(len(locations)))
    if not indices:
        return ClaimResult(claim, UNVERIFIABLE, {"reason": "no location to test against"})
    checks = [checker.check(claim, locations[i], i) for i in indices]
    verdicts = {c.verdict for c in checks}
    if INCONSISTENT in verdicts:
        verdict = INCONSISTENT
    elif verdicts == {CONSISTENT}:
        verdict = CONSISTENT
    else:
        verdict = UNVERIFIABLE
    deciding = next((c for c in checks if c.verdict == verdict), checks[0])
    evidence = dict(deciding.evidence)
    evidence["location"] = deciding.location_index
    if verdict == UNVERIFIABLE and "reason" not in evidence:
        evidence["reason"] = "some locations agree and others could not be tested"
    return ClaimResult(claim, verdict, evidence, checks)


def compare_locations(text: str, locations: list[Location]) -> list[dict]:
    """Distance between every two located locations, and whether they can be the same place."""
    from geoverify.geodesy import inverse

    out = []
    for (i, a), (j, b) in itertools.combinations(enumerate(locations), 2):
        if not (a.has_point and b.has_point):
            continue
        d_km, az = inverse(a.lat, a.lon, b.lat, b.lon)
        limit_m = (a.precision_m or 0.0) + (b.precision_m or 0.0) + SAME_PLACE_MARGIN_M
        same = d_km * 1000.0 <= limit_m
        entry = {
            "locations": [i, j], "texts": [a.text, b.text],
            "distance_km": round(d_km, 4), "distance_m": round(d_km * 1000.0, 1),
            "bearing_deg": round(az, 1), "same_place": same,
            "threshold_m": round(limit_m, 1),
            "rule": "same place when the distance is within the sum of both precisions + "
                    f"{SAME_PLACE_MARGIN_M:g} m",
        }
        if _expected_same(text, a, b):
            entry["verdict"] = CONSISTENT if same else INCONSISTENT
            entry["expected_same"] = True
            entry["why_expected"] = "a short plus code given beside decimal coordinates"
        out.append(entry)
    return out


def _expected_same(text: str, a: Location, b: Location) -> bool:
    """A short plus code next to another notation of the same place (GeoConfirmed style)."""
    kinds = {a.kind, b.kind}
    if "pluscode-short" not in kinds and "pluscode" not in kinds:
        return False
    return _beside(text, a, b)


def _beside(text: str, a: Location, b: Location) -> bool:
    """Two locations from the text with at most a short gap (and two line breaks) between them."""
    if a.source != "text" or b.source != "text" or not text:
        return False
    first, second = sorted((a, b), key=lambda l: l.start)
    between = text[first.end:second.start]
    return len(between) <= BESIDE_CHARS and between.count("\n") <= 2


def _sources(report: Report, checker) -> list[str]:
    seen: list[str] = []
    for result in report.claims:
        for check in result.checks:
            for s in check.evidence.get("sources", []) or []:
                if s and s not in seen:
                    seen.append(s)
    return seen


__all__ = ["verify", "check", "locate", "locate_read", "parse_location", "recover_short_codes", "check_claim",
           "compare_locations"]
