"""Offline verdict maps: a report drawn as PNG, SVG or a self-contained HTML page.

>>> from geoverify.pipeline import verify
>>> from geoverify.maps import write_map
>>> write_map(verify(text), "report.png")          # doctest: +SKIP

The map shows the locations (with their precision; other readings near enough
to matter, and an arrow at the edge towards far ones such as a swapped lat/lon),
the places, regions and borders the claims refer to, the area each claim
allows (threshold rings, buffers, sectors) coloured by verdict, the measured
distances, land and water, the populated places around, a scale bar, a north
arrow, a locator inset and the data's attribution. A map is framed on the
location, then the references, then the areas the claims allow (when they do
not swamp it). Everything is drawn from the local index; nothing is fetched.
The format follows the file's extension.

Modules: :mod:`~geoverify.maps.scene` (what to draw), :mod:`~geoverify.maps.png_svg`
(matplotlib), :mod:`~geoverify.maps.html` (inline SVG + a little JavaScript),
:mod:`~geoverify.maps.geo` (geodesic shapes), :mod:`~geoverify.maps.data`
(the boundary index and gazetteer, seen from a map), :mod:`~geoverify.maps.evidence`
(the one place that reads a check's evidence).
"""

from __future__ import annotations

from pathlib import Path

from geoverify.errors import GeoverifyError

#: File extensions and the format each writes.
MAP_FORMATS = {".png": "png", ".svg": "svg", ".html": "html", ".htm": "html"}


class MapError(GeoverifyError, ValueError):
    """A map cannot be written (unknown extension, unwritable path, bad size)."""


def map_format(path: str | Path) -> str:
    """The format (``png``, ``svg``, ``html``) that ``path``'s extension asks for.

    Raises
    ------
    MapError
        The extension is not one of ``.png``, ``.svg``, ``.html``.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in MAP_FORMATS:
        shown = suffix or "no extension"
        raise MapError(f"{path}: cannot tell the map format from {shown!s}; use .png, .svg or .html")
    return MAP_FORMATS[suffix]


def _check_target(path: Path, width: int, height: int) -> None:
    if not (200 <= int(width) <= 10000 and 200 <= int(height) <= 10000):
        raise MapError(f"map size {width}×{height} out of range (200–10000 pixels each way)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MapError(f"{path}: directory {parent} does not exist")
    if path.is_dir():
        raise MapError(f"{path}: is a directory")


def render_scene(scene, path: str | Path, *, width: int = 1600, height: int = 1200) -> Path:
    """Write an already built :class:`~geoverify.maps.scene.Scene` to ``path``."""
    path = Path(path)
    fmt = map_format(path)
    _check_target(path, width, height)
    try:
        if fmt == "html":
            from geoverify.maps.html import render as render_html

            return render_html(scene, path, width=width, height=height)
        from geoverify.maps.png_svg import render as render_image

        return render_image(scene, path, fmt, width=width, height=height)
    except PermissionError:
        raise MapError(f"{path}: permission denied") from None
    except OSError as exc:
        raise MapError(f"{path}: cannot write: {exc.strerror or exc}") from None


def write_map(
    report, path: str | Path, *, width: int = 1600, height: int = 1200, boundaries=None, title: str | None = None
) -> Path:
    """Draw a verdict map of ``report`` to ``path`` (``.png``, ``.svg`` or ``.html``).

    Parameters
    ----------
    report : geoverify.model.Report
        What :func:`geoverify.pipeline.verify` or :func:`geoverify.pipeline.check` returned.
    path : str or Path
        The file to write; its extension picks the format.
    width, height : int
        Size in pixels (PNG and SVG; the HTML page's initial map size).
    boundaries : object, optional
        The boundary index (default :func:`geoverify.gazetteer.boundaries.get_boundaries`).
    title : str, optional
        Overrides the title (which by default names the overall verdict).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    MapError
        Unknown extension, a size out of range, or a path that cannot be written.
    """
    path = Path(path)
    map_format(path)
    _check_target(path, width, height)
    from geoverify.maps.scene import build_scene

    scene = build_scene(report, boundaries, title=title)
    return render_scene(scene, path, width=width, height=height)


def where_map(
    lat: float,
    lon: float,
    path: str | Path,
    *,
    width: int = 1600,
    height: int = 1200,
    boundaries=None,
    k_places: int = 5,
    k_borders: int = 3,
) -> Path:
    """Draw one point with the regions containing it, its nearest places and nearest land borders.

    Parameters
    ----------
    lat, lon : float
        WGS84 decimal degrees.
    path : str or Path
        ``.png``, ``.svg`` or ``.html``.
    k_places, k_borders : int
        How many nearest places and borders to draw.
    """
    if not (-90.0 <= float(lat) <= 90.0) or not (-180.0 <= float(lon) <= 180.0):
        raise MapError(f"point out of range: {lat}, {lon}")
    path = Path(path)
    map_format(path)
    _check_target(path, width, height)
    from geoverify.maps.scene import build_where_scene

    scene = build_where_scene(float(lat), float(lon), boundaries, k_places=k_places, k_borders=k_borders)
    return render_scene(scene, path, width=width, height=height)


__all__ = ["write_map", "where_map", "render_scene", "map_format", "MapError", "MAP_FORMATS"]
