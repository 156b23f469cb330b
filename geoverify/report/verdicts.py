"""Render a :class:`~geoverify.model.Report` as a table, JSON, GeoJSON or Markdown.

Every format shows, per claim, the verdict next to the measured figure, the
threshold applied and the reference used, so a reader can disagree with a
threshold without re-running anything.
"""

from __future__ import annotations

import json
from typing import Any

from geoverify.model import CONSISTENT, INCONSISTENT, ClaimResult, Report

VERDICT_STYLE = {CONSISTENT: "green", INCONSISTENT: "bold red"}


def measured(result: ClaimResult) -> str:
    """The measured figure of a claim's deciding check, in words."""
    ev = result.evidence
    if "inside" in ev:
        if ev["inside"]:
            return f"inside ({ev.get('distance_to_edge_km')} km from edge)"
        return f"outside by {ev.get('distance_to_edge_km')} km"
    parts = []
    if ev.get("distance_km") is not None:
        parts.append(f"{ev['distance_km']:g} km")
    if ev.get("bearing_name") and "sector" in ev:
        parts.append(f"bearing {ev['bearing_deg']:g}° ({ev['bearing_name']})")
    return ", ".join(parts) or ev.get("reason", "")


def reference_text(result) -> str:
    """What a claim was measured against, and, when it could not be verified, why."""
    ev = result.evidence
    ref = str(ev.get("reference") or "")
    reason = ev.get("reason") or ""
    if str(result.verdict) == "unverifiable" and reason and reason not in ref:
        return f"{ref}: {reason}" if ref else reason
    return ref or reason


def threshold(result: ClaimResult) -> str:
    ev = result.evidence
    bits = []
    if "sector" in ev:
        s = ev["sector"]
        bits.append(f"{s['direction']}: {s['centre_deg']:g}° ± {s['half_width_deg']:g}°")
    if ev.get("stated_km") is not None:
        bits.append(f"stated {ev['stated_km']:g} km ± {ev.get('tolerance_km')} km")
    elif ev.get("threshold_km") is not None:
        bits.append(f"≤ {ev['threshold_km']:g} km")
    elif "inside" in ev:
        bits.append(f"inside (±{ev.get('tolerance_km')} km)")
    return "; ".join(bits)


def other_pairs_line(report: Report) -> str | None:
    """One sentence on the pairs of locations not meant to be one place (``None`` when there are none)."""
    summary = report.other_pairs
    if not summary or not summary.get("pairs"):
        return None
    n, measured = summary["pairs"], summary["measured"]
    line = f"{n} other pair{'s' if n != 1 else ''} of locations (not meant to be one place)"
    if measured < n:
        line += f", {measured} measured"
    close, far = summary.get("closest"), summary.get("farthest")
    if close and far:
        if measured == 1:
            line += f": {_km(close['distance_km'])} apart ({_pair(close)})"
        else:
            line += (
                f": {_km(close['distance_km'])} to {_km(far['distance_km'])} apart "
                f"(closest {_pair(close)}, farthest {_pair(far)})"
            )
    same = summary.get("same_place") or 0
    line += f"; {same if same else 'none'} the same place"
    return line


def _pair(item: dict) -> str:
    a, b = item["locations"]
    return f"{a} ↔ {b}"


def _km(km: float) -> str:
    return f"{km * 1000:.1f} m" if km < 1 else f"{km:,.2f} km"


def circular(report: Report) -> dict[int, list[int]]:
    """Claims checked against a location placed from the claim's own reference: claim number →
    those locations' numbers.

    A short plus code is recovered from its locality ("H2W2+4F Bakhmut" from Bakhmut); a claim
    naming that same place, checked against it, tests only the code's last digits, not whether
    the place is right: it is circular.
    """
    out: dict[int, list[int]] = {}
    for n, r in enumerate(report.claims):
        for c in r.checks:
            i = c.location_index
            if not isinstance(i, int) or not 0 <= i < len(report.locations):
                continue
            ref = report.locations[i].reference or {}
            if c.evidence.get("circular") or (ref.get("id") and ref.get("id") == c.evidence.get("reference_id")):
                out.setdefault(n, []).append(i)
    return out


