"""Draw a :class:`~geoverify.maps.scene.Scene` as PNG or SVG with matplotlib (Agg, no pyplot).

Layout (for the default 1600 × 1200 pixels):

- a title band with the overall verdict and a one-line reading guide;
- the main map in the scene's azimuthal equidistant frame (distances from the
  location are true, north is up at the location), with a scale bar measured
  geodesically, a north arrow pointing to true north at the map's centre, the
  attribution in a corner, arrows at the edge towards far other readings, and
  a locator inset (the region around, with the map's rectangle) in the side
  panel when the claims leave room, else in the upper corner that hides least;
- a side panel with a zoomed detail of the location when what surrounds it is
  too small to see on the main map, every claim numbered and told in words
  with its verdict, and the symbols' legend.

matplotlib is imported here only, when a map is drawn.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import shapely

from geoverify.maps import style as S
from geoverify.maps.geo import format_km, nice_length
from geoverify.maps.labels import LabelRequest, place_labels
from geoverify.maps.scene import Feature, Scene, fit_aspect, verdict_phrase

DPI = 100
MARKERS = {"circle": "o", "diamond": "D", "square": "s", "triangle": "^", "star": "*", "cross": "X"}
DASHES = {"dash": (0, (5, 3)), "dot": (0, (1, 2)), "dashdot": (0, (6, 2, 1, 2))}
PT = 72.0 / DPI  # points per pixel


def _mpl():
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    matplotlib.rcParams["path.simplify"] = True
    from matplotlib.figure import Figure

    return Figure


# ---------------------------------------------------------------------------- geometry → paths
def _ring_codes(n: int) -> list[int]:
    from matplotlib.path import Path as MPath

    return [MPath.MOVETO] + [MPath.LINETO] * (n - 2) + [MPath.CLOSEPOLY]


def polygon_path(geom):
    """A matplotlib Path for a (multi)polygon, holes included (even-odd by orientation)."""
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes.extend(_ring_codes(len(xy)))
    if not verts:
        return None
    return MPath(np.vstack(verts), codes)


def _parts(geom, kind: str):
    """The simple parts of a geometry of one dimension (``polygon``, ``line`` or ``point``)."""
    if geom is None or geom.is_empty:
        return []
    t = geom.geom_type
    if t.startswith("Multi") or t == "GeometryCollection":
        out = []
        for g in geom.geoms:
            out.extend(_parts(g, kind))
        return out
    if kind == "polygon" and t == "Polygon":
        return [geom]
    if kind == "line" and t in ("LineString", "LinearRing"):
        return [geom]
    if kind == "point" and t == "Point":
        return [geom]
    return []


class _Projector:
    def __init__(self, scene: Scene):
        self.scene = scene
        self.cache: dict[int, object] = {}

    def __call__(self, f: Feature):
        key = id(f)
        if key not in self.cache:
            self.cache[key] = self.scene.frame.forward(f.geometry)
        return self.cache[key]

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.scene.frame.xy(lon, lat)
        return float(x), float(y)


# ---------------------------------------------------------------------------- drawing
def _draw_feature(ax, g, st: S.Style, scale: float = 1.0) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch

    ls = DASHES.get(st.dash, "solid")
    polys = _parts(g, "polygon")
    if polys:
        path = polygon_path(shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0])
        if path is not None:
            if st.fill and st.fill_opacity > 0:
                ax.add_artist(
                    PathPatch(path, facecolor=st.fill, alpha=st.fill_opacity, edgecolor="none", zorder=st.zorder)
                )
            if st.stroke:
                ax.add_artist(
                    PathPatch(
                        path,
                        facecolor="none",
                        edgecolor=st.stroke,
                        lw=st.width * PT * scale,
                        linestyle=ls,
                        alpha=st.opacity,
                        zorder=st.zorder + 0.1,
                        joinstyle="round",
                    )
                )
    lines = _parts(g, "line")
    if lines and st.stroke:
        segs = [np.asarray(line.coords) for line in lines]
        ax.add_collection(
            LineCollection(
                segs,
                colors=st.stroke,
                linewidths=st.width * PT * scale,
                linestyles=ls,
                alpha=st.opacity,
                zorder=st.zorder,
                capstyle="round",
                joinstyle="round",
            )
        )
    pts = _parts(g, "point")
    if pts and st.marker:
        xy = np.asarray([(p.x, p.y) for p in pts])
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            linestyle="none",
            marker=MARKERS.get(st.marker, "o"),
            markersize=st.size * PT * scale,
            markerfacecolor="none" if st.hollow or not st.fill else st.fill,
            markeredgecolor=st.stroke or "none",
            markeredgewidth=st.width * PT,
            zorder=st.zorder,
        )


def _visible(f: Feature, rect) -> bool:
    """Whether ``f`` is drawn in a view ``rect`` (small places only in views narrow enough)."""
    return f.max_view_m is None or (rect[2] - rect[0]) <= f.max_view_m


def _draw_layers(
    ax, scene: Scene, proj: _Projector, rect, *, basemap_labels: bool, scale: float = 1.0, panel: str = "main"
):
    """Draw every layer of ``scene`` into ``ax``, clipped to ``rect`` (frame metres)."""
    clip = shapely.box(*_pad(rect, 0.2))
    _draw_coverage(ax, scene, rect)
    for layer in scene.layers:
        for f in layer.features:
            if not _visible(f, rect):
                continue
            g = proj(f)
            if g is None or g.is_empty:
                continue
            if not shapely.intersects(g, clip):
                continue
            if f.role in ("country", "admin1", "region", "zone", "border") and g.geom_type != "Point":
                g = shapely.clip_by_rect(g, *_pad(rect, 0.2))
            st = f.style
            if f.role == "admin1" and st.fill is None:
                g = g.boundary if g.geom_type.endswith("Polygon") else g
            if panel == "detail" and f.role == "region":
                st = st.but(fill_opacity=0.0)  # at the detail's scale a region is its edge, not a tint
            _draw_feature(ax, g, st, scale)


def _draw_coverage(ax, scene: Scene, rect) -> None:
    """Sea where the basemap is drawn; the no-data grey beyond it (never sea where land is missing)."""
    from matplotlib.patches import Rectangle

    cov = scene.coverage
    if cov is None:
        ax.set_facecolor(S.SEA)
        return
    ax.set_facecolor(S.NO_DATA)
    ax.add_patch(
        Rectangle((cov[0], cov[1]), cov[2] - cov[0], cov[3] - cov[1], facecolor=S.SEA, edgecolor="none", zorder=0)
    )


def _pad(rect, frac):
    w, h = rect[2] - rect[0], rect[3] - rect[1]
    return rect[0] - w * frac, rect[1] - h * frac, rect[2] + w * frac, rect[3] + h * frac


def _label_requests(scene: Scene, proj: _Projector, ax, rect, area_px, detail_rect=None, panel="main"):
    """Label requests (screen pixels, y down) for the features visible in ``ax``."""
    x0, y0, x1, y1 = rect
    wpx, hpx = area_px
    sx = wpx / (x1 - x0)
    reqs, feats = [], {}
    view = shapely.box(*rect)
    for layer in scene.layers:
        for f in layer.features:
            if (not f.label and not f.badge) or not _visible(f, rect):
                continue
            g = proj(f)
            if g is None or g.is_empty:
                continue
            if f.role in ("country", "region") and panel != "main":
                continue
            if f.role in ("country", "admin1"):
                part = shapely.clip_by_rect(g, *view.bounds) if g.geom_type.endswith("Polygon") else None
                if part is None or part.is_empty:
                    continue
                frac = part.area / view.area
                if frac < (0.04 if f.role == "country" else 0.06):
                    continue
                p = part.representative_point()
                ax_, ay_ = p.x, p.y
            elif f.label_at is not None:
                ax_, ay_ = proj.point(*f.label_at)
            elif f.role in ("region", "zone"):
                part = shapely.clip_by_rect(g, *view.bounds)
                if part.is_empty:
                    continue
                p = part.representative_point()
                ax_, ay_ = p.x, p.y
            elif f.role == "border":
                part = shapely.clip_by_rect(g, *view.bounds)
                if part.is_empty:
                    continue
                p = (
                    part.interpolate(0.5, normalized=True)
                    if part.geom_type.endswith("LineString")
                    else part.representative_point()
                )
                ax_, ay_ = p.x, p.y
            else:
                ax_, ay_ = f.anchor() if g.geom_type != "Point" else (None, None)
                if ax_ is None:
                    ax_, ay_ = g.x, g.y
                else:
                    ax_, ay_ = proj.point(ax_, ay_)
            if not (x0 <= ax_ <= x1 and y0 <= ay_ <= y1):
                continue
            px, py = (ax_ - x0) * sx, (y1 - ay_) * sx
            text = _label_text(f)
            font = _font(f)
            key = len(feats)
            feats[key] = (f, ax_, ay_)
            reqs.append(
                LabelRequest(
                    key,
                    px,
                    py,
                    text,
                    font,
                    f.priority,
                    keep=f.role == "location" and f.priority >= 100,
                    centered=f.role in ("country", "admin1", "zone"),
                    extra_px=6 if f.badge else 0,
                )
            )
    return reqs, feats


def _label_text(f: Feature) -> str:
    if f.badge and f.label:
        return f"{f.badge}  {f.label}"
    if f.badge:
        return f"{f.badge}"
    return f.label or ""


def _font(f: Feature) -> float:
    return {
        "country": 13.0,
        "admin1": 10.5,
        "location": 12.5,
        "alternative": 11.0,
        "reference": 11.5,
        "measure": 12.0,
        "zone": 12.0,
        "region": 12.0,
        "border": 11.5,
        "place": 10.5,
    }.get(f.role, 11.0)


def _draw_labels(ax, scene: Scene, proj: _Projector, rect, area_px, panel="main", obstacles=()):
    import matplotlib.patheffects as pe

    reqs, feats = _label_requests(scene, proj, ax, rect, area_px, panel=panel)
    # Markers are obstacles too.
    x0, y0, x1, y1 = rect
    sx = area_px[0] / (x1 - x0)
    obs = list(obstacles)
    for layer in scene.layers:
        for f in layer.features:
            if f.role in ("location", "alternative", "reference", "nearest", "place") and _visible(f, rect):
                g = proj(f)
                if g.geom_type == "Point" and x0 <= g.x <= x1 and y0 <= g.y <= y1:
                    px, py = (g.x - x0) * sx, (y1 - g.y) * sx
                    r = f.style.size / 2 + 1
                    obs.append((px - r, py - r, px + r, py + r))
    placed = place_labels(reqs, area_px[0], area_px[1], obs)
    halo = [pe.withStroke(linewidth=3.0, foreground="white")]
    for p in placed:
        f, _ax, _ay = feats[p.key]
        req = next(r for r in reqs if r.key == p.key)
        dx, dy = p.x / sx + x0, y1 - p.y / sx
        colour = f.label_colour or S.INK
        font_pt = req.font_px * PT
        if f.badge:
            claim = scene.claims[f.claim] if f.claim is not None and f.claim < len(scene.claims) else None
            fc = claim.colour if claim else colour
            ax.text(
                dx,
                dy,
                _label_text(f),
                ha=p.ha,
                va=p.va,
                fontsize=font_pt,
                color="white",
                fontweight="bold",
                zorder=30,
                clip_on=True,
                bbox=dict(boxstyle="round,pad=0.25", fc=fc, ec="white", lw=0.8, alpha=0.95),
            )
        elif f.role == "country":
            ax.text(
                dx,
                dy,
                f.label.upper(),
                ha=p.ha,
                va=p.va,
                fontsize=font_pt,
                color=colour,
                style="italic",
                zorder=3,
                clip_on=True,
                path_effects=halo,
                alpha=0.85,
            )
        elif f.role == "admin1":
            ax.text(
                dx,
                dy,
                f.label,
                ha=p.ha,
                va=p.va,
                fontsize=font_pt,
                color=colour,
                style="italic",
                zorder=3,
                clip_on=True,
                path_effects=halo,
                alpha=0.8,
            )
        else:
            weight = "bold" if f.role in ("location", "region") else "normal"
            ax.text(
                dx,
                dy,
                f.label,
                ha=p.ha,
                va=p.va,
                fontsize=font_pt,
                color=colour,
                fontweight=weight,
                zorder=30,
                clip_on=True,
                path_effects=halo,
            )


def _scale_bar(ax, rect, area_px, frame, where="lower left"):
    """A geodesically measured scale bar: the frame is azimuthal equidistant, true at its centre."""
    x0, y0, x1, y1 = rect
    width_m = x1 - x0
    length = nice_length(width_m * 0.22)
    if length <= 0:
        return
    # Correct for the projection's scale at the bar's place (tiny in an AEQD frame; measured anyway).
    bx = x0 + width_m * 0.04
    by = y0 + (y1 - y0) * 0.05
    lon_a, lat_a = frame.lonlat(bx, by)
    lon_b, lat_b = frame.lonlat(bx + length, by)
    from geoverify.geodesy import distance_km

    true_km = distance_km(float(lat_a), float(lon_a), float(lat_b), float(lon_b))
    draw = length * (length / 1000.0) / true_km if true_km > 0 else length
    h = (y1 - y0) * 0.008
    from matplotlib.patches import Rectangle

    ax.add_patch(
        Rectangle(
            (bx - width_m * 0.01, by - h * 2.2),
            draw + width_m * 0.02 + width_m * 0.045,
            h * 7.5,
            facecolor="white",
            alpha=0.8,
            edgecolor="none",
            zorder=40,
        )
    )
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (bx + draw * i / 4, by),
                draw / 4,
                h,
                facecolor=S.INK if i % 2 == 0 else "white",
                edgecolor=S.INK,
                lw=0.6,
                zorder=41,
            )
        )
    ax.text(bx, by + h * 1.6, "0", fontsize=9, ha="center", va="bottom", zorder=42, color=S.INK)
    label = f"{length / 1000.0:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(bx + draw, by + h * 1.6, label, fontsize=9, ha="center", va="bottom", zorder=42, color=S.INK)


def _north_arrow(ax, rect, frame):
    """An arrow to true north at the map's centre (computed, not assumed)."""
    x0, y0, x1, y1 = rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lon, lat = frame.lonlat(cx, cy)
    lat = float(lat)
    lon = float(lon)
    nx, ny = frame.xy(lon, min(lat + 0.01, 89.999))
    ang = math.atan2(nx - cx, ny - cy)  # clockwise from up
    size = (y1 - y0) * 0.06
    ax_, ay_ = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.19
    dx, dy = math.sin(ang) * size, math.cos(ang) * size
    ax.annotate(
        "",
        xy=(ax_ + dx / 2, ay_ + dy / 2),
        xytext=(ax_ - dx / 2, ay_ - dy / 2),
        arrowprops=dict(arrowstyle="-|>,head_width=0.5,head_length=0.9", color=S.INK, lw=2.2),
        zorder=42,
    )
    ax.text(
        ax_ + dx * 0.85,
        ay_ + dy * 0.85,
        "N",
        ha="center",
        va="center",
        fontsize=13,
        fontweight="bold",
        color=S.INK,
        zorder=42,
    )


