"""Shared fixtures and markers of the test suite (every test module sees them).

Fixtures
--------
``index_available`` (session)
    The path of the offline index this process uses (:func:`geoverify.gazetteer.integrity.find_index`:
    ``GEOVERIFY_DATA_DIR``'s, else a sound fallback). When no index is built, or it has no
    boundary tables, the test is skipped with one line naming the command to run. This is the
    one "index missing -> skip" rule of the suite: a test that reads the real gazetteer or
    boundaries takes this fixture (or its module says
    ``pytestmark = pytest.mark.usefixtures("index_available")``) instead of checking by itself.
    A damaged or out-of-date index is *not* skipped: its tests fail with the DataError that says
    what to run.
``chromium`` (session)
    The path of a headless Chromium for the tests marked ``browser``; skips with a message when
    there is none. The browser comes from the Makefile's ``browser`` prerequisite of
    ``make test`` (Debian's ``chromium``), never from a test.

Markers
-------
``browser``
    Needs a headless Chromium (take the ``chromium`` fixture). ``-m "not browser"`` leaves them out.
``slow``
    Takes more than a few seconds on its own. ``-m "not slow"`` leaves them out.

Undeclared markers are an error (``--strict-markers`` in pyproject.toml).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
MARKERS = {
    "browser": "needs a headless Chromium (the chromium fixture; `make browser` installs Debian's)",
    "slow": "takes more than a few seconds on its own",
}


def pytest_configure(config):
    for name, doc in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {doc}")


# -- the offline index --------------------------------------------------------------------------
def built_index() -> Path | None:
    """The index this process would read, or None when none is built anywhere it looks."""
    from geoverify.gazetteer import integrity

    path = integrity.find_index()
    return path if path.exists() else None


def index_tables(path: Path) -> set[str]:
    """The table names of the index at ``path`` (opened read-only)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.fixture(scope="session")
def index_available() -> Path:
    path = built_index()
    if path is None:
        from geoverify.config import index_path

        pytest.skip(f"index not built at {index_path()}: run `make install` or `geoverify data build`")
    if "regions" not in index_tables(path):
        pytest.skip(f"index at {path} has no boundary tables: rebuild with `geoverify data build --force`")
    return path


# -- the headless browser -----------------------------------------------------------------------
def find_chromium() -> str | None:
    """A Chromium executable: ``$GEOVERIFY_CHROMIUM``, Debian's, or one on ``PATH``; None if there is none."""
    env = os.environ.get("GEOVERIFY_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(
            "headless browser test skipped: no chromium found (run `make browser` as root, or set "
            "GEOVERIFY_CHROMIUM to a Chromium executable)"
        )
    return path
