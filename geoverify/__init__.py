"""geoverify: check where things happened.

The library API (each imported lazily, so ``import geoverify`` stays cheap):

- :func:`parse` — one location string in any notation (what ``--at`` and ``where`` read).
- :func:`extract` — coordinates, grid references, map links and plus codes in text.
- :func:`resolve` — ranked gazetteer candidates for a place name.
- :func:`where` — country, region, nearest places and borders for a point.
- :func:`verify` — every location claim in a text checked against its locations.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["parse", "extract", "resolve", "where", "verify", "check", "__version__"]


def parse(text: str):
    """Read ``text`` as one location, in any notation, with every reading when ambiguous.

    A string known to be a coordinate is read if it can be read at all: ``40 7 22.8, -74 7
    22.8``, ``27.15.45S 18.32.53E``, ``N66 W32``, ``32 w 66 s``, ``66 32``, ``[12.456,-78.90]``,
    as well as everything :func:`extract` finds (DMS, UTM, MGRS, plus codes, map links). A
    short plus code is placed from its locality with the gazetteer.

    Returns
    -------
    geoverify.model.Location
        The preferred reading; ``alternatives`` holds the others (with a warning).

    Raises
    ------
    geoverify.errors.ParseError
        The string is not one location; the message names what is wrong (out of range,
        minutes or seconds of 60 or more, two letters on one axis, ...).

    Examples
    --------
    >>> loc = parse("27.15.45S 18.32.53E")
    >>> round(loc.lat, 5), round(loc.lon, 5)
    (-27.2625, 18.54806)
    """
    global _parse_location
    if _parse_location is None:
        from geoverify.pipeline import parse_location as _parse_location
    return _parse_location(text, "text")


_parse_location = None  # geoverify.pipeline.parse_location, imported on first use


def extract(text: str, recover: bool = True):
    """Find every coordinate, grid reference, map link and plus code in ``text``.

    Parameters
    ----------
    text : str
    recover : bool
        Recover short plus codes from their locality with the gazetteer (loaded
        only when the text has a short code). ``False`` leaves them unplaced.

    Returns
    -------
    list of geoverify.model.Location
        In order of appearance, with character spans into ``text``.
    """
    if recover:
        from geoverify.pipeline import locate

        return locate(text)
    from geoverify.notation import extract as _extract

    return _extract(text)


def resolve(
    name: str, near=None, country=None, context=None, limit: int = 10, sites=None, kinds=None, explain: bool = False
):
    """Ranked gazetteer candidates for ``name`` (best first); see :mod:`geoverify.gazetteer`."""
    from geoverify.gazetteer import resolve as _resolve

    return _resolve(
        name, near=near, country=country, context=context, limit=limit, sites=sites, kinds=kinds, explain=explain
    )


def where(lat: float, lon: float):
    """Describe a point: country, admin-1, macro-region, nearest places and land borders."""
    from geoverify.gazetteer import where as _where

    return _where(lat, lon)


def verify(text: str, at=()):
    """Check every location claim in ``text`` against its locations and ``at``."""
    from geoverify.pipeline import verify as _verify

    return _verify(text, at=at)


def check(at, claims):
    """Check claims typed separately (strings) against locations ``at``."""
    from geoverify.pipeline import check as _check

    return _check(at, claims)