def _emptiest_corner(scene: Scene, proj: _Projector, rect, frac=0.4) -> str:
    """The corner of ``rect`` holding the fewest overlay vertices (where the locator goes)."""
    x0, y0, x1, y1 = rect
    w, h = (x1 - x0) * frac, (y1 - y0) * frac
    corners = {"upper right": (x1 - w, y1 - h, x1, y1), "upper left": (x0, y1 - h, x0 + w, y1)}
    score = {k: 0.0 for k in corners}
    for layer in scene.layers:
        if layer.basemap:
            continue
        for f in layer.features:
            g = proj(f)
            weight = 50.0 if f.role in ("location", "alternative", "reference", "nearest") else 1.0
            for k, c in corners.items():
                cb = shapely.box(*c)
                if shapely.intersects(g, cb):
                    part = shapely.clip_by_rect(g, *cb.bounds)
                    score[k] += (
                        weight
                        + (part.area / cb.area * 5 if part.geom_type.endswith("Polygon") else 0)
                        + (part.length / (w + h) if part.geom_type.endswith("LineString") else 0)
                    )
    # the location's surroundings matter most: a corner within a quarter of the map of it is costly
    loc = next((f for f in scene.features(basemap=False) if f.role == "location"), None)
    if loc is not None:
        g = proj(loc)
        reach = 0.25 * min(x1 - x0, y1 - y0)
        for k, c in corners.items():
            if shapely.box(*c).distance(g) < reach:
                score[k] += 25.0
    # the scale bar, north arrow and attribution hold the lower corners
    order = ["upper right", "upper left"]
    return min(order, key=lambda k: (score[k], order.index(k)))


