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

Options
    ``--geoverify-cases DIR``
        The case files that parametrise ``geo_case``.
    ``--geoverify-skip-missing-index``
        Skip (instead of fail) the tests that need the offline index when it is not
        built, e.g. in a CI job without the data.

Assertion helpers
    :mod:`geoverify.testing` (re-exported here): ``assert_consistent(text, at=...)``,
    ``assert_case(case)``, ``assert_within_km(location, place_or_border, km)``,
    ``assert_in_region(location, region)``; a failure shows the whole verdict table,
    wrapped, at the test's own line.

What a failure looks like
    - No index: each test that needs it fails with one line naming the command that
      builds it (or is skipped with ``--geoverify-skip-missing-index``), no traceback. (A
      damaged or out-of-date index keeps its traceback.)
    - A malformed case file: an error of that case alone (one line naming the file and
      the field); the other cases and the other tests of the module run. (A true
      collection error would stop the whole session: pytest interrupts on any.)

Example::

    import pytest
    from geoverify.testing import assert_consistent, assert_case

    def test_scraper_output(my_scraped_post):
        assert_consistent(my_scraped_post.text, at=[my_scraped_post.location])

    @pytest.mark.geoverify_cases("tests/cases")
    def test_cases(geo_case, geoverify_verifier):
        assert_case(geo_case, geoverify_verifier)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geoverify.testing import (
    GeoverifyAssertion,
    Index,
    Verifier,
    assert_case,
    assert_consistent,
    assert_in_region,
    assert_within_km,
)

MARKER = "geoverify_cases"
SKIP_OPTION = "--geoverify-skip-missing-index"


# -- options, markers, parametrisation ----------------------------------------------------
def pytest_addoption(parser):
    group = parser.getgroup("geoverify")
    group.addoption(
        "--geoverify-cases",
        action="store",
        default=None,
        metavar="DIR",
        help="directory of geoverify case files that parametrise the geo_case fixture",
    )
    group.addoption(
        SKIP_OPTION,
        action="store_true",
        default=False,
        help="skip, instead of failing, the tests that need geoverify's offline index when it is not built",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}(path): parametrise the geo_case fixture over the case files in path "
        "(a directory or one file; relative to the test file)",
    )


class MalformedCase:
    """A case file that could not be loaded: its test errors with ``message`` (one line)."""

    def __init__(self, path, message: str):
        self.path = Path(path)
        self.message = message

    @property
    def id(self) -> str:
        return self.path.name


def pytest_generate_tests(metafunc):
    if "geo_case" not in metafunc.fixturenames:
        return
    from geoverify.cases import find_cases, load_case
    from geoverify.errors import CaseFileError

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
            f"or mark the test with @pytest.mark.{MARKER}('DIR')"
        )
    # A malformed case file (or a missing directory) errors its own test only.
    try:
        paths = find_cases(directory)
    except CaseFileError as exc:
        paths, broken = [], [MalformedCase(directory, str(exc))]
    else:
        broken = []
    cases = []
    for path in paths:
        try:
            cases.append(load_case(path))
        except CaseFileError as exc:
            cases.append(MalformedCase(path, str(exc)))
    cases += broken
    metafunc.parametrize("geo_case", cases, ids=[c.id for c in cases])


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def geoverify_gazetteer():
    """The gazetteer with its boundary index (:class:`geoverify.testing.Index`), loaded once per
    test session."""
    return Index()


@pytest.fixture(scope="session")
def geoverify_verifier(geoverify_gazetteer):
    """An object with ``.verify(text, at=...)``, ``.check(at, claims)`` and ``.run(case)``."""
    return Verifier(geoverify_gazetteer)


@pytest.fixture
def geo_case(request):
    """One case file; parametrised by ``--geoverify-cases`` or the ``geoverify_cases`` marker."""
    if isinstance(request.param, MalformedCase):
        pytest.fail(f"malformed case file: {request.param.message}", pytrace=False)
    return request.param


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A malformed case file errors its test before any fixture (the index) is set up."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("geo_case") if callspec is not None else None
    if isinstance(case, MalformedCase):
        pytest.fail(f"malformed case file: {case.message}", pytrace=False)


# -- a missing index: one line (or a skip), never a traceback -----------------------------------
def _index_problem(exc: BaseException) -> str | None:
    from geoverify.errors import DataError

    if isinstance(exc, DataError):
        return " ".join(str(exc).split())
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.excinfo is None:
        return
    message = _index_problem(call.excinfo.value)
    if message is None:
        return
    from geoverify.config import index_path

    missing = not index_path().exists()
    if not missing:  # a damaged or stale index: the whole traceback, for whoever debugs it
        return
    report = outcome.get_result()
    if item.config.getoption("geoverify_skip_missing_index"):
        report.outcome = "skipped"
        path, line, _ = item.reportinfo()
        report.longrepr = (str(path), (line or 0) + 1, f"Skipped: geoverify: {message}")
        return
    report.longrepr = f"geoverify: {message} (or run pytest with {SKIP_OPTION} to skip these tests)"


__all__ = [
    "Index",
    "Verifier",
    "GeoverifyAssertion",
    "MalformedCase",
    "assert_case",
    "assert_consistent",
    "assert_within_km",
    "assert_in_region",
]
