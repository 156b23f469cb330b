"""Shared fixtures and markers of the test suite.

- ``index_available``: skip (with the command to run) when the offline index is not built
  or has no boundary tables. Tests that need the real gazetteer use it.
- ``chromium``: the path of a headless Chromium for tests marked ``browser``; skips with a
  message when there is none. The browser comes from the Makefile's ``browser`` prerequisite of
  ``make test`` (Debian's ``chromium``), never from a test.

Markers: ``browser`` (needs headless Chromium), ``slow`` (takes more than a few seconds).
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs a headless Chromium (make browser installs Debian's)")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


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


@pytest.fixture(scope="session")
def index_available():
    from geoverify.config import index_path

    path = index_path()
    if not path.exists():
        pytest.skip(f"index not built at {path}: run `make install` or `geoverify data build`")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "regions" not in tables:
        pytest.skip("index has no boundary tables: rebuild with `geoverify data build --force`")
    return path
