"""The HTML verdict map opened in a real browser: headless Chromium (Debian's ``chromium``).

The browser comes from the Makefile (``make browser``, a prerequisite of ``make test``); a test
never installs it. Without one these tests skip with a message (the ``chromium`` fixture in
``conftest.py``). Every run is offline: the page is opened from disk with every network
feature off and a fresh profile.

- the page renders (sea and the verdict colours on screen), pans, zooms and pops up;
- the screenshot is checked against geography: pixels at known places (land 15 km north and
  south of the Sergeevka point, the point itself, sea off Vladivostok), located through the
  map's own projection and the page's own layout as the browser laid it out.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_maps import FakeBoundaries, sergeevka_report

pytestmark = pytest.mark.browser

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


def run_chromium(chromium: str, page: Path, tmp_path: Path, *extra: str, size=(1200, 900)):
    cmd = [
        chromium,
        *FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={size[0]},{size[1]}",
        *extra,
        page.resolve().as_uri(),
    ]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium did not finish within 90 s")


def load_rgb(path: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    return np.asarray(mpimg.imread(str(path)))[..., :3]


def test_html_map_renders_in_headless_chromium(chromium, tmp_path: Path):
    from geoverify.maps import write_map
    from geoverify.maps.style import SEA, VERDICT_COLOURS

    fake = FakeBoundaries()
    page = write_map(sergeevka_report(fake), tmp_path / "sergeevka.html", width=1200, height=900, boundaries=fake)
    shot = tmp_path / "shot.png"
    done = run_chromium(chromium, page, tmp_path, f"--screenshot={shot}")
    assert shot.exists(), f"no screenshot; chromium said: {done.stderr[-500:]}"
    img = load_rgb(shot)
    assert img.shape[:2] == (900, 1200)
    assert img.std() > 0.08, "the screenshot is (nearly) blank"

    def share(hex_colour: str, tol: float = 0.05) -> float:
        target = np.array([int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
        return float((np.abs(img - target).max(axis=-1) < tol).mean())

    assert share(SEA) > 0.01, "the map's sea is not on screen: the SVG did not render"
    assert share(VERDICT_COLOURS["consistent"]) > 0.0005, "no claim drawn in the consistent colour"


PROBE = """<!DOCTYPE html><html><body><iframe id="f" src="%s" width="1200" height="900"></iframe>
<pre id="out">pending</pre>
<script>
document.getElementById('f').onload = function () {
  var w = this.contentWindow, d = w.document, out = {};
  try {
    var svg = d.getElementById('svg'), map = d.getElementById('map');
    out.before = svg.getAttribute('viewBox').split(' ').map(Number);
    map.dispatchEvent(new w.WheelEvent('wheel', {deltaY: -500, clientX: 300, clientY: 300, bubbles: true,
                                                 cancelable: true}));
    out.zoomed = svg.getAttribute('viewBox').split(' ').map(Number);
    d.querySelector('.claim[data-claim="2"]').click();
    out.dimmed = svg.querySelectorAll('.dim').length;
    out.active = d.querySelectorAll('.claim.active').length;
    var zone = svg.querySelector('path.zone[data-p]'), r = zone.getBoundingClientRect();
    zone.dispatchEvent(new w.MouseEvent('click', {bubbles: true, clientX: r.x + 1, clientY: r.y + 1}));
    out.popup = d.getElementById('popup').style.display;
    out.popupText = d.getElementById('popup-body').textContent;
    out.scale = d.getElementById('scalelab').textContent;
  } catch (e) { out.error = String(e); }
  document.getElementById('out').textContent = JSON.stringify(out);
};
</script></body></html>"""


def test_html_map_pans_zooms_and_pops_up(chromium, tmp_path: Path):
    """Drive the page's own script in Chromium: wheel zoom, a claim picked in the list, a shape clicked."""
    from geoverify.maps import write_map

    fake = FakeBoundaries()
    write_map(sergeevka_report(fake), tmp_path / "map.html", width=1200, height=900, boundaries=fake)
    probe = tmp_path / "probe.html"
    probe.write_text(PROBE % "map.html", encoding="utf-8")
    done = run_chromium(
        chromium, probe, tmp_path, "--allow-file-access-from-files", "--virtual-time-budget=3000", "--dump-dom"
    )
    m = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert m, f"no probe output; chromium said: {done.stderr[-400:]}"
    out = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert "error" not in out, out
    assert out["zoomed"][2] < out["before"][2] * 0.7  # the wheel zoomed in about the cursor
    assert out["active"] == 1 and out["dimmed"] > 0  # picking claim 3 highlights it and dims the others
    assert out["popup"] == "block" and "Claim" in out["popupText"] and "consistent" in out["popupText"]
    assert re.fullmatch(r"\d+ (m|km)", out["scale"])


