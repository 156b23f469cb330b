"""Lookup never imports index building (issue 14): ``geoverify/gazetteer/build/`` is imported only
by the ``data`` command and by itself. A read that finds the index stale or missing raises one
DataError naming the command to run (tests/test_index_safety.py); it never rebuilds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_no_network import _imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "geoverify"
BUILD = "geoverify.gazetteer.build"
#: the only modules outside build/ allowed to import it: the command that builds
ALLOWED = {"cli/data.py"}


def _lookup_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith("gazetteer/build/") and rel not in ALLOWED:
            yield rel, path


def test_no_lookup_module_imports_the_build_package():
    offenders = [
        f"geoverify/{rel}:{line}: {name}"
        for rel, path in _lookup_modules()
        for line, name in _imports(path)
        if name == BUILD or name.startswith(BUILD + ".")
    ]
    assert not offenders, "lookup imports index building:\n" + "\n".join(offenders)


def test_the_static_check_sees_a_lazy_import(tmp_path):
    bad = tmp_path / "store.py"
    bad.write_text("def f():\n    from geoverify.gazetteer.build.index import repair_index\n")
    assert (2, "geoverify.gazetteer.build.index") in _imports(bad)


def test_resolve_where_verify_leave_the_build_package_unimported(index_available):
    code = (
        "import sys, geoverify\n"
        "geoverify.resolve('Sergeevka, Primorsky Krai')\n"
        "geoverify.where(44.326859, 131.668647)\n"
        "geoverify.verify('Shelling near Sergeevka (44.326859, 131.668647).')\n"
        "from geoverify.gazetteer.info import index_info\n"
        "index_info()\n"
        "print(sorted(m for m in sys.modules if m.startswith('geoverify.gazetteer.build')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"
