"""Result containers of the extraction stage that are not part of the shared model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geoverify.model import Location


@dataclass
class Diagnostic:
    """Text that looks like a location but cannot be one (out of range, minutes ≥ 60,
    ``N… S…``, a map link with a foreign CRS...). It has no point, so it is not a
    :class:`~geoverify.model.Location`; a verifier should still see it.

    Attributes
    ----------
    text : str
        The verbatim span.
    start, end : int
        Python ``str`` offsets of ``text`` in the input.
    message : str
        What is wrong, in one sentence.
    """

    text: str
    start: int
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "message": self.message}

    def __str__(self) -> str:
        return f"chars {self.start}-{self.end} {self.text!r}: {self.message}"


@dataclass
class Extraction:
    """Everything :func:`geoverify.notation.scan` found: locations and diagnostics,
    each sorted by position."""

    locations: list[Location] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locations": [loc.to_dict() for loc in self.locations],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
