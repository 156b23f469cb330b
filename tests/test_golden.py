"""Golden outputs: every report of the seed articles, case files and UCDP sample, byte for byte.

A refactor must not change them. When a change of output is intended, regenerate with
``.venv/bin/python tests/golden/regen.py`` and say in the commit why the output changed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "golden"

pytestmark = pytest.mark.usefixtures("index_available")


def _regen():
    spec = importlib.util.spec_from_file_location("golden_regen", HERE / "regen.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_golden_outputs_are_unchanged():
    produced = _regen().cases()
    stored = {p.stem: p.read_text(encoding="utf-8") for p in HERE.glob("*.json")}
    assert sorted(produced) == sorted(stored), "golden inputs changed: run tests/golden/regen.py"
    changed = [name for name, text in produced.items() if text + "\n" != stored[name]]
    assert not changed, f"outputs changed for {changed}: if intended, run tests/golden/regen.py"
