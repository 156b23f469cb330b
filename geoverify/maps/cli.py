"""The ``--map PATH`` option shared by ``geoverify verify``, ``check`` and ``where``.

Importing this module costs only click: the map itself (shapely, pyproj,
matplotlib) is imported when a map is drawn.
"""

from __future__ import annotations

import click


def _check_map_path(ctx, param, value):
    """Refuse an unknown extension before any work is done (one-line error, exit 2)."""
    if value is None:
        return None
    from geoverify.maps import MapError, map_format

    try:
        map_format(value)
    except MapError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value


map_option = click.option(
    "--map",
    "map_path",
    metavar="PATH",
    default=None,
    callback=_check_map_path,
    help="Also draw a map of the verdicts to PATH: .png, .svg or .html (self-contained, offline).",
)
