"""geoverify.geodesy.geod() loads pyproj's Geod without pyproj's package start-up (a cold ``where``
pays ~50 ms less); whoever asks pyproj for anything else afterwards gets the whole package. Run in
fresh interpreters, since pytest itself has imported pyproj long before."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_geod_first_then_the_whole_package_works():
    out = _run(
        """
        from geoverify.geodesy import geod, inverse
        g = geod()
        d, _ = inverse(50.45, 30.52, 49.99, 36.23)   # Kyiv - Kharkiv
        import pyproj
        from pyproj import CRS, Transformer
        assert isinstance(g, pyproj.Geod)
        assert pyproj.__version__
        t = Transformer.from_crs(CRS("EPSG:4326"), CRS("EPSG:3857"), always_xy=True)
        x, y = t.transform(30.52, 50.45)
        print(round(d, 1), x, y)
        """
    )
    km, x, y = out.split()
    assert float(km) == 410.6  # Kyiv to Kharkiv on the WGS84 ellipsoid (the haversine on a 6,371 km sphere gives 409.4)
    # Web Mercator of Kyiv, by its formulas: x = R λ, y = R ln tan(π/4 + φ/2)
    r = 6378137.0
    assert abs(float(x) - r * math.radians(30.52)) < 0.01
    assert abs(float(y) - r * math.log(math.tan(math.pi / 4 + math.radians(50.45) / 2))) < 0.01


def test_the_same_numbers_whether_pyproj_was_imported_first_or_not():
    code = """
        {first}
        from geoverify.geodesy import geod
        print(repr(geod().inv(30.52, 50.45, 36.23, 49.99)))
        """
    lazy = _run(code.format(first=""))
    eager = _run(code.format(first="import pyproj"))
    assert lazy == eager
