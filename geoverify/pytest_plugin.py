"""pytest plugin: test your own tool's locations against the text they came with.

Installed with geoverify (entry point ``pytest11``), so ``pip install geoverify``
is all a project needs. It provides:

Fixtures
    ``geoverify_gazetteer``
        The loaded gazetteer and boundary index (session-scoped: loaded once).
    ``geoverify_verifier``
        An object with ``.verify(text, at=[...])`` and ``.check(at, claims)``
        that use that index, and ``.run(case)`` for a case file.
    ``geo_case``
        One case file (:class:`geoverify.cases.Case`), parametrised over a
        directory: ``--geoverify-cases DIR`` on the command line, or the marker
        ``@pytest.mark.geoverify_cases("path/to/dir")`` on the test.

Assertion helpers (importable from ``geoverify.pytest_plugin``; failure
messages show the verdict table, not a bare ``AssertionError``)
    ``assert_consistent(text, at=...)``, ``assert_case(case)``,
    ``assert_within_km(location, place_or_border, km)``,
    ``assert_in_region(location, region)``.

Example::

    import pytest
    from geoverify.pytest_plugin import assert_consistent, assert_case

    def test_scraper_output(my_scraped_post):
        assert_consistent(my_scraped_post.text, at=[my_scraped_post.location])

    @pytest.mark.geoverify_cases("tests/cases")
    def test_cases(geo_case, geoverify_verifier):
        assert_case(geo_case, geoverify_verifier)
"""

from __future__ import annotations

from pathlib import Path

import pytest

MARKER = "geoverify_cases"


class GeoverifyAssertion(AssertionError):
    """An assertion about locations that failed; its message holds the verdict table."""


class Index:
    """The loaded gazetteer and boundary index (what ``geoverify_gazetteer`` yields)."""

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


# -- options, markers, parametrisation ----------------------------------------------------
def pytest_addoption(parser):
    group = parser.getgroup("geoverify")
    group.addoption("--geoverify-cases", action="store", default=None, metavar="DIR",
                    help="directory of geoverify case files that parametrise the geo_case fixture")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}(path): parametrise the geo_case fixture over the case files in path "
                   "(a directory or one file; relative to the test file)")


def pytest_generate_tests(metafunc):
    if "geo_case" not in metafunc.fixturenames:
        return
    from geoverify.cases import find_cases, load_case

    marker = metafunc.definition.get_closest_marker(MARKER)
    option = metafunc.config.getoption("--geoverify-cases")
    if marker and marker.args:
        directory = Path(marker.args[0])
        if not directory.is_absolute():
            directory = Path(metafunc.definition.fspath).parent / directory
    elif option:
        directory = Path(option)
    else:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid}: geo_case needs case files: pass --geoverify-cases DIR "
            f"or mark the test with @pytest.mark.{MARKER}('DIR')")
    # A malformed case file fails collection with the file and field named.
    cases = [load_case(p) for p in find_cases(directory)]
    metafunc.parametrize("geo_case", cases, ids=[c.id for c in cases])


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def geoverify_gazetteer():
    """The gazetteer with its boundary index (:class:`Index`), loaded once per test session."""
    return Index()


@pytest.fixture(scope="session")
def geoverify_verifier(geoverify_gazetteer):
    """An object with ``.verify(text, at=...)``, ``.check(at, claims)`` and ``.run(case)``."""
    return Verifier(geoverify_gazetteer)


@pytest.fixture
def geo_case(request):
    """One case file; parametrised by ``--geoverify-cases`` or the ``geoverify_cases`` marker."""
    return request.param


# -- assertion helpers ------------------------------------------------------------------------
def _default_verifier():
    return Verifier()


def assert_case(case, verifier=None):
    """Run a case file and fail with every unmet expectation and the verdict table."""
    from geoverify.cases import verdict_table

    outcome = (verifier or _default_verifier()).run(case)
    if not outcome.passed:
        raise GeoverifyAssertion(
            f"case {case.id} ({case.path}) failed:\n  - " + "\n  - ".join(outcome.failures)
            + "\n\n" + verdict_table(outcome.report))
    return outcome.report


def assert_consistent(text: str, at=(), verifier=None):
    """Fail unless every claim in ``text`` is consistent with its locations (and ``at``)."""
    from geoverify.cases import verdict_table
    from geoverify.model import CONSISTENT

    report = (verifier or _default_verifier()).verify(text, at=at)
    bad = [r for r in report.claims if r.verdict != CONSISTENT]
    bad_pairs = [c for c in report.comparisons if c.get("verdict") not in (None, CONSISTENT)]
    if bad or bad_pairs or not report.claims:
        why = "no location claims found" if not report.claims else \
            f"{len(bad)} claim(s) not consistent" + (f", {len(bad_pairs)} location pair(s) disagree" if bad_pairs else "")
        raise GeoverifyAssertion(f"{why}:\n{verdict_table(report)}")
    return report


def _claim_report(location, claim: str, verifier=None):
    return (verifier or _default_verifier()).check([location], [claim])


def assert_within_km(location, place_or_border: str, km: float, verifier=None):
    """Fail unless ``location`` is within ``km`` of a place, region or border.

    ``place_or_border`` is a name ("Vladivostok", "Primorsky Krai") or a border
    ("the China border", "Russia's border with China").
    """
    from geoverify.cases import verdict_table

    claim = f"within {km:g} km of {place_or_border}"
    report = _claim_report(location, claim, verifier)
    result = report.claims[0] if report.claims else None
    measured_km = result.evidence.get("distance_km") if result else None
    if measured_km is None or measured_km > km:
        raise GeoverifyAssertion(
            f"{location!r} is {'not measurable against' if measured_km is None else f'{measured_km} km from'} "
            f"{place_or_border!r} (limit {km:g} km):\n{verdict_table(report)}")
    return report


def assert_in_region(location, region: str, verifier=None):
    """Fail unless ``location`` lies inside ``region`` (a country, first-level region or macro-region)."""
    from geoverify.cases import verdict_table
    from geoverify.model import CONSISTENT

    report = _claim_report(location, f"in {region}", verifier)
    if not report.claims or report.claims[0].verdict != CONSISTENT:
        raise GeoverifyAssertion(f"{location!r} is not in {region!r}:\n{verdict_table(report)}")
    return report


__all__ = ["Index", "Verifier", "GeoverifyAssertion", "assert_case", "assert_consistent",
           "assert_within_km", "assert_in_region"]