def _locator(fig, scene: Scene, box_px, main_rect, W, H):
    """The locator inset (the region around, with the map's rectangle) in ``box_px`` (figure pixels)."""
    left, bottom, w, h = box_px
    ax = fig.add_axes((left / W, bottom / H, w / W, h / H))
    rect = scene.locator_extent
    ax.set_facecolor(S.SEA)
    for layer in scene.locator_layers:
        for f in layer.features:
            g = scene.frame.forward(f.geometry)
            if g is None or g.is_empty:
                continue
            g = shapely.clip_by_rect(g, *rect)
            _draw_feature(ax, g, f.style)
    # country codes of the biggest countries in view
    view = shapely.box(*rect)
    labelled = []
    for layer in scene.locator_layers:
        for f in layer.features:
            g = shapely.clip_by_rect(scene.frame.forward(f.geometry), *rect)
            if g.is_empty or g.area < view.area * 0.02 or not f.label:
                continue
            labelled.append((g.area, g.representative_point(), f.label))
    import matplotlib.patheffects as pe

    for _a, p, text in sorted(labelled, key=lambda t: -t[0])[:8]:
        ax.text(
            p.x,
            p.y,
            text,
            fontsize=7.5,
            color=S.COUNTRY_LABEL,
            ha="center",
            va="center",
            path_effects=[pe.withStroke(linewidth=2, foreground="white")],
            zorder=5,
        )
    x0, y0, x1, y1 = main_rect
    colour = S.VERDICT_COLOURS.get(scene.verdict, S.INK) if scene.claims else S.LOCATION
    ax.add_patch(_rect_patch((x0, y0, x1, y1), colour, lw=1.6))
    if (x1 - x0) < (rect[2] - rect[0]) * 0.05:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        r = (rect[2] - rect[0]) * 0.04
        from matplotlib.patches import Circle

        ax.add_patch(Circle((cx, cy), r, facecolor="none", edgecolor=colour, lw=1.6, zorder=6))
    ax.set_xlim(rect[0], rect[2])
    ax.set_ylim(rect[1], rect[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_edgecolor(S.INK)
        sp.set_linewidth(0.8)
    span = format_km((rect[2] - rect[0]) / 1000.0)
    ax.text(
        0.02,
        0.02,
        f"locator, {span} across; box = the map",
        transform=ax.transAxes,
        fontsize=7.5,
        color=S.INK,
        va="bottom",
        ha="left",
        path_effects=[pe.withStroke(linewidth=2, foreground="white")],
        zorder=7,
    )
    return ax


def _rect_patch(rect, colour, lw=1.0, dash=None):
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = rect
    return Rectangle(
        (x0, y0),
        x1 - x0,
        y1 - y0,
        facecolor="none",
        edgecolor=colour,
        lw=lw * PT * 1.4,
        linestyle=DASHES.get(dash, "solid") if dash else "solid",
        zorder=35,
    )


def _map_axes(fig, box_px, W, H, rect, scene, proj, *, panel: str, basemap_labels=True, obstacles=()):
    left, bottom, width, height = box_px
    ax = fig.add_axes((left / W, bottom / H, width / W, height / H))
    rect = fit_aspect(rect, width / height)
    ax.set_xlim(rect[0], rect[2])
    ax.set_ylim(rect[1], rect[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_edgecolor(S.INK)
        sp.set_linewidth(0.9)
    _draw_layers(ax, scene, proj, rect, basemap_labels=basemap_labels, panel=panel)
    return ax, rect


def _wrap(text: str, width_px: float, font_px: float) -> list[str]:
    chars = max(int(width_px / (font_px * 0.56)), 10)
    return textwrap.wrap(text, chars) or [""]


def _claims_in_detail(scene: Scene, proj: _Projector) -> set[int]:
    """Claims whose every drawn shape fits in the detail (too small to see on the main map)."""
    if scene.detail is None:
        return set()
    d = shapely.box(*scene.detail)
    shapes: dict[int, list] = {}
    for f in scene.features(basemap=False):
        if f.claim is not None and f.role != "region":
            shapes.setdefault(f.claim, []).append(proj(f))
    return {c for c, gs in shapes.items() if gs and all(d.covers(g) for g in gs)}


class _Dry:
    """Stands in for an axes when the side panel is only measured."""

    def text(self, *args, **kwargs):
        return None

    add_patch = add_line = text


def _side_panel(fig, scene: Scene, box_px, W, H, in_detail: set[int] = frozenset(), reserve: float = 0.0):
    """Claims in words, with their verdicts, then the legend and notes.

    ``fig`` None measures only: the height (px) the facts and claims take. ``reserve`` keeps
    that many pixels free above the legend (for the locator).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left, bottom, width, height = box_px
    if fig is None:
        ax = _Dry()
    else:
        ax = fig.add_axes((left / W, bottom / H, width / W, height / H))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)  # y down, pixels
        ax.axis("off")
    y = 4.0
    fs = 12.0
    for heading, lines in scene.facts:
        ax.text(0, y, heading, fontsize=15 * PT, fontweight="bold", va="top", color=S.INK)
        y += 24
        for line in lines:
            for part in _wrap(line, width - 12, fs)[:2]:
                ax.text(8, y, part, fontsize=fs * PT, va="top", color=S.INK)
                y += 17
        y += 10
    if scene.facts and not scene.claims:
        y = max(y, 0)
    else:
        ax.text(0, y, "Claims checked", fontsize=15 * PT, fontweight="bold", va="top", color=S.INK)
        y += 26
    if not scene.claims and not scene.facts:
        ax.text(0, y, "No location claims were found in the text.", fontsize=fs * PT, va="top", color=S.MUTED)
        y += 22
    budget_bottom = height - 230 - reserve
    for c in scene.claims:
        if y > budget_bottom:
            ax.text(
                0,
                y,
                f"… {len(scene.claims) - c.number + 1} more claims (see the report)",
                fontsize=fs * PT,
                va="top",
                color=S.MUTED,
            )
            y += 20
            break
        ax.add_patch(FancyBboxPatch((2, y + 1), 22, 18, boxstyle="round,pad=0,rounding_size=5", fc=c.colour, ec="none"))
        ax.text(13, y + 10, str(c.number), fontsize=11 * PT, color="white", fontweight="bold", ha="center", va="center")
        where = "" if c.drawn else " (not on the map)"
        if c.drawn and c.number - 1 in in_detail:
            where = " (in the detail)"
        verdict = f"{verdict_phrase(c.verdict)}{where}"
        head = _wrap(f"“{c.text}”", width - 36 - len(verdict) * fs * 0.6, fs)
        ax.text(
            32,
            y + 2,
            head[0] + ("…" if len(head) > 1 else ""),
            fontsize=fs * PT,
            va="top",
            color=S.INK,
            fontweight="bold",
        )
        ax.text(width, y + 2, verdict, fontsize=fs * PT, va="top", ha="right", color=c.colour, fontweight="bold")
        y += 19
        for line in _wrap(c.summary, width - 36, 11.0)[:2]:
            ax.text(32, y, line, fontsize=11.0 * PT, va="top", color=S.MUTED)
            y += 15
        if c.warnings:
            line = _wrap("⚠ " + c.warnings[0], width - 36, 11.0)
            ax.text(32, y, line[0] + ("…" if len(line) > 1 else ""), fontsize=11.0 * PT, va="top", color="#a15c00")
            y += 15
        y += 7
    if fig is None:
        return y
    # legend
    y = max(y + 6, height - 222)
    ax.text(0, y, "Symbols", fontsize=13 * PT, fontweight="bold", va="top", color=S.INK)
    y += 22
    col_w = width / 2
    for i, entry in enumerate(scene.legend[:12]):
        cx = (i % 2) * col_w
        cy = y + (i // 2) * 21
        st = entry.style
        if entry.kind == "marker":
            ax.add_line(
                Line2D(
                    [cx + 12],
                    [cy + 8],
                    marker=MARKERS.get(st.marker, "o"),
                    markersize=st.size * PT,
                    markerfacecolor="none" if st.hollow or not st.fill else st.fill,
                    markeredgecolor=st.stroke if st.stroke != "#ffffff" else S.INK,
                    markeredgewidth=1.0,
                    linestyle="none",
                )
            )
        elif entry.kind == "line":
            ax.add_line(
                Line2D(
                    [cx + 2, cx + 24],
                    [cy + 8, cy + 8],
                    color=st.stroke,
                    lw=st.width * PT,
                    linestyle=DASHES.get(st.dash, "solid"),
                )
            )
        else:
            ax.add_patch(
                Rectangle(
                    (cx + 2, cy + 1), 22, 14, facecolor=st.fill, alpha=max(st.fill_opacity, 0.25), edgecolor="none"
                )
            )
            ax.add_patch(
                Rectangle(
                    (cx + 2, cy + 1),
                    22,
                    14,
                    facecolor="none",
                    edgecolor=st.stroke,
                    lw=st.width * PT,
                    linestyle=DASHES.get(st.dash, "solid"),
                )
            )
        ax.text(cx + 32, cy + 8, entry.label, fontsize=10.0 * PT, va="center", color=S.INK)
    y += ((len(scene.legend[:12]) + 1) // 2) * 21 + 6
    notes = [n for n in scene.notes][:4]
    for note in notes:
        for line in _wrap("note: " + note, width, 10.0)[:2]:
            if y > height - 12:
                break
            ax.text(0, y, line, fontsize=10.0 * PT, va="top", color=S.MUTED)
            y += 14
    return ax


def _attribution(ax, scene: Scene, area_px, max_lines=4):
    import matplotlib.patheffects as pe

    # The licences' credits in full; of the sources, those of the boundaries drawn (the report and
    # the HTML page list every source).
    width_chars = int(area_px[0] * 0.62 / (9.0 * 0.56))
    lines = _wrap(scene.attribution[0], area_px[0] * 0.62, 9.0)[:2] if scene.attribution else []
    drawn = [a for a in scene.attribution[1:] if any(k in a for k in ("OpenStreetMap", "Natural Earth"))]
    for a in drawn[: max_lines - len(lines)]:
        lines.append(a if len(a) <= width_chars else a[: width_chars - 1] + "…")
    text = "\n".join(lines)
    ax.text(
        0.995,
        0.005,
        text,
        transform=ax.transAxes,
        fontsize=9.0 * PT,
        ha="right",
        va="bottom",
        color=S.MUTED,
        zorder=45,
        linespacing=1.25,
        bbox=dict(boxstyle="square,pad=0.35", fc="white", ec="none", alpha=0.8),
        path_effects=[pe.withStroke(linewidth=0, foreground="white")],
    )


MARGIN = 14
TITLE_H = 74


def layout(scene: Scene, width: int = 1600, height: int = 1200, proj: _Projector | None = None) -> dict:
    """Where each panel of a ``width`` × ``height`` image goes, and what it shows.

    Returns a dict: ``main_box``, ``detail_box`` and ``locator_box`` (left, bottom, width, height
    in pixels from the image's lower left, as matplotlib places axes), ``main_rect`` and
    ``detail_rect`` (the view of each, in the scene's frame metres), ``covers`` (boxes drawn over
    the main map: the locator when it sits there, the scale bar, the north arrow, the
    attribution), ``side_left``, ``side_w``, ``side_top``. :func:`pixel_of` reads it to find
    where a geographic point lands in the picture.
    """
    W, H = int(width), int(height)
    side_w = max(min(int(W * 0.31), 560), 300)
    map_w = W - side_w - 3 * MARGIN
    map_h = H - TITLE_H - 2 * MARGIN
    side_left = W - side_w - MARGIN
    rect = scene.view(map_w / map_h)
    out = {
        "W": W,
        "H": H,
        "side_w": side_w,
        "side_left": side_left,
        "main_box": (MARGIN, MARGIN, map_w, map_h),
        "main_rect": rect,
        "detail_box": None,
        "detail_rect": None,
        "locator_box": None,
        "corner": None,
        "covers": [],
    }
    top = H - TITLE_H - MARGIN
    if scene.message:
        return out
    if scene.detail is not None:
        dsize = min(side_w, int(map_h * 0.36))
        out["detail_box"] = (side_left, top - dsize, side_w, dsize)
        out["detail_rect"] = fit_aspect(scene.detail, side_w / dsize)
        top = top - dsize - 30
    out["side_top"] = top
    loc_size = int(min(map_w, map_h) * 0.3)
    # The locator goes in the side panel when the claims leave room above the legend; else in the
    # upper corner of the map that hides least (see _emptiest_corner).
    used = _side_panel(None, scene, (side_left, MARGIN, side_w, top - MARGIN), W, H)
    free_top = (top - MARGIN) - 236 - (loc_size + 24)
    if used <= free_top:
        out["locator_box"] = (side_left, MARGIN + 236, loc_size, loc_size)
        out["locator_in_panel"] = True
    else:
        corner = _emptiest_corner(scene, proj or _Projector(scene), rect)
        out["corner"] = corner
        left = MARGIN + map_w - loc_size - 10 if "right" in corner else MARGIN + 10
        out["locator_box"] = (left, MARGIN + map_h - loc_size - 10, loc_size, loc_size)
        out["locator_in_panel"] = False
        out["covers"].append(out["locator_box"])
    # the scale bar and north arrow (lower left), the attribution (lower right)
    out["covers"] += [
        (MARGIN, MARGIN, int(0.3 * map_w), int(map_h * 0.24)),
        (MARGIN + int(map_w * 0.55), MARGIN, map_w - int(map_w * 0.55), 62),
    ]
    return out


def pixel_of(
    scene: Scene, lat: float, lon: float, width: int = 1600, height: int = 1200, panel: str = "main"
) -> tuple[float, float] | None:
    """Where (lat, lon) is drawn in the image :func:`render` writes: (column, row) in pixels from
    the top left, through the scene's own projection. None when it is outside that panel or, on
    the main map, under something drawn over it (the locator, the scale bar, the attribution)."""
    lay = layout(scene, width, height)
    box = lay[f"{panel}_box"]
    rect = lay[f"{panel}_rect"]
    if box is None:
        return None
    x, y = scene.frame.xy(lon, lat)
    fx, fy = (float(x) - rect[0]) / (rect[2] - rect[0]), (float(y) - rect[1]) / (rect[3] - rect[1])
    if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
        return None
    left, bottom, w, h = box
    cx, cy = left + fx * w, bottom + fy * h
    if panel == "main" and any(b[0] <= cx <= b[0] + b[2] and b[1] <= cy <= b[1] + b[3] for b in lay["covers"]):
        return None
    return cx, lay["H"] - cy


def render(scene: Scene, path: str | Path, fmt: str, width: int = 1600, height: int = 1200) -> Path:
    """Draw ``scene`` to ``path`` as ``png`` or ``svg``, ``width`` × ``height`` pixels."""
    Figure = _mpl()
    W, H = int(width), int(height)
    fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI, facecolor="white")
    proj = _Projector(scene)
    lay = layout(scene, W, H, proj)
    side_w = lay["side_w"]
    # title band
    fig.text(
        MARGIN / W,
        1 - 12 / H,
        scene.title,
        fontsize=21 * PT,
        fontweight="bold",
        va="top",
        ha="left",
        color=S.VERDICT_COLOURS.get(scene.verdict, S.INK) if scene.claims else S.INK,
    )
    sub = _wrap(scene.subtitle, W - 2 * MARGIN, 12.5)
    fig.text(
        MARGIN / W,
        1 - 44 / H,
        "\n".join(sub[:2]),
        fontsize=12.5 * PT,
        va="top",
        ha="left",
        color=S.INK,
        linespacing=1.3,
    )
    main_box = lay["main_box"]
    map_w, map_h = main_box[2], main_box[3]
    if scene.message:
        _message_box(fig, main_box, W, H, scene.message)
        _side_panel(fig, scene, (W - side_w - MARGIN, MARGIN, side_w, H - TITLE_H - 2 * MARGIN), W, H)
        return _save(fig, path, fmt, W, H)
    ax, rect = _map_axes(fig, main_box, W, H, scene.extent, scene, proj, panel="main")
    if scene.detail is not None:
        ax.add_patch(_rect_patch(scene.detail, S.INK, lw=1.2, dash="dash"))
    loc_size = lay["locator_box"][2]
    # obstacles for labels: the locator, scale bar, north arrow and attribution areas (pixels, y down)
    obstacles = (_corner_box(lay["corner"], loc_size, map_w, map_h) if lay["corner"] else []) + [
        (0, map_h * 0.76, 0.3 * map_w, map_h),
        (map_w * 0.55, map_h - 62, map_w, map_h),
    ]
    obstacles += _offmap_arrows(ax, scene, rect, (map_w, map_h))
    _draw_labels(ax, scene, proj, rect, (map_w, map_h), panel="main", obstacles=obstacles)
    if scene.detail is not None:
        _detail_callout(ax, scene, rect, (map_w, map_h))
    _scale_bar(ax, rect, (map_w, map_h), scene.frame)
    _north_arrow(ax, rect, scene.frame)
    _attribution(ax, scene, (map_w, map_h))
    _locator(fig, scene, lay["locator_box"], rect, W, H)
    # side panel
    side_left = lay["side_left"]
    top = H - TITLE_H - MARGIN
    if lay["detail_box"] is not None:
        dbox = lay["detail_box"]
        dsize = dbox[3]
        dax, drect = _map_axes(fig, dbox, W, H, scene.detail, scene, proj, panel="detail")
        _draw_labels(
            dax, scene, proj, drect, (side_w, dsize), panel="detail", obstacles=[(0, dsize - 44, side_w * 0.5, dsize)]
        )
        _scale_bar(dax, drect, (side_w, dsize), scene.frame)
        for sp in dax.spines.values():
            sp.set_linestyle((0, (5, 3)))
        fig.text(
            side_left / W,
            (top + 4) / H,
            f"Detail: {format_km((drect[2] - drect[0]) / 1000.0)} across (dashed box on the map)",
            fontsize=11 * PT,
            va="bottom",
            ha="left",
            color=S.INK,
        )
        top = top - dsize - 30
    reserve = lay["locator_box"][3] + 24 if lay["locator_in_panel"] else 0.0
    _side_panel(
        fig, scene, (side_left, MARGIN, side_w, top - MARGIN), W, H, _claims_in_detail(scene, proj), reserve=reserve
    )
    return _save(fig, path, fmt, W, H)


def _offmap_arrows(ax, scene: Scene, rect, area_px) -> list[tuple]:
    """An arrow at the map's edge towards each off-map thing, labelled; returns the label boxes (px)."""
    import matplotlib.patheffects as pe

    x0, y0, x1, y1 = rect
    sx = area_px[0] / (x1 - x0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    boxes = []
    for item in scene.offmap:
        tx, ty = scene.frame.xy(item.lon, item.lat)
        dx, dy = float(tx) - cx, float(ty) - cy
        if x0 <= float(tx) <= x1 and y0 <= float(ty) <= y1 or (dx == 0 and dy == 0):
            continue
        # stop short of the edge, and well above the bottom band (scale bar, attribution)
        lo_x, hi_x, lo_y, hi_y = x0 + 30.0 / sx, x1 - 30.0 / sx, y0 + 90.0 / sx, y1 - 30.0 / sx
        kx = ((hi_x - cx) / dx if dx > 0 else (lo_x - cx) / dx) if dx else math.inf
        ky = ((hi_y - cy) / dy if dy > 0 else (lo_y - cy) / dy) if dy else math.inf
        k = max(min(kx, ky), 0.0)
        ex, ey = cx + dx * k, cy + dy * k
        length = 46.0 / sx
        norm = math.hypot(dx, dy)
        bx, by = ex - dx / norm * length, ey - dy / norm * length
        ax.annotate(
            "",
            xy=(ex, ey),
            xytext=(bx, by),
            zorder=44,
            arrowprops=dict(arrowstyle="-|>,head_width=0.45,head_length=0.8", color=S.LOCATION, lw=2.0),
        )
        ha = "right" if dx > 0 else "left"
        va = "top" if dy > 0 else "bottom"
        ax.text(
            bx,
            by,
            item.label,
            fontsize=11 * PT,
            color=S.LOCATION,
            ha=ha,
            va=va,
            zorder=44,
            fontweight="bold",
            path_effects=[pe.withStroke(linewidth=3, foreground="white")],
        )
        px, py = (bx - x0) * sx, (y1 - by) * sx
        w = len(item.label) * 11 * 0.6
        bx0 = px - w if ha == "right" else px
        by0 = py if va == "top" else py - 16
        boxes.append((bx0, by0, bx0 + w, by0 + 16))
        ex_px, ey_px = (ex - x0) * sx, (y1 - ey) * sx
        boxes.append((min(px, ex_px) - 6, min(py, ey_px) - 6, max(px, ex_px) + 6, max(py, ey_px) + 6))
    return boxes


def _message_box(fig, box_px, W, H, message: str) -> None:
    left, bottom, width, height = box_px
    ax = fig.add_axes((left / W, bottom / H, width / W, height / H))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f7f7f7")
    ax.text(
        0.5,
        0.5,
        "\n".join(_wrap(message, width * 0.7, 16.0)),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=16 * PT,
        color=S.INK,
        linespacing=1.5,
    )


def _save(fig, path, fmt: str, W: int, H: int) -> Path:
    fmt = fmt.lower()
    path = Path(path)
    if fmt == "svg":
        import io

        buf = io.StringIO()
        fig.savefig(buf, format="svg", dpi=DPI, facecolor="white", metadata={"Date": None})
        text = _svg_pixel_size(buf.getvalue(), W, H)
        path.write_text(text, encoding="utf-8")
    else:
        fig.savefig(path, format="png", dpi=DPI, facecolor="white", metadata={"Software": "geoverify (matplotlib)"})
    return path


def _corner_box(corner, size, map_w, map_h):
    pad = 10
    x0 = map_w - size - pad if "right" in corner else pad
    y0 = pad if "upper" in corner else map_h - size - pad
    return [(x0 - 4, y0 - 4, x0 + size + 4, y0 + size + 4)]


def _detail_callout(ax, scene: Scene, rect, area_px):
    """Mark the detail box on the main map with a circle when it is too small to see."""
    d = scene.detail
    x0, y0, x1, y1 = rect
    sx = area_px[0] / (x1 - x0)
    size_px = (d[2] - d[0]) * sx
    cx, cy = (d[0] + d[2]) / 2, (d[1] + d[3]) / 2
    if size_px < 14:
        from matplotlib.patches import Circle

        ax.add_patch(
            Circle((cx, cy), 11 / sx, facecolor="none", edgecolor=S.INK, lw=1.0, linestyle=(0, (3, 2)), zorder=35)
        )


def _svg_pixel_size(svg: str, W: int, H: int) -> str:
    """Give the SVG root the requested pixel size (matplotlib writes points); the viewBox keeps the drawing."""
    import re

    head_end = svg.find(">", svg.find("<svg"))
    head = svg[:head_end]
    head = re.sub(r'\swidth="[^"]*"', f' width="{W}"', head, count=1)
    head = re.sub(r'\sheight="[^"]*"', f' height="{H}"', head, count=1)
    return head + svg[head_end:]
