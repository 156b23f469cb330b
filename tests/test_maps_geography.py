"""The maps checked against geography: pixels sampled at known places, through each map's own projection.

A map can be internally consistent and still tell a reader something false (issue 18: a check
of the Sergeevka point drew sea-blue 15 km north and south of it, where the nearest sea is
~130 km away). These tests render maps with the real index and look at what is drawn at
points whose nature is known independently of this project's data:

- the Sergeevka point, 44.326859 N 131.668647 E (GeoConfirmed), inland in Primorsky Krai;
- 15 km due north and due south of it (geodesic, pyproj): inland too — the coast of the Sea
  of Japan is ~130 km to the south (Vladivostok, 43.12 N);
- 42.70 N 132.00 E: open water of Peter the Great Gulf, ~45 km south of Vladivostok and
  ~25 km from the nearest shore (Russky Island, 42.95 N; Cape Povorotny, 42.67 N 133.04 E).

Where each lands in the picture comes from the map's own layout and projection
(:func:`geoverify.maps.png_svg.pixel_of`), never from where this test expects it. The HTML
page's screenshot in Chromium is checked the same way in ``test_maps_browser.py``.
Skipped with a message when the index is not built.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "articles" / "001_a1998207a4a2e502.txt"
POINT = (44.326859, 131.668647)
SEA_OFF_VLADIVOSTOK = (42.70, 132.00)
CLAIMS = ("near the China border", "in Primorsky Krai")
W, H = 1200, 900


def offset(lat: float, lon: float, azimuth: float, km: float) -> tuple[float, float]:
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, km * 1000.0)
    return lat2, lon2


NORTH_15 = offset(*POINT, 0.0, 15.0)
SOUTH_15 = offset(*POINT, 180.0, 15.0)


# ----------------------------------------------------------------------------- reading pixels
def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def load(path: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    img = np.asarray(mpimg.imread(str(path)))[..., :3]
    return img * 255.0 if img.max() <= 1.0 else img.astype(float)


def patch(img: np.ndarray, col: float, row: float, r: int = 3) -> np.ndarray:
    c, rr = int(round(col)), int(round(row))
    return img[max(rr - r, 0) : rr + r + 1, max(c - r, 0) : c + r + 1].reshape(-1, 3)


def surface(img: np.ndarray, col: float, row: float) -> str:
    """``land``, ``sea`` or ``other`` from the median colour around a pixel.

    Sea (#dcebf5) is cool: blue well above red, under any light claim tint. Land (#f4f1ea) is
    warm (red above blue); under the claims' light green tints red and blue come level while
    green stays above both. The no-data grey and white are neither.
    """
    r, g, b = np.median(patch(img, col, row), axis=0)
    if b - r > 12:
        return "sea"
    if max(r, g, b) - min(r, g, b) < 6:
        return "other"
    return "land" if r - b > -3 else "other"


def shows_location(img: np.ndarray, col: float, row: float) -> bool:
    """The location marker's blue (#1f3b99) is within 2 px of where the point projects."""
    from geoverify.maps.style import LOCATION

    d = np.abs(patch(img, col, row, 2) - rgb(LOCATION)).max(axis=1)
    return bool((d < 40).any())


# ----------------------------------------------------------------------------- the maps
@pytest.fixture(scope="module")
def check_map(index_available, tmp_path_factory):
    """``geoverify check --at "44.326859, 131.668647" --claim "near the China border" --claim "in Primorsky Krai"``."""
    from geoverify.maps.png_svg import render
    from geoverify.maps.scene import build_scene
    from geoverify.pipeline import check

    report = check(["44.326859, 131.668647"], list(CLAIMS))
    scene = build_scene(report)
    path = render(scene, tmp_path_factory.mktemp("geo") / "check.png", "png", width=W, height=H)
    return scene, load(path)


@pytest.fixture(scope="module")
def seed_map(index_available, tmp_path_factory):
    """``geoverify verify fixtures/articles/001_….txt``: the seed article, framed down to North Korea."""
    from geoverify.maps.png_svg import render
    from geoverify.maps.scene import build_scene
    from geoverify.pipeline import verify

    scene = build_scene(verify(ARTICLE.read_text(encoding="utf-8")))
    path = render(scene, tmp_path_factory.mktemp("geo") / "seed.png", "png", width=W, height=H)
    return scene, load(path)


def at(scene, img, latlon, panel="main"):
    from geoverify.maps.png_svg import pixel_of

    px = pixel_of(scene, latlon[0], latlon[1], W, H, panel=panel)
    assert px is not None, f"{latlon} is outside the {panel} panel"
    return px


@pytest.mark.parametrize("where", ["north", "south"])
def test_check_map_draws_land_15_km_north_and_south_of_the_point(check_map, where):
    scene, img = check_map
    latlon = NORTH_15 if where == "north" else SOUTH_15
    assert surface(img, *at(scene, img, latlon)) == "land", f"15 km {where} of Sergeevka is not drawn as land"


def ring_points(radii=(5.0, 10.0, 15.0, 20.0, 25.0), n=8):
    """Points 5–25 km from Sergeevka in eight directions: all inland (the sea is ~115 km and more
    away; Lake Khanka, filled as land by the land mask anyway, is ~40 km to the north-east)."""
    return [offset(*POINT, 360.0 * k / n, r) for r in radii for k in range(n)]


def test_check_map_shows_no_sea_within_25_km_of_the_point(check_map):
    from geoverify.maps.png_svg import pixel_of

    scene, img = check_map
    seen = {}
    for latlon in ring_points():
        px = pixel_of(scene, latlon[0], latlon[1], W, H)
        if px is not None:
            seen[latlon] = surface(img, *px)
    assert len(seen) >= 20, "too few of the sampled points are on the map"
    wrong = [k for k, v in seen.items() if v != "land"]
    assert not wrong, f"drawn as {[seen[k] for k in wrong]} at {wrong}"


def test_check_map_draws_the_point_on_land(check_map):
    scene, img = check_map
    col, row = at(scene, img, POINT)
    assert shows_location(img, col, row)
    # and 2 km east of it (clear of the marker and its label, which sits to the left)
    assert surface(img, *at(scene, img, offset(*POINT, 90.0, 2.0))) == "land"


def test_check_map_view_lies_inside_the_drawn_basemap(check_map):
    """Every corner of the view is inside the basemap's coverage: nothing is left undrawn."""
    from geoverify.maps.png_svg import layout

    scene, _img = check_map
    view = layout(scene, W, H)["main_rect"]
    cov = scene.coverage
    assert cov[0] <= view[0] and cov[1] <= view[1] and cov[2] >= view[2] and cov[3] >= view[3]


def test_seed_map_draws_sea_off_vladivostok_and_land_around_the_point(seed_map):
    scene, img = seed_map
    assert surface(img, *at(scene, img, SEA_OFF_VLADIVOSTOK)) == "sea"
    for latlon in (NORTH_15, SOUTH_15):
        assert surface(img, *at(scene, img, latlon)) == "land"
    assert shows_location(img, *at(scene, img, POINT))


def test_seed_map_detail_panel_shows_land_and_the_point(seed_map):
    scene, img = seed_map
    assert scene.detail is not None
    assert shows_location(img, *at(scene, img, POINT, panel="detail"))
    # 1 km north of the point, inside the 6.8 km detail: land under the claims' tints
    assert surface(img, *at(scene, img, offset(*POINT, 0.0, 1.0), panel="detail")) == "land"


# ----------------------------------------------------------------------------- the where map's detail
@pytest.fixture(scope="module")
def bakhmut_where(index_available, tmp_path_factory):
    """``geoverify where 48.5953,38.0012 --map``: Bakhmut's centre (GeoNames 713174 is 212 m away)."""
    from geoverify.maps.png_svg import render
    from geoverify.maps.scene import build_where_scene

    scene = build_where_scene(48.5953, 38.0012)
    path = render(scene, tmp_path_factory.mktemp("geo") / "where.png", "png", width=W, height=H)
    return scene, load(path)


def test_where_detail_shows_land_the_places_around_and_the_point(bakhmut_where):
    from geoverify.maps.png_svg import layout

    scene, img = bakhmut_where
    assert scene.detail is not None
    drect = layout(scene, W, H)["detail_rect"]
    inside = []
    for f in scene.features():
        if f.role in ("reference", "place") and f.geometry.geom_type == "Point":
            x, y = scene.frame.xy(f.geometry.x, f.geometry.y)
            if (
                drect[0] <= x <= drect[2]
                and drect[1] <= y <= drect[3]
                and (f.max_view_m or 1e12) >= drect[2] - drect[0]
            ):
                inside.append(f.label)
    # GeoNames populated places within the detail (distances from `where`'s own answer, 0.2–7.7 km)
    assert {"Bakhmut", "Khromove", "Opytne", "Ivanivs'ke", "Krasna Hora"} <= set(inside)
    assert shows_location(img, *at(scene, img, (48.5953, 38.0012), panel="detail"))
    assert surface(img, *at(scene, img, offset(48.5953, 38.0012, 45.0, 3.0), panel="detail")) == "land"
    # the panel is not a flat grey box: the land colour dominates it
    left, bottom, w, h = layout(scene, W, H)["detail_box"]
    box = img[H - bottom - h + 4 : H - bottom - 4, left + 4 : left + w - 4]
    warm = (box[..., 0] - box[..., 2]) > 4
    assert warm.mean() > 0.5


def test_where_main_map_names_the_cities_around(bakhmut_where):
    scene, _img = bakhmut_where
    names = {f.label for f in scene.layer("places").features if f.max_view_m is None}
    # the largest GeoNames places within the ~1,200 km view (Kharkiv, Dnipro, Donetsk, Rostov-on-Don)
    assert {"Kharkiv", "Dnipro", "Donetsk", "Rostov-on-Don"} <= names
