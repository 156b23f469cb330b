"""Assertion helpers for tools that test their own locations against geoverify.

Plain functions in the manner of ``geopandas.testing`` / ``shapely.testing``: each returns the
:class:`~geoverify.model.Report` it checked, or raises :class:`GeoverifyAssertion` (an
``AssertionError``) whose message holds the whole evidence — every claim with its verdict,
measured figure, threshold and reference or reason — wrapped to the terminal's width, never
cut. Under pytest their own frames are hidden (``__tracebackhide__``), so a failure points at
the test's line. They need no pytest; the pytest plugin (:mod:`geoverify.pytest_plugin`)
re-exports them and adds fixtures.

Example::

    from geoverify.testing import assert_consistent, assert_within_km

    def test_scraper_output(post):
        assert_consistent(post.text, at=[post.location])
        assert_within_km(post.location, "Russia's border with China", 40)

Without the offline index, a helper raises :class:`geoverify.errors.DataError` naming the
command that builds it (the pytest plugin turns that into one line, or a skip with
``--geoverify-skip-missing-index``).
"""

from __future__ import annotations

from geoverify.model import CONSISTENT


class GeoverifyAssertion(AssertionError):
    """An assertion about locations that failed; its message holds the verdict table."""


class Index:
    """The loaded gazetteer and boundary index (what the ``geoverify_gazetteer`` fixture yields).

    Raises
    ------
    geoverify.errors.DataError
        The index is missing, out of date or damaged.
    """

    def __init__(self):
        from geoverify.gazetteer import get_gazetteer
        from geoverify.gazetteer.boundaries import get_boundaries

        self.gazetteer = get_gazetteer()
        self.boundaries = get_boundaries()

    def resolve(self, name: str, **kwargs):
        from geoverify.gazetteer import resolve

        return resolve(name, **kwargs)

    def where(self, lat: float, lon: float):
        from geoverify.gazetteer import where

        return where(lat, lon)


class Verifier:
    """``verify``/``check`` bound to one loaded index (what ``geoverify_verifier`` yields)."""

    def __init__(self, index: Index | None = None):
        self.index = index
        self.boundaries = index.boundaries if index is not None else None

    def _checker(self, text: str):
        from geoverify.checks.checker import ClaimChecker

        return ClaimChecker(context=text, boundaries=self.boundaries)

    def verify(self, text: str, at=()):
        from geoverify.pipeline import verify

        return verify(text, at=at, checker=self._checker(text))

    def check(self, at, claims):
        from geoverify.pipeline import check

        return check(at, claims, checker=self._checker(""))

    def run(self, case):
        from geoverify.cases import run_case

        return run_case(case, self)


def _verifier(verifier):
    return verifier if verifier is not None else Verifier()


def _table(report) -> str:
    from geoverify.report.text import default_width, verdict_table

    # pytest prints each line of the message after "E" and the test body's indentation (8 columns)
    return verdict_table(report, width=default_width() - 8)


def assert_case(case, verifier=None):
    """Run a case file (a :class:`geoverify.cases.Case` or a path) and fail with every unmet
    expectation and the verdict table."""
    __tracebackhide__ = True
    from geoverify.cases import Case, load_case

    if not isinstance(case, Case):
        case = load_case(case)
    outcome = _verifier(verifier).run(case)
    if not outcome.passed:
        raise GeoverifyAssertion(
            f"case {case.id} ({case.path}) failed:\n  - "
            + "\n  - ".join(outcome.failures)
            + "\n\n"
            + _table(outcome.report)
        )
    return outcome.report


def assert_consistent(text: str, at=(), verifier=None):
    """Fail unless every claim in ``text`` is consistent with its locations (and ``at``), and
    every pair of locations meant to be one place is."""
    __tracebackhide__ = True
    report = _verifier(verifier).verify(text, at=at)
    bad = [r for r in report.claims if r.verdict != CONSISTENT]
    bad_pairs = [c for c in report.comparisons if c.get("verdict") not in (None, CONSISTENT)]
    if bad or bad_pairs or not report.claims:
        why = (
            "no location claims found"
            if not report.claims
            else f"{len(bad)} claim(s) not consistent"
            + (f", {len(bad_pairs)} location pair(s) disagree" if bad_pairs else "")
        )
        raise GeoverifyAssertion(f"{why}:\n{_table(report)}")
    return report


def assert_within_km(location, place_or_border: str, km: float, verifier=None):
    """Fail unless ``location`` is within ``km`` of a place, region or border.

    ``place_or_border`` is a name ("Vladivostok", "Primorsky Krai") or a border
    ("the China border", "Russia's border with China").
    """
    __tracebackhide__ = True
    report = _verifier(verifier).check([location], [f"within {km:g} km of {place_or_border}"])
    result = report.claims[0] if report.claims else None
    measured_km = result.evidence.get("distance_km") if result else None
    if measured_km is None or measured_km > km:
        raise GeoverifyAssertion(
            f"{location!r} is {'not measurable against' if measured_km is None else f'{measured_km} km from'} "
            f"{place_or_border!r} (limit {km:g} km):\n{_table(report)}"
        )
    return report


def assert_in_region(location, region: str, verifier=None):
    """Fail unless ``location`` lies inside ``region`` (a country, first-level region or macro-region)."""
    __tracebackhide__ = True
    report = _verifier(verifier).check([location], [f"in {region}"])
    if not report.claims or report.claims[0].verdict != CONSISTENT:
        raise GeoverifyAssertion(f"{location!r} is not in {region!r}:\n{_table(report)}")
    return report


__all__ = [
    "GeoverifyAssertion",
    "Index",
    "Verifier",
    "assert_case",
    "assert_consistent",
    "assert_within_km",
    "assert_in_region",
]
