"""Where geoverify keeps its built index and user files."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

INDEX_FILENAME = "geoverify.sqlite"


def data_dir() -> Path:
    """Directory of the built gazetteer/boundary index.

    ``$GEOVERIFY_DATA_DIR`` if set; inside a virtual environment
    ``<venv>/share/geoverify`` (so the index is installed with the
    environment); otherwise ``$XDG_CACHE_HOME/geoverify`` (``~/.cache/geoverify``).
    """
    env = os.environ.get("GEOVERIFY_DATA_DIR")
    if env:
        return Path(env).expanduser()
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix) / "share" / "geoverify"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "geoverify"


def sources_dir() -> Path:
    """Directory holding the downloaded source packages (npm tarballs) the build reads."""
    env = os.environ.get("GEOVERIFY_SOURCES_DIR")
    if env:
        return Path(env).expanduser()
    return data_dir() / "sources"


def user_dir() -> Path:
    """Directory of the user's own files (extra named sites: ``sites/*.json``)."""
    env = os.environ.get("GEOVERIFY_USER_DIR")
    if env:
        return Path(env).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "geoverify"


def index_path() -> Path:
    return data_dir() / INDEX_FILENAME


def current_index_path() -> Path:
    """:func:`index_path`, one object per value of the environment it depends on: the process-wide
    gazetteer and boundary index ask for it on every look-up and every text, and reopen when it changes
    (``GEOVERIFY_DATA_DIR`` in tests)."""
    return _index_path_for(os.environ.get("GEOVERIFY_DATA_DIR"), os.environ.get("XDG_CACHE_HOME"))


@lru_cache(maxsize=8)
def _index_path_for(env_data_dir: str | None, env_cache: str | None) -> Path:
    return index_path()
