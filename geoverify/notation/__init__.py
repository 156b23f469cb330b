"""Notation: every coordinate, grid reference, map link and plus code in a text.

>>> from geoverify.notation import extract
>>> [(loc.kind, loc.lat, loc.lon) for loc in extract("seen at 44.326859, 131.668647")]
[('decimal', 44.326859, 131.668647)]

How it works
------------
1. :mod:`~geoverify.notation._prefilter` finds anchors with a few fast scans and turns
   them into small windows (plus ``+`` offsets and link offsets);
2. the parsers run on those windows only: :mod:`~geoverify.notation.coordinates`
   (decimal, DDM, DMS, packed, maritime, Cyrillic), :mod:`~geoverify.notation.grids`
   (UTM, MGRS), :mod:`~geoverify.notation.pluscodes` (full and short codes) and
   :mod:`~geoverify.notation.urls` (``geo:`` URIs, map links, and the extent of every URL);
3. candidates inside a URL are dropped (a map link is one ``map-url`` location; the digits
   of any other URL are not coordinates), then overlaps are resolved: the longest span
   wins, and for equal spans the more specific kind (link, grid, plus code, DMS, DDM,
   decimal);
4. results are sorted by start offset.

What counts as a coordinate
---------------------------
Bare number pairs need evidence: hemisphere letters on both sides, angle marks, explicit
``lat``/``lon`` labels, or at least 3 decimals each (4 with decimal commas) — or at least
one decimal each right after a label such as ``coordinates:``. The full rule, and the
readings reported when a pair can be read two ways, are in
:mod:`geoverify.notation.coordinates`.

Precision
---------
``precision_m`` is the uncertainty the notation itself implies:

- written coordinates and map links: half a step of the last digit, in metres, the larger
  of the latitude step ``M(φ)·Δφ/2`` and the longitude step ``N(φ)·cos φ·Δλ/2`` on the
  WGS84 ellipsoid (:mod:`geoverify.notation._geodesy`);
- ``geo:`` URIs: the larger of that and the URI's ``u=`` uncertainty;
- MGRS: half the side of the square; UTM: half a step of the last digit of the metres;
- plus codes: the largest geodesic distance from the centre of the code area to a corner.

Invalid location-looking text
-----------------------------
Text that looks like a location but cannot be one (``95.5, 200.1``, ``44°75'N``,
``44.3N 131.6S``, a ``geo:`` URI with another CRS, a short map link) is never returned as a
location. :func:`extract` skips it; :func:`scan` returns it as :class:`Diagnostic`
objects next to the locations, and :func:`extract_diagnostics` returns only those. The
CLI prints them on stderr as ``geoverify: warning: ...``.

Importing this package is cheap: the parsers (and their regular expressions) are
imported on the first call, ``pyproj``/``mgrs``/``openlocationcode`` only when a
candidate needs them.
"""

from __future__ import annotations

from geoverify.model import Location
from geoverify.notation._results import Diagnostic, Extraction

__all__ = ["extract", "scan", "extract_diagnostics", "Diagnostic", "Extraction"]

# Tie-break for spans of equal length: lower wins.
_SPECIFICITY = {
    "map-url": 0,
    "geo-uri": 0,
    "mgrs": 1,
    "utm": 1,
    "pluscode": 2,
    "pluscode-short": 2,
    "dms": 3,
    "ddm": 4,
    "decimal": 5,
}


def extract(text: str) -> list[Location]:
    """Find every coordinate, grid reference, map link and plus code in ``text``.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Location
        In order of appearance, non-overlapping, with Python ``str`` offsets.

    Raises
    ------
    TypeError
        ``text`` is not a ``str``.
    """
    return scan(text).locations


def extract_diagnostics(text: str) -> list[Diagnostic]:
    """Location-looking text in ``text`` that cannot be a location, with the reason."""
    return scan(text).diagnostics


def scan(text: str) -> Extraction:
    """Locations and diagnostics in ``text`` (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, not {type(text).__name__}")
    from geoverify.notation import _prefilter, coordinates, grids, pluscodes, urls
    from geoverify.notation._spans import SpanSet

    cand = _prefilter.candidates(text)
    link_locs, link_diags, link_spans = urls.find_urls(text, cand.links)
    found: list[Location] = []
    diags: list[Diagnostic] = []
    if cand.windows:
        for finder in (coordinates.find_coordinates, grids.find_grids):
            locs, ds = finder(text, cand.windows)
            found.extend(locs)
            diags.extend(ds)
    if cand.plus:
        locs, ds = pluscodes.find_pluscodes(text, cand.plus)
        found.extend(locs)
        diags.extend(ds)
    if link_spans:
        in_links = SpanSet(link_spans)
        found = [x for x in found if not in_links.overlaps(x.start, x.end)]
        diags = [d for d in diags if not in_links.overlaps(d.start, d.end)]
    locations = resolve_overlaps(link_locs + found)
    kept = SpanSet((x.start, x.end) for x in locations)
    diagnostics = [d for d in diags if not kept.overlaps(d.start, d.end)]
    diagnostics = _resolve_diagnostics(link_diags + diagnostics)
    return Extraction(locations=locations, diagnostics=diagnostics)


def resolve_overlaps(locations: list[Location]) -> list[Location]:
    """Keep non-overlapping locations: longest span first, then the more specific kind;
    the result is sorted by start offset."""
    from geoverify.notation._spans import SpanSet

    order = sorted(locations, key=lambda x: (-(x.end - x.start), _SPECIFICITY.get(x.kind, 9), x.start))
    kept: list[Location] = []
    spans = SpanSet()
    for loc in order:
        if spans.overlaps(loc.start, loc.end):
            continue
        kept.append(loc)
        spans.add(loc.start, loc.end)
    kept.sort(key=lambda x: (x.start, x.end))
    return kept


def _resolve_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    from geoverify.notation._spans import SpanSet

    kept: list[Diagnostic] = []
    spans = SpanSet()
    for d in sorted(diags, key=lambda d: (-(d.end - d.start), d.start)):
        if spans.overlaps(d.start, d.end):
            continue
        kept.append(d)
        spans.add(d.start, d.end)
    kept.sort(key=lambda d: (d.start, d.end))
    return kept
