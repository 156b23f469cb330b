"""geoverify: check where things happened.

The library API (each imported lazily, so ``import geoverify`` stays cheap):

- :func:`extract` — coordinates, grid references, map links and plus codes in text.
- :func:`resolve` — ranked gazetteer candidates for a place name.
- :func:`where` — country, region, nearest places and borders for a point.
- :func:`verify` — every location claim in a text checked against its locations.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "resolve", "where", "verify", "check", "__version__"]


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


def resolve(name: str, near=None, country=None, context=None, limit: int = 10, sites=None, kinds=None,
            explain: bool = False):
    """Ranked gazetteer candidates for ``name`` (best first); see :mod:`geoverify.gazetteer`."""
    from geoverify.gazetteer import resolve as _resolve

    return _resolve(name, near=near, country=country, context=context, limit=limit, sites=sites, kinds=kinds,
                    explain=explain)


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
