"""Resolving names in context (issue 13): the ranking, the document evidence, the representative points.

The answers are independently known facts (Atlanta and Savannah are in the US state of Georgia, Tbilisi is
the capital of the country; "W.Va." is the AP abbreviation of West Virginia; the geographic centre of the
contiguous United States is near Lebanon, Kansas, 39.83 N 98.58 W), not the code's own output. None of it
needs ../shared.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoverify.gazetteer import context as C
from geoverify.gazetteer import rank as R


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def resolve(index_available):
    from geoverify.gazetteer import resolve as _resolve

    return _resolve


# -- the text decides ----------------------------------------------------------------------------------------

ATLANTA = (
    "Storms hit Atlanta and Savannah on Tuesday. The governor of Georgia declared an emergency "
    "for the whole state; Macon was spared."
)
TBILISI = "Protesters gathered in Tbilisi, the capital of Georgia, near the border with Armenia and Azerbaijan."


def test_georgia_in_a_text_about_atlanta_is_the_us_state(resolve):
    top = resolve("Georgia", context=ATLANTA)[0]
    assert top.id == "admin1:US-GA"


def test_georgia_in_a_text_about_tbilisi_is_the_country(resolve):
    top = resolve("Georgia", context=TBILISI)[0]
    assert top.id == "country:GE"


def test_explanation_names_the_evidence(resolve):
    top = resolve("Georgia", context=ATLANTA, explain=True)[0]
    ex = top.extra["explanation"]
    assert ex["behind_best"] == 0
    raised = {e["evidence"] for e in ex["evidence"] if e["effect"] > 0}
    assert raised & {"doc_admin1", "near_admin1", "doc_country", "near_country"}
    mentioned = {m for e in ex["evidence"] for m in e.get("mentions", ())}
    assert mentioned & {"atlanta", "savannah", "macon"}


def test_a_town_named_after_a_larger_namesake_is_the_town_the_text_places(resolve):
    # Boston, New York (Erie County, about 42.63 N 78.74 W) is named after Boston, Massachusetts
    text = (
        "Boston is a town in Erie County, New York, United States. The population was 8,023 at the 2010 census. "
        "The town is named after Boston, Massachusetts. Boston is an interior town of the county and one of the "
        "county's Southtowns. Boston is south of Buffalo."
    )
    top = resolve("Boston", context=text)[0]
    assert top.admin1 == "New York" and km(top.lat, top.lon, 42.63, -78.74) < 20


def test_the_main_name_before_an_old_name_of_a_larger_place_in_the_same_country(resolve):
    # "Troy" is also an old name of Shorewood, Illinois (41.52 N 88.20 W); Troy, Illinois (Madison County,
    # 38.73 N 89.88 W) bears it as its name
    text = "Troy is a city in Madison County, Illinois, United States. The population was 9,888 at the 2010 census."
    found = resolve("Troy", context=text, limit=3, explain=True)
    assert found[0].admin1 == "Illinois" and km(found[0].lat, found[0].lon, 38.73, -89.88) < 20
    shorewood = next(p for p in found if km(p.lat, p.lon, 41.52, -88.20) < 10)
    ev = {e["evidence"]: e for e in shorewood.extra["explanation"]["evidence"]}
    assert ev["alternate_name"]["effect"] < 0 and "main name" in ev["alternate_name"]["why"]
    assert "alternate_name" not in {e["evidence"] for e in found[0].extra["explanation"]["evidence"]}
    # Newton, Alabama (Dale County, 31.34 N 85.61 W), not Attalla, once called Newton
    text = "Newton is a town in Dale County, Alabama, United States. At the 2010 census its population was 1,511."
    top = resolve("Newton", context=text)[0]
    assert top.admin1 == "Alabama" and km(top.lat, top.lon, 31.34, -85.61) < 20


def test_a_spelling_of_the_main_name_is_no_alternate_name_evidence(resolve):
    # GeoNames names the Ukrainian city "Odesa" and lists "Odessa" among its alternates; Odessa, Texas is in
    # another country, so nothing marks Odesa down
    for name in ("Odessa", "Kiev", "Makeevka"):
        top = resolve(name, explain=True)[0]
        assert top.country == "UA", name
        assert "alternate_name" not in {e["evidence"] for e in top.extra["explanation"]["evidence"]}


def test_a_river_named_after_a_state_is_no_mention_of_the_state(resolve):
    # Parker, Arizona (34.15 N 114.29 W) lies on the Colorado River; Madison, Indiana (38.74 N 85.38 W) on the Ohio
    text = "Parker is the county seat of La Paz County, Arizona, United States, on the Colorado River in Parker Valley."
    top = resolve("Parker", context=text, limit=2)
    assert [p.admin1 for p in top] == ["Arizona", "Arizona"]
    text = "Madison is a city in and the county seat of Jefferson County, Indiana, United States, along the Ohio River."
    top = resolve("Madison", context=text)[0]
    assert top.admin1 == "Indiana" and km(top.lat, top.lon, 38.74, -85.38) < 20


def test_the_county_the_text_names_places_the_town(resolve):
    # Concord, New York is a town of Erie County (about 42.55 N 78.62 W); the larger Concord of New York state is a
    # neighbourhood of Staten Island. "Erie County, New York" is the New York county (Pennsylvania and Ohio have one)
    text = "Concord is a town in Erie County, New York, United States. The population was 8,494 at the 2010 census."
    top = resolve("Concord", context=text, explain=True)[0]
    assert top.admin1 == "New York" and km(top.lat, top.lon, 42.55, -78.62) < 30
    assert "closeness" in {e["evidence"] for e in top.extra["explanation"]["evidence"]}


def test_paris_alone_is_france_and_paris_texas_in_context(resolve):
    assert resolve("Paris")[0].country == "FR"
    text = "Paris, Texas, the seat of Lamar County in northeast Texas, lies near the Oklahoma border."
    top = resolve("Paris", context=text)[0]
    assert (top.country, top.extra.get("admin1_code")) == ("US", "US-TX")


def test_city_comma_state_postal_code(resolve):
    top = resolve("Springfield, IL")[0]
    assert (top.country, top.extra.get("admin1_code")) == ("US", "US-IL")
    # the state capital of Illinois: 39.80 N 89.64 W
    assert km(top.lat, top.lon, 39.80, -89.64) < 20


def test_city_comma_ap_abbreviation_in_the_text(resolve):
    text = "The fire at a warehouse in Springfield, Mass., spread to two homes."
    top = resolve("Springfield", context=text)[0]
    assert top.extra.get("admin1_code") == "US-MA"


# -- priors and matching discipline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("W.Va.", "admin1:US-WV"),
        ("Calif.", "admin1:US-CA"),
        ("Tenn.", "admin1:US-TN"),
        ("S.C.", "admin1:US-SC"),
        ("NSW", "admin1:AU-NSW"),
        ("U.K.", "country:GB"),
    ],
)
def test_abbreviations(resolve, name, expected):
    assert resolve(name)[0].id == expected


@pytest.mark.parametrize(
    "name,expected", [("California", "admin1:US-CA"), ("Oregon", "admin1:US-OR"), ("Poland", "country:PL")]
)
def test_states_and_countries_before_small_towns_of_the_name(resolve, name, expected):
    assert resolve(name)[0].id == expected


def test_a_city_before_the_region_named_after_it(resolve):
    assert resolve("Kharkiv")[0].geonameid == 706483
    assert resolve("Kyiv")[0].geonameid == 703448
    assert resolve("Kharkiv Oblast")[0].id == "admin1:UA-63"


def test_common_english_spelling_of_a_large_city(resolve):
    # GeoNames' main name is "Odesa"; "Odessa" is an alternate name there and the main name of Odessa, Texas
    assert resolve("Odessa")[0].geonameid == 698740


def test_no_good_match_returns_no_stranger(resolve):
    assert resolve("Sinhalese") == []
    assert all(p.name != "Dufur" for p in resolve("Darfur"))


def test_exact_match_before_typo_and_scores_keep_their_meaning(resolve):
    found = resolve("Kramatorsk")
    assert found[0].geonameid == 704508 and found[0].score == 1.0
    assert found[0].extra["plausibility"] == 1.0
    assert all(0.0 <= p.extra["plausibility"] <= 1.0 for p in found)


def test_cli_json_has_an_explanation(index_available):
    from click.testing import CliRunner

    from geoverify.cli import cli

    res = CliRunner().invoke(cli, ["resolve", "Georgia", "--context", ATLANTA, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    for key in ("name", "lat", "lon", "country", "admin1", "feature", "population", "geonameid", "score"):
        assert key in rows[0]
    assert rows[0]["id"] == "admin1:US-GA"
    assert 0 <= rows[0]["score"] <= 1
    assert rows[0]["explanation"]["evidence"]


# -- representative points ----------------------------------------------------------------------------------


def test_country_point_is_the_centre_of_its_main_landmass(resolve):
    us = resolve("United States")[0]
    assert us.id == "country:US"
    assert km(us.lat, us.lon, 39.83, -98.58) < 161  # near Lebanon, Kansas


def test_main_part_centre_of_shapes():
    import shapely

    from geoverify.gazetteer.build.index import main_part_centre

    lat, lon = main_part_centre(shapely.box(10, 40, 12, 42))
    assert abs(lat - 41.0) < 0.05 and abs(lon - 11.0) < 1e-6
    # the largest part decides; a far small island does not pull the point
    multi = shapely.MultiPolygon([shapely.box(10, 40, 12, 42), shapely.box(50, -5, 50.1, -4.9)])
    lat, lon = main_part_centre(multi)
    assert abs(lon - 11.0) < 1e-6
    # a crescent's centroid lies outside it: the point is still inside the shape
    ring = shapely.Point(0, 0).buffer(10).difference(shapely.Point(3, 0).buffer(9))
    lat, lon = main_part_centre(ring)
    assert ring.contains(shapely.Point(lon, lat))


# -- the document reader (no index) -------------------------------------------------------------------------


def _context(text, entries=None):
    return C.DocumentContext(
        text,
        lambda keys: {k: v for k, v in (entries or {}).items() if k in keys},
        lambda code: C.Entry(f"admin1:{code}", "admin1", code[:2], code, 0.0, 0.0, 0, "A.ADM1", code),
    )


def test_runs_pairs_and_abbreviations():
    ctx = _context("Dover, Del., and Charleston, W.Va. The Bay of Biscay. Miss Smith said so.")
    assert {"dover", "del", "charleston", "w va", "bay of biscay"} <= set(ctx.counts)
    assert ("dover", "del", 0) in ctx.pairs
    assert ctx.entries["del"][0][0] == "admin1:US-DE"
    assert ctx.entries["w va"][0][0] == "admin1:US-WV"
    assert "miss" not in ctx.entries  # a title, not "Miss." written as Mississippi
    # a sentence's full stop ends a run: no "biscay miss"
    assert not any("biscay miss" in k for k in ctx.counts)


def test_a_name_before_river_is_the_river_not_a_mention():
    ctx = _context("Madison lies along the Ohio River in Indiana. Ohio is east.")
    assert ctx.counts["ohio"] == 1 and ctx.counts["ohio river"] == 1


def test_a_mention_qualified_by_its_region_names_the_place_there_and_districts_are_points():
    ny = ("admin1:US-NY", "admin1", "US", "US-NY", 43.0, -75.5, 0, "A.ADM1", "New York")
    counties = [
        ("admin2:US-NY-029", "admin2", "US", "US-NY", 42.76, -78.78, 0, "A.ADM2", "Erie County"),
        ("admin2:US-PA-049", "admin2", "US", "US-PA", 41.99, -80.10, 0, "A.ADM2", "Erie County"),
        ("admin2:US-OH-043", "admin2", "US", "US-OH", 41.43, -82.70, 0, "A.ADM2", "Erie County"),
    ]
    ctx = _context("Eden is a town in Erie County, New York.", {"erie county": counties, "new york": [ny]})
    assert [e[0] for e in ctx.entries["erie county"]] == ["admin2:US-NY-029"]
    assert any(p[3] == "admin2:US-NY-029" for p in ctx.points)  # the county's point places the text
    # unqualified, the three counties share the mention and none is a point
    ctx = _context("Eden is a town in Erie County. It is in New York.", {"erie county": counties, "new york": [ny]})
    assert len(ctx.entries["erie county"]) == 3 and not any(p[3].startswith("admin2:") for p in ctx.points)


def test_words_used_in_lower_case_are_not_mentions():
    seen = []
    C.DocumentContext(
        "May rain came in may. Golf clubs and golf.", lambda keys: seen.extend(keys) or {}, lambda code: None
    )
    assert "may" not in seen and "golf" not in seen


def test_evidence_excludes_the_query_and_weighs_its_first_mention():
    us = ("admin1:US-GA", "admin1", "US", "US-GA", 32.7, -83.4, 0, "A.ADM1", "Georgia")
    atl = ("geonames:4180439", "place", "US", "US-GA", 33.75, -84.39, 463878, "P.PPL", "Atlanta")
    ge = ("country:GE", "country", "GE", None, 42.0, 43.5, 3700000, "A.PCLI", "Georgia")
    ctx = _context("Atlanta, Georgia. Georgia Power said so.", {"atlanta": [atl], "georgia": [us, ge]})
    ev = ctx.evidence({"georgia"})
    assert set(ev.countries) == {"US"}  # Georgia's own mentions are not evidence about Georgia
    assert ev.share(ev.local_admin1, "US-GA") == 1.0
    ev = ctx.evidence({"atlanta"})
    assert ev.first_qualifiers == {"US-GA": "georgia", "GE": "georgia"}


def test_a_later_qualified_mention_is_a_namesake_not_evidence_near_the_name():
    ny = ("admin1:US-NY", "admin1", "US", "US-NY", 43.0, -75.5, 0, "A.ADM1", "New York")
    ma = ("admin1:US-MA", "admin1", "US", "US-MA", 42.3, -71.8, 0, "A.ADM1", "Massachusetts")
    text = "Boston is a town in Erie County, New York. It is named after Boston, Massachusetts."
    ctx = _context(text, {"new york": [ny], "massachusetts": [ma]})
    ev = ctx.evidence({"boston"})
    assert ev.share(ev.local_admin1, "US-NY") == 1.0  # Massachusetts qualifies the later mention only
    assert ev.share(ev.admin1, "US-MA") > 0  # still a place the text names
    assert ev.first_qualifiers == {}
    # written so at the first mention, the qualifier is the name's own
    ev = _context("Boston, Massachusetts, is a city. Boston is large.", {"massachusetts": [ma]}).evidence({"boston"})
    assert ev.share(ev.local_admin1, "US-MA") == 1.0 and ev.first_qualifiers == {"US-MA": "massachusetts"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_is_read_without_error(text):
    ctx = _context(text)
    for key, pos in ctx.positions.items():
        assert key and key == " ".join(key.split())
        assert all(0 <= p < len(text) for p in pos)
    ctx.evidence({"x"})


def test_model_file_is_sound():
    model = R.load_model()
    assert model.meta.get("trained_on")
    assert all(math.isfinite(v) for v in model.weights.values())
    assert model.prior("country") > model.prior("admin1") > model.prior("place") == 0.0
    # new kinds slot in through the table
    assert model.prior("admin2") > 0 and model.prior("never-seen-kind") == 0.0
