"""Greedy label placement in screen space, shared by the renderers.

Labels are tried in order of priority at eight positions around their anchor;
the first position whose box stays inside the frame and overlaps no placed
label or marker wins. A label that finds no room is dropped, unless it is
marked ``keep`` (a location's own label), in which case it takes its first
position anyway. Text widths are estimated from the font size (DejaVu Sans
averages about 0.58 em per character), which is good enough to keep labels
apart without asking the renderer to lay out text.
"""

from __future__ import annotations

from dataclasses import dataclass

CHAR_EM = 0.58
#: (dx, dy, horizontal alignment, vertical alignment) in units of the offset, screen y down.
POSITIONS = (
    (1, -1, "left", "bottom"),
    (1, 1, "left", "top"),
    (-1, -1, "right", "bottom"),
    (-1, 1, "right", "top"),
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, -1.4, "center", "bottom"),
    (0, 1.4, "center", "top"),
)


@dataclass
class LabelRequest:
    key: int
    x: float  # anchor, screen pixels (y down)
    y: float
    text: str
    font_px: float
    priority: int
    offset: float = 9.0
    keep: bool = False
    centered: bool = False  # try the anchor itself first (area labels)
    extra_px: float = 0.0  # width added for a badge


@dataclass
class PlacedLabel:
    key: int
    x: float  # text anchor point, screen pixels
    y: float
    ha: str
    va: str
    box: tuple[float, float, float, float]


def text_size(text: str, font_px: float) -> tuple[float, float]:
    lines = text.split("\n")
    return max(len(t) for t in lines) * font_px * CHAR_EM, len(lines) * font_px * 1.25


def _box(x, y, w, h, ha, va, pad=2.0):
    if ha == "left":
        x0 = x
    elif ha == "right":
        x0 = x - w
    else:
        x0 = x - w / 2
    if va == "bottom":
        y0 = y - h
    elif va == "top":
        y0 = y
    else:
        y0 = y - h / 2
    return (x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad)


def _overlaps(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def place_labels(
    requests: list[LabelRequest], width: float, height: float, obstacles: list[tuple[float, float, float, float]] = ()
) -> list[PlacedLabel]:
    """Place as many labels as fit without overlapping, highest priority first."""
    placed: list[PlacedLabel] = []
    taken = list(obstacles)
    for req in sorted(requests, key=lambda r: -r.priority):
        w, h = text_size(req.text, req.font_px)
        w += req.extra_px
        options = []
        if req.centered:
            options.append((req.x, req.y, "center", "center"))
        for dx, dy, ha, va in POSITIONS:
            options.append((req.x + dx * req.offset, req.y + dy * req.offset, ha, va))
        chosen = None
        for x, y, ha, va in options:
            bx = _box(x, y, w, h, ha, va)
            if bx[0] < 0 or bx[1] < 0 or bx[2] > width or bx[3] > height:
                continue
            if any(_overlaps(bx, t) for t in taken):
                continue
            chosen = (x, y, ha, va, bx)
            break
        if chosen is None and req.keep:
            x, y, ha, va = options[0]
            chosen = (x, y, ha, va, _box(x, y, w, h, ha, va))
        if chosen is None:
            continue
        x, y, ha, va, bx = chosen
        taken.append(bx)
        placed.append(PlacedLabel(req.key, x, y, ha, va, bx))
    return placed
