"""Draw a :class:`~geoverify.maps.scene.Scene` as one self-contained HTML page.

The page needs nothing but itself: the basemap and every overlay are inline
SVG paths in the scene's azimuthal equidistant frame (metres; SVG's y axis
points down, so y is negated), and about a hundred lines of plain JavaScript
give it pan (drag), zoom (wheel, buttons, double-click), a scale bar that
follows the zoom, markers and labels that keep their screen size, and a popup
with the evidence for whatever is clicked. No library, no CDN, no font or
tile is fetched: the file opens offline, from disk.

Every claim is also written out in the side panel — its text, verdict, what
was measured, the threshold, the rule, the reference and the sources — so
the page reads without the map and can be searched.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import numpy as np
import shapely

from geoverify.maps import evidence as E
from geoverify.maps import style as S
from geoverify.maps.geo import format_km
from geoverify.maps.labels import CHAR_EM, LabelRequest, place_labels
from geoverify.maps.scene import Feature, Scene, fit_aspect, verdict_phrase

DASH = {"dash": "7 4", "dot": "1.5 3", "dashdot": "8 3 2 3"}
ROLE_FONT = {
    "country": 13.0,
    "admin1": 10.5,
    "location": 13.0,
    "alternative": 11.5,
    "reference": 12.0,
    "measure": 12.5,
    "zone": 12.5,
    "region": 12.5,
    "border": 12.0,
    "place": 11.0,
}


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------------------- geometry → SVG path data
def _ring(coords: np.ndarray, q: float) -> str:
    pts = np.round(coords / q) * q
    # drop consecutive duplicates after rounding
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(np.diff(pts, axis=0) != 0, axis=1)
    pts = pts[keep]
    if len(pts) < 2:
        return ""
    fmt = "{:.0f}" if q >= 1 else "{:.1f}"
    body = " ".join(f"{fmt.format(x)} {fmt.format(-y)}" for x, y in pts)
    return "M" + body


def path_data(geom, q: float = 1.0) -> str:
    """SVG path data for a projected geometry (polygons closed, holes as sub-paths)."""
    out = []
    if geom is None or geom.is_empty:
        return ""
    t = geom.geom_type
    if t in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        return " ".join(p for p in (path_data(g, q) for g in geom.geoms) if p)
    if t == "Polygon":
        for ring in [geom.exterior, *geom.interiors]:
            r = _ring(np.asarray(ring.coords), q)
            if r:
                out.append(r + "Z")
    elif t in ("LineString", "LinearRing"):
        r = _ring(np.asarray(geom.coords), q)
        if r:
            out.append(r)
    return " ".join(out)


def _style_attrs(st: S.Style, polygon: bool) -> str:
    a = []
    if polygon and st.fill and st.fill_opacity > 0:
        a.append(f'fill="{st.fill}" fill-opacity="{st.fill_opacity:g}"')
    else:
        a.append('fill="none"')
    if st.stroke:
        a.append(f'stroke="{st.stroke}" stroke-width="{st.width:g}"')
        if st.opacity < 1:
            a.append(f'stroke-opacity="{st.opacity:g}"')
        if st.dash:
            a.append(f'stroke-dasharray="{DASH.get(st.dash, "6 3")}"')
    return " ".join(a)


def _marker_svg(st: S.Style, scale: float = 1.0) -> str:
    r = st.size / 2 * scale
    fill = "none" if st.hollow or not st.fill else st.fill
    stroke = st.stroke or "none"
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="{st.width:g}"'
    if st.marker == "diamond":
        return f'<path d="M0 {-r:.1f}L{r:.1f} 0L0 {r:.1f}L{-r:.1f} 0Z" {common}/>'
    if st.marker == "square":
        return f'<rect x="{-r:.1f}" y="{-r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    if st.marker == "triangle":
        return f'<path d="M0 {-r:.1f}L{r:.1f} {r * 0.8:.1f}L{-r:.1f} {r * 0.8:.1f}Z" {common}/>'
    return f'<circle r="{r:.1f}" {common}/>'


# ---------------------------------------------------------------------------- the page
class _Page:
    def __init__(self, scene: Scene, width: int, height: int):
        self.scene = scene
        self.side_w = max(min(int(width * 0.31), 520), 320)
        self.map_w = max(width - self.side_w - 24, 320)
        self.map_h = max(height - 96, 300)
        self.popups: list[dict] = []
        self.proj_cache: dict[int, object] = {}

    def proj(self, f: Feature):
        key = id(f)
        if key not in self.proj_cache:
            self.proj_cache[key] = self.scene.frame.forward(f.geometry)
        return self.proj_cache[key]

    def _popup(self, f: Feature) -> int | None:
        if not f.title and not f.details:
            return None
        self.popups.append({"title": f.title or "", "details": [d for d in f.details if d], "claim": f.claim})
        return len(self.popups) - 1

    def view_rect(self, rect):
        """``rect`` grown to the map's aspect ratio."""
        return fit_aspect(rect, self.map_w / self.map_h)

    # -- layers -------------------------------------------------------------------------------
    def shapes(self) -> str:
        sc = self.scene
        ext = self.view_rect(sc.extent)
        span = max(ext[2] - ext[0], ext[3] - ext[1])
        outer = (ext[0] - span, ext[1] - span, ext[2] + span, ext[3] + span)
        q_base = max(1.0, 10 ** math.floor(math.log10(span / 4000.0))) if span > 4000 else 1.0
        out = []
        if sc.coverage is not None:
            # the sea is drawn where the basemap is; beyond it the page shows the no-data grey
            c = sc.coverage
            out.append(
                f'<rect class="sea" x="{c[0]:.0f}" y="{-c[3]:.0f}" width="{c[2] - c[0]:.0f}" '
                f'height="{c[3] - c[1]:.0f}" fill="{S.SEA}"/>'
            )
        for layer in sc.layers:
            parts = []
            for f in layer.features:
                g = self.proj(f)
                if g is None or g.is_empty or f.role in ("location", "alternative", "reference", "nearest", "place"):
                    continue
                if f.role in ("country", "admin1", "region", "zone", "border"):
                    g = shapely.clip_by_rect(g, *outer)
                    if g.is_empty:
                        continue
                polygon = g.geom_type.endswith("Polygon") and f.role != "admin1"
                if f.role == "admin1" and g.geom_type.endswith("Polygon"):
                    g = g.boundary
                d = path_data(g, q_base if layer.basemap else (0.1 if span < 20000 else 1.0))
                if not d:
                    continue
                idx = self._popup(f) if not layer.basemap or f.role == "country" else None
                attrs = _style_attrs(f.style, polygon)
                cls = f"f {f.role}" + _claim_classes(f)
                data = f' data-p="{idx}"' if idx is not None else ""
                parts.append(f'<path class="{cls}" d="{d}" {attrs} fill-rule="evenodd"{data}/>')
            if parts:
                out.append(f'<g class="layer" data-layer="{_esc(layer.name)}">' + "".join(parts) + "</g>")
        if sc.detail is not None:
            x0, y0, x1, y1 = sc.detail
            out.append(
                f'<rect class="detailbox" x="{x0:.1f}" y="{-y1:.1f}" width="{x1 - x0:.1f}" '
                f'height="{y1 - y0:.1f}" fill="none" stroke="{S.INK}" stroke-width="1.2" '
                f'stroke-dasharray="5 3"/>'
            )
        return "\n".join(out)

    def pins(self) -> str:
        """Markers and labels, in screen pixels, each shown from the zoom at which it first fits."""
        sc = self.scene
        out = []
        main = self.view_rect(sc.extent)
        views = [main] + ([self.view_rect(sc.detail)] if sc.detail is not None else [])
        # markers
        for layer in sc.layers:
            for f in layer.features:
                if f.role not in ("location", "alternative", "reference", "nearest", "place"):
                    continue
                g = self.proj(f)
                if g is None or g.geom_type != "Point":
                    continue
                idx = self._popup(f)
                cls = f"pin mk {f.role}" + (f" c{f.claim}" if f.claim is not None else "")
                limit = f' data-max="{f.max_view_m / self.map_w:.4g}"' if f.max_view_m else ""
                out.append(
                    f'<g class="{cls}" data-x="{g.x:.2f}" data-y="{-g.y:.2f}" data-p="{idx}"{limit}>'
                    f"{_marker_svg(f.style)}</g>"
                )
        # labels, placed at the main view then at the detail view
        shown: dict[int, float | None] = {}
        placed_at: dict[int, tuple] = {}
        feats = [f for f in sc.features() if f.label or f.badge]
        for vi, rect in enumerate(views):
            upp = (rect[2] - rect[0]) / self.map_w  # metres per pixel
            reqs = []
            for k, f in enumerate(feats):
                if k in shown or (f.max_view_m is not None and rect[2] - rect[0] > f.max_view_m):
                    continue
                anchor = self._anchor(f, rect)
                if anchor is None:
                    continue
                if f.role in ("country", "admin1", "region") and vi > 0:
                    continue
                px = (anchor[0] - rect[0]) / upp
                py = (rect[3] - anchor[1]) / upp
                text = _label_text(f)
                reqs.append(
                    LabelRequest(
                        k,
                        px,
                        py,
                        text,
                        ROLE_FONT.get(f.role, 11.0),
                        f.priority,
                        keep=f.role == "location" and vi == len(views) - 1,
                        centered=f.role in ("country", "admin1", "zone"),
                        extra_px=8 if f.badge else 0,
                    )
                )
            obstacles = [
                (0, self.map_h - 60, 260, self.map_h),
                (self.map_w - 250, 0, self.map_w, 250),
                (self.map_w - 420, self.map_h - 40, self.map_w, self.map_h),
            ]
            for f in sc.features():
                if f.role in ("location", "alternative", "reference", "nearest"):
                    g = self.proj(f)
                    px = (g.x - rect[0]) / upp
                    py = (rect[3] - g.y) / upp
                    r = f.style.size / 2 + 1
                    obstacles.append((px - r, py - r, px + r, py + r))
            for p in place_labels(reqs, self.map_w, self.map_h, obstacles):
                req = next(r for r in reqs if r.key == p.key)
                shown[p.key] = None if vi == 0 else upp * 1.05
                anchor_m = (rect[0] + req.x * upp, rect[3] - req.y * upp)
                placed_at[p.key] = (anchor_m, p.x - req.x, p.y - req.y, p.ha, p.va)
        for k, (anchor_m, dx, dy, ha, va) in placed_at.items():
            f = feats[k]
            out.append(self._label_svg(f, anchor_m, dx, dy, ha, va, shown[k]))
        return "\n".join(out)

    def _anchor(self, f: Feature, rect):
        view = shapely.box(*rect)
        g = self.proj(f)
        if g is None or g.is_empty:
            return None
        if f.role in ("country", "admin1"):
            if not g.geom_type.endswith("Polygon"):
                return None
            part = shapely.clip_by_rect(g, *view.bounds)
            if part.is_empty or part.area < view.area * (0.04 if f.role == "country" else 0.06):
                return None
            p = part.representative_point()
            return p.x, p.y
        if f.label_at is not None:
            x, y = self.scene.frame.xy(*f.label_at)
            x, y = float(x), float(y)
        elif g.geom_type == "Point":
            x, y = g.x, g.y
        else:
            part = shapely.clip_by_rect(g, *view.bounds)
            if part.is_empty:
                return None
            p = (
                part.representative_point()
                if part.geom_type.endswith("Polygon")
                else part.interpolate(0.5, normalized=True)
                if part.geom_type.endswith("LineString")
                else part.representative_point()
            )
            x, y = p.x, p.y
        if not (rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]):
            return None
        return x, y

    def _label_svg(self, f: Feature, anchor, dx, dy, ha, va, max_upp) -> str:
        anchor_attr = {"left": "start", "right": "end", "center": "middle"}[ha]
        fs = ROLE_FONT.get(f.role, 11.0)
        baseline = {"bottom": -fs * 0.28, "top": fs * 0.95, "center": fs * 0.35}[va]
        text = _label_text(f)
        colour = f.label_colour or S.INK
        cls = f"pin lab {f.role}" + _claim_classes(f)
        limit = f' data-max="{max_upp:.4g}"' if max_upp else ""
        head = f'<g class="{cls}" data-x="{anchor[0]:.2f}" data-y="{-anchor[1]:.2f}"{limit}>'
        if f.badge:
            claim = self.scene.claims[f.claim] if f.claim is not None and f.claim < len(self.scene.claims) else None
            fc = claim.colour if claim else colour
            w = len(text) * fs * CHAR_EM + 10
            if ha == "left":
                x0 = dx - 2
            elif ha == "right":
                x0 = dx - w + 2
            else:
                x0 = dx - w / 2
            y0 = dy + baseline - fs * 0.95
            return (
                head + f'<rect class="badge" x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{fs * 1.35:.1f}" '
                f'rx="4" fill="{fc}" stroke="#fff" stroke-width="1"/>'
                f'<text x="{dx + (3 if ha == "left" else -3 if ha == "right" else 0):.1f}" '
                f'y="{dy + baseline:.1f}" text-anchor="{anchor_attr}" font-size="{fs:g}" fill="#fff" '
                f'font-weight="bold">{_esc(text)}</text></g>'
            )
        style = ' font-style="italic"' if f.role in ("country", "admin1") else ""
        weight = ' font-weight="bold"' if f.role in ("location", "region") else ""
        shown = text.upper() if f.role == "country" else text
        return (
            head + f'<text class="halo" x="{dx:.1f}" y="{dy + baseline:.1f}" text-anchor="{anchor_attr}" '
            f'font-size="{fs:g}" fill="{colour}"{style}{weight}>{_esc(shown)}</text></g>'
        )

    # -- locator ------------------------------------------------------------------------------
    def locator(self) -> str:
        sc = self.scene
        x0, y0, x1, y1 = sc.locator_extent
        span = x1 - x0
        q = max(1.0, span / 2000.0)
        parts = []
        for layer in sc.locator_layers:
            for f in layer.features:
                g = shapely.clip_by_rect(sc.frame.forward(f.geometry), *sc.locator_extent)
                d = path_data(g, q)
                if d:
                    parts.append(
                        f'<path d="{d}" {_style_attrs(f.style, True)} fill-rule="evenodd" '
                        f'vector-effect="non-scaling-stroke"/>'
                    )
        labels = []
        view = shapely.box(*sc.locator_extent)
        for layer in sc.locator_layers:
            for f in layer.features:
                g = shapely.clip_by_rect(sc.frame.forward(f.geometry), *sc.locator_extent)
                if g.is_empty or g.area < view.area * 0.02 or not f.label:
                    continue
                p = g.representative_point()
                labels.append((g.area, p, f.label))
        fs = span / 200 * 9
        for _a, p, text in sorted(labels, key=lambda t: -t[0])[:8]:
            parts.append(
                f'<text class="halo" x="{p.x:.0f}" y="{-p.y:.0f}" font-size="{fs:.0f}" '
                f'text-anchor="middle" fill="{S.COUNTRY_LABEL}">{_esc(text)}</text>'
            )
        e = sc.extent
        colour = S.VERDICT_COLOURS.get(sc.verdict, S.INK) if sc.claims else S.LOCATION
        parts.append(
            f'<rect x="{e[0]:.0f}" y="{-e[3]:.0f}" width="{e[2] - e[0]:.0f}" height="{e[3] - e[1]:.0f}" '
            f'fill="none" stroke="{colour}" stroke-width="2" vector-effect="non-scaling-stroke"/>'
        )
        if (e[2] - e[0]) < span * 0.05:
            cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
            parts.append(
                f'<circle cx="{cx:.0f}" cy="{-cy:.0f}" r="{span * 0.04:.0f}" fill="none" '
                f'stroke="{colour}" stroke-width="2" vector-effect="non-scaling-stroke"/>'
            )
        parts.append(
            '<rect id="locview" fill="none" stroke="#1d1d1d" stroke-width="1" stroke-dasharray="3 2" '
            'vector-effect="non-scaling-stroke" x="0" y="0" width="0" height="0"/>'
        )
        return (
            f'<svg id="locator" xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.0f} {-y1:.0f} {span:.0f} '
            f'{y1 - y0:.0f}" role="img" aria-label="Where this is: {format_km(span / 1000)} across">'
            f'<rect x="{x0:.0f}" y="{-y1:.0f}" width="{span:.0f}" height="{y1 - y0:.0f}" fill="{S.SEA}"/>'
            + "".join(parts)
            + "</svg>"
        )

    # -- side panel -------------------------------------------------------------------------------
    def panel(self) -> str:
        sc = self.scene
        out = []
        for heading, lines in sc.facts:
            out.append(f"<h2>{_esc(heading)}</h2><ul>" + "".join(f"<li>{_esc(x)}</li>" for x in lines) + "</ul>")
        if sc.claims or not sc.facts:
            out.append("<h2>Claims checked</h2>")
        if not sc.claims and not sc.facts:
            out.append('<p class="muted">No location claims were found in the text.</p>')
        for i, c in enumerate(sc.claims):
            ev_rows = "".join(
                f"<tr><th>{_esc(k)}</th><td>{_esc(_fmt_value(v))}</td></tr>"
                for k, v in E.as_dict(c.evidence).items()
                if k not in ("candidates",)
            )
            cands = E.candidates(c.evidence)
            cand_html = ""
            if cands:
                cand_html = (
                    "<details><summary>candidates considered</summary><ul>"
                    + "".join(f"<li>{_esc(x.name)} ({_esc(x.id)}) — {_esc(x.distance_km)} km</li>" for x in cands)
                    + "</ul></details>"
                )
            warn = "".join(f'<p class="warn">⚠ {_esc(w)}</p>' for w in c.warnings)
            out.append(
                f'<section class="claim" id="claim-{c.number}" data-claim="{i}" data-verdict="{_esc(c.verdict)}">'
                f'<h3><span class="num" style="background:{c.colour}">{c.number}</span> '
                f'<q class="claim-text">{_esc(c.text)}</q> <small>({_esc(c.kind)})</small></h3>'
                f'<p class="verdict" style="color:{c.colour}">{_esc(verdict_phrase(c.verdict))}'
                f"{'' if c.drawn else ' <small>(not on the map)</small>'}</p>"
                f'<p class="summary">{_esc(c.summary)}</p>'
                f"<dl><dt>measured</dt><dd>{_esc(c.measured or '—')}</dd>"
                f"<dt>threshold</dt><dd>{_esc(c.threshold or '—')}</dd>"
                f"<dt>reference</dt><dd>{_esc(c.reference)}</dd>"
                f"<dt>rule</dt><dd>{_esc(c.rule or c.reason or '—')}</dd>"
                f"<dt>sources</dt><dd>{_esc('; '.join(c.sources) or '—')}</dd></dl>{warn}"
                f"<details><summary>all evidence</summary><table>{ev_rows}</table></details>{cand_html}"
                f"</section>"
            )
        out.append('<h2>Locations</h2><ul class="locs">')
        for loc in sc.locations:
            where = f"{loc.lat:.6f}, {loc.lon:.6f}" if loc.lat is not None else "no position"
            prec = f" ±{format_km(loc.precision_m / 1000)}" if loc.precision_m else ""
            alts = "".join(
                f"<li>other reading: {a['lat']:.6f}, {a['lon']:.6f} — {_esc(a['reading'])}</li>"
                for a in loc.alternatives
                if a.get("lat") is not None
            )
            warns = "".join(f'<li class="warn">⚠ {_esc(w)}</li>' for w in loc.warnings)
            out.append(
                f"<li><b>{_esc(loc.label)}</b> <code>{_esc(loc.text)}</code> ({_esc(loc.kind)}) → "
                f"{_esc(where)}{_esc(prec)}<ul>{alts}{warns}</ul></li>"
            )
        out.append("</ul>")
        if sc.comparisons:
            out.append("<h2>Locations compared</h2><ul>")
            for raw in sc.comparisons:
                c = E.comparison(raw)
                out.append(
                    f"<li>L{c.a + 1} ↔ L{c.b + 1}: {c.distance_m:g} m apart; same place: "
                    f"{'yes' if c.same_place else 'no'} (≤ {c.threshold_m:g} m)"
                    + (f" — {_esc(verdict_phrase(c.verdict))}" if c.verdict else "")
                    + "</li>"
                )
            out.append("</ul>")
        out.append('<h2>Symbols</h2><ul class="legend">')
        for e in sc.legend:
            sym = _legend_symbol(e)
            out.append(f"<li>{sym} {_esc(e.label)}</li>")
        out.append("</ul>")
        if sc.notes:
            out.append("<h2>Notes</h2><ul>" + "".join(f"<li>{_esc(n)}</li>" for n in sc.notes) + "</ul>")
        out.append('<h2 id="data">Data</h2><ul>' + "".join(f"<li>{_esc(a)}</li>" for a in sc.attribution) + "</ul>")
        out.append(
            '<p class="muted">Distances are geodesic on the WGS84 ellipsoid. The map is an azimuthal '
            "equidistant projection centred on the first location, so distances from it are true. "
            "Drag to pan, scroll or use + / − to zoom, click a shape for its evidence.</p>"
        )
        return "\n".join(out)

    def north_angle(self) -> float:
        fr = self.scene.frame
        x0, y0, x1, y1 = self.scene.extent
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        lon, lat = fr.lonlat(cx, cy)
        nx, ny = fr.xy(float(lon), min(float(lat) + 0.01, 89.999))
        return math.degrees(math.atan2(nx - cx, ny - cy))