def circular_notes(report: Report) -> list[str]:
    notes = []
    for n, locs in circular(report).items():
        r = report.claims[n]
        ref = report.locations[locs[0]].reference or {}
        which = ", ".join(str(i) for i in locs)
        notes.append(
            f"{r.claim.text!r}: circular against location{'s' if len(locs) > 1 else ''} {which}: "
            f"{'it was' if len(locs) == 1 else 'they were'} placed from this same place "
            f"({ref.get('name')}, {ref.get('id')}), so only the plus code's last digits are tested, "
            "not the place"
        )
    return notes


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def to_markdown(report: Report) -> str:
    lines = [f"# geoverify report — overall: **{report.verdict}**", ""]
    lines += [
        "## Locations",
        "",
        "| # | text | kind | lat | lon | precision | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, loc in enumerate(report.locations):
        notes = "; ".join(_location_notes(loc))
        lines.append(
            f"| {i} | `{_md(loc.text)}` | {loc.kind} | {_num(loc.lat)} | {_num(loc.lon)} | "
            f"{_prec(loc.precision_m)} | {_md(notes)} |"
        )
    lines += [
        "",
        "## Claims",
        "",
        "| claim | kind | verdict | measured | threshold | reference |",
        "|---|---|---|---|---|---|",
    ]
    circ = circular(report)
    for n, r in enumerate(report.claims):
        for k, v in enumerate(r.views()):
            text = v.text if k == 0 else f"↳ {v.text}"
            lines.append(
                f"| {_md(text)} | {v.kind} | **{v.verdict}**"
                f"{' (circular)' if k == 0 and n in circ else ''} | {_md(measured(v))} | "
                f"{_md(threshold(v))} | {_md(reference_text(v))} |"
            )
    line = other_pairs_line(report)
    if report.comparisons or line:
        lines += ["", "## Locations compared"]
    if report.comparisons:
        lines += ["", "| locations | distance | same place? | verdict |", "|---|---|---|---|"]
        for c in report.comparisons:
            lines.append(
                f"| {c['locations'][0]} ↔ {c['locations'][1]} | {c['distance_m']:g} m | "
                f"{'yes' if c['same_place'] else 'no'} (≤ {c['threshold_m']:g} m) | "
                f"{c.get('verdict', '—')} |"
            )
    if line:
        lines += ["", _md(line)]
    if report.mentions:
        lines += ["", "## Mentioned in passing (not checked)", ""]
        lines += [f"- {_md(m.text)} — {m.reason}" for m in report.mentions]
    notes = _notes(report)
    if notes:
        lines += ["", "## Notes", ""] + [f"- {_md(n)}" for n in notes]
    if report.sources:
        lines += ["", "## Sources", ""] + [f"- {_md(s)}" for s in report.sources]
    return "\n".join(lines) + "\n"


def to_geojson(report: Report) -> str:
    """Locations, reference places and each claim (a line from its reference to the location)."""
    features: list[dict[str, Any]] = []
    for i, loc in enumerate(report.locations):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]} if loc.has_point else None,
                "properties": {
                    "role": "location",
                    "index": i,
                    **{k: v for k, v in loc.to_dict().items() if k not in ("lat", "lon")},
                },
            }
        )
    references: dict[str, dict] = {}
    for r in report.claims:
        ev = r.evidence
        origin = ev.get("reference_point") or ev.get("nearest_point")
        loc_index = ev.get("location")
        loc = report.locations[loc_index] if loc_index is not None and loc_index < len(report.locations) else None
        claim_props = {
            "role": "claim",
            "text": r.claim.text,
            "kind": r.claim.kind,
            "verdict": r.verdict,
            "measured": measured(r),
            "threshold": threshold(r),
            "reference": ev.get("reference"),
            "distance_km": ev.get("distance_km"),
            "threshold_km": ev.get("threshold_km"),
            "location": loc_index,
        }
        geometry = None
        if origin and loc is not None and loc.has_point:
            geometry = {"type": "LineString", "coordinates": [[origin["lon"], origin["lat"]], [loc.lon, loc.lat]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": claim_props})
        ref_id = ev.get("reference_id")
        if ref_id and ev.get("reference_point"):
            ref = references.setdefault(
                ref_id,
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [origin["lon"], origin["lat"]]},
                    "properties": {"role": "reference", "id": ref_id, "name": ev.get("reference"), "claims": []},
                },
            )
            ref["properties"]["claims"].append({"text": r.claim.text, "verdict": r.verdict})
    features.extend(references.values())
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": features,
            "properties": {"verdict": report.verdict, "sources": report.sources},
        },
        ensure_ascii=False,
        indent=2,
    )


