"""Checks: one claim against one location, geodesically, with typed evidence.

:class:`ClaimChecker` resolves a claim's references and measures; thresholds come from
:mod:`geoverify.thresholds`.
"""

from geoverify.checks.checker import ClaimChecker, Target

__all__ = ["ClaimChecker", "Target"]
