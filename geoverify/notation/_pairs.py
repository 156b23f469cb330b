"""What the coordinate readers share and what is cheap to import: the notation names, the
warnings' wording, the mark tests and the choice of which unlettered value is the latitude.

:mod:`geoverify.notation.coordinates` (the prose scanner, with large regular expressions)
and :mod:`geoverify.notation.parse` (one string known to be a location) both use it, so a
point given on the command line is read without compiling the prose scanner.
"""

from __future__ import annotations

from geoverify.model import Reading
from geoverify.notation._normalise import TRUE_DEGREE_CHARS

NOTATION_NAMES = {
    "decimal": "decimal degrees",
    "ddm": "degrees and decimal minutes",
    "dms": "degrees, minutes and seconds",
}

#: The warning on a pair written with decimal commas.
DECIMAL_COMMAS = "decimal commas read as decimal points"


def _is_true_deg(tok: str | None) -> bool:
    return bool(tok) and (tok[0] in TRUE_DEGREE_CHARS or tok[:3].lower() == "deg")


def _is_weak(tok: str | None) -> bool:
    return bool(tok) and tok in ("*", "d", "m", "s")


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def unlettered(a: float, b: float, name: str, step1: float, step2: float, alternatives: list, warnings: list):
    """Which of two unlettered, unlabelled values is the latitude (written order: ``a, b``).

    Returns ``(lat, lon, reading, lat_step, lon_step)``, adding the other order to
    ``alternatives`` (with a warning) when both orders are valid, or a message saying why
    neither is (a ``str``)."""
    first = -90 <= a <= 90 and -180 <= b <= 180
    second = -90 <= b <= 90 and -180 <= a <= 180
    if first:
        if second and a != b:
            alternatives.append(Reading(b, a, f"{name}, longitude first"))
            warnings.append(
                "both values are within ±90, so either could be the latitude: read "
                "latitude first (the usual order); longitude first is listed as an "
                "alternative"
            )
        return a, b, f"{name}, latitude first", step1, step2
    if second:
        warnings.append(
            f"{_fmt(a)} cannot be a latitude, so the pair is read longitude first "
            f"(latitude {_fmt(b)}, longitude {_fmt(a)})"
        )
        return b, a, f"{name}, longitude first", step2, step1
    if abs(a) > 180 or abs(b) > 180:
        return (
            f"values {_fmt(a)}, {_fmt(b)} are out of range: "
            "no reading gives a latitude within ±90 and a longitude within ±180"
        )
    return f"values {_fmt(a)}, {_fmt(b)} are out of range: neither is a latitude within ±90"