def print_table(report: Report) -> None:
    """Print the report for a person, with rich."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a file or a pipe: do not wrap at 80 columns
        console = Console(width=160)
    locs = Table(title="Locations", title_justify="left")
    for col in ("#", "text", "kind", "lat, lon", "precision", "notes"):
        locs.add_column(col)
    for i, loc in enumerate(report.locations):
        where = f"{loc.lat:.6f}, {loc.lon:.6f}" if loc.has_point else "—"
        locs.add_row(str(i), loc.text, loc.kind, where, _prec(loc.precision_m), "\n".join(_location_notes(loc)))
    console.print(locs)

    claims = Table(title="Claims", title_justify="left", show_lines=True)
    for col in ("claim", "kind", "verdict", "measured", "threshold", "reference"):
        claims.add_column(col)
    circ = circular(report)
    for n, r in enumerate(report.claims):
        # the claim, then each qualifying level of its phrase ("↳ Donetsk Oblast") with its own verdict
        for k, v in enumerate(r.views()):
            style = VERDICT_STYLE.get(v.verdict, "yellow")
            flag = "\n(circular)" if k == 0 and n in circ else ""
            claims.add_row(
                v.text if k == 0 else f"↳ {v.text}",
                v.kind,
                f"[{style}]{v.verdict}[/]{flag}",
                measured(v),
                threshold(v),
                reference_text(v),
            )
    console.print(claims)
    if report.comparisons:
        comp = Table(title="Locations compared", title_justify="left")
        for col in ("locations", "distance", "same place?", "verdict"):
            comp.add_column(col)
        for c in report.comparisons:
            comp.add_row(
                f"{c['locations'][0]} ↔ {c['locations'][1]}",
                f"{c['distance_m']:g} m",
                f"{'yes' if c['same_place'] else 'no'} (≤ {c['threshold_m']:g} m)",
                c.get("verdict", "—"),
            )
        console.print(comp)
    line = other_pairs_line(report)
    if line:
        console.print(f"[dim]{line}[/]")
    if report.mentions:
        console.print(
            "[dim]Mentioned in passing, not checked (--all-mentions to check): "
            + "; ".join(f"{m.text} ({m.reason})" for m in report.mentions)
            + "[/]"
        )
    for note in _notes(report):
        console.print(f"[yellow]note:[/] {note}")
    if report.sources:
        console.print("[dim]Sources: " + "; ".join(report.sources) + "[/]")
    style = VERDICT_STYLE.get(report.verdict, "yellow")
    console.print(f"Overall: [{style}]{report.verdict}[/]")


def write_report(report: Report, fmt: str) -> None:
    """Write a report to stdout in ``fmt``: ``json``, ``geojson``, ``markdown`` or ``table``."""
    import click

    if fmt == "json":
        click.echo(to_json(report))
    elif fmt == "geojson":
        click.echo(to_geojson(report))
    elif fmt == "markdown":
        click.echo(to_markdown(report), nl=False)
    else:
        print_table(report)


def _location_notes(loc) -> list[str]:
    """A location's notes in a table: which place a short plus code was placed from, then its warnings."""
    from geoverify.report.locations import reference_line

    out = [reference_line(loc.reference)] if loc.reference else []
    return out + list(loc.warnings)


def _notes(report: Report) -> list[str]:
    notes = list(report.warnings) + circular_notes(report)
    for r in report.claims:
        for w in r.evidence.get("warnings", []) or []:
            notes.append(f"{r.claim.text!r}: {w}")
        for other in r.evidence.get("other_sources", []) or []:
            notes.append(f"{r.claim.text!r}: {other['source']} gives {other['distance_km']} km")
    return notes


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.6f}"


def _prec(p: float | None) -> str:
    if p is None:
        return "—"
    return f"±{p:.1f} m" if p < 1000 else f"±{p / 1000:.1f} km"
