"""Checks: one claim against one location, geodesically, with typed evidence.

:class:`ClaimChecker` resolves a claim's references and measures; thresholds come from
:mod:`geoverify.thresholds`; :class:`~geoverify.checks.evidence.Evidence` is what a check
measured. The checker is imported on first use, so :mod:`geoverify.checks.compare` (location
against location) stays cheap to import.
"""

__all__ = ["ClaimChecker", "MemoBoundaries", "Outcome", "Evidence"]


def __getattr__(name: str):
    if name == "Evidence":
        from geoverify.checks.evidence import Evidence

        return Evidence
    if name in __all__:
        from geoverify.checks import checker

        return getattr(checker, name)
    raise AttributeError(name)