# ----------------------------------------------------------------------------- geography in the screenshot
#: Appended to a copy of the page: after the page's own script has fitted the view, record where
#: the browser laid out the map, its SVG and viewBox, and the boxes drawn over it. Setting an
#: attribute changes no layout, so the screenshot of the same run is of the same page.
MEASURE = """<script>(function(){
var svg=document.getElementById('svg'),r=svg.getBoundingClientRect(),covers=[];
['tools','north','scale','locator','attrib'].forEach(function(id){var e=document.getElementById(id);
 if(e){var b=e.getBoundingClientRect();covers.push([b.left,b.top,b.width,b.height]);}});
[].forEach.call(document.querySelectorAll('.offmap,#svg .pin.lab'),function(e){var b=e.getBoundingClientRect();
 if(b.width)covers.push([b.left,b.top,b.width,b.height]);});
document.documentElement.setAttribute('data-probe',JSON.stringify({svg:[r.left,r.top,r.width,r.height],
 vb:svg.getAttribute('viewBox').split(' ').map(Number),covers:covers}));})();</script>"""


def screenshot_with_layout(chromium: str, page: Path, tmp_path: Path):
    """One Chromium run: a screenshot of ``page`` and where the browser put its map."""
    measured = page.with_name(page.stem + ".measured.html")
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    shot = page.with_suffix(".png")
    done = run_chromium(chromium, measured, tmp_path, f"--screenshot={shot}", "--dump-dom")
    m = re.search(r"data-probe=\"(.*?)\"", done.stdout)
    assert m and shot.exists(), f"no layout or screenshot; chromium said: {done.stderr[-400:]}"
    layout = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return load_rgb(shot) * 255.0, layout


def page_pixel(scene, layout, lat, lon):
    """Where (lat, lon) is on screen: the scene's projection, then the SVG's viewBox as laid out
    (``preserveAspectRatio="xMidYMid meet"``); None when off the map or under a control or label."""
    left, top, width, height = layout["svg"]
    vx, vy, vw, vh = layout["vb"]
    x, y = scene.frame.xy(lon, lat)
    sx, sy = float(x), -float(y)  # the page's SVG has y pointing down
    k = min(width / vw, height / vh)
    col = left + (width - vw * k) / 2 + (sx - vx) * k
    row = top + (height - vh * k) / 2 + (sy - vy) * k
    if not (left <= col <= left + width and top <= row <= top + height):
        return None
    if any(b[0] - 3 <= col <= b[0] + b[2] + 3 and b[1] - 3 <= row <= b[1] + b[3] + 3 for b in layout["covers"]):
        return None
    return col, row


@pytest.mark.slow
def test_html_screenshots_match_geography(chromium, index_available, tmp_path: Path):
    """The check map and the seed article's map, as Chromium draws them, at known places."""
    from test_maps_geography import (
        ARTICLE,
        CLAIMS,
        NORTH_15,
        POINT,
        SEA_OFF_VLADIVOSTOK,
        SOUTH_15,
        ring_points,
        shows_location,
        surface,
    )

    from geoverify.maps import render_scene
    from geoverify.maps.scene import build_scene
    from geoverify.pipeline import check, verify

    checked = build_scene(check(["44.326859, 131.668647"], list(CLAIMS)))
    img, layout = screenshot_with_layout(
        chromium, render_scene(checked, tmp_path / "check.html", width=1200, height=900), tmp_path
    )
    for name, latlon in (("15 km north", NORTH_15), ("15 km south", SOUTH_15)):
        px = page_pixel(checked, layout, *latlon)
        assert px is not None, f"{name} of the point is not visible on the page"
        assert surface(img, *px) == "land", f"{name} of Sergeevka is not drawn as land in Chromium"
    px = page_pixel(checked, layout, *POINT)
    assert px is not None and shows_location(img, *px)
    seen = [surface(img, *px) for px in (page_pixel(checked, layout, *ll) for ll in ring_points()) if px]
    assert len(seen) >= 20 and set(seen) == {"land"}, seen

    seed = build_scene(verify(ARTICLE.read_text(encoding="utf-8")))
    img, layout = screenshot_with_layout(
        chromium, render_scene(seed, tmp_path / "seed.html", width=1200, height=900), tmp_path
    )
    px = page_pixel(seed, layout, *SEA_OFF_VLADIVOSTOK)
    assert px is not None and surface(img, *px) == "sea", "no sea off Vladivostok in Chromium"
    px = page_pixel(seed, layout, *POINT)
    assert px is not None and shows_location(img, *px)
