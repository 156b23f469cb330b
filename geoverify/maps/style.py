"""Colours, line styles and symbols shared by every map renderer.

Verdict colours follow the usual traffic-light reading and stay
distinguishable for the common colour-vision deficiencies (ColorBrewer
RdYlGn ends with an amber, not a yellow, for "cannot tell"); each verdict
also carries a symbol (✓ ✗ ?) so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from geoverify.model import CONSISTENT, INCONSISTENT, UNVERIFIABLE

VERDICT_COLOURS = {
    CONSISTENT: "#1a9641",
    INCONSISTENT: "#d7191c",
    UNVERIFIABLE: "#e08a00",
}
VERDICT_SYMBOLS = {CONSISTENT: "✓", INCONSISTENT: "✗", UNVERIFIABLE: "?"}
VERDICT_WORDS = {
    CONSISTENT: "consistent",
    INCONSISTENT: "inconsistent",
    UNVERIFIABLE: "cannot be checked",
}

SEA = "#dcebf5"
LAND = "#f4f1ea"
LAND_EDGE = "#8c8c8c"
ADMIN1_EDGE = "#a9a9a9"
COUNTRY_LABEL = "#6b6b6b"
LOCATION = "#1f3b99"
REFERENCE = "#222222"
BORDER = "#5b2a86"
INK = "#1d1d1d"
MUTED = "#5d5d5d"


def verdict_colour(verdict: str) -> str:
    return VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[UNVERIFIABLE])


@dataclass(frozen=True)
class Style:
    """How one feature is drawn. Sizes are in screen points/pixels at 100 dpi.

    Attributes
    ----------
    stroke : str or None
        Outline or line colour.
    width : float
        Line width.
    dash : str or None
        ``"dash"``, ``"dot"`` or ``"dashdot"``; ``None`` for solid.
    fill : str or None
        Fill colour of polygons (and of markers).
    fill_opacity : float
        0-1.
    opacity : float
        0-1, of the stroke.
    marker : str or None
        For points: ``"circle"``, ``"diamond"``, ``"square"``, ``"triangle"``, ``"star"``, ``"cross"``.
    size : float
        Marker diameter.
    hollow : bool
        Draw the marker's outline only.
    zorder : int
        Drawing order (higher on top).
    """

    stroke: str | None = INK
    width: float = 1.0
    dash: str | None = None
    fill: str | None = None
    fill_opacity: float = 0.0
    opacity: float = 1.0
    marker: str | None = None
    size: float = 8.0
    hollow: bool = False
    zorder: int = 10

    def but(self, **changes) -> Style:
        return replace(self, **changes)


COUNTRY_STYLE = Style(stroke=LAND_EDGE, width=0.7, fill=LAND, fill_opacity=1.0, zorder=1)
ADMIN1_STYLE = Style(stroke=ADMIN1_EDGE, width=0.5, dash="dot", zorder=2)
LOCATOR_LAND = Style(stroke="#9a9a9a", width=0.3, fill="#e9e4d8", fill_opacity=1.0, zorder=1)


def region_style(verdict: str) -> Style:
    """A region a claim names: tinted in the verdict's colour, solid outline."""
    c = verdict_colour(verdict)
    return Style(stroke=c, width=2.4, fill=c, fill_opacity=0.06, zorder=4)


def zone_style(verdict: str) -> Style:
    """The area a claim allows (threshold ring, buffer, sector): dashed edge, light fill."""
    c = verdict_colour(verdict)
    return Style(stroke=c, width=1.8, dash="dash", fill=c, fill_opacity=0.09, zorder=5)


def border_style(verdict: str | None = None) -> Style:
    """A border line a claim refers to."""
    return Style(stroke=BORDER, width=2.6, opacity=0.9, zorder=6)


def measure_style(verdict: str) -> Style:
    """The measured distance: a solid line in the verdict's colour."""
    return Style(stroke=verdict_colour(verdict), width=2.0, zorder=8)


def comparison_style(verdict: str | None) -> Style:
    return Style(stroke=verdict_colour(verdict) if verdict else MUTED, width=1.2, dash="dot", zorder=8)


LOCATION_STYLE = Style(
    stroke="#ffffff", width=1.2, fill=LOCATION, fill_opacity=1.0, marker="circle", size=11.0, zorder=12
)
ALTERNATIVE_STYLE = Style(stroke=LOCATION, width=1.6, fill=None, marker="circle", size=11.0, hollow=True, zorder=11)
PRECISION_STYLE = Style(stroke=LOCATION, width=0.9, fill=LOCATION, fill_opacity=0.12, zorder=9)
REFERENCE_STYLE = Style(
    stroke="#ffffff", width=1.0, fill=REFERENCE, fill_opacity=1.0, marker="diamond", size=10.0, zorder=11
)
NEAREST_STYLE = Style(stroke=INK, width=1.0, fill="#ffffff", fill_opacity=1.0, marker="square", size=6.0, zorder=11)
PLACE_STYLE = Style(stroke="#ffffff", width=0.8, fill="#444444", fill_opacity=1.0, marker="circle", size=6.0, zorder=10)
DETAIL_FRAME_STYLE = Style(stroke=INK, width=1.0, dash="dash", zorder=13)
PLACE_LABEL = "#3a3a3a"
#: Beyond the basemap's coverage (a view wider than the data drawn): neutral grey, never sea.
NO_DATA = "#d4d4d4"
