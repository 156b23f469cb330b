"""One input row → one result: the location the row is checked at, its text verified, the verdict.

Where a row is
--------------
In this order, from the options (:class:`RowSpec`):

- ``--lat-column`` and ``--lon-column``: decimal degrees (text or numbers; a
  decimal comma is not accepted: it could be a separator), or each value in another
  notation the one location parser reads (``4°22'N`` / ``18°35'E``, ``40 7 22.8`` /
  ``-74 7 22.8``), the columns saying which is the latitude. The notation's own
  precision is half a unit of the last decimal given (``4.37`` → ±557 m), as for
  ``--at 4.37,18.58``.
- ``--coord-column`` (alias ``--location-column``): one location per row in any
  notation :func:`geoverify.pipeline.parse_location` reads — the one parser of every
  point argument (``4.3667, 18.5833``, ``4 22 0 N, 18 35 0 E``, DMS, MGRS, UTM, a full
  plus code, a short plus code with its locality).
- the input's point geometry (GeoJSON, GeoPackage, GeoParquet), reprojected to
  WGS84, when no column is named and ``use_geometry`` is set.
- otherwise none: the claims are checked against the locations found in the text
  itself, if any.

A malformed or out-of-range value does not stop the run: that row is
``unverifiable`` with a reason naming the column and the value.

How precise it is
-----------------
The row's location gets a precision radius (``precision_m``), which every
check adds to its threshold (see :mod:`geoverify.thresholds`), so a location
known to ±25 km is not called inconsistent for being 20 km off:

==============================  ==========================================================
``--precision-scheme``          meaning of ``--precision-column``
==============================  ==========================================================
``ucdp``                        UCDP GED ``where_prec``: 1 exact place (the notation's own
                                precision only); 2 within about 25 km of the place (+25 km);
                                3 only the second-order administrative division is known,
                                the point is its centroid (+50 km, about the radius of a
                                disc as large as a typical admin-2 unit, e.g. a CAR
                                sub-prefecture: 623,000 km² / 72 ≈ 8,700 km² → r ≈ 53 km);
                                4 only the first-order division (+150 km: a CAR prefecture
                                averages about 35,000 km², r ≈ 105 km, and the largest reach
                                about 150 km from their centroids); 5 a linear feature or an
                                area spanning several regions, 6 only the country, 7 seas or
                                airspace: **not tested**, the row is ``unverifiable`` with the
                                reason "location too vague (where_prec N)"
``m``                           a radius in metres
``km``                          a radius in kilometres
==============================  ==========================================================

``--tolerance-km`` adds the same radius to every row (on top of the scheme's).

How a row is judged
-------------------
The text is verified with :func:`geoverify.pipeline.verify` (``at`` = the row's
location). The row is ``inconsistent`` when any claim is (or when the text gives
two notations of one place that disagree, e.g. a plus code beside coordinates),
``consistent`` when at least one claim is and none is inconsistent, and
``unverifiable`` otherwise: no text, no claim found, no location, a location too
vague, or claims whose places are not in the gazetteer.

Places in one country
---------------------
``--country CC`` (an ISO 3166-1 code or a country name) or ``--country-column``
(a column of them, e.g. UCDP's ``country``) restricts the towns, villages and
named sites a row's claims may refer to to that country; countries, regions and
borders are still looked up anywhere. This is for datasets of one country's
events, where the gazetteer (GeoNames cities500) lacks most villages: without the
restriction a village name it does not know is matched to a similar spelling
abroad ("Pavica" → Pavia, Italy) and the row is reported inconsistent by
thousands of kilometres; with it, the claim is ``unverifiable`` ("not found").
A name that does refer to a town in another country then goes unchecked.

Short texts (at most 40 words: UCDP ``where_description`` values such as
"Bangassou town", "40 km north of Bria", "Obo town (north of)") are
*descriptions* for :mod:`geoverify.claims.extract`: every place they name is a
claim about the event. Longer texts follow the article rules (places named in
passing are mentions, not checked) unless ``all_mentions`` is set.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from geoverify.errors import DataError, GeoverifyError, InputError, ParseError
from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Location, Report

log = logging.getLogger(__name__)

#: The columns the batch adds to every row, in order.
RESULT_COLUMNS = (
    "verdict",
    "n_consistent",
    "n_inconsistent",
    "n_unverifiable",
    "worst_claim",
    "worst_measured",
    "worst_threshold",
    "measured_km",
    "threshold_km",
    "worst_reference",
    "reason",
    "evidence",
)

#: UCDP GED ``where_prec`` → radius added to the location's precision (metres).
UCDP_PRECISION_M = {1: 0.0, 2: 25_000.0, 3: 50_000.0, 4: 150_000.0}
#: UCDP GED ``where_prec`` codes too vague to test a claim against (5 linear feature or
#: multi-region area, 6 country, 7 international waters or airspace).
UCDP_VAGUE = (5, 6, 7)
PRECISION_SCHEMES = ("ucdp", "m", "km")

#: Metres per degree of latitude used for the notation's precision (as for ``--at``).
_M_PER_DEGREE = 111_320.0

VerifyFn = Callable[..., Report]


@dataclass(frozen=True)
class RowSpec:
    """Which columns hold what, and how rows are checked.

    Attributes
    ----------
    text_column : str
        The free-text description of each row.
    lat_column, lon_column : str or None
        Decimal-degree coordinates (both or neither).
    location_column : str or None
        One free-text location per row (instead of lat/lon).
    precision_column, precision_scheme : str or None
        A column giving each location's precision and how to read it
        (:data:`PRECISION_SCHEMES`; see the module docstring).
    tolerance_km : float
        A radius added to every row's location precision.
    all_mentions : bool
        Also check places named in passing in long texts.
    use_geometry : bool
        Take the location from the input's point geometry when no column is named.
    country : str or None
        ISO 3166-1 alpha-2 code: towns, villages and sites are looked up only in it
        (see "Places in one country"; :func:`country_code` reads a name).
    country_column : str or None
        The same, per row, from a column of codes or names.
    """

    text_column: str
    lat_column: str | None = None
    lon_column: str | None = None
    location_column: str | None = None
    precision_column: str | None = None
    precision_scheme: str | None = None
    tolerance_km: float = 0.0
    all_mentions: bool = False
    use_geometry: bool = False
    country: str | None = None
    country_column: str | None = None

    def __post_init__(self):
        if not self.text_column:
            raise InputError("a text column is required (--text-column)")
        if (self.lat_column is None) != (self.lon_column is None):
            raise InputError("give both --lat-column and --lon-column, or neither")
        if self.location_column and self.lat_column:
            raise InputError("give --location-column or --lat-column/--lon-column, not both")
        if self.precision_scheme is not None and self.precision_scheme not in PRECISION_SCHEMES:
            raise InputError(
                f"unknown precision scheme {self.precision_scheme!r} (use one of {', '.join(PRECISION_SCHEMES)})"
            )
        if self.precision_column and not self.precision_scheme:
            raise InputError("--precision-column needs --precision-scheme (ucdp, m or km)")
        if self.precision_scheme and not self.precision_column:
            raise InputError("--precision-scheme needs --precision-column")
        if self.country and self.country_column:
            raise InputError("give --country or --country-column, not both")
        if not (
            isinstance(self.tolerance_km, (int, float)) and math.isfinite(self.tolerance_km) and self.tolerance_km >= 0
        ):
            raise InputError(f"--tolerance-km must be a distance ≥ 0, got {self.tolerance_km!r}")

    @property
    def has_location_column(self) -> bool:
        return bool(self.lat_column or self.location_column)

    def input_columns(self) -> list[str]:
        """The input columns these options read."""
        cols = [
            self.text_column,
            self.lat_column,
            self.lon_column,
            self.location_column,
            self.precision_column,
            self.country_column,
        ]
        return [c for c in cols if c]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RowCells(NamedTuple):
    """The cells of one row a worker needs (small, cheap to send between processes)."""

    text: Any
    lat: Any = None
    lon: Any = None
    location: Any = None
    precision: Any = None
    point: Any = None  # (lon, lat) WGS84, None, or a non-point geometry's type name
    country: Any = None


def cells_of(record: dict[str, Any], spec: RowSpec, point: Any = None) -> RowCells:
    """Pick the cells ``spec`` needs out of one input record."""
    get = record.get
    return RowCells(
        get(spec.text_column),
        get(spec.lat_column) if spec.lat_column else None,
        get(spec.lon_column) if spec.lon_column else None,
        get(spec.location_column) if spec.location_column else None,
        get(spec.precision_column) if spec.precision_column else None,
        point if spec.use_geometry and not spec.has_location_column else None,
        get(spec.country_column) if spec.country_column else spec.country,
    )


class RowProblem(Exception):
    """A row that cannot be verified as given (the reason goes into the row's result).

    ``key`` is the reason without the row's own values, counted in the summary.
    """

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key or message


# -- the location -----------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _decimals(text: str) -> int:
    text = text.strip().lower()
    if "e" in text:
        mantissa, _, exp = text.partition("e")
        try:
            return max(0, _decimals(mantissa) - int(exp))
        except ValueError:
            return 0
    return len(text.split(".", 1)[1]) if "." in text else 0


def notation_precision_m(*texts: str) -> float:
    """Half a unit of the last decimal given, in metres (per degree of latitude), as for ``--at``."""
    decimals = max((_decimals(t) for t in texts), default=0)
    if decimals >= 8:
        return 0.001
    return 0.5 * _M_PER_DEGREE * 10 ** (-decimals)


def _coordinate(value: Any, column: str, what: str, limit: float) -> tuple[float, str]:
    if isinstance(value, bool):
        raise RowProblem(
            f"{what} {value!r} in column {column!r} is not a number", f"{what} in column {column!r} is not a number"
        )
    if isinstance(value, int):
        number, text = float(value), str(int(value))
    elif isinstance(value, float):  # numpy floats too
        number = float(value)
        text = repr(number)
    elif hasattr(value, "item") and hasattr(value, "dtype"):  # numpy scalar
        number = float(value.item())
        text = repr(value.item())
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise RowProblem(
                f"{what} {text!r} in column {column!r} is not a number", f"{what} in column {column!r} is not a number"
            ) from None
    if not math.isfinite(number):
        raise RowProblem(
            f"{what} {text!r} in column {column!r} is not a finite number",
            f"{what} in column {column!r} is not a number",
        )
    if not -limit <= number <= limit:
        raise RowProblem(
            f"{what} {number:g} in column {column!r} out of range [-{limit:g}, {limit:g}]",
            f"{what} in column {column!r} out of range [-{limit:g}, {limit:g}]",
        )
    return number, text


def _precision_extra_m(cells: RowCells, spec: RowSpec) -> tuple[float, str]:
    """The radius (m) the precision column and ``tolerance_km`` add, and a note saying so."""
    extra, notes = 0.0, []
    if spec.precision_scheme:
        col, value = spec.precision_column, cells.precision
        if _missing(value):
            raise RowProblem(f"no precision in column {col!r}")
        if spec.precision_scheme == "ucdp":
            code = _ucdp_code(value, col)
            if code in UCDP_VAGUE:
                raise RowProblem(f"location too vague ({col} {code})")
            extra = UCDP_PRECISION_M[code]
            notes.append(f"{col} {code}: +{extra / 1000:g} km" if extra else f"{col} {code}: exact place")
        else:
            try:
                radius = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
            except ValueError:
                raise RowProblem(
                    f"precision {value!r} in column {col!r} is not a number",
                    f"precision in column {col!r} is not a number",
                ) from None
            if not math.isfinite(radius) or radius < 0:
                raise RowProblem(
                    f"precision {value!r} in column {col!r} is not a distance ≥ 0",
                    f"precision in column {col!r} is not a distance ≥ 0",
                )
            extra = radius * (1000.0 if spec.precision_scheme == "km" else 1.0)
            notes.append(f"{col} {value}: +{extra / 1000:g} km")
    if spec.tolerance_km:
        extra += spec.tolerance_km * 1000.0
        notes.append(f"--tolerance-km: +{spec.tolerance_km:g} km")
    return extra, "; ".join(notes)


def _ucdp_code(value: Any, column: str) -> int:
    if isinstance(value, bool):
        raise RowProblem(
            f"{column} {value!r} is not a UCDP precision code (1-7)", f"{column} is not a UCDP precision code (1-7)"
        )
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        number = float("nan")
    if not (math.isfinite(number) and number == int(number) and 1 <= number <= 7):
        raise RowProblem(
            f"{column} {value!r} is not a UCDP precision code (1-7)", f"{column} is not a UCDP precision code (1-7)"
        )
    return int(number)


def row_location(cells: RowCells, spec: RowSpec) -> Location | None:
    """The location a row is checked at, with its precision; ``None`` when the row names none.

    Raises
    ------
    RowProblem
        A malformed, missing-half or out-of-range value, or a location too vague to test.
    """
    loc: Location | None = None
    widening = None
    if spec.precision_scheme and not _missing(cells.precision):
        widening = _precision_extra_m(cells, spec)  # a vague code makes any row unverifiable
    if spec.lat_column:
        lat_missing, lon_missing = _missing(cells.lat), _missing(cells.lon)
        if lat_missing and lon_missing:
            return None
        if lat_missing or lon_missing:
            gone = spec.lat_column if lat_missing else spec.lon_column
            raise RowProblem(f"no value in column {gone!r}")
        try:
            lat, lat_text = _coordinate(cells.lat, spec.lat_column, "latitude", 90.0)
            lon, lon_text = _coordinate(cells.lon, spec.lon_column, "longitude", 180.0)
        except RowProblem:
            loc = _columns_in_any_notation(cells, spec)
            if loc is None:
                raise
        else:
            text = f"{lat_text}, {lon_text}"
            loc = Location(
                lat=lat,
                lon=lon,
                kind="decimal",
                text=text,
                start=0,
                end=len(text),
                precision_m=notation_precision_m(lat_text, lon_text),
                reading=f"decimal degrees from columns {spec.lat_column}/{spec.lon_column}",
                source="--at",
            )
    elif spec.location_column:
        if _missing(cells.location):
            return None
        from geoverify.pipeline import parse_location

        value = str(cells.location)
        try:
            loc = parse_location(value)
        except ParseError as exc:
            raise RowProblem(
                f"column {spec.location_column!r}: {exc}", f"column {spec.location_column!r}: not a location"
            ) from None
    elif cells.point is not None:
        if isinstance(cells.point, str):
            raise RowProblem(
                f"the geometry is a {cells.point}, not a point (name --lat-column/--lon-column or --location-column)"
            )
        lon, lat = cells.point
        lat_text, lon_text = repr(round(lat, 9)), repr(round(lon, 9))
        text = f"{lat_text}, {lon_text}"
        loc = Location(
            lat=lat,
            lon=lon,
            kind="decimal",
            text=text,
            start=0,
            end=len(text),
            precision_m=notation_precision_m(lat_text, lon_text),
            reading="point geometry (WGS84)",
            source="--at",
        )
    else:
        return None
    extra, note = widening or _precision_extra_m(cells, spec)
    if extra:
        loc.precision_m = (loc.precision_m or 0.0) + extra
    if note:
        loc.warnings.append(f"precision: {note}")
    return loc


def _columns_in_any_notation(cells: RowCells, spec: RowSpec) -> Location | None:
    """Latitude and longitude columns written in another notation (``4°22'N`` / ``18°35'E``,
    ``40 7 22.8`` / ``-74 7 22.8``), read by the one location parser with the columns saying
    which value is which; ``None`` when they do not read that way."""
    if not (isinstance(cells.lat, str) and isinstance(cells.lon, str)) or "," in cells.lat + cells.lon:
        return None  # a comma in one column could be a decimal comma or a separator
    from geoverify.pipeline import parse_location

    try:
        loc = parse_location(f"{cells.lat.strip()}, {cells.lon.strip()}")
    except ParseError:
        return None
    if loc.kind not in ("decimal", "ddm", "dms") or "longitude first" in loc.reading:
        return None
    # the columns say which value is the latitude: the other order is not a reading
    loc.alternatives = [a for a in loc.alternatives if "longitude first" not in a.reading]
    loc.warnings = [w for w in loc.warnings if "either could be the latitude" not in w]
    loc.reading = f"{loc.reading} from columns {spec.lat_column}/{spec.lon_column}"
    return loc


# -- the result -------------------------------------------------------------------------------
_RANK = {INCONSISTENT: 0, UNVERIFIABLE: 1, CONSISTENT: 2}


def _closeness(result) -> float:
    """How close a claim's measurement is to (or how far beyond) its threshold: 1 = on it."""
    ev = result.evidence
    ratios = []
    d = ev.get("distance_km")
    if ev.get("stated_km") is not None and ev.get("tolerance_km") and d is not None:
        ratios.append(abs(d - ev["stated_km"]) / ev["tolerance_km"])
    elif d is not None and ev.get("threshold_km"):
        ratios.append(d / ev["threshold_km"])
    if ev.get("off_axis_deg") is not None and ev.get("sector"):
        half = ev["sector"].get("half_width_deg") or 0
        if half:
            ratios.append(ev["off_axis_deg"] / half)
    return max(ratios) if ratios else 0.0


def worst_claim(report: Report):
    """The claim that decides the row's verdict: of an inconsistent row, the claim furthest beyond
    its threshold; of a consistent row, the consistent claim nearest its threshold; of an
    unverifiable row, its first claim."""
    if not report.claims:
        return None
    verdict = report.verdict
    deciding = [r for r in report.claims if r.verdict == verdict] or report.claims
    return min(deciding, key=lambda r: (_RANK.get(r.verdict, 1), -_closeness(r), r.claim.start))


#: A quoted name: the quote marks stand apart from letters (an apostrophe between two letters
#: belongs to the name, 'Bangassou's market'), so the apostrophes of "the boundary data's
#: accuracy + the location's precision" are not read as one quotation.
_QUOTED = re.compile(r"(?<!\w)'(?:[^']|(?<=\w)'(?=\w))*'(?!\w)|\"[^\"]*\"|“[^”]*”")
_NUMBER = re.compile(r"(?<![A-Za-z])[-+]?\d+(?:[.,]\d+)*")


def normalise_reason(text: str) -> str:
    """A reason with quoted names and numbers replaced, so that like reasons count together."""
    text = _QUOTED.sub("'…'", text)
    text = _NUMBER.sub("N", text)
    return " ".join(text.split())


def _claim_reason(result) -> str:
    ev = result.evidence
    return str(ev.get("reason") or ev.get("rule") or "no reason given")


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(obj: Any):
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return str(obj)


def _empty_evidence(loc: Location | None, reason: str) -> dict[str, Any]:
    return {
        "locations": [loc.to_dict()] if loc is not None else [],
        "claims": [],
        "mentions": [],
        "comparisons": [],
        "other_pairs": None,
        "verdict": UNVERIFIABLE,
        "warnings": [],
        "sources": [],
        "reason": reason,
    }


def unverifiable_result(
    reason: str, loc: Location | None = None, error: bool = False, key: str | None = None
) -> dict[str, Any]:
    """The result of a row that was not verified (no text, bad location, too vague, an error).

    ``key`` is the reason as counted in the summary (default: ``reason`` normalised).
    """
    out = {
        "verdict": UNVERIFIABLE,
        "n_consistent": 0,
        "n_inconsistent": 0,
        "n_unverifiable": 0,
        "worst_claim": None,
        "worst_measured": None,
        "worst_threshold": None,
        "measured_km": None,
        "threshold_km": None,
        "worst_reference": None,
        "reason": reason,
        "evidence": _json(_empty_evidence(loc, reason)),
        "_lat": loc.lat if loc is not None else None,
        "_lon": loc.lon if loc is not None else None,
        "_reasons": [[key or normalise_reason(reason), None]],
    }
    if error:
        out["_error"] = True
    return out


def report_result(report: Report, loc: Location | None) -> dict[str, Any]:
    """Sum one row's :class:`~geoverify.model.Report` up into the result columns."""
    from geoverify.report import measured, threshold

    counts = {CONSISTENT: 0, INCONSISTENT: 0, UNVERIFIABLE: 0}
    reasons: list[list] = []  # [normalised reason, the claim text it came from]
    for r in report.claims:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
        if r.verdict in (INCONSISTENT, UNVERIFIABLE):
            reasons.append([f"{r.verdict} {r.claim.kind}: {normalise_reason(_claim_reason(r))}", r.claim.text])
    verdict = report.verdict
    worst = worst_claim(report)
    out = {
        "verdict": verdict,
        "n_consistent": counts[CONSISTENT],
        "n_inconsistent": counts[INCONSISTENT],
        "n_unverifiable": counts[UNVERIFIABLE],
        "worst_claim": None,
        "worst_measured": None,
        "worst_threshold": None,
        "measured_km": None,
        "threshold_km": None,
        "worst_reference": None,
        "reason": None,
    }
    bad_comparison = next((c for c in report.comparisons if c.get("verdict") == INCONSISTENT), None)
    if worst is not None and not (bad_comparison and worst.verdict != INCONSISTENT):
        ev = worst.evidence
        out.update(
            worst_claim=worst.claim.text,
            worst_measured=measured(worst) or None,
            worst_threshold=threshold(worst) or None,
            measured_km=_km(ev.get("distance_km")),
            threshold_km=_km(ev.get("threshold_km") if ev.get("threshold_km") is not None else ev.get("tolerance_km")),
            worst_reference=str(ev["reference"]) if ev.get("reference") else None,
        )
        if worst.verdict == INCONSISTENT:
            out["reason"] = (
                f"{worst.claim.kind} claim {worst.claim.text!r}: measured {measured(worst)}, "
                f"allowed {threshold(worst) or '—'} ({ev.get('rule', '')})"
            ).replace(" ()", "")
        elif worst.verdict == UNVERIFIABLE:
            out["reason"] = f"{worst.claim.kind} claim {worst.claim.text!r}: {_claim_reason(worst)}"
    elif bad_comparison is not None:
        a, b = bad_comparison["texts"]
        out.update(
            worst_claim=f"{a} ↔ {b}",
            worst_measured=f"{bad_comparison['distance_m']:g} m",
            worst_threshold=f"≤ {bad_comparison['threshold_m']:g} m",
            measured_km=_km(bad_comparison["distance_m"] / 1000.0),
            threshold_km=_km(bad_comparison["threshold_m"] / 1000.0),
            worst_reference="the same place given twice",
            reason=f"{a!r} and {b!r} should be the same place "
            f"({bad_comparison.get('why_expected', '')}) but are "
            f"{bad_comparison['distance_m']:g} m apart",
        )
        reasons.append(["inconsistent locations: two notations of one place disagree", out["worst_claim"]])
    if not report.claims and bad_comparison is None:
        passing = len(report.mentions)
        out["reason"] = "no location claim found in the text" + (
            f" ({passing} place{'s' if passing != 1 else ''} named in passing, not checked)" if passing else ""
        )
        reasons.append([normalise_reason(out["reason"]), None])
    out["evidence"] = _json(report.to_dict())
    out["_lat"] = loc.lat if loc is not None else None
    out["_lon"] = loc.lon if loc is not None else None
    out["_reasons"] = reasons
    return out


def _km(value: Any) -> float | None:
    """A distance in km as a plain float (``measured_km``/``threshold_km``), ``None`` if there is none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return round(float(value), 4)


def default_verify() -> VerifyFn:
    """The real per-row verifier, :func:`geoverify.pipeline.verify`."""
    from geoverify.pipeline import verify

    return verify


def evaluate(cells: RowCells, spec: RowSpec, verify_fn: VerifyFn | None = None) -> dict[str, Any]:
    """Check one row and return its result columns (plus ``_``-prefixed internal fields).

    Parameters
    ----------
    cells : RowCells
        The row's cells (see :func:`cells_of`).
    spec : RowSpec
    verify_fn : callable, optional
        ``verify_fn(text, at=[Location...], all_mentions=bool) -> Report``; by default
        :func:`geoverify.pipeline.verify`. With a country restriction it is also given
        ``checker=`` (a :class:`~geoverify.checks.checker.ClaimChecker` with a :class:`CountryResolver`).

    Returns
    -------
    dict
        :data:`RESULT_COLUMNS` and ``_lat``/``_lon`` (the location the row was checked at),
        ``_reasons`` (``[normalised reason, claim text]`` of its failing claims, for the summary) and
        ``_error`` (an unexpected error, reported in the row and counted).

    Raises
    ------
    DataError
        The gazetteer or boundary index is missing or broken: no row can be checked.
    """
    verify_fn = verify_fn or default_verify()
    try:
        loc = row_location(cells, spec)
    except RowProblem as exc:
        return unverifiable_result(str(exc), key=exc.key)
    text = "" if _missing(cells.text) else str(cells.text)
    if not text.strip():
        reason = f"no text in column {spec.text_column!r}"
        return unverifiable_result(reason, loc, key=reason)
    extra: dict[str, Any] = {}
    if not _missing(cells.country):
        try:
            extra["checker"] = _country_checker(text, country_code(cells.country))
        except RowProblem as exc:
            if spec.country_column:
                return unverifiable_result(
                    f"column {spec.country_column!r}: {exc}", loc, key=f"column {spec.country_column!r}: not a country"
                )
            raise InputError(f"--country: {exc}") from None
    try:
        report = verify_fn(text, at=[loc] if loc is not None else [], all_mentions=spec.all_mentions, **extra)
    except DataError:
        raise
    except GeoverifyError as exc:
        return unverifiable_result(f"error: {' '.join(str(exc).split())}", loc)
    except Exception as exc:  # a bug in a checker must not sink a run of a million rows
        log.warning("row %r: internal error %s: %s", text[:60], type(exc).__name__, exc)
        return unverifiable_result(f"internal error: {type(exc).__name__}: {exc}", loc, error=True)
    return report_result(report, loc)


#: Kinds of gazetteer entries looked up anywhere under a country restriction.
ANYWHERE_KINDS = ("country", "admin1", "region")


@lru_cache(maxsize=4096)
def country_code(value: Any) -> str:
    """ISO 3166-1 alpha-2 code for a code or a country name ("CF", "CAF", "Central African Republic").

    Raises
    ------
    RowProblem
        The gazetteer knows no such country.
    """
    text = str(value).strip()
    from geoverify.gazetteer import resolve

    found = [p for p in resolve(text, kinds=["country"], limit=3) if p.score >= 0.85]
    if not found:
        raise RowProblem(f"{text!r} is not a country the gazetteer knows")
    return found[0].iso or found[0].country


class CountryResolver:
    """A resolver for :class:`~geoverify.checks.checker.ClaimChecker` that keeps towns, villages and
    sites in one country, and countries, regions and borders anywhere."""

    def __init__(self, iso: str):
        self.iso = iso

    def __call__(self, name: str, near=None, country=None, context=None, limit: int = 10, kinds=None, **kw):
        from geoverify.gazetteer import resolve

        asked = list(kinds) if kinds else None
        local_kinds = [k for k in (asked or ["place", "site"]) if k in ("place", "site")]
        area_kinds = [k for k in asked if k not in ("place", "site")] if asked else list(ANYWHERE_KINDS)
        local = (
            resolve(name, near=near, country=self.iso, context=context, limit=limit, kinds=local_kinds)
            if local_kinds
            else []
        )
        areas = resolve(name, near=near, context=context, limit=limit, kinds=area_kinds) if area_kinds else []
        return sorted(local + areas, key=lambda p: -p.score)[:limit]


_COUNTRY_RESOLVERS: dict[str, CountryResolver] = {}


def _country_checker(text: str, iso: str):
    from geoverify.checks.checker import ClaimChecker

    # one resolver per country, so that the checkers of every row share its memo
    resolver = _COUNTRY_RESOLVERS.setdefault(iso, CountryResolver(iso))
    return ClaimChecker(context=text, resolver=resolver)


def warm_up() -> None:
    """Open the gazetteer and the boundary index (once per process), key the register's names
    and verify one text, so that the first real row does not pay for the loading."""
    from geoverify.gazetteer import get_gazetteer, register

    get_gazetteer()
    try:
        from geoverify.gazetteer.boundaries import get_boundaries
    except ImportError:  # pragma: no cover - the boundary index is part of the install
        get_boundaries = None
    if get_boundaries is not None:
        # a chunk's points are looked up together (runner.prefetch_regions): more than a few
        # build a KD-tree, and scipy is imported once here rather than in the first chunk
        get_boundaries().prefetch_regions([6.54 + k / 100 for k in range(8)], [21.99] * 8)
    from geoverify.pipeline import parse_location

    loc = parse_location((6.54, 21.99))
    report_result(default_verify()("near Bria", at=[loc]), loc)  # and the first row's report modules
    # the Russian spellings of Ukraine's register names (~30,000 names, read and keyed once), asked for
    # by every name the index lacks (most batches have some); a problem is left to the rows that ask
    try:
        register.load(get_gazetteer())
    except GeoverifyError:
        pass


__all__ = [
    "RESULT_COLUMNS",
    "UCDP_PRECISION_M",
    "UCDP_VAGUE",
    "PRECISION_SCHEMES",
    "RowSpec",
    "RowCells",
    "RowProblem",
    "cells_of",
    "row_location",
    "evaluate",
    "report_result",
    "unverifiable_result",
    "worst_claim",
    "normalise_reason",
    "notation_precision_m",
    "default_verify",
    "warm_up",
    "country_code",
    "CountryResolver",
]
