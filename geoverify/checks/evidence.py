"""Typed evidence: what one check measured, against what, by which rule and from which data.

:class:`Evidence` is a frozen dataclass. Its fields are the figures every consumer reads
(the measured distance, the threshold, the reference and its id, the rule, the sources, the
reason a claim could not be verified, which reading decided); figures that only some checks
have (a bearing sector, a border's length, the stated distance of "20 km from X") are in
``details``. :meth:`Evidence.to_dict` gives the JSON contract documented in ``docs/DESIGN.md``
(section 3.4: ``distance_km``, ``threshold_km``, ``reference``, ``sources`` ...): keys with no
value are left out, as they always were.

Evidence is also a read-only mapping over that dictionary (``ev["distance_km"]``,
``ev.get("inside")``, ``"inside" in ev``), so code written against the JSON shape reads it
unchanged; new code should use the attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

#: Order of the typed keys in ``to_dict`` (then ``details``, in their own order).
_ORDER = (
    "reason",
    "inside",
    "distance_to_edge_km",
    "distance_km",
    "stated_km",
    "threshold_km",
    "tolerance_km",
    "bearing_deg",
    "reference",
    "reference_id",
    "reference_point",
    "nearest_point",
    "rule",
    "reading",
    "chain",
    "candidates",
    "other_readings",
    "warnings",
    "sources",
    "location",
)


def _rounded(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


@dataclass(frozen=True)
class Evidence(Mapping[str, Any]):
    """What a check measured (see the module docstring).

    Attributes
    ----------
    reason : str or None
        Why the claim could not be verified, or a caveat on the verdict, in words.
    inside : bool or None
        For containment: whether the location lies inside the reference polygon.
    distance_to_edge_km : float or None
        For containment: geodesic distance to the polygon's edge.
    distance_km : float or None
        The measured geodesic distance to the reference (0 inside a polygon).
    stated_km, tolerance_km : float or None
        For "N km from X": N, and the tolerance allowed around it.
    threshold_km : float or None
        The limit the verdict applied to ``distance_km``.
    bearing_deg : float or None
        Bearing from the reference to the location.
    reference, reference_id : str or None
        The place, region or border measured to, in words and as an index id.
    reference_point, nearest_point : dict or None
        ``{"lat", "lon"}`` of the reference's point, or of the nearest point of a line or
        polygon.
    rule : str or None
        The rule applied, in words (documented in :mod:`geoverify.thresholds`).
    reading : str or None
        Which reading of the claim decided the verdict ("Pisky as the village (GeoNames
        …)", "Donetsk as the oblast (region named after its main city)").
    chain : tuple of dict
        Each level of the location phrase as it was resolved: its text, kind and
        reference (or why it has none).
    candidates : tuple of dict
        The gazetteer candidates considered, nearest first.
    other_readings : tuple of dict
        Verdicts of the location's other readings (a swapped pair), shown only when they
        differ from the preferred reading's.
    warnings : tuple of str
    sources : tuple of str
        The datasets (with versions) the figures come from.
    location : int or None
        The location (its number in the report) that decided a claim's verdict.
    details : mapping
        Figures particular to one kind of check.
    """

    reason: str | None = None
    inside: bool | None = None
    distance_to_edge_km: float | None = None
    distance_km: float | None = None
    stated_km: float | None = None
    threshold_km: float | None = None
    tolerance_km: float | None = None
    bearing_deg: float | None = None
    reference: str | None = None
    reference_id: str | None = None
    reference_point: Mapping[str, float] | None = None
    nearest_point: Mapping[str, float] | None = None
    rule: str | None = None
    reading: str | None = None
    chain: tuple[Mapping[str, Any], ...] = ()
    candidates: tuple[Mapping[str, Any], ...] = ()
    other_readings: tuple[Mapping[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    location: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------------------
    def with_(self, **changes: Any) -> Evidence:
        """A copy with ``changes``; unknown keys go into ``details``."""
        known = _KNOWN
        typed = {k: v for k, v in changes.items() if k in known}
        extra = {k: v for k, v in changes.items() if k not in known}
        for key in ("chain", "candidates", "other_readings", "warnings", "sources"):
            if key in typed and typed[key] is not None:
                typed[key] = tuple(typed[key])
        if extra:
            typed["details"] = {**self.details, **extra}
        return self._copy(typed)

    def warn(self, message: str) -> Evidence:
        """A copy with one more warning."""
        return self._copy({"warnings": self.warnings + (message,)})

    def _copy(self, changes: dict[str, Any]) -> Evidence:
        """``dataclasses.replace(self, **changes)`` for known fields, without its per-call
        introspection (the checks copy evidence tens of thousands of times per dev set; the
        class has no ``__post_init__`` to run)."""
        new = object.__new__(type(self))
        state = new.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return new

    @classmethod
    def of(cls, **values: Any) -> Evidence:
        """Evidence from keyword figures (typed where a field exists, else ``details``)."""
        return cls().with_(**values)

    # -- the JSON contract ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _ORDER:
            value = getattr(self, key)
            if value is None or (isinstance(value, tuple) and not value):
                continue
            out[key] = _out(key, value)
        for key, value in self.details.items():
            if value is not None:
                out[key] = value
        return out

    # -- read-only mapping over to_dict() --------------------------------------------------
    # (one key is answered without building the whole dict: batch reads a few keys of every
    # check's evidence)
    def __getitem__(self, key: str) -> Any:
        extra = self.details.get(key)
        if extra is not None:
            return extra
        if key in _FIELD_NAMES:
            value = getattr(self, key)
            if not (value is None or (isinstance(value, tuple) and not value)):
                return _out(key, value)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in _FIELD_NAMES:
            value = getattr(self, key)
            return value is not None and not (isinstance(value, tuple) and not value)
        return isinstance(key, str) and self.details.get(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        if key in _FIELD_NAMES:
            value = getattr(self, key)
            if value is None or (isinstance(value, tuple) and not value):
                return default
            extra = self.details.get(key)
            return _out(key, value) if extra is None else extra
        value = self.details.get(key)
        return default if value is None else value


_FIELD_NAMES = frozenset(_ORDER)
_KNOWN = frozenset(f.name for f in fields(Evidence))


def _out(key: str, value: Any) -> Any:
    """A field's value as :meth:`Evidence.to_dict` writes it (a fresh list or dict)."""
    if key in ("chain", "candidates", "other_readings"):
        return [dict(v) for v in value]
    if key in ("warnings", "sources"):
        return list(value)
    if key in ("reference_point", "nearest_point"):
        return dict(value)
    return _rounded(value) if key.endswith("_km") or key == "bearing_deg" else value


__all__ = ["Evidence"]
