"""The offline gazetteer: place names to ranked candidates, points to places.

Library API (all lazy: importing this package opens nothing):

- :func:`resolve` — ranked :class:`~geoverify.model.Place` candidates for a name;
- :func:`place_by_id` — one place by its id;
- :func:`nearest_places` — the places nearest a point, with geodesic distances;
- :func:`recover_pluscode_references` — reference points for a short plus code's locality;
- :func:`where` — country, admin-1, macro-region, nearest places and borders of a point
  (:mod:`geoverify.gazetteer.boundaries`);
- :func:`get_gazetteer` — the process-wide :class:`~geoverify.gazetteer.store.Gazetteer`;
- :func:`load_sites` — the named-sites files (packaged, user, extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geoverify.model import Place

__all__ = [
    "resolve",
    "place_by_id",
    "nearest_places",
    "recover_pluscode_references",
    "where",
    "get_gazetteer",
    "load_sites",
    "Gazetteer",
    "units_near",
    "area_info",
    "settlement_record",
]


def __getattr__(name: str):
    if name == "Gazetteer":
        from geoverify.gazetteer.store import Gazetteer

        return Gazetteer
    raise AttributeError(name)


def get_gazetteer():
    """The process-wide gazetteer (opened on first use).

    Raises
    ------
    geoverify.errors.DataError
        When the index is missing, old or corrupt.
    """
    from geoverify.gazetteer.store import get_gazetteer as _get

    return _get()


def resolve(
    name: str,
    near: tuple[float, float] | None = None,
    country: str | None = None,
    context: str | None = None,
    limit: int = 10,
    sites: Any = None,
    kinds: Sequence[str] | str | None = None,
    explain: bool = False,
) -> list[Place]:
    """Ranked gazetteer candidates for a place name, best first.

    See :meth:`geoverify.gazetteer.store.Gazetteer.resolve` for the parameters
    and :mod:`geoverify.gazetteer.rank` for the ranking (``explain=True`` adds each
    candidate's evidence). ``sites`` adds named-sites files (a path or a list of
    paths) to the packaged and user ones.

    Examples
    --------
    >>> [p.id for p in resolve("Sergeevka, Primorsky Krai", near=(44.32, 131.67))][:1]  # doctest: +SKIP
    ['geonames:2020626']
    """
    return get_gazetteer().resolve(
        name, near=near, country=country, context=context, limit=limit, sites=sites, kinds=kinds, explain=explain
    )


def place_by_id(place_id: str, sites: Any = None) -> Place | None:
    """The place with this id (``geonames:2020626``, ``country:RU``, ``admin1:RU-PRI``,
    ``region:ru-far-east``, ``site:sergeevka-training-ground``), or ``None``."""
    return get_gazetteer().place_by_id(place_id, sites=sites)


def nearest_places(
    lat: float, lon: float, k: int = 5, min_population: int = 0, kinds: Sequence[str] = ("place",)
) -> list[tuple[Place, float]]:
    """The ``k`` populated places nearest a point: ``[(Place, distance_km), ...]``, nearest first
    (geodesic distances on WGS84)."""
    return get_gazetteer().nearest_places(lat, lon, k=k, min_population=min_population, kinds=kinds)


#: Candidates scoring below this fraction of the best are not offered as plus-code references.
REFERENCE_BAND = 0.75


def recover_pluscode_references(
    locality: str, sites: Any = None, near: tuple[float, float] | None = None, context: str | None = None
) -> list[dict[str, Any]]:
    """Reference points for recovering a short plus code from its locality text.

    Parameters
    ----------
    locality : str
        The text after a short code ("Sergeevka, Primorsky Krai").
    sites : path or list of paths, optional
        Extra named-sites files.
    near : (lat, lon), optional
        Another position the text gives (e.g. decimal coordinates beside the
        code): places near it come first. Which places are returned does not
        depend on ``near`` or ``context``, only their order.
    context : str, optional
        Surrounding text (countries it names rank first).

    Returns
    -------
    list of dict
        ``{"name", "lat", "lon", "id", "score", "kind", "country", "admin1"}``,
        best first: every populated place or site the locality may name
        (scoring at least :data:`REFERENCE_BAND` of the best), then regions
        or countries only when no place matched. ``[]`` when nothing matched.
    """
    if not locality or not locality.strip():
        return []
    found = [p for p in resolve(locality, limit=20, sites=sites) if p.lat is not None]
    if not found:
        return []
    points = [p for p in found if p.kind in ("place", "site")]
    pool = points or found
    # which places the name may mean: by how well the name fits each (score), not by which is likeliest
    best = max(p.score for p in pool)
    keep = [p for p in pool if p.score >= best * REFERENCE_BAND]
    if near is not None or context:  # ... and which of them the rest of the text points to
        rank = {p.id: i for i, p in enumerate(resolve(locality, limit=20, sites=sites, near=near, context=context))}
        keep.sort(key=lambda p: rank.get(p.id, len(rank)))
    return [
        {
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "id": p.id,
            "score": round(p.score, 4),
            "kind": p.kind,
            "country": p.country,
            "admin1": p.admin1,
        }
        for p in keep
    ]


def load_sites(extra: Any = None):
    """The named sites of the packaged, user and ``extra`` files (a :class:`~geoverify.gazetteer.sites.SiteIndex`)."""
    from geoverify.gazetteer.sites import load_sites as _load

    return _load(extra)


def where(lat: float, lon: float):
    """Country, admin-1, macro-region, nearest places and borders of a point.

    Implemented in :mod:`geoverify.gazetteer.boundaries` (the geometry half).
    """
    from geoverify.gazetteer.boundaries import where as _where

    return _where(lat, lon)


def units_near(
    lat: float,
    lon: float,
    within_km: float = 0.0,
    kinds: Sequence[str] = ("admin1", "admin2", "admin3"),
    country: str | None = None,
) -> list[dict[str, Any]]:
    """The administrative units (admin-1 regions, districts, councils...) containing a point, or
    within ``within_km`` of it; see :meth:`geoverify.gazetteer.boundaries.Boundaries.units_near`.

    Each unit's ``id`` works with :meth:`Boundaries.contains` and
    :meth:`Boundaries.distance_to_region_km` like an admin-1 id.
    """
    from geoverify.gazetteer.boundaries import get_boundaries

    return get_boundaries().units_near(lat, lon, within_km=within_km, kinds=kinds, country=country)


def area_info(area_id: str) -> dict[str, Any]:
    """A district's or council's record (``admin2:...``, ``admin3:...``): name, unit, vintage,
    country, admin-1, parent and the chain of ``parents`` above it, source."""
    from geoverify.gazetteer.boundaries import get_boundaries

    return get_boundaries().region_info(area_id)


def settlement_record(ref: str | int) -> dict[str, Any] | None:
    """What Ukraine's settlement register (KATOTTG) says of a settlement: category, hromada,
    2020 raion, oblast and the smallest polygon known to hold it (``region_id``); see
    :meth:`geoverify.gazetteer.store.Gazetteer.settlement_record`. ``ref`` is a
    ``katottg:UA...`` id (a :func:`resolve` candidate of kind ``settlement``), a KATOTTG code,
    or a ``geonames:N`` id / GeoNames id of a place the register also lists."""
    return get_gazetteer().settlement_record(ref)