def _claim_classes(f: Feature) -> str:
    """CSS classes naming the claims a feature shows (``c0 c5``), for highlighting."""
    claims = ([f.claim] if f.claim is not None else []) + list(f.also_claims)
    return "".join(f" c{c}" for c in claims)


def _legend_symbol(entry) -> str:
    """A small inline SVG of a legend entry's symbol."""
    st = entry.style
    dash = f' stroke-dasharray="{DASH[st.dash]}"' if st.dash else ""
    if entry.kind == "marker":
        shown = st.but(stroke=S.INK) if st.stroke == "#ffffff" else st
        return f'<svg width="22" height="18" viewBox="-11 -9 22 18">{_marker_svg(shown)}</svg>'
    if entry.kind == "line":
        return (
            f'<svg width="26" height="18"><line x1="2" y1="9" x2="24" y2="9" stroke="{st.stroke}" '
            f'stroke-width="{st.width:g}"{dash}/></svg>'
        )
    return (
        f'<svg width="26" height="18"><rect x="2" y="2" width="22" height="14" fill="{st.fill}" '
        f'fill-opacity="{max(st.fill_opacity, 0.25):g}" stroke="{st.stroke}" '
        f'stroke-width="{st.width:g}"{dash}/></svg>'
    )


def _label_text(f: Feature) -> str:
    if f.badge and f.label:
        return f"{f.badge}  {f.label}"
    if f.badge:
        return str(f.badge)
    return f.label or ""


