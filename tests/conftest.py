"""Shared fixtures and markers of the test suite.

- ``index_available``: skip (with the command to run) when the offline index is not built
  or has no boundary tables. Tests that need the real gazetteer use it.
"""

from __future__ import annotations

import sqlite3

import pytest


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
