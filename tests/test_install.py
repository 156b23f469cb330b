"""The package as a pip user gets it: a wheel, installed (not editable) into a new virtual
environment, run through its console script.

``make test`` otherwise runs against the editable install, whose import hook loads modules
(``importlib.util`` among them) that a normal install never loads: the console script once
crashed on every command after ``pip install .`` (issue 15) and no test saw it.

Kept cheap (about 5 s of CPU): the wheel is built by the setuptools backend of this
environment (no build isolation) from a copy of the sources, the new environment has no pip
of its own (the running pip installs into it with ``--python``) and no dependencies installed
(``--no-deps``): a ``.pth`` file puts this environment's site-packages *after* its own, so the
dependencies come from here while ``geoverify`` itself can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = next((ROOT / "fixtures" / "articles").glob("001_*.txt"))


def _run(args, env=None, cwd=None, timeout=300, check=True):
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A new venv with the wheel installed: (bin directory, environment for subprocesses)."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "geoverify", src / "geoverify", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    # the PEP 517 backend pyproject.toml names, called as pip would (without pip's start-up)
    _run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_wheel({str(dist)!r})"], cwd=src)
    (wheel,) = dist.glob("geoverify-*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    purelib = Path(
        _run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    here = [p for p in dict.fromkeys([*site.getsitepackages(), sysconfig.get_paths()["purelib"]]) if Path(p).is_dir()]
    (purelib / "_geoverify_test_deps.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "--no-index",
            "--no-compile",
            "-q",
            str(wheel),
        ],
        cwd=tmp,
    )

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["GEOVERIFY_USER_DIR"] = str(tmp / "user")
    env.pop("GEOVERIFY_DATA_DIR", None)
    return venv / "bin", env, tmp


def test_geoverify_comes_from_the_wheel(installed):
    bin_dir, env, tmp = installed
    where = _run(
        [str(bin_dir / "python"), "-c", "import geoverify; print(geoverify.__file__)"], env=env, cwd=tmp
    ).stdout.strip()
    assert where.startswith(str(bin_dir.parent)), where
    assert "site-packages" in where


def test_installed_console_script_help_and_version(installed):
    bin_dir, env, tmp = installed
    from geoverify import __version__

    help_ = _run([str(bin_dir / "geoverify"), "--help"], env=env, cwd=tmp)
    assert help_.stderr == ""
    assert "Usage: geoverify" in help_.stdout
    for command in ("extract", "resolve", "where", "verify", "check", "batch", "data"):
        assert f"  {command}" in help_.stdout
    version = _run([str(bin_dir / "geoverify"), "--version"], env=env, cwd=tmp)
    assert version.stdout.strip() == f"geoverify, version {__version__}"


def test_installed_console_script_extracts(installed):
    bin_dir, env, tmp = installed
    proc = subprocess.run(
        [str(bin_dir / "geoverify"), "extract", "-", "--format", "json"],
        input="filmed at 44.326859, 131.668647 (GeoConfirmed)",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    (loc,) = json.loads(proc.stdout)
    assert (loc["lat"], loc["lon"], loc["kind"]) == (44.326859, 131.668647, "decimal")


def test_installed_console_script_verifies_a_seed_article(index_available, installed):
    """With the index this suite uses (GEOVERIFY_DATA_DIR); skipped, saying why, without one."""
    index = index_available
    bin_dir, env, tmp = installed
    env = {**env, "GEOVERIFY_DATA_DIR": str(index.parent)}
    proc = _run([str(bin_dir / "geoverify"), "verify", str(ARTICLE), "--format", "json"], env=env, cwd=tmp, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["verdict"] == "consistent"
    assert [loc["text"] for loc in report["locations"]] == ["44.326859, 131.668647", "8MG9+PFR"]
    # the short code recovered from Sergeyevka (GeoNames 2020626): 8QPH8MG9+PFR
    assert report["locations"][1]["reference"]["code"] == "8QPH8MG9+PFR"
