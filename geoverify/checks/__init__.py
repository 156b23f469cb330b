"""Checks: one claim against one location, geodesically, with typed evidence.

:class:`ClaimChecker` resolves a claim's references and measures; thresholds come from
:mod:`geoverify.thresholds`.
"""

from geoverify.checks.checker import ClaimChecker, MemoBoundaries, Outcome
from geoverify.checks.evidence import Evidence

__all__ = ["ClaimChecker", "MemoBoundaries", "Outcome", "Evidence"]