def _fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#1d1d1d;background:#fff}
header{padding:10px 14px 4px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;font-size:13px}
main{display:flex;gap:10px;padding:6px 14px 14px;align-items:flex-start}
#map{position:relative;border:1px solid #1d1d1d;overflow:hidden;background:%(nodata)s;flex:none;touch-action:none;
cursor:grab;user-select:none}
#map.drag{cursor:grabbing}
#svg{display:block;width:100%%;height:100%%}
#svg .f{vector-effect:non-scaling-stroke}
#svg path.f[data-p]{cursor:pointer}
#svg .measure,#svg .border,#svg .comparison{stroke-linecap:round;stroke-linejoin:round}
#svg .pin{cursor:pointer}
.halo{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
#svg .dim{opacity:.18}
#svg .hl{filter:drop-shadow(0 0 3px #000)}
#tools{position:absolute;top:8px;left:8px;display:flex;flex-direction:column;gap:4px}
#tools button{width:34px;height:30px;font-size:17px;border:1px solid #555;background:#fff;border-radius:4px;
cursor:pointer}
#tools button.wide{width:auto;font-size:12px;padding:0 6px}
#north{position:absolute;left:14px;bottom:70px;width:30px;height:54px}
#scale{position:absolute;left:10px;bottom:10px;background:rgba(255,255,255,.85);padding:4px 8px;font-size:12px}
#scale .bar{height:7px;border:1px solid #1d1d1d;background:repeating-linear-gradient(90deg,#1d1d1d 0 25%%,#fff 25%% 50%%)}
#attrib{position:absolute;right:0;bottom:0;max-width:62%%;background:rgba(255,255,255,.85);font-size:10.5px;
padding:3px 6px;color:#5d5d5d;text-align:right}
#locbox{margin:0 0 8px}
#locator{display:block;width:230px;height:230px;border:1px solid #1d1d1d;background:%(sea)s}
#loccap{font-size:11px;color:#333;margin:2px 0 0}
.offmap{position:absolute;display:none;pointer-events:none;font-size:12px;font-weight:bold;color:%(loc)s;
white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}
.offmap svg{position:absolute;left:-14px;top:-14px;width:28px;height:28px;overflow:visible}
aside{flex:1;min-width:280px;max-height:%(panel_h)spx;overflow:auto;font-size:13px}
aside h2{font-size:16px;margin:6px 0}
.claim{border-left:4px solid #ddd;padding:4px 8px;margin:0 0 8px;cursor:pointer}
.claim:hover,.claim.active{background:#f3f3f3}
.claim h3{font-size:14px;margin:0}
.claim .num{display:inline-block;min-width:22px;text-align:center;color:#fff;border-radius:5px;padding:0 4px}
.claim .verdict{margin:2px 0;font-weight:bold}
.claim .summary{margin:2px 0;color:#444}
.claim dl{display:grid;grid-template-columns:auto 1fr;gap:0 8px;margin:4px 0;font-size:12px}
.claim dt{color:#666}.claim dd{margin:0}
.claim table{font-size:11px;border-collapse:collapse}.claim th{text-align:left;padding-right:6px;color:#666}
.warn{color:#a15c00}
.muted{color:#666;font-size:12px}
.legend{list-style:none;padding:0;columns:2}.legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
#popup{position:absolute;z-index:10;max-width:360px;background:#fff;border:1px solid #333;border-radius:4px;
box-shadow:0 2px 8px rgba(0,0,0,.3);padding:8px 10px;font-size:12.5px;display:none}
#popup h4{margin:0 0 4px;font-size:13px}#popup ul{margin:0;padding-left:16px}
#popup .x{position:absolute;right:6px;top:2px;cursor:pointer;border:0;background:none;font-size:16px}
"""

JS = r"""
(function(){
'use strict';
var svg=document.getElementById('svg'),map=document.getElementById('map');
var data=JSON.parse(document.getElementById('scene-data').textContent);
var vb=data.view.slice(),pins=[].slice.call(svg.querySelectorAll('.pin'));
var pop=document.getElementById('popup'),popT=document.getElementById('popup-body');
function px(){return vb[2]/map.clientWidth;}
function fitAspect(r){var a=map.clientWidth/map.clientHeight,w=r[2],h=r[3],cx=r[0]+w/2,cy=r[1]+h/2;
 if(w/h<a){w=h*a;}else{h=w/a;}return [cx-w/2,cy-h/2,w,h];}
function nice(v){var e=Math.pow(10,Math.floor(Math.log(v)/Math.LN10));var m=[5,2,1];
 for(var i=0;i<3;i++){if(m[i]*e<=v)return m[i]*e;}return e;}
function fmt(m){if(m>=1000){var k=m/1000;return (k>=100?k.toFixed(0):k>=10?k.toFixed(0):k.toFixed(k<2?1:0))+' km';}
 return m.toFixed(0)+' m';}
function draw(){
 svg.setAttribute('viewBox',vb.join(' '));
 var s=px();
 for(var i=0;i<pins.length;i++){var p=pins[i];
  p.setAttribute('transform','translate('+p.getAttribute('data-x')+' '+p.getAttribute('data-y')+') scale('+s+')');
  var mx=p.getAttribute('data-max');
  p.style.display=(mx&&s>parseFloat(mx))?'none':'';}
 var len=nice(s*120),w=len/s;
 document.getElementById('scalebar').style.width=w+'px';
 document.getElementById('scalelab').textContent=fmt(len);
 var lv=document.getElementById('locview');
 if(lv){lv.setAttribute('x',vb[0]);lv.setAttribute('y',vb[1]);lv.setAttribute('width',vb[2]);lv.setAttribute('height',vb[3]);}
 offmap(s);
}
// an arrow at the map's edge towards each thing the view does not hold (a far other reading)
function offmap(s){var W=map.clientWidth,H=map.clientHeight,els=map.querySelectorAll('.offmap');
 for(var i=0;i<els.length;i++){var el=els[i],o=data.offmap[+el.getAttribute('data-i')];
  var px=(o.x-vb[0])/s,py=(o.y-vb[1])/s;
  if(px>=0&&px<=W&&py>=0&&py<=H){el.style.display='none';continue;}
  // stop short of the edge, and above the bottom band (scale bar, attribution)
  var dx=px-W/2,dy=py-H/2,k=Math.min(dx?(W/2-34)/Math.abs(dx):1e9,dy?(dy>0?H/2-84:H/2-34)/Math.abs(dy):1e9);
  el.style.display='block';el.style.left=(W/2+dx*k)+'px';el.style.top=(H/2+dy*k)+'px';
  el.querySelector('svg').style.transform='rotate('+Math.atan2(dy,dx)+'rad)';
  var t=el.querySelector('span');t.style.position='absolute';
  t.style.left=dx>0?'':'18px';t.style.right=dx>0?'18px':'';t.style.top=dy>0?'-30px':'14px';}}
function zoom(f,cx,cy){
 var r=map.getBoundingClientRect();
 if(cx===undefined){cx=r.width/2;cy=r.height/2;}
 var ux=vb[0]+cx*px(),uy=vb[1]+cy*px();
 var nw=Math.min(Math.max(vb[2]*f,data.minw),data.maxw),k=nw/vb[2];
 vb=[ux-(ux-vb[0])*k,uy-(uy-vb[1])*k,vb[2]*k,vb[3]*k];draw();}
function fit(r){vb=fitAspect([r[0],-r[3],r[2]-r[0],r[3]-r[1]]);draw();}
map.addEventListener('wheel',function(e){e.preventDefault();var r=map.getBoundingClientRect();
 zoom(Math.pow(1.0018,e.deltaY),e.clientX-r.left,e.clientY-r.top);},{passive:false});
var drag=null,moved=false;
map.addEventListener('pointerdown',function(e){if(e.target.closest('#tools')||e.target.closest('#popup'))return;
 drag=[e.clientX,e.clientY,vb[0],vb[1]];moved=false;map.classList.add('drag');});
window.addEventListener('pointermove',function(e){if(!drag)return;var dx=e.clientX-drag[0],dy=e.clientY-drag[1];
 if(Math.abs(dx)+Math.abs(dy)>3)moved=true;vb[0]=drag[2]-dx*px();vb[1]=drag[3]-dy*px();draw();});
window.addEventListener('pointerup',function(){drag=null;map.classList.remove('drag');});
map.addEventListener('dblclick',function(e){var r=map.getBoundingClientRect();zoom(0.5,e.clientX-r.left,e.clientY-r.top);});
function esc(t){var d=document.createElement('div');d.textContent=t;return d.innerHTML;}
function showPopup(i,x,y){var p=data.popups[i];if(!p)return;
 var h='<h4>'+esc(p.title)+'</h4><ul>';for(var j=0;j<p.details.length;j++)h+='<li>'+esc(p.details[j])+'</li>';
 popT.innerHTML=h+'</ul>';pop.style.display='block';
 var r=map.getBoundingClientRect();pop.style.left=Math.min(x+12,window.scrollX+r.right-370)+'px';
 pop.style.top=(y+12)+'px';
 if(p.claim!==null&&p.claim!==undefined)highlight(p.claim);}
svg.addEventListener('click',function(e){if(moved)return;var t=e.target.closest('[data-p]');
 if(!t||t.getAttribute('data-p')==='None'){pop.style.display='none';highlight(null);return;}
 showPopup(+t.getAttribute('data-p'),e.pageX,e.pageY);});
document.getElementById('popup-x').addEventListener('click',function(){pop.style.display='none';highlight(null);});
function highlight(c){var els=svg.querySelectorAll('.f,.pin'),cls='c'+c;
 for(var i=0;i<els.length;i++){var el=els[i],own=el.classList.contains(cls),claimish=/\bc\d+\b/.test(el.getAttribute('class'));
  el.classList.toggle('dim',c!==null&&claimish&&!own);el.classList.toggle('hl',c!==null&&own&&el.classList.contains('measure'));}
 var secs=document.querySelectorAll('.claim');for(var k=0;k<secs.length;k++)secs[k].classList.toggle('active',+secs[k].getAttribute('data-claim')===c);}
var secs=document.querySelectorAll('.claim');
for(var i=0;i<secs.length;i++){secs[i].addEventListener('click',function(){var c=+this.getAttribute('data-claim');
 var b=data.claimBoxes[c];if(b)fit(b);highlight(c);});}
document.getElementById('zin').onclick=function(){zoom(0.5);};
document.getElementById('zout').onclick=function(){zoom(2);};
document.getElementById('zall').onclick=function(){fit(data.extent);highlight(null);};
var zd=document.getElementById('zdetail');if(zd)zd.onclick=function(){fit(data.detail);};
vb=fitAspect(vb);draw();
// size each badge to its text, measured once the pins are at screen scale
var bs=svg.querySelectorAll('rect.badge');
for(var b=0;b<bs.length;b++){var t=bs[b].nextSibling;if(!t||!t.getBBox)continue;var bb=t.getBBox();
 if(!bb.width)continue;bs[b].setAttribute('x',bb.x-5);bs[b].setAttribute('width',bb.width+10);}
})();
"""


def render(scene: Scene, path: str | Path, width: int = 1600, height: int = 1200) -> Path:
    """Write ``scene`` as a self-contained HTML page (map ``width`` × ``height`` pixels in all)."""
    page = _Page(scene, int(width), int(height))
    if scene.message:
        return _render_message(scene, page, Path(path))
    shapes = page.shapes()
    pins = page.pins()
    locator = page.locator()
    panel = page.panel()
    view = page.view_rect(scene.extent)
    ext = scene.extent
    claim_boxes = []
    for i, c in enumerate(scene.claims):
        # frame what was measured (line, ends, reference); the allowed area only if nothing was
        own = [f for f in scene.features(basemap=False) if f.claim == i]
        key = [f for f in own if f.role in ("measure", "nearest", "reference")] or [
            f for f in own if f.role != "region"
        ]
        geoms = [page.proj(f) for f in key]
        geoms = [g for g in geoms if g is not None and not g.is_empty]
        if not geoms:
            claim_boxes.append(None)
            continue
        b = shapely.union_all([shapely.box(*g.bounds) for g in geoms]).bounds
        loc = scene.locations[c.location] if c.location is not None and c.location < len(scene.locations) else None
        if loc is not None and loc.lat is not None:
            lx, ly = scene.frame.xy(loc.lon, loc.lat)
            b = (min(b[0], lx), min(b[1], ly), max(b[2], lx), max(b[3], ly))
        w, h = b[2] - b[0], b[3] - b[1]
        pad = max(w, h, 400.0) * 0.15
        claim_boxes.append([b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad])
    span = max(view[2] - view[0], view[3] - view[1])
    maxw = span * 12.0
    if scene.coverage is not None:
        # zooming out stops where the basemap ends (beyond it the page would show no land at all)
        maxw = max(min(maxw, scene.coverage[2] - scene.coverage[0]), view[2] - view[0])
    offmap = []
    for o in scene.offmap:
        x, y = scene.frame.xy(o.lon, o.lat)
        offmap.append({"x": float(x), "y": -float(y), "label": o.label})
    data = {
        "view": [view[0], -view[3], view[2] - view[0], view[3] - view[1]],
        "extent": list(map(float, ext)),
        "detail": list(map(float, scene.detail)) if scene.detail else None,
        "minw": 20.0,
        "maxw": maxw,
        "offmap": offmap,
        "popups": page.popups,
        "claimBoxes": claim_boxes,
    }
    verdict_colour = S.VERDICT_COLOURS.get(scene.verdict, S.INK) if scene.claims else S.INK
    ang = page.north_angle()
    north = (
        f'<svg id="north" viewBox="-15 -27 30 54" aria-label="north arrow"><g transform="rotate({ang:.2f})">'
        f'<path d="M0 -14 L8 10 L0 5 L-8 10 Z" fill="{S.INK}"/>'
        f'<text y="-17" text-anchor="middle" font-size="12" font-weight="bold" class="halo">N</text></g></svg>'
    )
    # the licences' credits on the map; every source, with versions, in the side panel's "Data"
    attrib = "<br>".join(_esc(a) for a in scene.attribution[:1]) + ' · <a href="#data">sources</a>'
    detail_btn = (
        '<button class="wide" id="zdetail" title="zoom to the location">location</button>' if scene.detail else ""
    )
    arrows = "".join(
        f'<div class="offmap" data-i="{i}"><svg viewBox="-14 -14 28 28" aria-hidden="true">'
        f'<path d="M-12 0H8M1 -7L10 0L1 7" fill="none" stroke="{S.LOCATION}" stroke-width="3" '
        f'stroke-linecap="round" stroke-linejoin="round"/></svg><span>{_esc(o.label)}</span></div>'
        for i, o in enumerate(scene.offmap)
    )
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="geoverify">
<title>{_esc(scene.title)}</title>
<style>{CSS % {"sea": S.SEA, "nodata": S.NO_DATA if scene.coverage else S.SEA, "panel_h": page.map_h, "loc": S.LOCATION}}</style>
</head>
<body>
<header><h1 style="color:{verdict_colour}">{_esc(scene.title)}</h1><p>{_esc(scene.subtitle)}</p></header>
<main>
<div id="map" style="width:{page.map_w}px;height:{page.map_h}px">
<svg id="svg" xmlns="http://www.w3.org/2000/svg" viewBox="{data["view"][0]:.1f} {data["view"][1]:.1f} {data["view"][2]:.1f} {data["view"][3]:.1f}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{_esc(scene.title)}">
<g id="shapes">
{shapes}
</g>
<g id="pins" font-family="DejaVu Sans, Verdana, Arial, sans-serif">
{pins}
</g>
</svg>
<div id="tools"><button id="zin" title="zoom in">+</button><button id="zout" title="zoom out">−</button><button class="wide" id="zall" title="show everything">all</button>{detail_btn}</div>
{north}
<div id="scale"><div id="scalelab">0</div><div class="bar" id="scalebar"></div></div>
<div id="attrib">{attrib}</div>
{arrows}
</div>
<aside id="panel">
<div id="locbox">{locator}<p id="loccap">Where this is: {_esc(format_km((scene.locator_extent[2] - scene.locator_extent[0]) / 1000))} across; dashed box = the view</p></div>
{panel}
</aside>
</main>
<div id="popup"><button class="x" id="popup-x" aria-label="close">×</button><div id="popup-body"></div></div>
<script type="application/json" id="scene-data">{_json_for_script(data)}</script>
<script>{JS}</script>
</body>
</html>
"""
    path = Path(path)
    path.write_text(doc, encoding="utf-8")
    return path


def _render_message(scene: Scene, page: _Page, path: Path) -> Path:
    """A page with the claims and a message in place of the map (nothing could be placed)."""
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="geoverify">
<title>{_esc(scene.title)}</title>
<style>{CSS % {"sea": S.SEA, "nodata": S.NO_DATA if scene.coverage else S.SEA, "panel_h": page.map_h, "loc": S.LOCATION}}</style>
</head>
<body>
<header><h1>{_esc(scene.title)}</h1><p>{_esc(scene.subtitle)}</p></header>
<main>
<div id="map" style="width:{page.map_w}px;height:{page.map_h}px;background:#f7f7f7;display:flex;align-items:center;
justify-content:center;cursor:default"><p style="max-width:70%;font-size:17px;text-align:center">{_esc(scene.message)}</p>
</div>
<aside id="panel">
{page.panel()}
</aside>
</main>
</body>
</html>
"""
    path.write_text(doc, encoding="utf-8")
    return path


def _json_for_script(obj) -> str:
    """JSON safe inside a <script> element (no ``</`` sequence can end it early)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=float)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
